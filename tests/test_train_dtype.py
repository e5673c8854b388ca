"""`backprop train --dtype float32`: training computes in float32 and still learns; everything else
(explain's graph, the trained weights it returns, the model file) stays float64."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from visualizer.core.engine import Node
from visualizer.functions.activations import ACTIVATIONS
from visualizer.functions.losses import LOSSES
from visualizer.network.definitions import Definitions
from visualizer.network.mlp import forward, learn, network_info, output
from visualizer.network.spec import spec_from_table
from visualizer.training.data import load_dataset, validation_split
from visualizer.training.loop import TrainOptions, fit

BIN = Path(sys.executable).parent

WIDE = {
    "name": "64-32-32-10",
    "sizes": [64, 32, 32, 10],
    "activation": "relu",
    "output_activation": "softmax",
    "loss": "sparse_cross_entropy",
    "optimizer": {"name": "adam", "lr": 1e-3},
}


def test_a_float32_graph_computes_in_float32_and_anything_else_in_float64():
    x32 = Node(np.ones((2, 3), np.float32))
    W32 = Node(np.full((4, 3), 0.5, np.float32))
    z = (x32 @ W32.T).sum()
    z.backward()
    assert z.value.dtype == np.float32 and W32.grad.dtype == np.float32 and x32.grad.dtype == np.float32
    for given in ([1, 2], 3, np.arange(3), np.ones(2, np.float16), np.ones(2, np.float64)):
        node = Node(given)
        assert node.value.dtype == np.float64 and node.grad.dtype == np.float64


def test_one_float32_step_keeps_every_array_in_float32():
    spec = spec_from_table(WIDE)
    defs = Definitions.from_info(network_info(spec))
    weights, biases = ([p.astype(np.float32) for p in ps] for ps in spec.parameters())
    x = np.random.default_rng(0).uniform(0, 1, (8, 64)).astype(np.float32)
    y = np.arange(8, dtype=np.float64)[:, None]  # class indices stay float64, as the data sets give them
    f, new_W, new_b, state = learn(defs, weights, biases, x, y, {})
    assert all(node.value.dtype == np.float32 for node in (*f.z, *f.a))
    assert all(node.grad.dtype == np.float32 for node in (*f.weights, *f.biases, *f.z))
    assert all(p.dtype == np.float32 for p in (*new_W, *new_b, *state["m"], *state["v"]))


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_every_node_of_a_float32_step_is_float32(loss):
    """No float64 constant, target or penalty weight turns part of a float32 graph into float64:
    for every loss, every hidden activation, both penalties and dropout's masks."""
    definition, rng = LOSSES[loss], np.random.default_rng(0)
    for activation in sorted(name for name, a in ACTIVATIONS.items() if not a.output_only):
        table = {"sizes": [6, 5, 4], "activation": activation, "loss": loss, "l1": 1e-4, "l2": 1e-3}
        if loss in ("hinge", "squared_hinge"):  # a spec's own target must be −1 or +1
            table["target"] = [[1.0] * 4]
        spec = spec_from_table({**table, "output_activation": (definition.output or ("identity",))[0]})
        defs = Definitions.from_info(network_info(spec))
        weights, biases = ([p.astype(np.float32) for p in ps] for ps in spec.parameters())
        if definition.draw_target:
            y = definition.draw_target(rng, 3, 4)
        else:  # float64, as data sets give them
            y = np.sign(rng.normal(size=(3, 4))) if "hinge" in loss else rng.uniform(0, 1, (3, 4))
        masks = [np.full((3, 5), 2, np.float32), np.ones((3, 4), np.float32)]
        x = rng.normal(size=(3, 6)).astype(np.float32)
        f = forward(defs, weights, biases, x, y, masks=masks)
        f.loss.backward()
        wider = [n.name for n in f.loss.topological_order() if np.float32 not in (n.value.dtype, n.grad.dtype)]
        wider += [n.name for n in f.loss.topological_order() if n.value.dtype != n.grad.dtype]
        assert not wider, (activation, wider)


@pytest.fixture(scope="module")
def digits_runs():
    """The same network trained on the real digits in float64 and in float32: its test accuracy each."""
    data = load_dataset("digits", seed=0)
    x_train, y_train, x_val, y_val = validation_split(data, 0.1, 0)
    spec = spec_from_table({**WIDE, "optimizer": {"name": "adam", "lr": 5e-3}})
    defs = Definitions.from_info(network_info(spec))
    runs = {}
    for dtype in ("float64", "float32"):
        result = fit(
            spec, data.task, x_train, y_train, x_val, y_val, TrainOptions(epochs=8, batch_size=32, dtype=dtype)
        )
        predicted = output(defs, result.weights, result.biases, data.x_test).argmax(axis=1)
        runs[dtype] = (result, float(np.mean(predicted == data.y_test[:, 0])))
    return runs


def test_float32_training_learns_as_well_as_float64_on_real_digits(digits_runs):
    (result64, accuracy64), (result32, accuracy32) = digits_runs["float64"], digits_runs["float32"]
    assert accuracy64 > 0.93 and accuracy32 > 0.93  # it learned (chance: 0.1)
    assert abs(accuracy32 - accuracy64) <= 0.02  # and as well as in float64
    # the same run up to rounding: the losses agree to float32's precision, not bit for bit
    losses64, losses32 = np.array(result64.step_losses), np.array(result32.step_losses)
    assert not np.array_equal(losses32, losses64)
    assert np.allclose(losses32[:50], losses64[:50], rtol=1e-4)


def test_float32_training_returns_float64_weights_holding_float32_values(digits_runs):
    result = digits_runs["float32"][0]
    for p in (*result.weights, *result.biases):
        assert p.dtype == np.float64
        assert np.array_equal(p, p.astype(np.float32))  # exactly what float32 training reached


def test_torch_backend_trains_in_the_dtype_asked_for():
    data = load_dataset("digits", seed=0, samples=256)
    spec = spec_from_table(WIDE)
    losses = {}
    for backend in ("engine", "torch"):
        options = TrainOptions(epochs=1, batch_size=32, backend=backend, dtype="float32")
        losses[backend] = fit(spec, data.task, data.x_train, data.y_train, options=options).step_losses
    assert np.allclose(losses["engine"], losses["torch"], rtol=1e-4)


def test_train_command_takes_dtype(tmp_path):
    def train(*args):
        command = [str(BIN / "backprop"), "train", "--net", "64-16-10", "--data", "digits", "--epochs", "2", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=300)

    result = train("--dtype", "float32", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    bad = train("--dtype", "float16")
    assert bad.returncode == 2 and "float16" in bad.stderr and "Traceback" not in bad.stderr
