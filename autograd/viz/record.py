"""``record_graph()``: keep every intermediate's value and gradient, and the module each op ran in.

A graph node does not point at its output, and intermediate tensors are usually gone by the time
you draw. Inside ``with autograd.record_graph() as rec:`` an observer (``autograd.instrument``)
summarizes each op's outputs as it runs, notes the ``nn`` modules whose ``forward`` is running and
the call's non-tensor arguments; during a backward in the block it keeps the gradient that reached
each node, the gradient each node sent to each input and, for scalar nodes, the local derivative.
``draw_graph(..., recording=rec)`` then shows all of it. Outside a recording nothing is kept.

    >>> import autograd as torch
    >>> with torch.record_graph() as rec:
    ...     x = torch.tensor(3.0, requires_grad=True)
    ...     y = x * x
    ...     y.backward()
    >>> r = rec.get(y.grad_fn)
    >>> float(r.outputs[0].small), float(r.grads[0].small), float(r.products[0].small), float(r.locals[0].small)
    (9.0, 1.0, 3.0, 3.0)
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import numpy as np

from autograd.grad_mode import no_grad
from autograd.instrument import observing
from autograd.shapes import unbroadcast
from autograd.tensor import Tensor
from autograd.viz import attrs, scopes
from autograd.viz.summary import SMALL, Summary, as_array, summarize

_active: list[GraphRecording] = []


class NodeRecord:
    """What a recording saw of one node: forward facts, and gradients from the latest backward through it."""

    __slots__ = ("attrs", "constants", "grads", "locals", "out_refs", "outputs", "products", "scope")

    def __init__(self) -> None:
        self.scope: tuple[Any, ...] = ()
        self.attrs: list[str] = []
        self.constants: list[tuple[int, Tensor]] = []
        self.outputs: list[Summary] = []
        self.out_refs: list[Any] = []
        self.grads: list[Summary] | None = None
        self.products: list[Summary | None] = []
        self.locals: list[Summary | None] = []


class GraphRecording:
    """An observer of ops that keeps, per graph node, a ``NodeRecord``; use it as a context manager.

    ``max_elements``: outputs and gradients with at most this many elements keep their values
    (larger ones keep shape, norm and finiteness). Records live as long as their node does.
    """

    def __init__(self, max_elements: int = SMALL) -> None:
        self.max_elements = max_elements
        self.paused = False
        self._records: weakref.WeakKeyDictionary[Any, NodeRecord] = weakref.WeakKeyDictionary()
        self._exit: ExitStack | None = None

    def __enter__(self) -> GraphRecording:
        stack = ExitStack()
        stack.enter_context(observing(self))
        stack.enter_context(scopes.module_scopes())
        self._exit = stack
        _active.append(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        _active.remove(self)
        self._exit.close()

    def get(self, node: Any) -> NodeRecord | None:
        """The record of ``node`` (a ``Function``), or None if it was not seen."""
        return self._records.get(node)

    def saw_backward(self, nodes: Any) -> bool:
        """True if a backward in this recording ran through any of ``nodes``."""
        return any((r := self._records.get(n)) is not None and r.grads is not None for n in nodes)

    def forward(self, fn_cls: type, args: tuple[Any, ...], outputs: tuple[Tensor, ...], seconds: float) -> None:
        node = next((o.grad_fn for o in outputs if o.grad_fn is not None), None)
        if node is None or self.paused:
            return
        record = self._records.get(node) or NodeRecord()
        record.scope = scopes.current()
        record.attrs = attrs.from_args(fn_cls, args)
        record.constants = [(i, a) for i, a in enumerate(args) if isinstance(a, Tensor) and node._edges[i] is None]
        record.outputs = [summarize(o, self.max_elements) for o in outputs]
        record.out_refs = [weakref.ref(o) for o in outputs]
        self._records[node] = record

    def backward(self, node: Any, grads: tuple[Any, ...], results: tuple[Any, ...], seconds: float) -> None:
        if self.paused:
            return
        record = self._records.get(node)
        if record is None:
            record = self._records[node] = NodeRecord()
        record.grads = [summarize(g, self.max_elements) for g in grads]
        record.products = [self._product(node, i, e, r) for i, (e, r) in enumerate(zip(node._edges, results))]
        record.locals = _local_derivatives(node, grads, self.max_elements)

    def _product(self, node: Any, i: int, edge: Any, result: Any) -> Summary | None:
        """The gradient ``node`` sent to input ``i``, summed back to that input's shape."""
        if edge is None or result is None:
            return None
        g = as_array(result)
        if g.shape != edge[2]:
            try:
                g = unbroadcast(g, edge[2], node.name(), i)
            except RuntimeError:
                return None  # a wrongly shaped gradient: the engine reports it next
        return summarize(g, self.max_elements)


def _local_derivatives(node: Any, grads: tuple[Any, ...], max_elements: int) -> list[Summary | None]:
    """d(output)/d(input) of a node whose output and inputs are scalars: its backward run on an upstream of 1.

    Empty for any other node. This calls the node's backward a second time (its saved values are
    still there while observers run), without recording a graph.
    """
    edges = node._edges
    if len(grads) != 1 or as_array(grads[0]).size != 1 or any(e is not None and np.prod(e[2]) != 1 for e in edges):
        return []
    unit = np.ones_like(as_array(grads[0]))
    with no_grad():
        results = node._op.backward(node, unit)
    results = results if type(results) is tuple else (results,)
    return [None if e is None or r is None else summarize(as_array(r), max_elements) for e, r in zip(edges, results)]


@contextmanager
def paused() -> Iterator[None]:
    """Make every active recording ignore ops for a while (a drawing's own backward pass)."""
    was = [(r, r.paused) for r in _active]
    for r, _ in was:
        r.paused = True
    try:
        yield
    finally:
        for r, before in was:
            r.paused = before


def record_graph(max_elements: int = SMALL) -> GraphRecording:
    """A recording to use as ``with autograd.record_graph() as rec:``, then ``draw_graph(y, recording=rec)``."""
    return GraphRecording(max_elements)
