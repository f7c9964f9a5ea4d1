"""Shape helpers: dims, broadcasting and its undoing.

Broadcasting is undone here and only here (``unbroadcast``): the engine calls it
on every gradient whose shape differs from its input's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np


def normalize_dim(dim: int, ndim: int, op: str) -> int:
    """Turn a possibly negative ``dim`` into an axis, or raise naming the dim and the ndim."""
    rank = max(ndim, 1)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    if not -rank <= dim < rank:
        raise IndexError(
            f"{op}: Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], "
            f"but got {dim}) for a tensor with ndim {ndim}"
        )
    return int(dim) % rank


def normalize_dims(dim: int | Sequence[int] | None, ndim: int, op: str) -> tuple[int, ...]:
    """``dim`` as a sorted tuple of axes; ``None`` means every axis."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        dim = (dim,)
    axes = tuple(normalize_dim(d, ndim, op) for d in dim)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"{op}: dim {tuple(dim)} appears multiple times in the list of dims")
    if ndim == 0:
        return ()
    return tuple(sorted(axes))


def broadcast_shapes(op: str, *shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast shape, or a RuntimeError (as PyTorch) naming the op, both shapes and the failing dimension."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        ndim = max(len(s) for s in shapes)
        padded = [(1,) * (ndim - len(s)) + tuple(s) for s in shapes]
        for axis in range(ndim):
            sizes = {p[axis] for p in padded} - {1}
            if len(sizes) > 1:
                break
        shown = " and ".join(str(tuple(s)) for s in shapes)
        raise RuntimeError(
            f"{op}: shapes {shown} cannot be broadcast: sizes {' vs '.join(str(p[axis]) for p in padded)} "
            f"at dimension {axis - ndim}"
        ) from None


def unbroadcast(g: Any, shape: tuple[int, ...], node_name: str, index: int) -> Any:
    """Sum a gradient of a broadcast result back down to ``shape`` (an array or, under create_graph, a Tensor)."""
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if lead < 0:
        _bad_shape(node_name, index, gshape, shape)
    axes = list(range(lead))
    for i, n in enumerate(shape):
        if gshape[lead + i] != n:
            if n != 1:
                _bad_shape(node_name, index, gshape, shape)
            axes.append(lead + i)
    if axes:
        g = sum_axes(g, tuple(axes), keepdims=True)
    if lead:
        g = np.reshape(g, shape)
    return g


def sum_axes(g: Any, axis: Any, keepdims: bool = False) -> Any:
    """``np.sum`` for backward formulas: the array method for arrays, NumPy dispatch for Tensors.

    ``np.sum``'s Python wrapper costs as much as summing a small array; under create_graph the
    gradient is a Tensor and ``np.sum`` dispatches to our op.
    """
    if type(g) is np.ndarray:
        return g.sum(axis=axis, keepdims=keepdims)
    return np.sum(g, axis=axis, keepdims=keepdims)


# Up to this many elements a filled copy is cheaper than np.broadcast_to's Python wrapper.
_SMALL = 4096


def broadcast_to(g: Any, shape: tuple[int, ...]) -> Any:
    """``np.broadcast_to`` for backward formulas: small arrays get a filled copy, Tensors dispatch to our op."""
    if type(g) is np.ndarray and math.prod(shape) <= _SMALL:
        out = np.empty(shape, g.dtype)
        out[...] = g
        return out
    return np.broadcast_to(g, shape)


def _bad_shape(node_name: str, index: int, got: tuple[int, ...], expected: tuple[int, ...]) -> None:
    raise RuntimeError(
        f"Function {node_name} returned an invalid gradient at index {index} - got {list(got)} "
        f"but expected shape compatible with {list(expected)}"
    )
