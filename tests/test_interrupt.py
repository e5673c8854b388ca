"""Ctrl-C and runaway numbers: a long render or training run stops cleanly with a message, leaves
no half-written file, and what was saved before is untouched; a diverging run says where and why."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


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


def interrupt_when(args, seen: str, cwd: Path, env=None):
    """Start `args`, send SIGINT as soon as its stderr shows `seen`; return (exit status, stderr)."""
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env={**os.environ, **(env or {})}
    )
    os.set_blocking(process.stderr.fileno(), False)
    shown, deadline = b"", time.monotonic() + 120
    while seen.encode() not in shown:
        assert process.poll() is None, f"finished before it could be interrupted: {shown.decode()[-1000:]}"
        assert time.monotonic() < deadline, f"never showed {seen!r}: {shown.decode()[-1000:]}"
        shown += process.stderr.read() or b""
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    os.set_blocking(process.stderr.fileno(), True)
    _, rest = process.communicate(timeout=120)
    return process.returncode, (shown + rest).decode()


def train_args(tmp_path: Path, *extra) -> list[str]:
    return [str(BIN / "backprop"), "train", "--data", "digits", *extra, "-o", str(tmp_path / "run")]


def test_ctrl_c_after_an_epoch_keeps_the_finished_epochs_and_says_so(tmp_path):
    from visualizer.network.model_io import read_model

    model = tmp_path / "model.safetensors"
    model.write_bytes(b"the model from before")
    args = train_args(tmp_path, "--net", "64-256-256-10", "--batch-size", "1", "--epochs", "20", "--save", str(model))
    status, stderr = interrupt_when(args, "epoch 1/20:", tmp_path)  # epoch 1's summary line: it has finished
    assert status == 130 and "Traceback" not in stderr, stderr[-2000:]
    last = stderr.strip().splitlines()[-1]
    done = int(re.fullmatch(r"backprop: stopped after epoch (\d+) of 20; saved .*", last).group(1))
    assert 1 <= done < 20
    run = tmp_path / "run"
    assert str(model) in last and str(run / "metrics.json") in last and str(run / "curves.png") in last
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["history"]["epoch"] == list(range(1, done + 1)) and metrics["training"]["epochs_run"] == done
    assert metrics["stopped"] == f"stopped (Ctrl-C) after epoch {done} of 20"
    assert {p.name for p in run.iterdir()} == {"curves.png", "confusion.png", "predictions.png", "metrics.json"}
    description, weights, _ = read_model(model)  # the old file replaced whole by the finished epochs' model
    assert description["training"]["epochs_run"] == done and weights[0].shape == (256, 64)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


def test_ctrl_c_before_the_first_epoch_finished_saves_nothing_and_says_so(tmp_path):
    model = tmp_path / "model.safetensors"
    model.write_bytes(b"the model from before")
    before = files_under(tmp_path)
    args = train_args(tmp_path, "--net", "64-1024-1024-10", "--batch-size", "1", "--epochs", "3", "--save", str(model))
    # FORCE_COLOR: rich draws its progress bar into the pipe, so the test sees the first epoch begin
    status, stderr = interrupt_when(args, "epoch 1/3", tmp_path, env={"FORCE_COLOR": "1"})
    assert status == 130 and "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]  # after the codes that clear the transient bar
    assert last.endswith("\x1b[2Kbackprop: interrupted before the first epoch finished; nothing was saved")
    assert files_under(tmp_path) == before  # the model untouched; no half-written report or plot


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
