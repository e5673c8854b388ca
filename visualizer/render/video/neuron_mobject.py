"""One neuron zoomed in, for the dot-product beat: its inputs with their values, the weights on
the wires, the bias, and the neuron itself, with dictionaries a scene can animate by input.
Numbers have the equations' digits (explain's default), so the picture and the formula agree."""

from __future__ import annotations

import numpy as np
from manim import (
    BLACK,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    Circle,
    Line,
    ManimColor,
    MathTex,
    Text,
    VGroup,
    interpolate_color,
)

from visualizer.network.trace import Trace
from visualizer.render.explain.notation import a_, b_, w_
from visualizer.render.layout import symmetric_limit
from visualizer.style import DEFAULT_DIGITS as DIGITS
from visualizer.style import PHASE_COLORS, format_display, format_number, pick, signed_color

from .frame import MIN_TEX_SIZE, MIN_TEXT_SIZE
from .network_mobject import NOTE_GREY

MAX_INPUTS = 5  # inputs drawn; more are shortened as everywhere else (the first ones, ⋮, the last)
SPAN, REACH = 3.4, 4.6  # height the inputs are spread over; distance from the inputs to the neuron
INPUT_RADIUS, NEURON_RADIUS = 0.5, 0.75  # the inputs' shrinks when they are close together


class NeuronCloseup(VGroup):
    """Neuron `j` (0-based) of layer `layer` (1-based) at step `step`, for sample 0."""

    def __init__(self, trace: Trace, layer: int = 1, j: int = 0, *, step: int = 0, digits: int = DIGITS, **kwargs):
        super().__init__(**kwargs)
        self.digits = digits
        record = trace.steps[step].layers[layer - 1]
        source = trace.input_of(trace.steps[step])[0] if layer == 1 else trace.steps[step].layers[layer - 2].a[0]
        shown = pick(len(source), MAX_INPUTS)
        gap = min(1.5, SPAN / max(1, len(shown) - 1))
        radius = min(INPUT_RADIUS, 0.42 * gap)
        self.neuron = Circle(radius=NEURON_RADIUS, color=BLACK, stroke_width=3, fill_color=WHITE, fill_opacity=1)
        self.neuron.move_to(RIGHT * REACH)
        limit = symmetric_limit(record.W[j])
        self.inputs: dict[int, VGroup] = {}  # circle and value
        self.edges: dict[int, Line] = {}
        self.weights: dict[int, Text] = {}
        self.ellipsis = None
        for row, k in enumerate(shown):
            y = ((len(shown) - 1) / 2 - row) * gap
            if k is None:
                self.ellipsis = Text(f"⋮ {len(source) - len(shown) + 1} more", font_size=18, color=NOTE_GREY)
                self.ellipsis.move_to(UP * y)
                continue
            circle = Circle(radius=radius, color=BLACK, stroke_width=2, fill_color=WHITE, fill_opacity=1)
            circle.move_to(UP * y)
            # a size that stays readable when the close-up is scaled down to fit (to 0.88)
            value = Text(format_display(source[k], digits), font_size=MIN_TEXT_SIZE + 3, color=BLACK).move_to(circle)
            name = MathTex(a_(layer - 1, k + 1).latex(digits), font_size=MIN_TEX_SIZE + 3, color=BLACK)
            name.next_to(circle, LEFT, buff=0.12)
            self.inputs[k] = VGroup(circle, value, name)
            w = float(record.W[j, k])
            start, end = circle.get_center(), self.neuron.get_center()
            along = (end - start) / np.linalg.norm(end - start)
            line = Line(
                start + radius * along,
                end - NEURON_RADIUS * along,
                stroke_width=2 + 4 * abs(w) / limit,
                color=signed_color(w, limit),
            )
            self.edges[k] = line
            # along the wire, above it, nearer the input end where the wires are still apart
            label = MathTex(
                f"{w_(layer, j + 1, k + 1).latex(digits)} = {format_number(w, digits)}",
                font_size=MIN_TEX_SIZE + 1,
                color=BLACK,
            ).rotate(line.get_angle())
            normal = np.array([-np.sin(line.get_angle()), np.cos(line.get_angle()), 0.0])
            label.move_to(line.point_from_proportion(0.4) + normal * (0.08 + label.height / 2))
            self.weights[k] = label
        bias = float(record.b[j])
        self.bias = MathTex(
            f"{b_(layer, j + 1).latex(digits)} = {format_number(bias, digits)}", font_size=MIN_TEX_SIZE + 2, color=BLACK
        )
        self.bias.next_to(self.neuron, DOWN, buff=0.15)
        self.add(*self.edges.values(), *self.inputs.values(), *self.weights.values(), self.neuron, self.bias)
        if self.ellipsis is not None:
            self.add(self.ellipsis)

    def label(self, value: float) -> Text:
        """A number inside the neuron (z, then a)."""
        text = Text(format_display(value, min(self.digits, 4), zeros=True), font_size=MIN_TEXT_SIZE + 1, color=BLACK)
        return text.move_to(self.neuron)

    def light_up(self):
        """The neuron fires: a light tint of the forward colour, light enough for its number."""
        tint = interpolate_color(ManimColor(WHITE), ManimColor(PHASE_COLORS["forward"]), 0.3)
        return self.neuron.animate.set_fill(tint, opacity=1)
