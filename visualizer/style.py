"""Shared presentation: how numbers are written, everywhere the tool shows one.

Rounding is for display only; every computation keeps full float64 precision.
"""

from __future__ import annotations

import math

DEFAULT_DIGITS = 4

# Okabe–Ito colours (safe for colour-blind readers), one per phase of a step, none of them
# confusable with the signed map's ends (below): no orange or vermillion (its negative end; the
# backward phase was vermillion until 2026-11), no violet (its positive end). The update is
# black: the ink the new weights are written in (a terminal shows it in its own text colour).
PHASE_COLORS = {"forward": "#0072B2", "loss": "#CC79A7", "backward": "#009E73", "update": "#000000"}
# A check passed or failed (explain's verdicts), not a phase.
VERDICT_COLORS = {"ok": "#009E73", "bad": "#D55E00"}
# Signed values (weights, gradients, changes): orange below zero, purple above, white at zero;
# a diverging map that stays readable for colour-blind readers and in greyscale.
SIGNED_CMAP = "PuOr"


def format_number(value: float, digits: int = DEFAULT_DIGITS, *, zeros: bool = False) -> str:
    """`value` at `digits` significant figures: 0.15, 0.59327, 1.2e-05.

    Trailing zeros are dropped, so given numbers look as they were typed, unless `zeros`:
    a computed result keeps them (0.009700), so its last digit shows how precise it is.
    """
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    shown = f"{value:#.{digits}g}" if zeros else f"{value:.{digits}g}"
    return shown.replace(".e", "e").removesuffix(".")


def signed_color(value: float, limit: float) -> str:
    """The colour of a signed value on the shared map, scaled so ±limit are its ends, as #rrggbb."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    return to_hex(colormaps[SIGNED_CMAP](0.5 + 0.5 * max(-1.0, min(1.0, value / limit))))


def signed_colors(values, limit: float) -> list[str]:
    """signed_color of many values at once, as #rrggbb: matplotlib's registry hands out a new copy
    of the map on each look-up, which builds its table anew (0.4 ms), so the map is looked up once."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    # as signed_color's max(-1, min(1, v)): NaN at the positive end
    shares = [max(-1.0, min(1.0, float(v) / limit)) for v in values]
    return [to_hex(c) for c in colormaps[SIGNED_CMAP]([0.5 + 0.5 * s for s in shares])] if shares else []


def text_color(fill: str) -> str:
    """ "black" or "white", whichever contrasts more with the colour `fill` (#rrggbb), by the WCAG
    2 contrast ratio of their relative luminances: the ink for a number written on a filled shape."""
    channels = [int(fill.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # contrast with white (1.05 / (L + 0.05)) against contrast with black ((L + 0.05) / 0.05)
    return "white" if 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.05 else "black"


def pick(n: int, limit: int) -> list[int | None]:
    """Which of n items to show, `limit` at most: all of them, or the first limit − 1, None
    where the other n − limit are left out, and the last. Every renderer shortens this way."""
    if n <= limit:
        return list(range(n))
    return list(range(limit - 1)) + [None, n - 1]


def format_display(value: float, digits: int = DEFAULT_DIGITS, *, zeros: bool = False) -> str:
    """format_number with a typographic minus (−0.5), for text a person reads; LaTeX, markdown
    and JSON keep the ASCII hyphen."""
    return format_number(value, digits, zeros=zeros).replace("-", "−")


def format_diff(value: float) -> str:
    """A verification difference: two significant figures in scientific notation (2.8e-17)."""
    return f"{value:.1e}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number: 1 sample, 3 samples (never "sample(s)")."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
