"""A Trace as the explorer's payload: one JSON-able dict holding everything the page shows.

The network is the shared layout's (render/layout.py: positions, collapsed layers and their
"… n more" nodes), each step's circles and edges as looks.py colours them, each step's
equations and notes as explain writes them (equations.py), the loss curve and each step's
check (curve.py), and the settings serve mode lets a student edit. The page reads this and
computes nothing; the same dict feeds the notebook widget.
"""

from __future__ import annotations

from visualizer.functions.activations import ACTIVATIONS
from visualizer.functions.losses import LOSSES
from visualizer.network.trace import Trace
from visualizer.style import DEFAULT_DIGITS, PHASE_COLORS, VERDICT_COLORS, format_display

from ..explain import PHASES
from ..explain.notation import a_
from ..layout import LABELLED_EDGES, LAYER_GAP, MAX_NEURONS, edge_label_share, neuron_graph
from . import curve, looks
from .equations import Strings, step_equations

SCHEMA = "backprop-explorer/1"
SAMPLES = 8  # samples of a batch the page can show, the first ones (explain's default too)
RADIUS = 0.36  # a circle's radius, in neuron spacings (the diagrams' proportions)
PHASE_TITLES = {"forward": "forward pass", "loss": "loss", "backward": "backward pass", "update": "update"}


def payload(trace: Trace, *, precision: int | None = None) -> dict:
    """Everything the explorer shows of `trace`, at `precision` significant digits (default 4)."""
    digits = precision or DEFAULT_DIGITS
    G = neuron_graph(trace)
    nodes = [n for n in G.nodes if n[0] >= 0]
    pairs = [(G.edges[e]["layer"], e[1][1], e[0][1]) for e in G.edges]
    strings = Strings()
    header, written = step_equations(trace, digits, MAX_NEURONS, SAMPLES, strings)
    limits = looks.limits(trace)
    checks = curve.step_checks(trace)
    n = len(trace.steps)
    steps = []
    for i, step in enumerate(trace.steps):
        shown = min(SAMPLES, len(trace.rows(step)))
        steps.append(
            {
                "index": step.index,
                "title": f"step {step.index} of {n}" + _batch(trace, step),
                "loss": f"E = {format_display(step.loss, digits)} → {format_display(step.loss_after, digits)}",
                "check": checks[i],
                "samples": shown,
                "circles": {q: looks.circles(trace, step, q, nodes, shown, limits[q], digits) for q in ("a", "delta")},
                "edges": {q: looks.edges(step, q, pairs, limits[q], digits) for q in ("w", "grad", "change")},
                **written[i],
            }
        )
    return {
        "schema": SCHEMA,
        "network": {"name": trace.network.name, "sizes": list(trace.network.sizes), "about": header},
        "precision": digits,
        "phases": [
            {
                "name": p,
                "title": PHASE_TITLES[p],
                "color": PHASE_COLORS[p],
                "circles": looks.SHOWN[p][0],
                "edges": looks.SHOWN[p][1],
            }
            for p in PHASES
        ],
        "verdict_colors": VERDICT_COLORS,
        "scales": {q: looks.scale(q, limit, digits) for q, limit in limits.items()},
        "layout": _layout(G, nodes, pairs),
        "steps": steps,
        "curve": curve.loss_curve(trace, digits),
        "verdict": curve.verdict(trace),
        "settings": _settings(trace, nodes, pairs),
        "strings": strings.table(),
    }


def _batch(trace: Trace, step) -> str:
    rows = trace.rows(step)
    return f": samples {', '.join(str(r + 1) for r in rows)}" if len(rows) < len(trace.input) else ""


def node_id(l: int, j: int | None) -> str:
    return f"n-{l}-{j + 1}" if j is not None else f"more-{l}"


def _layout(G, nodes: list[tuple], pairs: list[tuple]) -> dict:
    """The layout's nodes and edges in the page's coordinates (y down), the loss beside the
    outputs, and the box around them all."""
    L = len(G.graph["sizes"]) - 1
    out_x = L * LAYER_GAP
    placed = []
    for l, j in nodes:
        x, y = G.nodes[(l, j)]["pos"]
        node = {"id": node_id(l, j), "layer": l, "x": x, "y": -y, "kind": G.nodes[(l, j)]["kind"]}
        if j is None:
            node["label"] = f"… {G.nodes[(l, j)]['hidden']} more"
        else:
            node["symbol"] = a_(l, j + 1).text()
        placed.append(node)
    per_layer = {l: sum(1 for p in pairs if p[0] == l) for l in range(1, L + 1)}
    edges = []
    for l, j, k in pairs:
        edge = {"id": f"e-{l}-{j + 1}-{k + 1}", "from": node_id(l - 1, k), "to": node_id(l, j)}
        edge["symbol"] = f"w{_sub(j + 1, k + 1)}{_sup(l)}"
        if per_layer[l] <= LABELLED_EDGES:  # where the diagrams write an edge's number, the page does too
            (x0, y0), (x1, y1) = G.nodes[(l - 1, k)]["pos"], G.nodes[(l, j)]["pos"]
            share = edge_label_share(G, (l - 1, k))
            edge["label_at"] = [round(x0 + share * (x1 - x0), 4), round(-(y0 + share * (y1 - y0)), 4)]
        edges.append(edge)
    loss = {"id": "loss", "x": out_x + LAYER_GAP * 0.7, "y": 0.0}
    xs = [n["x"] for n in placed] + [loss["x"]]
    ys = [n["y"] for n in placed]
    margin = 1.0
    box = [min(xs) - margin, min(ys) - margin, max(xs) - min(xs) + 2 * margin, max(ys) - min(ys) + 2 * margin]
    outputs = [n["id"] for n in placed if n["layer"] == L and n["kind"] != "ellipsis"]
    return {"nodes": placed, "edges": edges, "loss": {**loss, "from": outputs}, "box": box, "radius": RADIUS}


def _sub(*indices: int) -> str:
    text = ("," if any(i >= 10 for i in indices) else "").join(str(i) for i in indices)
    return text.translate(str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉‚"))


def _sup(l: int) -> str:
    return f"({l})".translate(str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾"))


def _settings(trace: Trace, nodes: list[tuple], pairs: list[tuple]) -> dict:
    """What serve mode lets a student edit, as it stands, and the names each choice takes.
    Numbers are written as the shortest text that reads back as the same float (repr), so an
    untouched field sent back changes nothing."""
    net = trace.network
    first = trace.steps[0].layers
    rows = lambda a: ";".join(",".join(repr(float(v)) for v in row) for row in a)  # noqa: E731
    # the starting weights and biases of the edges and neurons drawn (step 1's)
    start = {node_id(l, j): repr(float(first[l - 1].b[j])) for l, j in nodes if l > 0 and j is not None}
    start.update({f"e-{l}-{j + 1}-{k + 1}": repr(float(first[l - 1].W[j, k])) for l, j, k in pairs})
    return {
        "input": rows(trace.input),
        "target": rows(trace.target),
        "lr": repr(float(net.optimizer["lr"])) if "lr" in net.optimizer else "",
        "activation": net.activations[0] if len(net.activations) > 1 else "",
        "output_activation": net.activations[-1],
        "loss": net.loss,
        "start": start,
        "choices": {
            "activation": [n for n, a in ACTIVATIONS.items() if not a.output_only],
            "output_activation": list(ACTIVATIONS),
            "loss": list(LOSSES),
        },
    }
