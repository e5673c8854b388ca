"""Pictures of the network for one step: the forward pass, the backward pass, the update.

Drawn from the neuron graph of `layout.py` (never recomputed). Edges are one LineCollection,
so a 784-input layer costs one artist, not thousands. Colours come from the shared signed map,
centred on zero; widths grow with |value|. Small networks get every number written on the
picture; wide layers are collapsed the way the layout says.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from visualizer.core.expr import Sym
from visualizer.functions.dropout import keep_scale
from visualizer.network.trace import Trace
from visualizer.render.layout import LABELLED_EDGES, edge_label_share, neuron_graph, symmetric_limit
from visualizer.style import PHASE_COLORS, SIGNED_CMAP, format_display, format_number

RADIUS = 0.32
ROW_GAP = 1.4  # vertical distance between neurons, in layout units: room for a label above and below
KINDS = {
    "forward": ("w", "a", "forward pass: a = f(Σ w·a_prev + b)"),
    "backward": ("grad", "delta", "backward pass: δ = ∂E/∂z, ∂E/∂w = δ·a_prev"),
    "update": ("change", None, "update: w ← w − η·∂E/∂w"),
}


def draw_network(trace: Trace, kind: str, *, step: int = 0) -> Figure:
    edge_key, node_key, subtitle = KINDS[kind]
    G = neuron_graph(trace, step=step)
    pos = {n: (d["pos"][0], d["pos"][1] * ROW_GAP) for n, d in G.nodes(data=True)}
    rows = max(len([n for n in G if n[0] == l]) for l in range(len(G.graph["sizes"])))
    fig = Figure(figsize=(2.4 * len(G.graph["sizes"]) + 2.8, 1.35 * rows + 2.0), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    cmap = colormaps[SIGNED_CMAP]

    edges = list(G.edges(data=True))
    edge_values = [d[edge_key] for _, _, d in edges]
    node_values = [d[node_key] for _, d in G.nodes(data=True) if node_key and node_key in d]
    limit = symmetric_limit(edge_values + (node_values if kind == "backward" else []))
    norm = Normalize(-limit, limit)
    widths = [0.6 + 3.4 * abs(v) / limit for v in edge_values]
    segments = [_shorten(pos[u], pos[v]) for u, v, _ in edges]
    # a thin grey line under each edge keeps the wiring visible where a value is near zero
    ax.add_collection(LineCollection(segments, colors="0.85", linewidths=0.5, zorder=0.5))
    ax.add_collection(
        LineCollection(segments, colors=cmap(norm(edge_values)), linewidths=widths, zorder=1, capstyle="round")
    )
    per_layer = {l: sum(1 for *_, d in edges if d["layer"] == l) for l in range(1, len(G.graph["sizes"]))}
    for (u, v, d), (start, end), color in zip(edges, segments, cmap(norm(edge_values))):
        if kind == "backward" and len(edges) <= 60:  # arrowheads point the way the error flows
            ax.annotate(
                "",
                xy=start,
                xytext=end,
                zorder=2,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=0, mutation_scale=12, shrinkA=0, shrinkB=0),
            )
        if per_layer[d["layer"]] <= LABELLED_EDGES:
            _edge_label(ax, u, v, d, kind, start, end, G)

    node_norm = norm if kind == "backward" else Normalize(-symmetric_limit(node_values), symmetric_limit(node_values))
    for node, d in G.nodes(data=True):
        _draw_node(ax, node, d, pos[node], kind, node_key, cmap, node_norm)

    loss = format_number(G.graph["loss"])
    after = f" → {format_number(G.graph['loss_after'])}" if kind == "update" else ""
    batch = len(trace.rows(trace.steps[G.graph["step"] - 1]))  # the step's batch
    sample = f" · sample 1 of {batch}" if batch > 1 and kind != "update" else ""
    fig.suptitle(
        f"{trace.network.name} · step {G.graph['step']} · E = {loss}{after}{sample}", fontsize=13, fontweight="bold"
    )
    p = trace.network.dropout
    if p > 0 and kind != "update":  # what the crossed-out neurons are
        subtitle += (
            f"   ·   dropout p = {format_number(p)}: crossed out this step, kept ones ×{format_number(keep_scale(p))}"
        )
    ax.set_title(subtitle, fontsize=10, color=PHASE_COLORS[kind])
    if kind != "forward":
        label = {"backward": "∂E/∂z (neurons) and ∂E/∂w (edges)", "update": "Δw = w_new − w"}[kind]
        fig.colorbar(ScalarMappable(norm, cmap), ax=ax, shrink=0.6, label=label, pad=0.01)
    else:
        fig.colorbar(ScalarMappable(norm, cmap), ax=ax, shrink=0.6, label="weight w", pad=0.01)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.6)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
    return fig


def _shorten(start, end, by: float = RADIUS):
    """The segment between two circles' rims rather than their centres."""
    start, end = np.asarray(start, float), np.asarray(end, float)
    direction = (end - start) / np.linalg.norm(end - start)
    return (tuple(start + by * direction), tuple(end - by * direction))


def _edge_label(ax, u, v, d, kind, start, end, G):
    t = edge_label_share(G, u)
    x, y = (1 - t) * np.asarray(start) + t * np.asarray(end)
    if kind == "forward":
        text = format_display(d["w"], 3)
    elif kind == "backward":
        text = format_display(d["grad"], 3)
    else:
        text = f"{format_display(d['w'], 3)}→{format_display(d['w_new'], 3)}"
    ax.text(
        x,
        y,
        text,
        fontsize=7.5,
        ha="center",
        va="center",
        zorder=3,
        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85),
    )


def _draw_node(ax, node, d, xy, kind, key, cmap, norm):
    l, j = node
    x, y = xy
    if d["kind"] == "ellipsis":
        ax.text(x, y, f"⋮\n{d['hidden']} more", ha="center", va="center", fontsize=8, color="0.3")
        return
    value = d.get(key) if key else None
    face = cmap(norm(value)) if value is not None else "white"
    dropped = d.get("dropped", False)
    ax.add_patch(
        Circle(
            xy,
            RADIUS,
            facecolor=face,
            edgecolor="0.2",
            lw=1.0,
            zorder=4,
            linestyle="--" if dropped else "-",
            alpha=0.45 if dropped else 1.0,
        )
    )
    if dropped:  # dropout switched it off this step: a cross over it, and a word under it
        for sign in (1, -1):
            ax.plot(
                [x - 0.7 * RADIUS, x + 0.7 * RADIUS],
                [y - sign * 0.7 * RADIUS, y + sign * 0.7 * RADIUS],
                color="0.35",
                lw=1.2,
                zorder=6,
            )
        if kind != "update":
            ax.text(x, y - RADIUS - 0.1, "dropped", ha="center", va="top", fontsize=7, color="0.35", zorder=5)
    if value is not None and not dropped:  # a dropped neuron's 0 is what the cross says
        dark = abs(norm(value) - 0.5) > 0.35
        ax.text(
            x,
            y,
            format_display(value, 3),
            ha="center",
            va="center",
            fontsize=7.5,
            color="white" if dark else "black",
            zorder=5,
        )
    symbol = (
        Sym("x", (j + 1,))
        if l == 0
        else Sym("δ" if kind == "backward" else "a", (j + 1,), l, latex_base=r"\delta" if kind == "backward" else "")
    )
    ax.text(x, y + RADIUS + 0.12, f"${symbol.latex()}$", ha="center", va="bottom", fontsize=9, zorder=5)
    if d["kind"] == "output" and kind == "forward":
        ax.text(
            x + RADIUS + 0.15,
            y,
            f"y = {format_number(d['target'], 3)}",
            ha="left",
            va="center",
            fontsize=8.5,
            color=PHASE_COLORS["loss"],
        )
    if kind == "update" and l > 0:
        ax.text(
            x,
            y - RADIUS - 0.1,
            f"b: {format_display(d['b'], 3)} → {format_display(d['b_new'], 3)}",
            ha="center",
            va="top",
            fontsize=7,
            color="0.25",
        )
