"""Time one recorded training step: our engine against torch autograd and a scalar engine.

A step here is what `visualizer.network.mlp.run(spec, steps=1)` does: forward, loss, backward,
the SGD update, and the loss again with the new weights, RECORDING every intermediate
(W, b, z, a, δ = ∂E/∂z, ∂E/∂W, ∂E/∂b, new W, new b) for the renderers. Recording is part
of the cost, so torch copies out the same arrays; the scalar engine keeps every value and
gradient in its graph nodes anyway.

  ours            run(spec, 1), timed as a whole (spec → Trace).
  torch autograd  the same float64 network in torch (default thread count), z.retain_grad()
                  on every pre-activation, torch.optim.SGD, the loss after under no_grad;
                  every recorded tensor is copied to numpy, as our Trace holds numpy arrays.
  scalar python   a micrograd-style engine on Python floats, defined below: one object per
                  scalar operation. It is the "no vectorisation at all" baseline.

Every timed call starts from the spec (its parameters() and data()), like run() does.
Networks: the 2-3-1 teaching preset (one sample) and 784-16-10 on a batch of 64 (an
MNIST-sized input). Before timing, all three must agree on the loss before and after the
step to 1e-9 relative, or the script stops; that check is also the warm-up run. Reported:
the median per engine and its ratio to ours (> 1: slower than ours).

Run:  make bench   or   .venv/bin/python benchmarks/engine_step.py [--quick] [--skip-scalar-large]
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import sys
import time

import numpy as np
import torch

from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.spec import NetSpec, spec_from_table

REL_TOL = 1e-9
SCALAR_SLOW_S = 30.0  # above this per step, one timed repeat of the scalar engine is enough


# ----- a micrograd-style scalar engine ------------------------------------------------------


class Value:
    """One scalar, its gradient, and its inputs with the local derivative towards each.

    Storing (input, ∂self/∂input) pairs instead of a closure per node keeps memory down,
    which matters at ~1.6M nodes per forward pass of the large network.
    """

    __slots__ = ("data", "grad", "_inputs", "_local")

    def __init__(self, data, inputs=(), local=()):
        self.data, self.grad, self._inputs, self._local = data, 0.0, inputs, local

    # A plain float operand is a constant: no node for it, so input pixels cost nothing.
    def __add__(self, other):
        if isinstance(other, Value):
            return Value(self.data + other.data, (self, other), (1.0, 1.0))
        return Value(self.data + other, (self,), (1.0,))

    def __mul__(self, other):
        if isinstance(other, Value):
            return Value(self.data * other.data, (self, other), (other.data, self.data))
        return Value(self.data * other, (self,), (other,))

    __radd__, __rmul__ = __add__, __mul__

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __pow__(self, k: float):
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),))

    def sigmoid(self):
        z = self.data
        s = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
        return Value(s, (self,), (s * (1.0 - s),))

    def backward(self):
        # Iterative post-order DFS: a recursive one would pass Python's recursion limit on
        # the 784-term sums. Each node lands in `order` after all of its inputs.
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((i, False) for i in node._inputs if i not in seen)
        self.grad = 1.0
        for node in reversed(order):
            for inp, d in zip(node._inputs, node._local):
                inp.grad += d * node.grad


def scalar_loss(W, B, xs, ys) -> Value:
    """MSE, the mean over outputs and batch, of a sigmoid MLP built from Values."""
    total = 0.0
    for x_row, y_row in zip(xs, ys):
        a = x_row
        for W_l, b_l in zip(W, B):
            a = [sum((w * ai for w, ai in zip(row, a)), b).sigmoid() for row, b in zip(W_l, b_l)]
        for ai, yi in zip(a, y_row):
            total = total + (ai - yi) ** 2
    return total * (1.0 / (len(xs) * len(ys[0])))


def scalar_step(weights, biases, x, y, lr):
    W = [[[Value(w) for w in row] for row in W_l.tolist()] for W_l in weights]
    B = [[Value(v) for v in b_l.tolist()] for b_l in biases]
    xs, ys = x.tolist(), y.tolist()
    loss = scalar_loss(W, B, xs, ys)
    loss.backward()
    for p in [w for W_l in W for row in W_l for w in row] + [b for b_l in B for b in b_l]:
        p.data -= lr * p.grad
    return loss.data, scalar_loss(W, B, xs, ys).data


# ----- torch autograd ---------------------------------------------------------------------


def torch_step(weights, biases, x, y, lr):
    # parameters() returns fresh arrays, so sharing their memory (from_numpy) is safe.
    W = [torch.from_numpy(w).requires_grad_() for w in weights]
    b = [torch.from_numpy(v).requires_grad_() for v in biases]
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.SGD(W + b, lr=lr)
    record = [{"W": W_l.detach().numpy().copy(), "b": b_l.detach().numpy().copy()} for W_l, b_l in zip(W, b)]

    def forward():
        zs, acts, a = [], [], xt
        for W_l, b_l in zip(W, b):
            z = a @ W_l.T + b_l
            if z.requires_grad:
                z.retain_grad()  # keep δ = ∂E/∂z, which autograd would otherwise free
            a = torch.sigmoid(z)
            zs.append(z)
            acts.append(a)
        return zs, acts, torch.nn.functional.mse_loss(a, yt)

    zs, acts, loss = forward()
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        loss_after = forward()[2]
    for layer, z, a, W_l, b_l in zip(record, zs, acts, W, b):
        layer.update(
            z=z.detach().numpy().copy(),
            a=a.detach().numpy().copy(),
            delta=z.grad.numpy().copy(),
            grad_W=W_l.grad.numpy().copy(),
            grad_b=b_l.grad.numpy().copy(),
            W_new=W_l.detach().numpy().copy(),
            b_new=b_l.detach().numpy().copy(),
        )
    return loss.item(), loss_after.item(), record


# ----- the benchmark ----------------------------------------------------------------------


def engines(spec: NetSpec) -> dict:
    """name -> callable doing one step from the spec and returning (loss, loss_after)."""
    lr = spec.optimizer["lr"]

    def ours():
        step = run(spec, 1).steps[0]
        return step.loss, step.loss_after

    return {
        "ours": ours,
        "torch autograd": lambda: torch_step(*spec.parameters(), *spec.data(), lr)[:2],
        "scalar python": lambda: scalar_step(*spec.parameters(), *spec.data(), lr),
    }


def large_spec() -> NetSpec:
    rng = np.random.default_rng(0)
    x = rng.uniform(0.0, 1.0, (64, 784))
    y = np.eye(10)[rng.integers(0, 10, 64)]
    return spec_from_table(
        {
            "sizes": [784, 16, 10],
            "seed": 0,
            "input": x.tolist(),
            "target": y.tolist(),
            "optimizer": {"name": "sgd", "lr": 0.5},
        }
    )


def check(label: str, fns: dict) -> dict:
    """Run each engine once; stop unless all agree. Returns each engine's seconds for that run."""
    results, seconds = {}, {}
    for name, fn in fns.items():
        t0 = time.perf_counter()
        results[name] = fn()
        seconds[name] = time.perf_counter() - t0
    ref = results["ours"]
    worst = max(abs(r[i] - ref[i]) / abs(ref[i]) for r in results.values() for i in (0, 1))
    print(f"check {label}: loss before -> after, max relative difference {worst:.1e} (limit {REL_TOL:g})")
    for name, (before, after) in results.items():
        print(f"  {name:<16}{before:.15g} -> {after:.15g}")
    if not worst <= REL_TOL:
        sys.exit(
            f"ABORT: the engines disagree on {label} (max relative loss difference "
            f"{worst:.3g} > {REL_TOL:g}); timings would compare different computations."
        )
    return seconds


def median_seconds(fn, repeats: int) -> float:
    # Collect another engine's garbage once, not before every repeat: a full collection walks
    # every object (torch's too) and leaves the caches cold, which doubled a 2-3-1 step.
    # The cyclic GC stays on, as for any user (timeit turns it off): on the large network
    # it is most of the scalar engine's time, scanning its ever-growing graph.
    gc.collect()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def fmt(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.3g} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repeats, for a smoke run")
    parser.add_argument("--skip-scalar-large", action="store_true", help="skip the scalar engine on 784-16-10")
    args = parser.parse_args()

    print(
        f"Python {sys.version.split()[0]}  numpy {np.__version__}  torch {torch.__version__}  "
        f"torch threads {torch.get_num_threads()}  os.cpu_count() {os.cpu_count()}"
    )
    # repeats: (ours and torch, scalar); the scalar engine builds ~1.6M nodes per large forward
    small, large = ((20, 5), (3, 1)) if args.quick else ((200, 50), (20, 3))
    t0 = time.perf_counter()
    big = large_spec()  # building the spec from lists is slow, and not part of a step
    print(f"built the 784-16-10 spec in {time.perf_counter() - t0:.2f} s (not timed)")
    cases = [
        ("2-3-1", load_spec("2-3-1"), *small),
        ("784-16-10", big, large[0], 0 if args.skip_scalar_large else large[1]),
    ]
    for label, spec, *_ in cases:
        if set(spec.activations) != {"sigmoid"} or spec.loss != "mse" or spec.optimizer["name"] != "sgd":
            sys.exit(f"ABORT: {label} is not sigmoid/MSE/SGD, which the torch and scalar versions assume")

    rows, notes = [], []
    for label, spec, repeats, scalar_repeats in cases:
        fns = engines(spec)
        if not scalar_repeats:
            del fns["scalar python"]
            notes.append(f"{label}: scalar engine skipped (--skip-scalar-large)")
        first = check(label, fns)  # also the warm-up
        for name, fn in fns.items():
            n = scalar_repeats if name == "scalar python" else repeats
            if name == "scalar python" and first[name] > SCALAR_SLOW_S and n > 1:
                n = 1
                notes.append(f"{label}: one scalar step took {first[name]:.0f} s, so it was timed once")
            rows.append((label, name, median_seconds(fn, n), n))

    ours = {label: t for label, name, t, _ in rows if name == "ours"}
    print(f"\n{'network':<12}{'engine':<16}{'median':>10}{'vs ours':>10}{'repeats':>9}")
    for label, name, t, n in rows:
        print(f"{label:<12}{name:<16}{fmt(t):>10}{t / ours[label]:>9.2f}x{n:>9}")
    for note in notes:
        print("note:", note)


if __name__ == "__main__":
    main()
