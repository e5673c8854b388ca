"""The engine against torch autograd, op by op, and its graph semantics."""

import numpy as np
import pytest
import torch
from helpers import compare_with_torch

from visualizer.core.engine import EngineError, Node
from visualizer.functions.activations import ACTIVATIONS

M, N, K = 3, 4, 5


@pytest.mark.parametrize(
    "ours, theirs, shapes",
    [
        (lambda a, b: a + b, lambda a, b: a + b, [(M, N), (M, N)]),
        (lambda a, b: a - b, lambda a, b: a - b, [(M, N), (M, N)]),
        (lambda a, b: a * b, lambda a, b: a * b, [(M, N), (M, N)]),
        (lambda a, b: a / b, lambda a, b: a / b, [(M, N), (M, N)]),
        (lambda a: -a, lambda a: -a, [(M, N)]),
        (lambda a: a**3, lambda a: a**3, [(M, N)]),
        (lambda a: a**0.5, lambda a: a**0.5, [(M, N)]),
        (lambda a, b: a @ b, lambda a, b: a @ b, [(M, N), (N, K)]),
        (lambda a, b: a @ b.T, lambda a, b: a @ b.T, [(M, N), (K, N)]),
        (lambda a: a.sum(), lambda a: a.sum(), [(M, N)]),
        (lambda a: a.sum(axis=0), lambda a: a.sum(dim=0), [(M, N)]),
        (lambda a: a.sum(axis=1, keepdims=True), lambda a: a.sum(dim=1, keepdim=True), [(M, N)]),
        (lambda a: a.mean(), lambda a: a.mean(), [(M, N)]),
        (lambda a: a.mean(axis=1), lambda a: a.mean(dim=1), [(M, N)]),
        (lambda a: a.mean(axis=0, keepdims=True), lambda a: a.mean(dim=0, keepdim=True), [(M, N)]),
        (lambda a: a.exp(), lambda a: a.exp(), [(M, N)]),
        # broadcasting: the gradient of the broadcast operand is summed back to its shape
        (lambda a, b: a + b, lambda a, b: a + b, [(M, N), (N,)]),
        (lambda a, b: a * b, lambda a, b: a * b, [(M, N), (M, 1)]),
        (lambda a, b: a - b, lambda a, b: a - b, [(M, N), (1, N)]),
        (lambda a, b: a / b, lambda a, b: a / b, [(M, N), ()]),
    ],
)
def test_ops_match_torch(ours, theirs, shapes):
    compare_with_torch(ours, theirs, *shapes, low=0.5, high=2.0)


def test_log_matches_torch():
    compare_with_torch(lambda a: a.log(), lambda a: a.log(), (M, N), low=0.1, high=3.0)


def test_operators_with_numbers_on_either_side():
    compare_with_torch(lambda a: 2.0 - a, lambda a: 2.0 - a, (M, N))
    compare_with_torch(lambda a: 3 * a + 1, lambda a: 3 * a + 1, (M, N))
    compare_with_torch(lambda a: 2.0 / a, lambda a: 2.0 / a, (M, N), low=0.5)
    compare_with_torch(lambda a: a / 4, lambda a: a / 4, (M, N))
    compare_with_torch(lambda a: 2.0**a, lambda a: 2.0**a, (M, N), grad_tol=1e-11)
    compare_with_torch(lambda a: np.ones((N, 2)) @ a, lambda a: torch.ones(N, 2, dtype=torch.float64) @ a, (2, K))


def test_numpy_array_on_the_left_gives_a_node():
    out = np.ones(3) + Node(np.arange(3.0))
    assert isinstance(out, Node)
    np.testing.assert_array_equal(out.value, [1, 2, 3])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_match_torch(name):
    f = ACTIVATIONS[name]
    compare_with_torch(f, lambda z: f.torch(torch, z), (M, N), low=-3.0, high=3.0)


def test_sigmoid_is_stable_far_from_zero():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is harmless
        z = Node([-1000.0, -40.0, 0.0, 40.0, 1000.0])
        a = ACTIVATIONS["sigmoid"](z)
        a.sum().backward()
    np.testing.assert_allclose(a.value, torch.sigmoid(torch.tensor(z.value)).numpy(), rtol=1e-15, atol=1e-300)
    assert np.all(np.isfinite(z.grad))


def test_relu_derivative_at_zero_is_zero_like_torch():
    z = Node([-1.0, 0.0, 1.0])
    ACTIVATIONS["relu"](z).sum().backward()
    np.testing.assert_array_equal(z.grad, [0.0, 0.0, 1.0])


# ----- reused nodes: every path adds into the shared node's gradient -----------------------------


def test_a_plus_a():
    a = Node(3.0)
    (a + a).backward()
    assert a.grad == 2.0


def test_a_times_a():
    a = Node(3.0)
    (a * a).backward()
    assert a.grad == 6.0


def test_diamond():
    # x feeds two branches that meet again: ∂/∂x of (2x)·(x + 1) = 4x + 2
    x = Node(1.5)
    left, right = x * 2, x + 1
    (left * right).backward()
    assert x.grad == pytest.approx(4 * 1.5 + 2, abs=1e-15)


def test_node_used_in_many_places_matches_torch():
    compare_with_torch(lambda a: (a * a + a) @ a.T - a.sum(), lambda a: (a * a + a) @ a.T - a.sum(), (M, M))


# ----- backward / zero_grad semantics -------------------------------------------------------------


def test_backward_twice_raises_instead_of_doubling():
    a = Node(2.0)
    loss = a * a
    loss.backward()
    with pytest.raises(EngineError, match="zero_grad"):
        loss.backward()
    assert a.grad == 4.0


def test_zero_grad_lets_backward_run_again_with_the_same_result():
    a, b = Node([1.0, 2.0]), Node([3.0, -1.0])
    loss = (a * b).sum()
    loss.backward()
    first = a.grad.copy(), b.grad.copy()
    loss.zero_grad()
    assert not a.grad.any() and not b.grad.any()
    loss.backward()
    np.testing.assert_array_equal(a.grad, first[0])
    np.testing.assert_array_equal(b.grad, first[1])


def test_two_graphs_sharing_a_leaf_add_like_a_sum():
    w = Node(2.0)
    (w * 3).backward()
    (w * w).backward()
    assert w.grad == 3 + 4  # ∂/∂w (3w + w²) at w = 2


def test_backward_needs_a_scalar():
    with pytest.raises(EngineError, match="scalar"):
        (Node(np.ones((2, 2))) * 2).backward()


def test_matmul_needs_matrices():
    with pytest.raises(EngineError, match="matrices"):
        Node(np.ones(3)) @ Node(np.ones(3))


def test_node_exponent_is_refused_with_a_hint():
    with pytest.raises(EngineError, match="exp"):
        Node(2.0) ** Node(3.0)


# ----- determinism and names -----------------------------------------------------------------------


def _graph():
    x = Node(np.ones((1, 2)), name="x")
    W = Node(np.full((3, 2), 0.5), name="L1.W")
    b = Node(np.zeros(3), name="L1.b")
    z = (x @ W.T + b).named("L1.z")
    a = ACTIVATIONS["sigmoid"](z).named("L1.a")
    return (a.sum()).named("loss")


def test_topological_order_is_fixed_and_parents_come_first():
    first = [(n.name, n.op) for n in _graph().topological_order()]
    assert first == [(n.name, n.op) for n in _graph().topological_order()]
    assert [name for name, _ in first] == ["x", "L1.W", "transpose", "matmul", "L1.b", "L1.z", "L1.a", "loss"]
    order = _graph().topological_order()
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)


def test_parents_are_ordered_tuples():
    a, b = Node(1.0, name="a"), Node(2.0, name="b")
    assert (a - b).parents == (a, b)
    assert (b - a).parents == (b, a)


def test_deep_chain_does_not_hit_the_recursion_limit():
    x = Node(1.0)
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_an_input_that_needs_no_gradient_leaves_the_others_unchanged():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(2, 3))
    results = []
    for needs in (True, False):
        a, W = Node(x, needs_grad=needs), Node(w)
        (a @ W.T).exp().sum().backward()
        results.append((a.grad.copy(), W.grad.copy()))
    np.testing.assert_array_equal(results[0][1], results[1][1])
    assert results[0][0].any() and not results[1][0].any()  # skipped, not computed
