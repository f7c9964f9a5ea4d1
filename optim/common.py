"""Pieces the update rules share: state buffers, step counters and the gradient after weight decay.

Update rules work on the parameters' arrays in place; these helpers keep them short and alike.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.tensor import Tensor


def check(valid: bool, message: str) -> None:
    """Raise ``ValueError(message)`` unless ``valid``: one line per hyperparameter check."""
    if not valid:
        raise ValueError(message)


def zeros_state(p: Tensor, fill: float = 0.0) -> Tensor:
    """A buffer shaped and laid out like ``p``, filled with ``fill``."""
    return Tensor._from_array(np.full_like(p._data, fill))


def new_step() -> Tensor:
    """A step counter: a 0-d float32 tensor, as PyTorch keeps it."""
    return Tensor._from_array(np.zeros((), dtype=np.float32))


def advance(step: Tensor) -> float:
    """Add one to a step counter in place and return the new count."""
    counter = step._data
    counter[()] = counter.item() + 1  # through Python floats: a NumPy op on a 0-d array costs ten times more
    return counter.item()


def grad_with_decay(g: Any, p: np.ndarray, weight_decay: float, maximize: bool) -> Any:
    """The gradient the update sees: ``±g + weight_decay * p`` (``-`` when maximizing); never writes into ``g``."""
    if weight_decay == 0:
        return np.negative(g) if maximize else g
    d = np.multiply(p, weight_decay)
    if maximize:
        d -= g
    else:
        d += g
    return d
