"""Loss functions: one number E that says how wrong the network's output a is for target y.

Every loss here is a per-sample loss averaged over the batch, so a batch of one gives the
textbook number and a larger batch gives the mean over its samples. Each is defined once
with its engine construction, its formula (LaTeX and plain text) and its torch counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .engine import Node
from .errors import unknown_name


@dataclass(frozen=True)
class Loss:
    name: str
    description: str
    build: Callable[[Node, np.ndarray], Node]  # (output a: batch×n, target y) -> scalar E
    latex: str
    text: str
    torch: Callable  # (torch module, output tensor, target tensor) -> scalar tensor


def _squared_error(a: Node, y: np.ndarray) -> Node:
    return (a - y) ** 2


MSE = Loss(
    name="mse",
    description="mean squared error: the mean of (a − y)² over the outputs, then over the batch",
    build=lambda a, y: _squared_error(a, y).mean(axis=1).mean().named("loss"),
    latex=r"E = \frac{1}{n}\sum_{i=1}^{n} (a_i - y_i)^2",
    text="E = (1/n) Σᵢ (aᵢ − yᵢ)²",
    # mean over all batch×n elements equals the mean over samples of the per-sample means
    torch=lambda torch, a, y: torch.nn.functional.mse_loss(a, y),
)

SSE = Loss(
    name="sse",
    description="sum of squared errors over the outputs, averaged over the batch",
    build=lambda a, y: _squared_error(a, y).sum(axis=1).mean().named("loss"),
    latex=r"E = \sum_{i=1}^{n} (a_i - y_i)^2",
    text="E = Σᵢ (aᵢ − yᵢ)²",
    torch=lambda torch, a, y: torch.nn.functional.mse_loss(a, y, reduction="sum") / a.shape[0],
)

HALF_SSE = Loss(
    name="half_sse",
    description="half the sum of squared errors (the ½ cancels the 2 of the derivative)",
    build=lambda a, y: (0.5 * _squared_error(a, y).sum(axis=1)).mean().named("loss"),
    latex=r"E = \frac{1}{2}\sum_{i=1}^{n} (y_i - a_i)^2",
    text="E = ½ Σᵢ (yᵢ − aᵢ)²",
    torch=lambda torch, a, y: 0.5 * torch.nn.functional.mse_loss(a, y, reduction="sum") / a.shape[0],
)

LOSSES: dict[str, Loss] = {loss.name: loss for loss in (MSE, SSE, HALF_SSE)}


def get_loss(name: str) -> Loss:
    if name.lower() not in LOSSES:
        raise unknown_name("loss", name, LOSSES)
    return LOSSES[name.lower()]
