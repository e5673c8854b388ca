"""The document as LaTeX: a compilable article, or with `fragment` only its body, whose
`align*` environments a lecturer can paste into beamer slides."""

from __future__ import annotations

from ..expr import Expr
from ..style import format_number
from .document import Equation, Note, Section, Table
from .markdown import arrow_latex, equation_latex

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\begin{document}
"""
# Forms longer than this (in characters of LaTeX) go on their own line of the align.
LONG = 70

# Unicode in notes and titles, as LaTeX.
_CHARS = {
    "→": r"$\to$", "←": r"$\leftarrow$", "…": r"\dots{}", "η": r"$\eta$", "δ": r"$\delta$",
    "σ": r"$\sigma$", "Σ": r"$\Sigma$", "∂": r"$\partial$", "−": "-", "·": r"$\cdot$",
    "✓": r"$\checkmark$", "✗": r"$\times$", "Δ": r"$\Delta$", "½": r"$\frac{1}{2}$", "²": r"$^2$",
    "|": r"$|$", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
}
_CHARS.update({c: f"$_{{{d}}}$" for c, d in zip("₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₛ", "0123456789ijks")})
_CHARS.update({c: f"$^{{{d}}}$" for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾", "0123456789()")})


def latex_text(text: str) -> str:
    return "".join(_CHARS.get(c, c) for c in text).replace("$$", "")


def render_latex(sections: list[Section], verdict: str | None = None, *, fragment: bool = False) -> str:
    out: list[str] = []
    equations: list[Equation] = []

    def flush():
        if equations:
            out.append(r"\begin{align*}")
            for eq in equations:
                lhs, *forms = equation_latex(eq)
                joiners = [arrow_latex(eq)] + ["="] * (len(forms) - 1)
                line = f"{lhs} &{joiners[0]} {forms[0]}"
                for joiner, form in zip(joiners[1:], forms[1:]):
                    if len(line.split(r"\\")[-1]) + len(form) > LONG:
                        line += r" \\" + "\n  &" + f"{joiner} {form}"
                    else:
                        line += f" {joiner} {form}"
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
                out.append(latex_text(item.text) + r"\par")
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
