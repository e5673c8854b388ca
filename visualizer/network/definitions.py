"""The definitions one network uses, looked up once from the record of it: each layer's
activation (as its learning rule uses it), the loss, the optimizer with its settings, and the
penalties in use. The network runs on them, its torch twin is built from them, and explain writes
their formulas: one lookup for all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from visualizer.functions.activations import Activation, get_activation
from visualizer.functions.losses import Loss, get_loss
from visualizer.functions.optimizers import Optimizer, get_optimizer
from visualizer.functions.regularization import strengths

from .trace import NetworkInfo


def _loss(info: NetworkInfo) -> Loss:
    """The spec's loss with its settings: the reduction over the batch, a hinge's margin Δ."""
    loss = get_loss(info.loss)
    if info.margin is not None and loss.with_margin:
        loss = loss.with_margin(info.margin)
    return dataclasses.replace(loss, batch_reduction=info.reduction)


@dataclass(frozen=True)
class Definitions:
    """The definitions one network uses, looked up once."""

    activations: tuple[Activation, ...]
    loss: Loss
    optimizer: Optimizer
    hyper: dict
    train_biases: bool
    penalties: tuple = ()  # (Penalty, λ) for each regularization in use

    @classmethod
    def from_info(cls, info: NetworkInfo) -> Definitions:
        hyper = {k: v for k, v in info.optimizer.items() if k != "name"}
        return cls(
            activations=tuple(get_activation(a, info.rule) for a in info.activations),
            loss=_loss(info),
            optimizer=get_optimizer(info.optimizer["name"]),
            hyper=hyper,
            train_biases=info.train_biases,
            penalties=tuple(strengths(info)),
        )
