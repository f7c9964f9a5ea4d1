"""The op registry: every public op, its PyTorch counterpart and its sample inputs.

Registering an op is its only wiring: ``register`` attaches the Tensor methods
and the NumPy functions that dispatch to it, and the tests in
``tests/test_op_registry.py`` are generated from ``OPS``.

    >>> from autograd.ops.registry import OPS
    >>> OPS["exp"].torch
    'exp'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from autograd import numpy_dispatch
from autograd.tensor import Tensor


@dataclass
class Sample:
    """One call of an op: ``fn(*args, **kwargs)``.

    Float ndarrays in ``args`` become tensors that require grad (all of them,
    unless ``grad`` says which); other values are passed as they are.
    """

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    grad: tuple[bool, ...] | None = None
    note: str = ""


@dataclass
class OpInfo:
    """A registered op: our function, its PyTorch counterpart, its samples and what the tests may assume."""

    name: str
    fn: Callable[..., Any]
    torch: str | Callable[..., Any]
    samples: Callable[[Any], Iterable[Sample]]
    differentiable: bool = True
    gradgrad: bool = True
    atol32: float = 1e-5
    rtol32: float = 1e-4


OPS: dict[str, OpInfo] = {}


def register(
    samples: Callable[[Any], Iterable[Sample]],
    *,
    torch: str | Callable[..., Any] | None = None,
    name: str | None = None,
    methods: Iterable[str] = (),
    ufuncs: Iterable[Any] = (),
    differentiable: bool = True,
    gradgrad: bool = True,
    atol32: float = 1e-5,
    rtol32: float = 1e-4,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a public op.

    ``torch`` names the counterpart: ``"exp"`` is ``torch.exp``; ``"Tensor.expand"``
    a method; a callable ``(torch, *args, **kwargs)`` anything else. ``samples(rng)``
    yields float64 ``Sample``s (tests also run them in float32). ``methods`` become
    Tensor methods; ``ufuncs`` are NumPy ufuncs that dispatch to the op.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        op_name = name or fn.__name__
        if op_name in OPS:
            raise ValueError(f"op {op_name!r} is registered twice")
        OPS[op_name] = OpInfo(op_name, fn, torch or op_name, samples, differentiable, gradgrad, atol32, rtol32)
        for method in methods:
            setattr(Tensor, method, fn)
        for ufunc in ufuncs:
            numpy_dispatch.UFUNCS[ufunc] = fn
        return fn

    return decorate
