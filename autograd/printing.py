"""PyTorch-style ``repr`` for tensors: ``tensor([1., 2.], requires_grad=True)``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes

_DEFAULT_SHOWN = (dtypes.float32, dtypes.int64, dtypes.bool_)


def tensor_repr(t: Any) -> str:
    """Format like PyTorch: values, then dtype when not a default, then the grad state."""
    data = t._data
    prefix = "tensor("
    body = _format_values(data, len(prefix))
    extras = []
    # Empty: the shape unless it is (0,), and any dtype but float32, since no value hints at it.
    if data.size == 0 and data.ndim != 1:
        extras.append(f"size={tuple(data.shape)}")
    if data.dtype not in _DEFAULT_SHOWN or (data.size == 0 and data.dtype != dtypes.float32):
        extras.append(f"dtype=autograd.{dtypes.dtype_name(data.dtype)}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    return prefix + ", ".join([body, *extras]) + ")"


def _format_values(data: np.ndarray, indent: int) -> str:
    if data.size == 0:
        return "[]"
    if data.dtype.kind == "f":
        finite = data[np.isfinite(data)]
        integral = finite.size == 0 or bool(np.all(finite == np.round(finite)))
        big = finite.size > 0 and (np.abs(finite).max() >= 1e8 or np.abs(finite[finite != 0]).min(initial=1) < 1e-4)
        if integral and not big:
            fmt = _integral_float
        elif big:
            fmt = "{:.4e}".format
        else:
            fmt = "{:.4f}".format
        width = max((len(fmt(v)) for v in _shown_values(data) if np.isfinite(v)), default=0)
        formatter = {"float_kind": lambda v: fmt(v).rjust(width)}
        text = np.array2string(data, separator=", ", formatter=formatter, threshold=1000, edgeitems=3)
    else:
        text = np.array2string(data, separator=", ", threshold=1000, edgeitems=3)
    return text.replace("\n", "\n" + " " * indent)


def _shown_values(data: np.ndarray) -> np.ndarray:
    """The values a summarised print shows (first and last three along each axis), for the column width."""
    if data.size <= 1000:
        return data.ravel()
    for axis in range(data.ndim):
        if data.shape[axis] > 6:
            data = np.concatenate([data.take(range(3), axis), data.take(range(-3, 0), axis)], axis)
    return data.ravel()


def _integral_float(v: float) -> str:
    if np.isnan(v):
        return "nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.0f}."
