"""``nn.utils``: gradient clipping and flattening parameters into one vector.

>>> import autograd as torch
>>> import nn
>>> w = nn.Parameter(torch.tensor([3.0, 4.0]))
>>> (w * w).sum().backward()
>>> nn.utils.clip_grad_norm_([w], max_norm=1.0)
tensor(10.)
>>> w.grad
tensor([0.6000, 0.8000])
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd.ops.join import cat
from autograd.tensor import Tensor, bump_version

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _norm(values: np.ndarray, norm_type: float) -> np.floating[Any]:
    with np.errstate(over="ignore", invalid="ignore"):  # inf/nan gradients give an inf/nan norm, not an error
        if norm_type == math.inf:
            return np.max(np.abs(values), initial=0)
        return np.linalg.norm(values.ravel(), ord=norm_type)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients in place by min(1, max_norm / (total_norm + 1e-6)); returns the total norm before.

    The total norm is the ``norm_type`` norm of all gradients as one vector. A non-finite norm is returned
    (and the gradients scaled by it, as in PyTorch) unless ``error_if_nonfinite``. ``foreach`` is accepted
    and ignored.
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return Tensor(np.array(0.0, np.float32))
    norm_type = float(norm_type)
    norms = np.array([_norm(g._data, norm_type) for g in grads], dtype=np.float64)
    total = _norm(norms, norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        coef = min(float(max_norm) / (float(total) + 1e-6), 1.0)
        for g in grads:
            np.multiply(g._data, coef, out=g._data, casting="unsafe")
            bump_version(g)
    return Tensor(np.asarray(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient in place to [-clip_value, clip_value].

    >>> import autograd as torch
    >>> import nn
    >>> w = nn.Parameter(torch.tensor([1.0, -3.0]))
    >>> (w * w).sum().backward()
    >>> nn.utils.clip_grad_value_(w, 1.5)
    >>> w.grad
    tensor([ 1.5000, -1.5000])
    """
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        if p.grad is not None:
            np.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)
            bump_version(p.grad)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated into one 1-D tensor (differentiable, a copy).

    >>> import nn
    >>> nn.utils.parameters_to_vector(nn.Linear(3, 2).parameters()).shape
    (8,)
    """
    return cat([p.reshape(-1) for p in _as_list(parameters)])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters, in order (PyTorch makes them share vec's memory).

    >>> import autograd as torch
    >>> import nn
    >>> layer = nn.Linear(2, 1)
    >>> nn.utils.vector_to_parameters(torch.zeros(3), layer.parameters())
    >>> layer.weight
    Parameter containing:
    tensor([[0., 0.]], requires_grad=True)
    """
    if not isinstance(vec, Tensor) or vec.ndim != 1:
        raise TypeError(f"expected vec to be a 1-D Tensor, got {type(vec).__name__} {getattr(vec, 'shape', '')}")
    params = _as_list(parameters)
    total = sum(p.numel() for p in params)
    if vec.numel() != total:
        raise RuntimeError(f"vector_to_parameters: vec has {vec.numel()} elements, the parameters {total}")
    start = 0
    for p in params:
        n = p.numel()
        p._data[...] = vec._data[start : start + n].reshape(p.shape)
        bump_version(p)
        start += n
