"""``Parameter``: a tensor a ``Module`` registers as learnable when it is assigned as an attribute.

>>> import autograd as torch
>>> import nn
>>> nn.Parameter(torch.ones(2))
Parameter containing:
tensor([1., 1.], requires_grad=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A leaf tensor that requires grad by default and that ``Module`` collects in ``parameters()``.

    It shares memory with ``data``. Ops on a parameter return plain tensors, as in PyTorch.

    >>> import autograd as torch
    >>> import nn
    >>> p = nn.Parameter(torch.zeros(3))
    >>> p.requires_grad, type(p * 2).__name__
    (True, 'Tensor')
    """

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            data = np.empty(0, np.float32)
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        # copy.deepcopy(model): fresh data, no gradient, as torch's Parameter.__deepcopy__.
        out = Parameter(np.array(self._data, copy=True), requires_grad=self._requires_grad)
        memo[id(self)] = out
        return out


def factory_dtype(device: Any, dtype: Any) -> Any:
    """The dtype for a layer's new parameters (``device``/``dtype`` as layers take them); only the CPU exists here."""
    if device is not None and str(device) != "cpu":
        raise RuntimeError(f"chainrule runs on the CPU only; cannot create a layer on device {device!r}")
    return dtypes.default_float if dtype is None else dtypes.as_dtype(dtype)
