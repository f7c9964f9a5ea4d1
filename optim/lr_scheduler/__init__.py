"""Learning-rate schedulers with ``torch.optim.lr_scheduler``'s names, formulas and ``last_epoch`` semantics.

Call ``scheduler.step()`` once per epoch (``OneCycleLR``: per batch), after ``optimizer.step()``;
``ReduceLROnPlateau.step(metric)`` takes the watched value. ``get_last_lr()`` gives the current rates
and ``state_dict()``/``load_state_dict()`` save and restore a schedule.

    >>> import autograd as torch
    >>> from optim import SGD
    >>> from optim.lr_scheduler import CosineAnnealingLR
    >>> opt = SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    >>> scheduler = CosineAnnealingLR(opt, T_max=4)
    >>> for _ in range(4):
    ...     opt.step()
    ...     scheduler.step()
    >>> scheduler.get_last_lr(), opt.param_groups[0]["initial_lr"]
    ([0.0], 1.0)
"""

from optim.lr_scheduler.base import LRScheduler
from optim.lr_scheduler.one_cycle import OneCycleLR
from optim.lr_scheduler.plateau import ReduceLROnPlateau
from optim.lr_scheduler.schedules import (
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiStepLR,
    StepLR,
)

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
    "StepLR",
]
