"""The computation graph of one step, the picture micrograd users know: a box per value with
its value and gradient, a circle per op, left to right in topological generations.

A long graph continues on further rows, and edges never run through a node they do not join:
between neighbouring columns an edge is a straight line when that is clear; otherwise it leaves
its node into the channel beside it, runs along a free lane (between two rows when it wraps to
the next one, or above, below or between the nodes of the columns it passes) and enters its
target from the channel before it. Channels and lanes lie where no node is, by construction.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from visualizer.core.expr import SUP
from visualizer.functions.activations import ACTIVATIONS
from visualizer.network.expr_trace import ExprTrace
from visualizer.network.trace import Trace
from visualizer.render.layout import computation_graph, expression_graph
from visualizer.style import DEFAULT_DIGITS, PHASE_COLORS, format_display

from .canvas import page, text_size

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
    "max": "max",
    "pow": "xⁿ",
    **{name: activation.symbol for name, activation in ACTIVATIONS.items()},
}
SCALE = 0.95  # inches per unit
Y_GAP = 1.25  # between the nodes of a column
BOX_H, OP_R = 0.72, 0.24
MIN_BOX_W = 1.44  # wider when its numbers need it (all boxes as wide as the widest)
CHANNEL = 0.41  # the free space between two columns of boxes, where edges run up and down
LANE = 0.16  # between two edges running side by side
ROW_GAP = 0.9  # between two rows, besides the lanes of the edges wrapping through it
MOST_WIDE = 20.0  # inches: a longer chain continues on the next row
NAME, NUMBERS = dict(fontsize=8, fontweight="bold"), dict(fontsize=7)
TEXT_PAD = 0.14  # units between a box's text and its sides


def _summary(array, digits: int) -> str:
    """A value small enough to print, or its shape."""
    if array.size <= 3:
        return ", ".join(format_display(float(v), digits) for v in array.ravel())
    return "×".join(map(str, array.shape)) + " array"


def _texts(d, digits: int, of: str = "E") -> tuple[str, str, str]:
    return d["name"], _summary(d["value"], digits), f"∂{of}: " + _summary(d["grad"], digits)


def _op_label(d, digits: int) -> str:
    """The op's symbol, with the constant it takes written in (×2, +1, 10÷, x³)."""
    symbol = OP_SYMBOLS.get(d["op"], d["op"])
    constants = d.get("constants", ())
    if not constants:
        return symbol
    (position, c), *_ = constants
    shown = format_display(c, digits)
    if d["op"] == "pow":
        return "x" + (shown.translate(SUP) if float(c).is_integer() and c >= 0 else "^" + shown)
    return f"{shown}{symbol}" if position == 0 else f"{symbol}{shown}"


class _Layout:
    """Where every node is, and the free channels and lanes between them."""

    def __init__(self, G, box_w: float):
        self.G, self.box_w = G, box_w
        self.x_gap = box_w + CHANNEL
        first = min(d["pos"][0] for _, d in G.nodes(data=True))
        self.column = {n: int(d["pos"][0] - first) for n, d in G.nodes(data=True)}
        columns = max(self.column.values()) + 1
        rows = math.ceil(columns * self.x_gap * SCALE / MOST_WIDE)
        self.per_row = math.ceil(columns / rows)  # rows of (nearly) equal length
        self.rows = math.ceil(columns / self.per_row)
        self.half = [BOX_H / 2] * self.rows  # row r's nodes lie within ±half[r] of its middle
        for n, d in G.nodes(data=True):
            self.half[self.row(n)] = max(self.half[self.row(n)], abs(d["pos"][1]) * Y_GAP + BOX_H / 2)
        self.wraps = [[] for _ in range(self.rows)]  # the edges passing below each row
        for u, v in G.edges():
            if self.row(v) > self.row(u):
                self.wraps[self.row(u)].append((u, v))
        for wraps in self.wraps:  # the further right and higher an edge leaves, the lower its lane: no crossings
            wraps.sort(key=lambda e: (self.slot(e[0]), G.nodes[e[0]]["pos"][1]))
        self.middle = [0.0]
        for r in range(1, self.rows):
            gap = ROW_GAP + LANE * len(self.wraps[r - 1])
            self.middle.append(self.middle[-1] - self.half[r - 1] - gap - self.half[r])

    def row(self, n) -> int:
        return self.column[n] // self.per_row

    def slot(self, n) -> int:
        return self.column[n] % self.per_row

    def xy(self, n) -> tuple[float, float]:
        return self.slot(n) * self.x_gap, self.G.nodes[n]["pos"][1] * Y_GAP + self.middle[self.row(n)]

    def half_size(self, n) -> tuple[float, float]:
        return (OP_R, OP_R) if self.G.nodes[n]["kind"] == "op" else (self.box_w / 2, BOX_H / 2)

    def channel(self, slot: int) -> float:
        """The x of the free channel right of column `slot` (-1: left of the first)."""
        return (slot + 0.5) * self.x_gap

    def gap_lane(self, row: int, i: int) -> float:
        """The y of the i-th edge wrapping below `row`, in the gap before the next row."""
        n = len(self.wraps[row])
        gap_middle = self.middle[row] - self.half[row] - (ROW_GAP + LANE * n) / 2
        return gap_middle - (i - (n - 1) / 2) * LANE  # the first lane on top

    def nodes_in(self, row: int, slot: int):
        return [n for n in self.G if self.row(n) == row and self.slot(n) == slot]


def _rim(L: _Layout, node, toward):
    """Where the line from `node`'s centre to `toward` leaves its box or circle."""
    (x, y), (tx, ty), half = L.xy(node), toward, L.half_size(node)
    dx, dy = tx - x, ty - y
    if L.G.nodes[node]["kind"] == "op":
        t = OP_R / math.hypot(dx, dy)
    else:
        t = min((half[0] + 0.03) / abs(dx) if dx else math.inf, (half[1] + 0.03) / abs(dy) if dy else math.inf)
    return x + t * dx, y + t * dy


def _reach(L: _Layout, node) -> float:
    """How far from its middle an edge may leave or enter a node sideways."""
    return 0.6 * OP_R if L.G.nodes[node]["kind"] == "op" else 0.3 * BOX_H


def _side(L: _Layout, node, y: float, sign: int) -> tuple[float, float]:
    """The point at height y on the node's right (sign +1) or left (-1) rim."""
    (x, middle), (hx, _) = L.xy(node), L.half_size(node)
    if L.G.nodes[node]["kind"] == "op":
        return x + sign * math.sqrt(OP_R**2 - (y - middle) ** 2), y
    return x + sign * (hx + 0.03), y


def _blocked(a, b, L: _Layout, ends) -> bool:
    """Whether the segment a–b passes through a node other than `ends`."""
    for n in L.G:
        if n in ends:
            continue
        (x, y), (hx, hy) = L.xy(n), L.half_size(n)
        if _segment_meets_box(a, b, (x - hx, y - hy, x + hx, y + hy)):
            return True
    return False


def _segment_meets_box(a, b, box) -> bool:
    """Liang–Barsky: does the segment a–b enter the rectangle (x0, y0, x1, y1)?"""
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, ax - box[0]), (dx, box[2] - ax), (-dy, ay - box[1]), (dy, box[3] - ay)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _lane_in_row(L: _Layout, row: int, first: int, last: int, y_u: float, y_v: float, taken) -> float:
    """A y at which a horizontal line crosses columns first..last of `row` clear of their nodes."""
    blocked = []
    for slot in range(first, last + 1):
        for n in L.nodes_in(row, slot):
            y, hy = L.xy(n)[1], L.half_size(n)[1]
            blocked.append((y - hy - LANE / 2, y + hy + LANE / 2))
    middle = L.middle[row]
    candidates = {y_u, y_v, middle + L.half[row] + LANE, middle - L.half[row] - LANE}
    for low, high in blocked:
        candidates |= {low - LANE / 2, high + LANE / 2}
    free = [
        y
        for y in candidates
        if all(not low < y < high for low, high in blocked) and all(abs(y - t) >= LANE * 0.9 for t in taken)
    ]
    return min(free, key=lambda y: (abs(y - y_u) + abs(y - y_v), -y))


def _routes(L: _Layout) -> dict:
    """The corners of every edge, from its source's rim to its target's rim."""
    G, routes, plans, lanes = L.G, {}, {}, {}
    for u, v in G.edges():
        (xu, yu), (xv, yv), ru, rv = L.xy(u), L.xy(v), L.row(u), L.row(v)
        if ru == rv and L.slot(v) == L.slot(u) + 1:
            a, b = _rim(L, u, (xv, yv)), _rim(L, v, (xu, yu))
            if not _blocked(a, b, L, {u, v}):
                routes[u, v] = [a, b]
                continue
        if rv > ru:  # wraps: down into the gap below u's row, back along it, down to v
            lane = L.gap_lane(ru, L.wraps[ru].index((u, v)))
        else:  # along the row, at a height clear of the columns in between
            taken = lanes.setdefault((ru, L.slot(u) + 1, L.slot(v) - 1), [])
            lane = _lane_in_row(L, ru, L.slot(u) + 1, L.slot(v) - 1, yu, yv, taken)
            taken.append(lane)
        plans[u, v] = lane
    # edges running up or down the same channel side by side, the lower lane the further right:
    # then they neither overlap nor cross where they leave their nodes or enter them
    legs: dict = {}
    for (u, v), lane in plans.items():
        legs.setdefault((L.row(u), L.slot(u)), []).append((lane, "out", u, v))
        legs.setdefault((L.row(v), L.slot(v) - 1), []).append((lane, "in", u, v))
    x_of, inner = {}, {}
    for (_, channel), members in legs.items():
        members.sort(key=lambda m: -m[0])
        step = min(LANE * 0.6, 0.8 * CHANNEL / len(members))
        for k, (_, side, u, v) in enumerate(members):
            x_of[side, u, v] = L.channel(channel) + (k - (len(members) - 1) / 2) * step
            if side == "in":  # of the edges entering v from here, the outer ones enter nearer v's middle
                inner.setdefault(v, []).append(u)
    for (u, v), lane in plans.items():
        (xu, yu), (xv, yv) = L.xy(u), L.xy(v)
        out_x, in_x = x_of["out", u, v], x_of["in", u, v]
        # leave and enter level, near the middle: the short legs inside the columns meet nothing
        reach_u, reach_v = _reach(L, u), _reach(L, v)
        leave_y = yu + max(-reach_u, min(reach_u, lane - yu))
        nearer = (len(inner[v]) - 1 - inner[v].index(u)) * reach_v / max(1, len(inner[v]) - 1)
        enter_y = yv + max(-reach_v, min(reach_v, lane - yv)) - math.copysign(nearer, lane - yv)
        points = [
            _side(L, u, leave_y, +1),
            (out_x, leave_y),
            (out_x, lane),
            (in_x, lane),
            (in_x, enter_y),
            _side(L, v, enter_y, -1),
        ]
        route = [points[0]]
        for p in points[1:]:  # corners on a straight run are no corners
            if math.dist(p, route[-1]) > 1e-9:
                route.append(p)
        routes[u, v] = route
    return routes


def _rounded(points, radius: float = 0.12) -> Path:
    """The polyline through `points`, its corners rounded."""
    vertices, codes = [points[0]], [Path.MOVETO]
    for before, corner, after in zip(points, points[1:], points[2:]):
        d_in, d_out = math.dist(before, corner), math.dist(corner, after)
        r = min(radius, d_in / 2, d_out / 2)
        start = [corner[i] - r * (corner[i] - before[i]) / d_in for i in (0, 1)]
        end = [corner[i] + r * (after[i] - corner[i]) / d_out for i in (0, 1)]
        vertices += [start, corner, end]
        codes += [Path.LINETO, Path.CURVE3, Path.CURVE3]
    vertices.append(points[-1])
    codes.append(Path.LINETO)
    return Path(vertices, codes)


def _gid(node) -> str:
    """A node's id in the SVG (value7, op7): the engine's node number."""
    return f"{node[0]}{node[1]}"


def draw_graph(trace: Trace, *, precision: int | None = None) -> Figure:
    digits = precision or DEFAULT_DIGITS
    title = (
        f"{trace.network.name} · computation graph of step 1 · "
        f"E = {format_display(trace.steps[0].loss, digits, zeros=True)}"
    )
    return _draw(computation_graph(trace), title, "E", digits)


def draw_expression_graph(expr: ExprTrace, *, precision: int | None = None) -> Figure:
    """An expression program's graph (`diagram --expr`), each box with its value and ∂out/∂value."""
    digits = precision or DEFAULT_DIGITS
    output = expr.node(expr.output)
    title = f"computation graph · {expr.output} = {format_display(output.value, digits, zeros=True)}"
    return _draw(expression_graph(expr), title, expr.output, digits)


def _draw(G, title: str, of: str, digits: int) -> Figure:
    texts = {n: _texts(d, digits, of) for n, d in G.nodes(data=True) if d["kind"] == "value"}
    widest = max(
        max(text_size(name, **NAME)[0], text_size(value, **NUMBERS)[0], text_size(grad, **NUMBERS)[0])
        for name, value, grad in texts.values()
    )
    L = _Layout(G, max(MIN_BOX_W, widest / 72 / SCALE + 2 * TEXT_PAD))
    routes = _routes(L)

    # the drawing's extent: every node, and every corner of an edge (lanes and channels included)
    extents = [
        (x + sx * L.half_size(n)[0], y + sy * L.half_size(n)[1])
        for n in G
        for x, y in [L.xy(n)]
        for sx, sy in ((-1, -1), (1, 1))
    ]
    points = extents + [p for route in routes.values() for p in route]
    xlim = (min(x for x, _ in points) - 0.1, max(x for x, _ in points) + 0.1)
    ylim = (min(y for _, y in points) - 0.1, max(y for _, y in points) + 0.1)
    fig, ax, _ = page(
        xlim,
        ylim,
        SCALE,
        title=title,
        subtitle=f"each box: its value (blue) and ∂{of}/∂value (green)",
    )
    for (u, v), route in routes.items():
        ax.add_patch(
            FancyArrowPatch(
                path=_rounded(route),
                arrowstyle="-|>",
                mutation_scale=10,
                color="0.55",
                lw=0.9,
                shrinkA=0,
                shrinkB=0,
                zorder=1,
                gid=f"{_gid(u)}-{_gid(v)}",
            )
        )
    for node, d in G.nodes(data=True):
        x, y = L.xy(node)
        if d["kind"] == "op":
            ax.add_patch(Circle((x, y), OP_R, facecolor="0.93", edgecolor="0.4", zorder=2, gid=_gid(node)))
            ax.text(x, y, _op_label(d, digits), ha="center", va="center", fontsize=9, zorder=3)
            continue
        ax.add_patch(
            FancyBboxPatch(
                (x - L.box_w / 2, y - BOX_H / 2),
                L.box_w,
                BOX_H,
                boxstyle="round,pad=0.02",
                zorder=2,
                facecolor="white",
                edgecolor=PHASE_COLORS["forward"],
                lw=1.1,
                gid=_gid(node),
            )
        )
        name, value, grad = texts[node]
        ax.text(x, y + 0.2, name, ha="center", va="center", zorder=3, **NAME)
        ax.text(x, y, value, ha="center", va="center", zorder=3, color=PHASE_COLORS["forward"], **NUMBERS)
        ax.text(x, y - 0.2, grad, ha="center", va="center", zorder=3, color=PHASE_COLORS["backward"], **NUMBERS)
    return fig
