"""What makes a variant pleasant to do by hand, as rules a drawn variant must pass.

A variant's given numbers have one or two decimals by construction (variants.py); these rules
judge the step they lead to, from its Trace, at the precision the answers are given in (K
significant figures):

- no saturated neuron: a sigmoid's or tanh's slope f'(z) is at least a quarter of its largest
  (σ'(z) ≥ 0.0625, |z| ≤ 2.6; tanh'(z) ≥ 0.25, |z| ≤ 1.3), where a·(1 − a) would be a tiny
  factor that makes every gradient behind it vanish; a ReLU is on (z ≥ 0.01: a neuron that is
  off passes back nothing, and one at its kink has no slope); a softmax output lies between
  0.02 and 0.98;
- nothing the student writes rounds to zero: every asked quantity is 0 exactly (cross-entropy's
  ∂E/∂a of an output whose target is 0) or at least 10⁻ᴷ in size (K = 4: 0.0001), so a hand
  calculation carried to K decimals does not lose it;
- every asked update shows: the new weight differs from the old one at K significant figures;
- nothing unwieldy: every asked quantity is under 100 in size;
- the step helps: the loss after the update is below the loss before it.
"""

from __future__ import annotations

import numpy as np

from visualizer.network.trace import Trace

from .quantities import Quantity

# f'(z) at least this share of its largest value (σ' ≤ 1/4, tanh' ≤ 1)
SLOPE_SHARE = 0.25
LARGEST_SLOPE = {"sigmoid": 0.25, "tanh": 1.0}
ON = 0.01  # a ReLU's (or leaky ReLU's) z at least this: on, and away from its kink
SOFTMAX_RANGE = (0.02, 0.98)
UNWIELDY = 100.0


def problems(trace: Trace, asked: list[Quantity], precision: int) -> list[str]:
    """What makes the variant unpleasant, one line each (starting with what it is about); empty
    for a pleasant one. `asked`: the quantities the worksheet asks for."""
    found = _saturated(trace)
    smallest = 10.0**-precision
    layers = trace.steps[0].layers
    for q in asked:
        size = abs(q.value)
        if 0 < size < smallest:
            found.append(f"{q.name}: {q.key} = {q.value:.3g} rounds to 0 at {precision} decimals")
        if size >= UNWIELDY:
            found.append(f"{q.name}: {q.key} = {q.value:.4g} is unwieldy")
        if q.name in ("new_w", "new_b"):
            layer = layers[q.layer - 1]
            before = layer.W[q.j - 1, q.k - 1] if q.name == "new_w" else layer.b[q.j - 1]
            if _rounded(q.value, precision) == _rounded(before, precision):
                found.append(f"{q.name}: {q.key} does not change at {precision} significant figures")
    step = trace.steps[0]
    if not step.loss_after < step.loss:
        found.append("loss: the step does not lower the loss")
    return found


def _saturated(trace: Trace) -> list[str]:
    found = []
    for l, (layer, name) in enumerate(zip(trace.steps[0].layers, trace.network.activations), start=1):
        if name in LARGEST_SLOPE and np.any(layer.d_activation < SLOPE_SHARE * LARGEST_SLOPE[name]):
            found.append(f"saturated: a {name} of layer {l} saturates (z = {np.max(np.abs(layer.z)):.3g})")
        if name in ("relu", "leaky_relu") and np.any(layer.z < ON):
            found.append(f"off: a {name} of layer {l} is off or at its kink")
        low, high = SOFTMAX_RANGE
        if name == "softmax" and np.any((layer.a < low) | (layer.a > high)):
            found.append(f"softmax: an output of layer {l} is near 0 or 1")
    return found


def _rounded(value: float, digits: int) -> str:
    return f"{value:.{digits}g}"
