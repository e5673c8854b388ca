"""Marking a student's answers: which are right, the first that is not, and its likely cause.

An answer is right when, at the worksheet's precision of p significant figures, it rounds to
the same number as the value, or lies within half a unit of the value's p-th digit (explain's
rounding honesty, `digits.rounds_to`), where the value is either the exact one (the Trace's) or
the one redone from the student's own earlier answers (`redo.py`), or anything between the two:
a student who carries their rounded answers on lands on the second, one who carries every digit
on the first. An answer that only the student's rounded numbers explain is right, with a note.

A wrong answer's likely cause is found by redoing it with each slip its kind of quantity is
prone to and seeing which one gives the student's number: `CAUSES` says each in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from visualizer.core.expr import SUP, shown_value
from visualizer.network.trace import Trace
from visualizer.render.explain.digits import rounds_to, unit
from visualizer.style import count, format_display

from .quantities import Quantity, quantities
from .redo import SLIPS, StudentStep, where

CAUSES = {
    "no_bias": "the bias left out: z = Σₖ wⱼₖaₖ + bⱼ, and this is the sum without + bⱼ",
    "no_activation": "the activation left out: a = {f}(z), and this is z itself",
    "no_derivative": "{f}′ left out: δ = ∂E/∂a · {f}′(z), and this is ∂E/∂a alone",
    "new_weights": "the updated weights used: ∂E/∂a⁽{l}⁾ = Σᵢ wᵢⱼ⁽{n}⁾δᵢ⁽{n}⁾ takes the weights from before the "
    "update (every gradient is computed before any weight changes)",
    "own_activation": "a⁽{l}⁾ instead of a⁽{p}⁾: ∂E/∂wⱼₖ⁽{l}⁾ = δⱼ⁽{l}⁾·aₖ⁽{p}⁾, the activation the weight carries "
    "into the neuron, not the neuron's own",
    "sign": "the sign of the update: w ← w − η·∂E/∂w steps against the gradient, and this is w + η·∂E/∂w",
    "no_lr": "the learning rate left out: w ← w − η·∂E/∂w with η = {lr}, and this is w − ∂E/∂w",
}


DIAGNOSED = 8  # wrong answers given a likely cause: the first, and a few after it


@dataclass(frozen=True)
class Verdict:
    """One answer judged: right or not, what it should be (exact, and from the student's own
    numbers), the likely cause of a wrong one, and a note on a right one that only rounding explains."""

    quantity: Quantity
    answer: float
    right: bool
    exact: float
    own: float  # redone from the student's earlier answers, the way explain writes it
    cause: str | None = None
    note: str | None = None


@dataclass
class Marking:
    asked: list[Quantity]
    verdicts: list[Verdict] = field(default_factory=list)
    blank: list[Quantity] = field(default_factory=list)

    @property
    def wrong(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.right]

    @property
    def passed(self) -> bool:
        return not self.wrong and not self.blank


class Marker:
    """Judges answers to the first step of a trace at `precision` significant figures."""

    def __init__(self, trace: Trace, precision: int):
        self.trace, self.precision = trace, precision
        self.every = quantities(trace, precision=precision)
        self.exact = StudentStep(trace, {}, self.every)  # the step from no answers: every number exact
        self._exact_slips: dict = {}

    def mark(self, answers: dict[str, float], asked: list[Quantity]) -> Marking:
        """Every asked answer judged (the first wrong one with its cause), the blanks listed."""
        step = StudentStep(self.trace, answers, self.every)
        redone = step.redo()
        marking = Marking(asked)
        for q in asked:
            if q.key not in answers:
                marking.blank.append(q)
                continue
            diagnose = len(marking.wrong) < DIAGNOSED
            marking.verdicts.append(self._judge(step, redone, q, answers[q.key], diagnose=diagnose))
        return marking

    def judge(self, answers: dict[str, float], q: Quantity) -> Verdict:
        """One answer (in `answers`), judged from the answers before it, with its cause if wrong."""
        step = StudentStep(self.trace, answers, self.every)
        return self._judge(step, step.redo(), q, answers[q.key], diagnose=True)

    def _judge(self, step: StudentStep, redone: dict, q: Quantity, answer: float, *, diagnose: bool) -> Verdict:
        ways = _ways(redone, q)
        p, exact = self.precision, q.value
        right = _agrees(answer, [exact, *ways], exact, p)
        verdict = Verdict(q, answer, right, exact, ways[0])
        if right and not _agrees(answer, [exact], exact, p):
            note = f"follows from your rounded answers before it; carried exactly it is {_num(exact, p)}"
            return Verdict(q, answer, True, exact, ways[0], note=note)
        if right or not diagnose:
            return verdict
        return Verdict(q, answer, False, exact, ways[0], cause=self._cause(step, q, answer, ways))

    def _cause(self, step: StudentStep, q: Quantity, answer: float, ways: list[float]) -> str | None:
        p, exact = self.precision, q.value
        for slip, name in SLIPS.items():
            if name == q.name or (name == "new_w" and q.name == "new_b"):
                if slip == "no_lr" and step.defs.optimizer.name != "sgd":
                    continue
                if slip == "new_weights" and q.layer == len(step.step.layers):
                    continue
                # the slip on the student's numbers as written, or on every digit of them
                if slip not in self._exact_slips:
                    self._exact_slips[slip] = self.exact.redo(slip)
                slipped = _ways(step.redo(slip), q) + _ways(self._exact_slips[slip], q)
                if _agrees(answer, slipped, exact, p, between=False):
                    return self._words(slip, q, step)
        factor = _factor(answer, ways, exact, p, step, q)
        if factor:
            return factor
        if _agrees(answer, [-w for w in ways], exact, p, between=False) and exact != 0:
            return "the sign is flipped"
        for k in range(p - 1, 0, -1):
            if answer == shown_value(exact, k) and answer != shown_value(exact, p):
                return f"given to {count(k, 'significant figure')}, not the {p} asked"
        for k in range(p - 1, 1, -1):  # at 1 figure nearly anything follows from something
            if _agrees(answer, _ways(step.redo(digits=k), q), exact, p, between=False):
                return (
                    f"rounding carried too early: your number follows from the numbers before it rounded to "
                    f"{count(k, 'significant figure')}; carry more digits and round only the answer"
                )
        return None

    def _words(self, slip: str, q: Quantity, step: StudentStep) -> str:
        f = step.defs.activations[q.layer - 1].symbol if q.layer else ""
        l = q.layer or 0
        return CAUSES[slip].format(
            f=f,
            l=_sup(l),
            n=_sup(l + 1),
            p=_sup(l - 1),
            lr=format_display(step.defs.hyper.get("lr", 0.0)),
        )


def _ways(redone: dict, q: Quantity) -> list[float]:
    array, at = where(q)
    return [float(np.asarray(way)[at]) for way in redone[array]]


def _agrees(answer: float, values: list[float], exact: float, digits: int, *, between: bool = True) -> bool:
    """Whether `answer` is right against any of `values` (or between them, where `between`), at
    `digits` significant figures: the same when rounded, or within half a unit of the last digit."""
    one = unit(exact, digits)
    finite = [v for v in values if np.isfinite(v)]
    if not finite or not np.isfinite(answer):
        return False
    if any(shown_value(answer, digits) == shown_value(v, digits) or rounds_to(answer, v, one) for v in finite):
        return True
    return between and min(finite) - one / 2 <= answer <= max(finite) + one / 2


def _factor(answer: float, ways: list[float], exact: float, p: int, step: StudentStep, q: Quantity) -> str | None:
    """A sum where the loss takes a mean (or the other way): the answer a whole factor off."""
    if q.name not in ("E", "E_data", "dE_da", "delta", "dE_dw", "dE_db") or exact == 0:
        return None
    B, n = step.batch, len(step.step.layers[-1].b)
    mean_outputs = step.defs.loss.reduction == "mean" and n > 1
    factors = []
    if B > 1:
        factors.append(
            (
                B,
                f"a sum instead of a mean over the batch: this is {B} × the right number (E is the mean of the {B} samples' losses, and its slopes carry the 1/{B})",
            )
        )
        factors.append(
            (
                1 / B,
                f"the mean over the batch taken twice: this is the right number ÷ {B} (δ already carries the batch's 1/{B}, so ∂E/∂w sums δ·a over the samples)",
            )
        )
    if mean_outputs:
        factors.append(
            (
                n,
                f"a sum instead of a mean over the {n} outputs: {step.defs.loss.name} takes the mean, so this is {n} × the right number",
            )
        )
    if B > 1 and mean_outputs:
        factors.append(
            (B * n, f"sums instead of means over the batch and the outputs: this is {B * n} × the right number")
        )
    factors.append(
        (2, "twice the right number: ½·(a − y)² has slope a − y, (a − y)² has 2·(a − y); check which your loss is")
    )
    factors.append((0.5, "half the right number: (a − y)² has slope 2·(a − y); check which your loss is"))
    for factor, words in factors:
        if _agrees(answer, [w * factor for w in ways], exact * factor, p, between=False):
            return words
    return None


def _num(value: float, digits: int) -> str:
    return format_display(value, digits, zeros=True)


def _sup(l: int) -> str:
    return str(l).translate(SUP)
