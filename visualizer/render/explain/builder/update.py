"""The update, layer by layer: the optimizer's lines for the first few weights and biases (each
state it keeps, then the new value), a before/after table, and at the end the loss on the same
batch before and after the step."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from visualizer.core.expr import Sym
from visualizer.functions.optimizers import DERIVED, formulas
from visualizer.style import count

from ..document import Equation, Note, Section
from ..notation import b_, w_
from .context import Context, cut_rows

DETAILED = 2  # parameters per layer whose optimizer state is written out line by line


class _Parameter(NamedTuple):
    """A weight or bias: its symbol, where it is in its layer's arrays, and those arrays."""

    symbol: Sym
    at: tuple
    about: tuple  # as Equation.about: the edge of a weight, the neuron of a bias
    old: np.ndarray
    grad: np.ndarray
    new: np.ndarray
    change: np.ndarray
    state_before: dict  # the optimizer's slots as this step found them (none before the first)
    state_after: dict


def sections(c: Context) -> list[Section]:
    sections = [_layer(c, l) for l in range(1, c.L + 1)]
    sections[-1].items.append(
        Note(
            f"loss on the same batch: E = {c.num(c.step.loss)} → {c.num(c.step.loss_after)} "
            f"(change {c.num(c.step.loss_change)})",
            result=True,
        )
    )
    return sections


def _layer(c: Context, l: int) -> Section:
    section = Section(f"Update, layer {l}: {c.optimizer.text}", "update", 2)
    weights, biases = _parameters(c, l)
    trained = c.trace.network.train_biases
    shown = {"weights": set(c.shown_weights(l)), "biases": {(j,) for j in c.shown_biases(l)}}
    for group, name in ((weights, "weights"), (biases if trained else [], "biases")):
        written = [p for p in group if p.at in shown[name]]
        for n, parameter in enumerate(written):
            # the explorer shows each parameter's own lines, so every one is written in full
            section.items += _lines(c, parameter, detailed=n < DETAILED or c.options.layout is not None)
        if len(group) > len(written):
            section.items.append(
                Note(
                    f"… {count(len(group) - len(written), 'more ' + name[:-1], 'more ' + name)} of layer {l}, updated the same way"
                )
            )
    if not trained:
        section.items.append(Note("biases stay fixed (train_biases = false)"))
    every = weights + biases
    row = lambda i: [every[i].symbol, *(v[every[i].at] for v in every[i][3:7])]  # noqa: E731  (old, grad, new, change)
    section.items.append(c.table(["", "before", "∂E/∂·", "after", "Δ"], cut_rows(len(every), row, 5)))
    return section


def _parameters(c: Context, l: int) -> tuple[list[_Parameter], list[_Parameter]]:
    """Layer l's weights, row by row, and its biases."""
    layer = c.step.layers[l - 1]
    before = c.trace.steps[c.step.index - 2].layers[l - 1] if c.step.index > 1 else None  # as this step found it
    state_W, state_b = (before.state_W, before.state_b) if before else ({}, {})
    weights = [
        _Parameter(
            w_(l, j + 1, k + 1),
            (j, k),
            ("edge", l, j, k),
            layer.W,
            layer.grad_W,
            layer.W_new,
            layer.change_W,
            state_W,
            layer.state_W,
        )
        for j in range(layer.W.shape[0])
        for k in range(layer.W.shape[1])
    ]
    biases = [
        _Parameter(
            b_(l, j + 1),
            (j,),
            ("neuron", l, j),
            layer.b,
            layer.grad_b,
            layer.b_new,
            layer.change_b,
            state_b,
            layer.state_b,
        )
        for j in range(len(layer.b))
    ]
    return weights, biases


def _lines(c: Context, p: _Parameter, *, detailed: bool) -> list[Equation]:
    """The optimizer's lines for one parameter: each state it keeps where `detailed`, then the new value."""
    numbers = {**c.hyper, "w": p.old[p.at], "g": p.grad[p.at], "t": c.step.optimizer_state["t"]}
    for slot, values in p.state_after.items():
        numbers[slot] = float(p.state_before[slot][p.at]) if slot in p.state_before else 0.0
        numbers[f"{slot}'"] = float(values[p.at])
    lines = list(zip(formulas(c.optimizer, p.symbol), formulas(c.optimizer, p.symbol, numbers)))
    if not detailed:
        lines = lines[-1:]
    return [
        c.equation(
            lhs,
            [symbolic],
            [numeric],
            p.new[p.at] if slot == "w" else numbers[f"{slot}'"],
            arrow="=" if slot in DERIVED else "←",
            about=p.about,
        )
        for (slot, lhs, symbolic), (*_, numeric) in lines
    ]
