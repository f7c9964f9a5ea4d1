"""Small classic datasets through scikit-learn, which ships them (no network): Iris, digits and moons.

Each loader returns a ``DataBundle``: ``X`` float32 features of shape (n, d), ``y`` int64 labels of
shape (n,), ``feature_names`` and ``target_names`` (tuples of str), ``images`` for image data (else
None), and ``to_dataset()`` for a ``TensorDataset`` of (features, labels). scikit-learn is imported
only when a loader is called (``pip install chainrule[examples]``).

>>> from autograd.data import load_iris
>>> iris = load_iris()
>>> iris.X.shape, iris.X.dtype, iris.y.dtype, iris.target_names
((150, 4), dtype('float32'), dtype('int64'), ('setosa', 'versicolor', 'virginica'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.data.dataset import TensorDataset
from autograd.tensor import Tensor

__all__ = ["DataBundle", "load_iris", "load_digits", "make_moons"]


@dataclass(frozen=True, eq=False)  # arrays do not compare to one bool
class DataBundle:
    """A loaded dataset: ``X`` (n, d) float32, ``y`` (n,) int64, names, and ``images`` (n, h, w) float32 or None."""

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    images: np.ndarray | None = None

    def to_dataset(self) -> TensorDataset:
        """``TensorDataset(X, y)`` sharing memory with the arrays.

        >>> from autograd.data import make_moons
        >>> make_moons(10, random_state=0).to_dataset()[0][1].dtype
        dtype('int64')
        """
        return TensorDataset(Tensor(self.X), Tensor(self.y))

    def __len__(self) -> int:
        return len(self.y)


def _sklearn() -> Any:
    try:
        import sklearn.datasets
    except ImportError as error:
        raise ImportError(
            "the Iris, digits and moons loaders need scikit-learn: pip install scikit-learn "
            "(or pip install chainrule[examples])"
        ) from error
    return sklearn.datasets


def _bundle(bunch: Any, images: np.ndarray | None = None) -> DataBundle:
    return DataBundle(
        X=np.ascontiguousarray(bunch.data, dtype=np.float32),
        y=np.asarray(bunch.target, dtype=np.int64),
        feature_names=tuple(str(f) for f in bunch.feature_names),
        target_names=tuple(str(t) for t in bunch.target_names),
        images=images,
    )


def load_iris() -> DataBundle:
    """Fisher's Iris: 150 flowers, 4 measurements in cm, 3 species (50 each)."""
    return _bundle(_sklearn().load_iris())


def load_digits() -> DataBundle:
    """Handwritten digits, 8x8: 1,797 images, ``X`` (n, 64) and ``images`` (n, 8, 8), pixel values 0-16, 10 classes.

    >>> digits = load_digits()
    >>> digits.X.shape, digits.images.shape, len(digits.target_names)
    ((1797, 64), (1797, 8, 8), 10)
    """
    bunch = _sklearn().load_digits()
    return _bundle(bunch, images=np.ascontiguousarray(bunch.images, dtype=np.float32))


def make_moons(n_samples: int = 100, noise: float | None = None, random_state: int | None = None) -> DataBundle:
    """Two interleaving half circles in 2-D (sklearn's ``make_moons``, shuffled): ``n_samples`` points, 2 classes.

    ``noise`` is the standard deviation of Gaussian noise added to the points; ``random_state`` seeds it.

    >>> moons = make_moons(100, noise=0.1, random_state=1)
    >>> moons.X.shape, np.bincount(moons.y).tolist()
    ((100, 2), [50, 50])
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 1:
        raise ValueError(f"make_moons: n_samples must be a positive integer, got {n_samples!r}")
    if noise is not None and not noise >= 0:
        raise ValueError(f"make_moons: noise must be a non-negative standard deviation or None, got {noise!r}")
    X, y = _sklearn().make_moons(n_samples=n_samples, noise=noise, random_state=random_state)
    return DataBundle(
        X=np.ascontiguousarray(X, dtype=np.float32),
        y=np.asarray(y, dtype=np.int64),
        feature_names=("x0", "x1"),
        target_names=("upper moon", "lower moon"),
    )
