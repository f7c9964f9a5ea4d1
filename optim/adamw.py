"""AdamW: Adam with weight decay applied to the weights, not the gradient, as ``torch.optim.AdamW``."""

from __future__ import annotations

from typing import Any

from optim.adam import Adam
from optim.optimizer import ParamsT


class AdamW(Adam):
    """AdamW: ``θ *= 1 - lr·λ``, then the Adam step ``θ -= lr · m̂ / (√v̂ + eps)`` on the raw gradient.

    Decoupling the decay from the moments keeps it a true shrinkage of the weights (Loshchilov &
    Hutter), where Adam's L2 term is rescaled by ``√v̂``. Use it to train transformers and other large
    networks with regularisation; note the default ``weight_decay=0.01``. Same options as ``Adam``.

    >>> import autograd as torch
    >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward()
    >>> opt.step()
    >>> w
    tensor([ 0.8500, -1.8000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )

    def _restore_group(self, group: dict[str, Any]) -> None:
        super()._restore_group(group)
        group["decoupled_weight_decay"] = True


__all__ = ["AdamW"]
