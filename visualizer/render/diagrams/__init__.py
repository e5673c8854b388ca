"""Static diagrams of a Trace: forward, backward, update, computation graph, loss curve.

`draw(trace, kind)` returns a matplotlib Figure; `save(fig, path)` writes PNG, SVG or PDF by the
file's extension, whole or not at all. TikZ is in `tikz.py`.
"""

from __future__ import annotations

from pathlib import Path

from visualizer.errors import UsageError

KINDS = ("forward", "backward", "update", "graph", "loss")
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".tex": "tikz", ".tikz": "tikz"}


def draw(trace, kind: str):
    if kind in ("forward", "backward", "update"):
        from .network import draw_network

        return draw_network(trace, kind)
    if kind == "graph":
        from .graph import draw_graph

        return draw_graph(trace)
    if kind == "loss":
        from .loss import draw_loss

        return draw_loss(trace)
    raise UsageError(f"unknown diagram kind {kind!r}; choose one of: {', '.join(KINDS)}, all")


def format_of(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise UsageError(f"cannot tell the format of {path}: use .png, .svg, .pdf or .tex (TikZ)") from None


def save(fig, path: Path, dpi: int = 150, format: str | None = None) -> None:
    """Write the figure to `path` (in `format`, else by its extension), whole or not at all;
    `path` may be a FIFO, a device or standard output (visualizer/files.py)."""
    from visualizer.files import atomic_target

    with atomic_target(path) as tmp:
        fig.savefig(tmp, format=format or format_of(path), dpi=dpi)
