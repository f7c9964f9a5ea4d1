"""The stateless forms of the layers: ``linear``, ``dropout``, ``batch_norm``, ``layer_norm``, ``embedding``.

>>> import autograd as torch
>>> import nn.functional as F
>>> F.linear(torch.ones(2, 3), torch.ones(4, 3)).shape
(2, 4)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, Node
from autograd.ops.index import IndexAdd
from autograd.ops.linalg import linear
from autograd.ops.normalization import batch_norm, layer_norm
from autograd.random import rng
from autograd.tensor import Tensor, bump_version

__all__ = ["linear", "dropout", "batch_norm", "layer_norm", "embedding"]


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p); identity if not training.

    The mask comes from the generator seeded by ``autograd.manual_seed``. ``p=1`` gives zeros.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> _ = torch.manual_seed(0)
    >>> y = F.dropout(torch.ones(1000), p=0.2)
    >>> sorted(set(y.tolist()))
    [0.0, 1.25]
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        mask = np.zeros(input.shape, input.dtype)
    else:
        uniform = rng().random(input.shape, dtype=np.float32 if input.dtype == np.float32 else np.float64)
        mask = (uniform >= p).astype(input.dtype)
        mask *= 1.0 / (1.0 - p)
    return input.mul_(Tensor(mask)) if inplace else input * Tensor(mask)


class Embedding(Function):
    """``weight[indices]``; backward scatter-adds gy into the rows (repeats accumulate), skipping ``padding_idx``."""

    @staticmethod
    def forward(ctx: Node, weight: Any, indices: Any, padding_idx: int | None, freq_scale: bool) -> Any:
        ctx.shape, ctx.indices = weight.shape, indices
        ctx.keep = None if padding_idx is None else indices != padding_idx
        ctx.scale = None
        if freq_scale:
            counts = np.bincount(indices.reshape(-1), minlength=weight.shape[0])
            ctx.scale = (1.0 / counts[indices])[..., None].astype(weight.dtype)
        return weight[indices]

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        indices, g = ctx.indices, gy if ctx.scale is None else gy * ctx.scale
        if ctx.keep is not None:
            indices, g = indices[ctx.keep], g[ctx.keep]
        return IndexAdd.apply(g, ctx.shape, (indices,)), None, None, None


def _check_indices(input: Tensor, num: int) -> np.ndarray:
    indices = input._data
    if indices.dtype.kind not in "iu":
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; "
            f"but got {indices.dtype} instead"
        )
    if indices.size and (indices.min() < 0 or indices.max() >= num):
        bad = indices[(indices < 0) | (indices >= num)].flat[0]
        raise IndexError(f"index out of range in self: index {bad} with num_embeddings {num}")
    return indices


def _renorm_rows(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Rescale, in place, the referenced rows whose norm exceeds max_norm to norm max_norm (PyTorch's rule)."""
    rows = np.unique(indices)
    norms = np.linalg.norm(weight._data[rows], ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        weight._data[rows[big]] *= (max_norm / (norms[big] + 1e-7))[:, None].astype(weight.dtype)
        bump_version(weight)


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Row lookup: out[...] = weight[input[...]]; gradients of repeated indices add up, and row ``padding_idx``
    gets none. ``max_norm`` renormalizes the looked-up rows of ``weight`` in place first. No sparse gradients.

    >>> import autograd as torch
    >>> import nn.functional as F
    >>> F.embedding(torch.tensor([[0, 2]]), torch.eye(3)).shape
    (1, 2, 3)
    """
    if sparse:
        raise NotImplementedError("embedding: sparse gradients are not supported by chainrule; use sparse=False")
    if weight.ndim != 2:
        raise RuntimeError(f"embedding: 'weight' must be 2-D, got shape {weight.shape}")
    indices = _check_indices(input, weight.shape[0])
    if padding_idx is not None and padding_idx < 0:
        padding_idx += weight.shape[0]
    if max_norm is not None:
        _renorm_rows(weight, indices, max_norm, norm_type)
    return Embedding.apply(weight, indices, padding_idx, scale_grad_by_freq)
