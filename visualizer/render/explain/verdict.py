"""The one-line verdict of verification, shown under every trace."""

from __future__ import annotations

from visualizer.network.trace import Verification
from visualizer.style import format_diff


def verification_line(verification: Verification) -> str:
    checks = [("torch autograd", verification.torch), ("finite differences", verification.finite_difference)]
    checks = [(name, c) for name, c in checks if c is not None]
    if verification.passed:
        # a witness with nothing to compare says so, rather than a max |Δ| of nothing
        said = ", ".join(
            f"{name} max |Δ| {format_diff(c.max_abs_diff)}"
            if c.compared
            else f"{name} not applicable (no derivative of E to compare; {c.skipped} skipped)"
            for name, c in checks
        )
        return f"✓ verified: {said}"
    failed = [(name, c) for name, c in checks if not c.passed]
    return "✗ MISMATCH: " + "; ".join(
        f"{name} differs at {c.worst} (max |Δ| {format_diff(c.max_abs_diff)}, tolerance {format_diff(c.tolerance)})"
        for name, c in failed
    )
