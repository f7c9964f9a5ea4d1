"""Arithmetic: ``+ - * / **`` and negation, with broadcasting and Python scalars on either side.

Each backward returns the gradient in the broadcast shape; the engine sums it
back to each input's shape (``autograd.shapes.unbroadcast``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.constants import FLOAT_OPERANDS_AS_ARRAYS
from autograd.function import Function, Node
from autograd.ops.registry import register
from autograd.ops.samples import binary, unary
from autograd.shapes import broadcast_shapes
from autograd.tensor import Tensor

__all__ = ["add", "sub", "mul", "div", "pow", "neg", "rsub", "true_divide", "subtract", "multiply", "divide"]


def _check(op: str, a: Any, b: Any) -> None:
    shape_a, shape_b = np.shape(a), np.shape(b)
    if shape_a != shape_b:
        broadcast_shapes(op, shape_a, shape_b)


class Add(Function):
    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> Any:
        try:
            return a + b
        except ValueError:
            _check("add", a, b)
            raise

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return gy, gy


class Sub(Function):
    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> Any:
        try:
            return a - b
        except ValueError:
            _check("sub", a, b)
            raise

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return gy, -gy


class Mul(Function):
    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> Any:
        need_a, need_b = ctx.needs_input_grad
        if need_a or need_b:
            ctx.save_for_backward(a if need_b else None, b if need_a else None)
        try:
            return a * b
        except ValueError:
            _check("mul", a, b)
            raise

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (gy * b if need_a else None), (gy * a if need_b else None)


class Div(Function):
    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                return a / b
            except ValueError:
                _check("div", a, b)
                raise

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        with np.errstate(divide="ignore", invalid="ignore"):
            ga = gy / b if need_a else None
            gb = -gy * a / (b * b) if need_b else None
        return ga, gb


class Pow(Function):
    @staticmethod
    def forward(ctx: Node, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        if _whole_power(b):
            return a**b
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            try:
                return np.power(a, b)
            except ValueError:
                _check("pow", a, b)
                raise

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        if _whole_power(b):
            return gy * (b * a ** (b - 1) if b != 2 else a + a), None  # a + a: no int operand to convert
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ga = gy * b * a ** (b - 1) if need_a else None
            gb = gy * a**b * _log_base(a) if need_b else None
        return ga, gb


def _whole_power(b: Any) -> bool:
    """x ** 2 and friends: a Python int exponent >= 1 cannot divide by zero or leave the reals."""
    return type(b) is int and b >= 1


def _log_base(a: Any) -> Any:
    """log(a) where a > 0; 0 elsewhere, as PyTorch does for 0 ** b (negative bases have no real log)."""
    if isinstance(a, (int, float)):
        return math.log(a) if a > 0 else 0.0
    positive = a > 0
    return np.where(positive, np.log(np.where(positive, a, 1)), 0)


class Neg(Function):
    @staticmethod
    def forward(ctx: Node, a: Any) -> Any:
        return -a

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return -gy


@register(binary(), methods=("add",), ufuncs=(np.add,))
def add(input: Any, other: Any, *, alpha: float = 1) -> Tensor:
    """Elementwise ``input + alpha * other``, broadcasting.

    >>> import autograd as torch
    >>> torch.add(torch.tensor([1.0, 2.0]), 10)
    tensor([11., 12.])
    """
    return Add.apply(input, other if alpha == 1 else mul(other, alpha))


@register(binary(), methods=("sub",), ufuncs=(np.subtract,))
def sub(input: Any, other: Any, *, alpha: float = 1) -> Tensor:
    """Elementwise ``input - alpha * other``, broadcasting.

    >>> import autograd as torch
    >>> 1 - torch.tensor([1.0, 2.0])
    tensor([ 0., -1.])
    """
    return Sub.apply(input, other if alpha == 1 else mul(other, alpha))


@register(binary(), methods=("mul",), ufuncs=(np.multiply,))
def mul(input: Any, other: Any) -> Tensor:
    """Elementwise product, broadcasting: d(ab)/da = b.

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0]) * 3
    tensor([3., 6.])
    """
    return Mul.apply(input, other)


@register(binary(away=0.5), methods=("div",), ufuncs=(np.true_divide,))
def div(input: Any, other: Any) -> Tensor:
    """Elementwise quotient, broadcasting: d(a/b)/db = -a/b**2.

    >>> import autograd as torch
    >>> 1 / torch.tensor([2.0, 4.0])
    tensor([0.5000, 0.2500])
    """
    return Div.apply(input, other)


@register(binary(low=0.2, high=2.0, low_b=-2.0, high_b=2.0), methods=("pow",), ufuncs=(np.power,))
def pow(input: Any, exponent: Any) -> Tensor:
    """Elementwise power; the exponent may be a tensor: d(a**b)/db = a**b * log(a).

    >>> import autograd as torch
    >>> torch.tensor([2.0, 3.0]) ** 2
    tensor([4., 9.])
    """
    return Pow.apply(input, exponent)


@register(unary(), methods=("neg", "negative"), ufuncs=(np.negative,))
def neg(input: Tensor) -> Tensor:
    """Elementwise ``-input``.

    >>> import autograd as torch
    >>> -torch.tensor([1.0, -2.0])
    tensor([-1.,  2.])
    """
    return Neg.apply(input)


@register(binary(scalars=False), methods=("__rsub__",))
def rsub(input: Any, other: Any, *, alpha: float = 1) -> Tensor:
    """``other - alpha * input`` (PyTorch's ``rsub``; ``2 - x`` calls it).

    >>> import autograd as torch
    >>> torch.rsub(torch.tensor([1.0, 2.0]), 5)
    tensor([4., 3.])
    """
    return Sub.apply(other, input if alpha == 1 else mul(input, alpha))


subtract = sub
multiply = mul
divide = true_divide = div

# The operators call apply directly: the wrappers above only pass their arguments on (besides
# alpha, which no operator has), and skipping them saves a Python call per op.
Tensor.__add__ = Tensor.__radd__ = Add.apply  # type: ignore[method-assign, assignment]
Tensor.__sub__ = Sub.apply  # type: ignore[method-assign, assignment]
Tensor.__mul__ = Tensor.__rmul__ = Mul.apply  # type: ignore[method-assign, assignment]
Tensor.__truediv__ = Div.apply  # type: ignore[method-assign, assignment]
Tensor.__pow__ = Pow.apply  # type: ignore[method-assign, assignment]
Tensor.__neg__ = Neg.apply  # type: ignore[method-assign, assignment]
Tensor.__rtruediv__ = lambda self, other: Div.apply(other, self)  # type: ignore[attr-defined]
Tensor.__rpow__ = lambda self, other: Pow.apply(other, self)  # type: ignore[attr-defined]
Tensor.__pos__ = lambda self: self  # type: ignore[attr-defined]
# x * 1.5 and friends: the float is converted once, not by NumPy at every use (autograd.constants).
FLOAT_OPERANDS_AS_ARRAYS.update((Add, Sub, Mul, Div))
