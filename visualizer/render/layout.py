"""Layouts computed once, for matplotlib and manim alike.

The **neuron graph** has one node per neuron and one edge per weight, each carrying its Trace
values (a, z, δ; w, ∂E/∂w, new w), and a position: layer l at x = l, neurons stacked evenly
around y = 0. A layer wider than `max_neurons` is collapsed to its first neurons, one
ellipsis node standing for the rest, and its last neuron; the collapse is recorded in the
graph (`G.graph["collapsed"]`) so every renderer draws the same thing. `max_outputs` lets the
output layer show more (a network naming its classes shows them all), its rows drawn closer
so that the column is no taller than a collapsed one.

The **computation graph** is the engine's op graph of the first step (or of an expression
program): value nodes (with value
and gradient) and op nodes between them, laid out left to right in topological generations.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from visualizer.network.expr_trace import ExprTrace
from visualizer.network.trace import GraphNode, Trace
from visualizer.style import pick

MAX_NEURONS = 8
LABELLED_EDGES = 6  # renderers write values on the edges between two layers only when there are at most this many
LAYER_GAP = 3.0  # x distance between layers, in neuron spacings


def neuron_graph(
    trace: Trace, *, step: int = 0, sample: int = 0, max_neurons: int = MAX_NEURONS, max_outputs: int | None = None
) -> nx.DiGraph:
    """The network of `trace.steps[step]` for one `sample` of the batch, laid out in layers; the
    output layer collapsed beyond `max_outputs` neurons (default: `max_neurons`)."""
    record = trace.steps[step]
    sizes = trace.network.sizes
    G = nx.DiGraph(
        network=trace.network.name,
        step=record.index,
        sample=sample,
        loss=record.loss,
        loss_after=record.loss_after,
        collapsed={},
        sizes=tuple(sizes),
    )
    shown_by_layer = []
    for l, n in enumerate(sizes):
        last = l == len(sizes) - 1 and max_outputs is not None
        shown = pick(n, max_outputs if last else max_neurons)
        shown_by_layer.append(shown)
        if None in shown:
            G.graph["collapsed"][l] = n - (len(shown) - 1)
        # more outputs than a collapsed layer shows: as tall as that layer, the rows closer
        pitch = (max_neurons - 1) / (len(shown) - 1) if last and len(shown) > max_neurons else 1.0
        for row, j in enumerate(shown):
            y = ((len(shown) - 1) / 2 - row) * pitch
            if j is None:
                G.add_node(
                    (l, None), layer=l, index=None, kind="ellipsis", hidden=n - (len(shown) - 1), pos=(l * LAYER_GAP, y)
                )
                continue
            G.add_node((l, j), layer=l, index=j, pos=(l * LAYER_GAP, y), **_neuron_values(trace, record, l, j, sample))
    for l in range(1, len(sizes)):
        layer = record.layers[l - 1]
        for j in shown_by_layer[l]:
            for k in shown_by_layer[l - 1]:
                if j is None or k is None:
                    continue
                G.add_edge(
                    (l - 1, k),
                    (l, j),
                    layer=l,
                    w=float(layer.W[j, k]),
                    grad=float(layer.grad_W[j, k]),
                    w_new=float(layer.W_new[j, k]),
                    change=float(layer.change_W[j, k]),
                )
    return G


def _neuron_values(trace: Trace, record, l: int, j: int, sample: int) -> dict:
    if l == 0:
        return {"kind": "input", "a": float(trace.input_of(record)[sample, j])}
    layer = record.layers[l - 1]
    values = {
        "kind": "output" if l == len(record.layers) else "hidden",
        "z": float(layer.z[sample, j]),
        "a": float(layer.a[sample, j]),
        "delta": float(layer.delta[sample, j]),
        "b": float(layer.b[j]),
        "grad_b": float(layer.grad_b[j]),
        "b_new": float(layer.b_new[j]),
        "dropped": bool(layer.mask[sample, j] == 0),  # switched off by dropout in this step
    }
    if values["kind"] == "output":
        values["target"] = float(trace.target_of(record)[sample, j])
    return values


def computation_graph(trace: Trace) -> nx.DiGraph:
    """The first step's op graph: value nodes (kind "value") and op nodes (kind "op").

    A transposed weight matrix is drawn as its matrix feeding a "@ᵀ" op (one node less per
    layer). Columns are topological generations, except that inputs and parameters sit in the
    column just before their first use rather than all at the far left.
    """
    return op_graph(trace.graph, trace.network.name)


def expression_graph(expr: ExprTrace) -> nx.DiGraph:
    """An expression program's graph (`explain --expr`): a box per named node, an op circle
    between; a constant operand is not a box of its own but written in its op (×2, +1), kept
    as the op node's `constants` ((operand position, number), …)."""
    index = {n.name: i for i, n in enumerate(expr.nodes)}
    nodes = [
        GraphNode(
            n.name,
            "" if n.op == "input" else n.op,
            tuple(index[o] for o in n.operands if isinstance(o, str)),
            np.array(n.value),
            np.array(n.grad),
        )
        for n in expr.nodes
    ]
    G = op_graph(nodes, expr.output)
    for i, n in enumerate(expr.nodes):
        if ("op", i) in G:
            G.nodes[("op", i)]["constants"] = tuple((k, o) for k, o in enumerate(n.operands) if not isinstance(o, str))
    return G


def op_graph(nodes, name: str) -> nx.DiGraph:
    """Value nodes and op nodes of a graph of `GraphNode`s, with positions."""
    G = nx.DiGraph(network=name)
    skipped = {i for i, n in enumerate(nodes) if n.op == "transpose"}

    def source(i):  # a transpose stands for its operand
        return nodes[i].parents[0] if i in skipped else i

    for i, node in enumerate(nodes):
        if i in skipped:
            continue
        G.add_node(("value", i), kind="value", name=node.name, op=node.op, value=node.value, grad=node.grad)
        if node.parents:
            transposed = any(p in skipped for p in node.parents)
            G.add_node(("op", i), kind="op", op=node.op + ("ᵀ" if transposed else ""))
            for p in node.parents:
                G.add_edge(("value", source(p)), ("op", i))
            G.add_edge(("op", i), ("value", i))
    column = {}
    for x, generation in enumerate(nx.topological_generations(G)):
        for node in generation:
            column[node] = x
    for node in G:
        if G.in_degree(node) == 0:
            column[node] = min(column[child] for child in G.successors(node)) - 1
    by_column: dict[int, list] = {}
    for node in sorted(G, key=lambda n: (column[n], n[1], n[0])):
        by_column.setdefault(column[node], []).append(node)
    for x, members in by_column.items():
        for row, node in enumerate(members):
            G.nodes[node]["pos"] = (float(x), (len(members) - 1) / 2 - row)
    return G


def edge_label_share(G: nx.DiGraph, source) -> float:
    """Where along an edge its number goes (0 at the source, 1 at the target): nearer the target,
    spread by the source's row, so edges crossing between the same layers rarely share a spot."""
    rows = sum(1 for node in G if node[0] == source[0])
    return 0.58 + 0.2 * ((source[1] or 0) / (rows - 1) if rows > 1 else 0.5)


def symmetric_limit(values) -> float:
    """The largest |value|, for a colour scale centred on zero (1 if all are zero)."""
    values = np.abs(np.asarray(list(values), dtype=float))
    return float(values.max()) if values.size and values.max() > 0 else 1.0
