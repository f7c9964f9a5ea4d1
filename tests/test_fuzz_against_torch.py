"""Property tests: for random shapes and arguments, the engine and PyTorch either both fail or agree.

When both succeed the values match; when PyTorch rejects the arguments we raise one of
our documented exception types (RuntimeError, IndexError, ValueError, TypeError), never
an internal error.
"""

import numpy as np
import torch as pt
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as torch

ERRORS = (RuntimeError, IndexError, ValueError, TypeError)
shapes = st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)
dims = st.integers(-5, 4)


def both(op, *arrays):
    """Run ``op`` on PyTorch tensors and on ours made from the same arrays; compare the outcomes."""
    try:
        expected = op(pt, *[pt.tensor(a) for a in arrays])
    except ERRORS:
        try:
            op(torch, *[torch.tensor(a) for a in arrays])
        except ERRORS:
            return
        raise AssertionError("PyTorch rejected the arguments but the engine accepted them") from None
    got = op(torch, *[torch.tensor(a) for a in arrays])
    expected, got = (r[0] if isinstance(r, tuple) else r for r in (expected, got))  # (values, indices)
    assert got.shape == tuple(expected.shape)
    assert np.allclose(got.detach().numpy(), expected.detach().numpy(), equal_nan=True)


def array(shape):
    return np.random.default_rng(sum(shape) + len(shape)).normal(size=shape)


@settings(max_examples=150, deadline=None)
@given(shapes, dims, st.booleans())
def test_sum_and_mean(shape, dim, keepdim):
    both(lambda m, x: x.sum(dim, keepdim=keepdim), array(shape))
    both(lambda m, x: x.mean(dim, keepdim=keepdim), array(shape))


@settings(max_examples=150, deadline=None)
@given(shapes, dims)
def test_max_over_a_dim(shape, dim):
    both(lambda m, x: x.max(dim), array(shape))


@settings(max_examples=150, deadline=None)
@given(shapes, st.lists(st.integers(-1, 6), min_size=0, max_size=4).map(tuple))
def test_reshape(shape, new_shape):
    both(lambda m, x: x.reshape(new_shape), array(shape))


@settings(max_examples=150, deadline=None)
@given(shapes, dims, dims)
def test_transpose(shape, d0, d1):
    both(lambda m, x: x.transpose(d0, d1), array(shape))


@settings(max_examples=150, deadline=None)
@given(shapes, st.integers(-5, 5))
def test_integer_indexing(shape, index):
    both(lambda m, x: x[index], array(shape))


@settings(max_examples=100, deadline=None)
@given(shapes, st.integers(1, 3), dims)
def test_split(shape, size, dim):
    both(lambda m, x: m.cat(m.split(x, size, dim), dim), array(shape))


@settings(max_examples=100, deadline=None)
@given(shapes, shapes)
def test_broadcasting_add(shape_a, shape_b):
    both(lambda m, a, b: a + b, array(shape_a), array(shape_b))
