"""Pictures of the network for one step: the forward pass, the backward pass, the update.

Drawn from the neuron graph of `layout.py` (never recomputed). Edges are one LineCollection,
so a 784-input layer costs one artist, not thousands. Colours come from the shared signed map,
centred on zero; widths grow with |value|. Small networks get every number written on the
picture, at the precision asked for; wide layers are collapsed the way the layout says.

Text keeps its size in points: the drawing is scaled (canvas.fit_scale) until every number fits
its circle and no label touches another label or a neuron, so 9 digits widen the picture
rather than shrink the type.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from visualizer.core.expr import Sym
from visualizer.functions.dropout import keep_scale
from visualizer.network.trace import Trace
from visualizer.render.layout import LABELLED_EDGES, edge_label_share, symmetric_limit
from visualizer.style import DEFAULT_DIGITS, PHASE_COLORS, SIGNED_CMAP, format_display, text_color

from .canvas import Label, extent, fit_scale, page, square
from .sample import Panel, network_graph, sample_view

RADIUS = 0.32
ROW_GAP = 1.4  # vertical distance between neurons, in layout units: room for a label above and below
SCALE = 1.0  # inches per layout unit at the least; more when the numbers need it
NUMBER_SIZE = 7.5  # points: numbers in circles and on edges
KINDS = {
    "forward": ("w", "a", "forward pass: a = f(Σ w·a_prev + b)"),
    "backward": ("grad", "delta", "backward pass: δ = ∂E/∂z, ∂E/∂w = δ·a_prev"),
    "update": ("change", None, "update: w ← w − η·∂E/∂w"),
}
COLORBAR_LABELS = {
    "forward": "weight w",
    "backward": "∂E/∂z (neurons) and ∂E/∂w (edges)",
    "update": "Δw = w_new − w",
}
EDGE_CARD = dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85)


def draw_network(trace: Trace, kind: str, *, step: int = 0, precision: int | None = None) -> Figure:
    """The `kind` picture of step `step`, numbers at `precision` significant figures (default 4).

    Given numbers (inputs, targets, the step's weights and biases) are written as typed; computed
    ones (a, δ, ∂E/∂w, new weights, the loss) keep their trailing zeros, as in the video."""
    digits = precision or DEFAULT_DIGITS
    edge_key, node_key, subtitle = KINDS[kind]
    G = network_graph(trace, step)
    view = sample_view(trace, step)
    pos = {n: (d["pos"][0], d["pos"][1] * ROW_GAP) for n, d in G.nodes(data=True)}
    cmap = colormaps[SIGNED_CMAP]

    edges = list(G.edges(data=True))
    edge_values = [d[edge_key] for _, _, d in edges]
    node_values = [d[node_key] for _, d in G.nodes(data=True) if node_key and node_key in d]
    limit = symmetric_limit(edge_values + (node_values if kind == "backward" else []))
    norm = Normalize(-limit, limit)
    node_norm = norm if kind == "backward" else Normalize(-symmetric_limit(node_values), symmetric_limit(node_values))
    segments = [_shorten(pos[u], pos[v]) for u, v, _ in edges]

    # what is written where, measured before anything is drawn, so the scale can make room for it
    per_layer = {l: sum(1 for *_, d in edges if d["layer"] == l) for l in range(1, len(G.graph["sizes"]))}
    labels = [
        _edge_label(u, d, kind, start, end, G, digits)
        for (u, v, d), (start, end) in zip(edges, segments)
        if per_layer[d["layer"]] <= LABELLED_EDGES
    ]
    named = view is not None and bool(view.names)  # the class names and bars take the targets' place
    for node, d in G.nodes(data=True):
        labels += _node_labels(node, d, pos[node], kind, node_key, lambda v: cmap(node_norm(v)), digits, named)
    for label in labels:
        label.measure()
    circles = [square(*pos[n], RADIUS) for n, d in G.nodes(data=True) if d["kind"] != "ellipsis"]
    scale = fit_scale(labels, circles, SCALE)
    panel = None
    if view is not None:  # the sample's image, names and bars: placed at the network's scale, then all fitted
        # the update's output biases go beside their neurons, the rows of named outputs being close
        outputs = [(n, d) for n, d in G.nodes(data=True) if d["kind"] == "output"]
        beside = {n: _bias_change(d, digits) for n, d in outputs if kind == "update" and named}
        panel = Panel(view, G, pos, kind, RADIUS, digits, scale, beside)
        labels += panel.labels
        labels += panel.place(fit_scale(labels, circles + panel.shapes, scale))
        circles += panel.shapes
        scale = fit_scale(labels, circles, scale)
    xlim, ylim = extent(labels, circles, scale)

    p = trace.network.dropout
    if p > 0 and kind != "update":  # what the crossed-out neurons are
        subtitle += (
            f"   ·   dropout p = {format_display(p)}: crossed out this step, kept ones ×{format_display(keep_scale(p))}"
        )
    loss = format_display(G.graph["loss"], digits, zeros=True)
    after = f" → {format_display(G.graph['loss_after'], digits, zeros=True)}" if kind == "update" else ""
    batch = len(trace.rows(trace.steps[G.graph["step"] - 1]))  # the step's batch
    sample = f" · sample 1 of {batch}" if batch > 1 and kind != "update" else ""
    fig, ax, cax = page(
        xlim,
        ylim,
        scale,
        title=f"{trace.network.name} · step {G.graph['step']} · E = {loss}{after}{sample}",
        subtitle=subtitle,
        subtitle_color=PHASE_COLORS[kind],
        colorbar=COLORBAR_LABELS[kind],
    )

    widths = [0.6 + 3.4 * abs(v) / limit for v in edge_values]
    colors = cmap(norm(edge_values))
    # a thin grey line under each edge keeps the wiring visible where a value is near zero
    ax.add_collection(LineCollection(segments, colors="0.85", linewidths=0.5, zorder=0.5))
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=widths, zorder=1, capstyle="round"))
    if kind == "backward" and len(edges) <= 60:  # arrowheads point the way the error flows
        for (start, end), color in zip(segments, colors):
            ax.annotate(
                "",
                xy=start,
                xytext=end,
                zorder=2,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=0, mutation_scale=12, shrinkA=0, shrinkB=0),
            )
    for node, d in G.nodes(data=True):
        _draw_node(ax, d, pos[node], kind, node_key, cmap, node_norm)
    if panel is not None:
        panel.draw(ax)
        ax.set_xlim(*xlim)  # imshow would fit the limits to the image
        ax.set_ylim(*ylim)
    for label in labels:
        ax.text(label.x, label.y, label.text, **label.props)
    fig.colorbar(ScalarMappable(norm, cmap), cax=cax, label=COLORBAR_LABELS[kind])
    return fig


def _shorten(start, end, by: float = RADIUS):
    """The segment between two circles' rims rather than their centres."""
    start, end = np.asarray(start, float), np.asarray(end, float)
    direction = (end - start) / np.linalg.norm(end - start)
    return (tuple(start + by * direction), tuple(end - by * direction))


def _computed(value: float, digits: int) -> str:
    return format_display(value, digits, zeros=True)


def _edge_label(u, d, kind, start, end, G, digits) -> Label:
    t = edge_label_share(G, u)
    x, y = (1 - t) * np.asarray(start) + t * np.asarray(end)
    if kind == "forward":
        text = format_display(d["w"], digits)
    elif kind == "backward":
        text = _computed(d["grad"], digits)
    else:
        text = f"{format_display(d['w'], digits)}→{_new(d['w'], d['w_new'], digits)}"
    props = dict(fontsize=NUMBER_SIZE, ha="center", va="center", zorder=3, bbox=EDGE_CARD)
    return Label(float(x), float(y), text, props)


def _new(old: float, new: float, digits: int) -> str:
    """A parameter after the update: computed, unless the update left it as it was (a frozen bias)."""
    return format_display(new, digits) if new == old else _computed(new, digits)


def _node_labels(node, d, xy, kind, key, fill, digits, named=False) -> list[Label]:
    """The texts of one neuron: its value inside, its symbol above, its target or bias change beside."""
    l, j = node
    x, y = xy
    if d["kind"] == "ellipsis":
        return [Label(x, y, f"⋮\n{d['hidden']} more", dict(ha="center", va="center", fontsize=8, color="0.3"))]
    labels = []
    value = d.get(key) if key else None
    dropped = d.get("dropped", False)
    if dropped and kind != "update":  # dropout switched it off this step: a word under its cross
        labels.append(
            Label(x, y - RADIUS - 0.1, "dropped", dict(ha="center", va="top", fontsize=7, color="0.35", zorder=5))
        )
    if value is not None and not dropped:  # a dropped neuron's 0 is what the cross says
        ink = text_color(to_hex(fill(value)))  # black or white by WCAG contrast, as TikZ and the video
        text = format_display(value, digits) if l == 0 else _computed(value, digits)  # inputs are given
        props = dict(ha="center", va="center", fontsize=NUMBER_SIZE, color=ink, zorder=5)
        labels.append(Label(x, y, text, props, inside=(x, y, RADIUS)))
    backward = kind == "backward"
    symbol = (
        Sym("x", (j + 1,))
        if l == 0
        else Sym("δ" if backward else "a", (j + 1,), l, latex_base=r"\delta" if backward else "")
    )
    labels.append(
        Label(x, y + RADIUS + 0.12, f"${symbol.latex()}$", dict(ha="center", va="bottom", fontsize=9, zorder=5))
    )
    if d["kind"] == "output" and kind == "forward" and not named:
        target = f"y = {format_display(d['target'], digits)}"
        labels.append(
            Label(x + RADIUS + 0.15, y, target, dict(ha="left", va="center", fontsize=8.5, color=PHASE_COLORS["loss"]))
        )
    if kind == "update" and l > 0 and not (named and d["kind"] == "output"):
        change = _bias_change(d, digits)
        # on a card, as the edges' numbers: a wide layer's edges run under it and would cross it out
        props = dict(ha="center", va="top", fontsize=7, color="0.25", zorder=4, bbox=EDGE_CARD)
        labels.append(Label(x, y - RADIUS - 0.1, change, props))
    return labels


def _bias_change(d: dict, digits: int) -> str:
    return f"b: {format_display(d['b'], digits)} → {_new(d['b'], d['b_new'], digits)}"


def _draw_node(ax, d, xy, kind, key, cmap, norm):
    if d["kind"] == "ellipsis":
        return
    x, y = xy
    value = d.get(key) if key else None
    dropped = d.get("dropped", False)
    face = cmap(norm(value)) if value is not None else "white"
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
    if dropped:  # dropout switched it off this step: a cross over it
        for sign in (1, -1):
            ax.plot(
                [x - 0.7 * RADIUS, x + 0.7 * RADIUS],
                [y - sign * 0.7 * RADIUS, y + sign * 0.7 * RADIUS],
                color="0.35",
                lw=1.2,
                zorder=6,
            )
