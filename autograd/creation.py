"""Tensor constructors with PyTorch's names, defaults (float32) and dtype inference.

>>> import autograd as torch
>>> torch.tensor([1, 2]).dtype == torch.int64
True
>>> torch.zeros(2, 3).shape
(2, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.random import Generator, rng
from autograd.tensor import Tensor

__all__ = [
    "tensor",
    "as_tensor",
    "from_numpy",
    "zeros",
    "ones",
    "full",
    "empty",
    "arange",
    "linspace",
    "eye",
    "rand",
    "randn",
    "randint",
    "zeros_like",
    "ones_like",
    "full_like",
    "empty_like",
    "rand_like",
    "randn_like",
]


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor copying ``data``: Python floats become float32, ints int64; arrays keep their dtype.

    >>> import autograd as torch
    >>> torch.tensor(2.5, requires_grad=True)
    tensor(2.5000, requires_grad=True)
    """
    if isinstance(data, Tensor):
        array = np.array(data._data, copy=True)
    else:
        from_python = not isinstance(data, (np.ndarray, np.generic))
        array = np.array(_unwrap_nested(data), copy=True)
        if dtype is None:
            array = array.astype(dtypes.infer_dtype(array, from_python), copy=False)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"tensor(): could not make a numeric tensor from {type(data).__name__} (NumPy dtype {array.dtype})"
        )
    return Tensor(array, requires_grad=requires_grad, dtype=dtype)


def _unwrap_nested(data: Any) -> Any:
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)) and any(isinstance(d, (Tensor, list, tuple)) for d in data):
        return [_unwrap_nested(d) for d in data]
    return data


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with an ndarray or tensor of the right dtype."""
    if isinstance(data, Tensor) and (dtype is None or dtypes.as_dtype(dtype) == data.dtype):
        return data
    if isinstance(data, np.ndarray):
        return Tensor(data, dtype=dtype)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` and keeping its dtype."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects an np.ndarray, got {type(array).__name__}")
    return Tensor(array)


def _shape(size: Sequence[Any]) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    shape = tuple(int(s) for s in size)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    return shape


def _float_dtype(dtype: Any) -> np.dtype:
    return dtypes.default_float if dtype is None else dtypes.as_dtype(dtype)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return Tensor(np.zeros(_shape(size), _float_dtype(dtype)), requires_grad=requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones."""
    return Tensor(np.ones(_shape(size), _float_dtype(dtype)), requires_grad=requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor (zeros here, for reproducibility)."""
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size: Sequence[int], fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``; its dtype follows the value, as in PyTorch."""
    if dtype is None:
        dtype = dtypes.infer_dtype(np.asarray(fill_value), from_python=True)
    return Tensor(np.full(_shape((size,)), fill_value, dtypes.as_dtype(dtype)), requires_grad=requires_grad)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive); int64 unless a bound or the step is a float."""
    if end is None:
        start, end = 0, start
    values = np.arange(start, end, step)
    if dtype is None:
        dtype = dtypes.infer_dtype(values, from_python=True)
    return Tensor(values.astype(dtypes.as_dtype(dtype)), requires_grad=requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    return Tensor(np.linspace(start, end, steps, dtype=_float_dtype(dtype)), requires_grad=requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The identity matrix (``n`` x ``m``)."""
    return Tensor(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad=requires_grad)


def rand(*size: Any, generator: Generator | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1)."""
    values = rng(generator).random(_shape(size), dtype=np.float64)
    return Tensor(values.astype(_float_dtype(dtype)), requires_grad=requires_grad)


def randn(*size: Any, generator: Generator | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples."""
    values = rng(generator).standard_normal(_shape(size))
    return Tensor(values.astype(_float_dtype(dtype)), requires_grad=requires_grad)


def randint(
    low: int, high: int | None = None, size: Sequence[int] = (), generator: Generator | None = None, dtype: Any = None
) -> Tensor:
    """Integers in [low, high) (int64): ``randint(10, (3,))`` or ``randint(2, 10, (3,))``."""
    if high is None:
        low, high = 0, low
    values = rng(generator).integers(low, high, size=tuple(size))
    return Tensor(np.asarray(values, dtype=dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)))


def _like(t: Tensor, dtype: Any) -> tuple[tuple[int, ...], np.dtype]:
    return t.shape, t.dtype if dtype is None else dtypes.as_dtype(dtype)


def zeros_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros with ``input``'s shape (and dtype unless given)."""
    shape, dt = _like(input, dtype)
    return Tensor(np.zeros(shape, dt), requires_grad=requires_grad)


def ones_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones with ``input``'s shape (and dtype unless given)."""
    shape, dt = _like(input, dtype)
    return Tensor(np.ones(shape, dt), requires_grad=requires_grad)


def empty_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor like ``input`` (zeros here, for reproducibility)."""
    return zeros_like(input, dtype, requires_grad)


def full_like(input: Tensor, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """``fill_value`` everywhere, with ``input``'s shape (and dtype unless given)."""
    shape, dt = _like(input, dtype)
    return Tensor(np.full(shape, fill_value, dt), requires_grad=requires_grad)


def rand_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1) with ``input``'s shape."""
    shape, dt = _like(input, dtype)
    return rand(*shape, dtype=dt, requires_grad=requires_grad)


def randn_like(input: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples with ``input``'s shape."""
    shape, dt = _like(input, dtype)
    return randn(*shape, dtype=dt, requires_grad=requires_grad)
