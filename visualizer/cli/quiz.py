"""`explain --quiz`: predict, then reveal. Before each result explain would print, the student
types the number; the answer is judged as `backprop check` judges it (from their own earlier
answers, the likely cause of a wrong one), then explain's line shows the working. An empty line
skips a result; end of input or Ctrl-C ends the quiz with the score so far."""

from __future__ import annotations

import sys

from rich.text import Text

from visualizer.exercises.answers import parse_number
from visualizer.exercises.marking import Marker
from visualizer.exercises.quantities import of_equation
from visualizer.render.explain.document import Equation
from visualizer.style import format_display


class _Done(Exception):
    """The student ended the quiz (end of input, Ctrl-C)."""


class Quiz:
    def __init__(self, trace, precision: int, console, read_line=None):
        self.marker, self.console, self.precision = Marker(trace, precision), console, precision
        self.read_line = read_line or sys.stdin.readline
        self.echo = not sys.stdin.isatty() if read_line is None else True  # a pipe's answers are not on screen
        self.batch = len(trace.rows(trace.steps[0]))
        self.answers: dict[str, float] = {}
        self.right = self.asked = 0

    def run(self, document) -> None:
        from visualizer.render.explain.text import print_document

        try:
            print_document(self.console, document, before=self.ask)
        except (_Done, KeyboardInterrupt):
            self.console.print()
        self.console.print()
        self.console.print(
            Text(f"quiz: {self.right} right of {self.asked}", style="ok" if self.right == self.asked else "bad")
        )

    def ask(self, section, item) -> None:
        """Before an equation that derives a quantity: ask for its result and judge the answer."""
        if not isinstance(item, Equation):
            return
        q = of_equation(item, section.phase, self.batch, self.precision)
        if q is None:
            return
        lhs, *forms = item.parts("text")
        formula = " = ".join([lhs, *forms[: item.symbolic]])
        while True:
            self.console.print(Text(f"  {formula} = ? ", style="bold"), end="")
            self.console.file.flush()  # the prompt before the answer is read, on a terminal too
            line = self.read_line()
            if not line:  # end of input
                raise _Done
            if self.echo:
                self.console.print(line.rstrip("\n"), highlight=False)
            typed = line.strip()
            if not typed:
                return  # skipped: explain's line shows it
            number = parse_number(typed)
            if number is not None:
                break
            self.console.print(
                Text(f"  {typed!r} is not a number; type one like 0.5933, or press Enter to skip", style="note")
            )
        self.answers[q.key] = number
        verdict = self.marker.judge(self.answers, q)
        self.asked += 1
        if verdict.right:
            self.right += 1
            self.console.print(Text("  ✓" + (f" ({verdict.note})" if verdict.note else ""), style="ok"))
            return
        should = format_display(verdict.exact, self.precision, zeros=True)
        cause = f"; likely cause: {verdict.cause}" if verdict.cause else ""
        self.console.print(Text(f"  ✗ {q.text} = {should}{cause}", style="bad"))
        self.answers[q.key] = verdict.exact  # go on from the right number, as the student now will
