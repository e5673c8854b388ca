"""answers.toml: the file a student fills in, its filled twin solution.toml, and reading it back.

The file is TOML: one line per asked quantity, `key = ""` left blank, `key = 0.5933` answered,
a comment after each naming the quantity as the worksheet writes it, grouped by phase. Below
the answers a `[worksheet]` table records what was asked and in how many significant figures,
so `backprop check` judges the answers as the worksheet asked them:

    # forward pass
    z1_1 = ""    # z₁⁽¹⁾
    a1_1 = ""    # a₁⁽¹⁾
    ...
    [worksheet]
    network = "2-2-1"
    precision = 4
    ask = ["forward", "loss", "backward", "update"]

A blank is `""` (TOML has no empty value); a number may also be written as a string ("0.5933",
"−0.25" with a typographic minus). Anything else is an error naming its line.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.network.trace import Trace
from visualizer.render.explain import PHASES
from visualizer.style import DEFAULT_DIGITS

from .quantities import Quantity, quantities

TABLE = "worksheet"
_TITLES = {"forward": "forward pass", "loss": "loss", "backward": "backward pass", "update": "update"}


def answers_template(trace: Trace, ask: Iterable[str] = PHASES, precision: int = DEFAULT_DIGITS) -> str:
    """answers.toml: every asked quantity with a blank value and its name in a comment."""
    return _write(trace, tuple(ask), precision, filled=False)


def solution(trace: Trace, ask: Iterable[str] = PHASES, precision: int = DEFAULT_DIGITS) -> str:
    """solution.toml: the template filled with the Trace's values at `precision` significant figures."""
    return _write(trace, tuple(ask), precision, filled=True)


def _write(trace: Trace, ask: tuple[str, ...], precision: int, *, filled: bool) -> str:
    asked = quantities(trace, ask, precision)
    ask = tuple(p for p in PHASES if p in ask)
    width = max((len(q.key) for q in asked), default=0)
    values = [q.shown if filled else '""' for q in asked]
    value_width = max((len(v) for v in values), default=0)
    lines = [
        f"# One training step of network {trace.network.name} by hand: {'the answers' if filled else 'your answers'}.",
        f"# Give each to {precision} significant figures (0.5933, 0.009700, -1.250); carry more digits",
        '# through the calculation and round only the answer. Leave "" where you have none.',
    ]
    phase = None
    for q, value in zip(asked, values):
        if q.phase != phase:
            phase = q.phase
            lines += ["", f"# {_TITLES[phase]}"]
        lines.append(f"{q.key:<{width}} = {value:<{value_width}}  # {q.text}")
    lines += [
        "",
        "# what the worksheet asks (backprop check reads it); answers go above this line",
        f"[{TABLE}]",
        f'network = "{trace.network.name}"',
        f"precision = {precision}",
        "ask = [" + ", ".join(f'"{p}"' for p in ask) + "]",
    ]
    return "\n".join(lines) + "\n"


class Answers(dict):
    """A student's answers, key → number (blanks left out), with what the file says the
    worksheet asked (`precision`, `ask`, the `network`'s name: None where it does not say) and
    each key's line."""

    def __init__(self, values: dict, precision: int | None, ask: tuple[str, ...] | None, lines: dict, network=None):
        super().__init__(values)
        self.precision, self.ask, self.lines, self.network = precision, ask, lines, network


def read_answers(path, known: Iterable[str] | None = None) -> Answers:
    """The answers in the file at `path`. A file that is not TOML, a key not in `known` (where
    given), or a value that is not a number is a UsageError naming the file and the line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"no answers file {str(path)!r}; give the answers.toml of your worksheet") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(
            f"cannot read the answers file {str(path)!r}: {getattr(err, 'strerror', None) or err}"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UsageError(
            f"{path}: {_toml_message(err)}; write each answer as key = number, e.g. z1_1 = 0.3775"
        ) from None
    sheet = data.pop(TABLE, {})
    if not isinstance(sheet, dict):
        raise UsageError(f"{path}, line {_line_of(text, TABLE)}: {TABLE} should be the table [{TABLE}]")
    known = None if known is None else list(known)
    values, lines = {}, {}
    for key, value in data.items():
        line = _line_of(text, key)
        where = f"{path}, line {line}"
        if isinstance(value, dict):
            raise UsageError(f"{where}: [{key}] is a table; answers are lines key = number above [{TABLE}]")
        if known is not None and key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise UsageError(
                f"{where}: unknown answer key {key!r}; {hint}the keys are the {len(known)} of the worksheet's "
                f"answers.toml, {known[0]} … {known[-1]} (<name><layer>_<neuron>[_<input>][_s<sample>])"
            )
        number = _number(value)
        if number is _BAD:
            raise UsageError(
                f'{where}: {key} = {_shown(value)} is not a number; write e.g. {key} = 0.5933, or "" for no answer'
            )
        lines[key] = line
        if number is not None:
            values[key] = number
    network = sheet.get("network")
    network = network if isinstance(network, str) else None
    return Answers(values, _precision(sheet, path, text), _ask(sheet, path, text), lines, network)


_BAD = object()


def parse_number(text: str) -> float | None:
    """A number as a student types it ("0.5933", "−0.25", "1,5"), or None if it is not one."""
    number = _number(text)
    return None if number is _BAD else number


def _number(value) -> float | None | object:
    """A TOML value as an answer: a float, None for a blank "", _BAD for anything else."""
    if isinstance(value, bool):
        return _BAD
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else _BAD
    if isinstance(value, str):
        text = value.strip().replace("−", "-").replace(",", ".") if value.count(",") <= 1 else value
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return _BAD
        return number if math.isfinite(number) else _BAD
    return _BAD


def _shown(value) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else repr(value)


def _precision(sheet: dict, path: Path, text: str) -> int | None:
    precision = sheet.get("precision")
    if precision is None:
        return None
    if isinstance(precision, bool) or not isinstance(precision, int) or not 1 <= precision <= 15:
        raise UsageError(
            f"{path}, line {_line_of(text, 'precision')}: precision is a number of significant figures from 1 to 15"
        )
    return precision


def _ask(sheet: dict, path: Path, text: str) -> tuple[str, ...] | None:
    ask = sheet.get("ask")
    if ask is None:
        return None
    if not isinstance(ask, list) or not ask or any(p not in PHASES for p in ask):
        raise UsageError(f"{path}, line {_line_of(text, 'ask')}: ask is a list of phases from {', '.join(PHASES)}")
    return tuple(p for p in PHASES if p in ask)


def _line_of(text: str, key: str) -> int:
    """The line (from 1) where `key` is set or its table starts; 1 if it cannot be found."""
    pattern = re.compile(rf'^\s*(\[\s*)?["\']?{re.escape(key)}["\']?\s*(=|\])')
    for n, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return n
    return 1


def _toml_message(err: tomllib.TOMLDecodeError) -> str:
    """tomllib's message as 'line N: what' (it ends with '(at line N, column M)')."""
    found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(err))
    if not found:
        return str(err)
    return f"line {found.group(1)}: not TOML ({str(err)[: found.start()].strip()})"


__all__ = ["Answers", "Quantity", "answers_template", "quantities", "read_answers", "solution"]
