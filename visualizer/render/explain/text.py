"""The document as terminal text (rich): coloured by phase, wrapped to the terminal's width.

Long equations break at their `=` signs first, then at the `+` of a long sum, and continue
indented under the first `=`, so an equation stays readable in 80 columns.
"""

from __future__ import annotations

import io
import re
import textwrap

from rich import box
from rich.console import Console
from rich.rule import Rule
from rich.table import Table as RichTable
from rich.text import Text
from rich.theme import Theme

from visualizer.core.expr import Expr
from visualizer.style import PHASE_COLORS, VERDICT_COLORS, format_display

from .document import Bars, Equation, Note, Picture, Section, Table

THEME = Theme(
    {
        "header": "bold",
        **PHASE_COLORS,
        "update": "bold",  # black on a dark terminal would vanish: its own text colour, bold
        "training": "bold",
        "step": "bold",
        "note": "dim",
        "result": "bold",
        "ok": f"bold {VERDICT_COLORS['ok']}",
        "bad": f"bold reverse {VERDICT_COLORS['bad']}",
    }
)
INDENT = "  "


def make_console(file=None, *, width: int | None = None, color: bool = True) -> Console:
    return Console(
        file=file,
        width=width,
        theme=THEME,
        highlight=False,
        no_color=not color,
        color_system="auto" if color else None,
        soft_wrap=False,
        emoji=False,
    )


def print_document(console: Console, sections: list[Section], before=None) -> None:
    """Print the document; `before(section, item)`, where given, runs before each item is printed
    (explain --quiz asks for a result there, before its line shows it)."""
    for section in sections:
        style = section.phase if section.phase in THEME.styles else "header"
        console.print()
        if section.level == 1:
            console.print(Rule(Text(section.title, style=f"bold {style}"), align="left", style=style))
        else:
            console.print(Text(section.title, style=f"bold {style}"))
        for item in section.items:
            if before is not None:
                before(section, item)
            console.print(_renderable(item, style, console.width))


def render_text(sections: list[Section], verdict: str | None = None, *, width: int = 100) -> str:
    """The document, then the verdict, as plain text without colours."""
    buffer = io.StringIO()
    console = make_console(buffer, width=width, color=False)
    print_document(console, sections)
    if verdict:
        console.print()
        console.print(verdict_text(verdict))
    return buffer.getvalue()


def _renderable(item, style: str, width: int):
    if isinstance(item, Equation):
        return equation_text(item, style, width)
    if isinstance(item, Table):
        return _table(item)
    if isinstance(item, Note):
        dim = item.text.startswith("…")
        return Text(
            textwrap.fill(item.text, width, initial_indent=INDENT, subsequent_indent=INDENT),
            style="note" if dim else "",
        )
    if isinstance(item, Picture):
        return Text("\n".join(INDENT + "│" + line + "│" for line in item.lines()) + f"\n{INDENT}{item.caption}")
    if isinstance(item, Bars):
        return _bars(item)
    raise TypeError(item)


BAR = 30  # characters of a bar at 1 (a probability of 100 %)


def _bars(bars: Bars) -> RichTable:
    """name, aⱼ = value, the bar, and what the row is (actual, predicted)."""
    table = RichTable(box=None, show_header=False, padding=(0, 1, 0, 0), pad_edge=False)
    for column in ("name", "symbol", "value", "bar", "mark"):
        table.add_column(column, justify="right" if column == "value" else "left", no_wrap=True)
    for i, name in enumerate(bars.names):
        bar = "█" * bars.length(i, BAR) or "▏"
        style = "result" if bars.mark(i) else ""
        table.add_row(
            INDENT + name,
            bars.symbols[i].text() + " =",
            format_display(bars.values[i], bars.digits, zeros=True),
            bar,
            bars.mark(i),
            style=style,
        )
    return table


def equation_text(eq: Equation, style: str, width: int) -> Text:
    lhs, *forms = eq.parts("text")
    pad = " " * (len(INDENT) + len(lhs))  # continuation lines start under the first "="
    text = Text(INDENT)
    text.append(lhs, style=style)
    column = len(pad)
    for i, (sign, form) in enumerate(zip(eq.signs("text"), forms)):
        joiner = f" {sign} "
        if i and column + len(joiner) + len(form) > width:
            text.append("\n" + pad)
            column = len(pad)
        chunks = _split_long(form, width - column - len(joiner))
        text.append(joiner)
        style_of_form = "result" if i == len(forms) - 1 else ""
        text.append(chunks[0], style=style_of_form)
        column += len(joiner) + len(chunks[0])
        for chunk in chunks[1:]:
            text.append("\n" + pad + "     ")
            text.append(chunk, style=style_of_form)
            column = len(pad) + 5 + len(chunk)
    return text


def _split_long(form: str, room: int) -> list[str]:
    """Break a long sum before its top-level + and − signs into pieces that fit in `room`."""
    if len(form) <= room or room < 20:
        return [form]
    signs, depth = [], 0
    for m in re.finditer(r"[()\[\]]| [+−] ", form):
        if m.group() in "([":
            depth += 1
        elif m.group() in ")]":
            depth -= 1
        else:
            signs.append((depth, m.start() + 1))  # at the sign
    # the outermost signs; a sum inside one pair of parentheses, 1/3·(… + …), where there are none
    top = min((d for d, _ in signs), default=0)
    cuts = [at for d, at in signs if d == top]
    pieces, start, fits = [], 0, None
    for cut in cuts:
        if cut - start > room and fits is not None:
            pieces.append(form[start:fits].rstrip())
            start, fits = fits, None
        if cut - start <= room:
            fits = cut
    if len(form) - start > room and fits is not None:
        pieces.append(form[start:fits].rstrip())
        start = fits
    return pieces + [form[start:]]


def _cell(value, digits: int) -> str:
    if isinstance(value, Expr):
        return value.text(digits)
    if isinstance(value, str):
        return value
    return format_display(float(value), digits)


def _table(table: Table) -> RichTable:
    rich = RichTable(box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False, pad_edge=False)
    for column in table.columns:
        rich.add_column(_cell(column, table.digits), justify="right", no_wrap=True)
    for row in table.rows:
        rich.add_row(*(_cell(v, table.digits) for v in row))
    return _Indented(rich)


class _Indented:
    """A renderable shifted right by the indent, like the equations."""

    def __init__(self, inner):
        self.inner = inner

    def __rich_console__(self, console, options):
        from rich.padding import Padding

        yield Padding(self.inner, (0, 0, 0, len(INDENT)), expand=False)


def verdict_text(line: str) -> Text:
    return Text(line, style="ok" if line.startswith("✓") else "bad")
