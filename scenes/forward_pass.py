"""Story beat: the forward pass. Values travel along the weights layer by layer, each neuron
fills with its activation, and the output appears next to the target."""

from __future__ import annotations

from manim import DOWN, RIGHT, UP, FadeIn, Scene, Text, Write

from visualizer.style import PHASE_COLORS, format_number
from visualizer.video.animations import build_network, forward_layer
from visualizer.video.data import load_trace
from visualizer.video.network_mobject import NetworkMobject


class ForwardPass(Scene):
    def setup(self):
        self.trace = load_trace()

    def construct(self):
        trace = self.trace
        net = NetworkMobject(trace)
        title = Text(f"Forward pass · {trace.network.name}", font_size=32, color=PHASE_COLORS["forward"])
        self.play(Write(title.to_edge(UP)))
        self.play(build_network(net))
        for layer in range(1, len(trace.network.sizes)):
            self.play(forward_layer(net, layer))
        outputs = [n for n in net.neurons if n[0] == len(trace.network.sizes) - 1]
        targets = [Text(f"y = {format_number(net.graph.nodes[n]['target'], 3)}", font_size=20,
                        color=PHASE_COLORS["loss"]).next_to(net.neurons[n], RIGHT) for n in outputs]
        loss = Text(f"E = {format_number(trace.steps[0].loss)}", font_size=28).to_edge(DOWN)
        self.play(*(FadeIn(t) for t in targets), FadeIn(loss))
        self.wait(1)
