"""The computation graph of one step, the picture micrograd users know: a box per value with
its value and gradient, a circle per op, left to right in topological generations."""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch

from visualizer.functions.activations import ACTIVATIONS
from visualizer.network.trace import Trace
from visualizer.render.layout import computation_graph
from visualizer.style import PHASE_COLORS, format_display, format_number

# the engine's ops by their symbol; an activation's op is named after it and drawn as its own f
OP_SYMBOLS = {
    "add": "+",
    "sub": "−",
    "mul": "×",
    "div": "÷",
    "matmul": "@",
    "transpose": "ᵀ",
    "neg": "−",
    "sum": "Σ",
    "mean": "mean",
    "exp": "exp",
    "log": "log",
    "pow2": "x²",
    "matmulᵀ": "@ᵀ",
    "pow0.5": "√",
    **{name: activation.symbol for name, activation in ACTIVATIONS.items()},
}
X_GAP, Y_GAP = 1.85, 1.25
BOX_W, BOX_H, OP_R = 1.44, 0.72, 0.24
PER_ROW = 11  # columns per row: a longer chain continues on the next row, so the picture fits a page


def _summary(array) -> str:
    """A value small enough to print, or its shape."""
    if array.size <= 3:
        return ", ".join(format_display(float(v), 3) for v in array.ravel())
    return "×".join(map(str, array.shape)) + " array"


def _rim(center, toward, kind):
    """Where the line from `center` to `toward` leaves the node's box or circle."""
    (x, y), (tx, ty) = center, toward
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy)
    if kind == "op":
        t = OP_R / length
    else:
        t = min((BOX_W / 2 + 0.04) / abs(dx) if dx else math.inf, (BOX_H / 2 + 0.04) / abs(dy) if dy else math.inf)
    return x + t * dx, y + t * dy


def draw_graph(trace: Trace) -> Figure:
    G = computation_graph(trace)
    columns = [d["pos"][0] for _, d in G.nodes(data=True)]
    heights = [abs(d["pos"][1]) for _, d in G.nodes(data=True)]
    row_height = (2 * max(heights) + 2.2) * Y_GAP
    first = min(columns)

    def place(x, y):
        row, column = divmod(int(x - first), PER_ROW)
        return column * X_GAP, y * Y_GAP - row * row_height

    pos = {n: place(*d["pos"]) for n, d in G.nodes(data=True)}
    width = max(x for x, _ in pos.values()) + 2.5
    height = max(y for _, y in pos.values()) - min(y for _, y in pos.values()) + 2.5
    fig = Figure(figsize=(max(8.0, width * 0.95), max(4.0, height * 0.95)), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    for u, v in G.edges():
        start, end = _rim(pos[u], pos[v], G.nodes[u]["kind"]), _rim(pos[v], pos[u], G.nodes[v]["kind"])
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            zorder=1,
            arrowprops=dict(arrowstyle="-|>", color="0.55", lw=0.9, shrinkA=0, shrinkB=0),
        )
    for node, d in G.nodes(data=True):
        x, y = pos[node]
        if d["kind"] == "op":
            ax.add_patch(Circle((x, y), OP_R, facecolor="0.93", edgecolor="0.4", zorder=2))
            ax.text(x, y, OP_SYMBOLS.get(d["op"], d["op"]), ha="center", va="center", fontsize=9, zorder=3)
            continue
        ax.add_patch(
            FancyBboxPatch(
                (x - BOX_W / 2, y - BOX_H / 2),
                BOX_W,
                BOX_H,
                boxstyle="round,pad=0.02",
                zorder=2,
                facecolor="white",
                edgecolor=PHASE_COLORS["forward"],
                lw=1.1,
            )
        )
        ax.text(x, y + 0.2, d["name"], ha="center", va="center", fontsize=8, fontweight="bold", zorder=3)
        ax.text(
            x, y, _summary(d["value"]), ha="center", va="center", fontsize=7, zorder=3, color=PHASE_COLORS["forward"]
        )
        ax.text(
            x,
            y - 0.2,
            "∂E: " + _summary(d["grad"]),
            ha="center",
            va="center",
            fontsize=7,
            zorder=3,
            color=PHASE_COLORS["backward"],
        )
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    fig.suptitle(
        f"{trace.network.name} · computation graph of step 1 · E = {format_number(trace.steps[0].loss)}",
        fontsize=13,
        fontweight="bold",
    )
    ax.set_title("each box: its value (blue) and ∂E/∂value (orange)", fontsize=10)
    return fig
