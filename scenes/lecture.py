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
    Scene,
    Text,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
)

from visualizer.cli.scene_trace import load_precision, load_trace
from visualizer.functions.activations import get_activation
from visualizer.network.mlp import predict
from visualizer.render.explain.notation import a_, d_, w_, y_, z_
from visualizer.render.video.beats import BY_SCENE, LECTURE_PARTS
from visualizer.render.video.encoding import use_faster_preset
from visualizer.render.video.formulas import Board, equation_tex, equations, fit_picture
from visualizer.render.video.frame import SAFE_MARGIN, SAFE_X, SAFE_Y
from visualizer.render.video.legend import signed_legend
from visualizer.render.video.loss_pictures import draws_probabilities, probability_bars
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
from visualizer.render.video.scales import delta_limit
from visualizer.render.video.story import (
    TERM_COLORS,
    build_network,
    column_holds,
    fill_deltas,
    fill_layer,
    flow,
    into_neuron,
    light,
    onto_edge,
    ring,
    weight_moves,
)
from visualizer.style import PHASE_COLORS, format_display, format_number

use_faster_preset()

HOLD = 3.5  # the least time a finished step stays on screen, so the hall can read it
SNAPSHOTS = 8  # moments of a training run the Training beat stops at
NETWORK_DIGITS = 4  # the most digits a number in a circle has (the equations may have more)
MAX_RESULTS = 12  # a layer's other gradients listed on the board; the notes have them all
NET_WIDTH = 6.2  # the network's share of the frame's width when equations are beside it


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

    @property
    def net_digits(self) -> int:
        """The precision of the numbers on the network: the equations', up to what a circle holds."""
        return min(self.digits, NETWORK_DIGITS)

    def sample_note(self) -> str:
        """Where a batch is drawn by its first sample, the narration says so."""
        batch = len(self.trace.input)
        return f" (The picture shows sample 1 of the batch of {batch}.)" if batch > 1 else ""

    def beside(self, net: NetworkMobject, title) -> Board:
        """The network on the left under the title, a board of equations on its right; with a
        key to its colours under it."""
        top = title.get_bottom()[1] - 0.35
        net.fit(NET_WIDTH, top + SAFE_Y - 1.2)
        net.next_to(title, DOWN, buff=0.5).to_edge(LEFT, buff=SAFE_MARGIN[0] + 0.1)
        if self.phase == "backward":
            legend = signed_legend(delta_limit(self.trace), "δ")
        else:
            legend = signed_legend(net.weight_limit, "weight w")
        legend.scale(0.8).to_corner(DOWN + LEFT, buff=SAFE_MARGIN + [0.1, 0.05, 0])
        net.add(legend)
        return Board(self, left=net.get_right()[0] + 0.5, top=top)

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
        forward = self.equations("forward")
        z_eq, a_eq = forward[z_(1, 1).text()], forward[a_(1, 1).text()]
        neuron = NeuronCloseup(self.trace, digits=self.digits)
        z, a = equation_tex(z_eq, width=6.6), equation_tex(a_eq, width=6.6)
        fit_picture(neuron, 6.6, 3.6).next_to(title, DOWN, buff=0.5).align_to(title, LEFT)
        z.next_to(neuron, DOWN, buff=0.5).align_to(title, LEFT)
        a.next_to(z, DOWN, buff=0.4).align_to(title, LEFT)
        self.step(
            "One neuron. Its weighted sum z multiplies each input by the weight on its wire, adds the "
            "products, then adds the bias.",
            [z_eq.line("text")],
        )
        self.enter(Write(title), FadeIn(neuron))
        # the symbols, then the products of inputs and weights, then their sum: z
        self.play(Write(z[0:3]))
        self.play(Write(z[3:5]), *light(*neuron.weights.values(), color=PHASE_COLORS["forward"]))
        z_value = neuron.label(z_eq.result)
        self.play(Write(z[5:]), TransformFromCopy(z[-1], z_value))
        self.hold()
        f = get_activation(self.trace.network.activations[0])
        self.step(
            f"Then its activation: a = {f.symbol}(z) is what the neuron passes on. Read it off the curve: z along "
            "the bottom, a up the side.",
            [a_eq.line("text")],
        )
        # the point on the curve is f(z), before any dropout mask (a is f(z)·m then)
        f_z = self.trace.steps[0].layers[0].f_z[0, 0]
        plot = activation_plot(f, z_eq.result, f_z, width=5.6, height=3.4)
        plot.group().next_to(neuron, RIGHT, buff=0.6).align_to(neuron, UP)
        self.play(Create(plot.axes), Create(plot.curve), FadeIn(plot.names), *self.plot_extras(plot))
        self.play(Write(a[0:3]))
        self.play(Write(a[3:]), FadeIn(plot.point), *self.plot_guides(plot))
        self.play(Transform(z_value, neuron.label(a_eq.result)), neuron.light_up())
        self.hold(HOLD + 1)

    @staticmethod
    def plot_extras(plot) -> list:
        return [FadeIn(getattr(plot, name)) for name in ("ticks",) if getattr(plot, name, None) is not None]

    @staticmethod
    def plot_guides(plot) -> list:
        return [Create(getattr(plot, name)) for name in ("guides", "readings") if getattr(plot, name, None) is not None]


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


class BackwardPass(Beat):
    def construct(self):
        trace, out = self.trace, len(self.trace.network.sizes) - 1
        title = self.title()
        net = NetworkMobject(trace, values=None, digits=self.net_digits)
        board = self.beside(net, title)
        back = self.equations("backward")
        batch = len(trace.input)
        node = (out, 0)
        halo = ring(net, node)
        first = back[f"∂E/∂{a_(out, 1).text()}"]
        self.step(
            "The backward pass starts where the loss enters: at the output. How fast does E change with the "
            "output a? The derivative of the loss says." + self.sample_note(),
            [first.line("text")],
        )
        self.enter(Write(title), FadeIn(net), Create(halo))
        if batch > 1:
            board.note(f"sample 1 of {batch}")
        board.write(first)
        self.hold()
        self.chain(net, board, back, node, halo, output=True)
        for layer in range(out - 1, 0, -1):
            node = (layer, 0)
            dEda = back[f"∂E/∂{a_(layer, 1).text()}"]
            self.step(
                f"One layer back. A neuron of layer {layer} feeds every neuron of the next layer, so its ∂E/∂a sums "
                "over its outgoing paths: each path's weight times the δ at its end.",
                [dEda.line("text")],
            )
            self.play(*board.clear(), halo.animate.move_to(net.neurons[node]), flow(net, layer, "backward"))
            if batch > 1:
                board.note(f"sample 1 of {batch}")
            ends = [e for e in net.edges if e[0] == node]
            saved = {e: net.edges[e].copy() for e in ends}

            def term(segment, n, part, ends=ends):
                # each term of the sum in its own colour, and its path lit in that colour
                color = TERM_COLORS[n % len(TERM_COLORS)]
                part.set_color(color)
                if segment > 1 or n >= len(ends):
                    return []
                edge = ends[n]
                return [net.edges[edge].animate.set_stroke(color, width=9), Indicate(net.neurons[edge[1]], color=color)]

            board.write(dEda, terms=True, on_term=term)
            self.hold()
            self.play(*(Transform(net.edges[e], saved[e]) for e in ends), run_time=0.5)
            self.chain(net, board, back, node, halo, output=False)

    def chain(self, net, board, back, node, halo, output: bool):
        """δ of `node`, then the gradient of its first weight, then the rest of its layer."""
        layer = node[0]
        d_eq = back[d_(layer, 1).text()]
        self.step(
            "Through the activation: δ = ∂E/∂a · f′(z), the error at the weighted sum z."
            + (
                " With softmax and cross-entropy it comes out as a − y."
                if draws_probabilities(self.trace) and output
                else ""
            ),
            [d_eq.line("text")],
        )
        tex = board.write(d_eq)
        self.play(
            *into_neuron(net, node, tex.result, net.graph.nodes[node]["delta"]), column_holds(net, layer, "delta")
        )
        self.hold()
        edge = ((layer - 1, 0), node)
        weight = w_(layer, 1, 1).text()
        own = back.get(f"∂E₁/∂{weight}")
        mean = back[f"∂E/∂{weight}"]
        lines = [eq.line("text") for eq in (own, mean) if eq is not None]
        self.step(
            "A weight's gradient: δ at its end times the activation it carries, ∂E/∂w = δ·a."
            + (" Over a batch, each sample's gradient, then their mean." if own is not None else ""),
            lines,
        )
        source = net.values.get(edge[0]) or net.neurons[edge[0]]
        self.play(*light(source, net.edges[edge]))
        for eq in (own, mean):
            if eq is not None:
                tex = board.write(eq)
        card, move = onto_edge(net, edge, tex.result, net.graph.edges[edge]["grad"], PHASE_COLORS["backward"])
        self.play(move)
        self.hold()
        rest = [n for n in net.neurons if n[0] == layer and n != node]
        others = [back[d_(layer, n[1] + 1).text()] for n in rest if d_(layer, n[1] + 1).text() in back]
        if rest:
            self.step(
                f"The other neurons of layer {layer} the same way, each from its own ∂E/∂a.",
                [eq.line("text") for eq in others],
            )
            if net.every_number:
                self.play(*board.clear())
                for n, eq in zip(rest, others):
                    tex = board.write(eq)
                    self.play(*into_neuron(net, n, tex.result, net.graph.nodes[n]["delta"]))
            else:  # colours only: the numbers of neurons whose working is not on the board stay off
                self.play(*fill_deltas(net, rest))
            self.hold()
        edges = [e for e in self.trace_edges(layer) if e != edge]
        if edges:
            self.step(
                f"Every weight into layer {layer}: its δ times the activation it carries.",
                [self.gradient_line(back, e) for e in edges],
            )
            self.play(*board.clear())
            board.results([self.gradient_pair(back, e) for e in edges[:MAX_RESULTS]])
            self.hold(HOLD + 1)

    def trace_edges(self, layer: int) -> list:
        """Every weight into `layer` as (source, target) nodes, in explain's order."""
        sizes = self.trace.network.sizes
        return [((layer - 1, k), (layer, j)) for j in range(sizes[layer]) for k in range(sizes[layer - 1])]

    def gradient_pair(self, back, edge) -> tuple[str, str]:
        (_, k), (layer, j) = edge
        key = f"∂E/∂{w_(layer, j + 1, k + 1).text()}"
        grad = self.trace.steps[0].layers[layer - 1].grad_W[j, k]
        value = back[key].result_text("latex") if key in back else format_number(grad, self.digits, zeros=True)
        return rf"\frac{{\partial E}}{{\partial {w_(layer, j + 1, k + 1).latex()}}}", value

    def gradient_line(self, back, edge) -> str:
        (_, k), (layer, j) = edge
        key = f"∂E/∂{w_(layer, j + 1, k + 1).text()}"
        if key in back:
            return back[key].line("text")
        # explain shortens long layers ("… 4 more weight gradients"): the value from the Trace
        grad = self.trace.steps[0].layers[layer - 1].grad_W[j, k]
        return f"{key} = {format_display(grad, self.digits, zeros=True)}"


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


class Training(Beat):
    """Many steps in fast motion: the loss curve draws itself while the weights evolve, and for
    a 2-input network trained on several samples its output over the input plane morphs."""

    def construct(self):
        trace = self.trace
        steps = trace.steps
        history = trace.loss_history
        shown = sorted({round(i * (len(steps) - 1) / (SNAPSHOTS - 1)) for i in range(SNAPSHOTS)})
        # the weights change here, so no activations in the neurons (they would be step 1's)
        net = NetworkMobject(trace, values=False, names=False)
        axes = loss_axes(history)
        labels = axes.decorations
        field = output_fields(trace, [-1] + shown, predict) if has_output_field(trace) else None
        legend = signed_legend(net.weight_limit, "weight w")
        panels = [VGroup(net, legend.next_to(net, DOWN, buff=0.4))]
        if field:
            panels.append(Group(field.images[0], field.frame, field.samples, *self.key(field)))
        panels.append(VGroup(axes, labels))
        row = Group(*panels).arrange(RIGHT, buff=0.6)
        row.scale(min(1.0, 2 * SAFE_X / row.width, (2 * SAFE_Y - 1.4) / row.height)).next_to(
            self.title(), DOWN, buff=0.5
        )
        row.set_x(0)
        title = self.title()
        last = steps[-1]
        self.step(
            f"Training: the same step again and again, {len(steps)} times. The loss falls as the weights settle.",
            [
                f"E = {format_display(steps[0].loss, self.digits, zeros=True)} before step 1, "
                f"{format_display(last.loss_after, self.digits, zeros=True)} after step {last.index}"
            ],
        )
        self.enter(
            Write(title), FadeIn(panels[0]), Create(axes), FadeIn(labels), *([FadeIn(panels[1])] if field else [])
        )
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
            later = NetworkMobject(trace, step=index, values=False, names=False, radius=net.radius).replace(net)
            loss = format_display(steps[index].loss_after, self.digits, zeros=True)
            before = status  # the status on screen, if any
            status = Text(f"step {steps[index].index} · E = {loss}", font_size=28, color=PHASE_COLORS["update"])
            status.next_to(axes, UP, buff=0.5).align_to(axes, LEFT)
            status.shift(LEFT * max(0.0, status.get_right()[0] - SAFE_X + 0.05))
            moves = [Transform(net.edges[key], later.edges[key]) for key in net.edges]
            if field:
                # The field steps to this snapshot at once, behind everything: manim redraws every
                # frame whatever is animated or lies above it, and an image is slow to draw.
                self.remove(field.images[n])
                self.bring_to_back(field.images[n + 1].replace(field.images[n]))
            # the status steps at once too, and stays fully drawn while the curve runs to it
            if before is None:
                self.play(Create(curve), *moves, FadeIn(status), run_time=1.0)
            else:
                self.remove(before)
                self.add(status)
                self.play(Create(curve), *moves, run_time=1.0)
            previous = index + 1
        self.hold(HOLD + 1)

    @staticmethod
    def key(field) -> list:
        key = getattr(field, "key", None)
        return [key] if key is not None else []


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


class Lecture(TitleCard, NeuronDotProduct, ForwardPass, Loss, BackwardPass, WeightUpdate, Training):
    """All the beats in order after a title card, one manim section each (so each beat can also
    be exported on its own, e.g. with `manim --save_sections`). It derives from every beat so
    that a beat's own helper methods are there when it plays its construct on the Lecture."""

    beats = tuple(Beat.by_scene[name] for name in LECTURE_PARTS)

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
