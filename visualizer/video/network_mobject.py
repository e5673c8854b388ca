"""The network as a manim mobject, drawn from the shared layout (visualizer.layout).

One circle per shown neuron and one line per shown weight, at the layout's positions scaled to
the frame; colours from the shared signed colour map, numbers from the shared formatter. The
mobject keeps dictionaries from layout nodes and edges to their circles, lines and labels, so
scenes can animate exactly the part of the network a story beat is about.
"""

from __future__ import annotations

from manim import BLACK, GREY_B, WHITE, Circle, Line, Text, VGroup

from visualizer.layout import neuron_graph, symmetric_limit
from visualizer.style import format_display, signed_color
from visualizer.trace import Trace

# The part of manim's 14.2 × 8 frame the network may use, leaving room for a title and the targets.
FRAME_WIDTH, FRAME_HEIGHT = 9.5, 5.6
RADIUS = 0.36
DIGITS = 3


def fitted_label(value: float) -> Text:
    """A neuron's number, small enough to stay inside its circle."""
    label = Text(format_display(value, DIGITS), font_size=15, color=BLACK)
    return label.scale_to_fit_width(min(label.width, 1.6 * RADIUS))


class NetworkMobject(VGroup):
    def __init__(self, trace: Trace, *, step: int = 0, max_neurons: int = 8, values: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.graph = G = neuron_graph(trace, step=step, max_neurons=max_neurons)
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
            line = Line(place(u), place(v), buff=RADIUS, stroke_width=1 + 5 * abs(d["w"]) / limit,
                        color=signed_color(d["w"], limit))
            self.edges[(u, v)] = line
        self.neurons: dict = {}
        self.values: dict = {}
        self.ellipses: dict = {}
        for node, d in G.nodes(data=True):
            if d["kind"] == "ellipsis":
                self.ellipses[node] = Text(f"⋮ {d['hidden']} more", font_size=18, color=GREY_B).move_to(place(node))
                continue
            self.neurons[node] = Circle(radius=RADIUS, color=BLACK, stroke_width=2, fill_color=WHITE,
                                        fill_opacity=1).move_to(place(node))
            if values:  # the activations, a (the inputs x for the input layer)
                self.values[node] = fitted_label(d["a"]).move_to(place(node))
        self.add(VGroup(*self.edges.values()), VGroup(*self.neurons.values()), VGroup(*self.values.values()),
                 VGroup(*self.ellipses.values()))
