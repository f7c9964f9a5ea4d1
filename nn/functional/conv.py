"""The stateless convolution and pooling layers: ``conv2d``, ``conv_transpose2d``, ``unfold``, ``fold``,
``max_pool2d``, ``min_pool2d``, ``avg_pool2d``, ``adaptive_avg_pool2d``, and ``pad``.

They are the ops of ``autograd/ops/conv.py``, ``pool.py``, ``fold.py`` and ``join.py`` under
``torch.nn.functional``'s names and signatures. ``min_pool2d`` is ours (``-max_pool2d(-x)``).

>>> import autograd as torch
>>> import nn.functional as F
>>> x = torch.ones(1, 1, 4, 4)
>>> F.max_pool2d(F.conv2d(x, torch.ones(2, 1, 3, 3), padding=1), 2).shape
(1, 2, 2, 2)
"""

from autograd.ops.conv import conv2d, conv_transpose2d
from autograd.ops.fold import fold, unfold
from autograd.ops.join import pad
from autograd.ops.pool import adaptive_avg_pool2d, avg_pool2d, max_pool2d, min_pool2d

__all__ = [
    "conv2d",
    "conv_transpose2d",
    "unfold",
    "fold",
    "max_pool2d",
    "min_pool2d",
    "avg_pool2d",
    "adaptive_avg_pool2d",
    "pad",
]
