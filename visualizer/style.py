"""Shared presentation: how numbers are written, everywhere the tool shows one.

Rounding is for display only; every computation keeps full float64 precision.
"""

from __future__ import annotations

import math


def format_number(value: float, digits: int = 6) -> str:
    """`value` to `digits` significant figures, without trailing zeros (0.29837, 1.2e-05)."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{digits}g}"


def format_diff(value: float) -> str:
    """A verification difference: two significant figures in scientific notation (2.8e-17)."""
    return f"{value:.1e}"
