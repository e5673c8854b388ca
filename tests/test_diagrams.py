"""Layouts and diagrams: structure equals the Trace, positions are fixed, files are real pictures."""

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import Circle

from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.render.diagrams import draw, save
from visualizer.render.layout import computation_graph, neuron_graph
from visualizer.style import format_number


@pytest.fixture(scope="module")
def small():
    return run(load_spec("2-3-1"))


@pytest.fixture(scope="module")
def big():
    return run(load_spec("784-16-10"))


def test_neuron_graph_carries_the_trace(small):
    G = neuron_graph(small)
    assert G.number_of_nodes() == 2 + 3 + 1 and G.number_of_edges() == 2 * 3 + 3 * 1
    layer = small.steps[0].layers[0]
    for j in range(3):
        node = G.nodes[(1, j)]
        assert (node["z"], node["a"], node["delta"]) == (layer.z[0, j], layer.a[0, j], layer.delta[0, j])
        for k in range(2):
            edge = G.edges[(0, k), (1, j)]
            assert (edge["w"], edge["grad"], edge["w_new"]) == (layer.W[j, k], layer.grad_W[j, k], layer.W_new[j, k])
    assert G.nodes[(2, 0)]["target"] == small.target[0, 0]
    assert G.graph["collapsed"] == {}


def test_wide_layers_collapse_consistently(big):
    G = neuron_graph(big, max_neurons=8)
    assert G.graph["collapsed"] == {0: 776, 1: 8, 2: 2}
    for layer, hidden in G.graph["collapsed"].items():
        assert G.nodes[(layer, None)]["hidden"] == hidden
        shown = [n for n in G if n[0] == layer and n[1] is not None]
        assert len(shown) + hidden == big.network.sizes[layer]
    assert G.number_of_edges() == 8 * 8 + 8 * 8  # shown neurons only; no edges to an ellipsis
    assert all(None not in (u[1], v[1]) for u, v in G.edges())


def test_positions_are_deterministic_and_layered(small):
    a, b = neuron_graph(small), neuron_graph(run(load_spec("2-3-1")))
    assert [(n, d["pos"]) for n, d in a.nodes(data=True)] == [(n, d["pos"]) for n, d in b.nodes(data=True)]
    xs = [{a.nodes[n]["pos"][0] for n in a if n[0] == l} for l in range(3)]
    assert all(len(v) == 1 for v in xs)
    assert min(xs[0]) < min(xs[1]) < min(xs[2])


def test_computation_graph_matches_the_engine(small):
    G = computation_graph(small)
    values = {d["name"]: d for _, d in G.nodes(data=True) if d["kind"] == "value"}
    assert {"x", "L1.W", "L1.b", "L1.z", "L1.a", "L2.z", "L2.a", "y", "loss"} <= set(values)
    np.testing.assert_array_equal(values["L1.z"]["grad"], small.steps[0].layers[0].delta)
    np.testing.assert_array_equal(values["L2.W"]["grad"], small.steps[0].layers[1].grad_W)
    assert float(values["loss"]["value"]) == small.steps[0].loss
    positions = [d["pos"] for _, d in G.nodes(data=True)]
    assert len(set(positions)) == len(positions)  # no two nodes on one spot
    for u, v in G.edges():
        assert G.nodes[u]["pos"][0] < G.nodes[v]["pos"][0]  # left to right


def test_forward_picture_shows_every_number(small):
    fig = draw(small, "forward")
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    layer = small.steps[0].layers
    for j in range(3):
        assert format_number(layer[0].a[0, j], 4, zeros=True) in texts  # explain's 0.5933, not 0.593
        for k in range(2):
            assert format_number(layer[0].W[j, k], 4) in texts
    assert "y = 0.01" in texts
    assert len([p for p in ax.patches if isinstance(p, Circle)]) == 6
    lines = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert sum(len(c.get_segments()) for c in lines) == 2 * 9  # a grey base and a coloured line per weight
    assert "2-3-1 · step 1 · E = 0.6291" in {t.get_text() for t in fig.texts}


def test_bias_changes_sit_on_cards_above_the_edges(big):
    """A wide layer's edges run under its neurons' bias changes; a white card keeps them readable."""
    ax = draw(big, "update").axes[0]
    changes = [t for t in ax.texts if t.get_text().startswith("b: ")]
    edges = max(c.get_zorder() for c in ax.collections if isinstance(c, LineCollection))
    assert len(changes) == 8 + 8  # the neurons drawn of the collapsed hidden and output layers
    for text in changes:
        card = text.get_bbox_patch()
        assert card is not None and card.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert text.get_zorder() > edges


def test_big_network_is_drawn_collapsed(big):
    fig = draw(big, "forward")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "⋮\n776 more" in texts
    assert len([p for p in fig.axes[0].patches if isinstance(p, Circle)]) == 8 + 8 + 8


def _png_size(path: Path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("kind", ["forward", "backward", "update", "graph", "loss"])
def test_files_are_real_pictures(tmp_path, small, kind):
    from matplotlib.image import imread

    png, svg, pdf = (tmp_path / f"{kind}.{ext}" for ext in ("png", "svg", "pdf"))
    fig = draw(small, kind)
    for path in (png, svg, pdf):
        save(fig, path, dpi=80)
    width, height = _png_size(png)
    assert width > 400 and height > 250
    pixels = imread(png)[..., :3]
    assert pixels.std() > 0.05 and (pixels < 0.5).mean() > 0.005  # not blank: ink on the page
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([png.name, svg.name, pdf.name])


BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--kind", "nope"], "--kind"),
        (["-o", "x.gif"], "cannot tell the format of x.gif"),
        (["-o", "no/such/dir/x.png"], "does not exist"),
        (["--kind", "loss", "-o", "l.tex"], "TikZ output is for the network pictures"),
        (["--kind", "all", "-o", "all.png"], "give a folder"),
    ],
)
def test_bad_diagram_input(tmp_path, args, fragment):
    result = subprocess.run(
        [str(BIN / "backprop"), "diagram", *args], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and fragment in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_all_kinds_into_a_folder(tmp_path):
    result = subprocess.run(
        [str(BIN / "backprop"), "diagram", "--net", "xor", "--kind", "all", "-o", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(f"xor-{k}.png" for k in ("forward", "backward", "update", "graph", "loss"))
