"""Your own data from a CSV file: one row per sample, one column per feature, one target.

The first row names the columns (if every cell of it is a number, there is no header and the
columns are called "column 1", "column 2", ...). The target is the column `target_column`
(default: the last); every other column is a feature and must hold numbers. The target decides
the task:

- labels that are not numbers (`cat`, `dog`), or a few (≤ 20) distinct whole numbers: a
  classification; the labels, sorted, become classes 0..k−1 (two labels: binary);
- any other numbers: a regression, the network learns to output the value itself.

Commas, semicolons and tabs separate cells; blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from visualizer.errors import UsageError

from .dataset import Table

MAX_CLASSES = 20  # at most this many distinct whole numbers in a target make it a classification


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the (line number, cells) of each non-blank row of the file."""
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "not found"
        raise UsageError(f"csv file {path} {what}; give the path of a .csv file, e.g. csv:data/points.csv")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"csv file {path} is not UTF-8 text; save it as UTF-8 CSV") from None
    except OSError as err:
        raise UsageError(f"cannot read csv file {path}: {err.strerror or err}") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows = []
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if any(cells):
                rows.append((reader.line_num, cells))
    except csv.Error as err:
        raise UsageError(f"csv file {path}, line {reader.line_num}: {err}") from None
    if not rows:
        raise UsageError(f"csv file {path} is empty; it needs a header row of column names and rows of numbers")
    first = rows[0][1]
    if all(_number(c) is not None for c in first):
        return [f"column {i + 1}" for i in range(len(first))], rows
    if len(rows) == 1:
        raise UsageError(f"csv file {path} has a header but no data rows; add one row per sample")
    return first, rows[1:]


def read_csv(path: str | Path, target_column: str | None = None) -> Table:
    """The features and target of a CSV file, the task chosen from the target's values."""
    path = Path(path)
    header, rows = read_rows(path)
    if len(set(header)) != len(header):
        twice = next(h for h in header if header.count(h) > 1)
        raise UsageError(f"csv file {path}: column name {twice!r} appears twice; give each column its own name")
    if len(header) < 2:
        raise UsageError(f"csv file {path} has one column; it needs at least one feature column and a target column")
    target = header[-1] if target_column is None else target_column
    if target not in header:
        raise UsageError(
            f"csv file {path} has no column {target!r}; its columns are: "
            f"{', '.join(header)} (choose one with --target-column)"
        )
    t = header.index(target)
    features = [i for i in range(len(header)) if i != t]

    x = np.empty((len(rows), len(features)), dtype=np.float64)
    labels = []
    for r, (line, cells) in enumerate(rows):
        if len(cells) != len(header):
            raise UsageError(
                f"csv file {path}, line {line}: {len(cells)} cells, but the header has {len(header)} "
                f"columns; every row needs one cell per column"
            )
        for j, i in enumerate(features):
            value = _number(cells[i])
            if value is None or not math.isfinite(value):
                what = "is empty" if not cells[i] else f"holds {cells[i]!r}, not a number"
                raise UsageError(
                    f"csv file {path}, line {line}, column {header[i]!r} {what}; feature columns must "
                    f"hold numbers (only the target column may hold labels)"
                )
            x[r, j] = value
        if not cells[t]:
            raise UsageError(
                f"csv file {path}, line {line}: the target column {target!r} is empty; fill it in or remove the row"
            )
        labels.append(cells[t])

    task, y, classes = target_values(labels, f"csv file {path}, column {target!r}")
    return Table(x, y, task, classes, tuple(header[i] for i in features))


def target_values(labels: list[str], where: str) -> tuple[str, np.ndarray, tuple[str, ...]]:
    """(task, y as n × 1 float64, class names) from the target column's cells."""
    numbers = [_number(c) for c in labels]
    if all(v is not None for v in numbers):
        distinct = sorted(set(numbers))
        if len(distinct) > MAX_CLASSES or any(v != int(v) for v in distinct):
            return "regression", np.array(numbers, dtype=np.float64).reshape(-1, 1), ()
        names = tuple(str(int(v)) for v in distinct)
        index = {v: k for k, v in enumerate(distinct)}
        y = [index[v] for v in numbers]
    else:
        names = tuple(sorted(set(labels)))
        index = {name: k for k, name in enumerate(names)}
        y = [index[c] for c in labels]
    if len(names) < 2:
        raise UsageError(f"{where} holds only the label {names[0]!r}; a classification needs at least two classes")
    task = "binary" if len(names) == 2 else "multiclass"
    return task, np.array(y, dtype=np.float64).reshape(-1, 1), names
