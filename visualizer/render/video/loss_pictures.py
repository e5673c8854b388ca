"""What the loss beat draws, per loss, from its definition: a regression loss measures gaps
between predictions and targets (plots.prediction_vs_target draws them on number lines); a
cross-entropy measures how little probability the softmax gave the true class (drawn here as
the outputs' probabilities as bars, the true class's marked with −log a)."""

from __future__ import annotations

from manim import BLACK, DOWN, LEFT, UP, Line, MathTex, Rectangle, Text, VGroup

from visualizer.render.explain.notation import a_
from visualizer.style import PHASE_COLORS, format_display

from .frame import MIN_TEX_SIZE, MIN_TEXT_SIZE

CATEGORICAL = ("cross_entropy", "sparse_cross_entropy")  # losses of a softmax over classes
MAX_BARS = 10
AXIS_GREY = "#444444"


def draws_probabilities(trace) -> bool:
    return trace.network.loss in CATEGORICAL


def probability_bars(trace, digits: int, height: float = 1.6, bar: float = 1.2, sample: int = 0) -> VGroup:
    """Sample `sample`'s softmax outputs a₁ … a_K as bars over a 0–1 scale, each with its value;
    the true class's bar in the loss colour, with −log a under it: the loss is how far that bar
    falls short of 1."""
    record = trace.steps[0]
    a = record.layers[-1].a[sample]
    y = trace.output_target[sample]
    last = len(trace.network.sizes) - 1
    bars = VGroup()
    for k in range(min(len(a), MAX_BARS)):
        true = y[k] == 1
        colour = PHASE_COLORS["loss"] if true else PHASE_COLORS["forward"]
        rect = Rectangle(width=bar, height=max(0.02, height * float(a[k])), stroke_width=0)
        rect.set_fill(colour, opacity=0.85 if true else 0.45)
        rect.move_to([k * (bar + 0.5), 0, 0], aligned_edge=DOWN)
        value = Text(format_display(float(a[k]), digits, zeros=True), font_size=MIN_TEXT_SIZE + 1, color=BLACK)
        value.next_to(rect, UP, buff=0.1)
        name = MathTex(a_(last, k + 1).latex(), font_size=MIN_TEX_SIZE + 3, color=BLACK).next_to(
            [rect.get_center()[0], 0, 0], DOWN, buff=0.15
        )
        column = VGroup(rect, value, name)
        if true:
            mark = MathTex(rf"-\log {a_(last, k + 1).latex()}", font_size=MIN_TEX_SIZE + 3, color=PHASE_COLORS["loss"])
            column.add(mark.next_to(name, DOWN, buff=0.15))
        bars.add(column)
    base = Line(bars.get_left() + [-0.2, 0, 0], bars.get_right() + [0.2, 0, 0], color=AXIS_GREY)
    base.set_y(bars[0][0].get_bottom()[1])
    # the top of the scale: a bar that reached it would cost nothing
    one = Line(base.get_start(), base.get_end(), color=AXIS_GREY, stroke_width=1.5).shift(UP * height)
    one_label = Text("1", font_size=MIN_TEXT_SIZE + 1, color=AXIS_GREY).next_to(one, LEFT, buff=0.15)
    return VGroup(bars, base, one, one_label)
