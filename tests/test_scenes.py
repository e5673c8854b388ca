"""Structure of the manim network mobject: what is drawn, with which numbers (no rendering)."""

import pytest

pytest.importorskip("manim")

from visualizer.video.network_mobject import NetworkMobject  # noqa: E402
from visualizer.network import run  # noqa: E402
from visualizer.spec import load_spec  # noqa: E402
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
    for j in range(3):
        assert mob.values[(1, j)].text == format_display(layer.a[0, j], 3)
    assert mob.values[(0, 0)].text == format_display(trace.input[0, 0], 3)


def test_everything_fits_in_the_frame():
    for net in ("2-3-1", "3-4-4-2", "784-16-10"):
        mob = NetworkMobject(run(load_spec(net)))
        assert mob.width <= 14.2 - 1 and mob.height <= 8 - 1


def test_render_makes_the_lecture_video(tmp_path):
    """The CI smoke test: `backprop render` of the whole lecture at low quality, a real video
    whose frames through every beat have something on them."""
    import subprocess
    import sys
    from pathlib import Path

    import av

    result = subprocess.run([str(Path(sys.executable).parent / "backprop"), "render", "--net", "2-3-1",
                             "--scene", "lecture", "--quality", "low", "-o", str(tmp_path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    video = tmp_path / "2-3-1-Lecture.mp4"
    assert result.stdout.strip() == str(video)
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert 30 < float(stream.duration * stream.time_base) < 180
        fps = float(stream.average_rate)
        ink = [(frame.to_ndarray(format="gray") < 240).mean() for frame in container.decode(video=0)]
    blank = [share <= 0.002 for share in ink]  # a white page with (almost) nothing on it
    assert sum(blank) / len(blank) < 0.15
    longest, run = 0, 0
    for is_blank in blank:
        run = run + 1 if is_blank else 0
        longest = max(longest, run)
    assert longest < 2 * fps, f"{longest / fps:.1f} s of empty page"  # only the cuts between beats


def test_render_without_latex_says_what_to_install(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    bin_dir = Path(sys.executable).parent
    result = subprocess.run([str(bin_dir / "backprop"), "render", "-o", str(tmp_path)], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PATH": str(bin_dir)})
    assert result.returncode == 2
    assert "apt-get install texlive-latex-base" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_scene_equations_are_explains():
    from visualizer.explain.markdown import equation_latex
    from visualizer.video.formulas import equation_tex, equations

    trace = run(load_spec("mazur"))
    forward = equations(trace, "forward")
    tex = equation_tex(forward["z₁⁽¹⁾"])
    lhs, *forms = equation_latex(forward["z₁⁽¹⁾"])
    assert tex.tex_strings[0] == lhs and tex.tex_strings[2::2] == forms
    assert "δ₁⁽¹⁾" in equations(trace, "backward") and "E" in equations(trace, "loss")


@pytest.mark.parametrize("scene", ["NeuronDotProduct", "Loss", "BackwardPass", "WeightUpdate", "Training"])
def test_every_beat_runs(tmp_path, scene):
    """Each beat runs to its end (manim's dry run: every animation, no video written)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [str(Path(sys.executable).parent / "manim"), "-ql", "--dry_run", "--media_dir", str(tmp_path),
         str(root / "scenes" / "lecture.py"), scene],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env={**os.environ, "BACKPROP_NET": "mazur", "BACKPROP_STEPS": "20"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
