"""The document as Markdown with `$…$` math (renders on GitHub and in Jupyter)."""

from __future__ import annotations

from visualizer.core.expr import Expr
from visualizer.style import format_number

from .document import Bars, Equation, Note, Picture, Section, Table


def render_markdown(sections: list[Section], verdict: str | None = None) -> str:
    out: list[str] = []
    for section in sections:
        out += ["", ("## " if section.level == 1 else "### ") + section.title, ""]
        for item in section.items:
            if isinstance(item, Equation):
                out.append(f"- ${item.line('latex')}$")
            elif isinstance(item, Table):
                out += ["", *_table(item), ""]
            elif isinstance(item, Note):
                out += ["", item.text, ""]
            elif isinstance(item, Picture):
                out += ["", "```", *item.lines(), "```", "", item.caption, ""]
            elif isinstance(item, Bars):
                out += ["", *_bars(item), ""]
    if verdict:
        out += ["", f"**{verdict}**"]
    text = "\n".join(out).strip() + "\n"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def _cell(value, digits: int) -> str:
    if isinstance(value, Expr):
        return f"${value.latex(digits)}$"
    if isinstance(value, str):
        return value.replace("|", r"\|")
    return format_number(float(value), digits)


def _bars(bars: Bars) -> list[str]:
    rows = [
        f"| {_cell(name, 0)} | ${bars.symbols[i].latex(bars.digits)}$ | {format_number(bars.values[i], bars.digits, zeros=True)} "
        f"| {'█' * bars.length(i, 20)} | {bars.mark(i)} |"
        for i, name in enumerate(bars.names)
    ]
    return ["| class | output | value | | |", "|---|---|---:|---|---|", *rows]


def _table(table: Table) -> list[str]:
    header = "| " + " | ".join(_cell(c, table.digits) for c in table.columns) + " |"
    rule = "|" + "|".join("---:" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(_cell(v, table.digits) for v in row) + " |" for row in table.rows]
    return [header, rule, *rows]
