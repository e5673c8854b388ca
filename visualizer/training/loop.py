"""Training on a data set: the lecture's training loop, with the same definitions as one step.

An epoch shows the network every training sample once, in mini-batches drawn in a new seeded
order each epoch (`network.batches`); each mini-batch is one step: forward, loss, backward,
the optimizer's update (`network.learn`, the engine; nothing is recorded but the loss). After
each epoch the loss and accuracy on the training and validation samples are measured, without
dropout. Early stopping keeps the weights of the epoch with the lowest validation loss and stops
when `patience` epochs pass without a better one. A loss that stops being a finite number stops
training with a message instead of carrying NaN on. Ctrl-C (KeyboardInterrupt) during an epoch
ends training as if `epochs` had been the last finished one (its weights, or the best epoch's
under early stopping; `TrainResult.interrupted` says so); before any epoch finished it is raised.

`backend="torch"` trains the identical network in torch (in the same dtype, the same starting weights,
batches, dropout masks, loss and torch.optim optimizer), to compare the two step by step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from visualizer.errors import Diverged
from visualizer.functions.classes import predicted_class
from visualizer.functions.dropout import draw_masks
from visualizer.network.batches import batch_rows, steps_per_epoch
from visualizer.network.definitions import Definitions
from visualizer.network.mlp import forward, learn, network_info, output
from visualizer.network.spec import NetSpec
from visualizer.network.torch_twin import torch_forward
from visualizer.style import count

BACKENDS = ("engine", "torch")


@dataclass(frozen=True)
class TrainOptions:
    epochs: int = 10
    batch_size: int = 64
    early_stopping: int | None = None  # patience in epochs; None: train every epoch
    backend: str = "engine"
    dtype: str = "float64"  # what training computes in: float64, or float32 (faster); results are float64


@dataclass
class TrainResult:
    weights: list[np.ndarray]  # the best epoch's under early stopping, else the last
    biases: list[np.ndarray]
    # per epoch: epoch, train_loss, val_loss, train_accuracy, val_accuracy (None where not measured:
    # no validation samples, or regression); best_epoch (early stopping)
    history: dict
    step_losses: list[float] = field(default_factory=list)  # each step's mini-batch loss
    seconds: float = 0.0  # training only (no evaluation)
    batch_size: int = 0  # samples per step
    stopped: str = ""  # why it stopped early, if it did
    backend: str = "engine"  # what trained it: the engine, or the same network in torch
    steps_per_epoch: int = 0
    interrupted: bool = False  # Ctrl-C ended it after `len(history["epoch"])` epochs


def accuracy(task: str, out: np.ndarray, y: np.ndarray) -> float | None:
    """The share of samples whose predicted class is the right one (None for regression)."""
    if task == "regression":
        return None
    return float(np.mean(predicted_class(out) == y[:, 0].astype(int)))


def mean_loss(defs: Definitions, weights, biases, x, y, batch: int = 4096) -> float:
    """E over all of x (the mean of the sample losses, plus the penalties), in chunks."""
    total = 0.0
    for start in range(0, len(x), batch):
        f = forward(defs, weights, biases, x[start : start + batch], y[start : start + batch], input_grad=False)
        total += float(f.sample_losses.value.sum())
    return total / len(x) + sum(float(node.value) for node in f.penalties.values())  # the weights', once


def fit(
    spec: NetSpec,
    task: str,
    x_train,
    y_train,
    x_val=None,
    y_val=None,
    options: TrainOptions = TrainOptions(),
    progress=None,
) -> TrainResult:
    """Train `spec`'s network on (x_train, y_train); `progress(epoch, step_in_epoch, steps_per_epoch,
    loss)` is called after each step and `progress(epoch, None, …, summary)` after each epoch."""
    defs = Definitions.from_info(network_info(spec))
    # copies training owns: the optimizer updates them in place
    weights, biases = ([np.array(p, options.dtype, order="C") for p in ps] for ps in spec.parameters())
    x_train = np.asarray(x_train, options.dtype)  # once, not per batch
    x_val = None if x_val is None else np.asarray(x_val, options.dtype)
    n, k = len(x_train), min(options.batch_size, len(x_train))
    per_epoch = steps_per_epoch(n, k)
    if options.backend == "torch":
        step_fn = _torch_stepper(defs, weights, biases)
    else:
        step_fn = _engine_stepper(defs, fused=options.dtype == "float32")
    history = {
        "epoch": [],
        "train_loss": [],
        "val_loss": [],
        "train_accuracy": [],
        "val_accuracy": [],
        "best_epoch": None,
    }
    best = (np.inf, weights, biases)
    result = TrainResult(weights, biases, history, batch_size=k, backend=options.backend, steps_per_epoch=per_epoch)
    waited, started = 0, time.perf_counter()
    # what Ctrl-C keeps: the epochs finished so far, replaced in one assignment after each epoch
    kept = (0, weights, biases, best, None, 0)
    try:
        for epoch in range(1, options.epochs + 1):
            for i in range(per_epoch):
                index = (epoch - 1) * per_epoch + i + 1  # the step's number, from 1: it seeds batch and mask
                rows = batch_rows(n, k, spec.seed, index)
                masks = draw_masks(spec.dropout, spec.sizes, len(rows), spec.seed, index) if spec.dropout > 0 else None
                masks = masks and [np.asarray(m, options.dtype) for m in masks]
                loss, weights, biases = step_fn(weights, biases, x_train[rows], y_train[rows], masks)
                if not np.isfinite(loss):
                    raise Diverged(index, loss, spec.optimizer["lr"], f" (epoch {epoch})")
                result.step_losses.append(loss)
                if progress:
                    progress(epoch, i + 1, per_epoch, loss)
            result.seconds += time.perf_counter() - started
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # a runaway loss is caught here
                summary = _measure(defs, task, weights, biases, x_train, y_train, x_val, y_val)
            if not np.isfinite(summary["train_loss"]):  # the last step's update: no step loss has seen it yet
                raise Diverged(index, summary["train_loss"], spec.optimizer["lr"], f" (epoch {epoch})")
            if x_val is not None and options.early_stopping is not None:
                if summary["val_loss"] < best[0]:
                    best = (summary["val_loss"], [w.copy() for w in weights], [b.copy() for b in biases])
                    waited, best_epoch = 0, epoch
                else:
                    waited, best_epoch = waited + 1, history["best_epoch"]
            else:
                best_epoch = None
            kept = (epoch, [w.copy() for w in weights], [b.copy() for b in biases], best, best_epoch, summary)
            history["epoch"].append(epoch)
            for key, value in summary.items():
                history[key].append(value)
            history["best_epoch"] = best_epoch
            if progress:
                progress(epoch, None, per_epoch, summary)
            started = time.perf_counter()
            if best_epoch is not None and waited >= options.early_stopping:
                result.stopped = (
                    f"early stopping after epoch {epoch}: the validation loss has not improved for "
                    f"{count(waited, 'epoch')}; keeping epoch {best_epoch}'s weights"
                )
                break
    except KeyboardInterrupt:
        done, weights, biases, best, best_epoch, summary = kept
        if not done:
            raise
        # the history of the finished epochs, whole even if the interrupt came between its appends
        for key, value in {"epoch": done, **summary}.items():
            del history[key][done - 1 :]
            history[key].append(value)
        history["best_epoch"] = best_epoch
        del result.step_losses[done * per_epoch :]
        result.interrupted = True
        result.stopped = f"stopped (Ctrl-C) after epoch {done} of {options.epochs}"
        if best_epoch is not None and best_epoch != done:
            result.stopped += f"; keeping epoch {best_epoch}'s weights (lowest validation loss)"
    for key in ("val_loss", "train_accuracy", "val_accuracy"):  # not measured (no validation, regression)
        if all(value is None for value in history[key]):
            history[key] = None
    if history["best_epoch"] is not None:
        weights, biases = best[1], best[2]
    result.weights, result.biases = ([np.asarray(p, np.float64) for p in ps] for ps in (weights, biases))
    return result


def _measure(defs, task, weights, biases, x_train, y_train, x_val, y_val) -> dict:
    summary = {
        "train_loss": mean_loss(defs, weights, biases, x_train, y_train),
        "train_accuracy": accuracy(task, output(defs, weights, biases, x_train), y_train),
        "val_loss": None,
        "val_accuracy": None,
    }
    if x_val is not None and len(x_val):
        summary["val_loss"] = mean_loss(defs, weights, biases, x_val, y_val)
        summary["val_accuracy"] = accuracy(task, output(defs, weights, biases, x_val), y_val)
    return summary


def _engine_stepper(defs: Definitions, fused: bool):
    """The engine's steps, updating the weights in place. `fused` (float32): each layer one op,
    whose ∂E/∂W may differ from the Trace's graph in the last bit; float64 training computes
    exactly the numbers explain shows."""
    state: dict = {}

    def step(weights, biases, x, y, masks):
        nonlocal state
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is caught by its loss
            f, weights, biases, state = learn(defs, weights, biases, x, y, state, masks, in_place=True, fused=fused)
        return float(f.loss.value), weights, biases

    return step


def _torch_stepper(defs: Definitions, weights, biases):
    """The same steps in torch: its autograd and its torch.optim optimizer, from our weights."""
    import torch

    W = [torch.tensor(w, requires_grad=True) for w in weights]  # in the weights' dtype: float64 or float32
    b = [torch.tensor(v, requires_grad=True) for v in biases]
    optimizer = defs.optimizer.torch(torch, W + (b if defs.train_biases else []), defs.hyper)

    def step(_weights, _biases, x, y, masks):
        optimizer.zero_grad()
        masks = None if masks is None else [torch.from_numpy(m) for m in masks]
        loss = torch_forward(torch, defs, W, b, torch.from_numpy(x), torch.from_numpy(y), masks).loss
        loss.backward()
        optimizer.step()
        return loss.item(), [w.detach().numpy().copy() for w in W], [v.detach().numpy().copy() for v in b]

    return step
