"""The explorer page inside a notebook's output: the whole offline page in an iframe's `srcdoc`.

Each front end treats an output's HTML its own way: JupyterLab and VS Code run its scripts in
the notebook's own document (the page's style and KaTeX's would restyle the notebook), marimo
puts it in a shadow root, an exported notebook runs it beside every other output, and GitHub runs
no script. An iframe is the one container all of them keep apart: the page runs there exactly
as it runs as a file, with its own document, styles and fonts. `sandbox="allow-scripts"` lets
its scripts run and nothing else (no same origin: it cannot reach the notebook around it).
"""

from __future__ import annotations

from visualizer.network.trace import Trace

from ..explore import page_html

# Tall enough for the network, the controls and the equations of a selected neuron side by side
# at a notebook's width; the reader can drag it taller (resize), and the page scrolls inside.
HEIGHT = 760


def iframe(trace: Trace, *, precision: int | None = None, height: int = HEIGHT) -> str:
    page = page_html(trace, precision=precision, hash=False)
    # inside a double-quoted attribute only & and " need escaping; html.escape would also turn
    # every < and > of the page into entities, a tenth more bytes for nothing
    srcdoc = page.replace("&", "&amp;").replace('"', "&quot;")
    title = f"backprop explorer: {trace.network.name}".replace("&", "&amp;").replace('"', "&quot;")
    return (
        f'<iframe class="bp-explorer-frame" title="{title}" sandbox="allow-scripts" '
        f'style="width:100%;height:{height}px;border:1px solid #ddd;resize:vertical" srcdoc="{srcdoc}"></iframe>'
    )
