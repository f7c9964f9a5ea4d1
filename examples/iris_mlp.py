"""The complete tabular project on Iris, PyTorch-style: explore, split, scale, train with early stopping, evaluate.

    python examples/iris_mlp.py --epochs 300 --lr 0.01 --out runs/iris --seed 0

1. EDA: shape, missing values, class balance, per-feature mean/std/min/max.
2. A stratified train/validation/test split (60/20/20): each split keeps the class proportions.
3. Standard scaling fitted on the training split only (no information leaks from validation or test).
4. An MLP (4 -> 16 -> 16 -> 3, ReLU) trained with a DataLoader, Adam and cross-entropy.
5. Validation every epoch; early stopping after ``--patience`` epochs without a better validation loss,
   restoring the best state_dict.
6. Test metrics from ``sklearn.metrics``: accuracy, macro precision/recall/F1, confusion matrix.
7. Loss curves (train and validation) saved as a PNG in ``--out``.

``CHAINRULE_QUICK=1`` runs a few epochs only (for the tests).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn import metrics
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import autograd as torch
import nn
import optim
from autograd.data import DataBundle, DataLoader, TensorDataset, load_iris

Splits = dict[str, tuple[np.ndarray, np.ndarray]]  # "train", "val", "test" -> (features, labels)


def summarize(data: DataBundle) -> None:
    """Print the exploratory summary: what a first look at the table shows."""
    X, y = data.X, data.y
    print(f"data: {X.shape[0]} samples x {X.shape[1]} features, missing values: {int(np.isnan(X).sum())}")
    counts = np.bincount(y, minlength=len(data.target_names))
    print("class balance: " + ", ".join(f"{n} {c} ({c / len(y):.0%})" for n, c in zip(data.target_names, counts)))
    print(f"{'feature':<20}{'mean':>8}{'std':>8}{'min':>8}{'max':>8}")
    for name, column in zip(data.feature_names, X.T):
        print(f"{name:<20}{column.mean():8.2f}{column.std():8.2f}{column.min():8.2f}{column.max():8.2f}")


def split_and_scale(data: DataBundle, seed: int) -> Splits:
    """Stratified 60/20/20 train/validation/test split; scaling fitted on the training features only."""
    x_rest, x_test, y_rest, y_test = train_test_split(data.X, data.y, test_size=0.2, stratify=data.y, random_state=seed)
    x_train, x_val, y_train, y_val = train_test_split(  # 25% of the other 80% is 20% of the whole
        x_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=seed
    )
    scaler = StandardScaler().fit(x_train)
    scaled = (scaler.transform(x).astype(np.float32) for x in (x_train, x_val, x_test))
    return dict(zip(("train", "val", "test"), zip(scaled, (y_train, y_val, y_test))))


@dataclass
class History:
    """Per-epoch losses and the epoch whose weights were kept."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    best_epoch: int = 0


def train_one_epoch(model: nn.Module, loader: DataLoader, loss_fn: nn.Module, optimizer: optim.Optimizer) -> float:
    """One pass over the training batches; the mean loss per sample."""
    model.train()
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
    return total / len(loader.dataset)


@torch.no_grad()
def evaluate(model: nn.Module, x: np.ndarray, y: np.ndarray, loss_fn: nn.Module) -> tuple[float, np.ndarray]:
    """The loss on (x, y) and the predicted classes."""
    model.eval()
    logits = model(torch.tensor(x))
    return loss_fn(logits, torch.tensor(y)).item(), logits.argmax(dim=1).numpy()


def fit(model: nn.Module, splits: Splits, args: argparse.Namespace, epochs: int) -> History:
    """Train with validation each epoch; stop after ``args.patience`` epochs without improvement; restore the best."""
    train_set = TensorDataset(*(torch.tensor(a) for a in splits["train"]))
    loader = DataLoader(train_set, batch_size=16, shuffle=True)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    history, best_loss, best_state = History(), math.inf, {k: v.clone() for k, v in model.state_dict().items()}
    for epoch in range(1, epochs + 1):
        history.train_loss.append(train_one_epoch(model, loader, loss_fn, optimizer))
        if not math.isfinite(history.train_loss[-1]):
            raise SystemExit(f"error: training diverged at epoch {epoch} (loss {history.train_loss[-1]}); lower --lr")
        val_loss, val_pred = evaluate(model, *splits["val"], loss_fn)
        history.val_loss.append(val_loss)
        if val_loss < best_loss - 1e-4:
            best_loss, history.best_epoch = val_loss, epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        if epoch == 1 or epoch % 25 == 0:
            accuracy = np.mean(val_pred == splits["val"][1])
            print(
                f"epoch {epoch:3d}  train loss {history.train_loss[-1]:.4f}  val loss {val_loss:.4f}  "
                f"val accuracy {accuracy:.3f}"
            )
        if epoch - history.best_epoch >= args.patience:
            print(f"early stopping at epoch {epoch}: no better validation loss for {args.patience} epochs")
            break
    model.load_state_dict(best_state)
    print(f"restored the best model: epoch {history.best_epoch}, validation loss {best_loss:.4f}")
    return history


def report(y_true: np.ndarray, y_pred: np.ndarray, names: tuple[str, ...]) -> None:
    """Test metrics from sklearn.metrics, one per line so scripts can read them."""
    precision, recall, f1, _ = metrics.precision_recall_fscore_support(y_true, y_pred, average="macro", zero_division=0)
    print(f"test accuracy: {metrics.accuracy_score(y_true, y_pred):.4f}")
    print(f"test precision (macro): {precision:.4f}")
    print(f"test recall (macro): {recall:.4f}")
    print(f"test f1 (macro): {f1:.4f}")
    print("confusion matrix (rows: true class, columns: predicted class):")
    matrix = metrics.confusion_matrix(y_true, y_pred, labels=range(len(names)))
    print(f"{'':<12}" + "".join(f"{n:>12}" for n in names))
    for name, row in zip(names, matrix):
        print(f"{name:<12}" + "".join(f"{v:>12d}" for v in row))
    print(metrics.classification_report(y_true, y_pred, labels=range(len(names)), target_names=names, zero_division=0))


def plot_losses(history: History, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = range(1, len(history.train_loss) + 1)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(epochs, history.train_loss, label="train loss")
    ax.plot(epochs, history.val_loss, label="validation loss")
    ax.axvline(history.best_epoch, color="gray", linestyle="--", label=f"best epoch ({history.best_epoch}, restored)")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", title="Iris MLP: training and validation loss")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _positive(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(
                f"must be a positive {'integer' if kind is int else 'number'}, got {text!r}"
            )
        return value

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=_positive(int), default=300, help="maximum epochs (default 300)")
    parser.add_argument("--lr", type=_positive(float), default=0.01, help="Adam learning rate (default 0.01)")
    parser.add_argument("--patience", type=_positive(int), default=30, help="early-stopping patience in epochs")
    parser.add_argument("--out", type=Path, default=Path("runs/iris"), help="folder for the loss-curve PNG")
    parser.add_argument("--seed", type=int, default=0, help="seed for the split, the weights and the shuffling")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {args.out} exists and is not a folder")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    epochs = min(args.epochs, 20) if os.environ.get("CHAINRULE_QUICK") == "1" else args.epochs
    torch.manual_seed(args.seed)
    data = load_iris()
    summarize(data)
    splits = split_and_scale(data, args.seed)
    print("split sizes: " + ", ".join(f"{name} {len(y)}" for name, (_, y) in splits.items()))
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3))
    history = fit(model, splits, args, epochs)
    _, predictions = evaluate(model, *splits["test"], nn.CrossEntropyLoss())
    report(splits["test"][1], predictions, data.target_names)
    args.out.mkdir(parents=True, exist_ok=True)
    plot_losses(history, args.out / "iris_loss_curves.png")
    print(f"loss curves: {args.out / 'iris_loss_curves.png'}")


if __name__ == "__main__":
    sys.exit(main())
