"""Dropout: seeded masks with inverted scaling, recorded in the Trace, the same mask in torch's
replay and in finite differences, shown by explain and drawn by the diagrams."""

import io
import json

import numpy as np
import pytest
import torch

from visualizer.errors import UsageError
from visualizer.functions.dropout import draw_masks
from visualizer.network.mlp import predict, run
from visualizer.network.sources import load_spec
from visualizer.network.trace import Trace
from visualizer.network.verify import verify
from visualizer.render.explain import Options, build_document
from visualizer.render.explain.text import make_console, print_document
from visualizer.render.layout import neuron_graph


def test_masks_are_seeded_inverted_and_only_in_hidden_layers():
    masks = draw_masks(0.25, (3, 400, 50, 2), batch=8, seed=4, step=2)
    again = draw_masks(0.25, (3, 400, 50, 2), batch=8, seed=4, step=2)
    for m, same in zip(masks, again):
        np.testing.assert_array_equal(m, same)
    assert set(np.unique(masks[0])) == {0.0, 1 / 0.75}
    assert abs((masks[0] == 0).mean() - 0.25) < 0.02
    np.testing.assert_array_equal(masks[-1], 1)  # the outputs never drop out
    assert not np.array_equal(masks[0], draw_masks(0.25, (3, 400, 50, 2), 8, 4, step=3)[0])


def test_inverted_scaling_is_torchs():
    torch.manual_seed(0)
    kept = torch.nn.functional.dropout(torch.ones(1000, dtype=torch.float64), p=0.3, training=True)
    assert set(np.unique(kept.numpy())) == {0.0, draw_masks(0.3, (1, 1000, 1), 1, 0, 1)[0].max()}


def test_a_dropped_neuron_passes_nothing_either_way():
    trace = run(load_spec("3-4-4-2").with_overrides(dropout=0.5), 3)
    for step in trace.steps:
        for layer in step.layers[:-1]:
            dropped = layer.mask == 0
            assert dropped.any() or (layer.mask > 0).all()
            np.testing.assert_array_equal(layer.a[dropped], 0)
            np.testing.assert_array_equal(layer.delta[dropped], 0)
            np.testing.assert_allclose(layer.a, layer.f_z * layer.mask, rtol=0, atol=0)
            for j in np.flatnonzero(dropped[0]):  # batch of one: the weights into it do not move
                np.testing.assert_array_equal(layer.W_new[j], layer.W[j])
    report = verify(trace)
    assert report.torch.passed and report.finite_difference.passed, report


def test_prediction_has_no_dropout():
    trace = run(load_spec("2-3-1").with_overrides(dropout=0.9), 1)
    step = trace.steps[0]
    plain = run(load_spec("2-3-1"), 1).steps[0]
    np.testing.assert_array_equal(predict(trace, -1, trace.input), plain.layers[-1].a)
    assert step.layers[0].mask.min() == 0 or step.layers[0].mask.max() == 10


def test_explain_shows_the_mask_and_the_multiplier():
    trace = run(load_spec("3-4-4-2").with_overrides(dropout=0.5))
    out = io.StringIO()
    print_document(make_console(out, width=200, color=False), build_document(trace, Options()))
    text = out.getvalue()
    assert "dropout mask m⁽¹⁾ this step: neuron 4 dropped (m = 0); the others kept (m = 2)" in text
    assert "a₁⁽¹⁾ = σ(z₁⁽¹⁾)·m₁⁽¹⁾ = σ(−0.693)·2 = 0.6667" in text
    assert "δ₁⁽²⁾ = ∂E/∂a₁⁽²⁾·m₁⁽²⁾·σ'(z₁⁽²⁾) = −0.1119·0·0.5099·(1 − 0.5099) = 0" in text


def test_diagrams_know_which_neurons_are_dropped():
    trace = run(load_spec("3-4-4-2").with_overrides(dropout=0.5))
    G = neuron_graph(trace)
    dropped = {n for n, d in G.nodes(data=True) if d.get("dropped")}
    assert dropped == {(1, 3), (2, 0)}


def test_dropout_round_trips_and_old_traces_still_load():
    trace = run(load_spec("2-3-1").with_overrides(dropout=0.5), 2)
    back = Trace.from_json(trace.to_json())
    assert back.network.dropout == 0.5
    np.testing.assert_array_equal(back.steps[1].layers[0].mask, trace.steps[1].layers[0].mask)
    data = json.loads(run(load_spec("2-3-1")).to_json())
    for layer in data["steps"][0]["layers"]:
        del layer["f_z"], layer["mask"]
    old = Trace.from_dict(data)
    np.testing.assert_array_equal(old.steps[0].layers[0].f_z, old.steps[0].layers[0].a)


@pytest.mark.parametrize(
    "overrides, message",
    [({"dropout": 1.0}, "up to \\(not including\\) 1"), ({"dropout": -0.1}, "dropout is the probability")],
)
def test_bad_dropout(overrides, message):
    with pytest.raises(UsageError, match=message):
        load_spec("2-3-1").with_overrides(**overrides)


def test_dropout_needs_a_hidden_layer():
    with pytest.raises(UsageError, match="no hidden layer"):
        load_spec("2-1").with_overrides(dropout=0.5)
