"""The explorer widget (bp.Explorer): its traits and static fallback in Python, and its front end
(the `_esm` module anywidget loads) in a real Chromium, on a stand-in for the widget model that
Jupyter's widget manager gives it (get, set, on, save_changes), as anywidget's own tests do."""

import json

import pytest

pytest.importorskip("anywidget")

from offline_browser import offline_page  # noqa: E402

import visualizer as bp  # noqa: E402
from visualizer.render.notebook.embed import iframe  # noqa: E402

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# The model as the front end sees it: traits by name; a change (from Python, or the widget's own
# set) fires `change:NAME`; save_changes would send the widget's changes to the kernel: counted.
HOST = """<!doctype html><meta charset="utf-8"><style>%(css)s</style><div id="out"></div>
<script type="text/plain" id="esm">%(esm)s</script>
<script type="module">
const values = %(values)s;
const handlers = {};
window.saved = 0;
window.model = {
  values,
  get: (name) => values[name],
  set(name, value) {
    const change = typeof name === "string" ? { [name]: value } : name;
    for (const [k, v] of Object.entries(change)) {
      if (values[k] === v) continue;
      values[k] = v;
      (handlers["change:" + k] || []).forEach((f) => f());
    }
  },
  on: (event, f) => (handlers[event] = handlers[event] || []).push(f),
  save_changes: () => { window.saved += 1; },
};
const source = document.getElementById("esm").textContent;
const widget = (await import(URL.createObjectURL(new Blob([source], { type: "text/javascript" })))).default;
widget.render({ model: window.model, el: document.getElementById("out") });
window.ready = true;
</script>
"""


@pytest.fixture(scope="module")
def trace():
    return bp.run("2-3-1", steps=5)


def test_the_widget_carries_the_payload_and_the_page_as_its_fallback(trace):
    widget = bp.Explorer(trace)
    assert trace.widget().payload == widget.payload and widget.payload["steps"]
    assert (widget.step, widget.phase, widget.selection) == (1, "forward", "")
    data, _ = widget._repr_mimebundle_()
    assert data[WIDGET_VIEW]["model_id"] == widget.model_id  # the live view
    assert data["text/html"] == iframe(trace)  # what an exported notebook shows instead
    assert "katex" in widget._esm and "export default" in widget._esm and "@font-face" in widget._css


def test_the_widget_draws_and_syncs_its_place_in_a_browser(trace, tmp_path):
    widget = bp.Explorer(trace)
    values = {"payload": widget.payload, "step": 3, "phase": "backward", "selection": ""}
    host = tmp_path / "host.html"
    host.write_text(
        HOST
        % {
            "css": widget._css,
            "esm": widget._esm.replace("</script", "<\\/script"),
            "values": json.dumps(values).replace("<", "\\u003c"),
        },
        encoding="utf-8",
    )
    with offline_page(1000, 900) as page:
        page.goto(host.as_uri())
        page.wait_for_function("window.ready === true")
        place = "({step: model.values.step, phase: model.values.phase, selection: model.values.selection})"
        # drawn where the traits said, with the Trace's loss at that step
        assert page.inner_text(".bp-step") == "step 3 of 5 · backward pass · E = 0.4792 → 0.3925"
        # the reader clicks: the traits follow, and go back to the kernel
        saved = page.evaluate("window.saved")
        page.click('[data-id="n-1-2"]')
        page.get_by_role("button", name="next step").click()
        assert page.evaluate(place) == {"step": 4, "phase": "backward", "selection": "n-1-2"}
        assert page.evaluate("window.saved") > saved
        assert page.locator(".bp-panel .katex").count() > 3  # KaTeX came inside the module
        # Python sets the traits: the explorer follows
        page.evaluate("model.set({step: 5, phase: 'update', selection: 'n-2-1'})")
        assert page.inner_text(".bp-step") == "step 5 of 5 · update · E = 0.3088 → 0.2369"
        assert page.inner_text(".bp-panel h2").startswith("a₁⁽²⁾: output neuron 1")
    assert page.errors == [] and page.asked == []
