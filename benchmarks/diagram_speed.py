"""Time `backprop diagram` on a 784-16-10 network, against plain matplotlib drawn naively.

The target: `backprop diagram --net 784-16-10 --kind forward -o out.png` finishes within 2 s as a
whole process. The project collapses wide layers (the 784-input layer shows 7 neurons, an ellipsis
and the last one) and draws all edges as one LineCollection. To show what that buys, the same
network is drawn the naive way with plain matplotlib: all 810 neurons as one Circle patch each and
all 784*16 + 16*10 = 12,704 edges as one `ax.plot` Line2D each, coloured by the sign of a seeded
random weight, saved as a PNG at dpi 150 (`--naive-reference OUT.png` runs just that drawing).

Every measurement is a whole process (subprocess; wall clock from time.perf_counter() around
spawn .. exit), so interpreter start-up and every import are included:

  diagram --kind forward     the target (verdict: under 2 s or not).
  diagram --kind backward    informational.
  diagram --kind all         all five kinds into a folder; informational.
  naive reference            this file re-invoked with --naive-reference: the ratios' reference.
  import pyplot (Agg)        python -c "import matplotlib; matplotlib.use('Agg'); import
                             matplotlib.pyplot": the floor (interpreter + matplotlib).

Each command runs once as a warm-up (the OS file cache, matplotlib's font cache), then the
commands run in turn, N rounds, so machine noise hits them all alike; medians are reported.
The exit status is 0 whatever the verdict (a measurement, not a test); it is non-zero only if
a command fails or writes no file.

Run:  .venv/bin/python benchmarks/diagram_speed.py [--quick] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import repeats_from, versions_line

# The venv's own binaries, found next to the interpreter running this script.
PYTHON = sys.executable
BACKPROP = str(Path(sys.executable).parent / "backprop")
HERE = Path(__file__).resolve()
SIZES = (784, 16, 10)
TARGET = 2.0  # seconds, whole process, --kind forward


def naive_reference(out: str) -> None:
    """The full network, one artist per neuron and per edge: what plain matplotlib does unaided."""
    # Imported here, not at the top: the parent process must stay light (it only spawns children).
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle

    rng = np.random.default_rng(0)
    # Neurons one unit apart in each column, columns centred on each other.
    ys = [np.arange(n) - (n - 1) / 2 for n in SIZES]
    xs = [260.0 * layer for layer in range(len(SIZES))]
    fig, ax = plt.subplots(figsize=(8, 12))
    ax.set_aspect("equal")
    ax.axis("off")
    for layer in range(1, len(SIZES)):
        weights = rng.standard_normal((SIZES[layer - 1], SIZES[layer]))
        for i, y0 in enumerate(ys[layer - 1]):
            for j, y1 in enumerate(ys[layer]):
                ax.plot(
                    [xs[layer - 1], xs[layer]],
                    [y0, y1],
                    lw=0.3,
                    color="tab:red" if weights[i, j] > 0 else "tab:blue",
                    zorder=1,
                )
    for x, column in zip(xs, ys):
        for y in column:
            ax.add_patch(Circle((x, y), 0.4, facecolor="white", edgecolor="0.2", lw=0.3, zorder=2))
    # A reference with fewer artists than promised would flatter the project: check the counts.
    assert len(ax.lines) == 784 * 16 + 16 * 10 and len(ax.patches) == sum(SIZES)
    fig.savefig(out, dpi=150)


def run(cmd: list[str], output: Path | None) -> float:
    """Spawn .. exit of `cmd`; stop if it fails or leaves `output` (a file or folder) empty."""
    # Clear the last run's output, so a run that writes nothing cannot pass on its files.
    for stale in (output.iterdir() if output.is_dir() else [output]) if output is not None else []:
        stale.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: it can never block the child
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd)} exited {done.returncode}:\n{err.read().decode(errors='replace')}")
    if output is not None:
        files = (
            [p for p in output.iterdir() if p.stat().st_size]
            if output.is_dir()
            else ([output] if output.is_file() and output.stat().st_size else [])
        )
        if not files:
            sys.exit(f"{' '.join(cmd)} wrote no file at {output}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--naive-reference", metavar="OUT.png", help="only draw the naive reference")
    args, repeats = repeats_from(parser, default=7)
    if args.naive_reference:
        naive_reference(args.naive_reference)
        return
    print(versions_line("numpy", "matplotlib"))
    print(f"{repeats} timed runs per command after 1 warm-up each, round-robin\n")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "all").mkdir()
        net = [BACKPROP, "diagram", "--net", "784-16-10"]
        commands = {  # label: (command, what it must write)
            "diagram --kind forward": (
                net + ["--kind", "forward", "-o", str(tmp / "forward.png")],
                tmp / "forward.png",
            ),
            "diagram --kind backward": (
                net + ["--kind", "backward", "-o", str(tmp / "backward.png")],
                tmp / "backward.png",
            ),
            "diagram --kind all (5 kinds)": (net + ["--kind", "all", "-o", str(tmp / "all")], tmp / "all"),
            "naive reference (full net)": (
                [PYTHON, str(HERE), "--naive-reference", str(tmp / "naive.png")],
                tmp / "naive.png",
            ),
            "import pyplot (Agg), floor": (
                [PYTHON, "-c", "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot"],
                None,
            ),
        }
        times: dict[str, list[float]] = {label: [] for label in commands}
        for round_ in range(repeats + 1):  # round 0 is the warm-up, not recorded
            for label, (cmd, output) in commands.items():
                seconds = run(cmd, output)
                if round_:
                    times[label].append(seconds)
        kinds_written = len(list((tmp / "all").iterdir()))

    median = {label: statistics.median(t) for label, t in times.items()}
    naive = median["naive reference (full net)"]
    print(f"{'measurement':<32} {'median':>8}   {'min .. max':<16} {'vs naive':>8}")
    for label, t in times.items():
        print(f"{label:<32} {median[label]:>6.2f} s   {min(t):.2f} .. {max(t):.2f} s   {median[label] / naive:>7.2f}x")
    print(f"\n--kind all wrote {kinds_written} files")
    forward = median["diagram --kind forward"]
    print(
        f"diagram --net 784-16-10 --kind forward under {TARGET:.0f} s: {'yes' if forward < TARGET else 'NO'} "
        f"(median {forward:.3f} s; naive reference {naive:.3f} s, {naive / forward:.1f}x slower)"
    )


if __name__ == "__main__":
    main()
