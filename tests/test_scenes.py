"""Structure of the manim network mobject: what is drawn, with which numbers (no rendering)."""

import pytest

pytest.importorskip("manim")

from manim import VGroup  # noqa: E402

from visualizer.network.mlp import run  # noqa: E402
from visualizer.network.sources import load_spec  # noqa: E402
from visualizer.render.video.network_mobject import NetworkMobject  # noqa: E402
from visualizer.style import format_display  # noqa: E402


@pytest.mark.parametrize("net, neurons, weights", [("2-3-1", 6, 9), ("mazur", 6, 8), ("784-16-10", 24, 128)])
def test_one_circle_per_neuron_and_one_line_per_weight(net, neurons, weights):
    mob = NetworkMobject(run(load_spec(net)))
    assert len(mob.neurons) == neurons and len(mob.edges) == weights
    assert set(mob.edges) == set(mob.graph.edges())
    assert len(mob.ellipses) == len(mob.graph.graph["collapsed"])


def test_labels_are_the_trace_values_formatted_by_the_style_module():
    trace = run(load_spec("2-3-1"))
    mob = NetworkMobject(trace)
    layer = trace.steps[0].layers[0]
    for j in range(3):  # computed: at the network's precision, trailing zeros kept
        assert mob.values[(1, j)].text == format_display(layer.a[0, j], 4, zeros=True)
    assert mob.values[(0, 0)].text == format_display(trace.input[0, 0], 4)  # given: as typed
    assert NetworkMobject(trace, values="inputs").values.keys() == {(0, 0), (0, 1)}


def test_the_network_fits_its_share_of_the_frame_and_keeps_its_numbers_readable():
    from visualizer.render.video.formulas import readable

    for net in ("2-3-1", "3-4-4-2", "784-16-10"):
        mob = NetworkMobject(run(load_spec(net)), values=None).fit(6.2, 5.5)
        assert mob.width <= 6.2 + 1e-6 and mob.height <= 5.5 + 1e-6
        assert readable(VGroup(*mob.values.values()))
        for node, circle in mob.neurons.items():  # every number inside its circle
            if node in mob.values:
                assert mob.values[node].width < circle.width


def test_render_makes_the_lecture_video(lecture_render):
    """The CI smoke test: `backprop render` of the whole lecture at low quality (conftest's shared
    render), a real video whose frames through every beat have something on them."""
    import av

    out, printed = lecture_render
    video = out / "2-3-1-Lecture.mp4"
    assert printed[0] == str(video)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert 60 < float(stream.duration * stream.time_base) < 300
        fps = float(stream.average_rate)
        ink = [(frame.to_ndarray(format="gray") < 240).mean() for frame in container.decode(video=0)]
    blank = [share <= 0.002 for share in ink]  # a white page with (almost) nothing on it
    assert sum(blank) / len(blank) < 0.15
    longest, run = 0, 0
    for is_blank in blank:
        run = run + 1 if is_blank else 0
        longest = max(longest, run)
    assert longest < 2 * fps, f"{longest / fps:.1f} s of empty page"  # only the cuts between beats
    # x264 wrote its options into the stream: the faster preset (veryfast: subme=2, one reference) took
    assert b" ref=1 " in video.read_bytes() and b" subme=2 " in video.read_bytes()


def test_render_without_latex_says_what_to_install(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bin_dir / "backprop"), "render", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": str(bin_dir)},
    )
    assert result.returncode == 2
    assert "apt-get install texlive-latex-base" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_scene_equations_are_explains():
    from visualizer.render.video.formulas import equation_tex, equations

    trace = run(load_spec("mazur"))
    forward = equations(trace, "forward")
    tex = equation_tex(forward["z₁⁽¹⁾"])
    lhs, *forms = forward["z₁⁽¹⁾"].parts("latex")
    assert tex.tex_strings[0] == lhs  # each form is its parts (a sum: a part per term)
    assert ["".join(tex.tex_strings[k] for k in segment[1:]) for segment in tex.segments] == forms
    assert "δ₁⁽¹⁾" in equations(trace, "backward") and "E" in equations(trace, "loss")


# the other beats of mazur run to their end in test_lecture_layout.py, which checks every frame
@pytest.mark.parametrize("scene", ["Loss", "Training"])
def test_every_beat_runs(tmp_path, scene):
    """The beats run from the plain manim command line to their end (a dry run: every animation,
    no video written), for mazur after 20 steps."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "manim"),
            "-ql",
            "--dry_run",
            "--media_dir",
            str(tmp_path),
            str(root / "scenes" / "lecture.py"),
            scene,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BACKPROP_NET": "mazur", "BACKPROP_STEPS": "20"},
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_long_equations_go_on_lines_of_their_own_under_the_first_equals():
    from visualizer.render.video.formulas import equation_tex, equations

    eq = equations(run(load_spec("3-4-4-2")), "forward")["z₁⁽¹⁾"]
    wide = equation_tex(eq, width=100)
    assert len({round(wide[k].get_center()[1], 1) for k in range(1, len(wide))}) == 1  # one line when there is room
    tex = equation_tex(eq, width=6.5)
    assert tex.width <= 6.5 + 1e-6
    assert abs(tex.height / wide.height - 1) > 0.5  # it went over several lines, not scaled down
    first = tex[tex.segments[0][0]]
    for segment in tex.segments[1:]:  # a form that starts a line starts under the first '='
        sign = tex[segment[0]]
        assert sign.get_top()[1] < first.get_top()[1] - 1e-6
        assert abs(sign.get_left()[0] - first.get_left()[0]) < 1e-6 or sign.get_left()[0] > first.get_right()[0]


def test_neuron_closeup_shows_the_numbers_of_the_equation():
    from visualizer.render.video.neuron_mobject import NeuronCloseup

    trace = run(load_spec("2-3-1"))
    mob = NeuronCloseup(trace)
    layer = trace.steps[0].layers[0]
    assert set(mob.inputs) == {0, 1} and set(mob.edges) == {0, 1}
    assert [mob.weights[k].tex_string for k in (0, 1)] == ["w^{(1)}_{11} = 0.15", "w^{(1)}_{12} = 0.2"]
    assert mob.inputs[0][1].text == format_display(trace.input[0, 0])
    assert mob.label(layer.z[0, 0]).text == format_display(layer.z[0, 0])
    big = NeuronCloseup(run(load_spec("784-16-10")))
    assert sorted(big.inputs) == [0, 1, 2, 3, 783] and big.ellipsis.text == "⋮779more"


def test_larger_networks_show_numbers_only_where_the_beat_focuses():
    small, large = run(load_spec("2-3-1")), run(load_spec("3-4-4-2"))
    mob = NetworkMobject(small, values=None)
    assert mob.every_number and len(mob.values) == 6
    mob = NetworkMobject(large, values=None)
    assert not mob.every_number and mob.values == {}
    # a focused neuron's δ on a card beside it, at the network's precision
    card = mob.neuron_tag((2, 0), large.steps[0].layers[1].delta[0, 0])
    assert card[1].text == format_display(large.steps[0].layers[1].delta[0, 0], 4, zeros=True)
