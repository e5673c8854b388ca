"""The page a network or graph picture is drawn on: data units at a fixed scale (inches per unit).

Text is sized in points and shapes in data units, so at a known scale the two can be fitted to
each other before anything is drawn: `text_size` measures a label as matplotlib will set it,
`Label.box` says where it lands, and `fit_scale` finds the smallest scale at which every label
clears the others and the shapes. `page` then makes a figure exactly as large as the drawing,
its titles and its colour bar, so nothing is left empty around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from matplotlib.figure import Figure

from .figure import Diagram

PAD = 0.06  # inches around everything
TITLE_SIZE, SUBTITLE_SIZE = 13, 10
COLORBAR = 0.16  # the colour bar's width, inches; its ticks and label are measured
GAP = 1.5  # points between two labels at the least


@lru_cache(maxsize=1)
def _scratch() -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(dpi=720)  # fine enough that hinting does not round the widths: the vector sizes
    FigureCanvasAgg(fig)
    return fig


@lru_cache(maxsize=4096)
def _measure(text: str, key: tuple) -> tuple[float, float]:
    fig = _scratch()
    artist = fig.text(0, 0, text, **{k: dict(v) if k == "bbox" else v for k, v in key})
    try:
        renderer = fig.canvas.get_renderer()
        if artist.get_bbox_patch() is not None:  # a label on a card: the card is what takes room
            artist.update_bbox_position_size(renderer)
            box = artist.get_bbox_patch().get_window_extent(renderer)
        else:
            box = artist.get_window_extent(renderer)
    finally:
        artist.remove()
    return box.width * 72 / fig.dpi, box.height * 72 / fig.dpi


def text_size(text: str, **props) -> tuple[float, float]:
    """Width and height, in points, of `text` set with these Text properties (a `bbox` included)."""
    key = tuple(sorted((k, tuple(sorted(v.items())) if k == "bbox" else v) for k, v in props.items()))
    return _measure(text, key)


@dataclass
class Label:
    """A text to be drawn at (x, y) in data units, aligned by `ha` and `va` as matplotlib does."""

    x: float
    y: float
    text: str
    props: dict = field(default_factory=dict)
    inside: tuple | None = None  # (x, y, radius) of the circle it is written in, which it must fit
    size: tuple = (0.0, 0.0)  # width and height in points, filled by `measure`

    def measure(self) -> Label:
        self.size = text_size(self.text, **{k: v for k, v in self.props.items() if k not in ("color", "zorder")})
        return self

    def box(self, scale: float) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in data units at `scale` inches per unit."""
        w, h = (s / 72 / scale for s in self.size)
        ha, va = self.props.get("ha", "center"), self.props.get("va", "center")
        x0 = self.x - {"left": 0, "center": w / 2, "right": w}[ha]
        y0 = self.y - {"bottom": 0, "center": h / 2, "top": h}[va]
        return x0, y0, x0 + w, y0 + h


def _apart(a, b, gap: float) -> bool:
    return a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]


def fit_scale(labels: list[Label], shapes: list[tuple], base: float, *, fill: float = 0.86, most: float = 4.0) -> float:
    """The smallest scale (inches per data unit) from `base` up at which every label clears every
    other label and every shape (x0, y0, x1, y1), and a label written inside a circle of radius r
    fits within `fill` of its width. Text keeps its size in points; the drawing grows around it."""
    scale = base
    for label in labels:
        if label.inside is not None:
            radius = label.inside[2]
            scale = max(scale, label.size[0] / 72 / (fill * 2 * radius), label.size[1] / 72 / (1.4 * radius))
    outside = [label for label in labels if label.inside is None]
    while scale < most:
        gap = GAP / 72 / scale
        boxes = [label.box(scale) for label in outside]
        clear = all(_apart(a, b, gap) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
        if clear and all(_apart(a, s, gap) for a in boxes for s in shapes):
            return scale
        scale *= 1.04
    return most


def extent(labels: list[Label], shapes: list[tuple], scale: float, margin: float = 0.02):
    """The data limits (x0, x1), (y0, y1) that hold every label and shape at `scale`."""
    boxes = [label.box(scale) for label in labels] + list(shapes)
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return (x0 - margin, x1 + margin), (y0 - margin, y1 + margin)


def page(xlim, ylim, scale: float, *, title: str, subtitle: str, subtitle_color="black", colorbar: str | None = None):
    """A figure holding the data area `xlim` × `ylim` at `scale` inches per unit, equal aspect,
    with the title and subtitle above it and, if `colorbar` (its label) is given, a colour bar to
    its right. Returns (figure, axes, colour bar axes or None)."""
    width, height = (xlim[1] - xlim[0]) * scale, (ylim[1] - ylim[0]) * scale
    title_h = text_size(title, fontsize=TITLE_SIZE, fontweight="bold")[1] / 72
    subtitle_h = text_size(subtitle, fontsize=SUBTITLE_SIZE)[1] / 72
    header = title_h + subtitle_h + 0.12
    side = 0.0
    if colorbar is not None:  # the bar, its tick labels (at most "−0.0004"), its label turned on its side
        ticks = text_size("−0.0000", fontsize=10)[0] / 72
        side = 0.12 + COLORBAR + 0.05 + ticks + 0.08 + text_size(colorbar, fontsize=10)[1] / 72
    wide = max(
        text_size(title, fontsize=TITLE_SIZE, fontweight="bold")[0], text_size(subtitle, fontsize=SUBTITLE_SIZE)[0]
    )
    body = max(width + side, wide / 72)
    fig_w, fig_h = 2 * PAD + body, 2 * PAD + height + header
    left = PAD + (body - width - side) / 2
    fig = Diagram(figsize=(fig_w, fig_h), dpi=100)
    ax = fig.add_axes((left / fig_w, PAD / fig_h, width / fig_w, height / fig_h))
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    centre = (left + width / 2) / fig_w if wide / 72 <= width else 0.5
    top = 1 - PAD / fig_h
    fig.text(centre, top, title, ha="center", va="top", fontsize=TITLE_SIZE, fontweight="bold")
    fig.text(
        centre,
        top - (title_h + 0.06) / fig_h,
        subtitle,
        ha="center",
        va="top",
        fontsize=SUBTITLE_SIZE,
        color=subtitle_color,
    )
    cax = None
    if colorbar is not None:
        # 60 % of the drawing's height, but as long as its label where the drawing has room
        bar_h = max(0.6 * height, min(height, text_size(colorbar, fontsize=10)[0] / 72))
        cax = fig.add_axes(
            ((left + width + 0.12) / fig_w, (PAD + (height - bar_h) / 2) / fig_h, COLORBAR / fig_w, bar_h / fig_h)
        )
    return fig, ax, cax


def square(x: float, y: float, r: float) -> tuple[float, float, float, float]:
    """The box around a circle of radius r at (x, y)."""
    return (x - r, y - r, x + r, y + r)
