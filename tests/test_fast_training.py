"""What makes training fast is the same math as the definitions a Trace shows: Adam updated in
place (bit for bit the update that returns new arrays, in float64 and float32, and torch.optim's
numbers), the engine's fused linear op (the numbers of `a @ W.T + b`), and fit's in-place steps
(float64 training bit for bit what the Trace's graph computes)."""

import numpy as np
import pytest
import torch
from test_train_dtype import WIDE

from visualizer.core.engine import Node, linear
from visualizer.functions import optimizers, parts
from visualizer.network.definitions import Definitions
from visualizer.network.mlp import learn, network_info
from visualizer.network.spec import spec_from_table
from visualizer.training.loop import TrainOptions, fit

SHAPES = [(6, 5), (6,), (3, 6), (3,)]
DTYPES = (np.float64, np.float32)


def _params(dtype, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape).astype(dtype) for shape in SHAPES]


def _grads(dtype, step):
    rng = np.random.default_rng(100 + step)
    # a wide range of sizes, so that v's square root and ε both matter somewhere
    return [(rng.normal(size=shape) * 10.0 ** rng.integers(-9, 1, shape)).astype(dtype) for shape in SHAPES]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["adam", "adamw"])
@pytest.mark.parametrize("beta1", [0.9, 0.3])  # both of torch.lerp's branches
@pytest.mark.parametrize("cores", [1, 3])  # in one pass, and in parts on three threads
def test_adam_in_place_is_the_update_bit_for_bit(name, dtype, beta1, cores, monkeypatch):
    # parts of 4 elements, so that these small arrays are split as a wide layer's are
    monkeypatch.setattr(parts, "SMALLEST_PART", 4)
    monkeypatch.setattr(parts, "cores", lambda: cores)
    optimizer = optimizers.OPTIMIZERS[name]
    hyper = optimizer.hyper({"lr": 1e-2, "beta1": beta1})
    new, state = _params(dtype), {}
    live, live_state = _params(dtype), {}
    for step in range(1, 6):
        grads = _grads(dtype, step)
        new, state = optimizer.update(new, grads, state, hyper)
        arrays = list(live)
        live_state = optimizer.update_in_place(live, grads, live_state, hyper)
        assert all(a is b for a, b in zip(live, arrays))  # the same arrays, changed
        assert live_state["t"] == state["t"] == step
        for ours, theirs in zip([*live, *live_state["m"], *live_state["v"]], [*new, *state["m"], *state["v"]]):
            assert ours.dtype == dtype
            np.testing.assert_array_equal(ours, theirs)


def test_parts_cover_every_element_once():
    seen = np.zeros(1_000_003)
    parts.in_parts(lambda part: np.add(part, 1, out=part), [seen])
    assert (seen == 1).all()


def test_the_update_still_leaves_its_inputs_alone():
    params, grads = _params(np.float64), _grads(np.float64, 1)
    before = [p.copy() for p in params]
    _, state = optimizers.ADAM.update(params, grads, {}, optimizers.ADAM.hyper({}))
    optimizers.ADAM.update(params, grads, state, optimizers.ADAM.hyper({}))
    assert all(np.array_equal(p, b) for p, b in zip(params, before))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_adam_in_place_matches_torch(name, dtype):
    optimizer = optimizers.OPTIMIZERS[name]
    hyper = optimizer.hyper({"lr": 1e-2})
    live, state = _params(dtype), {}
    tensors = [torch.tensor(p, requires_grad=True) for p in _params(dtype)]
    theirs = optimizer.torch(torch, tensors, hyper)
    for step in range(1, 6):
        grads = _grads(dtype, step)
        state = optimizer.update_in_place(live, grads, state, hyper)
        for tensor, g in zip(tensors, grads):
            tensor.grad = torch.from_numpy(g.copy())
        theirs.step()
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    for ours, tensor in zip(live, tensors):
        np.testing.assert_allclose(ours, tensor.detach().numpy(), rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_is_a_at_w_transposed_plus_b(dtype):
    rng = np.random.default_rng(0)
    values = [rng.normal(size=shape).astype(dtype) for shape in ((4, 5), (3, 5), (3,), (4, 3))]
    grads = {}
    for fused in (True, False):
        a, W, b = (Node(v) for v in values[:3])
        z = linear(a, W, b) if fused else a @ W.T + b
        (z * Node(values[3])).sum().backward()
        grads[fused] = [a.grad, W.grad, b.grad]
        assert z.value.dtype == dtype and all(g.dtype == dtype for g in grads[fused])
        if fused:
            fused_z = z.value
        else:
            np.testing.assert_array_equal(fused_z, z.value)  # the forward numbers are the same
    rtol = 1e-13 if dtype == np.float64 else 1e-5
    for ours, theirs in zip(grads[True], grads[False]):
        np.testing.assert_allclose(ours, theirs, rtol=rtol)


def test_linear_skips_what_needs_no_gradient():
    a, W, b = Node(np.ones((2, 3)), needs_grad=False), Node(np.ones((4, 3))), Node(np.zeros(4))
    linear(a, W, b).sum().backward()
    assert not a.grad.any() and np.array_equal(W.grad, np.full((4, 3), 2.0)) and np.array_equal(b.grad, [2.0] * 4)


SPEC = {**WIDE, "name": "12-10-8-4", "sizes": [12, 10, 8, 4], "optimizer": {"name": "adam", "lr": 1e-2}}


def _data(n=200):
    rng = np.random.default_rng(3)
    return rng.uniform(0, 1, (n, 12)), rng.integers(0, 4, (n, 1)).astype(np.float64)


@pytest.mark.parametrize("dtype, fused", [(np.float64, False), (np.float32, False), (np.float32, True)])
def test_an_in_place_step_is_the_recorded_step(dtype, fused):
    """learn(in_place=True) changes the arrays it was given to what the step that returns new
    arrays gives: bit for bit unfused (how float64 trains), to float32's rounding fused."""
    spec = spec_from_table({**SPEC, "l2": 1e-3})
    defs = Definitions.from_info(network_info(spec))
    x, y = _data(16)
    x = x.astype(dtype)
    weights, biases = ([p.astype(dtype) for p in ps] for ps in spec.parameters())
    state, live_state = {}, {}
    live_W, live_b = [w.copy() for w in weights], [b.copy() for b in biases]
    for _ in range(3):
        f, weights, biases, state = learn(defs, weights, biases, x, y, state)
        g, live_W, live_b, live_state = learn(defs, live_W, live_b, x, y, live_state, in_place=True, fused=fused)
        assert g.loss.value.dtype == dtype
    for ours, theirs in zip([*live_W, *live_b, *live_state["m"]], [*weights, *biases, *state["m"]]):
        assert ours.dtype == dtype
        if fused:
            np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-6)
        else:
            np.testing.assert_array_equal(ours, theirs)


def test_fit_leaves_the_spec_alone_and_keeps_the_best_epoch():
    x, y = _data()
    spec = spec_from_table(SPEC)
    start = spec.parameters()
    options = TrainOptions(epochs=40, batch_size=16, early_stopping=2, dtype="float32")
    result = fit(spec, "multiclass", x[:150], y[:150], x[150:], y[150:], options)
    assert result.stopped  # random labels: the validation loss soon rises
    assert all(np.array_equal(p, q) for p, q in zip(spec.parameters()[0], start[0]))
    best = result.history["best_epoch"]
    again = fit(spec, "multiclass", x[:150], y[:150], x[150:], y[150:], TrainOptions(best, 16, dtype="float32"))
    for ours, theirs in zip(result.weights + result.biases, again.weights + again.biases):
        np.testing.assert_array_equal(ours, theirs)  # the best epoch's weights, not the last one's


def test_float32_training_matches_torch():
    x, y = _data()
    spec = spec_from_table(SPEC)
    losses = {}
    for backend in ("engine", "torch"):
        options = TrainOptions(epochs=2, batch_size=16, backend=backend, dtype="float32")
        losses[backend] = fit(spec, "multiclass", x, y, options=options).step_losses
    np.testing.assert_allclose(losses["engine"], losses["torch"], rtol=1e-4)
