"""What a training run needs to be reproduced: the input scaling and the settings it ran with.

Both go into the model file's metadata and into metrics.json, the same dicts in both:

- `input_scaling`: how a raw sample (pixels 0..255, a CSV row as written) became the network's
  input, as `x = (raw − shift) / scale` (numbers, or one per feature). Pixels: shift 0, scale
  255 (MNIST, Fashion-MNIST) or 16 (digits). Anything else: each feature's mean and standard
  deviation over the training rows (a constant feature keeps scale 1).
- `training`: seed, epochs (asked and run), batch size, optimizer with its learning rate and
  other hyper-parameters, loss, data set, its train/test split, validation share, samples,
  dtype, backend, and whether the run was stopped early (early stopping or Ctrl-C).
"""

from __future__ import annotations

import numpy as np

PIXEL_SETS = ("digits", "mnist", "fashion-mnist")


def input_scaling(dataset, reload_raw) -> dict:
    """`dataset`'s scaling: its own `scaling` when the data set records one, else worked out here.
    `reload_raw()` returns the same data set unscaled (only called for non-pixel sets)."""
    given = getattr(dataset, "scaling", None)
    if given:
        return dict(given)
    if dataset.name in PIXEL_SETS:
        from visualizer.training.data.images import PIXEL_MAX

        top = PIXEL_MAX[dataset.name]
        return {"shift": 0.0, "scale": top, "how": f"pixels / {top:g}"}
    raw = reload_raw().x_train
    mean, std = raw.mean(axis=0), raw.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return {
        "shift": mean.tolist(),
        "scale": std.tolist(),
        "how": "each feature minus its training mean, divided by its training standard deviation",
    }


def apply_scaling(raw, scaling: dict) -> np.ndarray:
    """Raw samples (one per row) as the network's inputs: (raw − shift) / scale."""
    raw = np.asarray(raw, dtype=np.float64)
    return (raw - np.asarray(scaling["shift"], dtype=np.float64)) / np.asarray(scaling["scale"], dtype=np.float64)


def split_description(dataset, *, data_dir, test_split: float, seed: int) -> str:
    """Which samples were trained on and which tested: the data set's own `split` when it records
    one (SPLIT FIELD: filled by the data sets' loader), else what the name and options say."""
    given = getattr(dataset, "split", None)
    if given:
        return str(given)
    n_train, n_test = len(dataset.x_train), len(dataset.x_test)
    if dataset.name in ("mnist", "fashion-mnist"):
        where = f" in {data_dir}" if data_dir else ""
        return f"the IDX files' own train/test split{where}: {n_train:,} training, {n_test:,} test images"
    return (
        f"{n_test:,} of {n_train + n_test:,} samples ({test_split:.0%}) held out for testing, "
        f"stratified by class where there are classes, drawn with seed {seed}"
    )


def training_settings(spec, dataset, options, result, *, split: str, val_split: float, samples, dtype: str) -> dict:
    """The settings a run was trained with, as plain JSON values."""
    return {
        "seed": spec.seed,
        "epochs": options.epochs,
        "epochs_run": len(result.history["epoch"]),
        "batch_size": result.batch_size or options.batch_size,
        "lr": spec.optimizer.get("lr"),
        "optimizer": dict(spec.optimizer),
        "loss": spec.loss,
        "early_stopping": options.early_stopping,
        "dataset": dataset.name,
        "split": split,
        "val_split": val_split,
        "samples": samples,
        "dtype": dtype,
        "backend": result.backend,
        "stopped": result.stopped,
    }
