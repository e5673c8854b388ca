"""Class labels two ways: an index per sample (0-based, as torch takes them) or a one-hot row
(1 at the class's output, 0 elsewhere). Sparse cross-entropy takes the first; every formula
and picture shows the second, one target value per output. And which class outputs predict."""

from __future__ import annotations

import numpy as np


def one_hot(classes: np.ndarray, n: int) -> np.ndarray:
    """Class indices (batch × 1) as one-hot rows (batch × n)."""
    return (np.arange(n) == np.asarray(classes).astype(np.int64)).astype(np.float64)


def class_indices(y) -> np.ndarray:
    """Class indices (n) from n indices, n × 1 indices or n × k one-hot rows."""
    y = np.asarray(y)
    return (y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else y.reshape(-1)).astype(np.int64)


THRESHOLD = 0.5  # one probability (a sigmoid output): class 1 when it is at least this


def predicted_class(output: np.ndarray) -> np.ndarray:
    """The class a network's outputs (n × k) predict: the largest output, or for one output
    (the probability of class 1) class 1 where it reaches THRESHOLD."""
    return (output[:, 0] >= THRESHOLD).astype(np.int64) if output.shape[1] == 1 else output.argmax(axis=1)
