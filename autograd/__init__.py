"""chainrule's autograd: tensors that record a graph, and reverse-mode differentiation through it.

>>> import autograd as torch
>>> a = torch.tensor(-4.0, requires_grad=True)
>>> b = torch.tensor(2.0, requires_grad=True)
>>> c = a * b + b**3
>>> c.backward()
>>> a.grad, b.grad
(tensor(2.), tensor(8.))
"""

from autograd import data, memory
from autograd.anomaly import detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled, set_detect_anomaly
from autograd.creation import *  # noqa: F403
from autograd.dtypes import bool_ as bool  # noqa: A004
from autograd.dtypes import double, float16, float32, float64, half, int32, int64, long, uint8
from autograd.engine import backward, grad
from autograd.function import Function
from autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import GradcheckError, check_gradients, gradcheck, gradgradcheck
from autograd.ops import *  # noqa: F403
from autograd.profiler import profile
from autograd.random import Generator, manual_seed
from autograd.serialization import load, save
from autograd.tensor import Tensor
from autograd.viz import draw_graph, print_graph, record_graph

memory.keep_freed_memory()

# isort: off
from autograd import inplace as _inplace  # after the ops: attaches add_, mul_, +=, zero_, copy_ to Tensor
# isort: on

float = float32
