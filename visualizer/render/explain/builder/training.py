"""After several steps: the loss before and after each step (condensed past STEP_ROWS rows),
then the final weights and biases."""

from __future__ import annotations

from ..document import Note, Section
from .context import Context

STEP_ROWS = 20  # rows of the per-step loss table before it is condensed


def sections(c: Context) -> list[Section]:
    steps = c.trace.steps
    n = len(steps)
    section = Section(f"Training: {n} steps", "training")
    shown = list(range(n)) if n <= STEP_ROWS else [*range(10), None, *range(n - 5, n)]  # the first 10, the last 5
    rows = [
        ["…"] * 4 if i is None else [str(steps[i].index), steps[i].loss, steps[i].loss_after, steps[i].loss_change]
        for i in shown
    ]
    section.items.append(c.table(["step", "E before", "E after", "change"], rows))
    last = steps[-1]
    section.items.append(Note(f"final weights and biases, after step {last.index}:"))
    for l, layer in enumerate(last.layers, start=1):
        section.items += [Note(f"layer {l}:"), c.parameter_table(l, layer.W_new, layer.b_new)]
    return [section]
