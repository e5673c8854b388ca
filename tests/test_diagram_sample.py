"""Network pictures of a data set's sample (`diagram --data NAME --sample N`): the image beside the
input column as the data set shows it, the outputs named after their classes, the forward pass's
outputs as bars as long as a, the predicted and the actual class marked; and the pictures of a
network without them exactly as before."""

import dataclasses
import re
import shutil
import subprocess
from collections import Counter

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Circle, Rectangle

from visualizer.functions.classes import one_hot
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.trace import SampleInfo
from visualizer.render.diagrams import draw
from visualizer.render.diagrams.sample import BAR
from visualizer.render.diagrams.tikz import tikz_network
from visualizer.render.diagrams.tikz_sample import BAR_CM
from visualizer.render.layout import neuron_graph
from visualizer.style import PHASE_COLORS, format_display

NAMES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
LATEX = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is installed by `make setup`")


def _sample_trace(label: int):
    """A 64-16-10 network (digits' shape) run on an 8 × 8 picture of class `label`."""
    raw = np.arange(64, dtype=np.float64).reshape(8, 8) % 17  # pixels 0..16, as digits stores them
    spec = dataclasses.replace(
        load_spec("64-16-10"), input=raw.reshape(1, 64) / 16, target=one_hot(np.array([[label]]), 10), classes=NAMES
    )
    return run(spec).with_sample(SampleInfo("digits", "test", 5, label, (8, 8), raw))


@pytest.fixture(scope="module")
def trace():
    """A sample whose actual class the network does not predict, so that the two marks differ."""
    predicted = int(np.argmax(_sample_trace(0).steps[0].layers[-1].a[0]))
    return _sample_trace((predicted + 3) % 10)


def _texts(ax) -> dict:
    return {t.get_text(): t for t in ax.texts}


def test_forward_shows_the_image_the_classes_and_their_bars(trace):
    fig = draw(trace, "forward")
    fig.draw_without_rendering()
    ax = fig.axes[0]
    a = trace.steps[0].layers[-1].a[0]
    predicted, actual = int(np.argmax(a)), trace.sample.label
    # the image: the raw pixels in imshow's grey map, nearest-neighbour, left of every neuron
    (image,) = ax.images
    np.testing.assert_array_equal(image.get_array(), trace.sample.raw)
    assert image.get_cmap().name == "gray" and image.get_interpolation() == "nearest"
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == 8 + 8 + 10  # every class shown, none collapsed
    assert image.get_extent()[1] < min(c.center[0] - c.radius for c in circles)
    texts = _texts(ax)
    assert f"test image 5: {NAMES[actual]}" in texts
    # each output named at its neuron's height, right of it; the actual class in bold
    outputs = sorted(
        (c for c in circles if c.center[0] == max(c.center[0] for c in circles)), key=lambda c: -c.center[1]
    )
    for j, circle in enumerate(outputs):
        name = texts[NAMES[j]]
        assert name.get_position() == (pytest.approx(circle.center[0] + circle.radius, abs=0.3), circle.center[1])
        assert name.get_fontweight() == ("bold" if j == actual else "normal")
        # its bar as long as a (BAR at 1) on a track as long as 1, the predicted one in the forward colour
        bar, track = (next(p for p in ax.patches if p.get_gid() == f"{what}-{j}") for what in ("bar", "track"))
        assert isinstance(bar, Rectangle) and bar.get_width() == pytest.approx(BAR * a[j])
        assert track.get_width() == pytest.approx(BAR) and bar.get_x() == track.get_x() > circle.center[0]
        assert bar.get_y() + bar.get_height() / 2 == pytest.approx(circle.center[1])
        blue = to_hex(bar.get_facecolor()) == PHASE_COLORS["forward"].lower()
        assert blue == (j == predicted)
        assert format_display(a[j], 4, zeros=True) in texts  # its value, at the diagram's precision
    assert texts["◀ predicted"].get_position()[1] == outputs[predicted].center[1]
    assert texts["◀ actual (y = 1)"].get_position()[1] == outputs[actual].center[1]
    assert not any(t.startswith("y = ") for t in texts)  # the classes take the targets' place
    _nothing_overlaps(ax)


@pytest.mark.parametrize("kind", ["backward", "update"])
def test_backward_and_update_name_the_classes(trace, kind):
    fig = draw(trace, kind)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    texts = _texts(ax)
    assert set(NAMES) <= set(texts) and len(ax.images) == 1
    assert "◀ predicted" in texts and "◀ actual" in texts
    assert not any(p.get_gid() and p.get_gid().startswith("bar-") for p in ax.patches)  # bars: the forward pass's
    if kind == "update":  # the outputs' bias changes beside them, as the rows of ten are close
        last = trace.steps[0].layers[-1]
        assert f"b: {format_display(last.b[0], 4)} → {format_display(last.b_new[0], 4, zeros=True)}" in texts
    _nothing_overlaps(ax)


def _nothing_overlaps(ax):
    """No text meets another, a neuron it is not written in, the image or a bar."""
    shapes = [p.get_window_extent() for p in ax.patches if isinstance(p, Circle | Rectangle)]
    shapes += [image.get_window_extent() for image in ax.images]
    texts = [(t.get_text(), t.get_window_extent()) for t in ax.texts if t.get_text()]
    for i, (text, box) in enumerate(texts):
        centre = box.get_points().mean(axis=0)
        for shape in shapes:
            if not shape.contains(*centre):  # a value written in its circle is inside it
                assert not box.overlaps(shape), (text, "meets a shape")
        for other, other_box in texts[i + 1 :]:
            assert not box.overlaps(other_box), (text, other)


def test_named_outputs_only_add_to_the_picture():
    """Naming a small network's outputs adds their names and takes the targets' place; every other
    text and every neuron stays where it was, and without names nothing of the sample is drawn."""
    spec = load_spec("3-4-4-2")
    plain, named = run(spec), run(dataclasses.replace(spec, classes=("no", "yes")))
    before, after = draw(plain, "forward").axes[0], draw(named, "forward").axes[0]
    assert not before.images and not any(p.get_gid() for p in before.patches)
    placed = [Counter((t.get_text(), t.get_position()) for t in ax.texts) for ax in (before, after)]
    assert all(t.startswith("y = ") for (t, _) in placed[0] - placed[1])
    centres = [[c.center for c in ax.patches if isinstance(c, Circle)] for ax in (before, after)]
    assert centres[0] == centres[1]
    assert {"no", "yes"} <= set(_texts(after))


def test_all_the_classes_are_laid_out_within_a_collapsed_layers_height(trace):
    G = neuron_graph(trace)  # as the video lays it out: collapsed to 8
    assert G.graph["collapsed"] == {0: 56, 1: 8, 2: 2}
    shown = neuron_graph(trace, max_outputs=10)
    outputs = sorted(d["pos"][1] for n, d in shown.nodes(data=True) if n[0] == 2)
    assert len(outputs) == 10 and 2 not in shown.graph["collapsed"]
    assert (outputs[0], outputs[-1]) == (-3.5, 3.5)  # as tall as the 8 rows of a collapsed layer
    assert [G.nodes[n]["pos"] for n in G if n[0] < 2] == [shown.nodes[n]["pos"] for n in G if n[0] < 2]


def test_tikz_draws_the_image_names_and_bars(trace):
    picture = tikz_network(trace, "forward")
    raw = trace.sample.raw
    squares = re.findall(r"\\fill\[white!(\d+)!black\]", picture)
    assert len(squares) == np.count_nonzero(raw - raw.min())  # a square per pixel lighter than the darkest
    assert sorted(map(int, squares)) == sorted(round(v) for v in ((raw - raw.min()) / np.ptp(raw) * 100).ravel() if v)
    a = trace.steps[0].layers[-1].a[0]
    lengths = [
        float(x) for x in re.findall(r"\\fill\[(?:bpForward|black!45)\] \([^)]*\) rectangle \+\+\(([\d.]+),", picture)
    ]
    assert lengths == pytest.approx([BAR_CM * v for v in a if BAR_CM * v > 0], abs=1e-4)
    assert all(f"{{{name}}};" in picture for name in NAMES)
    assert "\\bfseries] at" in picture and "$\\leftarrow$ predicted" in picture and "$\\leftarrow$ actual" in picture
    assert "test image 5:" in picture and "$y = 0$" not in picture


@LATEX
def test_tikz_with_a_sample_compiles(tmp_path, trace):
    """The forward picture: the image's squares, the bars, the bold name and the marks (backward and
    update draw the same things but the bars)."""
    (tmp_path / "forward.tex").write_text(tikz_network(trace, "forward"), encoding="utf-8")
    command = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "forward.tex"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-1500:]
    assert (tmp_path / "forward.pdf").read_bytes().startswith(b"%PDF")
