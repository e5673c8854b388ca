"""The two witnesses for an expression program, as for a network step: the same program in torch
float64 (autograd) gives every value and every gradient, and central finite differences of the
output give its gradient with respect to each input. Tolerances and the Check are verify.py's.
"""

from __future__ import annotations

import numpy as np

from visualizer.functions.activations import get_activation

from .expr_trace import ExprTrace
from .trace import Verification
from .verify import FD_STEP, FD_TOLERANCE, TORCH_TOLERANCE, _Tally


def _apply(op: str, args: list, lib):
    """One node's op on numbers (numpy) or tensors (torch)."""
    if op in ("relu", "tanh", "sigmoid"):
        act = get_activation(op)
        return act.torch(lib, args[0]) if lib is not np else float(act.function(np.array(args[0])))
    x = args[0]
    y = args[1] if len(args) > 1 else None
    return {
        "add": lambda: x + y,
        "sub": lambda: x - y,
        "mul": lambda: x * y,
        "div": lambda: x / y,
        "pow": lambda: x**y,
        "neg": lambda: -x,
        "exp": lambda: lib.exp(x),
        "log": lambda: lib.log(x),
        "max": lambda: lib.maximum(x, y),
    }[op]()


def evaluate(trace: ExprTrace, inputs: dict[str, float], lib=np) -> dict:
    """Every node's value from the inputs, the record's ops redone (lib: numpy, or torch tensors)."""
    values: dict = {}
    for n in trace.nodes:
        if n.op == "input":
            values[n.name] = inputs[n.name]
            continue
        args = [values[o] if isinstance(o, str) else o for o in n.operands]
        if lib is not np:
            args = [a if isinstance(a, lib.Tensor) else lib.tensor(a, dtype=lib.float64) for a in args]
        values[n.name] = _apply(n.op, args, lib)
    return values


def check_against_torch(trace: ExprTrace, tolerance: float = TORCH_TOLERANCE):
    import torch

    tally = _Tally(tolerance)
    inputs = {n.name: torch.tensor(n.value, dtype=torch.float64, requires_grad=True) for n in trace.inputs()}
    values = evaluate(trace, inputs, torch)
    for v in values.values():
        if v.requires_grad and not v.is_leaf:
            v.retain_grad()
    values[trace.output].backward()
    for n in trace.nodes:
        tensor = values[n.name]
        grad = 0.0 if tensor.grad is None else float(tensor.grad)
        tally.add(f"{n.name} value", np.array(n.value), np.array(float(tensor.detach())))
        tally.add(f"∂{trace.output}/∂{n.name}", np.array(n.grad), np.array(grad))
    return tally.check()


def _at_kink(trace: ExprTrace, h: float) -> bool:
    """A relu at 0 or a max at a tie within h of a kink: no derivative for a difference quotient."""
    for n in trace.nodes:
        if n.op == "relu" and abs(_value(trace, n.operands[0])) < 10 * h:
            return True
        if n.op == "max" and abs(_value(trace, n.operands[0]) - _value(trace, n.operands[1])) < 10 * h:
            return True
    return False


def _value(trace: ExprTrace, operand) -> float:
    return trace.node(operand).value if isinstance(operand, str) else operand


def check_finite_differences(trace: ExprTrace, h: float = FD_STEP, tolerance: float = FD_TOLERANCE):
    tally = _Tally(tolerance)
    base = {n.name: n.value for n in trace.inputs()}
    if _at_kink(trace, h):
        tally.skipped = len(base)
        return tally.check()
    for name in base:
        up = evaluate(trace, {**base, name: base[name] + h})[trace.output]
        down = evaluate(trace, {**base, name: base[name] - h})[trace.output]
        tally.add(f"∂{trace.output}/∂{name}", np.array(trace.node(name).grad), np.array((up - down) / (2 * h)))
    return tally.check()


def verify_expression(trace: ExprTrace, *, torch: bool = True, finite_differences: bool = True) -> Verification:
    return Verification(
        check_against_torch(trace) if torch else None,
        check_finite_differences(trace) if finite_differences else None,
    )
