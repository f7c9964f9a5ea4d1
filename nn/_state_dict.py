"""``Module.state_dict`` and ``Module.load_state_dict``: PyTorch's keys, and loading that checks before it writes.

A load first checks every key, shape and dtype and collects every problem; only when there is
none (or ``strict=False`` leaves only missing or unexpected keys) does it copy, so a failed load
changes nothing. PyTorch copies the good entries before it raises.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.tensor import Tensor, bump_version
from nn.parameter import Parameter

if TYPE_CHECKING:
    from nn.module import Module


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys the model wanted but did not get, and those it did not know."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _entries(module: Module, prefix: str) -> Iterator[tuple[str, Module, str, Tensor, bool]]:
    """(key, owner, local name, tensor, is_parameter) for every parameter and persistent buffer, in torch's order."""
    for name, owner in module.named_modules(remove_duplicate=False):
        base = prefix + (f"{name}." if name else "")
        for local, param in owner._parameters.items():
            if param is not None:
                yield base + local, owner, local, param, True
        for local, buffer in owner._buffers.items():
            if buffer is not None and local not in owner._non_persistent_buffers_set:
                yield base + local, owner, local, buffer, False


def state_dict(module: Module, destination: Any, prefix: str, keep_vars: bool) -> dict[str, Tensor]:
    """Keys as PyTorch's (``"0.weight"``, ``"bn.running_mean"``); values share memory, detached unless keep_vars."""
    out: dict[str, Tensor] = OrderedDict() if destination is None else destination
    for key, _, _, tensor, _ in _entries(module, prefix):
        out[key] = tensor if keep_vars else tensor.detach()
    return out


def _as_array(value: Any) -> np.ndarray | None:
    """The checkpoint value as an array: our tensors, ndarrays, and torch tensors (anything with detach/numpy)."""
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return np.asarray(value.detach().cpu().numpy())
    return None


def _problem(key: str, value: np.ndarray | None, raw: Any, target: Tensor) -> str | None:
    if value is None:
        return f"While copying the parameter named {key!r}, expected a tensor or array, received {type(raw).__name__}"
    if value.shape != target.shape:
        return (
            f"size mismatch for {key}: copying a param with shape {tuple(value.shape)} from checkpoint, "
            f"the shape in current model is {tuple(target.shape)}."
        )
    if (value.dtype.kind == "f") != (target.dtype.kind == "f"):
        return (
            f"dtype mismatch for {key}: the checkpoint holds {value.dtype}, the model {target.dtype} "
            "(floating values load only into floating tensors)"
        )
    return None


def load_state_dict(module: Module, state_dict: Any, strict: bool, assign: bool) -> _IncompatibleKeys:
    """Check every entry, then copy (or with ``assign``, adopt) the values; raise one error listing all problems.

    Missing and unexpected keys are errors when ``strict``; a shape mismatch or a floating/non-floating
    dtype mismatch always is. Floating dtypes convert on copy, as in PyTorch.
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
    entries = {key: rest for key, *rest in _entries(module, "")}
    missing = [key for key in entries if key not in state_dict]
    unexpected = [key for key in state_dict if key not in entries]
    errors, values = [], {}
    for key, (_, _, target, _) in entries.items():
        if key in state_dict:
            value = _as_array(state_dict[key])
            problem = _problem(key, value, state_dict[key], target)
            if problem:
                errors.append(problem)
            else:
                values[key] = value
    if strict and unexpected:
        errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected)))
    if strict and missing:
        errors.insert(0, "Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing)))
    if errors:
        raise RuntimeError(f"Error(s) in loading state_dict for {type(module).__name__}:\n\t" + "\n\t".join(errors))
    for key, value in values.items():
        owner, local, target, is_param = entries[key]
        if assign:
            store = owner._parameters if is_param else owner._buffers
            store[local] = Parameter(value, target.requires_grad) if is_param else Tensor(value)
        else:
            np.copyto(target._data, value, casting="unsafe")
            bump_version(target)
    return _IncompatibleKeys(missing, unexpected)
