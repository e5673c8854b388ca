"""Fuzz: `explain` must fail cleanly or succeed, whatever it is given.

Drawn argument lists and drawn spec files, in-process: exit status 0, 1, 2 or 130, never a
traceback, and a refusal (2) is one or two lines ending in "explain: error: …" (the rows of
`test_bad_input.py` pin the messages themselves).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

SHAPES = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(lambda s: "-".join(map(str, s)))
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64).map(repr),
    st.integers(-3, 3).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "1e-400", "0", "-0", "1e308"]),
)
VALUES = st.one_of(
    NUMBERS,
    SHAPES,
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\n\r"), max_size=12),
    st.lists(NUMBERS, min_size=1, max_size=3).map(",".join),
    st.lists(st.lists(NUMBERS, min_size=1, max_size=3).map(",".join), min_size=1, max_size=3).map(";".join),
    st.sampled_from(
        [
            "2-3-1",
            "mazur",
            "xor",
            "classifier",
            "perceptron",
            "sigmoid",
            "relu",
            "softmax",
            "tanh",
            "step",
            "mse",
            "bce",
            "hinge",
            "cross_entropy",
            "sparse_cross_entropy",
            "multi_hinge",
            "mape",
            "adam",
            "sgd",
            "momentum",
            "gd",
            "text",
            "markdown",
            "latex",
            "json",
            "all",
            "forward",
            "last",
        ]
    ),
)


def plausible(*strategies):
    """Mostly values the option takes (so some runs get past parsing and do the work), sometimes anything."""
    return st.one_of(*strategies, *strategies, VALUES)


def numbers_list(low, high, n=3):
    return st.lists(st.floats(low, high).map(lambda v: f"{v:.2g}"), min_size=1, max_size=n).map(",".join)


NAMES = {
    "activation": ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "step", "softmax", "sigmod"],
    "loss": [
        "mse",
        "sse",
        "half_sse",
        "mae",
        "mape",
        "bce",
        "bce_logits",
        "hinge",
        "multi_hinge",
        "cross_entropy",
        "sparse_cross_entropy",
        "nope",
    ],
    "optimizer": ["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "adma"],
}
OPTION_VALUES = {
    "--net": plausible(
        st.lists(st.integers(1, 4), min_size=2, max_size=4).map(lambda s: "-".join(map(str, s))),
        SHAPES,
        st.sampled_from(["2-3-1", "mazur", "xor", "classifier", "regression", "perceptron"]),
    ),
    "--seed": plausible(st.integers(0, 5).map(str)),
    "--input": plausible(numbers_list(-2, 2), st.lists(numbers_list(-2, 2), min_size=1, max_size=3).map(";".join)),
    "--target": plausible(
        numbers_list(-1, 1), st.lists(st.integers(0, 2).map(str), min_size=1, max_size=3).map(";".join)
    ),
    "--activation": plausible(st.sampled_from(NAMES["activation"])),
    "--output-activation": plausible(st.sampled_from(NAMES["activation"])),
    "--loss": plausible(st.sampled_from(NAMES["loss"])),
    "--optimizer": plausible(st.sampled_from(NAMES["optimizer"])),
    "--lr": plausible(st.sampled_from(["0.1", "0.5", "1e-3", "0"])),
    "--l1": plausible(st.sampled_from(["0", "0.01", "0.5"])),
    "--l2": plausible(st.sampled_from(["0", "0.01", "0.5"])),
    "--batch-size": plausible(st.integers(1, 3).map(str)),
    "--dropout": plausible(st.sampled_from(["0", "0.2", "0.5", "0.99"])),
    "--steps": plausible(st.integers(1, 3).map(str)),
    "--show": plausible(st.sampled_from(["first", "last", "all"])),
    "--phase": plausible(st.sampled_from(["all", "forward", "loss", "backward", "update"])),
    "--precision": plausible(st.integers(1, 17).map(str)),
    "--format": plausible(st.sampled_from(["text", "markdown", "latex", "json"])),
    "--width": plausible(st.integers(60, 120).map(str)),
}
FLAGS = ["--fragment", "--no-color", "--bogus", "-x", "--"]
OPTION_PAIRS = st.sampled_from(sorted(OPTION_VALUES)).flatmap(
    lambda option: OPTION_VALUES[option].map(lambda value: [option, value])
)
TOKENS = st.one_of(
    OPTION_PAIRS,
    OPTION_PAIRS,
    OPTION_PAIRS,
    OPTION_PAIRS,
    OPTION_PAIRS,
    OPTION_PAIRS,
    OPTION_PAIRS,
    OPTION_PAIRS,
    st.sampled_from(FLAGS).map(lambda f: [f]),
    VALUES.map(lambda v: [v]),  # a stray word
)

TOML_FIELDS = [
    "name",
    "description",
    "sizes",
    "activation",
    "output_activation",
    "loss",
    "seed",
    "init",
    "train_biases",
    "input",
    "target",
    "optimizer",
    "weights",
    "biases",
    "precision",
    "l1",
    "l2",
    "rule",
    "dropout",
    "batch_size",
    "unknown",
    "size",
]
SCALARS = st.one_of(
    st.integers(-3, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(
        [
            "sigmoid",
            "softmax",
            "relu",
            "mse",
            "cross_entropy",
            "hinge",
            "adam",
            "sgd",
            "xavier",
            "he",
            "perceptron",
            "backprop",
            "",
            "nope",
        ]
    ),
)
TOML_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["name", "lr", "momentum", "beta1", "x"]), inner, max_size=3),
    ),
    max_leaves=12,
)


def toml_value(value) -> str:
    """A value as TOML text (inline tables and arrays; TOML spells nan and inf as such)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            ("nan" if math.isnan(value) else ("inf" if value > 0 else "-inf"))
            if not math.isfinite(value)
            else repr(value)
        )
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"


# a field drawn as its kind of value (so some specs are valid), or as anything at all
TOML_PLAUSIBLE = {
    "activation": st.sampled_from(NAMES["activation"]),
    "output_activation": st.sampled_from(NAMES["activation"]),
    "loss": st.sampled_from(NAMES["loss"]),
    "seed": st.integers(-1, 3),
    "init": st.sampled_from(["xavier", "he", "uniform", "normal", "xavir"]),
    "train_biases": st.booleans(),
    "optimizer": st.sampled_from(NAMES["optimizer"]).flatmap(
        lambda name: st.fixed_dictionaries({"name": st.just(name)}, optional={"lr": st.floats(-1, 2)})
    ),
    "input": st.lists(st.floats(-2, 2), min_size=1, max_size=3),
    "target": st.lists(st.floats(-1, 1), min_size=1, max_size=3),
    "l1": st.floats(0, 0.1),
    "l2": st.floats(0, 0.1),
    "dropout": st.floats(0, 0.99),
    "batch_size": st.integers(0, 2),
    "precision": st.integers(0, 18),
    "rule": st.sampled_from(["backprop", "perceptron"]),
}
TOML_TABLES = st.fixed_dictionaries(
    {"sizes": st.one_of(st.lists(st.integers(1, 4), min_size=2, max_size=4), TOML_VALUES)},
    optional={
        field: st.one_of(TOML_PLAUSIBLE.get(field, TOML_VALUES), TOML_PLAUSIBLE.get(field, TOML_VALUES), TOML_VALUES)
        for field in TOML_FIELDS
        if field != "sizes"
    },
)
SPEC_TEXTS = st.one_of(
    TOML_TABLES.map(lambda table: "".join(f"{k} = {toml_value(v)}\n" for k, v in table.items())),
    st.text(max_size=40),  # anything at all, mostly not TOML
)


def run_explain(argv: list[str]) -> tuple[int, str]:
    """`explain argv` in this process: its exit status and stderr."""
    from visualizer.cli.main import _run, explain

    err, out = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["explain", *argv]
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            _run(explain, "explain")
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        sys.argv = saved
    return code, err.getvalue()


@settings(max_examples=30)
@given(
    tokens=st.lists(TOKENS, max_size=6).map(lambda groups: [t for g in groups for t in g]),
    spec=st.one_of(st.none(), st.none(), SPEC_TEXTS),
)
def test_explain_never_crashes(tokens, spec):
    with tempfile.TemporaryDirectory() as folder:
        argv = list(tokens)
        if spec is not None:
            path = Path(folder) / "drawn.toml"
            path.write_text(spec, encoding="utf-8")
            argv = ["--net", str(path), *argv]
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            code, stderr = run_explain([*argv, "--no-verify"])
        finally:
            os.chdir(cwd)
    assert code in (0, 1, 2, 130), (argv, code, stderr)
    assert "Traceback" not in stderr, (argv, stderr)
    if code == 2:  # split on "\n" only: a drawn \x1e or \x85 inside an argument is no line break on a terminal
        lines = [line for line in stderr.split("\n") if line.strip()]
        assert 1 <= len(lines) <= 2 and lines[-1].startswith("explain: error: "), (argv, stderr)
