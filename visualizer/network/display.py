"""How a Trace shows itself in a notebook, though the network layer draws nothing.

A notebook shows an object through methods on the object itself (Jupyter's `_repr_mimebundle_`,
marimo's `_repr_html_`), so they must be the Trace's; but what they show (the explorer page,
explain's document, the diagrams) is the renderers', which this layer may not import. So the
Trace asks a viewer, and the package's `__init__` hands this module the function that imports the
renderers' viewer (`visualizer.render.notebook`) on first use: the one place that knows both
layers wires them, and `import visualizer` stays as light as before.

A viewer gives, for a trace: `summary` (a few lines of text), `bundle` (its MIME bundle: the
explorer as HTML, explain's Markdown, the summary), `html` (the explorer as marimo shows it),
`explain`, `diagram` and `widget`.
"""

from __future__ import annotations

_find_viewer = None  # no import of typing or collections here: `import visualizer` stays light


def use_viewer(find) -> None:
    """Show Traces with the viewer `find()` returns (called on first use, then each time)."""
    global _find_viewer
    _find_viewer = find


def viewer():
    if _find_viewer is None:  # only if use_viewer was undone: the package's __init__ always sets it
        raise RuntimeError("no viewer for Traces: import visualizer sets one")
    return _find_viewer()


class Displays:
    """What a Trace shows in a notebook, and the notebook's short ways to the renderers."""

    def explain(self, *, phase: str = "all", precision: int | None = None, show: str = "first"):
        """The step written out, as `bp.explain(trace, …)`: in a notebook, shown with its math."""
        return viewer().explain(self, phase=phase, precision=precision, show=show)

    def diagram(self, kind: str = "forward", *, precision: int | None = None):
        """A diagram (forward, backward, update, graph or loss): a matplotlib Figure that shows
        itself in a notebook, with `.save(path)` for slides."""
        return viewer().diagram(self, kind, precision=precision)

    def widget(self, *, precision: int | None = None):
        """The explorer as a live notebook widget (anywidget), as `bp.Explorer(trace)`."""
        return viewer().widget(self, precision=precision)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return viewer().bundle(self)

    def _repr_html_(self) -> str:  # marimo asks for HTML first, and uses no mimebundle then
        return viewer().html(self)

    def __repr__(self) -> str:  # a few lines, not every array of every step
        return viewer().summary(self)
