"""The network in torch: the same layers, activations, loss and penalties, built from the same
definitions (each one's torch counterpart), for the torch witness (verify.py) and for training's
torch backend. torch is passed in, so importing this module does not import torch.
"""

from __future__ import annotations

from typing import NamedTuple

from visualizer.functions.regularization import torch_penalty

from .definitions import Definitions


class TorchForward(NamedTuple):
    zs: list  # each layer's weighted sums
    f_z: list  # f(z), before dropout's mask
    activations: list  # a = f(z)·mask
    loss: object  # E, the penalties included unless left out
    terms: object  # the loss terms, batch × outputs


def torch_forward(
    torch, defs: Definitions, weights, biases, x, y, masks=None, *, penalties: bool = True
) -> TorchForward:
    """The network and its loss in torch, built as the engine builds them from the same
    definitions (each activation's and loss's torch counterpart, dropout's masks as given, the
    penalties added once): the witness's forward pass, and the torch backend's in training."""
    zs, f_zs, activations, a = [], [], [], x
    for l, (W_l, b_l, f) in enumerate(zip(weights, biases, defs.activations)):
        z = a @ W_l.T + b_l
        f_z = f.torch(torch, z)
        a = f_z if masks is None else f_z * masks[l]
        for t in (z, a):
            if t.requires_grad:  # not under no_grad
                t.retain_grad()
        zs.append(z)
        f_zs.append(f_z)
        activations.append(a)
    out = zs[-1] if defs.loss.logits else a  # a loss of logits reads z
    loss = defs.loss.torch(torch, out, y)
    if penalties and defs.penalties:
        loss = loss + torch_penalty(torch, weights, defs.penalties)
    return TorchForward(zs, f_zs, activations, loss, defs.loss.torch_terms(torch, out, y))
