"""The document explain writes: sections of equations, tables and notes, in no output format.

`builder/` fills it from a Trace; terminal text, markdown and LaTeX print it, and the video's
formulas and speaker notes take their equations from it. Each of those imports this model and
nothing of the others: an equation gives its own parts in plain text or in LaTeX, because its
formulas are `expr` trees, which print as either.

An equation is written symbolically, then with its numbers, then its result: the numbers at the
fewest digits (from --precision up) at which a reader who redoes the line from the page gets the
result on the page (`digits.honest_digits`), the result at the chosen precision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from visualizer.core.expr import Expr, Style
from visualizer.style import DEFAULT_DIGITS

PHASES = ("forward", "loss", "backward", "update")  # the phases of a step, in the order they are written


@dataclass(frozen=True)
class Options:
    precision: int = DEFAULT_DIGITS  # significant digits shown (more where a line needs them)
    phase: str = "all"  # forward | loss | backward | update | all
    show: str = "first"  # which steps are written out: first | last | all
    samples: int | None = 8  # samples of a batch written out in full, the first ones; None: all


@dataclass(frozen=True)
class Equation:
    lhs: Expr
    forms: tuple[Expr, ...]  # symbolic forms, then the same with numbers
    result: float
    digits: int  # for the numbers in the forms: as many as the line needs to add up
    result_digits: int  # for the result: the chosen precision, trailing zeros kept
    symbolic: int  # how many of the forms are symbolic (the rest are numbers)
    arrow: str = "="  # "←" for an update

    def parts(self, mode: str) -> list[str]:
        """lhs, each form, the result, printed in `mode` ("text" or "latex")."""
        style = Style(mode, self.digits)
        return [self.lhs.render(style), *(form.render(style) for form in self.forms), self.result_text(mode)]

    def signs(self, mode: str) -> list[str]:
        """The sign before each form and before the result: the arrow first, then "="."""
        arrow = r"\leftarrow" if mode == "latex" and self.arrow == "←" else self.arrow
        return [arrow] + ["="] * len(self.forms)

    def line(self, mode: str) -> str:
        """lhs = form = … = result, on one line."""
        lhs, *rest = self.parts(mode)
        return lhs + "".join(f" {sign} {part}" for sign, part in zip(self.signs(mode), rest))

    def result_text(self, mode: str) -> str:
        return Style(mode, self.result_digits).number(self.result, zeros=True)


@dataclass(frozen=True)
class Table:
    columns: tuple  # str or Expr
    rows: tuple  # of tuples of str, float or Expr
    digits: int


@dataclass(frozen=True)
class Note:
    text: str
    latex: str | None = None  # where the text has math LaTeX cannot take as it is


@dataclass
class Section:
    title: str
    phase: str  # header, step, forward, loss, backward, update, training
    level: int = 1
    items: list = field(default_factory=list)
