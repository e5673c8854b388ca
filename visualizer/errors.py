"""Errors that are the user's to fix.

A `UsageError` message is shown as one line on stderr, with exit status 2 and no traceback,
so it says what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib


class UsageError(ValueError):
    """Bad input: a wrong network shape, an unknown name, a file that is not there."""


def unknown_name(kind: str, name: str, known) -> UsageError:
    """An error for an unknown name, with a 'did you mean' when one is close."""
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return UsageError(f"unknown {kind} {name!r}; {hint}choose one of: {', '.join(known)}")


class Diverged(UsageError):
    """Training stopped making sense: the loss is no longer a finite number."""

    def __init__(self, step: int, loss: float, lr: float, where: str = ""):
        super().__init__(
            f"training diverged at step {step}{where}: the loss became {loss}; the learning rate "
            f"η = {lr:g} is likely too high, try {lr / 10:g}"
        )
        self.step = step
