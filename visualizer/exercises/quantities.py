"""The numbers of one training step a student can be asked for, each with a key to type.

A hand calculation of one step produces the same numbers explain writes out: each neuron's
weighted sum z and activation a (forward), the loss E, each ∂E/∂a and δ = ∂E/∂z and each
gradient ∂E/∂w, ∂E/∂b (backward), and each new weight and bias (update). They are read from
explain's own document, so a worksheet asks for exactly what explain derives, under the names
explain prints, with the Trace's values: every equation says what it is about (a neuron, a
weight, the loss) and which sample, and `Options.layout` writes out every neuron and weight.

A quantity's key is what a student types in answers.toml (ASCII, a TOML bare key):

    <name><layer>_<neuron>[_<input>][_s<sample>]

with the name z, a, dE_da (∂E/∂a), delta (δ), dE_dw, dE_db, new_w, new_b; layers, neurons and
inputs count from 1 as in the lecture (w₁₂⁽²⁾ is `w2_1_2`, from neuron 2 of layer 1 into neuron 1
of layer 2), and `_s<sample>` (from 1) only where the step has a batch of several samples:
`z1_2` is z₂⁽¹⁾, `dE_dw2_1_3` is ∂E/∂w₁₃⁽²⁾, `delta2_1_s3` is δ₁,₃⁽²⁾ of sample 3. The loss is `E`,
a sample's own loss `E_s2`, and without the penalties `E_data`. Underscores keep two-digit
indices apart: `w1_12_3`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from visualizer.core.expr import Deriv, Style, Sym
from visualizer.network.trace import Trace
from visualizer.render.explain import PHASES, Options, build_document
from visualizer.render.explain.document import Equation
from visualizer.style import DEFAULT_DIGITS, format_number

EVERY = 10**9  # Options.layout: every neuron and weight written out

# what a derivative's symbol makes of a key: ∂E/∂a → dE_da; a symbol's base → its key's name
_DERIVATIVES = {"a": "dE_da", "w": "dE_dw", "b": "dE_db"}
_SYMBOLS = {"z": "z", "a": "a", "δ": "delta"}
_UPDATED = {"w": "new_w", "b": "new_b"}  # a parameter on the left of "←"
NAMES = ("z", "a", "E", "dE_da", "delta", "dE_dw", "dE_db", "new_w", "new_b")


@dataclass(frozen=True)
class Quantity:
    """One number of the step: its key, what it is (name, layer, neuron j, input k, sample; the
    indices from 1, None where they do not apply), its phase, how explain names it (text and
    LaTeX), the Trace's value and the significant figures an answer is given in."""

    key: str
    name: str  # one of NAMES, or "E_data"
    layer: int | None
    j: int | None
    k: int | None
    sample: int | None
    phase: str
    text: str
    latex: str
    value: float
    digits: int

    @property
    def shown(self) -> str:
        """The value as an answer gives it: `digits` significant figures, trailing zeros kept
        (0.009700), ASCII minus; a valid TOML number."""
        return format_number(self.value, self.digits, zeros=True)


def quantities(trace: Trace, ask: Iterable[str] = PHASES, precision: int = DEFAULT_DIGITS) -> list[Quantity]:
    """The quantities of the trace's first step in the phases `ask`, in the order explain writes
    them: the forward pass layer by layer, the loss, the backward pass from the output down
    (∂E/∂a, δ, then the layer's gradients), the update layer by layer."""
    return [q for q, _ in _derived(trace, ask, precision)]


def equations(trace: Trace, ask: Iterable[str] = PHASES, precision: int = DEFAULT_DIGITS) -> dict[str, Equation]:
    """Explain's equation that derives each quantity, by key: its working, with the Trace's numbers."""
    return {q.key: eq for q, eq in _derived(trace, ask, precision)}


def _derived(trace: Trace, ask: Iterable[str], precision: int) -> list[tuple[Quantity, Equation]]:
    ask = tuple(ask)
    unknown = [p for p in ask if p not in PHASES]
    if unknown:
        raise ValueError(f"unknown phase {unknown[0]!r}; phases are {', '.join(PHASES)}")
    document = build_document(trace, Options(precision=precision, samples=None, layout=EVERY))
    batch = len(trace.rows(trace.steps[0]))
    found: dict[str, tuple[Quantity, Equation]] = {}
    for section in document:
        if section.phase not in ask:
            continue
        for item in section.items:
            q = of_equation(item, section.phase, batch, precision) if isinstance(item, Equation) else None
            if q is not None and q.key not in found:
                found[q.key] = (q, item)
    return list(found.values())


def of_equation(eq: Equation, phase: str, batch: int, precision: int) -> Quantity | None:
    """The quantity an equation of explain's document derives, or None for a line that is not
    one (a sample's own gradient, an optimizer's running average, a penalty)."""
    lhs, about = eq.lhs, eq.about
    sample = eq.sample + 1 if batch > 1 and eq.sample is not None else None
    if isinstance(lhs, Deriv):
        if lhs.of != "E" or lhs.wrt.base not in _DERIVATIVES:
            return None
        name, symbol = _DERIVATIVES[lhs.wrt.base], dataclasses.replace(lhs, wrt=_with_sample(lhs.wrt, sample))
    elif isinstance(lhs, Sym) and eq.arrow == "←":
        if lhs.base not in _UPDATED:
            return None
        name, symbol = _UPDATED[lhs.base], lhs
    elif isinstance(lhs, Sym) and lhs.base in _SYMBOLS:
        name, symbol = _SYMBOLS[lhs.base], _with_sample(lhs, sample)
    elif isinstance(lhs, Sym) and lhs.base in ("E", "E_data") and about == ("loss",):
        own = bool(lhs.indices)  # Eₛ: one sample's loss in a batch
        key = lhs.base + (f"_s{lhs.indices[0]}" if own else "")
        text, latex = lhs.render(Style("text")), lhs.render(Style("latex"))
        return Quantity(
            key, lhs.base, None, None, None, lhs.indices[0] if own else None, phase, text, latex, eq.result, precision
        )
    else:
        return None
    l, j, *k = about[1:]
    indices = [l, j + 1] + [i + 1 for i in k]
    key = name + "_".join(map(str, indices)) + (f"_s{sample}" if sample else "")
    text, latex = symbol.render(Style("text")), symbol.render(Style("latex"))
    if name.startswith("new_"):
        text, latex = f"new {text}", rf"\text{{new }} {latex}"
    return Quantity(key, name, l, j + 1, k[0] + 1 if k else None, sample, phase, text, latex, eq.result, precision)


def _with_sample(symbol: Sym, sample: int | None) -> Sym:
    """The symbol with its sample's index (z₁,₂⁽¹⁾: sample 2), as explain writes a batch's sums."""
    return symbol if sample is None else dataclasses.replace(symbol, sample=sample)
