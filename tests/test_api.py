"""The Python API a notebook user imports: `import visualizer as bp`, then load a spec, run
steps, explain and draw, as the README shows."""

import subprocess
import sys

import pytest
from matplotlib.figure import Figure

import visualizer as bp
from visualizer.errors import UsageError


def test_load_spec_takes_what_net_takes_with_overrides():
    spec = bp.load_spec("2-3-1", lr=0.1, activation="tanh")
    assert spec.sizes == (2, 3, 1) and spec.optimizer["lr"] == 0.1 and spec.activations == ("tanh", "sigmoid")
    assert bp.load_spec(spec) is spec and bp.load_spec(spec, seed=3).seed == 3
    with pytest.raises(UsageError, match="did you mean 'mazur'"):
        bp.load_spec("mazr")


def test_run_records_verified_steps():
    trace = bp.run("xor", steps=3)
    assert len(trace.steps) == 3 and trace.verification.passed
    assert bp.run("xor", steps=1, verify=False).verification is None
    assert bp.verify(bp.run("2-3-1", verify=False)).passed


def test_explain_writes_the_published_example_out():
    # Mazur's worked example at its own 9 digits, straight from the preset
    text = bp.explain("mazur", phase="update").text()
    assert "0.4 − 0.5·0.0821670406 = 0.358916480" in text and "✓ verified" in text
    trace = bp.run("mazur")
    shown = bp.explain(trace)  # a Trace alone: 4 digits unless asked
    assert r"\sigma\left(0.3775\right) = 0.5933$" in shown._repr_markdown_()
    assert r"\begin{document}" in shown.latex() and "0.593269992" in bp.explain(trace, precision=9).text()


def test_draw_gives_a_figure_and_load_trace_reads_explains_json(tmp_path):
    trace = bp.run("2-3-1", verify=False)
    fig = bp.draw(trace, "backward")
    assert isinstance(fig, Figure) and fig.axes
    path = tmp_path / "t.json"
    path.write_text(trace.to_json(), encoding="utf-8")
    assert bp.load_trace(path).to_json() == trace.to_json()


def test_importing_the_package_imports_nothing_heavy():
    # the command line imports this package: it must not pull torch, matplotlib or manim in
    code = (
        "import sys, visualizer; print(sorted(m for m in ('torch', 'matplotlib', 'manim', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_trace_shows_itself_without_the_network_layer_importing_a_renderer(tmp_path):
    trace = bp.run("2-3-1", steps=2)
    assert repr(trace) == str(trace) and len(repr(trace).splitlines()) == 6  # not every array of every step
    assert "2 steps on 1 sample: E 0.6291 → 0.4792" in repr(trace) and "✓ verified" in repr(trace)
    bundle = trace._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/markdown", "text/plain"}
    # the explorer in a frame; marimo's (from _repr_html_) without the script that fits the frame to its page
    assert bundle["text/html"].startswith(trace._repr_html_()) and bundle["text/html"].endswith("</script>")
    shown = trace.explain(phase="forward")
    assert shown.markdown() == bp.explain(trace, phase="forward").markdown()
    assert "<math" in shown._repr_html_() and "$" not in shown._repr_html_()


def test_a_diagram_is_a_figure_that_shows_itself_as_svg(tmp_path):
    trace = bp.run("2-3-1", verify=False)
    fig = trace.diagram("update")
    assert isinstance(fig, Figure) and fig._repr_svg_() == bp.draw(trace, "update")._repr_svg_()  # same bytes
    assert fig._repr_svg_().lstrip().startswith("<?xml") and "<svg" in fig._repr_svg_()
    fig.save(tmp_path / "u.pdf")
    assert (tmp_path / "u.pdf").read_bytes().startswith(b"%PDF")
