"""The command line: `explain` on its own, and `backprop <command>` as the umbrella.

Bad input never shows a traceback: every problem the user can fix becomes one line on stderr
(what is wrong, how to fix it) and exit status 2. torch is imported only when verification
runs, so `explain --no-verify` starts fast.
"""

from __future__ import annotations

import os
import sys

import click

from visualizer.errors import UsageError
from visualizer.render.explain.document import PHASES
from visualizer.render.video.beats import PICTURE_SCENES, SCENES, is_picture
from visualizer.style import count

from .check import check as check_command
from .checking import checked_run
from .checking import stderr_console as _stderr_console
from .checking import verified as _verified
from .data_sample import attach, sample_options
from .diagram import diagram
from .explore import explore
from .options import Command, Group, OutputPath, WholeNumber, net_options, no_verify_option, precision_option
from .train import train
from .worksheet import worksheet


@click.command("explain", cls=Command)
@net_options
@sample_options
@click.option(
    "--show",
    type=click.Choice(["first", "last", "all"]),
    default="first",
    show_default=True,
    help="With --steps N: which steps are written out in full.",
)
@click.option(
    "--phase",
    type=click.Choice(["all", *PHASES]),
    default="all",
    show_default=True,
    help="Write out only this phase of the step.",
)
@precision_option("shown", "; lines that need more to add up get more")
@click.option(
    "--samples",
    default="8",
    show_default=True,
    metavar="N|all",
    callback=lambda ctx, param, value: _sample_count(value),
    help="Samples of a batch written out in full: the first N (a note counts the rest), or all.",
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "markdown", "latex", "json"]),
    default="text",
    show_default=True,
    help="markdown renders on GitHub; latex compiles; json is the Trace.",
)
@click.option("--fragment", is_flag=True, help="With --format latex: only the body, to paste into slides.")
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    metavar="FILE",
    help="Write to this file instead of the terminal (whole or not at all; - for standard output).",
)
@click.option(
    "--width",
    type=WholeNumber(60, 400),
    metavar="COLUMNS",
    help="Text width (default: the terminal's, or 100 in a file).",
)
@click.option("--no-color", is_flag=True, help="Plain text without colours (NO_COLOR is honoured too).")
@no_verify_option()
@click.option(
    "--terms",
    is_flag=True,
    help="Also write out the terms inside two sums: each product w·a of z, and each next-layer term w·δ of a "
    "hidden ∂E/∂a.",
)
@click.option(
    "--expr",
    metavar="PROGRAM|FILE",
    help='A scalar expression program instead of a network: "a = -4; b = 2; c = a * b" or a file of '
    "assignments; each node's value and gradient written out (docs/expressions.md).",
)
@click.option(
    "--quiz",
    is_flag=True,
    help="Predict, then reveal: type each result before its line is shown (an empty line skips one).",
)
def explain(
    spec,
    sample,
    steps,
    show,
    phase,
    precision,
    samples,
    format_,
    fragment,
    output,
    width,
    no_color,
    no_verify,
    terms,
    expr,
    quiz,
):
    """Write out one training step of a small network, every formula followed by its numbers,
    then check every number against torch autograd and finite differences.

    \b
    Examples:
      explain --net 2-3-1
      explain --net mazur
      explain --net mazur --terms
      explain --net xor --steps 100
      explain --net 2-3-1 --format latex -o step.tex
      explain --expr "a = -4; b = 2; c = a * b + b**3"
    """
    from visualizer.files import writable_path, write_text_atomic
    from visualizer.network.mlp import run
    from visualizer.render.explain import Options, build_document, verification_line

    if fragment and format_ != "latex":
        raise click.UsageError("--fragment goes with --format latex")
    if quiz and (format_ != "text" or output or show != "first"):
        what = f"--format {format_}" if format_ != "text" else "-o" if output else f"--show {show}"
        raise click.UsageError(f"--quiz asks in the terminal for the first step's numbers; leave out {what}")
    if output == "-":  # standard output: as without -o
        output = None
    if output:
        writable_path(output)
    color = not no_color and "NO_COLOR" not in os.environ and not output
    if expr is not None:
        from .expression import expression_text

        if quiz:
            raise click.UsageError("--quiz asks a network step's numbers; leave it out with --expr")
        options = dict(format_=format_, precision=precision, output=output, width=width, color=color)
        text, verdicts = expression_text(expr, _render, **options, fragment=fragment, no_verify=no_verify)
    else:
        trace = attach(run(spec, steps), sample)
        verdicts = []  # filled by verify(), so the exit status can say whether the numbers held

        def verify():
            if no_verify:
                return None
            verdicts.append(_verified(trace).verification)
            return verification_line(verdicts[-1])

        if format_ == "json":
            verify()
            text = (trace.with_verification(verdicts[-1]) if verdicts else trace).to_json() + "\n"
        else:
            document = build_document(
                trace,
                Options(precision=precision or spec.precision, phase=phase, show=show, samples=samples, terms=terms),
            )
            asker = _quiz(trace, precision or spec.precision) if quiz else None
            text = _render(document, format_, verify, output, width, color=color, fragment=fragment, quiz=asker)
    if output:
        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    elif text:
        click.echo(text, nl=False)
    if verdicts and not verdicts[-1].passed:
        sys.exit(1)  # a number that does not match torch is a bug: fail, not just say so


def _quiz(trace, precision: int):
    """explain --quiz: the quiz on this trace, for the console it will ask in."""
    from .quiz import Quiz

    return lambda console: Quiz(trace, precision, console)


def _sample_count(value: str) -> int | None:
    """--samples: a whole number of samples, or all of them (None)."""
    if value.strip().lower() == "all":
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise click.BadParameter(f"{value!r} is not a number of samples; give a whole number like 8, or all")
    return int(value)


def _render(document, format_, verify, output, width, *, color: bool, fragment: bool, quiz=None) -> str:
    """The document in its format. On a terminal, text and markdown are printed at once and the
    verdict follows when torch has checked the numbers; the rest is returned as one string."""
    import io

    from visualizer.render.explain.latex import render_latex
    from visualizer.render.explain.markdown import render_markdown
    from visualizer.render.explain.text import make_console, print_document, verdict_text

    if format_ == "latex":
        return render_latex(document, verify(), fragment=fragment)
    if format_ == "markdown":
        if output:
            return render_markdown(document, verify())
        click.echo(render_markdown(document), nl=False)
        verdict = verify()
        return f"\n**{verdict}**\n" if verdict else ""
    buffer = io.StringIO() if output else None
    console = make_console(buffer, width=width or (100 if output else None), color=color)
    if quiz:
        quiz(console).run(document)
    else:
        print_document(console, document)
    verdict = verify()
    if verdict:
        console.print()
        console.print(verdict_text(verdict))
    return buffer.getvalue() if output else ""


@click.command("verify", cls=Command)
@net_options
def verify_command(spec, steps):
    """Check every number of a training run against torch autograd and finite differences.

    Exits 1 if any number differs beyond tolerance.
    """
    from visualizer.network.mlp import run
    from visualizer.render.explain import verification_line

    trace = _verified(run(spec, steps))
    v = trace.verification
    net = trace.network
    click.echo(f"network {net.name} ({'-'.join(map(str, net.sizes))}), {count(len(trace.steps), 'step')}")
    for name, check in (("torch autograd", v.torch), ("finite differences", v.finite_difference)):
        extra = f", {check.skipped} at a kink skipped" if check.skipped else ""
        click.echo(
            f"  {name}: {check.compared} numbers, max |Δ| {check.max_abs_diff:.2e} "
            f"(tolerance {check.tolerance:g}), worst at {check.worst}{extra}: "
            f"{'passed' if check.passed else 'FAILED'}"
        )
    click.echo(verification_line(v))
    sys.exit(0 if v.passed else 1)


@click.command("render", cls=Command)
@net_options
@sample_options
@click.option(
    "--scene",
    "scenes",
    multiple=True,
    type=click.Choice([*SCENES, "all"]),
    default=["lecture"],
    show_default=True,
    help="Which beat to render (repeat for several); all: every beat as its own video.",
)
@click.option(
    "--quality",
    type=click.Choice(["low", "medium", "high", "4k"]),
    default="medium",
    show_default=True,
    help="low 480p15, medium 720p30, high 1080p60, 4k 2160p60.",
)
@click.option(
    "-o",
    "--output",
    type=OutputPath(file_okay=False),
    metavar="DIR",
    default="renders",
    show_default=True,
    help="Folder for the videos.",
)
@click.option(
    "--slides",
    is_flag=True,
    help="Also make the lecture a slide deck: one HTML file working offline, a slide per step of the "
    "derivation, each with its captions and its narration and numbers as speaker notes (press S).",
)
@precision_option("of the numbers on screen")
def render(spec, sample, steps, scenes, quality, output, slides, precision):
    """Render the lecture video (manim) of a training step, every number on screen from the
    verified Trace, with its captions (.srt and .vtt) beside each video. Independent scenes
    render in parallel, one per core. The training beat (in the lecture too) shows --steps
    steps, 100 when --steps is not given.

    \b
    Examples:
      backprop render --net 2-3-1 --quality low
      backprop render --net mazur --scene forward --scene backward --quality high -o renders/mazur
      backprop render --net xor --steps 600 --slides
    """
    from pathlib import Path

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from visualizer.files import writable_folder
    from visualizer.render.video.render import TRAINING_STEPS, check_tools, render_scenes

    check_tools()
    if slides:
        from visualizer.render.video.slides import check_slides_tools

        check_slides_tools()
    writable_folder(output)  # before minutes of verifying and rendering, not when the first video is moved in
    names = [n for n in SCENES if n != "lecture"] if "all" in scenes else list(dict.fromkeys(scenes))
    if "all" in scenes and not is_picture(sample):
        names = [n for n in names if n not in PICTURE_SCENES]  # every beat this input can show
    for name in PICTURE_SCENES & set(names):
        if not is_picture(sample):
            raise UsageError(_needs_picture(name, sample))
    if slides and "lecture" not in names:
        raise UsageError("--slides makes slides of the lecture; add --scene lecture")
    if steps == 1 and {"lecture", "training", "all"} & set(names + list(scenes)):
        steps = TRAINING_STEPS
    trace = checked_run(spec, sample, steps)
    if not trace.verification.passed:
        raise UsageError("the numbers do not match torch; `backprop verify` says where (not rendering a wrong video)")
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=_stderr_console(), transient=False) as progress:
        try:
            written = render_scenes(
                trace.to_json(),
                [SCENES[n] for n in names],
                quality,
                Path(output),
                spec.name,
                progress,
                slides=slides,
                precision=precision or spec.precision,
                picture=is_picture(sample),
            )
        except RuntimeError as err:
            raise UsageError(str(err)) from None
    for path in written:
        click.echo(path)


def _needs_picture(scene: str, sample) -> str:
    if sample is None:
        return (
            f"--scene {scene} shows a data set's picture going through the network; add --data fashion-mnist "
            "--sample N (--net a model trained on it: backprop train --data fashion-mnist --save model.safetensors)"
        )
    return (
        f"--scene {scene} shows a picture, and {sample.data}'s samples are rows of numbers; "
        "give an image set (--data fashion-mnist, mnist or digits)"
    )


@click.group(cls=Group, invoke_without_command=True)
@click.version_option(package_name="backprop")
@click.pass_context
def backprop(ctx):
    """backprop: see every number of backpropagation in a small neural network, verified."""
    if ctx.invoked_subcommand is None:  # `backprop` alone: what it can do
        click.echo(ctx.get_help())


backprop.add_command(explain)
backprop.add_command(verify_command)
backprop.add_command(diagram)
backprop.add_command(render)
backprop.add_command(explore)
backprop.add_command(train)
backprop.add_command(worksheet)
backprop.add_command(check_command)


def _run(command, prog_name: str) -> None:
    """Run a click command; user errors become one line on stderr and exit status 2."""
    try:
        command.main(prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.exceptions.Abort:
        click.echo(f"{prog_name}: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as err:
        click.echo(f"{prog_name}: error: {err.format_message()}", err=True)
        sys.exit(2)
    except UsageError as err:
        click.echo(f"{prog_name}: error: {err}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo(f"{prog_name}: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # the reader of standard output has gone (`| head`): end quietly, as rich does for the text
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def explain_main() -> None:
    _run(explain, "explain")


def backprop_main() -> None:
    _run(backprop, "backprop")
