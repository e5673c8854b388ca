"""Static diagrams of a Trace: forward, backward, update, computation graph, loss curve.

`draw(trace, kind, precision=K)` returns a matplotlib Figure, its numbers at K significant
figures (default 4; the CLI passes the spec's); `save(fig, path)` writes PNG, SVG or PDF by the
file's extension, whole or not at all, ready for slides: cropped to the drawing, SVG text kept
as text, PDF fonts embedded as TrueType, and the same bytes for the same figure. TikZ is in
`tikz.py`.
"""

from __future__ import annotations

from visualizer.errors import UsageError

from .saving import FORMATS, NO_DATES, SAVE_RC, format_of, save

__all__ = ["FORMATS", "KINDS", "NO_DATES", "SAVE_RC", "draw", "format_of", "save"]

KINDS = ("forward", "backward", "update", "graph", "loss")


def draw(trace, kind: str, *, precision: int | None = None):
    if kind in ("forward", "backward", "update"):
        from .network import draw_network

        return draw_network(trace, kind, precision=precision)
    if kind == "graph":
        from .graph import draw_graph

        return draw_graph(trace, precision=precision)
    if kind == "loss":
        from .loss import draw_loss

        return draw_loss(trace, precision=precision)
    raise UsageError(f"unknown diagram kind {kind!r}; choose one of: {', '.join(KINDS)}, all")
