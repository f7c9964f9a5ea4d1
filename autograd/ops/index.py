"""Indexing and slicing: ``x[key]``, ``x[key] = v``, gather, index_select, narrow, split/chunk and unbind.

A key is NumPy's: ints, slices, None, Ellipsis, integer arrays or tensors, boolean masks, and mixes.
The gradient of ``x[key]`` scatter-adds ``gy`` into zeros (repeated indices accumulate); that scatter
is an op too, whose own gradient is ``gg[key]`` again, so indexing is differentiable any number of times.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from autograd import grad_mode, numpy_dispatch
from autograd.function import Function, Node
from autograd.inplace import apply_inplace
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, uniform
from autograd.shapes import normalize_dim
from autograd.tensor import Tensor, bump_version
from autograd.views import mark_view

__all__ = ["gather", "index_select", "index_put", "narrow", "split", "chunk", "unbind"]

Key = tuple[Any, ...]


def _cases(*specs: tuple[Any, ...]) -> Any:
    """Samples from ``(shape, *args[, kwargs])``; a list shape makes a non-contiguous input (a transpose)."""

    def build(rng: np.random.Generator) -> Any:
        for shape, *args in specs:
            kwargs = args.pop() if args and isinstance(args[-1], dict) else {}
            x = uniform(rng, tuple(shape[::-1])).T if isinstance(shape, list) else uniform(rng, shape)
            yield Sample((x, *args), kwargs, note=f"shape {shape}, args {args} {kwargs}")

    return build


def _key(key: Any) -> Key:
    """A key as a tuple of NumPy index components (tensors and lists become arrays); basic keys end in ``...``."""
    parts = []
    for k in key if type(key) is tuple else (key,):
        if isinstance(k, Tensor):
            k = k._data
        elif isinstance(k, list):
            k = np.asarray(k) if k else np.zeros(0, np.int64)
        if isinstance(k, np.ndarray) and k.dtype.kind not in "biu":
            raise IndexError(f"tensors used as indices must be long, int or bool tensors, got dtype {k.dtype}")
        parts.append(k)
    if not any(isinstance(k, np.ndarray) or k is Ellipsis for k in parts):
        parts.append(Ellipsis)  # so ``x[0]`` is a 0-d view, not a NumPy scalar
    return tuple(parts)


def _index_error(shape: tuple[int, ...], key: Key, error: Exception) -> IndexError:
    """PyTorch's message for a bad key, naming the index, the dim and its size."""
    used = [
        k.ndim if isinstance(k, np.ndarray) and k.dtype == bool else 0 if k is None or k is Ellipsis else 1 for k in key
    ]
    used = [0 if k is True or k is False else u for k, u in zip(key, used)]
    if sum(used) > len(shape):
        return IndexError(
            f"too many indices for tensor of dimension {len(shape)} (shape {list(shape)}, {sum(used)} indices)"
        )
    dim = 0
    for k, u in zip(key, used):
        dim += len(shape) - sum(used) if k is Ellipsis else 0
        if isinstance(k, np.ndarray) and k.dtype == bool and k.shape != shape[dim : dim + k.ndim]:
            return IndexError(
                f"The shape of the mask {list(k.shape)} at index {dim} does not match the shape of the indexed tensor "
                f"{list(shape)} at index {dim}"
            )
        if u == 1 and not isinstance(k, slice):
            values, n = np.asarray(k), shape[dim]
            bad = values[(values >= n) | (values < -n)]
            if bad.size:
                return IndexError(f"index {bad.flat[0]} is out of bounds for dimension {dim} with size {n}")
        dim += u
    return IndexError(f"{error} (indexing a tensor of shape {list(shape)})")


class GetItem(Function):
    @staticmethod
    def forward(ctx: Node, x: np.ndarray, key: Key) -> np.ndarray:
        ctx.shape, ctx.key = x.shape, key
        try:
            return x[key]
        except IndexError as error:
            raise _index_error(x.shape, key, error) from None

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return IndexAdd.apply(gy, ctx.shape, ctx.key), None


class IndexAdd(Function):
    """Zeros of ``shape`` with ``g`` added at ``key``: repeated indices accumulate."""

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, shape: tuple[int, ...], key: Key) -> np.ndarray:
        ctx.key = key
        out = np.zeros(shape, g.dtype)
        if any(isinstance(k, np.ndarray) and k.dtype != bool for k in key):
            np.add.at(out, key, g)
        else:
            out[key] = g  # basic keys and masks never repeat a position
        return out

    @staticmethod
    def backward(ctx: Node, gg: Any) -> Any:
        return gg[ctx.key], None, None


_A, _B = np.array([0, 0, 1, 3]), np.array([[0, 2], [2, 2]])
_KEYS = (
    ((4, 3), 1),
    ((4, 3), (slice(1, None, 2), -1)),
    ((2, 3), (None, Ellipsis, 0)),
    ((4, 3), _A),
    ((3, 4), (slice(None), _B)),
)
_KEYS += ((3, 4, 5), (np.array([0, 2]), slice(None), np.array([-1, 1]))), ((), ()), ((0, 3), (slice(None), 1))
_KEYS += ([4, 3], (np.array([1, 0]),)), ((3,), np.zeros(0, np.int64)), ((3, 4), np.array([True, False, True]))
_KEYS += ((2, 3), np.array([[True, False, True], [False, False, True]])), ((2, 3, 4), (Ellipsis, np.array([2, 2]), 1))


@register(_cases(*_KEYS), name="__getitem__", torch="Tensor.__getitem__", methods=("__getitem__",))
def getitem(input: Tensor, key: Any) -> Tensor:
    """``input[key]`` with NumPy's rules: basic keys give views, integer arrays and masks gather copies.

    >>> import autograd as torch
    >>> x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> x[[0, 0, 1]].sum().backward()
    >>> x.grad
    tensor([2., 1., 0.])
    """
    return mark_view(GetItem.apply(input, _key(key)), input)


class SetItem(Function):
    """A copy of ``x`` with ``value`` written at ``key``."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, value: Any, key: Key) -> np.ndarray:
        ctx.key, ctx.value_shape = key, np.shape(value)
        out = x.copy()
        _assign(out, key, value)
        return out

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        need_x, need_value = ctx.needs_input_grad[:2]
        gv = gy[ctx.key] if need_value else None
        if gv is not None and gv.ndim < len(ctx.value_shape):  # value had extra leading 1s
            gv = gv.reshape((1,) * (len(ctx.value_shape) - gv.ndim) + gv.shape)
        return (SetItem.apply(gy, 0, ctx.key) if need_x else None), gv, None


def _assign(out: np.ndarray, key: Key, value: Any) -> None:
    try:
        out[key] = value
    except IndexError as error:
        raise _index_error(out.shape, key, error) from None
    except ValueError:
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {list(np.shape(value))} cannot be broadcast to indexing result "
            f"of shape {list(out[key].shape)}"
        ) from None


def setitem(self: Tensor, key: Any, value: Any) -> None:
    """``self[key] = value`` in place; in a graph, ``value`` gets ``gy[key]`` and the overwritten part of ``self`` 0.

    >>> import autograd as torch
    >>> x = torch.zeros(3)
    >>> x[1:] = torch.tensor([1.0, 2.0])
    >>> x
    tensor([0., 1., 2.])
    """
    key = _key(key)
    if grad_mode.state.enabled and (self._requires_grad or (isinstance(value, Tensor) and value._requires_grad)):
        apply_inplace(self, "__setitem__", lambda target, v: SetItem.apply(target, v, key), value)
        return
    # Outside a graph, write straight into memory: no copy of the whole tensor.
    _assign(self._data, key, value._data if isinstance(value, Tensor) else value)
    bump_version(self)


def _array(index: Any) -> np.ndarray:
    index = index._data if isinstance(index, Tensor) else np.asarray(index)
    if index.dtype.kind not in "iu":
        raise RuntimeError(f"index must be an integer tensor, got dtype {index.dtype}")
    return index


@register(
    explicit(
        lambda rng: Sample((uniform(rng, (3, 4)), 1, np.array([[0, 0, 3], [1, 2, 2]]))),
        lambda rng: Sample((uniform(rng, (3, 4)), -2, np.array([[0, 2], [2, 2], [1, 0]]))),
        lambda rng: Sample((uniform(rng, (2, 3, 4)), 2, np.zeros((2, 3, 0), np.int64))),
    ),
    methods=("gather",),
)
def gather(input: Tensor, dim: int, index: Any) -> Tensor:
    """``out[i][j] = input[index[i][j]][j]`` for ``dim=0`` (likewise for other dims); index has input's ndim.

    >>> import autograd as torch
    >>> torch.gather(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 1, torch.tensor([[1], [0]]))
    tensor([[2.],
            [3.]])
    """
    index, shape = _array(index), input.shape
    axis = normalize_dim(dim, len(shape), "gather")
    if index.ndim != len(shape):
        raise RuntimeError(
            f"gather(): Index tensor must have the same number of dimensions as input tensor "
            f"(index shape {list(index.shape)}, input shape {list(shape)})"
        )
    for d, (m, n) in enumerate(zip(index.shape, shape)):
        if d != axis and m > n:
            raise RuntimeError(
                f"Size does not match at dimension {d} expected index {list(index.shape)} to be no larger than "
                f"self {list(shape)} apart from dimension {axis}"
            )
    grid = np.ix_(*[np.arange(m) for m in index.shape])
    return getitem(input, tuple(index if d == axis else g for d, g in enumerate(grid)))


@register(
    _cases(((3, 4), 0, np.array([2, 0, 2])), ((3, 4), -1, np.array([3])), ([4, 3], 1, np.zeros(0, np.int64))),
    methods=("index_select",),
)
def index_select(input: Tensor, dim: int, index: Any) -> Tensor:
    """The entries at positions ``index`` (a vector) along ``dim``; repeats allowed.

    >>> import autograd as torch
    >>> torch.index_select(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), 0, torch.tensor([1, 1]))
    tensor([[3., 4.],
            [3., 4.]])
    """
    index = _array(index)
    if index.ndim > 1:
        raise IndexError(f"index_select(): Index is supposed to be a vector, got shape {list(index.shape)}")
    return getitem(input, (slice(None),) * normalize_dim(dim, input.ndim, "index_select") + (index.reshape(-1),))


@register(
    explicit(
        lambda rng: Sample((uniform(rng, (3, 4)), (np.array([0, 2]),), uniform(rng, (4,)))),
        lambda rng: Sample(
            (uniform(rng, (3, 4)), (np.array([0, 0]), np.array([1, 1])), uniform(rng, (2,))), {"accumulate": True}
        ),
        lambda rng: Sample((uniform(rng, (3, 4)), (np.array([True, False, True]),), uniform(rng, (2, 1)))),
    ),
    methods=("index_put",),
)
def index_put(input: Tensor, indices: tuple[Any, ...], values: Any, accumulate: bool = False) -> Tensor:
    """A copy of ``input`` with ``values`` written (or, with ``accumulate``, added) at ``input[indices]``.

    >>> import autograd as torch
    >>> torch.index_put(torch.zeros(3), (torch.tensor([0, 0]),), torch.tensor(1.0), accumulate=True)
    tensor([2., 0., 0.])
    """
    key = _key(tuple(indices))
    if accumulate:
        return input + IndexAdd.apply(values, input.shape, key)
    return SetItem.apply(input, values, key)


@register(_cases(((5, 3), 0, 1, 3), ((2, 5), -1, -2, 2), ((4,), 0, 4, 0)), methods=("narrow",))
def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """The view ``input[..., start:start + length]`` along ``dim`` (``start`` may be negative).

    >>> import autograd as torch
    >>> torch.arange(6.0).narrow(0, 2, 3)
    tensor([2., 3., 4.])
    """
    axis = normalize_dim(dim, input.ndim, "narrow")
    n, start, length = input.shape[axis], operator.index(start), operator.index(length)
    begin = start + n if start < 0 else start
    if not 0 <= begin <= n or length < 0 or begin + length > n:
        raise RuntimeError(f"narrow: start ({start}) + length ({length}) exceeds dimension size ({n}) of dim {dim}.")
    return getitem(input, (slice(None),) * axis + (slice(begin, begin + length),))


class Split(Function):
    @staticmethod
    def forward(ctx: Node, x: np.ndarray, bounds: list[int], axis: int) -> tuple[np.ndarray, ...]:
        ctx.axis = axis
        lead = (slice(None),) * axis
        return tuple(x[lead + (slice(a, b),)] for a, b in itertools.pairwise(bounds))

    @staticmethod
    def backward(ctx: Node, *gys: Any) -> Any:
        return np.concatenate(gys, axis=ctx.axis), None, None


@register(_cases(((5, 3), 2), ((2, 6), [1, 3, 2], -1), ((0, 3), 2), ((3, 4), 4, 1)), methods=("split",))
def split(tensor: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """Views of consecutive pieces along ``dim``: of one size (the last may be smaller), or of the sizes given.

    >>> import autograd as torch
    >>> [p.shape for p in torch.arange(5.0).split(2)]
    [(2,), (2,), (1,)]
    """
    if tensor.ndim == 0:
        raise RuntimeError("split: dimension specified as 0 but tensor has no dimensions")
    axis = normalize_dim(dim, tensor.ndim, "split")
    n = tensor.shape[axis]
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n):
            raise RuntimeError(
                f"split_size must be positive (or 0 for an empty dim), got {size} for dimension size {n}"
            )
        sizes = [size] * (n // size if size else 0) + ([n % size] if size and n % size else []) or [n]
    else:
        sizes = [operator.index(s) for s in split_size_or_sections]
        if sum(sizes) != n or min(sizes, default=0) < 0:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {dim}), "
                f"but got split_sizes={sizes}"
            )
    pieces = Split.apply(tensor, np.cumsum([0] + sizes).tolist(), axis)
    return tuple(mark_view(p, tensor) for p in pieces)


@register(_cases(((7, 2), 3), ((2, 6), 4, -1), ((0, 2), 3), ((5,), 1)), methods=("chunk",))
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Split into ``chunks`` pieces of size ceil(n / chunks) (so possibly fewer pieces).

    >>> import autograd as torch
    >>> [p.shape for p in torch.arange(5.0).chunk(3)]
    [(2,), (2,), (1,)]
    """
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = input.shape[normalize_dim(dim, input.ndim, "chunk")] if input.ndim else 0
    return split(input, -(-n // chunks) if n else [0] * chunks, dim)


class Unbind(Function):
    @staticmethod
    def forward(ctx: Node, x: np.ndarray, axis: int) -> tuple[np.ndarray, ...]:
        ctx.axis = axis
        lead = (slice(None),) * axis
        return tuple(x[lead + (i, Ellipsis)] for i in range(x.shape[axis]))

    @staticmethod
    def backward(ctx: Node, *gys: Any) -> Any:
        return np.stack(gys, axis=ctx.axis), None


@register(_cases(((3, 2),), ((2, 3), -1), ((4,),)), methods=("unbind",))
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along ``dim``, as a tuple of views with that dim removed.

    >>> import autograd as torch
    >>> torch.unbind(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=1)
    (tensor([1., 3.]), tensor([2., 4.]))
    """
    if input.ndim == 0:
        raise RuntimeError("unbind: dimension specified as 0 but tensor has no dimensions")
    pieces = Unbind.apply(input, normalize_dim(dim, input.ndim, "unbind"))
    return tuple(mark_view(p, input) for p in pieces)


def _iter(self: Tensor) -> Iterator[Tensor]:
    """The slices along dim 0 (one graph node for all of them).

    >>> import autograd as torch
    >>> [float(r.sum()) for r in torch.ones(2, 3)]
    [3.0, 3.0]
    """
    if self.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return iter(unbind(self))


@numpy_dispatch.implements(np.split)
def _np_split(ary: Tensor, indices_or_sections: Any, axis: int = 0) -> tuple[Tensor, ...]:
    n = ary.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if n % indices_or_sections:
            raise ValueError(f"array split does not result in an equal division ({n} into {indices_or_sections})")
        return split(ary, n // indices_or_sections, axis)
    return split(ary, np.diff([0, *indices_or_sections, n]).tolist(), axis)


Tensor.__setitem__ = setitem  # type: ignore[attr-defined]
Tensor.__iter__ = _iter  # type: ignore[attr-defined]
