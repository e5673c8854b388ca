"""Mini-batches: gradient descent on the full batch, SGD on shuffled mini-batches, each sample's
own gradient recorded and averaged into the one update, all checked against torch."""

import io

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.network.batches import batch_rows
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.verify import verify
from visualizer.render.explain import Options, build_document
from visualizer.render.explain.text import make_console, print_document

DATA = {"input": [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8], [0.9, 1.0]], "target": [[0], [1], [1], [0], [1]]}


def test_each_epoch_visits_every_sample_once_in_a_new_order():
    epochs = [[batch_rows(5, 2, 7, index) for index in range(e * 3 + 1, e * 3 + 4)] for e in range(2)]
    for batches in epochs:
        assert [len(b) for b in batches] == [2, 2, 1]  # the last batch has what is left
        assert sorted(np.concatenate(batches)) == [0, 1, 2, 3, 4]
    assert not np.array_equal(np.concatenate(epochs[0]), np.concatenate(epochs[1]))
    np.testing.assert_array_equal(batch_rows(5, 2, 7, 4), batch_rows(5, 2, 7, 4))
    np.testing.assert_array_equal(batch_rows(5, None, 7, 4), np.arange(5))


def test_steps_learn_from_their_mini_batch_and_verify():
    spec = load_spec("2-3-1").with_overrides(batch_size=2, **DATA)
    trace = run(spec, 6)
    for step in trace.steps:
        assert len(step.layers[0].z) == len(step.samples) <= 2
        np.testing.assert_array_equal(trace.input_of(step), trace.input[list(step.samples)])
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed, report


def test_the_gradient_is_the_average_of_the_samples_own_gradients():
    trace = run(
        load_spec("3-4-4-2").with_overrides(input=np.ones((3, 3)).tolist(), target=[[0, 1], [1, 0], [0.5, 0.5]])
    )
    for layer in trace.steps[0].layers:
        np.testing.assert_allclose(layer.grad_W_samples.mean(axis=0), layer.grad_W, atol=1e-15)
        np.testing.assert_allclose(layer.grad_b_samples.mean(axis=0), layer.grad_b, atol=1e-15)
    assert verify(trace).torch.passed  # torch redoes each sample's gradient on its own


def test_explain_writes_the_samples_gradients_then_their_average():
    trace = run(load_spec("2-3-1").with_overrides(batch_size=2, **DATA), 2)
    out = io.StringIO()
    print_document(make_console(out, width=200, color=False), build_document(trace, Options(show="all")))
    text = out.getvalue()
    assert "mini-batch SGD: each step learns from 2 of the 5 samples" in text
    assert "Step 1 of 2: samples " in text and "(data row " in text
    assert "∂E₁/∂w₁₁⁽²⁾ = 2·δ₁⁽²⁾a₁⁽¹⁾ = " in text
    assert "∂E/∂w₁₁⁽²⁾ = 1/2·(∂E₁/∂w₁₁⁽²⁾ + ∂E₂/∂w₁₁⁽²⁾) = 1/2·(" in text


def test_batch_size_over_the_samples_is_refused():
    with pytest.raises(UsageError, match="batch size 6 is more than the 5 sample"):
        load_spec("2-3-1").with_overrides(batch_size=6, **DATA)
