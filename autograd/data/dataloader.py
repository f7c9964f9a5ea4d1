"""``DataLoader``: batches from a map-style dataset, in order or shuffled, as ``torch.utils.data.DataLoader``.

>>> import autograd as torch
>>> from autograd.data import DataLoader, TensorDataset
>>> ds = TensorDataset(torch.arange(10.0).reshape(5, 2), torch.tensor([0, 1, 0, 1, 1]))
>>> loader = DataLoader(ds, batch_size=2)
>>> len(loader), [tuple(x.shape) for x, y in loader]
(3, [(2, 2), (2, 2), (1, 2)])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from autograd.data.collate import default_collate, default_convert
from autograd.data.dataset import Dataset, batch_getter
from autograd.random import Generator, rng

__all__ = ["DataLoader"]


def _check(batch_size: int | None, drop_last: bool, num_workers: int) -> None:
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0):
        raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size!r}")
    if not isinstance(drop_last, bool):
        raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last!r}")
    if batch_size is None and drop_last:
        raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last=True")
    if not isinstance(num_workers, int) or num_workers < 0:
        raise ValueError(
            f"num_workers option should be non-negative; use num_workers=0 to disable multiprocessing "
            f"(got num_workers={num_workers!r})"
        )


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples, each batch ``collate_fn([samples])``.

    ``shuffle=True`` draws a new permutation at the start of every epoch (every ``iter(loader)``) from
    ``generator``, or from the default generator, so ``autograd.manual_seed`` makes runs repeat; the
    permutations differ from PyTorch's (the random streams are NumPy's). ``drop_last=True`` drops a final
    short batch; ``len(loader)`` is the number of batches. ``batch_size=None`` yields single samples with
    arrays converted to tensors. With the default ``collate_fn``, a ``TensorDataset`` (or a ``Subset`` of
    one) is gathered with one NumPy index per tensor per batch, not sample by sample.

    Loading runs in this process: ``num_workers`` and ``pin_memory`` are accepted for compatibility and do
    nothing; ``sampler`` and ``batch_sampler`` are not supported.

    >>> import autograd as torch
    >>> loader = DataLoader(range(10), batch_size=4, shuffle=True, drop_last=True, generator=torch.Generator(0))
    >>> len(loader), [batch.shape for batch in loader]
    (2, [(4,), (4,)])
    """

    def __init__(
        self,
        dataset: Dataset[Any] | Sequence[Any],
        batch_size: int | None = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: Generator | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        num_workers: int = 0,
        pin_memory: bool = False,
    ) -> None:
        _check(batch_size, drop_last, num_workers)
        if shuffle and len(dataset) == 0:  # type: ignore[arg-type]
            raise ValueError("num_samples should be a positive integer value, but got num_samples=0")
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.drop_last = drop_last
        self.generator = generator
        self.collate_fn = collate_fn
        self.num_workers = num_workers
        self.pin_memory = pin_memory

    def __len__(self) -> int:
        n = len(self.dataset)  # type: ignore[arg-type]
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _order(self) -> np.ndarray:
        n = len(self.dataset)  # type: ignore[arg-type]
        return rng(self.generator).permutation(n) if self.shuffle else np.arange(n)

    def __iter__(self) -> Iterator[Any]:
        order = self._order()
        if self.batch_size is None:
            convert = self.collate_fn or default_convert
            return (convert(self.dataset[int(i)]) for i in order)
        return self._batches(order, self.batch_size)

    def _batches(self, order: np.ndarray, batch_size: int) -> Iterator[Any]:
        fast = batch_getter(self.dataset) if self.collate_fn is None else None
        collate = self.collate_fn or default_collate
        stop = len(self) * batch_size
        for start in range(0, stop, batch_size):
            indices = order[start : start + batch_size]
            yield fast(indices) if fast else collate([self.dataset[int(i)] for i in indices])

    def __repr__(self) -> str:
        return (
            f"DataLoader(dataset={type(self.dataset).__name__} of {len(self.dataset)}, "  # type: ignore[arg-type]
            f"batch_size={self.batch_size}, shuffle={self.shuffle}, drop_last={self.drop_last})"
        )
