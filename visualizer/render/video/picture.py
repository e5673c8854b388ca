"""A data set's picture as manim mobjects: the sample's pixels as grey squares (`--data NAME
--sample N` of an image set), as the data set stores them (light ink on black), each grey its
value over the picture's brightest, as explain's picture spreads them.

`pixel_grid` is one square per pixel, row by row, so the picture beat can fly each row into the
input column; `thumbnail` is the same picture for the other beats, drawn as one shape per grey
level (a few dozen shapes instead of hundreds of squares, which manim would redraw every frame).
"""

from __future__ import annotations

import numpy as np
from manim import BLACK, RIGHT, UP, Rectangle, Square, VGroup, VMobject, rgb_to_color

from .beats import is_picture

FRAME_GREY = "#777777"  # the thin frame round a picture: where the black page of the image ends
LEVELS = 32  # grey levels of a thumbnail: no banding at the size it is drawn
OVERLAP = 1.04  # squares a little larger than their pitch: no hairline seams between neighbours


def has_picture(trace) -> bool:
    """Whether the Trace's input is one picture of a data set (its sample has a 2-D image shape)."""
    return is_picture(trace.sample)


def greys(trace) -> np.ndarray:
    """The picture's pixels as greys 0..1 (h × w): each over the brightest, as explain draws it."""
    raw = np.asarray(trace.sample.raw, dtype=np.float64).reshape(trace.sample.image_shape)
    return raw / (raw.max() or 1.0)


def grey(value: float):
    return rgb_to_color((value, value, value))


def pixel_grid(trace, side: float) -> VGroup:
    """The picture `side` units wide: a VGroup of rows (top first), each a VGroup of its squares."""
    g = greys(trace)
    h, w = g.shape
    pitch = side / max(h, w)
    rows = VGroup()
    for i in range(h):
        row = VGroup()
        for k in range(w):
            square = Square(side_length=pitch * OVERLAP, stroke_width=0, fill_color=grey(g[i, k]), fill_opacity=1)
            row.add(square.move_to([(k + 0.5) * pitch, -(i + 0.5) * pitch, 0]))
        rows.add(row)
    return rows.move_to(np.zeros(3))


def strip(trace, height: float, width: float) -> VGroup:
    """The same pixels as one column `height` tall, the rows laid end to end from the top: what
    the network's input column holds (x₁ … x_n, row by row). Shaped as `pixel_grid` (rows of
    rectangles), so each row of the picture can be transformed into its stretch of the column."""
    g = greys(trace)
    h, w = g.shape
    pitch = height / (h * w)
    rows = VGroup()
    for i in range(h):
        row = VGroup()
        for k in range(w):
            cell = Rectangle(width=width, height=pitch * OVERLAP, stroke_width=0, fill_color=grey(g[i, k]))
            row.add(cell.set_fill(opacity=1).move_to([0, -(i * w + k + 0.5) * pitch, 0]))
        rows.add(row)
    return rows.move_to(np.zeros(3))


def framed(mob, buff: float = 0.0) -> Rectangle:
    """A thin grey frame round a picture (its black page would otherwise merge with dark ink)."""
    frame = Rectangle(width=mob.width + 2 * buff, height=mob.height + 2 * buff, color=FRAME_GREY, stroke_width=2)
    return frame.move_to(mob)


def thumbnail(trace, side: float) -> VGroup:
    """The picture `side` units wide, as `merged` draws it, in a thin frame."""
    g = greys(trace)
    pitch = side / max(g.shape)
    picture = merged(g, pitch, pitch)
    return VGroup(picture, framed(picture)).move_to(np.zeros(3))


def merged(g: np.ndarray, width: float, height: float) -> VGroup:
    """Greys `g` (rows × columns) as cells width × height: a black page, then one shape per grey
    level holding that level's cells (separate squares of one path)."""
    rows, cols = g.shape
    page = Rectangle(width=cols * width, height=rows * height, stroke_width=0, fill_color=BLACK, fill_opacity=1)
    page.move_to([cols * width / 2, -rows * height / 2, 0])
    levels = np.round(g * (LEVELS - 1)).astype(int)
    shapes = []
    for level in range(1, LEVELS):  # level 0 is the black page itself
        where = np.argwhere(levels == level)
        if not len(where):
            continue
        shape = VMobject(stroke_width=0, fill_color=grey(level / (LEVELS - 1)), fill_opacity=1)
        dx, dy = width * OVERLAP / 2 * RIGHT, height * OVERLAP / 2 * UP
        for i, k in where:
            centre = np.array([(k + 0.5) * width, -(i + 0.5) * height, 0])
            shape.start_new_path(centre - dx + dy)
            shape.add_points_as_corners([centre + dx + dy, centre + dx - dy, centre - dx - dy, centre - dx + dy])
        shapes.append(shape)
    return VGroup(page, *shapes).move_to(np.zeros(3))
