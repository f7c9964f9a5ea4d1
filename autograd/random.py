"""The engine's random numbers: one ``np.random.Generator``, reseeded by ``manual_seed``.

>>> import autograd as torch
>>> _ = torch.manual_seed(0)
>>> a = torch.rand(2)
>>> _ = torch.manual_seed(0)
>>> bool((torch.rand(2) == a).all())
True
"""

from __future__ import annotations

import numpy as np


class Generator:
    """Holds the ``np.random.Generator`` that every random op draws from."""

    def __init__(self, seed: int | None = None) -> None:
        self.rng = np.random.default_rng(seed)
        self._seed = seed

    def manual_seed(self, seed: int) -> Generator:
        self.rng = np.random.default_rng(seed)
        self._seed = seed
        return self

    def initial_seed(self) -> int | None:
        return self._seed


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, so runs repeat exactly."""
    return default_generator.manual_seed(int(seed))


def rng(generator: Generator | None = None) -> np.random.Generator:
    """The NumPy generator to draw from: ``generator``'s, or the default one."""
    return (generator or default_generator).rng
