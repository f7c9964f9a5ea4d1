"""Reductions and the softmax family where the generated registry tests cannot look.

Ties in max/min (the registry samples have none), counts over many elements,
empty and -inf inputs, and stability at +-1000, all with NumPy set to raise.
"""

import warnings

import numpy as np
import pytest
import torch

import autograd


@pytest.fixture(autouse=True)
def numpy_raises():
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def both(values, dtype=np.float64):
    """The same leaf in both libraries."""
    array = np.asarray(values, dtype=dtype)
    return autograd.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)


def backward_both(ours, theirs, seed=0):
    g = np.random.default_rng(seed).standard_normal(ours.shape).astype(ours.dtype)
    ours.backward(autograd.tensor(g))
    theirs.backward(torch.tensor(g))


TIES = [[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [5.0, 0.0, 5.0, 5.0]]


@pytest.mark.parametrize("name", ["max", "min"])
def test_full_max_and_min_split_the_gradient_evenly_among_ties(name):
    x = autograd.ones(4, requires_grad=True)
    getattr(x, name)().backward()
    assert x.grad.tolist() == [0.25] * 4


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
def test_full_reduction_ties_match_torch(name):
    x, tx = both(TIES)
    backward_both(getattr(x, name)(), getattr(tx, name)())
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("name", ["amax", "amin"])
@pytest.mark.parametrize("dim", [0, 1, (0, 1)])
def test_amax_and_amin_split_ties_along_dims_as_torch(name, dim):
    x, tx = both(TIES)
    backward_both(getattr(x, name)(dim), getattr(tx, name)(dim))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-15)


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("dim", [0, 1, 2, -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_max_along_a_dim_gives_the_first_tied_index_and_its_gradient_as_torch(name, dim, keepdim):
    values = np.random.default_rng(1).integers(0, 3, size=(4, 5, 6)).astype(np.float64)
    x, tx = both(values)
    ours, theirs = getattr(x, name)(dim, keepdim), getattr(tx, name)(dim, keepdim)
    assert ours.indices.dtype == autograd.int64 and not ours.indices.requires_grad
    np.testing.assert_array_equal(ours.indices.numpy(), theirs.indices.numpy())
    np.testing.assert_array_equal(ours.values.detach().numpy(), theirs.values.detach().numpy())
    backward_both(ours.values, theirs.values)
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("dim", [None, 0, 1])
def test_argmax_and_argmin_on_ties_give_torchs_index(name, dim):
    values = np.random.default_rng(2).integers(0, 3, size=(50, 40)).astype(np.float32)
    ours = getattr(autograd.tensor(values), name)(dim)
    theirs = getattr(torch.tensor(values), name)(dim)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("name", ["max", "amax", "min"])
def test_ties_over_70000_float32_elements_get_exactly_one_share_each(name):
    x = autograd.ones(70000, dtype=autograd.float32, requires_grad=True)
    tx = torch.ones(70000, dtype=torch.float32, requires_grad=True)
    getattr(x, name)().backward()
    getattr(tx, name)().backward()
    assert x.grad.dtype == autograd.float32
    assert np.all(x.grad.numpy() == np.float32(1 / 70000))
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def test_max_with_a_tensor_is_the_elementwise_maximum():
    a, b = autograd.tensor([1.0, 5.0]), autograd.tensor([3.0, 2.0])
    assert autograd.max(a, b).tolist() == [3.0, 5.0]
    assert autograd.min(a, other=b).tolist() == [1.0, 2.0]


def test_a_bad_dim_names_the_dim_and_the_ndim():
    with pytest.raises(IndexError, match=r"got 3\).*ndim 2"):
        autograd.ones(2, 3).sum(3)
    with pytest.raises(IndexError, match=r"got -3\).*ndim 2"):
        autograd.ones(2, 3).max(-3)


def test_max_over_an_empty_dim_names_it():
    with pytest.raises(IndexError, match="reduction dim 1"):
        autograd.ones(2, 0).max(1)
    with pytest.raises(RuntimeError, match="numel"):
        autograd.ones(0).max()


@pytest.mark.parametrize("op", ["mean", "var", "std"])
def test_mean_var_std_of_empty_are_nan_without_warnings(op):
    x = autograd.ones(0, 3, requires_grad=True)
    y = getattr(x, op)()
    assert np.isnan(y.item())
    y.backward()
    assert x.grad.shape == (0, 3)
    assert np.isnan(getattr(x, op)(0).detach().numpy()).all()


def test_std_of_a_single_value_is_0_with_a_zero_gradient_at_both_orders():
    x = autograd.tensor(1.5, dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.grad(x.std(correction=0), x, create_graph=True)
    assert g.item() == 0.0
    (gg,) = autograd.grad(g, x, allow_unused=True)
    assert gg is None or gg.item() == 0.0


@pytest.mark.parametrize("zeros", [1, 2, 3])
def test_prod_gradients_with_zeros_match_torch_to_second_order(zeros):
    values = np.array([[2.0, -3.0, 0.5, 4.0], [1.5, 2.0, -1.0, 3.0]])
    values[0, :zeros] = 0.0
    x, tx = both(values)
    v = np.random.default_rng(3).standard_normal(2)
    (g,) = autograd.grad(x.prod(1), x, autograd.tensor(v), create_graph=True)
    (tg,) = torch.autograd.grad(tx.prod(1), tx, torch.tensor(v), create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), tg.detach().numpy(), rtol=1e-12)
    w = np.random.default_rng(4).standard_normal(values.shape)
    (gg,) = autograd.grad(g, x, autograd.tensor(w))
    (tgg,) = torch.autograd.grad(tg, tx, torch.tensor(w))
    np.testing.assert_allclose(gg.numpy(), tgg.numpy(), rtol=1e-12, atol=1e-15)


def test_logsumexp_of_a_row_of_minus_inf_is_minus_inf_with_zero_gradient():
    x = autograd.tensor([[-np.inf, -np.inf], [0.0, np.log(3.0)]], dtype=autograd.float64, requires_grad=True)
    y = autograd.logsumexp(x, 1)
    assert y[0].item() == -np.inf
    assert y[1].item() == pytest.approx(np.log(4.0), rel=1e-15)
    (g,) = autograd.grad(y.sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [[0.0, 0.0], [0.25, 0.75]], rtol=1e-15)
    (gg,) = autograd.grad(g[1, 0], x)
    assert np.all(np.isfinite(gg.numpy())) and gg[0].tolist() == [0.0, 0.0]


def test_logsumexp_of_large_values_does_not_overflow():
    y = autograd.logsumexp(autograd.tensor([1000.0, 1000.0], dtype=autograd.float64), 0)
    assert y.item() == pytest.approx(1000.0 + np.log(2.0), rel=1e-15)


@pytest.mark.parametrize("dtype", [autograd.float32, autograd.float64])
def test_softmax_of_1000_and_0_is_exactly_1_and_0(dtype):
    x = autograd.tensor([1000.0, 0.0], dtype=dtype, requires_grad=True)
    y = autograd.softmax(x, 0)
    assert y.tolist() == [1.0, 0.0]
    y.backward(autograd.tensor([1.0, 2.0], dtype=dtype))
    assert x.grad.tolist() == [0.0, 0.0]
    assert autograd.log_softmax(x, 0).tolist() == [0.0, -1000.0]


def test_softmax_of_a_row_of_minus_inf_is_nan_as_in_torch():
    values = [[-np.inf, -np.inf], [0.0, 1.0]]
    ours = autograd.softmax(autograd.tensor(values), 1).numpy()
    theirs = torch.softmax(torch.tensor(values), 1).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("dtype", [autograd.float32, autograd.float64])
def test_cross_entropy_of_logit_1000_is_exactly_1000_with_gradient_1_and_minus_1(dtype):
    logits = autograd.tensor([[1000.0, 0.0]], dtype=dtype, requires_grad=True)
    loss = autograd.cross_entropy(logits, autograd.tensor([1]))
    assert loss.item() == 1000.0
    loss.backward()
    assert logits.grad.tolist() == [[1.0, -1.0]]


def test_cross_entropy_names_a_target_out_of_range():
    with pytest.raises(IndexError, match="Target 4 is out of bounds for 3 classes"):
        autograd.cross_entropy(autograd.zeros(2, 3), autograd.tensor([4, 1]))


def test_numpy_reductions_on_tensors_are_recorded():
    x, tx = both([[1.0, 4.0], [3.0, 2.0]])
    y = np.sum(np.max(x, axis=1) * np.mean(x, axis=0, keepdims=True) + np.prod(x, axis=0))
    ty = (tx.amax(1) * tx.mean(0, keepdim=True) + tx.prod(0)).sum()
    backward_both(y, ty)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-15)


def test_var_and_std_accept_torchs_older_unbiased_forms():
    values = np.random.default_rng(5).standard_normal((3, 4))
    x, tx = autograd.tensor(values), torch.tensor(values)
    np.testing.assert_allclose(x.var(True).numpy(), tx.var(True).numpy(), rtol=1e-14)
    np.testing.assert_allclose(x.std(1, False).numpy(), tx.std(1, False).numpy(), rtol=1e-14)
    with pytest.raises(TypeError, match="unbiased=True or correction=0"):
        x.var(unbiased=True, correction=0)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_with_a_dtype_casts_first_and_gives_the_gradient_in_the_input_dtype(name):
    x = autograd.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = getattr(autograd, name)(x, 1, dtype=autograd.float64)
    assert y.dtype == autograd.float64
    y.sum().backward()
    assert x.grad.dtype == autograd.float32
