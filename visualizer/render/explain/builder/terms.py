"""`--terms`: the terms inside two sums, each on its own line after the sum it belongs to: a
neuron's products wⱼₖaₖ after its z, and a hidden neuron's per-output terms wᵢⱼ⁽ˡ⁺¹⁾δᵢ⁽ˡ⁺¹⁾
after its ∂E/∂a. The numbers are the Trace's (Trace.products, Trace.grad_a_terms); a long sum
shows its first three terms, a note and the last, as the sum itself does."""

from __future__ import annotations

from visualizer.core.expr import SUB, SUP, Deriv, Num, Sym, mul
from visualizer.style import count

from ..document import Note
from ..notation import TERMS, a_, d_, w_
from .context import Context


def _shown(n: int) -> list[int | None]:
    """The terms of a sum of n written out: all up to TERMS; else the first 3, None, the last."""
    return list(range(n)) if n <= TERMS else [0, 1, 2, None, n - 1]


def products(c: Context, l: int, s: int, j: int) -> list:
    """wⱼₖ⁽ˡ⁾aₖ⁽ˡ⁻¹⁾ = w·a = product, for each input k of neuron j (sample s)."""
    if not c.options.terms:
        return []
    layer, a_prev, n_in = c.step.layers[l - 1], c.activations_of(l - 1), c.sizes[l - 1]
    values = c.trace.products(c.step, l)
    items = []
    for k in _shown(n_in):
        if k is None:
            items.append(Note(f"… {count(n_in - 4, 'more product')} of z{_mark(j + 1, l)}, computed the same way"))
            continue
        lhs = mul(w_(l, j + 1, k + 1), a_(l - 1, k + 1))
        numeric = mul(Num(layer.W[j, k]), Num(a_prev[s, k]))
        items.append(c.equation(lhs, [], [numeric], values[s, j, k], about=("edge", l, j, k), sample=s))
    return items


def grad_a_terms(c: Context, l: int, s: int, j: int) -> list:
    """The part of hidden neuron j's ∂E/∂a through each neuron i of the next layer: wᵢⱼδᵢ. Just
    below an output layer whose δᵢ is output i's alone (an element-wise activation), that part is
    ∂Eᵢ/∂aⱼ, Eᵢ being output i's term of E (Mazur's ∂E_o1/∂out_h1)."""
    if not c.options.terms or l == c.L or c.sizes[l + 1] == 1:  # one term: the sum itself (a note says so)
        return []
    after, n_next = c.step.layers[l], c.sizes[l + 1]
    values = c.trace.grad_a_terms(c.step, l)
    per_output = _per_output(c, l)
    items = []
    for i in _shown(n_next):
        if i is None:
            items.append(Note(f"… {count(n_next - 4, 'more term')} of ∂E/∂a{_mark(j + 1, l)}, computed the same way"))
            continue
        product = mul(w_(l + 1, i + 1, j + 1), d_(l + 1, i + 1))
        numeric = mul(Num(after.W[i, j]), Num(after.delta[s, i]))
        if per_output:
            lhs, symbolic = Deriv(a_(l, j + 1), Sym("E", (i + 1,))), [product]
        else:
            lhs, symbolic = product, []
        items.append(c.equation(lhs, symbolic, [numeric], values[s, i, j], about=("neuron", l, j), sample=s))
    return items


def per_output_note(c: Context, l: int) -> list[Note]:
    """What Eᵢ means, before the first ∂Eᵢ/∂a (the layer just below an element-wise output); or,
    where the next layer has one neuron, that ∂E/∂a is its one term."""
    if not c.options.terms or l == c.L:
        return []
    if c.sizes[l + 1] == 1:
        return [Note("the next layer has one neuron, so each ∂E/∂a below is its one term w·δ")]
    if not _per_output(c, l):
        return []
    return [Note("∂Eᵢ/∂aⱼ = wᵢⱼδᵢ: the part of ∂E/∂aⱼ that comes through output i (Eᵢ: output i's part of E)")]


def _per_output(c: Context, l: int) -> bool:
    """Whether wᵢⱼδᵢ in layer l is ∂Eᵢ/∂aⱼ, Eᵢ being output i's term of E: just below the output
    layer, where δᵢ is output i's alone (an element-wise activation, and a loss whose term i
    reads output i alone, not the whole row)."""
    element_wise = c.activations[-1].vjp is None and c.loss.row_term is None and not c.loss.logits
    return l + 1 == c.L and element_wise


def _mark(j: int, l: int) -> str:
    """₁⁽¹⁾: neuron j of layer l, as a note writes it after z or ∂E/∂a."""
    return f"{j}".translate(SUB) + f"({l})".translate(SUP)
