"""The IDX data sets for `backprop train` (MNIST and Fashion-MNIST) from files written here in
the real format, and --download against a local HTTP server: every mistake one clear UsageError."""

from __future__ import annotations

import functools
import gzip
import http.server
import inspect
import threading
from pathlib import Path

import numpy as np
import pytest

from visualizer.errors import UsageError
from visualizer.training.data import Dataset, load_dataset
from visualizer.training.data import download as download_module
from visualizer.training.data import idx as idx_module
from visualizer.training.data.images import FILES


def one_line(err: pytest.ExceptionInfo) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


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
