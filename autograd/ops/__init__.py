"""Every public op, one family per module; importing this package registers them all."""

from autograd.ops.arithmetic import *  # noqa: F403
