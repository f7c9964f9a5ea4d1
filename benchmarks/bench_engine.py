"""Engine benchmarks: ratios to hand-written NumPy and to PyTorch CPU, measured in the same run.

    python benchmarks/bench_engine.py              # 21 rounds
    python benchmarks/bench_engine.py --rounds 41

1. MLP 784-256-256-10 training step at batch 128 (forward, softmax
   cross-entropy, backward, SGD update): chainrule, NumPy by hand, PyTorch.
2. Per-op overhead: a chain of 10,000 small elementwise ops, forward plus
   backward, in microseconds per op: chainrule and PyTorch.
3. A small MLP 2-16-16-1 step at batch 32 (MSE): chainrule and PyTorch.
4. The per-op figure again with torch imported in both workers (see turns.py).

Each contender runs in its own worker process and they take short turns
(``turns.py``); a ratio is the median over rounds of the ratio within a round.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from turns import Worker, report, serve, take_turns

LR = 0.01
CHAIN = 10_000  # ops in the per-op chain


def mlp_weights(sizes: list[int], seed: int = 0) -> list[np.ndarray]:
    """PyTorch-layout (out, in) weights and biases, uniform in +-1/sqrt(fan_in), float32."""
    rng = np.random.default_rng(seed)
    arrays = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        bound = 1 / np.sqrt(fan_in)
        arrays += [rng.uniform(-bound, bound, (fan_out, fan_in)), rng.uniform(-bound, bound, fan_out)]
    return [a.astype(np.float32) for a in arrays]


def big_mlp_data() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(128, 784)).astype(np.float32)
    return mlp_weights([784, 256, 256, 10]), x, rng.integers(0, 10, 128)


def small_mlp_data() -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(32, 2)).astype(np.float32)
    return mlp_weights([2, 16, 16, 1]), x, rng.normal(size=(32, 1)).astype(np.float32)


# --- the contenders ----------------------------------------------------------
def numpy_mlp_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """Forward, softmax cross-entropy, backward and SGD, carefully by hand."""
    w1, b1, w2, b2, w3, b3 = params
    n = len(y)
    rows = np.arange(n)

    def step() -> float:
        z1 = x @ w1.T
        z1 += b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ w2.T
        z2 += b2
        a2 = np.maximum(z2, 0)
        logits = a2 @ w3.T
        logits += b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, y].mean()
        g = np.exp(log_probs)
        g[rows, y] -= 1
        g /= n
        gw3, gb3 = g.T @ a2, g.sum(0)
        g = (g @ w3) * (z2 > 0)
        gw2, gb2 = g.T @ a1, g.sum(0)
        g = (g @ w2) * (z1 > 0)
        gw1, gb1 = g.T @ x, g.sum(0)
        for p, gp in zip(params, (gw1, gb1, gw2, gb2, gw3, gb3)):
            p -= LR * gp
        return float(loss)

    return step


def engine_mlp_step(lib: Any, params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """The same step on an engine with PyTorch's API (``autograd`` or ``torch``), PyTorch-style."""
    if lib.__name__ == "torch":
        lib.set_num_threads(2)
        linear, cross_entropy = lib.nn.functional.linear, lib.nn.functional.cross_entropy
    else:
        linear, cross_entropy = lib.linear, lib.cross_entropy
    ps = [lib.tensor(p, requires_grad=True) for p in params]
    xt, yt = lib.tensor(x), lib.tensor(y)
    regression = y.dtype.kind == "f"

    def step() -> float:
        h = xt
        for i in range(0, len(ps) - 2, 2):
            h = linear(h, ps[i], ps[i + 1]).relu()
        out = linear(h, ps[-2], ps[-1])
        loss = ((out - yt) ** 2).mean() if regression else cross_entropy(out, yt)
        for p in ps:
            p.grad = None
        loss.backward()
        with lib.no_grad():
            for p in ps:
                p -= LR * p.grad
        return loss.item()

    return step


def chain_step(lib: Any, n: int) -> Callable[[], None]:
    """``n`` small elementwise ops, then backward."""

    def step() -> None:
        y = lib.ones(4, requires_grad=True)
        for i in range(n):
            y = y * 1.0001 if i % 2 else y + 0.001
        y.sum().backward()

    return step


# --- workers and the run ------------------------------------------------------
def build_step(bench: str, contender: str) -> tuple[Callable[[], object], int]:
    """One contender's step for one benchmark, and how many ops (or steps) one call of it is."""
    if contender == "numpy":
        return numpy_mlp_step(*big_mlp_data()), 1
    lib = importlib.import_module("autograd" if contender == "chainrule" else "torch")
    if bench == "big":
        return engine_mlp_step(lib, *big_mlp_data()), 1
    if bench == "small":
        return engine_mlp_step(lib, *small_mlp_data()), 1
    if bench == "chain-beside-torch":
        import torch  # noqa: F401  (only its presence matters: see turns.py)
    return chain_step(lib, CHAIN), CHAIN


def compare(bench: str, contenders: list[str], rounds: int, budget: float = 0.1) -> dict[str, list[float]]:
    """Seconds per step (per op for the chains) of each contender, one sample per round."""
    workers = {c: Worker(__file__, [bench, c]) for c in contenders}
    samples = take_turns(workers, rounds, budget)
    per = CHAIN if bench.startswith("chain") else 1
    return {c: [t / per for t in v] for c, v in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21, help="turns of each contender (median)")
    parser.add_argument("--worker", nargs=2, metavar=("BENCH", "CONTENDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve(build_step(*args.worker)[0])
        return
    big = compare("big", ["numpy", "chainrule", "torch"], args.rounds)
    ratios = report("MLP 784-256-256-10, batch 128, one training step:", big, "ms", 1e3, "numpy")
    print(f"  chainrule / torch = {ratios['chainrule'] / ratios['torch']:.3f}x")
    chain = compare("chain", ["chainrule", "torch"], args.rounds, budget=0.3)
    report("Per-op overhead, 10,000-op elementwise chain, forward + backward:", chain, "us/op", 1e6, "torch")
    small = compare("small", ["chainrule", "torch"], args.rounds)
    report("Small MLP 2-16-16-1, batch 32, one training step:", small, "us", 1e6, "torch")
    beside = compare("chain-beside-torch", ["chainrule", "torch"], args.rounds, budget=0.3)
    report("Per-op overhead again, torch imported in both processes:", beside, "us/op", 1e6, "torch")


if __name__ == "__main__":
    main()
