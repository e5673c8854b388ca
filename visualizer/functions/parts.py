"""Elementwise work on large arrays, spread over the machine's cores.

numpy runs an elementwise operation on one core, while torch spreads it over all of them. On a
wide layer (784-512-512-10 has 670,000 weights) Adam's update is a dozen such passes, which left
our float32 training step slower than torch's. numpy releases the GIL inside an operation on a
large array, so threads that each take one contiguous part of the arrays run in parallel. Each
element sees the same operations in the same order as in one pass, so the result is bit for bit
the same.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Below this many elements a thread's start-up costs more than the work it takes over.
SMALLEST_PART = 65_536

_pool: ThreadPoolExecutor | None = None


def cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _workers() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=cores() - 1, thread_name_prefix="parts")
        atexit.register(_pool.shutdown)
    return _pool


def in_parts(step: Callable[..., None], arrays: list[np.ndarray], *args) -> None:
    """step(*parts, *args) on contiguous parts of `arrays` (same shape, C-contiguous; changed in
    place by `step`), one part per core, the last on this thread. Small arrays stay in one part.
    (Smaller blocks, to stay in a core's cache, were slower: numpy's cost per call dominates.)"""
    size = arrays[0].size
    n = min(cores(), size // SMALLEST_PART)
    if n < 2:
        step(*arrays, *args)
        return
    flat = [a.reshape(-1) for a in arrays]  # views: C-contiguous arrays reshape without copying
    bounds = [size * i // n for i in range(n + 1)]
    parts = [[a[lo:hi] for a in flat] for lo, hi in zip(bounds[:-1], bounds[1:])]
    pending = [_workers().submit(step, *part, *args) for part in parts[:-1]]
    step(*parts[-1], *args)
    for job in pending:
        job.result()  # re-raises a worker's error here
