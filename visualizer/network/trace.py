"""The Trace: the one record of a training run that every renderer reads.

For each step it keeps, per layer, the weights W and biases b the step started from, the
weighted sums z = a_prev @ Wᵀ + b, the activations a, the error signals δ = ∂E/∂z, the
gradients ∂E/∂W and ∂E/∂b, and the new W and b; the loss before and after the step; the
optimizer's state; and how the numbers were verified. Renderers never recompute math: a
number they need becomes a field here (or, where it is one product of recorded numbers, a
method: terms.py). Arrays are read-only and the records are frozen.

It round-trips through JSON (schema `backprop-trace/1`, see docs/trace-format.md) with full
float64 precision: Python writes the shortest text that reads back as the same float.
"""

from __future__ import annotations

import json
import re
from dataclasses import MISSING, asdict, dataclass, field, fields, replace

import numpy as np

from visualizer.errors import UsageError
from visualizer.functions.classes import one_hot, predicted_class

from .display import Displays
from .terms import Terms

SCHEMA = "backprop-trace/1"


def frozen_array(value) -> np.ndarray:
    array = np.array(value, dtype=np.float64)
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class LayerStep:
    """One layer in one step; shapes: W out×in, b out, z/a/delta batch×out."""

    W: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    grad_a: np.ndarray  # ∂E/∂a (for a hidden layer: Σᵢ wᵢⱼ δᵢ of the next layer)
    d_activation: np.ndarray  # f'(z)
    delta: np.ndarray  # ∂E/∂z = ∂E/∂a · f'(z)
    grad_W: np.ndarray  # ∂E/∂W = δᵀ a_prev
    grad_b: np.ndarray  # ∂E/∂b = Σ_batch δ
    W_new: np.ndarray
    b_new: np.ndarray
    # dropout (dropout.py): f(z) before the mask, and the mask (0 dropped, 1/(1 − p) kept, 1 in
    # layers without dropout); a = f_z · mask. Without dropout f_z is a and the mask is all 1.
    f_z: np.ndarray | None = None
    mask: np.ndarray | None = None
    # each sample's own gradient, ∂Eₛ/∂W and ∂Eₛ/∂b of its loss Eₛ alone (batch × out × in, batch ×
    # out; no penalties): ∂E/∂W is their mean (plus the penalties' slopes). Empty (size 0) where
    # not recorded: a batch of one, or a batch too large to write out (network.PER_SAMPLE_LIMIT)
    grad_W_samples: np.ndarray | None = None
    grad_b_samples: np.ndarray | None = None
    # the optimizer's state for this layer after the step, by slot (velocity v, running averages
    # m and v, …), shaped as W and as b; empty for plain SGD
    state_W: dict = field(default_factory=dict)
    state_b: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.f_z is None:
            object.__setattr__(self, "f_z", self.a)
        if self.mask is None:
            object.__setattr__(self, "mask", np.ones(np.shape(self.a)))
        if self.grad_W_samples is None:  # an older trace: not recorded
            object.__setattr__(self, "grad_W_samples", np.zeros(0))
            object.__setattr__(self, "grad_b_samples", np.zeros(0))
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dict):
                object.__setattr__(self, f.name, {k: frozen_array(v) for k, v in value.items()})
            else:
                object.__setattr__(self, f.name, frozen_array(value))

    @property
    def change_W(self) -> np.ndarray:
        """Δw = w_new − w: what the update did."""
        return self.W_new - self.W

    @property
    def change_b(self) -> np.ndarray:
        return self.b_new - self.b


STATE_FIELDS = ("state_W", "state_b")
ARRAY_FIELDS = tuple(f.name for f in fields(LayerStep) if f.name not in STATE_FIELDS)
# The fields by the phase of the step that computes them.
FORWARD_FIELDS = ("W", "b", "z", "f_z", "mask", "a")
BACKWARD_FIELDS = ("grad_a", "d_activation", "delta", "grad_W_samples", "grad_b_samples", "grad_W", "grad_b")
UPDATE_FIELDS = ("W_new", "b_new")
OPTIONAL = ("f_z", "mask", "grad_W_samples", "grad_b_samples")  # older traces lack them
assert set(ARRAY_FIELDS) == set(FORWARD_FIELDS + BACKWARD_FIELDS + UPDATE_FIELDS)


@dataclass(frozen=True)
class Step:
    index: int  # 1-based
    loss: float  # E before the update
    loss_after: float  # E on the same batch with the new weights
    layers: tuple[LayerStep, ...]
    optimizer_state: dict  # after this step's update: {"t": steps taken}; the slots are in the layers
    loss_terms: np.ndarray  # batch × outputs: each output's term of E, before the reduction
    sample_losses: np.ndarray  # batch: each sample's loss; E is their mean or sum (plus the penalties)
    # regularization, by name ("l2", "l1"): each penalty's value at the weights the step started
    # from; E = mean of sample_losses + their sum (empty: no regularization)
    penalties: dict = field(default_factory=dict)
    # the rows of the data (input, target) this step learned from: all of them for gradient
    # descent on the full batch, a mini-batch for SGD with a batch size
    samples: tuple | None = None

    @property
    def data_loss(self) -> float:
        """E without the penalties: the mean (or sum) of the sample losses."""
        return self.loss - sum(self.penalties.values()) if self.penalties else self.loss

    @property
    def loss_change(self) -> float:
        return self.loss_after - self.loss

    def __post_init__(self):
        if self.samples is not None:
            object.__setattr__(self, "samples", tuple(int(i) for i in self.samples))
        object.__setattr__(self, "loss_terms", frozen_array(self.loss_terms))
        object.__setattr__(self, "sample_losses", frozen_array(self.sample_losses))


@dataclass(frozen=True)
class GraphNode:
    """One node of the engine's computation graph for the first step (the micrograd picture)."""

    name: str  # L1.z, L1.W, loss, or the op's name for an unnamed intermediate
    op: str  # the op that made it; "" for an input or parameter, "const" for a constant
    parents: tuple[int, ...]  # indices of the nodes it was made from, in order
    value: np.ndarray
    grad: np.ndarray  # ∂E/∂value

    def __post_init__(self):
        object.__setattr__(self, "parents", tuple(self.parents))
        object.__setattr__(self, "value", frozen_array(self.value))
        object.__setattr__(self, "grad", frozen_array(self.grad))


@dataclass(frozen=True)
class NetworkInfo:
    """The spec's fields a Trace records: what its readers need to read the numbers (not the
    data, which the Trace holds itself, nor the digits shown). Named as NetSpec's fields, which
    mlp.network_info copies by name, in the order of the JSON, except the two it works out
    (regularization, drawn); those with a default came later, and an older trace without them
    reads as the default."""

    name: str
    sizes: tuple[int, ...]
    activations: tuple[str, ...]  # one per non-input layer
    loss: str
    optimizer: dict  # {"name": ..., hyper-parameters...}
    seed: int
    train_biases: bool
    # the spec's l1 and l2 by penalty name, those in use ({"l1": λ₁, "l2": λ₂}), as Step.penalties
    regularization: dict = field(default_factory=dict)
    rule: str = "backprop"  # how it learns: backpropagation, or the perceptron rule
    dropout: float = 0.0  # the probability p that a hidden neuron is dropped in a step
    batch_size: int | None = None  # samples per step (SGD); None: all of them (gradient descent)
    init: str = "xavier"  # how weights the spec does not give are drawn
    # which of "weights", "biases", "input", "target" the spec did not give, so were drawn from the seed
    drawn: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()  # what each output means (a model trained on a data set names them)
    input_scaling: dict | None = None  # how raw samples became inputs: x = (raw − shift) / scale
    reduction: str = "mean"  # E over the batch: the mean of the samples' losses, or their "sum"
    margin: float | None = None  # a multi-class hinge's Δ; None: its own (1)

    def __post_init__(self):  # JSON's lists as tuples, and the record's own dicts
        for name in ("sizes", "activations", "drawn", "classes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        for name in ("optimizer", "regularization"):
            object.__setattr__(self, name, dict(getattr(self, name)))


@dataclass(frozen=True)
class Check:
    """One witness's verdict: passed when every |ours − reference| ≤ tolerance·max(1, the largest
    |reference| of that field)."""

    passed: bool
    max_abs_diff: float
    tolerance: float
    worst: str  # where the largest difference is, e.g. "step 1, layer 2, grad_W"
    compared: int  # how many numbers were compared
    skipped: int = 0  # finite differences: entries at a kink (e.g. ReLU at 0), where no derivative exists
    # the largest difference of each step, step 1 first (None: nothing of that step compared), so a
    # page can show each step's check; () where not recorded
    per_step: tuple[float | None, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "per_step", tuple(self.per_step))  # a JSON list reads back as the tuple


@dataclass(frozen=True)
class Verification:
    torch: Check | None
    finite_difference: Check | None

    @property
    def passed(self) -> bool:
        return all(c.passed for c in (self.torch, self.finite_difference) if c is not None)


@dataclass(frozen=True)
class SampleInfo:
    """Where the input came from when it is one sample of a data set (`--data NAME --sample N`):
    the data set, its split and the row, the true class, and the sample as the data set stores
    it (pixels 0..255, before the input scaling), so a picture can be shown as it looks."""

    data: str  # "fashion-mnist"
    split: str  # which train/test split the data set used (docs/data.md)
    index: int  # the row of the test set, counted from 0
    label: int | None  # its class (None for a regression target)
    image_shape: tuple[int, ...] | None  # (28, 28) for a picture, None for a row of numbers
    raw: np.ndarray  # the sample as stored; image_shape when it is a picture

    def __post_init__(self):
        if self.image_shape is not None:
            object.__setattr__(self, "image_shape", tuple(self.image_shape))
        object.__setattr__(self, "raw", frozen_array(self.raw))


@dataclass(frozen=True, repr=False)  # Displays gives a short repr; a notebook shows the explorer
class Trace(Displays, Terms):  # Terms: the products and per-output terms (terms.py)
    network: NetworkInfo
    input: np.ndarray  # batch × inputs
    target: np.ndarray  # batch × outputs, or batch × 1 class indices (sparse cross-entropy)
    steps: tuple[Step, ...]
    loss_history: tuple[float, ...]  # before step 1, then after each step
    verification: Verification | None = None
    graph: tuple[GraphNode, ...] = ()  # the first step's computation graph, parents before children
    sample: SampleInfo | None = None  # the data set's sample the input is (None: given or drawn)

    def __post_init__(self):
        object.__setattr__(self, "input", frozen_array(self.input))
        object.__setattr__(self, "target", frozen_array(self.target))

    def rows(self, step: Step) -> np.ndarray:
        """The data rows a step learned from (its mini-batch), in the order of its layers' rows."""
        return np.arange(len(self.input)) if step.samples is None else np.array(step.samples)

    def input_of(self, step: Step) -> np.ndarray:
        """The inputs of a step's batch: a⁽⁰⁾ of its layers' rows."""
        return self.input[self.rows(step)]

    def target_of(self, step: Step) -> np.ndarray:
        """The targets of a step's batch, one value per output."""
        return self.output_target[self.rows(step)]

    @property
    def output_target(self) -> np.ndarray:
        """The target as one value per output (batch × outputs): class indices, as sparse
        cross-entropy takes them, become their one-hot rows."""
        n = self.network.sizes[-1]
        return self.target if self.target.shape[1] == n else one_hot(self.target, n)

    def with_verification(self, verification: Verification) -> Trace:
        return replace(self, verification=verification)

    def with_sample(self, sample: SampleInfo) -> Trace:
        return replace(self, sample=sample)

    def predicted(self, step: Step) -> np.ndarray:
        """The class each sample of the step's batch is predicted to be: the largest output (one
        sigmoid output: class 1 from 0.5), as functions.classes.predicted_class decides it."""
        return predicted_class(step.layers[-1].a)

    @property
    def class_names(self) -> tuple[str, ...]:
        """A name for each output: the network's classes, else y₁ … yₙ's indices as text ("1" …)."""
        n = self.network.sizes[-1]
        names = self.network.classes
        return names if len(names) == n else tuple(str(i + 1) for i in range(n))

    # ----- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        v = self.verification
        return {
            "schema": SCHEMA,
            "network": asdict(self.network),
            "input": self.input.tolist(),
            "target": self.target.tolist(),
            "steps": [
                {
                    "index": s.index,
                    "loss": s.loss,
                    "loss_after": s.loss_after,
                    "loss_terms": s.loss_terms.tolist(),
                    "sample_losses": s.sample_losses.tolist(),
                    "penalties": dict(s.penalties),
                    "samples": None if s.samples is None else list(s.samples),
                    "layers": [
                        {
                            **{name: getattr(layer, name).tolist() for name in ARRAY_FIELDS},
                            **{name: {k: v.tolist() for k, v in getattr(layer, name).items()} for name in STATE_FIELDS},
                            **self.terms_dict(s, l),  # derived (terms.py): read back by recomputing
                        }
                        for l, layer in enumerate(s.layers, 1)
                    ],
                    "optimizer_state": s.optimizer_state,
                }
                for s in self.steps
            ],
            "loss_history": list(self.loss_history),
            "graph": [
                {
                    "name": n.name,
                    "op": n.op,
                    "parents": list(n.parents),
                    "value": n.value.tolist(),
                    "grad": n.grad.tolist(),
                }
                for n in self.graph
            ],
            "sample": None if self.sample is None else {**asdict(self.sample), "raw": self.sample.raw.tolist()},
            "verification": None
            if v is None
            else {
                "torch": None if v.torch is None else v.torch.__dict__.copy(),
                "finite_difference": None if v.finite_difference is None else v.finite_difference.__dict__.copy(),
            },
        }

    def to_json(self) -> str:
        return _dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict) -> Trace:
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            found = data.get("schema") if isinstance(data, dict) else None
            raise UsageError(f"not a {SCHEMA} trace (schema: {found!r}); write one with `explain --format json`")
        try:
            net = data["network"]
            v = data["verification"]
            return cls(
                network=NetworkInfo(**_given(NetworkInfo, net)),
                input=data["input"],
                target=data["target"],
                steps=tuple(
                    Step(
                        index=s["index"],
                        loss=s["loss"],
                        loss_after=s["loss_after"],
                        loss_terms=s["loss_terms"],
                        sample_losses=s["sample_losses"],
                        penalties=dict(s.get("penalties", {})),
                        samples=s.get("samples"),
                        layers=tuple(
                            LayerStep(
                                **{k: layer[k] for k in ARRAY_FIELDS if k in layer or k not in OPTIONAL},
                                **{k: layer.get(k, {}) for k in STATE_FIELDS},
                            )
                            for layer in s["layers"]
                        ),
                        optimizer_state=s["optimizer_state"],
                    )
                    for s in data["steps"]
                ),
                loss_history=tuple(data["loss_history"]),
                graph=tuple(GraphNode(**node) for node in data.get("graph", [])),
                sample=None if data.get("sample") is None else SampleInfo(**data["sample"]),
                verification=None
                if v is None
                else Verification(
                    torch=None if v["torch"] is None else Check(**v["torch"]),
                    finite_difference=None if v["finite_difference"] is None else Check(**v["finite_difference"]),
                ),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise UsageError(f"the trace is incomplete or damaged ({type(err).__name__}: {err})") from None

    @classmethod
    def from_json(cls, text: str) -> Trace:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise UsageError(f"the trace is not valid JSON ({err})") from None
        return cls.from_dict(data)


def _given(record, data: dict) -> dict:
    """The fields of `record` in its JSON `data`: every one it requires (a KeyError if missing),
    and those with a default that are there (an older trace lacks them)."""
    return {
        f.name: data[f.name]
        for f in fields(record)
        if (f.default is MISSING and f.default_factory is MISSING) or f.name in data
    }


def _dumps(data: dict) -> str:
    """Indented JSON, with each innermost list of numbers kept on one line (a matrix row)."""
    text = json.dumps(data, indent=2)
    return re.sub(
        r"\[[^\[\]{}\"]*\]", lambda m: "[" + ", ".join(x.strip() for x in m.group(0)[1:-1].split(",")) + "]", text
    )
