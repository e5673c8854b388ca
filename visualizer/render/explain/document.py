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
    # the explorer: every neuron a picture showing this many per layer shows (style.pick, as the
    # layout collapses a layer), every weight between them, and every optimizer line, so each one
    # it draws has its equations; None: explain's own shortening
    layout: int | None = None
    # --terms: each product wⱼₖaₖ after its z, each per-output term wᵢⱼδᵢ after a hidden ∂E/∂a
    terms: bool = False


@dataclass(frozen=True)
class Equation:
    lhs: Expr
    forms: tuple[Expr, ...]  # symbolic forms, then the same with numbers
    result: float
    digits: int  # for the numbers in the forms: as many as the line needs to add up
    result_digits: int  # for the result: the chosen precision, trailing zeros kept
    symbolic: int  # how many of the forms are symbolic (the rest are numbers)
    arrow: str = "="  # "←" for an update
    # what the line is about, so a page can show it where that is drawn: ("neuron", l, j),
    # ("edge", l, j, k) (weight wⱼₖ⁽ˡ⁾), ("loss",); l from 1, j and k from 0. () for nothing drawn.
    about: tuple = ()
    sample: int | None = None  # the sample of the batch it is about (from 0), where it is one sample's

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
    result: bool = False  # it states results of the step (a worksheet, which asks for them, leaves it out)


@dataclass
class Section:
    title: str
    phase: str  # header, step, forward, loss, backward, update, training
    level: int = 1
    items: list = field(default_factory=list)


SHADES = " ░▒▓█"  # from no ink to full


@dataclass(frozen=True)
class Picture:
    """A small greyscale picture (a data set's image): `ink` rows of 0 (background) … 1 (full),
    as the data set shows it; printed as shades in text, as filled squares in LaTeX."""

    ink: tuple[tuple[float, ...], ...]
    caption: str

    def lines(self) -> list[str]:
        """The picture in shade characters, two pixel rows to a line (a character is about twice
        as tall as it is wide, so the picture keeps its proportions)."""
        rows = [list(r) for r in self.ink]
        if len(rows) % 2:
            rows.append([0.0] * len(rows[0]))
        pairs = zip(rows[::2], rows[1::2])
        top = len(SHADES) - 1
        return ["".join(SHADES[round((a + b) / 2 * top)] for a, b in zip(u, v)) for u, v in pairs]


@dataclass(frozen=True)
class Bars:
    """Values from 0 to 1 as bars, one per name (the outputs as probabilities); `marks` says what
    a row is (index → "actual", "predicted", "predicted, actual")."""

    names: tuple[str, ...]
    symbols: tuple[Expr, ...]  # aⱼ⁽ᴸ⁾ of each row
    values: tuple[float, ...]
    digits: int
    marks: tuple[tuple[int, str], ...] = ()

    def length(self, i: int, width: int) -> int:
        """Row i's bar in whole characters (or other units) of a full bar `width` long."""
        return round(min(max(self.values[i], 0.0), 1.0) * width)

    def mark(self, i: int) -> str:
        return dict(self.marks).get(i, "")
