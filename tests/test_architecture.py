"""The layout shows the pipeline, and stays that way.

Imports flow one way, down the data flow: cli ← render, training ← network ← functions ← core
(import-linter's contracts in pyproject.toml); renderers never run the network; no import
cycle, lazy imports inside functions included; few modules loose in the package; small files.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "visualizer"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MAX_LINES = 450
MAX_TOP_LEVEL = 10


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    # the contracts are read from root's pyproject.toml; the package is imported from root
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )


def test_imports_follow_the_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, upward",
    [
        ("core/engine.py", "from visualizer.network import trace"),  # the math core reaching for the network
        ("render/layout.py", "from visualizer.network.mlp import run"),  # a renderer running the network
        ("network/trace.py", "from visualizer.render.explain import build_document"),  # the cycle issue 12 removed
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward):
    # the negative control: the same check on a copy of the package with one import added fails
    shutil.copytree(PACKAGE, tmp_path / "visualizer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    path = tmp_path / "visualizer" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _late():\n    {upward}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout


def test_no_import_cycles():
    graph = grimp.build_graph("visualizer")  # lazy imports (inside functions) count
    edges = nx.DiGraph(
        (module, imported) for module in graph.modules for imported in graph.find_modules_directly_imported_by(module)
    )
    cycles = [" → ".join(cycle + cycle[:1]) for cycle in nx.simple_cycles(edges)]
    assert not cycles, cycles


def test_the_package_is_grouped_and_its_files_small():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= MAX_TOP_LEVEL, loose
    sources = [
        path for folder in ("visualizer", "scenes", "benchmarks", "tests") for path in (ROOT / folder).rglob("*.py")
    ]
    long = {
        str(p.relative_to(ROOT)): n
        for p in sources
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long
