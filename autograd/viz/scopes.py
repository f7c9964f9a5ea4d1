"""Which ``nn`` modules are running right now: the scope stack a recording reads at every op.

While a recording is active, ``nn.Module.__call__`` is wrapped (as ``autograd.instrument`` hooks
every ``apply``) so each module call pushes itself on ``stack`` and pops on return. Outside a
recording the plain ``__call__`` runs: modules pay nothing.

    >>> import autograd as torch
    >>> import nn
    >>> seen = []
    >>> class Probe(nn.Module):
    ...     def forward(self, x):
    ...         seen.append(current())
    ...         return x
    >>> model = nn.Sequential(Probe())
    >>> with module_scopes():
    ...     _ = model(torch.ones(1))
    >>> [type(m).__name__ for m in seen[0]]
    ['Sequential', 'Probe']
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar


class _State:
    """The stack of running modules, how many recordings want it, and the unwrapped ``__call__``."""

    stack: ClassVar[list[Any]] = []
    current: ClassVar[tuple[Any, ...]] = ()
    users: ClassVar[int] = 0
    plain_call: ClassVar[Any] = None


def current() -> tuple[Any, ...]:
    """The modules whose ``forward`` is running, outermost first (one shared tuple per change)."""
    return _State.current


@contextmanager
def module_scopes() -> Iterator[None]:
    """Track module calls inside the ``with`` block; nests, and undoes the wrapping when the last one ends."""
    module_cls = _module_class()
    if module_cls is not None and _State.users == 0:
        _State.plain_call = module_cls.__dict__["__call__"]
        module_cls.__call__ = _scoped_call
    _State.users += 1
    try:
        yield
    finally:
        _State.users -= 1
        if _State.users == 0 and _State.plain_call is not None:
            module_cls.__call__ = _State.plain_call
            _State.plain_call = None


def _module_class() -> Any:
    """``nn.Module`` when ``nn`` is importable (autograd itself does not depend on nn)."""
    if "nn.module" not in sys.modules:
        try:
            import nn.module  # noqa: F401
        except ImportError:
            return None
    return sys.modules["nn.module"].Module


def _scoped_call(self: Any, *args: Any, **kwargs: Any) -> Any:
    stack = _State.stack
    stack.append(self)
    _State.current = tuple(stack)
    try:
        return _State.plain_call(self, *args, **kwargs)
    finally:
        stack.pop()
        _State.current = tuple(stack)
