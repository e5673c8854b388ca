"""The network as a manim mobject, drawn from the shared layout (visualizer.render.layout).

One circle per shown neuron and one line per shown weight, at the layout's positions scaled to
the space a beat gives it; colours from the shared signed colour map on one scale for the whole
video (visualizer.render.video.scales), numbers from the shared formatter at one precision. The
mobject keeps dictionaries from layout nodes and edges to their circles, lines and labels, so
scenes can animate exactly the part of the network a story beat is about.

Small networks show every number inside the circles. In larger ones (a layer of more than
SMALL_LAYER neurons) the numbers would be too small to read, so they show colours everywhere and
numbers only where a beat focuses, as tags beside the neurons and edges it is about. Every
number is drawn at least MIN_TEXT_SIZE, whatever the scale the network is drawn at.
"""

from __future__ import annotations

import numpy as np
from manim import (
    BLACK,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    BackgroundRectangle,
    Circle,
    Line,
    ManimColor,
    MathTex,
    Text,
    VGroup,
    interpolate_color,
)

from visualizer.network.trace import Trace
from visualizer.render.explain.notation import y_
from visualizer.render.layout import edge_label_share, neuron_graph
from visualizer.style import format_display, signed_color

from .frame import MIN_TEX_SIZE, MIN_TEXT_SIZE, SAFE_X, inside_safe_area
from .picture import has_picture, thumbnail
from .scales import activation_limit, delta_limit, weight_limit

SMALL_LAYER = 3  # networks whose layers all have at most this many neurons show every number
NOTE_GREY = "#555555"  # notes such as "⋮ 12 more": quieter than the numbers, still readable
NUMBER_SIZE = MIN_TEXT_SIZE + 1
NAME_SIZE = 44  # a column's name (x, a⁽¹⁾, δ⁽²⁾): its superscript must be readable too  # a number in a circle or on a tag, as drawn
FILL_OPACITY = 0.45  # light enough for a black number on the darkest fill
SPACING = 1.7  # between neighbouring neurons of a layer, in frame units, before fitting
THUMBNAIL = 2.0  # the input's picture beside the input column, in neuron spacings


def number_text(value: float, digits: int, *, given: bool = False, color=BLACK) -> Text:
    """A number as the network shows it: computed values keep trailing zeros (their last digit
    says how precise they are); given ones (inputs, targets) look as they were typed."""
    return Text(format_display(value, digits, zeros=not given), font_size=NUMBER_SIZE, color=color)


def tag(text: Text) -> VGroup:
    """A number on a white card, readable on top of lines."""
    return VGroup(BackgroundRectangle(text, color=WHITE, fill_opacity=0.92, buff=0.06), text)


class NetworkMobject(VGroup):
    def __init__(
        self,
        trace: Trace,
        *,
        step: int = 0,
        max_neurons: int = 8,
        values: bool | None = True,
        digits: int = 4,
        names: bool = True,
        radius: float | None = None,
        **kwargs,
    ):
        """`values`: each neuron's a as its circle's colour and as the number inside it (True);
        the number only if every number fits (None); only the inputs' (a forward pass fills the
        rest, "inputs"); white circles (False). `radius`: the circles' (a
        later step drawn over an earlier one keeps its size).
        `digits`: the precision of every number on the network (one per screen)."""
        super().__init__(**kwargs)
        self.trace, self.digits = trace, digits
        self.graph = G = neuron_graph(trace, step=step, max_neurons=max_neurons)
        self.layers = len(G.graph["sizes"])
        self.every_number = max(G.graph["sizes"]) <= SMALL_LAYER
        # which circles are filled with their a's colour, and which of those also show the number
        filled = values is not False
        only_inputs = values == "inputs"
        labelled = self.every_number if values in (None, "inputs") else bool(values)
        # the widest number a circle will hold: any a or δ it shows
        shown = [d[k] for _, d in G.nodes(data=True) if d["kind"] != "ellipsis" for k in ("a", "delta") if k in d]
        widest = max([number_text(v, digits, given=False).width for v in shown] + [0.6])
        # circles that hold a number are as wide as it; the others stay small
        self.radius = radius or (widest / 2 + 0.14 if self.every_number else 0.36)
        gap = max(SPACING, 2 * self.radius + 0.35)
        xs = [d["pos"][0] for _, d in G.nodes(data=True)]
        middle = (max(xs) + min(xs)) / 2
        # columns close enough that a 3-layer net fits beside the equations unscaled (its numbers
        # and circles at their readable size)
        column = 2.25 if self.every_number else 2.6

        def place(node):
            x, y = G.nodes[node]["pos"]
            return np.array([(x - middle) / 3.0 * column, y * gap, 0.0])

        self.place = place
        self.weight_limit = weight_limit(trace)
        self.edges: dict = {}
        for u, v, d in G.edges(data=True):
            self.edges[(u, v)] = self.weight_line(place(u), place(v), d["w"])
        self.neurons: dict = {}
        self.cards: list = []  # the cards placed beside neurons and on edges, which a new one avoids
        self.values: dict = {}
        self.ellipses: dict = {}
        for node, d in G.nodes(data=True):
            if d["kind"] == "ellipsis":
                note = Text(f"⋮ {d['hidden']} more", font_size=MIN_TEXT_SIZE, color=NOTE_GREY)
                self.ellipses[node] = note.move_to(place(node))
                continue
            circle = Circle(radius=self.radius, color=BLACK, stroke_width=2, fill_color=WHITE, fill_opacity=1)
            self.neurons[node] = circle.move_to(place(node))
            if filled and (not only_inputs or node[0] == 0):  # a (x for the input layer)
                circle.set_fill(self.fill(node, d["a"], "a"), opacity=1)
                if labelled:
                    self.values[node] = self.label(node, d["a"])
        self.names = VGroup(*(self.layer_name(layer) for layer in range(self.layers))) if names else VGroup()
        # where the input is a data set's picture, the picture itself beside the column it became
        self.thumbnail = VGroup()
        if has_picture(trace):
            placed = [*self.neurons.items(), *self.ellipses.items()]
            inputs = VGroup(*(mob for key, mob in placed if key[0] == 0))
            self.thumbnail = thumbnail(trace, THUMBNAIL * gap).next_to(inputs, LEFT, buff=0.5 * gap)
        self.add(
            VGroup(*self.edges.values()),
            VGroup(*self.neurons.values()),
            VGroup(*self.values.values()),
            VGroup(*self.ellipses.values()),
            self.names,
            self.thumbnail,
        )

    # what things look like ------------------------------------------------------------------

    def weight_line(self, start, end, w: float, scale: float = 1.0) -> Line:
        """A weight: its colour and thickness on the video's one weight scale."""
        limit = self.weight_limit
        return Line(
            start,
            end,
            buff=self.radius * scale,
            stroke_width=1.5 + 6 * abs(w) / limit,
            color=signed_color(w, limit),
        )

    def fill(self, node, value: float, kind: str) -> str:
        """A neuron's fill for its a (on its activation's fixed scale) or its δ (the step's)."""
        limit = activation_limit(self.trace, node[0]) if kind == "a" else delta_limit(self.trace)
        # mixed with white: a light tint, so the black number in the circle stays readable
        return interpolate_color(ManimColor(WHITE), ManimColor(signed_color(value, limit)), FILL_OPACITY).to_hex()

    def scale_now(self) -> float:
        """How much the network has been scaled since it was built (its circles may have kept
        their size: the edges say)."""
        u, v = next(iter(self.graph.edges))
        if u not in self.neurons or v not in self.neurons:  # still being built
            return 1.0
        built = np.linalg.norm(self.place(u) - self.place(v))
        return float(np.linalg.norm(self.neurons[u].get_center() - self.neurons[v].get_center()) / built)

    def label(self, node, value: float) -> Text:
        """A number inside a neuron's circle, at the network's precision, kept readable: it is
        drawn at NUMBER_SIZE whatever the scale (the circles were made to hold it)."""
        given = node[0] == 0  # the inputs are given numbers
        text = number_text(value, self.digits, given=given)
        return text.scale(max(1.0, self.scale_now())).move_to(self.neurons[node])

    def layer_name(self, layer: int) -> MathTex:
        """Under each column: x for the inputs, a⁽ˡ⁾ for a hidden layer, ŷ = a⁽ᴸ⁾ for the outputs."""
        last = self.layers - 1
        name = "x" if layer == 0 else (rf"\hat y = a^{{({layer})}}" if layer == last else rf"a^{{({layer})}}")
        bottom = min(n.get_bottom()[1] for key, n in self.neurons.items() if key[0] == layer)
        column = next(n for key, n in self.neurons.items() if key[0] == layer)
        text = MathTex(name, font_size=NAME_SIZE, color=NOTE_GREY)
        return text.next_to([column.get_center()[0], bottom, 0], DOWN, buff=0.2)

    def holding(self, layer: int, kind: str) -> MathTex:
        """The column's name, saying what its circles hold now: a⁽ˡ⁾ or δ⁽ˡ⁾."""
        symbol = r"\delta" if kind == "delta" else "a"
        name = rf"{symbol}^{{({layer})}}"
        if layer == self.layers - 1 and kind != "delta":
            name = rf"\hat y = a^{{({layer})}}"
        text = MathTex(name, font_size=NAME_SIZE, color=NOTE_GREY)
        return text.scale(self.scale_now()).move_to(self.names[layer]).align_to(self.names[layer], UP)

    def fit(self, width: float, height: float, most: float = 1.6):
        """As large as fits in width × height (at most `most` times as built); numbers are drawn
        at their own readable size whatever the scale."""
        scale = min(most, width / self.width, height / self.height)
        self.scale(scale)
        for _ in range(4):  # the circles keep the size that holds their numbers; the spacing gives way
            if not self.every_number or scale >= 1:
                break
            for circle in self.neurons.values():
                circle.scale_to_fit_width(max(circle.width, 2 * self.radius))
            over = max(self.width / width, self.height / height)
            if over <= 1 + 1e-9:
                break
            self.scale(1 / over)
        scale = self.scale_now()
        # numbers and names are redrawn at their readable size after scaling
        for node, text in self.values.items():
            text.scale_to_fit_height(self.label(node, self.graph.nodes[node]["a"]).height * max(1.0, scale))
            text.move_to(self.neurons[node])
        return self

    # tags -------------------------------------------------------------------------------

    def neuron_tag(self, node, value: float, color=BLACK) -> VGroup:
        """`value` beside a neuron: to the right of an output neuron (the outputs' column has
        room there), above any other (its row's neighbours are below)."""
        side = RIGHT if node[0] == self.layers - 1 else UP
        text = number_text(value, self.digits, color=color).scale(max(1.0, self.scale_now()))
        circle = self.neurons[node]
        card = tag(text).next_to(circle, side, buff=0.12)
        starts = [card.get_center()]
        if side is UP:  # above and to the right: the edge coming in from the left keeps room for its own card
            starts = [
                card.align_to(circle.get_center(), LEFT).get_center(),
                card.align_to(circle.get_center(), RIGHT).get_center(),
            ]
        # clear of the other cards (and circles): further up where the first spots are taken
        ceiling = max(c.get_top()[1] for c in self.neurons.values()) + 2 * card.height + 0.3
        spot = next(
            (
                start + UP * lift
                for lift in np.arange(0.0, 1.6, 0.08)
                for start in starts
                if not self._crowded(card.move_to(start + UP * lift)) and card.get_top()[1] <= ceiling
            ),
            starts[0],
        )
        card.move_to(spot)
        self.cards.append(card)
        return card

    def target_tag(self, node) -> VGroup:
        """The output's target y beside it (a given number)."""
        target = self.graph.nodes[node]["target"]
        text = MathTex(
            rf"{y_(node[1] + 1).latex()} = {format_display(target, self.digits)}", font_size=MIN_TEX_SIZE + 2
        )
        return text.next_to(self.neurons[node], RIGHT, buff=0.25)

    def edge_tag(self, edge, value: float, color=BLACK, share: float | None = None) -> VGroup:
        """`value` just above its edge (never on it, where it would read as struck through), where
        the diagrams put it unless `share` (0 at the source, 1 at the target) says."""
        first = edge_label_share(self.graph, edge[0]) if share is None else share
        line = self.edges[edge]
        card = tag(number_text(value, self.digits, color=color).scale(max(1.0, self.scale_now())))
        angle = line.get_angle()
        normal = np.array([-np.sin(angle), np.cos(angle), 0.0])
        if normal[1] < 0:
            normal = -normal
        # the card's corner nearest the line sits just off it
        reach = abs(normal[0]) * card.width / 2 + abs(normal[1]) * card.height / 2 + 0.04
        # where it covers no circle and no other card: along the edge first, then further up,
        # but never far above the network (the title is there)
        ceiling = max(c.get_top()[1] for c in self.neurons.values()) + 2 * card.height + 0.3
        for lift in np.arange(0.0, 2.4, 0.08):
            for at in (first, first - 0.15, first + 0.15, first - 0.3, first + 0.3):
                card.move_to(line.point_from_proportion(min(0.9, max(0.1, at))) + normal * (reach + lift))
                if card.get_top()[1] <= ceiling and not self._crowded(card):
                    self.cards.append(card)
                    return card
        card.move_to(line.point_from_proportion(first) + normal * reach)
        while any(self._covers(card, c) for c in self.neurons.values()) and card.get_top()[1] < ceiling:
            card.shift(normal * 0.08)
        card.shift(RIGHT * max(0.0, -SAFE_X - card.get_left()[0]))  # never past the frame's safe edge
        self.cards.append(card)
        return card

    def _crowded(self, card) -> bool:
        if not inside_safe_area(card):
            return True
        if any(self._covers(card, circle) for circle in self.neurons.values()):
            return True
        return any(_overlap(card, other) for other in self.cards)

    @staticmethod
    def _covers(card, circle) -> bool:
        """Whether the card's rectangle reaches into the circle."""
        centre, r = circle.get_center(), circle.width / 2
        nearest = np.clip(
            centre[:2], [card.get_left()[0], card.get_bottom()[1]], [card.get_right()[0], card.get_top()[1]]
        )
        return float(np.linalg.norm(nearest - centre[:2])) < r - 0.02


def _overlap(a, b, gap: float = 0.03) -> bool:
    """Whether two mobjects' boxes overlap (or come closer than `gap`)."""
    return not (
        a.get_right()[0] + gap < b.get_left()[0]
        or b.get_right()[0] + gap < a.get_left()[0]
        or a.get_top()[1] + gap < b.get_bottom()[1]
        or b.get_top()[1] + gap < a.get_bottom()[1]
    )
