"""Convolution: ``conv2d`` and ``conv_transpose2d``, each one GEMM on im2col columns.

Three bilinear maps carry everything, and each is the adjoint of another in one argument:
``conv(x, w)``, its input gradient ``conv_t(gy, w)`` (a transposed convolution) and its weight
gradient ``conv_w(x, gy)``. Each Function's backward calls the other two as Functions, so
gradients of any order work (``create_graph=True``); the first-order backward is two GEMMs and
a col2im. The weight gradient copies the input's columns again rather than keeping the
forward's: the copy is cheap next to holding C*kh*kw times the input until backward.

Columns are (C, kh, kw, Ho, Wo, N) (see ``windows.py``): ``(O, C*kh*kw) @ (C*kh*kw, Ho*Wo*N)``
is one GEMM over the whole batch (one per group), and its result is the output in
(O, Ho, Wo, N) memory, returned as an (N, O, Ho, Wo) view without a copy. Elementwise ops keep
that layout, so the gradient arriving at backward is already the (O, Ho*Wo*N) matrix both
backward GEMMs need.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, uniform
from autograd.ops.shape import squeeze, unsqueeze
from autograd.ops.windows import Window, chwn, col2im, conv_window, im2col, nchw, pair, transposed_window
from autograd.tensor import Tensor

__all__ = ["conv2d", "conv_transpose2d"]


def _by_group(a: np.ndarray, groups: int) -> np.ndarray:
    """(N, O, Ho, Wo) as (groups, O/groups, Ho*Wo*N): free when ``a`` is in (O, Ho, Wo, N) memory."""
    n, o, ho, wo = a.shape
    return chwn(a).reshape(groups, o // groups, ho * wo * n)


def _weight_by_group(w: np.ndarray, groups: int) -> np.ndarray:
    """(O, C/groups, kh, kw) as (groups, O/groups, C/groups*kh*kw)."""
    o, cg, kh, kw = w.shape
    return w.reshape(groups, o // groups, cg * kh * kw)


def _conv(x: np.ndarray, w: np.ndarray, b: Any, win: Window, groups: int) -> np.ndarray:
    """``y = w * x + b`` as one GEMM per group on the columns, returned as a view of (O, Ho, Wo, N) memory."""
    wg = _weight_by_group(w, groups)
    o, n, (ho, wo) = w.shape[0], x.shape[0], win.out
    y = np.matmul(wg, im2col(x, win).reshape(groups, wg.shape[2], ho * wo * n)).reshape(o, ho * wo * n)
    if b is not None:
        y += b[:, None]
    return nchw(y.reshape(o, ho, wo, n))


def _conv_t(gy: np.ndarray, w: np.ndarray, win: Window, groups: int) -> np.ndarray:
    """The input gradient of ``w * x`` for upstream ``gy``: columns ``w^T gy``, summed back by col2im."""
    n, _, ho, wo = gy.shape
    _, cg, kh, kw = w.shape
    cols = np.matmul(np.swapaxes(_weight_by_group(w, groups), 1, 2), _by_group(gy, groups))
    return col2im(cols.reshape(cg * groups, kh, kw, ho, wo, n), win)


def _conv_w(x: np.ndarray, gy: np.ndarray, win: Window, groups: int) -> np.ndarray:
    """The weight gradient of ``w * x`` for upstream ``gy``: ``gy @ cols^T`` per group."""
    (n, o, ho, wo), c, (kh, kw) = gy.shape, x.shape[1], win.kernel
    cols = im2col(x, win).reshape(groups, c // groups * kh * kw, ho * wo * n)
    return np.matmul(_by_group(gy, groups), np.swapaxes(cols, 1, 2)).reshape(o, c // groups, kh, kw)


class Conv2d(Function):
    """``y = w * x + b``; backward is ``ConvTranspose2d`` (input) and ``ConvWeight`` (weight), ops themselves."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, w: np.ndarray, b: Any, win: Window, groups: int) -> np.ndarray:
        need_x, need_w = ctx.needs_input_grad[:2]
        ctx.save_for_backward(x if need_w else None, w if need_x else None)
        ctx.win, ctx.groups = win, groups
        return _conv(x, w, b, win, groups)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        # The weight gradient first: its columns are freed before the input gradient's buffer exists.
        gw = ConvWeight.apply(x, gy, ctx.win, ctx.groups) if need_w else None
        gx = ConvTranspose2d.apply(gy, w, None, ctx.win, ctx.groups) if need_x else None
        gb = gy.sum((0, 2, 3)) if need_b else None
        return gx, gw, gb, None, None


class ConvTranspose2d(Function):
    """``x = w^T * y + b``, the adjoint of ``Conv2d`` in its input; ``win`` is the convolution it undoes."""

    @staticmethod
    def forward(ctx: Node, y: np.ndarray, w: np.ndarray, b: Any, win: Window, groups: int) -> np.ndarray:
        need_y, need_w = ctx.needs_input_grad[:2]
        ctx.save_for_backward(y if need_w else None, w if need_y else None)
        ctx.win, ctx.groups = win, groups
        x = _conv_t(y, w, win, groups)
        if b is not None:
            x += b.reshape(-1, 1, 1)
        return x

    @staticmethod
    def backward(ctx: Node, gx: Any) -> Any:
        y, w = ctx.saved_tensors
        need_y, need_w, need_b = ctx.needs_input_grad[:3]
        gy = Conv2d.apply(gx, w, None, ctx.win, ctx.groups) if need_y else None
        gw = ConvWeight.apply(gx, y, ctx.win, ctx.groups) if need_w else None
        gb = gx.sum((0, 2, 3)) if need_b else None
        return gy, gw, gb, None, None


class ConvWeight(Function):
    """The weight gradient ``gw = gy ⋆ x`` of ``Conv2d``, as an op so that it has a gradient too."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, gy: np.ndarray, win: Window, groups: int) -> np.ndarray:
        need_x, need_gy = ctx.needs_input_grad[:2]
        ctx.save_for_backward(x if need_gy else None, gy if need_x else None)
        ctx.win, ctx.groups = win, groups
        return _conv_w(x, gy, win, groups)

    @staticmethod
    def backward(ctx: Node, ggw: Any) -> Any:
        x, gy = ctx.saved_tensors
        need_x, need_gy = ctx.needs_input_grad[:2]
        gx = ConvTranspose2d.apply(gy, ggw, None, ctx.win, ctx.groups) if need_x else None
        ggy = Conv2d.apply(x, ggw, None, ctx.win, ctx.groups) if need_gy else None
        return gx, ggy, None, None


def _check(op: str, input: Tensor, weight: Tensor, bias: Tensor | None, groups: int, transposed: bool) -> None:
    """PyTorch's errors for shapes, groups and dtypes that do not fit together, naming both sides."""
    if input.ndim not in (3, 4):
        raise RuntimeError(
            f"Expected 3D (unbatched) or 4D (batched) input to {op}, but got input of size: {list(input.shape)}"
        )
    if weight.ndim != 4:
        raise RuntimeError(f"{op}: expected a 4D weight, but got weight of size {list(weight.shape)}")
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups <= 0:
        raise RuntimeError(f"non-positive groups is not supported, got groups={groups!r}")
    shape, channels = list(weight.shape), input.shape[-3]
    if min(shape[2:]) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got weight of size {shape}")
    if shape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight "
            f"of size {shape} instead"
        )
    expected = shape[0] if transposed else shape[1] * groups
    if channels != expected:
        given = f"transposed=1, weight of size {shape}" if transposed else f"groups={groups}, weight of size {shape}"
        raise RuntimeError(
            f"Given {given}, expected input{list(input.shape)} to have {expected} channels, but got {channels} "
            "channels instead"
        )
    out = shape[1] * groups if transposed else shape[0]
    if bias is not None and tuple(bias.shape) != (out,):
        raise RuntimeError(
            f"Given weight of size {shape}, expected bias to be 1-dimensional with {out} elements, but got bias "
            f"of size {list(bias.shape)} instead"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.dtype != input.dtype:
            raise RuntimeError(f"{op}: input type ({input.dtype}) and {name} type ({t.dtype}) should be the same")
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating-point input, got {input.dtype}")


def _padding(padding: Any, kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int]) -> Any:
    """(top, bottom, left, right) from an int, a pair, ``'valid'`` or ``'same'`` (extra padding bottom/right)."""
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0, 0, 0
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: {padding!r}")
        if stride != (1, 1):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        (th, tw) = (d * (k - 1) for k, d in zip(kernel, dilation))
        return th // 2, th - th // 2, tw // 2, tw - tw // 2
    ph, pw = pair(padding, "padding", "conv2d")
    return ph, ph, pw, pw


def _conv_sample(x: tuple[int, ...], w: tuple[int, ...], bias: bool, transposed: bool, **kwargs: Any) -> Any:
    out = w[1] * kwargs.get("groups", 1) if transposed else w[0]

    def make(rng: np.random.Generator) -> Sample:
        args = (uniform(rng, x), uniform(rng, w)) + ((uniform(rng, (out,)),) if bias else ())
        return Sample(args, dict(kwargs), note=f"input {x}, weight {w}, bias={bias}, {kwargs}")

    return make


_CONV = (
    ((2, 3, 5, 4), (4, 3, 3, 2), True, {}),
    ((2, 2, 7, 5), (3, 2, 3, 3), True, {"stride": 2, "padding": 1}),
    ((1, 4, 6, 6), (4, 2, 3, 3), False, {"groups": 2, "dilation": 2, "padding": (2, 1)}),
    ((2, 2, 5, 6), (3, 2, 2, 3), True, {"padding": "same", "dilation": (2, 1)}),
    ((3, 5, 4), (2, 3, 3, 3), True, {"padding": 1}),
    ((2, 4, 5, 5), (4, 1, 3, 3), True, {"groups": 4, "stride": (2, 1), "padding": "valid"}),
    ((1, 2, 4, 5), (2, 2, 2, 2), True, {"stride": 3, "padding": 1}),
    ((0, 2, 4, 4), (3, 2, 3, 3), True, {}),
)


@register(
    explicit(*[_conv_sample(x, w, b, False, **k) for x, w, b, k in _CONV]),
    torch=lambda torch, *a, **k: torch.nn.functional.conv2d(*a, **k),
)
def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-D convolution (cross-correlation): ``y[n,o] = b[o] + sum_c w[o,c] ⋆ x[n,c]``, with weight
    (out_channels, in_channels/groups, kH, kW). ``padding`` is an int, a pair, ``'valid'`` or ``'same'``
    (stride 1; an odd total goes one more to the bottom/right, as in PyTorch). Input (N, C, H, W) or (C, H, W).
    Differentiable any number of times.

    >>> import autograd as torch
    >>> x, w = torch.ones(1, 2, 5, 5), torch.ones(3, 2, 3, 3)
    >>> torch.conv2d(x, w, padding="same").shape
    (1, 3, 5, 5)
    >>> float(torch.conv2d(x, w)[0, 0, 0, 0])
    18.0
    """
    _check("conv2d", input, weight, bias, groups, transposed=False)
    if input.ndim == 3:
        return squeeze(conv2d(unsqueeze(input, 0), weight, bias, stride, padding, dilation, groups), 0)
    kernel = tuple(weight.shape[2:])
    stride, dilation = pair(stride, "stride", "conv2d"), pair(dilation, "dilation", "conv2d")
    pads = _padding(padding, kernel, stride, dilation)
    win = conv_window("conv2d", tuple(input.shape[2:]), kernel, stride, pads, dilation)  # type: ignore[arg-type]
    return Conv2d.apply(input, weight, bias, win, int(groups))


_CONV_T = (
    ((2, 3, 3, 4), (3, 2, 3, 2), True, {"stride": 2, "padding": 1, "output_padding": 1}),
    ((1, 4, 3, 3), (4, 1, 2, 2), False, {"groups": 2, "dilation": 2, "stride": (1, 2)}),
    ((3, 4, 3), (3, 2, 3, 3), True, {}),
)


@register(
    explicit(*[_conv_sample(x, w, b, True, **k) for x, w, b, k in _CONV_T]),
    torch=lambda torch, *a, **k: torch.nn.functional.conv_transpose2d(*a, **k),
)
def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> Tensor:
    """The transposed convolution (the gradient of ``conv2d`` with respect to its input), weight
    (in_channels, out_channels/groups, kH, kW). Output size ``(H-1)*stride - 2*padding +
    dilation*(kH-1) + output_padding + 1``. Input (N, C, H, W) or (C, H, W).

    >>> import autograd as torch
    >>> torch.conv_transpose2d(torch.ones(1, 2, 3, 3), torch.ones(2, 4, 3, 3), stride=2).shape
    (1, 4, 7, 7)
    """
    _check("conv_transpose2d", input, weight, bias, groups, transposed=True)
    if input.ndim == 3:
        args = (stride, padding, output_padding, groups, dilation)
        return squeeze(conv_transpose2d(unsqueeze(input, 0), weight, bias, *args), 0)
    stride, dilation = pair(stride, "stride", "conv_transpose2d"), pair(dilation, "dilation", "conv_transpose2d")
    pads, extra = pair(padding, "padding", "conv_transpose2d"), pair(output_padding, "output_padding", "conv2d")
    kernel = tuple(weight.shape[2:])
    win = transposed_window("conv_transpose2d", tuple(input.shape[2:]), kernel, stride, pads, extra, dilation)  # type: ignore[arg-type]
    return ConvTranspose2d.apply(input, weight, bias, win, int(groups))
