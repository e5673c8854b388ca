"""The multi-layer perceptron, built from engine ops, and the training step that fills a Trace.

Each layer l computes, for every sample in the batch at once,
    z⁽ˡ⁾ = a⁽ˡ⁻¹⁾ @ W⁽ˡ⁾ᵀ + b⁽ˡ⁾      (neuron j: zⱼ = Σₖ wⱼₖ aₖ + bⱼ, the lecture's Σ wᵢxᵢ + b)
    a⁽ˡ⁾ = f⁽ˡ⁾(z⁽ˡ⁾)                (a⁽⁰⁾ is the input x)
and the loss E compares the last a with the target y.

One training step: forward, loss, backward (every gradient from the old weights), then the
optimizer's update, then the loss again on the same batch with the new weights. The engine
does the calculus; the δ of each layer is simply the gradient its z node received.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from visualizer.core.engine import Node, linear
from visualizer.errors import Diverged, UsageError
from visualizer.functions.dropout import draw_masks
from visualizer.functions.losses import Loss
from visualizer.functions.regularization import penalty_node

from .batches import batch_rows
from .definitions import Definitions
from .spec import NetSpec
from .trace import GraphNode, LayerStep, NetworkInfo, Step, Trace


@dataclass(frozen=True)
class Forward:
    """The named nodes of one forward pass, for reading values and gradients."""

    weights: list[Node]
    biases: list[Node]
    z: list[Node]
    a: list[Node]
    loss_terms: Node
    sample_losses: Node
    loss: Node  # E: the mean of the sample losses, plus the penalties
    penalties: dict  # name -> its node (empty without regularization)
    f_z: list  # f(z) of each layer, before dropout's mask (the same nodes as `a` without dropout)


def network_info(spec: NetSpec) -> NetworkInfo:
    """What the Trace records of the spec: NetworkInfo's fields, copied by name; l1 and l2 as the
    regularization in use; and what the spec left to the seed (a reader is told it was drawn)."""
    worked_out = ("regularization", "drawn")
    kept = {f.name: getattr(spec, f.name) for f in fields(NetworkInfo) if f.name not in worked_out}
    in_use = {name: getattr(spec, name) for name in ("l1", "l2") if getattr(spec, name) > 0}
    drawn = tuple(name for name in ("weights", "biases", "input", "target") if getattr(spec, name) is None)
    return NetworkInfo(**kept, regularization=in_use, drawn=drawn)


def forward(
    defs: Definitions,
    weights,
    biases,
    x,
    y,
    replace_z: tuple[int, np.ndarray] | None = None,
    masks: list[np.ndarray] | None = None,
    input_grad: bool = True,
    fused: bool = False,
) -> Forward:
    """Build the graph of one forward pass and the loss.

    `replace_z = (l, z)` uses z as layer l's weighted sum (0-based), so finite differences can
    nudge one z and see how E changes. `masks` are dropout's multipliers, one per layer (the
    layer's output is f(z)·mask); None: no dropout. `input_grad=False`: ∂E/∂x is not computed
    (training reads no gradient of its data). `fused`: each layer's z = a @ Wᵀ + b is one op
    (`engine.linear`), for training in float32, which no Trace records.
    """
    a = Node(x, name="x", needs_grad=input_grad)
    target = Node(y, name="y")
    w_nodes, b_nodes, zs, activations, f_z = [], [], [], [], []
    for l, (W, b, f) in enumerate(zip(weights, biases, defs.activations)):
        W_node = Node(W, name=f"L{l + 1}.W")
        b_node = Node(b, name=f"L{l + 1}.b")
        if replace_z is not None and replace_z[0] == l:
            z = Node(replace_z[1])
        elif fused:
            z = linear(a, W_node, b_node)
        else:
            z = a @ W_node.T + b_node
        z.named(f"L{l + 1}.z")
        a = f(z).named(f"L{l + 1}.a")
        if masks is not None and not (masks[l] == 1).all():
            f_z.append(a.named(f"L{l + 1}.f"))  # f(z) before the mask
            a = (a * Node(masks[l], name=f"L{l + 1}.mask")).named(f"L{l + 1}.a")
        else:
            f_z.append(a)
        w_nodes.append(W_node)
        b_nodes.append(b_node)
        zs.append(z)
        activations.append(a)
    terms, samples, loss = defs.loss.build(f_z[-1], target)  # the output never drops out
    penalties = {}
    if defs.penalties:
        # each penalty its own node, added once to the batch's mean: E = E_data + Σ penalties
        loss.named("loss.data")
        penalties = {p.name: penalty_node(w_nodes, [(p, lam)]).named(f"penalty.{p.name}") for p, lam in defs.penalties}
        for node in penalties.values():
            loss = loss + node
        loss.named("loss")
    return Forward(w_nodes, b_nodes, zs, activations, terms, samples, loss, penalties, f_z)


def loss_value(defs: Definitions, weights, biases, x, y, masks=None) -> float:
    return float(forward(defs, weights, biases, x, y, masks=masks).loss.value)


def output_gradient(loss: Loss, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂E/∂a of a loss of logits, from the loss written on the probabilities a (−y/a for
    cross-entropy); where a underflowed to 0 under a target above 0 it is −inf, as it is."""
    probabilities = Node(a, name="a")
    with np.errstate(divide="ignore", invalid="ignore"):
        loss.loss_on_probabilities(probabilities, Node(loss.dense_target(y, a.shape[-1]))).backward()
    return probabilities.grad


def graph_of(loss: Node) -> tuple[GraphNode, ...]:
    """The computation graph behind `loss`, after backward(), as a record."""
    order = loss.topological_order()
    position = {id(node): i for i, node in enumerate(order)}
    return tuple(
        GraphNode(node.name, node.op, tuple(position[id(p)] for p in node.parents), node.value, node.grad)
        for node in order
    )


PER_SAMPLE_LIMIT = 100_000  # numbers of per-sample weight gradients recorded in a step, at most


def learn(
    defs: Definitions,
    weights,
    biases,
    x,
    y,
    state: dict,
    masks=None,
    record: bool = False,
    in_place: bool = False,
    fused: bool = False,
):
    """Forward, loss, backward and the optimizer's update: the step that training repeats.
    Returns (the forward pass, new weights, new biases, new optimizer state); with `record`, the
    forward pass also has ∂E/∂x, for the Trace's computation graph. `in_place` (training, which
    keeps no old values): the weights, biases and state are updated in place where the optimizer
    can (Adam: the same operations, without a new array per operation), and returned. `fused`:
    see `forward`."""
    f = forward(defs, weights, biases, x, y, masks=masks, input_grad=record, fused=fused)
    f.loss.backward()
    grad_W = [n.grad for n in f.weights]
    grad_b = [n.grad for n in f.biases]
    # Biases that are not trained stay as they are; they still get a gradient, for display.
    params = list(weights) + (list(biases) if defs.train_biases else [])
    grads = grad_W + (grad_b if defs.train_biases else [])
    n = len(weights)
    if in_place and defs.optimizer.update_in_place is not None:
        new_state = defs.optimizer.update_in_place(params, grads, state, defs.hyper)
        return f, list(weights), list(biases), new_state
    new_params, new_state = defs.optimizer.update(params, grads, state, defs.hyper)
    new_W = new_params[:n]
    new_b = new_params[n:] if defs.train_biases else [b.copy() for b in biases]
    return f, new_W, new_b, new_state


def output(defs: Definitions, weights, biases, x) -> np.ndarray:
    """The network's output for inputs x (one per row), through the same definitions as
    training, without building a graph (no dropout: prediction)."""
    # in float32 for float32 weights (training with --dtype float32 measures each epoch with them)
    a = np.asarray(x, dtype=np.float32 if weights[0].dtype == np.float32 else np.float64)
    for W, b, f in zip(weights, biases, defs.activations):
        a = f.function(a @ W.T + b)
    return a


def train_step(defs: Definitions, weights, biases, x, y, state: dict, index: int, masks=None, rows=None):
    """One step; returns (Step record, new weights, new biases, new optimizer state, graph)."""
    f, new_W, new_b, new_state = learn(defs, weights, biases, x, y, state, masks, record=True)
    grad_W = [n.grad for n in f.weights]
    grad_b = [n.grad for n in f.biases]
    n = len(weights)
    slots = {k: v for k, v in new_state.items() if k != "t"}  # per slot, one array per parameter
    grad_a = [node.grad for node in f.a]
    # each sample's own gradient: zₛ reaches E only through Eₛ/B, so ∂Eₛ/∂zₛ = B·δₛ and
    # ∂Eₛ/∂W = B·δₛ ⊗ a_prevₛ (the batch's ∂E/∂W is their mean, plus the penalties' slopes).
    # Kept for batches small enough to write out (B copies of every weight: 784-16-10 on a
    # batch of 64 would add 800,000 numbers a step); a batch of one has only ∂E/∂W itself.
    B = len(x) if defs.loss.batch_reduction == "mean" else 1  # a sum: ∂Eₛ/∂zₛ = δₛ
    inputs = [x] + [node.value for node in f.a[:-1]]
    if 1 < len(x) and len(x) * sum(W.size for W in weights) <= PER_SAMPLE_LIMIT:
        per_sample_W = [np.einsum("so,si->soi", B * z.grad, a_prev) for z, a_prev in zip(f.z, inputs)]
        per_sample_b = [B * z.grad for z in f.z]
    else:
        per_sample_W = per_sample_b = [np.zeros(0)] * len(weights)  # not recorded
    if defs.loss.logits:  # E came from z: ∂E/∂a from the same loss written on a
        grad_a[-1] = output_gradient(defs.loss, f.a[-1].value, y)
    layers = tuple(
        LayerStep(
            W=weights[l],
            b=biases[l],
            z=f.z[l].value,
            a=f.a[l].value,
            f_z=f.f_z[l].value,
            mask=masks[l] if masks is not None else np.ones_like(f.a[l].value),
            grad_a=grad_a[l],
            grad_W_samples=per_sample_W[l],
            grad_b_samples=per_sample_b[l],
            d_activation=defs.activations[l].derivative(f.z[l].value, f.f_z[l].value),
            delta=f.z[l].grad,
            grad_W=grad_W[l],
            grad_b=grad_b[l],
            W_new=new_W[l],
            b_new=new_b[l],
            state_W={k: v[l] for k, v in slots.items()},
            state_b={k: v[n + l] for k, v in slots.items()} if defs.train_biases else {},
        )
        for l in range(n)
    )
    step = Step(
        index=index,
        loss=float(f.loss.value),
        loss_terms=f.loss_terms.value,
        sample_losses=f.sample_losses.value,
        penalties={name: float(node.value) for name, node in f.penalties.items()},
        loss_after=loss_value(defs, new_W, new_b, x, y, masks),  # the same neurons dropped
        layers=layers,
        optimizer_state={"t": new_state["t"]},
        samples=rows,
    )
    return step, new_W, new_b, new_state, graph_of(f.loss)


# A Trace keeps every number of every step in memory (and in its JSON): about 8 bytes each.
MAX_TRACE_NUMBERS = 100_000_000
# Steps a command records at most (--steps, the scenes' BACKPROP_STEPS): each keeps every number, so
# many steps are for backprop train, which keeps only the loss.
MAX_STEPS = 100_000


def recorded_numbers(spec: NetSpec, steps: int) -> int:
    """About how many numbers a Trace of `steps` steps holds: per layer W, b, their gradients,
    new values and optimizer state (up to 4 slots), and 8 arrays the size of the batch's layer."""
    batch = len(spec.data()[0]) if spec.batch_size is None else spec.batch_size
    per_step = sum((i * o + o) * 7 + batch * o * 8 for i, o in zip(spec.sizes[:-1], spec.sizes[1:]))
    return steps * per_step


def run(spec: NetSpec, steps: int = 1) -> Trace:
    """Train `steps` steps on the spec's batch and record every one of them."""
    if steps < 1:
        raise ValueError("steps must be at least 1")
    numbers = recorded_numbers(spec, steps)
    if numbers > MAX_TRACE_NUMBERS:  # refused before anything is allocated
        most = max(1, steps * MAX_TRACE_NUMBERS // numbers)
        raise UsageError(
            f"{steps:,} recorded steps of {spec.name} would hold about {numbers / 1e6:,.0f} million "
            f"numbers ({numbers * 8 / 1e9:,.1f} GB); the limit is {MAX_TRACE_NUMBERS // 1_000_000} million: "
            f"use --steps {most:,} or fewer, or backprop train, which keeps only the loss"
        )
    info = network_info(spec)
    defs = Definitions.from_info(info)
    weights, biases = spec.parameters()
    x, y = spec.data()
    state: dict = {}
    records, graph = [], ()
    for index in range(1, steps + 1):
        rows = batch_rows(len(x), spec.batch_size, spec.seed, index)
        batch = (x, y) if len(rows) == len(x) else (x[rows], y[rows])  # all rows, in order: no copy
        masks = draw_masks(spec.dropout, spec.sizes, len(rows), spec.seed, index) if spec.dropout > 0 else None
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging step is caught by its loss below
            step, weights, biases, state, step_graph = train_step(
                defs, weights, biases, *batch, state, index, masks, rows
            )
        if not (np.isfinite(step.loss) and np.isfinite(step.loss_after)):
            # rather than record (and draw) NaN: say where it went and why it likely did
            raise Diverged(index, step.loss_after if np.isfinite(step.loss) else step.loss, spec.optimizer["lr"])
        records.append(step)
        graph = graph or step_graph
    # before step 1, then after each step (under dropout, each with that step's dropped neurons)
    history = (records[0].loss,) + tuple(s.loss_after for s in records)
    return Trace(network=info, input=x, target=y, steps=tuple(records), loss_history=history, graph=graph)


def predict(trace: Trace, step: int, x: np.ndarray) -> np.ndarray:
    """The network's output for inputs `x` (one per row) with the weights after step `step`
    (0-based; -1 for the weights before training), through the same definitions as training."""
    layers = trace.steps[0 if step < 0 else step].layers
    weights = [layer.W if step < 0 else layer.W_new for layer in layers]
    biases = [layer.b if step < 0 else layer.b_new for layer in layers]
    return output(Definitions.from_info(trace.network), weights, biases, x)
