"""Activations with a learnable argument: prelu."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import uniform
from autograd.tensor import Tensor

__all__ = ["prelu"]


class Prelu(Function):
    @staticmethod
    def forward(ctx: Node, x: Any, w: Any) -> Any:
        ctx.positive = x > 0
        ctx.save_for_backward(x, w)
        return np.where(ctx.positive, x, w * x)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, w = ctx.saved_tensors
        need_x, need_w = ctx.needs_input_grad
        gx = np.where(ctx.positive, gy, gy * w) if need_x else None
        gw = np.where(ctx.positive, 0, gy * x) if need_w else None
        return gx, gw


def _prelu_samples(rng: np.random.Generator) -> Any:
    pairs = (((3, 4), (4,)), ((2, 3, 4, 5), (3,)), ((2, 3), (1,)), ((5,), (1,)), ((), ()), ((0, 3), (3,)))
    for shape, weight in pairs:
        yield Sample((uniform(rng, shape, away=0.1), uniform(rng, weight, 0.05, 0.5)), note=f"{shape} by {weight}")


@register(_prelu_samples, methods=("prelu",))
def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """Elementwise x where x > 0, else weight * x, one weight per channel (dim 1): d/dx = 1 or weight, d/dw = 0 or x.

    ``weight`` has one entry, or one per channel; an input of fewer than 2 dims has one channel.

    >>> import autograd as torch
    >>> torch.prelu(torch.tensor([[-1.0, 2.0], [-3.0, -4.0]]), torch.tensor([0.1, 0.5]))
    tensor([[-0.1000,  2.0000],
            [-0.3000, -2.0000]])
    """
    channels = input.shape[1] if input.ndim >= 2 else 1
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}")
    if weight.numel() not in (1, channels):
        raise RuntimeError(
            f"prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{weight.numel()} and channel size = {channels} (input shape {input.shape})."
        )
    shape = (weight.numel(),) + (1,) * (input.ndim - 2) if input.ndim >= 2 else ()
    return Prelu.apply(input, weight if weight.shape == shape else weight.reshape(shape))
