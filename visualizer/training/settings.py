"""What a training run needs to be reproduced: the input scaling and the settings it ran with.

Both go into the model file's metadata and into metrics.json, the same dicts in both:

- `input_scaling`: how a raw sample (pixels 0..255, a CSV row as written) became the network's
  input, as `x = (raw − shift) / scale` (numbers, or one per feature): the data set's own
  `scaling`, recorded where it was applied (training/data/prepare.py).
- `training`: seed, epochs (asked and run), batch size, optimizer with its learning rate and
  other hyper-parameters, loss, data set, its train/test split, validation share, samples,
  dtype, backend, and whether the run was stopped early (early stopping or Ctrl-C).
"""

from __future__ import annotations


def training_settings(spec, dataset, options, result, *, val_split: float, samples, dtype: str) -> dict:
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
        "split": dataset.split,
        "val_split": val_split,
        "samples": samples,
        "dtype": dtype,
        "backend": result.backend,
        "stopped": result.stopped,
    }
