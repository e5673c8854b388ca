"""Issue 18's conventions of published examples: MAPE in percent (the lecture's, Keras's), ..."""

import pytest

from visualizer.errors import UsageError
from visualizer.network.mlp import run
from visualizer.network.spec import spec_from_table


def outputs_spec(loss: str, outputs: list[float], target: list[float], **more) -> dict:
    """A 1-n network whose output is `outputs` exactly (weights 0, the outputs as biases)."""
    n = len(outputs)
    table = {
        "sizes": [1, n],
        "output_activation": "identity",
        "loss": loss,
        "input": [0.0],
        "target": target,
        "weights": [[[0.0]] * n],
        "biases": [outputs],
    }
    return spec_from_table(table | more)


def test_mape_percent_is_keras_and_the_lecture():
    # Keras: 100 * mean(|y_true − y_pred| / |y_true|); the lecture: 100 %/N Σ |y − ŷ|/ŷ, ŷ the target
    step = run(outputs_spec("mean_absolute_percentage_error", [1.5, 5.0], [2.0, 4.0])).steps[0]
    assert step.loss == pytest.approx(100 / 2 * (0.5 / 2 + 1 / 4), rel=1e-15)  # 25 (%)
    fraction = run(outputs_spec("mape", [1.5, 5.0], [2.0, 4.0])).steps[0]
    assert fraction.loss == pytest.approx(0.25, rel=1e-15)  # mape stays a fraction


def test_mape_percent_refuses_a_target_of_0():
    with pytest.raises(UsageError, match="mape_percent divides by the target"):
        outputs_spec("mape_percent", [1.0], [0.0])


def test_a_sum_reduced_batch_matches_torchs_reduction_sum():
    import torch

    table = {
        "sizes": [2, 3, 2],
        "loss": "sse",
        "reduction": "sum",
        "input": [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]],
        "target": [[0.5, 0.1], [0.2, 0.9], [0.7, 0.3]],
    }
    spec = spec_from_table(table)
    step = run(spec).steps[0]
    W, b = ([torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in ws] for ws in spec.parameters())
    x, y = (torch.tensor(v, dtype=torch.float64) for v in spec.data())
    out = x
    for W_l, b_l in zip(W, b):
        out = torch.sigmoid(out @ W_l.T + b_l)
    loss = torch.nn.functional.mse_loss(out, y, reduction="sum")
    loss.backward()
    assert step.loss == pytest.approx(loss.item(), rel=1e-14)
    assert step.loss == pytest.approx(float(step.sample_losses.sum()), rel=1e-14)
    for layer, W_l, b_l in zip(step.layers, W, b):
        assert layer.grad_W == pytest.approx(W_l.grad.numpy(), rel=1e-12, abs=1e-15)
        assert layer.grad_b == pytest.approx(b_l.grad.numpy(), rel=1e-12, abs=1e-15)
    mean = run(spec_from_table(table | {"reduction": "mean"})).steps[0]
    assert step.loss == pytest.approx(3 * mean.loss, rel=1e-14)


@pytest.mark.parametrize("loss", ["mse", "cross_entropy", "multi_hinge", "mape_percent"])
def test_sum_reduction_passes_both_witnesses(loss):
    import numpy as np
    from helpers import fit_loss

    from visualizer.network.verify import verify

    rng = np.random.default_rng(3)
    table = {
        "sizes": [2, 3, 3],
        "activation": "tanh",
        "output_activation": "sigmoid",
        "loss": loss,
        "reduction": "sum",
        "l2": 0.01,
        "input": rng.uniform(-1, 1, (4, 2)).round(2).tolist(),
        "target": rng.uniform(0.1, 0.9, (4, 3)).round(2).tolist(),
    }
    report = verify(run(spec_from_table(fit_loss(table, rng)), 3))
    assert report.torch.passed and report.finite_difference.passed, report


def test_reduction_is_mean_or_sum():
    with pytest.raises(UsageError, match='reduction .* is "mean" or "sum"'):
        outputs_spec("mse", [1.0], [0.0], reduction="total")


def test_cs231n_svm_loss_sums_the_wrong_classes_with_a_margin():
    # CS231n's example: scores (13, −7, 11), the right class 0, Δ = 10: max(0, −7 − 13 + 10) + max(0, 11 − 13 + 10) = 8
    step = run(outputs_spec("multi_hinge_sum", [13.0, -7.0, 11.0], [0.0], margin=10)).steps[0]
    assert step.loss == 8.0
    torch_mean = run(outputs_spec("multi_hinge", [13.0, -7.0, 11.0], [0.0], margin=10)).steps[0]
    assert torch_mean.loss == pytest.approx(8.0 / 3, rel=1e-15)  # torch's multi_margin_loss: over the n classes


@pytest.mark.parametrize("loss", ["multi_hinge", "multi_hinge_sum"])
def test_a_margin_passes_both_witnesses(loss):
    from visualizer.network.verify import verify

    table = {
        "sizes": [2, 3, 3],
        "activation": "tanh",
        "output_activation": "identity",
        "loss": loss,
        "margin": 2.5,
        "input": [[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6]],
        "target": [[0], [2], [1]],
    }
    report = verify(run(spec_from_table(table), 3))
    assert report.torch.passed and report.finite_difference.passed, report


def test_a_margin_needs_a_hinge():
    with pytest.raises(UsageError, match="margin is the Δ of multi_hinge"):
        outputs_spec("mse", [1.0], [0.5], margin=2)
    with pytest.raises(UsageError, match="margin .* must be a number > 0"):
        outputs_spec("multi_hinge", [1.0, 2.0], [0.0], margin=-1)


def test_squared_hinge_is_keras_docstring_example():
    # Keras: y_true [[0, 1], [0, 0]] (0 read as −1), y_pred [[0.6, 0.4], [0.4, 0.6]] → [1.46, 2.26]
    table = {
        "sizes": [1, 2],
        "output_activation": "identity",
        "loss": "squared_hinge",
        "input": [[0.0], [1.0]],
        "target": [[-1.0, 1.0], [-1.0, -1.0]],
        "weights": [[[-0.2], [0.2]]],
        "biases": [[0.6, 0.4]],
    }
    step = run(spec_from_table(table)).steps[0]
    assert step.sample_losses == pytest.approx([1.46, 2.26], rel=1e-14)
    assert step.loss == pytest.approx(1.86, rel=1e-14)


@pytest.mark.parametrize("name", ["adam", "adamw", "rmsprop", "adagrad"])
def test_eps_0_is_torchs_where_no_denominator_is_0(name):
    from visualizer.network.verify import verify

    table = {"sizes": [2, 3, 1], "input": [[0.3, -0.2]], "target": [[0.4]], "optimizer": {"name": name, "eps": 0}}
    report = verify(run(spec_from_table(table), 3))
    assert report.torch.passed and report.torch.compared > 0, report.torch


@pytest.mark.parametrize("name", ["adam", "rmsprop", "adagrad"])
def test_eps_0_is_refused_with_its_reason_where_a_gradient_is_0(name):
    # the first input is 0, so its weights' gradients are 0 at step 1: 0/0
    table = {"sizes": [2, 3, 1], "input": [[0.0, -0.2]], "target": [[0.4]], "optimizer": {"name": name, "eps": 0}}
    with pytest.raises(UsageError, match="eps = 0 leaves the denominator"):
        run(spec_from_table(table))


def test_keras_adam_is_torchs_adam_with_eps_scaled_at_step_1():
    import torch

    # Keras adds ε to √v; torch to √v̂ = √v/√(1 − β₂): one step alike when ε_torch = ε/√(1 − β₂)
    table = {"sizes": [2, 2, 1], "input": [[0.3, -0.2]], "target": [[0.4]]}
    keras = {"name": "adam_keras", "lr": 0.1, "eps": 0.01}
    step = run(spec_from_table(table | {"optimizer": keras})).steps[0]
    spec = spec_from_table(table | {"optimizer": {"name": "adam", "lr": 0.1, "eps": 0.01 / (1 - 0.999) ** 0.5}})
    ours_torch = run(spec).steps[0]
    for a, b in zip(step.layers, ours_torch.layers):
        assert a.W_new == pytest.approx(b.W_new, rel=1e-13)
    W = torch.tensor(step.layers[0].W, requires_grad=True)
    W.grad = torch.tensor(step.layers[0].grad_W)
    optimizer = torch.optim.Adam([W], lr=0.1, eps=0.01 / (1 - 0.999) ** 0.5)
    optimizer.step()
    assert step.layers[0].W_new == pytest.approx(W.detach().numpy(), rel=1e-13)


def test_keras_rmsprop_puts_eps_inside_the_root():
    table = {"sizes": [1, 1], "input": [[1.0]], "target": [[0.0]], "output_activation": "identity"}
    table |= {"weights": [[[0.5]]], "biases": [[0.0]], "loss": "half_sse"}
    layer = run(spec_from_table(table | {"optimizer": {"name": "rmsprop_keras", "lr": 0.1, "eps": 0.01}})).steps[0]
    g = layer.layers[0].grad_W[0, 0]  # 0.5: a − y, times x = 1
    s = 0.1 * g * g
    assert layer.layers[0].W_new[0, 0] == pytest.approx(0.5 - 0.1 * g / (s + 0.01) ** 0.5, rel=1e-15)


def test_a_sum_reduced_batchs_own_answers_pass_the_marking():
    from visualizer.exercises.marking import Marker

    table = {"sizes": [2, 2, 1], "reduction": "sum", "input": [[0.1, 0.2], [0.3, -0.4]], "target": [[0.5], [0.2]]}
    marker = Marker(run(spec_from_table(table)), 4)
    answers = {q.key: float(q.shown) for q in marker.every}
    assert marker.mark(answers, marker.every).passed
    E = next(key for key in answers if key in ("E", "E_data"))
    assert not marker.mark({**answers, E: answers[E] / 2}, marker.every).passed  # the mean is wrong here
