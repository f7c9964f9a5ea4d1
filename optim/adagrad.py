"""Adagrad: per-coordinate learning rates from the sum of squared gradients, as ``torch.optim.Adagrad``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import bump_version
from optim.common import advance, check, grad_with_decay, new_step, zeros_state
from optim.optimizer import Optimizer, ParamsT


class Adagrad(Optimizer):
    """Adagrad: ``s += g²``, ``θ -= lr_t · g / (√s + eps)`` with ``lr_t = lr / (1 + (t-1)·lr_decay)``.

    Each coordinate's step shrinks with the gradient it has accumulated, so rarely-updated coordinates
    (sparse features, embeddings) keep large steps. Use it for sparse or convex problems; on long
    non-convex runs its steps shrink towards zero, which RMSprop and Adam avoid.

    Args:
        params: tensors, ``(name, tensor)`` pairs or parameter-group dicts.
        lr: learning rate (default 1e-2).
        lr_decay: learning-rate decay per step (default 0).
        weight_decay: L2 penalty λ added to the gradient as ``λ·θ`` (default 0).
        initial_accumulator_value: starting value of the sum ``s`` (default 0). As in PyTorch, the
            constructor's value is used for every group, even one that sets its own.
        eps: added to ``√s`` for stability (default 1e-10).
        maximize: maximize the objective instead of minimizing it.

    >>> import autograd as torch
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.5)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w
    tensor([ 0.5000, -1.5000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        for p in self._all_params():
            self._init_state(self.state[p], p)

    def _validate(self, group: dict[str, Any]) -> None:
        check(group["lr"] >= 0.0, f"Invalid learning rate: {group['lr']}")
        check(group["lr_decay"] >= 0.0, f"Invalid lr_decay value: {group['lr_decay']}")
        check(group["weight_decay"] >= 0.0, f"Invalid weight_decay value: {group['weight_decay']}")
        value = group["initial_accumulator_value"]
        check(value >= 0.0, f"Invalid initial_accumulator_value value: {value}")
        check(group["eps"] >= 0.0, f"Invalid epsilon value: {group['eps']}")

    def _init_state(self, state: dict[str, Any], p: Any) -> None:
        state["step"] = new_step()
        state["sum"] = zeros_state(p, self.defaults["initial_accumulator_value"])

    def _step_group(self, group: dict[str, Any]) -> None:
        lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
        weight_decay, maximize = group["weight_decay"], group["maximize"]
        for p in group["params"]:
            g = p._grad
            if g is None:
                continue
            state = self.state[p]
            if not state:
                self._init_state(state, p)
            t = advance(state["step"])
            data = p._data
            d = grad_with_decay(g._data, data, weight_decay, maximize)
            total = state["sum"]._data
            tmp = np.multiply(d, d, out=np.empty_like(data))
            total += tmp
            np.sqrt(total, out=tmp)
            tmp += eps
            np.divide(d, tmp, out=tmp)
            tmp *= lr / (1 + (t - 1) * lr_decay)
            data -= tmp
            bump_version(p)


__all__ = ["Adagrad"]
