"""Saving and loading a trained network, without pickle: nothing in a model file can run code.

A model is a safetensors file: the weights and biases under torch.nn.Sequential's names for
the same network (Linear layers at 0, 2, 4, … with an activation between them: `0.weight`,
`0.bias`, `2.weight`, …), so `torch.nn.Sequential(...).load_state_dict(safetensors.torch.
load_file(path))` reads it as it is; and, as the file's text metadata, the spec as JSON (the
fields spec.MODEL_FIELDS names: sizes, activations, loss, optimizer, seed, …) and what the
network was trained on (its classes, the shape of its images), how its raw inputs are scaled
(`input_scaling`: x = (raw − shift) / scale) and the settings it was trained with (`training`:
seed, epochs, batch size, optimizer and lr, data set and split, dtype). `--net model.safetensors`
loads it wherever a network is accepted.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from visualizer.errors import UsageError
from visualizer.files import atomic_target

from .spec import MODEL_FIELDS, REQUIRED, NetSpec

FORMAT = "backprop-model/1"


def state_dict(weights, biases) -> dict[str, np.ndarray]:
    """torch.nn.Sequential's names: Linear layers at even indices, activations in between."""
    tensors = {}
    for l, (W, b) in enumerate(zip(weights, biases)):
        tensors[f"{2 * l}.weight"] = np.ascontiguousarray(W, dtype=np.float64)
        tensors[f"{2 * l}.bias"] = np.ascontiguousarray(b, dtype=np.float64)
    return tensors


def save_model(path, spec, weights, biases, *, trained_on: dict | None = None, training=None) -> Path:
    """Write the network with these weights to `path` (safetensors), whole or not at all; the
    spec's classes and input_scaling go with it, and `training` (visualizer.training.settings)."""
    from safetensors.numpy import save_file

    description = {
        "format": FORMAT,
        **{name: getattr(spec, name) for name in MODEL_FIELDS},
        "trained_on": trained_on or {},
    }
    if training is not None:
        description["training"] = training
    with atomic_target(path) as tmp:
        save_file(state_dict(weights, biases), str(tmp), metadata={"backprop": json.dumps(description)})
    return Path(path)


def read_model(path) -> tuple[dict, list[np.ndarray], list[np.ndarray]]:
    """(the description, weights, biases) of a model file; a clear error for anything else."""
    from safetensors import SafetensorError, safe_open

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"model file {path} does not exist; write one with backprop train --save {path}")
    try:
        with safe_open(str(path), framework="np") as f:
            metadata = f.metadata() or {}
            tensors = {key: f.get_tensor(key) for key in f.keys()}
    except (SafetensorError, OSError, ValueError) as err:
        raise UsageError(
            f"{path} is not a readable safetensors model ({err}); save models with backprop train --save"
        ) from None
    try:
        description = json.loads(metadata["backprop"])
    except json.JSONDecodeError:
        # said apart from a missing key: "(missing Expecting value: line 1…)" read as nonsense
        raise UsageError(
            f"{path} is a safetensors file but its backprop metadata is not valid JSON (damaged or "
            f"edited by hand); save the model again with backprop train --save"
        ) from None
    except KeyError:
        raise UsageError(
            f"{path} is a safetensors file but not a {FORMAT} model (it has no backprop metadata); "
            f"save models with backprop train --save"
        ) from None
    try:
        if not isinstance(description, dict) or description.get("format") != FORMAT:
            raise KeyError("format")
        n = len(description["sizes"]) - 1
        weights = [np.asarray(tensors[f"{2 * l}.weight"], dtype=np.float64) for l in range(n)]
        biases = [np.asarray(tensors[f"{2 * l}.bias"], dtype=np.float64) for l in range(n)]
    except (KeyError, TypeError, ValueError, json.JSONDecodeError) as err:
        raise UsageError(
            f"{path} is a safetensors file but not a {FORMAT} model (missing {err}); save models with "
            f"backprop train --save"
        ) from None
    # a TOML spec's weights are checked for nan and inf as they are read (spec._array); a model's here
    if not all(np.all(np.isfinite(a)) for a in (*weights, *biases)):
        raise UsageError(
            f"{path} holds a weight or bias that is not a finite number (nan or inf), as from a "
            f"training run that diverged; train it again with a smaller --lr"
        )
    return description, weights, biases


def spec_from_model(path) -> NetSpec:
    """A NetSpec with the model's weights, activations, loss and optimizer (and no data: give
    --input and --target to explain a step of it)."""
    description, weights, biases = read_model(path)
    try:
        # a REQUIRED field missing is a KeyError; an OPTIONAL one missing (an older model) keeps its default
        kept = {name: description[name] for name, how in MODEL_FIELDS.items() if how == REQUIRED or name in description}
        if "classes" not in description:  # a model from before classes were a field kept them here
            classes = (description.get("trained_on") or {}).get("classes") or ()
            kept["classes"] = classes if len(classes) == description["sizes"][-1] else ()
        return NetSpec(**kept, weights=tuple(weights), biases=tuple(biases))
    except UsageError as err:
        raise UsageError(f"{path}: {err}") from None
    except KeyError as err:  # metadata with a field missing (written by hand, or by something else)
        raise UsageError(
            f"{path} is a safetensors file but not a {FORMAT} model (its metadata has no {err}); "
            f"save models with backprop train --save"
        ) from None
    except (TypeError, ValueError) as err:  # a field of the wrong kind: sizes = "2-3-1", optimizer = 5
        raise UsageError(
            f"{path} is a safetensors file but its {FORMAT} metadata is damaged ({err}); save the "
            f"model again with backprop train --save"
        ) from None


# ----- torch.nn.Sequential ---------------------------------------------------------------------


def to_torch(spec, weights, biases):
    """The same network as a torch.nn.Sequential (float64) holding these weights."""
    import torch

    from visualizer.functions.activations import get_activation

    modules = []
    for W, name in zip(weights, spec.activations):
        modules += [
            torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64),
            _activation_module(get_activation(name, spec.rule)),
        ]
    net = torch.nn.Sequential(*modules)
    net.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in state_dict(weights, biases).items()})
    return net


def from_torch(state) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights and biases from a torch.nn.Sequential's state dict (Linear layers in order)."""
    keys = sorted({k.rsplit(".", 1)[0] for k in state if k.endswith(".weight")}, key=lambda k: int(k.split(".")[-1]))
    weights = [state[f"{k}.weight"].detach().cpu().double().numpy().copy() for k in keys]
    biases = [state[f"{k}.bias"].detach().cpu().double().numpy().copy() for k in keys]
    return weights, biases


def _activation_module(activation):
    """A torch module applying one of our activations through its torch counterpart."""
    import torch

    class Activation(torch.nn.Module):
        def forward(self, z):
            return activation.torch(torch, z)

        def extra_repr(self):
            return activation.name

    return Activation()
