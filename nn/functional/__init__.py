"""``nn.functional`` (``import nn.functional as F``): the stateless forms of the layers, activations and losses."""

from nn.functional.activation import *  # noqa: F403
from nn.functional.conv import *  # noqa: F403
from nn.functional.layers import *  # noqa: F403
from nn.functional.loss import *  # noqa: F403
