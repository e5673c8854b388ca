"""Optimizers: how the gradients ∂E/∂w become new weights.

Plain gradient descent takes a step against the gradient, scaled by the learning rate η:
    w ← w − η · ∂E/∂w
The others keep state per parameter between steps (a velocity, running averages of g and g²)
and follow PyTorch's conventions exactly (where ε goes, how momentum starts, bias correction),
so each can be checked against its torch.optim counterpart. Each optimizer is defined once: its
hyper-parameters with defaults, its update (which returns new arrays and never changes the old
ones, so a Trace can keep both; Adam's also in place, for training, by the same operations), its
state, its formulas (one line per quantity it computes, in order), and its torch counterpart.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from visualizer.core.expr import ONE, Add, Const, Deriv, Div, Expr, Power, Sqrt, Square, Sub, Sym, add, mul
from visualizer.errors import UsageError

from .adam import _adam, _adam_in_place, _finite, _keras_adam, _keras_rmsprop, _slot, torch_keras
from .registry import lookup

Array = np.ndarray

ETA = Sym("η", latex_base=r"\eta")
SYMBOLS = {  # each hyper-parameter's symbol
    "lr": ETA,
    "momentum": Sym("μ", latex_base=r"\mu"),
    "alpha": Sym("α", latex_base=r"\alpha"),
    "eps": Sym("ε", latex_base=r"\varepsilon"),
    "beta1": Sym("β", (1,), latex_base=r"\beta"),
    "beta2": Sym("β", (2,), latex_base=r"\beta"),
    "weight_decay": Sym("λ", latex_base=r"\lambda"),
}
# Allowed values of each setting besides lr: (low, high, low included, high included)
RANGES = {
    "momentum": (0, 1, True, False),
    "alpha": (0, 1, True, False),
    "beta1": (0, 1, True, False),
    "beta2": (0, 1, True, False),
    "eps": (0, math.inf, True, False),  # 0 too, while no denominator is 0 (_finite)
    "weight_decay": (0, math.inf, True, False),
}


@dataclass(frozen=True)
class Line:
    """One quantity an update computes for a parameter, e.g. v ← μ·v + ∂E/∂w.

    `name` is a state slot ("v", "m", "m_hat", …) or "w" for the new parameter. `formula` gets
    `q(name)`, which gives each quantity as the caller wants it (a symbol, or a number): "w" the
    parameter before the step, "g" its gradient, a slot its value before the step unless an
    earlier line already computed it, a hyper-parameter its value, "t" the step count."""

    name: str
    formula: Callable[[Callable[[str], Expr]], Expr]


@dataclass(frozen=True)
class Optimizer:
    name: str
    description: str
    defaults: dict
    # (params, grads, state, hyper) -> (new params, new state). state: {"t": steps taken} and,
    # per slot, a list with one array per parameter (empty before the first step)
    update: Callable[[list[Array], list[Array], dict, dict], tuple[list[Array], dict]]
    lines: tuple[Line, ...]
    latex: str
    text: str
    torch: Callable  # (torch module, list of parameter tensors, hyper) -> torch.optim.Optimizer
    torch_state: dict  # our slot -> its name in torch.optim's per-parameter state
    torch_name: str  # the torch.optim class it is checked against, for the docs
    slots: dict  # slot -> (text symbol, LaTeX symbol), in the order the lines compute them
    ranges: dict = dataclasses.field(default_factory=dict)  # narrower than RANGES for this optimizer
    # the same update on the arrays given, for training, which keeps no old values: (params, grads,
    # state, hyper) -> new state; params and the state's arrays change in place (no m̂, v̂ kept).
    # None: training uses `update`
    update_in_place: Callable[[list[Array], list[Array], dict, dict], dict] | None = None

    @property
    def symbols(self) -> dict:
        return {k: SYMBOLS[k] for k in self.defaults}

    def hyper(self, given: dict) -> dict:
        """The full hyper-parameters: defaults, overridden by `given`, checked."""
        unknown = sorted(set(given) - set(self.defaults))
        if unknown:
            raise UsageError(
                f"optimizer {self.name!r} has no setting {unknown[0]!r}; its settings are: {', '.join(self.defaults)}"
            )
        hyper = {**self.defaults, **given}
        for key, value in hyper.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise UsageError(f"{key} must be a number; got {value!r}")
            hyper[key] = float(value)
        if hyper["lr"] <= 0:
            raise UsageError(f"learning rate must be a positive number, e.g. 0.5; got {given.get('lr')!r}")
        for key, (low, high, low_in, high_in) in {**RANGES, **self.ranges}.items():
            if key in hyper:
                value = hyper[key]
                if value < low or value > high or (value == low and not low_in) or (value == high and not high_in):
                    bounds = f"{'[' if low_in else '('}{low}, {high}{']' if high_in else ')'}"
                    raise UsageError(f"{key} of {self.name} must be in {bounds}; got {value:g}")
        return hyper

    def symbol(self, slot: str, w: Sym) -> Sym:
        """The symbol of a slot for parameter w: v₁₁⁽²⁾, m̂₁₁⁽²⁾, …"""
        text, latex = self.slots[slot]
        return Sym(text, w.indices, w.layer, latex_base=latex)


def _sgd(params, grads, state, hyper):
    return [w - hyper["lr"] * g for w, g in zip(params, grads)], {"t": state.get("t", 0) + 1}


def _momentum(nesterov: bool):
    def update(params, grads, state, hyper):
        mu, lr = hyper["momentum"], hyper["lr"]
        # torch starts the velocity at the first gradient, which is μ·0 + g
        v = [mu * v_old + g for v_old, g in zip(_slot(state, "v", params), grads)]
        step = [g + mu * v_new for g, v_new in zip(grads, v)] if nesterov else v
        return [w - lr * s for w, s in zip(params, step)], {"t": state.get("t", 0) + 1, "v": v}

    return update


def _adagrad(params, grads, state, hyper):
    s = [s_old + g * g for s_old, g in zip(_slot(state, "s", params), grads)]
    eps = hyper["eps"]
    new = [w - hyper["lr"] * g / _finite(np.sqrt(s_new) + eps, eps) for w, g, s_new in zip(params, grads, s)]
    return new, {"t": state.get("t", 0) + 1, "s": s}


def _rmsprop(params, grads, state, hyper):
    alpha = hyper["alpha"]
    s = [alpha * s_old + (1 - alpha) * g * g for s_old, g in zip(_slot(state, "s", params), grads)]
    eps = hyper["eps"]
    new = [w - hyper["lr"] * g / _finite(np.sqrt(s_new) + eps, eps) for w, g, s_new in zip(params, grads, s)]
    return new, {"t": state.get("t", 0) + 1, "s": s}


def _torch_adam(torch, params, hyper):
    return torch.optim.Adam(params, lr=hyper["lr"], betas=(hyper["beta1"], hyper["beta2"]), eps=hyper["eps"])


def _torch_adamw(torch, params, hyper):
    return torch.optim.AdamW(
        params,
        lr=hyper["lr"],
        betas=(hyper["beta1"], hyper["beta2"]),
        eps=hyper["eps"],
        weight_decay=hyper["weight_decay"],
    )


def _adam_lines(decoupled: bool) -> tuple[Line, ...]:
    def step(q):
        return Div(q("m_hat"), add(Sqrt(q("v_hat")), q("eps")))

    last = (
        Line("w", lambda q: Sub(q("w"), mul(q("lr"), Add((step(q), mul(q("weight_decay"), q("w")))))))
        if decoupled
        else Line("w", lambda q: Sub(q("w"), mul(q("lr"), step(q))))
    )
    return (
        Line("m", lambda q: add(mul(q("beta1"), q("m")), mul(Sub(ONE, q("beta1")), q("g")))),
        Line("v", lambda q: add(mul(q("beta2"), q("v")), mul(Sub(ONE, q("beta2")), Square(q("g"))))),
        Line("m_hat", lambda q: Div(q("m"), Sub(ONE, Power(q("beta1"), q("t"))))),
        Line("v_hat", lambda q: Div(q("v"), Sub(ONE, Power(q("beta2"), q("t"))))),
        last,
    )


SGD = Optimizer(
    name="sgd",
    description="plain gradient descent on the batch given",
    defaults={"lr": 0.5},  # large for deep learning, right for the tiny sigmoid nets taught here
    update=_sgd,
    lines=(Line("w", lambda q: Sub(q("w"), mul(q("lr"), q("g")))),),
    latex=r"w \leftarrow w - \eta \frac{\partial E}{\partial w}",
    text="w ← w − η·∂E/∂w",
    torch=lambda torch, params, hyper: torch.optim.SGD(params, lr=hyper["lr"]),
    torch_state={},
    slots={},
    torch_name="torch.optim.SGD",
)

MOMENTUM = Optimizer(
    name="momentum",
    description="gradient descent with a velocity (heavy ball); torch.optim.SGD(momentum=μ)",
    defaults={"lr": 0.5, "momentum": 0.9},
    update=_momentum(nesterov=False),
    lines=(
        Line("v", lambda q: add(mul(q("momentum"), q("v")), q("g"))),
        Line("w", lambda q: Sub(q("w"), mul(q("lr"), q("v")))),
    ),
    latex=r"v \leftarrow \mu v + \frac{\partial E}{\partial w},\quad w \leftarrow w - \eta v",
    text="v ← μ·v + ∂E/∂w, w ← w − η·v",
    torch=lambda torch, params, hyper: torch.optim.SGD(params, lr=hyper["lr"], momentum=hyper["momentum"]),
    torch_state={"v": "momentum_buffer"},
    slots={"v": ("v", "v")},
    torch_name="torch.optim.SGD",
)

NESTEROV = Optimizer(
    name="nesterov",
    description="momentum that looks ahead; torch.optim.SGD(momentum=μ, nesterov=True)",
    defaults={"lr": 0.5, "momentum": 0.9},
    update=_momentum(nesterov=True),
    lines=(
        Line("v", lambda q: add(mul(q("momentum"), q("v")), q("g"))),
        Line("w", lambda q: Sub(q("w"), mul(q("lr"), add(q("g"), mul(q("momentum"), q("v")))))),
    ),
    latex=r"v \leftarrow \mu v + \frac{\partial E}{\partial w},\quad "
    r"w \leftarrow w - \eta \left(\frac{\partial E}{\partial w} + \mu v\right)",
    text="v ← μ·v + ∂E/∂w, w ← w − η·(∂E/∂w + μ·v)",
    torch=lambda torch, params, hyper: torch.optim.SGD(
        params, lr=hyper["lr"], momentum=hyper["momentum"], nesterov=True
    ),
    torch_state={"v": "momentum_buffer"},
    slots={"v": ("v", "v")},
    torch_name="torch.optim.SGD",
    ranges={"momentum": (0, 1, False, False)},  # no look-ahead without momentum (torch refuses 0)
)

ADAGRAD = Optimizer(
    name="adagrad",
    description="a step per parameter, shrinking with the sum of its squared gradients",
    defaults={"lr": 0.5, "eps": 1e-10},
    update=_adagrad,
    lines=(
        Line("s", lambda q: add(q("s"), Square(q("g")))),
        Line("w", lambda q: Sub(q("w"), mul(q("lr"), Div(q("g"), add(Sqrt(q("s")), q("eps")))))),
    ),
    latex=r"s \leftarrow s + \left(\frac{\partial E}{\partial w}\right)^2,\quad "
    r"w \leftarrow w - \eta \frac{\partial E/\partial w}{\sqrt{s} + \varepsilon}",
    text="s ← s + (∂E/∂w)², w ← w − η·(∂E/∂w)/(√s + ε)",
    torch=lambda torch, params, hyper: torch.optim.Adagrad(params, lr=hyper["lr"], eps=hyper["eps"]),
    torch_state={"s": "sum"},
    slots={"s": ("s", "s")},
    torch_name="torch.optim.Adagrad",
)

RMSPROP = Optimizer(
    name="rmsprop",
    description="a step per parameter, scaled by a running average of its squared gradients",
    defaults={"lr": 0.01, "alpha": 0.99, "eps": 1e-8},
    update=_rmsprop,
    lines=(
        Line("s", lambda q: add(mul(q("alpha"), q("s")), mul(Sub(ONE, q("alpha")), Square(q("g"))))),
        Line("w", lambda q: Sub(q("w"), mul(q("lr"), Div(q("g"), add(Sqrt(q("s")), q("eps")))))),
    ),
    latex=r"s \leftarrow \alpha s + (1 - \alpha)\left(\frac{\partial E}{\partial w}\right)^2,\quad "
    r"w \leftarrow w - \eta \frac{\partial E/\partial w}{\sqrt{s} + \varepsilon}",
    text="s ← α·s + (1 − α)·(∂E/∂w)², w ← w − η·(∂E/∂w)/(√s + ε)",
    torch=lambda torch, params, hyper: torch.optim.RMSprop(
        params, lr=hyper["lr"], alpha=hyper["alpha"], eps=hyper["eps"]
    ),
    torch_state={"s": "square_avg"},
    slots={"s": ("s", "s")},
    torch_name="torch.optim.RMSprop",
)

_ADAM_SLOTS = {"m": ("m", "m"), "v": ("v", "v"), "m_hat": ("m̂", r"\hat{m}"), "v_hat": ("v̂", r"\hat{v}")}

ADAM = Optimizer(
    name="adam",
    description="running averages of g and g², corrected for starting at zero",
    defaults={"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    update=_adam(decoupled=False),
    update_in_place=_adam_in_place(decoupled=False),
    lines=_adam_lines(decoupled=False),
    latex=r"w \leftarrow w - \eta \frac{\hat m}{\sqrt{\hat v} + \varepsilon}",
    text="m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), w ← w − η·m̂/(√v̂ + ε)",
    torch=_torch_adam,
    torch_state={"m": "exp_avg", "v": "exp_avg_sq"},
    slots=_ADAM_SLOTS,
    torch_name="torch.optim.Adam",
)

ADAMW = Optimizer(
    name="adamw",
    description="Adam with the weight decay applied to the weights directly (decoupled)",
    defaults={"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
    update=_adam(decoupled=True),
    update_in_place=_adam_in_place(decoupled=True),
    lines=_adam_lines(decoupled=True),
    latex=r"w \leftarrow w - \eta \left(\frac{\hat m}{\sqrt{\hat v} + \varepsilon} + \lambda w\right)",
    text="as adam, but w ← w − η·(m̂/(√v̂ + ε) + λ·w)",
    torch=_torch_adamw,
    torch_state={"m": "exp_avg", "v": "exp_avg_sq"},
    slots=_ADAM_SLOTS,
    torch_name="torch.optim.AdamW",
)

_RMS_LINE = Line("s", lambda q: add(mul(q("alpha"), q("s")), mul(Sub(ONE, q("alpha")), Square(q("g")))))

RMSPROP_KERAS = Optimizer(
    name="rmsprop_keras",
    description="RMSprop as Keras writes it: ε inside the square root (torch adds it after); Keras's ε",
    defaults={"lr": 0.01, "alpha": 0.9, "eps": 1e-7},
    update=_keras_rmsprop,
    lines=(_RMS_LINE, Line("w", lambda q: Sub(q("w"), mul(q("lr"), Div(q("g"), Sqrt(add(q("s"), q("eps")))))))),
    latex=r"s \leftarrow \alpha s + (1 - \alpha)\left(\frac{\partial E}{\partial w}\right)^2,\quad "
    r"w \leftarrow w - \eta \frac{\partial E/\partial w}{\sqrt{s + \varepsilon}}",
    text="s ← α·s + (1 − α)·(∂E/∂w)², w ← w − η·(∂E/∂w)/√(s + ε)",
    torch=torch_keras("rmsprop"),
    torch_state={"s": "s"},
    slots={"s": ("s", "s")},
    torch_name="written from torch ops (Keras's RMSprop)",
)

ADAM_KERAS = Optimizer(
    name="adam_keras",
    description="Adam as Keras writes it: the bias corrections in the step size and ε added to √v (Kingma "
    "and Ba's ε̂), where torch adds ε to √v̂: the same step for Keras's ε = torch's ε·√(1 − β₂ᵗ); Keras's ε",
    defaults={"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7},
    update=_keras_adam,
    lines=(
        *_adam_lines(decoupled=False)[:2],
        Line(
            "w",
            lambda q: Sub(
                q("w"),
                mul(
                    q("lr"),
                    Div(Sqrt(Sub(ONE, Power(q("beta2"), q("t")))), Sub(ONE, Power(q("beta1"), q("t")))),
                    Div(q("m"), add(Sqrt(q("v")), q("eps"))),
                ),
            ),
        ),
    ),
    latex=r"w \leftarrow w - \eta \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t} \frac{m}{\sqrt{v} + \hat\varepsilon}",
    text="m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², w ← w − η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε)",
    torch=torch_keras("adam"),
    torch_state={"m": "m", "v": "v"},
    slots={"m": ("m", "m"), "v": ("v", "v")},
    torch_name="written from torch ops (Keras's Adam)",
)

OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o for o in (SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, RMSPROP_KERAS, ADAM, ADAM_KERAS, ADAMW)
}


# Gradient descent is sgd on the whole batch (no --batch-size): the same update, another name.
ALIASES = {"gd": "sgd"}


def get_optimizer(name: str) -> Optimizer:
    return lookup("optimizer", name, OPTIMIZERS, ALIASES)


# Slots worked out afresh each step (the bias-corrected averages): written with "=", not "←"
DERIVED = ("m_hat", "v_hat")


def formulas(optimizer: Optimizer, w: Sym, numbers: dict | None = None) -> list[tuple[str, Sym, Expr]]:
    """The update of parameter `w`, line by line, as (what it computes: a slot or "w", left-hand
    side, formula): symbols, or with
    `numbers` ({"w", "g", "t", each slot's value before the step and after it as "name'", each
    hyper-parameter}) the same formulas with the numbers in them."""
    from visualizer.core.expr import Num

    computed: set = set()

    def q(name: str) -> Expr:
        if numbers is None:
            if name == "w":
                return w
            if name == "g":
                return Deriv(w)
            if name == "t":
                return Sym("t")
            if name in SYMBOLS:
                return SYMBOLS[name]
            return optimizer.symbol(name, w)
        if name == "t":
            return Const(str(int(numbers["t"])), str(int(numbers["t"])), float(numbers["t"]))
        key = f"{name}'" if name in computed else name
        return Num(numbers[key])

    out = []
    for line in optimizer.lines:
        lhs = w if line.name == "w" else optimizer.symbol(line.name, w)
        out.append((line.name, lhs, line.formula(q)))
        computed.add(line.name)
    return out
