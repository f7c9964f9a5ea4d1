"""CNN benchmark: one training step of a small convolutional network, chainrule against PyTorch CPU.

    python benchmarks/bench_cnn.py              # 21 rounds, 2 threads
    python benchmarks/bench_cnn.py --rounds 41 --threads 1

The network (issue #4, item 9): Conv(1->8, 3x3, pad 1), ReLU, MaxPool 2, Conv(8->16, 3x3, pad 1),
ReLU, MaxPool 2, Linear(784->10), cross-entropy, on a batch of 64 1x28x28 images; one step is
forward, backward and an SGD update. Both libraries run the same code on the same weights, PyTorch
with as many threads as NumPy's BLAS (``--threads``, 2 by default: the machine's cores).

Each contender runs in its own worker process and they take short turns (``turns.py``); a ratio
is the median over rounds of the ratio within a round.

The step is measured twice: as each library runs out of the box, and with both processes started
with ``MALLOC_MMAP_THRESHOLD_=32MB MALLOC_TRIM_THRESHOLD_=64MB``. By default glibc hands the freed top
of its heap back to the kernel once it exceeds the trim threshold (twice the largest block freed so
far: about 7 MB here), and the next step page-faults the same memory back in, zeroed. A NumPy engine
allocates a fresh array for every intermediate, and a batch of 64 through im2col peaks at about 8 MB,
so with glibc's defaults chainrule took about 2,000 page faults per step (about 5 ms, more than its
arithmetic); PyTorch takes 400-800. ``import autograd`` therefore sets those two thresholds itself
(``autograd/memory.py``), so the first measurement is chainrule as installed against PyTorch as
installed; the second gives PyTorch the same allocator settings.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from turns import Worker, report, serve, take_turns

LR = 0.01
BATCH = 64
KEEP_FREED = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(64 << 20)}


def weights(seed: int = 0) -> dict[str, np.ndarray]:
    """PyTorch-style U(+-1/sqrt(fan_in)) weights for the network's layers, keyed as in its state_dict."""
    rng = np.random.default_rng(seed)
    shapes = {"0": ((8, 1, 3, 3), 9), "3": ((16, 8, 3, 3), 72), "7": ((10, 784), 784)}
    arrays = {}
    for layer, (shape, fan_in) in shapes.items():
        bound = 1 / np.sqrt(fan_in)
        arrays[f"{layer}.weight"] = rng.uniform(-bound, bound, shape).astype(np.float32)
        arrays[f"{layer}.bias"] = rng.uniform(-bound, bound, shape[0]).astype(np.float32)
    return arrays


def cnn_step(lib: Any) -> Callable[[], float]:
    """The training step on ``autograd`` (with ``nn``) or ``torch``, written once for both."""
    nn = lib.nn if lib.__name__ == "torch" else importlib.import_module("nn")
    if lib.__name__ == "torch":
        lib.set_num_threads(int(os.environ.get("OPENBLAS_NUM_THREADS", "2")))
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(784, 10),
    )
    model.load_state_dict({k: lib.tensor(v) for k, v in weights().items()})
    rng = np.random.default_rng(1)
    x = lib.tensor(rng.normal(size=(BATCH, 1, 28, 28)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 10, BATCH))
    params = list(model.parameters())
    loss_fn = nn.CrossEntropyLoss()

    def step() -> float:
        loss = loss_fn(model(x), y)
        for p in params:
            p.grad = None
        loss.backward()
        with lib.no_grad():
            for p in params:
                p -= LR * p.grad
        return loss.item()

    return step


def build_step(contender: str) -> Callable[[], float]:
    return cnn_step(importlib.import_module("autograd" if contender == "chainrule" else "torch"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="turns of each contender (median)")
    parser.add_argument("--threads", type=int, default=2, help="BLAS threads for NumPy, and torch's threads")
    parser.add_argument("--worker", metavar="CONTENDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve(build_step(args.worker))
        return
    threads = {"OPENBLAS_NUM_THREADS": str(args.threads)}
    settings = (("as installed", threads), ("both with the allocator thresholds fixed", {**threads, **KEEP_FREED}))
    for title, env in settings:
        workers = {c: Worker(__file__, [c], env) for c in ("chainrule", "torch")}
        samples = take_turns(workers, args.rounds)
        report(f"CNN training step, batch {BATCH}, {args.threads} threads, {title}:", samples, "ms", 1e3, "torch")


if __name__ == "__main__":
    main()
