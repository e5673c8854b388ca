"""The document as an HTML fragment whose math is MathML: readable wherever a notebook is shown.

Markdown's `$…$` waits for MathJax, which a notebook exported to HTML fetches from a CDN: offline,
or where scripts are stripped, the reader gets raw LaTeX. MathML is drawn by the browser itself
(Chromium, Firefox, Safari), with no script, style sheet or font to load. The LaTeX is the
equations' own (`Equation.line("latex")`), converted by latex2mathml, the same as Markdown shows.
"""

from __future__ import annotations

from html import escape

from latex2mathml.converter import convert

from visualizer.core.expr import Expr
from visualizer.style import format_number

from .document import Bars, Equation, Note, Picture, Section, Table

# Tables of numbers read right-aligned, as in the terminal and in Markdown; the picture's shade
# characters need a line height of one so its rows join.
STYLE = (
    "<style>.bp-explain td,.bp-explain th{text-align:right;padding:0.1em 0.6em}"
    ".bp-explain pre{line-height:1}.bp-explain li{margin:0.25em 0}.bp-explain math{font-size:1.15em}</style>"
)


def render_html(sections: list[Section], verdict: str | None = None) -> str:
    out = [STYLE, '<div class="bp-explain">']
    for section in sections:
        tag = "h2" if section.level == 1 else "h3"
        out.append(f"<{tag}>{escape(section.title)}</{tag}>")
        equations: list[str] = []
        for item in section.items:
            if isinstance(item, Equation):
                equations.append(f"<li>{math(item.line('latex'))}</li>")
                continue
            if equations:  # a run of equations is one list, as in Markdown
                out += ["<ul>", *equations, "</ul>"]
                equations = []
            if isinstance(item, Table):
                out.append(_table(item.columns, item.rows, item.digits))
            elif isinstance(item, Note):
                out.append(f"<p>{escape(item.text)}</p>")
            elif isinstance(item, Picture):
                out.append(f"<pre>{escape(chr(10).join(item.lines()))}</pre><p>{escape(item.caption)}</p>")
            elif isinstance(item, Bars):
                out.append(_bars(item))
        if equations:
            out += ["<ul>", *equations, "</ul>"]
    if verdict:
        out.append(f"<p><strong>{escape(verdict)}</strong></p>")
    out.append("</div>")
    return "\n".join(out) + "\n"


def math(latex: str) -> str:
    # latex2mathml makes \left( … \right) stretchy fences, which Chromium sets apart from what they
    # enclose and taller than it, "σ ( 0.3775 )"; inline math in LaTeX is set tight, and so is this
    return convert(latex, display="inline").replace('stretchy="true" fence="true"', 'stretchy="false" fence="true"')


def _cell(value, digits: int) -> str:
    if isinstance(value, Expr):
        return math(value.latex(digits))
    if isinstance(value, str):
        return escape(value)
    return format_number(float(value), digits)


def _table(columns, rows, digits: int) -> str:
    head = "".join(f"<th>{_cell(c, digits)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v, digits)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars(bars: Bars) -> str:
    rows = [
        (
            name,
            bars.symbols[i],
            format_number(bars.values[i], bars.digits, zeros=True),
            "█" * bars.length(i, 20),
            bars.mark(i),
        )
        for i, name in enumerate(bars.names)
    ]
    return _table(("class", "output", "value", "", ""), rows, bars.digits)
