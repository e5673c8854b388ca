"""Numbers never go silently wrong, and loading never runs code: `backprop verify` fails loudly on
a forced disagreement, and nothing the tool reads is unpickled."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "visualizer"


def test_verify_fails_loudly_when_engine_and_torch_disagree():
    # the engine's ReLU slope made wrong inside the process: verify must say ✗ and exit 1
    code = (
        "import dataclasses, sys\n"
        "import numpy as np\n"
        "from visualizer.functions import activations\n"
        "activations.ACTIVATIONS['relu'] = dataclasses.replace(activations.RELU,\n"
        "    derivative=lambda z, a: (z > 0) * 1.001)\n"
        "from visualizer.cli.main import backprop_main\n"
        "sys.argv = ['backprop', 'verify', '--net', '3-4-4-2', '--activation', 'relu', '--steps', '3']\n"
        "backprop_main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "✗" in result.stdout and "differs at step 1" in result.stdout


def test_nothing_is_unpickled():
    """Models are safetensors, traces JSON, data IDX/CSV read as bytes: no pickle anywhere, and no
    torch.load (which unpickles unless told weights_only)."""
    risky = re.compile(r"\bimport pickle\b|\bpickle\.load|\btorch\.load\(|allow_pickle\s*=\s*True|\bjoblib\b")
    found = [
        f"{path.relative_to(PACKAGE)}:{n}"
        for path in PACKAGE.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if risky.search(line)
    ]
    assert not found, found


@pytest.mark.parametrize(
    "content, message",
    [
        ('{"schema": "backprop-trace/0"}', "not a backprop-trace/1 trace (schema: 'backprop-trace/0')"),
        ('{"schema": "backprop-trace/1", "network"', "the trace is not valid JSON"),
    ],
)
def test_scenes_refuse_a_trace_from_another_version_or_damaged_in_one_line(tmp_path, content, message):
    trace = tmp_path / "trace.json"
    trace.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "manim"),
            "-ql",
            "--dry_run",
            "--media_dir",
            str(tmp_path / "media"),
            str(PACKAGE.parent / "scenes" / "lecture.py"),
            "ForwardPass",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "BACKPROP_TRACE": str(trace)},
    )
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors[-1].startswith("backprop scenes: error: ") and message in errors[-1]
    assert "Traceback" not in result.stderr and "╭" not in result.stderr + result.stdout
