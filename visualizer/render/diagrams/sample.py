"""A data set's sample on the network pictures (`--data NAME --sample N`): the image beside the
input column, and the outputs named after their classes, as probability bars in the forward
pass, with the predicted and the actual class marked.

`sample_view` reads what is shown from the Trace (the sample's raw pixels, the network's class
names, the output layer's a); `network_graph` is the neuron graph both the matplotlib pictures
and TikZ draw, all the classes shown. The matplotlib parts are here too (`Panel`): they are
measured like every other label (canvas.Label), so the fitted scale keeps them clear.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Rectangle

from visualizer.network.trace import Trace
from visualizer.render.layout import neuron_graph
from visualizer.style import PHASE_COLORS, format_display

from .canvas import Label

MAX_CLASSES = 10  # a network naming up to this many classes shows every output, so none of them is hidden
THUMB = 4.8  # the image's height, in layout units (inches at the least scale)
BAR = 2.4  # a bar's length at a = 1, layout units
BAR_HEIGHT = 0.34
NAME_SIZE = 9  # points: the class names, the caption
MARK_SIZE = 8
NUMBER_SIZE = 8  # the bars' values
TRACK = "0.92"  # the bar's full length, 0 to 1, behind it
OTHER = "0.55"  # the bars of the classes not predicted


@dataclass(frozen=True)
class SampleView:
    """What a network picture shows of its sample and classes (either may be missing)."""

    image: np.ndarray | None  # the raw pixels, rows × columns, as the data set stores them
    caption: str  # "test image 3: Dress"
    data: str  # the data set's name
    names: tuple[str, ...]  # the class of each output; () when the network does not name them
    predicted: int | None  # the largest output's class
    actual: int | None  # the sample's class: its label, else its one-hot target's 1

    def mark(self, j: int) -> str:
        """What output j is: "predicted", "actual", both, or nothing."""
        marks = [m for m, k in (("predicted", self.predicted), ("actual", self.actual)) if k == j]
        return " · ".join(marks)

    @property
    def detail(self) -> str:
        """How the image became the inputs (under its caption)."""
        h, w = self.image.shape
        return f"{self.data}, {h} × {w} pixels,\nrow by row → $x_1$ … $x_{{{h * w}}}$"


def network_graph(trace: Trace, step: int = 0):
    """The neuron graph a picture of `trace` draws: every output shown when they are named classes."""
    named = len(_names(trace)) > 0
    return neuron_graph(trace, step=step, max_outputs=MAX_CLASSES if named else None)


def sample_view(trace: Trace, step: int = 0) -> SampleView | None:
    """The sample and classes of step `step`'s first sample (the one the pictures show), or None."""
    names, sample, record = _names(trace), trace.sample, trace.steps[step]
    image = None
    # the recorded sample is the input only when the input is that one row
    if sample is not None and sample.image_shape is not None and len(sample.image_shape) == 2 and len(trace.input) == 1:
        image = np.asarray(sample.raw, dtype=np.float64).reshape(sample.image_shape)
    if image is None and not names:
        return None
    actual = None
    if sample is not None and sample.label is not None and len(trace.input) == 1:
        actual = sample.label
    elif names:
        target = trace.target_of(record)[0]
        if set(np.unique(target)) <= {0.0, 1.0} and target.sum() == 1:  # a one-hot row names a class
            actual = int(np.argmax(target))
    predicted = int(trace.predicted(record)[0]) if names else None
    caption = ""
    if image is not None:
        what = f"class {sample.label}" if sample.label is not None else ""
        if sample.label is not None and 0 <= sample.label < len(trace.network.classes):
            what = trace.network.classes[sample.label]
        caption = f"test image {sample.index}{': ' + what if what else ''}"
    return SampleView(image, caption, sample.data if sample else "", names, predicted, actual)


def _names(trace: Trace) -> tuple[str, ...]:
    n = trace.network.sizes[-1]
    return trace.network.classes if n >= 2 and len(trace.network.classes) == n else ()


class Panel:
    """The sample's parts of a matplotlib picture: the image left of the input column (with its
    caption), the class names right of the outputs and, in the forward pass, their bars. Built
    in two steps: `labels` (the image's caption, the names), measured; then `place(scale)` puts
    the bars, values and marks after the widest name at that scale (a larger scale only
    widens the gaps) and returns their labels."""

    def __init__(self, view, G, pos: dict, kind: str, radius: float, digits: int, scale: float, beside: dict):
        self.view, self.kind, self.digits, self.radius = view, kind, digits, radius
        self.beside = beside  # {output: text} written after its name (the update's bias change)
        self.outputs = [(n, d) for n, d in G.nodes(data=True) if d["kind"] == "output"]
        self.pos = pos
        self.shapes: list[tuple] = []
        self.image_box = None
        inputs = [pos[n][0] for n, d in G.nodes(data=True) if d["layer"] == 0]
        labels = []
        if view.image is not None:
            h, w = view.image.shape
            x1 = min(inputs) - radius - 0.3  # clear of the inputs' circles and their "776 more"
            self.image_box = (x1 - THUMB * w / h, -THUMB / 2, x1, THUMB / 2)
            self.shapes.append(self.image_box)
            centre = (self.image_box[0] + x1) / 2
            caption = _label(centre, -THUMB / 2 - 0.12, view.caption, NAME_SIZE + 1)
            below = caption.y - caption.size[1] / 72 / scale - 0.06  # under the caption at the least scale
            labels += [caption, _label(centre, below, view.detail, MARK_SIZE, color="0.3")]
        self.x0 = (max(x for x, _ in (pos[n] for n, _ in self.outputs)) if self.outputs else 0) + radius + 0.18
        self.names = [
            Label(self.x0, pos[n][1], view.names[d["index"]], _name_props(d["index"] == view.actual))
            for n, d in self.outputs
            if view.names
        ]
        self.labels = labels + [label.measure() for label in self.names]
        self.bars: list[tuple[int, tuple, float]] = []  # (class, its track, where its bar ends)

    def place(self, scale: float) -> list[Label]:
        """The bars (forward), values and marks, after the widest name at `scale`."""
        if not self.names:
            return []
        x = self.x0 + _widest(self.names, scale) + 0.15
        labels: list[Label] = []
        if self.kind == "forward":
            values = []
            for n, d in self.outputs:
                y, a = self.pos[n][1], d["a"]
                track = (x, y - BAR_HEIGHT / 2, x + BAR, y + BAR_HEIGHT / 2)
                self.bars.append((d["index"], track, x + BAR * min(max(a, 0.0), 1.0)))
                self.shapes.append(track)
                value = format_display(a, self.digits, zeros=True)  # a computed number, as in its circle
                values.append(_label(x + BAR + 0.1, y, value, NUMBER_SIZE, ha="left", va="center"))
            top = max(self.pos[n][1] for n, _ in self.outputs) + BAR_HEIGHT / 2 + 0.06
            scale_marks = [(x, "0"), (x + BAR / 2, "output a as a probability"), (x + BAR, "1")]
            labels += values + [_label(at, top, text, MARK_SIZE, va="bottom", color="0.3") for at, text in scale_marks]
            x += BAR + 0.1 + _widest(values, scale) + 0.15
        elif self.beside:
            column = [_label(x, self.pos[n][1], self.beside[n], 7, ha="left", va="center", color="0.25")
                      for n, _ in self.outputs]  # fmt: skip
            labels += column
            x += _widest(column, scale) + 0.15
        for n, d in self.outputs:
            mark = self.view.mark(d["index"])
            if mark:  # y = 1 is the target the forward pass's E compares with, here at the actual class
                text = "◀ " + mark + (" (y = 1)" if "actual" in mark and self.kind == "forward" else "")
                labels.append(_label(x, self.pos[n][1], text, MARK_SIZE, ha="left", va="center", fontweight="bold"))
        return labels

    def draw(self, ax) -> None:
        """The image and the bars (the labels are drawn with the others)."""
        if self.image_box is not None:
            x0, y0, x1, y1 = self.image_box
            # the data set's usual look: the raw pixels in imshow's grey map, light ink on black, crisp
            ax.imshow(self.view.image, cmap="gray", interpolation="nearest", extent=(x0, x1, y0, y1), zorder=2)
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="0.3", lw=0.6, zorder=3))
        for j, (x0, y0, x1, y1), end in self.bars:
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fc=TRACK, ec="none", zorder=2, gid=f"track-{j}"))
            color = PHASE_COLORS["forward"] if j == self.view.predicted else OTHER  # the network's answer in blue
            ax.add_patch(Rectangle((x0, y0), end - x0, y1 - y0, fc=color, ec="none", zorder=3, gid=f"bar-{j}"))


def _props(size: float, **more) -> dict:
    return dict(ha="center", va="top", fontsize=size, zorder=5) | more


def _label(x: float, y: float, text: str, size: float, **props) -> Label:
    return Label(x, y, text, _props(size, **props)).measure()


def _widest(labels: list[Label], scale: float) -> float:
    """The widest of these labels, in layout units at `scale`."""
    return max(label.size[0] for label in labels) / 72 / scale


def _name_props(actual: bool) -> dict:
    """A class name beside its output; the actual class's in bold."""
    return _props(NAME_SIZE, ha="left", va="center", fontweight="bold" if actual else "normal")
