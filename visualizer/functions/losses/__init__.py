"""Loss functions: one number E that says how wrong the network's output a is for target y.

Each loss is defined once (`base.Loss`): regression losses in `regression.py`, classification
losses in `classification.py`. This module is the registry: every loss by name, and the other
names people use for them.
"""

from __future__ import annotations

from ..registry import lookup
from .base import BATCH_REDUCTIONS, Loss
from .classification import (
    BCE,
    BCE_LOGITS,
    CROSS_ENTROPY,
    HINGE,
    MULTI_HINGE,
    MULTI_HINGE_SUM,
    SPARSE_CROSS_ENTROPY,
    SQUARED_HINGE,
)
from .regression import HALF_SSE, MAE, MAPE, MAPE_PERCENT, MSE, SSE

LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        MSE,
        SSE,
        HALF_SSE,
        MAE,
        MAPE,
        MAPE_PERCENT,
        BCE,
        BCE_LOGITS,
        HINGE,
        SQUARED_HINGE,
        MULTI_HINGE,
        MULTI_HINGE_SUM,
        CROSS_ENTROPY,
        SPARSE_CROSS_ENTROPY,
    )
}
# Other names people use for the same loss (Keras' among them).
ALIASES = {
    "multi_margin": "multi_hinge",
    "multiclass_hinge": "multi_hinge",
    "ce": "cross_entropy",
    "cce": "cross_entropy",
    "categorical_cross_entropy": "cross_entropy",
    "categorical_crossentropy": "cross_entropy",
    "sparse_categorical_crossentropy": "sparse_cross_entropy",
    "sparse_ce": "sparse_cross_entropy",
    "binary_cross_entropy": "bce",
    "binary_crossentropy": "bce",
    "mean_absolute_percentage_error": "mape_percent",
    "svm": "multi_hinge_sum",
    "multiclass_svm": "multi_hinge_sum",
}

__all__ = ["ALIASES", "BATCH_REDUCTIONS", "LOSSES", "Loss", "get_loss"]


def get_loss(name: str) -> Loss:
    return lookup("loss", name, LOSSES, ALIASES)
