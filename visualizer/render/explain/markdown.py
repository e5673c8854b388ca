"""The document as Markdown with `$…$` math (renders on GitHub and in Jupyter)."""

from __future__ import annotations

from visualizer.core.expr import Expr
from visualizer.style import format_number

from .document import Equation, Note, Section, Table


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


def _table(table: Table) -> list[str]:
    header = "| " + " | ".join(_cell(c, table.digits) for c in table.columns) + " |"
    rule = "|" + "|".join("---:" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(_cell(v, table.digits) for v in row) + " |" for row in table.rows]
    return [header, rule, *rows]
