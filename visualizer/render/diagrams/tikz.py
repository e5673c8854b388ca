"""The neuron graph as a TikZ picture, to paste into a LaTeX document or beamer slide.

Needs `\\usepackage{tikz}`. Positions, values and colours are those of the PNG/SVG/PDF
diagrams: the same layout and the same signed colour map.
"""

from __future__ import annotations

from visualizer.core.expr import Sym
from visualizer.network.trace import Trace
from visualizer.render.layout import LABELLED_EDGES, neuron_graph, symmetric_limit
from visualizer.style import format_number, signed_color
from visualizer.texify import latex_text

from .network import KINDS


def _color(name: str, value: float, limit: float) -> str:
    """A TikZ colour for a signed value, from the shared colour map."""
    return f"\\definecolor{{{name}}}{{HTML}}{{{signed_color(value, limit)[1:].upper()}}}"


def _number(value: float) -> str:
    return format_number(value, 3)


def tikz_network(trace: Trace, kind: str, *, step: int = 0) -> str:
    edge_key, node_key, subtitle = KINDS[kind]
    G = neuron_graph(trace, step=step)
    edges = list(G.edges(data=True))
    limit = symmetric_limit([d[edge_key] for *_, d in edges])
    node_limit = symmetric_limit([d[node_key] for _, d in G.nodes(data=True) if node_key and node_key in d])
    names = {node: f"n{l}x{'e' if j is None else j}" for node in G for l, j in [node]}
    colors, body = [], []
    for node, d in G.nodes(data=True):
        x, y = d["pos"]
        if d["kind"] == "ellipsis":
            body.append(
                f"\\node[font=\\scriptsize] ({names[node]}) at ({x:.3f},{y:.3f}) {{$\\vdots$ {d['hidden']} more}};"
            )
            continue
        value = d.get(node_key) if node_key else None
        fill = "white"
        if value is not None:
            fill = f"fill{names[node]}"
            colors.append(_color(fill, value, node_limit))
        text = f"${_number(value)}$" if value is not None else ""
        l, j = node
        symbol = Sym("x", (j + 1,)) if l == 0 else Sym("a", (j + 1,), l)
        body.append(f"\\node[neuron, fill={fill}] ({names[node]}) at ({x:.3f},{y:.3f}) {{{text}}};")
        body.append(f"\\node[anchor=south, font=\\scriptsize] at ({names[node]}.north) {{${symbol.latex()}$}};")
    for i, (u, v, d) in enumerate(edges):
        value = d[edge_key]
        colors.append(_color(f"edge{i}", value, limit))
        width = 0.4 + 2.0 * abs(value) / limit
        label = ""
        if sum(1 for *_, e in edges if e["layer"] == d["layer"]) <= LABELLED_EDGES:
            shown = f"{_number(d['w'])}\\to{_number(d['w_new'])}" if kind == "update" else _number(value)
            label = f" node[pos=0.62, fill=white, text=black, inner sep=1pt, font=\\tiny] {{${shown}$}}"
        # a thin grey line under each edge keeps the wiring visible where a value is near zero
        body.append(f"\\draw[black!25, line width=0.3pt] ({names[u]}) -- ({names[v]});")
        body.append(f"\\draw[color=edge{i}, line width={width:.2f}pt] ({names[u]}) --{label} ({names[v]});")
    title = f"{trace.network.name}, step {G.graph['step']}: {subtitle}"
    top = max(d["pos"][1] for _, d in G.nodes(data=True)) + 1.0
    return "\n".join(
        [
            f"% {title}",
            *colors,
            "\\begin{tikzpicture}[x=1.3cm, y=1.7cm, neuron/.style={circle, draw, minimum size=8mm, inner sep=0pt, "
            "font=\\scriptsize}]",
            *body,
            f"\\node[font=\\small\\bfseries] at ({(len(G.graph['sizes']) - 1) * 1.5:.2f},{top:.2f}) "
            f"{{{latex_text(title)}}};",
            "\\end{tikzpicture}",
            "",
        ]
    )
