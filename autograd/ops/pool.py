"""Pooling: ``max_pool2d``, ``min_pool2d``, ``avg_pool2d`` and ``adaptive_avg_pool2d``.

Max and min pooling take one elementwise pass per kernel position over the output (never a loop
over pixels or channels) and remember, as one int8 per output, which kernel position each took:
the first extreme of its window in row-major order, or the last NaN, as PyTorch does. The gradient
goes back through one masked pass per kernel position (an assignment when windows are disjoint,
the usual stride == kernel case, an add when they overlap); that scatter's own gradient is the
matching gather, so both are differentiable again. Average pooling is a window sum times a
constant scale, whose adjoint spreads each gradient over its window; adaptive average pooling
is two small matrix products. All work in the (C, H, W, N) layout of ``windows.py``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.linalg import matmul
from autograd.ops.registry import Sample, register
from autograd.ops.samples import distinct, explicit, uniform
from autograd.ops.shape import squeeze, unsqueeze
from autograd.ops.windows import Window, adaptive_matrix, average_scale, chwn, cropped, nchw, padded, pool_window
from autograd.tensor import Tensor

__all__ = ["max_pool2d", "min_pool2d", "avg_pool2d", "adaptive_avg_pool2d"]


def _views(xp: np.ndarray, win: Window) -> list[np.ndarray]:
    """The (C, Ho, Wo, N) view of (C, Hp, Wp, N) ``xp`` that each kernel position sees, row-major."""
    return [xp[:, rows, cols] for rows, cols in win.spans()]


def _first(views: list[np.ndarray], y: np.ndarray) -> np.ndarray:
    """Which view holds ``y`` first (row-major), or the last NaN: PyTorch's choice among ties."""
    pos = np.zeros(y.shape, np.int8 if len(views) < 128 else np.int32)
    differs = np.empty(y.shape, bool)
    # Backwards from the last position: pos = (pos + 1) * (view != y) ends at the first match.
    for v in reversed(views[:-1]):
        np.not_equal(v, y, out=differs)
        pos += 1
        pos *= differs
    if np.isnan(y).any():
        for p, v in enumerate(views):
            pos[np.isnan(v)] = p
    return pos


def _extreme(x: np.ndarray, win: Window, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each window's max (or min) and the kernel position it came from, both (C, Ho, Wo, N)."""
    views = _views(padded(x, win, -np.inf if largest else np.inf), win)
    pick = np.maximum if largest else np.minimum
    y = pick(views[0], views[1]) if len(views) > 1 else views[0].copy()
    for v in views[2:]:
        pick(y, v, out=y)
    return y, _first(views, y)


def _plane_index(pos: np.ndarray, win: Window) -> np.ndarray:
    """PyTorch's ``return_indices``: each taken element's flat index ``h * W + w`` in its input plane."""
    kw, (sh, sw), (dh, dw), (ho, wo) = win.kernel[1], win.stride, win.dilation, win.out
    top, _, left, _ = win.pad
    rows = np.arange(ho)[:, None, None] * sh - top + (pos // kw) * dh
    cols = np.arange(wo)[:, None] * sw - left + (pos % kw) * dw
    return nchw(rows * win.size[1] + cols)


def _taken(values: np.ndarray, taken: np.ndarray, finite: bool) -> np.ndarray:
    """``values`` where ``taken``, else 0: a multiply (8x faster than np.where here) unless inf * 0 would give NaN."""
    return values * taken if finite else np.where(taken, values, 0)


class MaxPool2d(Function):
    """Max (or min) over each window; the gradient goes to the element taken. Differentiable any number of times."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, win: Window, largest: bool, indices: bool) -> Any:
        y, ctx.pos = _extreme(x, win, largest)
        ctx.win, ctx.shape = win, x.shape
        return (nchw(y), _plane_index(ctx.pos, win)) if indices else nchw(y)

    @staticmethod
    def backward(ctx: Node, gy: Any, *_: Any) -> Any:
        return WindowScatter.apply(gy, ctx.pos, ctx.win, ctx.shape), None, None, None


class WindowScatter(Function):
    """Each output's gradient to the window element its ``pos`` names, summed: the adjoint of ``WindowGather``."""

    @staticmethod
    def forward(ctx: Node, gy: np.ndarray, pos: np.ndarray, win: Window, shape: tuple[int, ...]) -> np.ndarray:
        ctx.pos, ctx.win = pos, win
        n, c = shape[:2]
        out = np.zeros((c, *win.padded, n), gy.dtype)
        g, finite = chwn(gy), bool(np.isfinite(gy).all())
        for p, view in enumerate(_views(out, win)):
            if finite and win.disjoint:
                np.multiply(g, pos == p, out=view)
            else:
                view += _taken(g, pos == p, finite)
        return cropped(out, win)

    @staticmethod
    def backward(ctx: Node, ggx: Any) -> Any:
        return WindowGather.apply(ggx, ctx.pos, ctx.win), None, None, None


class WindowGather(Function):
    """Each window's element that ``pos`` names: the adjoint of ``WindowScatter``."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, pos: np.ndarray, win: Window) -> np.ndarray:
        ctx.pos, ctx.win, ctx.shape = pos, win, x.shape
        y, finite = np.zeros(pos.shape, x.dtype), bool(np.isfinite(x).all())
        for p, view in enumerate(_views(padded(x, win), win)):
            y += _taken(view, pos == p, finite)
        return nchw(y)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return WindowScatter.apply(gy, ctx.pos, ctx.win, ctx.shape), None, None


class WindowSum(Function):
    """``y = scale * (sum of each zero-padded window)``; its adjoint is ``WindowSpread``."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, win: Window, scale: Any) -> np.ndarray:
        ctx.win, ctx.scale, ctx.shape = win, scale, x.shape
        views = _views(padded(x, win), win)
        y = np.add(views[0], views[1]) if len(views) > 1 else views[0].copy()
        for v in views[2:]:
            y += v
        y = nchw(y)
        y *= scale
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return WindowSpread.apply(gy * ctx.scale, ctx.win, ctx.shape), None, None


class WindowSpread(Function):
    """Each output's gradient added to every element of its window: the adjoint of ``WindowSum``."""

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, win: Window, shape: tuple[int, ...]) -> np.ndarray:
        ctx.win = win
        out = np.zeros((shape[1], *win.padded, shape[0]), g.dtype)
        for view in _views(out, win):
            view += chwn(g)
        return cropped(out, win)

    @staticmethod
    def backward(ctx: Node, gg: Any) -> Any:
        return WindowSum.apply(gg, ctx.win, 1.0), None, None


def _pool_window(op: str, input: Tensor, kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil: bool) -> Any:
    if input.ndim not in (3, 4):
        raise RuntimeError(
            f"{op}: expected a 3D (unbatched) or 4D (batched) input, but got input of size: {list(input.shape)}"
        )
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating-point input, got {input.dtype}")
    return pool_window(op, tuple(input.shape[-3:]), kernel_size, stride, padding, dilation, ceil)


def _extreme_pool(op: str, largest: bool, input: Tensor, *args: Any, return_indices: bool = False) -> Any:
    if input.ndim == 3:
        out = _extreme_pool(op, largest, unsqueeze(input, 0), *args, return_indices=return_indices)
        return tuple(squeeze(t, 0) for t in out) if return_indices else squeeze(out, 0)
    return MaxPool2d.apply(input, _pool_window(op, input, *args), largest, return_indices)


def _pool_sample(shape: tuple[int, ...], *args: Any, **kwargs: Any) -> Any:
    return lambda rng: Sample((distinct(rng, shape), *args), kwargs, note=f"input {shape}, {args} {kwargs}")


_MAX = (
    ((2, 3, 6, 6), 2, {}),
    ((2, 2, 7, 5), 3, {"stride": 2, "padding": 1}),
    ((1, 2, 7, 7), (3, 2), {"stride": (2, 1), "dilation": (2, 1), "ceil_mode": True}),
    ((2, 1, 5, 5), 3, {"stride": 2, "padding": 1, "ceil_mode": True}),
    ((3, 5, 4), 2, {"stride": 1}),
    ((1, 2, 4, 6), 2, {"return_indices": True}),
)


@register(
    explicit(*[_pool_sample(s, k, **kw) for s, k, kw in _MAX]),
    torch=lambda torch, *a, **k: torch.nn.functional.max_pool2d(*a, **k),
)
def max_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The max of each window (padding counts as -inf); ``stride`` defaults to ``kernel_size``. The gradient
    goes to the first max of each window in row-major order, as in PyTorch. With ``return_indices``, also
    each max's flat index into its input plane.

    >>> import autograd as torch
    >>> torch.max_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    args = (kernel_size, stride, padding, dilation, ceil_mode)
    return _extreme_pool("max_pool2d", True, input, *args, return_indices=return_indices)


@register(
    explicit(*[_pool_sample(s, k, **kw) for s, k, kw in _MAX[:5]]),
    torch=lambda torch, x, *a, **k: -torch.nn.functional.max_pool2d(-x, *a, **k),
)
def min_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The min of each window: ``-max_pool2d(-input)`` (PyTorch has no min pool), in one pass. Padding counts
    as +inf; ties go to the first min in row-major order.

    >>> import autograd as torch
    >>> torch.min_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 0.,  2.],
              [ 8., 10.]]]])
    """
    args = (kernel_size, stride, padding, dilation, ceil_mode)
    return _extreme_pool("min_pool2d", False, input, *args, return_indices=return_indices)


_AVG = (
    ((2, 3, 6, 6), 2, {}),
    ((2, 2, 7, 5), 3, {"stride": 2, "padding": 1}),
    ((1, 2, 7, 6), (3, 2), {"stride": (2, 3), "padding": 1, "ceil_mode": True, "count_include_pad": False}),
    ((3, 5, 5), 3, {"stride": 1, "padding": 1, "count_include_pad": False}),
    ((2, 1, 4, 5), 2, {"divisor_override": 3}),
)


@register(
    explicit(
        *[lambda rng, s=s, k=k, kw=kw: Sample((uniform(rng, s), k), kw, note=f"{s} {k} {kw}") for s, k, kw in _AVG]
    ),
    torch=lambda torch, *a, **k: torch.nn.functional.avg_pool2d(*a, **k),
)
def avg_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window, zero padding included in the count unless ``count_include_pad=False``;
    ``divisor_override`` replaces the count. Differentiable any number of times.

    >>> import autograd as torch
    >>> torch.avg_pool2d(torch.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """
    if input.ndim == 3:
        args = (kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
        return squeeze(avg_pool2d(unsqueeze(input, 0), *args), 0)
    win = _pool_window("avg_pool2d", input, kernel_size, stride, padding, 1, ceil_mode)
    return WindowSum.apply(input, win, average_scale(win, count_include_pad, divisor_override, input.dtype))


_ADAPTIVE = (((2, 3, 7, 5), (3, 2)), ((2, 3, 6, 4), (3, None)), ((3, 5, 5), 2), ((1, 2, 4, 4), 1))


@register(
    explicit(*[lambda rng, s=s, o=o: Sample((uniform(rng, s), o), note=f"{s} -> {o}") for s, o in _ADAPTIVE]),
    torch=lambda torch, *a, **k: torch.nn.functional.adaptive_avg_pool2d(*a, **k),
)
def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size: output ``i`` averages inputs ``floor(i*H/Ho)`` to
    ``ceil((i+1)*H/Ho)``; a ``None`` entry keeps that input size. ``A_h @ x @ A_w^T`` with averaging
    matrices, or plain average pooling when the sizes divide.

    >>> import autograd as torch
    >>> torch.adaptive_avg_pool2d(torch.ones(2, 3, 7, 5), (3, None)).shape
    (2, 3, 3, 5)
    """
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    sizes = [output_size] * 2 if isinstance(output_size, (int, np.integer)) else list(output_size)
    if len(sizes) != 2:
        raise RuntimeError(f"adaptive_avg_pool2d: output_size must be 2, got {output_size!r}")
    (h, w) = input.shape[-2:]
    oh, ow = (n if o is None else int(o) for n, o in zip((h, w), sizes))
    if oh > 0 and ow > 0 and h % oh == 0 and w % ow == 0:
        return avg_pool2d(input, (h // oh, w // ow))
    rows, cols = Tensor(adaptive_matrix(h, oh, input.dtype)), Tensor(adaptive_matrix(w, ow, input.dtype).T)
    return matmul(matmul(rows, input), cols)
