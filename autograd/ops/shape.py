"""Shape ops: reshape/view, permutations and expand (cat/stack/pad are in ``join.py``, split/chunk in ``index.py``).

Reshape, permute and expand are the primitives, each with a backward that is a
shape op again (so any order of derivative works); the rest are compositions.
NumPy's versions dispatch here for Tensors.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import numpy_dispatch
from autograd.function import Function, Node
from autograd.ops.index import _cases
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, uniform
from autograd.shapes import normalize_dim, normalize_dims
from autograd.tensor import Tensor
from autograd.views import mark_view

__all__ = ["reshape", "view", "flatten", "squeeze", "unsqueeze", "permute", "transpose", "swapaxes", "t", "movedim"]
__all__ += ["expand", "expand_as"]


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
    def forward(ctx: Node, x: np.ndarray, shape: tuple[int, ...], copy: bool | None) -> np.ndarray:
        ctx.in_shape = x.shape
        try:
            return x.reshape(shape) if copy is None else x.reshape(shape, copy=copy)
        except ValueError:
            raise _reshape_error(x.shape, shape) from None

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
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
    return mark_view(Reshape.apply(input, _sizes("reshape", shape), None), input)


@register(_cases(((2, 3, 4), 4, -1), ((0, 3), (3, 0)), ((), 1)), torch="Tensor.view", methods=("view",))
def view(input: Tensor, *shape: Any) -> Tensor:
    """Like ``reshape`` but always a view: raises when the memory layout would need a copy.

    >>> import autograd as torch
    >>> torch.zeros(2, 3).view((3, 2)).shape
    (3, 2)
    """
    return mark_view(Reshape.apply(input, _sizes("view", shape), False), input)


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
    def forward(ctx: Node, x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        ctx.axes = axes
        return np.transpose(x, axes)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
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
    def forward(ctx: Node, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
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


# NumPy's functions on Tensors: backward formulas call them under create_graph.
numpy_dispatch.implements(np.squeeze)(squeeze)
numpy_dispatch.implements(np.moveaxis)(movedim)
numpy_dispatch.implements(np.swapaxes)(transpose)
numpy_dispatch.implements(np.reshape)(lambda a, shape: reshape(a, shape))
numpy_dispatch.implements(np.transpose)(
    lambda a, axes=None: permute(a, tuple(range(a.ndim - 1, -1, -1)) if axes is None else axes)
)
numpy_dispatch.implements(np.broadcast_to)(lambda array, shape: expand(array, shape))


@numpy_dispatch.implements(np.expand_dims)
def _np_expand_dims(a: Tensor, axis: int | Sequence[int]) -> Tensor:
    axes = normalize_dims(axis, a.ndim + np.size(axis), "expand_dims")
    shape = iter(a.shape)
    return reshape(a, tuple(1 if i in axes else next(shape) for i in range(a.ndim + len(axes))))
