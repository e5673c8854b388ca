"""The forward pass, layer by layer: each neuron's weighted sum z = Σ w·a + b, then its
activation a = f(z), times dropout's multiplier m where the layer drops out. A softmax needs the
whole layer's z, so its outputs follow every weighted sum of the layer."""

from __future__ import annotations

from functools import partial

from visualizer.core.expr import SUP, Num, add, mul
from visualizer.functions import dropout

from ..document import Equation, Note, Section
from ..notation import a_, b_, m_, shown_sum, w_, z_
from . import sample, terms
from .context import Context


def sections(c: Context) -> list[Section]:
    layers = [_layer(c, l) for l in range(1, c.L + 1)]
    layers[-1].items += sample.prediction(c)  # the outputs as bars, when they stand for named classes
    return layers


def _layer(c: Context, l: int) -> Section:
    f = c.activations[l - 1]
    kind = "output" if l == c.L else "hidden"
    count = f"{c.sizes[l]} neuron{'s' if c.sizes[l] > 1 else ''}"
    section = Section(f"Forward pass, layer {l} ({kind}, {count}, {f.name})", "forward", 2)
    if c.drops(l):
        section.items.append(_mask_note(c, l))
    if f.row_formula is None:
        section.items += c.per_neuron(
            l, lambda s, j: [_weighted_sum(c, l, s, j), *terms.products(c, l, s, j), _activation(c, l, s, j)]
        )
    else:
        section.items += c.per_neuron(l, lambda s, j: [_weighted_sum(c, l, s, j), *terms.products(c, l, s, j)])
        section.items.append(Note(f"{f.text}: each output needs the whole layer's z"))
        section.items += c.per_neuron(l, lambda s, j: [_row_activation(c, l, s, j)])
    return section


def _weighted_sum(c: Context, l: int, s: int, j: int) -> Equation:
    layer, a_prev, n_in = c.step.layers[l - 1], c.activations_of(l - 1), c.sizes[l - 1]
    symbolic = add(shown_sum(n_in, lambda k: mul(w_(l, j + 1, k + 1), a_(l - 1, k + 1))), b_(l, j + 1))
    numeric = add(shown_sum(n_in, lambda k: mul(Num(layer.W[j, k]), Num(a_prev[s, k]))), Num(layer.b[j]))
    return c.equation(z_(l, j + 1), [symbolic], [numeric], layer.z[s, j], about=("neuron", l, j), sample=s)


def _activation(c: Context, l: int, s: int, j: int) -> Equation:
    """a = f(z), element by element; a = f(z)·m where dropout multiplies it."""
    layer, f = c.step.layers[l - 1], c.activations[l - 1]
    symbolic, numeric = f.formula(z_(l, j + 1)), f.formula(Num(layer.z[s, j]))
    if c.drops(l):
        symbolic, numeric = mul(symbolic, m_(l, j + 1)), mul(numeric, Num(layer.mask[s, j]))
    return c.equation(a_(l, j + 1), [symbolic], [numeric], layer.a[s, j], about=("neuron", l, j), sample=s)


def _row_activation(c: Context, l: int, s: int, j: int) -> Equation:
    """aⱼ of an activation of the whole row (softmax), from every z of the layer."""
    layer, f = c.step.layers[l - 1], c.activations[l - 1]
    total = partial(shown_sum, c.sizes[l])
    return c.equation(
        a_(l, j + 1),
        [f.row_formula(j, lambda k: z_(l, k + 1), total)],
        [f.row_formula(j, lambda k: Num(layer.z[s, k]), total)],
        layer.a[s, j],
        about=("neuron", l, j),
        sample=s,
    )


def _mask_note(c: Context, l: int) -> Note:
    """Which neurons of layer l dropout switched off in this step, sample by sample."""
    layer = c.step.layers[l - 1]
    mark = f"({l})".translate(SUP)
    parts = []
    for s in c.samples():
        if s is None:
            continue
        dropped = [str(j + 1) for j in range(c.sizes[l]) if layer.mask[s, j] == 0]
        where = f"sample {s + 1}: " if c.batch > 1 else ""
        parts.append(
            where
            + (
                f"neuron{'s' if len(dropped) > 1 else ''} {', '.join(dropped)} dropped (m = 0)"
                if dropped
                else "none dropped"
            )
        )
    return Note(
        f"dropout mask m{mark} this step: "
        + "; ".join(parts)
        + f"; the others kept (m = {c.num(dropout.keep_scale(c.trace.network.dropout))})"
    )
