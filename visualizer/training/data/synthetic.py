"""Small drawn data sets in one or two dimensions, for seeing what a network learns.

With two features every sample is a point in the plane, so the decision boundary a classifier
learns can be drawn over the points. Each set shows one idea:

- `xor`: four clusters at the corners (±1, ±1), class 1 where exactly one coordinate is
  positive. No straight line separates the classes: a network needs a hidden layer.
- `moons`, `circles`: two interleaving half circles, a ring around a disc (scikit-learn's
  generators). Curved boundaries.
- `spiral`: three arms winding around the origin, one class each: hard, needs several
  hidden neurons.
- `blobs`: three Gaussian clusters (scikit-learn): nearly linear, a warm-up for softmax.
- `sine`: regression of y = sin x + noise for x in [−π, π]: one input, one output, a curve.
- `plane`: regression of y = 2x₁ − 3x₂ + 0.5 + noise: a network without hidden layer suffices.

Every set is drawn from `seed`, so the same seed gives the same points.
"""

from __future__ import annotations

import numpy as np

from .dataset import Table, column

DEFAULT_SAMPLES = 200
NOISE = 0.1  # standard deviation of the noise on the regression targets
PLANE = (2.0, -3.0, 0.5)  # y = a·x₁ + b·x₂ + c
XY = ("x₁", "x₂")


def _counts(n: int, k: int) -> list[int]:
    """n samples shared out over k groups as evenly as possible."""
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def xor(n: int, seed: int) -> Table:
    rng = np.random.default_rng(seed)
    corners = np.array([[-1, -1], [-1, 1], [1, -1], [1, 1]], dtype=np.float64)
    which = np.repeat(np.arange(4), _counts(n, 4))
    x = corners[which] + rng.normal(0.0, 0.3, (n, 2))
    label = (corners[which, 0] > 0) != (corners[which, 1] > 0)
    return Table(x, column(label), "binary", ("0", "1"), XY)


def moons(n: int, seed: int) -> Table:
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n, noise=0.1, random_state=seed)
    return Table(x.astype(np.float64), column(y), "binary", ("upper", "lower"), XY)


def circles(n: int, seed: int) -> Table:
    from sklearn.datasets import make_circles

    x, y = make_circles(n_samples=n, noise=0.05, factor=0.5, random_state=seed)
    return Table(x.astype(np.float64), column(y), "binary", ("outer", "inner"), XY)


def spiral(n: int, seed: int, arms: int = 3) -> Table:
    """Arm k: radius r from 0 to 1 while the angle turns from 4k to 4k + 4 radians (± noise)."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for k, m in enumerate(_counts(n, arms)):
        r = np.linspace(0.0, 1.0, m)
        t = np.linspace(4.0 * k, 4.0 * (k + 1), m) + rng.normal(0.0, 0.2, m)
        xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(m, k))
    classes = tuple(f"arm {k + 1}" for k in range(arms))
    return Table(np.vstack(xs), column(np.concatenate(ys)), "multiclass", classes, XY)


def blobs(n: int, seed: int) -> Table:
    from sklearn.datasets import make_blobs

    x, y = make_blobs(n_samples=n, centers=3, n_features=2, cluster_std=1.0, random_state=seed)
    return Table(x.astype(np.float64), column(y), "multiclass", ("blob 1", "blob 2", "blob 3"), XY)


def sine(n: int, seed: int) -> Table:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-np.pi, np.pi, (n, 1))
    y = np.sin(x) + rng.normal(0.0, NOISE, (n, 1))
    return Table(x, y, "regression", (), ("x₁",))


def plane(n: int, seed: int) -> Table:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (n, 2))
    a, b, c = PLANE
    y = a * x[:, :1] + b * x[:, 1:] + c + rng.normal(0.0, NOISE, (n, 1))
    return Table(x, y, "regression", (), XY)


GENERATORS = {
    "xor": xor,
    "moons": moons,
    "circles": circles,
    "spiral": spiral,
    "blobs": blobs,
    "sine": sine,
    "plane": plane,
}
NAMES = tuple(GENERATORS)


def generate(name: str, samples: int | None, seed: int) -> Table:
    """The set `name` with `samples` points (default 200), drawn from `seed`."""
    return GENERATORS[name](DEFAULT_SAMPLES if samples is None else samples, seed)
