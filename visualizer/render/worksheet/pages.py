"""A student's worksheet and key as Markdown and as LaTeX documents.

Both are explain's document (render/explain): the worksheet its header (the given numbers, in
the lecture's notation) and the asked phases with every result a blank (blank.py); the key the
same phases in full, every equation with its numbers, then the answers as answers.toml names
them. What goes around them (the title, the student, how to answer, the picture) is here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from visualizer.texify import latex_text

from ..explain.document import Section
from ..explain.latex import PREAMBLE, render_latex
from ..explain.markdown import render_markdown

PHASE_NAMES = {
    "forward": "the forward pass",
    "loss": "the loss",
    "backward": "the backward pass",
    "update": "the update",
}
TITLE = "One step of backpropagation by hand"
CHECK = "backprop check --net spec.toml --answers answers.toml"
# the worksheet's LaTeX: pictures, answers in columns, and room to write between the lines
PACKAGES = "\\usepackage{graphicx}\n\\usepackage{multicol}\n\\setlength{\\jot}{9pt}\n"


@dataclass(frozen=True)
class Heading:
    """What a page says about itself: who it is for, which variant, how to answer."""

    student: str  # "Student 07", or the name the class list gives
    network: str  # the class's network
    variant: str  # e.g. "variant 7 of 30, class seed 7"
    precision: int
    ask: tuple[str, ...]
    picture: str | None = None  # the network's picture beside the page (without its extension); None: none

    def instructions(self, code=lambda command: f"`{command}`") -> str:
        """How to do the worksheet, with the commands written by `code` (Markdown's backticks)."""
        phases = [PHASE_NAMES[p] for p in self.ask]
        listed = phases[0] if len(phases) == 1 else ", ".join(phases[:-1]) + " and " + phases[-1]
        return (
            f"Work out {listed} of one training step of this network by hand. Give each answer to "
            f"{self.precision} significant figures (e.g. 0.5933, 0.009700, −1.250); carry more digits through the "
            "calculation and round only the answer. Write your answers in answers.toml under the names beside the "
            f"blanks, and check them with {code(CHECK)}."
        )


def worksheet_markdown(heading: Heading, sections: list[Section]) -> str:
    picture = [f"![the network and its given numbers]({heading.picture}.png)", ""] if heading.picture else []
    lines = [
        f"# {TITLE}: worksheet",
        "",
        f"**{heading.student}** · network {heading.network} · {heading.variant}",
        "",
        "name: ________________________",
        "",
        heading.instructions(),
        "",
        *picture,
    ]
    return "\n".join(lines) + "\n" + render_markdown(sections)


def worksheet_latex(heading: Heading, sections: list[Section]) -> str:
    before, after = heading.instructions(lambda command: "\0").split("\0")
    command = r"\texttt{" + CHECK.replace("--", "-{}-") + "}"  # -{}-: two hyphens, not a dash
    instructions = latex_text(before) + command + latex_text(after)
    picture = (
        [
            r"\begin{center}",
            rf"\includegraphics[width=\linewidth,height=7.5cm,keepaspectratio]{{{heading.picture}}}",
            r"\end{center}",
        ]
        if heading.picture
        else []
    )
    lines = [
        _latex_title("worksheet", heading),
        r"\par\bigskip name: \underline{\hspace{8cm}}\par\bigskip",
        instructions + r"\par",
        *picture,
    ]
    document = _latex_document(lines, render_latex(sections, fragment=True))
    if heading.picture:  # the sources of --no-pdf: the picture is a document of its own
        return (
            f"% includes {heading.picture}.pdf: compile {heading.picture}.tex first (pdflatex {heading.picture}.tex)\n"
            + document
        )
    return document


def key_markdown(heading: Heading, sections: list[Section], answers: Sequence, verdict: str | None) -> str:
    """The key: the working in full, then each answer (`answers`: objects with key, latex and
    shown, as the answers file has them), then the verdict of verification."""
    lines = [
        f"# {TITLE}: key",
        "",
        f"**{heading.student}** · network {heading.network} · {heading.variant} · answers to "
        f"{heading.precision} significant figures",
        "",
    ]
    table = ["", "## Answers", "", "| answers.toml | quantity | answer |", "|---|---|---:|"]
    table += [f"| `{a.key}` | ${a.latex}$ | {a.shown} |" for a in answers]
    tail = ["", f"**{verdict}**"] if verdict else []
    return "\n".join(lines) + "\n" + render_markdown(sections) + "\n".join(table + tail) + "\n"


def key_latex(heading: Heading, sections: list[Section], answers: Sequence, verdict: str | None) -> str:
    # written as text (∂E/∂w₁₁⁽²⁾): a fraction in a line of a column is too small to read
    rows = [rf"\texttt{{{latex_text(a.key)}}} \dotfill {latex_text(a.text)} = ${a.shown}$\par" for a in answers]
    body = [
        render_latex(sections, fragment=True),
        r"\section*{Answers}",
        r"\begin{multicols}{3}\raggedcolumns\small",
        *rows,
        r"\end{multicols}",
    ]
    if verdict:
        body.append(r"\bigskip\textbf{" + latex_text(verdict) + "}")
    return _latex_document([_latex_title("key", heading), r"\par\medskip"], "\n".join(body) + "\n")


def _latex_title(what: str, heading: Heading) -> str:
    return "\n".join(
        [
            rf"{{\Large\bfseries {latex_text(TITLE)}: {what}}}\hfill{{\large {latex_text(heading.student)}}}\par\medskip",
            rf"network {latex_text(heading.network)} $\cdot$ {latex_text(heading.variant)} $\cdot$ "
            f"answers to {heading.precision} significant figures",
        ]
    )


def preamble(geometry: str = "margin=2cm", packages: str = PACKAGES) -> str:
    """explain's LaTeX preamble for a handout: A4 paper (a class's printer), `geometry`'s margins
    and orientation, and `packages`."""
    page = PREAMBLE.replace(r"\usepackage[margin=2cm]{geometry}", rf"\usepackage[a4paper,{geometry}]{{geometry}}")
    return page.replace("\\begin{document}\n", packages + "\\begin{document}\n")


def _latex_document(top: list[str], body: str) -> str:
    return preamble() + "\n".join(top) + "\n" + body + "\\end{document}\n"
