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

from .classes import one_hot
from .engine import Node, elementwise, rowwise
from .errors import unknown_name
from .expr import Abs, AtMost1, Call, Const, Div, Expr, Max0, Neg, Positive, Square, Sub, add, mul


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
    # A loss of logits reads the output layer's weighted sums z, not its probabilities a: the
    # torch counterparts get z, and the engine's E goes from z through log-softmax (a log-sum-exp:
    # no log(0), no overflow), so a is off E's path. `on_probabilities` is the same loss written
    # on a, (a, y) -> E, which gives ∂E/∂a for the record; `torch_on_probabilities` is torch's.
    logits: bool = False
    on_probabilities: Callable | None = None
    torch_on_probabilities: Callable | None = None
    # the output activation the loss needs, if any: (its name, what the loss needs, what to do instead)
    output: tuple[str, str, str] | None = None
    # targets: how many values a sample's target has, given n outputs; a random target for a
    # spec that gives none, (rng, batch, n) -> batch × width; and targets as one value per output
    target_width: Callable[[int], int] = lambda n: n
    draw_target: Callable | None = None
    dense_target: Callable[[np.ndarray, int], np.ndarray] = lambda y, n: y
    # a loss whose term for output i also reads the right class's output c: the term of a wrong
    # class i and the slope of any output i, as formulas of the row: (i, c, a(k)) -> Expr, (i, c, a(k), n) -> Expr
    row_term: Callable | None = None
    row_gradient: Callable | None = None
    slope_text: str | None = None  # the slope for the docs, where term_gradient cannot say it alone

    def build(self, a: Node, y: Node) -> tuple[Node, Node, Node]:
        """(the terms, batch × n; each sample's loss; the loss E, their mean), all named."""
        terms = self.term(a, Node(self.dense_target(y.value, a.shape[-1]), name=y.name)).named("loss.terms")
        per_sample = (terms.sum(axis=1) if self.reduction == "sum" else terms.mean(axis=1)).named("loss.samples")
        return terms, per_sample, per_sample.mean().named("loss")

    def gradient_formula(self, a: Expr, y: Expr, n: int, batch: int, row=None) -> Expr:
        """∂E/∂aᵢ with the numbers in it, e.g. 2/3·(a − y); the engine's value is what is shown.
        `row = (i, c, a(k))` for a loss whose terms mix the outputs (the multi-class hinge)."""
        factor = self.grad_factor / (batch * (n if self.reduction == "mean" else 1))
        gradient = self.row_gradient(*row, n) if self.row_gradient else self.term_gradient(a, y)
        if factor == 1:
            return gradient
        if isinstance(gradient, Neg):  # −1/6·(…), not 1/6·(−(…))
            return Neg(mul(_fraction(factor), gradient.arg))
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
    output=("sigmoid", "probabilities", "or --loss bce_logits with --output-activation identity"),
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
    output=("identity", "logits (it applies the sigmoid itself)", "or --loss bce after a sigmoid"),
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


def _log_softmax(z: Node) -> Node:
    """log aᵢ = zᵢ − log Σₖ e^(zₖ), with the largest z taken out first (log-sum-exp), so that it is
    finite even where aᵢ itself underflows to 0; its slope: ∂/∂zᵢ of log aₖ = [k = i] − aᵢ."""
    def f(v):
        shifted = v - v.max(axis=-1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

    return rowwise(z, f, lambda v, out, g: g - np.exp(out) * g.sum(axis=-1, keepdims=True), "log_softmax")


def _cross_entropy_terms(a: Node, y: Node) -> Node:
    # a is softmax(z): take z, so that the log is log-softmax (never log(0))
    return -(y * _log_softmax(a.parents[0]))


def _on_probabilities(a: Node, y: Node) -> Node:
    """−Σ y·log a on the probabilities themselves, only for ∂E/∂a = −y/a. A term whose target is 0
    is absent (0·log a = 0, slope 0, even where a underflowed to 0); an a that underflowed to 0
    under a target above 0 has slope −inf, as it does."""
    target = y.value
    present = target != 0

    def f(v):
        with np.errstate(divide="ignore"):
            return np.where(present, -target * np.log(np.where(present, v, 1.0)), 0.0)

    def df(v, out):
        with np.errstate(divide="ignore"):
            return np.where(present, -target / np.where(present, v, 1.0), 0.0)

    return elementwise(a, f, df, "cross_entropy").sum(axis=1).mean()


def _torch_on_probabilities(torch, a, y):
    # the same in torch; a is replaced by 1 where the target is 0, so no 0·log 0 makes a NaN slope
    return -(y * torch.log(torch.where(y != 0, a, torch.ones_like(a)))).sum(dim=1).mean()


def _draw_one_hot(rng, batch, n):
    return one_hot(rng.integers(0, n, (batch, 1)), n)


def _torch_one_hot(torch, y, n):
    return torch.nn.functional.one_hot(y[:, 0].long(), n).to(torch.float64)


_CE_COMMON = dict(
    term_formula=lambda a, y: Neg(mul(y, Call("log", r"\log", np.log, a))),
    reduction="sum",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Neg(Div(y, a)),
    latex=r"E = -\sum_{i=1}^{n} y_i \log a_i",
    text="E = −Σᵢ yᵢ·log aᵢ",
    logits=True,
    on_probabilities=_on_probabilities,
    output=("softmax", "probabilities that sum to 1", "for one sigmoid output, use --loss bce"),
)

CROSS_ENTROPY = Loss(
    name="cross_entropy",
    description="categorical cross-entropy of a softmax output against one-hot targets (or any targets "
                "that sum to 1), the sum over the outputs, then the mean over the batch; log a is computed "
                "from z as log-softmax",
    term=_cross_entropy_terms,
    torch=lambda torch, z, y: torch.nn.functional.cross_entropy(z, y),
    torch_terms=lambda torch, z, y: -(y * torch.log_softmax(z, dim=-1)),
    torch_name="torch.nn.functional.cross_entropy",
    torch_on_probabilities=_torch_on_probabilities,
    draw_target=_draw_one_hot,
    **_CE_COMMON,
)

SPARSE_CROSS_ENTROPY = Loss(
    name="sparse_cross_entropy",
    description="categorical cross-entropy of a softmax output against class indices (0 for the first "
                "output, as in torch), which stand for one-hot targets: E = −log a of the right class, "
                "the mean over the batch; log a is computed from z as log-softmax",
    term=_cross_entropy_terms,
    torch=lambda torch, z, y: torch.nn.functional.cross_entropy(z, y[:, 0].long()),
    torch_terms=lambda torch, z, y: -(_torch_one_hot(torch, y, z.shape[1]) * torch.log_softmax(z, dim=-1)),
    torch_name="torch.nn.functional.cross_entropy",
    torch_on_probabilities=lambda torch, a, y: _torch_on_probabilities(torch, a, _torch_one_hot(torch, y, a.shape[1])),
    target_width=lambda n: 1,
    draw_target=lambda rng, batch, n: rng.integers(0, n, (batch, 1)).astype(np.float64),
    dense_target=one_hot,
    **_CE_COMMON,
)

def _violated(x: Node) -> Node:
    # max(0, x) with slope 0 at x = 0, as torch's multi_margin_loss has it (a margin met exactly)
    return elementwise(x, lambda v: np.maximum(v, 0.0), lambda v, out: (v > 0).astype(np.float64), "max0")


def _multi_hinge_terms(a: Node, y: Node) -> Node:
    """max(0, 1 − a_c + aᵢ) for every wrong class i (y one-hot at the right class c; 0 at i = c)."""
    right = (a * y).sum(axis=1, keepdims=True)
    return _violated(1.0 - right + a) * (1.0 - y.value)


def _margin(i, c, a) -> Expr:
    return add(Sub(ONE, a(c)), a(i))


def _multi_hinge_gradient(i, c, a, n) -> Expr:
    # a wrong class's score: +1 where its margin is violated; the right one's: −1 for each violation
    if i != c:
        return Positive(_margin(i, c, a))
    return Neg(add(*(Positive(_margin(k, c, a)) for k in range(n) if k != c)))


MULTI_HINGE = Loss(
    name="multi_hinge",
    description="the multi-class hinge (a margin of 1, as torch's multi_margin_loss): each wrong class i pays "
                "max(0, 1 − a_c + aᵢ) where c is the right class (a class index, 0 for the first output), the mean "
                "over the outputs, then over the batch",
    term=_multi_hinge_terms,
    term_formula=lambda a, y: Max0(Sub(ONE, a)),  # one output alone cannot show it: row_term does
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Positive(a),
    latex=r"E = \frac{1}{n}\sum_{i \ne c} \max(0, 1 - a_c + a_i)",
    text="E = (1/n) Σ_{i≠c} max(0, 1 − a_c + aᵢ)",
    torch=lambda torch, a, y: torch.nn.functional.multi_margin_loss(a, y[:, 0].long()),
    torch_terms=lambda torch, a, y: (torch.clamp(1 - (a * _torch_one_hot(torch, y, a.shape[1])).sum(1, keepdim=True) + a,
                                                 min=0) * (1 - _torch_one_hot(torch, y, a.shape[1]))),
    torch_name="torch.nn.functional.multi_margin_loss",
    target_width=lambda n: 1,
    draw_target=lambda rng, batch, n: rng.integers(0, n, (batch, 1)).astype(np.float64),
    dense_target=one_hot,
    row_term=lambda i, c, a: Max0(_margin(i, c, a)),
    row_gradient=_multi_hinge_gradient,
    slope_text="[1 − a_c + aᵢ > 0] for a wrong class i; −Σ_{k≠c} [1 − a_c + a_k > 0] for the right one",
)

LOSSES: dict[str, Loss] = {loss.name: loss for loss in (MSE, SSE, HALF_SSE, MAE, MAPE, BCE, BCE_LOGITS, HINGE,
                                                         MULTI_HINGE, CROSS_ENTROPY, SPARSE_CROSS_ENTROPY)}
# Other names people use for the same loss (Keras' among them).
ALIASES = {"multi_margin": "multi_hinge", "multiclass_hinge": "multi_hinge", "ce": "cross_entropy", "cce": "cross_entropy", "categorical_cross_entropy": "cross_entropy",
           "categorical_crossentropy": "cross_entropy", "sparse_categorical_crossentropy": "sparse_cross_entropy",
           "sparse_ce": "sparse_cross_entropy", "binary_cross_entropy": "bce", "binary_crossentropy": "bce"}


def get_loss(name: str) -> Loss:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in LOSSES:
        raise unknown_name("loss", name, list(LOSSES) + list(ALIASES))
    return LOSSES[key]
