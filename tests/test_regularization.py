"""L1 and L2 regularization: the penalty's own term in E and in every weight's gradient, checked
by torch and finite differences, and L2 as a loss term equal to SGD's weight decay."""

import numpy as np
import pytest
import torch

from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.trace import Trace
from visualizer.network.verify import verify


def test_penalties_are_their_own_terms_of_the_loss_and_the_gradient():
    plain = run(load_spec("2-3-1"))
    trace = run(load_spec("2-3-1").with_overrides(l1=0.05, l2=0.1))
    step, layers = trace.steps[0], trace.steps[0].layers
    weights = np.concatenate([layer.W.ravel() for layer in layers])
    assert step.penalties["l2"] == pytest.approx(0.5 * 0.1 * np.sum(weights**2), rel=1e-15)
    assert step.penalties["l1"] == pytest.approx(0.05 * np.sum(np.abs(weights)), rel=1e-15)
    assert step.data_loss == plain.steps[0].loss
    assert step.loss == pytest.approx(step.data_loss + step.penalties["l1"] + step.penalties["l2"], rel=1e-15)
    for ours, without in zip(layers, plain.steps[0].layers):
        np.testing.assert_allclose(ours.grad_W, without.grad_W + 0.1 * ours.W + 0.05 * np.sign(ours.W), atol=1e-15)
        np.testing.assert_array_equal(ours.grad_b, without.grad_b)  # biases are not penalised
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed, report


def test_l2_term_is_sgd_weight_decay():
    trace = run(load_spec("xor").with_overrides(l2=0.05), 5)
    W = [torch.tensor(layer.W, requires_grad=True) for layer in trace.steps[0].layers]
    b = [torch.tensor(layer.b, requires_grad=True) for layer in trace.steps[0].layers]
    sgd = torch.optim.SGD([{"params": W, "weight_decay": 0.05}, {"params": b, "weight_decay": 0.0}], lr=2.0)
    x, y = torch.tensor(trace.input), torch.tensor(trace.target)
    for step in trace.steps:
        sgd.zero_grad()
        a = x
        for W_l, b_l in zip(W, b):
            a = torch.sigmoid(a @ W_l.T + b_l)
        torch.nn.functional.mse_loss(a, y).backward()
        sgd.step()
        for W_l, layer in zip(W, step.layers):
            np.testing.assert_allclose(W_l.detach().numpy(), layer.W_new, rtol=0, atol=1e-14)


def test_regularization_round_trips_through_json():
    trace = run(load_spec("2-3-1").with_overrides(l2=0.01), 2)
    back = Trace.from_json(trace.to_json())
    assert back.network.regularization == {"l2": 0.01}
    assert back.steps[1].penalties == trace.steps[1].penalties
