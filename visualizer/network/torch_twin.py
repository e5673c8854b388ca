"""The network in torch: the same layers, activations, loss and penalties, built from the same
definitions (each one's torch counterpart), for the torch witness (verify.py) and for training's
torch backend. torch is passed in, so importing this module does not import torch.
"""

from __future__ import annotations

import contextlib
import sys
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
    loss = defs.loss.torch_loss(torch, out, y)
    if penalties and defs.penalties:
        loss = loss + torch_penalty(torch, weights, defs.penalties)
    return TorchForward(zs, f_zs, activations, loss, defs.loss.torch_terms(torch, out, y))


# ----- torch.optim, eagerly -----------------------------------------------------------------------
#
# torch.optim guards add_param_group (called by every optimizer's __init__), zero_grad and step for
# torch.compile: `torch._disable_dynamo` around the first two, graph breaks around step. Each guard
# imports torch._dynamo on first use, which takes longer than `import torch` itself (1.3 s of the
# witness's 1.9 s on 2-3-1), and does nothing else outside a compiled region. Nothing here is
# compiled, so while torch._dynamo is not loaded the optimizer is built and stepped without the
# guards: the same class, its own __init__, add_param_group and step, in the grad mode the guard
# sets. Once torch._dynamo is loaded (by anything), or wherever torch's wrappers are not the ones
# known here, the public path runs unchanged. Either way torch.optim computes every number.

# The guards this bypasses, by the name of their code object and the file that defines them.
_STEP_GUARDS = {("_use_grad", "optimizer.py"), ("wrapper", "optimizer.py")}  # grad mode; profiler + hooks
_DISABLE_DYNAMO = ("inner", "_compile.py")


def _dynamo_loaded() -> bool:
    return "torch._dynamo" in sys.modules


def _guard(fn) -> tuple[str, str]:
    code = getattr(fn, "__code__", None)
    return (code.co_name, code.co_filename.rsplit("/", 1)[-1]) if code else ("", "")


@contextlib.contextmanager
def _add_param_group_unguarded(torch):
    """While inside, torch._disable_dynamo's wrapper of Optimizer.add_param_group calls the
    function itself: it looks for the disabled version cached on the function, finds the function
    (and so does not import torch._dynamo to make one). The cache is cleared on the way out."""
    wrapped = torch.optim.Optimizer.add_param_group
    fn = getattr(wrapped, "__wrapped__", None)
    if _dynamo_loaded() or fn is None or _guard(wrapped) != _DISABLE_DYNAMO or hasattr(fn, "__dynamo_disable"):
        yield
        return
    setattr(fn, "__dynamo_disable", fn)
    try:
        yield
    finally:
        delattr(fn, "__dynamo_disable")


def torch_optimizer(torch, optimizer, params, hyper):
    """`optimizer`'s torch.optim counterpart over `params` (its __init__ as torch runs it)."""
    with _add_param_group_unguarded(torch):
        return optimizer.torch(torch, params, hyper)


def torch_step(torch, optimizer) -> None:
    """optimizer.step(), without loading torch._dynamo: the class's own step, under the grad mode
    its guard sets (off, unless the optimizer is differentiable); no profiler range, and no hooks
    to run (with any registered, the public step runs)."""
    step = None if _dynamo_loaded() else unguarded_step(optimizer)
    if step is None:
        optimizer.step()
        return
    with torch.set_grad_enabled(optimizer.defaults.get("differentiable", False)):
        step(optimizer)


def unguarded_step(optimizer):
    """The optimizer class's own step under the guards known here; None where another wrapper
    sits in between or step hooks are registered."""
    from torch.optim import optimizer as module

    step, guards = type(optimizer).step, []
    while hasattr(step, "__wrapped__"):
        guards.append(_guard(step))
        step = step.__wrapped__
    hooks = (
        optimizer._optimizer_step_pre_hooks,
        optimizer._optimizer_step_post_hooks,
        module._global_optimizer_pre_hooks,
        module._global_optimizer_post_hooks,
    )
    return step if guards and set(guards) <= _STEP_GUARDS and not any(hooks) else None
