"""Reductions: sum, mean, var, std, prod, norm, max/min (amax/amin), argmax/argmin.

``dim`` is None (every axis), an int or a tuple, with ``keepdim``, as in PyTorch.
Each backward restores the reduced axes (``_kept``) and broadcasts back to the
input; masks, counts and indices are constants computed in forward, so every
formula stays differentiable. The NumPy reductions (``np.sum``, ``np.max``...)
dispatch here, which is what lets backward formulas elsewhere build graphs.
"""

from __future__ import annotations

import builtins
import math
from typing import Any, NamedTuple

import numpy as np

from autograd import numpy_dispatch
from autograd.function import Function
from autograd.ops.registry import Sample, register
from autograd.ops.samples import combine, distinct, explicit, reduction, uniform
from autograd.shapes import normalize_dim, normalize_dims
from autograd.tensor import Tensor

__all__ = ["sum", "mean", "var", "std", "prod", "norm", "max", "min", "amax", "amin", "argmax", "argmin"]
__all__ += ["ValuesIndices"]

Dim = int | tuple[int, ...] | list[int] | None
INT_DIMS = (None, 0, -1, 1)


def _axes(dim: Dim, ndim: int, op: str) -> tuple[int, ...]:
    """``dim`` as sorted axes; None and ``()`` mean every axis, as in PyTorch."""
    if isinstance(dim, (tuple, list)) and len(dim) == 0:
        dim = None
    return normalize_dims(dim, ndim, op)


def _kept(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _squeezed(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def _nonempty(op: str, shape: tuple[int, ...], axes: tuple[int, ...]) -> None:
    for a in axes:
        if shape[a] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {a} to have non-zero size (input shape {shape})")


def _sample(shape: tuple[int, ...], **kwargs: Any) -> Any:
    return lambda rng: Sample((uniform(rng, shape),), kwargs, note=f"shape {shape} {kwargs}")


EMPTY = explicit(_sample((0, 3)), _sample((0, 3), dim=0), _sample((0, 3), dim=1, keepdim=True))


class Sum(Function):
    @staticmethod
    def forward(ctx: Function, x: Any, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        ctx.shape, ctx.kept = x.shape, _kept(x.shape, axes)
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        return np.sum(x, axis=axes, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        return np.broadcast_to(gy.reshape(ctx.kept), ctx.shape), None, None, None


class Mean(Function):
    @staticmethod
    def forward(ctx: Function, x: Any, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        ctx.shape, ctx.kept = x.shape, _kept(x.shape, axes)
        ctx.n = math.prod(x.shape[a] for a in axes)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sum(x, axis=axes, keepdims=keepdim, dtype=dtype) / ctx.n

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        # An empty reduction has an empty gradient: the scale is never used.
        scale = 1 / ctx.n if ctx.n else 0.0
        return np.broadcast_to(gy.reshape(ctx.kept) * scale, ctx.shape), None, None, None


@register(combine(reduction(), EMPTY), methods=("sum",))
def sum(input: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum over ``dim`` (every axis by default): d/dx = 1.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(1)
    tensor([3., 7.])
    """
    return Sum.apply(input, _axes(dim, input.ndim, "sum"), keepdim, dtype)


@register(combine(reduction(), EMPTY), methods=("mean",))
def mean(input: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean over ``dim``: d/dx = 1/n. An empty mean is nan, with no warning.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(0)
    tensor([2., 3.])
    """
    if dtype is None and input.dtype.kind != "f":
        raise RuntimeError(
            f"mean(): could not infer output dtype. Input dtype must be floating point. Got: {input.dtype}"
        )
    return Mean.apply(input, _axes(dim, input.ndim, "mean"), keepdim, dtype)


def _var_samples(rng: np.random.Generator) -> Any:
    """The default correction where n > 1 (PyTorch warns about n - correction <= 0), and the older forms."""
    for kwargs in ({}, {"dim": 1}, {"dim": (0, 2), "keepdim": True}, {"dim": 1, "unbiased": False}):
        yield Sample((uniform(rng, (2, 3, 4)),), kwargs, note=str(kwargs))


def _correction(op: str, unbiased: bool | None, correction: float | None) -> float:
    if unbiased is not None and correction is not None:
        raise TypeError(f"{op}(): pass either unbiased={unbiased} or correction={correction}, not both")
    if correction is not None:
        return correction
    return 0 if unbiased is False else 1


@register(combine(reduction(correction=0), _var_samples), methods=("var",))
def var(
    input: Tensor,
    dim: Dim | bool = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """Variance over ``dim``: sum((x - mean)**2) / (n - correction); a composition of mean and sum.

    ``var(x, True)`` and ``var(x, dim, unbiased)`` are PyTorch's older forms.

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0, 3.0, 4.0]).var()
    tensor(1.6667)
    """
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    return _var(input, _axes(dim, input.ndim, "var"), _correction("var", unbiased, correction), keepdim)


def _var(input: Tensor, axes: tuple[int, ...], correction: float, keepdim: bool) -> Tensor:
    dof = builtins.max(math.prod(input.shape[a] for a in axes) - correction, 0)
    d = input - Mean.apply(input, axes, True, None)
    return Sum.apply(d * d, axes, keepdim, None) / dof


class SafeRoot(Function):
    """``s ** (1/p)`` for s >= 0, with gradient 0 where s == 0 (as PyTorch's std and norm backward)."""

    @staticmethod
    def forward(ctx: Function, s: Any, p: float) -> Any:
        y = np.asarray(np.sqrt(s) if p == 2 else s ** (1 / p))  # saved: an array, not a scalar
        ctx.p, ctx.zero = p, s == 0
        ctx.save_for_backward(s, y)
        return y

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        s, y = ctx.saved_tensors
        return gy * y / (ctx.p * (s + ctx.zero)) * ~ctx.zero, None


# Not 0-d: there std is 0 and PyTorch's second-order gradient is nan (ours is 0; see tests/test_reduce_ties.py).
STD_SAMPLES = combine(lambda rng: (s for s in reduction(correction=0)(rng) if s.args[0].ndim), _var_samples)


@register(STD_SAMPLES, methods=("std",))
def std(
    input: Tensor,
    dim: Dim | bool = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """Standard deviation, sqrt(var); its gradient is 0 where it is 0, as in PyTorch.

    >>> import autograd as torch
    >>> torch.tensor([1.0, 3.0]).std()
    tensor(1.4142)
    """
    return SafeRoot.apply(var(input, dim, unbiased, keepdim, correction=correction), 2)


class Prod(Function):
    """Product; zeros in the input are handled exactly, to second order.

    The gradient is the product of the others: ``y / x`` without zeros. With zeros,
    ``x_safe`` (zeros replaced by 1, their derivative cut) gives ``q``, the product of
    the non-zeros: a lone zero gets ``q``, each of two zeros gets ``q`` times the other
    one, and with three or more every entry gets 0, which is right to second order.
    """

    @staticmethod
    def forward(ctx: Function, x: Any, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        y = np.asarray(np.prod(x, axis=axes, keepdims=keepdim, dtype=dtype))  # saved: an array, not a scalar
        ctx.axes, ctx.kept, ctx.zero = axes, _kept(x.shape, axes), None
        if ctx.needs_input_grad[0]:
            ctx.save_for_backward(x, y)
            zero = x == 0
            if zero.any():
                count = np.sum(zero, axis=axes, keepdims=True)
                ctx.zero, ctx.one, ctx.two = zero, count == 1, count == 2
        return y

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        x, y = ctx.saved_tensors
        gy, y, zero = gy.reshape(ctx.kept), y.reshape(ctx.kept), ctx.zero
        if zero is None:
            return gy * y / x, None, None, None
        nonzero = ~zero
        x_safe = x * nonzero + zero
        q = np.prod(x_safe, axis=ctx.axes, keepdims=True)
        other_zero = np.sum(x * zero, axis=ctx.axes, keepdims=True) - x
        others = y / x_safe * nonzero + zero * q * (ctx.one + ctx.two * other_zero)
        return gy * others, None, None, None


def _prod_samples(rng: np.random.Generator) -> Any:
    for zeros in (1, 2, 3):
        x = uniform(rng, (3, 4), away=0.2)
        x[0, :zeros] = 0.0
        x[1, 1 : 1 + zeros] = 0.0
        for dim in (None, 1, 0):
            yield Sample((x.copy(),), {} if dim is None else {"dim": dim}, note=f"{zeros} zeros, dim={dim}")


@register(combine(reduction(dims=INT_DIMS), EMPTY, _prod_samples), methods=("prod",))
def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product over ``dim``: d/dx_i = prod of the others (exact with zeros, to second order).

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 2.0], [3.0, 4.0]]).prod(0)
    tensor([3., 8.])
    """
    return Prod.apply(input, _axes(dim, input.ndim, "prod"), keepdim, dtype)


class AMax(Function):
    """Max (or min) over axes; the gradient splits evenly among ties, as ``torch.amax``."""

    @staticmethod
    def forward(ctx: Function, x: Any, axes: tuple[int, ...], keepdim: bool, largest: bool) -> Any:
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
    def backward(ctx: Function, gy: Any) -> Any:
        return gy.reshape(ctx.kept) * ctx.weight, None, None, None


class MaxDim(Function):
    """Max (or min) along one axis with its index (the first, as PyTorch on CPU); the gradient goes there."""

    @staticmethod
    def forward(ctx: Function, x: Any, axis: int, keepdim: bool, largest: bool) -> Any:
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
    def backward(ctx: Function, gy: Any, g_index: Any) -> Any:
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


def _away(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return uniform(rng, shape, away=0.2)


NORM_DIMS = (None, 1, (0, 2))
NORM_SAMPLES = combine(
    reduction(p=2),
    *(reduction(_away, dims=NORM_DIMS, p=p) for p in (1, 3, 0.5, "fro")),
    *(reduction(distinct, dims=NORM_DIMS, p=p) for p in (math.inf, -math.inf)),
    explicit(_sample((0, 3), dim=1)),
)


@register(NORM_SAMPLES, methods=("norm",))
def norm(input: Tensor, p: float | str = "fro", dim: Dim = None, keepdim: bool = False) -> Tensor:
    """Vector p-norm over ``dim``, (sum |x|**p) ** (1/p); its gradient is 0 where it is 0.

    ``p`` may be any number, ``inf``, ``-inf``, 0 (count of non-zeros) or ``"fro"`` (= 2).

    >>> import autograd as torch
    >>> torch.tensor([3.0, -4.0]).norm(), torch.tensor([3.0, -4.0]).norm(1)
    (tensor(5.), tensor(7.))
    """
    axes = _axes(dim, input.ndim, "norm")
    p = 2 if p == "fro" else p
    if isinstance(p, str):
        raise ValueError(f"norm: p={p!r} is not supported (use a number, inf, -inf or 'fro')")
    if p == 0:
        return Tensor(np.sum(input._data != 0, axis=axes, keepdims=keepdim).astype(input.dtype))
    if p == 2:
        return SafeRoot.apply(Sum.apply(input * input, axes, keepdim, None), 2)
    size = np.abs(input)
    if p in (math.inf, -math.inf):
        _nonempty("norm", input.shape, axes)
        return AMax.apply(size, axes, keepdim, p > 0)
    if p == 1:
        return Sum.apply(size, axes, keepdim, None)
    return SafeRoot.apply(Sum.apply(size**p, axes, keepdim, None), p)


# NumPy's reductions on tensors, with NumPy's signatures (axis=() reduces nothing).
# Backward formulas call these; under create_graph they record our ops.
def _numpy_axes(op: str, a: Tensor, axis: Any, out: Any, extra: dict[str, Any]) -> tuple[int, ...]:
    if out is not None or extra:
        raise TypeError(f"numpy.{op} on tensors supports axis, dtype and keepdims only, got out={out} {extra}")
    return tuple(range(a.ndim)) if axis is None else normalize_dims(axis, a.ndim, f"numpy.{op}")


@numpy_dispatch.implements(np.sum)
def _np_sum(
    a: Tensor, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **extra: Any
) -> Tensor:
    return Sum.apply(a, _numpy_axes("sum", a, axis, out, extra), keepdims, dtype)


@numpy_dispatch.implements(np.mean)
def _np_mean(
    a: Tensor, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **extra: Any
) -> Tensor:
    return Mean.apply(a, _numpy_axes("mean", a, axis, out, extra), keepdims, dtype)


@numpy_dispatch.implements(np.prod)
def _np_prod(
    a: Tensor, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False, **extra: Any
) -> Tensor:
    return Prod.apply(a, _numpy_axes("prod", a, axis, out, extra), keepdims, dtype)


@numpy_dispatch.implements(np.max, np.amax)
def _np_max(a: Tensor, axis: Any = None, out: Any = None, keepdims: bool = False, **extra: Any) -> Tensor:
    return AMax.apply(a, _numpy_axes("max", a, axis, out, extra), keepdims, True)


@numpy_dispatch.implements(np.min, np.amin)
def _np_min(a: Tensor, axis: Any = None, out: Any = None, keepdims: bool = False, **extra: Any) -> Tensor:
    return AMax.apply(a, _numpy_axes("min", a, axis, out, extra), keepdims, False)
