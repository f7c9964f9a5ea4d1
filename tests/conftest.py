"""Shared test set-up: the PyTorch oracle is required, never skipped (CI installs it)."""

import numpy as np
import pytest


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(0)
