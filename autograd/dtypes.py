"""Data types: NumPy dtypes under PyTorch's names.

Default float dtype is float32. Promotion between tensors follows NumPy
(float32 + float64 -> float64); Python scalars never upcast a tensor (NEP 50).

    >>> import autograd as torch
    >>> torch.tensor([1.0]).dtype == torch.float32
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

float16 = half = np.dtype(np.float16)
float32 = float_ = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
int32 = np.dtype(np.int32)
int64 = long = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)

default_float = float32

_NAMES = {
    float16: "float16",
    float32: "float32",
    float64: "float64",
    int32: "int32",
    int64: "int64",
    uint8: "uint8",
    bool_: "bool",
}


def dtype_name(dtype: np.dtype) -> str:
    """PyTorch's name for a dtype, e.g. ``float32`` or ``bool``."""
    return _NAMES.get(np.dtype(dtype), str(dtype))


def as_dtype(dtype: Any) -> np.dtype:
    """Turn a dtype-like (``autograd.float64``, ``"float64"``, ``np.float64``, ``float``) into an np.dtype."""
    if dtype is float:
        return float32
    if dtype is int:
        return int64
    if dtype is bool:
        return bool_
    return np.dtype(dtype)


def is_floating(dtype: np.dtype) -> bool:
    """True for floating dtypes, the only ones that can require grad."""
    return dtype.kind == "f"


def infer_dtype(array: np.ndarray, from_python: bool) -> np.dtype:
    """The dtype PyTorch would pick: Python floats -> float32, Python ints -> int64."""
    if from_python:
        if array.dtype.kind == "f":
            return default_float
        if array.dtype.kind in "iu":
            return int64
    return array.dtype
