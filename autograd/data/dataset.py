"""Map-style datasets: ``Dataset``, ``TensorDataset``, ``Subset``, ``ConcatDataset`` and ``random_split``.

A dataset is anything with ``__getitem__(i)`` and ``__len__()``, as in ``torch.utils.data``.
``TensorDataset`` also has ``get_batch(indices)`` (a chainrule extension): the whole collated batch
gathered with one NumPy index per tensor, which ``DataLoader`` uses, through any ``Subset``s, instead of
a Python loop over samples.

>>> import autograd as torch
>>> from autograd.data import TensorDataset, random_split
>>> ds = TensorDataset(torch.arange(10.0).reshape(5, 2), torch.tensor([0, 1, 0, 1, 1]))
>>> len(ds), ds[1]
(5, (tensor([2., 3.]), tensor(1)))
>>> train, test = random_split(ds, [0.6, 0.4], generator=torch.Generator().manual_seed(0))
>>> len(train), len(test)
(3, 2)
"""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from autograd.random import Generator, rng
from autograd.tensor import Tensor

__all__ = ["Dataset", "TensorDataset", "Subset", "ConcatDataset", "random_split", "batch_getter"]

T_co = TypeVar("T_co", covariant=True)


class Dataset(Generic[T_co]):
    """The base of map-style datasets: subclasses define ``__getitem__`` and usually ``__len__``.

    ``a + b`` is ``ConcatDataset([a, b])``.
    """

    def __getitem__(self, index: Any) -> T_co:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset[Any]) -> ConcatDataset[Any]:
        return ConcatDataset([self, other])


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Samples are ``tuple(t[i] for t in tensors)``: tensors indexed together along their first dim.

    Tensors whose first dims differ raise ``ValueError`` naming the shapes (PyTorch: ``AssertionError``).

    >>> import autograd as torch
    >>> TensorDataset(torch.zeros(4, 3), torch.ones(4)).get_batch([0, 2])
    [tensor([[0., 0., 0.],
            [0., 0., 0.]]), tensor([1., 1.])]
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        sizes = [t.shape[0] if t.ndim else None for t in tensors]
        if None in sizes or len(set(sizes)) != 1:
            shapes = [tuple(t.shape) for t in tensors]
            raise ValueError(f"Size mismatch between tensors: first dims must agree, got shapes {shapes}")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def get_batch(self, indices: Sequence[int] | np.ndarray) -> list[Tensor]:
        """``default_collate([self[i] for i in indices])``, gathered with one index per tensor."""
        key = np.asarray(indices, dtype=np.int64)
        return [t[key] for t in self.tensors]


class Subset(Dataset[T_co]):
    """The samples of ``dataset`` at ``indices``, in that order: ``Subset(ds, idx)[i] == ds[idx[i]]``."""

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> T_co:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset[T_co]):
    """The datasets one after another: index ``i`` runs through the first, then the second, ..."""

    def __init__(self, datasets: Iterable[Dataset[T_co]]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("datasets should not be an empty iterable")
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> T_co:
        if index < 0:
            if -index > len(self):
                raise ValueError(
                    f"absolute value of index should not exceed dataset length, got {index} for {len(self)}"
                )
            index += len(self)
        part = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[part - 1] if part else 0
        return self.datasets[part][index - start]


def batch_getter(dataset: Any) -> Callable[[np.ndarray], Any] | None:
    """The dataset's ``get_batch``, reached through any ``Subset``s; None when there is none."""
    if isinstance(dataset, Subset):
        inner = batch_getter(dataset.dataset)
        if inner is None:
            return None
        positions = np.asarray(dataset.indices, dtype=np.int64)
        return lambda indices: inner(positions[indices])
    return getattr(dataset, "get_batch", None)


def _split_lengths(n: int, lengths: Sequence[float]) -> list[int]:
    """Fractions summing to 1 become counts: ``floor(frac * n)`` each, the remainder handed out round-robin."""
    counts = []
    for i, frac in enumerate(lengths):
        if not 0 <= frac <= 1:
            raise ValueError(f"Fraction at index {i} is not between 0 and 1 (got {frac})")
        counts.append(math.floor(n * frac))
    for i in range(n - sum(counts)):
        counts[i % len(counts)] += 1
    for i, count in enumerate(counts):
        if count == 0:
            warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.", stacklevel=3)
    return counts


def random_split(
    dataset: Dataset[T_co], lengths: Sequence[float], generator: Generator | None = None
) -> list[Subset[T_co]]:
    """Split ``dataset`` into random non-overlapping ``Subset``s of ``lengths`` (counts, or fractions summing to 1).

    The permutation is drawn from ``generator``, or from the default one (``autograd.manual_seed``).
    Draws differ from PyTorch's: the random streams are NumPy's.

    >>> parts = random_split(range(10), [3, 7], generator=Generator(42))
    >>> sorted(parts[0].indices + parts[1].indices) == list(range(10))
    True
    """
    n = len(dataset)  # type: ignore[arg-type]
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        lengths = _split_lengths(n, lengths)
    if any(int(length) != length or length < 0 for length in lengths):
        raise ValueError(
            f"random_split: lengths must be non-negative integers or fractions summing to 1, got {lengths}"
        )
    if sum(lengths) != n:
        raise ValueError(
            f"Sum of input lengths does not equal the length of the input dataset! ({sum(lengths)} != {n})"
        )
    indices = rng(generator).permutation(n).tolist()
    ends = itertools.accumulate(int(length) for length in lengths)
    return [Subset(dataset, indices[end - int(length) : end]) for end, length in zip(ends, lengths)]
