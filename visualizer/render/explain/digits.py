"""Rounding honesty: how many digits a written-out line needs.

A line such as `z = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775` is only worth printing if a reader who
redoes it from the numbers on the page gets the result on the page. Each line's numbers are
shown at the fewest digits (from the chosen precision up) at which that holds.
"""

from __future__ import annotations

import math

from visualizer.core.expr import Expr, Style, shown_value


def unit(value: float, digits: int) -> float:
    """One unit of the last digit `value` shows at `digits` significant figures."""
    if value == 0 or not math.isfinite(value):
        return 10.0**-digits
    return 10.0 ** (math.floor(math.log10(abs(shown_value(value, digits)))) - digits + 1)


HALF = 0.5  # a reader who rounds correctly lands on the shown result: within half a unit


def honest_digits(numeric: list[Expr], result: float, digits: int, most: int = 17, *, units: float = HALF) -> int:
    """The fewest digits for a line's numbers, from `digits` up, at which every numeric form,
    recomputed from its numbers as shown, rounds to the result as shown (at `digits`, zeros
    kept): within half a unit of its last digit (`units`), a tie either way.

    Lines with left-out terms cannot be recomputed and keep `digits`.
    """
    shown = shown_value(result, digits)
    for k in range(digits, most + 1):
        values = [_redone(e, k) for e in numeric]
        if any(math.isnan(v) for v in values):
            return digits
        if all(rounds_to(v, shown, unit(result, digits), units) for v in values):
            return k
    return most


def rounds_to(value: float, shown: float, one_unit: float, units: float = HALF) -> bool:
    """Whether `value` is within `units` of a unit of `shown`. The slack (a millionth of a unit,
    and float64's own error) lets an exact tie such as 0.08216704055 → 0.0821670406 count: the
    recomputation in binary floating point may land a hair either side of it."""
    return math.isfinite(value) and abs(value - shown) <= units * one_unit * (1 + 1e-6) + 1e-15 * abs(shown)


def _redone(form: Expr, digits: int) -> float:
    """The form's value from its numbers at `digits`; infinite where those numbers break it (at
    one digit 0.999 shows as 1, and 1 − 0.999ᵗ as a divisor becomes 0), so more digits are tried."""
    try:
        return form.evaluate(Style("text", digits))
    except (ZeroDivisionError, ValueError, OverflowError):
        return math.inf
