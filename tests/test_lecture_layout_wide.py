"""The lecture's frames as a hall sees them (test_lecture_layout.py), for the beats whose pictures
change with the network's shape: more inputs, wider layers, 9 digits (mazur, 3-4-4-2), a data
set's picture; and a value written on an edge sits above the edge, never on it."""

import numpy as np
import pytest

pytest.importorskip("manim")

from test_lecture_layout import play_beat  # noqa: E402

from visualizer.network.mlp import run  # noqa: E402
from visualizer.network.sources import load_spec  # noqa: E402
from visualizer.render.video.network_mobject import NetworkMobject  # noqa: E402

CASES = [(scene, net) for net in ("mazur", "3-4-4-2") for scene in ("NeuronDotProduct", "BackwardPass", "WeightUpdate")]


@pytest.fixture(scope="module")
def tex_cache(tmp_path_factory):
    """One media folder for every beat: its Tex/ cache typesets each formula once."""
    return tmp_path_factory.mktemp("layout")


@pytest.mark.parametrize("beat, net", CASES)
def test_every_number_is_readable_and_inside_the_safe_area(beat, net, tex_cache, monkeypatch):
    monkeypatch.setenv("BACKPROP_NET", net)
    found = play_beat(beat, net, tex_cache)
    assert not found, "\n".join(found[:12])


def test_the_picture_beat_is_readable_and_inside_the_safe_area(tex_cache, tmp_path):
    """The picture beat on a digits sample (the other beats of a network this wide shrink their
    "⋮ n more" notes and column names below the bar: not checked here yet)."""
    from test_picture_beat import digits_trace

    path = tmp_path / "digits.json"
    path.write_text(digits_trace().to_json(), encoding="utf-8")
    found = play_beat("ImageToPrediction", "64-16-10", tex_cache, trace=str(path))
    assert not found, "\n".join(found[:12])


@pytest.mark.parametrize("net", ["2-3-1", "mazur", "3-4-4-2"])
def test_a_value_on_an_edge_sits_above_it(net):
    mob = NetworkMobject(run(load_spec(net)))
    for edge, line in mob.edges.items():
        card = mob.edge_tag(edge, 0.1234)
        start, end = line.get_start(), line.get_end()
        x = card.get_center()[0]
        t = (x - start[0]) / (end[0] - start[0])
        y_line = start[1] + t * (end[1] - start[1])
        # the whole card is above the line where it sits: its lowest corner clears it
        slope = (end[1] - start[1]) / (end[0] - start[0])
        lowest = card.get_bottom()[1] - abs(slope) * card.width / 2
        assert lowest >= y_line - 0.02, f"{net} {edge}: card bottom {lowest:.3f} under the line at {y_line:.3f}"
        assert np.isfinite(y_line)
