"""The moves the beats are told with, on a NetworkMobject and a Board: a result flying from its
equation into the neuron or onto the edge it belongs to, factors lit on the network while they
are written, a neuron's circle switching from its a to its δ (and its column saying so).

Scenes call these; every number they place is the equation's own result part or a number of
the Trace at the network's precision, never recomputed."""

from __future__ import annotations

from manim import (
    AnimationGroup,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    Line,
    ShowPassingFlash,
    Succession,
    Transform,
    TransformFromCopy,
)

from visualizer.style import PHASE_COLORS

from .network_mobject import NetworkMobject

# a colour for each term of a sum, lit on the network as the term is written (Paul Tol's
# vibrant scheme, without its orange, red and teal: the signed map's and the backward phase's
# hues; then grey)
TERM_COLORS = ("#0077BB", "#EE3377", "#33BBEE", "#555555")
HOLDS = {"a": "a", "delta": "δ"}


def build_network(net: NetworkMobject):
    """The wiring first, then the neurons, then the input values and the layers' names (and the
    input's picture, where it is one)."""
    inputs = [label for node, label in net.values.items() if node[0] == 0]
    return Succession(
        LaggedStart(*(Create(line) for line in net.edges.values()), lag_ratio=0.02, run_time=1.2),
        AnimationGroup(*(Create(c) for c in net.neurons.values()), *(FadeIn(e) for e in net.ellipses.values())),
        AnimationGroup(*(FadeIn(label) for label in inputs), FadeIn(net.names), FadeIn(net.thumbnail)),
    )


def flow(net: NetworkMobject, layer: int, phase: str):
    """Signals along the weights into `layer` (forward) or out of it, backwards (backward)."""
    color = PHASE_COLORS[phase]
    if phase == "forward":
        lines = [line.copy() for (_, v), line in net.edges.items() if v[0] == layer]
    else:
        lines = [Line(line.get_end(), line.get_start()) for (u, _), line in net.edges.items() if u[0] == layer]
    return AnimationGroup(
        *(ShowPassingFlash(line.set_color(color).set_stroke(width=7), time_width=0.6) for line in lines),
        run_time=1.2,
    )


def fill_layer(net: NetworkMobject, layer: int):
    """The neurons of `layer` fill with their activation: colour on the activation's fixed scale,
    the number where every number fits."""
    G = net.graph
    moves = []
    for node in (n for n in net.neurons if n[0] == layer):
        moves.append(net.neurons[node].animate.set_fill(net.fill(node, G.nodes[node]["a"], "a"), opacity=1))
        if net.every_number:
            net.values[node] = net.label(node, G.nodes[node]["a"])
            moves.append(FadeIn(net.values[node]))
    return AnimationGroup(*moves, run_time=0.8)


def ring(net: NetworkMobject, node) -> Circle:
    """A ring around the neuron the story is about."""
    circle = Circle(radius=net.neurons[node].width / 2 + 0.1, color=PHASE_COLORS["backward"], stroke_width=7)
    return circle.move_to(net.neurons[node])


def into_neuron(net: NetworkMobject, node, result, value: float, kind: str = "delta") -> list:
    """The equation's result flies into its neuron, which now holds it (its a fades, the circle
    takes the δ's colour); where numbers do not fit in circles, it lands on a tag beside it."""
    moves = [net.neurons[node].animate.set_fill(net.fill(node, value, kind), opacity=1)]
    if net.every_number:
        label = net.label(node, value)
        if node in net.values:
            moves.append(FadeOut(net.values[node]))
        net.values[node] = label
    else:
        label = net.neuron_tag(node, value, PHASE_COLORS["backward"])
        net.tags = getattr(net, "tags", []) + [label]
    moves.append(TransformFromCopy(result, label))
    return moves


def fill_deltas(net: NetworkMobject, nodes) -> list:
    """δ into neurons whose working the board did not show: colour only (numbers belong to
    results derived on screen)."""
    moves = []
    for node in nodes:
        moves.append(net.neurons[node].animate.set_fill(net.fill(node, net.graph.nodes[node]["delta"], "delta")))
        if node in net.values:
            moves.append(FadeOut(net.values.pop(node)))
    return moves


def column_holds(net: NetworkMobject, layer: int, kind: str):
    """The column's name changes to what its circles hold now."""
    return Transform(net.names[layer], net.holding(layer, kind))


def onto_edge(net: NetworkMobject, edge, result, value: float, color) -> tuple:
    """The result flies onto its edge, on a card just above it. Returns (card, animation)."""
    card = net.edge_tag(edge, value, color, share=0.45)  # mid-edge: clear of the circles and their rings
    return card, TransformFromCopy(result, card)


def light(*mobs, color=PHASE_COLORS["backward"]) -> list:
    """The factors being written, lit where they live on the network."""
    return [Indicate(m, color=color, scale_factor=1.15) for m in mobs if m is not None]


def weight_moves(net: NetworkMobject):
    """Every weight takes its new value at once: colour and thickness on the video's one scale."""
    moves = []
    for (u, v), line in net.edges.items():
        target = net.weight_line(line.get_start(), line.get_end(), net.graph.edges[u, v]["w_new"])
        moves.append(line.animate.set_stroke(color=target.get_stroke_color(), width=target.get_stroke_width()))
    return AnimationGroup(*moves, run_time=2)
