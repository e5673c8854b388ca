"""The picture beat: a data set's image through the network, the lecture's opening picture (as
3Blue1Brown draws it): the image, its rows of pixels laid end to end into the input column, the
hidden neurons lighting up with their activations, the outputs as probability bars named after
their classes, and the network's answer against the label.

Shown only when the Trace's input is a picture (`--data NAME --sample N` of an image set).
Every number is the Trace's: the pixels as stored, x, each hidden a, each output a; the answer
is the largest output (argmax), never recomputed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from manim import (
    BLACK,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Circle,
    Create,
    FadeIn,
    GrowFromEdge,
    LaggedStart,
    Line,
    MathTex,
    Rectangle,
    ShowPassingFlash,
    SurroundingRectangle,
    Text,
    Transform,
    VGroup,
    Write,
)

from visualizer.render.explain.notation import x_
from visualizer.style import PHASE_COLORS, VERDICT_COLORS, format_display, pick, signed_color

from .beat import HOLD, Beat
from .frame import MIN_TEX_SIZE, MIN_TEXT_SIZE, SAFE_X, SAFE_Y
from .network_mobject import NOTE_GREY, number_text, tag
from .picture import greys, has_picture, merged, pixel_grid, strip, thumbnail
from .scales import activation_limit

SHOWN = 16  # neurons of a layer drawn with their number (a wider layer: the first 15, ⋮, the last)
WIRE_GREY = "#BBBBBB"  # the wiring: its shape only (this beat is about the activations)
RADIUS = 0.16
BAR = 2.3  # a probability of 1, in frame units (less where the frame ends sooner)
LABEL_SIZE = MIN_TEXT_SIZE + 3
SUBSCRIPT_SIZE = MIN_TEX_SIZE + 15  # x₄₀₃: a subscript's digits are 0.7 of the size, and must be readable too
MARK = PHASE_COLORS["loss"]  # the pixel followed from the picture into the column


@dataclass
class Parts:
    """The beat's mobjects, placed where they are finally shown."""

    grid: VGroup  # the picture, one square per pixel (rows of squares), large
    page: Rectangle  # black behind it: no light seams between its squares
    facts: VGroup  # what the picture is, beside it
    pixel: tuple  # (row, column) of the pixel followed into the column
    small: VGroup  # the picture's place once flattened: a thumbnail at the left
    column: VGroup  # the pixels as the input column (rows of rectangles)
    follow: VGroup  # the followed pixel's x, beside the column
    wires: VGroup  # inputs to the first hidden layer, then layer to layer
    layers: list  # per hidden or output layer: {"circles", "numbers"} (numbers: hidden layers only)
    labels: VGroup  # under each column: how many values it holds
    names: VGroup  # the outputs' class names
    bars: VGroup  # the outputs' probabilities, with their values
    verdict: VGroup  # predicted against actual
    box: VGroup  # round the predicted output (and the actual, if another)


def refuse_without_picture(trace) -> None:
    """The beat needs a picture; without one, one line and exit 2 (as the scenes' entry point)."""
    if not has_picture(trace):
        print("backprop scenes: error: " + NEEDS_PICTURE, file=sys.stderr)
        raise SystemExit(2)


NEEDS_PICTURE = (
    "the image beat shows a data set's picture going through the network; give a sample of an image set: "
    "--data fashion-mnist --sample N (with --net a model trained on it, or 784-16-10)"
)


def followed_pixel(g: np.ndarray) -> tuple[int, int]:
    """The pixel whose journey is shown: the brightest of the middle row (of the picture, if the
    middle row is black), so it is visibly ink and not the black page."""
    i = g.shape[0] // 2
    if g[i].max() > 0:
        return i, int(np.argmax(g[i]))
    i, k = np.unravel_index(int(np.argmax(g)), g.shape)
    return int(i), int(k)


def build(trace, digits: int) -> Parts:
    sample, net = trace.sample, trace.network
    sizes, record = net.sizes, trace.steps[0]
    h, w = sample.image_shape
    top, bottom = SAFE_Y - 0.85, -SAFE_Y + 0.75  # under the title; over the columns' labels

    # right of where the input column will be, so its rows can fly left into it
    grid = pixel_grid(trace, 5.2).move_to([0.3, (top + bottom) / 2, 0])
    page = Rectangle(width=grid.width, height=grid.height, stroke_width=0, fill_color=BLACK, fill_opacity=1)
    page.move_to(grid)
    g = greys(trace)
    i, k = followed_pixel(g)
    raw = float(np.asarray(sample.raw).reshape(h, w)[i, k])
    lines = (f"test sample {sample.index}", f"of {sample.data}", f"{h} × {w} = {h * w} pixels")
    facts = VGroup(*(Text(line, font_size=30, color=BLACK) for line in lines))
    facts.add(Text(f"this pixel: {format_display(raw)}", font_size=30, color=MARK))
    facts.arrange(direction=DOWN, aligned_edge=LEFT, buff=0.3)
    facts.next_to(grid, RIGHT, buff=0.5).align_to(grid, UP)
    facts.scale(min(1.0, (SAFE_X - facts.get_left()[0]) / facts.width), about_edge=LEFT)
    facts.add(_mark(grid[i][k]))

    small = thumbnail(trace, 2.0).move_to([-SAFE_X + 1.05, (top + bottom) / 2, 0])
    column = strip(trace, top - bottom, 0.3).move_to([-3.85, (top + bottom) / 2, 0])
    n = i * w + k  # row by row: the rows laid end to end
    x = float(trace.input[0, n])
    how = (net.input_scaling or {}).get("how")
    card = VGroup(MathTex(f"{x_(n + 1).latex()} = {format_display(x, digits)}", font_size=SUBSCRIPT_SIZE, color=MARK))
    card.add(Text(f"pixel {format_display(raw)}" + (f", {how}" if how else ""), font_size=LABEL_SIZE, color=MARK))
    card.arrange(direction=DOWN, aligned_edge=LEFT, buff=0.2)
    cell = column[i][k]
    card.next_to(cell, RIGHT, buff=0.45)
    card.set_y(min(max(cell.get_y(), bottom + card.height / 2), top - card.height / 2))
    follow = VGroup(_mark(cell, width=0.5), Line(cell.get_right(), card.get_left(), color=MARK, stroke_width=3), card)

    # the columns: hidden layers between the input column and the outputs, the outputs before their bars
    last = len(sizes) - 1
    xs = np.linspace(-0.75, 1.3, last) if last > 1 else np.array([1.3])
    layers, wires = [], VGroup()
    sources = [column.get_right() + UP * y for y in np.linspace(column.height / 2, -column.height / 2, 12)]
    for layer in range(1, last + 1):
        shown = pick(sizes[layer], SHOWN if layer < last else 10)
        gap = min(0.37, (top - bottom) / max(1, len(shown) - 1)) if layer < last else 0.5
        ys = [(len(shown) - 1) / 2 * gap - r * gap + (top + bottom) / 2 for r in range(len(shown))]
        if layer == last:  # the outputs sit high: the verdict goes under them
            ys = [y + (top - ys[0]) for y in ys]
        limit = activation_limit(trace, layer)
        a = record.layers[layer - 1].a[0]
        circles, numbers, ellipsis = {}, {}, VGroup()
        for j, y in zip(shown, ys):
            if j is None:
                ellipsis.add(Text(f"⋮ {sizes[layer] - len(shown) + 1} more", font_size=MIN_TEXT_SIZE, color=NOTE_GREY))
                ellipsis[-1].move_to([xs[layer - 1], y, 0])
                continue
            circle = Circle(radius=RADIUS, color=BLACK, stroke_width=2, fill_color=signed_color(a[j], limit))
            circles[j] = circle.set_fill(opacity=0).move_to([xs[layer - 1], y, 0])
            if layer < last:
                text = tag(number_text(float(a[j]), digits))
                numbers[j] = text.next_to(circle, LEFT, buff=0.08)
        for circle in circles.values():
            for start in sources:
                wires.add(Line(start, circle.get_left(), stroke_width=1, color=WIRE_GREY))
        sources = [c.get_right() for c in circles.values()]
        layers.append({"circles": circles, "numbers": numbers, "ellipsis": ellipsis, "a": a, "limit": limit})

    labels = VGroup(Text(f"{h * w} inputs", font_size=LABEL_SIZE, color=NOTE_GREY).next_to(column, DOWN))
    for layer, info in enumerate(layers[:-1], start=1):
        x_col = next(iter(info["circles"].values())).get_x()
        labels.add(Text(f"{sizes[layer]} hidden", font_size=LABEL_SIZE, color=NOTE_GREY).move_to([x_col, 0, 0]))
        labels[-1].align_to(labels[0], UP)
    outputs = layers[-1]
    names, bars = VGroup(), VGroup()
    classes = trace.class_names
    for j, circle in outputs["circles"].items():
        name = Text(classes[j], font_size=LABEL_SIZE, color=BLACK).next_to(circle, RIGHT, buff=0.3)
        names.add(name)
    start = names.get_right()[0] + 0.3
    widest = max(number_text(float(outputs["a"][j]), digits).width for j in outputs["circles"])
    bar = min(BAR, SAFE_X - 0.25 - start - widest)  # a full bar and its value end inside the frame
    for j, circle in outputs["circles"].items():
        value = float(outputs["a"][j])
        rect = Rectangle(width=max(0.02, bar * min(1.0, max(0.0, value))), height=0.34, stroke_width=0)
        rect.set_fill(PHASE_COLORS["forward"], opacity=0.7).move_to([start, circle.get_y(), 0], aligned_edge=LEFT)
        text = number_text(value, digits).next_to(rect, RIGHT, buff=0.12)
        bars.add(VGroup(rect, text))
    out_label = Text(f"{sizes[-1]} outputs", font_size=LABEL_SIZE, color=NOTE_GREY)
    labels.add(out_label.next_to(VGroup(*outputs["circles"].values()), DOWN, buff=0.3))

    predicted = int(trace.predicted(record)[0])  # the answer, as the Trace's outputs give it
    actual = sample.label
    verdict = VGroup(Text(f"predicted: {classes[predicted]} ({_percent(outputs['a'][predicted])})", font_size=30))
    box = VGroup()
    rows = {j: VGroup(outputs["circles"][j], names[r], bars[r]) for r, j in enumerate(outputs["circles"])}
    if predicted in rows:
        box.add(SurroundingRectangle(rows[predicted], color=PHASE_COLORS["forward"], buff=0.08, stroke_width=4))
    if actual is not None:
        right = actual == predicted
        sign = "✓" if right else "✗"
        verdict.add(Text(f"actual: {classes[actual]} {sign}", font_size=30))
        verdict[-1].set_color(VERDICT_COLORS["ok" if right else "bad"])
        if not right and actual in rows:
            box.add(SurroundingRectangle(rows[actual], color=VERDICT_COLORS["bad"], buff=0.08, stroke_width=4))
    verdict[0].set_color(PHASE_COLORS["forward"])
    verdict.arrange(direction=DOWN, aligned_edge=LEFT, buff=0.25)
    verdict.next_to(out_label, DOWN, buff=0.35).align_to(outputs["circles"][shown[0]], LEFT)
    return Parts(grid, page, facts, (i, k), small, column, follow, wires, layers, labels, names, bars, verdict, box)


def _percent(value: float) -> str:
    return f"{format_display(100 * float(value), 3, zeros=True)} %"


def _mark(cell, width: float = 0.0) -> Rectangle:
    """A ring round a pixel, so the eye can follow it."""
    side = max(cell.width, 0.12)
    return Rectangle(
        width=max(side, width) + 0.1, height=max(cell.height, 0.12) + 0.1, color=MARK, stroke_width=4
    ).move_to(cell)


class PictureBeat(Beat):
    """The picture, flattened into the input column, through the hidden layer to the outputs'
    probabilities, and the answer against the label."""

    def construct(self):
        trace = self.trace
        refuse_without_picture(trace)
        parts = build(trace, self.net_digits)
        title = self.title()
        sample, sizes = trace.sample, trace.network.sizes
        h, w = sample.image_shape
        self.step(
            f"A picture the network has not seen in training: test sample {sample.index} of {sample.data}, "
            f"{h} × {w} = {h * w} pixels. To the network each pixel is only a number, its brightness.",
            [t.original_text for t in parts.facts if isinstance(t, Text)],
        )
        self.enter(Write(title), FadeIn(parts.page), FadeIn(parts.grid), run_time=1.5)
        self.play(FadeIn(parts.facts))
        self.hold()
        i, k = parts.pixel
        n = i * w + k
        how = (trace.network.input_scaling or {}).get("how")
        self.step(
            f"The network takes a column of numbers, not a picture: the rows of pixels, laid end to end, are its "
            f"{h * w} inputs x₁ … x{_sub(h * w)}" + (f", scaled as in training ({how})." if how else "."),
            [f"{x_(n + 1).text()} = {format_display(float(trace.input[0, n]), self.net_digits)}"],
        )
        self.play(*(m.animate.set_opacity(0) for m in [*parts.facts, parts.page]), run_time=0.5)
        self.remove(*parts.facts, parts.page)
        # row by row, top first, the picture's rows fly into the column, end to end
        self.play(
            LaggedStart(*(Transform(parts.grid[r], parts.column[r]) for r in range(h)), lag_ratio=0.15), run_time=3.5
        )
        # the pixels as a few shapes from now on: the same picture, far less for manim to redraw
        self.remove(parts.grid)
        self.add(_merged_column(trace, parts.column))
        self.play(
            FadeIn(parts.small),
            FadeIn(parts.labels[0]),
            Create(parts.follow[0]),
            Create(parts.follow[1]),
            FadeIn(parts.follow[2]),
        )
        self.hold()
        hidden, outputs = parts.layers[:-1], parts.layers[-1]
        a_text = [format_display(float(v), self.net_digits, zeros=True) for info in hidden for v in info["a"]]
        self.step(
            f"Each of the {sizes[1]} hidden neurons weighs all {h * w} inputs and lights up with its activation a: "
            "the darker, the larger.",
            [f"a⁽¹⁾ = ({', '.join(a_text[: sizes[1]])})"],
        )
        self.play(
            *(m.animate.set_opacity(0) for m in parts.follow),
            Create(parts.wires, lag_ratio=0.002),
            *(Create(c) for info in parts.layers for c in info["circles"].values()),
            *(FadeIn(info["ellipsis"]) for info in parts.layers),
            FadeIn(parts.labels[1:]),
            FadeIn(parts.names),
            run_time=2,
        )
        self.remove(*parts.follow)
        for layer, info in enumerate(hidden, start=1):
            self.play(self._flow(parts, layer), run_time=1.2)
            self.play(*self._light(info, numbers=True), run_time=1.2)
        self.hold()
        classes = trace.class_names
        probabilities = [f"{classes[j]}: {parts.bars[r][1].text}" for r, j in enumerate(outputs["circles"])]
        softmax = trace.network.activations[-1] == "softmax"
        self.step(
            f"The {sizes[-1]} outputs, one per class: "
            + ("softmax makes them probabilities that add up to 1." if softmax else "each output's activation."),
            probabilities,
        )
        self.play(self._flow(parts, len(sizes) - 1), run_time=1.2)
        self.play(
            *self._light(outputs, numbers=False),
            *(GrowFromEdge(bar[0], LEFT) for bar in parts.bars),
            *(FadeIn(bar[1]) for bar in parts.bars),
            run_time=1.5,
        )
        self.hold()
        verdict = [t.original_text for t in parts.verdict]
        self.step(
            "The network's answer is its largest output: " + "; ".join(verdict) + ".",
            verdict,
        )
        self.play(*(Create(b) for b in parts.box), Write(parts.verdict))
        self.hold(HOLD + 1)

    @staticmethod
    def _flow(parts: Parts, layer: int):
        """Signals along the wires into `layer` (1-based)."""
        circles = parts.layers[layer - 1]["circles"].values()
        ends = {tuple(np.round(c.get_left(), 6)) for c in circles}
        lines = [line.copy() for line in parts.wires if tuple(np.round(line.get_end(), 6)) in ends]
        return AnimationGroup(
            *(
                ShowPassingFlash(line.set_color(PHASE_COLORS["forward"]).set_stroke(width=3), time_width=0.6)
                for line in lines
            )
        )

    @staticmethod
    def _light(info: dict, numbers: bool) -> list:
        moves = [c.animate.set_fill(opacity=1) for c in info["circles"].values()]
        if numbers:
            moves.append(LaggedStart(*(FadeIn(t) for t in info["numbers"].values()), lag_ratio=0.05))
        return moves


def _merged_column(trace, column: VGroup) -> VGroup:
    """The input column as thumbnail draws pictures (a shape per grey level), where the flown pixels landed."""
    g = greys(trace)
    return merged(g.reshape(-1, 1), column.width, column.height / g.size).move_to(column)


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
