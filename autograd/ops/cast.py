"""Casts and copies: ``to``, ``float()``, ``double()``, ``half()``, ``long()``, ``int()``, ``bool()``, ``clone``...

A cast between float dtypes is differentiable: backward passes the gradient through and the
engine casts it back to the input's dtype. A cast to an integer or bool dtype records no node.
Only ``clone`` is a top-level function (as in PyTorch); the rest are Tensor methods.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, unary, uniform
from autograd.tensor import Tensor

__all__ = ["clone"]


class Cast(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, dtype: np.dtype) -> Any:
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return gy, None


class Clone(Function):
    @staticmethod
    def forward(ctx: Node, x: Any) -> Any:
        return x.copy()

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return gy


def _cast(input: Tensor, dtype: np.dtype) -> Tensor:
    if dtypes.is_floating(dtype):
        return Cast.apply(input, dtype)
    return Tensor(input._data.astype(dtype))


def _torch_to(torch: Any, x: Any, *args: Any, **kwargs: Any) -> Any:
    """The registry's oracle: PyTorch's ``x.to(...)`` with our dtypes (NumPy's) replaced by PyTorch's."""

    def theirs(a: Any) -> Any:
        return getattr(torch, dtypes.dtype_name(a)) if isinstance(a, np.dtype) else a

    return x.to(*[theirs(a) for a in args], **{k: theirs(v) for k, v in kwargs.items()})


def _to_samples(rng: np.random.Generator) -> Any:
    for shape in ((), (2, 3), (0, 3)):
        yield Sample((uniform(rng, shape), dtypes.float64), note=f"to float64, shape {shape}")
    yield Sample((uniform(rng, (2, 3)), dtypes.int64), note="to int64")
    yield Sample((uniform(rng, (2, 3)), dtypes.bool_), note="to bool")
    yield Sample((uniform(rng, (2, 3)), "cpu"), note="to the cpu: itself")
    yield Sample((uniform(rng, (2, 3)), "cpu", dtypes.float64), note="device and dtype")
    yield Sample((uniform(rng, (2, 3)),), {"dtype": dtypes.float64, "copy": True}, note="dtype= and copy=")
    yield Sample((uniform(rng, (2, 3)), np.zeros(2)), grad=(True, False), note="to another tensor's dtype")


@register(
    _to_samples,
    torch=_torch_to,
    methods=("to",),
)
def to(
    input: Tensor, *args: Any, dtype: Any = None, device: Any = None, copy: bool = False, non_blocking: bool = False
) -> Tensor:
    """``input`` cast to a dtype, or to another tensor's dtype; itself when nothing changes (unless ``copy``).

    Positional arguments may be a dtype, a device (only ``"cpu"`` exists) or a tensor, as in
    ``x.to(torch.float64)``, ``x.to("cpu")``, ``x.to(other)``. ``non_blocking`` is accepted and ignored.
    The gradient of a float-to-float cast is the upstream gradient, cast back.

    >>> import autograd as torch
    >>> x = torch.tensor([1.5, -2.0])
    >>> x.to(torch.float64).dtype, x.to(torch.int64), x.to("cpu") is x
    (dtype('float64'), tensor([ 1, -2]), True)
    """
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg.dtype
        elif isinstance(arg, str):
            device = arg
        else:
            dtype = arg
    if device is not None and str(device).split(":")[0] != "cpu":
        raise RuntimeError(f"to: chainrule runs on the CPU only, got device {device!r}")
    target = input.dtype if dtype is None else dtypes.as_dtype(dtype)
    if target == input.dtype:
        return clone(input) if copy else input
    return _cast(input, target)


@register(unary(), torch="Tensor.float", name="float", methods=("float",))
def to_float(input: Tensor) -> Tensor:
    """``input`` as float32 (itself if it already is); the gradient is cast back.

    >>> import autograd as torch
    >>> torch.tensor([1, 2]).float()
    tensor([1., 2.])
    """
    return to(input, dtypes.float32)


@register(unary(), torch="Tensor.double", name="double", methods=("double",))
def to_double(input: Tensor) -> Tensor:
    """``input`` as float64 (itself if it already is); the gradient is cast back.

    >>> import autograd as torch
    >>> torch.tensor([1, 2]).double().dtype
    dtype('float64')
    """
    return to(input, dtypes.float64)


@register(unary(), torch="Tensor.half", name="half", methods=("half",))
def to_half(input: Tensor) -> Tensor:
    """``input`` as float16 (itself if it already is); the gradient is cast back.

    >>> import autograd as torch
    >>> torch.tensor([1.0, 2.0]).half().dtype
    dtype('float16')
    """
    return to(input, dtypes.float16)


@register(unary(), torch="Tensor.long", name="long", methods=("long",), differentiable=False)
def to_long(input: Tensor) -> Tensor:
    """``input`` as int64, rounding toward zero; no gradient.

    >>> import autograd as torch
    >>> torch.tensor([1.7, -1.7]).long()
    tensor([ 1, -1])
    """
    return to(input, dtypes.int64)


@register(unary(), torch="Tensor.int", name="int", methods=("int",), differentiable=False)
def to_int(input: Tensor) -> Tensor:
    """``input`` as int32, rounding toward zero; no gradient.

    >>> import autograd as torch
    >>> torch.tensor([1.7, -1.7]).int().dtype
    dtype('int32')
    """
    return to(input, dtypes.int32)


@register(
    explicit(lambda rng: Sample((np.array([0.0, -1.5, 2.0, 0.0]),), note="zeros are false")),
    torch="Tensor.bool",
    name="bool",
    methods=("bool",),
    differentiable=False,
)
def to_bool(input: Tensor) -> Tensor:
    """``input`` as bool: non-zero is True; no gradient.

    >>> import autograd as torch
    >>> torch.tensor([0.0, 2.0]).bool()
    tensor([False,  True])
    """
    return to(input, dtypes.bool_)


@register(
    explicit(
        lambda rng: Sample((uniform(rng, (2, 3)), uniform(rng, (1,))), grad=(True, False), note="same dtype"),
        lambda rng: Sample((uniform(rng, (2, 3)), np.arange(2)), note="an integer tensor's dtype"),
    ),
    torch="Tensor.type_as",
    methods=("type_as",),
)
def type_as(input: Tensor, other: Tensor) -> Tensor:
    """``input`` cast to ``other``'s dtype (``input.to(other.dtype)``).

    >>> import autograd as torch
    >>> torch.tensor([1.5]).type_as(torch.tensor([1]))
    tensor([1])
    """
    return to(input, other.dtype)


@register(unary(), methods=("clone",))
def clone(input: Tensor) -> Tensor:
    """A copy of ``input`` with its own memory, still in the graph: d/dx = 1.

    >>> import autograd as torch
    >>> x = torch.tensor([1.0, 2.0])
    >>> y = x.clone()
    >>> y is x, y
    (False, tensor([1., 2.]))
    """
    return Clone.apply(input)


@register(unary(), torch="Tensor.contiguous", methods=("contiguous",))
def contiguous(input: Tensor) -> Tensor:
    """``input`` itself when its memory is in row-major order, else a row-major copy (``clone``).

    >>> import autograd as torch
    >>> x = torch.tensor([1.0, 2.0])
    >>> x.contiguous() is x
    True
    """
    return input if input._data.flags.c_contiguous else clone(input)
