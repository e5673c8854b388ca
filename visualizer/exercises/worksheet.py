"""A worksheet for each student and the lecturer's class sheet, as the texts of their files.

Each student gets a variant of the class's network (variants.py) and, written from its Trace:
spec.toml (the variant, which explain and check read), the worksheet (the given numbers and a
blank for each asked quantity, named as answers.toml names it), the key (explain's working of
the asked phases, then the answers), answers.toml and solution.toml (answers.py), and the
LaTeX of the network's picture, the worksheet and the key, which the command line compiles.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from visualizer.network.spec import NetSpec
from visualizer.network.spec_toml import spec_toml
from visualizer.network.trace import Trace
from visualizer.render.diagrams.tikz import tikz_network
from visualizer.render.explain import Options, build_document, verification_line
from visualizer.render.explain.document import Equation, Note, Section
from visualizer.render.worksheet.blank import blank
from visualizer.render.worksheet.class_sheet import Column, Row, class_csv, class_latex, class_markdown
from visualizer.render.worksheet.pages import Heading, key_latex, key_markdown, worksheet_latex, worksheet_markdown

from .answers import answers_template, solution
from .quantities import EVERY, Quantity, of_equation, quantities
from .variants import Variant

PICTURE = "network"  # the picture's file name beside the worksheet (.pdf for LaTeX, .png for Markdown)


@dataclass(frozen=True)
class Sheet:
    """What every student's worksheet shares: the class's network and seed, what is asked, how."""

    network: str
    seed: int
    students: int
    ask: tuple[str, ...]
    precision: int
    formulas: bool = True  # the worksheet writes each blank's formula

    def folder(self, index: int) -> str:
        return f"student-{index:0{max(2, len(str(self.students)))}d}"


@dataclass(frozen=True)
class StudentFiles:
    folder: str  # student-07
    label: str  # "Student 07" or the student's name
    texts: dict  # file name -> text, written as they are
    latex: dict  # file stem -> LaTeX to compile into stem.pdf (the picture first: the worksheet includes it)
    answers: tuple[Quantity, ...]


def student_files(sheet: Sheet, variant: Variant, name: str | None = None, *, png: bool = True) -> StudentFiles:
    """Every file of one student; `variant.trace` verified where its key should say so. The
    LaTeX worksheet includes the picture (network.pdf, from network.tex); the Markdown shows its
    PNG where one is drawn (`png`)."""
    folder = sheet.folder(variant.index)
    label = name or f"Student {folder.removeprefix('student-')}"
    trace = variant.trace
    asked = tuple(quantities(trace, sheet.ask, sheet.precision))
    heading = Heading(
        student=label,
        network=sheet.network,
        variant=f"variant {variant.index} of {sheet.students}, class seed {sheet.seed}",
        precision=sheet.precision,
        ask=sheet.ask,
        picture=PICTURE,
    )
    given, working = _documents(trace, sheet)
    seen: set[str] = set()
    blanks = given + [_blanked(s, len(trace.input), sheet, seen) for s in working]
    verdict = verification_line(trace.verification) if trace.verification else None
    return StudentFiles(
        folder=folder,
        label=label,
        texts={
            "spec.toml": _spec_file(variant.spec, sheet, variant.index),
            "worksheet.md": worksheet_markdown(dataclasses.replace(heading, picture=PICTURE if png else None), blanks),
            "key.md": key_markdown(heading, given + working, asked, verdict),
            "answers.toml": answers_template(trace, sheet.ask, sheet.precision),
            "solution.toml": solution(trace, sheet.ask, sheet.precision),
        },
        latex={
            PICTURE: tikz_network(trace, "given", precision=sheet.precision),
            "worksheet": worksheet_latex(heading, blanks),
            "key": key_latex(heading, given + working, asked, verdict),
        },
        answers=asked,
    )


def class_files(sheet: Sheet, students: list[StudentFiles]) -> dict[str, str]:
    """The class sheet: class.md and class.tex with each student's key results, class.csv with every answer."""
    every = students[0].answers
    columns = [Column(q.key, q.text, q.latex) for q in every]
    shown = [c for c, q in zip(columns, every) if _settles(q, every)]
    rows = [Row(s.folder, s.label, tuple(q.shown for q in s.answers)) for s in students]
    picked = {c.key for c in shown}
    short = [
        dataclasses.replace(r, values=tuple(v for c, v in zip(columns, r.values) if c.key in picked)) for r in rows
    ]
    title = f"Class sheet: {sheet.network}, {sheet.students} students, seed {sheet.seed}"
    note = (
        f"Each student's key results at {sheet.precision} significant figures; every answer is in class.csv, "
        "the full working in each student's key."
    )
    return {
        "class.md": class_markdown(title, note, shown, short),
        "class.tex": class_latex(title, note, shown, short),
        "class.csv": class_csv(columns, rows),
    }


def _settles(q: Quantity, every: tuple[Quantity, ...]) -> bool:
    """Whether the class sheet shows this answer: the outputs and the output layer's δ (of the
    first sample), the loss, and the first weight's gradient and new value, which only a whole
    backward pass reaches."""
    last = max(x.layer or 0 for x in every)
    first_sample = q.sample in (None, 1)
    return (
        (q.name in ("a", "delta") and q.layer == last and first_sample)
        or q.key == "E"
        or (q.name in ("dE_dw", "new_w") and (q.layer, q.j, q.k) == (1, 1, 1))
    )


def _documents(trace: Trace, sheet: Sheet) -> tuple[list[Section], list[Section]]:
    """explain's document of the step: the header as the given numbers, and the asked phases, in full."""
    document = build_document(trace, Options(precision=sheet.precision, samples=None, layout=EVERY))
    given = [dataclasses.replace(s, title="Given") for s in document if s.phase == "header"]
    return given, [s for s in document if s.phase in sheet.ask]


def _blanked(section: Section, batch: int, sheet: Sheet, seen: set[str]) -> Section:
    """The section with each asked result a blank (once: `seen` has the keys given a blank); its
    notes kept, but those that state results; lines that are not a quantity of the answers file
    (a sample's own gradient) and tables left out."""
    items = []
    for item in section.items:
        if isinstance(item, Equation):
            q = of_equation(item, section.phase, batch, sheet.precision)
            if q is not None and q.key not in seen:
                seen.add(q.key)
                items.append(blank(item, q.key, formulas=sheet.formulas))
        elif isinstance(item, Note) and not item.result:
            items.append(item)
    return dataclasses.replace(section, items=items)


def _spec_file(spec: NetSpec, sheet: Sheet, index: int) -> str:
    comment = (
        f"Student {index}'s variant of {sheet.network} (class seed {sheet.seed}), drawn by backprop worksheet.\n"
        "Read it with: explain --net spec.toml · backprop check --net spec.toml --answers answers.toml"
    )
    return spec_toml(spec, comment)
