"""`backprop worksheet`: a folder per student with their own variant of a network, a worksheet
to do one training step by hand, its key, and the answers files `backprop check` reads; and a
class sheet for the lecturer."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from visualizer.errors import UsageError
from visualizer.render.explain.document import PHASES

from .options import Command, OutputPath, WholeNumber, net_options, no_verify_option, phase_list

MAX_STUDENTS = 500


@click.command("worksheet", cls=Command)
@net_options(skip=("seed", "input", "target", "steps"))
@click.option(
    "--students",
    type=WholeNumber(1, MAX_STUDENTS),
    metavar="N",
    help="How many students, each with a variant of their own [default: as many as --names lists, else 30].",
)
@click.option(
    "--seed",
    type=WholeNumber(min=0),
    metavar="N",
    default=0,
    show_default=True,
    help="The class's seed: student i's numbers come from it and i alone, so a run with the same seed "
    "gives the same files.",
)
@click.option(
    "--ask",
    default=",".join(PHASES),
    show_default=True,
    callback=phase_list,
    metavar="PHASES",
    help="The phases whose numbers the worksheet asks for, separated by commas.",
)
@click.option(
    "--precision",
    type=WholeNumber(1, 15),
    metavar="K",
    default=4,
    show_default=True,
    help="Significant figures the answers are given in (and the key and spec show).",
)
@click.option(
    "--names",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="A text file with a student's name on each line: the worksheets and the class sheet carry the names, "
    "in the order of the folders.",
)
@click.option("--no-formulas", is_flag=True, help="Blanks without their formulas (the student knows them).")
@click.option(
    "--no-pdf",
    is_flag=True,
    help="Write the LaTeX sources (.tex) instead of the PDFs: quick, and no LaTeX needed.",
)
@no_verify_option("checking each key")
@click.option(
    "-o",
    "--output",
    type=OutputPath(),
    metavar="DIR",
    help="The folder to write [default: renders/NET-worksheets].",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write into a folder that has files already: the worksheets' own files are replaced, the rest left.",
)
def worksheet(spec, students, seed, ask, precision, names, no_formulas, no_pdf, no_verify, output, force):
    """Hand out one training step to do by hand: a folder per student (student-01, …) with their own
    variant of the network (spec.toml: numbers with one or two decimals, no saturated sigmoid, no
    answer that rounds to zero), a worksheet (PDF and Markdown: the picture, the given numbers, a
    blank for each asked number), its key (explain's working with their numbers), answers.toml to
    fill in and solution.toml; and class.pdf, class.md and class.csv with every student's results.

    \b
    Examples:
      backprop worksheet --net 2-2-1 --students 30 --seed 7 -o worksheets/
      backprop worksheet --net mazur --names class.txt --ask forward,loss -o mazur-sheets/
      backprop check --net worksheets/student-01/spec.toml --answers answers.toml
    """
    from visualizer.exercises.output import check_folder
    from visualizer.exercises.variants import check_network
    from visualizer.render.worksheet.pdf import check_latex

    listed = _read_names(names) if names else None
    if listed is not None and students is not None and students != len(listed):
        raise UsageError(f"{names} lists {len(listed)} names but --students is {students}; give one of the two")
    count = students or (len(listed) if listed else 30)
    if count > MAX_STUDENTS:
        raise UsageError(f"{names} lists {count} names; a run makes at most {MAX_STUDENTS} worksheets")
    folder = Path(output or Path("renders") / f"{spec.name}-worksheets")
    check_folder(folder, force)
    check_network(spec)
    if not no_pdf:
        check_latex()
    _make(spec, folder, count, seed, ask, precision, listed, not no_formulas, not no_pdf, not no_verify)


def _read_names(path: str) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no names file {path!r}; give a text file with one student's name a line") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read the names file {path!r}: {getattr(err, 'strerror', None) or err}") from None
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if not names:
        raise UsageError(f"{path} has no names; write one student's name a line")
    return names


def _make(spec, folder, count, seed, ask, precision, names, formulas, pdf, verify) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from visualizer.exercises.output import staged, write_pdfs, write_texts
    from visualizer.exercises.variants import draw_variant
    from visualizer.exercises.worksheet import Sheet, class_files, student_files
    from visualizer.render.worksheet.pdf import can_draw_png

    from .checking import stderr_console

    started = time.monotonic()
    sheet = Sheet(spec.name, seed, count, ask, precision, formulas)
    png = pdf and can_draw_png()
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr_console(), transient=False) as progress:
        drawing = progress.add_task("variants and keys", total=count)
        files = []
        for i in range(1, count + 1):
            variant = draw_variant(spec, seed, i, ask, precision)
            if verify:
                variant = _verified(variant)
            files.append(student_files(sheet, variant, names[i - 1] if names else None, png=png))
            progress.advance(drawing)
        with staged(folder) as stage:
            class_texts = class_files(sheet, files)
            write_texts(stage, files, class_texts, sources=not pdf)
            if pdf:
                compiling = progress.add_task("PDFs (pdflatex)", total=2 * count + 1)
                jobs = max(1, min(os.cpu_count() or 1, 8))
                write_pdfs(
                    stage, files, class_texts["class.tex"], jobs=jobs, done=lambda _: progress.advance(compiling)
                )
    if pdf and not png:
        click.echo("note: pdftoppm (poppler-utils) is not installed, so worksheet.md has no picture", err=True)
    took = time.monotonic() - started
    click.echo(f"wrote {count} worksheets and keys, and the class sheet, to {folder}/ in {took:.1f} s", err=True)


def _verified(variant):
    import dataclasses

    from visualizer.network.verify import verify

    checked = variant.trace.with_verification(verify(variant.trace))
    if not checked.verification.passed:  # a bug, not the student's: no key with a wrong number
        raise UsageError(
            f"student {variant.index}'s numbers do not match torch; `explain --net` on its spec says where"
        )
    return dataclasses.replace(variant, trace=checked)
