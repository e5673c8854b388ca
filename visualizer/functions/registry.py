"""Finding a definition by the name a user typed: any case, aliases, and a 'did you mean' otherwise."""

from __future__ import annotations

from visualizer.errors import unknown_name


def lookup(kind: str, name: str, table: dict, aliases: dict):
    """The definition called `name` in `table` (or by one of its `aliases`), else a UsageError
    naming the `kind` ("activation", "loss", …) and the names there are."""
    key = aliases.get(name.lower(), name.lower())
    if key not in table:
        raise unknown_name(kind, name, list(table) + list(aliases))
    return table[key]
