"""``unfold`` (im2col) and ``fold`` (col2im) as ops: each is the other's adjoint, so each is the other's
gradient and both are differentiable any number of times.

``unfold`` of (N, C, H, W) is (N, C*kh*kw, L), one column per window position (L of them),
channel-major within a column, as in PyTorch; ``fold`` sums such columns back into an image.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, uniform
from autograd.ops.shape import squeeze, unsqueeze
from autograd.ops.windows import Window, col2im, conv_window, im2col, pair
from autograd.tensor import Tensor

__all__ = ["unfold", "fold"]


class Unfold(Function):
    @staticmethod
    def forward(ctx: Node, x: np.ndarray, win: Window) -> np.ndarray:
        ctx.win = win
        cols = im2col(x, win)
        return cols.reshape(-1, win.out[0] * win.out[1], x.shape[0]).transpose(2, 0, 1)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return Fold.apply(gy, ctx.win), None


class Fold(Function):
    @staticmethod
    def forward(ctx: Node, cols: np.ndarray, win: Window) -> np.ndarray:
        ctx.win = win
        n, rows, _ = cols.shape
        (kh, kw), (ho, wo) = win.kernel, win.out
        return col2im(cols.transpose(1, 2, 0).reshape(rows // (kh * kw), kh, kw, ho, wo, n), win)

    @staticmethod
    def backward(ctx: Node, gx: Any) -> Any:
        return Unfold.apply(gx, ctx.win), None


def _window(op: str, size: Any, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> Window:
    kernel, (ph, pw) = pair(kernel_size, "kernel_size", op), pair(padding, "padding", op)
    stride, dilation = pair(stride, "stride", op), pair(dilation, "dilation", op)
    return conv_window(op, size, kernel, stride, (ph, ph, pw, pw), dilation)


_UNFOLD = (((2, 3, 5, 4), (2, 3), {"padding": 1, "stride": (2, 1), "dilation": (1, 2)}), ((2, 4, 4), 2, {}))


@register(
    explicit(
        *[lambda rng, s=s, k=k, kw=kw: Sample((uniform(rng, s), k), kw, note=f"{s} {k} {kw}") for s, k, kw in _UNFOLD]
    ),
    torch=lambda torch, *a, **k: torch.nn.functional.unfold(*a, **k),
)
def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Every sliding window of (N, C, H, W) as a column: (N, C*kH*kW, L), L windows (im2col).

    >>> import autograd as torch
    >>> torch.unfold(torch.ones(2, 3, 4, 4), 2).shape
    (2, 12, 9)
    """
    if input.ndim not in (3, 4):
        raise RuntimeError(f"Input Error: Only 3D or 4D input Tensors are supported (got {input.ndim}D)")
    if input.ndim == 3:
        return squeeze(unfold(unsqueeze(input, 0), kernel_size, dilation, padding, stride), 0)
    return Unfold.apply(input, _window("unfold", tuple(input.shape[2:]), kernel_size, dilation, padding, stride))


_FOLD = (((2, 12, 6), (4, 3), 2, {"padding": 1, "stride": 2}), ((4, 8), (3, 4), (2, 1), {"dilation": (1, 2)}))


@register(
    explicit(
        *[
            lambda rng, s=s, o=o, k=k, kw=kw: Sample((uniform(rng, s), o, k), kw, note=f"{s} {o} {k} {kw}")
            for s, o, k, kw in _FOLD
        ]
    ),
    torch=lambda torch, *a, **k: torch.nn.functional.fold(*a, **k),
)
def fold(
    input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """Sum columns (N, C*kH*kW, L) back into an (N, C, H, W) image: the adjoint of ``unfold`` (col2im).

    >>> import autograd as torch
    >>> torch.fold(torch.ones(1, 4, 9), (4, 4), 2)[0, 0]
    tensor([[1., 2., 2., 1.],
            [2., 4., 4., 2.],
            [2., 4., 4., 2.],
            [1., 2., 2., 1.]])
    """
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"Expected 2D (unbatched) or 3D (batched) input to fold, but got input of size: {list(input.shape)}"
        )
    if input.ndim == 2:
        return squeeze(fold(unsqueeze(input, 0), output_size, kernel_size, dilation, padding, stride), 0)
    size = pair(output_size, "output_size", "fold")
    win = _window("fold", size, kernel_size, dilation, padding, stride)
    (kh, kw), (rows, blocks), (ho, wo) = win.kernel, input.shape[1:], win.out
    if rows % (kh * kw):
        raise RuntimeError(
            f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={rows} and kernel_size={win.kernel}"
        )
    if blocks != ho * wo:
        raise RuntimeError(
            f"Given output_size={size}, kernel_size={win.kernel}, dilation={win.dilation}, padding={win.pad[::2]}, "
            f"stride={win.stride}, expected size of input's dimension 2 to match the calculated number of sliding "
            f"blocks {ho} * {wo} = {ho * wo}, but got input.size(2)={blocks}."
        )
    return Fold.apply(input, win)
