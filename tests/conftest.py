"""Shared test set-up: hypothesis profiles, and the one render of the lecture the video tests share.

`ci` (the default) is derandomized, so every run explores the same examples and a failure
reproduces; `dev` explores new examples each run (HYPOTHESIS_PROFILE=dev).
"""

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def lecture_render(tmp_path_factory):
    """`backprop render --slides` of the 2-3-1 lecture at low quality, and of one beat alone (the
    loss), once for the whole run: the render smoke test, the captions and the slide deck all read
    it (a render of the lecture takes a minute or more, and the suite must stay under 15).
    Gives the folder and the paths the command printed."""
    out = tmp_path_factory.mktemp("lecture")
    command = [sys.executable, "-m", "visualizer", "render", "--net", "2-3-1", "--quality", "low", "--slides"]
    command += ["--scene", "lecture", "--scene", "loss", "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    return out, result.stdout.split()
