"""Pooling layers against torch: MaxPool2d, AvgPool2d and AdaptiveAvgPool2d forward and input gradient over
kernels, strides, padding, dilation, ceil mode and odd sizes (float64 tight, float32 loose); MinPool2d
against -max_pool2d(-x) in torch; ties and NaN as torch; indices, repr and errors; float64 gradchecks and
second-order gradients."""

import numpy as np
import pytest
import torch

import autograd
import nn
import nn.functional as F

TOL = {np.float64: {"rtol": 1e-10, "atol": 1e-12}, np.float32: {"rtol": 1e-5, "atol": 1e-6}}
DTYPES = pytest.mark.parametrize("dtype", [np.float64, np.float32])
TF = torch.nn.functional


def _distinct(*shape, seed=0):
    """Values without ties (gaps of at least 0.01), so every window has one max."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.01 - n * 0.005).reshape(shape)


def _compare(ours_fn, torch_fn, x, dtype):
    """Forward and input gradient (random upstream) of both functions agree."""
    x = x.astype(dtype)
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours_fn(xo), torch_fn(xt)
    expected = yt.detach().numpy()
    assert yo.shape == expected.shape and yo.dtype == expected.dtype, f"{yo.shape} {yo.dtype} vs {expected.shape}"
    np.testing.assert_allclose(yo.detach().numpy(), expected, err_msg="output", **TOL[dtype])
    g = np.random.default_rng(1).standard_normal(yo.shape).astype(dtype)
    yo.backward(autograd.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), err_msg="input gradient", **TOL[dtype])


MAX_GRID = [
    ((2, 3, 8, 6), {"kernel_size": 2}),
    ((2, 2, 7, 5), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ((1, 2, 7, 7), {"kernel_size": (3, 2), "stride": (2, 1), "dilation": (2, 1)}),
    ((2, 1, 5, 5), {"kernel_size": 2, "stride": 2, "ceil_mode": True}),
    ((1, 2, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    ((2, 2, 6, 5), {"kernel_size": 3, "stride": 1, "padding": 1}),
    ((3, 7, 5), {"kernel_size": 2, "stride": 1}),
]
IDS = [f"{s}-{k}" for s, k in MAX_GRID]


@DTYPES
@pytest.mark.parametrize(("shape", "kwargs"), MAX_GRID, ids=IDS)
def test_max_pool2d_matches_torch(shape, kwargs, dtype):
    _compare(nn.MaxPool2d(**kwargs), torch.nn.MaxPool2d(**kwargs), _distinct(*shape), dtype)


@DTYPES
@pytest.mark.parametrize(("shape", "kwargs"), MAX_GRID, ids=IDS)
def test_min_pool2d_is_torchs_negated_max_pool_of_the_negation(shape, kwargs, dtype):
    _compare(nn.MinPool2d(**kwargs), lambda x: -TF.max_pool2d(-x, **kwargs), _distinct(*shape), dtype)


AVG_GRID = [
    ((2, 3, 8, 6), {"kernel_size": 2}),
    ((2, 2, 7, 5), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ((2, 2, 7, 5), {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
    ((1, 2, 7, 6), {"kernel_size": (3, 2), "stride": (2, 3), "padding": 1, "ceil_mode": True}),
    ((1, 2, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}),
    ((2, 1, 6, 5), {"kernel_size": 2, "stride": 1, "divisor_override": 3}),
    ((3, 5, 5), {"kernel_size": 3, "stride": 1, "padding": 1}),
]


@DTYPES
@pytest.mark.parametrize(("shape", "kwargs"), AVG_GRID, ids=[f"{s}-{k}" for s, k in AVG_GRID])
def test_avg_pool2d_matches_torch(shape, kwargs, dtype):
    _compare(nn.AvgPool2d(**kwargs), torch.nn.AvgPool2d(**kwargs), _distinct(*shape), dtype)


ADAPTIVE = [
    ((2, 3, 7, 5), (3, 2)),
    ((2, 3, 8, 6), (4, 3)),
    ((2, 3, 6, 5), (None, 2)),
    ((3, 5, 4), 1),
    ((1, 1, 3, 4), 5),
]


@DTYPES
@pytest.mark.parametrize(("shape", "size"), ADAPTIVE, ids=[f"{s}-{o}" for s, o in ADAPTIVE])
def test_adaptive_avg_pool2d_matches_torch(shape, size, dtype):
    _compare(nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size), _distinct(*shape), dtype)


# --- ties, NaN, indices -----------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{"kernel_size": 2}, {"kernel_size": 3, "stride": 1, "padding": 1}])
def test_max_pool_ties_send_the_gradient_to_the_first_max_as_torch(kwargs):
    x = np.random.default_rng(0).integers(0, 2, (2, 2, 6, 6)).astype(np.float64)  # many ties
    _compare(nn.MaxPool2d(**kwargs), torch.nn.MaxPool2d(**kwargs), x, np.float64)


def test_max_pool_tie_goes_to_the_first_element_in_row_major_order():
    x = autograd.tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad.numpy().ravel().tolist() == [1.0, 0.0, 0.0, 0.0]


def test_min_pool_ties_match_torchs_negated_max_pool():
    x = np.random.default_rng(0).integers(0, 2, (2, 2, 6, 6)).astype(np.float64)
    _compare(nn.MinPool2d(3, stride=1, padding=1), lambda t: -TF.max_pool2d(-t, 3, stride=1, padding=1), x, np.float64)


def test_nan_propagates_and_takes_the_gradient_as_torch():
    x = _distinct(1, 2, 4, 4)
    x[0, 0, 0, 1] = x[0, 0, 1, 0] = x[0, 1, 3, 3] = np.nan
    _compare(nn.MaxPool2d(2), torch.nn.MaxPool2d(2), x, np.float64)


@pytest.mark.parametrize(("shape", "kwargs"), MAX_GRID, ids=IDS)
def test_return_indices_match_torch(shape, kwargs):
    x = _distinct(*shape)
    _, ours = F.max_pool2d(autograd.tensor(x), **kwargs, return_indices=True)
    _, theirs = TF.max_pool2d(torch.tensor(x), **kwargs, return_indices=True)
    assert ours.dtype == np.int64
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_max_pool_output_does_not_require_grad_for_its_indices():
    y, indices = nn.MaxPool2d(2, return_indices=True)(autograd.ones(1, 1, 4, 4, requires_grad=True))
    assert y.requires_grad and not indices.requires_grad


# --- numeric and second-order gradients -------------------------------------------------------------


@pytest.mark.parametrize(
    "layer",
    [
        nn.MaxPool2d(3, stride=2, padding=1),
        nn.MinPool2d(2),
        nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
        nn.AdaptiveAvgPool2d((3, 2)),
    ],
    ids=repr,
)
def test_pooling_layer_passes_float64_gradcheck(layer):
    x = autograd.tensor(_distinct(2, 2, 7, 5), requires_grad=True)
    assert autograd.gradcheck(layer, x)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda x: F.max_pool2d(x, 3, 2, 1), lambda x: TF.max_pool2d(x, 3, 2, 1)),
        (lambda x: F.avg_pool2d(x, 3, 2, 1), lambda x: TF.avg_pool2d(x, 3, 2, 1)),
        (lambda x: F.adaptive_avg_pool2d(x, (3, 2)), lambda x: TF.adaptive_avg_pool2d(x, (3, 2))),
    ],
    ids=["max", "avg", "adaptive"],
)
def test_gradient_penalty_through_pooling_matches_torch(ours, theirs):
    x = _distinct(2, 2, 7, 5)
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (go,) = autograd.grad(autograd.tanh(ours(xo * xo)).sum(), xo, create_graph=True)
    (gt,) = torch.autograd.grad(torch.tanh(theirs(xt * xt)).sum(), xt, create_graph=True)
    (go**2).sum().backward()
    (gt**2).sum().backward()
    np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), **TOL[np.float64])


# --- repr and errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (nn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
        (nn.MaxPool2d((3, 2), 1, 1, 2, ceil_mode=True), torch.nn.MaxPool2d((3, 2), 1, 1, 2, ceil_mode=True)),
        (nn.AvgPool2d(3, 2, 1, True, False), torch.nn.AvgPool2d(3, 2, 1, True, False)),
        (nn.AdaptiveAvgPool2d((3, None)), torch.nn.AdaptiveAvgPool2d((3, None))),
    ],
    ids=repr,
)
def test_repr_matches_torch(ours, theirs):
    assert repr(ours) == repr(theirs)


def test_min_pool_repr_names_itself():
    assert repr(nn.MinPool2d(2)) == "MinPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda x: F.max_pool2d(x, 3, padding=2), "pad should be at most half of effective kernel size"),
        (lambda x: F.avg_pool2d(x, 3, padding=2), "pad should be at most half of effective kernel size"),
        (lambda x: F.max_pool2d(x, 3, padding=2, dilation=2), "pad should be smaller than or equal to half of kernel"),
        (lambda x: F.max_pool2d(x, 6), r"Given input size: \(1x5x5\). Calculated output size: \(1x0x0\)"),
        (lambda x: F.max_pool2d(x, 0, stride=1), "kernel size should be greater than zero"),
        (lambda x: F.max_pool2d(x, 2, dilation=0), "dilation should be greater than zero"),
        (lambda x: F.max_pool2d(x, (2, 2, 2)), "kernel_size to be a single integer value or a list of 2"),
        (lambda x: F.max_pool2d(x[0, 0], 2), r"expected a 3D \(unbatched\) or 4D \(batched\) input.*\[5, 5\]"),
        (lambda x: F.avg_pool2d(x, 2, divisor_override=0), "divisor must be not zero"),
        (lambda x: F.adaptive_avg_pool2d(x, (1, 2, 3)), "output_size must be 2"),
        (lambda x: F.adaptive_avg_pool2d(x[0, 0], 2), r"Expected 3D or 4D tensor, but got \[5, 5\]"),
    ],
)
def test_bad_arguments_raise_naming_the_values(call, message):
    with pytest.raises(RuntimeError, match=message):
        call(autograd.ones(1, 1, 5, 5))


def test_an_infinite_upstream_gradient_reaches_only_the_taken_elements():
    x = _distinct(1, 1, 4, 4)
    g = np.full((1, 1, 2, 2), np.inf)
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    F.max_pool2d(xo, 2).backward(autograd.tensor(g))
    TF.max_pool2d(xt, 2).backward(torch.tensor(g))
    np.testing.assert_array_equal(xo.grad.numpy(), xt.grad.numpy())
