"""The network as a manim mobject, drawn from the shared layout (visualizer.render.layout).

One circle per shown neuron and one line per shown weight, at the layout's positions scaled to
the frame; colours from the shared signed colour map, numbers from the shared formatter. The
mobject keeps dictionaries from layout nodes and edges to their circles, lines and labels, so
scenes can animate exactly the part of the network a story beat is about.

Small networks show every number inside the circles. In larger ones (a layer of more than
SMALL_LAYER neurons) the numbers would be too small to read, so they show colours everywhere and
numbers only where a beat focuses, as tags beside the neurons and edges it is about.
"""

from __future__ import annotations

from manim import BLACK, RIGHT, UP, WHITE, BackgroundRectangle, Circle, Line, Text, VGroup

from visualizer.network.trace import Trace
from visualizer.render.layout import LABELLED_EDGES, edge_label_share, neuron_graph, symmetric_limit
from visualizer.style import format_display, signed_color

# The part of manim's 14.2 × 8 frame the network may use, leaving room for a title and the targets.
FRAME_WIDTH, FRAME_HEIGHT = 9.5, 5.6
RADIUS = 0.36
DIGITS = 3
SMALL_LAYER = 3  # networks whose layers all have at most this many neurons show every number
NOTE_GREY = "#555555"  # notes such as "⋮ 12 more": quieter than the numbers, still readable
TAG_SIZE = 20  # font size of a focused number, whatever the network's scale


def fitted_label(value: float) -> Text:
    """A neuron's number, small enough to stay inside its circle."""
    label = Text(format_display(value, DIGITS), font_size=15, color=BLACK)
    return label.scale_to_fit_width(min(label.width, 1.6 * RADIUS))


def tag(text: str, color=BLACK) -> VGroup:
    """A number on a white card, readable on top of lines."""
    label = Text(text, font_size=TAG_SIZE, color=color)
    return VGroup(BackgroundRectangle(label, color=WHITE, fill_opacity=0.9, buff=0.05), label)


class NetworkMobject(VGroup):
    def __init__(self, trace: Trace, *, step: int = 0, max_neurons: int = 8, values: bool | None = True, **kwargs):
        """`values`: show each neuron's a inside its circle; None: only if every number fits."""
        super().__init__(**kwargs)
        self.graph = G = neuron_graph(trace, step=step, max_neurons=max_neurons)
        self.every_number = max(G.graph["sizes"]) <= SMALL_LAYER
        if values is None:
            values = self.every_number
        xs = [d["pos"][0] for _, d in G.nodes(data=True)]
        ys = [d["pos"][1] for _, d in G.nodes(data=True)]
        unit = min(FRAME_WIDTH / max(1.0, max(xs) - min(xs)), FRAME_HEIGHT / max(1.0, max(ys) - min(ys) + 1), 2.4)
        middle = (max(xs) + min(xs)) / 2

        def place(node):
            x, y = G.nodes[node]["pos"]
            return [(x - middle) * unit, y * unit, 0.0]

        limit = symmetric_limit(d["w"] for *_, d in G.edges(data=True))
        self.edges: dict = {}
        for u, v, d in G.edges(data=True):
            line = Line(
                place(u),
                place(v),
                buff=RADIUS,
                stroke_width=1 + 5 * abs(d["w"]) / limit,
                color=signed_color(d["w"], limit),
            )
            self.edges[(u, v)] = line
        self.neurons: dict = {}
        self.values: dict = {}
        self.ellipses: dict = {}
        for node, d in G.nodes(data=True):
            if d["kind"] == "ellipsis":
                note = Text(f"⋮ {d['hidden']} more", font_size=18, color=NOTE_GREY)
                self.ellipses[node] = note.move_to(place(node))
                continue
            self.neurons[node] = Circle(
                radius=RADIUS, color=BLACK, stroke_width=2, fill_color=WHITE, fill_opacity=1
            ).move_to(place(node))
            if values:  # the activations, a (the inputs x for the input layer)
                self.values[node] = fitted_label(d["a"]).move_to(place(node))
        self.add(
            VGroup(*self.edges.values()),
            VGroup(*self.neurons.values()),
            VGroup(*self.values.values()),
            VGroup(*self.ellipses.values()),
        )

    def neuron_tag(self, node, value: float, color=BLACK) -> VGroup:
        """`value` beside a neuron at a readable size: to the right of an output neuron (the
        outputs' column has room there), above any other (its row's neighbours are below)."""
        side = RIGHT if node[0] == len(self.graph.graph["sizes"]) - 1 else UP
        return tag(format_display(value, DIGITS), color).next_to(self.neurons[node], side, buff=0.18)

    def edge_tag(self, edge, value: float, color=BLACK, share: float | None = None, digits: int = DIGITS) -> VGroup:
        """`value` on an edge, where the diagrams put it unless `share` (0 at the source, 1 at the target) says."""
        share = edge_label_share(self.graph, edge[0]) if share is None else share
        point = self.edges[edge].point_from_proportion(share)
        return tag(format_display(value, digits), color).move_to(point)

    def labelled_edges(self, layer: int) -> bool:
        """Whether the edges into `layer` are few enough to carry a number each."""
        return sum(1 for _, v in self.edges if v[0] == layer) <= LABELLED_EDGES
