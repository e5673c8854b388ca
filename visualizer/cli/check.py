"""`backprop check`: a student's own hand calculation of one step, checked number by number.

The answers file is the worksheet's answers.toml, filled in. The step is run (and verified, as
explain does), each answer judged at the worksheet's precision against the exact value or the
value redone from the student's own earlier answers, and the first wrong one named with what it
should be, its likely cause and explain's line for it. Exit 0: every asked answer right; 1: a
wrong or blank one; 2: a file that cannot be read as answers (its line named).
"""

from __future__ import annotations

import sys

import click

from visualizer.errors import UsageError
from visualizer.render.explain.document import PHASES
from visualizer.style import count

from .options import Command, net_options, no_verify_option, phase_list, precision_option

SHOWN = 8  # keys listed in a line of blanks or further wrong answers; the rest counted


@click.command("check", cls=Command)
@net_options(skip=("steps",))
@click.option(
    "--answers",
    "answers_path",
    required=True,
    metavar="FILE",
    help='The worksheet\'s answers.toml with your numbers filled in (key = number; "" for none).',
)
@click.option(
    "--ask",
    metavar="PHASES",
    callback=phase_list,
    help=f"Phases to check, some of {','.join(PHASES)} [default: what the answers file says it asks, or all].",
)
@precision_option("the answers are given in", " [default: what the answers file says]")
@no_verify_option("the check of the step")
def check(spec, answers_path, ask, precision, no_verify):
    """Check your hand calculation of one training step: every number in your answers file is
    compared with the step at the worksheet's precision; later answers are judged from your own
    earlier numbers, so one slip is named once, with its likely cause.

    \b
    Examples:
      backprop check --net spec.toml --answers answers.toml
      backprop check --net mazur --answers mine.toml --ask forward,loss --precision 4
    """
    from visualizer.exercises import read_answers
    from visualizer.exercises.marking import Marker
    from visualizer.network.mlp import run
    from visualizer.render.explain import verification_line

    from .checking import verified

    trace = run(spec, 1)
    first = Marker(trace, precision or spec.precision)
    answers = read_answers(answers_path, [q.key for q in first.every])
    precision = precision or answers.precision or spec.precision
    ask = ask or answers.ask or PHASES
    if answers.network and answers.network != trace.network.name:
        click.echo(
            f"note: {answers_path} is for network {answers.network!r}; checking it against {trace.network.name!r}",
            err=True,
        )
    if not no_verify:
        trace = verified(trace)
        if not trace.verification.passed:
            click.echo(verification_line(trace.verification))
            raise UsageError("the step does not match torch, so it cannot judge answers; `backprop verify` says where")
    marker = first if precision == first.precision else Marker(trace, precision)
    asked = [q for q in marker.every if q.phase in ask]
    if not asked:
        raise UsageError(f"network {trace.network.name} has nothing to ask in {', '.join(ask)}")
    marking = marker.mark(answers, asked)
    click.echo(report(marking, marker, trace.network.name, ask))
    sys.exit(0 if marking.passed else 1)


def report(marking, marker, network: str, ask: tuple[str, ...]) -> str:
    """What check prints: the first wrong answer in full, or ✓; the blanks; the notes."""
    from visualizer.exercises import equations

    p = marker.precision
    right = [v for v in marking.verdicts if v.right]
    scope = f"network {network}, {', '.join(ask) if ask != PHASES else 'every phase'}, {p} significant figures"
    lines = []
    if marking.wrong:
        bad = marking.wrong[0]
        q = bad.quantity
        should = shown(bad.exact, p)
        own = shown(bad.own, p)
        lines.append(
            f"✗ {q.key} = {shown(bad.answer, 12, zeros=False)} is wrong: {q.text} should be {should}"
            + (f" ({own} from your own numbers)" if own != should else "")
        )
        lines.append(
            f"  likely cause: {bad.cause}"
            if bad.cause
            else "  no common slip gives your number: redo this line from your numbers above"
        )
        working = equations(marker.trace, (q.phase,), p).get(q.key)
        if working is not None:
            lines.append(f"  explain writes: {working.line('text')}")
        before = sum(1 for v in right if marking.asked.index(v.quantity) < marking.asked.index(q))
        lines.append(f"  {count(before, 'answer')} before it right")
        later = marking.wrong[1:]
        if later:
            keys = [v.quantity.key + (" (the same slip)" if v.cause and v.cause == bad.cause else "") for v in later]
            lines.append(
                f"  judged from your own numbers, {count(len(later), 'more answer is', 'more answers are')} "
                f"wrong: {listed(keys)}"
            )
    elif not marking.blank:
        lines.append(f"✓ {count(len(right), 'answer')} right ({scope})")
    else:
        lines.append(f"{count(len(right), 'answer')} right ({scope}); some asked numbers are not answered")
    if marking.blank:
        lines.append(f"  {count(len(marking.blank), 'answer')} blank: {listed([q.key for q in marking.blank])}")
    for v in right:
        if v.note:
            lines.append(f"  note: {v.quantity.key} = {shown(v.answer, 12, zeros=False)} ({v.quantity.text}) {v.note}")
    return "\n".join(lines)


def listed(keys: list[str]) -> str:
    return ", ".join(keys[:SHOWN]) + (f", … ({len(keys) - SHOWN} more)" if len(keys) > SHOWN else "")


def shown(value: float, digits: int, *, zeros: bool = True) -> str:
    from visualizer.style import format_display

    return format_display(value, digits, zeros=zeros)
