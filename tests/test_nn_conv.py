"""nn.Conv2d and F.conv2d against torch with the same weights: forward, input, weight and bias gradients
over a grid of stride, padding, dilation, groups and odd sizes (float64 tight, float32 loose); default
init, repr and errors as torch's; float64 gradchecks of the layer; second-order gradients."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
import nn.functional as F

TOL = {np.float64: {"rtol": 1e-10, "atol": 1e-12}, np.float32: {"rtol": 1e-4, "atol": 1e-5}}
TORCH_DTYPE = {np.float64: torch.float64, np.float32: torch.float32}
DTYPES = pytest.mark.parametrize("dtype", [np.float64, np.float32])


def _x(*shape, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, shape)


def _close(ours, theirs, dtype, what):
    expected = theirs.detach().numpy()
    assert ours.shape == expected.shape, f"{what}: shape {ours.shape} vs torch {expected.shape}"
    assert ours.dtype == expected.dtype, f"{what}: dtype {ours.dtype} vs torch {expected.dtype}"
    np.testing.assert_allclose(ours.detach().numpy(), expected, err_msg=what, **TOL[dtype])


def _pair(args, kwargs, dtype):
    """The same layer in both libraries, with torch's initial weights copied into ours."""
    theirs = torch.nn.Conv2d(*args, **kwargs).to(TORCH_DTYPE[dtype])
    ours = nn.Conv2d(*args, **kwargs).to(dtype)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def assert_conv_matches_torch(args, kwargs, shape, dtype):
    ours, theirs = _pair(args, kwargs, dtype)
    x = _x(*shape).astype(dtype)
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns that 'same' with an even kernel copies its input
        yo, yt = ours(xo), theirs(xt)
    _close(yo, yt, dtype, "output")
    g = np.random.default_rng(1).standard_normal(yo.shape).astype(dtype)
    yo.backward(autograd.tensor(g))
    yt.backward(torch.tensor(g))
    _close(xo.grad, xt.grad, dtype, "input gradient")
    for (name, p), (_, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        _close(p.grad, tp.grad, dtype, f"gradient of {name}")


GRID = [
    ((3, 4, 3), {}, (2, 3, 7, 5)),
    ((3, 4, (3, 2)), {"stride": 2}, (2, 3, 7, 5)),
    ((3, 4, 3), {"stride": (2, 1), "padding": 1}, (2, 3, 7, 5)),
    ((3, 4, (2, 3)), {"padding": (2, 1), "dilation": 2}, (2, 3, 7, 5)),
    ((3, 4, 3), {"padding": "same"}, (2, 3, 7, 5)),
    ((3, 4, (2, 4)), {"padding": "same", "dilation": (1, 2)}, (2, 3, 7, 5)),
    ((3, 4, 3), {"padding": "valid", "bias": False}, (2, 3, 7, 5)),
    ((4, 6, 3), {"groups": 2, "padding": 1}, (2, 4, 7, 5)),
    ((4, 4, 3), {"groups": 4, "stride": 2, "padding": 1, "bias": False}, (2, 4, 7, 5)),
    ((6, 3, (3, 1)), {"groups": 3, "dilation": (2, 1), "padding": (1, 0)}, (1, 6, 7, 5)),
    ((2, 3, 1), {"stride": 3}, (3, 2, 7, 5)),
    ((2, 3, 3), {"padding": 1}, (2, 7, 5)),
]


@DTYPES
@pytest.mark.parametrize(("args", "kwargs", "shape"), GRID, ids=[f"{a}-{k}-{s}" for a, k, s in GRID])
def test_conv2d_matches_torch(args, kwargs, shape, dtype):
    assert_conv_matches_torch(args, kwargs, shape, dtype)


@DTYPES
@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv2d_padding_modes_match_torch(mode, dtype):
    assert_conv_matches_torch((3, 4, 3), {"padding": (2, 1), "padding_mode": mode}, (2, 3, 7, 5), dtype)


def test_same_padding_with_a_padding_mode_matches_torch():
    assert_conv_matches_torch((2, 3, (2, 3)), {"padding": "same", "padding_mode": "reflect"}, (1, 2, 6, 5), np.float64)


def test_conv2d_of_a_non_contiguous_input_matches_torch():
    x = _x(2, 5, 7, 3).transpose(0, 3, 1, 2)  # (2, 3, 5, 7), not contiguous
    w, b = _x(4, 3, 3, 2, seed=1), _x(4, seed=2)
    ours = F.conv2d(autograd.tensor(x), autograd.tensor(w), autograd.tensor(b), padding=1)
    theirs = torch.nn.functional.conv2d(torch.tensor(x), torch.tensor(w), torch.tensor(b), padding=1)
    _close(ours, theirs, np.float64, "output")


def test_conv_transpose2d_is_the_input_gradient_of_conv2d():
    x, w = autograd.tensor(_x(2, 3, 7, 6), requires_grad=True), autograd.tensor(_x(4, 3, 3, 3, seed=1))
    g = autograd.tensor(_x(2, 4, 4, 3, seed=2))
    F.conv2d(x, w, stride=2, padding=1).backward(g)
    transposed = F.conv_transpose2d(g, w, stride=2, padding=1, output_padding=(0, 1))
    np.testing.assert_allclose(transposed.numpy(), x.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_unfold_then_matmul_is_conv2d():
    x, w = autograd.tensor(_x(2, 3, 6, 5)), autograd.tensor(_x(4, 3, 2, 3, seed=1))
    cols = F.unfold(x, (2, 3), padding=1)
    y = (w.reshape(4, -1) @ cols).reshape(2, 4, 7, 5)
    np.testing.assert_allclose(y.numpy(), F.conv2d(x, w, padding=1).numpy(), rtol=1e-12, atol=1e-12)


def test_conv2d_output_is_a_view_of_one_gemm_in_channel_major_memory():
    y = F.conv2d(autograd.ones(4, 2, 5, 5), autograd.ones(3, 2, 3, 3)).numpy()
    assert y.base is not None and y.transpose(1, 2, 3, 0).flags.c_contiguous


small = st.integers(1, 3)


@settings(max_examples=30, deadline=None)
@given(
    n=small,
    groups=small,
    cin=small,
    cout=small,
    kernel=st.tuples(small, small),
    stride=st.tuples(small, small),
    dilation=st.tuples(small, small),
    padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    size=st.tuples(st.integers(1, 8), st.integers(1, 8)),
    transposed=st.booleans(),
)
def test_any_geometry_agrees_with_torch_or_fails_like_it(
    n, groups, cin, cout, kernel, stride, dilation, padding, size, transposed
):
    x = _x(n, cin * groups, *size)
    w = _x(*((cin * groups, cout) if transposed else (cout * groups, cin)), *kernel, seed=1)
    kwargs = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    name = "conv_transpose2d" if transposed else "conv2d"
    ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    xt = torch.tensor(x, requires_grad=True)
    try:
        expected = theirs(xt, torch.tensor(w), **kwargs)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            ours(autograd.tensor(x), autograd.tensor(w), **kwargs)
        return
    xo = autograd.tensor(x, requires_grad=True)
    got = ours(xo, autograd.tensor(w), **kwargs)
    _close(got, expected, np.float64, "output")
    g = _x(*got.shape, seed=2)
    got.backward(autograd.tensor(g))
    expected.backward(torch.tensor(g))
    _close(xo.grad, xt.grad, np.float64, "input gradient")


# --- second order -----------------------------------------------------------------------------------


def _gradient_penalty(lib, conv, x):
    """d/dparams of |d(sum of tanh(conv(x)))/dx|^2, which differentiates the conv backward."""
    y = lib.tanh(conv(x)).sum()
    (gx,) = lib.autograd.grad(y, x, create_graph=True) if lib is torch else lib.grad(y, x, create_graph=True)
    return (gx**2).sum()


def test_gradient_penalty_through_conv2d_matches_torch():
    ours, theirs = _pair((2, 3, 3), {"stride": 2, "padding": 1, "groups": 1}, np.float64)
    x = _x(2, 2, 5, 6)
    xo, xt = autograd.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    _gradient_penalty(autograd, ours, xo).backward()
    _gradient_penalty(torch, theirs, xt).backward()
    _close(xo.grad, xt.grad, np.float64, "input gradient")
    for (name, p), (_, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        _close(p.grad, tp.grad, np.float64, f"gradient of {name}")


# --- numeric gradients ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs", [{"padding": 1}, {"stride": 2, "dilation": (1, 2), "groups": 2, "padding": "valid"}, {"padding": "same"}]
)
def test_conv2d_layer_passes_float64_gradcheck_on_parameters_and_input(kwargs):
    layer = nn.Conv2d(2, 4, (3, 2), **kwargs).double()
    x = autograd.tensor(_x(2, 2, 5, 4), requires_grad=True)
    report = autograd.check_gradients(layer, x)
    assert report.passed, report
    assert {row.name for row in report.rows} >= {"weight", "bias"}


# --- init, attributes, repr -------------------------------------------------------------------------


def test_default_init_uses_torch_bounds():
    layer = nn.Conv2d(16, 32, (3, 5), groups=2)
    bound = 1 / np.sqrt(8 * 3 * 5)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound


def test_default_init_has_the_spread_of_a_uniform_on_the_bounds():
    w = nn.Conv2d(64, 64, 3).weight.detach().numpy()
    bound = 1 / np.sqrt(64 * 9)
    np.testing.assert_allclose(w.std(), bound / np.sqrt(3), rtol=0.02)
    assert abs(w.mean()) < 0.01 * bound


def test_parameters_have_torch_shapes_and_names():
    ours, theirs = nn.Conv2d(4, 6, (3, 2), groups=2), torch.nn.Conv2d(4, 6, (3, 2), groups=2)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]


def test_no_bias_registers_none():
    layer = nn.Conv2d(2, 3, 3, bias=False)
    assert layer.bias is None and [name for name, _ in layer.named_parameters()] == ["weight"]


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((3, 6, 3), {}),
        ((4, 6, (3, 2)), {"stride": 2, "padding": 1, "dilation": 2, "groups": 2, "bias": False}),
        ((3, 6, 3), {"padding": "same", "padding_mode": "circular"}),
        ((3, 6, 3), {"padding": "valid"}),
    ],
)
def test_repr_matches_torch(args, kwargs):
    assert repr(nn.Conv2d(*args, **kwargs)) == repr(torch.nn.Conv2d(*args, **kwargs))


def test_attributes_match_torch():
    ours, theirs = (
        nn.Conv2d(2, 4, (3, 1), stride=2, padding=1, dilation=(2, 1)),
        torch.nn.Conv2d(2, 4, (3, 1), stride=2, padding=1, dilation=(2, 1)),
    )
    for name in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"):
        assert getattr(ours, name) == getattr(theirs, name), name


# --- errors -----------------------------------------------------------------------------------------


def test_wrong_channel_count_names_both():
    with pytest.raises(RuntimeError, match=r"expected input\[2, 4, 5, 5\] to have 3 channels, but got 4"):
        nn.Conv2d(3, 6, 3)(autograd.ones(2, 4, 5, 5))


def test_kernel_bigger_than_padded_input_is_an_error():
    with pytest.raises(RuntimeError, match=r"padded input size per channel: \(2 x 2\). Kernel size: \(3 x 3\)"):
        nn.Conv2d(1, 1, 3)(autograd.ones(1, 1, 2, 2))


def test_dilated_kernel_size_is_what_must_fit():
    with pytest.raises(RuntimeError, match=r"Kernel size: \(5 x 5\)"):
        nn.Conv2d(1, 1, 3, dilation=2)(autograd.ones(1, 1, 4, 4))


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((4, 6, 3), {"groups": 3}, "in_channels must be divisible by groups"),
        ((6, 4, 3), {"groups": 3}, "out_channels must be divisible by groups"),
        ((2, 2, 3), {"groups": 0}, "groups must be a positive integer"),
        ((2, 2, 3), {"padding": "same", "stride": 2}, "padding='same' is not supported for strided convolutions"),
        ((2, 2, 3), {"padding": "full"}, "Invalid padding string 'full'"),
        ((2, 2, 3), {"padding_mode": "mirror"}, "padding_mode must be one of"),
    ],
)
def test_constructor_errors_are_torchs(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.Conv2d(*args, **kwargs)
    with pytest.raises(ValueError, match=message):
        torch.nn.Conv2d(*args, **kwargs)


def test_input_of_the_wrong_rank_is_an_error():
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d"):
        nn.Conv2d(1, 1, 1)(autograd.ones(2, 3))


@pytest.mark.parametrize(
    ("x", "w", "b", "kwargs", "message"),
    [
        ((1, 4, 5, 5), (3, 2, 3, 3), None, {"groups": 2}, "expected weight to be divisible by 2 at dimension 0"),
        ((1, 3, 5, 5), (2, 3, 3, 3), (5,), {}, r"expected bias to be 1-dimensional with 2 elements.*\[5\]"),
        ((1, 3, 5, 5), (2, 3, 3, 3), None, {"stride": 0}, "non-positive stride is not supported"),
        ((1, 3, 5, 5), (2, 3, 3, 3), None, {"padding": -1}, "negative padding is not supported"),
        ((1, 3, 5, 5), (2, 3, 3, 3), None, {"dilation": 0}, "non-positive dilation is not supported"),
        ((1, 3, 5, 5), (2, 3, 3, 3), None, {"stride": (1, 2, 3)}, "stride to be a single integer value or a list of 2"),
        ((1, 3, 5, 5), (2, 3, 3), None, {}, r"expected a 4D weight, but got weight of size \[2, 3, 3\]"),
    ],
)
def test_functional_errors_name_the_values(x, w, b, kwargs, message):
    bias = None if b is None else autograd.ones(*b)
    with pytest.raises(RuntimeError, match=message):
        F.conv2d(autograd.ones(*x), autograd.ones(*w), bias, **kwargs)


def test_mixed_dtypes_are_an_error():
    with pytest.raises(RuntimeError, match=r"input type \(float64\) and weight type \(float32\)"):
        F.conv2d(autograd.ones(1, 1, 3, 3, dtype=autograd.float64), autograd.ones(1, 1, 3, 3))
