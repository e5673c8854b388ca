"""Class labels two ways: an index per sample (0-based, as torch takes them) or a one-hot row
(1 at the class's output, 0 elsewhere). Sparse cross-entropy takes the first; every formula
and picture shows the second, one target value per output."""

from __future__ import annotations

import numpy as np


def one_hot(classes: np.ndarray, n: int) -> np.ndarray:
    """Class indices (batch × 1) as one-hot rows (batch × n)."""
    return (np.arange(n) == np.asarray(classes).astype(np.int64)).astype(np.float64)
