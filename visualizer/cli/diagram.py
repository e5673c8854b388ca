"""`backprop diagram`: a training step as a picture for slides, in PNG, SVG, PDF or TikZ."""

from __future__ import annotations

import click

from visualizer.errors import UsageError

from .data_sample import attach, sample_options
from .options import Command, OutputPath, WholeNumber, net_options, precision_option


@click.command("diagram", cls=Command)
@net_options
@sample_options
@click.option(
    "--kind",
    type=click.Choice(["forward", "backward", "update", "graph", "loss", "all"]),
    default="forward",
    show_default=True,
    help="forward, backward, update: the network; graph: the computation graph; loss: the loss curve; "
    "all: every kind into a folder.",
)
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    metavar="PATH",
    help="A .png, .svg, .pdf or .tex (TikZ) file, or - for standard output; for --kind all, a folder "
    "[default: renders/NET-KIND.png, or renders/NET/].",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["png", "svg", "pdf", "tikz"]),
    help="The format [default: -o's extension, else png]; with --kind all, of every file.",
)
@click.option(
    "--dpi", type=WholeNumber(50, 600), metavar="DPI", default=150, show_default=True, help="Resolution of PNGs."
)
@precision_option("of the numbers drawn")
@click.option(
    "--fragment",
    is_flag=True,
    help="TikZ only: write the tikzpicture alone, for \\input into a document or beamer frame whose preamble "
    "has \\usepackage{tikz} and \\usetikzlibrary{arrows.meta} [default: a document pdflatex compiles as it is].",
)
@click.option(
    "--expr",
    metavar="PROGRAM|FILE",
    help="With --kind graph: the computation graph of a scalar expression program (as explain --expr).",
)
def diagram(spec, sample, steps, kind, output, format_, dpi, precision, fragment, expr):
    """Draw a training step as a picture for slides: the forward pass, the backward pass, the update,
    the computation graph, or the loss over --steps (100 when --steps is not given).

    \b
    Examples:
      backprop diagram --net 2-3-1 --kind backward -o renders/backward.png
      backprop diagram --net mazur --kind all -o renders/mazur/
      backprop diagram --net xor --kind loss --steps 500 -o renders/xor-loss.svg
      backprop diagram --expr program.txt --kind graph -o renders/program.svg
    """
    from pathlib import Path

    from visualizer.files import STDOUT, is_terminal, writable_folder, writable_path
    from visualizer.network.mlp import run
    from visualizer.render.diagrams import FORMATS, KINDS

    if expr is not None and kind != "graph":
        raise UsageError(f"--expr draws the computation graph of the program; give --kind graph, not {kind}")
    name = "expr" if expr is not None else spec.name
    kinds = KINDS if kind == "all" else (kind,)
    # TikZ draws the network pictures: --kind all writes those and says which it skipped
    skipped = [k for k in kinds if k not in TIKZ_KINDS] if kind == "all" and format_ == "tikz" else []
    kinds = tuple(k for k in kinds if k not in skipped)
    extension = {"png": ".png", "svg": ".svg", "pdf": ".pdf", "tikz": ".tex"}[format_ or "png"]
    # every check first, and folders made only after the run: bad input or a run that fails leaves nothing
    if kind == "all":
        folder = Path(output or Path("renders") / name)
        if folder.suffix.lower() in FORMATS:
            raise UsageError(f"--kind all writes one file per kind into a folder; give a folder, not {folder}")
        writable_folder(folder)
        targets = [folder / f"{name}-{k}{extension}" for k in kinds]
    else:
        targets = [Path(output or Path("renders") / f"{name}-{kind}{extension}")]
        folder = targets[0].parent
        if output:
            writable_path(targets[0])
        else:
            writable_folder(folder)
    if folder.is_dir():
        for path in targets:
            writable_path(path)
    formats = [_diagram_format(path, format_) for path in targets]
    for k, path, fmt in zip(kinds, targets, formats):
        if fmt == "tikz" and k not in TIKZ_KINDS:
            raise UsageError(
                f"TikZ output is for the network pictures (forward, backward, update), not {k!r}; use .png, .svg or .pdf"
            )
        if fragment and fmt != "tikz":
            raise UsageError(f"--fragment is for TikZ output (a .tex file or --format tikz), not {path.name}")
        if fmt in ("png", "pdf") and is_terminal(path):  # a picture's bytes would scramble the terminal
            raise UsageError(
                f"not writing a {fmt.upper()} to the terminal; redirect it (> x.{fmt}), give a file "
                f"(-o x.{fmt}), or use --format svg or tikz, which are text"
            )
    if expr is not None:
        from visualizer.network.expression import parse, read_program

        trained = parse(read_program(expr))
    else:
        trained = attach(run(spec, steps if steps > 1 or "loss" not in kinds else 100), sample)
    folder.mkdir(parents=True, exist_ok=True)
    for k, path, fmt in zip(kinds, targets, formats):
        _draw_one(trained, k, path, fmt, dpi, precision or spec.precision, fragment)
        if str(path) != STDOUT:
            click.echo(f"wrote {path}", err=True)
    if skipped:
        click.echo(
            f"skipped {', '.join(skipped)}: TikZ output is for the network pictures; use --format png, svg or pdf "
            "for them",
            err=True,
        )


TIKZ_KINDS = ("forward", "backward", "update")  # the kinds TikZ can draw


def _diagram_format(path, format_: str | None) -> str:
    """The format of one picture: --format, else the file's extension; png for standard output,
    a FIFO or a device, whose names have none."""
    from visualizer.files import output_target
    from visualizer.render.diagrams import FORMATS

    named = FORMATS.get(path.suffix.lower())
    if format_ and named and named != format_:
        raise UsageError(f"{path} is named as {named} but --format says {format_}; give one of the two")
    if format_ or named:
        return format_ or named
    if output_target(path).direct:
        return "png"
    raise UsageError(f"cannot tell the format of {path}: use .png, .svg, .pdf or .tex (TikZ), or give --format")


def _draw_one(trace, kind, path, fmt, dpi, precision, fragment=False) -> None:
    from visualizer.render.diagrams import draw, save

    if fmt == "tikz":
        from visualizer.files import write_text_atomic
        from visualizer.render.diagrams.tikz import tikz_network

        write_text_atomic(path, tikz_network(trace, kind, precision=precision, fragment=fragment))
        return
    if not hasattr(trace, "steps"):  # an expression program's record
        from visualizer.render.diagrams.graph import draw_expression_graph

        save(draw_expression_graph(trace, precision=precision), path, dpi=dpi, format=fmt)
        return
    save(draw(trace, kind, precision=precision), path, dpi=dpi, format=fmt)
