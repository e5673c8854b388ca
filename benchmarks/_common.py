"""What the timing scripts share: how many repeats, and which versions were measured."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform


def repeats_from(parser: argparse.ArgumentParser, default: int) -> tuple[argparse.Namespace, int]:
    """Add --repeats and --quick to `parser`, parse, and say how many timed runs to make."""
    parser.add_argument("--repeats", type=int, default=default, help=f"timed runs per command (default {default})")
    parser.add_argument("--quick", action="store_true", help="3 timed runs per command")
    args = parser.parse_args()
    return args, 3 if args.quick else max(1, args.repeats)


def version(name: str) -> str:
    # From the installed metadata: importing the package here would warm caches for the children.
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def versions_line(*packages: str) -> str:
    listed = ", ".join(f"{name} {version(name)}" for name in packages)
    return f"Python {platform.python_version()}, {listed}, os.cpu_count() = {os.cpu_count()}"
