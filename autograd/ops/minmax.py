"""Extremes: max and min (a value, or values and indices along a dim), amax/amin and argmax/argmin.

With no dim, and for amax/amin, ties share the gradient evenly (as ``torch.amax``);
along one dim the gradient goes to the index returned, the first one (as PyTorch
on CPU). argmax/argmin return int64 indices and have no gradient. ``np.max`` and
``np.min`` (``np.amax``/``np.amin``) dispatch here for Tensors.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd import numpy_dispatch
from autograd.function import Function, Node
from autograd.ops.reduce_dims import INT_DIMS, Dim, _axes, _kept, _nonempty, _numpy_axes, _sample, _squeezed
from autograd.ops.registry import Sample, register
from autograd.ops.samples import combine, distinct, explicit, reduction
from autograd.shapes import normalize_dim
from autograd.tensor import Tensor

__all__ = ["max", "min", "amax", "amin", "argmax", "argmin"]
__all__ += ["ValuesIndices"]


class AMax(Function):
    """Max (or min) over axes; the gradient splits evenly among ties, as ``torch.amax``."""

    @staticmethod
    def forward(ctx: Node, x: Any, axes: tuple[int, ...], keepdim: bool, largest: bool) -> Any:
        y = (np.max if largest else np.min)(x, axis=axes, keepdims=True)
        ctx.kept = y.shape
        if ctx.needs_input_grad[0]:
            hit = x == y
            if x.dtype.kind == "f" and np.isnan(y).any():  # a nan max comes from the nan entries
                hit |= np.isnan(x) & np.isnan(y)
            # Counts are exact integers: ones(70000).max() gives exactly 1/70000 each.
            ctx.weight = (hit / np.sum(hit, axis=axes, keepdims=True)).astype(x.dtype)
        return y if keepdim else y.reshape(_squeezed(x.shape, axes))

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return gy.reshape(ctx.kept) * ctx.weight, None, None, None


class MaxDim(Function):
    """Max (or min) along one axis with its index (the first, as PyTorch on CPU); the gradient goes there."""

    @staticmethod
    def forward(ctx: Node, x: Any, axis: int, keepdim: bool, largest: bool) -> Any:
        x1 = x.reshape(x.shape or (1,))
        index = np.expand_dims((np.argmax if largest else np.argmin)(x1, axis=axis), axis).astype(np.int64)
        values = np.take_along_axis(x1, index, axis)
        ctx.kept = _kept(x.shape, (axis,))
        if ctx.needs_input_grad[0]:
            n = x1.shape[axis]
            positions = np.arange(n).reshape([n if i == axis else 1 for i in range(x1.ndim)])
            ctx.hit = (positions == index).reshape(x.shape)
        shape = ctx.kept if keepdim else _squeezed(x.shape, (axis,))
        return values.reshape(shape), index.reshape(shape)

    @staticmethod
    def backward(ctx: Node, gy: Any, g_index: Any) -> Any:
        return gy.reshape(ctx.kept) * ctx.hit, None, None, None


class ValuesIndices(NamedTuple):
    """``(values, indices)`` from ``max``/``min`` along a dim, like ``torch.return_types.max``."""

    values: Tensor
    indices: Tensor


def _extreme(op: str, input: Tensor, dim: Any, keepdim: bool, other: Any, largest: bool) -> Any:
    if other is not None or isinstance(dim, (Tensor, np.ndarray)):
        from autograd.ops import elementwise

        return (elementwise.maximum if largest else elementwise.minimum)(input, dim if other is None else other)
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(
                f"{op}(): Expected reduction dim to be specified for input.numel() == 0 (shape {input.shape})"
            )
        return AMax.apply(input, tuple(range(input.ndim)), False, largest)
    axis = normalize_dim(dim, input.ndim, op)
    _nonempty(op, input.shape, (axis,) if input.ndim else ())
    return ValuesIndices(*MaxDim.apply(input, axis, keepdim, largest))


def _pair(rng: np.random.Generator) -> Sample:
    return Sample((distinct(rng, (2, 3)), distinct(rng, (3,))), note="elementwise with a tensor")


EXTREME_SAMPLES = combine(reduction(distinct, dims=INT_DIMS), explicit(_pair, _sample((0, 3), dim=1)))


@register(EXTREME_SAMPLES, methods=("max",))
def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """Largest value: with no dim a tensor (ties share the gradient evenly); with an int dim the
    ``(values, indices)`` pair (the gradient goes to the first index); with a tensor, ``maximum``.

    >>> import autograd as torch
    >>> x = torch.tensor([[1.0, 5.0], [7.0, 2.0]])
    >>> x.max(), x.max(1).indices
    (tensor(7.), tensor([1, 0]))
    """
    return _extreme("max", input, dim, keepdim, other, True)


@register(EXTREME_SAMPLES, methods=("min",))
def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:
    """Smallest value; the same forms as ``max``.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 5.0], [7.0, 2.0]]).min(0).values
    tensor([1., 2.])
    """
    return _extreme("min", input, dim, keepdim, other, False)


def _amax(op: str, input: Tensor, dim: Dim, keepdim: bool, largest: bool) -> Tensor:
    axes = _axes(dim, input.ndim, op)
    _nonempty(op, input.shape, axes)
    return AMax.apply(input, axes, keepdim, largest)


@register(combine(reduction(distinct), explicit(_sample((0, 3), dim=1))), methods=("amax",))
def amax(input: Tensor, dim: Dim = (), keepdim: bool = False) -> Tensor:
    """Largest value over ``dim`` (every axis by default); ties share the gradient evenly.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 5.0], [7.0, 2.0]]).amax((0, 1))
    tensor(7.)
    """
    return _amax("amax", input, dim, keepdim, True)


@register(combine(reduction(distinct), explicit(_sample((0, 3), dim=1))), methods=("amin",))
def amin(input: Tensor, dim: Dim = (), keepdim: bool = False) -> Tensor:
    """Smallest value over ``dim`` (every axis by default); ties share the gradient evenly.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 5.0], [7.0, 2.0]]).amin(1, keepdim=True)
    tensor([[1.],
            [2.]])
    """
    return _amax("amin", input, dim, keepdim, False)


def _arg(op: str, input: Any, dim: int | None, keepdim: bool, largest: bool) -> Tensor:
    x = input._data if isinstance(input, Tensor) else np.asarray(input)
    find = np.argmax if largest else np.argmin
    if dim is None:
        if x.size == 0:
            raise IndexError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0 (shape {x.shape})")
        return Tensor(find(x, keepdims=keepdim).astype(np.int64))
    axis = normalize_dim(dim, x.ndim, op)
    _nonempty(op, x.shape, (axis,) if x.ndim else ())
    index = find(x.reshape(x.shape or (1,)), axis=axis, keepdims=True)
    shape = _kept(x.shape, (axis,)) if keepdim else _squeezed(x.shape, (axis,))
    return Tensor(index.reshape(shape).astype(np.int64))


@register(reduction(distinct, dims=INT_DIMS), methods=("argmax",), differentiable=False)
def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest value (of the flattened input when dim is None); the first one on ties.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax(1)
    tensor([1, 0])
    """
    return _arg("argmax", input, dim, keepdim, True)


@register(reduction(distinct, dims=INT_DIMS), methods=("argmin",), differentiable=False)
def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest value (of the flattened input when dim is None); the first one on ties.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 5.0], [7.0, 2.0]]).argmin()
    tensor(0)
    """
    return _arg("argmin", input, dim, keepdim, False)


# NumPy's max and min on tensors, with NumPy's signatures (axis=() reduces nothing).
# Backward formulas call these; under create_graph they record our ops.
@numpy_dispatch.implements(np.max, np.amax)
def _np_max(a: Tensor, axis: Any = None, out: Any = None, keepdims: bool = False, **extra: Any) -> Tensor:
    return AMax.apply(a, _numpy_axes("max", a, axis, out, extra), keepdims, True)


@numpy_dispatch.implements(np.min, np.amin)
def _np_min(a: Tensor, axis: Any = None, out: Any = None, keepdims: bool = False, **extra: Any) -> Tensor:
    return AMax.apply(a, _numpy_axes("min", a, axis, out, extra), keepdims, False)
