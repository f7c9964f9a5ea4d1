"""Every optimizer and option combination against torch.optim: 100 steps on identical gradients, float64.

Parameters cover a matrix, a vector, a 0-d scalar and a non-contiguous view; one parameter has no
gradient on some steps (it must be skipped). Gradient scales rise and fall so amsgrad's maximum matters.
"""

import itertools

import numpy as np
import pytest
import torch as pt

import autograd
import optim

N_STEPS = 100


def grid(**axes):
    return [dict(zip(axes, values)) for values in itertools.product(*axes.values())]


SGD_GRID = [
    c
    for c in grid(
        momentum=[0, 0.9], dampening=[0, 0.1], nesterov=[False, True], weight_decay=[0, 0.05], maximize=[False, True]
    )
    if not (c["nesterov"] and (c["momentum"] == 0 or c["dampening"] != 0))
]
CASES = (
    [("SGD", dict(lr=0.05, **c)) for c in SGD_GRID]
    + [
        ("Adagrad", dict(lr=0.1, **c))
        for c in grid(
            lr_decay=[0, 0.01], weight_decay=[0, 0.05], initial_accumulator_value=[0, 0.1], maximize=[False, True]
        )
    ]
    + [("Adadelta", c) for c in grid(rho=[0.9, 0.5], eps=[1e-6, 1e-3], weight_decay=[0, 0.05], maximize=[False, True])]
    + [
        ("RMSprop", dict(lr=0.01, **c))
        for c in grid(
            alpha=[0.99, 0.9], momentum=[0, 0.9], centered=[False, True], weight_decay=[0, 0.05], maximize=[False, True]
        )
    ]
    + [
        ("Adam", dict(lr=0.01, **c))
        for c in grid(
            betas=[(0.9, 0.999), (0.5, 0.9)], weight_decay=[0, 0.05], amsgrad=[False, True], maximize=[False, True]
        )
    ]
    + [("Adam", dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True, amsgrad=True))]
    + [
        ("AdamW", dict(lr=0.01, **c))
        for c in grid(weight_decay=[0.01, 0.1], amsgrad=[False, True], maximize=[False, True])
    ]
)


def case_id(case):
    name, kwargs = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items())


def initial_values(rng):
    """A matrix, a vector, a 0-d scalar and the base of a strided (non-contiguous) view."""
    return [
        rng.standard_normal((3, 4)),
        rng.standard_normal(5),
        np.array(rng.standard_normal()),
        rng.standard_normal((4, 6)),
    ]


def gradient_sequence(rng, values, n_steps=N_STEPS):
    """Per step, one gradient per parameter; parameter 1 gets None on every 7th step."""
    shapes = [v.shape for v in values[:3]] + [values[3][:, ::2].shape]
    steps = []
    for t in range(n_steps):
        scale = 10.0 ** np.sin(t / 6)
        grads = [np.asarray(scale * rng.standard_normal(shape)) for shape in shapes]
        if t % 7 == 3:
            grads[1] = None
        steps.append(grads)
    return steps


def make_params(lib, values):
    """Leaf parameters for ``lib`` (chainrule's autograd or torch); the last one is a strided view."""
    if lib is pt:
        tensors = [pt.from_numpy(v.copy()) for v in values]
        tensors[3] = tensors[3][:, ::2]
        return [t.requires_grad_() for t in tensors]
    arrays = [v.copy() for v in values]
    arrays[3] = arrays[3][:, ::2]
    return [autograd.Tensor(a, requires_grad=True) for a in arrays]


def set_grads(lib, params, grads):
    for p, g in zip(params, grads):
        p.grad = None if g is None else (pt.from_numpy(g.copy()) if lib is pt else autograd.Tensor(g.copy()))


def run(lib, name, kwargs, values, steps, groups=None):
    """Final parameter values after stepping ``lib``'s optimizer ``name`` through ``steps``."""
    params = make_params(lib, values)
    cls = getattr(pt.optim if lib is pt else optim, name)
    opt = cls(groups(params) if groups else params, **kwargs)
    for grads in steps:
        set_grads(lib, params, grads)
        opt.step()
    return [np.array(p.detach().numpy()) for p in params]


def assert_same_trajectory(name, kwargs, groups=None, rtol=1e-10, seed=0):
    rng = np.random.default_rng(seed)
    values = initial_values(rng)
    steps = gradient_sequence(rng, values)
    ours = run(autograd, name, kwargs, values, steps, groups)
    theirs = run(pt, name, kwargs, values, steps, groups)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=0, err_msg=f"parameter {i}")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_100_steps_match_torch_optim(case):
    assert_same_trajectory(*case)


GROUP_CASES = [
    ("SGD", dict(lr=0.05, momentum=0.9), {"lr": 0.01, "nesterov": True}),
    ("Adagrad", dict(lr=0.1), {"lr": 0.3, "lr_decay": 0.01}),
    ("Adadelta", dict(), {"lr": 0.5, "rho": 0.8}),
    ("RMSprop", dict(lr=0.01), {"lr": 0.001, "centered": True, "momentum": 0.5}),
    ("Adam", dict(lr=0.01), {"lr": 0.05, "amsgrad": True, "betas": (0.8, 0.99)}),
    ("AdamW", dict(lr=0.01), {"lr": 0.001, "weight_decay": 0.2}),
]


@pytest.mark.parametrize("name, kwargs, overrides", GROUP_CASES, ids=[c[0] for c in GROUP_CASES])
def test_two_param_groups_with_different_options_match_torch(name, kwargs, overrides):
    def groups(params):
        return [{"params": params[:2]}, {"params": params[2:], **overrides}]

    assert_same_trajectory(name, kwargs, groups)


def quadratic_trajectory(lib, optim_module, name, kwargs, n_steps, dtype):
    """Minimise sum(c·(w - 1)²) with the library's own backward (one script for both); the final weights."""
    w = lib.tensor([[-2.0, -1.0, 0.0], [1.0, 2.0, 3.0]], dtype=getattr(lib, dtype), requires_grad=True)
    c = lib.tensor([1.0, 2.0, 0.5], dtype=getattr(lib, dtype))
    opt = getattr(optim_module, name)([w], **kwargs)
    for _ in range(n_steps):
        opt.zero_grad()
        (c * (w - 1) ** 2).sum().backward()
        opt.step()
    return np.array(w.detach().numpy(), dtype=np.float64)


HIGH_LR_CASES = [
    ("SGD", dict(lr=10.0), 10, "float64", dict(rtol=1e-10, atol=0)),
    ("Adam", dict(lr=1.1), 2, "float64", dict(rtol=1e-10, atol=0)),
    ("SGD", dict(lr=10.0), 10, "float32", dict(rtol=3e-4, atol=0)),
    ("Adam", dict(lr=1.1), 2, "float32", dict(rtol=5e-4, atol=2e-4)),
]


@pytest.mark.parametrize(
    "name, kwargs, n_steps, dtype, tol", HIGH_LR_CASES, ids=[f"{c[0]}-lr{c[1]['lr']}-{c[3]}" for c in HIGH_LR_CASES]
)
def test_high_learning_rates_stay_in_parity(name, kwargs, n_steps, dtype, tol):
    ours = quadratic_trajectory(autograd, optim, name, kwargs, n_steps, dtype)
    theirs = quadratic_trajectory(pt, pt.optim, name, kwargs, n_steps, dtype)
    if name == "SGD":
        assert np.abs(ours - 1).max() > 1e3  # lr=10 diverges: the regime where rounding differences grow fastest
    np.testing.assert_allclose(ours, theirs, **tol)


def test_adamw_is_adam_with_decoupled_weight_decay():
    rng = np.random.default_rng(1)
    values = initial_values(rng)
    steps = gradient_sequence(rng, values)
    adamw = run(autograd, "AdamW", dict(lr=0.01, weight_decay=0.1), values, steps)
    adam = run(autograd, "Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True), values, steps)
    for a, b in zip(adamw, adam):
        np.testing.assert_array_equal(a, b)
