"""nn.init and the layers' default initialisation follow PyTorch's distributions (two-sample KS tests)."""

import math

import numpy as np
import pytest
import torch

import autograd
import nn

#: For two samples of 20,000 values from one distribution, a KS distance above 0.02 has probability < 1e-3
#: (2 exp(-2 * 2**2)); the seeds are fixed, so the tests are deterministic.
KS_LIMIT = 0.02


def _ks(a, b):
    """The two-sample Kolmogorov-Smirnov distance: the largest gap between the empirical CDFs."""
    a, b = np.sort(np.ravel(a)), np.sort(np.ravel(b))
    grid = np.concatenate([a, b])
    return np.max(np.abs(np.searchsorted(a, grid, "right") / a.size - np.searchsorted(b, grid, "right") / b.size))


def _same_distribution(ours, theirs):
    assert _ks(ours.detach().numpy(), theirs.detach().numpy()) < KS_LIMIT


SHAPE = (200, 100)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("uniform_", {"a": -0.5, "b": 2.0}),
        ("normal_", {"mean": 1.0, "std": 0.3}),
        ("trunc_normal_", {"std": 2.0, "a": -1.0, "b": 3.0}),
        ("xavier_uniform_", {"gain": 2.0}),
        ("xavier_normal_", {}),
        ("kaiming_uniform_", {"a": math.sqrt(5)}),
        ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
        ("kaiming_normal_", {}),
        ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "tanh"}),
    ],
)
def test_init_matches_torch_in_distribution(name, kwargs):
    autograd.manual_seed(0)
    torch.manual_seed(0)
    ours = getattr(nn.init, name)(autograd.empty(*SHAPE), **kwargs)
    theirs = getattr(torch.nn.init, name)(torch.empty(*SHAPE), **kwargs)
    _same_distribution(ours, theirs)


@pytest.mark.parametrize(("name", "args"), [("constant_", (0.25,)), ("ones_", ()), ("zeros_", ()), ("eye_", ())])
def test_deterministic_inits_equal_torchs(name, args):
    ours = getattr(nn.init, name)(autograd.empty(3, 4), *args)
    assert np.array_equal(ours.numpy(), getattr(torch.nn.init, name)(torch.empty(3, 4), *args).numpy())


@pytest.mark.parametrize(
    ("nonlinearity", "param"),
    [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None)]
    + [("leaky_relu", 0.2), ("selu", None)],
)
def test_calculate_gain_is_torchs_table(nonlinearity, param):
    assert nn.init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(nonlinearity, param)


def test_calculate_gain_rejects_unknown_names():
    with pytest.raises(ValueError, match="Unsupported nonlinearity softmax"):
        nn.init.calculate_gain("softmax")


@pytest.mark.parametrize("name", ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_"])
def test_fan_based_inits_reject_vectors_as_torch_does(name):
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        getattr(torch.nn.init, name)(torch.empty(5))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        getattr(nn.init, name)(autograd.empty(5))


def test_kaiming_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        nn.init.kaiming_uniform_(autograd.empty(2, 2), mode="fan_avg")


def test_kaiming_on_an_empty_tensor_warns_like_torch():
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        nn.init.kaiming_uniform_(autograd.empty(0, 3))


def test_fans_count_the_receptive_field():
    autograd.manual_seed(0)
    w = nn.init.kaiming_uniform_(autograd.empty(8, 4, 3, 3), nonlinearity="relu")
    bound = math.sqrt(2.0) * math.sqrt(3.0 / (4 * 9))
    assert np.abs(w.numpy()).max() <= bound and np.abs(w.numpy()).max() > 0.95 * bound


def test_init_draws_from_the_seeded_generator():
    autograd.manual_seed(11)
    a = nn.init.normal_(autograd.empty(5)).numpy().copy()
    autograd.manual_seed(11)
    assert np.array_equal(a, nn.init.normal_(autograd.empty(5)).numpy())


def test_init_of_a_parameter_records_no_graph_and_bumps_its_version():
    p = nn.Parameter(autograd.empty(3, 2))
    before = p._version
    nn.init.xavier_uniform_(p)
    assert p.is_leaf and p.grad_fn is None and p._version > before


def test_init_keeps_the_dtype():
    assert nn.init.normal_(autograd.empty(3, dtype=autograd.float64)).dtype == np.float64


# --- default initialisation of the layers -----------------------------------------------------------


def _stack(make, n, attr):
    return np.concatenate([getattr(make(), attr).detach().numpy().ravel() for _ in range(n)])


@pytest.mark.parametrize(
    ("ours", "theirs", "attr", "n"),
    [
        (lambda: nn.Linear(50, 40), lambda: torch.nn.Linear(50, 40), "weight", 10),
        (lambda: nn.Linear(50, 40), lambda: torch.nn.Linear(50, 40), "bias", 500),
        (lambda: nn.Embedding(100, 20), lambda: torch.nn.Embedding(100, 20), "weight", 10),
    ],
    ids=["linear-weight", "linear-bias", "embedding"],
)
def test_layer_default_init_matches_torch_in_distribution(ours, theirs, attr, n):
    autograd.manual_seed(0)
    torch.manual_seed(0)
    assert _ks(_stack(ours, n, attr), _stack(theirs, n, attr)) < KS_LIMIT


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda: nn.BatchNorm1d(4), lambda: torch.nn.BatchNorm1d(4)),
        (lambda: nn.LayerNorm(4), lambda: torch.nn.LayerNorm(4)),
    ],
    ids=["batchnorm", "layernorm"],
)
def test_norm_layers_start_with_torchs_exact_state(ours, theirs):
    mine, reference = ours().state_dict(), theirs().state_dict()
    assert list(mine) == list(reference)
    for key, value in reference.items():
        assert np.array_equal(mine[key].numpy(), value.numpy()), key


def test_embedding_padding_row_starts_at_zero():
    weight = nn.Embedding(4, 2, padding_idx=1).weight.detach().numpy()
    assert not weight[1].any() and weight[[0, 2, 3]].all()
