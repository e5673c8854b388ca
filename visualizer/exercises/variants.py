"""A class's variants of one network: the same network for every student, each with numbers of
their own, pleasant to work with by hand.

Student i's numbers are drawn from their own stream, `SeedSequence(seed, spawn_key=(i,))`, so
a student's variant depends on the class's seed and their number only (student 7 is the same
whether the class has 10 students or 30). Every given number has one or two decimals:

- inputs x: one decimal, 0.1 to 0.9;
- weights w: multiples of 0.05, 0.05 to 0.95 in size; all positive where the network's own
  weights are (mazur), else either sign;
- biases b: as the weights; one per layer where the network gives every neuron of a layer the
  same bias (mazur's b₁ and b₂), else one per neuron;
- targets y of a regression loss (mse, sse, half_sse, mae, mape): multiples of 0.05 from 0.05 to
  0.95 (either sign under a tanh output); a loss that takes classes or labels (cross-entropy,
  hinge, bce) keeps the network's own targets, which say which class each sample is;
- the learning rate, the loss, the activations and everything else: the network's own; the
  seed (which draws nothing, every number being given) is the class's.

A draw that breaks a rule of pleasant.py (a saturated sigmoid, an answer that rounds to zero,
…) is thrown away and the next one from the same stream taken, so the redraws are as
deterministic as the first draw.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from visualizer.errors import UsageError
from visualizer.network.mlp import run
from visualizer.network.spec import NetSpec
from visualizer.network.trace import Trace

from .pleasant import problems
from .quantities import quantities

MAX_PARAMETERS = 64  # weights and biases: a step by hand, not a page of arithmetic
MAX_SAMPLES = 4
MAX_DRAWS = 2000  # draws per student before giving up on the network
REGRESSION = ("mse", "sse", "half_sse", "mae", "mape")  # losses whose targets are drawn


@dataclass(frozen=True)
class Variant:
    index: int  # the student's number, from 1
    spec: NetSpec
    trace: Trace
    draws: int  # how many draws it took to find a pleasant one


def check_network(spec: NetSpec) -> None:
    """Refuse a network a worksheet cannot be made of, in one line."""
    n = sum(i * o + o for i, o in zip(spec.sizes[:-1], spec.sizes[1:]))
    if n > MAX_PARAMETERS:
        raise UsageError(
            f"{spec.name} has {n:,} weights and biases; a worksheet is one step by hand: give a network with at "
            f"most {MAX_PARAMETERS} (e.g. 2-2-1, 2-3-1, mazur, classifier)"
        )
    if len(spec.data()[0]) > MAX_SAMPLES:
        raise UsageError(
            f"{spec.name} learns from {len(spec.data()[0])} samples at once; a worksheet takes at most "
            f"{MAX_SAMPLES}: give a spec with fewer"
        )
    if spec.dropout > 0 or spec.rule != "backprop" or spec.batch_size is not None:
        raise UsageError(
            f"{spec.name} uses dropout, mini-batches or the perceptron rule; a worksheet is one plain "
            "backpropagation step: leave them out of the spec"
        )


def draw_variant(base: NetSpec, seed: int, index: int, ask: tuple[str, ...], precision: int) -> Variant:
    """Student `index`'s pleasant variant of `base`, whose worksheet asks for the quantities of
    the phases `ask` at `precision` significant figures."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
    seen: dict[str, list[str]] = {}  # each kind of problem, the lines that said it
    for draws in range(1, MAX_DRAWS + 1):
        spec = _draw(base, rng, seed, index, precision)
        trace = run(spec)
        found = problems(trace, quantities(trace, ask, precision), precision)
        if not found:
            return Variant(index, spec, trace, draws)
        for line in found:
            kind, _, said = line.partition(": ")
            seen.setdefault(kind, []).append(said)
    common = max(seen.values(), key=len)[-1]
    raise UsageError(
        f"no pleasant variant of {base.name} for student {index} in {MAX_DRAWS} draws (most often: {common}); "
        "try fewer digits (--precision) or a smaller network"
    )


def _draw(base: NetSpec, rng: np.random.Generator, seed: int, index: int, precision: int) -> NetSpec:
    x, y = base.data()
    given_w, given_b = base.parameters()
    positive = base.weights is not None and all(np.all(w > 0) for w in base.weights)
    weights = tuple(_grid(rng, w.shape, positive) for w in given_w)
    biases = tuple(
        np.full(b.shape, _grid(rng, (1,), positive)[0]) if _shared(base, b) else _grid(rng, b.shape, positive)
        for b in given_b
    )
    inputs = rng.integers(1, 10, x.shape) / 10
    if base.loss in REGRESSION:
        y = _grid(rng, y.shape, base.activations[-1] != "tanh")
    return dataclasses.replace(
        base,
        name=f"{base.name}-student-{index:02d}",
        description=f"student {index}'s variant of {base.name}, drawn for a worksheet",
        input=inputs,
        target=np.asarray(y, dtype=np.float64),
        weights=weights,
        biases=biases,
        precision=precision,
        seed=seed,  # the class's: what the header's "seed" then says
    )


def _grid(rng: np.random.Generator, shape, positive: bool) -> np.ndarray:
    """Multiples of 0.05 from 0.05 to 0.95 in size, positive or of either sign."""
    values = rng.integers(1, 20, shape) * 5 / 100
    return values if positive else values * rng.choice([-1.0, 1.0], shape)


def _shared(base: NetSpec, b: np.ndarray) -> bool:
    """Whether the network gives every neuron of each layer one bias (mazur's b₁, b₂)."""
    return base.biases is not None and len(b) > 1 and all(np.all(layer == layer[0]) for layer in base.biases)
