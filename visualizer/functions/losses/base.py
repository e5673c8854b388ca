"""What a loss is: its definition, once, with everything the rest of the tool needs.

A loss is a term per output, reduced over the n outputs of a sample (a sum or a mean), and the
per-sample losses are averaged over the batch: a batch of one gives the textbook number. Each
loss gives its engine construction, its formulas (LaTeX, text, and `expr` trees for explain,
∂E/∂a included), what explain says where it meets its output activation, its torch
counterpart, and which outputs and targets it takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from visualizer.core.engine import Node
from visualizer.core.expr import Expr, Neg, fraction, mul
from visualizer.functions.classes import one_hot

# how E reduces the samples' losses (a network's `reduction`): their mean (the textbook's), or their sum
BATCH_REDUCTIONS = ("mean", "sum")


@dataclass(frozen=True)
class Loss:
    name: str
    description: str
    term: Callable[[Node, Node], Node]  # per output: (a, y) -> term, element by element
    term_formula: Callable[[Expr, Expr], Expr] | None  # the same term as a formula (None: see row_term)
    reduction: str  # over the outputs of a sample: "sum" or "mean"
    # ∂term/∂a = grad_factor · term_gradient(a, y), so that ∂E/∂aᵢ is that over
    # batch · (n if mean else 1); the constant is kept apart to be shown as one fraction (2/3·(a − y))
    grad_factor: Fraction
    term_gradient: Callable[[Expr, Expr], Expr] | None  # None: see row_gradient
    latex: str
    text: str
    torch: Callable  # (torch module, output tensor, target tensor) -> scalar tensor
    torch_terms: Callable  # the same, but the terms before any reduction (batch × n)
    torch_name: str  # what it is checked against, for the docs
    # where the slope used is a convention rather than the derivative of E (a floor against
    # dividing by 0): (a, y) -> bool array; finite differences cannot check those steps
    conventional: Callable | None = None
    # how far E computed in float64 may be off beyond ε·|E|, where the formula cancels:
    # (a, y) -> an absolute error, for finite differences' noise allowance
    rounding: Callable | None = None
    # A loss of logits reads the output layer's weighted sums z, not its probabilities a: the
    # torch counterparts get z, and the engine's E goes from z through log-softmax (a log-sum-exp:
    # no log(0), no overflow), so a is off E's path. `on_probabilities` is the same loss written
    # on a, (a, y) -> E, which gives ∂E/∂a for the record; `torch_on_probabilities` is torch's.
    logits: bool = False
    on_probabilities: Callable | None = None
    torch_on_probabilities: Callable | None = None
    # the output activation the loss needs, if any: (its name, what the loss needs, what to do instead)
    output: tuple[str, str, str] | None = None
    # targets: class indices (one per sample, 0-based, standing for one-hot rows) rather than one
    # value per output; a random target for a spec that gives none, (rng, batch, n) -> batch × width;
    # and what the loss refuses, (targets as one value per output, n) -> a message, or None
    class_indices: bool = False
    draw_target: Callable | None = None
    target_problem: Callable[[np.ndarray, int], str | None] | None = None
    # a loss whose term for output i also reads the right class's output c: the term of a wrong
    # class i and the slope of any output i, as formulas of the row: (i, c, a(k)) -> Expr, (i, c, a(k), n) -> Expr
    row_term: Callable | None = None
    row_gradient: Callable | None = None
    slope_text: str | None = None  # the slope for the docs, where term_gradient cannot say it alone
    # what explain says about δ at the output, where this loss meets its output activation, for a
    # batch of that many samples (whose mean divides δ): batch -> (text, LaTeX)
    delta_note: Callable[[int], tuple[str, str]] | None = None
    # over the batch: the samples' losses averaged ("mean", the textbook's) or added ("sum", torch's
    # reduction='sum'); a network's setting (spec `reduction`), put in by Definitions
    batch_reduction: str = "mean"
    # a loss with a margin Δ (the multi-class hinges): its Δ, and the same loss with another (spec `margin`)
    margin: float | None = None
    with_margin: Callable[[float], Loss] | None = None

    def target_width(self, n: int) -> int:
        """Values per sample in a target, for n outputs."""
        return 1 if self.class_indices else n

    def dense_target(self, y: np.ndarray, n: int) -> np.ndarray:
        """The targets as one value per output: class indices as one-hot rows."""
        return one_hot(y, n) if self.class_indices else y

    def check_targets(self, y: np.ndarray, n: int) -> str | None:
        """What is wrong with these targets (as given) for n outputs, and how to fix it; None if nothing."""
        if self.class_indices and n > 1:
            bad = y[(y != np.round(y)) | (y < 0) | (y >= n)]
            if bad.size:
                return (
                    f"{self.name} takes class indices from 0 to {n - 1} (one per output), got {bad[0]:g}; give "
                    f"them with --target, e.g. --target 0;2 for two samples"
                )
        return self.target_problem(y, n) if self.target_problem else None

    def build(self, a: Node, y: Node) -> tuple[Node, Node, Node]:
        """(the terms, batch × n; each sample's loss; the loss E, their mean), all named."""
        # the targets in the output's dtype: float64 targets would turn a float32 loss into float64
        target = self.dense_target(y.value, a.shape[-1]).astype(a.value.dtype, copy=False)
        terms = self.term(a, Node(target, name=y.name)).named("loss.terms")
        per_sample = (terms.sum(axis=1) if self.reduction == "sum" else terms.mean(axis=1)).named("loss.samples")
        total = per_sample.sum() if self.batch_reduction == "sum" else per_sample.mean()
        return terms, per_sample, total.named("loss")

    def loss_on_probabilities(self, a: Node, y: Node) -> Node:
        """A loss of logits written on a (for ∂E/∂a), with this batch reduction (its own is the mean)."""
        value = self.on_probabilities(a, y)
        return value * float(a.shape[0]) if self.batch_reduction == "sum" else value

    def torch_loss(self, torch, a, y, on_probabilities: bool = False):
        """The torch counterpart of E with this batch reduction (torch's own is the mean)."""
        value = (self.torch_on_probabilities if on_probabilities else self.torch)(torch, a, y)
        return value * a.shape[0] if self.batch_reduction == "sum" else value

    def gradient_formula(self, a: Expr, y: Expr, n: int, batch: int, row=None) -> Expr:
        """∂E/∂aᵢ with the numbers in it, e.g. 2/3·(a − y); the engine's value is what is shown.
        `row = (i, c, a(k))` for a loss whose terms mix the outputs (the multi-class hinge)."""
        per_batch = batch if self.batch_reduction == "mean" else 1
        factor = self.grad_factor / (per_batch * (n if self.reduction == "mean" else 1))
        gradient = self.row_gradient(*row, n) if self.row_gradient else self.term_gradient(a, y)
        if factor == 1:
            return gradient
        if isinstance(gradient, Neg):  # −1/6·(…), not 1/6·(−(…))
            return Neg(mul(fraction(factor), gradient.arg))
        return mul(fraction(factor), gradient)


def draw_class(rng, batch: int, n: int) -> np.ndarray:
    """A random class index per sample (batch × 1), for a loss that takes class indices."""
    return rng.integers(0, n, (batch, 1)).astype(np.float64)
