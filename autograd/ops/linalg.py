"""Matrix products: ``matmul`` (``@``) in all of PyTorch's forms, ``mm``, ``bmm``, ``dot``, and fused ``linear``.

For ``y = a @ b``: ``ga = gy @ b^T`` and ``gb = a^T @ gy`` on the last two dims. A 1-D operand is
promoted to a matrix (a row on the left, a column on the right) and its size-1 dim dropped again.
Broadcast batch dims are summed back by the engine.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.registry import Sample, register
from autograd.ops.samples import explicit, uniform
from autograd.tensor import Tensor

__all__ = ["matmul", "mm", "bmm", "dot", "linear"]
_sum_of = np.add.reduce


def _dims(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape))


def _matmul_error(a: tuple[int, ...], b: tuple[int, ...]) -> RuntimeError:
    """PyTorch's message for operands that cannot be multiplied, naming both shapes."""
    if len(a) == 1 and len(b) == 1:
        return RuntimeError(
            f"inconsistent tensor size, expected tensor [{a[0]}] and src [{b[0]}] to have the same number of "
            f"elements, but got {a[0]} and {b[0]} elements respectively"
        )
    if len(b) == 1:
        return RuntimeError(f"size mismatch, got input ({a[-2]}), mat ({_dims(a[-2:])}), vec ({b[0]})")
    ma, mb = (a[-2:] if len(a) > 1 else (1, a[0])), b[-2:]
    if ma[1] != mb[0]:
        batched = f" (batched shapes {list(a)} and {list(b)})" if len(a) > 2 or len(b) > 2 else ""
        return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_dims(ma)} and {_dims(mb)}){batched}")
    return RuntimeError(f"matmul: batch dims of shapes {list(a)} and {list(b)} cannot be broadcast together")


class MatMul(Function):
    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim == 0 or b.ndim == 0:
            raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
        need_a, need_b = ctx.needs_input_grad[:2]
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.vectors = a.ndim == 1, b.ndim == 1
        try:
            return np.matmul(a, b)
        except ValueError:
            raise _matmul_error(a.shape, b.shape) from None

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        a_vec, b_vec = ctx.vectors
        # A 1-D operand is a row (left) or a column (right): give gy those size-1 dims back.
        shape = gy.shape + (1,) * b_vec
        g2 = gy.reshape(shape[:-1] + (1,) + shape[-1:] if a_vec else shape) if a_vec or b_vec else gy
        ga = gb = None
        if need_a:
            ga = g2 @ np.swapaxes(b.reshape(-1, 1) if b_vec else b, -1, -2)
            ga = ga.reshape(ga.shape[:-2] + ga.shape[-1:]) if a_vec else ga
        if need_b:
            gb = np.swapaxes(a.reshape(1, -1) if a_vec else a, -1, -2) @ g2
            gb = gb.reshape(gb.shape[:-1]) if b_vec else gb
        return ga, gb


def _pairs(*shapes: tuple[Any, Any]) -> Any:
    """Samples of two operands; a list shape makes a non-contiguous operand (a transpose)."""

    def make(rng: np.random.Generator, shape: Any) -> np.ndarray:
        return uniform(rng, tuple(shape[::-1])).T if isinstance(shape, list) else uniform(rng, shape)

    return explicit(*[lambda rng, a=a, b=b: Sample((make(rng, a), make(rng, b)), note=f"{a} @ {b}") for a, b in shapes])


_MATMUL = ((2, 3), (3, 4)), ((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 1, 2, 3), (4, 3, 5)), ((3,), (2, 3, 4))
_MATMUL += ((2, 4, 3), (3,)), ([2, 3], [3, 4]), ((0, 3), (3, 4)), ((2, 0), (0, 3)), ((0,), (0,))


@register(_pairs(*_MATMUL), methods=("matmul", "__matmul__"), ufuncs=(np.matmul,))
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with PyTorch's rules: 1-D operands are vectors, leading dims are broadcast batches.

    >>> import autograd as torch
    >>> (torch.ones(5, 2, 3) @ torch.ones(3)).shape
    (5, 2)
    """
    return MatMul.apply(input, other)


Tensor.__rmatmul__ = lambda self, other: MatMul.apply(other, self)  # type: ignore[attr-defined]


@register(_pairs(((2, 3), (3, 4)), ([2, 3], (3, 0))), methods=("mm",))
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """The product of two matrices.

    >>> import autograd as torch
    >>> torch.mm(torch.ones(2, 3), torch.ones(3, 4)).shape
    (2, 4)
    """
    for name, x in (("self", input), ("mat2", mat2)):
        if x.ndim != 2:
            raise RuntimeError(f"mm: {name} must be a matrix, got shape {list(x.shape)}")
    return MatMul.apply(input, mat2)


@register(_pairs(((2, 3, 4), (2, 4, 5)), ((0, 2, 3), (0, 3, 1))), methods=("bmm",))
def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Matrix products of two equal-sized batches of matrices.

    >>> import autograd as torch
    >>> torch.bmm(torch.ones(5, 2, 3), torch.ones(5, 3, 4)).shape
    (5, 2, 4)
    """
    a, b = input.shape, mat2.shape
    for name, shape in (("batch1", a), ("batch2", b)):
        if len(shape) != 3:
            raise RuntimeError(f"bmm: {name} must be a 3D tensor, got shape {list(shape)}")
    if (b[0], b[1]) != (a[0], a[2]):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{a[0]}, {a[2]}] but got: "
            f"[{b[0]}, {b[1]}] (batch1 shape {list(a)}, batch2 shape {list(b)})."
        )
    return MatMul.apply(input, mat2)


@register(_pairs(((3,), (3,)), ((0,), (0,))), methods=("dot",))
def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """The inner product of two vectors, a 0-d tensor.

    >>> import autograd as torch
    >>> torch.dot(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))
    tensor(11.)
    """
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D tensors")
    return MatMul.apply(input, tensor)


class Linear(Function):
    """Fused ``x @ w^T + b`` (one node instead of three; the bias gradient is a row sum)."""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
        need_x, need_w, _ = ctx.needs_input_grad
        ctx.save_for_backward(x if need_w else None, w if need_x else None)
        ndim = x.ndim
        if ndim == 0 or w.ndim != 2:
            raise _linear_shapes(x, w)
        try:
            y = x @ w.T if ndim < 3 else (x.reshape(-1, x.shape[-1]) @ w.T).reshape(x.shape[:-1] + (w.shape[0],))
        except ValueError:
            raise _linear_shapes(x, w) from None
        if b is not None:
            try:
                y += b
            except ValueError:
                raise RuntimeError(
                    f"linear: bias of shape {list(np.shape(b))} does not fit the output shape {list(y.shape)}"
                ) from None
        return y

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        flat = gy.ndim != 2  # leading dims fold into one batch dim for the weight and bias gradients
        g2 = gy.reshape(-1, gy.shape[-1]) if flat else gy
        gx = gy @ w if need_x else None
        gw = g2.T @ (x.reshape(-1, x.shape[-1]) if flat else x) if need_w else None
        if need_b:  # NumPy's sum method goes through a Python wrapper; a Tensor (create_graph) has no ufunc reduce
            gb = _sum_of(g2, 0) if type(g2) is np.ndarray else g2.sum(0)
        else:
            gb = None
        return gx, gw, gb


def _linear_shapes(x: np.ndarray, w: np.ndarray) -> RuntimeError:
    rows = f"{x.size // x.shape[-1] if x.ndim and x.shape[-1] else 1}x{x.shape[-1] if x.ndim else 1}"
    return RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({rows} and {_dims(w.T.shape)}); "
        f"linear needs input (..., in_features) and weight (out_features, in_features), "
        f"got {list(x.shape)} and {list(w.shape)}"
    )


def _linear_sample(x: Any, out: int, bias: bool) -> Any:
    def make(rng: np.random.Generator) -> Sample:
        inputs = uniform(rng, tuple(x[::-1])).T if isinstance(x, list) else uniform(rng, x)
        weight = uniform(rng, (out, inputs.shape[-1]))
        return Sample((inputs, weight, uniform(rng, (out,))) if bias else (inputs, weight), note=f"{x} -> {out}")

    return make


_LINEAR = ((2, 3), 4, True), ((2, 5, 3), 4, False), ((3,), 2, True), ((0, 3), 2, True), ([3, 2], 4, True)


@register(
    explicit(*[_linear_sample(*s) for s in _LINEAR]), torch=lambda torch, *a, **k: torch.nn.functional.linear(*a, **k)
)
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias`` as one fused op: weight is (out_features, in_features).

    >>> import autograd as torch
    >>> torch.linear(torch.ones(2, 3), torch.ones(4, 3), torch.zeros(4)).shape
    (2, 4)
    """
    return Linear.apply(input, weight, bias)
