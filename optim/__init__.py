"""chainrule.optim: optimizers and learning-rate schedulers with ``torch.optim``'s names and update rules.

Optimizers: ``SGD`` (with momentum and Nesterov), ``Adagrad``, ``Adadelta``, ``RMSprop``, ``Adam``,
``AdamW``; schedulers in ``optim.lr_scheduler``. The training loop is PyTorch's:

    >>> import autograd as torch
    >>> import optim
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.1, momentum=0.9)
    >>> scheduler = optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
    >>> losses = []
    >>> for _ in range(30):
    ...     opt.zero_grad()
    ...     loss = (w * w).sum()
    ...     loss.backward()
    ...     opt.step()
    ...     scheduler.step()
    ...     losses.append(loss.item())
    >>> losses[0], round(losses[-1], 4), scheduler.get_last_lr()
    (5.0, 0.0443, [0.0125])
"""

from optim import lr_scheduler
from optim.adadelta import Adadelta
from optim.adagrad import Adagrad
from optim.adam import Adam
from optim.adamw import AdamW
from optim.optimizer import Optimizer
from optim.rmsprop import RMSprop
from optim.sgd import SGD

__all__ = ["Adadelta", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "SGD", "lr_scheduler"]
