"""What Ctrl-C does to `backprop train`: before an epoch finished, nothing is saved and it says so;
while the finished epochs' files are written, it waits until they all are."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager

import click


def nothing_saved(when: str):
    """Ctrl-C before anything could be kept: say so, and exit as an interrupted program does."""
    click.echo(f"backprop: interrupted {when}; nothing was saved", err=True)
    sys.exit(130)


@contextmanager
def holding_ctrl_c():
    """Ctrl-C held back while the files are written (each is atomic, the set is not); yields a
    function saying whether it was pressed."""
    pressed = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: pressed.append(True))
    except ValueError:  # not the main thread (a test calling the command in a thread): nothing to hold back
        yield lambda: False
        return
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)
