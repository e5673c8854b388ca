"""The explorer as a live notebook widget: one anywidget for Jupyter, marimo and VS Code.

The widget runs the explorer's own script (explore/assets/explorer.js with views.js, its `render`) on the
payload the page carries, synced from Python as the `payload` trait; where the reader is (step,
phase, selected neuron or weight) comes back as traits, so a cell can read or set it. KaTeX
rides along in the module and its stylesheet (fonts inlined): nothing is fetched.

A widget needs a live kernel: a notebook exported to HTML or shown on GitHub has none and would
show nothing. So its MIME bundle also carries the explorer page as HTML (embed.py), which those
show instead, while a live front end draws the widget.
"""

from __future__ import annotations

import anywidget
import traitlets

from visualizer.network.trace import Trace

from ..explore import katex_assets, payload
from ..explore.page import asset, script
from .embed import iframe

# KaTeX's UMD build names itself on `self` unless it sees a module system (an AMD `define` is
# on the page in the classic notebook): shadowed here, it lands on a private object, no global.
KATEX_MODULE = (
    "const katexScope = {};\n(function (self, exports, module, define) {\n%s\n}).call(katexScope, katexScope);\n"
)

# The widget's side: draw the explorer into the output; report the reader's place; follow the
# traits when Python sets them (a new payload redraws).
WIDGET_MODULE = """
function renderWidget({ model, el }) {
  const place = () => ({ step: model.get("step"), phase: model.get("phase"), sel: model.get("selection") || null });
  let explorer = null;
  const report = (state) => {
    if (!explorer) return; // the first paint shows the defaults; the traits' place follows at once
    model.set({ step: state.step, phase: state.phase, selection: state.sel || "" });
    model.save_changes();
  };
  const draw = () => {
    // a new element each time: render listens for keys on the element it is given
    const box = document.createElement("div");
    el.replaceChildren(box);
    explorer = null;
    const drawn = render(box, model.get("payload"), { hash: false, katex: katexScope.katex, onState: report });
    drawn.set(place());
    explorer = drawn;
    report(drawn.state()); // the place as the explorer kept it (a step past the end is the last)
  };
  draw();
  model.on("change:payload", draw);
  for (const name of ["step", "phase", "selection"]) model.on(`change:${name}`, () => explorer.set(place()));
}
export default { render: renderWidget };
"""


def module() -> str:
    return KATEX_MODULE % katex_assets()["js"] + script() + WIDGET_MODULE


class Explorer(anywidget.AnyWidget):
    """The explorer of a trace as a widget: `step` (from 1), `phase` and `selection` (a neuron's
    or weight's id, "" for none) follow the reader and can be set from Python."""

    # the module and style sheet as traits, set per widget: read from KaTeX's files when a widget
    # is made (make setup unpacks them), not when this module is imported
    _esm = traitlets.Unicode().tag(sync=True)
    _css = traitlets.Unicode().tag(sync=True)
    payload = traitlets.Dict().tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    phase = traitlets.Unicode("forward").tag(sync=True)
    selection = traitlets.Unicode("").tag(sync=True)

    def __init__(self, trace: Trace, *, precision: int | None = None, **kwargs):
        super().__init__(
            payload=payload(trace, precision=precision),
            _esm=module(),
            _css=katex_assets()["css"] + asset("explorer.css"),
            **kwargs,
        )
        self.trace, self.precision = trace, precision

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        return {**data, "text/html": iframe(self.trace, precision=self.precision)}, metadata
