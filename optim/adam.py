"""Adam: bias-corrected moment estimates of the gradient, as ``torch.optim.Adam``."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor, bump_version
from optim.common import advance, check, grad_with_decay, new_step, zeros_state
from optim.optimizer import Optimizer, ParamsT


class Adam(Optimizer):
    """Adam: ``m = β₁m + (1-β₁)g``, ``v = β₂v + (1-β₂)g²``, ``θ -= lr · m̂ / (√v̂ + eps)``.

    ``m̂ = m/(1-β₁ᵗ)`` and ``v̂ = v/(1-β₂ᵗ)`` undo the zero start, so the first step moves each
    coordinate by about ``lr·sign(g)``; eps sits outside the square root. ``amsgrad`` divides by the
    running maximum of the raw ``v`` (before bias correction, as current PyTorch does).
    ``weight_decay`` λ adds ``λ·θ`` to the gradient (L2, coupled with the moments); with
    ``decoupled_weight_decay=True`` it is AdamW's ``θ *= 1 - lr·λ`` instead. Use Adam as the default
    for deep networks: it is robust to gradient scale and needs little tuning beyond ``lr``.

    Args:
        params: tensors, ``(name, tensor)`` pairs or parameter-group dicts.
        lr: learning rate (default 1e-3).
        betas: decay rates (β₁, β₂) of the moment estimates, each in [0, 1) (default (0.9, 0.999)).
        eps: added to ``√v̂`` for stability (default 1e-8).
        weight_decay: weight decay λ (default 0).
        amsgrad: use the AMSGrad variant (default False).
        maximize: maximize the objective instead of minimizing it.
        decoupled_weight_decay: decay the weights directly, as AdamW (default False).

    >>> import autograd as torch
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _validate(self, group: dict[str, Any]) -> None:
        check(group["lr"] >= 0.0, f"Invalid learning rate: {group['lr']}")
        check(group["eps"] >= 0.0, f"Invalid epsilon value: {group['eps']}")
        betas = group["betas"]
        check(len(betas) == 2, f"betas must be a pair (beta1, beta2), got {betas}")
        check(0.0 <= betas[0] < 1.0, f"Invalid beta parameter at index 0: {betas[0]}")
        check(0.0 <= betas[1] < 1.0, f"Invalid beta parameter at index 1: {betas[1]}")
        check(group["weight_decay"] >= 0.0, f"Invalid weight_decay value: {group['weight_decay']}")

    def _step_group(self, group: dict[str, Any]) -> None:
        lr, (beta1, beta2), eps, amsgrad = group["lr"], group["betas"], group["eps"], group["amsgrad"]
        weight_decay, maximize, decoupled = group["weight_decay"], group["maximize"], group["decoupled_weight_decay"]
        for p in group["params"]:
            g = p._grad
            if g is None:
                continue
            state = self._state(p, amsgrad)
            t = advance(state["step"])
            data = p._data
            if decoupled and weight_decay != 0:
                data *= 1 - lr * weight_decay
                d = grad_with_decay(g._data, data, 0, maximize)
            else:
                d = grad_with_decay(g._data, data, weight_decay, maximize)
            _adam_update(data, d, state, t, lr, beta1, beta2, eps, amsgrad)
            bump_version(p)

    def _state(self, p: Tensor, amsgrad: bool) -> dict[str, Any]:
        """``p``'s buffers, made on its first step (and the maximum when amsgrad is switched on later)."""
        state = self.state[p]
        if not state:
            state.update(step=new_step(), exp_avg=zeros_state(p), exp_avg_sq=zeros_state(p))
        if amsgrad and "max_exp_avg_sq" not in state:
            state["max_exp_avg_sq"] = zeros_state(p)
        return state


def _adam_update(
    data: np.ndarray,
    d: Any,
    state: dict[str, Any],
    t: float,
    lr: float,
    beta1: float,
    beta2: float,
    eps: float,
    amsgrad: bool,
) -> None:
    """One Adam step of ``data`` along gradient ``d`` at step ``t``, updating the moments in ``state``."""
    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
    tmp = np.multiply(d, 1 - beta1, out=np.empty_like(data))
    exp_avg *= beta1
    exp_avg += tmp
    np.multiply(d, d, out=tmp)
    tmp *= 1 - beta2
    exp_avg_sq *= beta2
    exp_avg_sq += tmp
    if amsgrad:
        exp_avg_sq = np.maximum(state["max_exp_avg_sq"]._data, exp_avg_sq, out=state["max_exp_avg_sq"]._data)
    np.sqrt(exp_avg_sq, out=tmp)
    tmp /= (1 - beta2**t) ** 0.5
    tmp += eps
    np.divide(exp_avg, tmp, out=tmp)
    tmp *= lr / (1 - beta1**t)
    data -= tmp


__all__ = ["Adam"]
