"""The demo: train a small MLP on two interleaved spirals with chainrule, PyTorch-style.

    python examples/demo.py

Parameters are plain tensors here; the nn and optim packages (issues #4, #5)
and the digits CNN demo (issue #6) will replace this script.
"""

from __future__ import annotations

import math

import numpy as np

import autograd as torch


def spirals(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two spirals of ``n`` points each, with a little noise: not linearly separable."""
    t = np.sqrt(rng.uniform(0.05, 1, n)) * 3 * math.pi
    arm = np.stack([t * np.cos(t), t * np.sin(t)], 1) / 10
    x = np.concatenate([arm, -arm]) + rng.normal(0, 0.03, (2 * n, 2))
    y = np.concatenate([np.zeros(n), np.ones(n)]).astype(np.int64)
    return x.astype(np.float32), y


def init_layer(fan_in: int, fan_out: int) -> list[torch.Tensor]:
    bound = 1 / math.sqrt(fan_in)
    w = (torch.rand(fan_out, fan_in) * 2 - 1) * bound
    b = (torch.rand(fan_out) * 2 - 1) * bound
    return [w.requires_grad_(), b.requires_grad_()]


def main() -> None:
    torch.manual_seed(0)
    x_np, y_np = spirals(200, np.random.default_rng(0))
    x, y = torch.tensor(x_np), torch.tensor(y_np)
    params = init_layer(2, 32) + init_layer(32, 32) + init_layer(32, 2)

    def model(inputs: torch.Tensor) -> torch.Tensor:
        h = inputs
        for i in range(0, len(params) - 2, 2):
            h = torch.linear(h, params[i], params[i + 1]).tanh()
        return torch.linear(h, params[-2], params[-1])

    lr, momentum = 0.05, 0.9
    velocity = [torch.zeros_like(p) for p in params]
    for epoch in range(1, 1001):
        loss = torch.cross_entropy(model(x), y)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p, v in zip(params, velocity):
                v.mul_(momentum).add_(p.grad)
                p -= lr * v
        if epoch % 200 == 0:
            with torch.no_grad():
                accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
            print(f"epoch {epoch:3d}  loss {loss.item():.4f}  accuracy {accuracy:.1%}")


if __name__ == "__main__":
    main()
