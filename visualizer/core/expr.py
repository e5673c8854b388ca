"""A tiny expression language for the formulas the tool writes out.

A formula such as `w₁₁x₁ + w₁₂x₂ + b₁` or `0.15·0.05 + 0.2·0.1 + 0.35` is a small tree of
`Expr` nodes. The same tree prints as plain text (Unicode sub- and superscripts) or as LaTeX,
and a tree of numbers can be evaluated *from the numbers as displayed*: that is how explain
proves that every line it shows can be redone by hand (see `explain/digits.py`). The activation,
loss and optimizer definitions build their formulas from these nodes, so each formula is
written once and printed everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from visualizer.style import format_number

SUB = str.maketrans("0123456789ijks", "₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₛ")
SUP = str.maketrans("0123456789()t", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾ᵗ")

ADD, MUL, ATOM = 1, 2, 3  # precedence: a child binding looser than its parent gets parentheses


@dataclass(frozen=True)
class Style:
    """How numbers and symbols print: `text` or `latex`, numbers at `digits` significant figures."""

    mode: str = "text"
    digits: int = 4

    def number(self, value: float, *, zeros: bool = False) -> str:
        shown = format_number(value, self.digits, zeros=zeros)
        if self.mode == "latex":
            if "e" in shown:
                mantissa, exponent = shown.split("e")
                shown = rf"{mantissa} \times 10^{{{int(exponent)}}}"
            return shown
        return shown.replace("-", "−")  # the same minus as style.format_display


def shown_value(value: float, digits: int) -> float:
    """The number a reader sees when `value` is shown at `digits` significant figures."""
    return float(format_number(value, digits))


class Expr:
    prec = ATOM

    def render(self, style: Style) -> str:
        raise NotImplementedError

    def evaluate(self, style: Style) -> float:
        """The value recomputed from the numbers as `style` shows them."""
        raise NotImplementedError

    def _child(self, child: Expr, style: Style, prec: int) -> str:
        shown = child.render(style)
        return self._paren(shown, style) if child.prec < prec else shown

    @staticmethod
    def _paren(shown: str, style: Style) -> str:
        return rf"\left({shown}\right)" if style.mode == "latex" else f"({shown})"

    def text(self, digits: int = 4) -> str:
        return self.render(Style("text", digits))

    def latex(self, digits: int = 4) -> str:
        return self.render(Style("latex", digits))


@dataclass(frozen=True)
class Num(Expr):
    value: float

    @property
    def prec(self):
        return ADD if self.value < 0 else ATOM  # a negative number gets parentheses inside a product

    def render(self, style):
        return style.number(self.value)

    def evaluate(self, style):
        return shown_value(self.value, style.digits)


@dataclass(frozen=True)
class Const(Expr):
    """An exact constant shown as written (½, 2/3, 1)."""

    shown: str
    latex_shown: str
    value: float

    def render(self, style):
        return self.latex_shown if style.mode == "latex" else self.shown

    def evaluate(self, style):
        return self.value


def fraction(value) -> Const:
    """An exact constant, a whole number or p/q, as explain writes a factor: 2, 1/3, 2/3."""
    value = Fraction(value)
    if value.denominator == 1:
        return Const(str(value.numerator), str(value.numerator), float(value))
    return Const(
        f"{value.numerator}/{value.denominator}", rf"\tfrac{{{value.numerator}}}{{{value.denominator}}}", float(value)
    )


ZERO = Const("0", "0", 0.0)
ONE = Const("1", "1", 1.0)
HALF = Const("½", r"\tfrac{1}{2}", 0.5)


class Symbolic(Expr):
    """A formula part that names a quantity rather than giving its number."""

    def evaluate(self, style):
        raise ValueError(f"{self.text()} is a symbol, not a number")


@dataclass(frozen=True)
class Sym(Symbolic):
    """A named quantity: base, subscript indices (then a sample's, after a comma: δ₁,ₛ⁽²⁾) and a layer superscript."""

    base: str
    indices: tuple = ()
    layer: int | None = None
    latex_base: str = ""
    sample: int | str | None = None

    def render(self, style):
        sep = "," if any(i >= 10 for i in self.indices if isinstance(i, int)) else ""
        idx = sep.join(str(i) for i in self.indices) + ("" if self.sample is None else f",{self.sample}")
        if style.mode == "latex":
            base = self.latex_base or self.base
            sub = f"_{{{idx}}}" if idx else ""
            sup = f"^{{({self.layer})}}" if self.layer is not None else ""
            return f"{base}{sup}{sub}" if sup else f"{base}{sub}"
        sup = f"({self.layer})".translate(SUP) if self.layer is not None else ""
        return f"{self.base}{idx.translate(SUB)}{sup}"


@dataclass(frozen=True)
class Add(Expr):
    terms: tuple
    prec = ADD

    def render(self, style):
        return "".join(self.pieces(style))

    def pieces(self, style) -> list[str]:
        """The sum as printed, one piece per term with the sign before it (the video colours
        each term of a sum on its own)."""
        minus = " - " if style.mode == "latex" else " − "
        out = []
        for i, t in enumerate(self.terms):
            if not i and isinstance(t, Add):  # a sum that starts with a sum: (a + b) + c is a + b + c
                out += t.pieces(style)
                continue
            if i and isinstance(t, Neg):  # a negated term is subtracted: a − y·log(b), not a + (−y·log(b))
                out.append(minus + self._child(t.arg, style, MUL))
                continue
            part = self._child(t, style, MUL if i else ADD)
            # a later term that starts with a minus sign gets parentheses: 0.2 + (−0.1·0.5)
            out.append((" + " + (self._paren(part, style) if part.startswith(("−", "-")) else part)) if i else part)
        return out

    def evaluate(self, style):
        return math.fsum(t.evaluate(style) for t in self.terms)


@dataclass(frozen=True)
class Sub(Expr):
    left: Expr
    right: Expr
    prec = ADD

    def render(self, style):
        minus = " - " if style.mode == "latex" else " − "
        right = self._child(self.right, style, MUL)
        if right.startswith(("−", "-")):  # 1 − (−1·0.89), not 1 − −1·0.89
            right = self._paren(right, style)
        return self._child(self.left, style, ADD) + minus + right

    def evaluate(self, style):
        return self.left.evaluate(style) - self.right.evaluate(style)


@dataclass(frozen=True)
class Mul(Expr):
    factors: tuple
    prec = MUL

    def render(self, style):
        return "".join(self.pieces(style))

    def pieces(self, style) -> list[str]:
        """The product as printed, one piece per factor with the dot before it (the video breaks a
        long product between its factors)."""
        # a leading negative number needs no parentheses (−0.2·0.5), nor a fraction at the end (η·g/(√s + ε))
        last = len(self.factors) - 1
        parts = [
            f.render(style)
            if (not i and isinstance(f, (Num, Neg))) or (i == last and isinstance(f, Div))
            else self._child(f, style, ATOM if i else MUL)
            for i, f in enumerate(self.factors)
        ]
        out = [parts[0]]
        for previous, factor, shown in zip(self.factors, self.factors[1:], parts[1:]):
            out.append(
                shown
                if _juxtaposed(previous, factor, shown)
                else (r" \cdot " if style.mode == "latex" else "·") + shown
            )
        return out

    def evaluate(self, style):
        return math.prod(f.evaluate(style) for f in self.factors)


def _juxtaposed(previous: Expr, factor: Expr, shown: str) -> bool:
    """Written side by side like wx or ½(y − a); everything else gets a dot, numbers always."""
    if isinstance(previous, Sym) and isinstance(factor, Sym):
        return len(previous.base) == 1 and len(factor.base) == 1
    return isinstance(previous, Const) and "/" not in previous.shown and shown.startswith(("(", r"\left("))


@dataclass(frozen=True)
class Deriv(Symbolic):
    """∂E/∂w₁₁⁽²⁾: the derivative of `of` with respect to a symbol."""

    wrt: Sym
    of: str | Sym = "E"  # what is differentiated: E, or a sample's own loss E₁

    def render(self, style):
        of = self.of.render(style) if isinstance(self.of, Expr) else self.of
        if style.mode == "latex":
            return rf"\frac{{\partial {of}}}{{\partial {self.wrt.render(style)}}}"
        return f"∂{of}/∂{self.wrt.render(style)}"


@dataclass(frozen=True)
class Square(Expr):
    base: Expr

    def render(self, style):
        inner = self.base.render(style)
        if style.mode == "latex":
            return rf"\left({inner}\right)^2"
        return f"({inner})²"

    def evaluate(self, style):
        return self.base.evaluate(style) ** 2


@dataclass(frozen=True)
class Abs(Expr):
    arg: Expr

    def render(self, style):
        inner = self.arg.render(style)
        return rf"\left|{inner}\right|" if style.mode == "latex" else f"|{inner}|"

    def evaluate(self, style):
        return abs(self.arg.evaluate(style))


@dataclass(frozen=True)
class Neg(Expr):
    """−x; a sum gets parentheses: −(y·log(a) + …)."""

    arg: Expr
    prec = ADD

    def render(self, style):
        minus = "-" if style.mode == "latex" else "−"
        return minus + self._child(self.arg, style, MUL)

    def evaluate(self, style):
        return -self.arg.evaluate(style)


@dataclass(frozen=True)
class Exp(Expr):
    """eˣ: exp(x) in text, e^{x} in LaTeX."""

    arg: Expr

    def render(self, style):
        return f"e^{{{self.arg.render(style)}}}" if style.mode == "latex" else f"exp({self.arg.render(style)})"

    def evaluate(self, style):
        return math.exp(self.arg.evaluate(style))


@dataclass(frozen=True)
class Max0(Expr):
    """max(0, x), the hinge."""

    arg: Expr

    def render(self, style):
        inner = self.arg.render(style)
        return rf"\max\left(0, {inner}\right)" if style.mode == "latex" else f"max(0, {inner})"

    def evaluate(self, style):
        return max(0.0, self.arg.evaluate(style))


@dataclass(frozen=True)
class Iverson(Expr):
    """[x ≤ 1] or [x > 0]: 1 where the condition holds, else 0 (Iverson's bracket): the hinges'
    slope switches, whether a margin is still violated."""

    arg: Expr
    relation: str  # "≤" or ">"
    bound: float

    def render(self, style):
        bound = f"{self.bound:g}"
        if style.mode == "latex":
            relation = r"\le" if self.relation == "≤" else ">"
            return rf"\left[{self.arg.render(style)} {relation} {bound}\right]"
        return f"[{self.arg.render(style)} {self.relation} {bound}]"

    def evaluate(self, style):
        value = self.arg.evaluate(style)
        return float(value <= self.bound if self.relation == "≤" else value > self.bound)


def AtMost1(arg: Expr) -> Iverson:  # noqa: N802 (reads like the class it makes)
    return Iverson(arg, "≤", 1.0)


def Positive(arg: Expr) -> Iverson:  # noqa: N802
    return Iverson(arg, ">", 0.0)


@dataclass(frozen=True)
class Div(Expr):
    """a/b; a fraction in LaTeX."""

    top: Expr
    bottom: Expr
    prec = MUL

    def render(self, style):
        if style.mode == "latex":
            return rf"\frac{{{self.top.render(style)}}}{{{self.bottom.render(style)}}}"
        return self._child(self.top, style, ATOM) + "/" + self._child(self.bottom, style, ATOM)

    def evaluate(self, style):
        return self.top.evaluate(style) / self.bottom.evaluate(style)


@dataclass(frozen=True)
class Sqrt(Expr):
    arg: Expr

    def render(self, style):
        if style.mode == "latex":
            return rf"\sqrt{{{self.arg.render(style)}}}"
        return "√" + self._child(self.arg, style, ATOM)

    def evaluate(self, style):
        return math.sqrt(self.arg.evaluate(style))


@dataclass(frozen=True)
class Power(Expr):
    """base to a power that is a symbol or a whole number (β₁ᵗ, 0.9³)."""

    base: Expr
    exponent: Expr

    def render(self, style):
        base = self._child(self.base, style, ATOM)
        exponent = self.exponent.render(style)
        if style.mode == "latex":
            return f"{base}^{{{exponent}}}"
        return base + exponent.translate(SUP)

    def evaluate(self, style):
        return self.base.evaluate(style) ** self.exponent.evaluate(style)


@dataclass(frozen=True)
class Call(Expr):
    """A function applied to an argument, e.g. σ(0.3775); evaluated with the definition's function."""

    name: str
    latex_name: str
    function: Callable
    arg: Expr

    def render(self, style):
        inner = self.arg.render(style)
        if style.mode == "latex":
            return rf"{self.latex_name}\left({inner}\right)"
        return f"{self.name}({inner})"

    def evaluate(self, style):
        return float(self.function(np.array(self.arg.evaluate(style))))


def sign(x: Expr) -> Expr:  # −1, 0 or 1: the slope of |x|
    return Call("sign", r"\operatorname{sign}", np.sign, x)


@dataclass(frozen=True)
class SumOver(Symbolic):
    """Σₛ of a formula over the samples of a batch (shown symbolically; its numbers are an Add)."""

    inner: Expr
    index: str = "s"
    prec = ADD

    def render(self, style):
        if style.mode == "latex":
            return rf"\sum_{{{self.index}}} {self._child(self.inner, style, MUL)}"
        return f"Σ{self.index.translate(SUB)} {self._child(self.inner, style, MUL)}"


@dataclass(frozen=True)
class More(Expr):
    """Terms left out of a long sum: `… 781 more`; a line with one cannot be redone by hand."""

    count: int

    def render(self, style):
        return rf"\dots\ ({self.count}\text{{ more}})" if style.mode == "latex" else f"… ({self.count} more)"

    def evaluate(self, style):
        return math.nan


def add(*terms: Expr) -> Expr:
    return terms[0] if len(terms) == 1 else Add(tuple(terms))


def mul(*factors: Expr) -> Expr:
    """A product; products inside it are flattened (a·(b·c) is a·b·c)."""
    flat = tuple(g for f in factors for g in (f.factors if isinstance(f, Mul) else (f,)))
    return flat[0] if len(flat) == 1 else Mul(flat)
