"""Network specs: shapes, presets, TOML files, overrides, and clear errors for bad ones."""

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.network.sources import load_spec, preset_names, spec_from_toml
from visualizer.network.spec import MAX_LAYER_WIDTH, spec_from_table


def test_shape_string_defaults():
    spec = load_spec("3-4-4-2")
    assert spec.sizes == (3, 4, 4, 2)
    assert spec.activations == ("sigmoid",) * 3
    assert spec.loss == "mse" and spec.optimizer == {"name": "sgd", "lr": 0.5}
    x, y = spec.data()
    assert x.shape == (1, 3) and y.shape == (1, 2)
    np.testing.assert_array_equal(x, np.round(x, 2))  # two decimals, for hand work


def test_presets_ship():
    assert {"2-3-1", "mazur", "xor"} <= set(preset_names())
    mazur = load_spec("mazur")
    assert mazur.sizes == (2, 2, 2) and mazur.loss == "half_sse" and not mazur.train_biases
    assert mazur.optimizer == {"name": "sgd", "lr": 0.5}


@pytest.mark.parametrize("init", ["xavier", "he", "uniform", "normal"])
def test_seeded_initialization_is_deterministic(init):
    spec = spec_from_table({"sizes": [3, 5, 2], "init": init, "seed": 7})
    (w1, b1), (w2, b2) = spec.parameters(), spec.parameters()
    for a, b in zip(w1 + b1, w2 + b2):
        np.testing.assert_array_equal(a, b)
    assert [w.shape for w in w1] == [(5, 3), (2, 5)]
    other = spec_from_table({"sizes": [3, 5, 2], "init": init, "seed": 8}).parameters()[0]
    assert not np.array_equal(w1[0], other[0])


def test_xavier_scale():
    w = spec_from_table({"sizes": [300, 200]}).parameters()[0][0]
    limit = np.sqrt(6 / 500)
    assert np.abs(w).max() <= limit and w.std() == pytest.approx(limit / np.sqrt(3), rel=0.05)


def test_overrides():
    spec = load_spec("3-4-4-2").with_overrides(
        activation="relu",
        output_activation="identity",
        loss="sse",
        lr=0.1,
        seed=3,
        input=[[1, 2, 3], [4, 5, 6]],
        target=[[0, 1], [1, 0]],
    )
    assert spec.activations == ("relu", "relu", "identity")
    assert spec.optimizer["lr"] == 0.1 and spec.loss == "sse" and spec.seed == 3
    assert spec.data()[0].shape == (2, 3)


def test_aliases_normalise():
    assert load_spec("2-1").with_overrides(output_activation="linear").activations == ("identity",)


def test_toml_file(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text('sizes = [2, 2, 1]\nactivation = ["tanh"]\nloss = "sse"\noptimizer = "sgd"\n')
    spec = load_spec(str(path))
    assert spec.name == "net" and spec.activations == ("tanh", "sigmoid")


@pytest.mark.parametrize(
    "net, message",
    [
        ("2-x-1", "'x' in '2-x-1' is not a layer size"),
        ("0-3-1", "at least 1"),
        ("2", "one layer"),
        ("2--1", "empty size"),
        ("missing.toml", "does not exist"),
        ("mazurr", "did you mean 'mazur'"),
        (f"2-{MAX_LAYER_WIDTH + 1}-1", "over the limit"),
        ("1000-2000-2000-10", "parameters is over the limit"),
    ],
)
def test_bad_net_values(net, message):
    with pytest.raises(UsageError, match=message):
        load_spec(net)


@pytest.mark.parametrize(
    "table, message",
    [
        ({"sizes": [2, 1], "activaton": "relu"}, "did you mean 'activation'"),
        ({}, "needs 'sizes'"),
        ({"sizes": "2-1"}, "list of whole numbers"),
        ({"sizes": [2, 1], "activation": "sigmoidd"}, "did you mean 'sigmoid'"),
        ({"sizes": [2, 1], "loss": "nope"}, "unknown loss"),
        ({"sizes": [2, 1], "optimizer": {"name": "sgd", "momentum": 0.9}}, "no setting 'momentum'"),
        ({"sizes": [2, 1], "optimizer": {"name": "sgd", "lr": -1}}, "positive"),
        ({"sizes": [2, 1], "input": [1, 2, 3]}, "3 value"),
        ({"sizes": [2, 1], "input": [1, float("nan")]}, "non-finite"),
        ({"sizes": [2, 1], "input": [[1, 2], [3]]}, "rectangular"),
        ({"sizes": [2, 1], "input": [[1, 2], [3, 4]], "target": [1]}, "one target per input"),
        ({"sizes": [2, 1], "weights": [[[1, 2, 3]]]}, r"expected \(1, 2\)"),
        ({"sizes": [2, 1], "weights": [[[1, 2]], [[1]]]}, "2 layer"),
        ({"sizes": [2, 1], "biases": [[float("inf")]]}, "non-finite"),
        ({"sizes": [2, 1], "seed": -1}, "seed"),
        ({"sizes": [2, 3, 1], "activation": ["relu", "tanh"]}, "one per hidden layer"),
        ({"sizes": [2, 1], "init": "zeros"}, "unknown init"),
    ],
)
def test_bad_tables(table, message):
    with pytest.raises(UsageError, match=message):
        spec_from_table(table)


def test_broken_toml_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("sizes = [2, 3\n")
    with pytest.raises(UsageError, match="bad.toml: not valid TOML"):
        spec_from_toml(path)


def test_a_bare_shape_is_told_from_a_preset_with_the_same_name():
    from visualizer.network.sources import is_bare_shape

    assert is_bare_shape(load_spec("784-16-10")) and is_bare_shape(load_spec("2-4-1").with_overrides(loss="mae"))
    assert not is_bare_shape(load_spec("2-3-1"))  # the preset, with its own weights
    assert not is_bare_shape(load_spec("xor"))
