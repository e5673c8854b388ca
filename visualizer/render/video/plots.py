"""Small plots a scene draws beside the network: the activation with the neuron's point on it,
what a 2-input network outputs over its input plane as it learns, and the loss curve's axes.

Every number is written at legend.TEXT_SIZE (MathTex at MATH_SIZE) unless the caller asks for
another `font_size`: legible in a hall when the scene scales the plot down to legend.min_scale()
(0.76) and no further; a scene that must shrink a plot more passes a larger font_size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DL, DOWN, DR, LEFT, RIGHT, UL, UP, UR, WHITE, Axes, DashedLine, Dot, Line, VGroup
from matplotlib.ticker import MaxNLocator

from visualizer.functions.activations import Activation
from visualizer.render.video.legend import MATH_SIZE, TEXT_COLOR, TEXT_SIZE, ClassKey, ColorBar, class_color, label
from visualizer.style import PHASE_COLORS, SIGNED_CMAP, format_display

AXIS_COLOR = TEXT_COLOR
READING_COLOR = "#222222"  # the point's values: darker and bolder than the ticks they stand among
TICK = 0.12  # length of a tick mark, units
CLEAR = 0.06  # units kept free around a label: off the curve, the guides, the other labels
CURVE_SAMPLES = 400  # points of the curve a label is kept off (0.014 units apart at 5.5 wide)


@dataclass
class ActivationPlot:
    axes: Axes
    curve: object
    names: VGroup  # the axis names, z and a
    point: Dot
    ticks: VGroup  # tick marks, then their numbers (tick_labels)
    guides: VGroup  # dashed: from (z, 0) up to the point, and from the point across to the a-axis
    readings: VGroup  # z's value at the z-axis end of its guide, f(z)'s at the a-axis end

    def next_to(self, *args, **kwargs):
        self.group().next_to(*args, **kwargs)
        return self

    def align_to(self, *args, **kwargs):
        self.group().align_to(*args, **kwargs)
        return self

    @property
    def tick_labels(self) -> VGroup:
        return self.ticks[1]

    def group(self) -> VGroup:
        return VGroup(self.axes, self.curve, self.names, self.ticks, self.guides, self.point, self.readings)


def activation_plot(
    f: Activation,
    z: float,
    a: float,
    width: float = 5.5,
    height: float = 2.4,
    font_size: float = TEXT_SIZE,
    digits: int = 3,
) -> ActivationPlot:
    """f over a range that shows its shape and the point (z, a = f(z)), with round ticks on both
    axes and dashed guides from the point to each axis, where its values are written (`digits`
    significant figures), so that a student can read the point off."""
    span = max(4.0, abs(z) * 1.25)
    zs = np.linspace(-span, span, CURVE_SAMPLES)
    sample = f.function(zs)
    low, high = min(0.0, float(sample.min())), max(1.0, float(sample.max()))
    margin = 0.15 * (high - low)
    axes = Axes(
        x_range=[-span, span, span / 2],
        y_range=[low - margin, high + margin, (high - low) / 2],
        x_length=width,
        y_length=height,
        tips=False,
        # the ticks are drawn at round values below: NumberLine's start at the range's end
        axis_config={"color": AXIS_COLOR, "include_ticks": False},
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
        label("z", font_size).next_to(axes.x_axis.get_right(), RIGHT, buff=0.15),
        label(f"a = {f.symbol}(z)", font_size).next_to(axes.y_axis.get_top(), RIGHT),
    )
    point = Dot(axes.c2p(z, a), color=PHASE_COLORS["loss"], radius=0.09)
    guides = VGroup(
        DashedLine(axes.c2p(z, 0), axes.c2p(z, a), color=PHASE_COLORS["loss"], stroke_width=3),
        DashedLine(axes.c2p(z, a), axes.c2p(0, a), color=PHASE_COLORS["loss"], stroke_width=3),
    )
    # each value on the far side of its axis from the point, off its guide; on a white ground, as
    # the curve may pass behind it
    readings = VGroup(
        _reading(format_display(z, digits), font_size).next_to(axes.c2p(z, 0), DOWN if a >= 0 else UP, buff=0.12),
        _reading(format_display(a, digits), font_size).next_to(axes.c2p(0, a), LEFT if z >= 0 else RIGHT, buff=0.12),
    )
    obstacles = np.vstack(
        [np.transpose(axes.c2p(zs, sample)), *(_along(line) for line in guides), *(_corners(r) for r in readings)]
    )
    ticks = _ticks(axes, (-span, span), (low, high), font_size, obstacles)
    return ActivationPlot(axes, curve, names, point, ticks, guides, readings)


def _reading(text: str, font_size: float):
    return label(text, font_size, color=READING_COLOR, weight="BOLD").add_background_rectangle(
        color=WHITE, opacity=0.85, buff=0.04
    )


def _along(line: Line, n: int = 40) -> np.ndarray:
    start, end = line.get_start(), line.get_end()
    return start + np.linspace(0, 1, n)[:, None] * (end - start)


def _corners(mob) -> np.ndarray:
    """A grid of points over mob's box: what another label must keep off."""
    (x0, y0, _), (x1, y1, _) = mob.get_corner(DL), mob.get_corner(UR)
    u, v = np.meshgrid(np.linspace(x0, x1, 8), np.linspace(y0, y1, 4))
    return np.stack([u.ravel(), v.ravel(), np.zeros(u.size)], axis=1)


def _clear(mob, points: np.ndarray) -> bool:
    """No point within CLEAR of mob's box."""
    (x0, y0, _), (x1, y1, _) = mob.get_corner(DL), mob.get_corner(UR)
    inside = (
        (points[:, 0] > x0 - CLEAR)
        & (points[:, 0] < x1 + CLEAR)
        & (points[:, 1] > y0 - CLEAR)
        & (points[:, 1] < y1 + CLEAR)
    )
    return not inside.any()


def _ticks(axes: Axes, x_span, y_span, font_size: float, obstacles: np.ndarray) -> VGroup:
    """Tick marks at a few round values of each axis and their numbers, each number on the first
    side of its tick that is clear of the curve, the guides and the readings, or left out where
    neither is (a reading stands on or next to that value). Zero is written once, at the origin."""
    x_values = [t for t in MaxNLocator(4, steps=[1, 2, 5, 10]).tick_values(*x_span) if x_span[0] <= t <= x_span[1]]
    y_values = [
        t for t in MaxNLocator(3, steps=[1, 2, 5, 10]).tick_values(*y_span) if y_span[0] - 1e-9 <= t <= y_span[1] + 1e-9
    ]
    marks, numbers = VGroup(), VGroup()
    places = [(axes.c2p(t, 0), UP * TICK / 2, t, (DOWN, UP)) for t in x_values if t != 0]
    places += [(axes.c2p(0, t), RIGHT * TICK / 2, t, (LEFT, RIGHT)) for t in y_values if t != 0]
    if 0 in x_values or 0 in y_values:
        places.append((axes.c2p(0, 0), None, 0.0, (DL, DR, UL, UR)))
    for anchor, half, value, sides in places:
        if half is not None:
            marks.add(Line(anchor - half, anchor + half, color=AXIS_COLOR, stroke_width=2))
        for side in sides:
            number = label(format_display(float(value)), font_size).next_to(anchor, side, buff=0.1)
            if _clear(number, obstacles):
                numbers.add(number)
                obstacles = np.vstack([obstacles, _corners(number)])
                break
    return VGroup(marks, numbers)


FIELD_PIXELS = 128  # per side: a class boundary's stairs under 4 px at 3.4 units, cheap for every snapshot
MIN_TINT = 0.3  # a decision region's colour where the network is least sure: still tells the class
CAPTION_SIZE = 22  # the field's caption holds no numbers: the smallest legible Text size, to stay narrow


@dataclass
class OutputField:
    """What a 2-input network outputs over the input plane, one image per snapshot, with the
    training samples as dots: for one output, its value on one colour scale shared by every
    snapshot (`key`: that scale's colour bar), dots coloured by their target; for a classifier, the
    decision regions, each point in its predicted class's colour, paler where the network is less
    sure (`key`: one swatch per class), dots in their true class's colour."""

    images: list  # ImageMobject per snapshot
    # border, axis names, caption and the key: a scene that shows the frame shows the key with it
    frame: VGroup
    samples: VGroup
    key: VGroup  # legend.ColorBar (one output) or legend.ClassKey (classes); frame[3]
    kind: str  # "output" or "classes"


def _sample_classes(trace) -> np.ndarray | None:
    """Each sample's class when the targets are classes (one-hot rows, or class indices, which
    output_target makes one-hot), else None (targets such as 0.01 and 0.99 are values to reach)."""
    y = trace.output_target
    if y.shape[1] < 2 or not (np.isin(y, (0.0, 1.0)).all() and (y.sum(axis=1) == 1).all()):
        return None
    return y.argmax(axis=1)


def field_kind(trace) -> str | None:
    """Which picture of the input plane a network gets: "output" (2 inputs, 1 output), "classes"
    (2 inputs, several outputs whose targets are classes) or None. None too for a network trained
    on one sample: whatever it learned, its plane shows a gradient that no sample asked for."""
    sizes = trace.network.sizes
    if sizes[0] != 2 or len(trace.input) < 2:
        return None
    if sizes[-1] == 1:
        return "output"
    return "classes" if _sample_classes(trace) is not None else None


def has_output_field(trace) -> bool:
    return field_kind(trace) is not None


def output_fields(trace, steps: list[int], predict, side: float = 3.4, font_size: float = TEXT_SIZE) -> OutputField:
    """The output over the input plane after each of `steps` (-1: before training), as
    `predict(trace, step, x)` gives it: the network's own forward pass (network.mlp.predict),
    which the scene passes in, since a renderer never runs the network itself."""
    from manim import BLACK, ImageMobject, Square
    from matplotlib.colors import to_hex

    kind = field_kind(trace)
    if kind is None:
        raise ValueError(f"{trace.network.name} gets no output field (has_output_field is False)")
    x = trace.input
    low, high = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    u = np.linspace(low[0], high[0], FIELD_PIXELS)
    v = np.linspace(high[1], low[1], FIELD_PIXELS)  # image rows run top to bottom
    grid = np.stack(np.meshgrid(u, v), axis=-1).reshape(-1, 2)
    outputs = [predict(trace, s, grid) for s in steps]
    if kind == "classes":
        pictures, colors, key, caption = _regions(trace, outputs, font_size)
    else:
        pictures, colors, key, caption = _continuous(trace, outputs, side, font_size)
    images = [
        ImageMobject((rgba.reshape(FIELD_PIXELS, FIELD_PIXELS, -1) * 255).astype(np.uint8))
        .stretch_to_fit_width(side)
        .stretch_to_fit_height(side)
        for rgba in pictures
    ]
    border = Square(side, color=AXIS_COLOR, stroke_width=2)
    names = VGroup(
        label("x₁", font_size).next_to(border, DOWN, buff=0.1),
        label("x₂", font_size).next_to(border, LEFT, buff=0.1),
    )
    key.next_to(names[0], DOWN, buff=0.2)
    caption.next_to(key, DOWN, buff=0.15)

    def place(point):
        return [
            (point[0] - low[0]) / (high[0] - low[0]) * side - side / 2,
            (point[1] - low[1]) / (high[1] - low[1]) * side - side / 2,
            0.0,
        ]

    # a white ring between the colour and a black edge: a dot stands out on its own colour too
    samples = VGroup(
        *(
            VGroup(
                Dot(place(p), radius=0.16, color=BLACK),
                Dot(place(p), radius=0.115, color=to_hex(c), stroke_color=WHITE, stroke_width=4),
            )
            for p, c in zip(x, colors)
        )
    )
    return OutputField(images, VGroup(border, names, caption, key), samples, key, kind)


def _continuous(trace, outputs, side: float, font_size: float):
    """The one output on the signed map, stretched over the range of every snapshot's outputs and
    the targets (one scale for the whole run, so a colour keeps its value as the field changes)."""
    from matplotlib import colormaps

    values = [o[:, 0] for o in outputs]
    targets = trace.output_target[:, 0]
    lo = min(float(t.min()) for t in values + [targets])
    hi = max(float(t.max()) for t in values + [targets])
    if lo < 0 < hi:  # signed outputs: white at 0, as everywhere else on the signed map
        lo, hi = -max(-lo, hi), max(-lo, hi)
    cmap = colormaps[SIGNED_CMAP]

    def shade(w):
        return cmap((w - lo) / (hi - lo or 1.0))

    name = "output"
    # the bar takes what the square's width leaves beside its name, less its numbers' overhang
    width = max(1.6, side - label(name, font_size).width - 0.8)
    key = ColorBar(lo, hi, name, width=width, font_size=font_size, signed=lo == -hi)
    caption = label("dots: the targets", CAPTION_SIZE)
    return [shade(w) for w in values], [shade(t) for t in targets], key, caption


def _regions(trace, outputs, font_size: float):
    """Each point in the colour of the class with the largest output, blended towards white as
    the largest probability falls towards chance (1/k), where the outputs are probabilities."""
    from matplotlib.colors import to_rgb

    k = trace.network.sizes[-1]
    palette = np.array([to_rgb(class_color(c)) for c in range(k)])
    # lightness only for a distribution (softmax): another output's largest value is no confidence
    probabilities = all((out >= 0).all() and np.allclose(out.sum(axis=1), 1.0) for out in outputs)
    pictures = []
    for out in outputs:
        rgb = palette[out.argmax(axis=1)]
        if probabilities:
            sure = (out.max(axis=1) - 1 / k) / (1 - 1 / k)
            tint = MIN_TINT + (1 - MIN_TINT) * np.clip(sure, 0.0, 1.0)
            rgb = 1 - tint[:, None] * (1 - rgb)
        pictures.append(np.concatenate([rgb, np.ones((len(rgb), 1))], axis=1))
    colors = palette[_sample_classes(trace)]
    key = ClassKey(k, font_size=font_size)
    lines = ["dots: the true class"] + (["paler: less sure"] if probabilities else [])
    caption = VGroup(*(label(line, CAPTION_SIZE) for line in lines)).arrange(DOWN, buff=0.08)
    return pictures, colors, key, caption


def loss_axes(history, width: float = 4.6, height: float = 3.6, font_size: float = TEXT_SIZE) -> Axes:
    """Axes for the loss curve with round ticks, labelled by the shared formatter; the numbers
    and the axis names are `axes.decorations` (numbers, names)."""
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
        label("0", font_size).next_to(axes.c2p(0, 0), DL, buff=0.1),  # both axes' zero, once
        *(label(format_display(t), font_size).next_to(axes.c2p(t, 0), DOWN, buff=0.15) for t in x_ticks[1:]),
        *(label(format_display(t), font_size).next_to(axes.c2p(0, t), LEFT, buff=0.15) for t in y_ticks[1:]),
    )
    # "step" under the numbers, centred, where it cannot meet the last one (at the axis' end)
    names = VGroup(
        label("step", font_size).next_to(numbers[1:], DOWN, buff=0.1).set_x(axes.x_axis.get_center()[0]),
        label("E", font_size).next_to(axes.y_axis.get_top(), UP, buff=0.25),  # clear of the top number
    )
    axes.decorations = VGroup(numbers, names)
    return axes


MAX_OUTPUTS = 4  # outputs compared in the loss beat; the loss formula covers the rest


def prediction_vs_target(
    trace, width: float = 7.0, font_size: float = TEXT_SIZE, math_size: float = MATH_SIZE
) -> VGroup:
    """Each output against its target on a number line: the prediction a (forward colour) above,
    the target y (loss colour) below, and the gap between them, which the loss measures."""
    from manim import Line, MathTex, NumberLine

    from visualizer.render.explain.notation import a_, y_
    from visualizer.style import format_number  # LaTeX keeps the ASCII minus

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
            f"{a_(last, i + 1).latex()} = {format_number(float(a[i]))}",
            font_size=math_size,
            color=PHASE_COLORS["forward"],
        ).next_to(shown, UP, buff=0.15)
        wanted_label = MathTex(
            f"{y_(i + 1).latex()} = {format_number(float(y[i]))}", font_size=math_size, color=PHASE_COLORS["loss"]
        ).next_to(wanted, DOWN, buff=0.15)
        # the range's ends beside the line, clear of the labels above and below it
        ticks = VGroup(
            label(format_display(low), font_size).next_to(line, LEFT, buff=0.2),
            label(format_display(high), font_size).next_to(line, RIGHT, buff=0.2),
        )
        rows.add(VGroup(line, ticks, gap, shown, wanted, shown_label, wanted_label))
    rows.arrange(DOWN, buff=0.25)
    # arrange() centres each row by its labels too, so a label sticking out past a line's end
    # (y₁ = 0.01 at the left end, mazur) shifted that row's line: the lines go one above another
    for row in rows[1:]:
        row.shift((rows[0][0].get_center()[0] - row[0].get_center()[0]) * RIGHT)
    return rows
