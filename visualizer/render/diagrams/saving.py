"""Diagrams as files: PNG, SVG or PDF by the file's extension, ready for slides (TikZ is tikz.py)."""

from __future__ import annotations

from pathlib import Path

from visualizer.errors import UsageError

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".tex": "tikz", ".tikz": "tikz"}


def format_of(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise UsageError(f"cannot tell the format of {path}: use .png, .svg, .pdf or .tex (TikZ)") from None


# Slide-ready files: text stays text in SVG (editable, searchable), PDF embeds TrueType (Type 42)
# fonts rather than Type 3, and ids and dates are fixed so the same figure gives the same bytes.
SAVE_RC = {"svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "backprop"}
NO_DATES = {"png": None, "svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}


def save(fig, path: Path, dpi: int = 150, format: str | None = None) -> None:
    """Write the figure to `path` (in `format`, else by its extension), whole or not at all,
    cropped to what is drawn (a small pad around it); `path` may be a FIFO, a device or standard
    output (visualizer/files.py)."""
    from matplotlib import rc_context

    from visualizer.files import atomic_target

    format_ = format or format_of(path)
    with rc_context(SAVE_RC), atomic_target(path) as tmp:
        fig.savefig(tmp, format=format_, dpi=dpi, bbox_inches="tight", pad_inches=0.05, metadata=NO_DATES[format_])
