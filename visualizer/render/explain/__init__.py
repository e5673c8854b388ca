"""explain: one training step written out, every formula followed by its numbers.

`build_document` turns a Trace into sections of equations, tables and notes (`document.py`);
`text`, `markdown` and `latex` print that same document in their formats.
"""

from .builder import build_document
from .document import PHASES, Options
from .verdict import verification_line

__all__ = ["PHASES", "Options", "build_document", "verification_line"]
