"""One description of a network: NetSpec's fields drive the TOML keys, a model file's metadata,
the Trace's `network` record and the command line's overrides. Each test walks every field, so a
field added to NetSpec is checked everywhere it goes, and a test here says where it is missing."""

import dataclasses
import json

import click
import numpy as np
import pytest
from click.testing import CliRunner
from safetensors.numpy import save_file

from visualizer.cli.options import net_options, override_options
from visualizer.network.mlp import network_info, run
from visualizer.network.model_io import read_model, save_model, spec_from_model, state_dict
from visualizer.network.sources import load_spec
from visualizer.network.spec import FIELDS, MODEL_FIELDS, OPTIONAL, NetSpec, spec_from_table
from visualizer.network.trace import NetworkInfo, Trace

BASE = {"sizes": [2, 3, 1]}
# each TOML key set to something other than its default (with what that value needs)
CHANGED = {
    "name": {"name": "changed"},
    "description": {"description": "one line about it"},
    "sizes": {"sizes": [2, 4, 1]},
    "activation": {"activation": "tanh"},
    "output_activation": {"output_activation": "identity"},
    "loss": {"loss": "mae"},
    "reduction": {"reduction": "sum"},
    "margin": {"margin": 2.0, "loss": "multi_hinge", "sizes": [2, 3, 2], "target": [1.0]},
    "seed": {"seed": 7},
    "init": {"init": "he"},
    "train_biases": {"train_biases": False},
    "input": {"input": [0.5, -0.5]},
    "target": {"target": [0.25]},
    "optimizer": {"optimizer": {"name": "momentum", "lr": 0.1}},
    "weights": {"weights": [np.full((3, 2), 0.1).tolist(), np.full((1, 3), 0.2).tolist()]},
    "biases": {"biases": [[0.1, 0.2, 0.3], [0.4]]},
    "precision": {"precision": 6},
    "l1": {"l1": 0.01},
    "l2": {"l2": 0.02},
    "rule": {"rule": "perceptron", "sizes": [2, 1], "output_activation": "step", "loss": "half_sse"},
    "dropout": {"dropout": 0.5},
    "batch_size": {"batch_size": 1},
    "classes": {"classes": ["no", "yes"]},
    "input_scaling": {"input_scaling": {"shift": 0.0, "scale": 255.0, "how": "pixels / 255"}},
}
# the TOML keys no command-line option overrides: a new field either gets an option or is listed here
FILE_ONLY = {"name", "description", "sizes", "init", "train_biases", "weights", "biases", "precision", "rule", "classes",
    "input_scaling", "margin"}  # fmt: skip
# a value on the command line for each option that overrides the spec
ON_THE_COMMAND_LINE = {
    "seed": "7",
    "input": "0.5,-0.5",
    "target": "0.25",
    "activation": "tanh",
    "output_activation": "identity",
    "loss": "mae",
    "reduction": "sum",
    "optimizer": "momentum",
    "lr": "0.1",
    "l2": "0.02",
    "l1": "0.01",
    "batch_size": "1",
    "dropout": "0.5",
}


def field_of(key: str) -> str:
    """The NetSpec field a TOML key (or an override) sets."""
    return {"activation": "activations", "output_activation": "activations", "lr": "optimizer"}.get(key, key)


def same(a, b) -> bool:
    """Equal values, arrays (and tuples of them, as the weights) compared by their numbers."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is not None and b is not None and np.array_equal(a, b)
    return a == b


def changed_and_base(key: str) -> tuple[NetSpec, NetSpec]:
    """The spec with `key` changed, and the same without that change."""
    needs = {k: v for k, v in CHANGED[key].items() if k != key}
    return spec_from_table({**BASE, **CHANGED[key]}), spec_from_table({**BASE, **needs})


def default(f: dataclasses.Field):
    """A record's default for a field (MISSING: required)."""
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


def test_every_toml_key_is_tried_here():
    assert list(CHANGED) == FIELDS, "give each TOML key a changed value in CHANGED"


@pytest.mark.parametrize("key", FIELDS)
def test_a_toml_key_reaches_its_field(key):
    changed, base = changed_and_base(key)
    assert not same(getattr(changed, field_of(key)), getattr(base, field_of(key)))


@pytest.mark.parametrize("key", FIELDS)
def test_a_model_file_keeps_the_fields_marked_for_it(tmp_path, key):
    spec, _ = changed_and_base(key)
    loaded = spec_from_model(save_model(tmp_path / "m.safetensors", spec, *spec.parameters()))
    for name in MODEL_FIELDS:
        assert same(getattr(loaded, name), getattr(spec, name)), name


@pytest.mark.parametrize("key", FIELDS)
def test_the_trace_keeps_the_fields_networkinfo_names_through_json(key):
    spec, _ = changed_and_base(key)
    network = Trace.from_json(run(spec).to_json()).network
    assert network == network_info(spec)
    for f in dataclasses.fields(NetworkInfo):
        if f.name == "regularization":  # the spec's l1 and l2, those in use
            assert network.regularization == {k: getattr(spec, k) for k in ("l1", "l2") if getattr(spec, k) > 0}
        elif f.name == "drawn":  # what the spec left to the seed
            assert set(network.drawn) == {
                k for k in ("weights", "biases", "input", "target") if getattr(spec, k) is None
            }
        else:
            assert same(getattr(network, f.name), getattr(spec, f.name)), f.name


def test_networkinfo_names_spec_fields_with_their_defaults():
    spec_fields = {f.name: f for f in dataclasses.fields(NetSpec)}
    for f in dataclasses.fields(NetworkInfo):
        if f.name in ("regularization", "drawn"):  # worked out from the spec, not copied
            continue
        assert f.name in spec_fields, f"NetworkInfo.{f.name} is not a spec field"
        if f.default is not dataclasses.MISSING:  # an older trace without it means the spec's default
            assert f.default == spec_fields[f.name].default, f.name


def test_older_traces_and_models_read_the_later_fields_as_their_defaults(tmp_path):
    spec = load_spec("2-3-1").with_overrides(dropout=0.5, l1=0.1, l2=0.01, batch_size=1)
    data = json.loads(run(spec).to_json())
    later = [f for f in dataclasses.fields(NetworkInfo) if default(f) is not dataclasses.MISSING]
    for f in later:
        del data["network"][f.name]
    network = Trace.from_dict(data).network
    assert all(getattr(network, f.name) == default(f) for f in later)
    description, weights, biases = read_model(save_model(tmp_path / "m.safetensors", spec, *spec.parameters()))
    for name, how in MODEL_FIELDS.items():  # the metadata as an older version wrote it
        if how == OPTIONAL:
            del description[name]
    save_file(
        state_dict(weights, biases), str(tmp_path / "m.safetensors"), metadata={"backprop": json.dumps(description)}
    )
    loaded = spec_from_model(tmp_path / "m.safetensors")
    defaults = {f.name: default(f) for f in dataclasses.fields(NetSpec)}
    assert all(getattr(loaded, name) == defaults[name] for name, how in MODEL_FIELDS.items() if how == OPTIONAL)
    assert loaded.sizes == spec.sizes and loaded.optimizer == spec.optimizer


def test_every_toml_key_is_overridable_or_file_only():
    overridable = set(override_options()) - {"lr"}  # lr: a setting of the optimizer
    assert overridable <= set(FIELDS), "an option overrides a TOML key (NetSpec.with_overrides takes them)"
    assert overridable | FILE_ONLY == set(FIELDS) and not overridable & FILE_ONLY


@pytest.mark.parametrize("key", list(override_options()))
def test_each_override_option_reaches_the_spec(key):
    param = override_options()[key](lambda: None).__click_params__[0]
    assert param.name == key, "the option's parameter is named as the key it overrides"
    seen = []

    @click.command()
    @net_options
    def command(spec, steps):
        seen.append(spec)

    result = CliRunner().invoke(command, ["--net", "2-3-1", param.opts[0], ON_THE_COMMAND_LINE[key]])
    assert result.exit_code == 0, result.output
    assert not same(getattr(seen[0], field_of(key)), getattr(load_spec("2-3-1"), field_of(key)))
