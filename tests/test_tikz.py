"""TikZ pictures for slides: they compile on their own and inside beamer, and read like the PNG
(ink by contrast, δ and arrowheads backward, labels that do not stack, the spec's digits)."""

import dataclasses
import math
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from visualizer.core.expr import Style
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.render.diagrams.tikz import PREAMBLE, SIZE7, tikz_network
from visualizer.render.diagrams.tikz_geometry import CM_PER_PT, LABEL_HEIGHT, text_width
from visualizer.render.layout import neuron_graph

NETS = ("2-3-1", "mazur", "3-4-4-2")
KINDS = ("forward", "backward", "update")
LATEX = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is installed by `make setup`")
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def traces():
    return {net: (run(spec), spec.precision) for net in NETS for spec in [load_spec(net)]}


@pytest.fixture(scope="module")
def pictures(traces):
    """{(net, kind): the standalone document}, at each spec's precision."""
    return {
        (net, kind): tikz_network(trace, kind, precision=digits)
        for net, (trace, digits) in traces.items()
        for kind in KINDS
    }


def pdflatex(folder: Path, name: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", name],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


@LATEX
def test_every_picture_compiles_on_its_own(tmp_path, pictures):
    documents = {f"{net}-{kind}.tex": text for (net, kind), text in pictures.items()}
    # and the corner cases: collapsed layers (arrows under the layers), dropout (crossed-out neurons)
    big = run(load_spec("784-16-10"))
    documents["784-16-10-backward.tex"] = tikz_network(big, "backward")
    documents["dropout-forward.tex"] = tikz_network(
        run(dataclasses.replace(load_spec("3-4-4-2"), dropout=0.5)), "forward"
    )
    assert documents["784-16-10-backward.tex"].count("\\node[neuron") == 24
    assert "error flows back" in documents["784-16-10-backward.tex"]
    assert "neuron, dropped" in documents["dropout-forward.tex"]
    for name, text in documents.items():
        assert text.startswith("% backprop diagram") and "\\documentclass[border=6pt]{standalone}" in text
        (tmp_path / name).write_text(text, encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(documents, pool.map(lambda name: pdflatex(tmp_path, name), documents)))
    failed = {name: r.stdout[-1200:] for name, r in results.items() if r.returncode != 0}
    assert not failed, failed
    for name in documents:
        assert (tmp_path / name).with_suffix(".pdf").read_bytes().startswith(b"%PDF")


@LATEX
def test_a_fragment_compiles_inside_beamer(tmp_path, traces):
    trace, _ = traces["2-3-1"]
    for kind in ("forward", "backward"):
        fragment = tikz_network(trace, kind, fragment=True)
        assert "\\documentclass" not in fragment and "\\begin{document}" not in fragment
        assert fragment.count("\\begin{tikzpicture}") == 1 and "\\definecolor" in fragment
        (tmp_path / f"{kind}.tex").write_text(fragment, encoding="utf-8")
    (tmp_path / "slides.tex").write_text(
        "\\documentclass{beamer}\n"
        + PREAMBLE
        + "\n\\begin{document}\n"
        + "\\begin{frame}{Forward}\\centering\\resizebox{\\linewidth}{!}{\\input{forward.tex}}\\end{frame}\n"
        + "\\begin{frame}{Backward}\\centering\\resizebox{\\linewidth}{!}{\\input{backward.tex}}\\end{frame}\n"
        + "\\end{document}\n",
        encoding="utf-8",
    )
    result = pdflatex(tmp_path, "slides.tex")
    assert result.returncode == 0, result.stdout[-1500:]
    assert "Output written on slides.pdf (2 pages" in result.stdout.replace("\n", "")


def test_backward_labels_delta_and_points_back(traces):
    trace, digits = traces["2-3-1"]
    picture = tikz_network(trace, "backward", precision=digits)
    G = neuron_graph(trace)
    number = partial(Style("latex", digits).number, zeros=True)  # computed: trailing zeros kept
    neurons = [node for node in G if node[0] > 0]
    assert picture.count("$\\delta^{") == len(neurons) and "$a^{" not in picture
    for l, j in neurons:  # each neuron holds its δ
        assert f"(n{l}x{j}) at " in picture and f"{{${number(G.nodes[l, j]['delta'])}$}}" in picture
    edges = [line for line in picture.splitlines() if line.startswith("\\draw[bpEdge")]
    assert len(edges) == G.number_of_edges()
    for (k_layer, k), (l, j), d in G.edges(data=True):  # from the target back to the source, with a head
        (line,) = [e for e in edges if f"(n{l}x{j}) -- (n{k_layer}x{k})" in e]
        assert "Stealth" in line
        assert f"{{${number(d['grad'])}$}}" in picture  # ∂E/∂w on the edge


def test_update_shows_old_to_new_at_the_specs_precision(traces):
    trace, digits = traces["mazur"]
    assert digits == 9
    picture = tikz_network(trace, "update", precision=digits)
    assert "0.15 \\to 0.149780716" in picture
    assert "$E = 0.298371109 \\to 0.291027774$" in picture
    # without a precision: the default digits (the Trace does not record the spec's)
    assert "0.15 \\to 0.1498$" in tikz_network(trace, "update")


def _luminance(hexa: str) -> float:
    channels = [int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("net, kind", [(net, kind) for net in NETS for kind in ("forward", "backward")])
def test_every_number_in_a_neuron_is_readable(pictures, net, kind):
    picture = pictures[net, kind]
    fills = dict(re.findall(r"\\definecolor\{(bpFill\w+)\}\{HTML\}\{(\w{6})\}", picture))
    inks = dict(re.findall(r"\\node\[neuron[^\]]*fill=(bpFill\w+), text=(\w+)\]", picture))
    assert fills and set(inks) == set(fills)
    for name, ink in inks.items():  # WCAG AA for normal text: a contrast of at least 4.5
        fill, text = _luminance(fills[name]), {"white": 1.0, "black": 0.0}[ink]
        contrast = (max(fill, text) + 0.05) / (min(fill, text) + 0.05)
        assert contrast >= 4.5, (name, fills[name], ink)
    darkest = min(fills, key=lambda name: _luminance(fills[name]))
    assert inks[darkest] == "white"


@pytest.mark.parametrize("net, kind", [(net, kind) for net in NETS for kind in KINDS])
def test_edge_labels_do_not_stack(pictures, net, kind):
    """Labels are written along their edges; no two come within 1 mm of each other (their text
    is LABEL_HEIGHT thick around its centre line), nor does one cover a neuron."""
    picture = pictures[net, kind]
    labels = re.findall(r"\\node\[edge value, rotate=([-\d.]+)\] at \(([-\d.]+),([-\d.]+)\) \{\$(.*)\$\};", picture)
    assert labels or net == "3-4-4-2"  # 3-4-4-2's layers have too many edges for numbers (as the PNG)
    lines = []
    for angle, x, y, text in labels:
        a, x, y, half = math.radians(float(angle)), float(x), float(y), (text_width(text) + 0.1) / 2
        lines.append([(x + s * half * math.cos(a), y + s * half * math.sin(a)) for s in np.linspace(-1, 1, 60)])
    for a, b in combinations(lines, 2):
        closest = min(math.dist(p, q) for p in a for q in b)
        assert closest >= LABEL_HEIGHT + 0.1, (a[0], b[0], closest)
    radius = float(re.search(r"minimum size=([\d.]+)cm", picture).group(1)) / 2
    centres = [
        (float(x), float(y))
        for x, y in re.findall(r"\\node\[neuron[^\]]*\] \(\w+\) at \(([-\d.]+),([-\d.]+)\)", picture)
    ]
    for line in lines:
        assert min(math.dist(p, c) for p in line for c in centres) >= radius + LABEL_HEIGHT / 2


@LATEX
def test_width_estimates_match_latex(tmp_path, pictures):
    """The layout trusts text_width; LaTeX's own measure of every label and number in the pictures agrees."""
    texts = set()
    for picture in pictures.values():
        texts |= set(re.findall(r"\\node\[edge value[^\]]*\] at \([^)]*\) \{\$(.*)\$\};", picture))
        texts |= set(re.findall(r"\\node\[neuron[^\]]*\] \(\w+\) at \([^)]*\) \{\$([^$]*)\$\};", picture))
    lines = [f"\\settowidth\\w{{{SIZE7} ${t}$}}\\typeout{{WIDTH {i} \\the\\w}}" for i, t in enumerate(texts)]
    (tmp_path / "m.tex").write_text(
        "\\documentclass{standalone}\n\\newlength\\w\n\\begin{document}\n"
        + "\n".join(lines)
        + "\nx\n\\end{document}\n",
        encoding="utf-8",
    )
    result = pdflatex(tmp_path, "m.tex")
    assert result.returncode == 0, result.stdout[-1500:]
    measured = {int(i): float(pt) * CM_PER_PT for i, pt in re.findall(r"WIDTH (\d+) ([\d.]+)pt", result.stdout)}
    assert len(measured) == len(texts) > 20
    for i, text in enumerate(texts):
        assert 0.97 <= text_width(text) / measured[i] <= 1.1, (text, text_width(text), measured[i])


def test_kind_all_as_tikz_writes_the_network_pictures(tmp_path):
    result = subprocess.run(
        [str(BIN / "backprop"), "diagram", "--net", "2-3-1", "--kind", "all", "--format", "tikz", "-o", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"2-3-1-{k}.tex" for k in sorted(KINDS)]
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert skipped == [
        "skipped graph, loss: TikZ output is for the network pictures; use --format png, svg or pdf for them"
    ]
