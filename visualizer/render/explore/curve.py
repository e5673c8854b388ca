"""The loss curve and the checks, as the page shows them beside the network.

The curve is E before step 1 and after each step (Trace.loss_history), placed here in the
page's box (x: steps, y: E from its smallest to its largest value, top down) with its axes'
numbers written out, so the page draws lines between given points. Each step's check gives the
largest difference torch autograd and finite differences found in that step (Check.per_step),
and the verdict line is explain's own, over the whole run.
"""

from __future__ import annotations

import math

from visualizer.network.trace import Check, Trace
from visualizer.style import format_diff, format_display

from ..explain import verification_line

BOX = (400.0, 120.0)  # width and height of the plot, in the page's units


def loss_curve(trace: Trace, digits: int) -> dict:
    """The points (x, y in BOX), and the labels of the axes' ends."""
    losses = [float(e) for e in trace.loss_history]
    finite = [e for e in losses if math.isfinite(e)] or [0.0]
    low, high = min(finite), max(finite)
    span = high - low or 1.0
    n = len(losses) - 1 or 1
    width, height = BOX

    def place(i: int, e: float) -> list[float] | None:
        if not math.isfinite(e):
            return None
        return [round(i / n * width, 2), round((high - e) / span * height, 2)]

    return {
        "box": list(BOX),
        "points": [place(i, e) for i, e in enumerate(losses)],
        "high": format_display(high, digits),
        "low": format_display(low, digits),
        "steps": len(losses) - 1,
        "values": [format_display(e, digits) for e in losses],
    }


def step_checks(trace: Trace) -> list[str | None]:
    """Each step's check as a line ("torch max |Δ| 1.1e-16 · finite differences max |Δ| 2.0e-10"),
    None for every step of a trace that was not verified."""
    v = trace.verification
    if v is None:
        return [None] * len(trace.steps)
    witnesses = [("torch", v.torch), ("finite differences", v.finite_difference)]
    lines = []
    for i in range(len(trace.steps)):
        said = [_said(name, check, i) for name, check in witnesses if check is not None]
        lines.append(" · ".join(s for s in said if s) or None)
    return lines


def verdict(trace: Trace) -> dict | None:
    """Explain's verdict line over every step, and whether it passed (for its colour)."""
    v = trace.verification
    return None if v is None else {"line": verification_line(v), "passed": v.passed}


def _said(name: str, check: Check, i: int) -> str:
    if i >= len(check.per_step):
        return ""
    largest = check.per_step[i]
    return f"{name}: nothing to compare" if largest is None else f"{name} max |Δ| {format_diff(largest)}"
