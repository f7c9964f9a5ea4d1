"""Joining and padding: cat (also ``concat``, ``concatenate``), stack and pad.

Cat and constant pad are the primitives; the backward of each is a slice or a
crop, a shape op again, so any order of derivative works. Stack is unsqueeze
then cat, and reflect, replicate and circular padding are ``index_select``.
``np.concatenate``, ``np.stack`` and ``np.pad`` dispatch here for Tensors.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import numpy_dispatch
from autograd.function import Function, Node
from autograd.ops.index import _cases, index_select
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, uniform
from autograd.ops.shape import reshape, unsqueeze
from autograd.shapes import normalize_dim
from autograd.tensor import Tensor

__all__ = ["cat", "concat", "concatenate", "stack", "pad"]


class Cat(Function):
    @staticmethod
    def forward(ctx: Node, axis: int, *xs: np.ndarray) -> np.ndarray:
        ctx.axis, ctx.bounds = axis, np.cumsum([0] + [np.shape(x)[axis] if np.ndim(x) else 0 for x in xs]).tolist()
        try:
            return np.concatenate(xs, axis=axis)
        except ValueError:
            raise _cat_error([np.shape(x) for x in xs], axis) from None

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        lead, b = (slice(None),) * ctx.axis, ctx.bounds
        needs = ctx.needs_input_grad[1:]
        return (None, *[gy[lead + (slice(b[i], b[i + 1]),)] if need else None for i, need in enumerate(needs)])


def _cat_error(shapes: list[tuple[int, ...]], axis: int) -> RuntimeError:
    first = shapes[0]
    for i, shape in enumerate(shapes):
        if not shape:
            return RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
        if len(shape) != len(first):
            return RuntimeError(f"Tensors must have same number of dimensions: got {len(first)} and {len(shape)}")
        for d, (m, n) in enumerate(zip(first, shape)):
            if d != axis and m != n:
                return RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size {m} but got size {n} "
                    f"for tensor number {i} in the list (shapes {list(first)} and {list(shape)})."
                )
    return RuntimeError(f"cat: cannot concatenate shapes {[list(s) for s in shapes]} along dim {axis}")


def _lists(*specs: tuple[list[Any], dict[str, Any]]) -> Any:
    """Samples taking one list of tensors, from ``([shape, ...], kwargs)``."""
    return explicit(
        *[lambda rng, s=s: Sample(([uniform(rng, shape) for shape in s[0]],), s[1], note=str(s)) for s in specs]
    )


_CAT = ([(2, 3), (1, 3), (4, 3)], {}), ([(2, 3), (2, 1)], {"dim": -1}), ([(2, 3), (0, 3)], {}), ([(3,)], {})


@register(_lists(*_CAT), methods=())
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dim; the sizes of the other dims must match.

    >>> import autograd as torch
    >>> torch.cat([torch.zeros(2, 3), torch.ones(1, 3)]).shape
    (3, 3)
    """
    if len(tensors) == 0:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    return Cat.apply(normalize_dim(dim, tensors[0].ndim, "cat"), *tensors)


concat = concatenate = cat


@register(
    _lists(([(2, 3), (2, 3), (2, 3)], {}), ([(2, 3), (2, 3)], {"dim": -1}), ([(), ()], {}), ([(0, 2)], {"dim": 1}))
)
def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join equal-shaped tensors along a new dim.

    >>> import autograd as torch
    >>> torch.stack([torch.zeros(2, 3), torch.ones(2, 3)], dim=1).shape
    (2, 2, 3)
    """
    if len(tensors) == 0:
        raise ValueError("stack expects a non-empty TensorList")
    shapes = [x.shape for x in tensors]
    for i, shape in enumerate(shapes):
        if shape != shapes[0]:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(shapes[0])} at entry 0 "
                f"and {list(shape)} at entry {i}"
            )
    axis = normalize_dim(dim, len(shapes[0]) + 1, "stack")
    return cat([unsqueeze(x, axis) for x in tensors], axis)


class Pad(Function):
    @staticmethod
    def forward(ctx: Node, x: np.ndarray, widths: tuple[tuple[int, int], ...], value: float) -> np.ndarray:
        ctx.widths = widths
        shape = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, widths))
        if min(shape, default=0) < 0:
            raise RuntimeError(
                f"pad: padding {list(widths)} gives the negative output shape {list(shape)} "
                f"for input shape {list(x.shape)}"
            )
        out = np.full(shape, value, dtype=x.dtype)
        src, dst = [], []
        for n, (lo, hi) in zip(x.shape, widths):
            kept = max(0, n - max(-lo, 0) - max(-hi, 0))
            src.append(slice(max(-lo, 0), max(-lo, 0) + kept))
            dst.append(slice(max(lo, 0), max(lo, 0) + kept))
        out[tuple(dst)] = x[tuple(src)]
        return out

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return Pad.apply(gy, tuple((-lo, -hi) for lo, hi in ctx.widths), 0), None, None


def _pad_index(mode: str, n: int, lo: int, hi: int) -> np.ndarray:
    i = np.arange(-lo, n + hi)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    if mode == "circular":
        return i % n
    if mode != "reflect":
        raise ValueError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}")
    if max(lo, hi) >= n:
        raise RuntimeError(f"pad: reflect padding ({lo}, {hi}) must be less than the dimension's size {n}")
    return (n - 1) - np.abs((n - 1) - np.abs(i))


_PADS = ((2, 3), (1, 2)), ((2, 3, 4), (1, 0, 0, 2), "constant", 0.5), ((2, 5), (-1, 2)), ((0, 3), (1, 1))
_PADS += ((2, 3, 4), (2, 1), "reflect"), ([1, 3, 4], (1, 2), "replicate"), ((1, 2, 3, 3), (1, 1, 2, 0), "circular")


@register(_cases(*_PADS), torch=lambda torch, *args, **kwargs: torch.nn.functional.pad(*args, **kwargs))
def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last dims: ``pad = (left_last, right_last, left_2nd_last, ...)``; negative values crop.

    ``mode`` is ``constant`` (with ``value``), ``reflect``, ``replicate`` or ``circular``.

    >>> import autograd as torch
    >>> torch.pad(torch.ones(1, 2), (1, 0), value=5.0)
    tensor([[5., 1., 1.]])
    """
    pads, ndim = [operator.index(p) for p in pad], input.ndim
    if len(pads) % 2 or len(pads) > 2 * ndim:
        raise RuntimeError(
            f"Padding length {len(pads)} must be even and at most two times the input dimension {ndim} "
            f"(pad {tuple(pads)})"
        )
    widths = ((0, 0),) * (ndim - len(pads) // 2) + tuple(zip(pads[-2::-2], pads[::-2]))
    if mode == "constant":
        return Pad.apply(input, widths, 0 if value is None else value)
    out = input
    for axis, (lo, hi) in enumerate(widths):
        if lo or hi:
            out = index_select(out, axis, _pad_index(mode, out.shape[axis], lo, hi))
    return out


# NumPy's functions on Tensors (backward formulas call them under create_graph).
numpy_dispatch.implements(np.stack)(lambda arrays, axis=0: stack(arrays, axis))


@numpy_dispatch.implements(np.concatenate)
def _np_concatenate(arrays: Sequence[Any], axis: int | None = 0) -> Tensor:
    return cat([reshape(a, (-1,)) for a in arrays] if axis is None else arrays, axis or 0)


_NUMPY_PAD_MODES = {"constant": "constant", "edge": "replicate", "reflect": "reflect", "wrap": "circular"}


@numpy_dispatch.implements(np.pad)
def _np_pad(array: Tensor, pad_width: Any, mode: str = "constant", constant_values: float = 0) -> Tensor:
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (array.ndim, 2))
    return pad(array, widths[::-1].ravel().tolist(), _NUMPY_PAD_MODES[mode], constant_values)
