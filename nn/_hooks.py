"""Forward hooks of ``Module``: running them around ``forward`` and the handles that remove them.

A module keeps its hooks in dicts keyed by handle id (insertion order is call order), plus a dict of
the ids whose hook takes the keyword arguments too. ``Module.__call__`` comes here only when a hook
is registered, so a module without hooks pays nothing.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from typing import Any

_ids = itertools.count()


class RemovableHandle:
    """Returned by ``register_*_hook``: ``handle.remove()`` (or leaving a ``with`` block) unregisters the hook."""

    def __init__(self, *hook_dicts: dict[int, Any]) -> None:
        self.id = next(_ids)
        self.hook_dicts = hook_dicts

    def remove(self) -> None:
        for hooks in self.hook_dicts:
            hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def add_hook(
    hooks: dict[int, Any], hook: Callable[..., Any], prepend: bool, flags: dict[str, bool], *flag_dicts: dict[int, bool]
) -> RemovableHandle:
    """Register ``hook`` last (or first with ``prepend``); ``flags`` (name -> on) mark it in the matching
    ``flag_dicts`` (with_kwargs, always_call). Returns its handle."""
    handle = RemovableHandle(hooks, *flag_dicts)
    hooks[handle.id] = hook
    if prepend:
        for key in [k for k in hooks if k != handle.id]:
            hooks[key] = hooks.pop(key)
    for on, marks in zip(flags.values(), flag_dicts):
        if on:
            marks[handle.id] = True
    return handle


def _run_pre_hooks(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    for hook_id, hook in list(module._forward_pre_hooks.items()):
        if hook_id in module._forward_pre_hooks_with_kwargs:
            result = hook(module, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(
                        f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got {result}."
                    )
                args, kwargs = result
        else:
            result = hook(module, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
    return args, kwargs


def _call(module: Any, hook_id: int, hook: Any, args: tuple[Any, ...], kwargs: dict[str, Any], output: Any) -> Any:
    if hook_id in module._forward_hooks_with_kwargs:
        return hook(module, args, kwargs, output)
    return hook(module, args, output)


def call_with_hooks(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Pre-hooks (each may replace the inputs), forward, then forward hooks (each may replace the output).

    If forward raises, the hooks registered with ``always_call`` still run (with output None) before the
    error propagates; an error of theirs is turned into a warning, as in PyTorch.
    """
    args, kwargs = _run_pre_hooks(module, args, kwargs)
    try:
        output = module.forward(*args, **kwargs)
    except Exception:
        for hook_id, hook in list(module._forward_hooks.items()):
            if hook_id in module._forward_hooks_always_called:
                try:
                    _call(module, hook_id, hook, args, kwargs, None)
                except Exception as error:
                    warnings.warn(
                        "module forward hook with ``always_call=True`` raised an exception that was silenced as "
                        f"another error was raised in forward: {error}",
                        stacklevel=3,
                    )
        raise
    for hook_id, hook in list(module._forward_hooks.items()):
        result = _call(module, hook_id, hook, args, kwargs, output)
        if result is not None:
            output = result
    return output
