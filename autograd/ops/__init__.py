"""Every public op, one family per module; importing this package registers them all."""

from autograd.ops.activation import *  # noqa: F403
from autograd.ops.activation_extra import *  # noqa: F403
from autograd.ops.arithmetic import *  # noqa: F403
from autograd.ops.cast import *  # noqa: F403
from autograd.ops.compare import *  # noqa: F403
from autograd.ops.conv import *  # noqa: F403
from autograd.ops.elementwise import *  # noqa: F403
from autograd.ops.fold import *  # noqa: F403
from autograd.ops.index import *  # noqa: F403
from autograd.ops.join import *  # noqa: F403
from autograd.ops.linalg import *  # noqa: F403
from autograd.ops.loss import *  # noqa: F403
from autograd.ops.loss_bce import *  # noqa: F403
from autograd.ops.loss_nll import *  # noqa: F403
from autograd.ops.minmax import *  # noqa: F403
from autograd.ops.normalization import *  # noqa: F403
from autograd.ops.pool import *  # noqa: F403
from autograd.ops.reduce import *  # noqa: F403
from autograd.ops.shape import *  # noqa: F403
from autograd.ops.softmax import *  # noqa: F403
