"""A scalar expression program (`explain --expr "a = -4; b = 2; c = a + b"`), run on the engine.

The chain rule is usually taught on small expressions before networks (micrograd, CS231n's
circuits of add, mul and max gates). A program is assignments, one per line or separated by `;`,
over `+ − * / **`, unary minus, numbers, names and the functions relu, max (two arguments), exp,
log, tanh and sigmoid (`relu(x)` or micrograd's `x.relu()`); `c += x` is `c = c + x` as a new
version c′. The last name assigned is the output, and backward() gives ∂out/∂node for every node.

It is parsed with Python's `ast` and only whitelisted nodes are evaluated (nothing is eval'd);
every problem is one line naming the program's line. A name may be assigned once (a second `c =`
would hide which c a later line means); `+=`, `−=`, `*=`, `/=` make a new version instead.
The values and gradients come from the engine, the same autograd as the networks, and tanh,
sigmoid and relu are the activations' own definitions.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass

import numpy as np

from visualizer.core.engine import Node, maximum
from visualizer.errors import UsageError
from visualizer.functions.activations import get_activation

from .expr_trace import ExprNode, ExprTrace

FUNCTIONS = ("relu", "max", "exp", "log", "tanh", "sigmoid")
_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow"}
_SIGNS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
}
PRIMES = "′″‴"


def read_program(source: str) -> str:
    """--expr's value: a file's text when it names a file, else the program itself."""
    if "=" not in source and os.path.isfile(source):
        with open(source, encoding="utf-8") as f:
            return f.read()
    if "=" not in source:
        raise UsageError(f"--expr {source!r}: no such file, and not a program (write assignments: a = 2; b = a * 3)")
    return source


def version_name(name: str, version: int) -> str:
    """c, c′, c″, c‴, then c⁽⁴⁾: the versions `+=` makes."""
    if version == 0:
        return name
    if version <= len(PRIMES):
        return name + PRIMES[version - 1]
    return name + f"({version})".translate(str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"))


@dataclass
class _Made:
    name: str
    op: str
    operands: tuple
    node: Node
    line: int


class _Builder:
    def __init__(self):
        self.made: list[_Made] = []
        self.current: dict[str, _Made] = {}  # a program name → its latest version
        self.versions: dict[str, int] = {}
        self.line = 0

    def fail(self, message: str) -> UsageError:
        return UsageError(f"--expr line {self.line}: {message}")

    def statement(self, stmt: ast.stmt, text: str) -> None:
        self.line = stmt.lineno
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name, value = stmt.targets[0].id, self.expr(stmt.value)
            if name in self.current:
                raise self.fail(
                    f"{name} is already assigned; write {name} += … for a new version of it, or use a new name"
                )
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            name = stmt.target.id
            if name not in self.current:
                raise self.fail(f"{name} is used before it is assigned ({name} += … needs a {name} = … before it)")
            if type(stmt.op) not in _BINARY:
                raise self.fail(f"unsupported operator {_SIGNS.get(type(stmt.op), '?')}= (use + - * / **)")
            value = self.binary(stmt.op, self.current[name].node, self.expr(stmt.value))
        else:
            raise self.fail(f"{text!r} is not an assignment (write name = expression, or name += expression)")
        self.assign(name, value)

    def assign(self, name: str, value) -> None:
        version = self.versions.get(name, -1) + 1
        shown = version_name(name, version)
        if isinstance(value, Node):
            made = next(m for m in self.made if m.node is value)
            if made.name:  # the value is a named node already: `x = a`
                raise self.fail(f"{name} = {made.name} only copies a value; use {made.name} by its name")
            made.name = shown
        else:
            made = _Made(shown, "input", (), Node(float(value)), self.line)
            self.made.append(made)
        made.node.named(shown)
        self.versions[name] = version
        self.current[name] = made

    def make(self, op: str, operands: tuple, node: Node):
        """Record an op's node, unnamed until an assignment names it (else a t₁, t₂, … at the end)."""
        labels = tuple(next(m for m in self.made if m.node is o) if isinstance(o, Node) else float(o) for o in operands)
        if not np.isfinite(node.value):
            raise self.fail(f"{op} gives {float(node.value)}: the number is too large for float64")
        self.made.append(_Made("", op, labels, node, self.line))
        return node

    def expr(self, e: ast.expr):
        if isinstance(e, ast.Constant) and isinstance(e.value, (int, float)) and not isinstance(e.value, bool):
            return float(e.value)
        if isinstance(e, ast.Name):
            if e.id not in self.current:
                hint = "" if e.id not in FUNCTIONS else f" ({e.id} is a function: {e.id}(…))"
                raise self.fail(f"unknown name {e.id} (used before it is assigned){hint}")
            return self.current[e.id].node
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, (ast.USub, ast.UAdd)):
            x = self.expr(e.operand)
            if isinstance(e.op, ast.UAdd):
                return x
            return -x if not isinstance(x, Node) else self.make("neg", (x,), -x)
        if isinstance(e, ast.BinOp):
            if type(e.op) not in _BINARY:
                raise self.fail(f"unsupported operator {_SIGNS.get(type(e.op), type(e.op).__name__)} (use + - * / **)")
            return self.binary(e.op, self.expr(e.left), self.expr(e.right))
        if isinstance(e, ast.Call):
            return self.call(e)
        allowed = f"numbers, names, + - * / ** and {', '.join(FUNCTIONS)}"
        raise self.fail(f"unsupported syntax: {ast.unparse(e)!r} ({type(e).__name__}); use {allowed}")

    def binary(self, op: ast.operator, x, y):
        kind = _BINARY[type(op)]
        if kind == "div" and float(y.value if isinstance(y, Node) else y) == 0.0:
            raise self.fail("division by zero")
        if kind == "pow":
            if isinstance(y, Node):
                raise self.fail("the exponent of ** must be a number (x ** 3), not a computed value")
            base = float(x.value if isinstance(x, Node) else x)
            if base < 0 and not float(y).is_integer():
                raise self.fail(f"{base:g} ** {y:g} is not a real number")
            if base == 0 and y < 0:
                raise self.fail(f"division by zero (0 ** {y:g})")
            if not isinstance(x, Node):
                return x**y
            return self.make("pow", (x, y), x**y)
        result = x + y if kind == "add" else x - y if kind == "sub" else x * y if kind == "mul" else x / y
        if not isinstance(x, Node) and not isinstance(y, Node):
            return result
        return self.make(kind, (x, y), result)

    def call(self, e: ast.Call):
        if isinstance(e.func, ast.Attribute) and not e.args and not e.keywords:
            name, args = e.func.attr, [e.func.value]  # micrograd's x.relu()
        elif isinstance(e.func, ast.Name) and not e.keywords:
            name, args = e.func.id, list(e.args)
        else:
            raise self.fail(f"unsupported call {ast.unparse(e)!r}; write f(x) with f one of {', '.join(FUNCTIONS)}")
        if name not in FUNCTIONS:
            raise self.fail(f"unknown function {name} (known: {', '.join(FUNCTIONS)})")
        wanted = 2 if name == "max" else 1
        if len(args) != wanted:
            raise self.fail(f"{name} takes {wanted} argument{'s' if wanted > 1 else ''}, got {len(args)}")
        values = [self.expr(a) for a in args]
        if name == "log" and float(values[0].value if isinstance(values[0], Node) else values[0]) <= 0:
            shown = float(values[0].value if isinstance(values[0], Node) else values[0])
            raise self.fail(f"log of a non-positive number ({ast.unparse(args[0])} = {shown:g})")
        nodes = [v if isinstance(v, Node) else Node(float(v), op="const", name=f"{v:g}") for v in values]
        if name == "max":
            out = maximum(*nodes)
        elif name in ("exp", "log"):
            out = getattr(nodes[0], name)()
        else:
            out = get_activation(name)(nodes[0])
        if all(not isinstance(v, Node) for v in values):
            return float(out.value)
        return self.make(name, tuple(values), out)


def _local(made: _Made, values: dict[str, float]) -> tuple:
    """∂node/∂operand for each operand that is a node (None for a constant)."""
    v = [values[o] if isinstance(o, str) else o for o in made.operands]
    y = float(made.node.value)
    op = made.op
    if op == "input":
        return ()
    if op in ("add", "sub", "neg"):
        d = {"add": (1.0, 1.0), "sub": (1.0, -1.0), "neg": (-1.0,)}[op]
    elif op == "mul":
        d = (v[1], v[0])
    elif op == "div":
        d = (1.0 / v[1], -v[0] / v[1] ** 2)
    elif op == "pow":
        d = (v[1] * v[0] ** (v[1] - 1), 0.0)
    elif op == "exp":
        d = (y,)
    elif op == "log":
        d = (1.0 / v[0],)
    elif op == "max":
        share = 1.0 if v[0] > v[1] else 0.5 if v[0] == v[1] else 0.0
        d = (share, 1.0 - share)
    else:
        act = get_activation(op)
        d = (float(act.derivative(np.array(v[0]), np.array(y))),)
    return tuple(float(x) if isinstance(o, str) else None for o, x in zip(made.operands, d))


def parse(program: str) -> ExprTrace:
    """Run the program on the engine, backward from its last assigned name."""
    try:
        module = ast.parse(program, mode="exec")
    except SyntaxError as err:
        raise UsageError(f"--expr line {err.lineno}: {err.msg}") from None
    if not module.body:
        raise UsageError("--expr: the program is empty; write assignments such as a = 2; b = a * 3")
    builder = _Builder()
    with np.errstate(all="ignore"):  # an overflow is reported as the line's error, not a warning
        for stmt in module.body:
            builder.statement(stmt, ast.get_source_segment(program, stmt) or "")
    output = builder.current[_last_name(module.body[-1])]
    output.node.backward()
    temps = [m for m in builder.made if not m.name]
    for k, m in enumerate(temps, 1):
        m.name = "t" + str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    for m in builder.made:
        m.operands = tuple(o.name if isinstance(o, _Made) else o for o in m.operands)
    values = {m.name: float(m.node.value) for m in builder.made}
    nodes = tuple(
        ExprNode(m.name, m.op, m.operands, values[m.name], float(m.node.grad), _local(m, values), m.line)
        for m in builder.made
    )
    statements = tuple(ast.get_source_segment(program, s) or "" for s in module.body)
    return ExprTrace(statements, nodes, output.name)


def _last_name(stmt: ast.stmt) -> str:
    return stmt.targets[0].id if isinstance(stmt, ast.Assign) else stmt.target.id
