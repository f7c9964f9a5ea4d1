"""Stochastic gradient descent, with optional (Nesterov) momentum, as ``torch.optim.SGD``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor, bump_version
from optim.common import check, grad_with_decay
from optim.optimizer import Optimizer, ParamsT


class SGD(Optimizer):
    """Stochastic gradient descent: ``b = μ·b + (1-τ)·g`` (``b = g`` on step 1), then ``θ -= lr·b``.

    With ``nesterov=True`` the step uses ``g + μ·b`` instead of ``b``; ``weight_decay`` λ adds ``λ·θ`` to
    ``g`` first (L2 regularisation) and ``maximize`` ascends. Textbook "SGD with momentum" is
    ``SGD(params, lr, momentum=0.9)``; note that PyTorch (and we) scale the whole velocity by lr, not
    each gradient as it enters it. Use plain SGD with momentum as the well-understood baseline; it often
    generalises best with a tuned learning-rate schedule.

    Args:
        params: tensors, ``(name, tensor)`` pairs or parameter-group dicts.
        lr: learning rate (default 1e-3, as in PyTorch 2.13).
        momentum: momentum factor μ (default 0).
        dampening: dampening τ of the gradient entering the momentum (default 0).
        weight_decay: L2 penalty λ (default 0).
        nesterov: Nesterov momentum; needs momentum > 0 and zero dampening.
        maximize: maximize the objective instead of minimizing it.

    >>> import autograd as torch
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w, opt.state[w]["momentum_buffer"]
    (tensor([ 0.8000, -1.6000], requires_grad=True), tensor([ 2., -4.]))
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    def _validate(self, group: dict[str, Any]) -> None:
        check(group["lr"] >= 0.0, f"Invalid learning rate: {group['lr']}")
        check(group["momentum"] >= 0.0, f"Invalid momentum value: {group['momentum']}")
        check(group["weight_decay"] >= 0.0, f"Invalid weight_decay value: {group['weight_decay']}")
        check(
            not group["nesterov"] or (group["momentum"] > 0 and group["dampening"] == 0),
            "Nesterov momentum requires a momentum and zero dampening "
            f"(got momentum={group['momentum']}, dampening={group['dampening']})",
        )

    def _step_group(self, group: dict[str, Any]) -> None:
        lr, momentum, weight_decay, maximize = group["lr"], group["momentum"], group["weight_decay"], group["maximize"]
        for p in group["params"]:
            g = p._grad
            if g is None:
                continue
            data = p._data
            d = grad_with_decay(g._data, data, weight_decay, maximize)
            if momentum != 0:
                d = self._momentum(p, d, momentum, group["dampening"], group["nesterov"])
            data -= lr * d
            bump_version(p)

    def _momentum(self, p: Tensor, d: Any, momentum: float, dampening: float, nesterov: bool) -> Any:
        """Update ``p``'s momentum buffer with ``d``; return the direction to step along."""
        state = self.state[p]
        buf = state.get("momentum_buffer")
        if buf is None:
            b = np.array(d, copy=True)
            state["momentum_buffer"] = Tensor._from_array(b)
        else:
            b = buf._data
            b *= momentum
            b += d if dampening == 0 else (1 - dampening) * d
        return d + momentum * b if nesterov else b


__all__ = ["SGD"]
