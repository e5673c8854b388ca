"""The data sets for `backprop train`: shapes, tasks, determinism, CSV files, and one clear
UsageError for every mistake (the IDX files and --download: test_idx.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.training.data import DATASETS, Dataset, load_dataset, validation_split
from visualizer.training.data.prepare import scale

SYNTHETIC = {  # name: (task, classes, features)
    "xor": ("binary", 2, 2),
    "moons": ("binary", 2, 2),
    "circles": ("binary", 2, 2),
    "spiral": ("multiclass", 3, 2),
    "blobs": ("multiclass", 3, 2),
    "sine": ("regression", 0, 1),
    "plane": ("regression", 0, 2),
}


def one_line(err: pytest.ExceptionInfo) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


# ---------------------------------------------------------------- synthetic


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_shapes_task_and_classes(name):
    task, k, features = SYNTHETIC[name]
    ds = load_dataset(name)
    assert isinstance(ds, Dataset) and ds.name == name and ds.task == task
    assert ds.x_train.shape == (160, features) and ds.x_test.shape == (40, features)
    assert ds.y_train.shape == (160, 1) and ds.y_test.shape == (40, 1)
    for a in (ds.x_train, ds.y_train, ds.x_test, ds.y_test):
        assert a.dtype == np.float64 and np.isfinite(a).all()
    assert len(ds.classes) == k and ds.image_shape is None and ds.n_features == features
    assert len(ds.feature_names) == features and ds.feature_names[0] == "x₁"
    assert ds.n_outputs == {"binary": 1, "multiclass": k, "regression": 1}[task]
    if k:
        assert set(np.unique(ds.y_train)) == set(range(k)) and set(np.unique(ds.y_test)) == set(range(k))
        # stratified: the test share of each class is close to 20 %
        counts = np.bincount(ds.y_test[:, 0].astype(int))
        assert counts.min() >= 40 // k - 1
    # auto scaling standardises with the training rows' numbers
    np.testing.assert_allclose(ds.x_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(ds.x_train.std(axis=0), 1, atol=1e-12)


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_is_deterministic_per_seed(name):
    a, b, c = load_dataset(name, seed=3), load_dataset(name, seed=3), load_dataset(name, seed=4)
    for field in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.x_train, c.x_train)


def test_synthetic_samples_and_test_split():
    ds = load_dataset("spiral", samples=300, test_split=0.5)
    assert len(ds.x_train) == 150 and len(ds.x_test) == 150
    assert np.array_equal(np.bincount(ds.y_test[:, 0].astype(int)), [50, 50, 50])


def test_xor_labels_are_the_xor_of_the_quadrants():
    ds = load_dataset("xor", scale="none", samples=400)
    x, y = ds.x_train, ds.y_train[:, 0]
    far = (np.abs(x) > 0.3).all(axis=1)  # the noise (σ 0.3) rarely carries a point over an axis
    assert far.sum() > 200
    np.testing.assert_array_equal(((x[far, 0] > 0) != (x[far, 1] > 0)).astype(float), y[far])


def test_sine_and_plane_are_their_functions_plus_small_noise():
    ds = load_dataset("sine", scale="none", samples=500)
    assert ds.x_train.min() >= -np.pi and ds.x_train.max() <= np.pi
    assert np.abs(ds.y_train - np.sin(ds.x_train)).std() < 0.15
    ds = load_dataset("plane", scale="none")
    assert np.abs(ds.y_train[:, 0] - (2 * ds.x_train[:, 0] - 3 * ds.x_train[:, 1] + 0.5)).std() < 0.15


def test_scalings():
    raw = load_dataset("blobs", scale="none")
    mm = load_dataset("blobs", scale="minmax")
    np.testing.assert_allclose(mm.x_train.min(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(mm.x_train.max(axis=0), 1, atol=1e-12)
    lo, hi = raw.x_train.min(axis=0), raw.x_train.max(axis=0)
    np.testing.assert_allclose(mm.x_test, (raw.x_test - lo) / (hi - lo))  # the TRAIN numbers, on the test rows
    st = load_dataset("blobs", scale="standard")
    np.testing.assert_allclose(st.x_test, (raw.x_test - raw.x_train.mean(0)) / raw.x_train.std(0))
    np.testing.assert_array_equal(st.y_train, raw.y_train)  # targets are never scaled
    constant = np.ones((4, 2))
    assert np.isfinite(scale(constant, constant, "standard")[0]).all()
    assert np.isfinite(scale(constant, constant, "minmax")[0]).all()


def test_validation_split():
    ds = load_dataset("blobs", samples=300)
    x_tr, y_tr, x_val, y_val = validation_split(ds, 0.25, seed=1)
    assert x_tr.shape == (180, 2) and x_val.shape == (60, 2) and y_tr.shape == (180, 1)
    assert np.array_equal(np.bincount(y_val[:, 0].astype(int)), [20, 20, 20])
    rows = {tuple(r) for r in ds.x_train}
    assert {tuple(r) for r in x_tr} | {tuple(r) for r in x_val} == rows
    again = validation_split(ds, 0.25, seed=1)
    np.testing.assert_array_equal(again[2], x_val)
    x_tr, y_tr, x_val, y_val = validation_split(load_dataset("sine"), 0.5)
    assert len(x_tr) == len(x_val) == 80
    with pytest.raises(UsageError, match="between 0 and 1"):
        validation_split(ds, 1.5)


# ---------------------------------------------------------------- digits


def test_digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    ds = load_dataset("digits")
    assert ds.x_train.shape == (1437, 64) and ds.x_test.shape == (360, 64)
    assert ds.task == "multiclass" and ds.classes == tuple("0123456789") and ds.n_outputs == 10
    assert ds.image_shape == (8, 8) and ds.n_features == 64
    assert ds.x_train.min() == 0 and ds.x_train.max() == 1 and ds.x_test.max() <= 1
    bunch = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(
        bunch.data, bunch.target, test_size=0.2, random_state=0, stratify=bunch.target
    )
    np.testing.assert_array_equal(ds.x_train, x_tr / 16)
    np.testing.assert_array_equal(ds.y_test[:, 0], y_te)
    assert len(load_dataset("digits", samples=100).x_train) == 100
    assert load_dataset("digits", scale="none").x_train.max() == 16


# ---------------------------------------------------------------- errors of the options


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"name": "moon"}, ["unknown dataset 'moon'", "did you mean 'moons'"]),
        ({"name": "xor", "scale": "minimax"}, ["unknown scaling", "did you mean 'minmax'"]),
        ({"name": "xor", "test_split": 1.2}, ["test split", "between 0 and 1"]),
        ({"name": "xor", "samples": 0}, ["samples", "at least 1"]),
        ({"name": "xor", "seed": -1}, ["seed"]),
        ({"name": "xor", "target_column": "y"}, ["only to csv"]),
        ({"name": "xor", "samples": 4}, ["cannot split xor"]),
    ],
)
def test_option_errors(kwargs, words):
    with pytest.raises(UsageError) as err:
        load_dataset(kwargs.pop("name"), **kwargs)
    for word in words:
        assert word in one_line(err)


def test_dataset_names():
    assert set(DATASETS) == set(SYNTHETIC) | {"digits", "mnist", "fashion-mnist"}


# ---------------------------------------------------------------- csv


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return f"csv:{path}"


def test_csv_regression(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2))
    y = x[:, 0] * 1.5 - x[:, 1] + 0.25
    rows = "\n".join(f"{float(a)!r},{float(b)!r},{float(t)!r}" for (a, b), t in zip(x, y))
    name = write(tmp_path / "points.csv", f"a,b,target\n{rows}\n")
    ds = load_dataset(name, scale="none")
    assert ds.name == name and ds.task == "regression" and ds.classes == () and ds.n_outputs == 1
    assert ds.feature_names == ("a", "b") and ds.x_train.shape == (40, 2) and ds.x_test.shape == (10, 2)
    np.testing.assert_allclose(ds.y_train[:, 0], ds.x_train[:, 0] * 1.5 - ds.x_train[:, 1] + 0.25, atol=1e-12)
    # another target column; the rest become features
    ds = load_dataset(name, target_column="a")
    assert ds.feature_names == ("b", "target") and ds.task == "regression"


def test_csv_classification_with_string_labels(tmp_path):
    lines = ["size;weight;animal"]
    for i in range(30):
        lines += [f"{i};{i * 2};dog", f"{i + 0.5};{i};cat", f"{-i};{i};bird"]
    ds = load_dataset(write(tmp_path / "animals.csv", "\n".join(lines) + "\n"), test_split=0.2)
    assert ds.task == "multiclass" and ds.classes == ("bird", "cat", "dog") and ds.n_outputs == 3
    assert ds.x_train.shape == (72, 2) and ds.x_test.shape == (18, 2)
    assert np.array_equal(np.bincount(ds.y_test[:, 0].astype(int)), [6, 6, 6])
    lines = ["x,label"] + [f"{i},{'yes' if i % 2 else 'no'}" for i in range(20)]
    ds = load_dataset(write(tmp_path / "yes.csv", "\n".join(lines)))
    assert ds.task == "binary" and ds.classes == ("no", "yes") and ds.n_outputs == 1


def test_csv_integer_labels_are_classes_sorted_numerically(tmp_path):
    lines = ["x1,x2,y"] + [f"{i},{i % 7},{[2, 10, -1][i % 3]}" for i in range(30)]
    ds = load_dataset(write(tmp_path / "ints.csv", "\n".join(lines)), scale="none")
    assert ds.task == "multiclass" and ds.classes == ("-1", "2", "10")
    label = {0: 1.0, 1: 2.0, 2: 0.0}  # i % 3 → index of [2, 10, -1] in sorted order
    np.testing.assert_array_equal(ds.y_train[:, 0], [label[int(i) % 3] for i in ds.x_train[:, 0]])


def test_csv_without_header(tmp_path):
    ds = load_dataset(write(tmp_path / "bare.csv", "\n".join(f"{i},{i * 0.1}" for i in range(30))))
    assert ds.feature_names == ("column 1",) and ds.task == "regression"


@pytest.mark.parametrize(
    "text, target, words",
    [
        ("", None, ["is empty"]),
        ("\n\n", None, ["is empty"]),
        ("a,b,c\n", None, ["header but no data rows"]),
        ("a,b\n1,2\n3,4\n", "z", ["no column 'z'", "its columns are: a, b"]),
        ("a,b,y\n1,2,0\n3,x,1\n", None, ["line 3", "column 'b'", "'x', not a number"]),
        ("a,b,y\n1,,0\n", None, ["line 2", "column 'b' is empty"]),
        ("a,y\n1,0\n2,1,5\n", None, ["line 3", "3 cells"]),
        ("a,y\n1,cat\n2,cat\n", None, ["only the label 'cat'"]),
        ("y\n1\n2\n", None, ["one column"]),
        ("a,a,y\n1,2,3\n", None, ["'a' appears twice"]),
    ],
)
def test_csv_errors(tmp_path, text, target, words):
    with pytest.raises(UsageError) as err:
        load_dataset(write(tmp_path / "bad.csv", text), target_column=target)
    for word in words:
        assert word in one_line(err)


def test_csv_missing_file(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        load_dataset(f"csv:{tmp_path / 'nope.csv'}")
    with pytest.raises(UsageError, match="needs a file path"):
        load_dataset("csv:")


@pytest.mark.parametrize("name", ["moons", "digits"])
@pytest.mark.parametrize("method", ["auto", "standard", "minmax", "none"])
def test_a_data_set_records_the_scaling_it_applied(name, method):
    """x = (raw − shift) / scale with the recorded numbers gives the scaled rows: what a model
    file keeps so its inputs can be prepared again."""
    raw, ds = load_dataset(name, seed=0, scale="none"), load_dataset(name, seed=0, scale=method)
    shift, spread = (np.asarray(ds.scaling[k], dtype=np.float64) for k in ("shift", "scale"))
    for before, after in ((raw.x_train, ds.x_train), (raw.x_test, ds.x_test)):
        np.testing.assert_allclose((before - shift) / spread, after, rtol=1e-12, atol=1e-12)
    assert ds.scaling["how"] and ds.split
