"""How the picture looks at each step and phase: each circle's number and colour, each edge's.

Circles hold the activation a in the forward and loss phases and the error signal δ = ∂E/∂z in
the backward and update phases (the input layer has no δ: its circles keep x, uncoloured);
edges are coloured by the weight w, then by its gradient ∂E/∂w, then by its change Δw. Each
quantity has one fixed scale over every step (the largest |value| of the run at the map's
ends), so a colour means the same number whichever step is shown. The colours are the
project's one signed map (style.signed_color), computed here so the page only paints them.
"""

from __future__ import annotations

import numpy as np

from visualizer.network.trace import Step, Trace
from visualizer.style import format_display, signed_colors, text_color

from ..layout import symmetric_limit

# what circles and edges show in each phase: (circles, edges)
SHOWN = {"forward": ("a", "w"), "loss": ("a", "w"), "backward": ("delta", "grad"), "update": ("delta", "change")}
CAPTIONS = {
    "a": "circles: activation a (the input x at the left)",
    "delta": "circles: error signal δ = ∂E/∂z (the input has none)",
    "w": "edges: weight w",
    "grad": "edges: gradient ∂E/∂w",
    "change": "edges: change Δw of the update",
}
BLANK = "#ffffff"  # a circle with nothing on the scale to show (the input's in the backward phases)
WIDTH = (0.02, 0.12)  # an edge's stroke, in neuron spacings: at zero, and at the scale's end


def circle_values(trace: Trace, step: Step, quantity: str, l: int) -> np.ndarray | None:
    """a or δ of layer l for every sample of the step's batch (batch × neurons); the input's x
    for a, None for δ."""
    if l == 0:
        return trace.input_of(step) if quantity == "a" else None
    return step.layers[l - 1].a if quantity == "a" else step.layers[l - 1].delta


def edge_values(step: Step, quantity: str, l: int) -> np.ndarray:
    layer = step.layers[l - 1]
    return {"w": layer.W, "grad": layer.grad_W, "change": layer.change_W}[quantity]


def limits(trace: Trace) -> dict[str, float]:
    """The largest |value| of each quantity over the whole run: the ends of its colour scale."""
    L = len(trace.network.sizes) - 1
    result = {}
    for quantity in ("a", "delta"):
        arrays = [circle_values(trace, s, quantity, l) for s in trace.steps for l in range(L + 1)]
        result[quantity] = symmetric_limit(np.concatenate([a.ravel() for a in arrays if a is not None]))
    for quantity in ("w", "grad", "change"):
        result[quantity] = symmetric_limit(
            np.concatenate([edge_values(s, quantity, l).ravel() for s in trace.steps for l in range(1, L + 1)])
        )
    return result


def circles(trace: Trace, step: Step, quantity: str, nodes: list[tuple], samples: int, limit: float, digits: int):
    """For each sample written out, each node of the picture: [number, fill, ink], or None for an
    ellipsis node. `nodes`: the layout's (layer, index) in the page's order."""
    values = {l: circle_values(trace, step, quantity, l) for l in {l for l, _ in nodes}}
    coloured = [values[l][s, j] for s in range(samples) for l, j in nodes if j is not None and values[l] is not None]
    fills = iter(signed_colors(coloured, limit))  # the map looked up once, in the order used below
    out = []
    for s in range(samples):
        row = []
        for l, j in nodes:
            if j is None:
                row.append(None)
            elif values[l] is None:  # the input in the backward phases: x, uncoloured
                row.append([format_display(float(trace.input_of(step)[s, j]), digits), BLANK, "black"])
            else:
                row.append(_look(float(values[l][s, j]), next(fills), digits))
        out.append(row)
    return out


def edges(step: Step, quantity: str, pairs: list[tuple], limit: float, digits: int) -> list[list]:
    """For each edge of the picture ((l, j, k): wⱼₖ⁽ˡ⁾): [number, colour, stroke width]."""
    values = [float(edge_values(step, quantity, l)[j, k]) for l, j, k in pairs]
    colors = signed_colors(values, limit)
    return [
        [format_display(v, digits), c, round(WIDTH[0] + (WIDTH[1] - WIDTH[0]) * min(1.0, abs(v) / limit), 4)]
        for v, c in zip(values, colors)
    ]


def scale(quantity: str, limit: float, digits: int, stops: int = 11) -> dict:
    """The legend of a quantity's scale: its colours from −limit to +limit, and its ends' numbers."""
    values = np.linspace(-limit, limit, stops)
    return {
        "colors": signed_colors(values, limit),
        "low": format_display(-limit, digits),
        "high": format_display(limit, digits),
        "caption": CAPTIONS[quantity],
    }


def _look(value: float, fill: str, digits: int) -> list:
    fill = fill if np.isfinite(value) else BLANK
    return [format_display(value, digits), fill, text_color(fill)]
