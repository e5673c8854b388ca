"""Helpers that build animations from a NetworkMobject and its Trace values; scenes play them."""

from __future__ import annotations

from manim import (
    AnimationGroup,
    Circle,
    Create,
    FadeIn,
    Indicate,
    LaggedStart,
    Line,
    ShowPassingFlash,
    Succession,
    Text,
    Transform,
)

from visualizer.render.layout import symmetric_limit
from visualizer.style import PHASE_COLORS, signed_color

from .network_mobject import RADIUS, NetworkMobject, fitted_label

FOCUS_SHARE = 0.4  # where along an edge into the focused neuron its number goes


def build_network(net: NetworkMobject):
    """The wiring first, then the neurons, then the input values."""
    inputs = [label for node, label in net.values.items() if node[0] == 0]
    return Succession(
        LaggedStart(*(Create(line) for line in net.edges.values()), lag_ratio=0.02, run_time=1.5),
        AnimationGroup(*(Create(c) for c in net.neurons.values()), *(FadeIn(e) for e in net.ellipses.values())),
        AnimationGroup(*(FadeIn(label) for label in inputs)),
    )


def forward_layer(net: NetworkMobject, layer: int):
    """Signals travel along the weights into `layer`; its neurons fill with their activation."""
    G = net.graph
    into = [line for (u, v), line in net.edges.items() if v[0] == layer]
    flashes = [
        ShowPassingFlash(line.copy().set_color(PHASE_COLORS["forward"]).set_stroke(width=6), time_width=0.5)
        for line in into
    ]
    nodes = [n for n in net.neurons if n[0] == layer]
    limit = symmetric_limit(G.nodes[n]["a"] for n in nodes)
    fills = [net.neurons[n].animate.set_fill(signed_color(G.nodes[n]["a"], limit), opacity=0.55) for n in nodes]
    labels = [FadeIn(net.values[n]) for n in nodes]
    return Succession(AnimationGroup(*flashes, run_time=1.2), AnimationGroup(*fills, *labels, run_time=0.8))


def backward_layer(net: NetworkMobject, layer: int):
    """The error flows back along the weights into `layer`; its neurons show their δ (colour
    always, the number too when the network is small enough to show every number)."""
    G = net.graph
    into = [line for (u, v), line in net.edges.items() if v[0] == layer]
    flashes = [
        ShowPassingFlash(
            Line(line.get_end(), line.get_start()).set_color(PHASE_COLORS["backward"]).set_stroke(width=6),
            time_width=0.5,
        )
        for line in into
    ]
    nodes = [n for n in net.neurons if n[0] == layer]
    limit = symmetric_limit(G.nodes[n]["delta"] for n in nodes)
    fills = [net.neurons[n].animate.set_fill(signed_color(G.nodes[n]["delta"], limit), opacity=0.55) for n in nodes]
    labels = [Transform(net.values[n], _label(net, n, G.nodes[n]["delta"])) for n in nodes if n in net.values]
    return Succession(AnimationGroup(*fills, *labels, run_time=1.0), AnimationGroup(*flashes, run_time=1.2))


def focus_on(net: NetworkMobject, node):
    """A ring around `node` and a pulse along the edges that leave it: the ones its chain rule sums over.
    Returns the ring (to keep on screen) and the animation."""
    ring = Circle(radius=net.neurons[node].width / 2 + 0.1, color=PHASE_COLORS["backward"], stroke_width=6)
    ring.move_to(net.neurons[node])
    out = [line for (u, _), line in net.edges.items() if u == node]
    return ring, AnimationGroup(Create(ring), *(Indicate(line, color=PHASE_COLORS["backward"]) for line in out))


def delta_tags(net: NetworkMobject, nodes) -> list:
    """δ beside each of `nodes`, for networks too big to show it inside every circle."""
    if net.every_number:
        return []
    return [net.neuron_tag(n, net.graph.nodes[n]["delta"], PHASE_COLORS["backward"]) for n in nodes]


def gradient_tags(net: NetworkMobject, focus) -> list:
    """∂E/∂w on the edges: on all of them where there is room, else on the edges into `focus`."""
    color = PHASE_COLORS["backward"]
    if all(net.labelled_edges(v[0]) for _, v in net.edges):
        return [net.edge_tag(e, net.graph.edges[e]["grad"], color) for e in net.edges]
    # the edges into one neuron converge on it: their numbers go near the sources, where they are apart
    return [net.edge_tag(e, net.graph.edges[e]["grad"], color, share=FOCUS_SHARE) for e in net.edges if e[1] == focus]


def update_edges(net: NetworkMobject):
    """Every weight takes its new value at once: colour and thickness follow w_new."""
    G = net.graph
    limit = symmetric_limit([d["w"] for *_, d in G.edges(data=True)] + [d["w_new"] for *_, d in G.edges(data=True)])
    moves = []
    for (u, v), line in net.edges.items():
        w_new = G.edges[u, v]["w_new"]
        target = line.copy().set_stroke(color=signed_color(w_new, limit), width=1 + 5 * abs(w_new) / limit)
        moves.append(Transform(line, target))
    return AnimationGroup(*moves, run_time=2)


def _label(net: NetworkMobject, node, value: float) -> Text:
    # scaled with the network, so it fits the circle as drawn now
    label = fitted_label(value)
    return label.scale(net.neurons[node].width / (2 * RADIUS)).move_to(net.neurons[node])
