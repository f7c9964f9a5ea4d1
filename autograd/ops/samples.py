"""Sample-input builders for the op registry.

Each builder returns ``samples(rng)`` yielding float64 ``Sample``s; the tests
also run every sample in float32. Domains stay away from kinks and poles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from autograd.ops.registry import Sample

Shape = tuple[int, ...]
Builder = Callable[[np.random.Generator], Iterable[Sample]]

UNARY_SHAPES: tuple[Shape, ...] = ((), (4,), (2, 3), (2, 3, 4), (0, 3))
BROADCAST_PAIRS: tuple[tuple[Shape, Shape], ...] = (
    ((2, 3), (2, 3)),
    ((3, 4), (4,)),
    ((3, 1), (1, 4)),
    ((1,), (5, 4)),
    ((2, 1, 3), (4, 1)),
    ((), (3,)),
    ((0, 3), (3,)),
)
REDUCE_DIMS: tuple[Any, ...] = (None, 0, -1, 1, (0, 2), (-1, 0))


def uniform(
    rng: np.random.Generator, shape: Shape, low: float = -2.0, high: float = 2.0, away: float = 0.0
) -> np.ndarray:
    """Uniform values in [low, high]; with ``away``, none within ``away`` of zero (kinks)."""
    x = rng.uniform(low, high, size=shape)
    if away:
        x = np.where(np.abs(x) < away, x + np.where(x >= 0, away, -away), x)
    return x


def distinct(rng: np.random.Generator, shape: Shape) -> np.ndarray:
    """Values with no ties and gaps of at least 0.1 (for max, min, sort)."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.1 - n * 0.05 + rng.uniform(0, 0.01, n)).reshape(shape)


def unary(
    low: float = -2.0, high: float = 2.0, away: float = 0.0, shapes: Sequence[Shape] = UNARY_SHAPES, **kwargs: Any
) -> Builder:
    """One tensor input of each shape in ``shapes``, with fixed keyword arguments."""

    def build(rng: np.random.Generator) -> Iterable[Sample]:
        for shape in shapes:
            yield Sample((uniform(rng, shape, low, high, away),), dict(kwargs), note=f"shape {shape}")

    return build


def binary(
    low: float = -2.0,
    high: float = 2.0,
    away: float = 0.0,
    low_b: float | None = None,
    high_b: float | None = None,
    scalars: bool = True,
) -> Builder:
    """Broadcasting pairs, and a Python scalar on either side."""
    lb = low if low_b is None else low_b
    hb = high if high_b is None else high_b

    def build(rng: np.random.Generator) -> Iterable[Sample]:
        for sa, sb in BROADCAST_PAIRS:
            a, b = uniform(rng, sa, low, high, away), uniform(rng, sb, lb, hb, away)
            yield Sample((a, b), note=f"{sa} with {sb}")
        if scalars:
            yield Sample(
                (uniform(rng, (2, 3), low, high, away), float(uniform(rng, (), lb, hb, away))), note="tensor op scalar"
            )
            yield Sample(
                (float(uniform(rng, (), low, high, away)), uniform(rng, (2, 3), lb, hb, away)), note="scalar op tensor"
            )

    return build


def reduction(
    values: Callable[[np.random.Generator, Shape], np.ndarray] = uniform,
    dims: Sequence[Any] = REDUCE_DIMS,
    **kwargs: Any,
) -> Builder:
    """``dim`` as None, an int, negative and a tuple, each with and without ``keepdim``; plus 0-d and empty inputs."""

    def build(rng: np.random.Generator) -> Iterable[Sample]:
        yield Sample((values(rng, ()),), dict(kwargs), note="0-d")
        for dim in dims:
            for keepdim in (False, True):
                extra = {} if dim is None and not keepdim else {"dim": dim, "keepdim": keepdim}
                if dim is None and keepdim:
                    continue
                yield Sample((values(rng, (2, 3, 4)),), {**extra, **kwargs}, note=f"dim={dim} keepdim={keepdim}")

    return build


def combine(*builders: Builder) -> Builder:
    """All the samples of several builders."""

    def build(rng: np.random.Generator) -> Iterable[Sample]:
        for b in builders:
            yield from b(rng)

    return build


def explicit(*samples: Callable[[np.random.Generator], Sample]) -> Builder:
    """Hand-written samples, each a function of the generator."""

    def build(rng: np.random.Generator) -> Iterable[Sample]:
        for make in samples:
            yield make(rng)

    return build
