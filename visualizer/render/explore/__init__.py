"""The explorer: one offline HTML page where a student steps through a training run and clicks
any neuron or weight to see its equations, with the numbers explain writes.

`payload(trace)` is everything the page shows, as one JSON-able dict (payload.py); `page_html`
writes the page: the payload, the explorer's script and style, and KaTeX, all inlined (page.py).
The script (assets/explorer.js with views.js, joined by page.script()) is an ES module whose `render(el, payload, options)` draws the
explorer into any element, so a notebook widget can use it as it is.
"""

from __future__ import annotations

from .page import ASSETS, katex_assets, page_html
from .payload import SCHEMA, payload

__all__ = ["ASSETS", "SCHEMA", "katex_assets", "page_html", "payload"]
