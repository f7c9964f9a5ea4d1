"""What the reductions in ``reduce.py`` and ``minmax.py`` share: ``dim`` turned into axes and shapes.

``dim`` is None (every axis), an int or a tuple, with ``keepdim``, as in PyTorch.
Here are the ``Dim`` type, ``dim`` as sorted axes (``_axes``, or ``_numpy_axes`` for
NumPy's ``axis``), the kept and squeezed output shapes, the check that a reduced dim
is not empty, and the one-tensor samples both modules register with.
"""

from __future__ import annotations

from typing import Any

from autograd.ops.registry import Sample
from autograd.ops.samples import uniform
from autograd.shapes import normalize_dims
from autograd.tensor import Tensor

Dim = int | tuple[int, ...] | list[int] | None
INT_DIMS = (None, 0, -1, 1)


def _axes(dim: Dim, ndim: int, op: str) -> tuple[int, ...]:
    """``dim`` as sorted axes; None and ``()`` mean every axis, as in PyTorch."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))  # the common case (a loss's mean), without the checks
    return normalize_dims(dim, ndim, op)


def _kept(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    if len(axes) == len(shape):
        return (1,) * len(shape)
    return tuple([1 if i in axes else n for i, n in enumerate(shape)])


def _squeezed(shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def _nonempty(op: str, shape: tuple[int, ...], axes: tuple[int, ...]) -> None:
    for a in axes:
        if shape[a] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {a} to have non-zero size (input shape {shape})")


def _sample(shape: tuple[int, ...], **kwargs: Any) -> Any:
    return lambda rng: Sample((uniform(rng, shape),), kwargs, note=f"shape {shape} {kwargs}")


def _numpy_axes(op: str, a: Tensor, axis: Any, out: Any, extra: dict[str, Any]) -> tuple[int, ...]:
    if out is not None or extra:
        raise TypeError(f"numpy.{op} on tensors supports axis, dtype and keepdims only, got out={out} {extra}")
    return tuple(range(a.ndim)) if axis is None else normalize_dims(axis, a.ndim, f"numpy.{op}")
