"""Loss functions: one number E that says how wrong the network's output a is for target y.

Each loss is a term per output, (a − y)² or ½(y − a)², reduced over the n outputs of a sample
(a sum or a mean), and the per-sample losses are averaged over the batch: a batch of one gives
the textbook number. Each loss is defined once: its engine construction, its formulas (LaTeX,
text, and as `expr` trees for explain, including ∂E/∂a), and its torch counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import numpy as np

from .engine import Node, elementwise
from .errors import unknown_name
from .expr import Abs, AtMost1, Call, Const, Div, Expr, Max0, Neg, Square, Sub, add, mul


@dataclass(frozen=True)
class Loss:
    name: str
    description: str
    term: Callable[[Node, Node], Node]  # per output: (a, y) -> term, element by element
    term_formula: Callable[[Expr, Expr], Expr]  # the same term as a formula
    reduction: str  # over the outputs of a sample: "sum" or "mean"
    # ∂term/∂a = grad_factor · term_gradient(a, y), so that ∂E/∂aᵢ is that over
    # batch · (n if mean else 1); the constant is kept apart to be shown as one fraction (2/3·(a − y))
    grad_factor: Fraction
    term_gradient: Callable[[Expr, Expr], Expr]
    latex: str
    text: str
    torch: Callable  # (torch module, output tensor, target tensor) -> scalar tensor
    torch_terms: Callable  # the same, but the terms before any reduction (batch × n)
    torch_name: str  # what it is checked against, for the docs
    # where the slope used is a convention rather than the derivative of E (a floor against
    # dividing by 0): (a, y) -> bool array; finite differences cannot check those steps
    conventional: Callable | None = None
    # how far E computed in float64 may be off beyond ε·|E|, where the formula cancels:
    # (a, y) -> an absolute error, for finite differences' noise allowance
    rounding: Callable | None = None

    def build(self, a: Node, y: Node) -> tuple[Node, Node, Node]:
        """(the terms, batch × n; each sample's loss; the loss E, their mean), all named."""
        terms = self.term(a, y).named("loss.terms")
        per_sample = (terms.sum(axis=1) if self.reduction == "sum" else terms.mean(axis=1)).named("loss.samples")
        return terms, per_sample, per_sample.mean().named("loss")

    def gradient_formula(self, a: Expr, y: Expr, n: int, batch: int) -> Expr:
        """∂E/∂aᵢ with the numbers in it, e.g. 2/3·(a − y); the engine's value is what is shown."""
        factor = self.grad_factor / (batch * (n if self.reduction == "mean" else 1))
        gradient = self.term_gradient(a, y)
        if factor == 1:
            return gradient
        return mul(_fraction(factor), gradient)


def _fraction(value: Fraction) -> Const:
    if value.denominator == 1:
        return Const(str(value.numerator), str(value.numerator), float(value))
    return Const(f"{value.numerator}/{value.denominator}", rf"\tfrac{{{value.numerator}}}{{{value.denominator}}}",
                 float(value))


HALF = Const("½", r"\tfrac{1}{2}", 0.5)
ONE = Const("1", "1", 1.0)

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

def _abs(x: Node) -> Node:
    # |x|' = sign(x), 0 at 0 as in torch
    return elementwise(x, np.abs, lambda v, out: np.sign(v), "abs")


def _sign(x: Expr) -> Expr:
    return Call("sign", r"\operatorname{sign}", np.sign, x)


MAE = Loss(
    name="mae",
    description="the mean over the outputs of the absolute errors, then over the batch",
    term=lambda a, y: _abs(a - y),
    term_formula=lambda a, y: Abs(Sub(a, y)),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: _sign(Sub(a, y)),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \left|a_i - y_i\right|",
    text="E = (1/n) Σᵢ |aᵢ − yᵢ|",
    torch=lambda torch, a, y: torch.nn.functional.l1_loss(a, y),
    torch_terms=lambda torch, a, y: torch.nn.functional.l1_loss(a, y, reduction="none"),
    torch_name="torch.nn.functional.l1_loss",
)

MAPE = Loss(
    name="mape",
    description="the mean over the outputs of the errors relative to the targets (a fraction: 0.05 is 5 %), "
                "then over the batch; a target of 0 is refused",
    term=lambda a, y: _abs(a - y) / Node(np.abs(y.value)),
    term_formula=lambda a, y: Div(Abs(Sub(a, y)), Abs(y)),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Div(_sign(Sub(a, y)), Abs(y)),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \frac{\left|a_i - y_i\right|}{\left|y_i\right|}",
    text="E = (1/n) Σᵢ |aᵢ − yᵢ| / |yᵢ|",
    torch=lambda torch, a, y: (torch.abs(a - y) / torch.abs(y)).mean(),
    torch_terms=lambda torch, a, y: torch.abs(a - y) / torch.abs(y),
    torch_name="torch.abs",
)

LOG_FLOOR = -100.0  # torch's binary_cross_entropy clamps each log here, so a saturated output gives no log(0)


BCE_EPSILON = float(np.float32(1e-12))  # torch's floor for a(1 − a) in the gradient (a float32 constant there)


def _bce_terms(a: Node, y: Node) -> Node:
    """−(y·log a + (1 − y)·log(1 − a)) element by element, as torch computes it: each log clamped
    at −100 (a saturated output gives no log(0)), the slope (a − y)/a(1 − a) with a(1 − a) ≥ 1e-12."""
    target = y.value

    def f(v):
        with np.errstate(divide="ignore"):
            return -(target * np.maximum(np.log(v), LOG_FLOOR) + (1 - target) * np.maximum(np.log1p(-v), LOG_FLOOR))

    return elementwise(a, f, lambda v, out: (v - target) / np.maximum(v * (1 - v), BCE_EPSILON), "bce")


def _clamped_log(v):
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(v), LOG_FLOOR)


def _log(x: Expr) -> Expr:
    # the log as BCE uses it (clamped at −100, as the description says), so a written line redoes
    return Call("log", r"\log", _clamped_log, x)


def _softplus(z: Node) -> Node:
    # log(1 + eᶻ) written so that no exp overflows: max(z, 0) + log(1 + e^(−|z|)); its slope is σ(z)
    return elementwise(z, lambda v: np.maximum(v, 0.0) + np.log1p(np.exp(-np.abs(v))),
                       lambda v, out: 0.5 * (1.0 + np.tanh(0.5 * v)), "softplus")


def _hinge(x: Node) -> Node:
    # max(0, x) with slope 1 at x = 0 too, as torch.clamp(min=0) has: the margin is met exactly
    # when a saturated tanh gives y·a = 1
    return elementwise(x, lambda v: np.maximum(v, 0.0), lambda v, out: (v >= 0).astype(np.float64), "max0")


BCE = Loss(
    name="bce",
    description="binary cross-entropy of probabilities (a sigmoid output) against targets in [0, 1], "
                "the mean over the outputs, then over the batch; each log is at least −100, as in torch",
    term=_bce_terms,
    term_formula=lambda a, y: Neg(add(mul(y, _log(a)), mul(Sub(ONE, y), _log(Sub(ONE, a))))),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Div(Sub(a, y), mul(a, Sub(ONE, a))),
    latex=r"E = -\frac{1}{n}\sum_{i=1}^{n} \left(y_i \log a_i + (1 - y_i) \log(1 - a_i)\right)",
    text="E = −(1/n) Σᵢ (yᵢ·log aᵢ + (1 − yᵢ)·log(1 − aᵢ))",
    torch=lambda torch, a, y: torch.nn.functional.binary_cross_entropy(a, y),
    torch_terms=lambda torch, a, y: torch.nn.functional.binary_cross_entropy(a, y, reduction="none"),
    torch_name="torch.nn.functional.binary_cross_entropy",
    conventional=lambda a, y: a * (1 - a) < BCE_EPSILON,
    # 1 − a for a near 1 keeps only the digits a had: log(1 − a) is then off by about ε·a/(1 − a)
    rounding=lambda a, y: float(np.mean(np.finfo(np.float64).eps * (np.abs(1 - y) * a / np.maximum(1 - a, 1e-300)
                                                                    + np.abs(y) * (1 - a) / np.maximum(a, 1e-300)))),
)

BCE_LOGITS = Loss(
    name="bce_logits",
    description="binary cross-entropy of logits (an identity output z; the loss applies the sigmoid, "
                "stably), the mean over the outputs, then over the batch",
    term=lambda a, y: _softplus(a) - a * y,
    term_formula=lambda a, y: Sub(Call("softplus", r"\operatorname{softplus}", _softplus_value, a), mul(y, a)),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Sub(Call("σ", r"\sigma", _sigmoid_value, a), y),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \left(\log(1 + e^{a_i}) - y_i a_i\right)",
    text="E = (1/n) Σᵢ (softplus(aᵢ) − yᵢ·aᵢ), softplus(a) = log(1 + eᵃ)",
    torch=lambda torch, a, y: torch.nn.functional.binary_cross_entropy_with_logits(a, y),
    torch_terms=lambda torch, a, y: torch.nn.functional.binary_cross_entropy_with_logits(a, y, reduction="none"),
    torch_name="torch.nn.functional.binary_cross_entropy_with_logits",
)

HINGE = Loss(
    name="hinge",
    description="the hinge (a margin of 1) for targets −1 or +1, the mean over the outputs, then over the batch",
    term=lambda a, y: _hinge(1.0 - y * a),
    term_formula=lambda a, y: Max0(Sub(ONE, mul(y, a))),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: mul(Neg(y), AtMost1(mul(y, a))),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \max(0, 1 - y_i a_i)",
    text="E = (1/n) Σᵢ max(0, 1 − yᵢ·aᵢ)",
    torch=lambda torch, a, y: torch.clamp(1 - y * a, min=0).mean(),
    torch_terms=lambda torch, a, y: torch.clamp(1 - y * a, min=0),
    torch_name="torch.clamp",
)


def _softplus_value(v):
    return np.maximum(v, 0.0) + np.log1p(np.exp(-np.abs(v)))


def _sigmoid_value(v):
    return 0.5 * (1.0 + np.tanh(0.5 * v))


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (MSE, SSE, HALF_SSE, MAE, MAPE, BCE, BCE_LOGITS, HINGE)}


def get_loss(name: str) -> Loss:
    if name.lower() not in LOSSES:
        raise unknown_name("loss", name, LOSSES)
    return LOSSES[name.lower()]
