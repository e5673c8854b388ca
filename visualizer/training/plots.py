"""Pictures of a training run (`backprop train`): learning curves, the confusion matrix, the ROC
curve, a grid of test images with their predictions, and the decision boundary over a 2-D input.

Each function takes plain numbers (lists or numpy arrays) and returns a matplotlib Figure (no
pyplot); `visualizer.render.diagrams.save(fig, path)` writes it. Colours come from `style.py`: the loss
in the loss phase's colour, accuracy in the update phase's, network outputs on the signed map.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import TwoSlopeNorm, to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from visualizer.functions.classes import class_indices
from visualizer.style import PHASE_COLORS, SIGNED_CMAP, format_number, text_color

# A wrong prediction: red, a colour none of the phases uses, so it cannot be read as one of them.
# Wrong images also get a thick frame and a bold title, so the mark does not rest on colour alone.
WRONG_COLOR = "#D62728"
NEUTRAL_COLOR = "0.35"  # guides that carry no phase: the chance diagonal, the best epoch, frames
COUNT_CMAP = "Blues"  # counts (confusion matrix): sequential, white at 0
CLASS_COLORS = "tab10"  # one colour per class (decision regions and their points)
MAX_IMAGES = 32
SMOOTHED_POINTS = 60  # the running mean of the step losses: its window is the steps divided by this
# How each image data set is usually shown: MNIST and Fashion-MNIST as stored (0 is the black
# background, 255 white ink: torchvision's and matplotlib's `cmap="gray"`), scikit-learn's digits
# dark on light (its own examples use gray_r).
USUAL_GREYS = {"digits": "gray_r", "mnist": "gray", "fashion-mnist": "gray"}
SPLITS = {"train": ("training", "-", "o"), "val": ("validation", "--", "s")}  # label, line style, marker


def _figure(size: tuple[float, float], title: str) -> Figure:
    fig = Figure(figsize=size, dpi=100, layout="constrained")
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig


def _names(classes, k: int) -> list[str]:
    names = [str(c) for c in classes] or [str(i) for i in range(k)]
    if len(names) < k:
        raise ValueError(f"{k} classes need {k} names, got {len(names)}")
    return names


def _class_colors(k: int) -> list:
    return list(colormaps[CLASS_COLORS if k <= 10 else "tab20"].colors)[:k]


def curves(history: dict, *, title: str, step_losses=None, steps_per_epoch: int = 0) -> Figure:
    """Loss per epoch (training solid, validation dashed) and, when there is one, accuracy per
    epoch beside it; `best_epoch` (early stopping) as a dotted vertical line in each panel.
    With `step_losses` (each step's mini-batch loss, `steps_per_epoch` to an epoch) the loss panel
    draws them too, thin and light, step k at epoch k / steps_per_epoch, with their running mean
    (over a sixtieth of the steps, when that is 3 or more) and the epoch-end losses on top."""
    panels = [("loss", PHASE_COLORS["loss"])]
    if any(history.get(f"{split}_accuracy") is not None for split in SPLITS):
        panels.append(("accuracy", PHASE_COLORS["update"]))
    fig = _figure((5.0 * len(panels) + 0.6, 4.2), title)
    for ax, (metric, color) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        if metric == "loss" and step_losses is not None and len(step_losses) and steps_per_epoch:
            steps = np.arange(1, len(step_losses) + 1) / steps_per_epoch
            ax.plot(steps, step_losses, color=color, lw=0.6, alpha=0.35, label="each step (its mini-batch)")
            window = len(step_losses) // SMOOTHED_POINTS  # a running mean shows the trend through the noise
            if window >= 3:
                mean = np.convolve(np.asarray(step_losses, dtype=np.float64), np.ones(window) / window, mode="valid")
                ax.plot(steps[window - 1 :], mean, color=color, lw=1.2, alpha=0.8, label=f"mean of {window} steps")
        _curve_panel(ax, history, metric, color)
        if step_losses is not None and len(step_losses) and steps_per_epoch:  # both panels from epoch 0
            ax.set_xlim(0, max(len(step_losses) / steps_per_epoch, 1))
    return fig


def _curve_panel(ax, history: dict, metric: str, color: str) -> None:
    epochs, best = list(history["epoch"]), history.get("best_epoch")
    at = best if best in epochs else epochs[-1]  # the value the legend quotes: at the best epoch, else the last
    for split, (name, style, marker) in SPLITS.items():
        values = history.get(f"{split}_{metric}")
        if values is None:
            continue
        quoted = format_number(values[epochs.index(at)], zeros=True)
        ax.plot(
            epochs,
            values,
            color=color,
            ls=style,
            lw=2,
            marker=marker if len(epochs) <= 30 else None,
            ms=4,
            label=f"{name}: {quoted} at epoch {at}",
        )
    if best is not None:
        ax.axvline(best, color=NEUTRAL_COLOR, ls=":", lw=1.5, label=f"best epoch {best} (early stopping)")
    ax.set_title(metric, color=color, fontweight="bold")
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)


def confusion(matrix, classes, *, title: str) -> Figure:
    """Counts of samples by actual class (rows) and predicted class (columns); the diagonal is right."""
    counts = np.asarray(matrix, dtype=np.int64)
    k = len(counts)
    names = _names(classes, k)
    side = min(max(4.6, 0.62 * k + 2.6), 13.0)
    fig = _figure((side + 0.9, side), title)
    ax = fig.add_subplot()
    image = ax.imshow(counts, cmap=COUNT_CMAP, vmin=0, vmax=max(int(counts.max()), 1))
    fig.colorbar(image, ax=ax, label="samples", shrink=0.8)
    fontsize = 11 if k <= 5 else 9 if k <= 12 else 6
    for (i, j), count in np.ndenumerate(counts):
        ax.text(
            j,
            i,
            str(count),
            ha="center",
            va="center",
            fontsize=fontsize,
            color=text_color(to_hex(image.to_rgba(count))),
        )
    long = max(len(n) for n in names[:k]) > 3
    ax.set_xticks(
        range(k), names[:k], rotation=40 if long else 0, ha="right" if long else "center", rotation_mode="anchor"
    )
    ax.set_yticks(range(k), names[:k])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("actual class")
    total, right = int(counts.sum()), int(np.trace(counts))
    share = f" ({format_number(100 * right / total)} %)" if total else ""
    ax.set_title(f"{right} of {total} on the diagonal: predicted right{share}", fontsize=10)
    return fig


def roc(fpr, tpr, auc: float | None, *, title: str) -> Figure:
    """The ROC curve (true positive rate against false positive rate over all thresholds), the area
    under it shaded, and the chance diagonal."""
    fig = _figure((5.4, 5.6), title)
    ax = fig.add_subplot()
    color = PHASE_COLORS["forward"]  # the network's outputs, ranked
    label = "ROC curve" if auc is None else f"ROC curve (AUC {format_number(auc, zeros=True)})"
    ax.plot(fpr, tpr, color=color, lw=2, label=label)
    ax.fill_between(fpr, tpr, color=color, alpha=0.12, lw=0)
    ax.plot([0, 1], [0, 1], color=NEUTRAL_COLOR, ls="--", lw=1.2, label="chance (AUC 0.5)")
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_aspect("equal")
    ax.set_xlabel("false positive rate (class 0 called 1)")
    ax.set_ylabel("true positive rate (class 1 found)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return fig


def image_grid(
    images, predicted, actual, classes, *, title: str, columns: int = 8, probabilities=None, cmap: str = "gray"
) -> Figure:
    """Up to 32 images in grey (`cmap`: see USUAL_GREYS), each titled "predicted / actual", or
    "predicted 97% / actual" with the network's probability of its prediction; wrong ones framed
    and titled in red."""
    images = _as_images(images)[:MAX_IMAGES]
    n = len(images)
    predicted, actual = class_indices(predicted)[:n], class_indices(actual)[:n]
    if len(predicted) < n or len(actual) < n:
        raise ValueError(f"{n} images need {n} predicted and actual classes, got {len(predicted)} and {len(actual)}")
    names = _names(classes, int(max(predicted.max(), actual.max())) + 1)
    rows, columns = math.ceil(n / columns), min(columns, n)
    shown = None if probabilities is None else [f" {p:.0%}" for p in np.asarray(probabilities, dtype=float)[:n]]
    two_lines = max(len(names[i]) for i in (*predicted, *actual)) > 5
    fig = _figure((1.35 * columns + 0.3, (1.75 if two_lines else 1.55) * rows + 0.6), title)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    low, high = float(images.min()), float(images.max())
    for i, (ax, image, p, a) in enumerate(zip(axes, images, predicted, actual)):
        wrong = p != a
        ax.imshow(image, cmap=cmap, vmin=low, vmax=high if high > low else low + 1, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(
            f"{names[p]}{shown[i] if shown else ''} /{chr(10) if two_lines else ' '}{names[a]}",
            fontsize=8,
            color=WRONG_COLOR if wrong else "black",
            fontweight="bold" if wrong else "normal",
        )
        for spine in ax.spines.values():
            spine.set_edgecolor(WRONG_COLOR if wrong else NEUTRAL_COLOR)
            spine.set_linewidth(3 if wrong else 0.6)
    for ax in axes[n:]:
        ax.remove()
    wrong = int((predicted != actual).sum())
    said = "predicted (its probability) / actual" if shown else "predicted / actual"
    fig.suptitle(f"{title}\ntitles: {said} · {wrong} of {n} wrong, framed in red", fontsize=12, fontweight="bold")
    return fig


def _as_images(images) -> np.ndarray:
    """n×h×w as given; n×d rows of a square picture (d = h·h, as data sets store them) reshaped."""
    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 2:
        side = math.isqrt(images.shape[1])
        if side * side != images.shape[1]:
            raise ValueError(f"rows of {images.shape[1]} pixels are not square pictures; pass n×h×w")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"images must be n×h×w with n ≥ 1, got shape {images.shape}")
    return images


def decision_boundary(predict, x, y, classes, *, title: str, task: str | None = None, resolution: int = 200) -> Figure:
    """The plane of two inputs x₁, x₂ shaded by the network's answer, its decision boundary drawn,
    and the samples on top in their true class's colour (black edges).

    `predict` maps an m×2 array to m×k probabilities (shaded by the predicted class) or m×1
    outputs (shaded on the signed map: a probability centred at 0.5, a regression output at 0
    when it changes sign, else at the middle of its range); n×2 softmax is shaded as P(class 1).
    `task` ("binary", "multiclass", "regression") is inferred when None.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 2 or len(x) == 0:
        raise ValueError(f"a decision boundary needs n×2 inputs (two features), got shape {x.shape}")
    (x1, x2), grid = _plane(x, resolution)
    out = np.asarray(predict(grid), dtype=np.float64).reshape(len(grid), -1)
    if out.shape[1] == 2 and task != "regression":
        out = out[:, 1:]  # binary softmax: P(class 1)
    task = task or _task(y, out, classes)
    fig = _figure((6.6, 5.4), title)
    ax = fig.add_subplot()
    if task == "multiclass":
        _class_regions(ax, x1, x2, out, x, class_indices(y), _names(classes, out.shape[1]))
    else:
        _output_shading(fig, ax, x1, x2, out[:, 0], x, y, classes, task)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    return fig


def _plane(x: np.ndarray, resolution: int):
    """A resolution × resolution grid over the data's range with a margin, and its points as m×2."""
    axes = []
    for column in x.T:
        low, high = float(column.min()), float(column.max())
        pad = 0.08 * (high - low) or 0.5
        axes.append(np.linspace(low - pad, high + pad, resolution))
    x1, x2 = np.meshgrid(*axes)
    return (x1, x2), np.column_stack([x1.ravel(), x2.ravel()])


def _task(y, out: np.ndarray, classes) -> str:
    if out.shape[1] > 1:
        return "multiclass"
    values = np.unique(np.asarray(y))
    binary = len(classes) == 2 or (np.isin(values, (0, 1)).all() and out.min() >= 0 and out.max() <= 1)
    return "binary" if binary else "regression"


def _class_regions(ax, x1, x2, out, x, labels, names) -> None:
    """Each class's region where its output is the highest; the boundary where it ties with the
    runner-up (a smooth line, interpolated between grid points, not the grid's staircase)."""
    k = out.shape[1]
    colors = _class_colors(k)
    for c in range(k):
        lead = (out[:, c] - np.delete(out, c, axis=1).max(axis=1)).reshape(x1.shape)  # > 0 where c wins
        if lead.max() > 0:
            ax.contourf(x1, x2, lead, levels=[0, np.inf], colors=[colors[c]], alpha=0.3)
        _boundary(ax, x1, x2, lead, 0.0, 1.2)
        mine = labels == c
        if mine.any():
            ax.scatter(
                x[mine, 0],
                x[mine, 1],
                color=colors[c],
                edgecolors="black",
                linewidths=0.6,
                s=28,
                label=names[c],
                zorder=3,
            )
    _legend(ax, "decision boundary", 1.2)


def _boundary(ax, x1, x2, surface, level: float, width: float) -> None:
    """The line where `surface` crosses `level`, when it does anywhere in the plane."""
    if surface.min() < level < surface.max():
        ax.contour(x1, x2, surface, levels=[level], colors="black", linewidths=width)


def _legend(ax, boundary: str, width: float) -> None:
    """The points' legend and a line for the boundary (a contour has no legend entry of its own)."""
    handles, labels = ax.get_legend_handles_labels()
    ax.legend([*handles, Line2D([], [], color="black", lw=width)], [*labels, boundary], fontsize=8, framealpha=0.9)


def _output_shading(fig, ax, x1, x2, out, x, y, classes, task: str) -> None:
    if task == "binary":
        norm, level = TwoSlopeNorm(vcenter=0.5, vmin=0.0, vmax=1.0), 0.5
        names = _names(classes, 2)
        label, boundary = f"network output: P({names[1]})", "decision boundary (P = 0.5)"
    else:
        targets = np.asarray(y, dtype=np.float64).reshape(len(x), -1)[:, 0]
        low, high = float(min(out.min(), targets.min())), float(max(out.max(), targets.max()))
        if high - low < 1e-12:
            low, high = low - 1, high + 1
        level = 0.0 if low < 0 < high else (low + high) / 2
        norm = TwoSlopeNorm(vcenter=level, vmin=low, vmax=high)
        label, boundary = "network output", f"output = {format_number(level)}"
    levels = np.linspace(0, 1, 21) if task == "binary" else MaxNLocator(20).tick_values(norm.vmin, norm.vmax)
    surface = np.clip(out, levels[0], levels[-1]).reshape(x1.shape)
    shading = ax.contourf(x1, x2, surface, levels=levels, cmap=SIGNED_CMAP, norm=norm, alpha=0.45)
    fig.colorbar(shading, ax=ax, label=label, shrink=0.9)
    _boundary(ax, x1, x2, surface, level, 1.8)
    cmap = colormaps[SIGNED_CMAP]
    if task == "binary":
        labels = class_indices(y)
        for c in (0, 1):
            mine = labels == c
            if mine.any():
                ax.scatter(
                    x[mine, 0],
                    x[mine, 1],
                    color=cmap(norm(float(c))),
                    edgecolors="black",
                    linewidths=0.6,
                    s=28,
                    label=names[c],
                    zorder=3,
                )
    else:
        ax.scatter(
            x[:, 0],
            x[:, 1],
            c=targets,
            cmap=cmap,
            norm=norm,
            edgecolors="black",
            linewidths=0.6,
            s=28,
            label="samples (colour: target)",
            zorder=3,
        )
    _legend(ax, boundary, 1.8)
