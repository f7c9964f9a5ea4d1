"""Adadelta: steps scaled by the ratio of running RMS of updates to gradients, as ``torch.optim.Adadelta``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import bump_version
from optim.common import advance, check, grad_with_decay, new_step, zeros_state
from optim.optimizer import Optimizer, ParamsT


class Adadelta(Optimizer):
    """Adadelta: ``v = rho·v + (1-rho)·g²``, ``Δ = √(u + eps)/√(v + eps)·g``, ``u = rho·u + (1-rho)·Δ²``, ``θ -= lr·Δ``.

    The update carries the units of the parameter (ratio of two RMS values), so the default ``lr=1.0``
    works on many problems without tuning. Use it when you want an adaptive method with little
    learning-rate search; Adam usually converges faster when tuned.

    Args:
        params: tensors, ``(name, tensor)`` pairs or parameter-group dicts.
        lr: coefficient scaling Δ before it is applied (default 1.0).
        rho: decay of the running averages, in [0, 1] (default 0.9).
        eps: added inside both square roots (default 1e-6).
        weight_decay: L2 penalty λ added to the gradient as ``λ·θ`` (default 0).
        maximize: maximize the objective instead of minimizing it.

    >>> import autograd as torch
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adadelta([w])
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w
    tensor([ 0.9968, -1.9968], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _validate(self, group: dict[str, Any]) -> None:
        check(group["lr"] >= 0.0, f"Invalid learning rate: {group['lr']}")
        check(0.0 <= group["rho"] <= 1.0, f"Invalid rho value: {group['rho']}")
        check(group["eps"] >= 0.0, f"Invalid epsilon value: {group['eps']}")
        check(group["weight_decay"] >= 0.0, f"Invalid weight_decay value: {group['weight_decay']}")

    def _step_group(self, group: dict[str, Any]) -> None:
        lr, rho, eps = group["lr"], group["rho"], group["eps"]
        weight_decay, maximize = group["weight_decay"], group["maximize"]
        for p in group["params"]:
            g = p._grad
            if g is None:
                continue
            state = self.state[p]
            if not state:
                state.update(step=new_step(), square_avg=zeros_state(p), acc_delta=zeros_state(p))
            advance(state["step"])
            data = p._data
            d = grad_with_decay(g._data, data, weight_decay, maximize)
            square_avg, acc_delta = state["square_avg"]._data, state["acc_delta"]._data
            tmp = np.multiply(d, d, out=np.empty_like(data))
            _decay_add(square_avg, rho, tmp)
            np.add(square_avg, eps, out=tmp)
            np.sqrt(tmp, out=tmp)
            delta = np.add(acc_delta, eps, out=np.empty_like(data))
            np.sqrt(delta, out=delta)
            delta /= tmp
            delta *= d
            np.multiply(delta, delta, out=tmp)
            _decay_add(acc_delta, rho, tmp)
            delta *= lr
            data -= delta
            bump_version(p)


def _decay_add(average: np.ndarray, rho: float, square: np.ndarray) -> None:
    """``average = rho·average + (1-rho)·square`` in place (``square`` is scratch and gets scaled)."""
    average *= rho
    square *= 1 - rho
    average += square


__all__ = ["Adadelta"]
