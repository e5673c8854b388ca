"""A layer's gradients, once its δ are known: ∂E/∂w = δ·a (summed over the batch, plus each
penalty's slope) and ∂E/∂b = δ. Over a batch, the first weight's gradient is shown sample by
sample first, then as their average, the one gradient the update uses."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from visualizer.core.expr import Deriv, Expr, Num, SumOver, Sym, add, fraction, mul
from visualizer.style import count, pick

from ..document import Equation, Note
from ..notation import a_, b_, d_, shown_sum, w_
from .context import Context


def gradients(c: Context, l: int) -> list:
    """The first weights' gradients of layer l, a note for the rest, then the biases'."""
    layer = c.step.layers[l - 1]
    n_out, n_in = layer.W.shape
    shown = c.shown_weights(l)
    per_sample = c.batch > 1 and layer.grad_W_samples.size > 0
    items = _per_sample(c, l) if per_sample else []  # the first weight, sample by sample, then averaged
    items += [_weight(c, l, j, k) for j, k in shown[1 if per_sample else 0 :]]
    if n_out * n_in > len(shown):
        slopes = "".join(" + " + p.slope_formula(p.symbol, Sym("w", ("j", "k"))).text() for p, _ in c.penalties)
        items.append(
            Note(
                f"… {count(n_out * n_in - len(shown), 'more weight gradient')} of layer {l}, each ∂E/∂wⱼₖ = δⱼ·aₖ{slopes}"
            )
        )
    items += [
        Note(f"… {count(n_out - c.neurons, 'more bias gradient')}, each ∂E/∂bⱼ = δⱼ") if j is None else _bias(c, l, j)
        for j in pick(n_out, c.neurons)
    ]
    return items


def _weight(c: Context, l: int, j: int, k: int) -> Equation:
    layer, a_prev = c.step.layers[l - 1], c.activations_of(l - 1)
    w = w_(l, j + 1, k + 1)
    symbolic = _over_batch(c, lambda s: mul(d_(l, j + 1, s), a_(l - 1, k + 1, s)))
    numeric = shown_sum(c.batch, lambda s: mul(Num(layer.delta[s, j]), Num(a_prev[s, k])))
    forms = _with_penalties(c, symbolic, numeric, w, layer.W[j, k])
    return c.equation(Deriv(w), *forms, layer.grad_W[j, k], about=("edge", l, j, k))


def _bias(c: Context, l: int, j: int) -> Equation:
    layer = c.step.layers[l - 1]
    return c.equation(
        Deriv(b_(l, j + 1)),
        [_over_batch(c, lambda s: d_(l, j + 1, s))],
        [shown_sum(c.batch, lambda s: Num(layer.delta[s, j]))],
        layer.grad_b[j],
        about=("neuron", l, j),
    )


def _per_sample(c: Context, l: int) -> list:
    """For w₁₁ of layer l: ∂Eₛ/∂w of each sample's own loss, then ∂E/∂w, their average (the
    mean over the batch), plus any penalty's slope: the one gradient the update uses."""
    layer, B = c.step.layers[l - 1], c.batch
    a_prev = c.activations_of(l - 1)
    w = w_(l, 1, 1)
    mean = (
        f"{B}·δₛ·aₛ (δ carries the 1/{B} of the batch's mean), then their average"
        if c.divisor > 1
        else "δₛ·aₛ (E is the sum of the samples' losses), then their sum"
    )
    items = [
        Note(
            f"each sample's own gradient ∂Eₛ/∂w = {mean}, the one gradient the update uses; the other "
            "weights sum δₛ·aₛ directly"
        )
    ]
    count = (fraction(c.divisor),) if c.divisor > 1 else ()  # no 1· where E is a sum
    for s in c.samples():
        if s is None:
            items.append(c.left_out_samples("the gradients of "))
            continue
        items.append(
            c.equation(
                Deriv(w, of=Sym("E", (s + 1,))),
                [mul(*count, d_(l, 1), a_(l - 1, 1))],
                [mul(*count, Num(layer.delta[s, 0]), Num(a_prev[s, 0]))],
                layer.grad_W_samples[s, 0, 0],
                about=("edge", l, 0, 0),
                sample=s,
            )
        )
    mean = (fraction(Fraction(1, c.divisor)),) if c.divisor > 1 else ()
    symbolic = mul(*mean, shown_sum(B, lambda s: Deriv(w, of=Sym("E", (s + 1,)))))
    numeric = mul(*mean, shown_sum(B, lambda s: Num(layer.grad_W_samples[s, 0, 0])))
    forms = _with_penalties(c, symbolic, numeric, w, layer.W[0, 0])
    items.append(c.equation(Deriv(w), *forms, layer.grad_W[0, 0], about=("edge", l, 0, 0)))
    return items


def _over_batch(c: Context, formula: Callable[[str | None], Expr]) -> Expr:
    """Σₛ of sample s's formula (its symbols carry the sample index: δ₁,ₛ⁽²⁾) where the batch has
    several samples; the formula alone for one."""
    return SumOver(formula("s")) if c.batch > 1 else formula(None)


def _with_penalties(c: Context, symbolic: Expr, numeric: Expr, w: Sym, value: float) -> tuple[list, list]:
    """A weight's gradient forms, symbolic and numeric, each with every penalty's slope as a term of its own."""
    if c.penalties:
        symbolic = add(symbolic, *(p.slope_formula(p.symbol, w) for p, _ in c.penalties))
        numeric = add(numeric, *(p.slope_formula(Num(lam), Num(value)) for p, lam in c.penalties))
    return [symbolic], [numeric]
