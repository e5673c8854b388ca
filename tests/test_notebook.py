"""The notebook (docs/notebooks/explore.ipynb) run in a real Jupyter kernel, as a reader runs it,
and exported to HTML as a reader shares it: every cell runs, a Trace shows the explorer page with
the Trace's own numbers, explain shows its math as MathML, a diagram shows as SVG (not
`<Figure size …>`), the widget carries the page as its static fallback; the exported file shows
all of it with no kernel. marimo's export of the same cells too."""

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("nbconvert")
pytest.importorskip("anywidget")

from offline_browser import offline_page  # noqa: E402

import visualizer as bp  # noqa: E402
from visualizer.render.explain import Options, build_document  # noqa: E402
from visualizer.render.explain.document import Equation  # noqa: E402
from visualizer.render.explore import payload  # noqa: E402
from visualizer.render.explore.page import unpacked_payload  # noqa: E402
from visualizer.render.notebook import embed  # noqa: E402

NOTEBOOKS = Path(__file__).parent.parent / "docs" / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def trace():
    return bp.run("2-3-1", steps=5)  # what the notebook's first cell runs


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The notebook run in a kernel of this Python: a kernel spec of our own in a temporary Jupyter
    path, so neither the user's kernels nor their home (runtime files, IPython's profile) count."""
    from nbclient import NotebookClient

    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "data" / "kernels" / "backprop-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "backprop", "language": "python"}))
    env = {"JUPYTER_DATA_DIR": home / "data", "JUPYTER_PATH": home / "data", "JUPYTER_CONFIG_DIR": home / "config"}
    env |= {"JUPYTER_RUNTIME_DIR": home / "runtime", "IPYTHONDIR": home / "ipython", "JUPYTER_PLATFORM_DIRS": "1"}
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, str(value))
        nb = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
        # no widget state kept, as JupyterLab saves a notebook by default: an exported notebook then
        # shows each widget's static fallback (with the state, nbconvert would load the widget
        # manager from a CDN, and show nothing offline)
        client = NotebookClient(nb, kernel_name="backprop-test", timeout=180, store_widget_state=False)
        client.execute(cwd=str(home))
    return nb


def outputs(nb, source_start: str) -> dict:
    """The data of the one rich output of the code cell whose source starts so."""
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(source_start)]
    rich = [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]
    assert len(rich) == 1, cell.outputs
    return rich[0]["data"]


def test_the_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    nbformat.validate(nb)
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")


def test_every_cell_runs_and_shows_the_traces_numbers(executed, trace):
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
    shown = outputs(executed, "import visualizer")
    # the explorer page of this very trace, byte for byte (the output is deterministic), in its iframe
    assert shown["text/html"] == embed.iframe(trace) and 'srcdoc="<!DOCTYPE html>' in shown["text/html"]
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', shown["text/html"])[1])
    assert unpacked_payload(srcdoc) == json.loads(json.dumps(payload(trace)))  # the numbers the page shows
    assert shown["text/markdown"] == trace.explain().markdown()
    assert shown["text/plain"] == repr(trace) and "5 steps on 1 sample: E 0.6291 → 0.2369" in shown["text/plain"]
    assert "✓ verified: torch autograd" in shown["text/plain"] and len(shown["text/plain"].splitlines()) <= 8

    explained = outputs(executed, "trace.explain")
    assert explained["text/html"] == trace.explain(phase="backward").html()
    assert "<math" in explained["text/html"] and "$" not in explained["text/html"]
    assert explained["text/markdown"].count("$") > 20  # the Markdown stays for front ends without HTML

    drawn = outputs(executed, "trace.diagram")
    assert drawn["image/svg+xml"] == trace.diagram("backward")._repr_svg_()

    widget = outputs(executed, "bp.Explorer")
    assert WIDGET_VIEW in widget and widget["text/html"] == embed.iframe(trace)


@pytest.fixture(scope="module")
def exported(executed, tmp_path_factory) -> Path:
    """The run notebook as nbconvert's HTML exporter writes it (its default template, `lab`)."""
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(executed)
    path = tmp_path_factory.mktemp("exported") / "explore.html"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_exported_notebook_carries_the_page_and_the_math(exported, trace):
    body = exported.read_text(encoding="utf-8")
    # nbconvert writes each output's HTML anew (attributes sorted, < and > as entities): the pages
    # are compared as the browser reads them
    pages = [html.unescape(page) for page in re.findall(r'<iframe [^>]*srcdoc="([^"]*)"', body)]
    assert pages == [embed.page(trace)] * 2  # the Trace, and the widget's fallback (no widget view)
    explained = trace.explain(phase="backward").html()
    assert body.count("<math ") == explained.count("<math ") > 20 and "<mn>0.2508</mn>" in body  # δ₁⁽²⁾
    assert r"$\frac{\partial E}" not in body and "<Figure size" not in body  # no raw math, no figure's repr


def test_the_exported_notebook_shows_them_in_a_browser(exported, trace):
    """Opened with no network: both explorers draw, and a click on a neuron shows its equations with
    the numbers explain writes, step 1's and then step 2's; the math is laid out, the diagram drawn.
    Only nbconvert's own template asks the network for anything (require.js and MathJax, which
    nothing here needs)."""
    # z₁⁽¹⁾ with its numbers and result in steps 1 and 2, as KaTeX's text reads (⋅, no spaces)
    z = [e for s in build_document(trace, Options(show="all")) for e in s.items if _is_z11(e)]
    expected = ["=".join(e.parts("text")[-2:]).replace(" ", "").replace("·", "⋅") for e in z[:2]]
    assert expected[0] == "0.15⋅0.05+0.2⋅0.1+0.35=0.3775"
    with offline_page() as page:
        page.goto(exported.as_uri())
        for i in range(2):  # the Trace's output, then the widget's fallback
            explorer = page.frame_locator("iframe.bp-explorer-frame").nth(i)
            assert explorer.locator(".bp-step").inner_text().startswith("step 1 of 5 · forward pass · E = 0.6291")
            explorer.locator('[data-id="n-1-1"]').click()
            for step, numbers in enumerate(expected, start=1):
                if step > 1:
                    explorer.get_by_role("button", name="next step").click()
                panel = explorer.locator(".bp-panel").inner_text()
                assert numbers in "".join(panel.split()), (step, panel)
        # each frame grew to fit its page with the equations shown (it told the notebook its height)
        for frame in (f for f in page.frames if f.url.startswith("about:srcdoc")):
            assert frame.evaluate("document.documentElement.scrollHeight <= innerHeight + 1 && innerHeight > 800")
        # MathML laid out by the browser: each equation as wide as its text, not raw LaTeX
        widths = page.eval_on_selector_all("math", "els => els.map(e => e.getBoundingClientRect().width)")
        assert len(widths) > 20 and min(widths) > 10
        # the diagram: nbconvert puts an SVG output in an img, as a data: URI
        assert page.locator('img[src^="data:image/svg+xml"]').bounding_box()["width"] > 300
    assert page.errors == []
    assert all("require.js" in url or "mathjax" in url for url in page.asked), page.asked


def test_marimo_exports_the_same_cells(tmp_path, trace):
    pytest.importorskip("marimo")
    out = tmp_path / "explore.html"
    # a copy: marimo keeps a session cache beside the notebook it exports (__marimo__/)
    notebook = tmp_path / "explore_marimo.py"
    notebook.write_text((NOTEBOOKS / "explore_marimo.py").read_text(encoding="utf-8"), encoding="utf-8")
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "marimo", "-y", "export", "html", str(notebook)]
    result = subprocess.run(
        [*command, "-o", str(out)], capture_output=True, text=True, timeout=180, env={**os.environ, **env}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    cells = _marimo_session(out.read_text(encoding="utf-8"))
    first, explained, drawn, widget = ([o["data"] for o in c["outputs"]] for c in cells)
    assert first == [{"text/html": embed.iframe(trace, fit=False)}]  # marimo runs no script beside it
    assert explained == [{"text/html": trace.explain(phase="backward").html()}]
    assert "image/png" in json.loads(drawn[0]["application/vnd.marimo+mimebundle"])  # marimo draws figures itself
    assert "<marimo-anywidget" in widget[0]["text/html"]


def _is_z11(item) -> bool:
    return isinstance(item, Equation) and item.parts("text")[0] == "z₁⁽¹⁾"


def _marimo_session(page: str) -> list:
    """The cells' outputs that marimo's exported page carries as JSON (its front end draws them)."""
    start = page.index('"session": ') + len('"session": ')
    session, _ = json.JSONDecoder().raw_decode(page[start:])
    return session["cells"]
