"""Every layer against torch.nn with the same weights: forward, input and parameter gradients, buffers
(float64 tight, float32 loose), plus a float64 gradcheck over each layer's parameters and inputs."""

import numpy as np
import pytest
import torch

import autograd
import nn
import nn.functional as F

TOL = {np.float64: {"rtol": 1e-10, "atol": 1e-12}, np.float32: {"rtol": 1e-4, "atol": 1e-5}}
TORCH_DTYPE = {np.float64: torch.float64, np.float32: torch.float32}


def _close(ours, theirs, dtype, what):
    assert ours is not None and theirs is not None, f"{what}: a gradient is missing"
    expected = theirs.detach().numpy()
    assert ours.shape == expected.shape, f"{what}: shape {ours.shape} vs torch {expected.shape}"
    assert ours.dtype == expected.dtype, f"{what}: dtype {ours.dtype} vs torch {expected.dtype}"
    np.testing.assert_allclose(ours.detach().numpy(), expected, err_msg=what, **TOL[dtype])


def assert_matches_torch(ours, theirs, x, dtype, training=True, steps=1):
    """Same weights, same input, same upstream gradient: outputs, all gradients and buffers agree."""
    theirs = theirs.to(TORCH_DTYPE[dtype]).train(training)
    ours = ours.to(dtype).train(training)
    ours.load_state_dict(theirs.state_dict())
    x = x.astype(dtype) if x.dtype.kind == "f" else x
    rng = np.random.default_rng(1)
    for _ in range(steps):
        xo, xt = (
            autograd.tensor(x, requires_grad=x.dtype.kind == "f"),
            torch.tensor(x, requires_grad=x.dtype.kind == "f"),
        )
        yo, yt = ours(xo), theirs(xt)
        _close(yo, yt, dtype, "output")
        g = rng.standard_normal(yo.shape).astype(dtype)
        yo.backward(autograd.tensor(g))
        yt.backward(torch.tensor(g))
        if xo.requires_grad:
            _close(xo.grad, xt.grad, dtype, "input gradient")
    for (name, p), (_, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        _close(p.grad, tp.grad, dtype, f"gradient of {name}")
    for (name, b), (_, tb) in zip(ours.state_dict().items(), theirs.state_dict().items()):
        if b.dtype.kind == "f":
            _close(b, tb, dtype, f"state {name}")
        else:
            assert np.array_equal(b.numpy(), tb.numpy()), f"state {name}"


def _x(*shape, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, shape)


DTYPES = pytest.mark.parametrize("dtype", [np.float64, np.float32])


# --- parity with torch ------------------------------------------------------------------------------


@DTYPES
@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 3), (3,)])
def test_linear_matches_torch(dtype, shape):
    assert_matches_torch(nn.Linear(3, 4), torch.nn.Linear(3, 4), _x(*shape), dtype)


@DTYPES
def test_linear_without_bias_matches_torch(dtype):
    assert_matches_torch(nn.Linear(3, 2, bias=False), torch.nn.Linear(3, 2, bias=False), _x(4, 3), dtype)


@DTYPES
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5)])
def test_batchnorm1d_in_training_matches_torch_over_steps(dtype, shape):
    assert_matches_torch(nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3), _x(*shape), dtype, steps=3)


@DTYPES
def test_batchnorm2d_in_training_matches_torch(dtype):
    assert_matches_torch(nn.BatchNorm2d(3), torch.nn.BatchNorm2d(3), _x(2, 3, 4, 5), dtype, steps=2)


@DTYPES
def test_batchnorm_in_eval_uses_running_stats_like_torch(dtype):
    ours, theirs = nn.BatchNorm2d(3), torch.nn.BatchNorm2d(3)
    with torch.no_grad():
        theirs.running_mean.copy_(torch.tensor([0.5, -1.0, 2.0]))
        theirs.running_var.copy_(torch.tensor([0.2, 3.0, 1.5]))
        theirs.weight.copy_(torch.tensor([1.5, -0.5, 2.0]))
    assert_matches_torch(ours, theirs, _x(2, 3, 3, 3), dtype, training=False)


@pytest.mark.parametrize(
    "options",
    [
        {"momentum": None},
        {"affine": False},
        {"track_running_stats": False},
        {"eps": 1e-2, "momentum": 0.5},
        {"bias": False},
    ],
    ids=str,
)
def test_batchnorm_options_match_torch(options):
    ours, theirs = nn.BatchNorm1d(3, **options), torch.nn.BatchNorm1d(3, **options)
    assert_matches_torch(ours, theirs, _x(5, 3, 2), np.float64, steps=3)
    assert_matches_torch(ours, theirs, _x(4, 3, 2, seed=1), np.float64, training=False)


@DTYPES
@pytest.mark.parametrize(("shape", "normalized"), [((4, 5), 5), ((2, 3, 4), (3, 4))])
def test_layernorm_matches_torch(dtype, shape, normalized):
    ours, theirs = nn.LayerNorm(normalized), torch.nn.LayerNorm(normalized)
    with torch.no_grad():
        theirs.weight.uniform_(-2, 2)
        theirs.bias.uniform_(-1, 1)
    assert_matches_torch(ours, theirs, _x(*shape), dtype)


@pytest.mark.parametrize("options", [{"elementwise_affine": False}, {"bias": False}, {"eps": 0.1}], ids=str)
def test_layernorm_options_match_torch(options):
    assert_matches_torch(nn.LayerNorm(4, **options), torch.nn.LayerNorm(4, **options), _x(3, 4), np.float64)


@DTYPES
def test_embedding_with_repeats_and_padding_matches_torch(dtype):
    ours, theirs = nn.Embedding(6, 3, padding_idx=2), torch.nn.Embedding(6, 3, padding_idx=2)
    indices = np.array([[0, 2, 5, 0], [5, 5, 1, 2]])
    assert_matches_torch(ours, theirs, indices, dtype)


@pytest.mark.parametrize("options", [{"scale_grad_by_freq": True}, {"max_norm": 1.0}, {"padding_idx": -1}], ids=str)
def test_embedding_options_match_torch(options):
    ours, theirs = nn.Embedding(5, 3, **options), torch.nn.Embedding(5, 3, **options)
    assert_matches_torch(ours, theirs, np.array([1, 3, 3, 4, 1, 1]), np.float64)


def test_embedding_from_pretrained_is_frozen_unless_asked():
    table = nn.Embedding.from_pretrained(autograd.eye(3))
    assert not table.weight.requires_grad and table(autograd.tensor([1])).tolist() == [[0.0, 1.0, 0.0]]
    assert nn.Embedding.from_pretrained(autograd.eye(3), freeze=False).weight.requires_grad


def test_embedding_rejects_float_indices_and_out_of_range():
    table = nn.Embedding(3, 2)
    with pytest.raises(RuntimeError, match="Long, Int"):
        table(autograd.tensor([0.0]))
    with pytest.raises(IndexError, match="index out of range in self: index 3"):
        table(autograd.tensor([3]))


@DTYPES
def test_mlp_matches_the_equivalent_torch_sequential(dtype):
    ours = nn.MLP([3, 8, 8, 2], activation=autograd.tanh, dropout=0.3)
    theirs = torch.nn.Sequential(
        torch.nn.Linear(3, 8),
        torch.nn.Tanh(),
        torch.nn.Dropout(0.3),
        torch.nn.Linear(8, 8),
        torch.nn.Tanh(),
        torch.nn.Dropout(0.3),
        torch.nn.Linear(8, 2),
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert_matches_torch(ours, theirs, _x(5, 3), dtype, training=False)


@DTYPES
def test_mlp_named_activation_matches_torch(dtype):
    ours = nn.MLP([3, 6, 2], activation="relu")
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.ReLU(), torch.nn.Linear(6, 2))
    assert_matches_torch(ours, theirs, _x(4, 3), dtype)


def test_mlp_gives_each_layer_its_own_copy_of_an_activation_instance():
    ours = nn.MLP([2, 3, 3, 1], activation=nn.PReLU())
    theirs = torch.nn.Sequential(*[torch.nn.Linear(2, 3), torch.nn.PReLU(), torch.nn.Linear(3, 3), torch.nn.PReLU()])
    theirs.append(torch.nn.Linear(3, 1))
    assert ours[1] is not ours[3] and list(ours.state_dict()) == list(theirs.state_dict())
    assert_matches_torch(ours, theirs, _x(4, 2), np.float64)


def test_mlp_accepts_an_activation_class():
    assert isinstance(nn.MLP([2, 3, 1], activation=nn.GELU)[1], nn.GELU)


def test_mlp_rejects_an_unknown_activation_name():
    with pytest.raises(ValueError, match="unknown activation 'sine'"):
        nn.MLP([2, 3, 1], activation="sine")


@DTYPES
def test_flatten_and_identity_match_torch(dtype):
    model = nn.Sequential(nn.Flatten(), nn.Identity(), nn.Linear(12, 2))
    theirs = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Identity(), torch.nn.Linear(12, 2))
    assert_matches_torch(model, theirs, _x(4, 3, 2, 2), dtype)


def test_flatten_with_dims_matches_torch():
    x = _x(2, 3, 4, 5)
    assert nn.Flatten(0, 2)(autograd.tensor(x)).shape == torch.nn.Flatten(0, 2)(torch.tensor(x)).shape
    assert nn.Unflatten(1, (2, 6))(autograd.ones(3, 12)).shape == (3, 2, 6)


def test_linear_on_an_empty_batch_gives_zero_weight_gradients():
    layer = nn.Linear(5, 3)
    out = layer(autograd.zeros(0, 5))
    out.sum().backward()
    assert out.shape == (0, 3) and not layer.weight.grad.numpy().any()


def test_layers_keep_float32_gradients():
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.LayerNorm(4), nn.Dropout(0.1))
    model(autograd.randn(5, 3)).sum().backward()
    assert all(p.grad.dtype == np.float32 for p in model.parameters())


# --- dropout ----------------------------------------------------------------------------------------


def test_dropout_keeps_about_1_minus_p_scaled_by_its_inverse():
    autograd.manual_seed(0)
    y = nn.Dropout(0.25)(autograd.ones(100_000)).numpy()
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.01


def test_dropout_mask_repeats_with_the_seed():
    autograd.manual_seed(3)
    a = F.dropout(autograd.ones(50), 0.5)
    autograd.manual_seed(3)
    assert np.array_equal(a.numpy(), F.dropout(autograd.ones(50), 0.5).numpy())


def test_dropout_gradient_is_the_mask():
    autograd.manual_seed(0)
    x = autograd.ones(20, requires_grad=True)
    y = F.dropout(x, 0.5)
    y.sum().backward()
    assert np.array_equal(x.grad.numpy(), y.detach().numpy())


def test_dropout_is_the_identity_in_eval_and_at_p_0():
    x = autograd.randn(10)
    assert nn.Dropout(0.5).eval()(x) is x and F.dropout(x, 0.0) is x


def test_dropout_with_p_1_gives_zeros():
    assert not nn.Dropout(1.0)(autograd.ones(10)).numpy().any()


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_dropout_rejects_p_outside_0_1(p):
    with pytest.raises(ValueError, match=f"between 0 and 1, but got {p}"):
        nn.Dropout(p)


# --- batch norm numbers (RELIABILITY N7) -------------------------------------------------------------


@pytest.mark.parametrize(("value", "dtype"), [(1e8, np.float64), (1e4, np.float32)])
def test_batchnorm_of_a_constant_large_column_is_zero(value, dtype):
    x = autograd.tensor(np.full((32, 2), value, dtype))
    assert np.abs(nn.BatchNorm1d(2).to(dtype)(x).detach().numpy()).max() < 1e-6


def test_layernorm_of_a_constant_large_row_is_zero():
    assert (
        np.abs(nn.LayerNorm(32).double()(autograd.full((2, 32), 1e8, dtype=np.float64)).detach().numpy()).max() < 1e-6
    )


def test_batchnorm_normalizes_with_the_biased_variance_of_a_large_offset():
    bn = nn.BatchNorm1d(1, eps=0.0, affine=False).double()
    y = bn(autograd.tensor(1e8 + np.array([[0.0], [1.0], [2.0]])))
    np.testing.assert_allclose(y.numpy().ravel(), np.array([-1, 0, 1]) / np.sqrt(2 / 3), rtol=1e-9)


def test_running_var_is_unbiased():
    bn = nn.BatchNorm1d(1, momentum=1.0).double()
    bn(autograd.tensor([[1.0], [2.0], [3.0], [4.0]], dtype=np.float64))
    assert bn.running_var.item() == pytest.approx(5 / 3, rel=1e-12)
    assert bn.running_mean.item() == pytest.approx(2.5, rel=1e-12)


def test_eps_is_inside_the_square_root():
    bn = nn.BatchNorm1d(1, eps=1.0, affine=False).double()
    y = bn(autograd.tensor([[-1.0], [1.0]], dtype=np.float64))
    np.testing.assert_allclose(y.numpy().ravel(), [-1 / np.sqrt(2), 1 / np.sqrt(2)], rtol=1e-12)


def test_batchnorm_rejects_wrong_dims_and_a_single_value_per_channel():
    with pytest.raises(ValueError, match=r"expected 4D input \(got 2D input"):
        nn.BatchNorm2d(3)(autograd.ones(2, 3))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(autograd.ones(1, 3))


def test_layernorm_rejects_a_mismatched_shape():
    with pytest.raises(RuntimeError, match=r"expected input with shape \[\*, 4\], but got input of size \[2, 5\]"):
        nn.LayerNorm(4)(autograd.ones(2, 5))


# --- gradcheck over parameters and inputs (float64) --------------------------------------------------


def _input(*shape):
    return autograd.tensor(_x(*shape, seed=5), requires_grad=True)


@pytest.mark.parametrize(
    ("make", "shape"),
    [
        (lambda: nn.Linear(3, 2), (4, 3)),
        (lambda: nn.BatchNorm1d(3), (5, 3)),
        (lambda: nn.BatchNorm1d(2), (3, 2, 2)),
        (lambda: nn.BatchNorm2d(2).eval(), (2, 2, 2, 2)),
        (lambda: nn.BatchNorm2d(2), (2, 2, 2, 2)),
        (lambda: nn.LayerNorm((2, 3)), (2, 2, 3)),
        (lambda: nn.MLP([3, 4, 2], activation=autograd.tanh), (3, 3)),
        (lambda: nn.Perceptron(3), (4, 3)),
    ],
    ids=["linear", "bn1d", "bn1d-3d", "bn2d-eval", "bn2d", "layernorm", "mlp", "perceptron"],
)
def test_gradcheck_over_parameters_and_input(make, shape):
    model = make().double()
    for p in model.parameters():  # move affine parameters away from their identity init
        p.data.copy_(autograd.tensor(np.random.default_rng(2).uniform(0.5, 1.5, p.shape)))
    assert autograd.gradcheck(model, [_input(*shape)])


def test_gradcheck_embedding_weight():
    table = nn.Embedding(4, 2).double()  # (padding_idx deliberately zeroes a true gradient: checked against torch)
    assert autograd.gradcheck(table, [autograd.tensor([[0, 1, 3], [3, 3, 2]])])


def test_gradcheck_dropout_with_a_fixed_mask():
    def fn(x):
        autograd.manual_seed(7)
        return F.dropout(x, 0.4)

    assert autograd.gradcheck(fn, [_input(3, 4)])
