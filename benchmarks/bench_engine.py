"""Engine benchmarks: ratios to hand-written NumPy and to PyTorch CPU, measured in the same run.

    python benchmarks/bench_engine.py            # all three, 7 runs each
    python benchmarks/bench_engine.py --runs 15

Each figure is the median of several runs; ratios divide medians taken
alternately in one process, so machine noise hits every contender alike.

1. MLP 784-256-256-10 training step at batch 128 (forward, softmax
   cross-entropy, backward, SGD update): chainrule, NumPy by hand, PyTorch.
2. Per-op overhead: a chain of 10,000 small elementwise ops, forward plus
   backward, in microseconds per op: chainrule and PyTorch.
3. A small MLP 2-16-16-1 step at batch 32 (MSE): chainrule and PyTorch.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

import autograd

torch.set_num_threads(2)
LR = 0.01


def median_time(step: Callable[[], object], runs: int, repeat: int) -> float:
    """Median over ``runs`` of the mean time of ``repeat`` calls, in seconds."""
    step()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            step()
        times.append((time.perf_counter() - start) / repeat)
    return statistics.median(times)


def mlp_weights(sizes: list[int], seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    arrays = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        bound = 1 / np.sqrt(fan_in)
        arrays += [rng.uniform(-bound, bound, (fan_out, fan_in)), rng.uniform(-bound, bound, fan_out)]
    return [a.astype(np.float32) for a in arrays]


# --- 1. the big MLP step ------------------------------------------------------
def numpy_mlp_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    """Forward, softmax cross-entropy, backward and SGD, by hand."""
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


def chainrule_mlp_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    import autograd.ops as F

    ps = [autograd.tensor(p, requires_grad=True) for p in params]
    xt, yt = autograd.tensor(x), autograd.tensor(y)
    w1, b1, w2, b2, w3, b3 = ps

    def step() -> float:
        h = F.linear(xt, w1, b1).relu()
        h = F.linear(h, w2, b2).relu()
        loss = F.cross_entropy(F.linear(h, w3, b3), yt)
        for p in ps:
            p.grad = None
        loss.backward()
        with autograd.no_grad():
            for p in ps:
                p -= LR * p.grad
        return loss.item()

    return step


def torch_mlp_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray, loss_fn: str) -> Callable[[], float]:
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    xt, yt = torch.tensor(x), torch.tensor(y)
    functional = torch.nn.functional

    def step() -> float:
        h = xt
        for i in range(0, len(ps) - 2, 2):
            h = functional.linear(h, ps[i], ps[i + 1]).relu()
        out = functional.linear(h, ps[-2], ps[-1])
        loss = functional.cross_entropy(out, yt) if loss_fn == "ce" else functional.mse_loss(out, yt)
        for p in ps:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in ps:
                p -= LR * p.grad
        return loss.item()

    return step


def bench_big_mlp(runs: int) -> dict[str, float]:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(128, 784)).astype(np.float32)
    y = rng.integers(0, 10, 128)
    sizes = [784, 256, 256, 10]
    steps = {
        "numpy": numpy_mlp_step(mlp_weights(sizes), x, y),
        "chainrule": chainrule_mlp_step(mlp_weights(sizes), x, y),
        "torch": torch_mlp_step(mlp_weights(sizes), x, y, "ce"),
    }
    return interleaved(steps, runs, repeat=20)


# --- 2. per-op overhead -------------------------------------------------------
def chain(module: object, n: int) -> Callable[[], None]:
    def step() -> None:
        x = module.ones(4, requires_grad=True)
        y = x
        for i in range(n):
            y = y * 1.0001 if i % 2 else y + 0.001
        y.sum().backward()

    return step


def bench_per_op(runs: int, n: int = 10_000) -> dict[str, float]:
    """Each contender in a fresh process, taken in turn.

    In one process the comparison is skewed by the garbage collector: importing
    torch leaves ~170,000 tracked objects, and the full collection that a long
    chain of Python objects triggers must walk them all (~0.1 s). PyTorch's
    graph nodes are C++ objects, so only engines written in Python pay it.
    """
    samples: dict[str, list[float]] = {"chainrule": [], "torch": []}
    for _ in range(runs):
        for name in samples:
            samples[name].append(_per_op_in_fresh_process(name, n))
    return {name: statistics.median(values) for name, values in samples.items()}


def _per_op_in_fresh_process(name: str, n: int) -> float:
    module = "autograd" if name == "chainrule" else "torch"
    code = f"""
import time
import {module} as m
def step():
    y = x = m.ones(4, requires_grad=True)
    for i in range({n}):
        y = y * 1.0001 if i % 2 else y + 0.001
    y.sum().backward()
step()
start = time.perf_counter()
step()
print(time.perf_counter() - start)
"""
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout) / n


def bench_per_op_same_process(runs: int, n: int = 10_000) -> dict[str, float]:
    steps = {"chainrule": chain(autograd, n), "torch": chain(torch, n)}
    return {k: v / n for k, v in interleaved(steps, runs, repeat=1).items()}


# --- 3. the small MLP step ----------------------------------------------------
def chainrule_small_step(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> Callable[[], float]:
    import autograd.ops as F

    ps = [autograd.tensor(p, requires_grad=True) for p in params]
    xt, yt = autograd.tensor(x), autograd.tensor(y)
    w1, b1, w2, b2, w3, b3 = ps

    def step() -> float:
        h = F.linear(xt, w1, b1).relu()
        h = F.linear(h, w2, b2).relu()
        loss = ((F.linear(h, w3, b3) - yt) ** 2).mean()
        for p in ps:
            p.grad = None
        loss.backward()
        with autograd.no_grad():
            for p in ps:
                p -= LR * p.grad
        return loss.item()

    return step


def bench_small_mlp(runs: int) -> dict[str, float]:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(32, 2)).astype(np.float32)
    y = rng.normal(size=(32, 1)).astype(np.float32)
    sizes = [2, 16, 16, 1]
    steps = {
        "chainrule": chainrule_small_step(mlp_weights(sizes), x, y),
        "torch": torch_mlp_step(mlp_weights(sizes), x, y, "mse"),
    }
    return interleaved(steps, runs, repeat=200)


def interleaved(steps: dict[str, Callable[[], object]], runs: int, repeat: int) -> dict[str, float]:
    """Median seconds per call for each contender, runs taken in turn."""
    samples: dict[str, list[float]] = {name: [] for name in steps}
    for step in steps.values():
        step()
    for _ in range(runs):
        for name, step in steps.items():
            samples[name].append(median_time(step, runs=1, repeat=repeat))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per contender (median)")
    runs = parser.parse_args().runs

    big = bench_big_mlp(runs)
    print("MLP 784-256-256-10, batch 128, one training step (median ms):")
    for name, t in big.items():
        print(f"  {name:10s} {t * 1e3:8.3f} ms   {t / big['numpy']:.3f}x numpy")
    print(f"  chainrule / torch = {big['chainrule'] / big['torch']:.3f}x")

    for title, measure in (
        ("each engine in a fresh process", bench_per_op),
        ("both in this process, torch imported", bench_per_op_same_process),
    ):
        per_op = measure(runs)
        print(f"Per-op overhead, 10,000-op elementwise chain, forward + backward, {title} (median us/op):")
        for name, t in per_op.items():
            print(f"  {name:10s} {t * 1e6:8.2f} us")
        print(f"  chainrule / torch = {per_op['chainrule'] / per_op['torch']:.3f}x")

    small = bench_small_mlp(runs)
    print("Small MLP 2-16-16-1, batch 32, one training step (median us):")
    for name, t in small.items():
        print(f"  {name:10s} {t * 1e6:8.1f} us")
    print(f"  chainrule / torch = {small['chainrule'] / small['torch']:.3f}x")


if __name__ == "__main__":
    main()
