"""The benchmark scripts still run (a smoke run; speed itself is never asserted in tests)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_engine_step_benchmark_runs_and_its_engines_agree():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "engine_step.py"), "--quick", "--skip-scalar-large"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for row in ("2-3-1       ours", "2-3-1       torch autograd", "2-3-1       scalar python", "784-16-10   ours"):
        assert row in result.stdout


def test_explain_startup_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "explain_startup.py"), "--repeats", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "explain --net 2-3-1: first output" in result.stdout
    assert "--no-verify under 0.5 s:" in result.stdout
    assert "explain with verification within 1.3x `import torch`:" in result.stdout


def test_render_speed_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "render_speed.py"), "--quality", "low", "--scene", "loss"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "480p15    backprop render 2-3-1 loss" in result.stdout and "ratio ours / naive" in result.stdout


def test_train_epoch_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "train_epoch.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for row in (
        "one epoch of 784-16-10 over 3,200 samples",
        "one epoch of 784-512-512-10 over 3,200 samples",
        "engine float64 ",
        "engine float32 ",
        "torch float64 ",
        "torch float32 ",
        "target: engine float64's epoch within 1.0x torch float64's",
        "target: engine float32's epoch within 1.0x torch float32's",
        "load average",
    ):
        assert row in result.stdout
