"""Observers of every op: the hook that anomaly mode, the profiler and graph tools plug into.

While no observer is active, nothing here runs: ``Function.apply`` is the plain
method and the engine takes its fast path. ``observing(obs)`` installs a wrapper
around ``Function.apply`` for as long as any observer is active, and the engine
routes each node's backward through ``observed_backward``. An observer has two
methods, each called after the work it observes:

- ``forward(fn_cls, args, outputs, seconds)``: ``outputs`` is a tuple of Tensors;
  the recorded node, if any, is ``outputs[0].grad_fn``.
- ``backward(node, grads, results, seconds)``: the gradients that reached ``node``
  and the ones its backward returned (one per input, ``None`` where there is none).
  An observer may raise to stop the backward pass.

    >>> import autograd as torch
    >>> from autograd.instrument import observing
    >>> class Count:
    ...     def __init__(self):
    ...         self.forward_calls, self.backward_calls = 0, 0
    ...     def forward(self, fn_cls, args, outputs, seconds):
    ...         self.forward_calls += 1
    ...     def backward(self, node, grads, results, seconds):
    ...         self.backward_calls += 1
    >>> x = torch.tensor(2.0, requires_grad=True)
    >>> with observing(Count()) as count:
    ...     (x * x + 1).backward()
    >>> count.forward_calls, count.backward_calls
    (2, 2)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from autograd.function import Function, Node

observers: list[Any] = []
_plain_apply = Function.__dict__["apply"]


@contextmanager
def observing(observer: Any) -> Iterator[Any]:
    """Call ``observer`` after every forward and every backward inside the ``with`` block."""
    if not observers:
        Function.apply = classmethod(_observed_apply)  # type: ignore[method-assign, assignment]
    observers.append(observer)
    try:
        yield observer
    finally:
        observers.remove(observer)
        if not observers:
            Function.apply = _plain_apply  # type: ignore[method-assign]


def _observed_apply(cls: type[Function], *args: Any) -> Any:
    start = time.perf_counter()
    result = _plain_apply.__func__(cls, *args)
    seconds = time.perf_counter() - start
    outputs = result if type(result) is tuple else (result,)
    for observer in list(observers):
        observer.forward(cls, args, outputs, seconds)
    return result


def observed_backward(node: Node, grads: list[Any]) -> Any:
    """Run ``node``'s backward on ``grads`` and show the result to every observer."""
    start = time.perf_counter()
    results = node._op.backward(node, *grads)
    seconds = time.perf_counter() - start
    shown = results if type(results) is tuple else (results,)
    for observer in list(observers):
        observer.backward(node, tuple(grads), shown, seconds)
    return results
