"""Optimizer state dicts: PyTorch's layout, bit-identical resumption, loading across libraries, checked errors."""

import copy

import numpy as np
import pytest
import torch as pt

import autograd
import optim

# Options that make every buffer the optimizer can have.
FULL = {
    "SGD": dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adagrad": dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
    "Adadelta": dict(weight_decay=0.01),
    "RMSprop": dict(lr=0.01, momentum=0.9, centered=True),
    "Adam": dict(lr=0.01, amsgrad=True, weight_decay=0.01),
    "AdamW": dict(lr=0.01, amsgrad=True),
}
SHAPES = [(3, 4), (5,), ()]


def gradients(n_steps, seed=0):
    rng = np.random.default_rng(seed)
    return [[np.asarray(rng.standard_normal(s)) for s in SHAPES] for _ in range(n_steps)]


def our_params(values):
    return [autograd.tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in values]


def torch_params(values):
    return [pt.tensor(np.array(v, dtype=np.float64), requires_grad=True) for v in values]


def start_values():
    rng = np.random.default_rng(1)
    return [np.asarray(rng.standard_normal(s)) for s in SHAPES]


def train(opt, params, steps, lib=autograd):
    for grads in steps:
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g.copy())
        opt.step()


def values_of(params):
    return [np.array(p.detach().numpy()) for p in params]


@pytest.mark.parametrize("name", FULL)
def test_resuming_from_a_state_dict_after_50_of_100_steps_is_bit_identical(name):
    steps = gradients(100)
    straight = our_params(start_values())
    train(getattr(optim, name)(straight, **FULL[name]), straight, steps)

    first = our_params(start_values())
    first_opt = getattr(optim, name)(first, **FULL[name])
    train(first_opt, first, steps[:50])
    resumed = our_params(values_of(first))
    resumed_opt = getattr(optim, name)(resumed, **FULL[name])
    resumed_opt.load_state_dict(copy.deepcopy(first_opt.state_dict()))
    train(resumed_opt, resumed, steps[50:])
    for a, b in zip(values_of(resumed), values_of(straight)):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", FULL)
def test_state_dict_has_torchs_layout(name):
    ours, theirs = our_params(start_values()), torch_params(start_values())
    our_opt, their_opt = getattr(optim, name)(ours, **FULL[name]), getattr(pt.optim, name)(theirs, **FULL[name])
    train(our_opt, ours, gradients(3))
    train(their_opt, theirs, gradients(3), lib=pt)
    our_sd, their_sd = our_opt.state_dict(), their_opt.state_dict()
    assert our_sd["param_groups"] == their_sd["param_groups"]
    assert our_sd["state"].keys() == their_sd["state"].keys()
    for index, buffers in their_sd["state"].items():
        assert list(our_sd["state"][index]) == list(buffers)
        for key, value in buffers.items():
            np.testing.assert_allclose(our_sd["state"][index][key].numpy(), value.numpy(), rtol=1e-12)
            assert our_sd["state"][index][key].dtype == np.dtype(str(value.dtype).removeprefix("torch."))


def to_torch(state_dict):
    """Our state dict with every Tensor turned into a torch tensor (PyTorch's loader expects its own)."""
    state = {i: {k: pt.from_numpy(v.numpy().copy()) for k, v in s.items()} for i, s in state_dict["state"].items()}
    return {"state": state, "param_groups": copy.deepcopy(state_dict["param_groups"])}


@pytest.mark.parametrize("name", FULL)
def test_a_torch_state_dict_loads_here_and_training_continues_in_parity(name):
    steps = gradients(100)
    theirs = torch_params(start_values())
    their_opt = getattr(pt.optim, name)(theirs, **FULL[name])
    train(their_opt, theirs, steps[:50], lib=pt)
    ours = our_params(values_of(theirs))
    our_opt = getattr(optim, name)(ours, **FULL[name])
    our_opt.load_state_dict(their_opt.state_dict())
    train(their_opt, theirs, steps[50:], lib=pt)
    train(our_opt, ours, steps[50:])
    for a, b in zip(values_of(ours), values_of(theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=0)


@pytest.mark.parametrize("name", FULL)
def test_our_state_dict_loads_into_torch_and_training_continues_in_parity(name):
    steps = gradients(100)
    ours = our_params(start_values())
    our_opt = getattr(optim, name)(ours, **FULL[name])
    train(our_opt, ours, steps[:50])
    theirs = torch_params(values_of(ours))
    their_opt = getattr(pt.optim, name)(theirs, **FULL[name])
    their_opt.load_state_dict(to_torch(our_opt.state_dict()))
    train(our_opt, ours, steps[50:])
    train(their_opt, theirs, steps[50:], lib=pt)
    for a, b in zip(values_of(ours), values_of(theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=0)


def trained_adam():
    params = our_params(start_values())
    opt = optim.Adam(params, lr=0.01)
    train(opt, params, gradients(2))
    return opt


def assert_unchanged_after(opt, bad_state_dict, message):
    state, groups = opt.state, opt.param_groups
    before = copy.deepcopy(opt.state_dict())
    with pytest.raises(ValueError, match=message):
        opt.load_state_dict(bad_state_dict)
    assert opt.state is state and opt.param_groups is groups
    assert opt.state_dict()["param_groups"] == before["param_groups"]


def test_loading_a_different_number_of_groups_raises_and_changes_nothing():
    opt = trained_adam()
    bad = copy.deepcopy(opt.state_dict())
    bad["param_groups"].append(dict(bad["param_groups"][0], params=[]))
    assert_unchanged_after(opt, bad, "loaded state dict has 2 parameter groups, but the optimizer has 1")


def test_loading_a_group_of_a_different_size_raises_and_changes_nothing():
    opt = trained_adam()
    bad = copy.deepcopy(opt.state_dict())
    bad["param_groups"][0]["params"] = [0, 1]
    assert_unchanged_after(opt, bad, "parameter group 0 has 2 parameters, but the optimizer's group 0 has 3")


def test_loading_a_buffer_of_the_wrong_shape_raises_and_changes_nothing():
    opt = trained_adam()
    bad = copy.deepcopy(opt.state_dict())
    bad["state"][0]["exp_avg"] = autograd.zeros(4, 3, dtype=autograd.float64)
    message = r"'exp_avg' for parameter 0 has shape \(4, 3\), but the parameter has shape \(3, 4\)"
    assert_unchanged_after(opt, bad, message)


def test_loading_an_invalid_option_raises_and_changes_nothing():
    opt = trained_adam()
    bad = copy.deepcopy(opt.state_dict())
    bad["param_groups"][0]["lr"] = -1.0
    assert_unchanged_after(opt, bad, "Invalid learning rate: -1.0")


def test_loaded_state_is_a_copy_of_the_dict():
    opt = trained_adam()
    saved = copy.deepcopy(opt.state_dict())
    opt.load_state_dict(saved)
    saved["state"][0]["exp_avg"].numpy()[...] = 123.0
    saved["param_groups"][0]["lr"] = 5.0
    assert not np.any(opt.state_dict()["state"][0]["exp_avg"].numpy() == 123.0)
    assert opt.param_groups[0]["lr"] == 0.01


def test_adamw_keeps_decoupled_weight_decay_when_loading_an_adam_state():
    adam = optim.Adam([autograd.zeros(2, requires_grad=True)])
    adamw = optim.AdamW([autograd.zeros(2, requires_grad=True)])
    adamw.load_state_dict(adam.state_dict())
    assert adamw.param_groups[0]["decoupled_weight_decay"] is True


def test_a_fresh_adagrad_has_its_accumulators_in_the_state_dict_as_torch():
    ours = optim.Adagrad(our_params(start_values()), initial_accumulator_value=0.5).state_dict()
    theirs = pt.optim.Adagrad(torch_params(start_values()), initial_accumulator_value=0.5).state_dict()
    assert ours["state"].keys() == theirs["state"].keys()
    assert all(np.all(s["sum"].numpy() == 0.5) and s["step"].item() == 0 for s in ours["state"].values())
