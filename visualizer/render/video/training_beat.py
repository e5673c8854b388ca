"""The training beat: many steps in fast motion, on one colour scale for the whole run."""

from __future__ import annotations

from collections.abc import Callable

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, Group, Text, Transform, VGroup, Write

from visualizer.style import PHASE_COLORS, format_display

from .beat import HOLD, Beat
from .frame import SAFE_X, SAFE_Y
from .legend import signed_legend
from .network_mobject import NetworkMobject
from .plots import has_output_field, loss_axes, output_fields

SNAPSHOTS = 8  # moments of a training run the Training beat stops at


class TrainingBeat(Beat):
    """Many steps in fast motion: the loss curve draws itself while the weights evolve, and for
    a 2-input network trained on several samples its output over the input plane morphs."""

    # (trace, step, x) -> outputs: the network's forward pass, which the scenes pass in
    predict: Callable | None = None

    def construct(self):
        trace = self.trace
        predict = type(self).predict
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
            status.next_to(axes, UP, buff=0.8).align_to(axes, LEFT)
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
