"""Speaker notes for the slides: for each beat, the numbers of the step it shows, as plain lines
a lecturer can read out (the same equations and digits explain prints)."""

from __future__ import annotations

import html

from visualizer.network.trace import Trace
from visualizer.render.explain.notation import w_
from visualizer.style import format_number

from .beats import BY_SCENE
from .formulas import equations

LINES = 12  # a note longer than this is cut: the slide is the place for detail


def step_notes(say: str, numbers=()) -> str:
    """The speaker notes of one step of a beat: what to say, then every number the step shows."""
    lines = [_escape(say)] + ["- " + _escape(line) for line in numbers]
    return "\n".join(lines)


def _escape(line: str) -> str:
    # notes are read as HTML, then Markdown: escape both
    return html.escape(line).replace("*", r"\*").replace("_", r"\_")


def speaker_notes(trace: Trace, beat: str) -> str:
    """The notes of one beat (a class name of scenes/lecture.py), as Markdown list items."""
    net = trace.network
    step = trace.steps[0]
    if beat == "TitleCard":
        lines = [
            f"Network {net.name}: layers {'-'.join(map(str, net.sizes))}, "
            f"activations {', '.join(net.activations)}, loss {net.loss}, "
            f"optimizer {net.optimizer['name']} (η = {format_number(net.optimizer['lr'])})",
            "Every number on the slides is from the recorded step, verified against torch autograd.",
        ]
    elif beat == "Training":
        last = trace.steps[-1]
        lines = [
            f"{len(trace.steps)} steps: E = {format_number(step.loss, zeros=True)} before the first, "
            f"{format_number(last.loss_after, zeros=True)} after the last"
        ]
    else:
        found = equations(trace, BY_SCENE[beat].phase)
        if beat == "NeuronDotProduct":
            lines = [eq.line("text") for key, eq in found.items() if key in ("z₁⁽¹⁾", "a₁⁽¹⁾")]
        elif beat == "Loss":
            lines = [eq.line("text") for eq in found.values()]
        elif beat == "WeightUpdate":  # the weight the slide works out, then every new value
            shown = found[w_(len(net.sizes) - 1, 1, 1).text()]
            lines = [
                shown.line("text"),
                f"loss on the same input: {format_number(step.loss, zeros=True)} → "
                f"{format_number(step.loss_after, zeros=True)}",
            ]
            lines += [f"{key} → {eq.result_text('text')}" for key, eq in found.items() if eq is not shown]
        else:  # the backward pass: every δ, then every ∂E/∂w, without the working
            lines = [f"{key} = {eq.result_text('text')}" for key, eq in found.items() if key.startswith("δ")]
            lines += [f"{key} = {eq.result_text('text')}" for key, eq in found.items() if key.startswith("∂E/∂w")]
    if len(lines) > LINES:
        lines = lines[: LINES - 1] + [f"… and {len(lines) - LINES + 1} more (explain --net {net.name} shows them all)"]
    # notes are read as HTML, then Markdown: escape both
    return "\n".join("- " + html.escape(line).replace("*", r"\*").replace("_", r"\_") for line in lines)
