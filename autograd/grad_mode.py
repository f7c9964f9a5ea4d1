"""Grad mode: the one global switch of the engine.

When grad mode is off, ops compute on arrays and record no graph (the fast path).

    >>> import autograd as torch
    >>> x = torch.ones(2, requires_grad=True)
    >>> with torch.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    enabled = True


state = _State()


def is_grad_enabled() -> bool:
    """Return True when ops record a graph."""
    return state.enabled


class set_grad_enabled:
    """Switch grad mode on or off, as a context manager, a decorator or a call.

    >>> import autograd as torch
    >>> with torch.set_grad_enabled(False):
    ...     torch.is_grad_enabled()
    False
    """

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self.previous = state.enabled
        state.enabled = self.mode

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        state.enabled = self.previous

    def __call__(self, fn: F) -> F:
        mode = self.mode
        state.enabled = self.previous

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _GradModeContext:
    mode: bool

    def __enter__(self) -> None:
        self.previous = state.enabled
        state.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        state.enabled = self.previous

    def __call__(self, fn: F) -> F:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):
    """Turn grad mode off inside a ``with`` block or a decorated function.

    >>> import autograd as torch
    >>> @torch.no_grad()
    ... def evaluate(x):
    ...     return (x * 2).requires_grad
    >>> evaluate(torch.ones(1, requires_grad=True))
    False
    """

    mode = False


class enable_grad(_GradModeContext):
    """Turn grad mode back on, inside ``no_grad`` for example."""

    mode = True
