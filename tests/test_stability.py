"""Numbers never go silently wrong at the edges: weighted sums of ±1000 through every output
activation and loss give finite losses and δ's with no numpy warning, and still verify."""

import warnings

import numpy as np
import pytest
from helpers import fit_loss

from visualizer.functions.activations import ACTIVATIONS
from visualizer.functions.losses import LOSSES
from visualizer.network.mlp import run
from visualizer.network.spec import spec_from_table
from visualizer.network.verify import verify


def extreme_spec(output: str, loss: str):
    """A 2-3 network whose weighted sums are ±1000, 0 and ±600: saturated wherever it can be."""
    rng = np.random.default_rng(0)
    table = {
        "sizes": [2, 3],
        "output_activation": output,
        "loss": loss,
        "input": [[1.0, 1.0]],
        "target": [[0.2, 0.3, 0.5]],
        "optimizer": {"name": "sgd", "lr": 1e-3},
        "weights": [[[500.0, 500.0], [-500.0, -500.0], [300.0, 300.0]]],
        "biases": [[0.0, 0.0, 0.0]],
    }
    table = fit_loss(table, rng)
    if loss in ("mape", "mape_percent"):
        table["target"] = [[0.2, -0.3, 0.5]]
    return spec_from_table(table)


CASES = [
    (a, l)
    for l in sorted(LOSSES)
    for a in sorted(ACTIVATIONS)
    if a not in ("step",)
    and (l not in ("cross_entropy", "sparse_cross_entropy") or a == "softmax")
    and (l != "bce" or a == "sigmoid")
    and (l != "bce_logits" or a == "identity")
]


@pytest.mark.parametrize("output, loss", CASES)
def test_saturated_outputs_stay_finite_and_quiet(output, loss):
    spec = extreme_spec(output, loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow, a log(0) or a 0/0 would raise here
        trace = run(spec, 2)
    for step in trace.steps:
        assert np.isfinite(step.loss) and np.isfinite(step.loss_after)
        for layer in step.layers:
            assert np.isfinite(layer.delta).all() and np.isfinite(layer.grad_W).all()
    assert verify(trace, finite_differences=False).torch.passed
