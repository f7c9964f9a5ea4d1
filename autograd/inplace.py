"""In-place ops: ``add_``, ``mul_``, ``+=``, ``zero_``, ``copy_``, and the machinery ``__setitem__`` uses.

An in-place op computes the out-of-place result, writes it into the tensor's
memory and bumps the version counter, so a saved value that has since changed
raises at backward instead of giving a wrong gradient. Inside a graph the
tensor is rebased: its ``grad_fn`` becomes the in-place op's node, as in PyTorch.

    >>> import autograd as torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 1
    >>> y += 1
    >>> y.grad_fn.name(), y._version
    ('AddBackward', 1)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import dtypes, grad_mode
from autograd.function import Function, Node
from autograd.ops import arithmetic
from autograd.ops.arithmetic import add, div, mul, neg, sub
from autograd.random import Generator, rng
from autograd.tensor import Tensor, bump_version, version_counter

_LEAF = (
    "a leaf Variable that requires grad is being used in an in-place operation ({op}); "
    "wrap it in `with autograd.no_grad():` to change a parameter, or work on a clone"
)


def apply_inplace(target: Tensor, op_name: str, op: Callable[..., Tensor], *args: Any) -> Tensor:
    """Write ``op(target, *args)`` into ``target``'s memory; record it in the graph when needed."""
    in_graph = grad_mode.state.enabled and (
        target._requires_grad or any(isinstance(a, Tensor) and a._requires_grad for a in args)
    )
    if in_graph:
        if target._requires_grad and target.grad_fn is None:
            raise RuntimeError(_LEAF.format(op=op_name))
        if target._base is not None:
            raise RuntimeError(
                f"{op_name}: in-place ops on a view of a tensor in the graph are not supported by chainrule "
                "(PyTorch rebases the view's base); use the out-of-place form, e.g. y = y + 1"
            )
    out = op(target, *args)
    if in_graph:
        _preserve_saved_target(out.grad_fn, target)
    write(target, out._data, op_name)
    if in_graph and out.grad_fn is not None:
        target.grad_fn = out.grad_fn
        target._output_nr = out._output_nr
        target._requires_grad = True
    return target


def _binary_inplace(op_name: str, op: Callable[..., Tensor], ufunc: np.ufunc) -> Callable[[Tensor, Any], Tensor]:
    """``target op= other``: through ``apply_inplace`` in a graph, else ``ufunc`` straight into the memory.

    The second is an optimizer's update under no_grad: no temporary, and no generic call on the way.
    The result is the operator itself (``__isub__``), so it is one Python call.
    """
    divides = ufunc is np.true_divide

    def inplace(target: Tensor, other: Any) -> Tensor:
        if grad_mode.state.enabled and (target._requires_grad or (isinstance(other, Tensor) and other._requires_grad)):
            return apply_inplace(target, op_name, op, other)
        other = other._data if isinstance(other, Tensor) else other
        data = target._data
        try:
            if divides:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ufunc(data, other, data)  # out=data; NumPy's default casting is same_kind
            else:
                ufunc(data, other, data)
        except TypeError:  # e.g. a float result for an int tensor: write() explains the cast
            write(target, ufunc(data, other), op_name)
            return target
        except ValueError as error:
            _check_fits(np.shape(other), data.shape, op_name)
            raise RuntimeError(f"{op_name}: cannot write into this tensor ({error})") from None
        counter = target._version_counter
        if counter is None:
            target._version_counter = [1]
        else:
            counter[0] += 1
        return target

    inplace.__name__ = inplace.__qualname__ = f"__i{op_name.rstrip('_')}__"
    return inplace


_iadd = _binary_inplace("add_", add, np.add)
_isub = _binary_inplace("sub_", sub, np.subtract)
_imul = _binary_inplace("mul_", mul, np.multiply)
_idiv = _binary_inplace("div_", div, np.true_divide)


def _check_fits(shape: tuple[int, ...], target_shape: tuple[int, ...], op_name: str) -> None:
    try:
        result = np.broadcast_shapes(shape, target_shape)
    except ValueError:
        result = None
    if result != target_shape:
        shown = list(result) if result is not None else f"{list(shape)} (not broadcastable)"
        raise RuntimeError(
            f"{op_name}: output with shape {list(target_shape)} doesn't match the broadcast shape {shown}"
        )


def write(target: Tensor, values: Any, op_name: str) -> None:
    """Copy ``values`` into ``target``'s memory (same shape, castable dtype) and bump its version."""
    values = np.asarray(values)
    if values.shape != target._data.shape:
        _check_fits(values.shape, target._data.shape, op_name)
    if not np.can_cast(values.dtype, target._data.dtype, casting="same_kind"):
        raise RuntimeError(
            f"{op_name}: result type {dtypes.dtype_name(values.dtype)} can't be cast to the desired "
            f"output type {dtypes.dtype_name(target._data.dtype)}"
        )
    try:
        np.copyto(target._data, values, casting="same_kind")
    except ValueError as error:
        raise RuntimeError(f"{op_name}: cannot write into this tensor ({error})") from None
    bump_version(target)


def _preserve_saved_target(node: Node | None, target: Tensor) -> None:
    """If the new node saved ``target`` itself, keep a copy of its old value: the write would change it."""
    if node is None or not node._saved or node._saved_refs is None:
        return
    saved = list(node._saved)
    refs = list(node._saved_refs)
    for i, ref in enumerate(refs):
        if ref is not None and ref[0] is target:
            old = Tensor(saved[i].copy())
            old._requires_grad = True
            old.grad_fn = target.grad_fn
            old._output_nr = target._output_nr
            saved[i] = old._data
            refs[i] = (old, version_counter(old), 0, old.grad_fn)
    node._saved = tuple(saved)
    node._saved_refs = tuple(refs)


class Fill(Function):
    @staticmethod
    def forward(ctx: Node, target: np.ndarray, value: Any) -> np.ndarray:
        return np.full(target.shape, value, dtype=target.dtype)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return None, np.sum(gy)


class CopyFrom(Function):
    @staticmethod
    def forward(ctx: Node, target: np.ndarray, src: np.ndarray) -> np.ndarray:
        return np.broadcast_to(src, target.shape).astype(target.dtype)

    @staticmethod
    def backward(ctx: Node, gy: Any) -> Any:
        return None, gy


def add_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    """In-place ``self += alpha * other``."""
    if alpha != 1:
        return apply_inplace(self, "add_", lambda t, o: add(t, o, alpha=alpha), other)
    return _iadd(self, other)


def sub_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    """In-place ``self -= alpha * other``."""
    if alpha != 1:
        return apply_inplace(self, "sub_", lambda t, o: sub(t, o, alpha=alpha), other)
    return _isub(self, other)


def mul_(self: Tensor, other: Any) -> Tensor:
    """In-place ``self *= other``."""
    return _imul(self, other)


def div_(self: Tensor, other: Any) -> Tensor:
    """In-place ``self /= other``."""
    return _idiv(self, other)


def pow_(self: Tensor, exponent: Any) -> Tensor:
    """In-place ``self **= exponent``."""
    return apply_inplace(self, "pow_", arithmetic.pow, exponent)


def neg_(self: Tensor) -> Tensor:
    """In-place negation."""
    return apply_inplace(self, "neg_", neg)


def fill_(self: Tensor, value: Any) -> Tensor:
    """Fill with ``value`` in place."""
    return apply_inplace(self, "fill_", Fill.apply, value)


def zero_(self: Tensor) -> Tensor:
    """Fill with zeros in place.

    >>> import autograd as torch
    >>> torch.ones(2).zero_()
    tensor([0., 0.])
    """
    return apply_inplace(self, "zero_", Fill.apply, 0)


def copy_(self: Tensor, src: Any) -> Tensor:
    """Copy ``src`` (broadcast, cast) into this tensor in place; the gradient flows to ``src``."""
    return apply_inplace(self, "copy_", CopyFrom.apply, src)


def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Fill with samples of U(from, to) in place (torch's ``from`` is ``from_`` here: ``from`` is a keyword).

    >>> import autograd as torch
    >>> bool((torch.zeros(5).uniform_(-1, 1).abs() <= 1).all())
    True
    """
    return apply_inplace(self, "uniform_", CopyFrom.apply, rng(generator).uniform(from_, to, self.shape))


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Fill with samples of N(mean, std^2) in place, as in ``m.weight.data.normal_(0, 0.02)``.

    >>> import autograd as torch
    >>> torch.zeros(2, 3).normal_(0, 0.02).shape
    (2, 3)
    """
    return apply_inplace(self, "normal_", CopyFrom.apply, rng(generator).normal(mean, std, self.shape))


for _name, _fn in {
    "add_": add_,
    "sub_": sub_,
    "mul_": mul_,
    "div_": div_,
    "pow_": pow_,
    "neg_": neg_,
    "fill_": fill_,
    "zero_": zero_,
    "copy_": copy_,
    "uniform_": uniform_,
    "normal_": normal_,
    "__iadd__": _iadd,
    "__isub__": _isub,
    "__imul__": _imul,
    "__itruediv__": _idiv,
    "__ipow__": pow_,
}.items():
    setattr(Tensor, _name, _fn)
