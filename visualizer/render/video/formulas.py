"""The equations a scene writes, taken from explain's document of the same Trace, so a video
shows exactly the formulas, numbers and digits that `explain` prints (and nothing is retyped)."""

from __future__ import annotations

import numpy as np
from manim import BLACK, DOWN, LEFT, UP, FadeIn, FadeOut, LaggedStart, MathTex, Text, VGroup, Write

from visualizer.core.expr import Add, Style
from visualizer.network.trace import Trace
from visualizer.render.explain import Options, build_document
from visualizer.render.explain.document import Equation
from visualizer.style import DEFAULT_DIGITS

from .frame import MIN_TEX_SIZE, MIN_TEXT_SIZE, SAFE_X, SAFE_Y

FONT_SIZE = 34  # digits 33 px tall at 1080p
LINE_GAP = 0.22  # between the lines of one equation
EQUATION_GAP = 0.4  # between equations
NOTE_COLOR = "#444444"


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


class EquationTex(MathTex):
    """An equation as one MathTex: lhs, then segments "= form" (an update's first is "←").
    `segments[i]` are the indices of segment i's parts (its sign first); a sum written with
    `terms` has a part per term, listed in `terms[i]` for segment i."""

    segments: list[list[int]]
    terms: dict[int, list[int]]

    def segment(self, i: int) -> VGroup:
        return VGroup(*(self[k] for k in self.segments[i]))

    @property
    def result(self):
        return self[len(self) - 1]


def equation_tex(eq: Equation, width: float = 13.0, font_size: float = FONT_SIZE, terms: bool = False) -> EquationTex:
    """The equation with a part per piece (a sum: a part per term); scenes reveal them in turn.
    Wider than `width`, it is written as a lecturer would: an '= form' that does not fit on the
    line goes on a line of its own under the first '=', and a sum that does not fit goes on
    over further lines, term by term; only a single term wider than `width` scales it down.
    `terms`: list each sum's term parts in `tex.terms`, for scenes that colour them."""
    lhs, *forms = eq.parts("latex")
    exprs = [*eq.forms, None]  # the result is a number, never split
    parts, segments, split = [lhs], [], {}
    for i, (sign, form, expr) in enumerate(zip(eq.signs("latex"), forms, exprs)):
        indices = [len(parts)]
        parts.append(sign)
        if isinstance(expr, Add):
            pieces = expr.pieces(Style("latex", eq.digits))
            split[i] = list(range(len(parts), len(parts) + len(pieces)))
            parts += pieces
        else:
            parts.append(form)
        indices += list(range(indices[0] + 1, len(parts)))
        segments.append(indices)
    tex = EquationTex(*parts, font_size=font_size, color=BLACK)
    tex.segments, tex.terms = segments, (split if terms else {})
    if tex.width > width:
        _wrap(tex, width, split)
    if tex.width > width:
        tex.scale_to_fit_width(width)
    return tex


def _wrap(tex: EquationTex, width: float, split: dict[int, list[int]]) -> None:
    """Fill lines greedily, unit by unit: a unit is a segment's sign with its form's first term,
    or a further term of a sum. A unit that would pass `width` starts a new line (a segment under
    the first sign, a term a little further in); what follows on that line moves with it, so
    baselines stay aligned."""
    units = []  # (part indices, starts a segment)
    for i, indices in enumerate(tex.segments):
        later = split.get(i, [])[1:]
        units.append(([k for k in indices if k not in later], True))
        units += [([k], False) for k in later]
    units[0] = ([0, *units[0][0]], True)
    left = tex.get_left()[0]
    anchor = tex[tex.segments[0][0]].get_left()[0]  # the first '='
    indent = anchor + tex[tex.segments[0][0]].width + 0.25
    moved = np.zeros(3)  # how far the current line has moved from the one-line layout
    for n in range(1, len(units)):
        indices, starts = units[n]
        group = VGroup(*(tex[k] for k in indices)).shift(moved)
        if group.get_right()[0] - left > width:
            above = VGroup(*(tex[k] for unit in units[:n] for k in unit[0]))
            x = anchor if starts else indent
            extra = np.array([x - group.get_left()[0], above.get_bottom()[1] - LINE_GAP - group.get_top()[1], 0])
            group.shift(extra)
            moved += extra


class Board:
    """A column of equations, written one under another, left aligned, between `top` and the
    bottom of the title-safe area. When the next would run off the bottom, the column scrolls
    up (the lines leaving the top fade); `clear` empties it between chains, never mid-chain."""

    def __init__(self, scene, left: float, top: float, right: float = SAFE_X, bottom: float = -SAFE_Y):
        self.scene, self.left, self.top, self.right, self.bottom = scene, left, top, right, bottom
        self.lines: list = []

    @property
    def width(self) -> float:
        return self.right - self.left

    def place(self, mob):
        """`mob` where the next line goes; the board scrolls first if it would not fit."""
        if mob.width > self.width:
            mob.scale_to_fit_width(self.width)
        if self.lines:
            mob.next_to(self.lines[-1], DOWN, buff=EQUATION_GAP)
        else:
            mob.move_to([0, self.top, 0], aligned_edge=UP)
        mob.align_to([self.left, 0, 0], LEFT)
        overflow = self.bottom - mob.get_bottom()[1]
        if overflow > 0:
            leaving = [line for line in self.lines if line.get_top()[1] + overflow > self.top + 1e-6]
            moves = [line.animate.shift(UP * overflow) for line in self.lines if line not in leaving]
            moves += [FadeOut(line, shift=UP * overflow) for line in leaving]
            if moves:
                self.scene.play(*moves, run_time=0.8)
            self.lines = [line for line in self.lines if line not in leaving]
            mob.shift(UP * overflow)
        self.lines.append(mob)
        return mob

    def write(self, eq: Equation, *, terms: bool = False, on_term=None) -> EquationTex:
        """Write `eq` piece by piece; `on_term(segment, term)` gives animations to play while a
        term of a sum is written (lighting its factors on the network)."""
        tex = equation_tex(eq, width=self.width, terms=terms)
        self.place(tex)
        reveal(self.scene, tex, on_term)
        return tex

    def results(self, pairs: list[tuple[str, str]], columns: int = 2) -> VGroup:
        """Results without their working (lhs and value, LaTeX), in columns: a layer's other
        gradients, each the formula just derived applied to other numbers."""
        cells = [MathTex(f"{lhs} = {value}", font_size=FONT_SIZE, color=BLACK) for lhs, value in pairs]
        columns = max(1, min(columns, len(cells)))
        while columns > 1 and sum(max(c.width for c in cells[i::columns]) for i in range(columns)) > self.width:
            columns -= 1
        grid = VGroup(*cells).arrange_in_grid(cols=columns, buff=(0.5, 0.3), col_alignments="l" * columns)
        self.place(grid)
        self.scene.play(LaggedStart(*(FadeIn(c) for c in cells), lag_ratio=0.15))
        return grid

    def note(self, text: str, color=NOTE_COLOR) -> Text:
        """A line of words on the board (e.g. "sample 1 of 3"), faded in."""
        line = Text(text, font_size=MIN_TEXT_SIZE + 3, color=color)
        if line.width > self.width:
            line.scale_to_fit_width(self.width)
        self.place(line)
        self.scene.play(FadeIn(line))
        return line

    def clear(self) -> list:
        """Animations that empty the board (play them with the next picture)."""
        leaving, self.lines = self.lines, []
        return [FadeOut(line) for line in leaving]


def reveal(scene, tex: EquationTex, on_term=None) -> None:
    """Write an equation piece by piece: the symbols, then each '= …' in turn (the numbers, the
    result); a sum split into terms is written term by term, each with `on_term`'s animations."""
    for i, indices in enumerate(tex.segments):
        first = [tex[0]] if i == 0 else []
        if i in tex.terms and on_term is not None:
            scene.play(*(Write(m) for m in first), Write(tex[indices[0]]))
            for n, k in enumerate(tex.terms[i]):
                scene.play(Write(tex[k]), *on_term(i, n, tex[k]))
        else:
            scene.play(*(Write(m) for m in first), *(Write(tex[k]) for k in indices))


def fit_picture(mob, width: float, height: float, most: float = 1.0):
    """A picture scaled to fit width × height, enlarged at most `most` times."""
    return mob.scale(min(most, width / mob.width, height / mob.height))


def readable(mob) -> bool:
    """Every Text and MathTex in `mob` big enough to read (for tests and asserts)."""
    for part in mob.get_family():
        if isinstance(part, MathTex) and part.font_size < MIN_TEX_SIZE - 0.5:
            return False
        if isinstance(part, Text) and part.font_size < MIN_TEXT_SIZE - 0.5:
            return False
    return True
