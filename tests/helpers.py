"""The one torch-comparison helper of the test suite (after tinygrad's `helper_test_op`).

`compare_with_torch` drives the same computation through our engine and through torch
autograd in float64 from the same seeded inputs, and compares the forward value and every
input's gradient with separate tolerances. It backpropagates a non-trivial scalar,
Σ out ⊙ R with R random, so the upstream gradient is not all ones and a wrong local
derivative cannot hide behind it. Network-level comparisons go through visualizer.network.verify,
which compares every Trace field against torch the same way.
"""

from __future__ import annotations

import numpy as np
import torch

from visualizer.core.engine import Node


def compare_with_torch(ours, theirs, *shapes, seed=0, low=-2.0, high=2.0, forward_tol=1e-12, grad_tol=1e-12):
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(low, high, shape) for shape in shapes]
    nodes = [Node(a, name=f"x{i}") for i, a in enumerate(arrays)]
    out = ours(*nodes)
    upstream = rng.normal(size=out.shape)
    (out * upstream).sum().backward()

    tensors = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
    expected = theirs(*tensors)
    (expected * torch.tensor(upstream)).sum().backward()

    np.testing.assert_allclose(
        out.value, expected.detach().numpy(), rtol=forward_tol, atol=forward_tol, err_msg="forward value"
    )
    for i, (node, tensor) in enumerate(zip(nodes, tensors)):
        np.testing.assert_allclose(
            node.grad, tensor.grad.numpy(), rtol=grad_tol, atol=grad_tol, err_msg=f"gradient of input {i}"
        )
    return out


def fit_loss(table: dict, rng: np.random.Generator) -> dict:
    """Make a drawn spec table valid: softmax only at an output of 2 or more, and the output and
    targets its loss needs."""
    from visualizer.functions.activations import get_activation

    def mixing(name):
        return get_activation(name).output_only

    if isinstance(table.get("activation"), list):
        table["activation"] = ["sigmoid" if mixing(a) else a for a in table["activation"]]
    elif mixing(table.get("activation", "sigmoid")):
        table["activation"] = "sigmoid"
    loss = table["loss"]
    batch, n = np.shape(table["target"])
    if loss in ("multi_hinge", "multi_hinge_sum"):
        n = table["sizes"][-1] = max(n, 2)
        table["target"] = rng.integers(0, n, (batch, 1)).astype(float).tolist()
        if get_activation(table["output_activation"]).output_only and n < 2:
            table["output_activation"] = "identity"
    elif loss in ("cross_entropy", "sparse_cross_entropy"):
        table["output_activation"] = "softmax"
        n = table["sizes"][-1] = max(n, 2)
        classes = rng.integers(0, n, (batch, 1))
        table["target"] = (classes if loss.startswith("sparse") else np.arange(n) == classes).astype(float).tolist()
    elif mixing(table["output_activation"]) and n < 2:
        table["output_activation"] = "sigmoid"
    if loss in ("bce", "bce_logits"):
        table["output_activation"] = "sigmoid" if loss == "bce" else "identity"
        table["target"] = np.round(rng.uniform(0, 1, (batch, n)), 2).tolist()
    elif loss in ("hinge", "squared_hinge"):
        table["target"] = rng.choice([-1.0, 1.0], (batch, n)).tolist()
    elif loss in ("mape", "mape_percent"):  # away from 0, where it divides
        table["target"] = (rng.choice([-1.0, 1.0], (batch, n)) * np.round(rng.uniform(0.1, 1, (batch, n)), 2)).tolist()
    return table
