"""Classification: softmax at the output, categorical and sparse cross-entropy, the δ = a − y
shortcut, numerical stability at |z| ~ 1e3, and the wrong combinations a student may type."""

import io
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import compare_with_torch

from visualizer.functions.activations import SOFTMAX
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.spec import spec_from_table
from visualizer.network.verify import verify
from visualizer.render.explain import Options, build_document
from visualizer.render.explain.text import make_console, print_document

BIN = Path(sys.executable).parent


def test_softmax_op_matches_torch():
    # a non-trivial upstream gradient (compare_with_torch backprops a weighted sum), rows mixed
    compare_with_torch(lambda z: SOFTMAX(z), lambda z: torch.softmax(z, dim=-1), (3, 4), low=-3, high=3)


def test_softmax_jacobian_is_recorded_and_checked_by_torch():
    trace = run(load_spec("classifier"))
    layer = trace.steps[0].layers[-1]
    assert layer.d_activation.shape == (3, 3, 3)  # per sample, ∂aₖ/∂zᵢ
    a = layer.a[0]
    np.testing.assert_allclose(layer.d_activation[0], np.diag(a) - np.outer(a, a), atol=1e-15)
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed, report


@pytest.mark.parametrize(
    "loss, target", [("cross_entropy", [[1, 0, 0], [0, 0, 1]]), ("sparse_cross_entropy", [[0], [2]])]
)
def test_delta_is_prediction_minus_target_over_the_batch(loss, target):
    spec = spec_from_table(
        {
            "sizes": [2, 4, 3],
            "output_activation": "softmax",
            "loss": loss,
            "input": [[0.1, 0.2], [0.7, -0.3]],
            "target": target,
        }
    )
    trace = run(spec, 3)
    for step in trace.steps:
        out = step.layers[-1]
        np.testing.assert_allclose(out.delta, (out.a - trace.output_target) / 2, atol=1e-15)
    np.testing.assert_array_equal(trace.output_target, [[1, 0, 0], [0, 0, 1]])
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed, report


def test_sparse_and_one_hot_targets_give_the_same_run():
    common = {"sizes": [2, 3, 3], "output_activation": "softmax", "input": [[0.5, 0.1], [0.2, 0.9]]}
    dense = run(spec_from_table({**common, "loss": "cross_entropy", "target": [[0, 1, 0], [1, 0, 0]]}), 2)
    sparse = run(spec_from_table({**common, "loss": "sparse_cross_entropy", "target": [[1], [0]]}), 2)
    assert dense.loss_history == sparse.loss_history
    np.testing.assert_array_equal(dense.steps[1].layers[0].grad_W, sparse.steps[1].layers[0].grad_W)


def test_saturated_softmax_stays_finite_and_quiet():
    """|z| = 1000: a underflows to 0, yet E, δ and the update are finite and no warning is raised."""
    spec = spec_from_table(
        {
            "sizes": [2, 3],
            "output_activation": "softmax",
            "loss": "cross_entropy",
            "input": [[1, 1]],
            "target": [[0, 1, 0]],
            "weights": [[[500, 500], [-500, -500], [0, 0]]],
            "biases": [[0, 0, 0]],
            "optimizer": {"name": "sgd", "lr": 0.001},
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = run(spec, 2)
    step = trace.steps[0]
    assert step.loss == pytest.approx(2000.0)  # −log a₂ = z₁ − z₂, not −log 0
    np.testing.assert_array_equal(step.layers[-1].delta, [[1, -1, 0]])
    assert step.layers[-1].grad_a[0, 1] == -np.inf and step.layers[-1].grad_a[0, 2] == 0  # −y/a, as it is
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed


def text_of(trace, width=200):
    out = io.StringIO()
    print_document(make_console(out, width=width, color=False), build_document(trace, Options()))
    return out.getvalue()


def test_explain_writes_softmax_and_shows_why_delta_is_a_minus_y():
    text = text_of(run(load_spec("2-4-3").with_overrides(output_activation="softmax", loss="cross_entropy")))
    assert "a₁⁽²⁾ = exp(z₁⁽²⁾)/(exp(z₁⁽²⁾) + exp(z₂⁽²⁾) + exp(z₃⁽²⁾))" in text
    assert "softmax meets cross-entropy" in text and "= aᵢ − yᵢ, because the targets sum to 1" in text
    assert "δ₁⁽²⁾ = a₁⁽²⁾ − y₁ = " in text
    assert "E = −y₁·log(a₁⁽²⁾) − y₂·log(a₂⁽²⁾) − y₃·log(a₃⁽²⁾)" in text


def test_explain_writes_class_indices_as_one_hot_targets():
    trace = run(load_spec("classifier").with_overrides(loss="sparse_cross_entropy", target=[[0], [1], [2]]))
    assert "sample 1, c = 0: y = (1, 0, 0)" in text_of(trace)


def test_softmax_under_another_loss_writes_the_full_sum():
    text = text_of(run(load_spec("2-4-3").with_overrides(output_activation="softmax", loss="mse")))
    full = "δ₁⁽²⁾ = a₁⁽²⁾·(∂E/∂a₁⁽²⁾ − (Σₖ aₖ⁽²⁾·∂E/∂aₖ⁽²⁾)) = 0.33951·(−0.30033 − (0.33951·(−0.30033) + "
    assert full in text


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--net", "2-4-3", "--loss", "cross_entropy"],
            "cross_entropy needs probabilities that sum to 1, but the output "
            "activation is sigmoid; use --output-activation softmax",
        ),
        (["--net", "2-3-1", "--loss", "bce", "--output-activation", "relu"], "bce needs probabilities"),
        (["--net", "2-3-1", "--loss", "hinge", "--target", "0"], "hinge needs targets −1 or +1, got 0"),
        (
            ["--net", "2-4-3", "--output-activation", "softmax", "--loss", "sparse_cross_entropy", "--target", "3"],
            "sparse_cross_entropy takes class indices from 0 to 2 (one per output), got 3",
        ),
        (
            ["--net", "2-4-3", "--output-activation", "softmax", "--loss", "sparse_cross_entropy", "--target", "0.5"],
            "got 0.5",
        ),
        (
            ["--net", "2-4-3", "--output-activation", "softmax", "--loss", "cross_entropy", "--target", "1,1,0"],
            "cross_entropy needs each target to be one-hot",
        ),
        (["--net", "2-3-1", "--output-activation", "softmax"], "softmax on 1 output is always 1"),
        (["--net", "2-4-3", "--activation", "softmax"], "softmax is for the output layer only"),
    ],
)
def test_wrong_combinations_get_one_clear_line(args, message):
    result = subprocess.run([str(BIN / "explain"), *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("net", ["classifier", "regression"])
def test_presets_learn_and_verify(net):
    trace = run(load_spec(net), 50)
    assert trace.loss_history[-1] < trace.loss_history[0] / 2
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed, report


def test_multi_class_hinge_matches_torch_and_writes_each_wrong_class():
    trace = run(
        load_spec("2-4-3").with_overrides(
            output_activation="identity", loss="multi_hinge", input=[[0.2, 0.9], [0.8, 0.1]], target=[[1], [0]]
        ),
        3,
    )
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed, report
    text = text_of(trace)
    assert "E₁ = 1/3·(max(0, 1 − a₂⁽²⁾ + a₁⁽²⁾) + max(0, 1 − a₂⁽²⁾ + a₃⁽²⁾))" in text
    assert "∂E/∂a₂⁽²⁾ = −1/6·([1 − a₂⁽²⁾ + a₁⁽²⁾ > 0] + [1 − a₂⁽²⁾ + a₃⁽²⁾ > 0])" in text


def test_multi_class_hinge_needs_classes():
    result = subprocess.run(
        [str(BIN / "explain"), "--net", "2-3-1", "--loss", "multi_hinge", "--target", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "one neuron per class" in result.stderr
