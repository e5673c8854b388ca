"""The header: the network layer by layer, its loss and optimizer, how it learns (mini-batches,
dropout, penalties), the input and target, and the starting weights."""

from __future__ import annotations

import numpy as np

from visualizer.core.expr import SUP, Sym
from visualizer.functions import dropout
from visualizer.functions.activations import PERCEPTRON_RULE
from visualizer.network.batches import steps_per_epoch
from visualizer.style import count, pick
from visualizer.texify import latex_text

from ..document import Note, Section, Table
from ..notation import x_, y_
from . import sample
from .context import TABLE_COLUMNS, Context, cut_rows


def sections(c: Context) -> list[Section]:
    """The header, from the trace's first step (the starting weights)."""
    net = c.trace.network
    section = Section(f"Network {net.name}", "header")
    section.items += [_layers(c), *sample.output_names(c), _loss(c), _optimizer(c), *_how_it_learns(c)]
    drawn, given = set(net.drawn), sample.sources(c)
    for name, symbol, data in (("input", x_, c.trace.input), ("target", y_, c.trace.target)):
        source = f" (drawn from seed {net.seed}; give your own with --{name})" if name in drawn else ""
        source = f": {given[name]}" if name in given else source
        section.items += [Note(f"{name} {symbol(1).base}{source}:"), _data_table(c, symbol, data)]
        if name == "input":
            section.items += sample.picture(c)
    if parameters := [name for name in ("weights", "biases") if name in drawn]:
        section.items.append(
            Note(
                f"{' and '.join(parameters)} drawn from seed {net.seed} ({net.init} initialization); "
                "a spec file can give them"
            )
        )
    for l, layer in enumerate(c.step.layers, start=1):
        mark = f"({l})".translate(SUP)
        section.items += [
            Note(f"layer {l}: weights w{mark}ⱼₖ (row j: into neuron j) and biases b{mark}ⱼ"),
            c.parameter_table(l, layer.W, layer.b),
        ]
    return [section]


def _layers(c: Context) -> Note:
    layers = [count(c.sizes[0], "input")] + [
        f"{count(n, 'output') if l == c.L else f'{n} hidden'} ({a.name})"
        for l, (n, a) in enumerate(zip(c.sizes[1:], c.activations), start=1)
    ]
    return Note(" → ".join(layers))


def _loss(c: Context) -> Note:
    return Note(f"loss {c.loss.name}: {c.loss.text}", latex=f"loss {latex_text(c.loss.name)}: ${c.loss.latex}$")


def _optimizer(c: Context) -> Note:
    net = c.trace.network
    hyper = ", ".join(f"{c.optimizer.symbols.get(k, Sym(k)).text()} = {c.num(v)}" for k, v in c.hyper.items())
    rule = f"; learning rule: the perceptron's, {PERCEPTRON_RULE}" if net.rule == "perceptron" else ""
    return Note(f"optimizer {c.optimizer.name} ({hyper}); seed {net.seed}{rule}")


def _how_it_learns(c: Context) -> list[Note]:
    """How the steps learn, where there is more to it than the loss of the whole batch: mini-batches,
    dropout, penalties."""
    net = c.trace.network
    notes = []
    k, n = net.batch_size, len(c.trace.input)
    if k is not None and k < n:
        notes.append(
            Note(
                f"mini-batch SGD: each step learns from {k} of the {n} samples, taken in a new random order each "
                f"epoch ({steps_per_epoch(n, k)} steps an epoch); the loss is the mean over the step's mini-batch"
            )
        )
    if net.dropout > 0:
        notes.append(Note(dropout.explanation(net.dropout, c.num)))
    if c.penalties:
        terms = " + ".join(p.text for p, _ in c.penalties)
        values = ", ".join(f"{p.symbol.text()} = {c.num(lam)}" for p, lam in c.penalties)
        notes.append(Note(f"regularization: E = E_data + {terms} ({values}), over every weight, not the biases"))
    return notes


def _data_table(c: Context, symbol, data: np.ndarray) -> Table:
    """Every sample of the data (not only the step's batch), a few rows and columns of a large one."""
    columns = pick(data.shape[1], TABLE_COLUMNS)
    hidden = data.shape[1] - len(columns) + 1
    header = ["sample"] + [symbol(k + 1) if k is not None else f"… {hidden} more" for k in columns]
    row = lambda s: [str(s + 1)] + [data[s, k] if k is not None else "…" for k in columns]  # noqa: E731
    return c.table(header, cut_rows(len(data), row, len(header)))
