"""From a Trace to a document: every equation of a training step, in the lecture's notation.

Every number comes from the Trace. One module per part of the document, in the order it is
written: `header`, then for each step written out `forward`, `loss`, `backward` (with the
layer's `gradients`) and `update`, and after several steps `training`. Each reads a `Context`,
the step being written with what every phase needs. Large layers are elided: a few neurons in
full, then a note saying how many more. What a definition teaches (why a step stops
backpropagation, why softmax and cross-entropy give δ = a − y, what dropout does) is its own
text, kept with the definition; the builder places it.
"""

from __future__ import annotations

from visualizer.network.trace import Trace

from ..document import PHASES, Options, Section
from . import backward, forward, header, loss, training, update
from .context import Context

_WRITERS = {
    "forward": forward.sections,
    "loss": loss.sections,
    "backward": backward.sections,
    "update": update.sections,
}


def build_document(trace: Trace, options: Options = Options()) -> list[Section]:
    """The sections of the trace: header, the chosen steps in full, then the training table."""
    steps = trace.steps
    first = Context(trace, options, steps[0])
    chosen = {"first": steps[:1], "last": steps[-1:], "all": steps}[options.show]
    sections = header.sections(first)
    for step in chosen:
        sections += _step(Context(trace, options, step))
    if len(steps) > 1:
        sections += training.sections(first)
    return sections


def _step(c: Context) -> list[Section]:
    """One step's phases (all, or the one chosen), under a heading when the trace has several steps."""
    sections = []
    if len(c.trace.steps) > 1:
        mini = len(c.rows) < len(c.trace.input)
        batch = f": samples {', '.join(str(r + 1) for r in c.rows)}" if mini else ""
        sections.append(Section(f"Step {c.step.index} of {len(c.trace.steps)}{batch}", "step"))
    for phase in PHASES:
        if c.options.phase in ("all", phase):
            sections += _WRITERS[phase](c)
    return sections
