"""Explain's document, cut into the pieces the explorer shows where they belong.

The page does no math of its own: every equation it shows is one of explain's, printed by the
document itself (`Equation.parts`, `signs`, `line`), and filed under what it is about (the
neuron, the weight's edge or the loss, `Equation.about`), its step and its phase. Equations
repeat their symbolic forms every step, so every string is kept once in a table (`Strings`)
and an equation names its strings by their place in it; that keeps a 300-step page small.
"""

from __future__ import annotations

from visualizer.network.trace import Trace

from ..explain import PHASES, Options, build_document
from ..explain.document import Equation, Note


class Strings:
    """A table of strings, each kept once; `index` gives a string's place, adding it if new."""

    def __init__(self):
        self.places: dict[str, int] = {}

    def index(self, text: str) -> int:
        return self.places.setdefault(text, len(self.places))

    def table(self) -> list[str]:
        return list(self.places)


def key(about: tuple) -> str:
    """The id of what an equation is about, as the page names it (neurons and weights 1-based,
    as the lecture writes them): n-1-2 (layer 1, neuron 2), e-1-2-1 (w₂₁⁽¹⁾), loss."""
    if about[0] == "neuron":
        return f"n-{about[1]}-{about[2] + 1}"
    if about[0] == "edge":
        return f"e-{about[1]}-{about[2] + 1}-{about[3] + 1}"
    return about[0]


def step_equations(
    trace: Trace, precision: int, shown: int, samples: int, strings: Strings
) -> tuple[list[str], list[dict]]:
    """The network in words (the header's first notes), and for each step: its equations (all phases, in explain's order) and the notes that say what
    explain left out or how a layer's δ comes about, by phase. `shown`: neurons per layer the
    picture shows (so every one drawn gets its lines); `samples`: of a batch, the first ones written out."""
    options = Options(precision=precision, show="all", samples=samples, layout=shown)
    steps: list[dict] = []
    header: list[str] = []
    for section in build_document(trace, options):
        if section.phase == "header":  # the network in words: its layers, loss, optimizer
            header += [item.text for item in section.items[:3] if isinstance(item, Note)]
        if section.phase == "step" or (not steps and section.phase in PHASES):
            steps.append({"equations": [], "notes": {phase: [] for phase in PHASES}})
        if section.phase not in PHASES:
            continue
        for item in section.items:
            if isinstance(item, Equation) and item.about:
                steps[-1]["equations"].append(_equation(item, section.phase, strings))
            elif isinstance(item, Note):
                steps[-1]["notes"][section.phase].append(strings.index(item.text))
    return header, steps


def _equation(equation: Equation, phase: str, strings: Strings) -> dict:
    """One equation: about what, which sample, its phase, its LaTeX parts and signs (for KaTeX)
    and its line of text (the fallback, and what a test compares with explain's own text)."""
    return {
        "id": key(equation.about),
        "sample": equation.sample,
        "phase": phase,
        "latex": [strings.index(part) for part in equation.parts("latex")],
        "signs": [strings.index(sign) for sign in equation.signs("latex")],
        "text": strings.index(equation.line("text")),
    }
