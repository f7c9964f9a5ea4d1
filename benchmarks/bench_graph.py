"""Graph-drawing benchmark: building the DOT text of a 5,000-node graph (issue #3 targets under 2 s).

    python benchmarks/bench_graph.py             # 5 runs, median
    python benchmarks/bench_graph.py --nodes 20000 --runs 3

The graph is a stack of small MLP-like blocks (a matmul with a parameter, an add with a parameter,
a tanh, every third block a residual add), so it has parameters, fan-in and fan-out rather than one
straight chain. Each parameter is named through ``params``, and backward has run, so every label
carries a name, shape, dtype and gradient. Measured: ``draw_graph(..., max_nodes=None).source``
(walking, labels, clusters and DOT text; rendering with ``dot`` is not included). Also shown: the
default capped drawing of the same graph, and the same graph built inside ``record_graph``.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import autograd as torch


def build(n_nodes: int, recording: bool) -> tuple[torch.Tensor, dict[str, torch.Tensor], object]:
    """A graph of about ``n_nodes`` drawn nodes (ops plus parameters), its params and its recording."""
    torch.manual_seed(0)
    params: dict[str, torch.Tensor] = {}
    rec = torch.record_graph() if recording else None
    if rec is not None:
        rec.__enter__()
    h = torch.randn(4, 8)
    block = 0
    while True:
        w = params[f"block{block}.weight"] = torch.randn(8, 8, requires_grad=True)
        b = params[f"block{block}.bias"] = torch.zeros(8, requires_grad=True)
        out = ((h @ w) + b).tanh()
        h = out + h if block % 3 == 2 else out
        block += 1
        if block * 5 + block // 3 >= n_nodes - 2:
            break
    loss = h.sum()
    loss.backward()
    if rec is not None:
        rec.__exit__(None, None, None)
    return loss, params, rec


def time_it(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    loss, params, _ = build(args.nodes, recording=False)
    source = torch.draw_graph(loss, params=params, max_nodes=None).source
    drawn = len(re.findall(r"^\t+\w+ \[label=", source, re.M)) - 1  # minus the legend
    full = time_it(lambda: torch.draw_graph(loss, params=params, max_nodes=None).source, args.runs)
    capped = time_it(lambda: torch.draw_graph(loss, params=params).source, args.runs)
    rec_loss, _, rec = build(args.nodes, recording=True)
    recorded = time_it(lambda: torch.draw_graph(rec_loss, recording=rec, max_nodes=None).source, args.runs)
    print(f"graph: {drawn:,} nodes, DOT text {len(source) / 1e6:.1f} MB")
    print(f"draw_graph(max_nodes=None).source        {full:.3f} s   (target < 2 s)")
    print(f"draw_graph() default cap (300 nodes)      {capped:.3f} s")
    print(f"draw_graph(recording=rec, max_nodes=None) {recorded:.3f} s")


if __name__ == "__main__":
    main()
