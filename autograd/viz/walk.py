"""Collect a graph: every node and leaf reachable from the roots, and every edge, in breadth-first order.

An iterative walk (no recursion, so a 100,000-op chain is fine). Edges point the way data flows:
from the producer (a node, or a leaf tensor) to the node that consumed it.

    >>> import autograd as torch
    >>> x = torch.tensor(2.0, requires_grad=True)
    >>> g = walk([x * x + 1])
    >>> [n.name() for n in g.nodes], len(g.leaves), len(g.edges)
    (['AddBackward', 'MulBackward'], 1, 3)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.tensor import Tensor


@dataclass(frozen=True)
class Edge:
    """Data flows from ``source`` (a node or a leaf tensor) output ``output_nr`` into input ``index`` of ``node``."""

    source: Any
    output_nr: int
    node: Any
    index: int
    shape: tuple[int, ...]
    dtype: np.dtype


@dataclass
class Graph:
    """The reachable part of a graph: ``order`` lists nodes and leaves by distance from the roots."""

    roots: list[Tensor]
    nodes: list[Any] = field(default_factory=list)
    leaves: list[Tensor] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    order: list[Any] = field(default_factory=list)

    def output_shapes(self) -> dict[tuple[Any, int], tuple[tuple[int, ...], np.dtype]]:
        """Shape and dtype of every node output that something consumes (or that is a root)."""
        shapes = {(e.source, e.output_nr): (e.shape, e.dtype) for e in self.edges if e.output_nr >= 0}
        for t in self.roots:
            if t.grad_fn is not None:
                shapes[(t.grad_fn, t._output_nr)] = (t.shape, t.dtype)
        return shapes


def as_roots(root: Tensor | Sequence[Tensor]) -> list[Tensor]:
    """One tensor or a sequence of them, checked."""
    roots = [root] if isinstance(root, Tensor) else list(root)
    for i, t in enumerate(roots):
        if not isinstance(t, Tensor):
            raise TypeError(f"draw_graph: root {i} must be a Tensor, got {type(t).__name__}")
    if not roots:
        raise ValueError("draw_graph: no root tensor given")
    return roots


def walk(roots: list[Tensor]) -> Graph:
    """Breadth-first from the roots' nodes through ``node._edges``."""
    graph = Graph(roots)
    seen: set[Any] = set()
    queue: deque[Any] = deque()
    for t in roots:
        start = t if t.grad_fn is None else t.grad_fn
        if start not in seen:
            seen.add(start)
            queue.append(start)
    while queue:
        item = queue.popleft()
        graph.order.append(item)
        if isinstance(item, Tensor):
            graph.leaves.append(item)
            continue
        graph.nodes.append(item)
        for i, e in enumerate(item._edges):
            if e is None:
                continue
            source, nr, shape, dtype = e
            graph.edges.append(Edge(source, nr, item, i, shape, dtype))
            if source not in seen:
                seen.add(source)
                queue.append(source)
    return graph
