"""The Trace: frozen, complete, and a lossless JSON round trip."""

import json

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.terms import TERM_FIELDS
from visualizer.network.trace import ARRAY_FIELDS, SCHEMA, STATE_FIELDS, Trace
from visualizer.network.verify import verify


@pytest.fixture(scope="module")
def trace():
    t = run(load_spec("xor"), 3)
    return t.with_verification(verify(t))


def test_json_round_trip_is_exact(trace):
    text = trace.to_json()
    again = Trace.from_json(text)
    assert again.to_json() == text
    for a, b in zip(trace.steps, again.steps):
        assert a.loss == b.loss and a.loss_after == b.loss_after
        for la, lb in zip(a.layers, b.layers):
            for name in ARRAY_FIELDS:
                np.testing.assert_array_equal(getattr(la, name), getattr(lb, name))
    assert again.verification == trace.verification


def test_json_has_the_documented_fields(trace):
    data = json.loads(trace.to_json())
    assert data["schema"] == SCHEMA
    assert set(data["network"]) == {
        "name",
        "sizes",
        "activations",
        "loss",
        "optimizer",
        "seed",
        "train_biases",
        "regularization",
        "rule",
        "dropout",
        "batch_size",
        "init",
        "drawn",
        "classes",
        "input_scaling",
        "reduction",
        "margin",
    }
    assert data["sample"] is None  # the input is no data set's sample
    assert data["network"]["activations"] == ["sigmoid", "sigmoid"]
    assert np.shape(data["input"]) == (4, 2) and np.shape(data["target"]) == (4, 1)
    step = data["steps"][0]
    assert set(step) == {
        "index",
        "loss",
        "loss_after",
        "loss_terms",
        "sample_losses",
        "penalties",
        "samples",
        "layers",
        "optimizer_state",
    }
    assert np.shape(step["loss_terms"]) == (4, 1)
    assert set(step["layers"][0]) == set(ARRAY_FIELDS + STATE_FIELDS + TERM_FIELDS)
    assert np.shape(step["layers"][0]["W"]) == (2, 2) and np.shape(step["layers"][0]["delta"]) == (4, 2)
    assert len(data["loss_history"]) == 4
    assert data["verification"]["torch"]["passed"] is True
    assert data["verification"]["finite_difference"]["passed"] is True


def test_arrays_are_read_only(trace):
    with pytest.raises(ValueError):
        trace.steps[0].layers[0].W[0, 0] = 1.0
    with pytest.raises(AttributeError):
        trace.steps[0].loss = 0.0


def test_same_spec_same_bytes():
    assert run(load_spec("3-4-4-2"), 2).to_json() == run(load_spec("3-4-4-2"), 2).to_json()


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "not valid JSON"),
        ('{"schema": "other/2"}', "not a backprop-trace/1"),
        ('{"schema": "backprop-trace/1"}', "incomplete"),
    ],
)
def test_bad_trace_files(text, message):
    with pytest.raises(UsageError, match=message):
        Trace.from_json(text)
