"""Network specs: which network, which data, which loss and optimizer; the one description of them.

A `NetSpec` is what the user asked for, checked: every check runs when it is made, and each
failure is a `UsageError` saying what is wrong and how to fix it, so a spec is always valid.
Where specs come from (a shape, a preset, a TOML file, a saved model) is sources.py; the format
is in docs/network-spec.md.

NetSpec's fields are the one description of a network: each field's metadata says where else it
goes, and the rest is read from the fields rather than listed again.
- TOML: a file gives a field under its name (or the keys its `toml` names), as it is unless
  spec_from_table parses it (sizes, activations, optimizer, data, weights); FIELDS, the keys a
  file may use, and TEXT_FIELDS, those that must be text, follow.
- A model file's metadata keeps the fields marked `model` (MODEL_FIELDS; model_io.py).
- The command line overrides a field by its TOML key (`with_overrides`); cli/options.py has an
  option for each key it offers.
- The Trace records the fields trace.NetworkInfo names, copied by name (mlp.network_info).
So a new field is one line here, its checks in `_check` and its docs; NetworkInfo and
cli/options.py get a line when the Trace should record it or an option should set it.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass

import numpy as np

from visualizer.errors import UsageError, unknown_name
from visualizer.functions.activations import RULES, get_activation
from visualizer.functions.initializers import check_init, draw_data, initialize
from visualizer.functions.losses import BATCH_REDUCTIONS, get_loss
from visualizer.functions.optimizers import get_optimizer
from visualizer.style import DEFAULT_DIGITS, count

# Limits that keep a typo (784-16000-10) from filling memory; the point is small networks.
MAX_LAYER_WIDTH = 4096
MAX_PARAMETERS = 2_000_000
# Layers with weights: explain writes out and verifies every one, so 2-2-2-…-2 a thousand layers
# deep (a few parameters each, well under MAX_PARAMETERS) would run for minutes and say nothing.
MAX_LAYERS = 100

# How a model file's metadata keeps a field: every model file has the REQUIRED ones; the OPTIONAL
# ones came later, and a model file written before them reads as the field's default.
REQUIRED, OPTIONAL = "required", "optional"


def described(
    default=dataclasses.MISSING,
    *,
    factory=dataclasses.MISSING,
    text: str | None = None,
    toml: dict[str, str | None] | None = None,
    model: str | None = None,
):
    """A NetSpec field, and where else it goes (its metadata):
    text   an example, when TOML gives the field as one name or line of text
    toml   its TOML keys, each with such an example or None, when they are not just its name
    model  REQUIRED or OPTIONAL, when a model file's metadata keeps it"""
    return dataclasses.field(
        default=default, default_factory=factory, metadata={"text": text, "toml": toml, "model": model}
    )


@dataclass(frozen=True, kw_only=True)  # by keyword: the fields are in the order a spec file lists them
class NetSpec:
    name: str = described(text="my-network", model=REQUIRED)  # in TOML, by default the file's name
    description: str = described("", text="one line about it", model=OPTIONAL)
    sizes: tuple[int, ...] = described(model=REQUIRED)  # neurons per layer, input first
    # one per non-input layer, the last is the output's; TOML gives the hidden layers' and the output's apart
    activations: tuple[str, ...] = described(toml={"activation": None, "output_activation": "sigmoid"}, model=REQUIRED)
    loss: str = described("mse", text="mse", model=REQUIRED)
    # how the samples' losses make E: their "mean" (the textbook's 1/B), or their "sum" (torch's reduction='sum')
    reduction: str = described("mean", text="mean", model=OPTIONAL)
    margin: float | None = described(None, model=OPTIONAL)  # a multi-class hinge's Δ; None: its own (1)
    seed: int = described(0, model=REQUIRED)
    init: str = described("xavier", text="xavier")
    train_biases: bool = described(True, model=REQUIRED)
    input: np.ndarray | None = described(None)  # batch × sizes[0]; None: drawn from the seed
    target: np.ndarray | None = described(None)  # batch × sizes[-1]
    optimizer: dict = described(factory=lambda: {"name": "sgd"}, model=REQUIRED)  # {"name": ..., settings...}
    # weights[l] is out × in; None: from init. A model file keeps them as its tensors (model_io.py)
    weights: tuple[np.ndarray, ...] | None = described(None)
    biases: tuple[np.ndarray, ...] | None = described(None)
    precision: int = described(DEFAULT_DIGITS)  # digits explain shows by default (a worked example may want more)
    l1: float = described(0.0, model=OPTIONAL)  # regularization: λ₁·Σ|w| added to E (regularization.py)
    l2: float = described(0.0, model=OPTIONAL)  # ½λ₂·Σw² added to E
    # or "perceptron": the perceptron learning rule for one step layer
    rule: str = described("backprop", text="backprop", model=OPTIONAL)
    dropout: float = described(0.0, model=OPTIONAL)  # probability that a hidden neuron is dropped in a step
    # samples per step (mini-batch SGD); None: all (gradient descent). Not in a model file: how it was
    # trained, not what it is (backprop train has its own --batch-size)
    batch_size: int | None = described(None)
    # what each output means, in order (a single sigmoid output: the names of classes 0 and 1);
    # a model trained on a data set keeps its class names, and explain, diagrams and video show them
    classes: tuple[str, ...] = described((), model=OPTIONAL)
    # how a raw sample (pixels 0..255, a CSV row) becomes the input: x = (raw − shift) / scale,
    # {"shift", "scale", "how"} as training/data/prepare.py records it; None: inputs are used as given
    input_scaling: dict | None = described(None, model=OPTIONAL)

    def __post_init__(self):
        _check(self)

    @property
    def n_layers(self) -> int:
        """Layers with weights (the input layer has none)."""
        return len(self.sizes) - 1

    def parameters(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Starting weights and biases: the explicit ones, else seeded from `init`."""
        drawn = initialize(self.init, self.sizes, self.seed) if self.weights is None or self.biases is None else None
        weights = drawn[0] if self.weights is None else [w.copy() for w in self.weights]
        biases = drawn[1] if self.biases is None else [b.copy() for b in self.biases]
        return weights, biases

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """The batch (input, target), each batch × features; drawn from the seed if not given."""
        draw_target = get_loss(self.loss).draw_target
        drawn = draw_data(self.sizes, self.seed, draw_target) if self.input is None or self.target is None else None
        return (drawn[0] if self.input is None else self.input), (drawn[1] if self.target is None else self.target)

    def with_overrides(self, **changes) -> NetSpec:
        """A new spec with the command line's overrides, by TOML key (None means 'keep'); `lr`
        sets the optimizer's learning rate."""
        changes = {k: v for k, v in changes.items() if v is not None}
        activations = list(self.activations)
        if "activation" in changes:
            hidden = _per_hidden_layer(changes.pop("activation"), self.n_layers - 1)
            activations[:-1] = hidden
        if "output_activation" in changes:
            activations[-1] = changes.pop("output_activation")
        optimizer = dict(self.optimizer)
        if "optimizer" in changes:
            optimizer = {"name": changes.pop("optimizer")}  # another optimizer: its own defaults
        if "lr" in changes:
            optimizer["lr"] = changes.pop("lr")
        for key in ("input", "target"):
            if key in changes:
                changes[key] = _batch(changes[key], key)
        return dataclasses.replace(self, activations=tuple(activations), optimizer=optimizer, **changes)


def _toml_keys(field: dataclasses.Field) -> dict[str, str | None]:
    """The TOML keys that give a field, each with an example if it must be text."""
    return field.metadata["toml"] or {field.name: field.metadata["text"]}


# what a TOML file may give, and which of it must be text (with an example of each)
FIELDS = [key for field in dataclasses.fields(NetSpec) for key in _toml_keys(field)]
TEXT_FIELDS = {
    key: example for field in dataclasses.fields(NetSpec) for key, example in _toml_keys(field).items() if example
}
# the fields a model file's metadata keeps, each REQUIRED or OPTIONAL
MODEL_FIELDS = {field.name: field.metadata["model"] for field in dataclasses.fields(NetSpec) if field.metadata["model"]}


def spec_from_table(table: dict, default_name: str = "network") -> NetSpec:
    """A spec from a parsed TOML table (the fields of docs/network-spec.md): a field given under
    its own name is taken as it is (NetSpec's checks judge it), the rest are parsed here."""
    for key in table:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"unknown field {key!r}{hint}; the fields are: {', '.join(FIELDS)}")
    for key, example in TEXT_FIELDS.items():  # checked here: a list would reach a dict lookup as a TypeError
        if key in table and not isinstance(table[key], str):
            raise UsageError(f"'{key}' must be text in quotes, e.g. {key} = \"{example}\"; got {table[key]!r}")
    if "optimizer" in table and not isinstance(table["optimizer"], (str, dict)):
        raise UsageError(
            f"'optimizer' must be a name or a table, e.g. optimizer = {{ name = \"sgd\", lr = 0.5 }}; "
            f"got {table['optimizer']!r}"
        )
    if "sizes" not in table:
        raise UsageError("the spec needs 'sizes', e.g. sizes = [2, 3, 1]")
    sizes = table["sizes"]
    if not isinstance(sizes, list) or not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
        raise UsageError(f"'sizes' must be a list of whole numbers, e.g. [2, 3, 1]; got {sizes!r}")
    n_layers = len(sizes) - 1
    hidden = _per_hidden_layer(table.get("activation", "sigmoid"), max(n_layers - 1, 0))
    fields = {field.name: table[field.name] for field in dataclasses.fields(NetSpec) if field.name in table}
    fields.update(
        name=table.get("name", default_name),
        sizes=tuple(sizes),
        activations=tuple(hidden) + (table.get("output_activation", "sigmoid"),),
    )
    if isinstance(table.get("optimizer"), str):  # `optimizer = "adam"`: that one with its own defaults
        fields["optimizer"] = {"name": table["optimizer"]}
    for key in ("input", "target"):
        if key in table:
            fields[key] = _batch(table[key], key)
    for key in ("weights", "biases"):
        if key in table:
            if not isinstance(table[key], list):
                raise UsageError(f"'{key}' must be a list with one entry per layer")
            fields[key] = tuple(_array(v, f"{key}[{i}]") for i, v in enumerate(table[key]))
    return NetSpec(**fields)


# ----- checks ----------------------------------------------------------------------------------


def _per_hidden_layer(activation, n_hidden: int) -> list[str]:
    if isinstance(activation, str):
        get_activation(activation)  # a typo is an error even where there is no hidden layer
        return [activation] * n_hidden
    if isinstance(activation, list) and len(activation) == n_hidden and all(isinstance(a, str) for a in activation):
        return list(activation)
    raise UsageError(
        f"'activation' must be one name or a list of {n_hidden} names (one per hidden layer); got {activation!r}"
    )


def _array(value, what: str) -> np.ndarray:
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise UsageError(f"{what} must be numbers in a regular (rectangular) list; got {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise UsageError(f"{what} contains a non-finite number (nan or inf); use finite numbers")
    return array


def _batch(value, what: str) -> np.ndarray:
    """One sample `[x1, x2]` or a batch `[[x1, x2], ...]`, as a batch × features array."""
    array = _array(value, what)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.size == 0:
        raise UsageError(f"{what} must be one sample [x1, x2, ...] or a list of samples; got shape {array.shape}")
    return array


def _check(spec: NetSpec) -> None:
    """Every rule a spec must satisfy; normalises names, lists (as JSON gives them) and the
    optimizer in place."""
    _set(spec, "sizes", tuple(spec.sizes))
    _set(spec, "activations", tuple(spec.activations))
    sizes = spec.sizes
    if len(sizes) < 2:
        raise UsageError("a network needs at least an input and an output layer, e.g. sizes = [2, 1]")
    if any(s < 1 for s in sizes):
        raise UsageError(f"layer sizes must be at least 1; got {'-'.join(map(str, sizes))}")
    if len(sizes) - 1 > MAX_LAYERS:
        raise UsageError(
            f"{len(sizes) - 1} layers is over the limit of {MAX_LAYERS}; this tool writes out every "
            f"layer of small networks: use fewer layers"
        )
    if max(sizes) > MAX_LAYER_WIDTH:
        raise UsageError(
            f"layer size {max(sizes)} is over the limit of {MAX_LAYER_WIDTH}; this tool is for small networks"
        )
    n_params = sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:]))
    if n_params > MAX_PARAMETERS:
        raise UsageError(
            f"{n_params:,} parameters is over the limit of {MAX_PARAMETERS:,}; this tool is for small networks"
        )
    if len(spec.activations) != len(sizes) - 1:
        raise UsageError(f"need {len(sizes) - 1} activations (one per non-input layer); got {len(spec.activations)}")
    _set(spec, "activations", tuple(get_activation(a).name for a in spec.activations))
    _set(spec, "loss", get_loss(spec.loss).name)
    _check_margin(spec)
    if spec.reduction not in BATCH_REDUCTIONS:
        raise UsageError(f'reduction (how E reduces the samples\' losses) is "mean" or "sum"; got {spec.reduction!r}')
    check_init(spec.init)
    if isinstance(spec.seed, bool) or not isinstance(spec.seed, int) or spec.seed < 0:
        raise UsageError(f"seed must be a whole number ≥ 0; got {spec.seed!r}")
    if isinstance(spec.precision, bool) or not isinstance(spec.precision, int) or not 1 <= spec.precision <= 17:
        raise UsageError(f"precision must be a whole number of digits from 1 to 17; got {spec.precision!r}")
    for key in ("l1", "l2"):
        value = getattr(spec, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value) or value < 0:
            raise UsageError(f"{key} must be a number ≥ 0 (the penalty's strength λ, e.g. 0.01); got {value!r}")
        _set(spec, key, float(value))
    p = spec.dropout
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise UsageError(
            f"dropout is the probability of dropping a hidden neuron, from 0 up to (not including) 1, "
            f"e.g. 0.5; got {p!r}"
        )
    _set(spec, "dropout", float(p))
    if p > 0 and spec.n_layers < 2:
        raise UsageError(
            "dropout drops hidden neurons, and this network has no hidden layer; add one "
            "(e.g. 2-4-1) or leave dropout out"
        )
    if not isinstance(spec.train_biases, bool):
        raise UsageError(f"train_biases must be true or false; got {spec.train_biases!r}")
    opt = dict(spec.optimizer)
    if not isinstance(opt.get("name"), str):
        raise UsageError('optimizer needs a name, e.g. optimizer = { name = "sgd", lr = 0.5 }')
    optimizer = get_optimizer(opt.pop("name"))
    _set(spec, "optimizer", {"name": optimizer.name, **optimizer.hyper(opt)})
    _check_activations(spec)
    _check_rule(spec)
    _check_outputs(spec)
    _check_data(spec)
    _check_parameters(spec)


def _check_margin(spec: NetSpec) -> None:
    margin = spec.margin
    if margin is None:
        return
    if not get_loss(spec.loss).with_margin:
        raise UsageError(
            f"margin is the Δ of multi_hinge and multi_hinge_sum, and loss {spec.loss} has none; leave it out"
        )
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not np.isfinite(margin) or margin <= 0:
        raise UsageError(f"margin (the hinge's Δ) must be a number > 0, e.g. 1; got {margin!r}")
    _set(spec, "margin", float(margin))


def _check_outputs(spec: NetSpec) -> None:
    """classes name the outputs (or a single output's two classes); input_scaling is two numbers or lists."""
    names, n = spec.classes, spec.sizes[-1]
    if not isinstance(names, (list, tuple)) or not all(isinstance(c, str) and c for c in names):
        raise UsageError(f'classes must be a list of names, one per output, e.g. ["cat", "dog"]; got {names!r}')
    if names and len(names) not in ({n, 2} if n == 1 else {n}):
        wanted = "1 output needs 2 names (classes 0 and 1)" if n == 1 else f"{count(n, 'output')} need {n} names"
        raise UsageError(f"classes has {count(len(names), 'name')} but {wanted}")
    _set(spec, "classes", tuple(names))
    scaling = spec.input_scaling
    if scaling is not None and not (
        isinstance(scaling, dict) and all(_numbers(scaling.get(k), spec.sizes[0]) for k in ("shift", "scale"))
    ):
        raise UsageError(
            f"input_scaling must be {{ shift = S, scale = K }} (numbers, or one per input), as x = (raw − shift) / "
            f"scale; got {scaling!r}"
        )


def _numbers(value, n: int) -> bool:
    values = np.atleast_1d(np.asarray(value if value is not None else np.nan, dtype=object))
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in values)
    return ok and len(values) in (1, n) and values.ndim == 1


def _check_data(spec: NetSpec) -> None:
    loss = get_loss(spec.loss)
    if spec.input is not None and spec.input.shape[1] != spec.sizes[0]:
        raise UsageError(
            f"input has {count(spec.input.shape[1], 'value')} per sample but the input layer has "
            f"{count(spec.sizes[0], 'neuron')}"
        )
    if spec.target is not None and spec.target.shape[1] != loss.target_width(spec.sizes[-1]):
        # only a loss that takes class indices (one per sample, whatever the output's width) gets the class
        # index message: with one output, mse too takes one value, and a wrong width is just a wrong width
        if loss.class_indices:
            raise UsageError(
                f"{loss.name} takes one class index per sample (0 to {spec.sizes[-1] - 1}), got "
                f"{spec.target.shape[1]} values; for one-hot targets use --loss cross_entropy"
            )
        raise UsageError(
            f"target has {count(spec.target.shape[1], 'value')} per sample but the output layer has "
            f"{count(spec.sizes[-1], 'neuron')}"
        )
    if spec.input is not None and spec.target is not None and len(spec.input) != len(spec.target):
        raise UsageError(
            f"{count(len(spec.input), 'input sample')} but {count(len(spec.target), 'target')}; "
            f"give one target per input"
        )
    given = [a for a in (spec.input, spec.target) if a is not None]
    if len(given) == 1 and len(given[0]) > 1:
        raise UsageError("a batch of several samples needs both input and target")
    _check_loss_fits(spec)
    k, n = spec.batch_size, len(spec.data()[0])
    if k is not None:
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise UsageError(f"batch size must be a whole number ≥ 1; got {k!r}")
        if k > n:
            raise UsageError(
                f"batch size {k} is more than the {count(n, 'sample')} given; give more samples with --input "
                f"and --target, or a batch size up to {n}"
            )


def _check_loss_fits(spec: NetSpec) -> None:
    """A loss that needs a kind of output or of target gets it, or a message saying what to change."""
    output, n = spec.activations[-1], spec.sizes[-1]
    loss = get_loss(spec.loss)
    if loss.output and output != loss.output[0]:
        needed, why, instead = loss.output
        raise UsageError(
            f"{loss.name} needs {why}, but the output activation is {output}; use --output-activation "
            f"{needed} ({instead})"
        )
    problem = loss.check_targets(spec.data()[1], n)  # each loss says which targets it takes
    if problem:
        raise UsageError(problem)


def _check_activations(spec: NetSpec) -> None:
    for l, name in enumerate(spec.activations[:-1], start=1):
        if get_activation(name).output_only:
            raise UsageError(
                f"{name} is for the output layer only, but hidden layer {l} has it; use --activation "
                f"sigmoid (or tanh, relu) for the hidden layers and --output-activation {name}"
            )
    output = get_activation(spec.activations[-1])
    if output.vjp is not None and spec.sizes[-1] < 2:
        raise UsageError(
            f"{output.name} on 1 output is always 1 (nothing to learn); give the output layer one "
            f"neuron per class (e.g. 2-4-3), or use sigmoid with --loss bce for a yes/no output"
        )


def _check_rule(spec: NetSpec) -> None:
    if spec.rule not in RULES:
        raise unknown_name("rule", str(spec.rule), RULES)
    if spec.rule == "perceptron":
        if spec.n_layers != 1 or spec.activations[-1] != "step":
            raise UsageError(
                "the perceptron rule trains one layer of step neurons (e.g. sizes = [2, 1], "
                'output_activation = "step"); for more layers use rule = "backprop" with sigmoid'
            )
        if spec.loss != "half_sse":
            raise UsageError(
                f"the perceptron rule's error is y − ŷ, the slope of ½(y − ŷ)²: use --loss half_sse (got {spec.loss})"
            )


def _check_parameters(spec: NetSpec) -> None:
    for key in ("weights", "biases"):
        arrays = getattr(spec, key)
        if arrays is None:
            continue
        if len(arrays) != spec.n_layers:
            raise UsageError(f"{key} has {count(len(arrays), 'layer')} but the network has {spec.n_layers}")
        for layer, (array, n_in, n_out) in enumerate(zip(arrays, spec.sizes[:-1], spec.sizes[1:]), start=1):
            expected = (n_out, n_in) if key == "weights" else (n_out,)
            if array.shape != expected:
                form = "out × in, like torch.nn.Linear" if key == "weights" else "one per neuron"
                raise UsageError(f"{key} of layer {layer} has shape {array.shape}; expected {expected} ({form})")


def _set(spec: NetSpec, field: str, value) -> None:
    object.__setattr__(spec, field, value)  # normalising a frozen dataclass during its own checks
