"""Bad input to backprop worksheet, as test_bad_input.py checks every command (whose table is at
the file size limit): one line on stderr, exit status 2, no traceback, and the test's folder
(test_bad_input's files, among them a folder with files in it) exactly as it was."""

import pytest
from refusal import assert_refused
from test_bad_input import BIN, listing, make_files

P = pytest.param
# fmt: off
ROWS = [
    P(["--net", "784-16-10", "-o", "{tmp}/w"], "a worksheet is one step by hand", id="large-net"),
    P(["--net", "perceptron", "-o", "{tmp}/w"], "a worksheet is one plain backpropagation step", id="perceptron"),
    P(["--dropout", "0.5", "-o", "{tmp}/w"], "a worksheet is one plain backpropagation step", id="dropout"),
    P(["--ask", "forward,sideways", "-o", "{tmp}/w"], "'sideways' is not a phase", id="ask-typo"),
    P(["--ask", ",", "-o", "{tmp}/w"], "give at least one phase", id="ask-nothing"),
    P(["--students", "0", "-o", "{tmp}/w"], "'--students': 0 is not in the range", id="no-students"),
    P(["--precision", "16", "-o", "{tmp}/w"], "'--precision': 16 is not in the range", id="precision"),
    P(["--names", "{tmp}/no-such.txt", "-o", "{tmp}/w"], "no names file", id="names-missing"),
    P(["--names", "{tmp}/empty.csv", "-o", "{tmp}/w"], "has no names", id="names-empty"),
    P(["--names", "{tmp}/two-rows.csv", "--students", "5", "-o", "{tmp}/w"], "lists 3 names but --students is 5",
      id="names-count"),
    P(["-o", "{tmp}/idx-missing"], "already has files; give a new or empty folder with -o, or --force",
      id="folder-not-empty"),
    P(["-o", "{tmp}/a-file.txt"], "it is a file", id="folder-is-a-file"),
    P(["-o", "-"], "-o - is standard output", id="folder-stdout"),
    P(["worksheet-2-2-1"], "unexpected argument 'worksheet-2-2-1'", id="stray-word"),
]
# fmt: on


@pytest.mark.parametrize("args, phrase", ROWS)
def test_bad_input(tmp_path, args, phrase):
    make_files(tmp_path)
    argv = [
        str(BIN / "backprop"),
        "worksheet",
        "--no-pdf",
        "--no-verify",
        *(a.replace("{tmp}", str(tmp_path)) for a in args),
    ]
    before = listing(tmp_path)
    assert_refused(argv, tmp_path, phrase)
    assert listing(tmp_path) == before, f"{argv[1:]} changed {tmp_path}"
