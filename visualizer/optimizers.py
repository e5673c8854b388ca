"""Optimizers: how the gradients ∂E/∂w become new weights.

Plain gradient descent takes a step against the gradient, scaled by the learning rate η:
    w ← w − η · ∂E/∂w
Each optimizer is defined once: its hyper-parameters with defaults, its update (which returns
new arrays and never changes the old ones, so a Trace can keep both), its state between steps
(empty for plain SGD), its formula, and its torch.optim counterpart for verification.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import UsageError, unknown_name
from .expr import Expr, Sub, Sym, mul

ETA = Sym("η", latex_base=r"\eta")

Array = np.ndarray


@dataclass(frozen=True)
class Optimizer:
    name: str
    defaults: dict
    # (params, grads, state, hyper) -> (new params, new state); state is JSON-able
    update: Callable[[list[Array], list[Array], dict, dict], tuple[list[Array], dict]]
    latex: str
    text: str
    torch: Callable  # (torch module, list of parameter tensors, hyper) -> torch.optim.Optimizer
    # the new value as a formula: (w, ∂E/∂w, {setting: its symbol or number}) -> formula
    update_formula: Callable[[Expr, Expr, dict], Expr]
    symbols: dict  # each setting's symbol, e.g. {"lr": η}

    def hyper(self, given: dict) -> dict:
        """The full hyper-parameters: defaults, overridden by `given`, checked."""
        unknown = sorted(set(given) - set(self.defaults))
        if unknown:
            raise UsageError(
                f"optimizer {self.name!r} has no setting {unknown[0]!r}; "
                f"its settings are: {', '.join(self.defaults)}"
            )
        hyper = {**self.defaults, **given}
        lr = hyper["lr"]
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
            raise UsageError(f"learning rate must be a positive number, e.g. 0.5; got {lr!r}")
        hyper["lr"] = float(lr)
        return hyper


def _sgd_update(params, grads, state, hyper):
    return [w - hyper["lr"] * g for w, g in zip(params, grads)], {}


SGD = Optimizer(
    name="sgd",
    defaults={"lr": 0.5},  # large for deep learning, right for the tiny sigmoid nets taught here
    update=_sgd_update,
    latex=r"w \leftarrow w - \eta \frac{\partial E}{\partial w}",
    text="w ← w − η·∂E/∂w",
    torch=lambda torch, params, hyper: torch.optim.SGD(params, lr=hyper["lr"]),
    update_formula=lambda w, g, h: Sub(w, mul(h["lr"], g)),
    symbols={"lr": ETA},
)

OPTIMIZERS: dict[str, Optimizer] = {o.name: o for o in (SGD,)}


def get_optimizer(name: str) -> Optimizer:
    if name.lower() not in OPTIMIZERS:
        raise unknown_name("optimizer", name, OPTIMIZERS)
    return OPTIMIZERS[name.lower()]
