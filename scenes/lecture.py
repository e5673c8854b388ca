"""The lecture video's story beats, in video order. Each scene loads the Trace in setup() and
maps its fields to animations; numbers, formulas and positions come from the Trace, explain's
equations and the shared layout (visualizer/video), never typed here.

    .venv/bin/manim -ql scenes/lecture.py NeuronDotProduct
    BACKPROP_NET=mazur .venv/bin/manim -qm scenes/lecture.py BackwardPass
"""

from __future__ import annotations

from manim import (DOWN, LEFT, RIGHT, UP, WHITE, Axes, Create, Dot, FadeIn, FadeOut, Indicate, Scene, Text,
                   Transform, Write)

from visualizer.activations import get_activation
from visualizer.explain.notation import w_
from visualizer.style import PHASE_COLORS, format_number
from visualizer.video.animations import backward_layer, build_network, forward_layer, update_edges
from visualizer.video.data import load_trace
from visualizer.video.formulas import equation_tex, equations
from visualizer.video.network_mobject import NetworkMobject


SNAPSHOTS = 8  # moments of a training run the Training beat stops at


class Beat(Scene):
    """A story beat: the Trace, and a title in the colour of its phase."""

    phase = "forward"
    heading = ""

    def setup(self):
        # A white page: the colours of the static diagrams and slides; the signed map's dark
        # ends would vanish on black.
        self.camera.background_color = WHITE
        self.trace = load_trace()

    def title(self) -> Text:
        text = Text(f"{self.heading} · {self.trace.network.name}", font_size=30, color=PHASE_COLORS[self.phase])
        return text.to_edge(UP)

    def reveal(self, eq, anchor):
        """Write an equation piece by piece: the symbols, then each '= …' in turn."""
        tex = equation_tex(eq).next_to(anchor, DOWN, buff=0.5)
        if tex.width > 13:
            tex.scale_to_fit_width(13)
        self.play(Write(tex[0]), Write(tex[1]), Write(tex[2]))
        for i in range(3, len(tex), 2):
            self.play(Write(tex[i]), Write(tex[i + 1]))
        return tex


class NeuronDotProduct(Beat):
    heading = "One neuron"

    def construct(self):
        title = self.title()
        self.play(Write(title))
        forward = equations(self.trace, "forward")
        z_eq, a_eq = forward["z₁⁽¹⁾"], forward["a₁⁽¹⁾"]
        z = self.reveal(z_eq, title)
        a = self.reveal(a_eq, z)
        f = get_activation(self.trace.network.activations[0])
        z_value = z_eq.result
        span = max(4.0, abs(z_value) + 1.0)
        axes = Axes(x_range=[-span, span, span / 2], y_range=[-1.2, 1.2, 0.5], x_length=6, y_length=2.6,
                    axis_config={"color": "#444444"}).next_to(a, DOWN, buff=0.4)
        curve = axes.plot(lambda v: float(f.function(v)), color=PHASE_COLORS["forward"])
        point = Dot(axes.c2p(z_value, a_eq.result), color=PHASE_COLORS["loss"])
        self.play(Create(axes), Create(curve))
        self.play(FadeIn(point), Indicate(a[-1]))
        self.wait(1)


class ForwardPass(Beat):
    heading = "Forward pass"

    def construct(self):
        net = NetworkMobject(self.trace)
        self.play(Write(self.title()))
        self.play(build_network(net))
        for layer in range(1, len(self.trace.network.sizes)):
            self.play(forward_layer(net, layer))
        outputs = [n for n in net.neurons if n[0] == len(self.trace.network.sizes) - 1]
        targets = [Text(f"y = {format_number(net.graph.nodes[n]['target'], 3)}", font_size=20,
                        color=PHASE_COLORS["loss"]).next_to(net.neurons[n], RIGHT) for n in outputs]
        self.play(*(FadeIn(t) for t in targets))
        self.wait(1)


class Loss(Beat):
    phase = "loss"
    heading = "Loss"

    def construct(self):
        title = self.title()
        self.play(Write(title))
        loss = equations(self.trace, "loss")
        self.reveal(loss["E"], title)
        self.wait(1)


class BackwardPass(Beat):
    phase = "backward"
    heading = "Backward pass"

    def construct(self):
        trace = self.trace
        net = NetworkMobject(trace).scale(0.62).to_edge(LEFT).shift(DOWN * 0.4)
        title = self.title()
        self.play(Write(title), FadeIn(net))
        for layer in range(len(trace.network.sizes) - 1, 0, -1):
            self.play(backward_layer(net, layer))
        backward = equations(trace, "backward")
        # the lecture's chain rule for the first hidden neuron, beside the network
        anchor = title
        for key in ("∂E/∂a₁⁽¹⁾", "δ₁⁽¹⁾"):
            if key in backward and len(trace.network.sizes) > 2:
                tex = equation_tex(backward[key], font_size=28)
                tex.scale_to_fit_width(min(tex.width, 6.2)).next_to(anchor, DOWN, buff=0.35).to_edge(RIGHT)
                self.play(Write(tex))
                anchor = tex
        self.wait(1)


class WeightUpdate(Beat):
    phase = "update"
    heading = "Weight update"

    def construct(self):
        trace = self.trace
        title = self.title()
        update = equations(trace, "update")
        last = len(trace.network.sizes) - 1
        tex = equation_tex(update[w_(last, 1, 1).text()], font_size=30).next_to(title, DOWN)
        net = NetworkMobject(trace).scale(0.8).next_to(tex, DOWN, buff=0.4)
        self.play(Write(title), FadeIn(net))
        edge = net.edges[((last - 1, 0), (last, 0))]
        self.play(Indicate(edge), Write(tex))
        self.play(update_edges(net))
        step = trace.steps[0]
        change = Text(f"loss on the same input: E = {format_number(step.loss)} → {format_number(step.loss_after)}",
                      font_size=26, color=PHASE_COLORS["update"]).next_to(net, DOWN, buff=0.3)
        self.play(Write(change))
        self.wait(1)



class Training(Beat):
    """Many steps in fast motion: the loss curve draws itself while the weights evolve."""

    phase = "update"
    heading = "Training"

    def construct(self):
        trace = self.trace
        steps = trace.steps
        history = trace.loss_history
        # the weights change here, so no activations in the neurons (they would be step 1's)
        net = NetworkMobject(trace, values=False).scale(0.55).to_edge(LEFT).shift(DOWN * 0.3)
        title = self.title()
        axes = Axes(x_range=[0, len(history) - 1, max(1, (len(history) - 1) // 4)],
                    y_range=[0, max(history) * 1.1, max(history) * 1.1 / 4], x_length=5.5, y_length=3.8,
                    axis_config={"color": "#444444"},
                    ).to_edge(RIGHT).shift(DOWN * 0.3)
        labels = axes.get_axis_labels(Text("step", font_size=20, color="#333333"),
                                      Text("E", font_size=20, color="#333333"))
        self.play(Write(title), FadeIn(net), Create(axes), FadeIn(labels))
        shown = sorted({round(i * (len(steps) - 1) / (SNAPSHOTS - 1)) for i in range(SNAPSHOTS)})
        previous = 0
        for index in shown:
            curve = axes.plot_line_graph(list(range(previous, index + 2)), list(history[previous:index + 2]),
                                         add_vertex_dots=False, line_color=PHASE_COLORS["loss"], stroke_width=4)
            later = NetworkMobject(trace, step=index, values=False).scale(0.55).move_to(net)
            status = Text(f"step {steps[index].index} · E = {format_number(steps[index].loss_after)}", font_size=24,
                          color=PHASE_COLORS["update"]).next_to(axes, UP)
            moves = [Transform(net.edges[key], later.edges[key]) for key in net.edges]
            self.play(Create(curve), *moves, FadeIn(status), run_time=1.0)
            self.remove(status)
            previous = index + 1
        self.add(status)
        self.wait(1)


class Lecture(Beat):
    """All the beats in order after a title card, one manim section each (so each beat can also
    be exported on its own, e.g. with `manim --save_sections`)."""

    heading = "Backpropagation"
    beats = (NeuronDotProduct, ForwardPass, Loss, BackwardPass, WeightUpdate, Training)

    def construct(self):
        net = self.trace.network
        card = Text(self.heading, font_size=56, color=PHASE_COLORS["forward"])
        subtitle = Text(f"one training step of the {net.name} network, every number real and verified",
                        font_size=24, color="#333333").next_to(card, DOWN)
        self.next_section("Title")
        self.play(Write(card), FadeIn(subtitle))
        self.wait(1)
        self.play(FadeOut(card), FadeOut(subtitle))
        for beat in self.beats:
            self.next_section(beat.__name__)
            self.phase, self.heading = beat.phase, beat.heading
            beat.construct(self)
            self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=0.5)  # a short cut to the next beat
