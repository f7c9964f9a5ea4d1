"""The Optimizer base: construction, parameter groups, validation, zero_grad, step and its closure."""

import re

import numpy as np
import pytest
import torch as pt

import autograd
import optim

ALL = ["SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW"]


def leaf(*values):
    return autograd.tensor(list(values) if len(values) > 1 else values[0], requires_grad=True)


INVALID = [
    ("SGD", dict(lr=-0.1)),
    ("SGD", dict(momentum=-0.5)),
    ("SGD", dict(weight_decay=-1.0)),
    ("SGD", dict(nesterov=True)),
    ("SGD", dict(nesterov=True, momentum=0.9, dampening=0.1)),
    ("Adagrad", dict(lr=-1.0)),
    ("Adagrad", dict(lr_decay=-1.0)),
    ("Adagrad", dict(weight_decay=-1.0)),
    ("Adagrad", dict(initial_accumulator_value=-1.0)),
    ("Adagrad", dict(eps=-1.0)),
    ("Adadelta", dict(lr=-1.0)),
    ("Adadelta", dict(rho=1.5)),
    ("Adadelta", dict(rho=-0.1)),
    ("Adadelta", dict(eps=-1.0)),
    ("Adadelta", dict(weight_decay=-1.0)),
    ("RMSprop", dict(lr=-1.0)),
    ("RMSprop", dict(alpha=-0.1)),
    ("RMSprop", dict(eps=-1.0)),
    ("RMSprop", dict(momentum=-1.0)),
    ("RMSprop", dict(weight_decay=-1.0)),
    ("Adam", dict(lr=-1.0)),
    ("Adam", dict(betas=(1.0, 0.999))),
    ("Adam", dict(betas=(0.9, -0.1))),
    ("Adam", dict(eps=-1.0)),
    ("Adam", dict(weight_decay=-1.0)),
    ("AdamW", dict(lr=-0.1)),
    ("AdamW", dict(betas=(0.9, 1.0))),
]


@pytest.mark.parametrize("name, kwargs", INVALID, ids=[f"{n}-{k}" for n, k in INVALID])
def test_invalid_hyperparameter_raises_torchs_valueerror_naming_the_value(name, kwargs):
    with pytest.raises(ValueError) as theirs:
        getattr(pt.optim, name)([pt.zeros(1, requires_grad=True)], **kwargs)
    with pytest.raises(ValueError, match=re.escape(str(theirs.value))):
        getattr(optim, name)([autograd.zeros(1, requires_grad=True)], **kwargs)


def test_nesterov_error_names_momentum_and_dampening():
    with pytest.raises(ValueError, match=r"momentum=0.9, dampening=0.1"):
        optim.SGD([leaf(1.0)], momentum=0.9, dampening=0.1, nesterov=True)


def test_invalid_option_in_a_param_group_raises():
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD([{"params": [leaf(1.0)], "lr": -1}], lr=0.1)


def test_add_param_group_with_invalid_option_leaves_the_optimizer_unchanged():
    opt = optim.Adam([leaf(1.0)])
    group = {"params": [leaf(2.0)], "betas": (0.9, 1.5)}
    with pytest.raises(ValueError, match=r"Invalid beta parameter at index 1: 1\.5"):
        opt.add_param_group(group)
    assert len(opt.param_groups) == 1 and set(group) == {"params", "betas"}


def test_differentiable_is_rejected():
    with pytest.raises(ValueError, match="differentiable=True is not supported"):
        optim.SGD([leaf(1.0)], differentiable=True)


def test_params_given_as_one_tensor_is_a_typeerror():
    with pytest.raises(TypeError, match=r"iterable of Tensors or dicts, but got autograd\.tensor\.Tensor"):
        optim.SGD(leaf(1.0, 2.0))


def test_empty_parameter_list_is_a_valueerror():
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.Adam([])


def test_a_set_of_parameters_is_a_typeerror():
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": {leaf(1.0)}}])


def test_a_non_tensor_parameter_is_a_typeerror_naming_its_type():
    with pytest.raises(TypeError, match=r"one of the params is numpy\.ndarray"):
        optim.SGD([np.zeros(2)])


def test_a_non_leaf_parameter_is_rejected():
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.SGD([leaf(1.0) * 2])


def test_a_parameter_in_two_groups_is_rejected_and_nothing_changes():
    w = leaf(1.0)
    opt = optim.SGD([w], lr=0.1)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [leaf(2.0), w]})
    assert len(opt.param_groups) == 1


def test_a_parameter_twice_in_one_group_warns_as_torch_does():
    w = leaf(1.0)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([w, w], lr=0.1)


def test_groups_take_the_defaults_for_options_they_omit():
    a, b = leaf(1.0), leaf(2.0)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert [g["momentum"] for g in opt.param_groups] == [0, 0.9]
    assert opt.param_groups[1]["params"] == [b]


@pytest.mark.parametrize("name", ALL)
def test_param_groups_have_torchs_keys_and_defaults(name):
    ours = getattr(optim, name)([leaf(1.0)]).param_groups[0]
    theirs = getattr(pt.optim, name)([pt.tensor(1.0, requires_grad=True)]).param_groups[0]
    assert list(ours) == list(theirs)
    assert {k: v for k, v in ours.items() if k != "params"} == {k: v for k, v in theirs.items() if k != "params"}


def test_repr_matches_torch():
    ours = optim.Adam([leaf(1.0)], lr=0.01, amsgrad=True)
    theirs = pt.optim.Adam([pt.tensor(1.0, requires_grad=True)], lr=0.01, amsgrad=True)
    assert repr(ours) == repr(theirs)


def test_named_parameters_are_recorded_as_param_names():
    w, b = leaf(1.0), leaf(2.0)
    opt = optim.SGD([("weight", w), ("bias", b)], lr=0.1)
    assert opt.param_groups[0]["params"] == [w, b]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]


def test_add_param_group_makes_a_new_parameter_train():
    a, b = leaf(1.0), leaf(1.0)
    opt = optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.5})
    b.grad = autograd.tensor(1.0)
    opt.step()
    assert b.item() == 0.5 and a.item() == 1.0


def test_zero_grad_sets_grads_to_none_by_default():
    w = leaf(1.0, 2.0)
    (w * w).sum().backward()
    optim.SGD([w]).zero_grad()
    assert w.grad is None


@pytest.mark.parametrize("shape", [(2, 3), ()])
def test_zero_grad_without_set_to_none_zeros_the_same_tensor(shape):
    w = autograd.ones(shape, requires_grad=True)
    (w * w).sum().backward()
    grad = w.grad
    optim.SGD([w]).zero_grad(set_to_none=False)
    assert w.grad is grad and not grad.requires_grad
    np.testing.assert_array_equal(grad.numpy(), np.zeros(shape))


def test_zero_grad_without_set_to_none_detaches_a_graph_gradient():
    w = leaf(1.0, 2.0)
    (w**3).sum().backward(create_graph=True)
    assert w.grad.grad_fn is not None
    optim.SGD([w]).zero_grad(set_to_none=False)
    assert w.grad.grad_fn is None and w.grad.tolist() == [0.0, 0.0]


def test_step_runs_the_closure_with_grad_enabled_and_returns_its_loss():
    w = leaf(3.0)
    opt = optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = w * w
        loss.backward()
        return loss

    with autograd.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0 and w.item() == pytest.approx(3.0 - 0.1 * 6.0)


def test_step_without_closure_returns_none():
    w = leaf(1.0)
    w.grad = autograd.tensor(1.0)
    assert optim.Adam([w]).step() is None


@pytest.mark.parametrize("name", ALL)
def test_step_builds_no_graph_and_parameters_stay_leaves(name):
    w = leaf(1.0, -2.0)
    (w * w).sum().backward()
    getattr(optim, name)([w], lr=0.1).step()
    assert w.is_leaf and w.grad_fn is None and w.requires_grad


@pytest.mark.parametrize("name", ALL)
def test_step_bumps_the_version_so_a_stale_saved_value_raises(name):
    w = leaf(1.0, -2.0)
    y = w * w
    y.sum().backward(retain_graph=True)
    getattr(optim, name)([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


@pytest.mark.parametrize("name", ALL)
def test_step_never_writes_into_the_gradient(name):
    w = leaf(1.0, -2.0)
    w.grad = autograd.tensor([0.5, 0.25])
    opt = getattr(optim, name)([w], lr=0.1, weight_decay=0.1, maximize=True)
    opt.step()
    opt.step()
    assert w.grad.tolist() == [0.5, 0.25]


@pytest.mark.parametrize("name", ALL)
def test_a_parameter_without_grad_is_skipped_entirely(name):
    w, frozen = leaf(1.0, -2.0), leaf(3.0, 4.0)
    opt = getattr(optim, name)([w, frozen], lr=0.1, weight_decay=0.1)
    before = dict(opt.state[frozen])
    w.grad = autograd.tensor([1.0, 1.0])
    opt.step()
    assert frozen.tolist() == [3.0, 4.0] and opt.state[frozen].keys() == before.keys()
    assert all(v is before[k] for k, v in opt.state[frozen].items())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ALL)
def test_parameters_and_state_keep_their_dtype(name, dtype):
    w = autograd.ones(3, dtype=getattr(autograd, dtype), requires_grad=True)
    w.grad = autograd.ones(3, dtype=getattr(autograd, dtype))
    opt = getattr(optim, name)([w], lr=0.1, momentum=0.9) if name in ("SGD", "RMSprop") else getattr(optim, name)([w])
    opt.step()
    opt.step()
    assert w.dtype == np.dtype(dtype)
    assert all(v.dtype == np.dtype(dtype) for k, v in opt.state[w].items() if k != "step")


class PlainGD(optim.Optimizer):
    """A user optimizer written as in PyTorch's tutorials: its own ``step`` over ``param_groups``."""

    def __init__(self, params, lr=0.1):
        super().__init__(params, {"lr": lr})

    @autograd.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    p -= group["lr"] * p.grad
                    self.state[p]["steps"] = self.state[p].get("steps", 0) + 1


def test_a_user_optimizer_with_its_own_step_works_with_schedulers_and_state_dicts():
    w = leaf(1.0, 2.0)
    opt = PlainGD([w], lr=0.5)
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(2):
        w.grad = autograd.tensor([1.0, 1.0])
        opt.step()
        scheduler.step()
    assert w.tolist() == [0.25, 1.25] and opt.param_groups[0]["lr"] == 0.125
    assert opt.state_dict()["state"] == {0: {"steps": 2}}
