"""Every loss and every activation, one by one, against torch (its torch.nn.functional
counterpart) and finite differences over five steps, on a batch whose targets suit it."""

import numpy as np
import pytest
from helpers import fit_loss

from visualizer.functions.activations import ACTIVATIONS
from visualizer.functions.losses import LOSSES
from visualizer.network.mlp import run
from visualizer.network.spec import spec_from_table
from visualizer.network.verify import verify


def spec_for(loss: str, hidden: str = "tanh", output: str = "sigmoid", outputs: int = 3):
    rng = np.random.default_rng(1)
    table = {
        "sizes": [2, 4, outputs],
        "activation": hidden,
        "output_activation": output,
        "loss": loss,
        "seed": 1,
        "input": rng.uniform(-1, 1, (3, 2)).round(2).tolist(),
        "target": rng.uniform(0.1, 0.9, (3, outputs)).round(2).tolist(),
        "optimizer": {"name": "sgd", "lr": 0.3},
    }
    return spec_from_table(fit_loss(table, rng))


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_each_loss_matches_torch_and_finite_differences(loss):
    trace = run(spec_for(loss), 5)
    report = verify(trace)
    assert report.torch.passed and report.torch.compared > 0, report.torch
    assert report.finite_difference.passed and report.finite_difference.compared > 0, report.finite_difference


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_each_activation_matches_torch_and_finite_differences(activation):
    spec = spec_for("mse", hidden="sigmoid" if ACTIVATIONS[activation].output_only else activation, output=activation)
    report = verify(run(spec, 5))
    assert report.torch.passed, report.torch
    assert report.finite_difference.passed, report.finite_difference
