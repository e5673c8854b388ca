"""The record of a scalar expression program (`explain --expr`): every node's value and gradient.

A program of assignments (`c = a + b`) runs on the engine like a network does; this record is
what the renderers read (they never run the engine). Each node is one engine op, in the order the
program computes them: its name, the op and its operands (names of earlier nodes, or numbers),
its value, its gradient ∂out/∂node, and its local derivatives ∂node/∂operand with the numbers the
backward pass multiplies by. Inputs (`a = -4.0`) have the op "input" and no operands.

Names: an assigned name is the node it is given to; `c += x` makes a new version c′ (then c″, c‴);
a part of a line that is not assigned a name of its own (`a*b` in `d = a*b + b**3`) is a node
named t₁, t₂, … in the order it is computed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .trace import Check, Verification

SCHEMA = "backprop-expr/1"


@dataclass(frozen=True)
class ExprNode:
    name: str
    op: str  # input, add, sub, mul, div, neg, pow, exp, log, tanh, sigmoid, relu, max
    operands: tuple  # each an earlier node's name (str) or a constant (float)
    value: float
    grad: float  # ∂out/∂node
    local: tuple[float, ...]  # ∂node/∂operand, one per operand
    line: int  # the program's line (from 1) it comes from

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "op": self.op,
            "operands": list(self.operands),
            "value": self.value,
            "grad": self.grad,
            "local": list(self.local),
            "line": self.line,
        }


@dataclass(frozen=True)
class ExprTrace:
    program: tuple[str, ...]  # the program's statements, one per line
    nodes: tuple[ExprNode, ...]
    output: str  # the name of the node differentiated (the last assigned)
    verification: Verification | None = None

    def node(self, name: str) -> ExprNode:
        return next(n for n in self.nodes if n.name == name)

    def inputs(self) -> tuple[ExprNode, ...]:
        return tuple(n for n in self.nodes if n.op == "input")

    def uses(self, name: str) -> list[tuple[ExprNode, int]]:
        """Each (node, operand position) that takes `name` as an operand, in program order."""
        return [(n, i) for n in self.nodes for i, o in enumerate(n.operands) if o == name]

    def with_verification(self, verification: Verification) -> ExprTrace:
        return ExprTrace(self.program, self.nodes, self.output, verification)

    def to_dict(self) -> dict:
        v = self.verification
        return {
            "schema": SCHEMA,
            "program": list(self.program),
            "output": self.output,
            "nodes": [n.to_dict() for n in self.nodes],
            "verification": None
            if v is None
            else {"passed": v.passed, "torch": _check(v.torch), "finite_difference": _check(v.finite_difference)},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


def _check(c: Check | None) -> dict | None:
    if c is None:
        return None
    return {
        "passed": c.passed,
        "max_abs_diff": c.max_abs_diff,
        "tolerance": c.tolerance,
        "worst": c.worst,
        "compared": c.compared,
        "skipped": c.skipped,
    }
