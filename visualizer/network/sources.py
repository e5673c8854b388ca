"""Where specs come from: what `--net` says, made into a checked NetSpec.

`--net` is a shape (`2-3-1`), a preset name (a TOML file in `networks/`), a path to a TOML file
or a saved model (`model.safetensors`); each way ends in spec.py's NetSpec, whose checks run as
it is made. The TOML format is in docs/network-spec.md.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path

from visualizer.errors import UsageError

from .model_io import spec_from_model
from .spec import NetSpec, spec_from_table


def presets_dir() -> Path:
    """networks/ beside the package (a checkout), or inside it (an installed wheel)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "networks", package.parent / "networks"):
        if candidate.is_dir():
            return candidate
    return package.parent / "networks"


def preset_names() -> list[str]:
    return sorted(p.stem for p in presets_dir().glob("*.toml"))


def load_spec(net: str) -> NetSpec:
    """A spec from what `--net` says: a TOML path, a preset name, or a shape like 2-3-1."""
    net = net.strip()
    path = Path(net)
    if net.endswith(".safetensors"):  # a trained model (model_io.py)
        return spec_from_model(path)
    if net.endswith(".toml") or "/" in net or _is_file(path):
        if not _is_file(path):
            what = "is a directory, not a TOML file" if _is_dir(path) else "does not exist"
            raise UsageError(f"{net} {what}; give a TOML spec file, a preset ({_presets()}) or a shape like 2-3-1")
        return spec_from_toml(path)
    preset = presets_dir() / f"{net}.toml"
    if _is_file(preset):
        return spec_from_toml(preset)
    if re.fullmatch(r"[\d\s-]+", net) or (re.search(r"\d", net) and "-" in net):
        return spec_from_shape(net)
    close = difflib.get_close_matches(net, preset_names(), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UsageError(
        f"{net!r} is not a preset, a file or a shape; {hint}use a shape like 2-3-1 or a preset: {_presets()}"
    )


def _is_file(path: Path) -> bool:
    """Path.is_file, but False (not OSError) for a name the system cannot look up: one over 255
    bytes (ENAMETOOLONG) or with a NUL; such a --net is then a bad name, not a traceback."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _presets() -> str:
    return ", ".join(preset_names())


def spec_from_shape(shape: str) -> NetSpec:
    """`2-3-1`: sigmoid everywhere, MSE, SGD, seeded weights and data."""
    parts = shape.split("-")
    for i, part in enumerate(parts):
        if not part.strip().isdigit():
            if part.strip():
                shown = f"{part!r} in {shape!r} is not a layer size"
            else:  # say where the empty size is: "-2-1" reads as a negative size, "2-3-1-" as a typo
                where = (
                    "starts with '-'"
                    if i == 0
                    else "ends with '-'"
                    if i == len(parts) - 1
                    else "has nothing between two '-'"
                )
                shown = f"{shape!r} {where}, which leaves an empty size (layer sizes are whole numbers ≥ 1)"
            raise UsageError(f"{shown}; write whole numbers joined by '-', e.g. 2-3-1")
    sizes = tuple(int(p) for p in parts)
    if len(sizes) < 2:
        raise UsageError(f"{shape!r} has one layer; a network needs an input and an output layer, e.g. {sizes[0]}-1")
    return NetSpec(name=shape, sizes=sizes, activations=("sigmoid",) * (len(sizes) - 1))


def spec_from_toml(path: Path) -> NetSpec:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"{path}: not valid TOML ({err}); see docs/network-spec.md") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot be read ({err})") from None
    try:
        return spec_from_table(table, default_name=path.stem)
    except UsageError as err:
        raise UsageError(f"{path}: {err}") from None


def is_bare_shape(spec: NetSpec) -> bool:
    """Whether the spec is a shape as typed (784-16-10): no preset, file or model chose its
    loss, optimizer or weights, so a command may choose them for its task."""
    return bool(re.fullmatch(r"[\d\s-]+", spec.name)) and not spec.description and spec.weights is None
