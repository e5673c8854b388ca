"""Time one training epoch over 60,000 MNIST-sized images: our engine against torch on the CPU,
in the same run, for the lecture's 784-16-10 and for the tutorials' wide 784-512-512-10.

The targets: an epoch of 784-16-10 with the engine (float64) takes no longer than the same epoch
in torch float64; an epoch of 784-512-512-10 with the engine in float32 (`backprop train --dtype
float32`) takes no longer than torch's float32 epoch (1.0×). The data are 60,000 seeded random
28×28 "images" in [0, 1] with random labels (the speed of a step does not depend on what the
pixels show, and nothing is downloaded); batches of 64, Adam with η = 1e-3, softmax output with
cross-entropy; hidden layers sigmoid (784-16-10) or ReLU (784-512-512-10).

  engine float64  visualizer.training.loop.fit(..., epochs=1): the engine's forward, backward and
                  Adam step for each of the 938 mini-batches (the seconds it reports exclude the
                  evaluation after the epoch).
  engine float32  the same with TrainOptions(dtype="float32").
  torch float64   the identical network and optimizer in torch: the same batch size,
                  torch.nn.Linear layers, F.cross_entropy, torch.optim.Adam.
  torch float32   the same in float32, torch's default, as a user would write it.

Each runs once to warm up, then they take turns for N rounds; medians and the engine's ratio to
each torch run are printed. The machine's load is printed too: on shared cores both sides slow
down, unevenly. --quick times an epoch of 3,200 samples (50 steps). A measurement, not a test:
the exit status is always 0.

Measured 2026-12-01 (2 cores shared with other work, load average 1 to 2; medians of 5): 784-16-10
engine float64 0.71 s, torch float64 0.84 s (0.84x). 784-512-512-10 engine float32 5.4 to 6.1 s,
torch float32 4.5 to 4.7 s: 1.14x, 1.19x and 1.36x in three runs (before in-place Adam and the
fused layer: 1.8x); with one thread each (OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1) 6.8 s against
7.5 s, 0.91x. Later that day, on a quiet machine: 6.53 s against 5.64 s (1.16x); with Adam's
update split over both cores and OpenBLAS's threads no longer spinning (functions/parts.py,
visualizer/__init__.py), 5.95 s against 5.36 s (1.11x): the target is not met; what is left is
Adam's 14 numpy passes against torch's 6 (docs/training.md, Speed). This script imports
visualizer before numpy, as `backprop train` does, so that OpenBLAS gets the setting.

Run:  .venv/bin/python benchmarks/train_epoch.py [--quick] [--repeats N] [--case 784-512-512-10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

# isort: off
import visualizer  # noqa: F401  first, as `backprop train` does: it tunes numpy's OpenBLAS before numpy loads
import numpy as np

# isort: on
import torch
from _common import repeats_from, versions_line

from visualizer.network.spec import spec_from_table
from visualizer.training.loop import TrainOptions, fit

N, QUICK_N, BATCH, LR = 60_000, 3_200, 64, 1e-3
CASES = {"784-16-10": ([784, 16, 10], "sigmoid"), "784-512-512-10": ([784, 512, 512, 10], "relu")}
# what each case is measured against: (the engine's run, torch's run)
TARGETS = {"784-16-10": ("engine float64", "torch float64"), "784-512-512-10": ("engine float32", "torch float32")}


def data(n: int):
    rng = np.random.default_rng(0)
    return rng.uniform(0, 1, (n, 784)), rng.integers(0, 10, (n, 1)).astype(np.float64)


def engine_epoch(case: str, x, y, dtype: str) -> float:
    sizes, activation = CASES[case]
    spec = spec_from_table(
        {
            "name": case,
            "sizes": sizes,
            "activation": activation,
            "output_activation": "softmax",
            "loss": "sparse_cross_entropy",
            "optimizer": {"name": "adam", "lr": LR},
        }
    )
    options = TrainOptions(epochs=1, batch_size=BATCH, dtype=dtype)
    return fit(spec, "multiclass", x, y, options=options).seconds


def torch_epoch(case: str, x, y, dtype) -> float:
    sizes, activation = CASES[case]
    torch.manual_seed(0)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU() if activation == "relu" else torch.nn.Sigmoid()]
    net = torch.nn.Sequential(*layers[:-1]).to(dtype)  # no activation after the last layer: cross_entropy's softmax
    optimizer = torch.optim.Adam(net.parameters(), lr=LR)
    inputs, labels = torch.from_numpy(x).to(dtype), torch.from_numpy(y[:, 0]).long()
    start = time.perf_counter()
    order = torch.randperm(len(x))
    for i in range(0, len(x), BATCH):
        rows = order[i : i + BATCH]
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(inputs[rows]), labels[rows]).backward()
        optimizer.step()
    return time.perf_counter() - start


def measure(case: str, x, y, repeats: int) -> None:
    runs = {
        "engine float64": lambda: engine_epoch(case, x, y, "float64"),
        "engine float32": lambda: engine_epoch(case, x, y, "float32"),
        "torch float64": lambda: torch_epoch(case, x, y, torch.float64),
        "torch float32": lambda: torch_epoch(case, x, y, torch.float32),
    }
    for run in runs.values():  # warm-up
        run()
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(run())
    medians = {name: statistics.median(values) for name, values in times.items()}
    ours, theirs = TARGETS[case]
    print(f"\none epoch of {case} over {len(x):,} samples, batches of {BATCH}, Adam; median of {repeats}")
    print(f"{'':16}{'seconds':>9}{'engine float64 / this':>23}{'engine float32 / this':>23}")
    for name, seconds in medians.items():
        ratios = (medians["engine float64"] / seconds, medians["engine float32"] / seconds)
        print(f"{name:16}{seconds:9.3f}{ratios[0]:23.2f}{ratios[1]:23.2f}")
    ratio = medians[ours] / medians[theirs]
    verdict = "met" if ratio <= 1.0 else "NOT met"
    print(f"target: {ours}'s epoch within 1.0x {theirs}'s: {ratio:.2f}x, {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=list(CASES), action="append", help="only this network (default: both)")
    args, repeats = repeats_from(parser, 5)
    print(versions_line("numpy", "torch"), f"torch threads = {torch.get_num_threads()}")
    x, y = data(QUICK_N if args.quick else N)
    for case in args.case or CASES:
        measure(case, x, y, repeats)
    print(f"\nload average (1, 5, 15 min) after the runs: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
