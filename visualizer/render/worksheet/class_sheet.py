"""The lecturer's class sheet: one row per student with their key results, as Markdown, LaTeX
and CSV. The Markdown and LaTeX show a few results that settle each phase (they fit a page);
the CSV has every answer, for a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from visualizer.texify import latex_text

from .pages import preamble


@dataclass(frozen=True)
class Column:
    key: str  # as answers.toml names it
    text: str  # as explain writes it (a₁⁽²⁾)
    latex: str


@dataclass(frozen=True)
class Row:
    folder: str  # student-07
    student: str  # "Student 07", or the name the class list gives
    values: tuple[str, ...]  # each column's answer, as the solution gives it


def class_markdown(title: str, note: str, columns: Sequence[Column], rows: Sequence[Row]) -> str:
    head = "| folder | student | " + " | ".join(f"${c.latex}$ `{c.key}`" for c in columns) + " |"
    rule = "|---|---|" + "---:|" * len(columns)
    body = [f"| {r.folder} | {_cell(r.student)} | " + " | ".join(r.values) + " |" for r in rows]
    return "\n".join([f"# {title}", "", note, "", head, rule, *body]) + "\n"


def class_latex(title: str, note: str, columns: Sequence[Column], rows: Sequence[Row]) -> str:
    head = " & ".join(["folder", "student", *(latex_text(c.text) for c in columns)]) + r" \\"
    keys = " & ".join(["", "", *(rf"\texttt{{\scriptsize {latex_text(c.key)}}}" for c in columns)]) + r" \\ \hline"
    body = [" & ".join([r.folder, latex_text(r.student), *(f"${v}$" for v in r.values)]) + r" \\" for r in rows]
    wide = len(columns) > 6  # a landscape page for many columns
    page = preamble("margin=1.5cm,landscape" if wide else "margin=2cm", "\\usepackage{longtable}\n")
    return (
        page
        + "\n".join(
            [
                rf"{{\Large\bfseries {latex_text(title)}}}\par\medskip",
                latex_text(note) + r"\par\medskip",
                r"{\small",
                rf"\begin{{longtable}}{{ll{'r' * len(columns)}}}",
                r"\hline",
                head,
                keys,
                r"\endhead",
                *body,
                r"\hline",
                r"\end{longtable}}",
            ]
        )
        + "\n\\end{document}\n"
    )


def class_csv(columns: Sequence[Column], rows: Sequence[Row]) -> str:
    """Every column's answer, one row per student; the header names each column by its key."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["folder", "student", *(c.key for c in columns)])
    for r in rows:
        writer.writerow([r.folder, r.student, *r.values])
    return out.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", r"\|")
