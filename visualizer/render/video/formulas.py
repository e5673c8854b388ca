"""The equations a scene writes, taken from explain's document of the same Trace, so a video
shows exactly the formulas, numbers and digits that `explain` prints (and nothing is retyped)."""

from __future__ import annotations

import numpy as np
from manim import BLACK, DOWN, LEFT, UP, FadeIn, FadeOut, LaggedStart, MathTex, Text, VGroup, Write

from visualizer.core.expr import Add, Mul, Style
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
    `segments[i]` are the indices of segment i's parts (its sign first); a form that is a sum
    or a product has a part per term or factor (`pieces[i]`); with `terms`, `terms[i]` lists the
    parts of each term of segment i's sum (a product is one term), for scenes that colour them."""

    segments: list[list[int]]
    pieces: dict[int, list[int]]
    terms: dict[int, list[list[int]]]

    def segment(self, i: int) -> VGroup:
        return VGroup(*(self[k] for k in self.segments[i]))

    @property
    def drawn_font_size(self) -> float:
        """The font size it is drawn at now. (manim's font_size is read off the height, which
        grows when the equation goes over several lines.)"""
        return self.base_font_size * self[0].width / self.base_lhs_width

    @property
    def result(self):
        return self[len(self) - 1]


def equation_tex(eq: Equation, width: float = 13.0, font_size: float = FONT_SIZE, terms: bool = False) -> EquationTex:
    """The equation with a part per piece; scenes reveal them in turn. Wider than `width`, it is
    written as a lecturer would: each '= form' on a line of its own under the first '=' (the
    result may stay at the end of the line before), and a sum or product still too wide goes on
    over further lines, term by term or factor by factor; only a single piece wider than `width`
    scales the whole down."""
    lhs, *forms = eq.parts("latex")
    exprs = [*eq.forms, None]  # the result is a number, never split
    style = Style("latex", eq.digits)
    parts, segments, pieces, split = [lhs], [], {}, {}
    for i, (sign, form, expr) in enumerate(zip(eq.signs("latex"), forms, exprs)):
        indices = [len(parts)]
        parts.append(sign)
        if isinstance(expr, (Add, Mul)):
            shown = expr.pieces(style)
            pieces[i] = list(range(len(parts), len(parts) + len(shown)))
            parts += shown
            # a sum's terms are coloured one by one; a product is a single term
            split[i] = [[k] for k in pieces[i]] if isinstance(expr, Add) else [pieces[i]]
        else:
            if expr is not None:
                split[i] = [[len(parts)]]
            parts.append(form)
        indices += list(range(indices[0] + 1, len(parts)))
        segments.append(indices)
    tex = EquationTex(*parts, font_size=font_size, color=BLACK)
    tex.segments, tex.pieces, tex.terms = segments, pieces, (split if terms else {})
    tex.base_font_size, tex.base_lhs_width = font_size, tex[0].width
    if tex.width > width:
        _wrap(tex, width)
    if tex.width > width:
        tex.scale_to_fit_width(width)
    return tex


def _wrap(tex: EquationTex, width: float) -> None:
    """Every '= form' starts a line under the first '=' (the last, the result, stays on the line
    before if it fits there); a piece of a sum or product that would pass `width` starts a line
    a little further in. What follows on a line moves with its start, so baselines stay aligned."""
    units = []  # (part indices, starts a segment)
    for i, indices in enumerate(tex.segments):
        later = tex.pieces.get(i, [])[1:]
        units.append(([k for k in indices if k not in later], True))
        units += [([k], False) for k in later]
    units[0] = ([0, *units[0][0]], True)
    left = tex.get_left()[0]
    first_sign = tex[tex.segments[0][0]]
    anchor, indent = first_sign.get_left()[0], first_sign.get_right()[0] + 0.3
    result = len(units) - 1
    moved = np.zeros(3)  # how far the current line has moved from the one-line layout
    for n in range(1, len(units)):
        indices, starts = units[n]
        group = VGroup(*(tex[k] for k in indices)).shift(moved)
        too_wide = group.get_right()[0] - left > width
        if (starts and n != result) or too_wide:
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
            staying = [line for line in self.lines if line not in leaving]
            # what stays moves up to the top of the board, not just by the overflow
            lift = max(overflow, self.top - staying[0].get_top()[1]) if staying else overflow
            moves = [line.animate.shift(UP * lift) for line in staying]
            moves += [FadeOut(line, shift=UP * lift) for line in leaving]
            if moves:
                self.scene.play(*moves, run_time=0.8)
            self.lines = staying
            mob.shift(UP * lift)
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
            for n, term in enumerate(tex.terms[i]):
                group = VGroup(*(tex[k] for k in term))
                scene.play(Write(group), *on_term(i, n, group))
        else:
            scene.play(*(Write(m) for m in first), *(Write(tex[k]) for k in indices))


def fit_picture(mob, width: float, height: float, most: float = 1.0):
    """A picture scaled to fit width × height, enlarged at most `most` times."""
    return mob.scale(min(most, width / mob.width, height / mob.height))


def drawn_size(mob) -> float:
    """The font size a Text or MathTex is drawn at now."""
    return mob.drawn_font_size if isinstance(mob, EquationTex) else mob.font_size


def readable(mob) -> bool:
    """Every Text and MathTex in `mob` big enough to read (for tests and asserts)."""
    for part in mob.get_family():
        if isinstance(part, MathTex) and drawn_size(part) < MIN_TEX_SIZE - 0.5:
            return False
        if isinstance(part, Text) and part.font_size < MIN_TEXT_SIZE - 0.5:
            return False
    return True
