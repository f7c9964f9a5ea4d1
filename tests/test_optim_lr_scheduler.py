"""Learning-rate schedulers against torch.optim.lr_scheduler: the same lr sequences, state dicts and errors."""

import copy
import re

import pytest
import torch as pt

import autograd
import optim

OURS, THEIRS = (autograd, optim), (pt, pt.optim)


class Halving:
    """A callable object (not a function): LambdaLR saves its ``__dict__``."""

    def __init__(self, base):
        self.base = base

    def __call__(self, epoch):
        return self.base**epoch


SCHEDULES = {
    "StepLR": lambda s, opt, **kw: s.StepLR(opt, step_size=3, **kw),
    "StepLR-every-epoch": lambda s, opt, **kw: s.StepLR(opt, step_size=1, gamma=0.5, **kw),
    "MultiStepLR": lambda s, opt, **kw: s.MultiStepLR(opt, milestones=[2, 5, 5, 9], gamma=0.3, **kw),
    "ExponentialLR": lambda s, opt, **kw: s.ExponentialLR(opt, gamma=0.9, **kw),
    "CosineAnnealingLR": lambda s, opt, **kw: s.CosineAnnealingLR(opt, T_max=10, **kw),
    "CosineAnnealingLR-eta_min": lambda s, opt, **kw: s.CosineAnnealingLR(opt, T_max=7, eta_min=0.001, **kw),
    "LambdaLR": lambda s, opt, **kw: s.LambdaLR(opt, lambda epoch: 1 / (epoch + 1), **kw),
    "LambdaLR-per-group": lambda s, opt, **kw: s.LambdaLR(opt, [Halving(0.9), lambda epoch: epoch % 4], **kw),
    "LinearLR": lambda s, opt, **kw: s.LinearLR(opt, **kw),
    "LinearLR-decay": lambda s, opt, **kw: s.LinearLR(opt, start_factor=0.1, end_factor=0.5, total_iters=10, **kw),
    "OneCycleLR": lambda s, opt, **kw: s.OneCycleLR(opt, max_lr=[1.0, 0.1], total_steps=40, **kw),
    "OneCycleLR-linear": lambda s, opt, **kw: s.OneCycleLR(
        opt, max_lr=1.0, total_steps=31, anneal_strategy="linear", **kw
    ),
    "OneCycleLR-three-phase": lambda s, opt, **kw: s.OneCycleLR(
        opt, max_lr=0.5, epochs=3, steps_per_epoch=11, three_phase=True, **kw
    ),
    "OneCycleLR-fixed-momentum": lambda s, opt, **kw: s.OneCycleLR(
        opt, max_lr=0.5, total_steps=30, cycle_momentum=False, **kw
    ),
}


def make_optimizer(lib, name="SGD", lrs=(0.1, 0.01)):
    tensors, optimizers = lib
    params = [tensors.zeros(1, requires_grad=True) for _ in lrs]
    kwargs = dict(momentum=0.9) if name == "SGD" else {}
    return getattr(optimizers, name)([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)], **kwargs)


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]


def run_schedule(lib, make, n_steps=30, optimizer="SGD"):
    """Each step's lrs and momenta, from construction through ``n_steps`` steps."""
    opt = make_optimizer(lib, optimizer)
    scheduler = make(lib[1].lr_scheduler, opt)
    record = [(list(scheduler.get_last_lr()), momenta(opt))]
    for _ in range(n_steps):
        opt.step()
        scheduler.step()
        record.append((list(scheduler.get_last_lr()), momenta(opt)))
        assert scheduler.get_last_lr() == [g["lr"] for g in opt.param_groups]
    return record


@pytest.mark.parametrize("name", SCHEDULES)
def test_lr_sequence_matches_torch(name):
    assert run_schedule(OURS, SCHEDULES[name]) == run_schedule(THEIRS, SCHEDULES[name])


def test_one_cycle_cycles_adams_beta1_as_torch():
    make = SCHEDULES["OneCycleLR"]
    assert run_schedule(OURS, make, optimizer="Adam") == run_schedule(THEIRS, make, optimizer="Adam")


def test_one_cycle_stepping_past_total_steps_raises():
    opt = make_optimizer(OURS)
    scheduler = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=2)
    opt.step()
    scheduler.step()
    scheduler.step()
    with pytest.raises(ValueError, match=r"Tried to step 3 times\. The specified number of total steps is 2"):
        scheduler.step()


CLOSED_FORM = ["StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR-decay"]


@pytest.mark.parametrize("name", CLOSED_FORM)
def test_deprecated_step_with_epoch_uses_torchs_closed_form(name):
    def jumps(lib):
        opt = make_optimizer(lib)
        scheduler = SCHEDULES[name](lib[1].lr_scheduler, opt)
        lrs = []
        for epoch in [4, 9, 2, 13]:
            opt.step()
            with pytest.warns(UserWarning, match="epoch parameter"):
                scheduler.step(epoch)
            lrs.append(scheduler.get_last_lr())
        return lrs

    assert jumps(OURS) == jumps(THEIRS)


def resumed_sequence(lib, make, k=6, n_steps=10):
    """Run ``k`` steps, then build a second scheduler with ``last_epoch=k`` and record it."""
    opt = make_optimizer(lib)
    first = make(lib[1].lr_scheduler, opt)
    for _ in range(k):
        opt.step()
        first.step()
    second = make(lib[1].lr_scheduler, opt, last_epoch=k)
    record = [second.get_last_lr()]
    for _ in range(n_steps):
        opt.step()
        second.step()
        record.append(second.get_last_lr())
    return record


@pytest.mark.parametrize("name", ["StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR-decay", "OneCycleLR"])
def test_resuming_with_last_epoch_continues_like_torch(name):
    assert resumed_sequence(OURS, SCHEDULES[name]) == resumed_sequence(THEIRS, SCHEDULES[name])


def test_last_epoch_without_initial_lr_is_a_keyerror():
    with pytest.raises(KeyError, match=r"'initial_lr' is not specified in param_groups\[0\]"):
        optim.lr_scheduler.StepLR(make_optimizer(OURS), step_size=2, last_epoch=4)


PLATEAU = {
    "min-rel": dict(patience=2, factor=0.5),
    "min-abs": dict(patience=1, threshold=0.5, threshold_mode="abs"),
    "max-rel": dict(mode="max", patience=2, threshold=0.01),
    "max-abs": dict(mode="max", patience=0, threshold=0.2, threshold_mode="abs"),
    "cooldown": dict(patience=1, cooldown=3, factor=0.3),
    "min_lr-per-group": dict(patience=0, factor=0.2, min_lr=[0.02, 0.009]),
    "eps-skips-small-cuts": dict(patience=0, factor=0.5, eps=0.02),
}


def plateau_metrics(mode):
    """Plateaus of four epochs with small wiggles; improvements shrink (falling for "min", rising for "max")."""
    values = [10 / (1 + t // 4) + 0.001 * (t % 3) for t in range(40)]
    return values if mode == "min" else [20 - v for v in values]


def run_plateau(lib, kwargs):
    opt = make_optimizer(lib)
    scheduler = lib[1].lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    record = []
    for metric in plateau_metrics(kwargs.get("mode", "min")):
        opt.step()
        scheduler.step(metric)
        record.append(list(scheduler.get_last_lr()))
    return record


@pytest.mark.parametrize("name", PLATEAU)
def test_reduce_lr_on_plateau_matches_torch(name):
    ours = run_plateau(OURS, PLATEAU[name])
    assert ours == run_plateau(THEIRS, PLATEAU[name])
    assert ours[-1] != ours[0]


def test_reduce_lr_on_plateau_takes_a_0d_tensor_metric():
    scheduler = optim.lr_scheduler.ReduceLROnPlateau(make_optimizer(OURS), patience=0)
    scheduler.step(autograd.tensor(1.0))
    scheduler.step(autograd.tensor(2.0))
    assert scheduler.best == 1.0 and scheduler.get_last_lr() == [0.1 * 0.1, 0.01 * 0.1]


def checkpointed_run(make, n_before=10, n_after=20):
    """lrs after resuming from state dicts saved at step ``n_before``, and without interruption."""
    opt = make_optimizer(OURS)
    scheduler = make(optim.lr_scheduler, opt)
    for _ in range(n_before):
        opt.step()
        scheduler.step()
    opt_state, scheduler_state = copy.deepcopy(opt.state_dict()), copy.deepcopy(scheduler.state_dict())
    new_opt = make_optimizer(OURS)
    new_scheduler = make(optim.lr_scheduler, new_opt)
    new_opt.load_state_dict(opt_state)
    new_scheduler.load_state_dict(scheduler_state)
    straight, resumed = [], []
    for _ in range(n_after):
        for o, s, out in [(opt, scheduler, straight), (new_opt, new_scheduler, resumed)]:
            o.step()
            s.step()
            out.append((s.get_last_lr(), momenta(o)))
    return straight, resumed


@pytest.mark.parametrize("name", SCHEDULES)
def test_state_dict_round_trip_continues_the_schedule(name):
    straight, resumed = checkpointed_run(SCHEDULES[name])
    assert resumed == straight


def test_reduce_lr_on_plateau_state_dict_round_trip_continues():
    metrics = plateau_metrics("min")
    opt = make_optimizer(OURS)
    scheduler = optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, cooldown=2)
    for metric in metrics[:15]:
        scheduler.step(metric)
    new = optim.lr_scheduler.ReduceLROnPlateau(make_optimizer(OURS), patience=1, cooldown=2)
    new.optimizer.load_state_dict(opt.state_dict())
    new.load_state_dict(copy.deepcopy(scheduler.state_dict()))
    for metric in metrics[15:]:
        scheduler.step(metric)
        new.step(metric)
        assert new.get_last_lr() == scheduler.get_last_lr()


@pytest.mark.parametrize("name", [*SCHEDULES, "ReduceLROnPlateau"])
def test_state_dict_has_torchs_keys(name):
    def keys(lib):
        opt = make_optimizer(lib)
        if name == "ReduceLROnPlateau":
            return set(lib[1].lr_scheduler.ReduceLROnPlateau(opt).state_dict())
        return set(SCHEDULES[name](lib[1].lr_scheduler, opt).state_dict())

    assert keys(OURS) == keys(THEIRS)


def test_lambda_lr_state_dict_saves_callable_objects_but_not_functions():
    opt = make_optimizer(OURS)
    scheduler = optim.lr_scheduler.LambdaLR(opt, [Halving(0.5), lambda epoch: 1.0])
    assert scheduler.state_dict()["lr_lambdas"] == [{"base": 0.5}, None]
    other = optim.lr_scheduler.LambdaLR(make_optimizer(OURS), [Halving(0.9), lambda epoch: 1.0])
    other.load_state_dict(scheduler.state_dict())
    assert other.lr_lambdas[0].base == 0.5


def test_stepping_the_scheduler_before_the_optimizer_warns():
    scheduler = optim.lr_scheduler.StepLR(make_optimizer(OURS), step_size=2)
    with pytest.warns(UserWarning, match=r"`lr_scheduler\.step\(\)` before `optimizer\.step\(\)`"):
        scheduler.step()


def test_calling_get_lr_directly_warns_to_use_get_last_lr():
    scheduler = optim.lr_scheduler.ExponentialLR(make_optimizer(OURS), gamma=0.5)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        scheduler.get_lr()


INVALID = {
    "not-an-optimizer": (TypeError, lambda s, opt: s.StepLR(object(), step_size=1)),
    "LinearLR-start": (ValueError, lambda s, opt: s.LinearLR(opt, start_factor=0.0)),
    "LinearLR-end": (ValueError, lambda s, opt: s.LinearLR(opt, end_factor=1.5)),
    "LambdaLR-count": (ValueError, lambda s, opt: s.LambdaLR(opt, [lambda e: 1.0])),
    "OneCycleLR-no-length": (ValueError, lambda s, opt: s.OneCycleLR(opt, max_lr=1.0)),
    "OneCycleLR-total": (ValueError, lambda s, opt: s.OneCycleLR(opt, max_lr=1.0, total_steps=0)),
    "OneCycleLR-epochs": (ValueError, lambda s, opt: s.OneCycleLR(opt, max_lr=1.0, epochs=-1, steps_per_epoch=2)),
    "OneCycleLR-pct": (ValueError, lambda s, opt: s.OneCycleLR(opt, max_lr=1.0, total_steps=9, pct_start=1.5)),
    "OneCycleLR-anneal": (ValueError, lambda s, opt: s.OneCycleLR(opt, 1.0, 9, anneal_strategy="exp")),
    "OneCycleLR-max_lr": (ValueError, lambda s, opt: s.OneCycleLR(opt, max_lr=[1.0, 2.0, 3.0], total_steps=9)),
    "Plateau-factor": (ValueError, lambda s, opt: s.ReduceLROnPlateau(opt, factor=1.0)),
    "Plateau-mode": (ValueError, lambda s, opt: s.ReduceLROnPlateau(opt, mode="lowest")),
    "Plateau-threshold_mode": (ValueError, lambda s, opt: s.ReduceLROnPlateau(opt, threshold_mode="pct")),
    "Plateau-min_lr": (ValueError, lambda s, opt: s.ReduceLROnPlateau(opt, min_lr=[0.1])),
}


@pytest.mark.parametrize("name", INVALID)
def test_invalid_scheduler_arguments_raise_as_in_torch(name):
    error, make = INVALID[name]
    with pytest.raises(error) as theirs:
        make(pt.optim.lr_scheduler, make_optimizer(THEIRS))
    with pytest.raises(error, match=re.escape(str(theirs.value).split(".")[0].split("!")[0])):
        make(optim.lr_scheduler, make_optimizer(OURS))


def test_cycle_momentum_needs_an_optimizer_with_momentum():
    opt = optim.Adagrad([autograd.zeros(1, requires_grad=True)])
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
