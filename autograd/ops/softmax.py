"""The softmax family: softmax, log_softmax and logsumexp.

Each is a primitive rather than a composition of exp, sum and log, for numerical
stability: forward subtracts the max first, so exp never overflows
(``softmax([1000., 0.])`` is exactly ``[1., 0.]``). Backward formulas are written
in terms of the saved output, so they stay differentiable (second order).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import float32 as _FLOAT32
from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import REDUCE_DIMS, uniform
from autograd.shapes import normalize_dim, normalize_dims, sum_axes
from autograd.tensor import Tensor

__all__ = ["softmax", "log_softmax", "logsumexp"]


_FLOAT32_LOWEST = float(np.finfo(np.float32).min)
_max_of = np.maximum.reduce


def _shifted(x: Any, axes: tuple[int, ...]) -> Any:
    """``x`` minus its max over ``axes``.

    The max starts from the dtype's lowest finite value, not from -inf: a row that is all -inf is then
    shifted by a finite amount and stays -inf, instead of becoming -inf - -inf = nan. Every other row's
    max is unchanged.
    """
    dtype = x.dtype
    lowest = _FLOAT32_LOWEST if dtype is _FLOAT32 else float(np.finfo(dtype).min)
    return x - _max_of(x, axes, None, None, True, lowest)


def _one_axis(dim: int, ndim: int, op: str) -> tuple[int, ...]:
    """``dim`` as a one-axis tuple; a 0-d input (dim 0 or -1) has no axis."""
    axis = normalize_dim(dim, ndim, op)
    return (axis,) if ndim else ()


class Softmax(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, axes: tuple[int, ...]) -> Any:
        e = np.exp(_shifted(x, axes))
        with np.errstate(divide="ignore", invalid="ignore"):  # a row all -inf gives nan, as in PyTorch
            y = np.asarray(e / e.sum(axis=axes, keepdims=True))  # 0-d: an array to save, not a scalar
        ctx.axes = axes
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (y,) = ctx.saved_tensors
        return y * (gy - sum_axes(gy * y, ctx.axes, keepdims=True)), None


class LogSoftmax(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, axes: tuple[int, ...]) -> Any:
        z = _shifted(x, axes)
        with np.errstate(divide="ignore", invalid="ignore"):  # a row all -inf gives nan, as in PyTorch
            y = np.asarray(z - np.log(np.exp(z).sum(axis=axes, keepdims=True)))
        ctx.axes = axes
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        (y,) = ctx.saved_tensors
        return gy - np.exp(y) * sum_axes(gy, ctx.axes, keepdims=True), None


def _along_dim(rng: np.random.Generator) -> Any:
    yield Sample((uniform(rng, ()),), {"dim": 0}, note="0-d")
    for dim in (0, 1, -1):
        yield Sample((uniform(rng, (2, 3, 4)),), {"dim": dim}, note=f"dim={dim}")
    yield Sample((uniform(rng, (3, 4), -500.0, 500.0),), {"dim": 1}, note="large logits")
    yield Sample((uniform(rng, (0, 3)),), {"dim": 1}, note="no rows")
    yield Sample((uniform(rng, (3, 0)),), {"dim": 1}, note="no classes")


@register(_along_dim, methods=("softmax",))
def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim``, max-subtracted: dx = y * (gy - sum(gy * y)).

    With ``dtype``, the input is cast first (PyTorch's mixed-precision form).

    >>> import autograd as torch
    >>> torch.softmax(torch.tensor([1000.0, 0.0]), 0)
    tensor([1., 0.])
    """
    if dtype is not None:
        input = input.to(dtype)
    return Softmax.apply(input, _one_axis(dim, input.ndim, "softmax"))


@register(_along_dim, methods=("log_softmax",))
def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """x - logsumexp(x) along ``dim``, max-subtracted: dx = gy - exp(y) * sum(gy).

    >>> import autograd as torch
    >>> torch.log_softmax(torch.tensor([1000.0, 1000.0]), 0)
    tensor([-0.6931, -0.6931])
    """
    if dtype is not None:
        input = input.to(dtype)
    return LogSoftmax.apply(input, _one_axis(dim, input.ndim, "log_softmax"))


class LogSumExp(Function):
    """log(sum(exp(x))) over axes. Where every entry is -inf the result is -inf with a zero
    gradient (PyTorch gives nan there: pytorch/pytorch#31829)."""

    @staticmethod
    def forward(ctx: Node, x: Any, axes: tuple[int, ...], keepdim: bool) -> Any:
        m = np.max(x, axis=axes, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # log(0) = -inf for a row all -inf
            y = np.asarray(np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m)
        dead = y == -np.inf
        ctx.kept, ctx.dead = y.shape, dead if dead.any() else None
        if not keepdim:
            y = y.reshape([n for i, n in enumerate(x.shape) if i not in axes])
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, y = ctx.saved_tensors
        y = y.reshape(ctx.kept)
        if ctx.dead is not None:
            y = np.where(ctx.dead, 0, y)  # exp(-inf - 0) = 0: no gradient, and no nan
        return gy.reshape(ctx.kept) * np.exp(x - y), None, None


def _logsumexp_samples(rng: np.random.Generator) -> Any:
    yield Sample((uniform(rng, ()),), {"dim": 0}, note="0-d")
    for dim in REDUCE_DIMS[1:]:
        for keepdim in (False, True):
            yield Sample((uniform(rng, (2, 3, 4)),), {"dim": dim, "keepdim": keepdim}, note=f"dim={dim}")
    yield Sample((uniform(rng, (3, 4), -500.0, 500.0),), {"dim": 1}, note="large values")
    yield Sample((uniform(rng, (0, 3)),), {"dim": 1}, note="no rows")
    yield Sample((uniform(rng, (3, 0)),), {"dim": 1}, note="empty rows: -inf")


@register(_logsumexp_samples, methods=("logsumexp",))
def logsumexp(input: Tensor, dim: int | tuple[int, ...], keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over ``dim``, max-subtracted: dx = gy * exp(x - y).

    A row that is all -inf gives -inf with a zero gradient (PyTorch: nan gradient).

    >>> import autograd as torch
    >>> torch.logsumexp(torch.tensor([[0.0, 0.0], [1.0, -float("inf")]]), 1)
    tensor([0.6931, 1.0000])
    >>> torch.logsumexp(torch.tensor([-float("inf"), -float("inf")]), 0)
    tensor(-inf)
    """
    return LogSumExp.apply(input, normalize_dims(dim, input.ndim, "logsumexp"), keepdim)
