"""`--data NAME --sample N`: one real test sample explained, as the lecture's exercise meets the
step-by-step explanation. digits (8×8 images, scikit-learn's, in the package) keeps it fast; the
Fashion-MNIST case runs on `make setup`'s copy."""

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from visualizer.network.model_io import read_model, save_model, spec_from_model, state_dict
from visualizer.network.sources import load_spec
from visualizer.network.trace import Trace
from visualizer.training.data import load_dataset
from visualizer.training.data.images import CLASSES

BIN = Path(sys.executable).parent


def cli(*args, program="explain"):
    return subprocess.run([str(BIN / program), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits", scale="none")


def trace_of(*args) -> Trace:
    result = cli(*args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return Trace.from_json(result.stdout)


def test_the_sample_is_the_input_and_its_label_the_target(digits):
    trace = trace_of("--net", "64-16-10", "--data", "digits", "--sample", "2")
    raw, label = digits.x_test[2], int(digits.y_test[2, 0])
    np.testing.assert_array_equal(trace.input, [raw / 16])  # the data set's own scaling: pixels / 16
    np.testing.assert_array_equal(trace.target, np.eye(10)[[label]])  # one-hot for mse
    s = trace.sample
    assert (s.data, s.index, s.label, s.image_shape) == ("digits", 2, label, (8, 8))
    np.testing.assert_array_equal(s.raw, raw.reshape(8, 8))  # the picture as stored, for drawing
    assert trace.network.classes == CLASSES.get("digits", tuple(str(d) for d in range(10)))
    assert trace.network.input_scaling["scale"] == 16.0
    assert trace.verification.passed


def test_a_model_scales_the_sample_as_it_was_trained_and_takes_the_class_index(tmp_path, digits):
    shift, scale = 3.0, 4.0  # not the data set's own, so the test sees whose scaling was used
    spec = load_spec("64-16-10").with_overrides(output_activation="softmax", loss="sparse_cross_entropy")
    spec = dataclasses.replace(spec, classes=tuple("abcdefghij"), input_scaling={"shift": shift, "scale": scale})
    model = save_model(tmp_path / "m.safetensors", spec, *spec.parameters())
    trace = trace_of("--net", str(model), "--data", "digits", "--sample", "0", "--no-verify")
    np.testing.assert_array_equal(trace.input, [(digits.x_test[0] - shift) / scale])
    assert trace.target.tolist() == [[digits.y_test[0, 0]]]  # sparse cross-entropy takes the index
    assert trace.network.classes == tuple("abcdefghij")  # the model's names, not the data set's


def test_an_older_model_names_its_classes_from_what_it_was_trained_on(tmp_path):
    spec = load_spec("64-16-10")
    path = save_model(tmp_path / "m.safetensors", spec, *spec.parameters(), trained_on={"classes": list("0123456789")})
    description, weights, biases = read_model(path)
    del description["classes"], description["input_scaling"]  # as a model from before the fields
    from safetensors.numpy import save_file

    save_file(state_dict(weights, biases), str(path), metadata={"backprop": json.dumps(description)})
    assert spec_from_model(path).classes == tuple("0123456789")


def test_the_text_shows_the_picture_the_class_names_and_the_bars(digits):
    result = cli(
        "--net", "64-16-10", "--data", "digits", "--sample", "2", "--no-verify", "--no-color", "--width", "120"
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    label = int(digits.y_test[2, 0])
    assert "input x: test sample 2 of digits, scaled as in training (pixels / 16):" in out
    assert f"target y: its label, class {label}:" in out
    picture = [line.strip() for line in out.splitlines() if line.strip().startswith("│")]
    assert len(picture) == 4 and all(len(line) == 10 for line in picture)  # 8×8: 4 lines of 8, framed
    assert any(ch in "".join(picture) for ch in "░▒▓█")
    assert "the outputs stand for the classes: a₁⁽²⁾ 0, a₂⁽²⁾ 1" in out
    bars = [line for line in out.splitlines() if "⁽²⁾ =" in line and "█" in line or "▏" in line]
    marked = [line for line in bars if line.rstrip().endswith(("actual", "predicted"))]
    assert len(bars) == 10 and any("actual" in line for line in marked)
    assert "predicted: " in out and "; actual: " in out


def test_the_bars_are_the_traces_outputs():
    from visualizer.render.explain import Options, build_document
    from visualizer.render.explain.document import Bars

    trace = trace_of("--net", "64-16-10", "--data", "digits", "--sample", "5", "--no-verify")
    document = build_document(trace, Options())
    bars = [item for section in document for item in section.items if isinstance(item, Bars)]
    assert len(bars) == 1
    a = trace.steps[0].layers[-1].a[0]
    assert bars[0].values == tuple(a) and bars[0].names == trace.network.classes
    marks = dict(bars[0].marks)
    assert "predicted" in marks[int(np.argmax(a))] and "actual" in marks[int(trace.target.argmax())]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is installed by `make setup`")
def test_latex_with_the_picture_and_bars_compiles(tmp_path):
    result = subprocess.run(
        [str(BIN / "explain"), "--net", "64-16-10", "--data", "digits", "--sample", "2", "--no-verify"]
        + ["--format", "latex", "-o", "s.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "s.tex").read_text()
    assert r"\usepackage{tikz}" in text and r"\rule{" in text
    compiled = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "s.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compiled.returncode == 0, compiled.stdout[-2000:]


def test_markdown_keeps_the_picture_in_a_code_block():
    result = cli("--net", "64-16-10", "--data", "digits", "--sample", "2", "--no-verify", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "```\n" in result.stdout and "| class | output | value |" in result.stdout


def test_fashion_mnist_from_make_setups_copy():
    trace = trace_of("--net", "784-16-10", "--data", "fashion-mnist", "--sample", "3", "--no-verify")
    s = trace.sample
    assert s.data == "fashion-mnist" and s.image_shape == (28, 28) and s.raw.max() <= 255
    assert trace.network.classes[s.label] == CLASSES["fashion-mnist"][s.label]
    np.testing.assert_array_equal(trace.input[0], s.raw.reshape(-1) / 255)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--sample", "3"], "--sample picks a test sample of a data set; add --data"),
        (["--data", "digits"], "digits has 64 inputs per sample but 2-3-1 takes 2; give --net 64-16-10"),
        (["--net", "64-16-2", "--data", "digits"], "digits has 10 classes but 64-16-2 has 2 outputs"),
        (["--net", "64-16-10", "--data", "digits", "--sample", "5000"], "--sample 5000 is past the end of digits"),
        (["--net", "64-16-10", "--data", "digts"], "did you mean 'digits'"),
        (["--net", "64-16-10", "--data", "digits", "--input", "0"], "leave out --input and --target"),
        (["--net", "64-16-10", "--data", "digits", "--sample", "-1"], "--sample"),
    ],
)
def test_wrong_data_or_sample_gets_one_line(args, message, monkeypatch, capsys):
    # in this process, as the `explain` script runs it (a new process each would cost 1.7 s; the
    # other tests here run the real script)
    from visualizer.cli.main import explain_main

    monkeypatch.setattr(sys, "argv", ["explain", *args, "--no-verify"])
    with pytest.raises(SystemExit) as done:
        explain_main()
    stderr = capsys.readouterr().err
    assert done.value.code == 2
    assert message in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


def test_diagram_and_render_take_the_same_options():
    for program, command in (("backprop", "diagram"), ("backprop", "render")):
        help_text = cli(command, "--help", program=program).stdout
        assert "--data NAME" in help_text and "--sample N" in help_text
