"""The step redone from a student's own numbers, and with each of the common slips.

A student's z⁽²⁾ is judged against z⁽²⁾ recomputed from *their* a⁽¹⁾, so one slip early on is
one wrong answer, not twenty. The step is redone phase by phase, in the order explain writes
it; each quantity is computed from the quantities before it as the student gave them (or as
redone, where they left them blank). Some quantities can be reached two ways, and both count:
δ at the output from the student's ∂E/∂a, or straight from their a (softmax and cross-entropy's
δ = a − y skips ∂E/∂a); E from their sample losses, or from their outputs.

Every formula is the project's one definition: an activation's `function`, `derivative` and
`vjp`, a loss's engine terms (its slope by the engine's backward pass), a penalty's engine node,
the optimizer's `update`. A slip is the same pass with one of them done the wrong way (`SLIPS`),
and `digits` redoes it with every number rounded to that many significant figures, as a student
who rounds too early would.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine import Node
from visualizer.core.expr import shown_value
from visualizer.functions.regularization import penalty_node
from visualizer.network.definitions import Definitions
from visualizer.network.mlp import output_gradient
from visualizer.network.trace import Trace

from .quantities import Quantity

# each slip: the quantity it changes (a Quantity's name), and what it does, by key
SLIPS = {
    "no_bias": "z",  # z = Σ w·a, the + b forgotten
    "no_activation": "a",  # a = z, f forgotten
    "no_derivative": "delta",  # δ = ∂E/∂a, f′(z) forgotten
    "new_weights": "dE_da",  # a hidden ∂E/∂a = Σ w·δ with the updated weights
    "own_activation": "dE_dw",  # ∂E/∂wⱼₖ⁽ˡ⁾ = δⱼ·aⱼ⁽ˡ⁾ instead of δⱼ·aₖ⁽ˡ⁻¹⁾
    "sign": "new_w",  # w ← w + η·∂E/∂w (and the same for b)
    "no_lr": "new_w",  # w ← w − ∂E/∂w (plain gradient descent only)
}
_SHAPED = {  # the Trace array a name's numbers are laid out as, in each layer
    "z": "z",
    "a": "a",
    "dE_da": "grad_a",
    "delta": "delta",
    "dE_dw": "grad_W",
    "dE_db": "grad_b",
    "new_w": "W_new",
    "new_b": "b_new",
}


def where(q: Quantity) -> tuple[tuple, tuple]:
    """(the array a quantity is in, its index there): (("z", 1), (sample, j)) from 0."""
    if q.layer is None:  # E, E_data, or a sample's Eₛ
        return ((q.name, "samples" if q.sample else None), (q.sample - 1,) if q.sample else ())
    if q.name in ("dE_dw", "new_w"):
        return (q.name, q.layer), (q.j - 1, q.k - 1)
    if q.name in ("dE_db", "new_b"):
        return (q.name, q.layer), (q.j - 1,)
    return (q.name, q.layer), ((q.sample or 1) - 1, q.j - 1)


class StudentStep:
    """The first step of `trace` as a student worked it, from their answers (key → number)."""

    def __init__(self, trace: Trace, answers: dict[str, float], every: list[Quantity]):
        self.trace, self.step = trace, trace.steps[0]
        self.defs = Definitions.from_info(trace.network)
        self.batch = len(trace.rows(self.step))
        self.given: dict[tuple, np.ndarray] = {}
        for q in every:
            if q.key in answers:
                array, at = where(q)
                if array not in self.given:
                    self.given[array] = np.full(self._shape(array), np.nan)
                self.given[array][at] = answers[q.key]
        weights = [Node(layer.W) for layer in self.step.layers]
        penalty = penalty_node(weights, list(self.defs.penalties))
        self.penalty = float(penalty.value) if penalty is not None else 0.0
        if penalty is not None:
            penalty.backward()
        self.penalty_slopes = [w.grad for w in weights]  # zeros without penalties

    def _shape(self, array: tuple) -> tuple:
        name, l = array
        if l is None:
            return ()
        if l == "samples":
            return (self.batch,)
        return np.shape(getattr(self.step.layers[l - 1], _SHAPED[name]))

    def redo(self, slip: str | None = None, digits: int | None = None) -> dict[tuple, tuple[np.ndarray, ...]]:
        """Every quantity's array recomputed from the student's numbers before it, each as the
        ways it can be reached (the first: the way explain writes it)."""
        found: dict[tuple, tuple[np.ndarray, ...]] = {}

        def use(array: tuple, *ways: np.ndarray) -> np.ndarray:
            """The student's numbers where given, the first way's elsewhere; what comes next uses this."""
            found[array] = ways
            given = self.given.get(array)
            value = ways[0] if given is None else np.where(np.isnan(given), ways[0], given)
            return _rounded(value, digits) if digits else value

        step, defs, L = self.step, self.defs, len(self.step.layers)
        with np.errstate(all="ignore"):  # a student's number may take a log of 0 or below
            a = [_rounded(self.trace.input_of(step), digits) if digits else self.trace.input_of(step)]
            z = [None]
            for l, layer in enumerate(step.layers, 1):
                f = defs.activations[l - 1]
                z.append(use(("z", l), a[-1] @ layer.W.T + (0 if slip == "no_bias" else layer.b)))
                fz = z[l].copy() if slip == "no_activation" else f.function(z[l])
                a.append(use(("a", l), fz * layer.mask))
            self._loss(use, a[L])
            delta: list = [None] * (L + 2)
            grad_W, grad_b = [None] * L, [None] * L
            for l in range(L, 0, -1):
                layer, f = step.layers[l - 1], defs.activations[l - 1]
                if l == L:
                    slope = self._slope(a[L])
                    grad_a = use(("dE_da", l), slope)
                    ways = [grad_a, slope]  # δ from their ∂E/∂a, or straight from their a
                else:
                    W = self._new_weights(l + 1) if slip == "new_weights" else step.layers[l].W
                    grad_a = use(("dE_da", l), delta[l + 1] @ W)
                    ways = [grad_a]
                if slip == "no_derivative":
                    delta[l] = use(("delta", l), *(g * layer.mask for g in ways))
                elif f.vjp is not None:
                    delta[l] = use(("delta", l), *(f.vjp(z[l], a[l], g) * layer.mask for g in ways))
                else:
                    # f′ from the student's own z and a (σ′ = a(1 − a)); f(z) where dropout scaled a
                    fz = a[l] if (layer.mask == 1).all() else f.function(z[l])
                    delta[l] = use(("delta", l), *(g * layer.mask * f.derivative(z[l], fz) for g in ways))
                source = a[l] if slip == "own_activation" else None
                gradient = (
                    np.broadcast_to((delta[l] * source).sum(axis=0)[:, None], layer.W.shape)
                    if source is not None
                    else delta[l].T @ a[l - 1]
                )
                grad_W[l - 1] = use(("dE_dw", l), gradient + self.penalty_slopes[l - 1])
                grad_b[l - 1] = use(("dE_db", l), delta[l].sum(axis=0))
            self._update(use, slip, grad_W, grad_b)
        return found

    def _loss(self, use, out: np.ndarray) -> None:
        """Each sample's loss, E without and with the penalties, from the student's outputs (or
        from their own sample losses)."""
        samples = self._sample_losses(out)
        own = use(("E", "samples"), samples)
        reduce = np.sum if self.defs.loss.batch_reduction == "sum" else np.mean  # the spec's reduction
        data = use(("E_data", None), reduce(own), reduce(samples))
        if self.defs.penalties:
            use(("E", None), data + self.penalty, reduce(samples) + self.penalty)
        else:
            use(("E", None), reduce(own), reduce(samples))

    def _sample_losses(self, out: np.ndarray) -> np.ndarray:
        loss, y = self.defs.loss, self.trace.target_of(self.step)
        if loss.logits:  # E read z through log-softmax; written on a, as the student computes it
            return np.array(
                [float(loss.on_probabilities(Node(out[s : s + 1]), Node(y[s : s + 1])).value) for s in range(len(out))]
            )
        _, per_sample, _ = loss.build(Node(out), Node(self._raw_target()))
        return per_sample.value

    def _slope(self, out: np.ndarray) -> np.ndarray:
        """∂E/∂a at the output, for the student's outputs, by the engine's backward pass."""
        loss = self.defs.loss
        if loss.logits:
            return output_gradient(loss, out, self._raw_target())
        node = Node(out)
        loss.build(node, Node(self._raw_target()))[2].backward()
        return node.grad

    def _raw_target(self) -> np.ndarray:
        """The batch's targets as the loss takes them (class indices stay indices)."""
        return self.trace.target[self.trace.rows(self.step)]

    def _new_weights(self, l: int) -> np.ndarray:
        """Layer l's updated weights as the student has them (the Trace's where they gave none)."""
        given = self.given.get(("new_w", l))
        W_new = self.step.layers[l - 1].W_new
        return W_new if given is None else np.where(np.isnan(given), W_new, given)

    def _update(self, use, slip: str | None, grad_W: list, grad_b: list) -> None:
        """The optimizer's update from the student's gradients (the parameters are given)."""
        defs, layers = self.defs, self.step.layers
        L = len(layers)
        params = [layer.W for layer in layers] + ([layer.b for layer in layers] if defs.train_biases else [])
        grads = grad_W + (grad_b if defs.train_biases else [])
        new, _ = defs.optimizer.update(params, grads, {}, defs.hyper)
        if slip == "sign":  # the step taken the other way
            new = [2 * p - n for p, n in zip(params, new)]
        elif slip == "no_lr":
            new = [p - g for p, g in zip(params, grads)]
        for l in range(1, L + 1):
            use(("new_w", l), new[l - 1])
            if defs.train_biases:
                use(("new_b", l), new[L + l - 1])


def _rounded(values, digits: int) -> np.ndarray:
    """Every number at `digits` significant figures."""
    return np.vectorize(lambda v: shown_value(float(v), digits) if np.isfinite(v) else v, otypes=[float])(values)
