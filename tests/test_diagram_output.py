"""Diagrams as a lecturer pastes them into slides: the spec's precision (or --precision), cropped
to the drawing, SVG text as text, TrueType fonts in PDFs, the same bytes every time, labels that
do not overlap, and computation-graph edges that never run through a node they do not join."""

import dataclasses
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.render.diagrams import draw, save
from visualizer.render.layout import computation_graph

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def mazur():
    return run(load_spec("mazur"))


def _svg_texts(path: Path) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", path.read_text(), re.S)]


def test_mazur_update_shows_its_nine_digits_and_precision_changes_them(tmp_path):
    """explain prints `0.15 → 0.149780716` for mazur (precision = 9 in its spec); so does the diagram,
    as text one can search and edit. --precision 3 rounds the same numbers to 3 digits."""
    for args, name in (([], "nine.svg"), (["--precision", "3"], "three.svg")):
        result = subprocess.run(
            [str(BIN / "backprop"), "diagram", "--net", "mazur", "--kind", "update", "-o", name, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    nine, three = _svg_texts(tmp_path / "nine.svg"), _svg_texts(tmp_path / "three.svg")
    assert "0.15→0.149780716" in nine and "0.4→0.358916480" in nine  # computed: its 9 digits, zeros kept
    assert "mazur · step 1 · E = 0.298371109 → 0.291027774" in nine
    assert "b: 0.35 → 0.35" in nine  # mazur's biases are not trained: as given, not 0.350000000
    assert not any("0.149780716" in t for t in three)
    assert "0.15→0.150" in three and "mazur · step 1 · E = 0.298 → 0.291" in three


def test_every_kind_honours_the_precision(mazur):
    texts = {}
    for kind in ("forward", "backward", "graph", "loss"):
        fig = draw(mazur, kind, precision=9)
        texts[kind] = [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]
    assert "0.593269992" in texts["forward"]  # a₁⁽¹⁾, as explain writes it
    assert "0.138498562" in texts["backward"]  # δ₁⁽²⁾
    assert "0.593269992, 0.596884378" in texts["graph"]  # L1.a's box
    assert any("E = 0.298371109" in t for t in texts["graph"])
    loss_title = draw(run(load_spec("mazur"), 3), "loss", precision=9)._suptitle.get_text()
    assert re.search(r"E 0\.298371109 → 0\.\d{9}$", loss_title)


def _ink_margins(png: Path) -> dict[str, float]:
    """The empty share of the picture on each side: rows and columns with no non-white pixel."""
    ink = (imread(png)[..., :3] < 0.97).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    h, w = ink.shape
    return {"top": rows[0] / h, "bottom": (h - 1 - rows[-1]) / h, "left": cols[0] / w, "right": (w - 1 - cols[-1]) / w}


@pytest.mark.parametrize("kind", ["forward", "update", "graph"])
def test_files_are_ready_for_slides(tmp_path, mazur, kind):
    fig = draw(mazur, kind, precision=9)
    png, svg, pdf = (tmp_path / f"{kind}.{ext}" for ext in ("png", "svg", "pdf"))
    for path in (png, svg, pdf):
        save(fig, path, dpi=60)
    margins = _ink_margins(png)
    assert max(margins.values()) < 0.04, margins  # cropped to the drawing: no band of empty page
    text = svg.read_text()
    assert text.count("<text") > 10 and "glyph" not in text  # text as text, not outlines of glyphs
    assert "<dc:date>" not in text
    data = pdf.read_bytes()
    assert b"/Type3" not in data and b"/FontFile2" in data  # TrueType embedded, no Type 3 bitmaps
    assert b"/CreationDate" not in data
    for path in (png, svg, pdf):  # the same figure, the same bytes
        before = path.read_bytes()
        save(fig, path, dpi=60)
        assert path.read_bytes() == before, path.name


@pytest.mark.parametrize("kind", ["forward", "backward", "update"])
def test_long_numbers_fit_and_do_not_overlap(mazur, kind):
    """At 9 digits every number still fits its circle and no label touches another or a neuron."""
    fig = draw(mazur, kind, precision=9)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    texts = [(t, t.get_window_extent()) for t in ax.texts if t.get_text()]
    discs = [(c, c.get_window_extent()) for c in circles]
    for i, (t, box) in enumerate(texts):
        mine = [c for c, disc in discs if disc.contains(*box.get_points().mean(axis=0))]
        for c, disc in discs:
            if c in mine:  # written in this circle: within it, side to side
                assert disc.x0 < box.x0 and box.x1 < disc.x1, t.get_text()
            else:
                assert not box.overlaps(disc), (t.get_text(), "meets a neuron")
        for other, other_box in texts[i + 1 :]:
            assert not box.overlaps(other_box), (t.get_text(), other.get_text())


# ---- the computation graph: no edge runs through a node it does not join ----------------------


def _meets_box(a, b, box) -> bool:
    """Does the segment a–b enter the rectangle (x0, y0, x1, y1)?"""
    t0, t1 = 0.0, 1.0
    d = (b[0] - a[0], b[1] - a[1])
    for p, q in ((-d[0], a[0] - box[0]), (d[0], box[2] - a[0]), (-d[1], a[1] - box[1]), (d[1], box[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return t0 < t1


def _meets_circle(a, b, centre, r) -> bool:
    a, b, c = np.asarray(a), np.asarray(b), np.asarray(centre)
    t = np.clip(np.dot(c - a, b - a) / max(np.dot(b - a, b - a), 1e-18), 0, 1)
    return np.linalg.norm(a + t * (b - a) - c) < r


@pytest.mark.parametrize("net", ["2-3-1", "mazur", "3-4-4-2", "2-3-1 l1 l2"])
def test_graph_edges_go_around_the_nodes(net):
    name, *terms = net.split()
    # with a regularized loss, parameters feed the penalty far to the right: longer edges, taller columns
    trace = run(dataclasses.replace(load_spec(name), **dict.fromkeys(terms, 0.01)))
    fig = draw(trace, "graph")
    fig.draw_without_rendering()
    ax = fig.axes[0]
    shapes = {}
    for p in ax.patches:
        if isinstance(p, FancyBboxPatch):
            pad = 0.02  # the rounded corners' pad, outside the box's own rectangle
            shapes[p.get_gid()] = ("box", (p.get_x() - pad, p.get_y() - pad, p.get_x() + p.get_width() + pad,
                                           p.get_y() + p.get_height() + pad))  # fmt: skip
        elif isinstance(p, Circle):
            shapes[p.get_gid()] = ("circle", (p.center, p.radius))
    edges = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(edges) == computation_graph(trace).number_of_edges() and all(e.get_gid() for e in edges)
    routed = 0
    for edge in edges:
        source, target = edge.get_gid().split("-")
        lines = edge.get_path().to_polygons(closed_only=False)
        for gid, (kind, shape) in shapes.items():
            if gid in (source, target):
                continue
            for line in lines:
                for a, b in zip(line, line[1:]):
                    meets = _meets_box(a, b, shape) if kind == "box" else _meets_circle(a, b, *shape)
                    assert not meets, f"{net}: the edge {source} → {target} runs through {gid}"
        # it starts at its source and ends (the arrowhead) at its target
        for gid, point in ((source, lines[0][0]), (target, lines[0][-1])):
            assert _distance(point, shapes[gid]) < 0.1, (net, edge.get_gid(), gid)
        routed += len(lines[0]) > 2
    assert routed >= 1  # each of these graphs wraps onto a further row, the case that used to cut through a box


def _distance(point, shape) -> float:
    """How far `point` lies from the outline of a box or circle."""
    kind, geometry = shape
    x, y = point
    if kind == "circle":
        (cx, cy), r = geometry
        return abs(math.hypot(x - cx, y - cy) - r)
    x0, y0, x1, y1 = geometry
    dx, dy = max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1)
    if dx or dy:
        return math.hypot(dx, dy)
    return min(x - x0, x1 - x, y - y0, y1 - y)


@pytest.mark.parametrize("args, digits", [([], 9), (["--precision", "5"], 5)])
def test_render_passes_the_precision_to_the_scenes(monkeypatch, tmp_path, args, digits):
    """`backprop render` hands the spec's precision, or --precision, to the scenes (BACKPROP_PRECISION)."""
    from types import SimpleNamespace

    from click.testing import CliRunner

    from visualizer.cli import main
    from visualizer.render.video import render

    seen = {}
    monkeypatch.setattr(render, "check_tools", lambda: None)
    monkeypatch.setattr(
        main, "_verified", lambda t: SimpleNamespace(verification=SimpleNamespace(passed=True), to_json=t.to_json)
    )
    monkeypatch.setattr(
        render, "render_scenes", lambda *a, precision=None, **k: seen.setdefault("precision", precision) and []
    )
    result = CliRunner().invoke(
        main.backprop, ["render", "--net", "mazur", "--scene", "forward", "-o", str(tmp_path), *args]
    )
    assert result.exit_code == 0, result.output
    assert seen == {"precision": digits}
