"""explain: one training step written out, every formula followed by its numbers.

`build_document` turns a Trace into sections of equations, tables and notes (`document.py`);
`text`, `markdown` and `latex` print that same document in their formats. In a notebook,
`Explanation(trace)` shows itself written out.
"""

from __future__ import annotations

from visualizer.network.trace import Trace

from .builder import build_document
from .document import PHASES, Options
from .latex import render_latex
from .markdown import render_markdown
from .verdict import verification_line

__all__ = ["PHASES", "Explanation", "Options", "build_document", "verification_line"]


class Explanation:
    """A trace written out, for notebooks: it displays itself as HTML with MathML math (rendered
    by the browser: an exported notebook shows it offline) and as Markdown, and gives the same
    document as terminal text, Markdown, LaTeX or HTML; the verdict follows where the trace was
    verified."""

    def __init__(self, trace: Trace, options: Options = Options()):
        self.trace, self.options = trace, options

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_html_(self) -> str | None:
        # latex2mathml comes with the notebook extra; without it the front end shows the Markdown
        try:
            return self.html()
        except ImportError:
            return None

    def html(self) -> str:
        """An HTML fragment, its math as MathML."""
        from .html import render_html

        return render_html(self._document(), self._verdict())

    def markdown(self) -> str:
        return render_markdown(self._document(), self._verdict())

    def latex(self, *, fragment: bool = False) -> str:
        return render_latex(self._document(), self._verdict(), fragment=fragment)

    def text(self, width: int = 100) -> str:
        """Plain text without colours, `width` columns wide."""
        # rich is imported only here: the command line imports this package and prints text its own way
        from .text import render_text

        return render_text(self._document(), self._verdict(), width=width)

    def _document(self):
        return build_document(self.trace, self.options)

    def _verdict(self) -> str | None:
        return verification_line(self.trace.verification) if self.trace.verification else None
