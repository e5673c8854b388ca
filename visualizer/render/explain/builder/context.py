"""What every phase of the writing reads: the trace, the options, the network's definitions, and
the step being written with its batch; and the small pieces each phase shares: an equation at
its honest digits, a table, which samples and neurons are written out and the notes that say
what was left out."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from visualizer.core.expr import Num
from visualizer.functions.classes import class_indices
from visualizer.network.definitions import Definitions
from visualizer.network.trace import Step, Trace
from visualizer.style import count, format_display, pick

from ..digits import honest_digits
from ..document import Equation, Note, Options, Table
from ..notation import b_, w_

NEURONS = 4  # neurons per layer written out; beyond that: the first 3, a note, the last
PARAMETERS = 8  # gradient and update lines per layer
# every row of a small layer's table (3-4-4-2's first layer has 16 parameters); beyond that the
# first 15, a row saying how many more, the last. 5 columns of numbers keep a table inside 80 columns.
TABLE_ROWS, TABLE_COLUMNS = 16, 5


class Context:
    """One step of a trace being written out, and the network it trains."""

    def __init__(self, trace: Trace, options: Options, step: Step):
        self.trace, self.options, self.step = trace, options, step
        net = trace.network
        self.sizes = net.sizes
        self.L = len(net.sizes) - 1
        defs = Definitions.from_info(net)  # the same lookup the network ran on
        self.activations, self.loss, self.optimizer = defs.activations, defs.loss, defs.optimizer
        self.hyper, self.penalties = defs.hyper, defs.penalties  # penalties: (Penalty, λ) in use
        self.rows = trace.rows(step)  # the data rows of the step's batch
        self.batch = len(self.rows)
        # what E divides the samples' losses by: B for their mean, 1 for their sum (reduction = "sum")
        self.divisor = self.batch if self.loss.batch_reduction == "mean" else 1
        self.neurons = options.layout or NEURONS  # neurons per layer written out (style.pick)

    # ----- the items of a section ----------------------------------------------------------------
    def equation(self, lhs, symbolic, numeric, result, arrow="=", *, about=(), sample=None) -> Equation:
        digits = honest_digits(list(numeric), result, self.options.precision)
        # a lone number would only repeat the result
        shown = tuple(f for f in numeric if not isinstance(f, Num))
        return Equation(
            lhs,
            tuple(symbolic) + shown,
            float(result),
            digits,
            self.options.precision,
            len(symbolic),
            arrow,
            about,
            sample,
        )

    def table(self, columns, rows) -> Table:
        return Table(tuple(columns), tuple(tuple(r) for r in rows), self.options.precision)

    def parameter_table(self, l: int, W: np.ndarray, b: np.ndarray) -> Table:
        """Layer l's weights, a row per neuron, and its biases; a few rows and columns of a large one,
        the left-out ones counted."""
        ks = pick(W.shape[1], TABLE_COLUMNS)
        hidden = W.shape[1] - len(ks) + 1
        columns = ["j"] + [w_(l, "j", k + 1) if k is not None else f"… {hidden} more" for k in ks] + [b_(l, "j")]
        row = lambda j: [str(j + 1)] + [W[j, k] if k is not None else "…" for k in ks] + [b[j]]  # noqa: E731
        return self.table(columns, cut_rows(W.shape[0], row, len(columns)))

    def num(self, value: float) -> str:
        return format_display(float(value), self.options.precision)

    # ----- the step's numbers ------------------------------------------------------------------
    def activations_of(self, l: int) -> np.ndarray:
        """a⁽ˡ⁾ for every sample of the step's batch; l = 0 is the input."""
        return self.trace.input_of(self.step) if l == 0 else self.step.layers[l - 1].a

    def targets(self) -> np.ndarray:
        """The targets of the step's batch, one value per output (class indices as one-hot rows)."""
        return self.trace.target_of(self.step)

    def right_class(self, s: int) -> int:
        """The class sample s of the step's batch belongs to (its one-hot target's 1)."""
        return int(class_indices(self.targets()[s : s + 1])[0])

    def drops(self, l: int) -> bool:
        """Whether layer l (1-based) has dropout: the hidden layers, when the network uses it."""
        return self.trace.network.dropout > 0 and l < self.L

    # ----- what is written out -----------------------------------------------------------------
    def shown_weights(self, l: int) -> list[tuple[int, int]]:
        """The weights (j, k) of layer l whose lines are written out: the first few, row by row; for
        the explorer, every one between the neurons its picture shows."""
        n_out, n_in = self.sizes[l], self.sizes[l - 1]
        if self.options.layout is None:
            return [(j, k) for j in range(n_out) for k in range(n_in)][:PARAMETERS]
        rows, columns = pick(n_out, self.neurons), pick(n_in, self.neurons)
        return [(j, k) for j in rows if j is not None for k in columns if k is not None]

    def shown_biases(self, l: int) -> list[int]:
        """The biases of layer l whose update lines are written out, as shown_weights."""
        if self.options.layout is None:
            return list(range(self.sizes[l]))[:PARAMETERS]
        return [j for j in pick(self.sizes[l], self.neurons) if j is not None]

    def samples(self) -> list[int | None]:
        """The samples of the batch written out, the first ones; None where the rest are left out."""
        n = self.options.samples
        return list(range(self.batch)) if n is None or self.batch <= n else [*range(n), None]

    def left_out_samples(self, what: str = "") -> Note:
        """The note where samples are left out: which, how many, and how to see them (`what`: of
        what, e.g. "the gradients of ")."""
        n, B = self.options.samples, self.batch
        which = f"sample {B}" if B - n == 1 else f"samples {n + 1}–{B}"
        return Note(f"… {what}{which} ({B - n} more), computed the same way; --samples all writes them out")

    def sample_note(self, s: int | None) -> list[Note]:
        """Which sample the lines below are for, or how many were left out (s is None); nothing for one sample."""
        if self.batch == 1:
            return []
        if s is None:
            return [self.left_out_samples()]
        mini = len(self.rows) < len(self.trace.input)  # a mini-batch: say which sample of the data
        return [Note(f"sample {s + 1} of {self.batch}" + (f" (data row {self.rows[s] + 1})" if mini else ""))]

    def per_neuron(self, l: int, equations: Callable[[int, int], list]) -> list:
        """equations(s, j) for the samples and neurons of layer l that are written out, with notes
        for the samples and neurons left out."""
        items = []
        for s in self.samples():
            items += self.sample_note(s)
            if s is None:
                continue
            for j in pick(self.sizes[l], self.neurons):
                if j is None:
                    items.append(Note(f"… {count(self.sizes[l] - self.neurons, 'more neuron')}, computed the same way"))
                else:
                    items += equations(s, j)
        return items


def cut_rows(n: int, row: Callable[[int], list], width: int) -> list[list]:
    """Rows 0 … n − 1 of a table; a long one keeps the first and the last rows, and a row in their
    place says how many were left out (`… 4 more`), so nothing is left out without a word."""
    picked = pick(n, TABLE_ROWS)
    hidden = n - len(picked) + 1
    return [[f"… {hidden} more"] + ["…"] * (width - 1) if i is None else row(i) for i in picked]
