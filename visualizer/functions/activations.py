"""Activation functions: what a neuron does with its weighted sum z = Σ wᵢxᵢ + b.

Each activation is defined once, here, with everything the rest of the tool needs: the
function a = f(z), its derivative f'(z) (the local factor backpropagation multiplies by),
the formulas as LaTeX and as plain text for explain, diagrams and scenes, what explain says
where its δ needs a word (a step's slope is 0: why backpropagation stops there, and what the
perceptron rule does instead), and its torch counterpart for verification. The engine op comes
from `engine.elementwise(z, f, f')`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from visualizer.core.engine import Node, elementwise, rowwise
from visualizer.core.expr import ONE, ZERO, Call, Const, Div, Exp, Expr, Square, Sub, mul

from .registry import lookup

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    name: str
    function: Callable[[Array], Array]  # a = f(z)
    derivative: Callable[[Array, Array], Array]  # f'(z), given z and a = f(z)
    latex: str
    text: str
    derivative_latex: str
    derivative_text: str
    torch: Callable  # (torch module, z tensor) -> a tensor
    torch_name: str  # the torch function it is checked against, for the docs
    symbol: str  # f in a = f(z), as text
    symbol_latex: str
    # f'(z) written with the numbers a reader already has: (z, a, value of z) -> formula
    derivative_formula: Callable[[Expr, Expr, float], Expr]
    kinks: tuple[float, ...] = ()  # z values where f has no derivative (finite differences skip them)
    # None: element by element, f'(z) has the shape of z. Otherwise the activation mixes a row (softmax):
    # `derivative` gives each sample's Jacobian ∂aₖ/∂zᵢ (batch × n × n), and this is
    # (z, a, ∂E/∂a) -> ∂E/∂z, that Jacobian applied to the gradient
    vjp: Callable[[Array, Array, Array], Array] | None = None
    output_only: bool = False  # only for the output layer (softmax's outputs are one distribution)
    # for a row-mixing activation, aᵢ as a formula of the whole row: (i, z(k) -> Expr, the sum
    # Σₖ of a term, shortened when long) -> Expr, e.g. exp(z₂)/(exp(z₁) + exp(z₂) + exp(z₃))
    row_formula: Callable | None = None
    # what explain says about δ where backpropagation reaches this activation, for a batch of that
    # many samples (whose mean divides δ): why a step passes nothing back, what the perceptron rule does
    delta_note: Callable[[int], str] | None = None

    def __call__(self, z: Node) -> Node:
        if self.vjp is not None:
            return rowwise(z, self.function, self.vjp, self.name)
        return elementwise(z, self.function, self.derivative, self.name)

    def formula(self, z: Expr) -> Expr:
        """f(z) as a formula, e.g. σ(0.3775)."""
        return Call(self.symbol, self.symbol_latex, self.function, z)

    def derivative_call(self, z: Expr) -> Expr:
        """f'(z) as a symbol, e.g. σ'(z₁⁽¹⁾)."""
        return Call(self.symbol + "'", self.symbol_latex + "'", lambda v: self.derivative(v, self.function(v)), z)


def _sigmoid(z: Array) -> Array:
    # 1/(1+e^-z) overflows in exp for z ≪ 0; e^z/(1+e^z) for z < 0 is the same number without it.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


SIGMOID = Activation(
    name="sigmoid",
    function=_sigmoid,
    # σ'(z) = σ(z)(1 − σ(z)): the derivative from the value the forward pass already has
    derivative=lambda z, a: a * (1.0 - a),
    latex=r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    text="σ(z) = 1 / (1 + e^(−z))",
    derivative_latex=r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
    derivative_text="σ'(z) = σ(z)·(1 − σ(z))",
    torch=lambda torch, z: torch.sigmoid(z),
    torch_name="torch.sigmoid",
    symbol="σ",
    symbol_latex=r"\sigma",
    derivative_formula=lambda z, a, z_value: mul(a, Sub(ONE, a)),
)

TANH = Activation(
    name="tanh",
    function=np.tanh,
    derivative=lambda z, a: 1.0 - a * a,  # tanh'(z) = 1 − tanh²(z)
    latex=r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
    text="tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))",
    derivative_latex=r"\tanh'(z) = 1 - \tanh^2(z)",
    derivative_text="tanh'(z) = 1 − tanh²(z)",
    torch=lambda torch, z: torch.tanh(z),
    torch_name="torch.tanh",
    symbol="tanh",
    symbol_latex=r"\tanh",
    derivative_formula=lambda z, a, z_value: Sub(ONE, Square(a)),
)

RELU = Activation(
    name="relu",
    function=lambda z: np.maximum(z, 0.0),
    # The kink at 0 gets derivative 0, as in torch.
    derivative=lambda z, a: (z > 0).astype(z.dtype),  # float32 under float32 training
    latex=r"\mathrm{ReLU}(z) = \max(0, z)",
    text="ReLU(z) = max(0, z)",
    derivative_latex=r"\mathrm{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}",
    derivative_text="ReLU'(z) = 1 if z > 0 else 0",
    torch=lambda torch, z: torch.relu(z),
    torch_name="torch.relu",
    symbol="ReLU",
    symbol_latex=r"\mathrm{ReLU}",
    derivative_formula=lambda z, a, z_value: ONE if z_value > 0 else ZERO,
    kinks=(0.0,),
)

LEAKY_SLOPE = 0.01  # torch.nn.functional.leaky_relu's default

LEAKY_RELU = Activation(
    name="leaky_relu",
    function=lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
    # a small slope below 0, so a neuron that is off still passes some gradient back (ReLU's dead neurons)
    derivative=lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
    latex=r"\mathrm{LReLU}(z) = \begin{cases} z & z > 0 \\ 0.01\,z & z \le 0 \end{cases}",
    text="LReLU(z) = z if z > 0 else 0.01·z",
    derivative_latex=r"\mathrm{LReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0.01 & z \le 0 \end{cases}",
    derivative_text="LReLU'(z) = 1 if z > 0 else 0.01",
    torch=lambda torch, z: torch.nn.functional.leaky_relu(z, LEAKY_SLOPE),
    torch_name="torch.nn.functional.leaky_relu",
    symbol="LReLU",
    symbol_latex=r"\mathrm{LReLU}",
    derivative_formula=lambda z, a, z_value: ONE if z_value > 0 else Const("0.01", "0.01", LEAKY_SLOPE),
    kinks=(0.0,),
)

IDENTITY = Activation(
    name="identity",
    function=lambda z: z.copy(),
    derivative=lambda z, a: np.ones_like(z),
    latex=r"f(z) = z",
    text="f(z) = z",
    derivative_latex=r"f'(z) = 1",
    derivative_text="f'(z) = 1",
    torch=lambda torch, z: z,
    torch_name="z itself (no function)",
    symbol="id",
    symbol_latex=r"\mathrm{id}",
    derivative_formula=lambda z, a, z_value: ONE,
)


def _softmax(z: Array) -> Array:
    # e^(z − max z) / Σ e^(z − max z): the same number as e^z / Σ e^z, but no exp overflows
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_jacobian(z: Array, a: Array) -> Array:
    # ∂aₖ/∂zᵢ = aₖ([k = i] − aᵢ): raising zᵢ raises aᵢ and takes from every other output
    return a[..., :, None] * (np.eye(a.shape[-1]) - a[..., None, :])


def _softmax_vjp(z: Array, a: Array, g: Array) -> Array:
    # Σₖ ∂E/∂aₖ · aₖ([k = i] − aᵢ) = aᵢ(∂E/∂aᵢ − Σₖ aₖ·∂E/∂aₖ)
    return a * (g - (a * g).sum(axis=-1, keepdims=True))


SOFTMAX = Activation(
    name="softmax",
    function=_softmax,
    derivative=_softmax_jacobian,
    latex=r"\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_{k} e^{z_k}}",
    text="softmax(z)ᵢ = e^(zᵢ) / Σₖ e^(zₖ)",
    derivative_latex=r"\frac{\partial a_k}{\partial z_i} = a_k\,([k = i] - a_i)",
    derivative_text="∂aₖ/∂zᵢ = aₖ·([k = i] − aᵢ)",
    torch=lambda torch, z: torch.softmax(z, dim=-1),
    torch_name="torch.softmax",
    symbol="softmax",
    symbol_latex=r"\operatorname{softmax}",
    derivative_formula=lambda z, a, z_value: mul(a, Sub(ONE, a)),  # the diagonal ∂aᵢ/∂zᵢ
    vjp=_softmax_vjp,
    output_only=True,
    row_formula=lambda i, z, total: Div(Exp(z(i)), total(lambda k: Exp(z(k)))),
)


PERCEPTRON_RULE = "w ← w + η·(y − ŷ)·x"  # the perceptron learning rule, in the lecture's notation
_STEP_STOPS = (
    "step'(z) = 0 wherever it has a slope (and at z = 0 it has none): every δ of this layer is 0, so "
    "backpropagation passes nothing back through it and the weights into it do not move. That is why "
    "networks use smooth activations such as sigmoid; a single step neuron learns with the perceptron rule "
    "instead (explain --net perceptron)"
)


def _step_torch(torch, z):
    # the same jump, with slope 0 as the math has it (torch.heaviside has no backward at all)
    return torch.heaviside(z.detach(), torch.ones((), dtype=z.dtype)) + 0.0 * z


STEP = Activation(
    name="step",
    function=lambda z: (z >= 0).astype(np.float32 if z.dtype == np.float32 else np.float64),  # float32 stays
    # flat on both sides of the jump: the slope is 0 wherever there is one, so backpropagation
    # through a step passes nothing back (and at z = 0 there is no slope at all)
    derivative=lambda z, a: np.zeros_like(z),
    latex=r"\operatorname{step}(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}",
    text="step(z) = 1 if z ≥ 0 else 0",
    derivative_latex=r"\operatorname{step}'(z) = 0 \quad (z \ne 0)",
    derivative_text="step'(z) = 0 (none at z = 0)",
    torch=_step_torch,
    torch_name="torch.heaviside",
    symbol="step",
    symbol_latex=r"\operatorname{step}",
    derivative_formula=lambda z, a, z_value: ZERO,
    kinks=(0.0,),
    delta_note=lambda batch: _STEP_STOPS,
)

# The perceptron learning rule, w ← w + η(y − ŷ)x, is gradient descent on ½(y − ŷ)² with the
# step's slope taken as 1 (a "straight-through" slope): the same function, another derivative.


def _perceptron_note(batch: int) -> str:
    """Why the perceptron rule learns where backpropagation through a step cannot."""
    mean = f" (÷ {batch}: the mean over the batch)" if batch > 1 else ""
    return (
        "the perceptron rule: step's slope is 0 wherever it has one, so backpropagation would pass nothing back "
        f"and no weight would move; the rule takes the slope as 1, so δ = ∂E/∂a = ŷ − y{mean}, and w ← w − η·δ·x "
        f"is the perceptron's {PERCEPTRON_RULE}"
    )


STEP_PERCEPTRON = dataclasses.replace(
    STEP,
    derivative=lambda z, a: np.ones_like(z),
    derivative_latex=r"\text{taken as } 1",
    derivative_text="taken as 1 by the perceptron rule",
    # torch's straight-through idiom: the value of the step, the slope of z
    torch=lambda torch, z: z + (_step_torch(torch, z) - z).detach(),
    torch_name="torch.heaviside, straight through",
    derivative_formula=lambda z, a, z_value: ONE,
    delta_note=_perceptron_note,
)

ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (SIGMOID, TANH, RELU, LEAKY_RELU, IDENTITY, SOFTMAX, STEP)}
RULES = ("backprop", "perceptron")  # how a network learns (the spec's `rule`)
# Other names people use for the same function.
ALIASES = {
    "linear": "identity",
    "none": "identity",
    "logistic": "sigmoid",
    "leaky": "leaky_relu",
    "lrelu": "leaky_relu",
    "heaviside": "step",
    "threshold": "step",
}


def get_activation(name: str, rule: str = "backprop") -> Activation:
    """The activation of that name, as the learning rule uses it (the perceptron rule's step)."""
    activation = lookup("activation", name, ACTIVATIONS, ALIASES)
    return STEP_PERCEPTRON if rule == "perceptron" and activation is STEP else activation
