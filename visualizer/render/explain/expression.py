"""explain --expr: a scalar expression program written out, forward then backward.

Forward, each node in the order the program computes it: its formula, then its numbers, then its
value (c = a + b = −4 + 2 = −2). Backward, each node in reverse order: its gradient as the sum of
what each use of it passes back, ∂out/∂(the node using it) times the local derivative, symbolic
then with numbers. The local rules are the gates' patterns: add distributes (·1), mul swaps (the
other factor), max routes (1 to the larger input, 0 to the other; ½ each at a tie, as torch), and
pow, exp, log, tanh, sigmoid and relu their derivatives. A node used twice sums its two paths.
Everything is read from the ExprTrace; nothing is recomputed but the line's own arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.core.expr import ONE, Call, Deriv, Div, Exp, Expr, Neg, Num, Power, Square, Sub, Sym, add, mul
from visualizer.functions.activations import get_activation
from visualizer.network.expr_trace import ExprNode, ExprTrace

from .digits import honest_digits
from .document import Equation, Note, Options, Section

_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
RULES = {
    "add": "add distributes",
    "sub": "sub distributes (−1 to the right)",
    "neg": "neg flips the sign",
    "mul": "mul swaps",
    "div": "div: 1/b to the top, −a/b² to the bottom",
    "pow": "pow: n·x^(n−1)",
    "exp": "exp: eˣ",
    "log": "log: 1/x",
    "tanh": "tanh: 1 − tanh²",
    "sigmoid": "sigmoid: σ(1 − σ)",
    "relu": "relu: 1 if x > 0 else 0",
    "max": "max routes (1 to the larger input, 0 to the other; ½ each at a tie, as torch.maximum)",
}


@dataclass(frozen=True)
class Max(Expr):
    """max(a, b), a max gate."""

    left: Expr
    right: Expr

    def render(self, style):
        inner = f"{self.left.render(style)}, {self.right.render(style)}"
        return rf"\max\left({inner}\right)" if style.mode == "latex" else f"max({inner})"

    def evaluate(self, style):
        return max(self.left.evaluate(style), self.right.evaluate(style))


def symbol(name: str) -> Sym:
    """A node's name as a symbol: t₁ is t_{1} and c′ is c' in LaTeX."""
    base = name.translate(_SUBSCRIPTS)
    digits = base[len(base.rstrip("0123456789")) :]
    latex = base[: len(base) - len(digits)].replace("′", "'").replace("″", "''").replace("‴", "'''")
    return Sym(name, latex_base=latex + (f"_{{{digits}}}" if digits else ""))


def _call(op: str, x: Expr) -> Expr:
    """tanh, σ and ReLU as their definitions write them; log."""
    if op == "log":
        return Call("log", r"\log", np.log, x)
    return get_activation(op).formula(x)


def formula(node: ExprNode, operand) -> Expr:
    """The node's op over its operands, each given as an Expr by `operand`."""
    xs = [operand(o) for o in node.operands]
    op = node.op
    if op == "add":
        return add(*xs)
    if op == "sub":
        return Sub(*xs)
    if op == "mul":
        return mul(*xs)
    if op == "div":
        return Div(*xs)
    if op == "neg":
        return Neg(xs[0])
    if op == "pow":
        return Power(xs[0], Num(node.operands[1]))
    if op == "exp":
        return Exp(xs[0])
    if op == "max":
        return Max(*xs)
    return _call(op, xs[0])


def local(user: ExprNode, i: int, trace: ExprTrace, numbers: bool) -> Expr:
    """∂user/∂(its operand i), symbolic or with numbers."""

    def val(o):
        if isinstance(o, str):
            return Num(trace.node(o).value) if numbers else symbol(o)
        return Num(o)

    ops, op = user.operands, user.op
    if op in ("relu", "max") or (op in ("add", "sub", "neg") and numbers):
        return Num(user.local[i])
    if op == "add":
        return ONE
    if op in ("sub", "neg"):
        return ONE if op == "sub" and i == 0 else Num(-1.0)
    if op == "mul":
        return val(ops[1 - i])
    if op == "div":
        return Div(ONE, val(ops[1])) if i == 0 else Neg(Div(val(ops[0]), Power(val(ops[1]), Num(2.0))))
    if op == "pow":
        n = ops[1]
        return mul(Num(n), Power(val(ops[0]), Num(n - 1))) if n != 2 else mul(Num(2.0), val(ops[0]))
    y = Num(user.value) if numbers else symbol(user.name)
    if op == "exp":
        return y
    if op == "log":
        return Div(ONE, val(ops[0]))
    if op == "tanh":
        return Sub(ONE, Square(y))
    return mul(y, Sub(ONE, y))  # sigmoid


def _equation(lhs: Expr, symbolic: Expr, numeric: Expr, result: float, precision: int) -> Equation:
    digits = honest_digits([numeric], result, precision)
    return Equation(lhs, (symbolic, numeric), result, digits, precision, 1)


def build_expression_document(trace: ExprTrace, options: Options = Options()) -> list[Section]:
    p = options.precision
    out = symbol(trace.output)
    program = Section("Program", "header")
    program.items += [Note(f"{i}: {line}") for i, line in enumerate(trace.program, 1)]
    program.items.append(
        Note(
            f"The output is {trace.output}. A part of a line without a name of its own is named t₁, t₂, … in "
            "the order it is computed; c += x makes a new version of c, named c′ (then c″, c‴)."
        )
    )
    forward = Section("Forward: each node's value, in order", "forward")
    for n in trace.nodes:
        if n.op == "input":
            forward.items.append(Equation(symbol(n.name), (), n.value, p, p, 0))
            continue
        symbolic = formula(n, lambda o: symbol(o) if isinstance(o, str) else Num(o))
        numeric = formula(n, lambda o: Num(trace.node(o).value) if isinstance(o, str) else Num(o))
        forward.items.append(_equation(symbol(n.name), symbolic, numeric, n.value, p))
    backward = Section(f"Backward: ∂{trace.output}/∂ each node, in reverse order", "backward")
    backward.items.append(Equation(Deriv(out, out), (), 1.0, p, p, 0))
    for n in reversed(trace.nodes[:-1] if trace.nodes[-1].name == trace.output else trace.nodes):
        if n.name == trace.output:
            continue
        uses = trace.uses(n.name)
        if not uses:
            backward.items.append(Note(f"{n.name} does not reach {trace.output}: ∂{trace.output}/∂{n.name} = 0"))
            continue
        symbolic = add(*(mul(Deriv(symbol(u.name), out), local(u, i, trace, False)) for u, i in uses))
        numeric = add(*(mul(Num(u.grad), local(u, i, trace, True)) for u, i in uses))
        backward.items.append(_equation(Deriv(symbol(n.name), out), symbolic, numeric, n.grad, p))
        rules = dict.fromkeys(RULES[u.op] for u, _ in uses)
        paths = f"; {n.name} is used {len(uses)} times, so its paths add up" if len(uses) > 1 else ""
        backward.items.append(Note(", ".join(rules) + paths))
    return [program, forward, backward]
