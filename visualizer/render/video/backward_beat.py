"""The backward pass beat: the derivation starting where the loss enters (∂E/∂a of an output,
δ through its activation, ∂E/∂w of a weight), then one neuron of each hidden layer (∂E/∂a as
the sum over its outgoing paths, each term lit on the network in its colour), with every
result flying into its neuron or onto its edge once derived, and the chain kept on a board
beside the network until the step is done."""

from __future__ import annotations

from manim import Create, FadeIn, Indicate, Transform, Write

from visualizer.render.explain.notation import a_, d_, w_
from visualizer.style import PHASE_COLORS, format_display, format_number

from .beat import HOLD, Beat
from .loss_pictures import draws_probabilities
from .network_mobject import NetworkMobject
from .story import TERM_COLORS, column_holds, fill_deltas, flow, into_neuron, light, onto_edge, ring

MAX_RESULTS = 12  # a layer's other gradients listed on the board; the notes have them all


class BackwardBeat(Beat):
    def construct(self):
        trace, out = self.trace, len(self.trace.network.sizes) - 1
        title = self.title()
        net = NetworkMobject(trace, values=None, digits=self.net_digits)
        board = self.beside(net, title)
        back = self.equations("backward")
        batch = len(trace.input)
        node = (out, 0)
        halo = ring(net, node)
        first = back[f"∂E/∂{a_(out, 1).text()}"]
        self.step(
            "The backward pass starts where the loss enters: at the output. How fast does E change with the "
            "output a? The derivative of the loss says." + self.sample_note(),
            [first.line("text")],
        )
        self.enter(Write(title), FadeIn(net), Create(halo))
        if batch > 1:
            board.note(f"sample 1 of {batch}")
        board.write(first)
        self.hold()
        self.chain(net, board, back, node, halo, output=True)
        for layer in range(out - 1, 0, -1):
            node = (layer, 0)
            dEda = back[f"∂E/∂{a_(layer, 1).text()}"]
            self.step(
                f"One layer back. A neuron of layer {layer} feeds every neuron of the next layer, so its ∂E/∂a sums "
                "over its outgoing paths: each path's weight times the δ at its end.",
                [dEda.line("text")],
            )
            self.play(*board.clear(), halo.animate.move_to(net.neurons[node]), flow(net, layer, "backward"))
            if batch > 1:
                board.note(f"sample 1 of {batch}")
            ends = [e for e in net.edges if e[0] == node]
            saved = {e: net.edges[e].copy() for e in ends}

            def term(segment, n, part, ends=ends):
                # each term of the sum in its own colour, and its path lit in that colour
                color = TERM_COLORS[n % len(TERM_COLORS)]
                part.set_color(color)
                if segment > 1 or n >= len(ends):
                    return []
                edge = ends[n]
                return [net.edges[edge].animate.set_stroke(color, width=9), Indicate(net.neurons[edge[1]], color=color)]

            board.write(dEda, terms=True, on_term=term)
            self.hold()
            self.play(*(Transform(net.edges[e], saved[e]) for e in ends), run_time=0.5)
            self.chain(net, board, back, node, halo, output=False)

    def chain(self, net, board, back, node, halo, output: bool):
        """δ of `node`, then the gradient of its first weight, then the rest of its layer."""
        layer = node[0]
        d_eq = back[d_(layer, 1).text()]
        self.step(
            "Through the activation: δ = ∂E/∂a · f′(z), the error at the weighted sum z."
            + (
                " With softmax and cross-entropy it comes out as a − y."
                if draws_probabilities(self.trace) and output
                else ""
            ),
            [d_eq.line("text")],
        )
        tex = board.write(d_eq)
        self.play(
            *into_neuron(net, node, tex.result, net.graph.nodes[node]["delta"]), column_holds(net, layer, "delta")
        )
        self.hold()
        edge = ((layer - 1, 0), node)
        weight = w_(layer, 1, 1).text()
        own = back.get(f"∂E₁/∂{weight}")
        mean = back[f"∂E/∂{weight}"]
        lines = [eq.line("text") for eq in (own, mean) if eq is not None]
        self.step(
            "A weight's gradient: δ at its end times the activation it carries, ∂E/∂w = δ·a."
            + (" Over a batch, each sample's gradient, then their mean." if own is not None else ""),
            lines,
        )
        source = net.values.get(edge[0]) or net.neurons[edge[0]]
        self.play(*light(source, net.edges[edge]))
        for eq in (own, mean):
            if eq is not None:
                tex = board.write(eq)
        card, move = onto_edge(net, edge, tex.result, net.graph.edges[edge]["grad"], PHASE_COLORS["backward"])
        self.play(move)
        self.hold()
        rest = [n for n in net.neurons if n[0] == layer and n != node]
        others = [back[d_(layer, n[1] + 1).text()] for n in rest if d_(layer, n[1] + 1).text() in back]
        if rest:
            self.step(
                f"The other neurons of layer {layer} the same way, each from its own ∂E/∂a.",
                [eq.line("text") for eq in others],
            )
            if net.every_number:
                self.play(*board.clear())
                for n, eq in zip(rest, others):
                    tex = board.write(eq)
                    self.play(*into_neuron(net, n, tex.result, net.graph.nodes[n]["delta"]))
            else:  # colours only: the numbers of neurons whose working is not on the board stay off
                self.play(*fill_deltas(net, rest))
            self.hold()
        edges = [e for e in self.trace_edges(layer) if e != edge]
        if edges:
            self.step(
                f"Every weight into layer {layer}: its δ times the activation it carries.",
                [self.gradient_line(back, e) for e in edges],
            )
            self.play(*board.clear())
            board.results([self.gradient_pair(back, e) for e in edges[:MAX_RESULTS]])
            self.hold(HOLD + 1)

    def trace_edges(self, layer: int) -> list:
        """Every weight into `layer` as (source, target) nodes, in explain's order."""
        sizes = self.trace.network.sizes
        return [((layer - 1, k), (layer, j)) for j in range(sizes[layer]) for k in range(sizes[layer - 1])]

    def gradient(self, back, edge):
        """A weight's ∂E/∂w: (its symbol, explain's equation for it or None, its value). explain
        shortens long layers ("… 4 more weight gradients"); those come from the Trace."""
        (_, k), (layer, j) = edge
        w = w_(layer, j + 1, k + 1)
        return w, back.get(f"∂E/∂{w.text()}"), self.trace.steps[0].layers[layer - 1].grad_W[j, k]

    def gradient_pair(self, back, edge) -> tuple[str, str]:
        w, eq, grad = self.gradient(back, edge)
        value = eq.result_text("latex") if eq is not None else format_number(grad, self.digits, zeros=True)
        return rf"\frac{{\partial E}}{{\partial {w.latex()}}}", value

    def gradient_line(self, back, edge) -> str:
        w, eq, grad = self.gradient(back, edge)
        return (
            eq.line("text") if eq is not None else f"∂E/∂{w.text()} = {format_display(grad, self.digits, zeros=True)}"
        )
