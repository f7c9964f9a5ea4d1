"""``Optimizer``: parameter groups, per-parameter state and state dicts, as in ``torch.optim.Optimizer``.

An optimizer holds ``param_groups`` (a list of dicts: ``"params"`` plus that group's hyperparameters,
defaulting to the constructor's) and ``state`` (a dict from each parameter to its buffers). ``step()``
reads every parameter's ``.grad`` and updates the parameter's array in place with NumPy: no graph is
recorded and parameters stay leaves.

    >>> import autograd as torch
    >>> from optim import SGD
    >>> w, b = torch.ones(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    >>> opt = SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
    >>> [group["lr"] for group in opt.param_groups]
    [0.1, 0.5]
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

import numpy as np

from autograd.grad_mode import enable_grad
from autograd.tensor import Tensor, bump_version

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]] | Iterable[tuple[str, Tensor]]


class Optimizer:
    """Base class of all optimizers: ``param_groups``, ``state[p]``, ``zero_grad``, ``step`` and state dicts.

    A subclass passes its hyperparameter defaults, checks them in ``_validate(group)`` and updates one
    group in ``_step_group(group)``. ``params`` is an iterable of tensors, of ``(name, tensor)`` pairs
    (``model.named_parameters()``) or of dicts each holding ``"params"`` and that group's options.

    The ``foreach``, ``fused`` and ``capturable`` options that PyTorch's optimizers take are accepted
    and kept in the groups (so state dicts keep PyTorch's layout) but change nothing here: there is one
    NumPy path. ``differentiable=True`` is not supported.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self._validate(defaults)
        if defaults.get("differentiable"):
            raise ValueError("differentiable=True is not supported: chainrule's optimizer steps run outside the graph")
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, "
                f"but got {_typename(params)}"
            )
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def _validate(self, group: dict[str, Any]) -> None:
        """Raise ValueError naming the value if a hyperparameter of ``group`` is out of range."""

    def _step_group(self, group: dict[str, Any]) -> None:
        raise NotImplementedError(f"{type(self).__name__} does not implement _step_group (or step)")

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines) + "\n)"

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own options; options it omits take the optimizer's defaults.

        Raises TypeError for a non-dict, a set of parameters or a non-tensor, and ValueError for a non-leaf
        tensor, an out-of-range option or a parameter already in another group; nothing changes then.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {_typename(param_group)}")
        if "params" not in param_group:
            raise ValueError(f"param_group must have a 'params' entry (got keys {sorted(param_group)})")
        params, names = _unpack_params(param_group["params"])
        group = {**param_group, "params": params}
        if names:
            group["param_names"] = names
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        self._validate(group)
        self._check_new_params(group)
        param_group.update(group)
        self.param_groups.append(param_group)

    def _check_new_params(self, group: dict[str, Any]) -> None:
        """Warn on a parameter repeated in ``group``; raise if one is in another group or names are mixed."""
        ids = {id(p) for p in group["params"]}
        if len(ids) != len(group["params"]):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this will cause "
                "an error; see github.com/pytorch/pytorch/issues/40967 for more information",
                stacklevel=3,
            )
        for other in self.param_groups:
            if ("param_names" in group) != ("param_names" in other):
                with_names = "with names" if "param_names" in group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {with_names} to the optimizer"
                )
            if not ids.isdisjoint(id(p) for p in other["params"]):
                raise ValueError("some parameters appear in more than one parameter group")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (the default), or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if set_to_none:
                    p._grad = None
                    continue
                if g.grad_fn is not None:
                    g.detach_()
                else:
                    g.requires_grad_(False)
                g._data.fill(0)
                bump_version(g)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; ``closure`` (re-evaluating the loss) runs first.

        Returns the closure's loss, or None. Parameters whose ``.grad`` is None are skipped.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._step_group(group)
        return loss

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: buffers}, "param_groups": [options + "params": [indices]]}``, PyTorch's layout.

        Parameters are numbered in group order. The state tensors are the live buffers, as in PyTorch:
        save the dict (or ``copy.deepcopy`` it) to keep a snapshot.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore options and state saved by ``state_dict`` (here or by ``torch.optim``).

        Buffers are copied and floating ones cast to their parameter's dtype. Group and parameter counts,
        buffer shapes and options are checked first: on a mismatch a ValueError names it and nothing changes.
        """
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= state_dict.keys():
            raise ValueError("an optimizer state dict is a dict with 'state' and 'param_groups' entries")
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        self._check_group_sizes(saved_groups)
        params = dict(zip(chain.from_iterable(g["params"] for g in saved_groups), self._all_params()))
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            state[params[key] if key in params else key] = _load_state(params.get(key), key, value)
        for group, saved in zip(self.param_groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            self._restore_group(saved)
            self._validate(saved)
        self.state = state
        self.param_groups = saved_groups

    def _check_group_sizes(self, saved_groups: list[dict[str, Any]]) -> None:
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has {len(saved_groups)} parameter groups, "
                f"but the optimizer has {len(self.param_groups)}"
            )
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    f"loaded state dict's parameter group {i} has {len(saved['params'])} parameters, "
                    f"but the optimizer's group {i} has {len(group['params'])}"
                )

    def _restore_group(self, group: dict[str, Any]) -> None:
        """Fill options a loaded group lacks (saved by an older version) with the defaults."""
        for name, default in self.defaults.items():
            group.setdefault(name, default)

    def _all_params(self) -> Iterable[Tensor]:
        return chain.from_iterable(g["params"] for g in self.param_groups)


def _unpack_params(params: Any) -> tuple[list[Tensor], list[str]]:
    """The group's tensors and, when given as ``(name, tensor)`` pairs, their names."""
    if isinstance(params, Tensor):
        params = [params]
    elif isinstance(params, set):
        raise TypeError(
            "optimizer parameters need to be organized in ordered collections, but the ordering of tensors "
            "in sets will change between runs. Please use a list instead."
        )
    items = list(params)
    names = [item[0] for item in items if isinstance(item, tuple)]
    tensors = [item[1] if isinstance(item, tuple) else item for item in items]
    if names and len(names) != len(tensors):
        raise ValueError("all optimizer params should be with/without names. Some param names are missing")
    for p in tensors:
        if not isinstance(p, Tensor):
            raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {_typename(p)}")
        if not (p.is_leaf or p._retains_grad):
            raise ValueError("can't optimize a non-leaf Tensor")
    return tensors, names


def _load_state(param: Tensor | None, index: Any, value: Any, key: str | None = None) -> Any:
    """A copy of one saved state entry: arrays become Tensors (floating ones in ``param``'s dtype)."""
    if isinstance(value, dict):
        return {k: _load_state(param, index, v, k) for k, v in value.items()}
    if not _is_array(value):
        return copy.deepcopy(value)
    array = np.array(value._data if isinstance(value, Tensor) else np.asarray(value), copy=True)
    if param is None or key == "step":
        return Tensor._from_array(array)
    if array.shape != param.shape:
        raise ValueError(
            f"loaded state dict's '{key}' for parameter {index} has shape {array.shape}, "
            f"but the parameter has shape {param.shape}"
        )
    if array.dtype.kind == "f" and param.dtype.kind == "f":
        array = array.astype(param.dtype, copy=False)
    return Tensor._from_array(array)


def _is_array(value: Any) -> bool:
    return isinstance(value, Tensor | np.ndarray) or (hasattr(value, "__array__") and hasattr(value, "shape"))


def _typename(obj: Any) -> str:
    cls = type(obj)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


__all__ = ["Optimizer", "ParamsT"]
