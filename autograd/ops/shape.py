"""Shape ops: reshape/view, permutations, expand, cat/stack and pad (split/chunk are in ``index.py``).

Reshape, permute, expand, cat and constant pad are the primitives, each
with a backward that is a shape op again (so any order of derivative works);
the rest are compositions. NumPy's versions dispatch here for Tensors.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import numpy_dispatch
from autograd.function import Function
from autograd.ops.index import _as_view, _cases, index_select
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, uniform
from autograd.shapes import normalize_dim, normalize_dims
from autograd.tensor import Tensor
from autograd.views import mark_view

__all__ = ["reshape", "view", "flatten", "squeeze", "unsqueeze", "permute", "transpose", "swapaxes", "t", "movedim"]
__all__ += ["expand", "expand_as", "cat", "concat", "concatenate", "stack", "pad"]


def _sizes(op: str, sizes: Sequence[Any]) -> tuple[int, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` alike, as a tuple of ints."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = sizes[0]
    try:
        return tuple(operator.index(s) for s in sizes)
    except TypeError:
        raise TypeError(f"{op}(): size must be a sequence of ints, got {tuple(sizes)!r}") from None


class Reshape(Function):
    @staticmethod
    def forward(ctx: Function, x: np.ndarray, shape: tuple[int, ...], copy: bool | None) -> np.ndarray:
        ctx.in_shape = x.shape
        try:
            return x.reshape(shape) if copy is None else x.reshape(shape, copy=copy)
        except ValueError:
            raise _reshape_error(x.shape, shape) from None

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        return gy.reshape(ctx.in_shape), None, None


def _reshape_error(in_shape: tuple[int, ...], shape: tuple[int, ...]) -> RuntimeError:
    numel, known = math.prod(in_shape), math.prod(s for s in shape if s != -1)
    if shape.count(-1) > 1 or any(s < -1 for s in shape):
        return RuntimeError(
            f"shape '{list(shape)}' is invalid: only one dimension can be inferred, and sizes must be >= -1"
        )
    if (-1 in shape and (known == 0 or numel % known)) or (-1 not in shape and known != numel):
        return RuntimeError(
            f"shape '{list(shape)}' is invalid for input of size {numel} (input shape {list(in_shape)})"
        )
    return RuntimeError(
        f"view size is not compatible with input tensor's size and stride (viewing shape {list(in_shape)} as "
        f"{list(shape)}: at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead."
    )


@register(
    _cases(((2, 3, 4), (4, -1)), ([2, 3], (6,)), ((), (1, 1)), ((0, 3), (3, 0)), ((4,), (2, 1, 2))),
    methods=("reshape",),
)
def reshape(input: Tensor, *shape: Any) -> Tensor:
    """The same elements in a new shape (one size may be -1); a view when NumPy can make one.

    >>> import autograd as torch
    >>> torch.arange(6.0).reshape(2, -1).shape
    (2, 3)
    """
    return _as_view(Reshape.apply(input, _sizes("reshape", shape), None), input)


@register(_cases(((2, 3, 4), 4, -1), ((0, 3), (3, 0)), ((), 1)), torch="Tensor.view", methods=("view",))
def view(input: Tensor, *shape: Any) -> Tensor:
    """Like ``reshape`` but always a view: raises when the memory layout would need a copy.

    >>> import autograd as torch
    >>> torch.zeros(2, 3).view((3, 2)).shape
    (3, 2)
    """
    return _as_view(Reshape.apply(input, _sizes("view", shape), False), input)


@register(
    _cases(((2, 3, 4),), ((2, 3, 4), 1, -1), ([4, 3, 2], {"start_dim": -2, "end_dim": -2}), ((),)), methods=("flatten",)
)
def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims ``start_dim..end_dim`` into one (a 0-d tensor becomes shape (1,)).

    >>> import autograd as torch
    >>> torch.zeros(2, 3, 4).flatten(1).shape
    (2, 12)
    """
    shape = input.shape
    start, end = normalize_dim(start_dim, len(shape), "flatten"), normalize_dim(end_dim, len(shape), "flatten")
    if start > end:
        raise RuntimeError(f"flatten() has invalid args: start_dim ({start_dim}) cannot come after end_dim ({end_dim})")
    return reshape(input, shape[:start] + (math.prod(shape[start : end + 1]),) + shape[end + 1 :] if shape else (1,))


@register(_cases(((1, 3, 1),), ((1, 3, 1), -1), ((1, 3, 1), (0, 1)), ((), 0)), methods=("squeeze",))
def squeeze(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """Drop the size-1 dims (all of them, or those among ``dim``).

    >>> import autograd as torch
    >>> torch.zeros(1, 3, 1).squeeze(0).shape
    (3, 1)
    """
    axes = normalize_dims(dim, input.ndim, "squeeze")
    return reshape(input, tuple(n for i, n in enumerate(input.shape) if not (i in axes and n == 1)))


@register(_cases(((2, 3), -1), ((2, 3), 0), ((), 0)), methods=("unsqueeze",))
def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a size-1 dim at ``dim``.

    >>> import autograd as torch
    >>> torch.zeros(3).unsqueeze(-1).shape
    (3, 1)
    """
    shape = input.shape
    axis = normalize_dim(dim, len(shape) + 1, "unsqueeze")
    return reshape(input, shape[:axis] + (1,) + shape[axis:])


class Permute(Function):
    @staticmethod
    def forward(ctx: Function, x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        ctx.axes = axes
        return np.transpose(x, axes)

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        return np.transpose(gy, tuple(np.argsort(ctx.axes).tolist())), None


@register(_cases(((2, 3, 4), (2, 0, -2)), ([3, 4], (1, 0)), ((), ())), methods=("permute",))
def permute(input: Tensor, *dims: Any) -> Tensor:
    """Reorder the dims: output dim i is input dim ``dims[i]`` (a view).

    >>> import autograd as torch
    >>> torch.zeros(2, 3, 4).permute(2, 0, 1).shape
    (4, 2, 3)
    """
    ndim, dims = input.ndim, _sizes("permute", dims)
    axes = tuple(normalize_dim(d, ndim, "permute") for d in dims) if ndim else dims
    if len(axes) != ndim or len(set(axes)) != ndim:
        raise RuntimeError(f"permute(): dims {dims} are not a permutation of the {ndim} dims of the input")
    return mark_view(Permute.apply(input, axes), input)


@register(_cases(((2, 3, 4), 0, -1), ([3, 4], 1, 0), ((), 0, -1)), methods=("transpose", "swapaxes", "swapdims"))
def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dims (a view).

    >>> import autograd as torch
    >>> torch.zeros(2, 3, 4).transpose(0, -1).shape
    (4, 3, 2)
    """
    ndim = input.ndim
    axes = list(range(ndim))
    a, b = normalize_dim(dim0, ndim, "transpose"), normalize_dim(dim1, ndim, "transpose")
    if ndim:
        axes[a], axes[b] = axes[b], axes[a]
    return mark_view(Permute.apply(input, tuple(axes)), input)


swapaxes = transpose


@register(_cases(((2, 3),), ([2, 3],), ((3,),), ((),)), methods=("t",))
def t(input: Tensor) -> Tensor:
    """Transpose a matrix; 0-d and 1-D tensors are returned as they are.

    >>> import autograd as torch
    >>> torch.zeros(2, 3).t().shape
    (3, 2)
    """
    if input.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D (shape {list(input.shape)})"
        )
    return transpose(input, 0, -1)


@register(_cases(((2, 3, 4), (0, -1), (2, 0)), ((2, 3, 4), 0, -1)), methods=("movedim", "moveaxis"))
def movedim(input: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """Move dims ``source`` to positions ``destination``; the other dims keep their order.

    >>> import autograd as torch
    >>> torch.zeros(2, 3, 4).movedim(0, -1).shape
    (3, 4, 2)
    """
    ndim = input.ndim
    src, dst = ([normalize_dim(d, ndim, "movedim") for d in np.atleast_1d(ds).tolist()] for ds in (source, destination))
    if len(src) != len(dst) or len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({source}) and destination ({destination})"
        )
    order = [d for d in range(ndim) if d not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, tuple(order))


def _T(self: Tensor) -> Tensor:
    """All dims reversed (``x.t()`` for a matrix).

    >>> import autograd as torch
    >>> torch.zeros(2, 3).T.shape
    (3, 2)
    """
    return permute(self, tuple(range(self.ndim - 1, -1, -1)))


def _mT(self: Tensor) -> Tensor:
    """The last two dims swapped (a batch of matrices transposed).

    >>> import autograd as torch
    >>> torch.zeros(5, 2, 3).mT.shape
    (5, 3, 2)
    """
    if self.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {self.ndim}-D tensor.")
    return transpose(self, -2, -1)


Tensor.T = property(_T)  # type: ignore[attr-defined]
Tensor.mT = property(_mT)  # type: ignore[attr-defined]


class Expand(Function):
    @staticmethod
    def forward(ctx: Function, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        return gy, None  # the engine sums the broadcast dims back


def _expanded(shape: tuple[int, ...], sizes: tuple[int, ...]) -> tuple[int, ...]:
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({len(shape)}); sizes {list(sizes)}, tensor shape {list(shape)}"
        )
    out = list(sizes)
    for i, n in enumerate(sizes):
        old = shape[i - lead] if i >= lead else None
        if n == -1 and old is None:
            raise RuntimeError(
                f"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}"
            )
        out[i] = old if n == -1 else n
        if old not in (None, 1, out[i]):
            raise RuntimeError(
                f"The expanded size of the tensor ({n}) must match the existing size ({old}) at non-singleton "
                f"dimension {i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
    return tuple(out)


@register(
    _cases(((3, 1), 2, -1, 4), ((), (3,)), ((1, 3), (0, 3)), ([3, 1], 3, 3)), torch="Tensor.expand", methods=("expand",)
)
def expand(input: Tensor, *sizes: Any) -> Tensor:
    """Broadcast size-1 dims (and new leading dims) to ``sizes`` without copying; -1 keeps a size.

    >>> import autograd as torch
    >>> torch.zeros(3, 1).expand(2, -1, 4).shape
    (2, 3, 4)
    """
    return mark_view(Expand.apply(input, _expanded(input.shape, _sizes("expand", sizes))), input)


@register(
    explicit(lambda rng: Sample((uniform(rng, (3, 1)), uniform(rng, (2, 3, 4))), grad=(True, False))),
    torch="Tensor.expand_as",
    methods=("expand_as",),
)
def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """``input.expand(other.shape)``.

    >>> import autograd as torch
    >>> torch.zeros(3, 1).expand_as(torch.zeros(3, 4)).shape
    (3, 4)
    """
    return expand(input, other.shape)


class Cat(Function):
    @staticmethod
    def forward(ctx: Function, axis: int, *xs: np.ndarray) -> np.ndarray:
        ctx.axis, ctx.bounds = axis, np.cumsum([0] + [np.shape(x)[axis] if np.ndim(x) else 0 for x in xs]).tolist()
        try:
            return np.concatenate(xs, axis=axis)
        except ValueError:
            raise _cat_error([np.shape(x) for x in xs], axis) from None

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        lead, b = (slice(None),) * ctx.axis, ctx.bounds
        needs = ctx.needs_input_grad[1:]
        return (None, *[gy[lead + (slice(b[i], b[i + 1]),)] if need else None for i, need in enumerate(needs)])


def _cat_error(shapes: list[tuple[int, ...]], axis: int) -> RuntimeError:
    first = shapes[0]
    for i, shape in enumerate(shapes):
        if not shape:
            return RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
        if len(shape) != len(first):
            return RuntimeError(f"Tensors must have same number of dimensions: got {len(first)} and {len(shape)}")
        for d, (m, n) in enumerate(zip(first, shape)):
            if d != axis and m != n:
                return RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size {m} but got size {n} "
                    f"for tensor number {i} in the list (shapes {list(first)} and {list(shape)})."
                )
    return RuntimeError(f"cat: cannot concatenate shapes {[list(s) for s in shapes]} along dim {axis}")


def _lists(*specs: tuple[list[Any], dict[str, Any]]) -> Any:
    """Samples taking one list of tensors, from ``([shape, ...], kwargs)``."""
    return explicit(
        *[lambda rng, s=s: Sample(([uniform(rng, shape) for shape in s[0]],), s[1], note=str(s)) for s in specs]
    )


_CAT = ([(2, 3), (1, 3), (4, 3)], {}), ([(2, 3), (2, 1)], {"dim": -1}), ([(2, 3), (0, 3)], {}), ([(3,)], {})


@register(_lists(*_CAT), methods=())
def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dim; the sizes of the other dims must match.

    >>> import autograd as torch
    >>> torch.cat([torch.zeros(2, 3), torch.ones(1, 3)]).shape
    (3, 3)
    """
    if len(tensors) == 0:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    return Cat.apply(normalize_dim(dim, tensors[0].ndim, "cat"), *tensors)


concat = concatenate = cat


@register(
    _lists(([(2, 3), (2, 3), (2, 3)], {}), ([(2, 3), (2, 3)], {"dim": -1}), ([(), ()], {}), ([(0, 2)], {"dim": 1}))
)
def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join equal-shaped tensors along a new dim.

    >>> import autograd as torch
    >>> torch.stack([torch.zeros(2, 3), torch.ones(2, 3)], dim=1).shape
    (2, 2, 3)
    """
    if len(tensors) == 0:
        raise ValueError("stack expects a non-empty TensorList")
    shapes = [x.shape for x in tensors]
    for i, shape in enumerate(shapes):
        if shape != shapes[0]:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(shapes[0])} at entry 0 "
                f"and {list(shape)} at entry {i}"
            )
    axis = normalize_dim(dim, len(shapes[0]) + 1, "stack")
    return cat([unsqueeze(x, axis) for x in tensors], axis)


class Pad(Function):
    @staticmethod
    def forward(ctx: Function, x: np.ndarray, widths: tuple[tuple[int, int], ...], value: float) -> np.ndarray:
        ctx.widths = widths
        shape = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, widths))
        if min(shape, default=0) < 0:
            raise RuntimeError(
                f"pad: padding {list(widths)} gives the negative output shape {list(shape)} "
                f"for input shape {list(x.shape)}"
            )
        out = np.full(shape, value, dtype=x.dtype)
        src, dst = [], []
        for n, (lo, hi) in zip(x.shape, widths):
            kept = max(0, n - max(-lo, 0) - max(-hi, 0))
            src.append(slice(max(-lo, 0), max(-lo, 0) + kept))
            dst.append(slice(max(lo, 0), max(lo, 0) + kept))
        out[tuple(dst)] = x[tuple(src)]
        return out

    @staticmethod
    def backward(ctx: Function, gy: Any) -> Any:
        return Pad.apply(gy, tuple((-lo, -hi) for lo, hi in ctx.widths), 0), None, None


def _pad_index(mode: str, n: int, lo: int, hi: int) -> np.ndarray:
    i = np.arange(-lo, n + hi)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    if mode == "circular":
        return i % n
    if mode != "reflect":
        raise ValueError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}")
    if max(lo, hi) >= n:
        raise RuntimeError(f"pad: reflect padding ({lo}, {hi}) must be less than the dimension's size {n}")
    return (n - 1) - np.abs((n - 1) - np.abs(i))


_PADS = ((2, 3), (1, 2)), ((2, 3, 4), (1, 0, 0, 2), "constant", 0.5), ((2, 5), (-1, 2)), ((0, 3), (1, 1))
_PADS += ((2, 3, 4), (2, 1), "reflect"), ([1, 3, 4], (1, 2), "replicate"), ((1, 2, 3, 3), (1, 1, 2, 0), "circular")


@register(_cases(*_PADS), torch=lambda torch, *args, **kwargs: torch.nn.functional.pad(*args, **kwargs))
def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last dims: ``pad = (left_last, right_last, left_2nd_last, ...)``; negative values crop.

    ``mode`` is ``constant`` (with ``value``), ``reflect``, ``replicate`` or ``circular``.

    >>> import autograd as torch
    >>> torch.pad(torch.ones(1, 2), (1, 0), value=5.0)
    tensor([[5., 1., 1.]])
    """
    pads, ndim = [operator.index(p) for p in pad], input.ndim
    if len(pads) % 2 or len(pads) > 2 * ndim:
        raise RuntimeError(
            f"Padding length {len(pads)} must be even and at most two times the input dimension {ndim} "
            f"(pad {tuple(pads)})"
        )
    widths = ((0, 0),) * (ndim - len(pads) // 2) + tuple(zip(pads[-2::-2], pads[::-2]))
    if mode == "constant":
        return Pad.apply(input, widths, 0 if value is None else value)
    out = input
    for axis, (lo, hi) in enumerate(widths):
        if lo or hi:
            out = index_select(out, axis, _pad_index(mode, out.shape[axis], lo, hi))
    return out


# NumPy's functions on Tensors (backward formulas call them under create_graph); shape queries never need a graph.
numpy_dispatch.implements(np.shape)(lambda a: a.shape)
numpy_dispatch.implements(np.ndim)(lambda a: a.ndim)
numpy_dispatch.implements(np.size)(lambda a, axis=None: a.numel() if axis is None else a.shape[axis])
numpy_dispatch.implements(np.squeeze)(squeeze)
numpy_dispatch.implements(np.moveaxis)(movedim)
numpy_dispatch.implements(np.swapaxes)(transpose)
numpy_dispatch.implements(np.reshape)(lambda a, shape: reshape(a, shape))
numpy_dispatch.implements(np.transpose)(
    lambda a, axes=None: permute(a, tuple(range(a.ndim - 1, -1, -1)) if axes is None else axes)
)
numpy_dispatch.implements(np.broadcast_to)(lambda array, shape: expand(array, shape))
numpy_dispatch.implements(np.stack)(lambda arrays, axis=0: stack(arrays, axis))


@numpy_dispatch.implements(np.expand_dims)
def _np_expand_dims(a: Tensor, axis: int | Sequence[int]) -> Tensor:
    axes = normalize_dims(axis, a.ndim + np.size(axis), "expand_dims")
    shape = iter(a.shape)
    return reshape(a, tuple(1 if i in axes else next(shape) for i in range(a.ndim + len(axes))))


@numpy_dispatch.implements(np.concatenate)
def _np_concatenate(arrays: Sequence[Any], axis: int | None = 0) -> Tensor:
    return cat([reshape(a, (-1,)) for a in arrays] if axis is None else arrays, axis or 0)


_NUMPY_PAD_MODES = {"constant": "constant", "edge": "replicate", "reflect": "reflect", "wrap": "circular"}


@numpy_dispatch.implements(np.pad)
def _np_pad(array: Tensor, pad_width: Any, mode: str = "constant", constant_values: float = 0) -> Tensor:
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (array.ndim, 2))
    return pad(array, widths[::-1].ravel().tolist(), _NUMPY_PAD_MODES[mode], constant_values)
