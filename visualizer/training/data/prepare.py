"""Getting data ready for a network: split it, then scale it by what the training rows show.

Split. The test rows are put aside before anything is learned, so the test score measures how
well the network does on data it has never seen. For classification the split is stratified:
each class keeps its share in both parts (a test set of only 3s would say little). The
validation split does the same inside the training rows, for choosing when to stop.

Scale. Gradient descent takes one learning rate for every weight, so it works best when every
input has a similar range. `standard` maps each feature to mean 0, standard deviation 1;
`minmax` maps it to [0, 1]; `auto` divides pixels by their maximum brightness (every pixel in
[0, 1] and a picture stays a picture) and standardises anything else; `none` leaves the values
as they are. The numbers (mean, deviation, min, max) come from the TRAINING rows only and are
applied to both parts: taking them from the test rows too would leak the test into training.
A feature that is constant in the training rows is only shifted (its spread counts as 1).
Targets are never scaled.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

import numpy as np

from visualizer.errors import UsageError, unknown_name
from visualizer.style import count

from .dataset import Dataset

SCALINGS = ("auto", "minmax", "standard", "none")


def check_fraction(fraction: float, option: str) -> float:
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0.0 < fraction < 1.0:
        raise UsageError(f"{option} must be a fraction between 0 and 1 (e.g. 0.2), not {fraction!r}")
    return float(fraction)


def split(
    x: np.ndarray, y: np.ndarray, task: str, fraction: float, seed: int, what: str, classes: tuple[str, ...] = ()
):
    """(x_a, y_a, x_b, y_b) with a share `fraction` of the rows in b, drawn from `seed`;
    stratified by class unless `task` is regression."""
    from sklearn.model_selection import train_test_split

    stratify = None if task == "regression" else y[:, 0]
    if stratify is not None:
        label, fewest = min(Counter(stratify.tolist()).items(), key=lambda item: item[1])
        if fewest < 2:
            name = repr(classes[int(label)]) if classes else int(label)
            raise UsageError(
                f"cannot split {what}: class {name} has only {fewest} sample, and a split that keeps "
                f"every class on both sides needs at least 2; add samples"
            )
    # too few rows for both sides (scikit-learn puts ceil(fraction · n) on side b): said plainly here,
    # not in scikit-learn's words ("With n_samples=1, test_size=0.1 and train_size=None, …")
    if not 1 <= math.ceil(fraction * len(x)) < len(x):
        need = next(n for n in range(2, 10_000) if 1 <= math.ceil(fraction * n) < n)
        raise UsageError(
            f"cannot split {what}: {count(len(x), 'sample')} {'is' if len(x) == 1 else 'are'} too few to set "
            f"{fraction:.0%} aside and keep the rest; it takes at least {need}, so add samples"
        )
    try:
        x_a, x_b, y_a, y_b = train_test_split(x, y, test_size=fraction, random_state=seed, stratify=stratify)
    except ValueError as err:
        reason = " ".join(str(err).split())
        raise UsageError(
            f"cannot split {what} of {count(len(x), 'sample')} with a share {fraction} on one side: {reason}; "
            f"use more samples or another fraction"
        ) from None
    return tuple(np.ascontiguousarray(a, dtype=np.float64) for a in (x_a, y_a, x_b, y_b))


def scale(x_train: np.ndarray, x_test: np.ndarray, method: str, pixel_max: float | None = None):
    """(x_train, x_test, scaling): both scaled by `method` (one of SCALINGS) with the training rows'
    numbers, and what was done as `x = (raw − shift) / scale` (see `pixel_scaling`), which a model
    file keeps so its inputs can be prepared again."""
    if method not in SCALINGS:
        raise unknown_name("scaling", method, SCALINGS)
    if method == "none":
        return x_train, x_test, {"shift": 0.0, "scale": 1.0, "how": "none: the values as they are"}
    if method == "auto" and pixel_max is not None:
        return x_train / pixel_max, x_test / pixel_max, pixel_scaling(pixel_max)
    if method in ("auto", "standard"):
        shift, spread = x_train.mean(axis=0), x_train.std(axis=0)
        how = "each feature minus its training mean, divided by its training standard deviation"
    else:
        shift, spread = x_train.min(axis=0), x_train.max(axis=0) - x_train.min(axis=0)
        how = "each feature minus its training minimum, divided by its training range"
    spread = np.where(spread > 0, spread, 1.0)
    scaling = {"shift": shift.tolist(), "scale": spread.tolist(), "how": how}
    return (x_train - shift) / spread, (x_test - shift) / spread, scaling


def pixel_scaling(pixel_max: float) -> dict:
    return {"shift": 0.0, "scale": float(pixel_max), "how": f"pixels / {pixel_max:g}"}


def scaled(ds: Dataset, method: str, pixel_max: float | None = None) -> Dataset:
    """`ds` with its features scaled (see `scale`), and the scaling recorded."""
    x_train, x_test, scaling = scale(ds.x_train, ds.x_test, method, pixel_max)
    return dataclasses.replace(ds, x_train=x_train, x_test=x_test, scaling=scaling)


def validation_split(ds: Dataset, fraction: float, seed: int = 0):
    """(x_train, y_train, x_val, y_val): a share `fraction` of the training rows set aside for
    validation (stratified for classification), drawn from `seed`. The test rows stay untouched."""
    fraction = check_fraction(fraction, "the validation fraction")
    return split(ds.x_train, ds.y_train, ds.task, fraction, seed, f"the training rows of {ds.name}", ds.classes)
