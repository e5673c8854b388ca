"""The network pictures (forward, backward, update) as TikZ, for LaTeX documents and beamer slides.

`tikz_network(trace, kind)` is a whole document: `pdflatex` compiles it as it is (the standalone
class, cropped to the picture). With `fragment=True` it is the tikzpicture alone, for `\\input`
into a document or a beamer frame whose preamble has `PREAMBLE` (`\\usepackage{tikz}` and
`\\usetikzlibrary{arrows.meta}`); its colours are defined inside the picture, so nothing leaks
into, or is needed from, the document around it.

The picture is that of the PNG/SVG/PDF diagrams: the shared layout (`layout.neuron_graph`, edge
labels at `layout.edge_label_share` along their edge), the shared signed colour map with its
colour bar, numbers from the shared formatter at the spec's precision, and each number in black
or white, whichever contrasts more with its fill (`style.text_color`). Sizes and spacing grow
with the numbers (`tikz_geometry.py`), so nine digits fit in their circles and edge labels of
crossing edges do not stack.
"""

from __future__ import annotations

from visualizer.core.expr import Style, Sym
from visualizer.functions.dropout import keep_scale
from visualizer.network.trace import Trace
from visualizer.render.layout import LABELLED_EDGES, symmetric_limit
from visualizer.style import DEFAULT_DIGITS, PHASE_COLORS, signed_color, signed_colors, text_color
from visualizer.texify import latex_text

from .network import KINDS
from .sample import network_graph, sample_view
from .tikz_geometry import Geometry, colour_bar_ticks, text_width
from .tikz_sample import SamplePicture

PREAMBLE = "\\usepackage{tikz}\n\\usetikzlibrary{arrows.meta}"
# the backward pass: the error flows from each edge's target back to its source; the head is
# outlined, so that it shows on an edge whose colour is near white (a gradient near zero)
ARROW = "-{{Stealth[length={size:.1f}mm, width={width:.1f}mm, round, color=black!45, fill={fill}, line width=0.4pt]}}"
# type sizes in points, whatever the document's: the layout (tikz_geometry) is measured for them
SIZE7, SIZE8, SIZE9, SIZE10 = (f"\\fontsize{{{pt}}}{{{round(pt * 1.2, 1)}}}\\selectfont" for pt in (7, 8, 9, 10))
CROWDED = 20  # edges between two layers above which their arrowheads become one arrow under the layers
NEWLINE = "\\\\"  # between the lines of a node's text
SUBTITLES = {  # the matplotlib subtitles (network.KINDS), in LaTeX; "given" is the worksheet's picture
    "forward": r"forward pass: $a = f(\sum w\,a_{\mathrm{prev}} + b)$",
    "backward": r"backward pass: $\delta = \partial E/\partial z$, $\partial E/\partial w = \delta\,a_{\mathrm{prev}}$",
    "update": r"update: $w \leftarrow w - \eta\,\partial E/\partial w$",
    "given": r"weights $w$ on the edges, biases $b$ in the neurons, input $x$ and target $y$",
}
BAR_LABELS = {
    "forward": r"weight $w$",
    "backward": r"$\partial E/\partial z$ (neurons) and $\partial E/\partial w$ (edges)",
    "update": r"$\Delta w = w_{\mathrm{new}} - w$",
    "given": r"weight $w$",
}
# what each kind writes on the edges and in the neurons (network.KINDS); "given": the numbers a
# worksheet gives, nothing computed (the inputs in their neurons, each other neuron's bias)
KEYS = {kind: keys[:2] for kind, keys in KINDS.items()} | {"given": ("w", None)}


def tikz_network(
    trace: Trace, kind: str, *, step: int = 0, precision: int | None = None, fragment: bool = False
) -> str:
    """The `kind` picture (forward, backward, update, or given: the network with only the
    numbers a worksheet gives) of step `step` at `precision` significant figures, as a standalone
    document or, with `fragment`, the tikzpicture alone. The command line passes the spec's
    precision (or --precision); None is the default (4), as the Trace does not record the digits
    shown (a Trace that did, as `network.precision`, would be honoured)."""
    digits = precision or getattr(trace.network, "precision", None) or DEFAULT_DIGITS
    picture = _picture(trace, kind, step, digits)
    title = f"% backprop diagram: {trace.network.name}, {kind}, step {trace.steps[step].index}"
    if fragment:
        needs = PREAMBLE.replace("\n", " ")
        return (
            f"{title}\n% \\input this into a document or beamer frame whose preamble has: {needs}\n"
            "% (to fit a frame: \\resizebox{\\linewidth}{!}{\\input{this-file}})\n" + picture
        )
    return "\n".join(
        [
            title,
            "% Compiles as it is (pdflatex); `backprop diagram --fragment` writes the picture alone for \\input.",
            "\\documentclass[border=6pt]{standalone}",
            PREAMBLE,
            "\\begin{document}",
            picture.rstrip("\n"),
            "\\end{document}",
            "",
        ]
    )


def _picture(trace: Trace, kind: str, step: int, digits: int) -> str:
    edge_key, node_key = KEYS[kind]
    G = network_graph(trace, step)
    style = Style("latex", digits)
    number = style.number  # a given number (x, w, b, y), as typed

    def computed(value: float, old: float | None = None) -> str:
        """A computed number keeps its trailing zeros, as in the PNG, explain and the video; a
        parameter the update left as it was is written as given."""
        return number(value) if value == old else style.number(value, zeros=True)

    edges = list(G.edges(data=True))
    edge_values = [d[edge_key] for *_, d in edges]
    node_values = [d[node_key] for _, d in G.nodes(data=True) if node_key and node_key in d]
    limit = symmetric_limit(edge_values + (node_values if kind == "backward" else []))
    node_limit = limit if kind == "backward" else symmetric_limit(node_values)
    per_layer = {l: sum(1 for *_, d in edges if d["layer"] == l) for l in range(1, len(G.graph["sizes"]))}
    labels = {
        (u, v): _edge_text(kind, d, number, computed) for u, v, d in edges if per_layer[d["layer"]] <= LABELLED_EDGES
    }
    inside = {  # the lines of math written in each neuron: its value; in the update, its bias old → new
        node: _inside(kind, node, d, node_key, number, computed)
        for node, d in G.nodes(data=True)
        if (node_key in d if node_key else "b" in d or kind == "given") and not (d.get("dropped") and node_key)
    }
    targets = [number(d["target"]) for _, d in G.nodes(data=True) if d["kind"] == "output"]
    beside = max((text_width(f"y = {t}") for t in targets), default=0.0) + 0.2 if kind in TARGETS else 0.0
    view = sample_view(trace, step)
    sample = None
    if view is not None:  # the image left of the inputs; the class names (and bars) in the targets' place
        outputs = [(node, d["index"], d["a"]) for node, d in G.nodes(data=True) if d["kind"] == "output"]
        sample = SamplePicture(view, kind, outputs, number, computed)
        beside = sample.width if view.names else beside
    dropped = kind != "update" and any(d.get("dropped") for _, d in G.nodes(data=True))
    geo = Geometry(G, inside.values(), labels, beside=beside, below=dropped)
    names = {(l, j): f"n{l}x{'e' if j is None else j}" for l, j in G}

    colors = [f"\\definecolor{{bp{name.title()}}}{{HTML}}{{{PHASE_COLORS[name][1:].upper()}}}" for name in PHASE_COLORS]
    back, lines, nodes, notes, texts = [], [], [], [], []
    edge_colors = signed_colors(edge_values, limit)  # the map looked up once (style.signed_colors)
    for i, (u, v, d) in enumerate(edges):
        colors.append(_define(f"bpEdge{i}", edge_colors[i]))
        width = 0.5 + 2.5 * abs(d[edge_key]) / limit
        # a thin grey line under each edge keeps the wiring visible where a value is near zero
        back.append(f"\\draw[black!22, line width=0.4pt] ({names[u]}) -- ({names[v]});")
        if kind == "backward":  # drawn from the target back to the source: the arrowhead at the source
            head = f", {arrow(f'bpEdge{i}', per_layer[d['layer']])}" if per_layer[d["layer"]] <= CROWDED else ""
            lines.append(f"\\draw[bpEdge{i}, line width={width:.2f}pt{head}] ({names[v]}) -- ({names[u]});")
        else:
            lines.append(f"\\draw[bpEdge{i}, line width={width:.2f}pt] ({names[u]}) -- ({names[v]});")
        if (u, v) in labels:
            x, y, angle = geo.label_at(u, v)
            texts.append(f"\\node[edge value, rotate={angle:.1f}] at ({x:.3f},{y:.3f}) {{${labels[u, v]}$}};")

    for node, d in G.nodes(data=True):
        x, y = geo.pos[node]
        name = names[node]
        if d["kind"] == "ellipsis":
            nodes.append(f"\\node[more] ({name}) at ({x:.3f},{y:.3f}) {{$\\vdots$\\\\{d['hidden']} more}};")
            continue
        fill, ink = "white", "black"
        if node in inside and node_key:
            fill, hexa = f"bpFill{name[1:]}", signed_color(d[node_key], node_limit)
            colors.append(_define(fill, hexa))
            ink = text_color(hexa)
        dropped = ", dropped" if d.get("dropped") else ""
        text = NEWLINE.join(f"${line}$" for line in inside.get(node, []))
        nodes.append(f"\\node[neuron{dropped}, fill={fill}, text={ink}] ({name}) at ({x:.3f},{y:.3f}) {{{text}}};")
        notes.extend(_neuron_notes(node, d, name, kind, number, named=bool(view and view.names)))
    return "\n".join(
        [
            f"\\begin{{tikzpicture}}[{_styles(geo)}]",
            *colors,
            *nodes,  # first, so that edges can end at their borders
            *back,
            *lines,
            *notes,
            *texts,
            *(sample.tikz(geo) if sample else []),
            *(_flow(G, geo, per_layer) if kind == "backward" else []),
            *_titles(trace, G, kind, geo, number, computed),
            *_colour_bar(geo, kind, limit),
            "\\end{tikzpicture}",
            "",
        ]
    )


def _flow(G, geo: Geometry, per_layer: dict) -> list[str]:
    """Under each pair of layers whose edges are too many for arrowheads, one arrow saying which
    way the error flows."""
    out = []
    y = min(y for _, y in geo.pos.values()) - geo.diameter / 2 - 0.45
    for l, count in per_layer.items():
        if count > CROWDED:
            start, end = (l * geo.layer_gap - geo.diameter / 2, (l - 1) * geo.layer_gap + geo.diameter / 2)
            out.append(
                f"\\draw[bpBackward, line width=1.2pt, -{{Stealth[length=3mm, width=2.6mm]}}] ({start:.3f},{y:.3f}) "
                f"-- ({end:.3f},{y:.3f}) node[midway, below, font={SIZE7}] {{error flows back}};"
            )
    return out


def arrow(fill: str, crowd: int) -> str:
    """An arrowhead filled with `fill`, smaller where many edges (`crowd` in the layer) meet."""
    size = 2.6 if crowd <= LABELLED_EDGES else 1.9
    return ARROW.format(size=size, width=0.85 * size, fill=fill)


def _define(name: str, hexa: str) -> str:
    return f"\\definecolor{{{name}}}{{HTML}}{{{hexa[1:].upper()}}}"


def _styles(geo: Geometry) -> str:
    return ", ".join(
        [
            f"neuron/.style={{circle, draw=black!80, line width=0.6pt, minimum size={geo.diameter:.2f}cm, "
            f"inner sep=0pt, align=center, font={SIZE7}}}",
            "dropped/.style={dashed, opacity=0.5}",
            f"edge value/.style={{fill=white, text=black, inner sep=1pt, rounded corners=1pt, font={SIZE7}}}",
            f"symbol/.style={{anchor=south, inner sep=2pt, font={SIZE8}}}",
            "note/.style={anchor=north, inner sep=1pt, fill=white, fill opacity=0.85, text opacity=1, "
            f"font={SIZE7}, text=black!75}}",
            f"more/.style={{align=center, font={SIZE7}, text=black!70}}",
        ]
    )


TARGETS = ("forward", "given")  # the kinds that write each output's target beside it


def _inside(kind: str, node, d: dict, node_key, number, computed) -> list[str]:
    if kind == "given":  # an input's value, a neuron's bias
        return [number(d["a"])] if node[0] == 0 else [f"b = {number(d['b'])}"]
    if node_key:
        return [(number if node[0] == 0 else computed)(d[node_key])]
    return [number(d["b"]), f"\\to {computed(d['b_new'], d['b'])}"]


def _edge_text(kind: str, d: dict, number, computed) -> str:
    if kind == "update":
        return f"{number(d['w'])} \\to {computed(d['w_new'], d['w'])}"
    return computed(d["grad"]) if kind == "backward" else number(d["w"])


def _neuron_notes(node, d: dict, name: str, kind: str, number, named: bool = False) -> list[str]:
    """What is written around a neuron: its symbol above; the target beside an output (forward);
    a cross and "dropped" on a neuron dropout switched off."""
    l, j = node
    if l == 0:
        symbol = Sym("x", (j + 1,))
    elif kind == "backward":
        symbol = Sym("δ", (j + 1,), l, latex_base=r"\delta")
    elif kind == "update":  # the neuron holds its bias, old → new
        symbol = Sym("b", (j + 1,), l)
    else:
        symbol = Sym("a", (j + 1,), l)
    notes = [f"\\node[symbol] at ({name}.north) {{${symbol.latex()}$}};"]
    if d["kind"] == "output" and kind in TARGETS and not named:  # named outputs: their classes say it
        notes.append(
            f"\\node[anchor=west, font={SIZE7}, text=bpLoss] at ({name}.east) {{$y = {number(d['target'])}$}};"
        )
    if d.get("dropped"):
        notes.append(
            f"\\draw[black!65, line width=1pt] ({name}.north west) -- ({name}.south east) "
            f"({name}.south west) -- ({name}.north east);"
        )
        if kind != "update":
            notes.append(f"\\node[note] at ({name}.south) {{dropped}};")
    return notes


def _titles(trace: Trace, G, kind: str, geo: Geometry, number, computed) -> list[str]:
    loss = computed(G.graph["loss"])
    after = f" \\to {computed(G.graph['loss_after'])}" if kind == "update" else ""
    batch = len(trace.rows(trace.steps[G.graph["step"] - 1]))
    sample = f" $\\cdot$ sample 1 of {batch}" if batch > 1 and kind != "update" else ""
    found = "" if kind == "given" else f" $\\cdot$ step {G.graph['step']} $\\cdot$ $E = {loss}{after}$"
    title = latex_text(trace.network.name) + found + sample
    subtitle = SUBTITLES[kind]
    p = trace.network.dropout
    if p > 0 and kind != "update":
        subtitle += (
            f" $\\cdot$ dropout $p = {number(p)}$: crossed out this step, kept ones $\\times{number(keep_scale(p))}$"
        )
    x, top = geo.middle, geo.top
    ink = "black" if kind == "given" else f"bp{kind.title()}"  # a phase's colour; the given numbers have none
    return [
        f"\\node[anchor=south, font={SIZE9}, text={ink}] (subtitle) at ({x:.3f},{top:.3f}) {{{subtitle}}};",
        f"\\node[anchor=south, font={SIZE10}\\bfseries] at (subtitle.north) {{{title}}};",
    ]


def _colour_bar(geo: Geometry, kind: str, limit: float) -> list[str]:
    """The signed colour scale as a column of small boxes, from −limit (bottom) to +limit (top),
    with round ticks and what it measures."""
    x, bottom, height = geo.bar_x, geo.bar_bottom, geo.bar_height
    steps = 40
    out = []
    shades = signed_colors([-limit + (i + 0.5) * 2 * limit / steps for i in range(steps)], limit)
    for i in range(steps):
        out.append(_define(f"bpBar{i}", shades[i]))
        y0 = bottom + i * height / steps
        out.append(f"\\fill[bpBar{i}] ({x:.3f},{y0:.3f}) rectangle ({x + 0.3:.3f},{y0 + height / steps + 0.005:.3f});")
    out.append(
        f"\\draw[black!60, line width=0.4pt] ({x:.3f},{bottom:.3f}) rectangle ({x + 0.3:.3f},{bottom + height:.3f});"
    )
    number = Style("latex", 3).number
    for tick in colour_bar_ticks(limit):
        y = bottom + (tick + limit) / (2 * limit) * height
        out.append(
            f"\\draw[black!60, line width=0.4pt] ({x + 0.3:.3f},{y:.3f}) -- ++(0.08,0) "
            f"node[anchor=west, font={SIZE7}, text=black] {{${number(tick)}$}};"
        )
    out.append(
        f"\\node[rotate=90, anchor=north, font={SIZE7}] at ({x + 0.5 + geo.tick_width:.3f},{bottom + height / 2:.3f}) "
        f"{{{BAR_LABELS[kind]}}};"
    )
    return out
