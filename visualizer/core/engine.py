"""A small reverse-mode autograd over numpy float64 arrays (or float32 ones, for fast training).

Every value in a computation is a `Node`. It holds its `value`, its `grad` (∂E/∂value once
`backward()` has run), the nodes it was made from (`parents`, an ordered tuple, so the same
computation gives the same graph in the same order every run), the `op` that made it and a
readable `name` (`L1.z`, `L1.a`, `loss`).

Each op computes its value and leaves behind one closure that knows its local derivative:
given the output's gradient, it adds (`+=`) the chain-rule contribution to each parent's
gradient. Adding is what makes reused nodes right: in `a + a` both paths add into `a.grad`.

`backward()` seeds ∂E/∂E = 1 at a scalar root and runs the closures in reverse topological
order, so a node's gradient is complete before it is passed on. Its semantics are explicit:
it runs once per graph (a second call raises, instead of silently doubling every gradient)
and `zero_grad()` resets the whole graph so it can run again.

The engine knows nothing about layers, pictures or text.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Array = np.ndarray


class EngineError(RuntimeError):
    """The engine was used in a way it does not support."""


def _unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum a gradient back down to `shape`.

    Broadcasting copies a value along new or length-1 axes; every copy receives its own
    gradient, and the original gets their sum (if y = x + b with b broadcast over the rows,
    then ∂E/∂b = Σ_rows ∂E/∂y).
    """
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _add_transposed(into: Array, grad: Array, block: int = 16) -> None:
    """into += gradᵀ, for a large matrix a block of 16 columns of `into` at a time.

    The same sums as `into += grad.T`, only faster: adding a transposed matrix reads one of the two
    against its memory order, a cache miss per number once it no longer fits in the cache (z = a @ Wᵀ
    sends ∂E/∂Wᵀ back to W: 400,000 numbers for a 512 × 784 layer). The 16 rows of `grad` a block
    reads stay in the cache: about 2× faster in float64, 1.7× in float32.
    """
    if into.ndim != 2 or into.size < 65_536:
        into += grad.T
        return
    for j in range(0, into.shape[1], block):
        into[:, j : j + block] += grad[j : j + block].T


def _expand_reduced(grad: Array, shape: tuple[int, ...], axis, keepdims: bool) -> Array:
    """Give a reduction's gradient back the axes the reduction removed."""
    if axis is not None and not keepdims:
        grad = np.expand_dims(grad, axis)
    return np.broadcast_to(grad, shape)


class Node:
    """A value in the computation graph, with its gradient and where it came from."""

    __slots__ = ("value", "grad", "parents", "op", "name", "needs_grad", "_backward", "_backpropagated")
    # Make numpy hand `ndarray (op) Node` to Node's reflected operators.
    __array_ufunc__ = None

    def __init__(self, value, parents: tuple[Node, ...] = (), op: str = "", name: str = "", needs_grad: bool = True):
        # No copy of a float64 array: the engine never changes a value in place, and a caller
        # that changes the array it passed in changes the node's value too. float32 stays
        # float32 (training with --dtype float32: half the memory traffic, twice the matmul
        # speed); numpy's arithmetic keeps it, so a graph built on float32 values computes in it.
        dtype = np.float32 if getattr(value, "dtype", None) == np.float32 else np.float64
        self.value = np.asarray(value, dtype=dtype)
        self.grad = np.zeros(self.value.shape, self.value.dtype)  # faster than zeros_like
        self.parents = parents
        self.op = op
        self.name = name or op or "leaf"
        # False for an input whose gradient nobody reads (training data): the matmul it feeds
        # then skips computing it, the biggest product of a step on wide inputs
        self.needs_grad = needs_grad
        self._backward: Callable[[], None] = _nothing
        self._backpropagated = False

    # ----- bookkeeping -------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def named(self, name: str) -> Node:
        """Give this node a readable name (`L1.z`); returns the node, for chaining."""
        self.name = name
        return self

    def __repr__(self) -> str:
        return f"Node({self.name!r}, op={self.op or 'leaf'!r}, shape={self.shape})"

    # ----- graph traversal and gradients ------------------------------------------------
    def topological_order(self) -> list[Node]:
        """Every node this one depends on, parents before children, in a fixed order.

        An iterative depth-first post-order that visits parents in their tuple order, so the
        order depends only on how the graph was built (no sets, no recursion limit).
        """
        order: list[Node] = []
        seen: set[int] = set()
        stack: list[tuple[Node, bool]] = [(self, False)]
        while stack:
            node, finished = stack.pop()
            if finished:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
        return order

    def backward(self) -> None:
        """Fill `.grad` of every node in this graph with ∂(self)/∂(node).

        Starts from a scalar (a loss). Runs once per graph: call `zero_grad()` first to run it
        again. Gradients add into nodes shared with other graphs, as they would in a sum.
        """
        if self.value.size != 1:
            raise EngineError(f"backward() starts from a scalar such as a loss; {self.name!r} has shape {self.shape}")
        if self._backpropagated:
            raise EngineError(f"backward() already ran from {self.name!r}; call zero_grad() before running it again")
        order = self.topological_order()
        self.grad += 1.0
        for node in reversed(order):
            node._backward()
        self._backpropagated = True

    def zero_grad(self) -> None:
        """Set the gradient of every node in this graph to zero, so backward() can run again."""
        for node in self.topological_order():
            node.grad = np.zeros_like(node.value)
        self._backpropagated = False

    # ----- arithmetic ------------------------------------------------------------------
    def __add__(self, other) -> Node:
        other = lift(other, self)
        out = Node(self.value + other.value, (self, other), "add")

        def backward():
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad += _unbroadcast(out.grad, other.shape)

        out._backward = backward
        return out

    def __sub__(self, other) -> Node:
        other = lift(other, self)
        out = Node(self.value - other.value, (self, other), "sub")

        def backward():
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad -= _unbroadcast(out.grad, other.shape)

        out._backward = backward
        return out

    def __mul__(self, other) -> Node:
        # if y = a·b then ∂E/∂a = ∂E/∂y · b and ∂E/∂b = ∂E/∂y · a
        other = lift(other, self)
        out = Node(self.value * other.value, (self, other), "mul")

        def backward():
            self.grad += _unbroadcast(out.grad * other.value, self.shape)
            other.grad += _unbroadcast(out.grad * self.value, other.shape)

        out._backward = backward
        return out

    def __truediv__(self, other) -> Node:
        # if y = a / b then ∂E/∂a = ∂E/∂y / b and ∂E/∂b = −∂E/∂y · a / b²
        other = lift(other, self)
        out = Node(self.value / other.value, (self, other), "div")

        def backward():
            self.grad += _unbroadcast(out.grad / other.value, self.shape)
            other.grad -= _unbroadcast(out.grad * self.value / other.value**2, other.shape)

        out._backward = backward
        return out

    def __neg__(self) -> Node:
        out = Node(-self.value, (self,), "neg")

        def backward():
            self.grad -= out.grad

        out._backward = backward
        return out

    def __pow__(self, exponent) -> Node:
        # if y = xᵖ (p a number) then ∂E/∂x = ∂E/∂y · p·xᵖ⁻¹
        if isinstance(exponent, Node):
            raise EngineError("x ** y needs a number as the exponent; for a node exponent write exp(y * log(x))")
        p = float(exponent)
        return elementwise(self, lambda x: x**p, lambda x, y: p * x ** (p - 1), f"pow{exponent:g}")

    def __rpow__(self, base) -> Node:
        # cᶻ = exp(z·ln c), so the gradient follows from exp and mul
        if base <= 0:
            raise EngineError(f"{base} ** x is only defined here for a positive base")
        return (self * math.log(base)).exp()

    def __matmul__(self, other) -> Node:
        # if Y = A @ B then ∂E/∂A = ∂E/∂Y @ Bᵀ and ∂E/∂B = Aᵀ @ ∂E/∂Y
        other = lift(other, self)
        if self.value.ndim != 2 or other.value.ndim != 2:
            raise EngineError(f"matmul takes two matrices; got shapes {self.shape} and {other.shape}")
        out = Node(self.value @ other.value, (self, other), "matmul")

        def backward():
            if self.needs_grad:
                self.grad += out.grad @ other.value.T
            if other.needs_grad:
                other.grad += self.value.T @ out.grad

        out._backward = backward
        return out

    def __radd__(self, other) -> Node:
        return lift(other, self) + self

    def __rsub__(self, other) -> Node:
        return lift(other, self) - self

    def __rmul__(self, other) -> Node:
        return lift(other, self) * self

    def __rtruediv__(self, other) -> Node:
        return lift(other, self) / self

    def __rmatmul__(self, other) -> Node:
        return lift(other, self) @ self

    @property
    def T(self) -> Node:
        out = Node(self.value.T, (self,), "transpose")

        def backward():
            _add_transposed(self.grad, out.grad)

        out._backward = backward
        return out

    # ----- reductions ------------------------------------------------------------------
    def sum(self, axis: int | None = None, keepdims: bool = False) -> Node:
        # every summed element receives the sum's gradient unchanged
        out = Node(self.value.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def backward():
            self.grad += _expand_reduced(out.grad, self.shape, axis, keepdims)

        out._backward = backward
        return out

    def mean(self, axis: int | None = None, keepdims: bool = False) -> Node:
        # a mean of n elements gives each of them 1/n of its gradient
        count = self.value.size if axis is None else self.value.shape[axis]
        out = Node(self.value.mean(axis=axis, keepdims=keepdims), (self,), "mean")

        def backward():
            self.grad += _expand_reduced(out.grad, self.shape, axis, keepdims) / count

        out._backward = backward
        return out

    # ----- elementwise functions -------------------------------------------------------
    def exp(self) -> Node:
        return elementwise(self, np.exp, lambda x, y: y, "exp")  # (eˣ)' = eˣ

    def log(self) -> Node:
        return elementwise(self, np.log, lambda x, y: 1.0 / x, "log")  # (ln x)' = 1/x

    def abs(self) -> Node:
        return elementwise(self, np.abs, lambda x, y: np.sign(x), "abs")  # |x|' = sign(x), 0 at 0 as in torch


def _nothing() -> None:
    """The backward step of a leaf: nothing to pass on."""


def lift(value, like: Node | None = None) -> Node:
    """A node as it is; a number or array as a constant leaf node. A Python number next to a
    float32 node (`like`) is a float32 constant, as numpy treats it next to a float32 array: as a
    float64 node it would turn the float32 graph after it into float64."""
    if isinstance(value, Node):
        return value
    if like is not None and like.value.dtype == np.float32 and isinstance(value, (int, float)):
        value = np.float32(value)
    node = Node(value, op="const")
    node.name = f"{float(node.value):g}" if node.value.size == 1 else "const"
    return node


def elementwise(x: Node, f: Callable[[Array], Array], df: Callable[[Array, Array], Array], op: str) -> Node:
    """y = f(x) element by element, where df(x, y) = f'(x); then ∂E/∂x = ∂E/∂y · f'(x).

    The activations are built with this: each defines f and f' once, and the engine applies
    the chain rule.
    """
    out = Node(f(x.value), (x,), op)

    def backward():
        x.grad += out.grad * df(x.value, out.value)

    out._backward = backward
    return out


def linear(a: Node, W: Node, b: Node) -> Node:
    """z = a @ Wᵀ + b as one op: a layer's weighted sums, for training (a Trace records the
    three ops `a @ W.T + b`, each node with its gradient).

    The same forward numbers as those three ops. Backward, ∂E/∂W = δᵀ @ a comes out of one
    product in W's own layout: no Wᵀ node whose gradient is then added back to W transposed
    (a pass over W read against its memory order), nor the two sums' copies of δ. That product
    adds up the same terms as (aᵀ @ δ)ᵀ, though BLAS may round it differently in the last bit.
    """
    if a.value.ndim != 2 or W.value.ndim != 2:
        raise EngineError(f"linear takes two matrices; got shapes {a.shape} and {W.shape}")
    z = a.value @ W.value.T
    z += b.value
    out = Node(z, (a, W, b), "linear")

    def backward():
        delta = out.grad
        if W.needs_grad:
            W.grad += delta.T @ a.value
        b.grad += _unbroadcast(delta, b.shape)
        if a.needs_grad:
            a.grad += delta @ W.value

    out._backward = backward
    return out


def rowwise(x: Node, f: Callable[[Array], Array], vjp: Callable[[Array, Array, Array], Array], op: str) -> Node:
    """y = f(x) for each row (sample) at once, where every output of a row may depend on every
    input of it (softmax). vjp(x, y, g) = gᵀJ, the row's Jacobian J = ∂y/∂x applied to the
    output's gradient g: then ∂E/∂xᵢ = Σₖ ∂E/∂yₖ · ∂yₖ/∂xᵢ, without building J.
    """
    out = Node(f(x.value), (x,), op)

    def backward():
        x.grad += vjp(x.value, out.value, out.grad)

    out._backward = backward
    return out


def maximum(a: Node, b: Node) -> Node:
    """y = max(a, b): the gradient is routed to the larger input (∂E/∂a = ∂E/∂y if a > b, else 0).

    At a tie each input gets half, as torch.maximum does: the average of the two one-sided slopes.
    """
    a, b = lift(a), lift(b)
    out = Node(np.maximum(a.value, b.value), (a, b), "max")

    def backward():
        share = np.where(a.value > b.value, 1.0, np.where(a.value == b.value, 0.5, 0.0))
        a.grad += _unbroadcast(out.grad * share, a.shape)
        b.grad += _unbroadcast(out.grad * (1.0 - share), b.shape)

    out._backward = backward
    return out
