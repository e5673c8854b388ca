"""Mini-batches: which rows of the data each step learns from, and how many steps an epoch takes.

Gradient descent learns from all n samples in every step; mini-batch SGD takes the next k of a
permutation drawn anew each epoch, so an epoch is ⌈n / k⌉ steps (the last has what is left).
"""

from __future__ import annotations

import functools

import numpy as np


def steps_per_epoch(n: int, k: int) -> int:
    """⌈n / k⌉: the steps one pass over n samples takes in batches of k."""
    return -(-n // k)


def batch_rows(n: int, batch_size: int | None, seed: int, index: int) -> np.ndarray:
    """The rows step `index` (1-based) learns from: all n for gradient descent; for mini-batch
    SGD, the next batch_size of a permutation drawn anew each epoch (the last batch of an epoch
    has what is left, as torch's DataLoader gives it)."""
    if batch_size is None or batch_size >= n:
        return np.arange(n)
    per_epoch = steps_per_epoch(n, batch_size)
    epoch, k = divmod(index - 1, per_epoch)
    return _epoch_order(n, seed, epoch)[k * batch_size : (k + 1) * batch_size]


@functools.lru_cache(maxsize=2)
def _epoch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    # drawn once per epoch, not per step (60,000 samples: a millisecond a step otherwise)
    order = np.random.default_rng([seed, 3, epoch]).permutation(n)  # a stream of its own
    order.flags.writeable = False
    return order
