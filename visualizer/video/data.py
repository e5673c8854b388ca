"""The Trace a scene shows: the network named by BACKPROP_NET (a shape, a preset or a TOML
file; default 2-3-1), trained for BACKPROP_STEPS steps (default 1).

    BACKPROP_NET=mazur .venv/bin/manim -ql scenes/lecture.py ForwardPass
"""

from __future__ import annotations

import os

from visualizer.network import run
from visualizer.spec import load_spec
from visualizer.trace import Trace


def load_trace() -> Trace:
    return run(load_spec(os.environ.get("BACKPROP_NET", "2-3-1")), int(os.environ.get("BACKPROP_STEPS", "1")))
