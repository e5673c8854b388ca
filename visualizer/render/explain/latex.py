"""The document as LaTeX: a compilable article, or with `fragment` only its body, whose
`align*` environments a lecturer can paste into beamer slides."""

from __future__ import annotations

from visualizer.core.expr import Expr, Style
from visualizer.style import format_number
from visualizer.texify import latex_text

from .document import Bars, Equation, Note, Picture, Section, Table

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
            elif isinstance(item, Picture):
                out += _picture(item)
            elif isinstance(item, Bars):
                out += _bars(item)
    flush()
    if verdict:
        out.append(r"\bigskip\textbf{" + latex_text(verdict) + "}")
    body = "\n".join(out) + "\n"
    pictures = any(isinstance(item, Picture) for section in sections for item in section.items)
    preamble = PREAMBLE.replace("amssymb}\n", "amssymb}\n\\usepackage{tikz}\n") if pictures else PREAMBLE
    return body if fragment else preamble + body + "\\end{document}\n"


def _cell(value, digits: int) -> str:
    if isinstance(value, Expr):
        return f"${value.latex(digits)}$"
    if isinstance(value, str):
        return latex_text(value)
    return f"${format_number(float(value), digits)}$"


def _picture(picture: Picture) -> list[str]:
    """The picture as squares on black, each as light as its ink (a fragment needs tikz in the preamble)."""
    rows = len(picture.ink)
    squares = [
        rf"\fill[white!{round(v * 100)}!black] ({c},{rows - r - 1}) rectangle +(1,1);"
        for r, row in enumerate(picture.ink)
        for c, v in enumerate(row)
        if v > 0
    ]
    return [
        r"\begin{center}",
        r"\begin{tikzpicture}[x=1mm,y=1mm]",
        rf"\fill[black] (0,0) rectangle ({len(picture.ink[0])},{rows});",
        *squares,
        r"\end{tikzpicture}\\",
        latex_text(picture.caption),
        r"\end{center}",
    ]


def _bars(bars: Bars) -> list[str]:
    """name, aⱼ = value, a bar 4 cm long at 1, and what the row is."""
    rows = [
        f"{latex_text(name)} & ${bars.symbols[i].latex(bars.digits)}$ & ${Style('latex', bars.digits).number(bars.values[i], zeros=True)}$ & "
        rf"\rule{{{bars.length(i, 400) / 100:.2f}cm}}{{1.2ex}} & {latex_text(bars.mark(i))} \\"
        for i, name in enumerate(bars.names)
    ]
    return [r"\begin{tabular}{llrll}", *rows, r"\end{tabular}\par"]


def _table(table: Table) -> list[str]:
    spec = "r" * len(table.columns)
    lines = [r"\begin{center}", rf"\begin{{tabular}}{{{spec}}}", r"\hline"]
    lines.append(" & ".join(_cell(c, table.digits) for c in table.columns) + r" \\ \hline")
    lines += [" & ".join(_cell(v, table.digits) for v in row) + r" \\" for row in table.rows]
    lines += [r"\hline", r"\end{tabular}", r"\end{center}"]
    return lines
