"""Helpers that build animations from a NetworkMobject and its Trace values; scenes play them."""

from __future__ import annotations

from manim import AnimationGroup, Create, FadeIn, LaggedStart, ShowPassingFlash, Succession

from visualizer.layout import symmetric_limit
from visualizer.style import PHASE_COLORS, signed_color

from .network_mobject import NetworkMobject


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
    fills = [net.neurons[n].animate.set_fill(signed_color(G.nodes[n]["a"], limit), opacity=0.85) for n in nodes]
    labels = [FadeIn(net.values[n]) for n in nodes]
    return Succession(AnimationGroup(*flashes, run_time=1.2), AnimationGroup(*fills, *labels, run_time=0.8))



