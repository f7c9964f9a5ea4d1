"""RMSprop: gradients divided by a running RMS of recent gradients, as ``torch.optim.RMSprop``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import bump_version
from optim.common import advance, check, grad_with_decay, new_step, zeros_state
from optim.optimizer import Optimizer, ParamsT


class RMSprop(Optimizer):
    """RMSprop: ``v = alpha·v + (1-alpha)·g²``, ``θ -= lr · g / (√v + eps)`` (eps outside the square root).

    ``centered=True`` also tracks the mean gradient ``ḡ`` and divides by ``√(v - ḡ²) + eps``;
    ``momentum`` μ > 0 steps along ``b = μb + g / (√v + eps)`` instead. Use it for non-stationary
    objectives such as recurrent networks and reinforcement learning, where Adagrad's ever-growing sum
    stalls.

    Args:
        params: tensors, ``(name, tensor)`` pairs or parameter-group dicts.
        lr: learning rate (default 1e-2).
        alpha: smoothing constant of the squared-gradient average (default 0.99).
        eps: added to the root for stability (default 1e-8).
        weight_decay: L2 penalty λ added to the gradient as ``λ·θ`` (default 0).
        momentum: momentum factor μ (default 0).
        centered: normalise by the estimated variance of the gradient instead of its second moment.
        maximize: maximize the objective instead of minimizing it.

    >>> import autograd as torch
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _validate(self, group: dict[str, Any]) -> None:
        check(group["lr"] >= 0.0, f"Invalid learning rate: {group['lr']}")
        check(group["eps"] >= 0.0, f"Invalid epsilon value: {group['eps']}")
        check(group["momentum"] >= 0.0, f"Invalid momentum value: {group['momentum']}")
        check(group["weight_decay"] >= 0.0, f"Invalid weight_decay value: {group['weight_decay']}")
        check(group["alpha"] >= 0.0, f"Invalid alpha value: {group['alpha']}")

    def _step_group(self, group: dict[str, Any]) -> None:
        lr, alpha, eps, momentum, centered = (group[k] for k in ("lr", "alpha", "eps", "momentum", "centered"))
        weight_decay, maximize = group["weight_decay"], group["maximize"]
        for p in group["params"]:
            g = p._grad
            if g is None:
                continue
            state = self._state(p, momentum, centered)
            advance(state["step"])
            data = p._data
            d = grad_with_decay(g._data, data, weight_decay, maximize)
            square_avg = state["square_avg"]._data
            tmp = np.multiply(d, d, out=np.empty_like(data))
            square_avg *= alpha
            tmp *= 1 - alpha
            square_avg += tmp
            if centered:
                grad_avg = state["grad_avg"]._data
                grad_avg *= alpha
                grad_avg += np.multiply(d, 1 - alpha, out=tmp)
                np.multiply(grad_avg, grad_avg, out=tmp)
                np.subtract(square_avg, tmp, out=tmp)
                np.sqrt(tmp, out=tmp)
            else:
                np.sqrt(square_avg, out=tmp)
            tmp += eps
            np.divide(d, tmp, out=tmp)
            if momentum > 0:
                buf = state["momentum_buffer"]._data
                buf *= momentum
                buf += tmp
                np.multiply(buf, lr, out=tmp)
            else:
                tmp *= lr
            data -= tmp
            bump_version(p)

    def _state(self, p: Any, momentum: float, centered: bool) -> dict[str, Any]:
        """``p``'s buffers, made on its first step (and when momentum or centering is switched on later)."""
        state = self.state[p]
        if not state:
            state.update(step=new_step(), square_avg=zeros_state(p))
        if momentum > 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = zeros_state(p)
        if centered and "grad_avg" not in state:
            state["grad_avg"] = zeros_state(p)
        return state


__all__ = ["RMSprop"]
