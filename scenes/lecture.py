"""The lecture video's story beats, in video order. Each scene loads the Trace in setup() and
maps its fields to animations; numbers, formulas and positions come from the Trace, explain's
equations and the shared layout (visualizer/video), never typed here.

    .venv/bin/manim -ql scenes/lecture.py NeuronDotProduct
    BACKPROP_NET=mazur .venv/bin/manim -qm scenes/lecture.py BackwardPass
"""

from __future__ import annotations

import os

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Text,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
)

from visualizer.cli.scene_trace import load_precision, load_trace
from visualizer.functions.activations import get_activation
from visualizer.network.mlp import predict
from visualizer.render.explain.notation import a_, w_, y_, z_
from visualizer.render.video.backward_beat import BackwardBeat
from visualizer.render.video.beat import HOLD, Beat
from visualizer.render.video.beats import lecture_parts
from visualizer.render.video.encoding import use_faster_preset
from visualizer.render.video.formulas import Board, equation_tex, fit_picture
from visualizer.render.video.frame import SAFE_X, SAFE_Y
from visualizer.render.video.loss_pictures import draws_probabilities, probability_bars
from visualizer.render.video.network_mobject import NetworkMobject
from visualizer.render.video.neuron_mobject import NeuronCloseup
from visualizer.render.video.picture import has_picture
from visualizer.render.video.picture_beat import PictureBeat
from visualizer.render.video.plots import (
    activation_plot,
    prediction_vs_target,
)
from visualizer.render.video.story import (
    build_network,
    fill_layer,
    flow,
    light,
    onto_edge,
    weight_moves,
)
from visualizer.render.video.training_beat import TrainingBeat
from visualizer.style import PHASE_COLORS, format_display

use_faster_preset()

Beat.load = staticmethod(lambda: (load_trace(), load_precision()))


class NeuronDotProduct(Beat):
    def construct(self):
        title = self.title()
        forward = self.equations("forward")
        z_eq, a_eq = forward[z_(1, 1).text()], forward[a_(1, 1).text()]
        neuron = NeuronCloseup(self.trace, digits=self.digits)
        z, a = equation_tex(z_eq, width=6.6), equation_tex(a_eq, width=6.6)
        fit_picture(neuron, 6.6, 3.6).next_to(title, DOWN, buff=0.5).align_to(title, LEFT)
        z.next_to(neuron, DOWN, buff=0.5).align_to(title, LEFT)
        a.next_to(z, DOWN, buff=0.4).align_to(title, LEFT)
        f = get_activation(self.trace.network.activations[0])
        # the point on the curve is f(z), before any dropout mask (a is f(z)·m then)
        f_z = self.trace.steps[0].layers[0].f_z[0, 0]
        plot = activation_plot(f, z_eq.result, f_z, width=5.6, height=3.4, digits=self.net_digits)
        plot.group().next_to(neuron, RIGHT, buff=0.6).align_to(neuron, UP)
        if a.get_bottom()[1] < -SAFE_Y:  # a long z (three or more inputs): a goes under the curve
            a.next_to(plot.group(), DOWN, buff=0.5).align_to(plot.group(), LEFT)
        self.step(
            "One neuron. Its weighted sum z multiplies each input by the weight on its wire, adds the "
            "products, then adds the bias.",
            [z_eq.line("text")],
        )
        self.enter(Write(title), FadeIn(neuron))
        # the symbols, then the products of inputs and weights, then their sum: z
        self.play(Write(z[0]), Write(z.segment(0)))
        self.play(Write(z.segment(1)), *light(*neuron.weights.values(), color=PHASE_COLORS["forward"]))
        z_value = neuron.label(z_eq.result)
        self.play(*(Write(z.segment(i)) for i in range(2, len(z.segments))), TransformFromCopy(z.result, z_value))
        self.hold()
        self.step(
            f"Then its activation: a = {f.symbol}(z) is what the neuron passes on. Read it off the curve: z along "
            "the bottom, a up the side.",
            [a_eq.line("text")],
        )
        self.play(Create(plot.axes), Create(plot.curve), FadeIn(plot.names), FadeIn(plot.ticks))
        self.play(Write(a[0]), Write(a.segment(0)))
        rest = [Write(a.segment(i)) for i in range(1, len(a.segments))]
        self.play(*rest, FadeIn(plot.point), Create(plot.guides), FadeIn(plot.readings))
        self.play(Transform(z_value, neuron.label(a_eq.result)), neuron.light_up())
        self.hold(HOLD + 1)


class ForwardPass(Beat):
    def construct(self):
        trace, out = self.trace, len(self.trace.network.sizes) - 1
        title = self.title()
        net = NetworkMobject(trace, values="inputs", digits=self.net_digits)
        board = self.beside(net, title)
        forward = self.equations("forward")
        inputs = ", ".join(format_display(v, self.digits) for v in trace.input[0])
        self.step(
            "The forward pass. The inputs x enter on the left; each layer computes from the one before it.",
            [f"x = ({inputs})" + self.sample_note()],
        )
        self.enter(Write(title), build_network(net), run_time=2.5)
        self.hold(2)
        for layer in range(1, out + 1):
            z_eq, a_eq = forward[z_(layer, 1).text()], forward[a_(layer, 1).text()]
            lines = [
                forward[sym(layer, j + 1).text()].line("text")
                for j in range(trace.network.sizes[layer])
                for sym in (z_, a_)
                if sym(layer, j + 1).text() in forward
            ]
            what = "the output layer" if layer == out else f"hidden layer {layer}"
            self.step(
                f"Into {what}: each neuron's weighted sum z of the layer before, then its activation a. "
                "Here is the first neuron's.",
                lines,
            )
            self.play(flow(net, layer, "forward"), *board.clear())
            board.write(z_eq)
            board.write(a_eq)
            self.play(fill_layer(net, layer))
            self.hold()
        outputs = [n for n in net.neurons if n[0] == out]
        targets = [net.target_tag(n) for n in outputs]
        self.step(
            "The output ŷ is the network's answer. Beside it, the target y: what it should have said.",
            [f"{y_(n[1] + 1).text()} = {format_display(net.graph.nodes[n]['target'], self.digits)}" for n in outputs],
        )
        self.play(*(FadeIn(t, shift=LEFT * 0.2) for t in targets))
        self.hold()


class Loss(Beat):
    def construct(self):
        trace = self.trace
        title = self.title()
        loss = self.equations("loss")
        batch = len(trace.input)
        if draws_probabilities(trace):
            picture = probability_bars(trace, self.net_digits)
            say = (
                "Cross-entropy: the softmax gives each class a probability. The loss is −log of the true class's "
                "probability: zero when it is 1, large when it is small."
            )
        else:
            picture = prediction_vs_target(trace)
            say = "The loss measures how far each output a lies from its target y: the gaps, squared and averaged."
        fit_picture(picture, 2 * SAFE_X - 0.4, 3.0, most=1.6).next_to(title, DOWN, buff=0.6)
        picture.set_x(0)
        board = Board(self, left=-SAFE_X + 0.3, top=picture.get_bottom()[1] - 0.4)
        per_sample = [key for key in loss if key.startswith("E") and key != "E"]
        self.step(say + self.sample_note(), [loss[key].line("text") for key in loss])
        self.enter(Write(title), FadeIn(picture))
        if batch > 1:
            board.note(f"sample 1 of {batch}")
        board.write(loss[per_sample[0]] if per_sample else loss["E"])
        self.hold()
        if per_sample:
            self.step(
                f"Each of the {batch} samples has its own loss; the batch's loss E is their mean.",
                [loss[key].line("text") for key in per_sample[1:]] + [loss["E"].line("text")],
            )
            for key in per_sample[1:]:
                board.write(loss[key])
            board.write(loss["E"])
            self.hold(HOLD + 1)


class BackwardPass(BackwardBeat):
    pass


class WeightUpdate(Beat):
    def construct(self):
        trace = self.trace
        title = self.title()
        update = self.equations("update")
        # the weight whose gradient the backward pass derived last: the first of layer 1
        edge = ((0, 0), (1, 0))
        eq = update[w_(1, 1, 1).text()]
        net = NetworkMobject(trace, values=False, digits=self.net_digits)
        board = self.beside(net, title)
        d = net.graph.edges[edge]
        gradient = net.edge_tag(edge, d["grad"], PHASE_COLORS["backward"])
        self.step(
            "The update. Each weight takes a small step against its gradient: w ← w − η·∂E/∂w. "
            "Here the weight whose gradient we just derived.",
            [eq.line("text")],
        )
        self.enter(Write(title), FadeIn(net), FadeIn(gradient))
        self.play(*light(net.edges[edge], gradient, color=PHASE_COLORS["update"]))
        tex = board.write(eq)
        net.cards.remove(gradient)  # the new value takes the gradient's place on the edge
        new, move = onto_edge(net, edge, tex.result, d["w_new"], PHASE_COLORS["update"])
        self.play(FadeOut(gradient), move)
        self.hold()
        self.step(
            "Every weight and bias at once: the colours and thicknesses follow the new values.",
            [e.line("text") for key, e in update.items() if e is not eq],
        )
        self.play(weight_moves(net))
        self.hold()
        step = trace.steps[0]
        before = format_display(step.loss, self.digits, zeros=True)
        after = format_display(step.loss_after, self.digits, zeros=True)
        batch = "batch" if len(trace.input) > 1 else "input"
        change = VGroup(
            Text(f"E on the same {batch}:", font_size=30, color=PHASE_COLORS["update"]),
            Text(f"{before} → {after}", font_size=30, color=PHASE_COLORS["update"]),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.step(
            f"The loss on the same {batch}, before and after the step: it went down.",
            [f"E = {before} before, {after} after the step"],
        )
        board.place(change)
        self.play(Write(change))
        self.hold(HOLD + 1)


class ImageToPrediction(PictureBeat):
    pass


class Training(TrainingBeat):
    predict = staticmethod(predict)


class TitleCard(Beat):
    def construct(self):
        net = self.trace.network
        card = Text(self.heading, font_size=72, color=PHASE_COLORS["forward"])
        subtitle = Text(f"one training step of the {net.name} network", font_size=36, color="#333333")
        promise = Text("every number real, and checked against torch autograd", font_size=30, color="#555555")
        VGroup(card, subtitle, promise).arrange(DOWN, buff=0.4)
        self.step(
            f"Backpropagation, on the {net.name} network: one training step, forward, loss, backward, update. "
            "Every number you will see is real, and checked against torch.",
            [
                f"Network {net.name}: layers {'-'.join(map(str, net.sizes))}, activations {', '.join(net.activations)}, "
                f"loss {net.loss}, optimizer {net.optimizer['name']} (η = {format_display(net.optimizer['lr'])})"
            ],
        )
        self.enter(Write(card), FadeIn(subtitle), FadeIn(promise))
        self.hold()


class Lecture(TitleCard, ImageToPrediction, NeuronDotProduct, ForwardPass, Loss, BackwardPass, WeightUpdate, Training):
    """All the beats in order after a title card, one manim section each (so each beat can also
    be exported on its own, e.g. with `manim --save_sections`). It derives from every beat so
    that a beat's own helper methods are there when it plays its construct on the Lecture. The
    picture beat is among them only when the Trace's input is a data set's picture."""

    @property
    def beats(self) -> tuple[type[Beat], ...]:
        return tuple(Beat.by_scene[name] for name in lecture_parts(has_picture(self.trace)))

    def chapter(self, name: str) -> None:
        """A beat begins: a section of the video (the deck starts its slides in `stop`)."""
        self.next_section(name)

    def play_beat(self, beat: type[Beat]) -> None:
        """One beat as the lecture shows it; the next beat's first animation takes it off."""
        self.phase, self.heading = beat.phase, beat.heading
        self.leaving = list(self.mobjects)
        beat.construct(self)

    def construct(self):
        for beat in self.beats:
            self.chapter(beat.__name__)
            self.play_beat(beat)


class LecturePart(Lecture):
    """The one beat of the Lecture named in BACKPROP_BEAT, exactly as the Lecture plays it.
    `backprop render` renders the parts side by side, one per core, and joins them into the
    lecture: the same video in about half the time."""

    def construct(self):
        self.play_beat(next(beat for beat in self.beats if beat.__name__ == os.environ["BACKPROP_BEAT"]))


try:
    from manim_slides import Slide
except ImportError:  # slides are optional; the videos do not need manim-slides
    Slide = None

if Slide is not None:

    class LectureSlides(Slide, Lecture):
        """The Lecture as a slide deck: a slide per beat, with the step's numbers as speaker notes.

        .venv/bin/manim -ql scenes/lecture.py LectureSlides && .venv/bin/manim-slides LectureSlides
        """

        skip_reversing = True  # the HTML deck never plays slides backwards

        def chapter(self, name: str) -> None:
            pass  # a beat's first step starts its slide (stop)

        def stop(self, notes: str) -> None:
            # notes belong to the slide that starts here
            self.next_slide(notes=notes)
