"""`backprop explore`: the explorer, one HTML page working offline where a student steps through
a training run and clicks any neuron, weight or the loss to see its equations with explain's
numbers; with --serve, the same page from a local server that recomputes after an edit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from visualizer.errors import UsageError
from visualizer.network.mlp import MAX_STEPS
from visualizer.style import count

from .checking import checked_run, working
from .data_sample import sample_options
from .options import Command, OutputPath, WholeNumber, net_options, no_verify_option, precision_option

STEPS = 50  # steps a page holds when --steps is not given: enough to see the loss fall


@click.command("explore", cls=Command)
@net_options(skip=("steps",))
@sample_options
@click.option(
    "--steps",
    type=WholeNumber(1, MAX_STEPS),
    metavar="N",
    default=STEPS,
    show_default=True,
    help="Training steps the page holds, each written out (on the same batch, or mini-batches with --batch-size).",
)
@precision_option("shown", "; lines that need more to add up get more")
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    metavar="FILE",
    help="The page to write, or - for standard output [default: renders/NET-explore.html].",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Serve the page on 127.0.0.1 instead, with controls to edit the input, target, weights, biases, "
    "learning rate, activations and loss; every edit is recomputed and verified. Ctrl-C stops it.",
)
@click.option(
    "--port",
    type=WholeNumber(1, 65535),
    metavar="P",
    help="With --serve: the port [default: a free one, printed with the address].",
)
@no_verify_option()
def explore(spec, sample, steps, precision, output, serve, port, no_verify):
    """Write the explorer: one HTML page that works offline, where you step through training
    (forward, loss, backward, update) and click any neuron, weight or the loss to see its
    equations with the numbers explain writes, each step checked against torch autograd and
    finite differences.

    \b
    Examples:
      backprop explore --net 2-3-1 --steps 50 -o page.html
      backprop explore --net xor --steps 300
      backprop explore --net 2-3-1 --serve
    """
    from visualizer.files import STDOUT, writable_folder, writable_path, write_text_atomic
    from visualizer.render.explore.page import check_katex

    if port is not None and not serve:
        raise UsageError("--port is for --serve; add --serve, or leave out --port to write a page")
    if serve and output:
        raise UsageError("--serve shows the page from a server, not a file; leave out -o (or --serve to write one)")
    check_katex()
    precision = precision or spec.precision
    if serve:
        from .explore_serve import serve as serve_page

        # the edits are read by this command's own options (their types, their messages)
        options = {p.name: p for p in click.get_current_context().command.params}
        serve_page(spec, sample, steps, precision, verify=not no_verify, port=port, options=options)
        return
    target = Path(output or Path("renders") / f"{spec.name}-explore.html")
    if output:
        writable_path(target)
    else:
        writable_folder(target.parent)
    trace = checked_run(spec, sample, steps, verify=not no_verify)
    from visualizer.render.explore import page_html

    with working(f"writing the page: every equation of {count(steps, 'step')}…"):
        text = page_html(trace, precision=precision)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, text)
    if str(target) != STDOUT:
        click.echo(f"wrote {target}", err=True)
    if trace.verification is not None and not trace.verification.passed:
        sys.exit(1)  # the page says where; a number that does not match torch is a bug
