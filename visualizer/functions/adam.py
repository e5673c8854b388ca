"""The arithmetic of the optimizers that divide by a root of squared gradients: Adam as PyTorch
writes it (written once: the update that returns new arrays runs it on copies, training runs it
in place), Adam and RMSprop as Keras write them (where ε goes differs), and the check that ε = 0
leaves no denominator at 0. optimizers.py defines each optimizer from these."""

from __future__ import annotations

import numpy as np

from visualizer.errors import UsageError

from .parts import in_parts

Array = np.ndarray


def _slot(state: dict, name: str, params: list[Array]) -> list[Array]:
    return state.get(name) or [np.zeros_like(p) for p in params]


def _finite(denominator: Array, eps: float) -> Array:
    """√s + ε, refused where ε = 0 leaves it 0: a weight whose gradient was 0 (or too small to square)
    at every step so far would divide 0 by 0 (or g by 0)."""
    if eps == 0 and not denominator.all():
        raise UsageError(
            "eps = 0 leaves the denominator √s + ε (Adam's √v̂ + ε) at 0 for a weight whose gradient has been 0 (or too small to square) at "
            "every step so far (0/0 at step 1 for a gradient of 0); give eps > 0, e.g. 1e-8"
        )
    return denominator


def _adam_step(w: Array, g: Array, m: Array, v: Array, t: int, hyper: dict, decoupled: bool, scratch) -> None:
    """Adam's step t on one parameter, in place: m, v, then w become their new values. `scratch`
    is two arrays shaped like w for what the step works out on the way (m̂ and the step, v̂).

    The one place Adam's arithmetic is written: the update that returns new arrays runs it on
    copies, training runs it on its own arrays. No temporaries: on a wide layer the cost is
    memory traffic (a fresh array per operation), not arithmetic. Every operation is the one
    torch's order of the formulas asks for, so both ways round alike, bit for bit."""
    b1, b2, lr, eps = hyper["beta1"], hyper["beta2"], hyper["lr"], hyper["eps"]
    one, two = scratch
    # m ← β₁m + (1 − β₁)g as torch.lerp computes it (Adam's running mean in torch): equal in exact
    # arithmetic to the formula, but with β₁ near 0 or 1 rounding tells the two forms apart
    weight = 1 - b1
    np.subtract(g, m, out=one)
    if weight < 0.5:
        one *= weight
        m += one
    else:
        one *= 1 - weight
        np.subtract(g, one, out=m)
    # v ← β₂v + (1 − β₂)g²
    np.multiply(g, 1 - b2, out=one)
    one *= g
    v *= b2
    v += one
    # m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), then w ← w − η·(m̂/(√v̂ + ε) + λw)
    np.divide(m, 1 - b1**t, out=one)
    np.divide(v, 1 - b2**t, out=two)
    np.sqrt(two, out=two)
    two += eps
    np.divide(one, _finite(two, eps), out=one)
    if decoupled:  # AdamW's decay (Adam has none)
        np.multiply(w, hyper["weight_decay"], out=two)
        one += two
    one *= lr
    w -= one


def _adam(decoupled: bool):
    def update(params, grads, state, hyper):
        t = state.get("t", 0) + 1
        m = [x.copy() for x in _slot(state, "m", params)]
        v = [x.copy() for x in _slot(state, "v", params)]
        new = [w.copy() for w in params]
        for w, g, m_w, v_w in zip(new, grads, m, v):
            _adam_step(w, g, m_w, v_w, t, hyper, decoupled, (np.empty_like(w), np.empty_like(w)))
        # m̂ and v̂ again for the record, by the same operations as the step's
        m_hat = [x / (1 - hyper["beta1"] ** t) for x in m]
        v_hat = [x / (1 - hyper["beta2"] ** t) for x in v]
        return new, {"t": t, "m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat}

    return update


def _adam_pass(t: int, hyper: dict, decoupled: bool):
    """_adam_step with its arrays given one by one, as `in_parts` calls it (a part per core)."""

    def run(w, g, m, v, one, two):
        _adam_step(w, g, m, v, t, hyper, decoupled, (one, two))

    return run


def _adam_in_place(decoupled: bool):
    def update_in_place(params, grads, state, hyper):
        t = state.get("t", 0) + 1
        m, v = _slot(state, "m", params), _slot(state, "v", params)
        largest = max(w.size for w in params)  # one scratch pair for every parameter
        scratch = np.empty(largest, params[0].dtype), np.empty(largest, params[0].dtype)
        for w, g, m_w, v_w in zip(params, grads, m, v):
            one, two = (s[: w.size].reshape(w.shape) for s in scratch)
            in_parts(_adam_pass(t, hyper, decoupled), [w, g, m_w, v_w, one, two])
        return {"t": t, "m": m, "v": v}

    return update_in_place


def _keras_adam(params, grads, state, hyper):
    """Keras's Adam: the bias corrections folded into the step size, ε added to √v itself (ε̂ in
    Kingma and Ba, just before their section 2.1): w ← w − η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε), in
    Keras's order of operations. PyTorch adds ε to √v̂ = √v/√(1 − β₂ᵗ) instead: the same step
    with Keras's ε = PyTorch's ε·√(1 − β₂ᵗ)."""
    t = state.get("t", 0) + 1
    b1, b2, eps = hyper["beta1"], hyper["beta2"], hyper["eps"]
    alpha = hyper["lr"] * np.sqrt(1 - b2**t) / (1 - b1**t)
    m = [m_old + (g - m_old) * (1 - b1) for m_old, g in zip(_slot(state, "m", params), grads)]
    v = [v_old + (g * g - v_old) * (1 - b2) for v_old, g in zip(_slot(state, "v", params), grads)]
    new = [w - alpha * m_w / _finite(np.sqrt(v_w) + eps, eps) for w, m_w, v_w in zip(params, m, v)]
    return new, {"t": t, "m": m, "v": v}


def _keras_rmsprop(params, grads, state, hyper):
    """Keras's RMSprop: ε inside the root, w ← w − η·g/√(s + ε) (PyTorch's: g/(√s + ε))."""
    rho, eps = hyper["alpha"], hyper["eps"]
    s = [rho * s_old + (1 - rho) * g * g for s_old, g in zip(_slot(state, "s", params), grads)]
    new = [w - hyper["lr"] * g / _finite(np.sqrt(s_w + eps), eps) for w, g, s_w in zip(params, grads, s)]
    return new, {"t": state.get("t", 0) + 1, "s": s}


_KERAS_CLASSES: dict = {}  # one torch.optim class per kind, made the first time torch asks


def torch_keras(kind: str):
    """The torch counterpart of Keras's Adam ("adam") or RMSprop ("rmsprop"), from torch ops: a
    torch.optim.Optimizer whose state holds our slots by their names (m, v; s)."""

    def build(torch, params, hyper):
        if kind not in _KERAS_CLASSES:
            _KERAS_CLASSES[kind] = _keras_class(torch, kind)
        return _KERAS_CLASSES[kind](params, dict(hyper))

    return build


def _keras_class(torch, kind: str):
    class KerasStyle(torch.optim.Optimizer):
        def step(self, closure=None):  # no decorator: torch's own wrapper is the only guard, as its classes'
            with torch.no_grad():
                for group in self.param_groups:
                    for p in group["params"]:
                        _keras_torch_step(torch, kind, self.state[p], group, p, p.grad)

    KerasStyle.__name__ = KerasStyle.__qualname__ = f"Keras{kind.capitalize()}"
    return KerasStyle


def _keras_torch_step(torch, kind: str, state: dict, group: dict, p, g) -> None:
    eps = group["eps"]
    state["t"] = t = state.get("t", 0) + 1
    if kind == "adam":
        b1, b2 = group["beta1"], group["beta2"]
        m = state.setdefault("m", torch.zeros_like(p))
        v = state.setdefault("v", torch.zeros_like(p))
        m.add_((g - m) * (1 - b1))
        v.add_((g * g - v) * (1 - b2))
        p.sub_(group["lr"] * (1 - b2**t) ** 0.5 / (1 - b1**t) * m / (v.sqrt() + eps))
    else:
        s = state.setdefault("s", torch.zeros_like(p))
        s.mul_(group["alpha"]).add_((1 - group["alpha"]) * g * g)
        p.sub_(group["lr"] * g / (s + eps).sqrt())
