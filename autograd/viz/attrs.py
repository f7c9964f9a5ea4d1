"""An op's key attributes as short text: ``dim=(1,)``, ``stride=(2, 2)``, ``padding=(1, 1)``, ``b=3``.

Two sources: the attributes an op's forward left on ``ctx`` (always there), and, inside a
recording, the non-tensor arguments of the call, named after the forward's parameters.

    >>> import autograd as torch
    >>> x = torch.ones(2, 3, requires_grad=True)
    >>> from_ctx(x.softmax(1).grad_fn)
    ['dim=(1,)']
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from autograd.tensor import Tensor
from autograd.viz.summary import format_shape

#: ctx attributes worth showing, and the name a PyTorch user knows them by.
CTX_NAMES = {
    "win": "win",
    "axes": "dim",
    "axis": "dim",
    "groups": "groups",
    "eps": "eps",
    "slope": "negative_slope",
    "alpha": "alpha",
    "beta": "beta",
    "p": "p",
    "reduction": "reduction",
}
_MAX_CHARS = 32
_names_cache: dict[type, tuple[list[str], str]] = {}


def from_ctx(node: Any) -> list[str]:
    """The key attributes an op's forward stored on its node."""
    found = getattr(node, "__dict__", {})
    shown = []
    for attr, name in CTX_NAMES.items():
        if attr in found:
            shown.extend(format_attr(name, found[attr]))
    return shown


def from_args(fn_cls: type, args: tuple[Any, ...]) -> list[str]:
    """The non-tensor arguments of one call of ``fn_cls.apply``, by the forward's parameter names."""
    names, rest = _arg_names(fn_cls)
    shown = []
    for i, value in enumerate(args):
        if isinstance(value, Tensor) or value is None:
            continue
        name = names[i] if i < len(names) else f"{rest}[{i - len(names)}]"
        shown.extend(format_attr(CTX_NAMES.get(name, name), value))
    return shown


def format_attr(name: str, value: Any) -> list[str]:
    """``name=value`` lines for one attribute; a window of a convolution or pooling gives four."""
    if value is None or value is False or (name == "groups" and value == 1):
        return []
    if hasattr(value, "kernel") and hasattr(value, "stride") and hasattr(value, "pad"):
        top, bottom, left, right = value.pad
        padding = (top, left) if (top, left) == (bottom, right) else value.pad
        return [f"kernel={value.kernel}", f"stride={value.stride}", f"padding={padding}", f"dilation={value.dilation}"]
    return [f"{name}={_short(value)}"]


def _short(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, np.number)) and np.ndim(value) == 0:
        return str(value) if isinstance(value, (int, np.integer)) else f"{float(value):g}"
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return _short(value.item())
        return f"array{format_shape(value.shape)}"
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, type):
        return value.__name__
    text = repr(value)
    return text if len(text) <= _MAX_CHARS else text[: _MAX_CHARS - 3] + "..."


def _arg_names(fn_cls: type) -> tuple[list[str], str]:
    """The forward's positional parameter names after ``ctx``, and the name of its ``*args`` (or "arg")."""
    cached = _names_cache.get(fn_cls)
    if cached is None:
        params = list(inspect.signature(fn_cls.forward).parameters.values())[1:]
        names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        rest = next((p.name for p in params if p.kind is p.VAR_POSITIONAL), "arg")
        cached = _names_cache[fn_cls] = (names, rest)
    return cached
