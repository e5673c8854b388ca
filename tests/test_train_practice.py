"""`backprop train` as practitioners expect it: a saved model reproduces in plain torch from its
file alone (the docs' recipe, on raw inputs), metrics.json says how the run was made, a run that
learned nothing says so, the progress bar has an ETA, the loss curve has every step, the
prediction grid shows the data set's greys and each prediction's probability, and a torch
pickle's name is refused. (Ctrl-C: test_interrupt.py.)"""

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from visualizer.training import plots as tp
from visualizer.training.checks import warnings_for

BIN = Path(sys.executable).parent
SETTINGS = ("seed", "epochs", "batch_size", "lr", "optimizer", "dataset", "split", "dtype")


def backprop(*args, cwd=None):
    return subprocess.run([str(BIN / "backprop"), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def torch_recipe(path: Path, raw: np.ndarray) -> np.ndarray:
    """docs/training.md's recipe: the file alone, into torch.nn.Sequential."""
    import torch
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), "pt") as f:
        meta = json.loads(f.metadata()["backprop"])
    modules = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "identity": torch.nn.Identity}
    layers = []
    for n_in, n_out, name in zip(meta["sizes"], meta["sizes"][1:], meta["activations"]):
        activation = torch.nn.Softmax(dim=1) if name == "softmax" else modules[name]()
        layers += [torch.nn.Linear(n_in, n_out, dtype=torch.float64), activation]
    net = torch.nn.Sequential(*layers)
    net.load_state_dict(load_file(str(path)))
    scaling = meta["input_scaling"]
    shift = torch.tensor(scaling["shift"], dtype=torch.float64)
    scale = torch.tensor(scaling["scale"], dtype=torch.float64)
    x = (torch.tensor(raw, dtype=torch.float64) - shift) / scale
    with torch.no_grad():
        return net(x).numpy()


@pytest.mark.parametrize(
    "data, net, how",
    [("digits", "64-16-10", "pixels / 16"), ("moons", "2-8-1", "each feature minus its training mean")],
)
def test_a_saved_model_reproduces_in_torch_on_raw_inputs(tmp_path, data, net, how):
    from visualizer.network.definitions import Definitions
    from visualizer.network.mlp import network_info, output
    from visualizer.network.model_io import spec_from_model
    from visualizer.training.data import load_dataset

    model, run = tmp_path / "m.safetensors", tmp_path / "run"
    result = backprop("train", "--net", net, "--data", data, "--epochs", "3", "--save", str(model), "-o", str(run))
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads((run / "metrics.json").read_text())
    raw = load_dataset(data, seed=0, scale="none")  # the same split, its samples as they come
    assert metrics["input_scaling"]["how"].startswith(how)
    assert not np.allclose(raw.x_test, load_dataset(data, seed=0).x_test)  # the scaling does something
    theirs = torch_recipe(model, raw.x_test)
    spec = spec_from_model(model)
    ours = output(
        Definitions.from_info(network_info(spec)), spec.weights, spec.biases, load_dataset(data, seed=0).x_test
    )
    np.testing.assert_allclose(theirs, ours, rtol=1e-12, atol=1e-14)
    predicted = theirs.argmax(axis=1) if theirs.shape[1] > 1 else (theirs[:, 0] >= 0.5).astype(int)
    assert np.mean(predicted == raw.y_test[:, 0]) == metrics["test"]["accuracy"]


def test_metrics_and_model_record_the_settings_of_the_run(tmp_path):
    from visualizer.network.model_io import read_model

    model, run = tmp_path / "m.safetensors", tmp_path / "run"
    result = backprop(
        "train", "--net", "2-4-1", "--data", "xor", "--epochs", "7", "--batch-size", "16", "--seed", "3",
        "--optimizer", "sgd", "--lr", "0.5", "--save", str(model), "-o", str(run),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    settings = json.loads((run / "metrics.json").read_text())["training"]
    assert set(SETTINGS) <= set(settings)
    assert (settings["seed"], settings["epochs"], settings["batch_size"], settings["lr"]) == (3, 7, 16, 0.5)
    assert settings["optimizer"]["name"] == "sgd" and settings["dataset"] == "xor" and settings["dtype"] == "float64"
    assert "20%" in settings["split"] and "seed 3" in settings["split"]
    assert read_model(model)[0]["training"] == settings


def test_a_torch_pickle_name_is_refused_with_the_right_suggestion(tmp_path):
    for name in ("model.pt", "model.PTH"):
        result = backprop("train", "--net", "2-4-1", "--data", "xor", "--save", name, "-o", "run", cwd=tmp_path)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert f"use --save {Path(name).stem}.safetensors" in result.stderr and "pickle" in result.stderr
        assert not list(tmp_path.iterdir())  # refused before any training


# warnings


def test_a_run_at_chance_level_warns_in_one_line_and_still_exits_0(tmp_path):
    result = backprop(
        "train", "--net", "64-16-10", "--data", "digits", "--optimizer", "sgd", "--lr", "1e-6", "--epochs", "2",
        "-o", str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("backprop: warning: test accuracy")
    assert "chance level" in warnings[0] and "too low" in warnings[0] and "try --lr 1e-05" in warnings[0]


def test_a_run_that_learned_does_not_warn(tmp_path):
    result = backprop("train", "--net", "64-16-10", "--data", "digits", "--epochs", "10", "-o", str(tmp_path))
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr[-2000:]


class Spec:
    def __init__(self, output="softmax", lr=10.0):
        self.activations, self.optimizer = ("sigmoid", output), {"name": "adam", "lr": lr}


def report(accuracy, k=10):
    return {"accuracy": accuracy, "classes": [str(i) for i in range(k)]}


def test_saturated_outputs_name_a_learning_rate_too_high():
    y = np.arange(1000)[:, None] % 10
    out = np.eye(10)[(y[:, 0] + 1) % 10]  # every output 0 or 1, all of them wrong
    (line,) = warnings_for(Spec(), "multiclass", report(0.0), out, y, [2.3] * 50)
    assert "chance level" in line and "100% of the output values are within 1e-06 of 0 or 1" in line
    assert "(--lr 10) is likely too high; try --lr 1" in line
    good = np.eye(10)[y[:, 0]] * 0.98 + 0.002  # confident and right, not saturated
    assert warnings_for(Spec(), "multiclass", report(1.0), good, y, [2.3] * 25 + [0.1] * 25) == []
    (line,) = warnings_for(Spec(), "multiclass", report(0.9), np.eye(10)[y[:, 0]], y, [0.1] * 50)
    assert line.startswith("warning: 100% of the output values") and "too high" in line  # learned, but stuck


def test_chance_is_the_most_common_class_and_a_margin_for_noise():
    y = np.array([[0]] * 900 + [[1]] * 100)  # always guessing 0 gets 90 %
    out = np.full((1000, 1), 0.3)
    assert warnings_for(Spec("sigmoid", 0.1), "binary", report(0.9, 2), out, y, [1.0] * 50)
    assert warnings_for(Spec("sigmoid", 0.1), "binary", report(0.99, 2), out, y, [1.0] * 50) == []


# progress, curves, prediction grid


def test_the_progress_bar_shows_the_time_left():
    from rich.console import Console

    from visualizer.training.progress import TrainingProgress

    shown = io.StringIO()
    with TrainingProgress(
        2, console=Console(file=shown, force_terminal=True, color_system=None, width=160)
    ) as progress:
        for step in range(1, 41):
            progress.update(1, step, 40, 0.5)
            time.sleep(0.01)
        progress.progress.refresh()
    text = shown.getvalue()
    assert "epoch 1/2" in text and "elapsed ·" in text
    assert any(f"0:00:0{s} left" in text for s in range(10))  # 40 of 80 steps in ~0.4 s: under 10 s left


def test_the_loss_curve_plots_every_step_with_the_epoch_losses_on_top():
    history = {
        "epoch": [1],
        "train_loss": [0.5],
        "val_loss": [0.6],
        "train_accuracy": [0.8],
        "val_accuracy": [0.7],
        "best_epoch": None,
    }
    steps = list(np.linspace(2.3, 0.5, 45))
    fig = tp.curves(history, title="one epoch", step_losses=steps, steps_per_epoch=45)
    loss = fig.axes[0]
    each, train, val = loss.get_lines()
    assert len(each.get_xdata()) == 45 and each.get_xdata()[-1] == 1.0 and each.get_xdata()[0] == 1 / 45
    assert list(each.get_ydata()) == steps and each.get_linewidth() < train.get_linewidth()
    assert list(train.get_xdata()) == [1] and list(val.get_xdata()) == [1]
    assert [t.get_text() for t in loss.get_legend().get_texts()][0] == "each step (its mini-batch)"
    assert [ax.get_xlim() for ax in fig.axes] == [(0, 1), (0, 1)]
    many = tp.curves(history, title="noisy", step_losses=list(np.arange(600.0)), steps_per_epoch=600).axes[0]
    mean = many.get_lines()[1]  # the running mean over a sixtieth of the steps, at the last step it covers
    assert mean.get_label() == "mean of 10 steps" and mean.get_xdata()[0] == 10 / 600
    assert mean.get_ydata()[0] == pytest.approx(4.5)  # the mean of steps 1…10 (losses 0…9)


def test_the_prediction_grid_shows_the_usual_greys_and_each_probability():
    rng = np.random.default_rng(0)
    actual = np.arange(4)
    predicted = np.array([0, 1, 3, 3])
    fig = tp.image_grid(
        rng.random((4, 28, 28)), predicted, actual, [str(i) for i in range(10)], title="mnist",
        probabilities=[0.97, 0.5, 0.614, 1.0], cmap=tp.USUAL_GREYS["mnist"],
    )  # fmt: skip
    assert [ax.get_title() for ax in fig.axes] == ["0 97% / 0", "1 50% / 1", "3 61% / 2", "3 100% / 3"]
    assert {ax.get_images()[0].get_cmap().name for ax in fig.axes} == {"gray"}  # ink white on black, as stored
    assert "predicted (its probability) / actual · 1 of 4 wrong" in fig._suptitle.get_text()
    assert (tp.USUAL_GREYS["fashion-mnist"], tp.USUAL_GREYS["digits"]) == ("gray", "gray_r")


# Ctrl-C inside the loop (the command's side: test_interrupt.py)


def interrupt_at(epoch: int, step: int | None):
    def progress(e, s, steps, value):
        if (e, s) == (epoch, step):
            raise KeyboardInterrupt

    return progress


@pytest.mark.parametrize("early_stopping", [None, 5])
def test_ctrl_c_in_an_epoch_keeps_exactly_the_finished_epochs(early_stopping):
    from visualizer.network.sources import load_spec
    from visualizer.training.data import load_dataset, validation_split
    from visualizer.training.loop import TrainOptions, fit

    ds = load_dataset("digits", seed=0)
    data = (ds.task, *validation_split(ds, 0.1, 0))
    spec = load_spec("64-16-10").with_overrides(output_activation="softmax", loss="sparse_cross_entropy")
    whole = fit(spec, *data, TrainOptions(epochs=2, early_stopping=early_stopping))
    for at in ((3, 7), (2, None)):  # in epoch 3's steps; as epoch 2's summary is shown (it is measured, so kept)
        cut = fit(spec, *data, TrainOptions(epochs=10, early_stopping=early_stopping), progress=interrupt_at(*at))
        assert cut.interrupted and cut.stopped == "stopped (Ctrl-C) after epoch 2 of 10"
        assert cut.history == whole.history and cut.step_losses == whole.step_losses
        for a, b in zip(cut.weights + cut.biases, whole.weights + whole.biases):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(KeyboardInterrupt):  # nothing finished: nothing to keep
        fit(spec, *data, TrainOptions(epochs=10), progress=interrupt_at(1, 5))
