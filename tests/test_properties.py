"""Property tests: for random small networks trained by any optimizer with random settings,
every Trace field (the optimizer's state included) equals torch autograd and torch.optim, and
every gradient agrees with central finite differences."""

import numpy as np
from helpers import fit_loss
from hypothesis import assume, given
from hypothesis import strategies as st

from visualizer.errors import Diverged
from visualizer.functions.activations import ACTIVATIONS
from visualizer.functions.initializers import INITIALIZERS
from visualizer.functions.losses import LOSSES
from visualizer.functions.optimizers import OPTIMIZERS
from visualizer.network.mlp import run
from visualizer.network.spec import spec_from_table
from visualizer.network.verify import check_against_torch, check_finite_differences

names = st.sampled_from(sorted(ACTIVATIONS))


@st.composite
def networks(draw):
    hidden = draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))
    sizes = [draw(st.integers(1, 6)), *hidden, draw(st.integers(1, 6))]
    batch = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    table = {
        "sizes": sizes,
        "activation": [draw(names) for _ in hidden],
        "output_activation": draw(names),
        "loss": draw(st.sampled_from(sorted(LOSSES))),
        "init": draw(st.sampled_from(sorted(INITIALIZERS))),
        "seed": seed,
        "train_biases": draw(st.booleans()),
        "input": rng.uniform(-2, 2, (batch, sizes[0])).tolist(),
        "target": rng.uniform(-1, 1, (batch, sizes[-1])).tolist(),
        "optimizer": draw(optimizers()),
        "l1": draw(st.sampled_from([0.0, 0.0, 0.01, 0.3])),
        "l2": draw(st.sampled_from([0.0, 0.0, 0.01, 0.3])),
        "dropout": draw(st.sampled_from([0.0, 0.0, 0.2, 0.5])),
    }
    if batch > 1 and draw(st.booleans()):
        table["batch_size"] = draw(st.integers(1, batch - 1))
    return spec_from_table(fit_loss(table, rng)), draw(st.integers(1, 5))


@st.composite
def optimizers(draw):
    """Any optimizer, with its settings drawn inside their allowed ranges."""
    name = draw(st.sampled_from(sorted(OPTIMIZERS)))
    settings = {"lr": draw(st.floats(0.001, 1.0))}
    for key in OPTIMIZERS[name].defaults:
        if key in ("momentum", "alpha", "beta1", "beta2"):
            settings[key] = draw(st.floats(0.001 if name == "nesterov" else 0.0, 0.999))
        elif key == "eps":
            settings[key] = draw(st.floats(1e-10, 1e-3))
        elif key == "weight_decay":
            settings[key] = draw(st.floats(0.0, 0.5))
    return {"name": name, **settings}


def trained(spec, steps):
    """The run, unless it diverged past float64 (an inf against torch's 1.7e308 says nothing)."""
    try:
        trace = run(spec, steps)
    except Diverged:
        assume(False)
    assume(all(loss < 1e100 for loss in trace.loss_history))
    return trace


@given(networks())
def test_every_field_matches_torch(net):
    spec, steps = net
    check = check_against_torch(trained(spec, steps), tolerance=1e-12)
    assert check.passed, check


@given(networks())
def test_gradients_match_finite_differences(net):
    spec, steps = net
    check = check_finite_differences(trained(spec, steps))
    assert check.passed, check
    assert check.compared + check.skipped > 0
