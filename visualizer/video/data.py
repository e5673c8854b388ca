"""The Trace a scene shows.

`backprop render` writes the Trace it wants drawn to a JSON file and names it in BACKPROP_TRACE,
so a video shows exactly the numbers `explain` prints. The plain manim CLI can instead name a
network in BACKPROP_NET (a shape, a preset or a TOML file; default 2-3-1) and BACKPROP_STEPS:

    BACKPROP_NET=mazur .venv/bin/manim -ql scenes/lecture.py ForwardPass
"""

from __future__ import annotations

import os
from pathlib import Path

from visualizer.network import run
from visualizer.spec import load_spec
from visualizer.trace import Trace


def load_trace() -> Trace:
    if os.environ.get("BACKPROP_TRACE"):
        return Trace.from_json(Path(os.environ["BACKPROP_TRACE"]).read_text(encoding="utf-8"))
    return run(load_spec(os.environ.get("BACKPROP_NET", "2-3-1")), int(os.environ.get("BACKPROP_STEPS", "1")))
