"""``LRScheduler``: the base of the epoch-indexed schedulers, with PyTorch's ``last_epoch`` semantics.

A scheduler stores each group's starting rate as ``group["initial_lr"]`` (its ``base_lrs``) and, on
every ``step()``, advances ``last_epoch`` and writes ``get_lr()`` into the groups' ``"lr"``. Building a
scheduler performs step 0. To resume, build it with ``last_epoch=n`` after loading the optimizer's
state (which carries ``initial_lr``), or load its ``state_dict``.
"""

from __future__ import annotations

import copy
import functools
import warnings
import weakref
from typing import Any

from optim.optimizer import Optimizer

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. "
    "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different "
    "from None, the closed form is used instead of the new chainable form, where available."
)


class LRScheduler:
    """Base class: subclasses give ``get_lr()`` (the chainable rule) and ``_get_closed_form_lr()``."""

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming scheduler with "
                        f"last_epoch={last_epoch}: load the optimizer's state_dict first, or use last_epoch=-1"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        _track_optimizer_steps(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rates for the epoch ``last_epoch`` has just reached (called by ``step``)."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The learning rate of each parameter group, as last set by this scheduler."""
        return self._last_lr

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch and set each group's lr; call it after ``optimizer.step()``.

        ``epoch`` (deprecated, as in PyTorch) jumps to that epoch using the closed form.
        """
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. Call `optimizer.step()` "
                "first (as in PyTorch 1.1.0 and later); otherwise the first value of the learning rate "
                "schedule is skipped.",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None) -> None:
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                values = self._get_closed_form_lr() if hasattr(self, "_get_closed_form_lr") else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = self._lrs()

    def _warn_if_called_directly(self) -> None:
        if not self._get_lr_called_within_step:
            warnings.warn(
                "To get the last learning rate computed by the scheduler, please use `get_last_lr()`.",
                UserWarning,
                stacklevel=3,
            )

    def _lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer (PyTorch's layout)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the attributes saved by ``state_dict`` (copied, so the dict can be reused)."""
        base_lrs = state_dict.get("base_lrs")
        if base_lrs is not None and len(base_lrs) != len(self.optimizer.param_groups):
            raise ValueError(
                f"loaded scheduler state has {len(base_lrs)} base_lrs, "
                f"but the optimizer has {len(self.optimizer.param_groups)} parameter groups"
            )
        self.__dict__.update(copy.deepcopy(state_dict))


def _track_optimizer_steps(optimizer: Optimizer) -> None:
    """Wrap ``optimizer.step`` so a scheduler stepped before it can warn, as PyTorch does."""
    if getattr(optimizer.step, "_wrapped_by_lr_sched", False):
        return
    func = optimizer.step.__func__  # type: ignore[attr-defined]
    ref = weakref.ref(optimizer)  # the wrapper lives on the optimizer: no cycle

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        opt = ref()
        opt._opt_called = True  # type: ignore[union-attr]
        return func(opt, *args, **kwargs)

    wrapper._wrapped_by_lr_sched = True  # type: ignore[attr-defined]
    optimizer.step = wrapper  # type: ignore[method-assign]


def format_param(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per parameter group: a scalar repeated, or a list checked for length."""
    if isinstance(value, list | tuple):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. "
                f"{name} has {len(value)} values, param_groups has {len(optimizer.param_groups)}."
            )
        return list(value)
    return [value] * len(optimizer.param_groups)


__all__ = ["LRScheduler"]
