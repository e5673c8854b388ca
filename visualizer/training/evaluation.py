"""How good a trained network is on data it is shown: the metrics of `backprop train`.

Classification (each sample has one true class; the network predicts the class it scores highest):

- accuracy: the share of samples whose predicted class is the true one.
- precision of a class: of the samples predicted as that class, the share that really are it
  ("when it says cat, how often is it a cat?").
- recall of a class: of the samples that really are that class, the share predicted as it
  ("of all the cats, how many did it find?").
- F1 of a class: the harmonic mean of its precision and recall, 2PR / (P + R); high only when both are.
- macro average: the plain mean over the classes, so a rare class counts as much as a common one.
  A class that is never predicted (or never present) scores 0 there, not an error.
- confusion matrix: row = actual class, column = predicted class, each cell a count of samples;
  the diagonal holds the correct ones.
- ROC curve (binary only): for every threshold on the probability of class 1, the true positive
  rate (recall of class 1) against the false positive rate (the share of class 0 called 1).
  AUC, the area under it, is the chance that a random sample of class 1 scores higher than a
  random sample of class 0: 0.5 is guessing, 1 is a perfect ranking.

Regression (each sample has t target numbers; errors are averaged over samples and outputs):

- MSE: the mean of the squared errors (ŷ − y)², in the targets' unit squared; punishes big misses.
- MAE: the mean of |ŷ − y|, in the targets' unit.
- MAPE: the mean of |ŷ − y| / |y|, a fraction (0.05 is 5 %), as the `mape` loss; targets of 0
  have no relative error and are skipped, and `mape_skipped` counts them.
- R²: 1 − (squared error) / (squared spread of the targets around their mean): 1 is perfect,
  0 is no better than always predicting the mean, below 0 is worse than that.

Every function takes numpy arrays and returns plain Python values, so a report is JSON as it is.
"""

from __future__ import annotations

import math

import numpy as np

from visualizer.functions.classes import class_indices, predicted_class
from visualizer.style import format_number

TASKS = ("binary", "multiclass", "regression")


def evaluate(task: str, y_true: np.ndarray, output: np.ndarray, classes: tuple[str, ...] = ()) -> dict:
    """The metrics of `output` (the network's) against `y_true`, as a JSON-serialisable dict.

    binary: y_true n×1 of 0/1; output n×1 probabilities of class 1 (sigmoid) or n×2 softmax
    probabilities (column 1 is used); class 1 when its probability ≥ 0.5.
    multiclass: y_true n×1 class indices (or n×k one-hot rows); output n×k probabilities or
    scores; the predicted class is the argmax.
    regression: y_true n×t, output n×t.

    Classification returns {"task", "n", "accuracy", "precision", "recall", "f1" (each
    {"macro": .., "per_class": {name: ..}}), "support": {name: count}, "confusion_matrix"
    (rows actual, columns predicted), "classes"} and for binary "roc": {"auc", "fpr", "tpr"}, or
    None when y_true holds one class only (no curve exists then). Regression returns {"task",
    "n", "outputs", "mse", "mae", "mape", "mape_skipped" (entries with target 0), "r2"}. A
    metric that is undefined (R² of one sample, MAPE of all-zero targets) is None.
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    y_true, output = _as_2d(y_true), _as_2d(output).astype(np.float64)
    if len(y_true) != len(output) or len(y_true) == 0:
        raise ValueError(f"y_true has {len(y_true)} rows and output {len(output)}; they must be equal and not 0")
    if task == "regression":
        return _regression(y_true.astype(np.float64), output)
    return _classification(task, y_true, output, tuple(classes))


def _as_2d(a) -> np.ndarray:
    a = np.asarray(a)
    return a.reshape(-1, 1) if a.ndim == 1 else a


def _number(value) -> float | None:
    """A metric as a plain float, None when it is undefined (nan)."""
    value = float(value)
    return value if math.isfinite(value) else None


def _class_indices(y_true: np.ndarray, k: int) -> np.ndarray:
    labels = class_indices(y_true)
    given = y_true[:, 0] if y_true.shape[1] == 1 else labels  # indices as given: 1.5 is no class
    if not np.all(np.isin(given, np.arange(k))):
        raise ValueError(f"class labels must be the integers 0 … {k - 1}; got {np.unique(given)[:10]}")
    return labels


def _classification(task: str, y_true: np.ndarray, output: np.ndarray, classes: tuple[str, ...]) -> dict:
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    if task == "binary":
        if output.shape[1] not in (1, 2):
            raise ValueError(f"binary output must be n×1 or n×2, got n×{output.shape[1]}")
        scores = output[:, -1]  # probability of class 1: the sigmoid's, or softmax column 1
        predicted, k = predicted_class(scores[:, None]), 2
    else:
        predicted, k = predicted_class(output), max(output.shape[1], len(classes))
    names = [str(c) for c in classes] or [str(i) for i in range(k)]
    if len(names) != k or len(set(names)) != k:
        raise ValueError(f"{k} classes need {k} distinct names, got {names}")
    actual = _class_indices(y_true, k)
    labels = list(range(k))
    p, r, f, support = precision_recall_fscore_support(actual, predicted, labels=labels, zero_division=0)

    def scores_of(values) -> dict:
        return {"macro": float(np.mean(values)), "per_class": {n: float(v) for n, v in zip(names, values)}}

    report = {
        "task": task,
        "n": len(actual),
        "accuracy": float(accuracy_score(actual, predicted)),
        "precision": scores_of(p),
        "recall": scores_of(r),
        "f1": scores_of(f),
        "support": {n: int(s) for n, s in zip(names, support)},
        "confusion_matrix": confusion_matrix(actual, predicted, labels=labels).tolist(),
        "classes": names,
    }
    if task == "binary":
        report["roc"] = _roc(actual, scores)
    return report


def _roc(actual: np.ndarray, scores: np.ndarray) -> dict | None:
    from sklearn.metrics import roc_auc_score, roc_curve

    if len(np.unique(actual)) < 2:
        return None
    fpr, tpr, _ = roc_curve(actual, scores)
    return {"auc": float(roc_auc_score(actual, scores)), "fpr": fpr.tolist(), "tpr": tpr.tolist()}


def _regression(y_true: np.ndarray, output: np.ndarray) -> dict:
    from sklearn.metrics import mean_absolute_error, mean_absolute_percentage_error, mean_squared_error, r2_score

    if y_true.shape != output.shape:
        raise ValueError(f"y_true is {y_true.shape} and output {output.shape}; they must match")
    kept = y_true != 0
    mape = mean_absolute_percentage_error(y_true[kept], output[kept]) if kept.any() else math.nan
    r2 = r2_score(y_true, output) if len(y_true) > 1 else math.nan  # one sample has no spread
    return {
        "task": "regression",
        "n": len(y_true),
        "outputs": y_true.shape[1],
        "mse": float(mean_squared_error(y_true, output)),
        "mae": float(mean_absolute_error(y_true, output)),
        "mape": _number(mape),
        "mape_skipped": int((~kept).sum()),
        "r2": _number(r2),
    }


def report_table(report: dict, *, title: str):
    """A rich Table of an `evaluate` report, numbers at 4 significant digits.

    Classification: accuracy (and ROC AUC for binary), the macro averages, then one row per class
    with its precision, recall, F1 and support. Regression: MSE, MAE, MAPE and R², each with
    what it means. Styles are rich's named ones, so any console's theme colours them.
    """
    from rich import box
    from rich.table import Table

    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_style="table.title",
        header_style="table.header",
        caption_style="table.caption",
    )
    if report["task"] == "regression":
        _regression_rows(table, report)
    else:
        _classification_rows(table, report)
    return table


def _shown(value: float | None) -> str:
    """A computed metric keeps its trailing zeros (0.2000), so a column's digits line up."""
    return "undefined" if value is None else format_number(value, zeros=True)


def _classification_rows(table, report: dict) -> None:
    table.add_column("class")
    for column in ("precision", "recall", "F1", "support"):
        table.add_column(column, justify="right")
    n = str(report["n"])
    table.add_row("accuracy", "", "", _shown(report["accuracy"]), n, style="bold")
    if report["task"] == "binary":
        auc = report["roc"]["auc"] if report["roc"] else None
        table.add_row("ROC AUC", "", "", _shown(auc), "")
    table.add_row(
        "macro average", *(_shown(report[m]["macro"]) for m in ("precision", "recall", "f1")), n, end_section=True
    )
    for name in report["classes"]:
        table.add_row(
            name,
            *(_shown(report[m]["per_class"][name]) for m in ("precision", "recall", "f1")),
            str(report["support"][name]),
        )
    table.caption = "precision: right among those predicted · recall: found among those actual · F1: both"


def _regression_rows(table, report: dict) -> None:
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("meaning", style="dim")
    mape = report["mape"]
    mape_text = "undefined" if mape is None else f"{_shown(mape)} ({format_number(100 * mape)} %)"
    skipped = report["mape_skipped"]
    skipped = f"; {skipped} target{'s' * (skipped != 1)} of 0 skipped" if skipped else ""
    table.add_row("MSE", _shown(report["mse"]), "mean of (ŷ − y)²")
    table.add_row("MAE", _shown(report["mae"]), "mean of |ŷ − y|")
    table.add_row("MAPE", mape_text, f"mean of |ŷ − y| / |y|{skipped}")
    table.add_row("R²", _shown(report["r2"]), "1 perfect, 0 as good as predicting the mean")
    outputs = report["outputs"]
    table.caption = f"{report['n']} samples × {outputs} output{'s' * (outputs != 1)}"
