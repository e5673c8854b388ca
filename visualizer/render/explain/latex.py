"""The document as LaTeX: a compilable article, or with `fragment` only its body, whose
`align*` environments a lecturer can paste into beamer slides."""

from __future__ import annotations

from visualizer.core.expr import Expr
from visualizer.style import format_number
from visualizer.texify import latex_text

from .document import Equation, Note, Section, Table

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\begin{document}
"""
# A line of an align holds about this many characters of the equation as plain text.
LONG = 64


def render_latex(sections: list[Section], verdict: str | None = None, *, fragment: bool = False) -> str:
    out: list[str] = []
    equations: list[Equation] = []

    def flush():
        if equations:
            out.append(r"\begin{align*}")
            for eq in equations:
                lhs, *forms = eq.parts("latex")
                widths = [len(part) for part in eq.parts("text")]  # as plain text
                joiners = eq.signs("latex")
                line, used = f"{lhs} &{joiners[0]} {forms[0]}", widths[0] + widths[1]
                for joiner, form, width in zip(joiners[1:], forms[1:], widths[2:]):
                    if used + width > LONG:
                        line += r" \\" + "\n  &" + f"{joiner} {form}"
                        used = widths[0] + width
                    else:
                        line += f" {joiner} {form}"
                        used += width + 3
                out.append(line + r" \\")
            out[-1] = out[-1].removesuffix(r" \\")
            out.append(r"\end{align*}")
            equations.clear()

    for section in sections:
        flush()
        command = r"\section*" if section.level == 1 else r"\subsection*"
        out.append(f"{command}{{{latex_text(section.title)}}}")
        for item in section.items:
            if isinstance(item, Equation):
                equations.append(item)
                continue
            flush()
            if isinstance(item, Table):
                out += _table(item)
            elif isinstance(item, Note):
                out.append((item.latex or latex_text(item.text)) + r"\par")
    flush()
    if verdict:
        out.append(r"\bigskip\textbf{" + latex_text(verdict) + "}")
    body = "\n".join(out) + "\n"
    return body if fragment else PREAMBLE + body + "\\end{document}\n"


def _cell(value, digits: int) -> str:
    if isinstance(value, Expr):
        return f"${value.latex(digits)}$"
    if isinstance(value, str):
        return latex_text(value)
    return f"${format_number(float(value), digits)}$"


def _table(table: Table) -> list[str]:
    spec = "r" * len(table.columns)
    lines = [r"\begin{center}", rf"\begin{{tabular}}{{{spec}}}", r"\hline"]
    lines.append(" & ".join(_cell(c, table.digits) for c in table.columns) + r" \\ \hline")
    lines += [" & ".join(_cell(v, table.digits) for v in row) + r" \\" for row in table.rows]
    lines += [r"\hline", r"\end{tabular}", r"\end{center}"]
    return lines
