"""``OneCycleLR``: the 1cycle policy (warm up to ``max_lr``, then anneal far below the start)."""

from __future__ import annotations

import math
from typing import Any, Literal

from optim.lr_scheduler.base import LRScheduler, format_param
from optim.optimizer import Optimizer


class OneCycleLR(LRScheduler):
    """1cycle: anneal lr from ``max_lr/div_factor`` up to ``max_lr``, then down to ``initial_lr/final_div_factor``.

    The first ``pct_start`` of ``total_steps`` rises, the rest falls (cosine or linear); momentum (or
    Adam's β₁) cycles inversely between ``max_momentum`` and ``base_momentum`` when ``cycle_momentum``.
    ``three_phase=True`` follows the paper: up, back down to the initial lr, then the final anneal.
    Step it after every batch, ``total_steps`` (or ``epochs * steps_per_epoch``) times at most.

    >>> import autograd as torch
    >>> from optim import SGD
    >>> opt = SGD([torch.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
    >>> scheduler = OneCycleLR(opt, max_lr=1.0, total_steps=4, anneal_strategy="linear")
    >>> lrs = scheduler.get_last_lr()
    >>> for _ in range(3):
    ...     opt.step(); scheduler.step(); lrs += scheduler.get_last_lr()
    >>> [round(lr, 6) for lr in lrs]
    [0.04, 0.714287, 0.357145, 4e-06]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: Literal["cos", "linear"] = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        self.total_steps = _total_steps(total_steps, epochs, steps_per_epoch)
        self._schedule_phases = _phases(pct_start, self.total_steps, three_phase)
        if pct_start < 0 or pct_start > 1 or not isinstance(pct_start, float):
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}")
        self._anneal_func_type = anneal_strategy
        max_lrs = format_param("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, group_max_lr in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = group_max_lr / div_factor
                group["max_lr"] = group_max_lr
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self._init_momentum(base_momentum, max_momentum, last_epoch)
        super().__init__(optimizer, last_epoch)

    def _init_momentum(self, base_momentum: Any, max_momentum: Any, last_epoch: int) -> None:
        defaults = self.optimizer.defaults
        if "momentum" not in defaults and "betas" not in defaults:
            raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
        self.use_beta1 = "betas" in defaults
        max_momentums = format_param("max_momentum", self.optimizer, max_momentum)
        base_momentums = format_param("base_momentum", self.optimizer, base_momentum)
        if last_epoch != -1:
            return
        for group, high, low in zip(self.optimizer.param_groups, max_momentums, base_momentums):
            self._set_momentum(group, high)
            group["max_momentum"] = high
            group["base_momentum"] = low

    def _set_momentum(self, group: dict[str, Any], momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        self._warn_if_called_directly()
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total steps is {self.total_steps}")
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step - start_step) / (end_step - start_step)
                    lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
                    if self.cycle_momentum:
                        momentum = self._anneal(group[phase["start_momentum"]], group[phase["end_momentum"]], pct)
                        self._set_momentum(group, momentum)
                    break
                start_step = phase["end_step"]
        return lrs


def _total_steps(total_steps: int | None, epochs: int | None, steps_per_epoch: int | None) -> int:
    if total_steps is not None:
        if not isinstance(total_steps, int) or total_steps <= 0:
            raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
        return total_steps
    if epochs is None or steps_per_epoch is None:
        raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
    if not isinstance(epochs, int) or epochs <= 0:
        raise ValueError(f"Expected positive integer epochs, but got {epochs}")
    if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
        raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
    return epochs * steps_per_epoch


def _phases(pct_start: float, total_steps: int, three_phase: bool) -> list[dict[str, Any]]:
    """Each phase's last step and the group keys its lr and momentum run between."""
    up = {"end_step": float(pct_start * total_steps) - 1, "start_lr": "initial_lr", "end_lr": "max_lr"}
    up.update(start_momentum="max_momentum", end_momentum="base_momentum")
    if not three_phase:
        down = {"end_step": total_steps - 1, "start_lr": "max_lr", "end_lr": "min_lr"}
        down.update(start_momentum="base_momentum", end_momentum="max_momentum")
        return [up, down]
    back = {"end_step": float(2 * pct_start * total_steps) - 2, "start_lr": "max_lr", "end_lr": "initial_lr"}
    back.update(start_momentum="base_momentum", end_momentum="max_momentum")
    anneal = {"end_step": total_steps - 1, "start_lr": "initial_lr", "end_lr": "min_lr"}
    anneal.update(start_momentum="max_momentum", end_momentum="max_momentum")
    return [up, back, anneal]


__all__ = ["OneCycleLR"]
