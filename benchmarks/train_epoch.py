"""Time one training epoch of the lecture's 784-16-10 network over 60,000 images: our engine
against torch on the CPU, in the same run.

The target: an epoch with the engine takes no longer than the same epoch in torch. The data are
60,000 seeded random 28×28 "images" in [0, 1] with random labels (the speed of a step does not
depend on what the pixels show, and nothing is downloaded); batches of 64, Adam with η = 1e-3,
sigmoid hidden layer, softmax output with cross-entropy.

  engine          visualizer.training.loop.fit(..., epochs=1): the engine's forward, backward and
                  Adam step for each of the 938 mini-batches (the seconds it reports exclude the
                  evaluation after the epoch).
  torch float64   the identical network and optimizer in torch, float64 like the engine: the
                  same batches, torch.nn.Linear layers, F.cross_entropy, torch.optim.Adam.
  torch float32   the same in float32, torch's default, as a user would write it.

Each runs once to warm up, then they take turns for N rounds; medians and the engine's ratio to
each torch run are printed. A measurement, not a test: the exit status is always 0.

Run:  .venv/bin/python benchmarks/train_epoch.py [--quick] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import torch
from _common import repeats_from, versions_line

from visualizer.network.spec import spec_from_table
from visualizer.training.loop import TrainOptions, fit

N, BATCH, LR = 60_000, 64, 1e-3


def data():
    rng = np.random.default_rng(0)
    return rng.uniform(0, 1, (N, 784)), rng.integers(0, 10, (N, 1)).astype(np.float64)


def engine_epoch(x, y) -> float:
    spec = spec_from_table(
        {
            "name": "784-16-10",
            "sizes": [784, 16, 10],
            "output_activation": "softmax",
            "loss": "sparse_cross_entropy",
            "optimizer": {"name": "adam", "lr": LR},
        }
    )
    return fit(spec, "multiclass", x, y, options=TrainOptions(epochs=1, batch_size=BATCH)).seconds


def torch_epoch(x, y, dtype) -> float:
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(784, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 10)).to(dtype)
    optimizer = torch.optim.Adam(net.parameters(), lr=LR)
    inputs, labels = torch.from_numpy(x).to(dtype), torch.from_numpy(y[:, 0]).long()
    start = time.perf_counter()
    order = torch.randperm(N)
    for i in range(0, N, BATCH):
        rows = order[i : i + BATCH]
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(inputs[rows]), labels[rows]).backward()
        optimizer.step()
    return time.perf_counter() - start


def main() -> None:
    args, repeats = repeats_from(argparse.ArgumentParser(description=__doc__.splitlines()[0]), 5)
    print(versions_line("numpy", "torch"), f"torch threads = {torch.get_num_threads()}")
    x, y = data()
    runs = {
        "engine": lambda: engine_epoch(x, y),
        "torch float64": lambda: torch_epoch(x, y, torch.float64),
        "torch float32": lambda: torch_epoch(x, y, torch.float32),
    }
    for run in runs.values():  # warm-up
        run()
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(run())
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"one epoch of 784-16-10 over {N:,} samples, batches of {BATCH}, Adam; median of {repeats}")
    print(f"{'':16}{'seconds':>9}{'engine / this':>15}")
    for name, seconds in medians.items():
        print(f"{name:16}{seconds:9.3f}{medians['engine'] / seconds:15.2f}")
    verdict = "met" if medians["engine"] <= medians["torch float64"] else "NOT met"
    print(f"target: the engine's epoch takes no longer than torch's (float64): {verdict}")


if __name__ == "__main__":
    main()
