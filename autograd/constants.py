"""Python floats beside float tensors, converted to arrays once instead of at every use.

NumPy converts a Python float operand on every operation: for a small array that conversion is
about 3,000 instructions, half the cost of ``x * 1.5``. An op whose Function is in
``FLOAT_OPERANDS_AS_ARRAYS`` receives such a float as a read-only 0-d array of the tensor's dtype,
taken from a cache, and its backward reuses it (``Function.apply`` converts; the arithmetic ops
opt in). Other Functions see the Python float, as in PyTorch. NumPy 2 casts a Python float to the
array's dtype before computing (NEP 50), so the converted array gives bit-identical results.

    >>> import numpy as np
    >>> c = float_constant(1.5, np.ones(2, np.float32))
    >>> c.dtype, c.shape, c.flags.writeable
    (dtype('float32'), (), False)
    >>> float_constant(1.5, np.ones(2, np.float32)) is c
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import float32 as _FLOAT32
from autograd.dtypes import float64 as _FLOAT64

_FLOAT32_MAX = float(np.finfo(np.float32).max)
# At most this many distinct constants per dtype; a loop over ever-new floats clears the cache.
CACHE_SIZE = 1024
_cache_32: dict[float, np.ndarray] = {}
_cache_64: dict[float, np.ndarray] = {}
# The Function classes whose apply converts (a set: cheaper to test than a class attribute).
FLOAT_OPERANDS_AS_ARRAYS: set[type] = set()
_ndarray = np.ndarray
_ZERO_32 = np.zeros((), np.float32)
_ZERO_64 = np.zeros((), np.float64)
_ZERO_32.flags.writeable = _ZERO_64.flags.writeable = False


def zero_of(x: Any) -> Any:
    """+0 as a read-only 0-d array of ``x``'s float dtype, for ``np.maximum(x, zero_of(x))`` and the like; else 0.

    >>> zero_of(np.ones(2)).dtype
    dtype('float64')
    """
    dtype = x.dtype
    return _ZERO_32 if dtype is _FLOAT32 else _ZERO_64 if dtype is _FLOAT64 else 0


def float_constant(value: float, like: Any) -> Any:
    """``value`` as a cached read-only 0-d array of ``like``'s float dtype; ``value`` itself otherwise.

    Zeros stay Python floats (0.0 and -0.0 are equal dict keys but different operands), and so do
    floats beyond float32's range beside float32 (NumPy decides how those overflow).
    """
    dtype = like.dtype if type(like) is _ndarray else None
    cache = _cache_32 if dtype is _FLOAT32 else _cache_64 if dtype is _FLOAT64 else None
    if cache is None:
        return value
    array = cache.get(value)
    if array is None:
        if value == 0 or (dtype is _FLOAT32 and abs(value) > _FLOAT32_MAX):
            return value
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        array = np.array(value, dtype)
        array.flags.writeable = False
        cache[value] = array
    return array
