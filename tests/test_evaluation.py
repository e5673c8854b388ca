"""Evaluation metrics: hand-computed cases for each task, both binary output forms, undefined
metrics as None, plain JSON, and the rich table a person reads."""

import json

import numpy as np
import pytest
from rich.console import Console

from visualizer.style import format_number
from visualizer.training.evaluation import evaluate, report_table

# 6 samples of 3 classes; predicted 0 0 1 | 1 2 | 2 (rows of the confusion matrix are actual)
ACTUAL = np.array([[0], [0], [0], [1], [1], [2]])
PREDICTED = np.array([0, 0, 1, 1, 2, 2])
CLASSES = ("cat", "dog", "T-shirt/top")


def scores_for(predicted, k, seed=0):
    """Softmax-like rows whose argmax is `predicted`."""
    rng = np.random.default_rng(seed)
    s = rng.random((len(predicted), k)) * 0.4
    s[np.arange(len(predicted)), predicted] += 1.0
    return s / s.sum(axis=1, keepdims=True)


def plain(value) -> bool:
    """Only the types json writes natively: no numpy scalars or arrays anywhere."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def render(table) -> str:
    console = Console(width=100, color_system=None, record=True)
    console.print(table)
    return console.export_text()


def test_multiclass_by_hand():
    r = evaluate("multiclass", ACTUAL, scores_for(PREDICTED, 3), CLASSES)
    assert r["task"] == "multiclass" and r["n"] == 6 and r["classes"] == list(CLASSES)
    assert r["accuracy"] == pytest.approx(4 / 6)
    assert r["confusion_matrix"] == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    precision, recall, f1 = [1, 1 / 2, 1 / 2], [2 / 3, 1 / 2, 1], [0.8, 0.5, 2 / 3]
    for metric, expected in (("precision", precision), ("recall", recall), ("f1", f1)):
        assert list(r[metric]["per_class"]) == list(CLASSES)
        assert list(r[metric]["per_class"].values()) == pytest.approx(expected)
        assert r[metric]["macro"] == pytest.approx(np.mean(expected))
    assert r["support"] == {"cat": 3, "dog": 2, "T-shirt/top": 1}
    assert "roc" not in r
    assert plain(r) and json.loads(json.dumps(r, allow_nan=False)) == r


def test_multiclass_takes_scores_one_hot_targets_and_default_names():
    logits = np.log(scores_for(PREDICTED, 3)) * 7 - 3  # any scores: only the argmax matters
    one_hot = np.eye(3)[ACTUAL[:, 0]]
    r = evaluate("multiclass", one_hot, logits)
    assert r["classes"] == ["0", "1", "2"] and r["accuracy"] == pytest.approx(4 / 6)
    assert r["confusion_matrix"] == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]


def test_a_class_never_seen_nor_predicted_scores_zero_not_an_error():
    r = evaluate("multiclass", ACTUAL, scores_for(PREDICTED, 4), (*CLASSES, "bird"))
    assert r["precision"]["per_class"]["bird"] == 0 and r["recall"]["per_class"]["bird"] == 0
    assert r["support"]["bird"] == 0 and r["confusion_matrix"][3] == [0, 0, 0, 0]
    assert r["precision"]["macro"] == pytest.approx((1 + 0.5 + 0.5 + 0) / 4)


def test_binary_perfect_classifier_in_both_output_forms():
    y = np.array([[0], [0], [1], [1], [0], [1]])
    p = np.array([0.1, 0.4, 0.6, 0.9, 0.3, 0.55])
    sigmoid = evaluate("binary", y, p[:, None], ("benign", "malignant"))
    softmax = evaluate("binary", y, np.column_stack([1 - p, p]), ("benign", "malignant"))
    assert sigmoid == softmax
    assert sigmoid["accuracy"] == 1 and sigmoid["f1"]["macro"] == 1
    assert sigmoid["confusion_matrix"] == [[3, 0], [0, 3]]
    roc = sigmoid["roc"]
    assert roc["auc"] == 1.0
    assert roc["fpr"][0] == 0 and roc["tpr"][-1] == 1 and roc["fpr"][-1] == 1
    assert len(roc["fpr"]) == len(roc["tpr"]) and np.all(np.diff(roc["fpr"]) >= 0)
    assert plain(sigmoid)


def test_binary_threshold_is_one_half():
    r = evaluate("binary", np.array([[0], [1], [1], [0]]), np.array([[0.49], [0.5], [0.2], [0.8]]))
    assert r["confusion_matrix"] == [[1, 1], [1, 1]] and r["classes"] == ["0", "1"]


def test_binary_random_classifier_has_auc_near_one_half():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, (4000, 1))
    r = evaluate("binary", y, rng.random((4000, 1)))
    assert r["roc"]["auc"] == pytest.approx(0.5, abs=0.03)
    assert r["accuracy"] == pytest.approx(0.5, abs=0.03)
    json.dumps(r, allow_nan=False)


def test_binary_with_one_class_present_has_no_roc():
    r = evaluate("binary", np.ones((5, 1)), np.full((5, 1), 0.7))
    assert r["roc"] is None and r["accuracy"] == 1.0
    assert "undefined" in render(report_table(r, title="one class"))


def test_regression_by_hand_with_a_zero_target():
    y = np.array([[1.0], [2.0], [0.0], [4.0]])
    out = np.array([[1.5], [2.0], [1.0], [3.0]])  # errors 0.5, 0, 1, −1
    r = evaluate("regression", y, out)
    assert r["task"] == "regression" and r["n"] == 4 and r["outputs"] == 1
    assert r["mse"] == pytest.approx((0.25 + 0 + 1 + 1) / 4)
    assert r["mae"] == pytest.approx(2.5 / 4)
    assert r["mape"] == pytest.approx((0.5 / 1 + 0 / 2 + 1 / 4) / 3) and r["mape_skipped"] == 1
    ss_tot = sum((v - 1.75) ** 2 for v in (1, 2, 0, 4))
    assert r["r2"] == pytest.approx(1 - 2.25 / ss_tot)
    assert plain(r) and json.loads(json.dumps(r, allow_nan=False)) == r


def test_regression_averages_over_outputs_and_flags_undefined_metrics():
    y = np.array([[1.0, 10.0], [3.0, 20.0]])
    r = evaluate("regression", y, y + [[1.0, 2.0], [-1.0, 0.0]])
    assert r["outputs"] == 2 and r["mse"] == pytest.approx((1 + 4 + 1 + 0) / 4)
    assert r["mape"] == pytest.approx((1 + 0.2 + 1 / 3 + 0) / 4) and r["mape_skipped"] == 0
    single = evaluate("regression", np.zeros((1, 1)), np.ones((1, 1)))
    assert single["r2"] is None and single["mape"] is None and single["mape_skipped"] == 1
    json.dumps(single, allow_nan=False)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: evaluate("ranking", ACTUAL, ACTUAL), "unknown task"),
        (lambda: evaluate("multiclass", ACTUAL, np.ones((5, 3))), "rows"),
        (lambda: evaluate("multiclass", ACTUAL, np.ones((6, 2))), "integers 0 … 1"),
        (lambda: evaluate("multiclass", ACTUAL, np.ones((6, 3)), ("a", "b")), "3 classes need 3 distinct names"),
        (lambda: evaluate("binary", ACTUAL, np.ones((6, 3))), "n×1 or n×2"),
        (lambda: evaluate("regression", np.ones((3, 2)), np.ones((3, 1))), "must match"),
    ],
)
def test_bad_input_says_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_table_of_a_classification_report():
    r = evaluate("multiclass", ACTUAL, scores_for(PREDICTED, 3), CLASSES)
    text = render(report_table(r, title="Test set"))
    assert "Test set" in text
    for name in CLASSES:
        assert name in text
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip()}
    assert format_number(4 / 6, zeros=True) == "0.6667" and "0.6667" in lines["accuracy"]
    assert "1.000" in lines["cat"] and "0.6667" in lines["cat"] and lines["cat"].rstrip().endswith("3")
    assert "macro" in text and "ROC AUC" not in text


def test_table_of_a_binary_report_shows_auc():
    y = np.array([[0], [1], [1], [0], [1]])
    r = evaluate("binary", y, np.array([[0.2], [0.7], [0.4], [0.6], [0.9]]), ("no", "yes"))
    text = render(report_table(r, title="binary"))
    auc_line = next(line for line in text.splitlines() if "ROC AUC" in line)
    assert format_number(r["roc"]["auc"], zeros=True) in auc_line
    assert "no" in text and "yes" in text


def test_table_of_a_regression_report():
    r = evaluate("regression", np.array([[1.0], [2.0], [0.0], [4.0]]), np.array([[1.5], [2.0], [1.0], [3.0]]))
    text = render(report_table(r, title="Regression"))
    for label, value in (("MSE", "0.5625"), ("MAE", "0.6250"), ("MAPE", "0.2500"), ("R²", "0.7429")):
        assert value in next(line for line in text.splitlines() if line.strip().startswith(label))
    assert "25 %" in text and "1 target of 0 skipped" in text
