"""The command line as a user meets it: real processes, exit codes, stderr, files on disk."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from visualizer.network.trace import Trace

BIN = Path(sys.executable).parent


def cli(*args, program="explain"):
    return subprocess.run([str(BIN / program), *args], capture_output=True, text=True, timeout=120)


def test_json_trace_is_valid_and_verified():
    result = cli("--net", "2-3-1", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "backprop-trace/1"
    assert data["verification"]["torch"]["passed"] and data["verification"]["finite_difference"]["passed"]
    assert Trace.from_dict(data).steps[0].loss == pytest.approx(0.6290996190010656, rel=1e-15)


def test_text_trace_ends_with_the_check_line():
    result = cli("--net", "mazur")
    assert result.returncode == 0, result.stderr
    assert "E = 0.298371109 → 0.291027774" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("✓ verified: torch autograd max |Δ| ")


def test_python_dash_m_and_the_umbrella_command():
    result = subprocess.run(
        [sys.executable, "-m", "visualizer", "explain", "--net", "xor", "--no-verify"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "Network xor" in result.stdout
    assert cli("--help", program="backprop").returncode == 0


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--net", "2-x-1"], "'x' in '2-x-1' is not a layer size"),
        (["--net", "0-3-1"], "at least 1"),
        (["--net", "2"], "one layer"),
        (["--net", "missing.toml"], "missing.toml does not exist"),
        (["--net", "mazurr"], "did you mean 'mazur'"),
        (["--input", "1,2,3"], "3 values per sample"),
        (["--input", "a,b"], "not a list of numbers"),
        (["--lr", "-1"], "learning rate must be a positive number"),
        (["--loss", "nope"], "unknown loss 'nope'"),
        (["--activation", "sigmod"], "did you mean 'sigmoid'"),
        (["--steps", "0"], "--steps"),
        (["--format", "yaml"], "--format"),
        (["--precision", "0"], "--precision"),
        (["--show", "some"], "--show"),
        (["--phase", "sideways"], "--phase"),
        (["--fragment"], "--fragment goes with --format latex"),
        (["-o", "no/such/folder/x.json"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, fragment):
    result = cli(*args, "--no-verify")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("explain: error: ") and fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_output_file_is_written_whole(tmp_path):
    target = tmp_path / "trace.json"
    result = cli("--net", "xor", "--steps", "2", "--format", "json", "-o", str(target), "--no-verify")
    assert result.returncode == 0, result.stderr
    assert Trace.from_json(target.read_text()).network.name == "xor"
    assert [p.name for p in tmp_path.iterdir()] == ["trace.json"]  # no temporary left behind


def test_a_failed_run_leaves_the_old_file_alone(tmp_path):
    target = tmp_path / "trace.json"
    target.write_text("precious")
    assert cli("--net", "2-x-1", "-o", str(target)).returncode == 2
    assert target.read_text() == "precious"


def test_verify_command_reports_each_witness():
    result = cli("verify", "--net", "xor", "--steps", "3", program="backprop")
    assert result.returncode == 0, result.stderr
    assert re.search(r"torch autograd: \d+ numbers", result.stdout)
    assert re.search(r"finite differences: \d+ numbers", result.stdout)
    assert "passed" in result.stdout and "FAILED" not in result.stdout


def test_explain_without_verification_imports_neither_torch_nor_manim():
    code = (
        "import sys; from visualizer.cli.main import explain_main; sys.argv = ['explain', '--no-verify'];\n"
        "try: explain_main()\nexcept SystemExit: pass\n"
        "print('torch' in sys.modules, 'manim' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "False False"


@pytest.mark.parametrize(
    "fmt, start", [("markdown", "## Network 2-3-1"), ("latex", "\\documentclass"), ("text", "\nNetwork 2-3-1")]
)
def test_every_format_writes_a_file(tmp_path, fmt, start):
    target = tmp_path / f"out.{fmt}"
    result = cli("--net", "2-3-1", "--format", fmt, "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith(start)
    assert "verified: torch autograd" in text
    assert "\x1b[" not in text  # no colour codes in files


def test_steps_table_and_final_weights():
    result = cli("--net", "xor", "--steps", "100", "--no-verify", "--width", "100")
    assert result.returncode == 0, result.stderr
    assert "Training: 100 steps" in result.stdout and "final weights and biases, after step 100" in result.stdout
    assert result.stdout.count("Step ") == 1  # only the first step written out


def test_a_mismatch_is_loud_and_fails():
    # σ'(z) made wrong inside the explain process: the verdict says ✗ and the exit status is 1
    code = (
        "import dataclasses, sys\n"
        "from visualizer.functions import activations\n"
        "activations.ACTIVATIONS['sigmoid'] = dataclasses.replace(activations.SIGMOID, derivative=lambda z, a: a)\n"
        "from visualizer.cli.main import explain_main\n"
        "sys.argv = ['explain', '--net', '2-3-1']\n"
        "explain_main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "✗ MISMATCH: torch autograd differs at step 1, layer 2, d_activation" in result.stdout


def test_backprop_alone_prints_its_help():
    result = cli(program="backprop")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: backprop") and "explain" in result.stdout


@pytest.mark.parametrize("command", ["explain", "verify", "diagram", "render", "train"])
def test_every_help_reads_well(command):
    """No click artefacts a newcomer trips over: a range of None, a bare type name for a metavar."""
    result = cli(command, "--help", program="backprop")
    assert result.returncode == 0, result.stderr
    assert "None" not in result.stdout
    assert not re.search(r"INTEGER RANGE|FLOAT RANGE|\bTEXT\b", result.stdout), result.stdout
    if "--net" in result.stdout:
        assert "saved by train --save (.safetensors)" in re.sub(r"\s+", " ", result.stdout)


def test_a_network_given_as_a_command_says_how_to_explain_it():
    result = cli("2-3-1", program="backprop")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "backprop: error: '2-3-1' is not a command; to explain that network: backprop explain --net 2-3-1"
    )
