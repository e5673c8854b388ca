"""Verifying a trace on the command line: torch autograd and finite differences, with a spinner
on a terminal meanwhile (torch takes a while). explain, verify, render and explore share it."""

from __future__ import annotations


def checked_run(spec, sample, steps: int, *, verify: bool = True):
    """`steps` of training of `spec`, the data set's sample attached (or None), verified unless not `verify`."""
    from visualizer.network.mlp import run

    from .data_sample import attach

    trace = attach(run(spec, steps), sample)
    return verified(trace) if verify else trace


def stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def verified(trace):
    """The trace with its verification."""
    from visualizer.network.verify import verify

    status = stderr_console()
    if not status.is_terminal:
        return trace.with_verification(verify(trace))
    with status.status("checking every number against torch autograd and finite differences…"):
        return trace.with_verification(verify(trace))
