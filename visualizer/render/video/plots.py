"""Small plots a scene draws beside the network: the activation with the neuron's point on it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, Text, VGroup

from visualizer.functions.activations import Activation
from visualizer.style import PHASE_COLORS

AXIS_COLOR = "#444444"


@dataclass
class ActivationPlot:
    axes: Axes
    curve: object
    names: VGroup  # the axis names, z and a
    point: Dot

    def next_to(self, *args, **kwargs):
        self.group().next_to(*args, **kwargs)
        return self

    def align_to(self, *args, **kwargs):
        self.group().align_to(*args, **kwargs)
        return self

    def group(self) -> VGroup:
        return VGroup(self.axes, self.curve, self.names, self.point)


def activation_plot(f: Activation, z: float, a: float, width: float = 5.5, height: float = 2.4) -> ActivationPlot:
    """f over a range that shows its shape and the point (z, a = f(z))."""
    span = max(4.0, abs(z) * 1.25)
    sample = f.function(np.linspace(-span, span, 201))
    low, high = min(0.0, float(sample.min())), max(1.0, float(sample.max()))
    margin = 0.15 * (high - low)
    axes = Axes(
        x_range=[-span, span, span / 2],
        y_range=[low - margin, high + margin, (high - low) / 2],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"color": AXIS_COLOR},
    )
    # at a kink, manim's smoothing overshoots (a wiggle that is not in f); at a jump (step), the
    # curve is cut there rather than drawn as a steep line
    jumps = [k for k in f.kinks if f.function(np.float64(k)) != f.function(np.float64(k) - 1e-9)]
    curve = axes.plot(
        lambda v: float(f.function(np.float64(v))),
        color=PHASE_COLORS["forward"],
        use_smoothing=not f.kinks,
        discontinuities=jumps or None,
        dt=1e-6,
    )
    names = VGroup(
        Text("z", font_size=20, color=AXIS_COLOR).next_to(axes.x_axis.get_right(), DOWN + RIGHT, buff=0.1),
        Text(f"a = {f.symbol}(z)", font_size=20, color=AXIS_COLOR).next_to(axes.y_axis.get_top(), RIGHT),
    )
    point = Dot(axes.c2p(z, a), color=PHASE_COLORS["loss"], radius=0.09)
    return ActivationPlot(axes, curve, names, point)


FIELD_PIXELS = 72  # per side: smooth enough once scaled, cheap to compute for every snapshot


@dataclass
class OutputField:
    """What a 2-input network outputs over the input plane, one image per snapshot, on a shared
    colour scale, with the training samples as dots coloured by their target."""

    images: list  # ImageMobject per snapshot
    frame: VGroup  # border, axis names
    samples: VGroup


def has_output_field(trace) -> bool:
    """A 2-input, 1-output network: its output over the input plane is a picture of what it
    learned (a decision boundary when it separates samples; a near-constant plane, honestly,
    when it was trained on one sample only)."""
    return trace.network.sizes[0] == 2 and trace.network.sizes[-1] == 1


def output_fields(trace, steps: list[int], predict, side: float = 3.4) -> OutputField:
    """The output over the input plane after each of `steps` (-1: before training), as
    `predict(trace, step, x)` gives it: the network's own forward pass (network.mlp.predict),
    which the scene passes in, since a renderer never runs the network itself."""
    from manim import BLACK, DOWN, LEFT, ImageMobject, Square
    from matplotlib import colormaps

    from visualizer.style import SIGNED_CMAP

    x = trace.input
    low, high = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    u = np.linspace(low[0], high[0], FIELD_PIXELS)
    v = np.linspace(high[1], low[1], FIELD_PIXELS)  # image rows run top to bottom
    grid = np.stack(np.meshgrid(u, v), axis=-1).reshape(-1, 2)
    outputs = [predict(trace, s, grid)[:, 0].reshape(FIELD_PIXELS, FIELD_PIXELS) for s in steps]
    lo = min(float(o.min()) for o in outputs + [trace.output_target[:, :1]])
    hi = max(float(o.max()) for o in outputs + [trace.output_target[:, :1]])
    cmap = colormaps[SIGNED_CMAP]

    def shade(values):
        return cmap((values - lo) / (hi - lo or 1.0))

    images = []
    for out in outputs:
        rgba = (shade(out) * 255).astype(np.uint8)
        images.append(ImageMobject(rgba).stretch_to_fit_width(side).stretch_to_fit_height(side))
    border = Square(side, color=AXIS_COLOR, stroke_width=2)
    names = VGroup(
        Text("x₁", font_size=22, color=AXIS_COLOR).next_to(border, DOWN, buff=0.1),
        Text("x₂", font_size=22, color=AXIS_COLOR).next_to(border, LEFT, buff=0.1),
    )
    names.add(
        Text("the output over the inputs; dots: the targets", font_size=18, color=AXIS_COLOR).next_to(
            names[0], DOWN, buff=0.1
        )
    )

    def place(point):
        return [
            (point[0] - low[0]) / (high[0] - low[0]) * side - side / 2,
            (point[1] - low[1]) / (high[1] - low[1]) * side - side / 2,
            0.0,
        ]

    from matplotlib.colors import to_hex

    samples = VGroup(
        *(
            Dot(place(p), radius=0.12, color=to_hex(shade(t)), stroke_color=BLACK, stroke_width=2)
            for p, t in zip(x, trace.output_target[:, 0])
        )
    )
    return OutputField(images, VGroup(border, names), samples)


def loss_axes(history, width: float = 4.6, height: float = 3.6) -> VGroup:
    """Axes for the loss curve with round ticks, labelled by the shared formatter."""
    from matplotlib.ticker import MaxNLocator

    from visualizer.style import format_number

    steps = len(history) - 1
    x_ticks = [t for t in MaxNLocator(4, integer=True).tick_values(0, steps) if 0 <= t <= steps]
    y_ticks = [t for t in MaxNLocator(4).tick_values(0, max(history)) if t >= 0]
    top = max(y_ticks[-1], max(history))
    axes = Axes(
        x_range=[0, steps, x_ticks[1] - x_ticks[0]],
        y_range=[0, top, y_ticks[1] - y_ticks[0]],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"color": AXIS_COLOR},
    )
    numbers = VGroup(
        *(
            Text(format_number(t), font_size=16, color=AXIS_COLOR).next_to(axes.c2p(t, 0), DOWN, buff=0.15)
            for t in x_ticks[1:]
        ),
        *(
            Text(format_number(t), font_size=16, color=AXIS_COLOR).next_to(axes.c2p(0, t), LEFT, buff=0.15)
            for t in y_ticks[1:]
            if t <= top
        ),
    )
    names = VGroup(
        Text("step", font_size=20, color=AXIS_COLOR).next_to(axes.x_axis.get_right(), DOWN, buff=0.35),
        Text("E", font_size=20, color=AXIS_COLOR).next_to(axes.y_axis.get_top(), UP, buff=0.1),
    )
    axes.decorations = VGroup(numbers, names)
    return axes


MAX_OUTPUTS = 4  # outputs compared in the loss beat; the loss formula covers the rest


def prediction_vs_target(trace, width: float = 7.0) -> VGroup:
    """Each output against its target on a number line: the prediction a (forward colour) above,
    the target y (loss colour) below, and the gap between them, which the loss measures."""
    from manim import Line, MathTex, NumberLine

    from visualizer.render.explain.notation import a_, y_
    from visualizer.style import format_number

    record = trace.steps[0]
    a, y = record.layers[-1].a[0], trace.target_of(record)[0]
    last = len(trace.network.sizes) - 1
    low = min(0.0, float(a.min()), float(y.min()))
    high = max(1.0, float(a.max()), float(y.max()))
    rows = VGroup()
    for i in range(min(len(a), MAX_OUTPUTS)):
        line = NumberLine(
            x_range=[low, high, (high - low) / 4],
            length=width,
            color=AXIS_COLOR,
            include_numbers=False,
            include_tip=False,
        )
        ends = [line.n2p(float(a[i])), line.n2p(float(y[i]))]
        gap = Line(*ends, color=PHASE_COLORS["loss"], stroke_width=8)
        shown = Dot(ends[0], radius=0.11, color=PHASE_COLORS["forward"])
        wanted = Dot(ends[1], radius=0.11, color=PHASE_COLORS["loss"])
        shown_label = MathTex(
            f"{a_(last, i + 1).latex()} = {format_number(float(a[i]))}", font_size=30, color=PHASE_COLORS["forward"]
        ).next_to(shown, UP, buff=0.15)
        wanted_label = MathTex(
            f"{y_(i + 1).latex()} = {format_number(float(y[i]))}", font_size=30, color=PHASE_COLORS["loss"]
        ).next_to(wanted, DOWN, buff=0.15)
        # the range's ends beside the line, clear of the labels above and below it
        ticks = VGroup(
            Text(format_number(low), font_size=18, color=AXIS_COLOR).next_to(line, LEFT, buff=0.2),
            Text(format_number(high), font_size=18, color=AXIS_COLOR).next_to(line, RIGHT, buff=0.2),
        )
        rows.add(VGroup(line, ticks, gap, shown, wanted, shown_label, wanted_label))
    rows.arrange(DOWN, buff=0.25)
    # arrange() centres each row by its labels too, so a label sticking out past a line's end
    # (y₁ = 0.01 at the left end, mazur) shifted that row's line: the lines go one above another
    for row in rows[1:]:
        row.shift((rows[0][0].get_center()[0] - row[0].get_center()[0]) * RIGHT)
    return rows
