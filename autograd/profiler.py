"""``profile()``: time and count every op, forward and backward separately, like PyTorch's autograd profiler.

Built on ``autograd.instrument``: inside the ``with`` block every ``Function.apply`` (named by the
op, ``Mul``) and every node's backward (``MulBackward``) is timed. ``table()`` lists them sorted by
total time, as ``prof.key_averages().table()`` does in PyTorch. "Self" time excludes ops run
inside another op (a convolution's backward runs two convolutions; a ``create_graph=True``
backward runs ops), so self times add up to the time spent in ops.

    >>> import autograd as torch
    >>> x = torch.ones(3, requires_grad=True)
    >>> with torch.profile() as prof:
    ...     (x * x * x).sum().backward()
    >>> [(s.name, s.calls) for s in sorted(prof.key_averages(), key=lambda s: s.name)]
    [('Mul', 2), ('MulBackward', 2), ('Sum', 1), ('SumBackward', 1)]
"""

from __future__ import annotations

import time
import weakref
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from autograd.instrument import observing

#: PyTorch's sort keys, accepted as aliases of ours.
_SORT_ALIASES = {"cpu_time_total": "total", "self_cpu_time_total": "self_time", "count": "calls", "cpu_time": "mean"}
_SORT_KEYS = ("total", "self_time", "calls", "mean")


@dataclass
class OpStats:
    """Totals for one op name in one pass (``"forward"`` or ``"backward"``); times in seconds."""

    name: str
    phase: str
    calls: int = 0
    total: float = 0.0
    self_time: float = 0.0

    @property
    def mean(self) -> float:
        return self.total / self.calls if self.calls else 0.0


class OpStatsList(list):
    """The list ``key_averages()`` returns; ``table()`` formats it."""

    def table(self, sort_by: str = "total", row_limit: int = 100) -> str:
        """One row per op, slowest first by ``sort_by`` (total, self_time, calls, mean, or PyTorch's names)."""
        key = _SORT_ALIASES.get(sort_by, sort_by)
        if key not in _SORT_KEYS:
            raise ValueError(f"table: unknown sort_by {sort_by!r}; use one of {list(_SORT_KEYS)}")
        rows = sorted(self, key=lambda s: getattr(s, key), reverse=True)[:row_limit]
        everything = sum(s.self_time for s in self) or 1.0
        cells = [["Name", "Pass", "Calls", "Total", "Mean", "Self", "Self %"]]
        for s in rows:
            share = f"{100 * s.self_time / everything:.1f}%"
            times = (format_seconds(t) for t in (s.total, s.mean, s.self_time))
            cells.append([s.name, s.phase, str(s.calls), *times, share])
        widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
        rule = "  ".join("-" * w for w in widths)
        lines = [_line(row, widths) for row in cells]
        total = format_seconds(sum(s.self_time for s in self))
        return "\n".join([rule, lines[0], rule, *lines[1:], rule, f"Self time total: {total}"])


class Profile:
    """Collects ``OpStats`` per op and time per graph node while active (use ``autograd.profile()``)."""

    def __init__(self) -> None:
        self._stats: dict[tuple[str, str], OpStats] = {}
        self._node_seconds: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        # Recent events; a parent encloses only a few, so old ones may fall off.
        self._open: deque[tuple[float, float]] = deque(maxlen=4096)
        self._exit: ExitStack | None = None

    def __enter__(self) -> Profile:
        self._exit = ExitStack()
        self._exit.enter_context(observing(self))
        return self

    def __exit__(self, *exc: Any) -> None:
        self._exit.close()

    def forward(self, fn_cls: type, args: tuple[Any, ...], outputs: tuple[Any, ...], seconds: float) -> None:
        self._add(fn_cls.__name__, "forward", seconds)
        node = next((o.grad_fn for o in outputs if o.grad_fn is not None), None)
        if node is not None:
            self._node_seconds[node] = self._node_seconds.get(node, 0.0) + seconds

    def backward(self, node: Any, grads: tuple[Any, ...], results: tuple[Any, ...], seconds: float) -> None:
        self._add(node.name(), "backward", seconds)
        self._node_seconds[node] = self._node_seconds.get(node, 0.0) + seconds

    def _add(self, name: str, phase: str, seconds: float) -> None:
        # Callbacks arrive as ops end, inner before outer: the open events that started after
        # this one did ran inside it.
        start = time.perf_counter() - seconds
        inner = 0.0
        while self._open and self._open[-1][0] >= start:
            inner += self._open.pop()[1]
        self._open.append((start, seconds))
        stats = self._stats.get((name, phase))
        if stats is None:
            stats = self._stats[(name, phase)] = OpStats(name, phase)
        stats.calls += 1
        stats.total += seconds
        stats.self_time += max(seconds - inner, 0.0)

    def key_averages(self) -> OpStatsList:
        """Per op name and pass: calls, total, mean and self time."""
        return OpStatsList(self._stats.values())

    def table(self, sort_by: str = "total", row_limit: int = 100) -> str:
        """The ``key_averages()`` table, slowest first: print it."""
        return self.key_averages().table(sort_by, row_limit)

    def node_seconds(self, node: Any) -> float | None:
        """Forward plus backward time of one graph node, if it ran while profiling."""
        return self._node_seconds.get(node)

    def __str__(self) -> str:
        return self.table()


def profile() -> Profile:
    """Time every op inside ``with autograd.profile() as prof:``; then ``print(prof.table())``."""
    return Profile()


def format_seconds(seconds: float) -> str:
    """PyTorch's profiler units: ``12.345us``, ``1.234ms``, ``2.500s``."""
    if seconds >= 1:
        return f"{seconds:.3f}s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3f}ms"
    return f"{seconds * 1e6:.3f}us"


def _line(cells: list[str], widths: list[int]) -> str:
    first = cells[0].ljust(widths[0])
    second = cells[1].ljust(widths[1])
    rest = [c.rjust(w) for c, w in zip(cells[2:], widths[2:])]
    return "  ".join([first, second, *rest])
