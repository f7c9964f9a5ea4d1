"""Contenders that take turns: each in its own Python process, timing short bursts on request.

This machine's speed drifts by 2x within seconds (other tenants share the host), so two contenders
timed one after the other can differ by more than either engine's real difference. Here every
contender lives in a worker process for the whole run, and the workers take short turns (about a
tenth of a second each, who goes first rotating): neighbouring turns see the same machine, so the
ratio of each round is fair, and the reported ratio is the median over rounds.

Separate processes matter twice. PyTorch's OpenMP threads and OpenBLAS's threads spin for a while
after their work, slowing whatever runs next in the same process; between turns the controller
pauses long enough for them to park. And importing torch leaves ~170,000 objects that Python's
garbage collector walks on every full collection: a cost only engines written in Python pay, and
only because torch was imported beside them.

The worker side is ``serve(step)``: a script called with ``--worker ARGS...`` builds its step and
hands it over.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Long enough for libgomp (PyTorch) and OpenBLAS worker threads to stop spinning.
PAUSE = 0.2


def serve(step: Callable[[], object], warmup: int = 3) -> None:
    """Worker side: warm up, then for each requested burst length (seconds, on stdin) print seconds per step."""
    for _ in range(warmup):
        step()
    print("ready", flush=True)
    for line in sys.stdin:
        budget = float(line)
        count = 0
        start = time.perf_counter()
        while True:
            step()
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= budget:
                break
        print(elapsed / count, flush=True)


class Worker:
    """One contender: ``script --worker *args`` in a new Python, with ``env`` added to the environment."""

    def __init__(self, script: str, args: list[str], env: dict[str, str] | None = None):
        path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        self.process = subprocess.Popen(
            [sys.executable, script, "--worker", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {}), "PYTHONPATH": path},
        )
        self._expect("ready")

    def seconds_per_step(self, budget: float) -> float:
        """Run steps for about ``budget`` seconds (at least one step); return the mean time of one."""
        self.process.stdin.write(f"{budget}\n")
        self.process.stdin.flush()
        return float(self._expect())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()

    def _expect(self, word: str | None = None) -> str:
        line = self.process.stdout.readline().strip()
        if not line or (word is not None and line != word):
            self.process.kill()
            raise RuntimeError(f"benchmark worker {self.process.args[2:]} stopped (said {line!r}); see its stderr")
        return line


def take_turns(workers: dict[str, Worker], rounds: int, budget: float = 0.1) -> dict[str, list[float]]:
    """``rounds`` turns of each worker (seconds per step), the first of each round rotating."""
    names = list(workers)
    samples: dict[str, list[float]] = {name: [] for name in names}
    try:
        for r in range(rounds):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                time.sleep(PAUSE)
                samples[name].append(workers[name].seconds_per_step(budget))
    finally:
        for worker in workers.values():
            worker.close()
    return samples


def report(title: str, samples: dict[str, list[float]], unit: str, scale: float, base: str) -> dict[str, float]:
    """Print each contender's median time and its ratio to ``base``: the median of the per-round ratios.

    Returns the ratios.
    """
    print(title)
    ratios = {}
    for name, times in samples.items():
        per_round = sorted(t / b for t, b in zip(times, samples[base]))
        ratio = ratios[name] = statistics.median(per_round)
        quartiles = statistics.quantiles(per_round, n=4) if len(per_round) > 1 else [ratio, ratio, ratio]
        spread = "" if name == base else f"  (middle half of rounds {quartiles[0]:.3f}-{quartiles[2]:.3f})"
        print(f"  {name:10s} {statistics.median(times) * scale:9.2f} {unit}   {ratio:.3f}x {base}{spread}")
    return ratios
