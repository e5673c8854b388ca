"""The lecture video's story beats, in video order. Each scene loads the Trace in setup() and
maps its fields to animations; numbers, formulas and positions come from the Trace, explain's
equations and the shared layout (visualizer/video), never typed here.

    .venv/bin/manim -ql scenes/lecture.py NeuronDotProduct
    BACKPROP_NET=mazur .venv/bin/manim -qm scenes/lecture.py BackwardPass
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import timedelta

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    Create,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    LaggedStart,
    Scene,
    Text,
    Transform,
    VGroup,
    Write,
)

from visualizer.cli.scene_trace import load_precision, load_trace
from visualizer.functions.activations import get_activation
from visualizer.network.mlp import predict
from visualizer.render.explain.notation import a_, d_, w_
from visualizer.render.video.animations import (
    backward_layer,
    build_network,
    delta_tags,
    focus_on,
    forward_layer,
    gradient_tags,
    update_edges,
)
from visualizer.render.video.beats import BY_SCENE, LECTURE_PARTS
from visualizer.render.video.encoding import use_faster_preset
from visualizer.render.video.formulas import (
    BOTTOM,
    FULL_WIDTH,
    Board,
    equation_tex,
    equations,
    fit_above_equations,
    reveal,
)
from visualizer.render.video.frame import SAFE_MARGIN
from visualizer.render.video.network_mobject import NetworkMobject
from visualizer.render.video.neuron_mobject import NeuronCloseup
from visualizer.render.video.notes import step_notes
from visualizer.render.video.plots import (
    activation_plot,
    has_output_field,
    loss_axes,
    output_fields,
    prediction_vs_target,
)
from visualizer.style import DEFAULT_DIGITS, PHASE_COLORS, format_display

use_faster_preset()

SNAPSHOTS = 8  # moments of a training run the Training beat stops at


HOLD = 3.0  # the least time a finished step stays on screen, so the hall can read it


class Beat(Scene):
    """A story beat: the Trace, and a title in the colour of its phase (both from BEATS).

    A beat is told in steps (`step`): each has a narration, shown as a caption until the next
    step and given to the slide deck as the speaker notes of the slide that starts there, with
    every number of the step. A step ends on a hold (`hold`): its finished picture stays still
    long enough to read. A beat's first animation (`enter`) brings its title and content in
    while the previous beat's leave, so there is never an empty page between beats."""

    phase = "forward"
    heading = ""
    by_scene: dict[str, type[Beat]] = {}  # each beat's class, by name

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__name__ in BY_SCENE:
            cls.phase, cls.heading = BY_SCENE[cls.__name__].phase, BY_SCENE[cls.__name__].heading
            Beat.by_scene[cls.__name__] = cls

    def setup(self):
        # A white page: the colours of the static diagrams and slides; the signed map's dark
        # ends would vanish on black.
        self.camera.background_color = WHITE
        self.trace = load_trace()
        self.digits = load_precision()
        self.leaving: list = []  # the previous beat's mobjects, which `enter` fades out
        self.caption = None  # the caption on screen, ended by the next step

    def title(self) -> Text:
        text = Text(f"{self.heading} · {self.trace.network.name}", font_size=34, color=PHASE_COLORS[self.phase])
        return text.to_corner(UP + LEFT, buff=SAFE_MARGIN)

    def equations(self, phase: str) -> dict:
        """explain's equations of `phase` for the first step, at the spec's precision."""
        return equations(self.trace, phase, self.digits)

    def step(self, say: str, numbers: Sequence[str] = ()) -> None:
        """A step of the story begins: a slide stop (in the deck), the narration as a caption from
        now until the next step, and the speaker notes: the narration and the step's numbers."""
        self.end_caption()
        self.stop(step_notes(say, numbers))
        self.add_subcaption(say, duration=1)  # ended by the next step (end_caption)
        self.caption = self.renderer.file_writer.subcaptions[-1]

    def end_caption(self) -> None:
        if self.caption is not None:
            self.caption.end = timedelta(seconds=float(self.time))
            self.caption = None

    def stop(self, notes: str) -> None:
        """A slide stop: nothing in a video; LectureSlides starts a slide here."""

    def hold(self, seconds: float = HOLD) -> None:
        """The finished picture stays still (manim writes a still as one frame, repeated)."""
        self.wait(seconds)

    def enter(self, *animations, run_time: float = 1.0) -> None:
        """The beat's first animation: its title and content arrive as the previous beat's leave."""
        self.play(*animations, *(FadeOut(mob) for mob in self.leaving), run_time=run_time)
        self.leaving = []

    def tear_down(self):
        self.end_caption()
        super().tear_down()


class NeuronDotProduct(Beat):
    def construct(self):
        title = self.title()
        forward = equations(self.trace, "forward")
        z_eq, a_eq = forward["z₁⁽¹⁾"], forward["a₁⁽¹⁾"]
        neuron, z, a = NeuronCloseup(self.trace), equation_tex(z_eq), equation_tex(a_eq)

        def place():
            neuron.next_to(title, DOWN, buff=0.4).to_edge(LEFT)
            z.next_to(neuron, DOWN, buff=0.5).to_edge(LEFT)
            a.next_to(z, DOWN, buff=0.4).align_to(z, LEFT)

        place()
        # With three or more inputs the close-up is taller and z goes over three lines, which
        # pushed a's line past the bottom of the frame (3-4-4-2); the close-up gives way.
        overflow = BOTTOM - a.get_bottom()[1]
        if overflow > 0:
            neuron.scale(1 - overflow / neuron.height)
            place()
        self.play(Write(title), FadeIn(neuron))
        # the symbols, then the products of inputs and weights, then their sum: z
        self.play(Write(z[0:3]))
        self.play(Write(z[3:5]), *(Indicate(w, color=PHASE_COLORS["forward"]) for w in neuron.weights.values()))
        z_value = neuron.label(z_eq.result)
        self.play(Write(z[5:]), FadeIn(z_value))
        self.play(Write(a[0:3]))
        self.play(Write(a[3:]))
        f = get_activation(self.trace.network.activations[0])
        self.play(Transform(z_value, neuron.label(a_eq.result)), neuron.light_up())
        # the point on the curve is f(z), before any dropout mask (a is f(z)·m then)
        f_z = self.trace.steps[0].layers[0].f_z[0, 0]
        plot = activation_plot(f, z_eq.result, f_z).next_to(neuron, RIGHT, buff=1.0)
        self.play(Create(plot.axes), Create(plot.curve), FadeIn(plot.names))
        self.play(FadeIn(plot.point), Indicate(a[-1]))
        self.wait(1)


class ForwardPass(Beat):
    def construct(self):
        net = NetworkMobject(self.trace)
        self.play(Write(self.title()))
        self.play(build_network(net))
        for layer in range(1, len(self.trace.network.sizes)):
            self.play(forward_layer(net, layer))
        outputs = [n for n in net.neurons if n[0] == len(self.trace.network.sizes) - 1]
        targets = [
            Text(
                f"y = {format_display(net.graph.nodes[n]['target'], 3)}", font_size=20, color=PHASE_COLORS["loss"]
            ).next_to(net.neurons[n], RIGHT)
            for n in outputs
        ]
        self.play(*(FadeIn(t) for t in targets))
        self.wait(1)


class Loss(Beat):
    def construct(self):
        title = self.title()
        compare = fit_above_equations(prediction_vs_target(self.trace), title)
        self.play(Write(title))
        for row in compare:  # the number line, the prediction, the target, then the gap between them
            line, ticks, gap, shown, wanted, shown_label, wanted_label = row
            self.play(Create(line), FadeIn(ticks), FadeIn(shown), FadeIn(shown_label))
            self.play(FadeIn(wanted), FadeIn(wanted_label), Create(gap))
        loss = equations(self.trace, "loss")
        Board(self, below=compare).write(loss["E"])
        self.wait(1)


class BackwardPass(Beat):
    def construct(self):
        trace = self.trace
        output = len(trace.network.sizes) - 1
        title = self.title()
        net = fit_above_equations(NetworkMobject(trace, values=None), title)
        self.play(Write(title), FadeIn(net))
        for layer in range(output, 0, -1):
            self.play(backward_layer(net, layer))
        # the lecture's chain rule for one neuron of the last hidden layer, below the network
        focus = max(1, output - 1)
        node = (focus, 0)
        backward = equations(trace, "backward")
        ring, pulse = focus_on(net, node)
        downstream = [n for n in net.neurons if n[0] == focus + 1] if focus < output else []
        self.play(pulse, *(FadeIn(t) for t in delta_tags(net, downstream)))
        board = Board(self, below=net)
        if focus < output:
            board.write(backward[f"∂E/∂{a_(focus, 1).text()}"])
        board.write(backward[d_(focus, 1).text()])
        if not net.every_number:
            self.play(*(FadeIn(t) for t in delta_tags(net, [node])))
        board.write(backward[f"∂E/∂{w_(focus, 1, 1).text()}"])
        self.play(LaggedStart(*(FadeIn(t) for t in gradient_tags(net, node)), lag_ratio=0.1))
        self.wait(1)


class WeightUpdate(Beat):
    def construct(self):
        trace = self.trace
        title = self.title()
        update = equations(trace, "update")
        last = len(trace.network.sizes) - 1
        tex = equation_tex(update[w_(last, 1, 1).text()]).next_to(title, DOWN)
        # the weights are the subject now: no activations in the neurons
        net = NetworkMobject(trace, values=False).scale(0.8).next_to(tex, DOWN, buff=0.4)
        self.play(Write(title), FadeIn(net))
        key = ((last - 1, 0), (last, 0))
        weight = net.graph.edges[key]
        self.play(Indicate(net.edges[key]))
        reveal(self, tex)
        # at the equation's digits, so the number on the edge is the one just worked out
        before = net.edge_tag(key, weight["w"], PHASE_COLORS["update"], digits=DEFAULT_DIGITS)
        after = net.edge_tag(key, weight["w_new"], PHASE_COLORS["update"], digits=DEFAULT_DIGITS).move_to(before)
        self.play(FadeIn(before))
        self.play(update_edges(net), Transform(before, after))
        step = trace.steps[0]
        before, after = format_display(step.loss, zeros=True), format_display(step.loss_after, zeros=True)
        change = Text(
            f"loss on the same input: E = {before} → {after}", font_size=26, color=PHASE_COLORS["update"]
        ).next_to(net, DOWN, buff=0.3)
        self.play(Write(change))
        self.wait(1)


class Training(Beat):
    """Many steps in fast motion: the loss curve draws itself while the weights evolve, and for
    a 2-input network its output over the input plane morphs as it learns."""

    def construct(self):
        trace = self.trace
        steps = trace.steps
        history = trace.loss_history
        shown = sorted({round(i * (len(steps) - 1) / (SNAPSHOTS - 1)) for i in range(SNAPSHOTS)})
        # the weights change here, so no activations in the neurons (they would be step 1's)
        net = NetworkMobject(trace, values=False)
        axes = loss_axes(history)
        labels = axes.decorations
        field = output_fields(trace, [-1] + shown, predict) if has_output_field(trace) else None
        panels = [net.scale(0.45 if field else 0.55)]
        if field:
            panels.append(Group(field.images[0], field.frame, field.samples))
        panels.append(VGroup(axes, labels))
        row = Group(*panels).arrange(RIGHT, buff=0.7)
        row.scale(min(1.0, FULL_WIDTH / row.width)).shift(DOWN * 0.3)
        title = self.title()
        self.play(Write(title), FadeIn(net), Create(axes), FadeIn(labels), *([FadeIn(panels[1])] if field else []))
        if field:
            self.bring_to_back(field.images[0])
        previous, status = 0, None
        for n, index in enumerate(shown):
            curve = axes.plot_line_graph(
                list(range(previous, index + 2)),
                list(history[previous : index + 2]),
                add_vertex_dots=False,
                line_color=PHASE_COLORS["loss"],
                stroke_width=4,
            )
            later = NetworkMobject(trace, step=index, values=False).replace(net)
            loss = format_display(steps[index].loss_after, zeros=True)
            before = status  # the status on screen, if any
            status = Text(f"step {steps[index].index} · E = {loss}", font_size=24, color=PHASE_COLORS["update"])
            status.next_to(labels, UP, buff=0.2)
            moves = [Transform(net.edges[key], later.edges[key]) for key in net.edges]
            if field:
                # The field steps to this snapshot at once, behind everything: manim redraws every
                # frame whatever is animated or lies above it, and an image is slow to draw (a
                # morphing field doubled this beat's rendering time).
                self.remove(field.images[n])
                self.bring_to_back(field.images[n + 1].replace(field.images[n]))
            # The status steps to this snapshot at once too, and stays fully drawn while the curve
            # runs to it: fading each one in over the whole second and removing it at the end made
            # it blink, readable for a fifth of each second. Only the first one fades in.
            if before is None:
                self.play(Create(curve), *moves, FadeIn(status), run_time=1.0)
            else:
                self.remove(before)
                self.add(status)
                self.play(Create(curve), *moves, run_time=1.0)
            previous = index + 1
        self.wait(1)


class TitleCard(Beat):
    def construct(self):
        net = self.trace.network
        card = Text(self.heading, font_size=56, color=PHASE_COLORS["forward"])
        subtitle = Text(
            f"one training step of the {net.name} network, every number real and verified",
            font_size=24,
            color="#333333",
        ).next_to(card, DOWN)
        self.play(Write(card), FadeIn(subtitle))
        self.wait(1)


class Lecture(Beat):
    """All the beats in order after a title card, one manim section each (so each beat can also
    be exported on its own, e.g. with `manim --save_sections`)."""

    beats = tuple(Beat.by_scene[name] for name in LECTURE_PARTS)

    def chapter(self, name: str) -> None:
        """A beat begins: a section of the video (a slide in LectureSlides)."""
        self.next_section(name)

    def play_beat(self, beat: type[Beat]) -> None:
        """One beat as the lecture shows it: its story, then a short cut to the next."""
        self.phase, self.heading = beat.phase, beat.heading
        beat.construct(self)
        self.play(*(FadeOut(mob) for mob in self.mobjects), run_time=0.5)

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
        """The Lecture as a slide deck: a slide per step, its narration and numbers as speaker notes.

        .venv/bin/manim -ql scenes/lecture.py LectureSlides && .venv/bin/manim-slides LectureSlides
        """

        skip_reversing = True  # the HTML deck never plays slides backwards

        def chapter(self, name: str) -> None:
            # no slide of its own (a Slide's next_section is a next_slide): a beat's slides start at its steps
            pass

        def stop(self, notes: str) -> None:
            # a step begins: a slide whose speaker notes are the step's narration and numbers
            self.next_slide(notes=notes)
