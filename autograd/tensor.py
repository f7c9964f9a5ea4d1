"""``Tensor``: an ndarray plus what reverse-mode differentiation needs.

A tensor holds ``_data`` (one ``np.ndarray``), ``requires_grad``, the node that
made it (``grad_fn``) and, for leaves, the accumulated ``grad``. It never
points at the nodes that consume it, so dropping the output of a graph frees
the whole graph by reference counting alone.

Ops attach their methods (``x.exp()``, ``a + b``) where they are defined, in
``autograd/ops``; this file holds only what every tensor is.

    >>> import autograd as torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import dtypes, numpy_dispatch
from autograd.printing import tensor_repr

# Bound once: looking up object.__new__ on every call is a measurable part of making a tensor.
_new_object = object.__new__
_NO_GRAD_DTYPE = "only floating point tensors can require gradients (got dtype {})"


class Tensor:
    """An n-dimensional array that can record the ops applied to it."""

    # Hot fields are slots; rarely set ones default at class level and land in __dict__ when set.
    # _output_nr: which output of grad_fn this tensor is, or -1 for a leaf (an edge to it is (leaf, -1)).
    __slots__ = ("__dict__", "__weakref__", "_data", "_output_nr", "_requires_grad", "_version_counter", "grad_fn")
    _grad: Tensor | None = None
    _base: Tensor | None = None
    _hooks: list[Any] | None = None
    _retains_grad = False
    name: str | None = None

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None, name: str | None = None):
        if isinstance(data, Tensor):
            data = data._data
        array = np.asarray(data)
        if dtype is not None:
            array = array.astype(dtypes.as_dtype(dtype), copy=False)
        self._data = array
        self._requires_grad = False
        self.grad_fn = None
        self._output_nr = -1
        self._version_counter = None
        if name is not None:
            self.name = name
        if requires_grad:
            self.requires_grad_(True)

    @staticmethod
    def _from_array(array: np.ndarray) -> Tensor:
        """A leaf around ``array`` as it is (no conversion): the engine's fast constructor."""
        t = _new_object(Tensor)
        t._data = array
        t._requires_grad = False
        t.grad_fn = None
        t._output_nr = -1
        t._version_counter = None
        return t

    # --- what a tensor is -------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def device(self) -> str:
        return "cpu"

    @property
    def is_leaf(self) -> bool:
        """True for tensors not made by a recorded op (inputs, parameters)."""
        return self.grad_fn is None

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by backward (leaves, or tensors that called ``retain_grad``)."""
        if self._grad is None and self.grad_fn is not None and not self._retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). "
                "If you indeed want the gradient for a non-leaf Tensor, use .retain_grad() on it.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            value = value if isinstance(value, Tensor) else Tensor(value)
            if value.shape != self.shape:
                raise RuntimeError(
                    f"assigned grad has data of shape {value.shape} but the tensor has shape {self.shape}"
                )
        self._grad = value

    @property
    def data(self) -> Tensor:
        """A tensor sharing this one's memory, outside the graph (PyTorch's ``.data``)."""
        return Tensor(self._data)

    @data.setter
    def data(self, value: Any) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def _version(self) -> int:
        """How many in-place writes this tensor's memory has seen."""
        counter = self._version_counter
        return 0 if counter is None else counter[0]

    def size(self, dim: int | None = None) -> Any:
        """The shape, or its length along ``dim``."""
        if dim is None:
            return self._data.shape
        from autograd.shapes import normalize_dim

        return self._data.shape[normalize_dim(dim, self._data.ndim, "size")]

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    def element_size(self) -> int:
        return self._data.itemsize

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    # --- leaving the engine ----------------------------------------------
    def numpy(self) -> np.ndarray:
        """The underlying array (shares memory). Raises if the tensor requires grad, as PyTorch does."""
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar (shape {self.shape})"
            )
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype) != self._data.dtype:
            return self._data.astype(dtype)
        return self._data.copy() if copy else self._data

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"only integer tensors of a single element can be converted to an index (got {self.dtype})")
        return int(self._data.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous (shape {self.shape})")
        return bool(self._data.item())

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and spec:
            return format(self._data.item(), spec)
        return format(repr(self), spec)

    __hash__ = object.__hash__

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return numpy_dispatch.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        return numpy_dispatch.array_function(func, args, kwargs)

    def __repr__(self) -> str:
        return tensor_repr(self)

    # --- the graph --------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Ask autograd to record ops on this leaf tensor (in place)."""
        if requires_grad and not dtypes.is_floating(self._data.dtype):
            raise RuntimeError(_NO_GRAD_DTYPE.format(dtypes.dtype_name(self._data.dtype)))
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self._requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """A new leaf sharing memory (and the version counter) with this tensor."""
        out = Tensor(self._data)
        out._version_counter = version_counter(self)
        return out

    def detach_(self) -> Tensor:
        self.grad_fn = None
        self._output_nr = -1
        self._requires_grad = False
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` on a non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        self.grad_fn.register_prehook(_RetainGrad(self), self._output_nr)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> Callable[[], None]:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned tensor replaces it.

        Returns a handle: call ``handle.remove()`` to unregister.

        >>> import autograd as torch
        >>> x = torch.tensor(1.0, requires_grad=True)
        >>> h = x.register_hook(lambda g: g * 10)
        >>> (x * 3).backward()
        >>> x.grad
        tensor(30.)
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            self._hooks.append(hook)
            return _HookHandle(self._hooks, hook)
        self.grad_fn.register_prehook(hook, self._output_nr)
        return _HookHandle(self.grad_fn._pre_hooks[self._output_nr], hook)

    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (chain rule, reverse order)."""
        engine.backward(self, gradient, retain_graph, create_graph)


class _HookHandle:
    def __init__(self, hooks: list[Any], hook: Any) -> None:
        self.hooks = hooks
        self.hook = hook

    def remove(self) -> None:
        if self.hook in self.hooks:
            self.hooks.remove(self.hook)


class _RetainGrad:
    """A node pre-hook that copies the incoming gradient into a non-leaf tensor's ``.grad``.

    It holds the tensor weakly: the node must not keep its own output alive.
    """

    def __init__(self, tensor: Tensor) -> None:
        self.ref = weakref.ref(tensor)

    def __call__(self, grad: Tensor) -> None:
        tensor = self.ref()
        if tensor is None:
            return None
        g = grad if grad.requires_grad else Tensor(np.array(grad._data, copy=True))
        tensor._grad = g if tensor._grad is None else tensor._grad + g
        return None


def version_counter(t: Tensor) -> list[int]:
    """The tensor's version counter, shared with its views; made on first need.

    Most tensors are never saved for backward, viewed or written in place, so
    they never pay for one.
    """
    counter = t._version_counter
    if counter is None:
        counter = t._version_counter = [0]
    return counter


def bump_version(t: Tensor) -> None:
    """Record an in-place write to the tensor's memory."""
    version_counter(t)[0] += 1


# Last: the engine imports Tensor from this module (an import inside backward() would cost every call).
from autograd import engine  # noqa: E402
