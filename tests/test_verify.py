"""The witnesses catch a wrong number wherever it is, for every optimizer, with regularization,
dropout and mini-batches; and torch.optim, run without torch._dynamo, computes what its public
step computes, bit for bit."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from visualizer.functions.optimizers import OPTIMIZERS
from visualizer.network import torch_twin
from visualizer.network.mlp import run
from visualizer.network.sources import load_spec
from visualizer.network.trace import Trace
from visualizer.network.verify import check_against_torch, check_finite_differences

BATCH = {
    "input": [[0.05, 0.1], [0.3, -0.4], [1.0, 2.0], [-0.5, 0.25]],
    "target": [[0.01], [0.9], [0.5], [0.2]],
    "batch_size": 2,
}
SETTINGS = {
    "plain": {},
    "l1 and l2": {"l1": 0.01, "l2": 0.05},
    "dropout": {"dropout": 0.3},
    "mini-batches": BATCH,
}


def trace_of(optimizer, setting, steps=2):
    return run(load_spec("2-3-1").with_overrides(optimizer=optimizer, **SETTINGS[setting]), steps)


def tampered(trace, step, layer, field, slot=None, nudge=1e-9):
    """The trace with one number of one field moved by `nudge` (relative where it is above 1)."""
    data = json.loads(trace.to_json())
    place = data["steps"][step]
    if layer is not None:
        place = place["layers"][layer]
    if slot is not None:
        place = place[field]
        field = slot
    value = np.array(place[field], dtype=np.float64)
    flat = value.reshape(-1)  # a view: the first entry of an array, or the number itself
    flat[0] += nudge * max(1.0, abs(flat[0]))
    place[field] = value.tolist()
    return Trace.from_json(json.dumps(data))


def fields(optimizer, setting):
    """What to break in step 2 (layer, field, slot), with the place the checker must name first:
    forward, backward, update, the optimizer's state (carried from step 1), and what only some
    settings record."""
    cases = [
        (None, "loss", None, "loss"),
        (0, "z", None, "layer 1, z"),
        (1, "a", None, "layer 2, a"),
        (1, "delta", None, "layer 2, delta"),
        (0, "delta", None, "layer 1, delta"),
        (0, "grad_W", None, "layer 1, grad_W"),
        (1, "grad_b", None, "layer 2, grad_b"),
        (0, "W_new", None, "layer 1, W_new"),
        (1, "b_new", None, "layer 2, b_new"),
        (None, "loss_after", None, "loss after"),
    ]
    for slot in OPTIMIZERS[optimizer].torch_state:
        cases += [(0, "state_W", slot, f"layer 1, state_W[{slot}]"), (1, "state_b", slot, f"layer 2, state_b[{slot}]")]
    if setting == "l1 and l2":
        cases += [(None, "penalties", name, f"penalty {name}") for name in ("l1", "l2")]
    if setting == "mini-batches":
        cases += [
            (0, "grad_W_samples", None, "layer 1, grad_W_samples"),
            (None, "sample_losses", None, "sample losses"),
        ]
    return cases


@pytest.mark.parametrize("setting", sorted(SETTINGS))
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_torch_names_the_first_wrong_number(optimizer, setting):
    trace = trace_of(optimizer, setting)
    assert check_against_torch(trace).passed
    assert check_finite_differences(trace).passed
    for layer, field, slot, expected in fields(optimizer, setting):
        check = check_against_torch(tampered(trace, 1, layer, field, slot))
        assert not check.passed and check.worst == f"step 2, {expected}", (field, slot, check)


@pytest.mark.parametrize("setting", sorted(SETTINGS))
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_a_wrong_starting_weight_or_mask_is_caught(optimizer, setting):
    trace = trace_of(optimizer, setting)
    # step 2 starts from step 1's W_new: a changed start breaks the chain or the numbers after it
    assert not check_against_torch(tampered(trace, 1, 0, "W")).passed
    if setting == "dropout":  # another dropped neuron: torch, using the trace's masks, disagrees
        data = json.loads(trace.to_json())
        mask = data["steps"][1]["layers"][0]["mask"]
        mask[0] = [0.0 if m else 1 / 0.7 for m in mask[0]]
        assert not check_against_torch(Trace.from_json(json.dumps(data))).passed


@pytest.mark.parametrize("setting", sorted(SETTINGS))
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_finite_differences_catch_a_wrong_gradient(optimizer, setting):
    trace = trace_of(optimizer, setting)
    for layer, field in ((0, "grad_W"), (1, "grad_b"), (0, "delta")):
        check = check_finite_differences(tampered(trace, 1, layer, field, nudge=1e-5))
        assert not check.passed and check.worst == f"step 2, layer {layer + 1}, {field}", check


def test_l1_weight_next_to_zero_is_a_kink_not_a_failure():
    # adagrad's first step brings a weight of layer 2 to 2.7e-10: ±h crosses |w|'s kink
    trace = run(load_spec("2-3-1").with_overrides(optimizer="adagrad", l1=0.01, l2=0.05), 2)
    assert 0 < abs(trace.steps[1].layers[1].W).min() < 1e-6
    check = check_finite_differences(trace)
    assert check.passed and check.skipped >= 1, check


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_torch_optim_without_its_guards_steps_as_its_public_step(name, monkeypatch):
    """Three steps of each torch.optim class, built and stepped the witness's way (as if
    torch._dynamo were not loaded) and the public way: the same parameters and state, bit for bit."""
    monkeypatch.setattr(torch_twin, "_dynamo_loaded", lambda: False)
    optimizer = OPTIMIZERS[name]
    hyper = dict(optimizer.defaults)
    rng = np.random.default_rng(0)
    start = [rng.normal(size=(3, 2)), rng.normal(size=3)]
    grads = [[rng.normal(size=p.shape) for p in start] for _ in range(3)]

    def params():
        return [torch.tensor(p, requires_grad=True) for p in start]

    ours, theirs = params(), params()
    ours_opt = torch_twin.torch_optimizer(torch, optimizer, ours, hyper)
    add_param_group = torch.optim.Optimizer.add_param_group.__wrapped__
    assert getattr(add_param_group, "__dynamo_disable", None) is not add_param_group  # nothing left behind
    theirs_opt = optimizer.torch(torch, theirs, hyper)
    assert type(ours_opt) is type(theirs_opt)
    settings = [{k: v for k, v in o.param_groups[0].items() if k != "params"} for o in (ours_opt, theirs_opt)]
    assert settings[0] == settings[1]
    assert torch_twin.unguarded_step(ours_opt) is not None  # the guards are the ones known: bypassed
    for step in grads:
        for p, q, g in zip(ours, theirs, step):
            p.grad, q.grad = torch.tensor(g), torch.tensor(g)
        torch_twin.torch_step(torch, ours_opt)
        theirs_opt.step()
        for p, q in zip(ours, theirs):
            assert torch.equal(p, q)
            assert p.requires_grad and p.grad_fn is None  # updated in place, outside autograd
            assert ours_opt.state[p].keys() == theirs_opt.state[q].keys()
            for key in ours_opt.state[p]:
                assert torch.equal(torch.as_tensor(ours_opt.state[p][key]), torch.as_tensor(theirs_opt.state[q][key]))


def test_the_witness_does_not_import_torch_dynamo():
    """torch._dynamo alone takes longer to import than torch: verification runs without it, for
    every optimizer, with regularization, dropout and mini-batches."""
    code = (
        "import sys\n"
        "from visualizer.functions.optimizers import OPTIMIZERS\n"
        "from visualizer.network.mlp import run\n"
        "from visualizer.network.sources import load_spec\n"
        "from visualizer.network.verify import verify\n"
        f"settings = {list(SETTINGS.values())!r}\n"
        "for name in OPTIMIZERS:\n"
        "    for extra in settings:\n"
        "        report = verify(run(load_spec('2-3-1').with_overrides(optimizer=name, **extra), 2))\n"
        "        assert report.passed, (name, extra, report)\n"
        "print('torch._dynamo' in sys.modules, 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
