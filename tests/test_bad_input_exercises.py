"""Bad input to backprop check and explain --quiz: one line on stderr naming the problem (a
malformed answers file: its line), exit status 2, no traceback. test_bad_input.py's table for
the other commands is near the file size limit, so these rows have a table of their own."""

import subprocess
import sys
from pathlib import Path

import pytest
from refusal import assert_refused

BIN = Path(sys.executable).parent
ANSWERS = {
    "not-toml.toml": "z1_1 = 0.3775\na1_1 = \n",
    "unknown-key.toml": "z1_1 = 0.3775\n# a comment\nz1_3 = 0.5\n",
    "word.toml": 'z1_1 = 0.3775\na1_1 = "sixty"\n',
    "table.toml": "[forward]\nz1_1 = 0.3775\n",
    "bad-precision.toml": 'z1_1 = 0.3775\n\n[worksheet]\nprecision = "four"\n',
    "bad-ask.toml": 'z1_1 = 0.3775\n\n[worksheet]\nask = ["forwards"]\n',
}

P = pytest.param
# fmt: off
ROWS = [
    P("check", ["--answers", "{tmp}/not-toml.toml"], "not-toml.toml: line 2: not TOML", id="not-toml"),
    P("check", ["--answers", "{tmp}/unknown-key.toml"], "line 3: unknown answer key 'z1_3'; did you mean 'z1_2'?",
      id="unknown-key"),
    P("check", ["--answers", "{tmp}/word.toml"], 'line 2: a1_1 = "sixty" is not a number', id="not-a-number"),
    P("check", ["--answers", "{tmp}/table.toml"], "line 1: [forward] is a table", id="table"),
    P("check", ["--answers", "{tmp}/bad-precision.toml"], "line 4: precision is a number of significant figures",
      id="bad-precision"),
    P("check", ["--answers", "{tmp}/bad-ask.toml"], "line 4: ask is a list of phases", id="bad-ask"),
    P("check", ["--answers", "{tmp}/none.toml"], "no answers file", id="no-file"),
    P("check", [], "Missing option '--answers'", id="no-answers"),
    P("check", ["--answers", "{tmp}/word.toml", "--ask", "backwards"], "'backwards' is not a phase", id="ask-typo"),
    P("check", ["--answers", "{tmp}/word.toml", "--precision", "0"], "0 is not in the range 1<=x<=17",
      id="precision-zero"),
    P("explain", ["--quiz", "--format", "json"], "--quiz asks in the terminal for the first step's numbers; leave out "
      "--format json", id="quiz-json"),
    P("explain", ["--quiz", "--format", "markdown"], "leave out --format markdown", id="quiz-markdown"),
    P("explain", ["--quiz", "-o", "{tmp}/x.txt"], "leave out -o", id="quiz-output"),
    P("explain", ["--quiz", "--steps", "3", "--show", "all"], "leave out --show all", id="quiz-show"),
]
# fmt: on


@pytest.mark.parametrize("program, args, phrase", ROWS)
def test_bad_input(tmp_path, program, args, phrase):
    for name, text in ANSWERS.items():
        (tmp_path / name).write_text(text)
    command = [str(BIN / "backprop"), "check", "--net", "2-2-1"] if program == "check" else [str(BIN / "explain")]
    argv = [*command, *(a.replace("{tmp}", str(tmp_path)) for a in args), "--no-verify"]
    assert_refused(argv, tmp_path, phrase, stdin=subprocess.DEVNULL)
    assert not (tmp_path / "x.txt").exists()
