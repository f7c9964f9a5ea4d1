"""Normalization layers: ``BatchNorm1d``, ``BatchNorm2d`` and ``LayerNorm``, y = (x - mean) / sqrt(var + eps) * w + b.

>>> import autograd as torch
>>> import nn
>>> bn = nn.BatchNorm1d(2)
>>> bn(torch.tensor([[1.0, 2.0], [3.0, 6.0]]))
tensor([[-1.0000, -1.0000],
        [ 1.0000,  1.0000]], grad_fn=<NormalizeBackward>)
>>> bn.running_mean, bn.num_batches_tracked
(tensor([0.2000, 0.4000]), tensor(1))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.creation import empty
from autograd.ops.normalization import batch_norm, layer_norm
from autograd.tensor import Tensor, bump_version
from nn import init
from nn.module import Module
from nn.parameter import Parameter, factory_dtype

__all__ = ["BatchNorm1d", "BatchNorm2d", "LayerNorm"]


class _BatchNorm(Module):
    """Batch norm over dim 1: batch statistics in training (updating the running ones), running ones in eval.

    ``running_mean`` and ``running_var`` are buffers (the variance unbiased); ``momentum=None`` makes them a
    cumulative average over ``num_batches_tracked`` batches. Without ``track_running_stats`` every call uses
    the batch statistics.
    """

    _expected_dims: tuple[int, ...] = ()

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        dtype = factory_dtype(device, dtype)
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(empty(num_features, dtype=dtype))
            self.register_parameter("bias", Parameter(empty(num_features, dtype=dtype)) if bias else None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtypes.int64)))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            for name, value in (("running_mean", 0), ("running_var", 1), ("num_batches_tracked", 0)):
                buffer = self._buffers[name]
                buffer._data[...] = value
                bump_version(buffer)

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in self._expected_dims:
            dims = " or ".join(f"{d}D" for d in self._expected_dims)
            raise ValueError(f"expected {dims} input (got {input.ndim}D input of shape {input.shape})")
        if input.ndim > 1 and input.shape[1] != self.num_features:
            raise RuntimeError(
                f"{self._get_name()}({self.num_features}) expected {self.num_features} channels in dim 1, "
                f"got input of shape {input.shape}"
            )
        factor = 0.0 if self.momentum is None else self.momentum
        tracking = self.training and self.track_running_stats and self.num_batches_tracked is not None
        if tracking:
            self.num_batches_tracked._data += 1
            bump_version(self.num_batches_tracked)
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked._data)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep_running = not self.training or self.track_running_stats
        return batch_norm(
            input,
            self.running_mean if keep_running else None,
            self.running_var if keep_running else None,
            self.weight,
            self.bias,
            use_batch,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch norm of (N, C) or (N, C, L) inputs, per channel C.

    >>> import nn
    >>> nn.BatchNorm1d(4, momentum=None)
    BatchNorm1d(4, eps=1e-05, momentum=None, affine=True, bias=True, track_running_stats=True)
    """

    _expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch norm of (N, C, H, W) inputs, per channel C.

    >>> import autograd as torch
    >>> import nn
    >>> nn.BatchNorm2d(3)(torch.randn(2, 3, 4, 4)).shape
    (2, 3, 4, 4)
    """

    _expected_dims = (4,)


class LayerNorm(Module):
    """Normalize each sample over its last dims ``normalized_shape``, then an elementwise affine map.

    >>> import nn
    >>> nn.LayerNorm(8, bias=False)
    LayerNorm((8,), eps=1e-05, elementwise_affine=True, bias=False)
    """

    def __init__(
        self,
        normalized_shape: int | tuple[int, ...],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        dtype = factory_dtype(device, dtype)
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape = shape
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(empty(*shape, dtype=dtype))
            if bias:
                self.bias = Parameter(empty(*shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )
