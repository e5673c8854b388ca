"""Render speed of the lecture video: seconds of rendering per second of video.

The target: `backprop render --net 2-3-1 --scene lecture --quality high` (1080p60) renders in no
more than the video's own running time on this 2-core machine, i.e. at most 1 s per second of
video. The reference, rendered in the same run at the same quality: benchmarks/naive_lecture.py,
the same network drawn the naive way in plain manim (a MathTex typeset for every number, a play()
per neuron and per edge), with `manim --disable_caching` as backprop render uses.

Every measurement is a whole process, wall clock from spawn to exit (so LaTeX, imports and the
torch check are in), divided by the duration of the video it wrote (read with PyAV). Commands
take turns, N rounds, so machine noise hits them alike; medians are reported. A measurement,
not a test: the exit status is 0 whatever the verdict, non-zero only if a render fails.

Run:  .venv/bin/python benchmarks/render_speed.py [--quality low,high] [--scene lecture] [--repeats N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import av
from _common import repeats_from, versions_line

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
FLAGS = {"low": "-ql", "medium": "-qm", "high": "-qh"}
NAMES = {"low": "480p15", "medium": "720p30", "high": "1080p60"}


def duration(video: Path) -> float:
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def ours(quality: str, scene: str, out: Path) -> tuple[float, float]:
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "backprop"), "render", "--net", "2-3-1", "--scene", scene, "--quality", quality, "-o", str(out)],
        check=True,
        capture_output=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, duration(next(out.glob("*.mp4")))


def naive(quality: str, out: Path) -> tuple[float, float]:
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "manim"),
            FLAGS[quality],
            "--disable_caching",
            "--progress_bar",
            "none",
            "--media_dir",
            str(out),
            str(ROOT / "benchmarks" / "naive_lecture.py"),
            "NaiveLecture",
        ],
        check=True,
        capture_output=True,
        cwd=out,
    )
    elapsed = time.perf_counter() - start
    return elapsed, duration(next(out.rglob("NaiveLecture.mp4")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="low,high", help="comma-separated: low, medium, high (default low,high)")
    parser.add_argument("--scene", default="lecture", help="which beat of ours to time (default lecture)")
    args, repeats = repeats_from(parser, default=1)
    print(versions_line("manim", "manim-slides", "torch"))
    print(f"{repeats} timed run(s) each; seconds of rendering per second of video, medians\n")
    print(f"{'quality':<9} {'what':<34} {'render s':>9} {'video s':>8} {'s per s':>8}")
    for quality in args.quality.split(","):
        results = {"ours": [], "naive": []}
        for _ in range(repeats):
            for name, job in (("ours", partial(ours, quality, args.scene)), ("naive", partial(naive, quality))):
                with tempfile.TemporaryDirectory() as work:
                    results[name].append(job(Path(work)))
        rates = {}
        for name, runs in results.items():
            elapsed = statistics.median(r[0] for r in runs)
            length = statistics.median(r[1] for r in runs)
            rates[name] = statistics.median(r[0] / r[1] for r in runs)
            what = f"backprop render 2-3-1 {args.scene}" if name == "ours" else "naive plain-manim 2-3-1"
            print(f"{NAMES[quality]:<9} {what:<34} {elapsed:>9.1f} {length:>8.1f} {rates[name]:>8.2f}")
        print(f"{NAMES[quality]:<9} {'ratio ours / naive':<34} {'':>9} {'':>8} {rates['ours'] / rates['naive']:>8.2f}")
        if quality == "high":
            verdict = "met" if rates["ours"] <= 1.0 else "NOT met"
            print(f"target ≤ 1 s per second of video at 1080p60: {verdict} ({rates['ours']:.2f})")
        print()


if __name__ == "__main__":
    main()
