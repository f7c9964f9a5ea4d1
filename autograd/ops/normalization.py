"""Fused normalization: ``batch_norm`` and ``layer_norm``, y = (x - mean) / sqrt(var + eps) * weight + bias.

One primitive for both (for speed: one node instead of about ten, and for stability: the variance
is taken around the mean, two passes, so a constant 1e8 column normalizes to exactly 0). Batch
norm takes the statistics over every dim but the channel dim 1; layer norm over the last dims.
The variance used to normalize is the biased one; ``running_var`` gets the unbiased one.

Backward, with xhat = (x - mean) * invstd and g = gy * weight, reducing over the normalized dims:
``gx = invstd * (g - mean(g) - xhat * mean(g * xhat))`` (statistics of the batch), ``gx = g * invstd``
(given statistics, batch norm in eval), ``gweight = sum(gy * xhat)``, ``gbias = sum(gy)`` over the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import uniform
from autograd.tensor import Tensor, bump_version

__all__ = ["layer_norm"]


class Normalize(Function):
    """y = (x - mean) * invstd * weight + bias; statistics over ``axes`` of x, or given ``stats`` (mean, var).

    ``layout`` is (axes the statistics are over, the shape weight and bias broadcast as, the axes their
    gradients are summed over).
    """

    @staticmethod
    def forward(ctx: Node, x: Any, weight: Any, bias: Any, layout: Any, eps: float, stats: Any, running: Any) -> Any:
        axes, pshape, _ = layout
        if stats is None:
            mean = x.mean(axis=axes, keepdims=True)
            xc = x - mean
            var = (xc * xc).mean(axis=axes, keepdims=True)
            if running is not None:
                _update_running(running, mean, var, x.size // mean.size)
        else:
            mean, var = stats
            xc = x - mean
        invstd = 1 / np.sqrt(var + eps)
        xhat = np.multiply(xc, invstd, out=xc if xc.dtype == np.result_type(xc, invstd) else None)
        y = xhat if weight is None else xhat * weight.reshape(pshape)
        if bias is not None:
            y = np.add(y, bias.reshape(pshape), out=y if y is not xhat and y.dtype == np.result_type(y, bias) else None)
        ctx.save_for_backward(x, weight)
        ctx.layout, ctx.eps, ctx.batch_stats = layout, eps, stats is None
        ctx.mean, ctx.invstd = mean, invstd
        # Kept for a first-order backward (two passes fewer); not when it is the output, which may be written to.
        ctx.xhat = xhat if y is not xhat else None
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        axes, pshape, param_axes = ctx.layout
        mean, invstd, xhat = ctx.mean, ctx.invstd, ctx.xhat
        if type(x) is not np.ndarray:  # building a graph of the gradient: xhat (and batch stats) depend on x
            if ctx.batch_stats:
                mean, invstd = _stats(x, axes, ctx.eps)
            xhat = None
        if xhat is None:
            xhat = (x - mean) * invstd
        gw = np.sum(gy * xhat, axis=param_axes) if need_w else None  # the sum leaves exactly the parameter's shape
        gb = np.sum(gy, axis=param_axes) if need_b else None
        gx = None
        if need_x:
            g = gy if weight is None else gy * weight.reshape(pshape)
            if ctx.batch_stats:
                n = _count(x.shape, axes)
                g_mean = np.sum(g, axis=axes, keepdims=True) / n
                gx_mean = np.sum(g * xhat, axis=axes, keepdims=True) / n
                gx = (g - g_mean - xhat * gx_mean) * invstd
            else:
                gx = g * invstd
        return gx, gw, gb, None, None, None, None


def _stats(x: Any, axes: tuple[int, ...], eps: float) -> tuple[Any, Any]:
    """Mean and 1/sqrt(var + eps) over ``axes``, written with NumPy calls that also build a graph on Tensors."""
    n = _count(x.shape, axes)
    mean = np.sum(x, axis=axes, keepdims=True) / n
    xc = x - mean
    return mean, (np.sum(xc * xc, axis=axes, keepdims=True) / n + eps) ** -0.5


def _count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    """How many values each statistic is taken over."""
    return int(np.prod([shape[a] for a in axes]))


def _update_running(running: Any, mean: np.ndarray, var: np.ndarray, n: int) -> None:
    """running = (1 - momentum) * running + momentum * batch, with the unbiased variance (PyTorch's rule)."""
    running_mean, running_var, momentum = running
    if running_mean is not None:
        running_mean._data *= 1 - momentum
        running_mean._data += momentum * mean.reshape(-1)
        bump_version(running_mean)
    if running_var is not None:
        running_var._data *= 1 - momentum
        running_var._data += momentum * n / max(n - 1, 1) * var.reshape(-1)
        bump_version(running_var)


def _check_batch_norm(input: Tensor, running_mean: Any, running_var: Any, training: bool) -> None:
    if input.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of at least 2 dims (N, C, ...), got shape {input.shape}")
    if training and input.numel() // max(input.shape[1], 1) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("batch_norm: running_mean and running_var must be given when training=False")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.shape != (c,):
            raise RuntimeError(f"batch_norm: {name} should have shape ({c},) for input {input.shape}, got {t.shape}")


def _bn_samples(rng: np.random.Generator) -> Any:
    for shape in ((4, 3), (4, 3, 5), (2, 3, 4, 4)):
        yield Sample((uniform(rng, shape), None, None, uniform(rng, (3,)), uniform(rng, (3,)), True), note=f"{shape}")
    yield Sample((uniform(rng, (5, 2, 3)), None, None, None, None, True, 0.1, 1e-3), note="no affine, eps 1e-3")
    x, mean, var = uniform(rng, (4, 3, 2)), uniform(rng, (3,)), uniform(rng, (3,), 0.5, 2.0)
    yield Sample((x, mean, var, uniform(rng, (3,)), uniform(rng, (3,))), grad=(True, False, False, True, True))


@register(_bn_samples, torch=lambda torch, *a, **k: torch.nn.functional.batch_norm(*a, **k), name="batch_norm")
def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel (dim 1): batch statistics when training (updating the running ones in place), else
    the running ones. ``F.batch_norm``'s signature; not exported as ``autograd.batch_norm``, whose PyTorch
    signature differs.

    >>> import autograd as torch
    >>> from autograd.ops.normalization import batch_norm
    >>> batch_norm(torch.tensor([[1.0], [3.0]]), None, None, training=True)
    tensor([[-1.0000],
            [ 1.0000]])
    """
    _check_batch_norm(input, running_mean, running_var, training)
    axes = (0, *range(2, input.ndim))
    pshape = (-1,) + (1,) * (input.ndim - 2)
    if training:
        running = (running_mean, running_var, momentum) if running_mean is not None or running_var is not None else None
        return Normalize.apply(input, weight, bias, (axes, pshape, axes), eps, None, running)
    stats = (running_mean._data.reshape(pshape), running_var._data.reshape(pshape))
    return Normalize.apply(input, weight, bias, (axes, pshape, axes), eps, stats, None)


def _ln_samples(rng: np.random.Generator) -> Any:
    yield Sample((uniform(rng, (2, 3, 4)), (4,), uniform(rng, (4,)), uniform(rng, (4,))), note="last dim")
    yield Sample((uniform(rng, (2, 3, 4)), (3, 4), uniform(rng, (3, 4)), uniform(rng, (3, 4))), note="last two dims")
    yield Sample((uniform(rng, (5, 6)), [6]), {"eps": 1e-3}, note="no affine")
    yield Sample((uniform(rng, (3, 4)), (4,), uniform(rng, (4,))), note="weight only")
    yield Sample((uniform(rng, (0, 4)), (4,), uniform(rng, (4,)), uniform(rng, (4,))), note="empty batch")


@register(_ln_samples, torch=lambda torch, *a, **k: torch.nn.functional.layer_norm(*a, **k))
def layer_norm(
    input: Tensor,
    normalized_shape: Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize over the last ``len(normalized_shape)`` dims of each sample, then scale and shift elementwise.

    >>> import autograd as torch
    >>> torch.layer_norm(torch.tensor([[1.0, 3.0]]), (2,))
    tensor([[-1.0000,  1.0000]])
    """
    shape = tuple(normalized_shape)
    k = len(shape)
    if k == 0 or input.shape[input.ndim - k :] != shape or input.ndim < k:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, {', '.join(map(str, shape))}], "
            f"but got input of size {list(input.shape)}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.shape != shape:
            raise RuntimeError(f"layer_norm: {name} of shape {t.shape} should have normalized_shape {shape}")
    lead = input.ndim - k
    return Normalize.apply(
        input, weight, bias, (tuple(range(lead, input.ndim)), shape, tuple(range(lead))), eps, None, None
    )
