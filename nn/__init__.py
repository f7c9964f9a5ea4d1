"""chainrule.nn: torch.nn's modules, layers, activations, losses, init and utilities on chainrule's autograd.

A PyTorch model and its training code run after swapping the imports, and a ``state_dict`` saved here
loads into the same ``torch.nn`` architecture.

>>> import autograd as torch
>>> import nn
>>> model = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 1))
>>> loss = nn.MSELoss()(model(torch.ones(4, 3)), torch.zeros(4, 1))
>>> loss.backward()
>>> model[0].weight.grad.shape, list(model.state_dict())
((8, 3), ['0.weight', '0.bias', '2.weight', '2.bias'])
"""

from nn import functional, init, utils
from nn.activation import *  # noqa: F403
from nn.container import *  # noqa: F403
from nn.conv import *  # noqa: F403
from nn.dropout import *  # noqa: F403
from nn.embedding import *  # noqa: F403
from nn.linear import *  # noqa: F403
from nn.loss import *  # noqa: F403
from nn.mlp import *  # noqa: F403
from nn.module import *  # noqa: F403
from nn.normalization import *  # noqa: F403
from nn.parameter import *  # noqa: F403
from nn.perceptron import *  # noqa: F403
from nn.pooling import *  # noqa: F403
