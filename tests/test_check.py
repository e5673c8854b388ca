"""backprop check and explain --quiz: a solution passes, any one changed number is named, each
common slip is recognised, and a piped quiz judges as check does."""

import numpy as np
import pytest
from click.testing import CliRunner

import visualizer as bp
from visualizer.cli.main import backprop, explain
from visualizer.exercises import quantities, solution
from visualizer.exercises.marking import Marker

NETS = {"2-2-1": 4, "2-3-1": 4, "mazur": 9, "classifier": 4}


@pytest.fixture(scope="module")
def markers():
    return {net: Marker(bp.run(net, verify=False), p) for net, p in NETS.items()}


def solved(marker) -> dict[str, float]:
    return {q.key: float(q.shown) for q in marker.every}


def first_wrong(marker, answers):
    marking = marker.mark(answers, marker.every)
    return marking.wrong[0] if marking.wrong else None


@pytest.mark.parametrize("net", NETS)
def test_the_solution_passes_and_any_changed_number_is_named(markers, net):
    marker = markers[net]
    answers = solved(marker)
    assert marker.mark(answers, marker.every).passed
    for key, value in answers.items():
        for changed in (value * 1.1 if value else 1.0, -value if value else -1.0):
            wrong = first_wrong(marker, {**answers, key: changed})
            assert wrong is not None and wrong.quantity.key == key, (key, changed, wrong)


def layers(marker):
    return marker.trace.steps[0].layers


# each slip applied by hand to one answer of mazur (biases 0.35 and 0.6, η = 0.5), at 9 figures
SLIPS = {
    "the bias left out": lambda L, s: ("z1_1", L[0].z[0, 0] - L[0].b[0]),
    "the activation left out": lambda L, s: ("a1_2", L[0].z[0, 1]),
    "σ′ left out": lambda L, s: ("delta2_1", L[1].grad_a[0, 0]),
    "the updated weights used": lambda L, s: ("dE_da1_1", L[1].W_new[:, 0] @ L[1].delta[0]),
    "a⁽²⁾ instead of a⁽¹⁾": lambda L, s: ("dE_dw2_1_2", L[1].delta[0, 0] * L[1].a[0, 0]),
    "the sign of the update": lambda L, s: ("new_w2_2_1", L[1].W[1, 0] + 0.5 * L[1].grad_W[1, 0]),
    "the learning rate left out": lambda L, s: ("new_w1_1_1", L[0].W[0, 0] - L[0].grad_W[0, 0]),
    "given to 4 significant figures": lambda L, s: ("a1_1", float(f"{L[0].a[0, 0]:.4g}")),
    "rounding carried too early": lambda L, s: (
        "z2_1",
        L[1].W[0] @ np.array([float(f"{a:.3g}") for a in L[0].a[0]]) + L[1].b[0],
    ),
    "the sign is flipped": lambda L, s: ("dE_db1_2", -L[0].grad_b[1]),
}


@pytest.mark.parametrize("cause", SLIPS)
def test_each_slip_is_named(markers, cause):
    marker = markers["mazur"]
    key, value = SLIPS[cause](layers(marker), marker.trace.steps[0])
    answers = solved(marker)
    assert first_wrong(marker, answers) is None
    wrong = first_wrong(marker, {**answers, key: float(value)})
    assert wrong.quantity.key == key and cause in wrong.cause, wrong


def test_a_sum_over_the_batch_is_named(markers):
    marker = markers["classifier"]
    step = marker.trace.steps[0]
    wrong = first_wrong(marker, {**solved(marker), "E": float(step.sample_losses.sum())})
    assert wrong.quantity.key == "E" and "a sum instead of a mean over the batch" in wrong.cause


def test_later_answers_are_judged_from_the_students_own(markers):
    # a₁⁽¹⁾ wrong, and everything after it worked on from that wrong number: one answer is named
    trace = markers["mazur"].trace
    marker = Marker(trace, 4)
    answers = {q.key: float(q.shown) for q in marker.every if q.phase == "forward"}
    L = trace.steps[0].layers
    a1 = np.array([0.6, float(f"{L[0].a[0, 1]:.4g}")])
    z2 = L[1].W @ a1 + L[1].b
    a2 = 1 / (1 + np.exp(-z2))
    answers.update(a1_1=0.6, z2_1=z2[0], z2_2=z2[1], a2_1=a2[0], a2_2=a2[1])
    asked = [q for q in marker.every if q.phase == "forward"]
    marking = marker.mark(answers, asked)
    assert [v.quantity.key for v in marking.wrong] == ["a1_1"]
    assert "a₁⁽¹⁾ = σ(z₁⁽¹⁾)" not in (marking.wrong[0].cause or "")


def test_rounded_answers_carried_on_are_right_with_a_note(markers):
    marker = markers["mazur"]
    L = layers(marker)
    a1 = np.array([float(f"{a:.9g}") for a in L[0].a[0]])
    answers = {**solved(marker), "z2_1": float(f"{L[1].W[0] @ a1 + L[1].b[0]:.9g}")}
    assert first_wrong(marker, answers) is None


def run_check(tmp_path, text, *args):
    path = tmp_path / "answers.toml"
    path.write_text(text)
    return CliRunner().invoke(backprop, ["check", "--net", "mazur", "--answers", str(path), "--no-verify", *args])


def test_check_says_what_is_right_and_what_is_blank(tmp_path, markers):
    trace = markers["mazur"].trace
    result = run_check(tmp_path, solution(trace, precision=9))
    assert result.exit_code == 0 and result.output.startswith("✓ 37 answers right (network mazur"), result.output
    result = run_check(tmp_path, solution(trace, ["forward"], precision=9), "--ask", "forward,loss")
    assert result.exit_code == 1 and "8 answers right" in result.output and "1 answer blank: E" in result.output
    result = run_check(tmp_path, solution(trace, ["forward"], precision=9).replace("0.593269992", "0.61"))
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[:2] == [
        "✗ a1_1 = 0.61 is wrong: a₁⁽¹⁾ should be 0.593269992",
        "  no common slip gives your number: redo this line from your numbers above",
    ]
    assert "explain writes: a₁⁽¹⁾ = σ(z₁⁽¹⁾) = σ(0.3775) = 0.593269992" in result.output


def quiz(args, typed):
    return CliRunner().invoke(explain, ["--no-verify", "--quiz", "--no-color", *args], input=typed)


def test_a_piped_quiz_judges_each_answer():
    trace = bp.run("mazur", verify=False)
    forward = quantities(trace, ["forward"], 4)
    result = quiz(
        ["--net", "mazur", "--phase", "forward", "--precision", "4"], "".join(q.shown + "\n" for q in forward)
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("✓") == 8 and "quiz: 8 right of 8" in result.output
    assert "z₁⁽¹⁾ = w₁₁⁽¹⁾x₁ + w₁₂⁽¹⁾x₂ + b₁⁽¹⁾ = ? 0.3775" in result.output
    # σ′ left out, then end of input: the hint, the right value, explain's line, the score so far
    result = quiz(["--net", "mazur", "--phase", "backward", "--precision", "4"], "0.7414\n0.7414\n")
    assert "✗ δ₁⁽²⁾ = 0.1385; likely cause: σ′ left out" in result.output, result.output
    assert "δ₁⁽²⁾ = ∂E/∂a₁⁽²⁾·σ'(z₁⁽²⁾) = 0.7414·0.7514·(1 − 0.7514) = 0.1385" in result.output
    assert result.output.rstrip().endswith("quiz: 1 right of 2")
