"""NumPy calls on Tensors dispatch to our ops (NEP 13 and NEP 18).

This is what lets one backward formula serve both passes: written with NumPy
operations, it runs on arrays in a normal backward, and on Tensors (building a
graph of the gradient) under ``create_graph=True``.

A NumPy function we do not differentiate still works on tensors that need no
gradient (they are converted to arrays); with a gradient needed it raises,
rather than silently dropping the gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import grad_mode

UFUNCS: dict[Any, Callable[..., Any]] = {}
FUNCTIONS: dict[Any, Callable[..., Any]] = {}


def implements(*numpy_functions: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn`` as our version of NumPy functions (with NumPy's signature)."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        for f in numpy_functions:
            FUNCTIONS[f] = fn
        return fn

    return decorate


# Queries about a tensor's shape are never differentiated, so they answer for any tensor.
FUNCTIONS[np.shape] = lambda a: a.shape
FUNCTIONS[np.ndim] = lambda a: a.ndim
FUNCTIONS[np.size] = lambda a, axis=None: a.numel() if axis is None else a.shape[axis]


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``Tensor.__array_ufunc__``: a registered ufunc call runs our op; anything else falls back."""
    op = UFUNCS.get(ufunc)
    if op is not None and method == "__call__" and not kwargs:
        return op(*inputs)
    return _fallback(getattr(ufunc, method), f"numpy.{ufunc.__name__}", inputs, kwargs)


def array_function(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``Tensor.__array_function__``: a registered NumPy function runs our op; anything else falls back."""
    op = FUNCTIONS.get(func)
    if op is not None:
        return op(*args, **kwargs)
    return _fallback(func, f"numpy.{func.__name__}", args, kwargs)


def _fallback(func: Callable[..., Any], name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    from autograd.tensor import Tensor

    if grad_mode.state.enabled and _any_requires_grad(args, Tensor):
        raise RuntimeError(
            f"{name} is not differentiable in chainrule; call it on tensor.detach(), or, inside "
            "a backward formula, mark the Function once_differentiable"
        )
    out = func(*_unwrap(args, Tensor), **{k: _unwrap(v, Tensor) for k, v in kwargs.items()})
    return Tensor(out) if isinstance(out, np.ndarray) else out


def _unwrap(value: Any, tensor_type: type) -> Any:
    if isinstance(value, tensor_type):
        return value._data
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v, tensor_type) for v in value)
    return value


def _any_requires_grad(value: Any, tensor_type: type) -> bool:
    if isinstance(value, tensor_type):
        return value._requires_grad
    if isinstance(value, (list, tuple)):
        return any(_any_requires_grad(v, tensor_type) for v in value)
    return False
