"""Helpers that build animations from a NetworkMobject and its Trace values; scenes play them."""

from __future__ import annotations

from manim import AnimationGroup, Create, FadeIn, LaggedStart, Line, ShowPassingFlash, Succession, Text, Transform

from visualizer.layout import symmetric_limit
from visualizer.style import PHASE_COLORS, signed_color

from .network_mobject import RADIUS, NetworkMobject, fitted_label


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
    flashes = [ShowPassingFlash(line.copy().set_color(PHASE_COLORS["forward"]).set_stroke(width=6),
                                time_width=0.5) for line in into]
    nodes = [n for n in net.neurons if n[0] == layer]
    limit = symmetric_limit(G.nodes[n]["a"] for n in nodes)
    fills = [net.neurons[n].animate.set_fill(signed_color(G.nodes[n]["a"], limit), opacity=0.55) for n in nodes]
    labels = [FadeIn(net.values[n]) for n in nodes]
    return Succession(AnimationGroup(*flashes, run_time=1.2), AnimationGroup(*fills, *labels, run_time=0.8))


def backward_layer(net: NetworkMobject, layer: int):
    """The error flows back along the weights into `layer`; its neurons show their δ."""
    G = net.graph
    into = [line for (u, v), line in net.edges.items() if v[0] == layer]
    flashes = [ShowPassingFlash(Line(line.get_end(), line.get_start()).set_color(PHASE_COLORS["backward"])
                                .set_stroke(width=6), time_width=0.5) for line in into]
    nodes = [n for n in net.neurons if n[0] == layer]
    limit = symmetric_limit(G.nodes[n]["delta"] for n in nodes)
    fills = [net.neurons[n].animate.set_fill(signed_color(G.nodes[n]["delta"], limit), opacity=0.55) for n in nodes]
    labels = [Transform(net.values[n], _label(net, n, G.nodes[n]["delta"])) for n in nodes]
    return Succession(AnimationGroup(*fills, *labels, run_time=1.0), AnimationGroup(*flashes, run_time=1.2))


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
