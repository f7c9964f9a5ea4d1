"""``Conv2d``: a 2-D convolution layer with torch.nn.Conv2d's arguments, attributes, init and repr.

>>> import autograd as torch
>>> import nn
>>> conv = nn.Conv2d(3, 8, 3, padding="same")
>>> conv
Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=same)
>>> conv(torch.ones(2, 3, 5, 5)).shape
(2, 8, 5, 5)
"""

from __future__ import annotations

import math
from typing import Any

from autograd.creation import empty
from autograd.ops.conv import conv2d
from autograd.ops.join import pad
from autograd.ops.windows import pair
from autograd.tensor import Tensor
from nn import init
from nn.module import Module
from nn.parameter import Parameter, factory_dtype

__all__ = ["Conv2d"]

_PADDING_MODES = {"zeros", "reflect", "replicate", "circular"}


def _check_args(in_channels: int, out_channels: int, groups: int, padding: Any, stride: Any, mode: str) -> None:
    """torch.nn.Conv2d's constructor errors."""
    if groups <= 0:
        raise ValueError(f"groups must be a positive integer, got groups={groups}")
    if in_channels % groups:
        raise ValueError(f"in_channels must be divisible by groups (in_channels={in_channels}, groups={groups})")
    if out_channels % groups:
        raise ValueError(f"out_channels must be divisible by groups (out_channels={out_channels}, groups={groups})")
    if isinstance(padding, str):
        if padding not in ("same", "valid"):
            raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'same', 'valid'}}")
        if padding == "same" and stride != (1, 1):
            raise ValueError("padding='same' is not supported for strided convolutions")
    if mode not in _PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {sorted(_PADDING_MODES)}, but got padding_mode={mode!r}")


class Conv2d(Module):
    """2-D convolution over (N, C, H, W) or (C, H, W): ``y[n,o] = b[o] + sum_c W[o,c] ⋆ x[n,c]``.

    Weight (out_channels, in_channels/groups, kH, kW). ``padding``: an int, a pair, ``'valid'`` or
    ``'same'`` (stride 1; an odd total pads one more at the bottom/right, as PyTorch). ``padding_mode``
    ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``. Default init as PyTorch:
    ``W ~ kaiming_uniform_(a=sqrt(5))``, i.e. U(±1/sqrt(fan_in)), and ``b ~ U(±1/sqrt(fan_in))`` with
    ``fan_in = in_channels/groups * kH * kW``.

    >>> import nn
    >>> nn.Conv2d(4, 6, (3, 2), stride=2, padding=1, groups=2, bias=False).weight.shape
    (6, 2, 3, 2)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        dtype = factory_dtype(device, dtype)
        stride = pair(stride, "stride", "Conv2d")
        _check_args(in_channels, out_channels, groups, padding, stride, padding_mode)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2d")
        self.stride, self.dilation = stride, pair(dilation, "dilation", "Conv2d")
        self.padding = padding if isinstance(padding, str) else pair(padding, "padding", "Conv2d")
        self.padding_mode = padding_mode
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(empty(*shape, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * self.kernel_size[0] * self.kernel_size[1]
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def _pad_widths(self) -> tuple[int, int, int, int]:
        """(left, right, top, bottom) for ``pad`` when padding_mode is not 'zeros'."""
        if self.padding == "valid":
            return 0, 0, 0, 0
        if self.padding == "same":
            (th, tw) = (d * (k - 1) for k, d in zip(self.kernel_size, self.dilation))
            return tw // 2, tw - tw // 2, th // 2, th - th // 2
        (ph, pw) = self.padding
        return pw, pw, ph, ph

    def forward(self, input: Tensor) -> Tensor:
        if self.padding_mode == "zeros":
            return conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        padded = pad(input, self._pad_widths(), mode=self.padding_mode)
        return conv2d(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text
