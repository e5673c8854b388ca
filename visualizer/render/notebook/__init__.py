"""A Trace in a notebook (Jupyter, marimo, VS Code): what it shows, and the explorer as a widget.

The Trace's display methods (network/display.py) ask `viewer` here, which the package's
`__init__` registers: the Trace shows the explorer page as HTML (in an iframe, `embed.py`),
explain's Markdown and a few lines of text (`viewer.summary`); `Explorer` (`widget.py`) is the
same explorer as a live anywidget, carrying the page as its static fallback.
"""
