"""Numbers never go silently wrong, and loading never runs code: `backprop verify` fails loudly on
a forced disagreement, and nothing the tool reads is unpickled."""

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "visualizer"


def test_verify_fails_loudly_when_engine_and_torch_disagree():
    # the engine's ReLU slope made wrong inside the process: verify must say ✗ and exit 1
    code = (
        "import dataclasses, sys\n"
        "import numpy as np\n"
        "from visualizer import activations\n"
        "activations.ACTIVATIONS['relu'] = dataclasses.replace(activations.RELU,\n"
        "    derivative=lambda z, a: (z > 0) * 1.001)\n"
        "from visualizer.cli import backprop_main\n"
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
    found = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if risky.search(line)]
    assert not found, found
