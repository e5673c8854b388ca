"""A blank: an equation of explain's document with its numbers taken out, for a student to fill.

It keeps the line's left-hand side and, where the worksheet gives the formulas, its symbolic
forms; its result is a line to write on, followed by the key the answers file has for it:

    z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₁₂⁽¹⁾x₂ + b₁⁽¹⁾ = ________ [z1_1]

Being an Equation, it prints through explain's own Markdown and LaTeX renderers (long lines
broken as theirs are).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from visualizer.texify import latex_text

from ..explain.document import Equation

LINE_TEXT = "________"
LINE_LATEX = r"\underline{\qquad\qquad\qquad}"


@dataclass(frozen=True)
class Blank(Equation):
    key: str = ""  # what the student types in answers.toml

    def result_text(self, mode: str) -> str:
        if mode == "latex":
            # \mathtt, not \texttt: the Markdown's math is drawn by MathJax or KaTeX, whose text mode is poor
            return rf"{LINE_LATEX}\quad\mathtt{{{latex_text(self.key)}}}"
        return f"{LINE_TEXT} [{self.key}]"


def blank(equation: Equation, key: str, *, formulas: bool = True) -> Blank:
    """`equation` as a blank named `key`: its symbolic forms (none without `formulas`), no numbers."""
    kept = equation.forms[: equation.symbolic] if formulas else ()
    fields = {f.name: getattr(equation, f.name) for f in dataclasses.fields(Equation)}
    return Blank(**(fields | {"forms": kept, "symbolic": len(kept)}), key=key)
