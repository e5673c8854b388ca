"""Warnings after a training run that finished but learned nothing useful, each one line naming
the likely cause and a fix (`backprop train` prints them on stderr; the exit status stays 0).

- Chance level: a classifier's test accuracy no better than guessing (the most common class's
  share, at least 1/classes) plus a margin for the test set's noise: 2 %, plus twice the standard
  deviation of a guesser's accuracy on n samples, √(c(1 − c)/n).
- Saturated outputs: more than half of the sigmoid or softmax output values on the test set
  within 1e-6 of 0 or 1 (a trained classifier has about a tenth there); such outputs pass back
  almost no gradient, and they come from weights that grew too large, mostly from a learning
  rate that is too high.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.style import format_number

SATURATED = 1e-6  # an output this close to 0 or 1 passes back (almost) no gradient
SATURATED_SHARE = 0.5  # of the output values
CHANCE_MARGIN = 0.02
PROBABILITY_OUTPUTS = ("sigmoid", "softmax")
HARDLY_FELL = 0.9  # the last epoch's training loss above this share of the first steps' loss


def chance_level(y_test: np.ndarray, k: int) -> float:
    """The accuracy of guessing: always the most common test class, and never below 1/k."""
    labels = np.asarray(y_test).reshape(len(y_test), -1)[:, 0].astype(int)
    return max(1 / k, float(np.bincount(labels).max() / len(labels)))


def saturated_share(out: np.ndarray) -> float:
    """The share of output values within SATURATED of 0 or 1."""
    out = np.asarray(out, dtype=np.float64)
    return float(np.mean(np.minimum(np.abs(out), np.abs(1 - out)) < SATURATED))


def warnings_for(spec, task: str, report: dict, out: np.ndarray, y_test: np.ndarray, step_losses) -> list[str]:
    """The warnings this run earns (none for a run that learned), each one line."""
    lr = spec.optimizer.get("lr")
    saturated = saturated_share(out) if spec.activations[-1] in PROBABILITY_OUTPUTS else 0.0
    too_high = f"the learning rate (--lr {format_number(lr)}) is likely too high; try --lr {format_number(lr / 10)}"
    stuck = (
        f"{saturated:.0%} of the output values are within {SATURATED:g} of 0 or 1 (saturated: they pass back "
        f"almost no gradient)"
    )
    if task == "regression":
        return [f"warning: {stuck}; {too_high}"] if saturated > SATURATED_SHARE else []
    k = max(len(report["classes"]), 2)
    chance = chance_level(y_test, k)
    margin = CHANCE_MARGIN + 2 * math.sqrt(chance * (1 - chance) / len(y_test))
    accuracy = report["accuracy"]
    if accuracy > chance + margin:
        return [f"warning: {stuck}; {too_high}"] if saturated > SATURATED_SHARE else []
    said = (
        f"warning: test accuracy {accuracy:.1%} is chance level (guessing gets {chance:.1%} with "
        f"{k} classes): the network has not learned"
    )
    if saturated > SATURATED_SHARE:
        return [f"{said}; {stuck}: {too_high}"]
    first, last = _first_and_last(step_losses)
    if last is not None and last > HARDLY_FELL * first:
        return [
            f"{said}; the loss hardly fell ({format_number(first)} → {format_number(last)}): the learning rate "
            f"(--lr {format_number(lr)}) is likely too low or too few epochs ran; try --lr {format_number(lr * 10)} "
            f"or more --epochs"
        ]
    return [
        f"{said}; likely the learning rate (--lr {format_number(lr)}) or the optimizer; try --optimizer adam "
        f"--lr 1e-3, and check that the output layer and loss fit the task (softmax with cross-entropy for classes)"
    ]


def _first_and_last(step_losses) -> tuple[float, float | None]:
    """The mean loss of the first and of the last tenth of the steps (None: too few steps to tell)."""
    losses = np.asarray(step_losses, dtype=np.float64)
    if len(losses) < 10:
        return 0.0, None
    tenth = len(losses) // 10
    return float(losses[:tenth].mean()), float(losses[-tenth:].mean())
