"""Bad input, over every command: one clear line on stderr, exit status 2, no traceback, nothing
written to disk.

`test_bad_input` runs each row as a real process (like a user at a terminal) in a fresh folder
that holds the files the rows need (broken TOML specs, CSV files, model files, IDX files, a
folder that cannot be written), and checks that the folder is exactly as it was afterwards.
(`test_fuzz.py` throws drawn argument lists and spec files at `explain`.)

Traces: no command reads a trace file (the Trace reaches manim's scenes through BACKPROP_TRACE,
a file `backprop render` writes itself), so there is no row for a user's damaged trace.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from refusal import assert_refused
from test_idx import make_idx_set

BIN = Path(sys.executable).parent
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_SKIP = pytest.mark.skipif(IS_ROOT, reason="runs as root, where file permissions are not enforced")


def _render_tools_missing(slides: bool = False) -> str:
    """Why `backprop render` stops before reading its options (no LaTeX, no reveal.js), or ""."""
    from visualizer.errors import UsageError
    from visualizer.render.video.render import check_tools

    try:
        check_tools()
        if slides:
            from visualizer.render.video.slides import check_slides_tools

            check_slides_tools()
    except UsageError as err:
        return str(err)
    return ""


# render rows that get past render's check of its tools (the others fail earlier, in click)
RENDER_TOOLS = pytest.mark.skipif(bool(_render_tools_missing()), reason=_render_tools_missing())
SLIDES_TOOLS = pytest.mark.skipif(bool(_render_tools_missing(slides=True)), reason=_render_tools_missing(slides=True))

# the files every row can use, by name inside the test's folder ({tmp} in an argument)
SPECS = {
    "malformed.toml": "sizes = [2, 3\n",
    "truncated.toml": 'name = "cut"\nsizes = [2, 3, 1]\nweights = [[[0.15, 0.20], [0.25',
    "unknown-field.toml": 'sizes = [2, 3, 1]\nactivaton = "relu"\n',
    "no-sizes.toml": 'activation = "relu"\n',
    "sizes-string.toml": 'sizes = "2-3-1"\n',
    "sizes-float.toml": "sizes = [2, 3.5, 1]\n",
    "sizes-huge.toml": "sizes = [2, 100000000, 1]\n",
    "nan-weights.toml": ("sizes = [2, 1]\nweights = [[[nan, 0.2]]]\nbiases = [[0.1]]\n"),
    "inf-bias.toml": ("sizes = [2, 1]\nweights = [[[0.1, 0.2]]]\nbiases = [[inf]]\n"),
    "nan-input.toml": "sizes = [2, 1]\ninput = [0.5, nan]\ntarget = [1]\n",
    "weights-shape.toml": "sizes = [2, 1]\nweights = [[[0.1, 0.2, 0.3]]]\n",
    "weights-ragged.toml": "sizes = [2, 1]\nweights = [[[0.1, 0.2], [0.3]]]\n",
    "init-typo.toml": 'sizes = [2, 1]\ninit = "xavir"\n',
    "optimizer-setting.toml": 'sizes = [2, 1]\noptimizer = { name = "sgd", momentom = 0.9 }\n',
    "lr-string.toml": 'sizes = [2, 1]\noptimizer = { name = "sgd", lr = "fast" }\n',
    "seed-negative.toml": "sizes = [2, 1]\nseed = -1\n",
    "activation-list.toml": 'sizes = [2, 3, 3, 1]\nactivation = ["relu"]\n',
    "rule-typo.toml": 'sizes = [2, 1]\nrule = "perceptorn"\n',
    "precision.toml": "sizes = [2, 1]\nprecision = 40\n",
    "batch-zero.toml": "sizes = [2, 1]\nbatch_size = 0\n",
    "loss-list.toml": 'sizes = [2, 1]\nloss = ["mse"]\n',
    "optimizer-number.toml": "sizes = [2, 1]\noptimizer = 5\n",
}


def make_files(tmp: Path) -> None:
    """The fixtures the rows refer to, all in `tmp`."""
    for name, text in SPECS.items():
        (tmp / name).write_text(text, encoding="utf-8")
    (tmp / "not-utf8.toml").write_bytes(b'sizes = [2, 1]\nname = "\xff\xfe"\n')
    (tmp / "folder.toml").mkdir()
    (tmp / "a-folder").mkdir()
    (tmp / "a-file.txt").write_text("not a folder\n")
    readonly = tmp / "read-only"
    readonly.mkdir()
    readonly.chmod(0o500)
    (tmp / "read-only.txt").write_text("precious\n")
    (tmp / "read-only.txt").chmod(0o444)
    # output paths that cannot be written: a link loop, a link into a missing folder, a link to a folder
    (tmp / "loop-a").symlink_to("loop-b")
    (tmp / "loop-b").symlink_to("loop-a")
    (tmp / "dangling").symlink_to("no/such/x.txt")
    (tmp / "folder-link").symlink_to("a-folder")
    # data
    (tmp / "empty.csv").write_text("")
    (tmp / "points.csv").write_text("a,b,y\n" + "".join(f"{i % 7},{i % 3},{i % 2}\n" for i in range(40)))
    (tmp / "nan.csv").write_text("a,b,y\n1,2,0\nnan,4,1\n5,6,0\n")
    (tmp / "header-only.csv").write_text("a,b,y\n")
    (tmp / "two-rows.csv").write_text("a,b,y\n1,2,0.5\n3,4,1.5\n")
    make_idx_set(tmp / "idx-missing", n_train=20, n_test=10)
    (tmp / "idx-missing" / "t10k-labels-idx1-ubyte.gz").unlink()
    # models: random bytes, a safetensors file that is not ours, a real one cut short, bad metadata
    from safetensors.numpy import save_file

    from visualizer.network.model_io import save_model
    from visualizer.network.sources import load_spec

    (tmp / "corrupt.safetensors").write_bytes(np.random.default_rng(0).bytes(300))
    save_file({"weight": np.zeros((2, 2))}, str(tmp / "foreign.safetensors"))
    spec = load_spec("2-3-1")
    weights, biases = spec.parameters()
    save_model(tmp / "model.safetensors", spec, weights, biases)
    data = (tmp / "model.safetensors").read_bytes()
    (tmp / "model.safetensors").unlink()
    (tmp / "truncated.safetensors").write_bytes(data[: len(data) // 2])
    save_file(
        {"0.weight": np.zeros((3, 2)), "0.bias": np.zeros(3)},
        str(tmp / "bad-metadata.safetensors"),
        metadata={"backprop": "{not json"},
    )
    wrong = {
        "format": "backprop-model/1",
        "name": "m",
        "sizes": [2, 3, 1],
        "activations": ["sigmoid", "sigmoid"],
        "loss": "mse",
        "optimizer": {"name": "sgd", "lr": 0.5},
        "seed": 0,
        "train_biases": True,
    }
    save_file(
        {"0.weight": np.zeros((4, 2)), "0.bias": np.zeros(3), "2.weight": np.zeros((1, 3)), "2.bias": np.zeros(1)},
        str(tmp / "wrong-shape.safetensors"),
        metadata={"backprop": json.dumps(wrong)},
    )
    weights[0][0, 0] = np.nan
    save_model(tmp / "nan.safetensors", spec, weights, biases)
    del wrong["name"]
    save_file(
        {"0.weight": np.zeros((3, 2)), "0.bias": np.zeros(3), "2.weight": np.zeros((1, 3)), "2.bias": np.zeros(1)},
        str(tmp / "no-name.safetensors"),
        metadata={"backprop": json.dumps(wrong)},
    )


P = pytest.param
# one row a line, so the table reads as a table
# fmt: off
ROWS = [
    # ---- explain: shapes -----------------------------------------------------------------------
    P("explain", ["--net", "2-x-1"], "'x' in '2-x-1' is not a layer size", id="shape-letter"),
    P("explain", ["--net", "2--1"], "'2--1' has nothing between two '-', which leaves an empty size",
      id="shape-double-dash"),
    P("explain", ["--net", "-2-1"], "'-2-1' starts with '-', which leaves an empty size", id="shape-leading-dash"),
    P("explain", ["--net", "2-3-1-"], "'2-3-1-' ends with '-', which leaves an empty size",
      id="shape-trailing-dash"),
    P("explain", ["--net", "2"], "'2' has one layer", id="shape-one-layer"),
    P("explain", ["--net", "0-3-1"], "layer sizes must be at least 1", id="shape-zero"),
    P("explain", ["--net", "2-3.5-1"], "'3.5' in '2-3.5-1' is not a layer size", id="shape-float"),
    P("explain", ["--net", "2-5000-1"], "layer size 5000 is over the limit of 4096", id="shape-too-wide"),
    P("explain", ["--net", "99999999999999999999-1"], "over the limit of 4096", id="shape-absurd"),
    P("explain", ["--net", "2000-2000-2"], "4,006,002 parameters is over the limit of 2,000,000",
      id="shape-too-many-parameters"),
    P("explain", ["--net", "-".join(["2"] * 120)], "119 layers is over the limit of 100", id="shape-too-deep"),
    P("explain", ["--net", "x" * 300], "not a preset, a file or a shape", id="net-name-too-long"),
    P("explain", ["--net", "mazurr"], "did you mean 'mazur'", id="preset-typo"),
    # ---- explain: numbers ----------------------------------------------------------------------
    P("explain", ["--input", "a,b"], "'a,b' is not a list of numbers", id="input-letters"),
    P("explain", ["--input", "0.5,"], "is not a list of numbers", id="input-trailing-comma"),
    P("explain", ["--input", "nan,1"], "input contains a non-finite number", id="input-nan"),
    P("explain", ["--input", "1e400,1"], "input contains a non-finite number", id="input-overflow"),
    P("explain", ["--target", "inf"], "target contains a non-finite number", id="target-inf"),
    P("explain", ["--input", "1,2,3"], "input has 3 values per sample but the input layer has 2 neurons",
      id="input-too-long"),
    P("explain", ["--target", "1,0"], "target has 2 values per sample but the output layer has 1 neuron",
      id="target-too-long"),
    P("explain", ["--input", "0,0;0,1", "--target", "1"], "2 input samples but 1 target;",
      id="batch-lengths-differ"),
    P("explain", ["--lr", "nan"], "'--lr': nan is not a finite number", id="lr-nan"),
    P("explain", ["--lr", "inf"], "'--lr': inf is not a finite number", id="lr-inf"),
    P("explain", ["--lr", "-1"], "learning rate must be a positive number", id="lr-negative"),
    P("explain", ["--lr", "fast"], "'fast' is not a valid number", id="lr-word"),
    P("explain", ["--steps", "two"], "'two' is not a valid whole number", id="steps-word"),
    P("explain", ["-o", "--format", "json"], "'--format' is an option, not a name to write to", id="output-forgotten"),
    P("explain", ["--l2", "nan"], "'--l2': nan is not a finite number", id="l2-nan"),
    P("explain", ["--l2", "inf"], "'--l2': inf is not a finite number", id="l2-inf"),
    P("explain", ["--l1", "-0.1"], "-0.1 is not in the range x>=0", id="l1-negative"),
    P("explain", ["--dropout", "1"], "dropout is the probability", id="dropout-one"),
    P("explain", ["--dropout", "nan"], "'--dropout': nan is not a finite number", id="dropout-nan"),
    P("explain", ["--seed", "-1"], "-1 is not in the range x>=0", id="seed-negative"),
    P("explain", ["--steps", "1000000"], "1000000 is not in the range 1<=x<=100000", id="steps-too-many"),
    P("explain", ["--precision", "0"], "0 is not in the range 1<=x<=17", id="precision-zero"),
    P("explain", ["--samples", "some"], "'some' is not a number of samples; give a whole number like 8, or all",
      id="samples-word"),
    P("explain", ["--samples", "0"], "'0' is not a number of samples", id="samples-zero"),
    # ---- explain: names ------------------------------------------------------------------------
    P("explain", ["--activation", "sigmod"], "did you mean 'sigmoid'", id="activation-typo"),
    P("explain", ["--output-activation", "sofmax"], "did you mean 'softmax'", id="output-activation-typo"),
    P("explain", ["--loss", "crossentropy"], "did you mean 'cross_entropy'", id="loss-typo"),
    P("explain", ["--optimizer", "adma"], "did you mean 'adam'", id="optimizer-typo"),
    P("explain", ["--format", "yaml"], "'yaml' is not one of", id="format-unknown"),
    # ---- explain: options that do not go together ----------------------------------------------
    P("explain", ["--output-activation", "softmax"], "softmax on 1 output is always 1", id="softmax-one-output"),
    P("explain", ["--activation", "softmax"], "softmax is for the output layer only", id="softmax-hidden"),
    P("explain", ["--loss", "cross_entropy"], "cross_entropy needs", id="cross-entropy-on-sigmoid"),
    P("explain", ["--loss", "sparse_cross_entropy"], "sparse_cross_entropy needs",
      id="sparse-cross-entropy-on-sigmoid"),
    P("explain", ["--loss", "hinge", "--output-activation", "identity", "--target", "0"],
      "hinge needs targets −1 or +1", id="hinge-with-0-1-targets"),
    P("explain", ["--loss", "bce", "--target", "2"], "bce needs targets between 0 and 1", id="bce-target-2"),
    P("explain", ["--loss", "mape", "--target", "0"], "mape divides by the target", id="mape-target-0"),
    P("explain", ["--loss", "multi_hinge"], "multi_hinge compares", id="multi-hinge-one-output"),
    P("explain", ["--net", "2-1", "--dropout", "0.5"], "this network has no hidden layer", id="dropout-no-hidden"),
    P("explain", ["--batch-size", "5"], "batch size 5 is more than the 1 sample given", id="batch-size-too-big"),
    P("explain", ["--fragment"], "--fragment goes with --format latex", id="fragment-without-latex"),
    # ---- explain: TOML specs -------------------------------------------------------------------
    P("explain", ["--net", "{tmp}/malformed.toml"], "malformed.toml: not valid TOML", id="toml-malformed"),
    P("explain", ["--net", "{tmp}/truncated.toml"], "truncated.toml: not valid TOML", id="toml-truncated"),
    P("explain", ["--net", "{tmp}/unknown-field.toml"], "unknown field 'activaton' (did you mean 'activation'?)",
      id="toml-unknown-field"),
    P("explain", ["--net", "{tmp}/no-sizes.toml"], "the spec needs 'sizes'", id="toml-no-sizes"),
    P("explain", ["--net", "{tmp}/sizes-string.toml"], "'sizes' must be a list of whole numbers",
      id="toml-sizes-string"),
    P("explain", ["--net", "{tmp}/sizes-float.toml"], "'sizes' must be a list of whole numbers",
      id="toml-sizes-float"),
    P("explain", ["--net", "{tmp}/sizes-huge.toml"], "layer size 100000000 is over the limit of 4096",
      id="toml-sizes-huge"),
    P("explain", ["--net", "{tmp}/nan-weights.toml"], "weights[0] contains a non-finite number",
      id="toml-nan-weights"),
    P("explain", ["--net", "{tmp}/inf-bias.toml"], "biases[0] contains a non-finite number", id="toml-inf-bias"),
    P("explain", ["--net", "{tmp}/nan-input.toml"], "input contains a non-finite number", id="toml-nan-input"),
    P("explain", ["--net", "{tmp}/weights-shape.toml"], "weights of layer 1 has shape (1, 3); expected (1, 2)",
      id="toml-weights-shape"),
    P("explain", ["--net", "{tmp}/weights-ragged.toml"], "weights[0] must be numbers in a regular",
      id="toml-weights-ragged"),
    P("explain", ["--net", "{tmp}/init-typo.toml"], "did you mean 'xavier'", id="toml-init-typo"),
    P("explain", ["--net", "{tmp}/optimizer-setting.toml"], "optimizer 'sgd' has no setting 'momentom'",
      id="toml-optimizer-setting"),
    P("explain", ["--net", "{tmp}/lr-string.toml"], "lr must be a number; got 'fast'", id="toml-lr-string"),
    P("explain", ["--net", "{tmp}/seed-negative.toml"], "seed must be a whole number ≥ 0", id="toml-seed-negative"),
    P("explain", ["--net", "{tmp}/activation-list.toml"], "a list of 2 names (one per hidden layer)",
      id="toml-activation-list"),
    P("explain", ["--net", "{tmp}/rule-typo.toml"], "did you mean 'perceptron'", id="toml-rule-typo"),
    P("explain", ["--net", "{tmp}/precision.toml"], "precision must be a whole number of digits from 1 to 17",
      id="toml-precision"),
    P("explain", ["--net", "{tmp}/batch-zero.toml"], "batch size must be a whole number ≥ 1", id="toml-batch-zero"),
    P("explain", ["--net", "{tmp}/loss-list.toml"], "'loss' must be text in quotes, e.g. loss = \"mse\"",
      id="toml-loss-list"),
    P("explain", ["--net", "{tmp}/optimizer-number.toml"], "'optimizer' must be a name or a table",
      id="toml-optimizer-number"),
    P("explain", ["--net", "{tmp}/not-utf8.toml"], "not-utf8.toml: cannot be read", id="toml-not-utf8"),
    P("explain", ["--net", "{tmp}/folder.toml"], "folder.toml is a directory, not a TOML file", id="toml-folder"),
    P("explain", ["--net", "{tmp}/missing.toml"], "missing.toml does not exist", id="toml-missing"),
    # ---- explain: model files ------------------------------------------------------------------
    P("explain", ["--net", "{tmp}/corrupt.safetensors"], "is not a readable safetensors model",
      id="model-corrupt"),
    P("explain", ["--net", "{tmp}/truncated.safetensors"], "is not a readable safetensors model",
      id="model-truncated"),
    P("explain", ["--net", "{tmp}/foreign.safetensors"], "is a safetensors file but not a backprop-model/1 model",
      id="model-not-ours"),
    P("explain", ["--net", "{tmp}/bad-metadata.safetensors"], "its backprop metadata is not valid JSON",
      id="model-bad-metadata"),
    P("explain", ["--net", "{tmp}/wrong-shape.safetensors"], "weights of layer 1 has shape (4, 2)",
      id="model-wrong-shape"),
    P("explain", ["--net", "{tmp}/nan.safetensors"], "holds a weight or bias that is not a finite number",
      id="model-nan-weights"),
    P("explain", ["--net", "{tmp}/no-name.safetensors"], "its metadata has no 'name'",
      id="model-metadata-field-missing"),
    P("explain", ["--net", "{tmp}/missing.safetensors"], "missing.safetensors does not exist", id="model-missing"),
    # ---- explain: where the output goes --------------------------------------------------------
    P("explain", ["-o", "{tmp}/a-folder"], "it is a folder", id="output-is-a-folder"),
    P("explain", ["-o", "{tmp}/no/such/x.txt"], "does not exist; create it first", id="output-folder-missing"),
    P("explain", ["-o", "{tmp}/a-file.txt/x.txt"], "a-file.txt is a file, not a folder", id="output-under-a-file"),
    P("explain", ["-o", "{tmp}/" + "y" * 300], "File name too long", id="output-name-too-long"),
    P("explain", ["-o", "{tmp}/read-only/x.txt"], "no permission to write in", id="output-read-only",
      marks=ROOT_SKIP),
    P("explain", ["-o", "{tmp}/read-only.txt"], "the file is read-only", id="output-read-only-file",
      marks=ROOT_SKIP),
    P("explain", ["-o", "{tmp}/loop-a"], "Too many levels of symbolic links", id="output-symlink-loop"),
    P("explain", ["-o", "{tmp}/dangling"], "no/such does not exist; create it first",
      id="output-dangling-link-into-missing-folder"),
    P("explain", ["-o", "{tmp}/folder-link"], "it is a folder", id="output-link-to-a-folder"),
    P("explain", ["-o", "/dev/fd/9"], "file descriptor 9 is not open", id="output-fd-not-open"),
    P("explain", ["2-3-1"], "unexpected argument '2-3-1'; did you mean --net 2-3-1?", id="net-as-argument"),
    P("explain", ["--format", "latex", "json"], "did you mean --format json?", id="choice-as-argument"),
    # ---- verify --------------------------------------------------------------------------------
    P("verify", ["--net", "2-x-1"], "'x' in '2-x-1' is not a layer size", id="verify-shape"),
    P("verify", ["--net", "{tmp}/truncated.toml"], "not valid TOML", id="verify-toml-truncated"),
    P("verify", ["--steps", "0"], "0 is not in the range 1<=x<=100000", id="verify-steps-zero"),
    P("verify", ["--optimizer", "rmsporp"], "did you mean 'rmsprop'", id="verify-optimizer-typo"),
    P("verify", ["--target", "nan"], "target contains a non-finite number", id="verify-target-nan"),
    # ---- diagram -------------------------------------------------------------------------------
    P("diagram", ["--kind", "sideways"], "'sideways' is not one of", id="diagram-kind"),
    P("diagram", ["-o", "{tmp}/a-folder"], "it is a folder", id="diagram-output-folder"),
    P("diagram", ["-o", "{tmp}/no/such/x.png"], "does not exist; create it first", id="diagram-folder-missing"),
    P("diagram", ["-o", "{tmp}/x.jpg"], "cannot tell the format of", id="diagram-format-unknown"),
    P("diagram", ["--kind", "loss", "-o", "{tmp}/loss.tex"], "TikZ output is for the network pictures",
      id="diagram-tikz-loss"),
    P("diagram", ["--kind", "all", "-o", "{tmp}/all.png"], "give a folder, not", id="diagram-all-into-file-name"),
    P("diagram", ["--kind", "all", "-o", "{tmp}/a-file.txt"], "it is a file; give a folder",
      id="diagram-all-into-a-file"),
    P("diagram", ["--kind", "graph", "-o", "{tmp}/graph.tex"], "not 'graph'; use .png, .svg or .pdf",
      id="diagram-tikz-graph"),
    P("diagram", ["--fragment", "-o", "{tmp}/x.png"], "--fragment is for TikZ output", id="diagram-fragment-png"),
    P("diagram", ["--net", "regression", "--lr", "1e10", "--kind", "loss"], "training diverged at step",
      id="diagram-diverges"),
    P("diagram", ["-o", "{tmp}/x.svg", "--format", "png"], "x.svg is named as svg but --format says png",
      id="diagram-format-and-extension-differ"),
    P("diagram", ["-o", "{tmp}/picture"], "cannot tell the format of", id="diagram-no-extension"),
    P("diagram", ["--kind", "all", "-o", "-"], "-o - is standard output", id="diagram-all-to-stdout"),
    P("diagram", ["backward"], "did you mean --kind backward?", id="diagram-kind-as-argument"),
    P("diagram", ["--dpi", "5", "-o", "{tmp}/x.png"], "5 is not in the range 50<=x<=600", id="diagram-dpi"),
    P("diagram", ["--precision", "0", "-o", "{tmp}/x.png"], "0 is not in the range 1<=x<=17", id="diagram-precision"),
    P("diagram", ["--net", "{tmp}/corrupt.safetensors", "-o", "{tmp}/x.png"], "not a readable safetensors",
      id="diagram-model-corrupt"),
    P("diagram", ["-o", "{tmp}/read-only/x.png"], "no permission to write in", id="diagram-read-only",
      marks=ROOT_SKIP),
    P("diagram", ["--kind", "all", "-o", "{tmp}/read-only/all"], "no permission to write in",
      id="diagram-all-read-only", marks=ROOT_SKIP),
    # ---- render (every row fails before a frame is drawn) --------------------------------------
    P("render", ["--net", "2-5000-1"], "over the limit of 4096", id="render-too-wide"),
    P("render", ["--scene", "middle"], "'middle' is not one of", id="render-scene-unknown"),
    P("render", ["--quality", "8k"], "'8k' is not one of", id="render-quality-unknown"),
    P("render", ["--precision", "18"], "18 is not in the range 1<=x<=17", id="render-precision"),
    P("render", ["--slides", "--scene", "forward"], "--slides makes slides of the lecture", id="render-slides-forward",
      marks=SLIDES_TOOLS),
    P("render", ["-o", "{tmp}/a-file.txt"], "is a file", id="render-output-is-a-file"),
    P("render", ["-o", "{tmp}/a-file.txt/videos"], "a-file.txt is a file", id="render-output-under-a-file",
      marks=RENDER_TOOLS),
    P("render", ["-o", "-"], "-o - is standard output", id="render-output-stdout", marks=RENDER_TOOLS),
    P("render", ["--net", "{tmp}/foreign.safetensors"], "not a backprop-model/1 model", id="render-model-not-ours"),
    P("render", ["--lr", "nan"], "'--lr': nan is not a finite number", id="render-lr-nan"),
    P("render", ["-o", "{tmp}/read-only/videos"], "no permission to write in", id="render-read-only",
      marks=[ROOT_SKIP, RENDER_TOOLS]),
    # ---- train ---------------------------------------------------------------------------------
    P("train", ["--data", "digitz"], "did you mean 'digits'", id="train-data-typo"),
    P("train", ["--net", "784-16-10", "--data", "digits"], "digits has 64 features per sample",
      id="train-wrong-input-layer"),
    P("train", ["--net", "64-16-3", "--data", "digits"], "digits needs 10 classes", id="train-wrong-output-layer"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--early-stopping", "3", "--val-split", "0"],
      "--val-split above 0", id="train-early-stopping-without-validation"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--batch-size", "1000"],
      "--batch-size 1000 is more than the 144 training samples",
      id="train-batch-size-too-big"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--target-column", "y"], "a target column applies only to csv",
      id="train-target-column-without-csv"),
    P("train", ["--net", "2-4-1", "--data", "csv:{tmp}/empty.csv"], "empty.csv is empty", id="train-csv-empty"),
    P("train", ["--net", "2-4-1", "--data", "csv:{tmp}/header-only.csv"], "has a header but no data rows",
      id="train-csv-header-only"),
    P("train", ["--net", "2-4-1", "--data", "csv:{tmp}/points.csv", "--target-column", "label"],
      "has no column 'label'; its columns are: a, b, y", id="train-csv-target-column-missing"),
    P("train", ["--net", "2-4-1", "--data", "csv:{tmp}/nan.csv"], "holds 'nan', not a number", id="train-csv-nan"),
    P("train", ["--net", "2-4-1", "--data", "csv:{tmp}/missing.csv"], "missing.csv not found",
      id="train-csv-missing"),
    P("train", ["--net", "2-4-1", "--data", "csv:"], "csv: needs a file path", id="train-csv-no-path"),
    P("train", ["--net", "784-16-10", "--data", "mnist", "--data-dir", "{tmp}/idx-missing"],
      "t10k-labels-idx1-ubyte.gz not found", id="train-idx-file-missing"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--lr", "nan"], "'--lr': nan is not a finite number",
      id="train-lr-nan"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--l2", "inf"], "'--l2': inf is not a finite number",
      id="train-l2-inf"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--val-split", "1.5"], "1.5 is not in the range 0<=x<=0.9",
      id="train-val-split"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--epochs", "0"], "0 is not in the range 1<=x<=10000",
      id="train-epochs-zero"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--seed", "99999999999"], "seed must be a whole number from 0",
      id="train-seed-huge"),
    P("train", ["--net", "{tmp}/wrong-shape.safetensors", "--data", "xor"], "weights of layer 1 has shape",
      id="train-model-wrong-shape"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--save", "{tmp}/a-folder"], "it is a folder",
      id="train-save-into-a-folder"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--save", "{tmp}/no/such/m.safetensors"],
      "does not exist; create it first", id="train-save-folder-missing"),
    P("train", ["--net", "2-4-1", "--data", "xor", "-o", "{tmp}/a-file.txt"], "it is a file",
      id="train-output-is-a-file"),
    P("train", ["xor"], "did you mean --data xor?", id="train-data-as-argument"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--save", "--epochs", "1"], "'--epochs' is an option",
      id="train-save-forgotten"),
    P("train", ["--net", "2-4-1", "--data", "xor", "-o", "-"], "-o - is standard output", id="train-output-stdout"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--save", "-"], "a model is binary", id="train-save-stdout"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--save", "/dev/stdout"], "a model is binary",
      id="train-save-dev-stdout"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--save", "{tmp}/loop-a"], "Too many levels of symbolic links",
      id="train-save-symlink-loop"),
    P("train", ["--net", "2-4-1", "--data", "csv:{tmp}/two-rows.csv"], "1 sample is too few to set 10% aside",
      id="train-csv-two-rows"),
    P("train", ["--net", "2-4-1", "--data", "xor", "--lr", "1e10", "--optimizer", "sgd", "--output-activation",
                "identity", "--loss", "mse"], "training diverged", id="train-diverges"),
    P("train", ["--net", "2-4-1", "--data", "xor", "-o", "{tmp}/read-only/out"], "no permission to write in",
      id="train-output-read-only", marks=ROOT_SKIP),
    # ---- explore -------------------------------------------------------------------------------
    P("explore", ["--port", "8000"], "--port is for --serve", id="explore-port-without-serve"),
    P("explore", ["--serve", "-o", "{tmp}/x.html"], "--serve shows the page from a server", id="explore-serve-to-file"),
    P("explore", ["-o", "{tmp}/a-folder"], "it is a folder", id="explore-output-folder"),
    P("explore", ["-o", "{tmp}/no/such/x.html"], "does not exist; create it first", id="explore-folder-missing"),
    P("explore", ["--steps", "0"], "0 is not in the range", id="explore-steps-zero"),
    P("explore", ["--port", "0", "--serve"], "0 is not in the range 1<=x<=65535", id="explore-port-zero"),
    P("explore", ["2-3-1"], "did you mean --net 2-3-1?", id="explore-net-as-argument"),
    P("explore", ["--net", "regression", "--lr", "1e10", "-o", "{tmp}/x.html"], "training diverged at step",
      id="explore-diverges"),
    P("explore", ["-o", "{tmp}/read-only/x.html"], "no permission to write in", id="explore-read-only",
      marks=ROOT_SKIP),
]
# fmt: on

# render: low quality, should a row ever get as far as rendering
COMMAND = {
    "explain": ["explain"],
    "verify": ["backprop", "verify"],
    "diagram": ["backprop", "diagram"],
    "render": ["backprop", "render", "--quality", "low"],
    "train": ["backprop", "train"],
    "explore": ["backprop", "explore"],
}


def listing(folder: Path) -> dict[str, tuple]:
    """Every path below `folder` with its size and modification time (so a changed file shows too)."""
    found = {}
    for path in folder.rglob("*"):
        stat = path.lstat()
        found[str(path.relative_to(folder))] = (path.is_dir(), stat.st_size, stat.st_mtime_ns)
    return found


@pytest.mark.parametrize("program, args, phrase", ROWS)
def test_bad_input(tmp_path, program, args, phrase):
    make_files(tmp_path)
    command, *pre = COMMAND[program]
    if program == "explain":
        args = [*args, "--no-verify"]
    argv = [str(BIN / command), *pre, *(a.replace("{tmp}", str(tmp_path)) for a in args)]
    before = listing(tmp_path)
    # run in the test's folder: a row without -o that wrongly writes does so at the command's default
    # (renders/… in the working folder), where the listing sees it too
    assert_refused(argv, tmp_path, phrase, most_lines=2)
    assert listing(tmp_path) == before, f"{argv[1:]} changed {tmp_path}"


def test_there_are_enough_rows():
    assert len(ROWS) >= 60
    assert {row.values[0] for row in ROWS} == set(COMMAND)
