"""The equations a scene writes, taken from explain's document of the same Trace, so a video
shows exactly the formulas, numbers and digits that `explain` prints (and nothing is retyped)."""

from __future__ import annotations

from manim import BLACK, MathTex

from ..explain import Options, build_document
from ..explain.document import Equation
from ..explain.markdown import arrow_latex, equation_latex
from ..trace import Trace


def equations(trace: Trace, phase: str) -> dict[str, Equation]:
    """The equations of `phase` (forward, loss, backward, update) of the first step, by their
    left-hand side as text (e.g. "z₁⁽¹⁾", "δ₁⁽²⁾", "∂E/∂w₁₁⁽²⁾")."""
    found = {}
    for section in build_document(trace, Options(phase=phase)):
        for item in section.items:
            if isinstance(item, Equation):
                found.setdefault(item.lhs.text(item.digits), item)
    return found


def equation_tex(eq: Equation, font_size: float = 34) -> MathTex:
    """One MathTex with a part per piece: lhs, =, form, =, form, …, result; scenes reveal them in turn."""
    lhs, *forms = equation_latex(eq)
    parts = [lhs]
    for i, form in enumerate(forms):
        parts += [arrow_latex(eq) if i == 0 else "=", form]
    return MathTex(*parts, font_size=font_size, color=BLACK)
