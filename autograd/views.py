"""Views: results that share memory with their input (reshape, transpose, basic indexing, expand).

A view shares its base's version counter, so an in-place write through either
one is seen by every saved value that aliases the same memory.
"""

from __future__ import annotations

import numpy as np

from autograd.tensor import Tensor, version_counter


def mark_view(out: Tensor, src: Tensor) -> Tensor:
    """Record that ``out`` aliases ``src``'s memory, when NumPy made it a view."""
    data = out._data
    if data.base is not None and data is not src._data and np.may_share_memory(data, src._data):
        base = src._base if src._base is not None else src
        out._base = base
        out._version_counter = version_counter(src)
    return out
