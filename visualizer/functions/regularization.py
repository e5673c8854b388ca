"""Regularization: a penalty on large weights, added to the loss so that training trades fit
for smaller weights.

    L2: ½λ₂·Σ w²    its slope λ₂·w pulls each weight towards 0 in proportion to its size
    L1: λ₁·Σ |w|    its slope λ₁·sign(w) pulls each weight towards 0 by the same amount

Both sum over every weight of every layer (not the biases, which only shift a neuron) and are
added once to E, after the mean over the batch: E = E_data + penalty. With the ½, L2's slope
is λ₂·w, the very term torch.optim.SGD's `weight_decay = λ₂` adds to each gradient: L2 as a
loss term and as weight decay are the same step for gradient descent (AdamW's decoupled decay
is not; it is its own optimizer). Each penalty is defined once: its engine construction, its
formulas, and its torch counterpart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from visualizer.core.engine import Node
from visualizer.core.expr import HALF, ONE, Abs, Const, Expr, Square, Sym, mul, sign


@dataclass(frozen=True)
class Penalty:
    name: str  # the spec field and the command-line option (--l1, --l2)
    symbol: Sym  # its strength λ
    term: Callable[[Node], Node]  # the penalty of one weight matrix, before λ and the factor
    factor: Const  # the constant in front: ½ for L2, 1 for L1
    term_formula: Callable[[Expr], Expr]  # one weight's term, e.g. w²
    slope_formula: Callable[[Expr, Expr], Expr]  # (λ, w) -> the slope of λ·factor·term, e.g. λ₂·w
    text: str
    latex: str
    torch: Callable  # (torch module, W tensor) -> its penalty before λ and the factor
    torch_name: str  # what it is checked against, for the docs


L2 = Penalty(
    name="l2",
    symbol=Sym("λ", (2,), latex_base=r"\lambda"),
    term=lambda W: (W * W).sum(),
    factor=HALF,
    term_formula=lambda w: Square(w),
    slope_formula=lambda lam, w: mul(lam, w),
    text="½λ₂·Σ w²",
    latex=r"\tfrac{1}{2}\lambda_2 \sum w^2",
    torch=lambda torch, W: (W * W).sum(),
    torch_name="(W * W).sum(); SGD's weight_decay",
)

L1 = Penalty(
    name="l1",
    symbol=Sym("λ", (1,), latex_base=r"\lambda"),
    term=lambda W: W.abs().sum(),
    factor=ONE,
    term_formula=lambda w: Abs(w),
    slope_formula=lambda lam, w: mul(lam, sign(w)),
    text="λ₁·Σ |w|",
    latex=r"\lambda_1 \sum |w|",
    torch=lambda torch, W: W.abs().sum(),
    torch_name="W.abs().sum()",
)

PENALTIES = (L2, L1)


def strengths(info) -> list[tuple[Penalty, float]]:
    """The penalties a network uses, with their λ (those above 0)."""
    return [
        (p, float(info.regularization.get(p.name, 0.0))) for p in PENALTIES if info.regularization.get(p.name, 0.0) > 0
    ]


def penalty_node(weights: list[Node], used: list[tuple[Penalty, float]]) -> Node | None:
    """The engine node of the whole penalty, Σ over penalties and layers; None when there is none."""
    total = None
    for penalty, lam in used:
        for W in weights:
            part = penalty.term(W) * (penalty.factor.value * lam)
            total = part if total is None else total + part
    return total.named("penalty") if total is not None else None


def torch_penalty(torch, weights, used):
    return sum(penalty.factor.value * lam * penalty.torch(torch, W) for penalty, lam in used for W in weights)
