"""Module paths: which ``nn`` module each op ran in, named the way ``named_parameters`` names things.

A recording gives each op the stack of modules whose ``forward`` was running. A module's path is
its parent's path plus its attribute name in the parent (``layers.0``); the outermost module
called is the model itself (empty path) when its parameters carry the names in ``params``, or
when ``params`` is not given and it has parameters; any other outermost module (a loss, say) is
named by its class. Without a recording, an op belongs to the module whose parameters it takes.

    >>> import nn
    >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    >>> paths = ModulePaths(dict(model.named_parameters()))
    >>> paths.path_of((model, model[1])), paths.class_of("1")
    ('1', 'ReLU')
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from autograd.tensor import Tensor


class ModulePaths:
    """Names modules and parameters; ``params`` maps names to tensors as ``dict(model.named_parameters())``."""

    def __init__(self, params: Mapping[str, Tensor] | None) -> None:
        self.params = params
        self.name_of_param: dict[Tensor, str] = {t: n for n, t in (params or {}).items()}
        self._paths: dict[Any, str] = {}
        self._classes: dict[str, str] = {}
        self._modules: dict[str, Any] = {}
        self._taken: set[str] = set()
        self._anonymous_taken = False

    def path_of(self, stack: tuple[Any, ...]) -> str:
        """The dotted path of the innermost module of a scope stack (outermost first)."""
        path = self._paths.get(stack[0])
        if path is None:
            path = self._name_top(stack[0])
        for parent, child in itertools.pairwise(stack):
            known = self._paths.get(child)
            if known is None:
                known = self._remember(child, _join(path, _child_name(parent, child)))
            path = known
        return path

    def class_of(self, path: str) -> str | None:
        """The class name of the module at ``path``, if a recording saw it."""
        return self._classes.get(path)

    def module_at(self, path: str) -> Any:
        return self._modules.get(path)

    def name_params(self, stacks: Iterable[tuple[Any, ...]]) -> None:
        """Name the parameters of every outermost module seen (``0.weight``), unless ``params`` named them."""
        for top in {s[0] for s in stacks if s}:
            prefix = self.path_of((top,))
            for name, p in top.named_parameters():
                self.name_of_param.setdefault(p, _join(prefix, name))

    def _name_top(self, module: Any) -> str:
        prefix = self._prefix_from_params(module)
        if prefix is None and not self._anonymous_taken and _has_parameters(module) and self.params is None:
            prefix = ""
        if prefix == "":
            self._anonymous_taken = True
        if prefix is None:
            prefix, n = type(module).__name__, 2
            while prefix in self._taken:
                prefix, n = f"{type(module).__name__}#{n}", n + 1
        return self._remember(module, prefix)

    def _prefix_from_params(self, module: Any) -> str | None:
        """The path ``params`` gives ``module``: ``encoder`` when its ``0.weight`` is named ``encoder.0.weight``."""
        for local, p in module.named_parameters():
            full = self.name_of_param.get(p)
            if full == local:
                return ""
            if full is not None and full.endswith("." + local):
                return full[: -len(local) - 1]
        return None

    def _remember(self, module: Any, path: str) -> str:
        self._paths[module] = path
        self._taken.add(path)
        if path:
            self._classes.setdefault(path, type(module).__name__)
            self._modules.setdefault(path, module)
        return path


def _has_parameters(module: Any) -> bool:
    return next(iter(module.parameters()), None) is not None


def _child_name(parent: Any, child: Any) -> str:
    for name, m in parent._modules.items():
        if m is child:
            return name
    return type(child).__name__


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def param_scope(name: str) -> tuple[str, ...]:
    """The module path of a parameter name, as components: ``layers.0.weight`` -> ``("layers", "0")``."""
    return tuple(name.split(".")[:-1])


def common_prefix(scopes: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The longest scope every one of ``scopes`` lies in."""
    if not scopes:
        return ()
    first = scopes[0]
    n = len(first)
    for s in scopes[1:]:
        n = min(n, len(s))
        while n and s[:n] != first[:n]:
            n -= 1
    return first[:n]
