"""Class-index targets of cross_entropy and nll_loss: shapes, bounds in every integer dtype, ignore_index."""

import numpy as np
import pytest

import autograd
import nn.functional as F

X = autograd.zeros(3, 4)


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_class_index_target_shape_mismatch_names_both_shapes(name):
    with pytest.raises(ValueError, match=r"target shape \(2,\) does not match input shape \(3, 4\)"):
        getattr(F, name)(X, autograd.tensor([0, 1]))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_a_class_index_out_of_range_is_named(name):
    with pytest.raises(IndexError, match="Target 4 is out of bounds for 4 classes"):
        getattr(F, name)(X, autograd.tensor([0, 4, 1]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        getattr(F, name)(X, autograd.tensor([0, -1, 1]))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
def test_class_index_bounds_hold_for_every_integer_dtype(name, dtype):
    fn = getattr(F, name)
    x = autograd.tensor(np.random.default_rng(0).standard_normal((3, 4)))
    good = autograd.tensor(np.array([0, 3, 1], dtype))
    assert np.isfinite(fn(x, good).item())
    with pytest.raises(IndexError, match="Target 4 is out of bounds for 4 classes"):
        fn(x, autograd.tensor(np.array([0, 4, 1], dtype)))
    if np.dtype(dtype).kind == "i":
        with pytest.raises(IndexError, match="Target -1 is out of bounds"):
            fn(x, autograd.tensor(np.array([0, -1, 1], dtype)))
        ignored = fn(x, autograd.tensor(np.array([0, -7, 1], dtype)), ignore_index=-7, reduction="sum")
        assert ignored.item() == pytest.approx(fn(x[[0, 2]], autograd.tensor([0, 1]), reduction="sum").item())


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_an_in_range_ignore_index_drops_its_targets(name):
    fn = getattr(F, name)
    x = autograd.tensor(np.random.default_rng(1).standard_normal((3, 4)))
    kept = fn(x[[0, 2]], autograd.tensor([0, 3]))
    assert fn(x, autograd.tensor([0, 2, 3]), ignore_index=2).item() == pytest.approx(kept.item())
