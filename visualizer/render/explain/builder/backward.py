"""The backward pass, from the output layer down: for each neuron ∂E/∂a (from the loss at the
output, from the next layer's δ below it), then δ = ∂E/∂z = ∂E/∂a · f'(z), then the layer's
gradients. A note first says how δ comes about in that layer, with what the activation, the
loss or dropout add to it."""

from __future__ import annotations

from fractions import Fraction

from visualizer.core.expr import SUP, Deriv, Num, Sub, SumOver, Sym, fraction, mul
from visualizer.functions import dropout

from ..document import Equation, Note, Section
from ..notation import a_, d_, m_, shown_sum, w_, y_, z_
from . import terms
from .context import Context
from .gradients import gradients


def sections(c: Context) -> list[Section]:
    return [_layer(c, l) for l in range(c.L, 0, -1)]


def _layer(c: Context, l: int) -> Section:
    kind = "output" if l == c.L else "hidden"
    section = Section(f"Backward pass, layer {l} ({kind})", "backward", 2)
    section.items += _notes(c, l) + terms.per_output_note(c, l)
    section.items += c.per_neuron(
        l, lambda s, j: [_grad_a(c, l, s, j), *terms.grad_a_terms(c, l, s, j), _delta(c, l, s, j)]
    )
    section.items += gradients(c, l)
    return section


def _notes(c: Context, l: int) -> list[Note]:
    """How δ comes about in layer l, and what its activation says about it (a step's is 0)."""
    f = c.activations[l - 1]
    if l == c.L and f.vjp is not None:
        notes = [
            Note(
                f"δᵢ = ∂E/∂zᵢ = Σₖ ∂E/∂aₖ·∂aₖ/∂zᵢ with {f.derivative_text}: {f.name} mixes the outputs, so "
                "every output's error reaches every z"
            )
        ]
        if c.loss.delta_note:  # what the loss makes of that sum (under cross-entropy, a − y)
            text, latex = c.loss.delta_note(c.divisor)
            notes.append(Note(text, latex=latex))
    elif l == c.L:
        notes = [Note("δ = ∂E/∂z = ∂E/∂a · f'(z): how the loss changes with each weighted sum")]
    else:
        mark = f"({l + 1})".translate(SUP)
        chain = dropout.DELTA_TEXT if c.drops(l) else "∂E/∂a · f'(z)"
        notes = [Note(f"∂E/∂a sums the error signals of the next layer: Σᵢ wᵢⱼ{mark}δᵢ{mark}; then δ = {chain}")]
    if f.delta_note:
        notes.append(Note(f.delta_note(c.batch)))
    return notes


def _grad_a(c: Context, l: int, s: int, j: int) -> Equation:
    """∂E/∂a of neuron j: the loss's slope at the output; below it, the next layer's δ through its weights."""
    layer = c.step.layers[l - 1]
    if l == c.L:
        n, target, right = c.sizes[-1], c.targets()[s, j], c.right_class(s)  # the right class, for a loss that reads it
        symbolic = c.loss.gradient_formula(a_(l, j + 1), y_(j + 1), n, c.batch, row=(j, right, lambda k: a_(l, k + 1)))
        numeric = c.loss.gradient_formula(
            Num(layer.a[s, j]), Num(target), n, c.batch, row=(j, right, lambda k: Num(layer.a[s, k]))
        )
    else:
        after = c.step.layers[l]
        symbolic = shown_sum(c.sizes[l + 1], lambda i: mul(w_(l + 1, i + 1, j + 1), d_(l + 1, i + 1)))
        numeric = shown_sum(c.sizes[l + 1], lambda i: mul(Num(after.W[i, j]), Num(after.delta[s, i])))
    return c.equation(Deriv(a_(l, j + 1)), [symbolic], [numeric], layer.grad_a[s, j], about=("neuron", l, j), sample=s)


def _delta(c: Context, l: int, s: int, j: int) -> Equation:
    """δ = ∂E/∂a · f'(z), times the mask m where the layer drops out."""
    layer, f = c.step.layers[l - 1], c.activations[l - 1]
    if f.vjp is not None:
        return _row_delta(c, l, s, j)
    mask = ([m_(l, j + 1)], [Num(layer.mask[s, j])]) if c.drops(l) else ([], [])
    symbolic = mul(Deriv(a_(l, j + 1)), *mask[0], f.derivative_call(z_(l, j + 1)))
    numeric = mul(
        Num(layer.grad_a[s, j]), *mask[1], f.derivative_formula(Num(layer.z[s, j]), Num(layer.f_z[s, j]), layer.z[s, j])
    )
    return c.equation(d_(l, j + 1), [symbolic], [numeric], layer.delta[s, j], about=("neuron", l, j), sample=s)


def _row_delta(c: Context, l: int, s: int, j: int) -> Equation:
    """δ of an activation that mixes its row (softmax): a − y under cross-entropy, else the sum."""
    layer = c.step.layers[l - 1]
    if c.loss.logits:
        symbolic = Sub(a_(l, j + 1), y_(j + 1))
        numeric = Sub(Num(layer.a[s, j]), Num(c.targets()[s, j]))
        if c.divisor > 1:
            mean = fraction(Fraction(1, c.divisor))
            symbolic, numeric = mul(mean, symbolic), mul(mean, numeric)
    else:
        k = Sym("a", ("k",), l)
        symbolic = mul(a_(l, j + 1), Sub(Deriv(a_(l, j + 1)), SumOver(mul(k, Deriv(k)), "k")))
        numeric = mul(
            Num(layer.a[s, j]),
            Sub(
                Num(layer.grad_a[s, j]),
                shown_sum(c.sizes[l], lambda k: mul(Num(layer.a[s, k]), Num(layer.grad_a[s, k]))),
            ),
        )
    return c.equation(d_(l, j + 1), [symbolic], [numeric], layer.delta[s, j], about=("neuron", l, j), sample=s)
