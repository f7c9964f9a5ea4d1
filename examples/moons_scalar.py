"""micrograd's demo on chainrule: a neural network made of scalars, trained on two moons.

    python examples/moons_scalar.py --steps 100 --out runs/moons --seed 1337

Every number in the model is a 0-d autograd tensor, as every number in micrograd is a ``Value``:

- a neuron holds a list of weights and a bias, and computes ``relu(w1*x1 + w2*x2 + ... + b)``;
- a layer is a list of neurons, and the MLP (2 -> 16 -> 16 -> 1) a list of layers;
- the loss is built from those scalars, so ``loss.backward()`` applies the chain rule through
  tens of thousands of tiny scalar operations and leaves a ``.grad`` on every weight.

Loss (micrograd's demo notebook): labels y are -1 or +1, the model's score s; the SVM max-margin loss
``mean(relu(1 - y*s))`` plus L2 regularisation ``1e-4 * sum(p**2)``. Training is plain gradient descent on
all 100 points, with a learning rate falling from 1.0 to 0.1. It writes the decision boundary as a PNG.
``CHAINRULE_QUICK=1`` runs a few steps only (for the tests).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
from pathlib import Path

import numpy as np

import autograd as torch
from autograd.data import make_moons

Scalar = torch.Tensor  # a 0-d tensor, micrograd's Value


class Neuron:
    """``relu(w·x + b)``, or just ``w·x + b`` for the output neuron: one weight per input, one bias."""

    def __init__(self, n_inputs: int, nonlinear: bool, rng: random.Random) -> None:
        self.w = [torch.tensor(rng.uniform(-1, 1), dtype=torch.float64, requires_grad=True) for _ in range(n_inputs)]
        self.b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
        self.nonlinear = nonlinear

    def __call__(self, x: list[Scalar]) -> Scalar:
        z = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return z.relu() if self.nonlinear else z

    def parameters(self) -> list[Scalar]:
        return self.w + [self.b]


class Layer:
    """``n_outputs`` neurons, each reading every input."""

    def __init__(self, n_inputs: int, n_outputs: int, nonlinear: bool, rng: random.Random) -> None:
        self.neurons = [Neuron(n_inputs, nonlinear, rng) for _ in range(n_outputs)]

    def __call__(self, x: list[Scalar]) -> list[Scalar]:
        return [neuron(x) for neuron in self.neurons]

    def parameters(self) -> list[Scalar]:
        return [p for neuron in self.neurons for p in neuron.parameters()]


class MLP:
    """Layers of sizes ``[n_inputs, *hidden, 1]``: ReLU on hidden layers, a linear output (the score)."""

    def __init__(self, sizes: list[int], rng: random.Random) -> None:
        last = len(sizes) - 2
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlinear=i < last, rng=rng) for i in range(last + 1)]

    def __call__(self, x: list[Scalar]) -> Scalar:
        for layer in self.layers:
            x = layer(x)
        return x[0]

    def parameters(self) -> list[Scalar]:
        return [p for layer in self.layers for p in layer.parameters()]


def loss_and_accuracy(model: MLP, inputs: list[list[Scalar]], labels: np.ndarray) -> tuple[Scalar, float]:
    """The SVM max-margin loss plus L2 regularisation over all points, and the share classified right."""
    scores = [model(x) for x in inputs]
    margins = [(1 - yi * si).relu() for yi, si in zip(labels.tolist(), scores)]
    data_loss = sum(margins) * (1.0 / len(margins))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    accuracy = np.mean([(yi > 0) == (si.item() > 0) for yi, si in zip(labels, scores)])
    return data_loss + reg_loss, float(accuracy)


def step(model: MLP, inputs: list[list[Scalar]], labels: np.ndarray, learning_rate: float) -> tuple[float, float]:
    """One step of gradient descent on the full batch: forward, backward, ``p -= lr * p.grad``."""
    loss, accuracy = loss_and_accuracy(model, inputs, labels)
    for p in model.parameters():
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= learning_rate * p.grad
    return loss.item(), accuracy


def train(model: MLP, inputs: list[list[Scalar]], labels: np.ndarray, steps: int) -> float:
    """``steps`` steps with the learning rate falling linearly from 1.0 towards 0.1; the final accuracy."""
    for k in range(steps):
        loss, accuracy = step(model, inputs, labels, learning_rate=1.0 - 0.9 * k / steps)
        if k % 10 == 0 or k == steps - 1:
            print(f"step {k:3d}  loss {loss:.4f}  accuracy {accuracy:.0%}")
    return loss_and_accuracy(model, inputs, labels)[1]


def plot_decision_boundary(model: MLP, points: np.ndarray, labels: np.ndarray, path: Path) -> None:
    """The model's sign over a grid, with the training points on top.

    The grid goes through the same neurons, but each input is a 1-D tensor of grid coordinates instead
    of a 0-d one: every 0-d weight broadcasts over it, so the whole grid is one forward pass.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    (x_min, y_min), (x_max, y_max) = points.min(0) - 1, points.max(0) + 1
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, 300), np.linspace(y_min, y_max, 300))
    with torch.no_grad():
        scores = model([torch.tensor(xx.ravel()), torch.tensor(yy.ravel())]).numpy().reshape(xx.shape)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(xx, yy, scores > 0, levels=[-0.5, 0.5, 1.5], colors=["#f4b6b6", "#b6cdf4"], alpha=0.8)
    ax.contour(xx, yy, scores, levels=[0], colors="k", linewidths=1)
    for label, color, fill in ((-1, "#c0392b", "#f4b6b6"), (1, "#2057b0", "#b6cdf4")):
        ax.scatter(*points[labels == label].T, c=color, s=25, edgecolors="k", label=f"points with y = {label:+d}")
        ax.fill([], [], color=fill, label=f"region predicted {label:+d}")
    ax.set(xlabel="x0", ylabel="x1", title="Scalar MLP on two moons: decision boundary (score = 0)")
    ax.legend(loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    def positive_int(text: str) -> int:
        if not text.isdigit() or int(text) < 1:
            raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
        return int(text)

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=positive_int, default=100, help="gradient-descent steps (default 100)")
    parser.add_argument("--out", type=Path, default=Path("runs/moons"), help="folder for the PNG")
    parser.add_argument("--seed", type=int, default=1337, help="seed for the data and the initial weights")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {args.out} exists and is not a folder")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    steps = min(args.steps, 3) if os.environ.get("CHAINRULE_QUICK") == "1" else args.steps
    moons = make_moons(n_samples=100, noise=0.1, random_state=args.seed)
    points, labels = moons.X.astype(np.float64), moons.y * 2 - 1  # labels 0/1 -> -1/+1 for the margin loss
    inputs = [[torch.tensor(v, dtype=torch.float64) for v in row] for row in points.tolist()]
    model = MLP([2, 16, 16, 1], random.Random(args.seed))
    print(f"{len(model.parameters())} parameters, each a 0-d tensor; {len(points)} points; {steps} steps")
    # Each step builds a graph of about 65,000 scalar nodes, which Python's cyclic garbage collector would
    # scan again and again. chainrule's graphs hold no reference cycles (reference counting alone frees
    # them), so the collector can pause while we train: 2-3x faster.
    gc.disable()
    try:
        accuracy = train(model, inputs, labels, steps)
    finally:
        gc.enable()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "moons_decision_boundary.png"
    plot_decision_boundary(model, points, labels, path)
    print(f"final train accuracy: {accuracy:.3f}")
    print(f"decision boundary: {path}")


if __name__ == "__main__":
    sys.exit(main())
