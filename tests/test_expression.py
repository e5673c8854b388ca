"""explain --expr: scalar expression programs on the engine, checked against torch and by hand."""

from __future__ import annotations

import json

import pytest

from visualizer.errors import UsageError
from visualizer.network.expr_verify import check_against_torch, verify_expression
from visualizer.network.expression import parse
from visualizer.render.explain.expression import build_expression_document
from visualizer.render.explain.text import render_text

MICROGRAD = """a = -4.0
b = 2.0
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += 3 * d + relu(b - a)
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
"""


def test_micrograd_readme_numbers():
    t = parse(MICROGRAD)
    assert t.output == "g′"
    assert round(t.node("g′").value, 4) == 24.7041
    assert round(t.node("a").grad, 4) == 138.8338
    assert round(t.node("b").grad, 4) == 645.5773
    v = verify_expression(t)
    assert v.passed and v.torch.max_abs_diff <= 1e-10 and v.finite_difference.compared == 2


def test_semicolons_and_reuse_sums_paths():
    # micrograd's lecture: a node used twice gets the sum of its two paths
    t = parse("a = 2; b = -3; d = (a * b) * (a + b)")
    # d = ab(a+b): ∂d/∂a = b(a+b) + ab = 3 − 6 = −3; ∂d/∂b = a(a+b) + ab = −2 − 6 = −8
    assert t.node("a").grad == -3.0 and t.node("b").grad == -8.0
    text = render_text(build_expression_document(t))
    assert "a is used 2 times, so its paths add up" in text
    assert check_against_torch(t).passed


def test_cs231n_circuit_gates():
    # CS231n: f = 2·(x·y + max(z, w)); add distributes, mul swaps, max routes
    t = parse("x = 3; y = -4; z = 2; w = -1; p = x * y; q = max(z, w); s = p + q; f = s * 2")
    assert t.node("s").grad == 2.0 and t.node("p").grad == 2.0 and t.node("q").grad == 2.0  # add distributes
    assert t.node("x").grad == 2.0 * -4 and t.node("y").grad == 2.0 * 3  # mul swaps
    assert t.node("z").grad == 2.0 and t.node("w").grad == 0.0  # max routes to the larger
    text = render_text(build_expression_document(t), width=200)
    for rule in ("add distributes", "mul swaps", "max routes"):
        assert rule in text
    assert "∂f/∂x = ∂f/∂p·y = 2·(−4) = −8.000" in text
    assert verify_expression(t).passed


def test_max_tie_splits_like_torch():
    t = parse("a = 2; b = 2; m = max(a, b); out = m * 3")
    assert t.node("a").grad == 1.5 and t.node("b").grad == 1.5
    assert check_against_torch(t).passed


def test_functions_match_torch():
    t = parse("x = 0.5; y = 1.5; z = tanh(x) * sigmoid(y) + exp(x) / log(y) - x ** 3 + relu(-y)")
    v = verify_expression(t)
    assert v.passed, v


def test_json_has_every_value_and_gradient():
    t = parse(MICROGRAD)
    data = json.loads(t.with_verification(verify_expression(t)).to_json())
    assert data["schema"] == "backprop-expr/1"
    nodes = {n["name"]: n for n in data["nodes"]}
    assert round(nodes["b"]["grad"], 4) == 645.5773 and nodes["t₁"]["operands"] == ["a", "b"]
    assert data["verification"]["passed"]


@pytest.mark.parametrize(
    "program, message",
    [
        ("a = 1; b = c + a", "unknown name c"),
        ("a = 1; b = a // 2", "unsupported operator //"),
        ("a = 1; b = a if a else 2", "unsupported syntax"),
        ("a = 1; b = sqrt(a)", "unknown function sqrt"),
        ("a = 1; b = a / 0", "division by zero"),
        ("a = 1; b = a - 1; c = 2 / b", "division by zero"),
        ("a = -1; b = log(a)", "log of a non-positive number"),
        ("a = 1; a = 2", "a is already assigned"),
        ("", "the program is empty"),
        ("a = 1; b = max(a)", "max takes 2 arguments"),
        ("a = 1; b = a +", "--expr line 1"),
        ("a = 1; b = a ** a", "exponent of ** must be a number"),
        ("a = 1; b = a", "only copies a value"),
        ("a = 1; a", "is not an assignment"),
        ("a = 1000; b = exp(a)", "too large for float64"),
    ],
)
def test_bad_programs_are_one_line(program, message):
    with pytest.raises(UsageError) as err:
        parse(program)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_command_line(tmp_path):
    from click.testing import CliRunner

    from visualizer.cli.main import explain

    path = tmp_path / "mg.txt"
    path.write_text(MICROGRAD)
    result = CliRunner().invoke(explain, ["--expr", str(path), "--precision", "6", "--no-verify", "--no-color"])
    assert result.exit_code == 0, result.output
    assert "g′ = g + t₁₅ = 24.5 + 0.204082 = 24.7041" in result.output
    bad = CliRunner().invoke(explain, ["--expr", "a = 1; b = z"], standalone_mode=False)
    assert isinstance(bad.exception, UsageError)


def test_diagram_draws_values_and_gradients(tmp_path):
    from click.testing import CliRunner

    from visualizer.cli.diagram import diagram

    out = tmp_path / "g.svg"
    result = CliRunner().invoke(diagram, ["--expr", MICROGRAD, "--kind", "graph", "-o", str(out)])
    assert result.exit_code == 0, result.output
    svg = out.read_text()
    assert "∂g′: 645.6" in svg and "∂g′: 138.8" in svg and "×2" in svg and "10÷" in svg
    wrong = CliRunner().invoke(diagram, ["--expr", MICROGRAD, "--kind", "forward"], standalone_mode=False)
    assert isinstance(wrong.exception, UsageError) and "--kind graph" in str(wrong.exception)


def test_checks_catch_a_wrong_gradient():
    # the negative control: a gradient off by a little fails both witnesses
    import dataclasses

    t = parse("x = 3; y = -4; p = x * y; f = p * p")
    x = t.node("x")
    wrong = dataclasses.replace(t, nodes=(dataclasses.replace(x, grad=x.grad + 1e-3), *t.nodes[1:]))
    v = verify_expression(wrong)
    assert not v.torch.passed and not v.finite_difference.passed
    assert "∂f/∂x" in v.torch.worst


def test_engine_maximum_reused_node():
    from visualizer.core.engine import Node, maximum

    a = Node(2.0)
    m = maximum(a, a * 0.5) * 3  # a is both inputs' source: 3·(1·1 + 0·0.5)
    m.backward()
    assert float(a.grad) == 3.0
