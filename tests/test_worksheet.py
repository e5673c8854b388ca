"""backprop worksheet: a class's variants (deterministic, pleasant by hand, each a spec explain
reads), the files of each student (the worksheet's blanks named as answers.toml names them, a
solution that reads back as the Trace's numbers), the folder written without damage, and one
real PDF looked at."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from visualizer.exercises import quantities, read_answers
from visualizer.exercises.marking import Marker
from visualizer.exercises.pleasant import problems
from visualizer.exercises.variants import draw_variant
from visualizer.exercises.worksheet import Sheet, student_files
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.spec_toml import spec_toml
from visualizer.render.explain import PHASES

NETS = ("2-2-1", "2-3-1", "mazur", "classifier")
STUDENTS = 30
SEED = 7
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module", params=NETS)
def klass(request):
    """A class of 30 on one network: its sheet, each student's variant and files (no PDFs)."""
    net = request.param
    sheet = Sheet(net, SEED, STUDENTS, PHASES, 4)
    variants = [draw_variant(load_spec(net), SEED, i, PHASES, 4) for i in range(1, STUDENTS + 1)]
    return net, sheet, variants, [student_files(sheet, v) for v in variants]


def test_variants_are_the_seeds_and_the_students(klass):
    net, _, variants, files = klass
    again = [draw_variant(load_spec(net), SEED, i, PHASES, 4) for i in (1, 17, 30)]
    assert [spec_toml(v.spec) for v in again] == [spec_toml(variants[i - 1].spec) for i in (1, 17, 30)]
    assert len({f.texts["spec.toml"].split("\nsizes")[1] for f in files}) == STUDENTS  # no two alike
    other = draw_variant(load_spec(net), SEED + 1, 1, PHASES, 4)
    assert spec_toml(other.spec) != spec_toml(variants[0].spec)


def test_given_numbers_have_one_or_two_decimals(klass):
    _, _, variants, _ = klass
    for v in variants:
        spec = v.spec
        given = [spec.input, spec.target, *spec.weights, *spec.biases]
        for array in given:
            assert np.array_equal(np.round(array, 2), array), array
        assert all(np.all((np.abs(w) >= 0.05) & (np.abs(w) <= 0.95)) for w in spec.weights)
        assert np.all((spec.input >= 0.1) & (spec.input <= 0.9))


def test_every_variant_is_pleasant(klass):
    """No saturated sigmoid or tanh, nothing that rounds to zero, every update shows, the loss falls."""
    _, _, variants, _ = klass
    for v in variants:
        asked = quantities(v.trace, PHASES, 4)
        assert problems(v.trace, asked, 4) == []
        values = np.array([q.value for q in asked])
        assert np.all((values == 0) | (np.abs(values) >= 1e-4))
        for layer, name in zip(v.trace.steps[0].layers, v.trace.network.activations):
            if name == "sigmoid":
                assert np.all(np.abs(layer.z) <= 2.7)


def test_spec_and_solution_read_back(klass, tmp_path):
    """spec.toml is a spec explain runs to the same step; solution.toml has every asked number as
    the Trace gives it at the precision, answers.toml the same keys blank; the worksheet has a
    blank for each key, named by it."""
    _, _, variants, files = klass
    for v, f in zip(variants, files):
        folder = tmp_path / f.folder
        folder.mkdir()
        for name, text in f.texts.items():
            (folder / name).write_text(text)
        trace = run(load_spec(str(folder / "spec.toml")))
        assert trace.steps[0].loss == v.trace.steps[0].loss
        asked = quantities(trace, PHASES, 4)
        keys = [q.key for q in asked]
        solution = read_answers(folder / "solution.toml", keys)
        assert solution == {q.key: float(q.shown) for q in asked}
        assert solution.precision == 4 and solution.ask == PHASES
        assert read_answers(folder / "answers.toml", keys) == {}
        sheet = f.texts["worksheet.md"]
        named = ["\\mathtt{" + k.replace("_", "\\_") + "}" for k in keys]  # as the blanks' LaTeX writes the keys
        assert [name for name in named if name not in sheet] == []
        assert sheet.count("\\underline") == len(keys)
        assert f.texts["worksheet.md"].count("$") > 0 and "E = " not in sheet.split("## Given")[0]


def test_check_accepts_every_solution_and_names_a_changed_number(klass, tmp_path):
    """Every student's solution.toml passes `check`'s marking; over the class every answer is
    changed once (student i changes answers i, i + 30, …), and check names it."""
    _, _, variants, files = klass
    for v, f in zip(variants, files):
        (tmp_path / "solution.toml").write_text(f.texts["solution.toml"])
        marker = Marker(v.trace, 4)
        answers = dict(read_answers(tmp_path / "solution.toml", [q.key for q in marker.every]))
        assert marker.mark(answers, marker.every).passed
        for key in list(answers)[v.index - 1 :: STUDENTS]:
            changed = answers[key] * 1.1 if answers[key] else 1.0
            wrong = marker.mark({**answers, key: changed}, marker.every).wrong
            assert wrong and wrong[0].quantity.key == key, (v.index, key)


def test_the_worksheet_gives_no_answer(klass):
    """No computed number of the step is on the worksheet (the given ones are)."""
    _, _, variants, files = klass
    v, f = variants[0], files[0]
    for q in quantities(v.trace, PHASES, 4):
        if q.name in ("z", "a", "E", "delta", "dE_dw"):
            assert q.shown not in f.texts["worksheet.md"], q.key
            assert q.shown in f.texts["key.md"], q.key


def _worksheet(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(BIN / "backprop"), "worksheet", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_command_writes_the_same_bytes_and_never_damages_a_folder(tmp_path):
    """Two runs give the same bytes; the names go on the sheets; a folder with files is refused
    without --force (test_bad_input_worksheet.py), and with it only the worksheets' files change."""
    (tmp_path / "class.txt").write_text("Nguyễn Văn An\n\nTrần Thị Bình\nLê Văn Cường\n")
    args = ["--net", "mazur", "--names", "class.txt", "--seed", "7", "--no-pdf", "--no-verify"]
    assert _worksheet(*args, "-o", "a", cwd=tmp_path).returncode == 0
    assert _worksheet(*args, "-o", "b/c", cwd=tmp_path).returncode == 0
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b" / "c")
    assert a == b
    assert {"class.csv", "class.md", "class.tex", "student-03/spec.toml", "student-01/key.tex"} <= set(a)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "class.txt"]  # no staging folder left
    assert "Trần Thị Bình" in a["student-02/worksheet.md"].decode() and "Lê Văn Cường" in a["class.md"].decode()
    (tmp_path / "a" / "mine.txt").write_text("the lecturer's own\n")
    (tmp_path / "a" / "student-01" / "key.md").write_text("edited\n")
    forced = _worksheet(*args, "--force", "-o", "a", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert _files(tmp_path / "a") == a | {"mine.txt": b"the lecturer's own\n"}


def test_without_latex_it_says_so_in_one_line(tmp_path):
    env = {**os.environ, "PATH": str(BIN)}  # the venv's programs, no pdflatex
    done = subprocess.run(
        [str(BIN / "backprop"), "worksheet", "-o", "w"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "pdflatex is not installed" in done.stderr and "--no-pdf" in done.stderr
    assert list(tmp_path.iterdir()) == []


LATEX = pytest.mark.skipif(
    shutil.which("pdflatex") is None or shutil.which("pdftoppm") is None,
    reason="pdflatex and pdftoppm are installed by `make setup`",
)


@LATEX
def test_one_student_as_pdf(tmp_path):
    from PIL import Image

    done = _worksheet("--net", "2-2-1", "--students", "1", "--no-verify", "-o", "w", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    student = tmp_path / "w" / "student-01"
    assert sorted(p.name for p in student.iterdir()) == [
        "answers.toml",
        "key.md",
        "key.pdf",
        "network.png",
        "solution.toml",
        "spec.toml",
        "worksheet.md",
        "worksheet.pdf",
    ]
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", "worksheet.pdf", "page"], cwd=student, check=True
    )
    page = Image.open(next(student.glob("page*.png"))).convert("L")
    assert page.size == (331, 468)  # A4 at 40 dpi
    ink = np.asarray(page) < 128
    assert 0.01 < ink.mean() < 0.2  # text and the picture, not a blank or black page
    assert (tmp_path / "w" / "class.pdf").read_bytes().startswith(b"%PDF")
    pdf = (student / "key.pdf").read_bytes()
    assert b"/CreationDate" not in pdf and b"/ID [" not in pdf  # the same bytes each run
