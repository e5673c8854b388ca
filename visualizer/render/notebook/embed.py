"""The explorer page inside a notebook's output: the whole offline page in an iframe's `srcdoc`.

Each front end treats an output's HTML its own way: JupyterLab and VS Code run its scripts in
the notebook's own document (the page's style and KaTeX's would restyle the notebook), marimo
puts it in a shadow root, an exported notebook runs it beside every other output, and GitHub runs
no script. An iframe is the one container all of them keep apart: the page runs there exactly
as it runs as a file, with its own document, styles and fonts. `sandbox="allow-scripts"` lets
its scripts run and nothing else (no same origin: it cannot reach the notebook around it).

The frame fits its page: the page tells its height to the notebook (postMessage, the one channel
a sandboxed frame has), and a script beside the frame sets it (`fit`). Where a front end runs no
script in an output (GitHub), the frame keeps its first height and the page scrolls inside; so
it does in marimo, which gets no script (it would wrap the output in a frame of its own, sized
once, so the explorer's frame would grow inside a frame that does not).
"""

from __future__ import annotations

from visualizer.network.trace import Trace

from ..explore import page_html

# Tall enough for the network, its controls and the loss curve at a notebook's width before the
# page says how tall it is (a neuron's equations make it taller); the reader can drag it too.
HEIGHT = 760

# In the page: its height whenever it changes (a selection, large font, a narrower notebook).
TELL_HEIGHT = """<script>
new ResizeObserver(() => parent.postMessage({ backpropExplorerHeight: document.documentElement.getBoundingClientRect().height }, "*"))
  .observe(document.documentElement);
</script>
"""
# Beside the frame: take the height from this frame's page only.
FIT_HEIGHT = """<script>
(function () {
  const frame = document.currentScript.previousElementSibling;
  addEventListener("message", (event) => {
    const height = event.data && event.data.backpropExplorerHeight;
    if (event.source === frame.contentWindow && height > 0) frame.style.height = Math.ceil(height) + 2 + "px";
  });
})();
</script>"""


def iframe(trace: Trace, *, precision: int | None = None, height: int = HEIGHT, fit: bool = True) -> str:
    # inside a double-quoted attribute only & and " need escaping; html.escape would also turn
    # every < and > of the page into entities, a tenth more bytes for nothing
    srcdoc = page(trace, precision=precision).replace("&", "&amp;").replace('"', "&quot;")
    title = f"backprop explorer: {trace.network.name}".replace("&", "&amp;").replace('"', "&quot;")
    frame = (
        f'<iframe class="bp-explorer-frame" title="{title}" sandbox="allow-scripts" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd;resize:vertical" srcdoc="{srcdoc}"></iframe>'
    )
    return frame + FIT_HEIGHT if fit else frame


def page(trace: Trace, *, precision: int | None = None) -> str:
    """The explorer page as the frame holds it: no URL fragment, and it tells its height."""
    head, tail = page_html(trace, precision=precision, hash=False).rsplit("</body>", 1)
    return head + TELL_HEIGHT + "</body>" + tail
