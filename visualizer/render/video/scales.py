"""One colour scale per video: the limits ±L the signed map is stretched to, read off the whole
Trace once, so that a colour means the same number in every beat and every step (a weight as
purple as another is as large, whichever step shows it).

Pure functions of a `visualizer.network.trace.Trace`; the scene colours with
`style.signed_color(value, limit)` and shows the key with `legend.signed_legend(limit, ...)`.
"""

from __future__ import annotations

import numpy as np

from visualizer.functions.activations import Activation, get_activation
from visualizer.render.layout import symmetric_limit

# Where an activation is evaluated to tell whether it is bounded. Its range is derived from its
# definition (functions/activations.py, the one place an activation is defined) rather than kept
# in a table here, which a new activation would have to be added to and could fall out of step
# with: a bounded f (sigmoid, tanh, step, softmax) stays within 1 out there, an unbounded one
# (ReLU, leaky ReLU, identity) is at least 0.01·FAR there.
FAR = 1e6
BOUNDED = 1e3  # |f(±FAR)| below this: bounded; every unbounded activation here is ≥ 1e4 out there


def activation_range(f: Activation) -> float | None:
    """The largest |f(z)| over every z when f is bounded (1 for sigmoid, tanh, step and softmax),
    None when it is not (ReLU, identity)."""
    # one row, so that a row-wise activation (softmax) sees both ends at once, as in a layer
    z = np.array([[-FAR, -1.0, 0.0, 1.0, FAR]])
    largest = float(np.abs(f.function(z)).max())
    return largest if largest < BOUNDED else None


def activation_limit(trace, layer: int) -> float:
    """The limit for colouring the activations of `layer` (1-based; 0: the inputs) in every step:
    the activation's range where it has one, else the largest |a| of that layer over every
    recorded step (inputs: the largest |x| of the data). Dropout's kept activations are scaled by
    1/(1 − p) and may pass the range: the limit is then their largest |a|, so none is clipped."""
    if layer == 0:
        return symmetric_limit(np.abs(trace.input).ravel())
    observed = symmetric_limit(np.concatenate([np.abs(s.layers[layer - 1].a).ravel() for s in trace.steps]))
    bound = activation_range(get_activation(trace.network.activations[layer - 1], trace.network.rule))
    return observed if bound is None else max(bound, observed)


def weight_limit(trace) -> float:
    """The largest |w| over every layer's weights before and after every step (W and W_new): one
    scale for the weights of the whole video, so a growing weight is seen to darken."""
    return symmetric_limit(
        np.concatenate([np.abs(m).ravel() for s in trace.steps for layer in s.layers for m in (layer.W, layer.W_new)])
    )


def delta_limit(trace, step: int = 0) -> float:
    """The largest |δ| over every layer of step `step` (0-based): δ shrinks layer by layer going
    back, and one scale over the layers shows that shrinking rather than hiding it."""
    return symmetric_limit(np.concatenate([np.abs(layer.delta).ravel() for layer in trace.steps[step].layers]))
