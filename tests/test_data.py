"""The data sets for `backprop train`: shapes, tasks, determinism, the IDX reader against
files written here in the real format, --download against a local HTTP server, CSV files,
and one clear UsageError for every mistake."""

from __future__ import annotations

import functools
import gzip
import http.server
import inspect
import threading
from pathlib import Path

import numpy as np
import pytest

from visualizer.training.data import DATASETS, Dataset, load_dataset, validation_split
from visualizer.training.data import download as download_module
from visualizer.training.data import idx as idx_module
from visualizer.training.data.images import FILES
from visualizer.training.data.prepare import scale
from visualizer.errors import UsageError

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
    x_tr, x_te, y_tr, y_te = train_test_split(bunch.data, bunch.target, test_size=0.2, random_state=0,
                                              stratify=bunch.target)
    np.testing.assert_array_equal(ds.x_train, x_tr / 16)
    np.testing.assert_array_equal(ds.y_test[:, 0], y_te)
    assert len(load_dataset("digits", samples=100).x_train) == 100
    assert load_dataset("digits", scale="none").x_train.max() == 16


# ---------------------------------------------------------------- errors of the options


@pytest.mark.parametrize("kwargs, words", [
    ({"name": "moon"}, ["unknown dataset 'moon'", "did you mean 'moons'"]),
    ({"name": "xor", "scale": "minimax"}, ["unknown scaling", "did you mean 'minmax'"]),
    ({"name": "xor", "test_split": 1.2}, ["test split", "between 0 and 1"]),
    ({"name": "xor", "samples": 0}, ["samples", "at least 1"]),
    ({"name": "xor", "seed": -1}, ["seed"]),
    ({"name": "xor", "target_column": "y"}, ["only to csv"]),
    ({"name": "xor", "samples": 4}, ["cannot split xor"]),
])
def test_option_errors(kwargs, words):
    with pytest.raises(UsageError) as err:
        load_dataset(kwargs.pop("name"), **kwargs)
    for word in words:
        assert word in one_line(err)


def test_dataset_names():
    assert set(DATASETS) == set(SYNTHETIC) | {"digits", "mnist", "fashion-mnist"}


# ---------------------------------------------------------------- IDX: mnist and fashion-mnist


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """The IDX encoding of a uint8 array, written independently of the reader."""
    magic = 0x0800 | array.ndim if magic is None else magic
    header = magic.to_bytes(4, "big") + b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    return header + array.astype(np.uint8).tobytes()


def make_idx_set(folder: Path, n_train=50, n_test=20, gz=True, seed=0) -> dict[str, np.ndarray]:
    """Four real-format IDX files of random 28 × 28 images and labels 0..9 in `folder`."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for base, array in arrays.items():
        data = idx_bytes(array)
        if gz:
            (folder / f"{base}.gz").write_bytes(gzip.compress(data))
        else:
            (folder / base).write_bytes(data)
    return arrays


def assert_round_trip(ds: Dataset, arrays: dict[str, np.ndarray]):
    np.testing.assert_array_equal(ds.x_train, arrays["train-images-idx3-ubyte"].reshape(-1, 784) / 255)
    np.testing.assert_array_equal(ds.y_train[:, 0], arrays["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(ds.x_test, arrays["t10k-images-idx3-ubyte"].reshape(-1, 784) / 255)
    np.testing.assert_array_equal(ds.y_test[:, 0], arrays["t10k-labels-idx1-ubyte"])


def test_mnist_round_trip(tmp_path):
    arrays = make_idx_set(tmp_path)
    ds = load_dataset("mnist", data_dir=tmp_path, test_split=0.5)  # the official split: test_split ignored
    assert ds.x_train.shape == (50, 784) and ds.x_test.shape == (20, 784) and ds.y_train.shape == (50, 1)
    assert ds.image_shape == (28, 28) and ds.task == "multiclass" and ds.n_outputs == 10
    assert ds.classes == tuple("0123456789") and ds.x_train.dtype == np.float64
    assert_round_trip(ds, arrays)
    raw = load_dataset("mnist", data_dir=tmp_path, scale="none", samples=7)
    np.testing.assert_array_equal(raw.x_train, arrays["train-images-idx3-ubyte"][:7].reshape(7, 784))
    assert len(raw.x_test) == 20


@pytest.mark.parametrize("gz", [True, False])
def test_fashion_mnist_in_torchvision_layout(tmp_path, gz):
    arrays = make_idx_set(tmp_path / "FashionMNIST" / "raw", gz=gz)
    ds = load_dataset("fashion-mnist", data_dir=tmp_path)
    assert ds.classes[0] == "T-shirt/top" and ds.classes[9] == "Ankle boot" and len(ds.classes) == 10
    assert_round_trip(ds, arrays)


def test_missing_file_names_it(tmp_path):
    make_idx_set(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(UsageError) as err:
        load_dataset("mnist", data_dir=tmp_path)
    message = one_line(err)
    assert "t10k-labels-idx1-ubyte.gz not found" in message and str(tmp_path) in message
    assert "--download" in message
    with pytest.raises(UsageError, match=r"train-images-idx3-ubyte\.gz not found in .*FashionMNIST"):
        load_dataset("fashion-mnist", data_dir=tmp_path / "empty")


def test_corrupt_magic_number(tmp_path):
    make_idx_set(tmp_path)
    images = np.zeros((50, 28, 28), dtype=np.uint8)
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images, magic=0x0801)))
    with pytest.raises(UsageError) as err:
        load_dataset("mnist", data_dir=tmp_path)
    message = one_line(err)
    assert "train-images-idx3-ubyte.gz is damaged" in message and "magic number 0x00000801" in message


def test_truncated_file(tmp_path):
    arrays = make_idx_set(tmp_path)
    data = idx_bytes(arrays["t10k-images-idx3-ubyte"])
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(data[:-100]))
    with pytest.raises(UsageError, match=r"t10k-images-idx3-ubyte\.gz is damaged \(truncated"):
        load_dataset("mnist", data_dir=tmp_path)
    # a cut-short gzip stream, as from an interrupted download
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(data)[:500])
    with pytest.raises(UsageError, match=r"t10k-images-idx3-ubyte\.gz is damaged \(its gzip data"):
        load_dataset("mnist", data_dir=tmp_path)


def test_images_and_labels_must_agree(tmp_path):
    make_idx_set(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(np.zeros(49, np.uint8))))
    with pytest.raises(UsageError, match="50 images but .* 49 labels"):
        load_dataset("mnist", data_dir=tmp_path)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(np.full(50, 10, np.uint8))))
    with pytest.raises(UsageError, match="damaged .*label 10"):
        load_dataset("mnist", data_dir=tmp_path)


def test_idx_reader_uses_no_pickle():
    source = "".join(inspect.getsource(m) for m in (idx_module, download_module))
    assert "np.frombuffer" in inspect.getsource(idx_module.parse_idx)
    assert "pickle" not in source.replace("no pickle", "") and "np.load(" not in source
    data_package = Path(idx_module.__file__).parent
    for module in data_package.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "import pickle" not in text and "allow_pickle" not in text, module.name


# ---------------------------------------------------------------- --download against a local server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """A local HTTP server on 127.0.0.1 serving generated .gz files; $BACKPROP_DATA_MIRROR points at it."""
    served = tmp_path / "served"
    arrays = make_idx_set(served)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=served))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    monkeypatch.setenv("BACKPROP_DATA_MIRROR", url)
    yield served, arrays, url
    server.shutdown()
    server.server_close()
    thread.join()


def test_download_fetches_into_an_empty_data_dir(tmp_path, mirror):
    served, arrays, url = mirror
    data_dir = tmp_path / "data"
    ds = load_dataset("mnist", data_dir=data_dir, download=True)
    assert_round_trip(ds, arrays)
    raw = data_dir / "MNIST" / "raw"
    assert sorted(p.name for p in raw.iterdir()) == sorted(f + ".gz" for f in FILES)  # no temporary files left
    for base in FILES:
        assert (raw / f"{base}.gz").read_bytes() == (served / f"{base}.gz").read_bytes()
    # afterwards no network is needed, and an existing file is not fetched again
    (served / "train-images-idx3-ubyte.gz").unlink()
    assert_round_trip(load_dataset("mnist", data_dir=data_dir, download=True), arrays)


def test_download_completes_a_partial_folder(tmp_path, mirror):
    served, arrays, url = mirror
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "train-images-idx3-ubyte.gz").write_bytes((served / "train-images-idx3-ubyte.gz").read_bytes())
    assert_round_trip(load_dataset("fashion-mnist", data_dir=data_dir, download=True), arrays)
    assert (data_dir / "t10k-labels-idx1-ubyte.gz").is_file()


def test_download_404_is_a_clear_error(tmp_path, mirror):
    served, arrays, url = mirror
    (served / "train-labels-idx1-ubyte.gz").unlink()
    data_dir = tmp_path / "data"
    with pytest.raises(UsageError) as err:
        load_dataset("mnist", data_dir=data_dir, download=True)
    message = one_line(err)
    assert f"cannot download {url}train-labels-idx1-ubyte.gz: HTTP 404" in message
    assert "copy the files by hand into" in message
    leftovers = [p.name for p in (data_dir / "MNIST" / "raw").iterdir()]
    assert leftovers == ["train-images-idx3-ubyte.gz"]  # fetched before the failure; nothing half-written


def test_download_of_something_else_is_refused(tmp_path, mirror):
    served, arrays, url = mirror
    (served / "t10k-images-idx3-ubyte.gz").write_bytes(b"<html>not here</html>")
    with pytest.raises(UsageError, match="not the expected IDX file"):
        load_dataset("mnist", data_dir=tmp_path / "data", download=True)
    assert not (tmp_path / "data" / "MNIST" / "raw" / "t10k-images-idx3-ubyte.gz").exists()


def test_download_network_failure(tmp_path, monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("BACKPROP_DATA_MIRROR", f"http://127.0.0.1:{port}")
    for var in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(UsageError) as err:
        load_dataset("mnist", data_dir=tmp_path, download=True)
    message = one_line(err)
    assert f"cannot download http://127.0.0.1:{port}/train-images-idx3-ubyte.gz" in message
    assert "copy the files by hand" in message


def test_canonical_addresses(monkeypatch):
    monkeypatch.delenv("BACKPROP_DATA_MIRROR", raising=False)
    assert download_module.base_url("mnist") == "https://ossci-datasets.s3.amazonaws.com/mnist/"
    assert download_module.base_url("fashion-mnist") == "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"


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


@pytest.mark.parametrize("text, target, words", [
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
])
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
