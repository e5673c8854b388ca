"""answers.toml, the file worksheet writes and check reads: its keys, template, solution, errors."""

import tomllib

import pytest

import visualizer as bp
from visualizer.errors import UsageError
from visualizer.exercises import answers_template, quantities, read_answers, solution


@pytest.fixture(scope="module")
def traces():
    return {net: bp.run(net, verify=False) for net in ("2-2-1", "classifier", "mazur")}


def test_keys_follow_explain_in_its_order(traces):
    keys = [q.key for q in quantities(traces["2-2-1"])]
    assert keys[:6] == ["z1_1", "a1_1", "z1_2", "a1_2", "z2_1", "a2_1"]
    assert keys[6:9] == ["E", "dE_da2_1", "delta2_1"]
    assert keys[-3:] == ["new_w2_1_1", "new_w2_1_2", "new_b2_1"]
    assert len(keys) == len(set(keys))


def test_a_batch_carries_the_sample(traces):
    qs = {q.key: q for q in quantities(traces["classifier"], ["loss", "backward"])}
    assert {"E_s1", "E_s3", "E", "delta2_3_s2", "dE_dw2_3_4", "dE_db1_4"} <= set(qs)
    assert qs["delta2_3_s2"].text == "δ₃,₂⁽²⁾" and qs["delta2_3_s2"].phase == "backward"
    assert qs["dE_dw2_3_4"].latex == r"\frac{\partial E}{\partial w^{(2)}_{34}}"


def test_mazur_keeps_its_biases(traces):
    keys = {q.key for q in quantities(traces["mazur"], ["update"])}
    assert "new_w2_2_2" in keys and not any(k.startswith("new_b") for k in keys)  # train_biases = false


def test_template_and_solution_read_back(traces, tmp_path):
    trace = traces["mazur"]
    blank, filled = tmp_path / "answers.toml", tmp_path / "solution.toml"
    blank.write_text(answers_template(trace, ["forward", "loss"], 9))
    filled.write_text(solution(trace, ["forward", "loss"], 9))
    assert read_answers(blank) == {}
    answers = read_answers(filled, [q.key for q in quantities(trace)])
    assert answers["E"] == 0.298371109 and answers.precision == 9 and answers.ask == ("forward", "loss")
    assert tomllib.loads(filled.read_text())["a1_1"] == 0.593269992


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("z1_1 = 0.3\na1_1 = \n", "line 2: not TOML"),
        ("z1_1 = 0.3\n\nz9_9 = 1\n", "line 3: unknown answer key 'z9_9'"),
        ('z1_1 = 0.3\na1_1 = "about 0.6"\n', 'line 2: a1_1 = "about 0.6" is not a number'),
        ("a1_1 = true\n", "line 1: a1_1 = true is not a number"),
        ("z1_1 = 1\n[worksheet]\nprecision = 0\n", "line 3: precision is a number of significant figures"),
        ("[forward]\nz1_1 = 1\n", "line 1: [forward] is a table"),
    ],
)
def test_malformed_answers_name_the_line(tmp_path, text, phrase):
    path = tmp_path / "answers.toml"
    path.write_text(text)
    with pytest.raises(UsageError, match=phrase.replace("[", r"\[").replace("]", r"\]")):
        read_answers(path, ["z1_1", "a1_1", "z1_2"])


def test_numbers_as_text_are_answers(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text('z1_1 = "−0.25"\na1_1 = ""\nz1_2 = 3\n')
    assert read_answers(path) == {"z1_1": -0.25, "z1_2": 3.0}
