"""The lecture's notation: x, w, b, z, a, δ, y, E, with layer superscripts and neuron
subscripts (w₁₂⁽¹⁾ is the weight from input 2 into neuron 1 of layer 1), and how long sums and
layers are shortened."""

from __future__ import annotations

from visualizer.core.expr import Expr, More, Sym, add

TERMS = 6  # terms of a sum written out; beyond that: the first 3, "… (n more)", the last


def x_(k: int, s=None) -> Sym:
    return Sym("x", (k,), sample=s)


def a_(l: int, j: int, s=None) -> Sym:
    """Activation j of layer l (of sample s of a batch, where given); layer 0 is the input x."""
    return Sym("a", (j,), l, sample=s) if l > 0 else x_(j, s)


def z_(l, j):
    return Sym("z", (j,), l)


def w_(l, j, k):
    return Sym("w", (j, k), l)


def b_(l, j):
    return Sym("b", (j,), l)


def d_(l, j, s=None):
    return Sym("δ", (j,), l, latex_base=r"\delta", sample=s)


def m_(l, j):
    """Dropout's multiplier for neuron j of layer l: 0 (dropped) or 1/(1 − p) (kept)."""
    return Sym("m", (j,), l)


def y_(i):
    return Sym("y", (i,))


E = Sym("E")


def shown_sum(n: int, term) -> Expr:
    """Σ of term(i) for i < n, with the middle left out when long."""
    if n <= TERMS:
        return add(*(term(i) for i in range(n)))
    return add(*(term(i) for i in range(3)), More(n - 4), term(n - 1))
