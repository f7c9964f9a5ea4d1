"""Sliding windows over the last two dims of an (N, C, H, W) array: the geometry and the array kernels
that convolution and pooling share.

A ``Window`` fixes kernel, stride, dilation, padding and the input and output sizes. ``im2col``
copies every window, through one strided view, into columns laid out (C, kh, kw, Ho, Wo, N), so a
convolution is one GEMM ``(O, C*kh*kw) @ (C*kh*kw, Ho*Wo*N)``. ``col2im`` is its adjoint: one
slice-add per kernel position. Neither loops over pixels or channels.

The kernels work on (C, H, W, N) memory, batch innermost: every strided copy, slice-add and
pooling pass then moves runs of N (or Wo*N) contiguous values instead of rows of Wo, which
is 3-6x faster at batch 64 and the same at batch 1. Tensors stay (N, C, H, W) to the user,
as views of that memory; elementwise ops keep the layout, so a network's activations and
gradients stay in it from one layer to the next without copies.

    >>> import numpy as np
    >>> win = conv_window("conv2d", (4, 4), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1))
    >>> win.out, win.padded
    ((4, 4), (6, 6))
    >>> im2col(np.ones((2, 1, 4, 4)), win).shape
    (1, 3, 3, 4, 4, 2)
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

Pair = tuple[int, int]
Pads = tuple[int, int, int, int]


@dataclass(frozen=True)
class Window:
    """Window geometry along (H, W); ``pad`` is (top, bottom, left, right) and covers every window."""

    kernel: Pair
    stride: Pair
    dilation: Pair
    pad: Pads
    size: Pair
    out: Pair

    @property
    def padded(self) -> Pair:
        top, bottom, left, right = self.pad
        return self.size[0] + top + bottom, self.size[1] + left + right

    @property
    def disjoint(self) -> bool:
        """No input element lies in two windows."""
        return all(s > d * (k - 1) for k, s, d in zip(self.kernel, self.stride, self.dilation))

    def spans(self) -> list[tuple[slice, slice]]:
        """The (rows, cols) slices of the padded input that each kernel position sees, in row-major order."""
        (kh, kw), (sh, sw), (dh, dw), (ho, wo) = self.kernel, self.stride, self.dilation, self.out
        rows = [slice(i * dh, i * dh + sh * (ho - 1) + 1, sh) for i in range(kh)]
        cols = [slice(j * dw, j * dw + sw * (wo - 1) + 1, sw) for j in range(kw)]
        return [(r, c) for r in rows for c in cols]


def pair(value: Any, name: str, op: str) -> Pair:
    """An int or a pair of ints as a pair, or a RuntimeError naming the argument and its value."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    values = list(value) if isinstance(value, (tuple, list)) else None
    if values is None or len(values) != 2 or not all(isinstance(v, (int, np.integer)) for v in values):
        raise RuntimeError(f"{op}: expected {name} to be a single integer value or a list of 2 values, got {value!r}")
    return operator.index(values[0]), operator.index(values[1])


def _check(op: str, stride: Pair, dilation: Pair, pad: tuple[int, ...]) -> None:
    if min(stride) <= 0:
        raise RuntimeError(f"{op}: non-positive stride is not supported, got stride={stride}")
    if min(pad) < 0:
        raise RuntimeError(f"{op}: negative padding is not supported, got padding={pad}")
    if min(dilation) <= 0:
        raise RuntimeError(f"{op}: non-positive dilation is not supported, got dilation={dilation}")


def conv_window(op: str, size: Pair, kernel: Pair, stride: Pair, pad: Pads, dilation: Pair) -> Window:
    """Geometry of a convolution (floor mode); raises PyTorch's errors for bad strides, pads and kernels."""
    _check(op, stride, dilation, pad)
    padded = size[0] + pad[0] + pad[1], size[1] + pad[2] + pad[3]
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if padded[0] < span[0] or padded[1] < span[1]:
        raise RuntimeError(
            f"Calculated padded input size per channel: ({padded[0]} x {padded[1]}). Kernel size: ({span[0]} x "
            f"{span[1]}). Kernel size can't be greater than actual input size"
        )
    out = tuple((p - e) // s + 1 for p, e, s in zip(padded, span, stride))
    return Window(kernel, stride, dilation, pad, size, out)  # type: ignore[arg-type]


def transposed_window(
    op: str, size: Pair, kernel: Pair, stride: Pair, padding: Pair, output_padding: Pair, dilation: Pair
) -> Window:
    """The convolution that a transposed convolution is the adjoint of: its output has the transposed
    conv's input size ``size``, its input the transposed conv's output size."""
    _check(op, stride, dilation, padding + output_padding)
    for o, s, d, name in zip(output_padding, stride, dilation, ("height", "width")):
        if o >= s and o >= d:
            raise RuntimeError(
                f"output padding must be smaller than either stride or dilation, but got output_padding_{name}: "
                f"{o} stride_{name}: {s} dilation_{name}: {d}"
            )
    out = tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + o + 1
        for n, s, p, d, k, o in zip(size, stride, padding, dilation, kernel, output_padding)
    )
    if min(out) <= 0:
        raise RuntimeError(
            f"Given input size per channel: ({size[0]} x {size[1]}). Calculated output size per channel: "
            f"({out[0]} x {out[1]}). Output size is too small"
        )
    pad = (padding[0], padding[0], padding[1], padding[1])
    return Window(kernel, stride, dilation, pad, out, size)  # type: ignore[arg-type]


def pool_window(
    op: str, shape: tuple[int, ...], kernel_size: Any, stride: Any, padding: Any, dilation: Any, ceil_mode: bool
) -> Window:
    """Geometry of pooling a (C, H, W) plane stack, PyTorch's rules: ``stride`` defaults to the kernel, pad at
    most half the kernel; in ceil mode a last, partial window counts if it starts inside the input or its left
    padding (the bottom/right padding grows to cover it)."""
    kernel = pair(kernel_size, "kernel_size", op)
    stride = kernel if stride is None else pair(stride, "stride", op)
    padding, dilation = pair(padding, "padding", op), pair(dilation, "dilation", op)
    if min(kernel) <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}")
    if min(stride) <= 0:
        raise RuntimeError(f"stride should not be zero, got stride={stride}")
    if min(dilation) <= 0:
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilationH: {dilation[0]} dilationW: {dilation[1]}"
        )
    out, pads = [], []
    for n, k, s, p, d in zip(shape[1:], kernel, stride, padding, dilation):
        span = d * (k - 1) + 1
        if p < 0 or 2 * p > span:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} and "
                f"dilation={d}"
            )
        o = (n + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (o - 1) * s >= n + p:
            o -= 1
        out.append(o)
        pads += [p, max(p, (o - 1) * s + span - n - p)]
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        raise RuntimeError(
            f"pad should be smaller than or equal to half of kernel size, but got padW = {padding[1]}, "
            f"padH = {padding[0]}, kW = {kernel[1]}, kH = {kernel[0]}"
        )
    if min(out) <= 0:
        c, h, w = shape
        raise RuntimeError(
            f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{out[0]}x{out[1]}). "
            "Output size is too small"
        )
    return Window(kernel, stride, dilation, tuple(pads), shape[1:], tuple(out))  # type: ignore[arg-type]


def _counts(n: int, k: int, s: int, p: int, out: int, include_pad: bool) -> np.ndarray:
    """How many elements each window along one dim averages (PyTorch's rule: the padded part counts if asked)."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, n + p)
    return end - start if include_pad else np.minimum(end, n) - np.maximum(start, 0)


def average_scale(win: Window, include_pad: bool, divisor_override: Any, dtype: np.dtype) -> Any:
    """1 / (each window's divisor): a Python float when all are equal, else an (Ho, Wo) array."""
    if divisor_override is not None:
        if divisor_override == 0:
            raise RuntimeError("avg_pool2d: divisor must be not zero")
        return 1 / divisor_override
    top, _, left, _ = win.pad
    rows, cols = (_counts(*a, include_pad) for a in zip(win.size, win.kernel, win.stride, (top, left), win.out))
    divisor = np.outer(rows, cols)
    return 1 / float(divisor[0, 0]) if (divisor == divisor[0, 0]).all() else (1 / divisor).astype(dtype)


def adaptive_matrix(n: int, out: int, dtype: np.dtype) -> np.ndarray:
    """(out, n) matrix averaging inputs ``floor(i*n/out)`` to ``ceil((i+1)*n/out)`` (PyTorch's adaptive windows)."""
    i = np.arange(out)
    start, end = (i * n) // out, -((-(i + 1) * n) // out)
    j = np.arange(n)
    return (((j >= start[:, None]) & (j < end[:, None])) / (end - start)[:, None]).astype(dtype)


def chwn(x: np.ndarray) -> np.ndarray:
    """An (N, C, H, W) array as (C, H, W, N), the layout every kernel here works in (a view)."""
    return x.transpose(1, 2, 3, 0)


def nchw(a: np.ndarray) -> np.ndarray:
    """A (C, H, W, N) array as (N, C, H, W) again (a view)."""
    return a.transpose(3, 0, 1, 2)


def padded(x: np.ndarray, win: Window, fill: float = 0.0) -> np.ndarray:
    """(N, C, H, W) ``x`` as a contiguous (C, Hp, Wp, N) array inside a border of ``fill``: a view of ``x``
    when it already is one, else one copy that fills only the border."""
    xc = chwn(x)
    top, bottom, left, right = win.pad
    if not (top or bottom or left or right):
        return np.ascontiguousarray(xc)
    c, h, w, n = xc.shape
    xp = np.empty((c, *win.padded, n), x.dtype)
    xp[:, :top], xp[:, top + h :] = fill, fill
    xp[:, top : top + h, :left], xp[:, top : top + h, left + w :] = fill, fill
    xp[:, top : top + h, left : left + w] = xc
    return xp


def cropped(xp: np.ndarray, win: Window) -> np.ndarray:
    """The inverse of ``padded``: the interior of (C, Hp, Wp, N) as an (N, C, H, W) view."""
    top, _, left, _ = win.pad
    h, w = win.size
    return nchw(xp[:, top : top + h, left : left + w] if xp.shape[1:3] != (h, w) else xp)


def im2col(x: np.ndarray, win: Window) -> np.ndarray:
    """Every window of (N, C, H, W) ``x``, copied through one strided view to a contiguous
    (C, kh, kw, Ho, Wo, N) array: batch innermost, so the copy moves long contiguous runs."""
    xp = padded(x, win)
    c, _, _, n = xp.shape
    sc, sh, sw, sn = xp.strides
    (kh, kw), (th, tw), (dh, dw), (ho, wo) = win.kernel, win.stride, win.dilation, win.out
    view = as_strided(xp, (c, kh, kw, ho, wo, n), (sc, sh * dh, sw * dw, sh * th, sw * tw, sn), writeable=False)
    return np.ascontiguousarray(view)


def col2im(cols: np.ndarray, win: Window) -> np.ndarray:
    """The adjoint of ``im2col``: (C, kh, kw, Ho, Wo, N) columns summed back into an (N, C, H, W) view."""
    c, _, kw = cols.shape[:3]
    out = np.zeros((c, *win.padded, cols.shape[-1]), cols.dtype)
    for k, (rows, columns) in enumerate(win.spans()):
        out[:, rows, columns] += cols[:, k // kw, k % kw]
    return cropped(out, win)
