"""The terms inside two sums (issue 18, point 3): each neuron's products wⱼₖaₖ of its weighted sum
and each hidden neuron's per-output terms wᵢⱼδᵢ of ∂E/∂a, kept by the Trace (network/terms.py),
written in its JSON and shown by `explain --terms`."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from test_explain import assert_honest, small_networks

from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.terms import TERM_FIELDS
from visualizer.network.trace import Trace
from visualizer.render.explain import Options, build_document
from visualizer.render.explain.text import render_text

BIN = Path(sys.executable).parent
MAZUR_TERM = 0.055399425  # Mazur's ∂E_o1/∂out_h1 = w₅·δ_o1


def explain(*args):
    return subprocess.run([str(BIN / "explain"), *args], capture_output=True, text=True, timeout=120)


def batch_of_three():
    spec = load_spec("2-3-1")
    return dataclasses.replace(
        spec, input=np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.5]]), target=np.array([[0.0], [1.0], [1.0]])
    )


@pytest.fixture(scope="module")
def mazur():
    return run(load_spec("mazur"))


def test_mazur_per_output_term_is_recorded(mazur):
    step = mazur.steps[0]
    terms = mazur.grad_a_terms(step, 1)  # batch × next-layer neurons × neurons
    assert terms.shape == (1, 2, 2)
    assert round(terms[0, 0, 0], 9) == MAZUR_TERM  # through output 1, into hidden neuron 1
    assert terms[0, 0, 0] == step.layers[1].W[0, 0] * step.layers[1].delta[0, 0]
    assert mazur.grad_a_terms(step, 2).shape == (1, 0, 2)  # the output layer's ∂E/∂a comes from the loss
    products = mazur.products(step, 1)
    assert products.shape == (1, 2, 2) and products[0, 0, 0] == 0.15 * 0.05


def test_mazur_term_in_the_json_and_back(mazur):
    data = json.loads(mazur.to_json())
    layer = data["steps"][0]["layers"][0]
    assert set(TERM_FIELDS) <= set(layer)
    assert round(layer["grad_a_terms"][0][0][0], 9) == MAZUR_TERM
    back = Trace.from_json(mazur.to_json())
    for l in (1, 2):
        written = data["steps"][0]["layers"][l - 1]
        assert np.array_equal(back.products(back.steps[0], l), written["products"])
        assert np.array_equal(back.grad_a_terms(back.steps[0], l), np.reshape(written["grad_a_terms"], (1, -1, 2)))
    assert back.to_json() == mazur.to_json()


@pytest.mark.parametrize("spec", ["2-3-1", "classifier", "xor", "2-8-8-3", "batch"])
def test_products_sum_to_z_and_terms_to_grad_a(spec):
    trace = run(batch_of_three() if spec == "batch" else load_spec(spec), 2)
    for step in trace.steps:
        L = len(step.layers)
        for l, layer in enumerate(step.layers, 1):
            np.testing.assert_allclose(trace.products(step, l).sum(axis=2) + layer.b, layer.z, rtol=1e-13, atol=1e-15)
            if l < L:
                np.testing.assert_allclose(
                    trace.grad_a_terms(step, l).sum(axis=1), layer.grad_a, rtol=1e-12, atol=1e-15
                )


def test_large_steps_leave_them_out_of_the_json():
    spec = load_spec("784-16-10")
    trace = run(spec)
    one = json.loads(trace.to_json())["steps"][0]["layers"][0]
    assert np.shape(one["products"]) == (1, 16, 784)  # 12,704 numbers a step: written
    eight = dataclasses.replace(spec, input=np.tile(trace.input, (8, 1)), target=np.tile(trace.target, (8, 1)))
    big = run(eight)
    layer = json.loads(big.to_json())["steps"][0]["layers"][0]
    assert not set(TERM_FIELDS) & set(layer)  # 101,632 numbers: past the limit
    assert big.products(big.steps[0], 1).shape == (8, 16, 784)  # the Trace still gives them


def test_explain_terms_shows_mazur_term():
    result = explain("--net", "mazur", "--terms", "--precision", "8", "--no-verify", "--no-color")
    assert result.returncode == 0, result.stderr
    assert "∂E₁/∂a₁⁽¹⁾ = w₁₁⁽²⁾δ₁⁽²⁾ = 0.4·0.138498562 = 0.055399425" in result.stdout
    assert "w₁₁⁽¹⁾x₁ = 0.15·0.05 = 0.0075000000" in result.stdout


def test_terms_are_off_by_default_and_in_every_format(mazur):
    plain = render_text(build_document(mazur, Options(precision=9)), width=100)
    assert "∂E₁/∂a" not in plain and "w₁₁⁽¹⁾x₁ =" not in plain
    document = build_document(mazur, Options(precision=9, terms=True))
    assert "∂E₁/∂a₁⁽¹⁾ = w₁₁⁽²⁾δ₁⁽²⁾" in render_text(document, width=100)
    for fmt in ("markdown", "latex"):
        result = explain("--net", "mazur", "--terms", "--format", fmt, "--no-verify")
        assert result.returncode == 0 and r"\frac{\partial E_{1}}{\partial a^{(1)}_{1}}" in result.stdout


def test_long_sums_say_what_is_left_out():
    result = explain("--net", "784-16-10", "--terms", "--no-verify", "--no-color", "--phase", "forward")
    assert "… 780 more products of z₁⁽¹⁾, computed the same way" in result.stdout
    result = explain("--net", "2-8-8-3", "--terms", "--no-verify", "--no-color", "--phase", "backward")
    assert "… 4 more terms of ∂E/∂a₁⁽¹⁾, computed the same way" in result.stdout
    result = explain("--net", "2-3-1", "--terms", "--no-verify", "--no-color", "--phase", "backward")
    assert "the next layer has one neuron, so each ∂E/∂a below is its one term w·δ" in result.stdout


def test_mazur_terms_against_torch(mazur):
    """Each ∂Eᵢ/∂a⁽¹⁾ by torch autograd: the gradient of output i's term ½(yᵢ − aᵢ)² alone."""
    torch = pytest.importorskip("torch")
    step = mazur.steps[0]
    W1, b1, W2, b2 = (
        torch.tensor(np.array(v)) for v in (step.layers[0].W, step.layers[0].b, step.layers[1].W, step.layers[1].b)
    )
    hidden = torch.sigmoid(torch.tensor(np.array(mazur.input)) @ W1.T + b1).detach().requires_grad_(True)
    out = torch.sigmoid(hidden @ W2.T + b2)
    target = torch.tensor(np.array(mazur.target))
    terms = mazur.grad_a_terms(step, 1)
    for i in range(2):
        (grad,) = torch.autograd.grad((0.5 * (target[:, i] - out[:, i]) ** 2).sum(), hidden, retain_graph=True)
        np.testing.assert_allclose(terms[:, i, :], grad.numpy(), rtol=1e-12)


def test_terms_lines_add_up_for_the_presets():
    """Rounding honesty: each product and term line, redone from its printed numbers, rounds to its result."""
    for net, precision in (("mazur", 9), ("mazur", 3), ("2-8-8-3", 4), ("classifier", 4)):
        document = build_document(run(load_spec(net), 2), Options(precision=precision, terms=True, show="all"))
        assert assert_honest(document) > 20


@settings(max_examples=15)
@given(small_networks())
def test_terms_over_random_networks(net):
    spec, precision = net
    trace = run(spec, 2)
    assert assert_honest(build_document(trace, Options(precision=precision, show="all", terms=True))) > 0
    for step in trace.steps:
        for l, layer in enumerate(step.layers, 1):
            np.testing.assert_allclose(trace.products(step, l).sum(axis=2) + layer.b, layer.z, rtol=1e-12, atol=1e-12)
            if l < len(step.layers) and trace.network.rule == "backprop":
                np.testing.assert_allclose(
                    trace.grad_a_terms(step, l).sum(axis=1), layer.grad_a, rtol=1e-12, atol=1e-12
                )
