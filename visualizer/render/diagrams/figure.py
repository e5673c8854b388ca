"""A diagram's figure, which shows itself in a notebook.

The diagrams are drawn on matplotlib Figures made without pyplot (no global state, no GUI
backend), so Jupyter knows no way to show one unless `%matplotlib inline` registered it, and
prints `<Figure size 1000x605 with 2 Axes>`. `Diagram` is a Figure that gives its own SVG:
Jupyter, marimo and VS Code show it, and anything that takes a Figure (`savefig`, `isinstance`)
still does.
"""

from __future__ import annotations

import io
from pathlib import Path

from matplotlib import rc_context
from matplotlib.figure import Figure

from .saving import NO_DATES, SAVE_RC, save


class Diagram(Figure):
    def _repr_svg_(self) -> str:
        # SVG rather than PNG: a third of the bytes for 2-3-1 (a tenth for 784-16-10), drawn in half
        # the time, sharp at any zoom. Its text is drawn as paths (matplotlib's default, unlike
        # `save`'s text as text) so it looks the same without the fonts; the fixed hash salt and no
        # date keep a notebook's output the same bytes from run to run.
        buffer = io.BytesIO()
        with rc_context({"svg.hashsalt": SAVE_RC["svg.hashsalt"]}):
            self.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05, metadata=NO_DATES["svg"])
        return buffer.getvalue().decode("utf-8")

    def save(self, path, *, dpi: int = 150) -> None:
        """Write the diagram to `path` as PNG, SVG or PDF by its extension, ready for slides
        (diagrams.save: cropped, SVG text as text, PDF fonts as TrueType, whole or not at all)."""
        save(self, Path(path), dpi=dpi)
