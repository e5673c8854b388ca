"""explain: golden text and markdown, LaTeX that compiles, and rounding honesty at half a unit.

Golden files live in tests/golden/; after a deliberate change, regenerate them with
UPDATE_GOLDEN=1 and read the diff before committing it.
"""

import io
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from helpers import fit_loss
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer.functions.activations import ACTIVATIONS
from visualizer.functions.losses import LOSSES
from visualizer.functions.optimizers import OPTIMIZERS
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.spec import spec_from_table
from visualizer.render.explain import Explanation, Options, build_document
from visualizer.render.explain.document import Equation, Section
from visualizer.render.explain.latex import render_latex
from visualizer.render.explain.markdown import render_markdown
from visualizer.render.explain.text import make_console, print_document

GOLDEN = Path(__file__).parent / "golden"


def text_of(trace, width=80, **options) -> str:
    buffer = io.StringIO()
    print_document(make_console(buffer, width=width, color=False), build_document(trace, Options(**options)))
    return buffer.getvalue()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("net, steps, width", [("mazur", 1, 80), ("2-3-1", 1, 120), ("xor", 30, 80)])
def test_golden_text(net, steps, width):
    check_golden(
        f"{net}-{steps}-{width}.txt", text_of(run(load_spec(net), steps), width, precision=load_spec(net).precision)
    )


def test_golden_markdown():
    check_golden("2-3-1.md", render_markdown(build_document(run(load_spec("2-3-1"))), "✓ verified"))


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("net", ["mazur", "784-16-10", "3-4-4-2"])
def test_text_fits_the_width(net, width):
    lines = text_of(run(load_spec(net)), width).splitlines()
    assert max(len(line) for line in lines) <= width
    assert not any("…" in line and re.search(r"\d…", line) for line in lines), "a truncated number"


def test_mazur_shows_the_published_numbers():
    text = text_of(run(load_spec("mazur")), 100, precision=load_spec("mazur").precision)
    for published in ("0.298371109", "0.08216704", "0.35891648", "0.149780716", "0.593269992", "0.75136507"):
        assert published in text, published


def test_large_networks_are_elided():
    text = text_of(run(load_spec("784-16-10")), 100)
    assert "… (780 more)" in text
    assert "… 12 more neurons, computed the same way" in text  # 16 neurons: 3, a note, the last
    assert "… 12536 more weight gradients of layer 1" in text
    assert len(text.splitlines()) < 300


def test_phase_and_show_choose_what_is_written():
    trace = run(load_spec("xor"), 5)
    forward_only = text_of(trace, phase="forward")
    assert "Forward pass" in forward_only and "Backward pass" not in forward_only and "Update" not in forward_only
    last = text_of(trace, show="last")
    assert "Step 5 of 5" in last and "Step 1 of 5" not in last
    assert text_of(trace, show="all").count("Step ") == 5
    assert "Training: 5 steps" in last


def test_notebooks_get_markdown():
    """A notebook shows an Explanation as markdown; it gives the same document in every format."""
    trace = run(load_spec("2-3-1"))
    explanation = Explanation(trace, Options(phase="loss"))
    document = build_document(trace, Options(phase="loss"))
    assert explanation._repr_markdown_().startswith("## Network 2-3-1")
    assert explanation.markdown() == render_markdown(document)
    assert explanation.latex(fragment=True) == render_latex(document, fragment=True)
    assert explanation.text(width=80) == text_of(trace, 80, phase="loss")


# ----- LaTeX ---------------------------------------------------------------------------------------

NEW_MATH = {"l2": 0.1, "l1": 0.01, "dropout": 0.5, "batch_size": 2}  # every kind of line the lecture's math adds


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is installed by `make setup`")
@pytest.mark.parametrize(
    "net, steps, overrides",
    [
        ("mazur", 1, {}),
        ("xor", 3, {}),
        ("784-16-10", 1, {}),
        ("xor-adam", 2, {}),
        ("classifier", 2, {}),
        ("perceptron", 2, {}),
        ("3-4-4-2", 1, {"input": [[0.1, 0.2, 0.3]] * 3, "target": [[0.5, 0.5]] * 3, **NEW_MATH}),
        ("classifier", 1, {"loss": "sparse_cross_entropy", "target": [[0], [1], [2]]}),
        ("2-4-3", 1, {"output_activation": "identity", "loss": "multi_hinge"}),
    ],
)
def test_latex_compiles(tmp_path, net, steps, overrides):
    document = build_document(run(load_spec(net).with_overrides(**overrides), steps))
    (tmp_path / "trace.tex").write_text(render_latex(document, "✓ verified: torch"), encoding="utf-8")
    fragment = render_latex(document, None, fragment=True)
    assert r"\documentclass" not in fragment and r"\begin{align*}" in fragment
    (tmp_path / "slide.tex").write_text(
        "\\documentclass{beamer}\\usepackage{amsmath,amssymb}\\begin{document}\\begin{frame}[allowframebreaks]\n"
        + fragment
        + "\\end{frame}\\end{document}\n",
        encoding="utf-8",
    )
    for name in ("trace.tex", "slide.tex"):
        result = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-2000:]
        assert (tmp_path / name.replace(".tex", ".pdf")).stat().st_size > 1000


# ----- rounding honesty ----------------------------------------------------------------------------

FUNCTIONS = {
    "σ": ACTIVATIONS["sigmoid"].function,
    "tanh": np.tanh,
    "LReLU": ACTIVATIONS["leaky_relu"].function,
    "ReLU": ACTIVATIONS["relu"].function,
    "id": lambda v: v,
    "√": np.sqrt,
    "sign": np.sign,
    "abs": abs,
    "log": lambda v: max(np.log(v), -100.0) if v > 0 else -100.0,
    "exp": np.exp,
    "softplus": lambda v: np.logaddexp(0, v),
    "max": max,
    "atmost1": lambda v: float(v <= 1),
    "positive": lambda v: float(v > 0),
}
POWERS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
NUMBER = r"\d+(?:\.\d+)?(?:e[-+]?\d+)?"


def recompute(form: str) -> float | None:
    """Redo a printed numeric form as a reader would, from its printed numbers; None if symbolic."""
    expr = form.replace("½·", "½").replace("−", "-").replace("·", "*").replace("½", "0.5*")
    expr = re.sub("[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "**" + m.group().translate(POWERS), expr)
    expr = re.sub(rf"√({NUMBER})", r"√(\1)", expr)  # √ of a number, like the function it is
    expr = re.sub(r"\|([^|]+)\|", r"abs(\1)", expr)
    expr = re.sub(r"\[([^\[\]]+) ≤ 1\]", r"atmost1(\1)", expr)  # the hinge's [y·a ≤ 1]
    expr = re.sub(r"\[([^\[\]]+) > 0\]", r"positive(\1)", expr)  # the multi-class hinge's [margin > 0]
    for name in FUNCTIONS:
        expr = expr.replace(f"{name}(", f"F['{name}'](")
    expr = re.sub(r"(\d)\(", r"\1*(", expr)  # 2(a − y) is a product
    if not re.fullmatch(r"[\d\s.eE+\-*/(),]*", re.sub(r"F\['[^']+'\]", "", expr)):
        return None  # symbols, or "… (n more)" terms
    return float(eval(expr, {"F": FUNCTIONS, "__builtins__": {}}))  # our own printed numbers


def last_digit_unit(shown: str) -> float:
    """One unit of the last digit a reader sees in a printed number (0.009700 → 1e-6)."""
    mantissa, _, exponent = shown.partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def equations(sections: list[Section]):
    for section in sections:
        yield from (item for item in section.items if isinstance(item, Equation))


def rounds_to(value: float, shown: str) -> bool:
    """A reader who redoes a line and rounds correctly lands on the printed result: within half a
    unit of its last digit (a tie either way, so a millionth of a unit and float64's error spare)."""
    result = float(shown)
    return abs(value - result) <= 0.5 * last_digit_unit(shown) * (1 + 1e-6) + 1e-15 * abs(result)


def printed_lines(sections) -> list[str]:
    """The document as a terminal shows it, wide enough that no equation wraps."""
    buffer = io.StringIO()
    print_document(make_console(buffer, width=400, color=False), sections)
    return buffer.getvalue().splitlines()


def rederive(sections) -> tuple[list[str], int]:
    """Redo every printed line from its printed numbers: the lines whose result is not the
    correctly rounded value of their operands, and how many lines could be redone."""
    wrong, checked = [], 0
    for line in printed_lines(sections):
        parts = [part.strip() for part in line.split(" = ")]
        result = parts[-1].replace("−", "-")
        if len(parts) < 3 or not re.fullmatch(rf"-?{NUMBER}", result):
            continue
        try:
            redone = [(form, recompute(form)) for form in parts[1:-1]]
        except (ZeroDivisionError, OverflowError, ValueError) as err:
            wrong.append(f"{line.strip()}: cannot be redone ({err})")
            continue
        redone = [(form, value) for form, value in redone if value is not None]
        checked += bool(redone)
        wrong += [f"{line.strip()}: {form} is {value!r}" for form, value in redone if not rounds_to(value, result)]
    return wrong, checked


def assert_honest(sections):
    """Every printed line, redone from its printed numbers, rounds to its printed result;
    returns how many lines were redone."""
    wrong, checked = rederive(sections)
    assert not wrong, "\n".join(wrong)
    return checked


def test_the_half_unit_rule_catches_lines_the_old_one_unit_rule_let_through(monkeypatch):
    """The lines issue 14 found in `explain --net 2-3-1` (σ(1.406) = 0.8032 is 0.80313): with
    operands chosen to within one unit, the printed text fails the check; at half a unit it passes."""
    from visualizer.render.explain.builder import context
    from visualizer.render.explain.digits import honest_digits

    trace = run(load_spec("2-3-1"))
    monkeypatch.setattr(context, "honest_digits", lambda *a, **k: honest_digits(*a, **k, units=1.0))
    wrong, _ = rederive(build_document(trace, Options()))
    assert any("σ(1.406) = 0.8032" in line for line in wrong), wrong
    assert len(wrong) == 4
    monkeypatch.undo()
    assert rederive(build_document(trace, Options())) == ([], 39)


def test_every_displayed_equation_adds_up_for_the_presets():
    for net, precision in (("mazur", 9), ("mazur", 3), ("2-3-1", 4), ("xor", 2)):
        assert assert_honest(build_document(run(load_spec(net), 2), Options(precision=precision))) > 20
    for net, overrides in (
        ("classifier", {}),
        ("perceptron", {}),
        ("2-4-3", {"output_activation": "identity", "loss": "multi_hinge"}),
        ("3-4-4-2", {"input": [[0.1, 0.2, 0.3]] * 3, "target": [[0.5, 0.5]] * 3, **NEW_MATH}),
    ):
        trace = run(load_spec(net).with_overrides(**overrides), 2)
        assert assert_honest(build_document(trace, Options(precision=4, show="all"))) > 20
    for l1, l2 in ((0.0, 0.1), (0.05, 0.0), (0.02, 0.3)):  # the penalties' lines and their slopes
        trace = run(load_spec("2-3-1").with_overrides(l1=l1, l2=l2), 2)
        assert assert_honest(build_document(trace, Options(precision=4, show="all"))) > 20
    for optimizer in sorted(OPTIMIZERS):  # each optimizer's lines, in the second step (with state)
        trace = run(load_spec("2-3-1").with_overrides(optimizer=optimizer), 2)
        assert assert_honest(build_document(trace, Options(precision=4, show="all"))) > 20


@st.composite
def small_networks(draw):
    sizes = [draw(st.integers(1, 4)) for _ in range(draw(st.integers(2, 4)))]
    batch = draw(st.sampled_from([1, 2, 3, 9]))  # 9: more than the 8 samples written out
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    table = {
        "sizes": sizes,
        "seed": seed,
        "activation": draw(st.sampled_from(sorted(ACTIVATIONS))),
        "output_activation": draw(st.sampled_from(sorted(ACTIVATIONS))),
        "loss": draw(st.sampled_from(sorted(LOSSES))),
        "input": np.round(rng.uniform(-3, 3, (batch, sizes[0])), draw(st.integers(1, 6))).tolist(),
        "target": np.round(rng.uniform(-1, 1, (batch, sizes[-1])), 2).tolist(),
        "optimizer": {
            "name": draw(st.sampled_from(sorted(OPTIMIZERS))),
            "lr": draw(st.sampled_from([0.01, 0.1, 0.5, 1.0, 3.0])),
        },
        "dropout": draw(st.sampled_from([0.0, 0.5])) if len(sizes) > 2 else 0.0,
        "l1": draw(st.sampled_from([0.0, 0.05])),
        "l2": draw(st.sampled_from([0.0, 0.1])),
    }
    return spec_from_table(fit_loss(table, rng)), draw(st.integers(1, 6))


@settings(max_examples=40)
@given(small_networks())
def test_rounding_honesty_over_random_networks(net):
    spec, precision = net
    sections = build_document(run(spec, 2), Options(precision=precision, show="all"))
    assert assert_honest(sections) > 0
    for eq in equations(sections):
        assert math.isfinite(eq.result)


# ----- nothing left out silently ------------------------------------------------------------------


def test_small_layers_list_every_parameter_and_a_cut_table_counts_what_it_left_out():
    text = text_of(run(load_spec("2-3-1")), 100)
    update_table = text.split("Update, layer 1")[1].split("Update, layer 2")[0].split("Δ")[1]
    assert [line.split()[0] for line in update_table.strip().splitlines()[1:]] == [
        *(f"w{j}{k}⁽¹⁾".translate(str.maketrans("123", "₁₂₃")) for j in (1, 2, 3) for k in (1, 2)),
        "b₁⁽¹⁾",
        "b₂⁽¹⁾",
        "b₃⁽¹⁾",
    ]
    text = text_of(run(load_spec("3-4-4-2")), 100)  # layer 2: 16 weights and 4 biases, 16 rows shown
    table = text.split("Update, layer 2")[1].split("Update, layer 3")[0]
    assert re.search(r"^  … 4 more +…", table, re.M), table
    text = text_of(run(load_spec("784-16-10")), 100)
    assert "… 779 more" in text  # the input's columns left out of the first layer's table
    one_left_out = text_of(run(load_spec("2-5-1")), 100) + text_of(
        run(load_spec("xor").with_overrides(input=[[0, 0]] * 3, target=[[0]] * 3)), 100, samples=2
    )
    assert "… 1 more neuron, computed the same way" in one_left_out and "… sample 3 (1 more)" in one_left_out
    assert not re.search(r"\b1 more (?!bias\b)\w+s\b", one_left_out)


def test_every_sample_up_to_eight_is_written_out_with_the_sample_index_in_batch_sums():
    trace = run(load_spec("xor"))  # 4 samples
    text = text_of(trace, 200)
    for s in range(1, 5):
        assert f"sample {s} of 4" in text and f"E{s} = ".translate(str.maketrans("1234", "₁₂₃₄")) in text
    assert "more" not in text.split("Forward pass")[1].split("Update")[0].replace("… (", "")
    assert "∂E/∂w₁₂⁽²⁾ = Σₛ δ₁,ₛ⁽²⁾a₂,ₛ⁽¹⁾ = " in text and "∂E/∂b₁⁽²⁾ = Σₛ δ₁,ₛ⁽²⁾ = " in text
    cut = text_of(trace, 200, samples=2)
    assert "… samples 3–4 (2 more), computed the same way; --samples all writes them out" in cut
    assert "… the gradients of samples 3–4 (2 more)" in cut
    assert "sample 3 of 4" not in cut
    wide = run(load_spec("xor").with_overrides(input=[[0, 1]] * 10, target=[[1]] * 10))
    assert "… samples 9–10 (2 more)" in text_of(wide, 200)
    assert "sample 10 of 10" in text_of(wide, 200, samples=None)


def test_drawn_data_and_weights_say_so_and_from_which_seed():
    text = text_of(run(load_spec("2-2-1").with_overrides(seed=7)), 120)
    assert "input x (drawn from seed 7; give your own with --input):" in text
    assert "target y (drawn from seed 7; give your own with --target):" in text
    assert "weights and biases drawn from seed 7 (xavier initialization)" in text
    given = text_of(run(load_spec("2-2-1").with_overrides(input=[0.1, 0.2])), 120)
    assert "input x:" in given and "target y (drawn from seed 0" in given
    assert "drawn" not in text_of(run(load_spec("mazur")), 120)
