"""Observers of every op: the hook that anomaly mode, the profiler and graph tools plug into.

While no observer is active, nothing here runs: every ``apply`` does its plain
work and the engine takes its fast path. ``observing(obs)`` sets
``function.observer_hook`` for as long as any observer is active, so every
``apply`` goes through ``_observed_apply``, and the engine routes each node's
backward through ``observed_backward``. An observer has two
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

from autograd import function
from autograd.function import Function, Node

observers: list[Any] = []


@contextmanager
def observing(observer: Any) -> Iterator[Any]:
    """Call ``observer`` after every forward and every backward inside the ``with`` block."""
    if not observers:
        function.observer_hook = _observed_apply
    observers.append(observer)
    try:
        yield observer
    finally:
        observers.remove(observer)
        if not observers:
            function.observer_hook = None


def _observed_apply(cls: type[Function], args: tuple[Any, ...]) -> Any:
    start = time.perf_counter()
    result = cls.unobserved_apply(*args)
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
