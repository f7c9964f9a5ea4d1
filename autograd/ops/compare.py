"""Comparisons, tests and boolean reductions: ``== != < <= > >=``, isnan, logical_and, all, any...

Their results are bool tensors, which never require grad, so these ops record no node:
each computes on the arrays and returns ``Tensor(result)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd.ops.registry import Sample, register
from autograd.ops.samples import BROADCAST_PAIRS, combine, reduction, unary
from autograd.shapes import broadcast_shapes, normalize_dims
from autograd.tensor import Tensor

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "not_equal", "less", "less_equal", "greater", "greater_equal"]
__all__ += ["isnan", "isinf", "isfinite", "logical_not", "logical_and", "logical_or", "logical_xor", "all", "any"]

# What a comparison operator accepts; anything else gets NotImplemented (so ``x == None`` is False).
_OPERANDS = (Tensor, np.ndarray, np.generic, int, float)


def _data(value: Any) -> Any:
    return value._data if isinstance(value, Tensor) else value


def _elementwise(op: str, ufunc: np.ufunc, *args: Any) -> Tensor:
    """``ufunc`` on the arrays as a bool tensor; a broadcasting failure names the op and every shape."""
    arrays = [_data(a) for a in args]
    try:
        return Tensor(np.asarray(ufunc(*arrays)))
    except ValueError:
        broadcast_shapes(op, *[np.shape(a) for a in arrays])
        raise


def _integers(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Whole numbers in [-2, 2] as floats, so equal pairs (ties) are common."""
    return rng.integers(-2, 3, size=shape).astype(np.float64)


def _pairs(rng: np.random.Generator) -> Iterable[Sample]:
    for sa, sb in BROADCAST_PAIRS:
        yield Sample((_integers(rng, sa), _integers(rng, sb)), note=f"{sa} with {sb}")
    yield Sample((_integers(rng, (2, 3)), 1.0), note="tensor with a number")


def _operator(fn: Callable[[Any, Any], Tensor]) -> Callable[[Tensor, Any], Any]:
    def method(self: Tensor, other: Any) -> Any:
        return fn(self, other) if isinstance(other, _OPERANDS) else NotImplemented

    method.__doc__ = fn.__doc__
    return method


@register(_pairs, methods=("eq",), ufuncs=(np.equal,), differentiable=False)
def eq(input: Any, other: Any) -> Tensor:
    """Elementwise ``input == other``, broadcasting, as a bool tensor (no gradient).

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0]) == 2
    tensor([False,  True])
    """
    return _elementwise("eq", np.equal, input, other)


@register(_pairs, methods=("ne", "not_equal"), ufuncs=(np.not_equal,), differentiable=False)
def ne(input: Any, other: Any) -> Tensor:
    """Elementwise ``input != other``, broadcasting, as a bool tensor (no gradient).

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0]) != 2
    tensor([ True, False])
    """
    return _elementwise("ne", np.not_equal, input, other)


@register(_pairs, methods=("lt", "less"), ufuncs=(np.less,), differentiable=False)
def lt(input: Any, other: Any) -> Tensor:
    """Elementwise ``input < other``, broadcasting, as a bool tensor (no gradient).

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0]) < 2
    tensor([ True, False])
    """
    return _elementwise("lt", np.less, input, other)


@register(_pairs, methods=("le", "less_equal"), ufuncs=(np.less_equal,), differentiable=False)
def le(input: Any, other: Any) -> Tensor:
    """Elementwise ``input <= other``, broadcasting, as a bool tensor (no gradient).

    >>> import autograd as torch
    >>> torch.tensor([1.0, 3.0]) <= 2
    tensor([ True, False])
    """
    return _elementwise("le", np.less_equal, input, other)


@register(_pairs, methods=("gt", "greater"), ufuncs=(np.greater,), differentiable=False)
def gt(input: Any, other: Any) -> Tensor:
    """Elementwise ``input > other``, broadcasting, as a bool tensor (no gradient).

    >>> import autograd as torch
    >>> torch.tensor([1.0, 3.0]) > 2
    tensor([False,  True])
    """
    return _elementwise("gt", np.greater, input, other)


@register(_pairs, methods=("ge", "greater_equal"), ufuncs=(np.greater_equal,), differentiable=False)
def ge(input: Any, other: Any) -> Tensor:
    """Elementwise ``input >= other``, broadcasting, as a bool tensor (no gradient).

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0]) >= 2
    tensor([False,  True])
    """
    return _elementwise("ge", np.greater_equal, input, other)


not_equal, less, less_equal, greater, greater_equal = ne, lt, le, gt, ge
Tensor.__eq__ = _operator(eq)  # type: ignore[assignment,method-assign]
Tensor.__ne__ = _operator(ne)  # type: ignore[assignment,method-assign]
Tensor.__lt__ = _operator(lt)  # type: ignore[attr-defined]
Tensor.__le__ = _operator(le)  # type: ignore[attr-defined]
Tensor.__gt__ = _operator(gt)  # type: ignore[attr-defined]
Tensor.__ge__ = _operator(ge)  # type: ignore[attr-defined]


def _special(rng: np.random.Generator) -> Iterable[Sample]:
    yield Sample((np.array([0.0, -1.5, np.nan, np.inf, -np.inf, 2.0]),), note="nan and infinities")
    yield Sample((np.full((2, 0), np.nan),), note="empty")
    yield Sample((np.array(np.nan),), note="0-d nan")


@register(_special, methods=("isnan",), ufuncs=(np.isnan,), differentiable=False)
def isnan(input: Tensor) -> Tensor:
    """Elementwise test for NaN, as a bool tensor.

    >>> import autograd as torch
    >>> torch.isnan(torch.tensor([1.0, float("nan")]))
    tensor([False,  True])
    """
    return _elementwise("isnan", np.isnan, input)


@register(_special, methods=("isinf",), ufuncs=(np.isinf,), differentiable=False)
def isinf(input: Tensor) -> Tensor:
    """Elementwise test for +-inf, as a bool tensor.

    >>> import autograd as torch
    >>> torch.isinf(torch.tensor([1.0, float("-inf")]))
    tensor([False,  True])
    """
    return _elementwise("isinf", np.isinf, input)


@register(_special, methods=("isfinite",), ufuncs=(np.isfinite,), differentiable=False)
def isfinite(input: Tensor) -> Tensor:
    """Elementwise test for a finite value (not NaN, not +-inf), as a bool tensor.

    >>> import autograd as torch
    >>> torch.isfinite(torch.tensor([1.0, float("inf")]))
    tensor([ True, False])
    """
    return _elementwise("isfinite", np.isfinite, input)


def _truth_values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Floats of which about a third are zero (false)."""
    return np.asarray(_integers(rng, shape) * (rng.uniform(size=shape) < 0.67))


def _logical_pairs(rng: np.random.Generator) -> Iterable[Sample]:
    for sa, sb in BROADCAST_PAIRS:
        yield Sample(
            (_truth_values(rng, sa), np.asarray(_truth_values(rng, sb) != 0)), note=f"{sa} float with {sb} bool"
        )


def _truths(rng: np.random.Generator) -> Iterable[Sample]:
    for shape in ((), (4,), (2, 3), (2, 0)):
        yield Sample((_truth_values(rng, shape),), note=f"shape {shape}")


@register(_truths, methods=("logical_not",), ufuncs=(np.logical_not,), differentiable=False)
def logical_not(input: Tensor) -> Tensor:
    """Elementwise ``not x`` (zero is false), as a bool tensor.

    >>> import autograd as torch
    >>> torch.logical_not(torch.tensor([0.0, 2.0]))
    tensor([ True, False])
    """
    return _elementwise("logical_not", np.logical_not, input)


@register(_logical_pairs, methods=("logical_and",), ufuncs=(np.logical_and,), differentiable=False)
def logical_and(input: Any, other: Any) -> Tensor:
    """Elementwise ``x and y`` (zero is false), broadcasting, as a bool tensor.

    >>> import autograd as torch
    >>> torch.logical_and(torch.tensor([True, True]), torch.tensor([0.0, 3.0]))
    tensor([False,  True])
    """
    return _elementwise("logical_and", np.logical_and, input, other)


@register(_logical_pairs, methods=("logical_or",), ufuncs=(np.logical_or,), differentiable=False)
def logical_or(input: Any, other: Any) -> Tensor:
    """Elementwise ``x or y`` (zero is false), broadcasting, as a bool tensor.

    >>> import autograd as torch
    >>> torch.logical_or(torch.tensor([False, True]), torch.tensor([0.0, 0.0]))
    tensor([False,  True])
    """
    return _elementwise("logical_or", np.logical_or, input, other)


@register(_logical_pairs, methods=("logical_xor",), ufuncs=(np.logical_xor,), differentiable=False)
def logical_xor(input: Any, other: Any) -> Tensor:
    """Elementwise ``x != y`` as truth values (zero is false), broadcasting, as a bool tensor.

    >>> import autograd as torch
    >>> torch.logical_xor(torch.tensor([True, True]), torch.tensor([0.0, 3.0]))
    tensor([ True, False])
    """
    return _elementwise("logical_xor", np.logical_xor, input, other)


def _reduce(op: str, fn: Any, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    data = _data(input)
    axes = normalize_dims(dim, data.ndim, op)
    return Tensor(np.asarray(fn(data, axis=axes, keepdims=keepdim)))


_BOOL_REDUCTION = combine(
    reduction(lambda rng, shape: np.asarray(rng.uniform(size=shape) < 0.8)),
    reduction(_truth_values, dims=(None, 1)),
    unary(shapes=((0, 3),)),
)


@register(_BOOL_REDUCTION, methods=("all",), differentiable=False)
def all(input: Tensor, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
    """Whether every element (along ``dim``) is true, i.e. non-zero, as a bool tensor.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 0.0], [2.0, 3.0]]).all(dim=1)
    tensor([False,  True])
    """
    return _reduce("all", np.all, input, dim, keepdim)


@register(_BOOL_REDUCTION, methods=("any",), differentiable=False)
def any(input: Tensor, dim: int | tuple[int, ...] | None = None, keepdim: bool = False) -> Tensor:
    """Whether some element (along ``dim``) is true, i.e. non-zero, as a bool tensor.

    >>> import autograd as torch
    >>> torch.tensor([[1.0, 0.0], [0.0, 0.0]]).any(dim=1)
    tensor([ True, False])
    """
    return _reduce("any", np.any, input, dim, keepdim)
