"""Keys to the colours the video uses: a colour bar of the signed map with its limits written
under it, and a key to the classes of a decision-region picture; and the sizes every number the
small plots write is drawn at, so that it can be read in a lecture hall.

Legibility: a number on screen must be at least 28 px tall at 1080p, where manim's frame is 8
units tall, so its digits must be at least LEGIBLE_DIGIT = 0.2074 units tall at the size it is
finally drawn. Text digits are 1.42 px per point of font size (measured: font_size 20 → 28.4 px),
so TEXT_SIZE = 26 gives 36.9 px at scale 1 and still 29.5 px when a scene scales the group down
to 0.8; `min_scale(font_size)` says how far a group can be scaled before its digits get too small.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from manim import DOWN, LEFT, RIGHT, Rectangle, Square, Text, VGroup

from visualizer.style import format_display, signed_color

LEGIBLE_DIGIT = 28 / 1080 * 8  # units: the smallest digit a hall can read, 28 px of a 1080-px frame
TEXT_SIZE = 26  # Text font size for numbers and axis names: legible down to a scale of 0.8
MATH_SIZE = 38  # the same for MathTex (font_size 30 → 29.4 px digits)
TEXT_COLOR = "#444444"  # axes, ticks and names: dark enough on the white background, not black
BAR_STEPS = 64  # thin rectangles in a colour bar: no visible banding at a few units wide

# Class colours for decision regions: Paul Tol's high-contrast scheme (blue, yellow, red; told
# apart by colour-blind readers and in greyscale, by lightness alone) and then his muted one.
# Not training/plots.py's tab10: render may not import training (import-linter's layers), and
# tab10's blue, orange and green are the phase colours' hues, which a class must not be read as.
CLASS_COLORS = (
    "#004488",
    "#DDAA33",
    "#BB5566",
    "#88CCEE",
    "#999933",
    "#882255",
    "#44AA99",
    "#332288",
    "#CC6677",
    "#117733",
)


@cache
def digit_height(font_size: float = TEXT_SIZE) -> float:
    """How tall, in units, a row of digits written with Text at `font_size` is."""
    return Text("0123456789", font_size=font_size).height


def min_scale(font_size: float = TEXT_SIZE) -> float:
    """The smallest factor a group whose numbers are Text at `font_size` may be scaled by and still
    be read in a hall (0.76 for TEXT_SIZE)."""
    return LEGIBLE_DIGIT / digit_height(font_size)


def label(text: str, font_size: float = TEXT_SIZE, color: str = TEXT_COLOR, **kwargs) -> Text:
    """A number or a name as every plot here writes it."""
    return Text(text, font_size=font_size, color=color, **kwargs)


class ColorBar(VGroup):
    """A horizontal bar of the signed map from `low` to `high` (white at their middle), the two ends
    and the middle written under it, and a short name to its left. The parts: `bar` (the
    rectangles, then the border), `numbers` (low, middle, high), `name`."""

    def __init__(
        self,
        low: float,
        high: float,
        name: str,
        width: float = 2.6,
        digits: int = 2,
        font_size: float = TEXT_SIZE,
        signed: bool = False,
    ):
        super().__init__()
        self.low, self.high = low, high
        limit = (high - low) / 2 or 1.0
        middle = (low + high) / 2
        height = 0.28
        step = width / BAR_STEPS
        # each strip's colour at its centre, on the signed map around the bar's middle
        centres = low + (np.arange(BAR_STEPS) + 0.5) / BAR_STEPS * (high - low)
        # each strip twice as wide as its place and drawn over the last one's right half: strips
        # that only meet leave a dark seam where their anti-aliased edges meet
        strips = VGroup(
            *(
                Rectangle(width=2 * step, height=height, stroke_width=0)
                .set_fill(signed_color(v - middle, limit), opacity=1)
                .move_to([(i + 1) * step - width / 2, 0, 0])
                for i, v in enumerate(centres[:-1])
            ),
        )
        # the last strip fits inside the bar
        strips.add(
            Rectangle(width=step, height=height, stroke_width=0)
            .set_fill(signed_color(centres[-1] - middle, limit), opacity=1)
            .move_to([width / 2 - step / 2, 0, 0])
        )
        border = Rectangle(width=width, height=height, stroke_color=TEXT_COLOR, stroke_width=1.5)
        self.bar = VGroup(strips, border)

        def written(value: float, plus: bool = False) -> str:
            shown = format_display(value, digits)
            return "+" + shown if plus and value > 0 else shown

        ends = (written(low, signed), written(middle), written(high, signed))
        self.numbers = VGroup(
            *(
                label(text, font_size).next_to(self.bar, DOWN, buff=0.1).set_x(x)
                for text, x in zip(ends, (-width / 2, 0.0, width / 2))
            )
        )
        # on a narrow bar the middle number would run into the ends: the ends are what a reader needs
        if any(
            left.get_right()[0] + 0.1 > right.get_left()[0] for left, right in zip(self.numbers[:-1], self.numbers[1:])
        ):
            self.numbers.remove(self.numbers[1])
        self.name = label(name, font_size).next_to(self.bar, LEFT, buff=0.25)
        self.add(self.bar, self.numbers, self.name)


def signed_legend(
    limit: float, name: str, width: float = 2.6, digits: int = 2, font_size: float = TEXT_SIZE
) -> ColorBar:
    """The key to a signed colour scale: the map from −limit to +limit, with −limit, 0 and +limit
    written under it and `name` ("weight w", "δ") beside it. `limit` is the one the scene colours
    with (scales.py), so the key says what the darkest orange and purple mean."""
    return ColorBar(-limit, limit, name, width=width, digits=digits, font_size=font_size, signed=True)


class ClassKey(VGroup):
    """One swatch and name per class, in a row after a heading; `entries[k]` is class k's
    (swatch, name) pair."""

    def __init__(self, count: int, heading: str = "class", font_size: float = TEXT_SIZE, names=None):
        super().__init__()
        names = list(names) if names is not None else [str(k + 1) for k in range(count)]
        swatch_side = digit_height(font_size)  # as tall as the digits beside it
        self.heading = label(heading, font_size)
        self.entries = VGroup(
            *(
                VGroup(
                    Square(swatch_side, stroke_color=TEXT_COLOR, stroke_width=1.5).set_fill(class_color(k), 1),
                    label(names[k], font_size),
                ).arrange(RIGHT, buff=0.1)
                for k in range(count)
            )
        )
        self.entries.arrange(RIGHT, buff=0.3)
        self.add(self.heading, self.entries)
        self.arrange(RIGHT, buff=0.25)


def class_color(k: int) -> str:
    """Class k's colour (0-based); past the palette's end they repeat, as no key could tell them
    apart anyway."""
    return CLASS_COLORS[k % len(CLASS_COLORS)]
