"""Where things go in a TikZ network picture, in centimetres, sized to what is written.

TikZ measures text only when LaTeX runs, so the widths here are estimates from the glyph widths
of Computer Modern, measured. The circles are as large as
the longest number inside one; the layers are as far apart as the edge labels need; the rows are
as far apart as needed for the labels of crossing edges not to stack, and no label covers a neuron.
Each edge label is written along its edge, so that it plainly belongs to that edge.
"""

from __future__ import annotations

import math
import re

from visualizer.render.layout import LAYER_GAP, edge_label_share

CM_PER_PT = 2.54 / 72.27
VALUE_PT = 7.0  # numbers inside neurons and on edges (tikz.SIZE7)
LABEL_HEIGHT = 0.34  # an edge label's box, cm: a digit's height and depth, an arrow, the inner sep
LABEL_GAP = 0.15  # cm kept clear between two edge labels, so that labels of crossing edges read apart
SYMBOL_HEIGHT = 0.45  # a neuron's symbol above it (a⁽¹⁾₁), cm
# widths in ems of 7pt math, as measured with \settowidth (7pt Computer Modern is wider
# than 10pt scaled down: a digit is 0.57 em); a relation or operator includes its spacing
EM = {"\\to": 1.79, "\\times": 1.41, ".": 0.34, "-": 0.9, " ": 0.0, "$": 0.0, ":": 0.75, "=": 1.6}
_TOKEN = re.compile(r"\\to|\\times|\^\{([^}]*)\}|\\[a-zA-Z]+|.")


def text_width(tex: str, pt: float = VALUE_PT) -> float:
    """The estimated width in cm of a short piece of math (a number, old → new) at `pt` points."""
    ems = 0.0
    for m in _TOKEN.finditer(tex):
        token = m.group(0)
        if m.group(1) is not None:  # a superscript: smaller
            ems += 0.9 * text_width(m.group(1), 1.0) / CM_PER_PT
        elif token in EM:
            ems += EM[token]
        else:
            ems += 0.57 if token.isdigit() else 0.6
    return ems * pt * CM_PER_PT


class Geometry:
    """Positions (cm) of the neurons of `G` and of its edge `labels` ({(u, v): math}), with the
    lines `inside` each neuron (a list of lists of math) deciding the circles' size; `beside` is
    the width of what is written right of the output neurons; `below`: some neuron has a note
    under it (dropout's "dropped")."""

    def __init__(self, G, inside, labels: dict, *, beside: float = 0.0, below: bool = False):
        self.G = G
        widest = max((text_width(line) for lines in inside for line in lines), default=0.0)
        tallest = max((len(lines) for lines in inside), default=1)
        self.diameter = max(0.9, math.hypot(widest + 0.2, 0.3 * tallest) + 0.1)
        self.widths = {edge: text_width(text) + 0.1 for edge, text in labels.items()}
        longest = max(self.widths.values(), default=0.0)
        self.layer_gap = self.diameter + max(3.0, 1.6 * longest)
        self.below = below
        self.row_gap = max(1.9, self.diameter + 0.8 + (LABEL_HEIGHT if below else 0.0))
        pitch = _pitch(G)  # below 1 where the layout draws a layer's rows closer (all of a network's classes)
        if pitch < 1:
            self.row_gap = max(self.row_gap, (self.diameter + SYMBOL_HEIGHT + 0.15) / pitch)
        self.labels = {}
        for i in range(120):  # spread out, rows and layers in turn, until every label has a free place
            self.labels = self._place(list(labels))
            if self.labels is not None:
                break
            if i % 2:
                self.layer_gap += 0.15
            else:
                self.row_gap += 0.1
        else:  # give up: the shared places, overlapping or not
            self.labels = {edge: self._along(*edge, edge_label_share(G, edge[0])) for edge in labels}
        xs = [x for x, _ in self.pos.values()]
        ys = [y for _, y in self.pos.values()]
        radius = self.diameter / 2
        self.middle = (min(xs) + max(xs)) / 2
        self.top = max(ys) + radius + SYMBOL_HEIGHT + 0.15
        self.bar_height = max(2.4, 0.7 * (max(ys) - min(ys) + self.diameter))
        self.bar_bottom = -self.bar_height / 2
        self.bar_x = max(xs) + radius + beside + 0.7
        self.tick_width = 0.9

    @property
    def pos(self) -> dict:
        return {
            node: (d["pos"][0] / LAYER_GAP * self.layer_gap, d["pos"][1] * self.row_gap)
            for node, d in self.G.nodes(data=True)
        }

    def label_at(self, u, v) -> tuple[float, float, float]:
        """Where the label of edge u → v goes, and its angle in degrees: along the edge."""
        return self.labels[u, v]

    def _place(self, edges) -> dict | None:
        """Each label along its edge at the shared share of the way (`layout.edge_label_share`),
        or, where that spot is taken by a neuron, its symbol or an earlier label, at the nearest
        free share; a spot where the label would lie across another labelled edge (at a crossing,
        where it would read as that edge's) only if there is no other. None if some label has no
        free spot."""
        obstacles, taken, placed = self._obstacles(), [], {}
        lines = {edge: (self._along(*edge, 0.0)[:2], self._along(*edge, 1.0)[:2]) for edge in edges}
        for u, v in edges:
            share = edge_label_share(self.G, u)
            shares = [t for k in range(9) for t in (share - 0.06 * k, share + 0.06 * k)[: 1 if k == 0 else 2]]
            free = []
            for t in (t for t in shares if 0.15 <= t <= 0.9):
                segment = self._segment(u, v, t, self.widths[u, v])
                if all(_to_segment(c, segment) >= r + LABEL_HEIGHT / 2 + 0.04 for c, r in obstacles) and all(
                    segment_distance(segment, other) >= LABEL_HEIGHT + LABEL_GAP for other in taken
                ):
                    across = any(
                        segment_distance(segment, line) < LABEL_HEIGHT / 2
                        for edge, line in lines.items()
                        if edge != (u, v)
                    )
                    free.append((across, t, segment))
            if not free:
                return None
            _, t, segment = min(free, key=lambda f: f[0])  # the first in order of preference not across an edge
            placed[u, v] = self._along(u, v, t)
            taken.append(segment)
        return placed

    def _segment(self, u, v, t: float, length: float):
        """The centre line of a label `length` long, a share `t` of the way along edge u → v."""
        x, y, angle = self._along(u, v, t)
        dx, dy = length / 2 * math.cos(math.radians(angle)), length / 2 * math.sin(math.radians(angle))
        return (x - dx, y - dy), (x + dx, y + dy)

    def _along(self, u, v, t: float) -> tuple[float, float, float]:
        """The point a share `t` of the way from u's rim to v's, and the edge's angle."""
        (x0, y0), (x1, y1) = self.pos[u], self.pos[v]
        length = math.hypot(x1 - x0, y1 - y0)
        dx, dy = (x1 - x0) / length * self.diameter / 2, (y1 - y0) / length * self.diameter / 2
        x0, y0, x1, y1 = x0 + dx, y0 + dy, x1 - dx, y1 - dy
        return (1 - t) * x0 + t * x1, (1 - t) * y0 + t * y1, math.degrees(math.atan2(y1 - y0, x1 - x0))

    def _obstacles(self) -> list[tuple[tuple[float, float], float]]:
        """Circles (centre, radius) no label may cover: the neurons, their symbols above, the
        notes under them."""
        r = self.diameter / 2
        out = []
        for x, y in self.pos.values():
            out += [((x, y), r), ((x, y + r + SYMBOL_HEIGHT / 2), SYMBOL_HEIGHT / 2)]
            if self.below:
                out.append(((x, y - r - LABEL_HEIGHT / 2), LABEL_HEIGHT))
        return out


def _pitch(G) -> float:
    """The least distance between two neighbouring neurons of a layer, in layout rows (1 unless
    the layout drew a layer closer)."""
    by_layer: dict = {}
    for _, d in G.nodes(data=True):
        by_layer.setdefault(d["layer"], []).append(d["pos"][1])
    gaps = [a - b for ys in by_layer.values() for a, b in zip(sorted(ys)[1:], sorted(ys))]
    return min(gaps, default=1.0)


def _to_segment(point, segment) -> float:
    """The distance from a point to a segment."""
    (px, py), ((ax, ay), (bx, by)) = point, segment
    length2 = (bx - ax) ** 2 + (by - ay) ** 2
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length2))
    return math.hypot(px - ax - t * (bx - ax), py - ay - t * (by - ay))


def segment_distance(a, b) -> float:
    """The distance between two segments ((x, y), (x, y)): 0 where they cross."""

    def side(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    (p1, q1), (p2, q2) = a, b
    if side(p1, q1, p2) * side(p1, q1, q2) < 0 and side(p2, q2, p1) * side(p2, q2, q1) < 0:
        return 0.0
    return min(_to_segment(p1, b), _to_segment(q1, b), _to_segment(p2, a), _to_segment(q2, a))


def colour_bar_ticks(limit: float) -> list[float]:
    """Round values for the colour bar's ticks, symmetric around zero, within ±limit."""
    from matplotlib.ticker import MaxNLocator

    ticks = MaxNLocator(nbins=4, symmetric=True).tick_values(-limit, limit)
    return [float(t) for t in ticks if abs(t) <= limit * (1 + 1e-9)]
