"""Speaker notes for the slides: a slide starts at each step of a beat, and its notes are the step's
narration, then every number the step shows, as plain lines a lecturer can read out (the scenes
give the same equations and digits explain prints)."""

from __future__ import annotations

import html


def step_notes(say: str, numbers=()) -> str:
    """The speaker notes of one step of a beat: what to say, then every number the step shows."""
    lines = [_escape(say)] + ["- " + _escape(line) for line in numbers]
    return "\n".join(lines)


def _escape(line: str) -> str:
    # notes are read as HTML, then Markdown: escape both
    return html.escape(line).replace("*", r"\*").replace("_", r"\_")
