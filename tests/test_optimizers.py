"""Each optimizer against torch.optim over several steps, its state in the Trace, its settings."""

import dataclasses

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.functions import optimizers
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.trace import Trace
from visualizer.network.verify import check_against_torch


@pytest.mark.parametrize("name", sorted(optimizers.OPTIMIZERS))
def test_every_optimizer_matches_torch_over_five_steps(name):
    trace = run(load_spec("2-3-1").with_overrides(optimizer=name), 5)
    check = check_against_torch(trace)
    assert check.passed, check
    optimizer = optimizers.OPTIMIZERS[name]
    for step in trace.steps:
        assert step.optimizer_state == {"t": step.index}
        for layer in step.layers:  # the state of every weight and bias, shaped like them
            assert set(layer.state_W) == set(optimizer.slots) == set(layer.state_b)
            for slot in optimizer.slots:
                assert layer.state_W[slot].shape == layer.W.shape and layer.state_b[slot].shape == layer.b.shape
    assert trace.loss_history[-1] < trace.loss_history[0]


def test_state_is_compared_with_torchs():
    sgd = check_against_torch(run(load_spec("2-3-1"), 3))
    adam = check_against_torch(run(load_spec("2-3-1").with_overrides(optimizer="adam"), 3))
    # Adam's m and v, for 9 weights and 4 biases in each of 3 steps, on top of what SGD compares
    assert adam.compared - sgd.compared == 3 * 2 * 13


def test_momentum_by_hand():
    """Two steps of momentum on mazur's w₁₁⁽²⁾, redone from the recorded gradients."""
    trace = run(load_spec("mazur").with_overrides(optimizer="momentum"), 2)
    (g1, g2) = (s.layers[1].grad_W[0, 0] for s in trace.steps)
    v1 = g1
    v2 = 0.9 * v1 + g2
    assert trace.steps[0].layers[1].state_W["v"][0, 0] == v1
    assert np.isclose(trace.steps[1].layers[1].state_W["v"][0, 0], v2, rtol=1e-15)
    assert np.isclose(trace.steps[1].layers[1].W_new[0, 0], 0.4 - 0.5 * v1 - 0.5 * v2, rtol=1e-14)


def test_adam_first_step_moves_every_weight_by_eta():
    """m̂/√v̂ = g/|g| at the first step: Adam's well-known first step of exactly η per weight."""
    trace = run(load_spec("2-3-1").with_overrides(optimizer="adam"), 1)
    for layer in trace.steps[0].layers:
        np.testing.assert_allclose(np.abs(layer.change_W), 0.01, rtol=1e-5)


def test_a_wrong_bias_correction_is_caught(monkeypatch):
    def uncorrected(params, grads, state, hyper):
        new, state = optimizers._adam(decoupled=False)(params, grads, state, hyper)
        m, v = state["m"], state["v"]
        new = [w - hyper["lr"] * mi / (np.sqrt(vi) + hyper["eps"]) for w, mi, vi in zip(params, m, v)]
        return new, state

    broken = dataclasses.replace(optimizers.ADAM, update=uncorrected)
    monkeypatch.setitem(optimizers.OPTIMIZERS, "adam", broken)
    check = check_against_torch(run(load_spec("2-3-1").with_overrides(optimizer="adam"), 2))
    assert not check.passed and "W_new" in check.worst


def test_state_round_trips_through_json():
    trace = run(load_spec("2-3-1").with_overrides(optimizer="adamw"), 2)
    again = Trace.from_json(trace.to_json())
    for ours, theirs in zip(trace.steps[1].layers, again.steps[1].layers):
        for slot in ours.state_W:
            np.testing.assert_array_equal(ours.state_W[slot], theirs.state_W[slot])
            np.testing.assert_array_equal(ours.state_b[slot], theirs.state_b[slot])


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"name": "momentum", "momentum": 1.5}, "momentum of momentum must be in [0, 1)"),
        ({"name": "nesterov", "momentum": 0}, "momentum of nesterov must be in (0, 1)"),
        ({"name": "adam", "eps": -1}, "eps of adam must be in [0, inf)"),
        ({"name": "rmsprop", "beta1": 0.9}, "optimizer 'rmsprop' has no setting 'beta1'"),
        ({"name": "adam", "lr": -1}, "learning rate must be a positive number"),
        ({"name": "nesterov", "momentum": "high"}, "momentum must be a number"),
    ],
)
def test_bad_settings_say_what_is_allowed(settings, message):
    table = {"sizes": [2, 1], "optimizer": settings}
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        from visualizer.network.spec import spec_from_table

        spec_from_table(table)


def test_the_help_lists_every_optimizer_loss_and_activation():
    from click.testing import CliRunner

    from visualizer.cli.main import explain
    from visualizer.functions.activations import ACTIVATIONS
    from visualizer.functions.losses import LOSSES

    shown = " ".join(CliRunner().invoke(explain, ["--help"], terminal_width=200).output.split())
    for name in [*optimizers.OPTIMIZERS, *LOSSES, *ACTIVATIONS]:
        assert name in shown


def test_the_functions_page_is_generated_from_the_definitions():
    from pathlib import Path

    from visualizer.functions.docs_page import render_reference

    page = Path(__file__).resolve().parent.parent / "docs" / "functions.md"
    assert page.read_text(encoding="utf-8") == render_reference(), (
        "docs/functions.md is stale: .venv/bin/python -m visualizer.functions.docs_page > docs/functions.md"
    )


def test_each_torch_name_is_what_the_definition_calls():
    import inspect

    from visualizer.functions.activations import ACTIVATIONS
    from visualizer.functions.losses import LOSSES

    for definition in [*ACTIVATIONS.values(), *LOSSES.values(), *optimizers.OPTIMIZERS.values()]:
        if definition.torch_name.startswith("torch"):
            assert definition.torch_name in inspect.getsource(definition.torch), definition.name


def test_the_adam_preset_solves_xor_where_plain_descent_has_not_yet():
    adam, sgd = run(load_spec("xor-adam"), 150), run(load_spec("xor"), 150)
    target = adam.target.ravel()
    assert np.array_equal(adam.steps[-1].layers[-1].a.ravel().round(), target)
    assert not np.array_equal(sgd.steps[-1].layers[-1].a.ravel().round(), target)
