"""``default_collate`` and ``default_convert``: samples into batched tensors, as ``torch.utils.data``.

Tensors and arrays are stacked along a new first dim; Python floats become a float64 tensor and ints an
int64 tensor (bools a bool tensor); NumPy scalars keep their dtype; strings stay a list. Containers are
collated field by field: dicts by key, namedtuples by field, and tuples and lists position by position
(a tuple of fields becomes a list of batches, as in PyTorch).

>>> import autograd as torch
>>> from autograd.data import default_collate
>>> default_collate([(torch.zeros(2), 0), (torch.ones(2), 1)])
[tensor([[0., 0.],
        [1., 1.]]), tensor([0, 1])]
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

import numpy as np

from autograd.creation import tensor
from autograd.ops.join import stack
from autograd.tensor import Tensor

__all__ = ["default_collate", "default_convert"]

_ERROR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def _stack(tensors: Sequence[Tensor]) -> Tensor:
    """``autograd.stack`` (which keeps the graph and names mismatched shapes), or one ``np.stack`` when it can."""
    first = tensors[0]
    if any(t.requires_grad or t.shape != first.shape for t in tensors):
        return stack(tensors)
    return Tensor(np.stack([t._data for t in tensors]))


def _is_text_array(array: np.ndarray) -> bool:
    return array.dtype.kind in "SaUO"


def _rebuild(elem: Any, items: Sequence[Any], convert: Callable[[Any], Any]) -> Any:
    """``elem``'s container type holding ``convert(item)`` for each item (a tuple becomes a list, as in PyTorch)."""
    if isinstance(elem, Mapping):
        values = {key: convert(item) for key, item in zip(elem, items)}
        if isinstance(elem, MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        try:
            return type(elem)(values)
        except TypeError:
            return values
    values = [convert(item) for item in items]
    if isinstance(elem, tuple):
        return type(elem)(*values) if hasattr(elem, "_fields") else values
    if isinstance(elem, MutableSequence):
        clone = copy.copy(elem)
        clone[:] = values
        return clone
    try:
        return type(elem)(values)
    except TypeError:
        return values


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch: ``[(x0, y0), (x1, y1)] -> [stack([x0, x1]), tensor([y0, y1])]``."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack(batch)
    if isinstance(elem, np.ndarray):
        if _is_text_array(elem):
            raise TypeError(_ERROR.format(elem.dtype))
        return _stack([Tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number)):
        return Tensor(np.array(batch))
    if isinstance(elem, float):
        return tensor(batch, dtype=np.float64)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        return _rebuild(elem, [[sample[key] for sample in batch] for key in elem], default_collate)
    if isinstance(elem, Sequence):
        sizes = {len(sample) for sample in batch}
        if len(sizes) != 1:
            raise RuntimeError(f"each element in list of batch should be of equal size, got sizes {sorted(sizes)}")
        return _rebuild(elem, list(zip(*batch)), default_collate)
    raise TypeError(_ERROR.format(type(elem)))


def default_convert(data: Any) -> Any:
    """One sample's arrays and NumPy scalars as tensors (used when ``DataLoader(batch_size=None)``)."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return data if _is_text_array(data) else Tensor(data)
    if isinstance(data, (np.bool_, np.number)):
        return Tensor(np.asarray(data))
    if isinstance(data, Mapping):
        return _rebuild(data, list(data.values()), default_convert)
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild(data, list(data), default_convert)
    return data
