"""Figures of a training run: their structure (axes, labels, cell counts, marks on wrong images,
the chance diagonal, contours and points) and that each one saves as a real, non-blank PNG."""

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from PIL import Image

from visualizer.render.diagrams import save
from visualizer.style import PHASE_COLORS
from visualizer.training import plots as tp

FASHION = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def history(accuracy=True, validation=True, best=7):
    epochs = list(range(1, 11))
    loss = [1 / e for e in epochs]
    acc = [1 - 0.5 / e for e in epochs]
    return {
        "epoch": epochs,
        "train_loss": loss,
        "val_loss": [v + 0.1 for v in loss] if validation else None,
        "train_accuracy": acc if accuracy else None,
        "val_accuracy": [a - 0.05 for a in acc] if accuracy and validation else None,
        "best_epoch": best,
    }


def moons(n=60, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    return x, (x[:, 1] > 0.3 * np.sin(3 * x[:, 0])).astype(int)[:, None]


def sigmoid_predict(g):
    return 1 / (1 + np.exp(-4 * (g[:, 1:2] - 0.3 * np.sin(3 * g[:, :1]))))


def softmax3_predict(g):
    s = np.column_stack([g[:, 0], g[:, 1], -g[:, 0] - g[:, 1]]) * 3
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def data_axes(fig: Figure):
    """The Axes that are not colorbars."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def scatter_points(ax) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


# curves


def test_curves_have_loss_and_accuracy_panels_with_train_and_validation():
    fig = tp.curves(history(), title="digits · 64-32-10")
    assert isinstance(fig, Figure) and fig._suptitle.get_text() == "digits · 64-32-10"
    loss_ax, acc_ax = fig.axes
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert [ax.get_xlabel() for ax in fig.axes] == ["epoch", "epoch"]
    for ax, color in ((loss_ax, PHASE_COLORS["loss"]), (acc_ax, PHASE_COLORS["update"])):
        train, val, best = ax.get_lines()
        assert to_rgba(train.get_color()) == to_rgba(val.get_color()) == to_rgba(color)
        assert (train.get_linestyle(), val.get_linestyle()) == ("-", "--")
        assert list(best.get_xdata()) == [7, 7]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[0].startswith("training") and legend[1].startswith("validation")
        assert "at epoch 7" in legend[0] and legend[2] == "best epoch 7 (early stopping)"
    assert loss_ax.get_legend().get_texts()[1].get_text() == "validation: 0.2429 at epoch 7"  # 1/7 + 0.1


def test_curves_without_accuracy_or_validation_have_one_panel():
    fig = tp.curves(history(accuracy=False, validation=False, best=None), title="regression")
    (ax,) = fig.axes
    assert ax.get_ylabel() == "loss" and len(ax.get_lines()) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["training: 0.1000 at epoch 10"]


# confusion matrix


def test_confusion_cells_show_the_counts_rows_actual_columns_predicted():
    matrix = np.arange(100).reshape(10, 10) * 7 % 97
    fig = tp.confusion(matrix.tolist(), FASHION, title="fashion-mnist")
    (ax,) = data_axes(fig)
    assert [t.get_text() for t in ax.texts] == [str(c) for c in matrix.ravel()]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "actual class")
    assert [t.get_text() for t in ax.get_xticklabels()] == list(FASHION)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(FASHION)
    assert all(t.get_rotation() == 40 for t in ax.get_xticklabels())  # long names slant
    ink = {t.get_text(): to_rgba(t.get_color()) for t in ax.texts}
    assert ink[str(matrix.max())] == to_rgba("white") and ink["0"] == to_rgba("black")
    assert f"{np.trace(matrix)} of {matrix.sum()}" in ax.get_title()


def test_confusion_short_names_stay_upright():
    fig = tp.confusion([[5, 1], [0, 4]], ("0", "1"), title="xor")
    (ax,) = data_axes(fig)
    assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())
    assert [t.get_text() for t in ax.texts] == ["5", "1", "0", "4"]


# ROC


def test_roc_has_the_curve_the_dashed_chance_diagonal_and_auc_in_the_legend():
    fig = tp.roc([0, 0, 0.5, 1], [0, 0.5, 1, 1], 0.875, title="breast cancer")
    (ax,) = fig.axes
    curve, chance = ax.get_lines()
    assert list(curve.get_xdata()) == [0, 0, 0.5, 1]
    assert (list(chance.get_xdata()), list(chance.get_ydata()), chance.get_linestyle()) == ([0, 1], [0, 1], "--")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["ROC curve (AUC 0.8750)", "chance (AUC 0.5)"]
    assert ax.get_aspect() == 1.0 and "false positive rate" in ax.get_xlabel()


# image grid


def test_image_grid_one_axes_per_image_wrong_ones_in_red():
    rng = np.random.default_rng(0)
    actual = np.arange(10)
    predicted = actual.copy()
    predicted[[2, 7]] = [6, 9]
    fig = tp.image_grid(rng.random((10, 28, 28)), predicted, actual, FASHION, title="fashion-mnist", columns=4)
    assert len(fig.axes) == 10
    assert "2 of 10 wrong" in fig._suptitle.get_text()
    for i, ax in enumerate(fig.axes):
        wrong = i in (2, 7)
        color = to_rgba(tp.WRONG_COLOR) if wrong else to_rgba("black")
        assert to_rgba(ax.title.get_color()) == color
        assert all((to_rgba(s.get_edgecolor()) == to_rgba(tp.WRONG_COLOR)) == wrong for s in ax.spines.values())
        assert ax.get_images()[0].get_array().shape == (28, 28)
    assert fig.axes[2].get_title() == "Shirt /\nPullover" and fig.axes[0].get_title() == "T-shirt/top /\nT-shirt/top"


def test_image_grid_caps_at_32_and_takes_flat_rows():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 10, 40)
    fig = tp.image_grid(rng.random((40, 64)), labels, labels, [str(i) for i in range(10)], title="digits")
    assert len(fig.axes) == 32 and "0 of 32 wrong" in fig._suptitle.get_text()
    assert fig.axes[0].get_images()[0].get_array().shape == (8, 8)
    assert fig.axes[0].get_title() == f"{labels[0]} / {labels[0]}"  # short names: one line


def test_image_grid_refuses_rows_that_are_not_square_pictures():
    with pytest.raises(ValueError, match="not square"):
        tp.image_grid(np.zeros((3, 10)), [0, 0, 0], [0, 0, 0], ("a",), title="bad")


def test_wrong_color_is_not_a_phase_color():
    assert to_rgba(tp.WRONG_COLOR) not in {to_rgba(c) for c in PHASE_COLORS.values()}


# decision boundary


def test_decision_boundary_binary_shades_the_probability_and_draws_p_one_half():
    x, y = moons()
    fig = tp.decision_boundary(sigmoid_predict, x, y, ("below", "above"), title="moons")
    (ax,) = data_axes(fig)
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert any(list(c.levels) == [0.5] for c in contours)  # the boundary
    assert scatter_points(ax) == len(x)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x₁", "x₂")
    assert len(fig.axes) == 2  # and a colorbar
    assert "decision boundary (P = 0.5)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_decision_boundary_softmax_binary_equals_sigmoid_form():
    x, y = moons()
    two = tp.decision_boundary(
        lambda g: np.column_stack([1 - sigmoid_predict(g), sigmoid_predict(g)]), x, y, ("below", "above"), title="moons"
    )
    (ax,) = data_axes(two)
    assert any(list(c.levels) == [0.5] for c in ax.collections if isinstance(c, ContourSet))


def test_decision_boundary_multiclass_regions_and_one_point_per_sample():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(90, 2))
    y = softmax3_predict(x).argmax(axis=1)[:, None]
    fig = tp.decision_boundary(softmax3_predict, x, y, ("a", "b", "c"), title="blobs")
    (ax,) = fig.axes  # no colorbar: colours are classes
    assert any(isinstance(c, ContourSet) for c in ax.collections)
    assert scatter_points(ax) == 90
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c", "decision boundary"]


def test_decision_boundary_regression_centres_the_signed_map_at_zero():
    rng = np.random.default_rng(3)
    x = rng.uniform(-2, 2, (50, 2))
    y = (x[:, 0] * x[:, 1])[:, None]
    fig = tp.decision_boundary(lambda g: (g[:, 0] * g[:, 1])[:, None], x, y, (), title="x₁·x₂")
    (ax,) = data_axes(fig)
    assert any(list(c.levels) == [0.0] for c in ax.collections if isinstance(c, ContourSet))
    assert scatter_points(ax) == 50


# files


def figures():
    rng = np.random.default_rng(4)
    x, y = moons()
    labels = rng.integers(0, 10, 16)
    return {
        "curves": lambda: tp.curves(history(), title="curves"),
        "confusion": lambda: tp.confusion(rng.integers(0, 50, (10, 10)), FASHION, title="confusion"),
        "roc": lambda: tp.roc([0, 0.1, 0.3, 1], [0, 0.6, 0.9, 1], 0.86, title="roc"),
        "image_grid": lambda: tp.image_grid(rng.random((16, 8, 8)), (labels + 1) % 10, labels, FASHION, title="images"),
        "decision_boundary": lambda: tp.decision_boundary(sigmoid_predict, x, y, (), title="boundary"),
    }


@pytest.mark.parametrize("kind", list(figures()))
def test_each_figure_saves_as_a_real_picture(kind, tmp_path):
    path = tmp_path / f"{kind}.png"
    save(figures()[kind](), path, dpi=72)  # low resolution: fast, still a whole picture
    with Image.open(path) as image:
        assert image.format == "PNG" and min(image.size) >= 250
        pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 10 and pixels.std() > 10
    assert list(tmp_path.iterdir()) == [path]  # written whole, no temporary left behind


def test_decision_boundary_without_a_boundary_in_view_draws_no_line(recwarn):
    x, y = moons()
    fig = tp.decision_boundary(lambda g: np.full((len(g), 1), 0.9), x, y, ("no", "yes"), title="one class everywhere")
    (ax,) = data_axes(fig)
    assert not any(list(c.levels) == [0.5] for c in ax.collections if isinstance(c, ContourSet))
    assert scatter_points(ax) == len(x) and not [w for w in recwarn if "contour" in str(w.message)]
