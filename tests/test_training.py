"""Training: the engine's loop against torch's step by step, early stopping, divergence, and
saving, loading and exporting a trained model."""

import numpy as np
import pytest
import torch

from visualizer.errors import UsageError
from visualizer.network.definitions import Definitions
from visualizer.network.mlp import network_info, output
from visualizer.network.model_io import from_torch, read_model, save_model, to_torch
from visualizer.network.sources import load_spec
from visualizer.training.loop import Diverged, TrainOptions, fit


def toy(n=120, seed=0):
    """Three noisy clusters in 4-D, class indices as targets."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, (n, 1))
    x = rng.normal(0, 0.4, (n, 4)) + np.eye(4)[y[:, 0]] * 2
    return x, y.astype(np.float64)


def classifier(**overrides):
    return load_spec("4-6-3").with_overrides(
        **{"output_activation": "softmax", "loss": "sparse_cross_entropy", "optimizer": "adam", "lr": 0.05, **overrides}
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"dropout": 0.3, "l2": 0.01},
        {"optimizer": "momentum", "lr": 0.1},
        {"activation": "relu", "optimizer": "rmsprop", "lr": 0.01},
    ],
)
def test_engine_and_torch_losses_match_step_for_step(overrides):
    x, y = toy()
    spec = classifier(**overrides)
    ours = fit(spec, "multiclass", x, y, options=TrainOptions(epochs=3, batch_size=16))
    theirs = fit(spec, "multiclass", x, y, options=TrainOptions(epochs=3, batch_size=16, backend="torch"))
    assert len(ours.step_losses) == len(theirs.step_losses) == 24
    np.testing.assert_allclose(ours.step_losses, theirs.step_losses, rtol=1e-12, atol=1e-14)
    for a, b in zip(ours.weights, theirs.weights):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)


def test_training_learns_and_measures_each_epoch():
    x, y = toy()
    result = fit(classifier(), "multiclass", x[:100], y[:100], x[100:], y[100:], TrainOptions(epochs=15, batch_size=16))
    history = result.history
    assert history["epoch"] == list(range(1, 16))
    assert history["train_loss"][-1] < history["train_loss"][0] / 3
    assert history["val_accuracy"][-1] == 1.0


def test_early_stopping_keeps_the_best_weights():
    x, y = toy()
    y_val = np.roll(y[60:], 1)  # labels that do not fit: the better it learns, the worse the validation
    spec = classifier()
    result = fit(
        spec, "multiclass", x[:60], y[:60], x[60:], y_val, TrainOptions(epochs=200, batch_size=8, early_stopping=3)
    )
    history = result.history
    best = history["best_epoch"]
    assert result.stopped and len(history["epoch"]) == best + 3 < 200
    assert history["val_loss"][best - 1] == min(history["val_loss"])
    defs = Definitions.from_info(network_info(spec))
    from visualizer.training.loop import mean_loss

    assert mean_loss(defs, result.weights, result.biases, x[60:], y_val) == pytest.approx(history["val_loss"][best - 1])


def test_a_diverging_run_stops_and_says_why():
    x, y = toy()
    spec = load_spec("4-6-3").with_overrides(output_activation="identity", loss="mse", lr=1e6, optimizer="sgd")
    with pytest.raises(Diverged, match=r"diverged at step \d+ .*learning rate η = 1e\+06 is likely too high"):
        fit(spec, "regression", x, np.eye(3)[y[:, 0].astype(int)], options=TrainOptions(epochs=5, batch_size=16))


def test_saved_model_loads_anywhere_a_net_is_accepted(tmp_path):
    x, y = toy()
    spec = classifier(dropout=0.2, l2=0.01)
    result = fit(spec, "multiclass", x, y, options=TrainOptions(epochs=2, batch_size=16))
    path = save_model(
        tmp_path / "m.safetensors",
        spec,
        result.weights,
        result.biases,
        trained_on={"dataset": "toy", "classes": ["a", "b", "c"]},
    )
    loaded = load_spec(str(path))
    assert loaded.sizes == spec.sizes and loaded.activations == spec.activations and loaded.loss == spec.loss
    assert (loaded.dropout, loaded.l2, loaded.rule, loaded.optimizer) == (0.2, 0.01, "backprop", spec.optimizer)
    for a, b in zip(loaded.weights, result.weights):
        np.testing.assert_array_equal(a, b)
    assert read_model(path)[0]["trained_on"]["classes"] == ["a", "b", "c"]
    assert b"pickle" not in path.read_bytes() and not path.read_bytes().startswith(b"\x80")  # no pickle protocol


def test_torch_sequential_export_and_import_give_the_same_outputs(tmp_path):
    import safetensors.torch

    x, y = toy()
    spec = classifier(activation="relu")
    result = fit(spec, "multiclass", x, y, options=TrainOptions(epochs=2, batch_size=16))
    net = to_torch(spec, result.weights, result.biases)
    ours = output(Definitions.from_info(network_info(spec)), result.weights, result.biases, x)
    np.testing.assert_allclose(net(torch.from_numpy(x)).detach().numpy(), ours, rtol=1e-13, atol=1e-15)
    weights, biases = from_torch(net.state_dict())
    for a, b in zip(weights, result.weights):
        np.testing.assert_array_equal(a, b)
    path = save_model(tmp_path / "m.safetensors", spec, result.weights, result.biases)
    net.load_state_dict(safetensors.torch.load_file(str(path)))  # the file is a Sequential state dict


@pytest.mark.parametrize(
    "content, message", [(b"not a model", "not a readable safetensors model"), (None, "does not exist")]
)
def test_bad_model_files_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "m.safetensors"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        load_spec(str(path))
