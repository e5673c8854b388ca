"""Losses of a regression, a prediction of numbers: the squared errors (MSE, SSE, ½·SSE, the
lecture's worked example), the absolute errors (MAE) and the errors relative to the target (MAPE)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from visualizer.core.engine import Node
from visualizer.core.expr import HALF, Abs, Const, Div, Square, Sub, mul, sign

from .base import Loss

MSE = Loss(
    name="mse",
    description="the mean over the outputs, then over the batch",
    term=lambda a, y: (a - y) ** 2,
    term_formula=lambda a, y: Square(Sub(a, y)),
    reduction="mean",
    grad_factor=Fraction(2),
    term_gradient=lambda a, y: Sub(a, y),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} (a_i - y_i)^2",
    text="E = (1/n) Σᵢ (aᵢ − yᵢ)²",
    # mean over all batch×n elements equals the mean over samples of the per-sample means
    torch=lambda torch, a, y: torch.nn.functional.mse_loss(a, y),
    torch_terms=lambda torch, a, y: torch.nn.functional.mse_loss(a, y, reduction="none"),
    torch_name="torch.nn.functional.mse_loss",
)

SSE = Loss(
    name="sse",
    description="the sum over the outputs, averaged over the batch",
    term=lambda a, y: (a - y) ** 2,
    term_formula=lambda a, y: Square(Sub(a, y)),
    reduction="sum",
    grad_factor=Fraction(2),
    term_gradient=lambda a, y: Sub(a, y),
    latex=r"E = \sum_{i=1}^{n} (a_i - y_i)^2",
    text="E = Σᵢ (aᵢ − yᵢ)²",
    torch=lambda torch, a, y: torch.nn.functional.mse_loss(a, y, reduction="sum") / a.shape[0],
    torch_terms=lambda torch, a, y: torch.nn.functional.mse_loss(a, y, reduction="none"),
    torch_name="torch.nn.functional.mse_loss",
)

HALF_SSE = Loss(
    name="half_sse",
    description="half the sum over the outputs (the ½ cancels the 2 of the derivative), averaged over the batch",
    term=lambda a, y: 0.5 * (y - a) ** 2,
    term_formula=lambda a, y: mul(HALF, Square(Sub(y, a))),
    reduction="sum",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Sub(a, y),
    latex=r"E = \frac{1}{2}\sum_{i=1}^{n} (y_i - a_i)^2",
    text="E = ½ Σᵢ (yᵢ − aᵢ)²",
    torch=lambda torch, a, y: 0.5 * torch.nn.functional.mse_loss(a, y, reduction="sum") / a.shape[0],
    torch_terms=lambda torch, a, y: 0.5 * torch.nn.functional.mse_loss(a, y, reduction="none"),
    torch_name="torch.nn.functional.mse_loss",
)

MAE = Loss(
    name="mae",
    description="the mean over the outputs of the absolute errors, then over the batch",
    term=lambda a, y: (a - y).abs(),
    term_formula=lambda a, y: Abs(Sub(a, y)),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: sign(Sub(a, y)),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \left|a_i - y_i\right|",
    text="E = (1/n) Σᵢ |aᵢ − yᵢ|",
    torch=lambda torch, a, y: torch.nn.functional.l1_loss(a, y),
    torch_terms=lambda torch, a, y: torch.nn.functional.l1_loss(a, y, reduction="none"),
    torch_name="torch.nn.functional.l1_loss",
)


def _no_zero_target(name: str):
    def problem(y: np.ndarray, n: int) -> str | None:
        zeros = np.argwhere(y == 0)
        if not len(zeros):
            return None
        s, i = zeros[0] + 1
        return (
            f"{name} divides by the target, and target {i} of sample {s} is 0 (the error would be infinite); use "
            f"mae, or give targets that are not 0 with --target"
        )

    return problem


MAPE = Loss(
    name="mape",
    description="the mean over the outputs of the errors relative to the targets (a fraction: 0.05 is 5 %), "
    "then over the batch; a target of 0 is refused",
    term=lambda a, y: (a - y).abs() / Node(np.abs(y.value)),
    term_formula=lambda a, y: Div(Abs(Sub(a, y)), Abs(y)),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Div(sign(Sub(a, y)), Abs(y)),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \frac{\left|a_i - y_i\right|}{\left|y_i\right|}",
    text="E = (1/n) Σᵢ |aᵢ − yᵢ| / |yᵢ|",
    torch=lambda torch, a, y: (torch.abs(a - y) / torch.abs(y)).mean(),
    torch_terms=lambda torch, a, y: torch.abs(a - y) / torch.abs(y),
    torch_name="torch.abs",
    target_problem=_no_zero_target("mape"),
)


# the lecture's "100 %" as a factor that prints as written (its value is 100)
PERCENT = Const("100 %", r"100\,\%", 100.0)

MAPE_PERCENT = Loss(
    name="mape_percent",
    description="MAPE in percent, as the lecture writes it (100 %/N Σ |y − ŷ|/ŷ, ŷ the target) and Keras "
    "computes it: 100 times mape (5 means 5 %), its slope too; a target of 0 is refused",
    term=lambda a, y: (a - y).abs() * Node(100.0 / np.abs(y.value)),
    term_formula=lambda a, y: mul(PERCENT, Div(Abs(Sub(a, y)), Abs(y))),
    reduction="mean",
    grad_factor=Fraction(100),
    term_gradient=lambda a, y: Div(sign(Sub(a, y)), Abs(y)),
    latex=r"E = \frac{100\,\%}{n}\sum_{i=1}^{n} \frac{\left|a_i - y_i\right|}{\left|y_i\right|}",
    text="E = (100 %/n) Σᵢ |aᵢ − yᵢ| / |yᵢ|",
    torch=lambda torch, a, y: 100.0 * (torch.abs(a - y) / torch.abs(y)).mean(),
    torch_terms=lambda torch, a, y: 100.0 * torch.abs(a - y) / torch.abs(y),
    torch_name="torch.abs",
    target_problem=_no_zero_target("mape_percent"),
)
