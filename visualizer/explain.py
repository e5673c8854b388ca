"""The text trace of a training run (a short summary for now; the full step-by-step trace
with every formula and number is the explain issue's work)."""

from __future__ import annotations

from .style import format_diff, format_number
from .trace import Trace, Verification


def header(trace: Trace) -> str:
    net = trace.network
    hyper = ", ".join(f"{k}={format_number(v)}" for k, v in net.optimizer.items() if k != "name")
    return (
        f"network {net.name}: sizes {'-'.join(map(str, net.sizes))}, activations {', '.join(net.activations)}, "
        f"loss {net.loss}, optimizer {net.optimizer['name']} ({hyper}), seed {net.seed}"
    )


def summary(trace: Trace) -> str:
    lines = [header(trace)]
    for row_x, row_y in zip(trace.input, trace.target):
        lines.append(f"  input {_vector(row_x)}  target {_vector(row_y)}")
    for step in trace.steps:
        output = step.layers[-1].a
        lines.append(
            f"step {step.index}: output {_vector(output[0])}{' …' if len(output) > 1 else ''}  "
            f"E = {format_number(step.loss)} → {format_number(step.loss_after)}"
        )
    return "\n".join(lines)


def verification_line(verification: Verification) -> str:
    checks = [("torch autograd", verification.torch), ("finite differences", verification.finite_difference)]
    checks = [(name, c) for name, c in checks if c is not None]
    if verification.passed:
        said = " and ".join(f"{name} (max |Δ| {format_diff(c.max_abs_diff)})" for name, c in checks)
        return f"✓ matches {said}"
    failed = [(name, c) for name, c in checks if not c.passed]
    return "✗ MISMATCH: " + "; ".join(
        f"{name} differs at {c.worst} (max |Δ| {format_diff(c.max_abs_diff)}, tolerance {format_diff(c.tolerance)})"
        for name, c in failed
    )


def _vector(values) -> str:
    return "[" + ", ".join(format_number(v) for v in values) + "]"
