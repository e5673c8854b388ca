"""The Trace a scene shows: the scenes' entry point, as the command line is the commands'.

`backprop render` writes the Trace it wants drawn to a JSON file and names it in BACKPROP_TRACE,
so a video shows exactly the numbers `explain` prints. The plain manim CLI can instead name a
network in BACKPROP_NET (a shape, a preset or a TOML file; default 2-3-1) and BACKPROP_STEPS:

    BACKPROP_NET=mazur .venv/bin/manim -ql scenes/lecture.py ForwardPass

It lives with the command line, not with the renderers: it runs the network, which a renderer
never does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.network.mlp import MAX_STEPS, run
from visualizer.network.sources import load_spec
from visualizer.network.trace import Trace


def load_precision() -> int:
    """The digits the equations show: BACKPROP_PRECISION (backprop render passes the spec's), else
    the spec named in BACKPROP_NET's (mazur asks for 9, as Mazur published them)."""
    try:
        given = os.environ.get("BACKPROP_PRECISION")
        if given:
            if not given.isdigit() or not 1 <= int(given) <= 17:
                raise UsageError(f"BACKPROP_PRECISION must be a whole number of digits from 1 to 17, got {given!r}")
            return int(given)
        return load_spec(os.environ.get("BACKPROP_NET", "2-3-1")).precision
    except UsageError as err:
        print(f"backprop scenes: error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def load_trace() -> Trace:
    """The Trace named by the environment; a wrong one stops manim with one line, not a traceback."""
    try:
        if os.environ.get("BACKPROP_TRACE"):
            path = Path(os.environ["BACKPROP_TRACE"])
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise UsageError(
                    f"BACKPROP_TRACE={path} cannot be read ({err}); write a trace with explain --format json -o FILE"
                ) from None
            return Trace.from_json(text)
        steps = os.environ.get("BACKPROP_STEPS", "1")
        if not steps.isdigit() or not 1 <= int(steps) <= MAX_STEPS:
            raise UsageError(f"BACKPROP_STEPS must be a whole number of steps from 1 to {MAX_STEPS}, got {steps!r}")
        return run(load_spec(os.environ.get("BACKPROP_NET", "2-3-1")), int(steps))
    except UsageError as err:
        print(f"backprop scenes: error: {err}", file=sys.stderr)
        raise SystemExit(2) from None
