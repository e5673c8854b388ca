"""Time how fast `explain` starts, against the cost of importing torch.

torch is imported only when verification runs, and only after the trace is printed, so:
  - `explain --net 2-3-1 --no-verify` should finish in under 0.5 s,
  - `explain --net 2-3-1` (with verification) should put the trace on screen before a bare
    `import torch` would even have finished, and
  - finish within 1.3x a bare `import torch`: the check itself takes milliseconds; what costs is
    importing torch (torch.optim runs without importing torch._dynamo, which alone took 1.3 s).

Every measurement is a whole process (subprocess; wall clock from time.perf_counter()
around spawn .. exit), so interpreter start-up and every import are included:

  explain --net 2-3-1 --no-verify       total time, stdout to a pipe, read fully.
  python -c "import torch"              total time: the reference for the ratios.
  explain --net 2-3-1: first output     time until the first non-empty chunk of stdout,
                                        read incrementally from an unbuffered pipe.
  explain --net 2-3-1: total            the same run, until the process exits.
  python -c "import numpy"              total time: the floor (interpreter + numpy).

All children get PYTHONUNBUFFERED=1: on a pipe Python block-buffers stdout, which would
hold the trace back until exit and make "first output" meaningless. It is set for every
run so they are all measured alike. Each command runs once as a warm-up (the OS file
cache), then the commands run in turn, N rounds, so machine noise hits them all alike;
medians are reported. The exit status is 0 whatever the verdicts (a measurement, not a
test); it is non-zero only if a command itself fails.

Run:  .venv/bin/python benchmarks/explain_startup.py [--quick] [--repeats N]
The children inherit the environment: PYTHONPATH=<a worktree> times that tree's code with the
venv's binaries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import repeats_from, versions_line

# The venv's own binaries, found next to the interpreter running this script.
BIN = Path(sys.executable).parent
PYTHON = sys.executable
EXPLAIN = str(BIN / "explain")
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
TARGET = 1.3  # explain with verification, at most this many times a bare `import torch`
NO_VERIFY = [EXPLAIN, "--net", "2-3-1", "--no-verify"]
VERIFY = [EXPLAIN, "--net", "2-3-1"]
IMPORT_TORCH = [PYTHON, "-c", "import torch"]
IMPORT_NUMPY = [PYTHON, "-c", "import numpy"]


def _check(cmd: list[str], returncode: int, stderr) -> None:
    # A command that fails fast would look like a fast start-up: stop instead.
    if returncode != 0:
        stderr.seek(0)
        sys.exit(f"{' '.join(cmd)} exited {returncode}:\n{stderr.read().decode(errors='replace')}")


def total_time(cmd: list[str]) -> float:
    """Spawn .. exit of `cmd`, its stdout read fully from a pipe."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: it can never block the child
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, env=ENV)
        elapsed = time.perf_counter() - start
        _check(cmd, done.returncode, err)
    return elapsed


def first_output_and_total(cmd: list[str]) -> tuple[float, float]:
    """(time to the first non-empty stdout chunk, time to exit), from one run of `cmd`."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=ENV, bufsize=0)
        first = None
        # os.read returns as soon as any bytes are there; b"" means EOF (the child closed stdout).
        while os.read(proc.stdout.fileno(), 65536):
            if first is None:
                first = time.perf_counter() - start
        proc.stdout.close()
        returncode = proc.wait()
        total = time.perf_counter() - start
        _check(cmd, returncode, err)
    if first is None:
        sys.exit(f"{' '.join(cmd)} printed nothing")
    return first, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args, repeats = repeats_from(parser, default=9)
    print(versions_line("numpy", "torch"))
    print(f"{repeats} timed runs per command after 1 warm-up each; PYTHONUNBUFFERED=1 for all\n")

    rows: dict[str, list[float]] = {key: [] for key in ("no_verify", "torch", "first", "verify", "numpy")}
    for round_ in range(repeats + 1):  # round 0 is the warm-up, not recorded
        sample = {"no_verify": total_time(NO_VERIFY), "torch": total_time(IMPORT_TORCH)}
        sample["first"], sample["verify"] = first_output_and_total(VERIFY)
        sample["numpy"] = total_time(IMPORT_NUMPY)
        if round_:
            for key, seconds in sample.items():
                rows[key].append(seconds)

    median = {key: statistics.median(times) for key, times in rows.items()}
    labels = {
        "no_verify": "explain --net 2-3-1 --no-verify",
        "torch": 'python -c "import torch"',
        "first": "explain --net 2-3-1: first output",
        "verify": "explain --net 2-3-1: total (with verify)",
        "numpy": 'python -c "import numpy"',
    }
    print(f"{'measurement':<45} {'median':<10} {'vs import torch':<16} {'min .. max'}")
    for key, label in labels.items():
        spread = f"{min(rows[key]):.2f} .. {max(rows[key]):.2f} s"
        print(f"{label:<45} {median[key]:.2f} s     {median[key] / median['torch']:.2f}x{'':<11} {spread}")
    print()

    fast = median["no_verify"] < 0.5
    print(f"--no-verify under 0.5 s: {'yes' if fast else 'NO'} (median {median['no_verify']:.3f} s)")
    early = median["first"] < median["torch"]
    print(
        f"trace on screen before `import torch` finishes: {'yes' if early else 'NO'} "
        f"(first output {median['first']:.3f} s vs import torch {median['torch']:.3f} s)"
    )
    ratio = median["verify"] / median["torch"]
    print(
        f"explain with verification within {TARGET}x `import torch`: {'yes' if ratio <= TARGET else 'NO'} "
        f"({median['verify']:.3f} s / {median['torch']:.3f} s = {ratio:.2f}x; target <= {TARGET}x)"
    )


if __name__ == "__main__":
    main()
