"""One training step: the published mazur numbers, torch agreement, and the checker's negative control."""

import dataclasses

import numpy as np
import pytest

from visualizer.functions import activations, losses
from visualizer.network.mlp import predict, run
from visualizer.network.sources import load_spec
from visualizer.network.verify import check_against_torch, check_finite_differences, verify


def test_mazur_reproduces_the_published_first_step():
    step = run(load_spec("mazur")).steps[0]
    hidden, output = step.layers
    assert step.loss == pytest.approx(0.298371109, abs=5e-10)  # E_total
    assert output.grad_W[0, 0] == pytest.approx(0.082167041, abs=5e-10)  # ∂E/∂w5
    assert output.W_new[0, 0] == pytest.approx(0.35891648, abs=5e-9)  # new w5
    assert hidden.W_new[0, 0] == pytest.approx(0.149780716, abs=5e-10)  # new w1
    assert hidden.a[0] == pytest.approx([0.593269992, 0.596884378], abs=5e-10)  # out_h1, out_h2
    assert output.a[0] == pytest.approx([0.75136507, 0.772928465], abs=5e-9)  # out_o1, out_o2
    # biases are fixed in this example
    np.testing.assert_array_equal(hidden.b_new, hidden.b)
    np.testing.assert_array_equal(output.b_new, output.b)


@pytest.mark.parametrize("net, steps", [("mazur", 1), ("2-3-1", 3), ("xor", 20), ("3-4-4-2", 2)])
def test_presets_and_shapes_match_torch_and_finite_differences(net, steps):
    report = verify(run(load_spec(net), steps))
    assert report.torch.passed, report.torch
    assert report.finite_difference.passed, report.finite_difference
    assert report.torch.max_abs_diff < 1e-12


def test_loss_history_chains_the_steps():
    trace = run(load_spec("xor"), 5)
    assert len(trace.loss_history) == 6
    assert trace.loss_history[0] == trace.steps[0].loss
    for before, after in zip(trace.steps, trace.steps[1:]):
        assert after.loss == pytest.approx(before.loss_after, rel=1e-15)
        for old, new in zip(before.layers, after.layers):
            np.testing.assert_array_equal(new.W, old.W_new)
            np.testing.assert_array_equal(new.b, old.b_new)


def test_gradients_come_from_the_old_weights():
    # ∂E/∂W of the output layer is δᵀ a_prev with the *old* hidden activations
    step = run(load_spec("2-3-1")).steps[0]
    hidden, output = step.layers
    np.testing.assert_allclose(output.grad_W, output.delta.T @ hidden.a, rtol=1e-15)
    np.testing.assert_allclose(output.W_new, output.W - 0.5 * output.grad_W, rtol=1e-15)


def test_xor_learns():
    trace = run(load_spec("xor"), 1000)
    out = trace.steps[-1].layers[-1].a.ravel()
    assert np.array_equal(out > 0.5, [False, True, True, False])
    assert trace.loss_history[-1] < trace.loss_history[0] / 10


def test_negative_control_a_wrong_derivative_is_caught(monkeypatch):
    # σ'(z) = σ(z) instead of σ(z)(1 − σ(z)): both witnesses must fail.
    wrong = dataclasses.replace(activations.SIGMOID, derivative=lambda z, a: a)
    monkeypatch.setitem(activations.ACTIVATIONS, "sigmoid", wrong)
    trace = run(load_spec("2-3-1"))
    torch_check, fd_check = check_against_torch(trace), check_finite_differences(trace)
    assert not torch_check.passed and torch_check.worst == "step 1, layer 2, d_activation"
    assert not fd_check.passed
    assert not verify(trace).passed


def test_negative_control_a_wrong_loss_is_caught(monkeypatch):
    # a "mean" squared error that sums: the name lies, the checker says so
    wrong = dataclasses.replace(losses.MSE, reduction="sum")
    monkeypatch.setitem(losses.LOSSES, "mse", wrong)
    check = check_against_torch(run(load_spec("2-2-2")))
    assert not check.passed and check.worst == "step 1, loss"


def test_relu_kinks_are_skipped_not_failed():
    # zero input and zero biases put every hidden z exactly on ReLU's kink
    spec = load_spec("2-3-1").with_overrides(activation="relu", input=[0.0, 0.0])
    spec = dataclasses.replace(spec, biases=(np.zeros(3), np.zeros(1)))
    report = check_finite_differences(run(spec))
    assert report.passed and report.skipped > 0


@pytest.mark.parametrize(
    "ours, reference, passed",
    [
        (1.0, 1.0 + 1e-13, True),
        (1e6, 1e6 * (1 + 1e-13), True),  # relative where large
        (0.0, 2e-12, False),
        (float("inf"), float("inf"), True),  # both diverged the same way
        (1e308, float("inf"), False),
        (float("nan"), 1.0, False),
        (1.0, float("nan"), False),
    ],
)
def test_comparison_rule(ours, reference, passed):
    from visualizer.network.verify import _Tally

    tally = _Tally(1e-12)
    tally.add("x", ours, reference)
    assert tally.check().passed is passed


def test_predict_is_the_recorded_forward_pass():
    trace = run(load_spec("xor"), 3)
    # with the weights a step starts from, the output is the a that step recorded
    np.testing.assert_array_equal(predict(trace, 0, trace.input), trace.steps[1].layers[-1].a)
    np.testing.assert_array_equal(predict(trace, -1, trace.input), trace.steps[0].layers[-1].a)
