"""Anomaly mode: find the op whose backward produced NaN or inf, and where that op ran in forward.

Inside ``with autograd.detect_anomaly():`` every op remembers the user-code stack that created it
(frames inside ``autograd/`` and ``nn/`` are left out), and every node's backward result is
checked. The first NaN or inf raises a ``RuntimeError`` naming the node and the input index, as
PyTorch does ("Function 'SqrtBackward' returned nan values in its 0th output."), followed by the
forward traceback of that op. Two differences from PyTorch: the traceback is in the error's
message instead of a separate warning, and inf counts as an anomaly too (not only NaN).

    >>> import warnings
    >>> import autograd as torch
    >>> x = torch.tensor(0.0, requires_grad=True)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     with torch.detect_anomaly():
    ...         y = x.sqrt() * 0
    ...         try:
    ...             y.backward()
    ...         except RuntimeError as error:
    ...             print(str(error).splitlines()[0])
    Function 'SqrtBackward' returned nan values in its 0th output.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
import warnings
import weakref
from contextlib import ExitStack
from typing import Any

import numpy as np

from autograd.instrument import observing

_PACKAGE_DIRS = tuple(
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), name) + os.sep
    for name in ("autograd", "nn")
)
_ENABLED_WARNING = (
    "Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging."
)


class _Anomaly:
    """The observer: forward stacks per node (weakly held), NaN/inf checks of backward results."""

    def __init__(self) -> None:
        self.check_nan = True
        self.stacks: weakref.WeakKeyDictionary[Any, traceback.StackSummary] = weakref.WeakKeyDictionary()

    def forward(self, fn_cls: type, args: tuple[Any, ...], outputs: tuple[Any, ...], seconds: float) -> None:
        node = next((o.grad_fn for o in outputs if o.grad_fn is not None), None)
        if node is not None and node not in self.stacks:
            frames = traceback.walk_stack(sys._getframe(1))
            stack = traceback.StackSummary.extract(frames, lookup_lines=False)
            stack.reverse()
            self.stacks[node] = traceback.StackSummary.from_list([f for f in stack if not _internal(f.filename)])

    def backward(self, node: Any, grads: tuple[Any, ...], results: tuple[Any, ...], seconds: float) -> None:
        if not self.check_nan:
            return
        for i, r in enumerate(results):
            if r is None:
                continue
            data = np.asarray(getattr(r, "_data", r))
            if data.dtype.kind not in "fc" or np.isfinite(data).all():
                continue
            kind = "nan" if np.isnan(data).any() else "inf"
            message = f"Function '{node.name()}' returned {kind} values in its {i}th output."
            stack = self.stacks.get(node)
            if stack:
                message += "\nTraceback of forward call that caused the error:\n" + "".join(stack.format()).rstrip()
            raise RuntimeError(message)


class _State:
    observer = _Anomaly()
    enabled = False
    exit: ExitStack | None = None


def _internal(filename: str) -> bool:
    return os.path.abspath(filename).startswith(_PACKAGE_DIRS)


def _set(mode: bool, check_nan: bool) -> None:
    _State.observer.check_nan = check_nan
    if mode and not _State.enabled:
        _State.exit = ExitStack()
        _State.exit.enter_context(observing(_State.observer))
    elif not mode and _State.enabled:
        _State.exit.close()
        _State.observer.stacks.clear()
    _State.enabled = mode


def is_anomaly_enabled() -> bool:
    """True while anomaly detection is on."""
    return _State.enabled


def is_anomaly_check_nan_enabled() -> bool:
    """True while anomaly detection also checks backward results for NaN and inf."""
    return _State.enabled and _State.observer.check_nan


class set_detect_anomaly:  # noqa: N801 - PyTorch's name
    """Turn anomaly detection on or off now; as a context manager, restore the previous state on exit.

    ``check_nan=False`` keeps the forward tracebacks but skips the NaN/inf checks.
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.previous = (_State.enabled, _State.observer.check_nan)
        _set(bool(mode), bool(check_nan))

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        _set(*self.previous)


class detect_anomaly:  # noqa: N801 - PyTorch's name
    """Context manager (or decorator) that turns anomaly detection on; warns that it slows things down."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self.previous = (False, True)
        warnings.warn(_ENABLED_WARNING, UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        self.previous = (_State.enabled, _State.observer.check_nan)
        _set(True, self.check_nan)

    def __exit__(self, *exc: Any) -> None:
        _set(*self.previous)

    def __call__(self, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return wrapped
