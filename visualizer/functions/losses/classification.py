"""Losses of a classification: binary cross-entropy (of probabilities, and of logits), the hinge
for −1/+1 targets and its multi-class form, and the categorical cross-entropies of a softmax
output (one-hot targets, or class indices), which read z through log-softmax so that no log(0)
and no overflow can happen."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from visualizer.core.engine import Node, elementwise, rowwise
from visualizer.core.expr import ONE, AtMost1, Call, Const, Div, Expr, Max0, Neg, Positive, Square, Sub, add, mul
from visualizer.functions.activations import SIGMOID
from visualizer.functions.classes import one_hot

from .base import Loss, draw_class

LOG_FLOOR = -100.0  # torch's binary_cross_entropy clamps each log here, so a saturated output gives no log(0)
BCE_EPSILON = float(np.float32(1e-12))  # torch's floor for a(1 − a) in the gradient (a float32 constant there)


def _clamped_log(v):
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(v), LOG_FLOOR)


def _bce_terms(a: Node, y: Node) -> Node:
    """−(y·log a + (1 − y)·log(1 − a)) element by element, as torch computes it: each log clamped
    at −100 (a saturated output gives no log(0)), the slope (a − y)/a(1 − a) with a(1 − a) ≥ 1e-12."""
    target = y.value

    def f(v):
        with np.errstate(divide="ignore"):
            return -(target * _clamped_log(v) + (1 - target) * np.maximum(np.log1p(-v), LOG_FLOOR))

    return elementwise(a, f, lambda v, out: (v - target) / np.maximum(v * (1 - v), BCE_EPSILON), "bce")


def _log(x: Expr) -> Expr:
    # the log as BCE uses it (clamped at −100, as the description says), so a written line redoes
    return Call("log", r"\log", _clamped_log, x)


def _softplus_value(v):
    # log(1 + eᶻ) written so that no exp overflows: max(z, 0) + log(1 + e^(−|z|))
    return np.maximum(v, 0.0) + np.log1p(np.exp(-np.abs(v)))


def _softplus(z: Node) -> Node:
    return elementwise(z, _softplus_value, lambda v, out: SIGMOID.function(v), "softplus")  # its slope is σ(z)


def _max0(x: Node, slope_at_0: float) -> Node:
    """max(0, x); at x = 0 its slope is a convention, each loss's as its torch counterpart has it."""
    return elementwise(
        x, lambda v: np.maximum(v, 0.0), lambda v, out: np.where(v > 0, 1.0, np.where(v == 0, slope_at_0, 0.0)), "max0"
    )


def _in_0_1(y: np.ndarray, n: int, name: str) -> str | None:
    if y.min() < 0 or y.max() > 1:
        return f"{name} needs targets between 0 and 1 (probabilities); for −1/+1 targets use hinge"
    return None


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
    target_problem=lambda y, n: _in_0_1(y, n, "bce"),
    conventional=lambda a, y: a * (1 - a) < BCE_EPSILON,
    # 1 − a for a near 1 keeps only the digits a had: log(1 − a) is then off by about ε·a/(1 − a)
    rounding=lambda a, y: float(
        np.mean(
            np.finfo(np.float64).eps
            * (np.abs(1 - y) * a / np.maximum(1 - a, 1e-300) + np.abs(y) * (1 - a) / np.maximum(a, 1e-300))
        )
    ),
)

BCE_LOGITS = Loss(
    name="bce_logits",
    description="binary cross-entropy of logits (an identity output z; the loss applies the sigmoid, "
    "stably), the mean over the outputs, then over the batch",
    term=lambda a, y: _softplus(a) - a * y,
    term_formula=lambda a, y: Sub(Call("softplus", r"\operatorname{softplus}", _softplus_value, a), mul(y, a)),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: Sub(SIGMOID.formula(a), y),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \left(\log(1 + e^{a_i}) - y_i a_i\right)",
    text="E = (1/n) Σᵢ (softplus(aᵢ) − yᵢ·aᵢ), softplus(a) = log(1 + eᵃ)",
    torch=lambda torch, a, y: torch.nn.functional.binary_cross_entropy_with_logits(a, y),
    torch_terms=lambda torch, a, y: torch.nn.functional.binary_cross_entropy_with_logits(a, y, reduction="none"),
    torch_name="torch.nn.functional.binary_cross_entropy_with_logits",
    output=("identity", "logits (it applies the sigmoid itself)", "or --loss bce after a sigmoid"),
    target_problem=lambda y, n: _in_0_1(y, n, "bce_logits"),
)


def _plus_minus_1(name: str):
    def problem(y: np.ndarray, n: int) -> str | None:
        if np.isin(y, (-1.0, 1.0)).all():
            return None
        bad = y[~np.isin(y, (-1.0, 1.0))][0]
        return f"{name} needs targets −1 or +1, got {bad:g}; give them with --target (for 0/1 targets, use bce)"

    return problem


HINGE = Loss(
    name="hinge",
    description="the hinge (a margin of 1) for targets −1 or +1, the mean over the outputs, then over the batch",
    # slope 1 at the margin too, as torch.clamp(min=0) has: it is met exactly when a saturated tanh gives y·a = 1
    term=lambda a, y: _max0(1.0 - y * a, slope_at_0=1.0),
    term_formula=lambda a, y: Max0(Sub(ONE, mul(y, a))),
    reduction="mean",
    grad_factor=Fraction(1),
    term_gradient=lambda a, y: mul(Neg(y), AtMost1(mul(y, a))),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \max(0, 1 - y_i a_i)",
    text="E = (1/n) Σᵢ max(0, 1 − yᵢ·aᵢ)",
    torch=lambda torch, a, y: torch.clamp(1 - y * a, min=0).mean(),
    torch_terms=lambda torch, a, y: torch.clamp(1 - y * a, min=0),
    torch_name="torch.clamp",
    target_problem=_plus_minus_1("hinge"),
)

SQUARED_HINGE = Loss(
    name="squared_hinge",
    description="the squared hinge (Keras's squared_hinge: a margin of 1, squared) for targets −1 or +1, the mean "
    "over the outputs, then over the batch",
    term=lambda a, y: _max0(1.0 - y * a, slope_at_0=0.0) ** 2,  # its slope is 0 at the margin either way
    term_formula=lambda a, y: Square(Max0(Sub(ONE, mul(y, a)))),
    reduction="mean",
    grad_factor=Fraction(2),
    term_gradient=lambda a, y: Neg(mul(y, Max0(Sub(ONE, mul(y, a))))),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} \max(0, 1 - y_i a_i)^2",
    text="E = (1/n) Σᵢ max(0, 1 − yᵢ·aᵢ)²",
    # torch has no squared hinge: written from torch ops
    torch=lambda torch, a, y: (torch.clamp(1 - y * a, min=0) ** 2).mean(),
    torch_terms=lambda torch, a, y: torch.clamp(1 - y * a, min=0) ** 2,
    torch_name="torch.clamp",
    target_problem=_plus_minus_1("squared_hinge"),
)


def _torch_one_hot(torch, y, n):
    return torch.nn.functional.one_hot(y[:, 0].long(), n).to(torch.float64)


def _multi_hinge_terms(delta: float):
    def terms(a: Node, y: Node) -> Node:
        """max(0, Δ − a_c + aᵢ) for every wrong class i (y one-hot at the right class c; 0 at i = c);
        slope 0 at the margin, as torch's multi_margin_loss has it."""
        right = (a * y).sum(axis=1, keepdims=True)
        return _max0(delta - right + a, slope_at_0=0.0) * (1.0 - y.value)

    return terms


def _delta(delta: float) -> Expr:
    """The margin Δ as explain writes it: 1, 2, 0.5."""
    return ONE if delta == 1 else Const(f"{delta:g}", f"{delta:g}", float(delta))


def _margin(delta: float):
    return lambda i, c, a: add(Sub(_delta(delta), a(c)), a(i))


def _multi_hinge_gradient(delta: float):
    def gradient(i, c, a, n) -> Expr:
        # a wrong class's score: +1 where its margin is violated; the right one's: −1 for each violation
        if i != c:
            return Positive(_margin(delta)(i, c, a))
        return Neg(add(*(Positive(_margin(delta)(k, c, a)) for k in range(n) if k != c)))

    return gradient


def _classes_to_compare(y: np.ndarray, n: int) -> str | None:
    if n >= 2:
        return None
    return (
        "multi_hinge compares the right class's output with the others: give the output layer one neuron per "
        "class (e.g. 2-4-3); for one output with −1/+1 targets use hinge"
    )


def multi_hinge(over: str = "mean", margin: float = 1.0) -> Loss:
    """The multi-class hinge with margin Δ: torch's multi_margin_loss (the mean over the n outputs),
    or CS231n's SVM loss (over = "sum": Σ_{i≠c} max(0, s_i − s_c + Δ))."""
    d = f"{margin:g}"
    mean = over == "mean"
    return Loss(
        name="multi_hinge" if mean else "multi_hinge_sum",
        description=(
            f"the multi-class hinge (a margin Δ = {d}, as torch's multi_margin_loss): each wrong class i pays "
            f"max(0, {d} − a_c + aᵢ) where c is the right class (a class index, 0 for the first output), the mean "
            "over the outputs, then over the batch"
            if mean
            else f"CS231n's multiclass SVM loss (a margin Δ = {d}): each wrong class i pays max(0, {d} − a_c + aᵢ) "
            "where c is the right class (a class index, 0 for the first output), summed over the wrong classes, "
            "then averaged over the batch"
        ),
        term=_multi_hinge_terms(margin),
        term_formula=None,  # a term reads two outputs: row_term writes it
        reduction=over,
        grad_factor=Fraction(1),
        term_gradient=None,  # row_gradient
        latex=(r"E = \frac{1}{n}" if mean else "E = ") + rf"\sum_{{i \ne c}} \max(0, {d} - a_c + a_i)",
        text=("E = (1/n) " if mean else "E = ") + f"Σ_{{i≠c}} max(0, {d} − a_c + aᵢ)",
        torch=_torch_multi_margin(margin, over),
        torch_terms=lambda torch, a, y: (
            torch.clamp(margin - (a * _torch_one_hot(torch, y, a.shape[1])).sum(1, keepdim=True) + a, min=0)
            * (1 - _torch_one_hot(torch, y, a.shape[1]))
        ),
        torch_name="torch.nn.functional.multi_margin_loss",
        class_indices=True,
        draw_target=draw_class,
        target_problem=_classes_to_compare,
        row_term=lambda i, c, a: Max0(_margin(margin)(i, c, a)),
        row_gradient=_multi_hinge_gradient(margin),
        slope_text=f"[{d} − a_c + aᵢ > 0] for a wrong class i; −Σ_{{k≠c}} [{d} − a_c + a_k > 0] for the right one",
        margin=margin,
        with_margin=lambda delta: multi_hinge(over, delta),
    )


def _torch_multi_margin(margin: float, over: str):
    def loss(torch, a, y):
        value = torch.nn.functional.multi_margin_loss(a, y[:, 0].long(), margin=margin)
        return value * a.shape[1] if over == "sum" else value  # torch's mean divides by the n classes

    return loss


MULTI_HINGE = multi_hinge("mean")
MULTI_HINGE_SUM = multi_hinge("sum")


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


def _one_hot_rows(y: np.ndarray, n: int) -> str | None:
    if y.min() >= 0 and np.allclose(y.sum(axis=1), 1.0, rtol=0, atol=1e-9):
        return None
    worst = y[np.argmax(np.abs(y.sum(axis=1) - 1) + (y.min(axis=1) < 0))]
    return (
        f"cross_entropy needs each target to be one-hot (or probabilities summing to 1), got "
        f"{','.join(f'{v:g}' for v in worst)}; e.g. --target {','.join(['1'] + ['0'] * (n - 1))}, or class "
        f"indices with --loss sparse_cross_entropy"
    )


def _softmax_meets_cross_entropy(batch: int) -> tuple[str, str]:
    """Why δ = a − y at a softmax output under cross-entropy, derived where the reader can follow it."""
    mean = f"; the mean over a batch of {batch} divides it by {batch}" if batch > 1 else ""
    text = (
        "softmax meets cross-entropy: ∂E/∂aₖ = −yₖ/aₖ, so δᵢ = Σₖ (−yₖ/aₖ)·aₖ([k = i] − aᵢ) = −yᵢ + aᵢ·Σₖ yₖ "
        f"= aᵢ − yᵢ, because the targets sum to 1: the error at z is just the prediction minus the target{mean}"
    )
    latex = (
        r"softmax meets cross-entropy: $\partial E/\partial a_k = -y_k/a_k$, so "
        r"$\delta_i = \sum_k (-y_k/a_k)\,a_k([k = i] - a_i) = -y_i + a_i \sum_k y_k = a_i - y_i$, "
        f"because the targets sum to 1: the error at $z$ is just the prediction minus the target{mean}"
    )
    return text, latex


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
    delta_note=_softmax_meets_cross_entropy,
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
    draw_target=lambda rng, batch, n: one_hot(draw_class(rng, batch, n), n),
    target_problem=_one_hot_rows,
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
    class_indices=True,
    draw_target=draw_class,
    **_CE_COMMON,
)
