"""Activation modules and nn.functional activations against PyTorch: values, gradients, options, reprs, in place."""

import inspect
import warnings

import numpy as np
import pytest
import torch

import autograd
import nn
import nn.functional as F

TOL = {np.float64: {"rtol": 1e-10, "atol": 1e-12}, np.float32: {"rtol": 1e-5, "atol": 1e-6}}
DTYPES = [np.float64, np.float32]

# (class name, constructor kwargs, the points where the function has a kink)
ACTIVATIONS = [
    ("Sigmoid", {}, ()),
    ("Tanh", {}, ()),
    ("ReLU", {}, (0.0,)),
    ("ReLU6", {}, (0.0, 6.0)),
    ("Hardtanh", {}, (-1.0, 1.0)),
    ("Hardtanh", {"min_val": -2.0, "max_val": 1.5}, (-2.0, 1.5)),
    ("LeakyReLU", {}, (0.0,)),
    ("LeakyReLU", {"negative_slope": 0.2}, (0.0,)),
    ("PReLU", {}, (0.0,)),
    ("PReLU", {"num_parameters": 3, "init": 0.1}, (0.0,)),
    ("ELU", {}, (0.0,)),
    ("ELU", {"alpha": 0.5}, (0.0,)),
    ("GELU", {}, ()),
    ("GELU", {"approximate": "tanh"}, ()),
    ("SiLU", {}, ()),
    ("Mish", {}, ()),
    ("Softplus", {}, ()),
    ("Softplus", {"beta": 2.0, "threshold": 5.0}, (2.5,)),
    ("Softmax", {"dim": 1}, ()),
    ("Softmax", {"dim": -1}, ()),
    ("LogSoftmax", {"dim": 0}, ()),
    ("LogSoftmax", {"dim": 2}, ()),
]
IDS = [f"{name}({', '.join(f'{k}={v}' for k, v in kw.items())})" for name, kw, _ in ACTIVATIONS]


def away_from(x, kinks, gap=0.05):
    """``x`` with every value within ``gap`` of a kink pushed ``gap`` away (derivatives are one-sided there)."""
    for k in kinks:
        near = np.abs(x - k) < gap
        x = np.where(near, k + np.where(x >= k, gap, -gap), x)
    return x


def compare(ours, theirs, dtype, what):
    expected = theirs.detach().numpy()
    assert ours.shape == expected.shape, f"{what}: shape {ours.shape} vs torch {expected.shape}"
    assert ours.dtype == expected.dtype, f"{what}: dtype {ours.dtype} vs torch {expected.dtype}"
    np.testing.assert_allclose(ours.detach().numpy(), expected, err_msg=what, **TOL[dtype])


def run_both(ours_fn, theirs_fn, x, dtype, seed=0):
    """Forward and backward (random upstream) of both on the same input; returns both input tensors."""
    a = autograd.tensor(x.astype(dtype), requires_grad=True)
    t = torch.tensor(x.astype(dtype), requires_grad=True)
    y, ty = ours_fn(a), theirs_fn(t)
    compare(y, ty, dtype, "forward")
    g = np.random.default_rng(seed).standard_normal(y.shape).astype(dtype)
    y.backward(autograd.tensor(g))
    ty.backward(torch.tensor(g))
    compare(a.grad, t.grad, dtype, "gradient")
    return a, t


def sample(kinks, shape=(4, 3, 5), seed=0):
    return away_from(np.random.default_rng(seed).uniform(-8, 8, shape), kinks)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "kwargs", "kinks"), ACTIVATIONS, ids=IDS)
def test_module_matches_torch_forward_and_backward(name, kwargs, kinks, dtype):
    ours = getattr(nn, name)(**kwargs)
    theirs = getattr(torch.nn, name)(**kwargs).to(torch.float64 if dtype == np.float64 else torch.float32)
    if name == "PReLU":
        ours = ours.double() if dtype == np.float64 else ours
    run_both(ours, theirs, sample(kinks), dtype)
    for p, tp in zip(ours.parameters(), theirs.parameters()):
        compare(p.grad, tp.grad, dtype, f"{name} parameter gradient")


@pytest.mark.parametrize(("name", "kwargs", "kinks"), ACTIVATIONS, ids=IDS)
def test_module_passes_gradcheck_in_float64(name, kwargs, kinks):
    module = getattr(nn, name)(**kwargs).double()
    x = autograd.tensor(sample(kinks, (2, 3, 4), seed=1), requires_grad=True)
    assert autograd.gradcheck(module, [x])


ONE_CHANNEL = [(a, i) for a, i in zip(ACTIVATIONS, IDS) if "Softmax" not in i and "num_parameters=3" not in i]


@pytest.mark.parametrize(("name", "kwargs", "kinks"), [a for a, _ in ONE_CHANNEL], ids=[i for _, i in ONE_CHANNEL])
def test_module_matches_torch_on_0d_1d_and_empty_inputs(name, kwargs, kinks):
    for shape in ((), (7,), (0, 3)):
        run_both(
            getattr(nn, name)(**kwargs).double(),
            getattr(torch.nn, name)(**kwargs).double(),
            sample(kinks, shape),
            np.float64,
        )


FUNCTIONAL = [
    ("relu", {}),
    ("relu6", {}),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ("sigmoid", {}),
    ("tanh", {}),
    ("leaky_relu", {"negative_slope": 0.3}),
    ("elu", {"alpha": 2.0}),
    ("gelu", {"approximate": "tanh"}),
    ("silu", {}),
    ("mish", {}),
    ("softplus", {"beta": 0.5, "threshold": 3.0}),
    ("softmax", {"dim": 1}),
    ("log_softmax", {"dim": 1}),
    ("softmax", {"dim": 0, "dtype": torch.float64}),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "kwargs"), FUNCTIONAL, ids=[f"{n}-{k}" for n, k in FUNCTIONAL])
def test_functional_matches_torch(name, kwargs, dtype):
    ours_kwargs = {k: (autograd.float64 if k == "dtype" else v) for k, v in kwargs.items()}
    x = sample((0.0, -0.5, 2.0, 6.0, 6.0), (5, 4))
    out_dtype = np.float64 if "dtype" in kwargs else dtype
    a = autograd.tensor(x.astype(dtype), requires_grad=True)
    t = torch.tensor(x.astype(dtype), requires_grad=True)
    y, ty = getattr(F, name)(a, **ours_kwargs), getattr(torch.nn.functional, name)(t, **kwargs)
    compare(y, ty, out_dtype, name)
    y.sum().backward()
    ty.sum().backward()
    compare(a.grad, t.grad, dtype, f"{name} gradient")


#: torch's C builtins have no inspectable signature: their documented one.
BUILTIN_SIGNATURES = {
    "prelu": [("input", inspect.Parameter.empty), ("weight", inspect.Parameter.empty)],
    "gelu": [("input", inspect.Parameter.empty), ("approximate", "none")],
    "softplus": [("input", inspect.Parameter.empty), ("beta", 1.0), ("threshold", 20.0)],
}


def parameters(fn):
    return [(p.name, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("name", [n for n in F.activation.__all__ if n != "swish"])
def test_functional_signature_is_torchs(name):
    theirs = BUILTIN_SIGNATURES.get(name) or parameters(getattr(torch.nn.functional, name))
    assert parameters(getattr(F, name)) == theirs


@pytest.mark.parametrize("name", [n for n in nn.activation.__all__ if n not in ("Swish", "Sigmoid", "Tanh")])
def test_module_constructor_signature_is_torchs(name):
    assert parameters(getattr(nn, name).__init__) == parameters(getattr(torch.nn, name).__init__)


REPRS = [
    ("ReLU", {}),
    ("ReLU", {"inplace": True}),
    ("ReLU6", {"inplace": True}),
    ("Hardtanh", {"min_val": -2.0, "max_val": 3.0, "inplace": True}),
    ("Sigmoid", {}),
    ("Tanh", {}),
    ("LeakyReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.2, "inplace": True}),
    ("PReLU", {"num_parameters": 3}),
    ("ELU", {"alpha": 0.5, "inplace": True}),
    ("GELU", {}),
    ("GELU", {"approximate": "tanh"}),
    ("SiLU", {"inplace": True}),
    ("Mish", {}),
    ("Softplus", {"beta": 2.0, "threshold": 10.0}),
    ("Softmax", {}),
    ("Softmax", {"dim": -1}),
    ("LogSoftmax", {"dim": 0}),
]


@pytest.mark.parametrize(("name", "kwargs"), REPRS, ids=[f"{n}-{k}" for n, k in REPRS])
def test_repr_is_torchs(name, kwargs):
    assert repr(getattr(nn, name)(**kwargs)) == repr(getattr(torch.nn, name)(**kwargs))


# --- in place ------------------------------------------------------------------------------------

INPLACE = [
    ("relu", {}),
    ("relu6", {}),
    ("hardtanh", {"min_val": -2.0, "max_val": 1.5}),
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 0.7}),
    ("silu", {}),
    ("mish", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), INPLACE, ids=[n for n, _ in INPLACE])
def test_inplace_writes_into_a_graph_tensor_with_torchs_values_and_gradients(name, kwargs):
    x = sample((0.0, -2.0, 1.5, 6.0), (3, 4))
    a = autograd.tensor(x, requires_grad=True)
    t = torch.tensor(x, requires_grad=True)
    h, th = a * 2, t * 2
    y = getattr(F, name)(h, **kwargs, inplace=True)
    ty = getattr(torch.nn.functional, name)(th, **kwargs, inplace=True)
    assert y is h and h._version == 1
    compare(h, th, np.float64, name)
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    compare(a.grad, t.grad, np.float64, f"{name} gradient")


@pytest.mark.parametrize(("name", "kwargs"), INPLACE, ids=[n for n, _ in INPLACE])
def test_inplace_on_a_leaf_that_requires_grad_raises_as_torch(name, kwargs):
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(torch.nn.functional, name)(torch.ones(2, requires_grad=True), **kwargs, inplace=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(F, name)(autograd.ones(2, requires_grad=True), **kwargs, inplace=True)


def test_inplace_module_changes_its_input_outside_a_graph():
    x = autograd.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(x) is x
    assert x.tolist() == [0.0, 2.0]


# --- PReLU ---------------------------------------------------------------------------------------


def test_prelu_weight_is_a_parameter_of_num_parameters_filled_with_init():
    m = nn.PReLU(4, init=0.1)
    assert isinstance(m.weight, nn.Parameter) and m.weight.shape == (4,)
    assert m.weight.tolist() == pytest.approx([0.1] * 4)
    assert [name for name, _ in m.named_parameters()] == ["weight"]
    assert nn.PReLU().weight.tolist() == [0.25] and nn.PReLU().weight.dtype == autograd.float32


@pytest.mark.parametrize(("shape", "channels"), [((5, 3), 3), ((2, 3, 4, 4), 3), ((2, 3, 4), 1), ((6,), 1), ((), 1)])
def test_prelu_weight_gradient_matches_torch_over_the_channel_dim(shape, channels):
    x = sample((0.0,), shape)
    w = np.random.default_rng(2).uniform(0.05, 0.5, channels)
    a, aw = autograd.tensor(x, requires_grad=True), autograd.tensor(w, requires_grad=True)
    t, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    F.prelu(a, aw).sum().backward()
    torch.nn.functional.prelu(t, tw).sum().backward()
    compare(aw.grad, tw.grad, np.float64, "weight gradient")
    compare(a.grad, t.grad, np.float64, "input gradient")


def test_prelu_passes_gradcheck_in_input_and_weight():
    x = autograd.tensor(sample((0.0,), (2, 3, 2)), requires_grad=True)
    w = autograd.tensor([0.1, 0.2, 0.3], dtype=autograd.float64, requires_grad=True)
    assert autograd.gradcheck(F.prelu, [x, w])
    assert autograd.gradgradcheck(F.prelu, [x, w])


def test_prelu_names_parameter_count_and_channels_on_a_mismatch():
    with pytest.raises(RuntimeError, match=r"parameter numbers = 2 and channel size = 3 \(input shape \(4, 3\)\)"):
        nn.PReLU(2)(autograd.ones(4, 3))


# --- Swish, softmax's implicit dim ---------------------------------------------------------------


@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0])
def test_swish_is_x_times_sigmoid_of_beta_x(beta):
    run_both(nn.Swish(beta), lambda t: t * torch.sigmoid(beta * t), sample(()), np.float64)


def test_swish_with_beta_1_is_silu():
    x = autograd.tensor(sample(()))
    assert np.array_equal(nn.Swish()(x).numpy(), nn.SiLU()(x).numpy())


@pytest.mark.parametrize("ndim", [1, 2, 3, 4])
def test_softmax_without_dim_warns_and_picks_torchs_dim(ndim):
    x = sample((), (2,) * ndim)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        ours = nn.Softmax()(autograd.tensor(x))
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        F.log_softmax(autograd.tensor(x))
    with pytest.warns(UserWarning):
        theirs = torch.nn.Softmax()(torch.tensor(x))
    compare(ours, theirs, np.float64, "softmax")


# --- stability -----------------------------------------------------------------------------------

EXTREMES = [("sigmoid", {}), ("tanh", {}), ("softplus", {}), ("silu", {}), ("mish", {}), ("elu", {}), ("gelu", {})]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("name", "kwargs"), EXTREMES + [("gelu", {"approximate": "tanh"})], ids=str)
def test_activation_at_plus_minus_1000_is_finite_warning_free_and_torchs(name, kwargs, dtype):
    x = np.array([-1000.0, -300.0, -30.0, 30.0, 300.0, 1000.0])
    a = autograd.tensor(x.astype(dtype), requires_grad=True)
    t = torch.tensor(x.astype(dtype), requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        y = getattr(F, name)(a, **kwargs)
        y.sum().backward()
    ty = getattr(torch.nn.functional, name)(t, **kwargs)
    ty.sum().backward()
    assert np.all(np.isfinite(y.detach().numpy())) and np.all(np.isfinite(a.grad.numpy()))
    compare(y, ty, dtype, name)
    compare(a.grad, t.grad, dtype, f"{name} gradient")
