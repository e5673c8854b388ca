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


def working(what: str):
    """A spinner saying `what` on a terminal while a long piece of work runs; nothing elsewhere."""
    from contextlib import nullcontext

    console = stderr_console()
    return console.status(what) if console.is_terminal else nullcontext()


def verified(trace):
    """The trace with its verification; on a terminal, a spinner, or for several steps a bar
    with the steps checked and the time left (a wide network takes seconds a step)."""
    from visualizer.network.verify import verify

    console = stderr_console()
    what = "checking every number against torch autograd and finite differences"
    if not console.is_terminal:
        return trace.with_verification(verify(trace))
    if len(trace.steps) == 1:
        with console.status(what + "…"):
            return trace.with_verification(verify(trace))
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    # short enough for an 80-column terminal, the count and the time left included
    columns = (
        TextColumn("checking step"),
        MofNCompleteColumn(),
        BarColumn(),
        TimeRemainingColumn(),
        TextColumn("left"),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("", total=len(trace.steps))
        return trace.with_verification(verify(trace, progress=lambda done, total: bar.update(task, completed=done)))
