"""The equations a scene writes, taken from explain's document of the same Trace, so a video
shows exactly the formulas, numbers and digits that `explain` prints (and nothing is retyped)."""

from __future__ import annotations

from manim import BLACK, DOWN, LEFT, RIGHT, FadeOut, MathTex, Write

from visualizer.network.trace import Trace
from visualizer.render.explain import Options, build_document
from visualizer.render.explain.document import Equation
from visualizer.style import DEFAULT_DIGITS

FONT_SIZE = 34
# manim's frame is 14.2 × 8; a picture above a board of equations gets this much of it
PICTURE_WIDTH, PICTURE_HEIGHT = 12.0, 3.5
BOTTOM = -3.8  # equations end above this
FULL_WIDTH = 13.2  # a row of pictures across the frame


def equations(trace: Trace, phase: str, digits: int = DEFAULT_DIGITS) -> dict[str, Equation]:
    """The equations of `phase` (forward, loss, backward, update) of the first step, by their
    left-hand side as text (e.g. "z₁⁽¹⁾", "δ₁⁽²⁾", "∂E/∂w₁₁⁽²⁾"), at `digits` as explain
    --precision writes them. Of a batch, the first sample's (the one the video draws)."""
    found = {}
    for section in build_document(trace, Options(precision=digits, phase=phase)):
        for item in section.items:
            if isinstance(item, Equation):
                found.setdefault(item.lhs.text(item.digits), item)
    return found


def equation_tex(eq: Equation, width: float = 13.0, font_size: float = FONT_SIZE) -> MathTex:
    """One MathTex with a part per piece: lhs, =, form, =, form, …, result; scenes reveal them in
    turn. Wider than `width` on one line, each further '= form' goes on a line of its own under
    the first '=' (as a lecturer writes a long derivation); only then is it scaled down."""
    lhs, *forms = eq.parts("latex")
    parts = [lhs]
    for sign, form in zip(eq.signs("latex"), forms):
        parts += [sign, form]
    tex = MathTex(*parts, font_size=font_size, color=BLACK)
    if tex.width > width:
        _stack(tex)
    if tex.width > width:
        tex.scale_to_fit_width(width)
    return tex


def _stack(tex: MathTex) -> None:
    line = tex[0:3]
    for i in range(3, len(tex), 2):
        sign, form = tex[i], tex[i + 1]
        sign.next_to(line, DOWN, buff=0.3).align_to(tex[1], LEFT)
        # a fraction's centre is its bar, the math axis, which is where "=" sits too
        form.next_to(sign, RIGHT, buff=0.2)
        line = tex[i : i + 2]


def fit_above_equations(mob, title):
    """A picture under the title, as large as fits while leaving the lower part of the frame
    for three lines of equations (a Board)."""
    mob.scale(min(1.0, PICTURE_HEIGHT / mob.height, PICTURE_WIDTH / mob.width))
    return mob.next_to(title, DOWN, buff=0.6)  # room for numbers tagged above the top row


class Board:
    """The lower part of the frame, where a beat writes its equations one under another, left
    aligned; when the next one would run off the bottom, the board is wiped first."""

    def __init__(self, scene, below):
        self.scene, self.below, self.lines = scene, below, []

    def write(self, eq: Equation) -> MathTex:
        tex = equation_tex(eq)
        tex.next_to(self.lines[-1] if self.lines else self.below, DOWN, buff=0.35).to_edge(LEFT, buff=0.6)
        if self.lines and tex.get_bottom()[1] < BOTTOM:
            self.scene.play(*(FadeOut(line) for line in self.lines))
            self.lines = []
            tex.next_to(self.below, DOWN, buff=0.35).to_edge(LEFT, buff=0.6)
        reveal(self.scene, tex)
        self.lines.append(tex)
        return tex


def reveal(scene, tex: MathTex) -> None:
    """Write an equation piece by piece: the symbols, then each '= …' in turn (the numbers, the result)."""
    scene.play(Write(tex[0]), Write(tex[1]), Write(tex[2]))
    for i in range(3, len(tex), 2):
        scene.play(Write(tex[i]), Write(tex[i + 1]))
