"""A NetSpec written back as a TOML spec file, the inverse of `spec.spec_from_table`.

`spec_toml(spec)` gives text that `--net FILE.toml` reads back as the same spec: every field
that differs from its default, under its TOML keys (docs/network-spec.md), in the order NetSpec
lists them; the network's shape, activations, loss and optimizer always, so the file says what
it is on its own. Numbers are written as Python writes a float64 (the shortest text that reads
back as the same number), whole ones without a decimal point: 0.15, 1, -0.35.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np

from .spec import NetSpec

ALWAYS = ("name", "sizes", "activations", "loss", "optimizer")  # written even at their defaults


def spec_toml(spec: NetSpec, comment: str = "") -> str:
    """The spec as a TOML file; `comment` (lines of text) opens it as # comments."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    for field in dataclasses.fields(NetSpec):
        value = getattr(spec, field.name)
        if field.name not in ALWAYS and _is_default(field, value):
            continue
        lines += _entry(spec, field.name, value)
    return "\n".join(lines) + "\n"


def _is_default(field: dataclasses.Field, value) -> bool:
    if value is None:
        return True
    default = field.default if field.default is not dataclasses.MISSING else field.default_factory()
    if isinstance(value, (np.ndarray, tuple)) and not isinstance(default, (np.ndarray, tuple)):
        return False
    return bool(np.all(value == default)) if isinstance(value, np.ndarray) else value == default


def _entry(spec: NetSpec, name: str, value) -> list[str]:
    if name == "activations":
        hidden = list(value[:-1])
        one = len(set(hidden)) <= 1
        shown = [f"activation = {_value(hidden[0] if hidden and one else hidden or 'sigmoid')}"]
        return shown + [f"output_activation = {_value(value[-1])}"]
    if name in ("input", "target"):  # one sample as a list, a batch as a list of them
        return [f"{name} = {_value(value[0] if len(value) == 1 else value)}"]
    if name in ("weights", "biases"):  # a layer a line: weights[l] is (out, in), like torch
        rows = [f"  {_value(layer)},  # layer {l}" for l, layer in enumerate(value, start=1)]
        return [f"{name} = [", *rows, "]"]
    return [f"{name} = {_value(value)}"]


def _value(value) -> str:
    """A TOML value: text, a boolean, a number, an array or an inline table."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {_value(v)}" for key, v in value.items()) + " }"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return "[" + ", ".join(_value(v) for v in value) + "]"
