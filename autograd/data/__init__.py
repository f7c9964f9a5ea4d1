"""Data loading, as ``torch.utils.data``: datasets, ``DataLoader``, ``random_split``; plus dataset loaders.

- ``dataset``: ``Dataset``, ``TensorDataset``, ``Subset``, ``ConcatDataset``, ``random_split``.
- ``collate``: ``default_collate`` (samples into batched tensors) and ``default_convert``.
- ``dataloader``: ``DataLoader`` (batches, shuffling with a seedable generator, ``drop_last``).
- ``datasets``: ``load_iris``, ``load_digits``, ``make_moons`` through scikit-learn (no network).
- ``mnist``: ``load_mnist`` and ``read_idx`` for IDX or ``.npz`` files you already have.

>>> import autograd as torch
>>> from autograd.data import DataLoader, TensorDataset
>>> _ = torch.manual_seed(0)
>>> ds = TensorDataset(torch.randn(100, 4), torch.randint(0, 3, (100,)))
>>> x, y = next(iter(DataLoader(ds, batch_size=32, shuffle=True)))
>>> x.shape, y.shape, y.dtype
((32, 4), (32,), dtype('int64'))
"""

from autograd.data.collate import default_collate, default_convert
from autograd.data.dataloader import DataLoader
from autograd.data.dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from autograd.data.datasets import DataBundle, load_digits, load_iris, make_moons
from autograd.data.mnist import DataFormatError, MNISTData, load_mnist, read_idx

__all__ = [
    "Dataset",
    "TensorDataset",
    "Subset",
    "ConcatDataset",
    "random_split",
    "DataLoader",
    "default_collate",
    "default_convert",
    "DataBundle",
    "load_iris",
    "load_digits",
    "make_moons",
    "MNISTData",
    "DataFormatError",
    "load_mnist",
    "read_idx",
]
