"""What a drawing keeps of one array: shape, dtype, the values when small, the norm, and whether all are finite.

A summary is made once (when a value is recorded or a drawing is built) and is all the later
stages read, so they never hold on to large arrays.

    >>> import numpy as np
    >>> s = summarize(np.array([3.0, 4.0]))
    >>> s.shape, s.norm, s.finite, s.small
    ((2,), 5.0, True, array([3., 4.]))
    >>> format_number(138.83381), format_number(2.5e-9), format_number(float("nan"))
    ('138.8338', '2.500e-09', 'nan')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Tensors with at most this many elements show their values.
SMALL = 6


@dataclass(frozen=True)
class Summary:
    """An array, reduced to what a drawing shows: ``small`` holds a copy of the values, or None when large."""

    shape: tuple[int, ...]
    dtype: np.dtype
    small: np.ndarray | None
    norm: float
    finite: bool

    @property
    def size(self) -> int:
        return math.prod(self.shape)


def as_array(x: Any) -> np.ndarray:
    """The array inside a Tensor, an ndarray or a NumPy/Python scalar."""
    data = getattr(x, "_data", x)
    return data if type(data) is np.ndarray else np.asarray(data)


def summarize(x: Any, max_elements: int = SMALL) -> Summary:
    """Summarize ``x`` (array, Tensor or scalar); the L2 norm is taken over all elements."""
    a = as_array(x)
    small = np.array(a, copy=True) if a.size <= max_elements else None
    if a.dtype.kind not in "fc":
        a = a.astype(np.float64)
    with np.errstate(all="ignore"):
        norm = float(np.linalg.norm(a.ravel()))
        finite = math.isfinite(norm) or bool(np.isfinite(a).all())
        if finite and not math.isfinite(norm):
            # The squares overflowed: rescale by the largest magnitude.
            peak = float(np.abs(a).max())
            norm = peak * float(np.linalg.norm((a / peak).astype(np.float64).ravel()))
    return Summary(tuple(a.shape), a.dtype, small, norm, finite)


def format_number(v: float) -> str:
    """Four decimals like micrograd's drawings; scientific notation for very small or large magnitudes."""
    v = float(v)
    if not math.isfinite(v):
        return str(v)
    if v == 0 or 1e-3 <= abs(v) < 1e6:
        return f"{v:.4f}"
    return f"{v:.3e}"


def format_values(s: Summary) -> str | None:
    """The values of a small summary (``2.0000`` or ``[1.0000, -2.0000]``); None when large."""
    if s.small is None:
        return None
    if s.small.ndim == 0:
        return format_number(s.small.item())
    if s.small.dtype.kind in "biu":
        return np.array2string(s.small, separator=", ")
    return np.array2string(s.small, separator=", ", formatter={"all": format_number}, max_line_width=48)


def format_shape(shape: tuple[int, ...]) -> str:
    """PyTorch's way of printing a size: ``(3, 4)``, ``(5,)``, ``()``."""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"
