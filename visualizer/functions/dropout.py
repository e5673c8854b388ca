"""Dropout: during training, each hidden neuron is switched off at random for one step, with
probability p, so the network cannot lean on any one of them (co-adaptation).

A dropped neuron's output is multiplied by 0, a kept one's by 1/(1 − p) ("inverted" dropout, as
torch.nn.Dropout does): the expected output stays f(z), so nothing changes when dropout is off
at prediction time. The multipliers of a step are its mask, drawn from the spec's seed and the
step's number (the same run draws the same masks), recorded in the Trace and used again for the
loss after the update, so the loss change shows the update alone. Backpropagation multiplies by
the same mask: a dropped neuron gets δ = 0 and the weights into it do not move that step.
Only hidden layers drop out; the inputs and the outputs never do. What explain says about it is
here too, with the masks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# δ of a hidden neuron under dropout, as explain's backward pass says it
DELTA_TEXT = "∂E/∂a · m · f'(z) (a dropped neuron's m = 0 gives δ = 0)"


def keep_scale(p: float) -> float:
    """1/(1 − p): what a kept neuron's output is multiplied by, so a layer's expected output is unchanged."""
    return 1.0 / (1.0 - p)


def draw_masks(p: float, sizes, batch: int, seed: int, step: int) -> list[np.ndarray]:
    """One mask per non-input layer (batch × neurons): 0 or 1/(1 − p) in hidden layers, 1 at the output."""
    rng = np.random.default_rng([seed, 2, step])  # a stream of its own: weights and data are unchanged
    masks = []
    for l, n in enumerate(sizes[1:], start=1):
        if p > 0 and l < len(sizes) - 1:
            kept = rng.random((batch, n)) >= p
            masks.append(np.where(kept, keep_scale(p), 0.0))
        else:
            masks.append(np.ones((batch, n)))
    return masks


def explanation(p: float, shown: Callable[[float], str]) -> str:
    """What dropout does in a step, as explain's header says it, its numbers as `shown` writes them."""
    return (
        f"dropout p = {shown(p)}: in each step every hidden neuron is dropped with probability {shown(p)} "
        f"(its output × 0) and the kept ones are scaled by 1/(1 − p) = {shown(keep_scale(p))}, so a = f(z)·m; "
        f"the mask m is drawn from the seed and the step, and backpropagation multiplies by it too"
    )
