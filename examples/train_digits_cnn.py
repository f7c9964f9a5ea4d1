"""The demo: train a small CNN on scikit-learn's 8x8 handwritten digits with chainrule, PyTorch-style.

    python examples/train_digits_cnn.py                      # Adam, 20 epochs, writes to runs/digits
    python examples/train_digits_cnn.py --optimizer sgd --lr 0.05 --epochs 15

Each epoch shows a tqdm progress bar over the batches, then one line with the train and test loss
and accuracy. The 1,797 digits are split 80/20, stratified by class, with a fixed seed. ``--out``
receives ``loss_curve.png``, ``confusion_matrix.png``, ``graph.svg`` (the computation graph of one
forward pass and loss) and ``digits_cnn.safetensors`` (the model's state_dict). Set
``CHAINRULE_QUICK=1`` for a short smoke run (one epoch on a subset), as the tests do.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits
from tqdm import tqdm

import autograd as torch
import nn
import optim
from autograd.data import DataLoader, TensorDataset, load_digits
from autograd.viz import GraphvizNotFoundError

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the Agg backend: no display needed
from matplotlib.ticker import MaxNLocator

OPTIMIZERS = {
    "sgd": (optim.SGD, 0.05, {"momentum": 0.9}),
    "adam": (optim.Adam, 3e-3, {}),
    "adamw": (optim.AdamW, 3e-3, {}),
    "rmsprop": (optim.RMSprop, 2e-3, {}),
    "adagrad": (optim.Adagrad, 0.03, {}),
    "adadelta": (optim.Adadelta, 1.0, {}),
}
QUICK = os.environ.get("CHAINRULE_QUICK") == "1"


def positive(kind: type) -> Callable[[str], int | float]:
    """An argparse type: ``kind(text)`` that must be > 0."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train a CNN on the 8x8 digits dataset (chainrule demo).")
    parser.add_argument("--epochs", type=positive(int), default=20, help="passes over the training set (default 20)")
    parser.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam", help="default adam")
    parser.add_argument("--lr", type=positive(float), default=None, help="learning rate (default: per optimizer)")
    parser.add_argument("--batch-size", type=positive(int), default=32, help="default 32")
    parser.add_argument("--out", type=Path, default=Path("runs/digits"), help="output directory (default runs/digits)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the split, init and shuffling (default 0)")
    args = parser.parse_args(argv)
    if args.lr is None:
        args.lr = OPTIMIZERS[args.optimizer][1]
    return args


def make_model() -> nn.Module:
    """Two conv blocks (8x8 -> 4x4 -> 2x2) and a linear classifier over the 10 digits."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 2 * 2, 10),
    )


def load_split(seed: int) -> tuple[TensorDataset, TensorDataset]:
    """Digits scaled to [0, 1] as (n, 1, 8, 8), split 80/20 stratified by class."""
    digits = load_digits()
    images, labels = digits.images[:, None] / np.float32(16), digits.y
    if QUICK:
        images, _, labels, _ = train_test_split(images, labels, train_size=400, stratify=labels, random_state=seed)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.2, stratify=labels, random_state=seed
    )
    return (
        TensorDataset(torch.tensor(x_train), torch.tensor(y_train)),
        TensorDataset(torch.tensor(x_test), torch.tensor(y_test)),
    )


def train_epoch(
    model: nn.Module, loader: DataLoader, loss_fn: nn.Module, optimizer: optim.Optimizer, desc: str
) -> None:
    model.train()
    for x, y in tqdm(loader, desc=desc, unit="batch", leave=False):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model: nn.Module, dataset: TensorDataset, loss_fn: nn.Module) -> tuple[float, float, np.ndarray]:
    """(mean loss, accuracy, predicted labels) over the whole dataset in one batch."""
    model.eval()
    x, y = dataset.tensors
    logits = model(x)
    predicted = logits.argmax(dim=1)
    return loss_fn(logits, y).item(), (predicted == y).float().mean().item(), predicted.numpy()


def plot_losses(history: dict[str, list[float]], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 4))
    epochs = range(1, len(history["train"]) + 1)
    ax.plot(epochs, history["train"], marker="o", label="train")
    ax.plot(epochs, history["test"], marker="o", label="test")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", title="Digits CNN: loss per epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_confusion(labels: np.ndarray, predicted: np.ndarray, path: Path) -> None:
    matrix = confusion_matrix(labels, predicted, labels=range(10))
    fig, ax = plt.subplots(figsize=(6, 5.5))
    image = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(image, ax=ax, label="count")
    for (row, col), count in np.ndenumerate(matrix):
        color = "white" if count > matrix.max() / 2 else "black"
        ax.text(col, row, str(count), ha="center", va="center", color=color, fontsize=8)
    accuracy = np.trace(matrix) / matrix.sum()
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit")
    ax.set_title(f"Digits CNN: test confusion matrix (accuracy {accuracy:.1%})")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def render_graph(model: nn.Module, dataset: TensorDataset, loss_fn: nn.Module, path: Path) -> Path:
    """The computation graph of one forward pass and loss on two test images, rendered to SVG.

    Without Graphviz's ``dot`` program it writes the DOT text instead and says how to install Graphviz.
    """
    model.eval()
    x, y = dataset[:2]
    loss = loss_fn(model(x), y)
    graph = torch.draw_graph(loss, params=dict(model.named_parameters()))
    try:
        return Path(graph.render(str(path.with_suffix("")), format="svg", cleanup=True))
    except GraphvizNotFoundError as error:
        dot_path = path.with_suffix(".dot")
        dot_path.write_text(graph.source)
        print(f"no SVG of the graph: {error}", file=sys.stderr)
        return dot_path


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # Tiny matmuls: BLAS threads cost more than they save, and on a busy machine they spin-wait for a core.
    threadpool_limits(limits=1, user_api="blas")
    epochs = 1 if QUICK else args.epochs
    torch.manual_seed(args.seed)
    train_set, test_set = load_split(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, generator=generator)
    model, loss_fn = make_model(), nn.CrossEntropyLoss()
    optimizer_class, _, extra = OPTIMIZERS[args.optimizer]
    optimizer = optimizer_class(model.parameters(), lr=args.lr, **extra)
    print(f"digits: {len(train_set)} train, {len(test_set)} test", end="; ")
    print(f"{args.optimizer} lr={args.lr:g}, batch size {args.batch_size}, {epochs} epochs")
    history: dict[str, list[float]] = {"train": [], "test": []}
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        train_epoch(model, loader, loss_fn, optimizer, desc=f"epoch {epoch}/{epochs}")
        train_loss, train_acc, _ = evaluate(model, train_set, loss_fn)
        test_loss, test_acc, predicted = evaluate(model, test_set, loss_fn)
        history["train"].append(train_loss)
        history["test"].append(test_loss)
        print(
            f"epoch {epoch:2d}/{epochs}  train loss {train_loss:.4f}  train acc {train_acc:.2%}  "
            f"test loss {test_loss:.4f}  test acc {test_acc:.2%}",
            flush=True,
        )
    print(f"test accuracy {test_acc:.2%} after {epochs} epochs in {time.perf_counter() - start:.1f} s")
    write_outputs(args.out, model, history, test_set, predicted, loss_fn)


def write_outputs(
    out: Path,
    model: nn.Module,
    history: dict[str, list[float]],
    test_set: TensorDataset,
    predicted: np.ndarray,
    loss_fn: nn.Module,
) -> None:
    """The loss curve and confusion matrix (PNG), the graph of one forward pass (SVG) and the checkpoint."""
    out.mkdir(parents=True, exist_ok=True)
    plot_losses(history, out / "loss_curve.png")
    plot_confusion(test_set.tensors[1].numpy(), predicted, out / "confusion_matrix.png")
    graph = render_graph(model, test_set, loss_fn, out / "graph.svg")
    torch.save(model.state_dict(), out / "digits_cnn.safetensors")
    for path in (out / "loss_curve.png", out / "confusion_matrix.png", graph, out / "digits_cnn.safetensors"):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
