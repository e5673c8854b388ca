"""The step activation and the perceptron: why backpropagation stops at a step, and the
perceptron learning rule w ← w + η(y − ŷ)x, checked against torch's straight-through step."""

import io

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.verify import verify
from visualizer.render.explain import Options, build_document, verification_line
from visualizer.render.explain.text import make_console, print_document


def text_of(trace):
    out = io.StringIO()
    print_document(make_console(out, width=200, color=False), build_document(trace, Options()))
    return out.getvalue()


def test_the_perceptron_rule_learns_and():
    trace = run(load_spec("perceptron"), 12)
    assert trace.loss_history[0] > 0 and trace.loss_history[-1] == 0
    last = trace.steps[-1].layers[0]
    assert (last.a[:, 0] == trace.target[:, 0]).all()


def test_each_update_is_w_plus_eta_error_times_x_over_the_batch():
    trace = run(load_spec("perceptron"), 6)
    x, y = trace.input, trace.target
    for step in trace.steps:
        layer = step.layers[0]
        error = y - layer.a  # y − ŷ
        np.testing.assert_allclose(layer.W_new, layer.W + 1.0 * (error.T @ x) / len(x), atol=1e-15)
        np.testing.assert_allclose(layer.b_new, layer.b + 1.0 * error.sum(axis=0) / len(x), atol=1e-15)


def test_perceptron_is_checked_by_torch_and_says_finite_differences_do_not_apply():
    report = verify(run(load_spec("perceptron"), 6))
    assert report.torch.passed and report.torch.compared > 0
    assert report.finite_difference.passed and report.finite_difference.compared == 0
    assert "finite differences not applicable" in verification_line(report)


def test_explain_says_why_a_step_stops_backpropagation():
    trace = run(load_spec("2-3-1").with_overrides(activation="step"))
    hidden = trace.steps[0].layers[0]
    np.testing.assert_array_equal(hidden.delta, 0)
    np.testing.assert_array_equal(hidden.W_new, hidden.W)  # nothing moves into a step layer
    text = text_of(trace)
    assert "every δ of this layer is 0, so backpropagation passes nothing back" in text
    assert "δ₁⁽¹⁾ = ∂E/∂a₁⁽¹⁾·step'(z₁⁽¹⁾) = 0.07549·0 = 0" in text
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed


def test_explain_writes_the_perceptron_rule():
    text = text_of(run(load_spec("perceptron")))
    assert "the rule takes the slope as 1" in text and "w ← w + η·(y − ŷ)·x" in text
    assert "δ₁⁽¹⁾ = ∂E/∂a₁⁽¹⁾·step'(z₁⁽¹⁾) = 0.25·1 = 0.2500" in text


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"loss": "mse"}, "use --loss half_sse"),
        ({"output_activation": "sigmoid"}, "the perceptron rule trains one layer of step neurons"),
    ],
)
def test_the_rule_needs_its_network(overrides, message):
    with pytest.raises(UsageError, match=message):
        load_spec("perceptron").with_overrides(**overrides)
