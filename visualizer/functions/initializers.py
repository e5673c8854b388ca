"""Starting weights: where training begins when a spec gives no weights.

Random starting weights break the symmetry between neurons (equal weights would get equal
gradients and stay equal forever). Their scale matters: too large saturates sigmoid and tanh,
too small makes the signal fade. Each scheme draws, layer by layer, W (out × in) then b, from
one seeded generator, so a spec and a seed always give the same network.
"""

from __future__ import annotations

import numpy as np

from visualizer.errors import unknown_name


def _xavier(rng, n_in, n_out):
    # Glorot uniform: U(−√(6/(in+out)), +√(6/(in+out))) keeps activations' variance steady for sigmoid/tanh
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, (n_out, n_in)), np.zeros(n_out)


def _he(rng, n_in, n_out):
    # He normal: N(0, 2/in), for ReLU, which zeroes half of its inputs
    return rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in)), np.zeros(n_out)


def _uniform(rng, n_in, n_out):
    # torch.nn.Linear's default: U(−1/√in, +1/√in) for weights and biases alike
    limit = 1.0 / np.sqrt(n_in)
    return rng.uniform(-limit, limit, (n_out, n_in)), rng.uniform(-limit, limit, n_out)


def _normal(rng, n_in, n_out):
    # small Gaussian weights, the classic textbook start
    return rng.normal(0.0, 0.1, (n_out, n_in)), np.zeros(n_out)


INITIALIZERS = {"xavier": _xavier, "he": _he, "uniform": _uniform, "normal": _normal}


def check_init(name: str) -> str:
    if name not in INITIALIZERS:
        raise unknown_name("init", name, INITIALIZERS)
    return name


def initialize(name: str, sizes, seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights (out × in, like torch.nn.Linear) and biases for every layer."""
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        w, b = INITIALIZERS[check_init(name)](rng, n_in, n_out)
        weights.append(w)
        biases.append(b)
    return weights, biases


def draw_data(sizes, seed: int, draw_target=None) -> tuple[np.ndarray, np.ndarray]:
    """One input and target for a spec that gives none, rounded to 2 decimals for hand work.

    Drawn from a stream separate from the weights', so changing init leaves the data alone.
    `draw_target(rng, batch, n)` draws the kind of target a loss needs (a one-hot row, a class).
    """
    rng = np.random.default_rng([seed, 1])
    x = np.round(rng.uniform(0.0, 1.0, (1, sizes[0])), 2)
    if draw_target is not None:
        return x, np.asarray(draw_target(rng, 1, sizes[-1]), dtype=np.float64)
    y = np.round(rng.uniform(0.01, 0.99, (1, sizes[-1])), 2)
    return x, y
