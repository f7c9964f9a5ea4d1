"""Pooling layers: ``MaxPool2d``, ``MinPool2d``, ``AvgPool2d`` and ``AdaptiveAvgPool2d``, with torch.nn's
arguments, attributes and repr. ``MinPool2d`` is ours: ``-MaxPool2d(-x)``, which PyTorch does not have.

>>> import autograd as torch
>>> import nn
>>> pool = nn.MaxPool2d(2)
>>> pool
MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
>>> pool(torch.ones(1, 3, 6, 6)).shape
(1, 3, 3, 3)
"""

from __future__ import annotations

from typing import Any

from autograd.ops.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d, min_pool2d
from autograd.tensor import Tensor
from nn.module import Module

__all__ = ["MaxPool2d", "MinPool2d", "AvgPool2d", "AdaptiveAvgPool2d"]


class MaxPool2d(Module):
    """The max over each ``kernel_size`` window (padding counts as -inf); ``stride`` defaults to ``kernel_size``.
    The gradient goes to the first max of each window in row-major order, as PyTorch's.

    >>> import autograd as torch
    >>> import nn
    >>> nn.MaxPool2d(2)(torch.arange(16.0).reshape(1, 4, 4))
    tensor([[[ 5.,  7.],
             [13., 15.]]])
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def _args(self) -> tuple[Any, ...]:
        return self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode

    def forward(self, input: Tensor) -> Any:
        return max_pool2d(input, *self._args(), return_indices=self.return_indices)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MinPool2d(MaxPool2d):
    """The min over each window: ``-MaxPool2d(-x)`` in one pass (padding counts as +inf; ties go to the
    first min in row-major order). PyTorch has no MinPool2d; the arguments are MaxPool2d's.

    >>> import autograd as torch
    >>> import nn
    >>> nn.MinPool2d(2)(torch.arange(16.0).reshape(1, 4, 4))
    tensor([[[ 0.,  2.],
             [ 8., 10.]]])
    """

    def forward(self, input: Tensor) -> Any:
        return min_pool2d(input, *self._args(), return_indices=self.return_indices)


class AvgPool2d(Module):
    """The mean over each window; zero padding counts toward the divisor unless ``count_include_pad=False``,
    and ``divisor_override`` replaces it.

    >>> import autograd as torch
    >>> import nn
    >>> nn.AvgPool2d(2)(torch.arange(16.0).reshape(1, 4, 4))
    tensor([[[ 2.5000,  4.5000],
             [10.5000, 12.5000]]])
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        args = (self.ceil_mode, self.count_include_pad, self.divisor_override)
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, *args)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed ``output_size`` (an int, or a pair whose ``None`` keeps that input size):
    output ``i`` averages inputs ``floor(i*H/Ho)`` to ``ceil((i+1)*H/Ho)``.

    >>> import autograd as torch
    >>> import nn
    >>> nn.AdaptiveAvgPool2d((1, None))(torch.ones(2, 3, 5, 4)).shape
    (2, 3, 1, 4)
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
