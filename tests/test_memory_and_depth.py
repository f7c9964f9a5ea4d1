"""Deep graphs need no recursion, and graphs are freed by reference counting alone (no cycles)."""

import gc
import sys
import weakref

import numpy as np
import pytest

import autograd as torch


@pytest.fixture
def gc_disabled():
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    if was_enabled:
        gc.enable()


def live_tensors() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is torch.Tensor)


def test_backward_through_a_100000_op_chain_without_recursion():
    limit = sys.getrecursionlimit()
    x = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    y = x
    for i in range(100_000):
        y = y * 1.00001 if i % 2 else y + 0.5
    y.backward()
    assert sys.getrecursionlimit() == limit
    assert x.grad.item() == pytest.approx(1.00001**50_000, rel=1e-9)


def test_dropping_a_deep_graph_without_backward_does_not_crash():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(150_000):
        y = y + 1.0
    del y


def test_graph_is_freed_by_reference_counting_after_backward(gc_disabled):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    z = h * h + h
    loss = z.exp().sum()
    refs = [weakref.ref(t) for t in (h, z)] + [weakref.ref(t.grad_fn) for t in (h, z, loss)]
    loss.backward()
    del h, z, loss
    assert all(r() is None for r in refs)


def test_graph_is_freed_without_backward_too(gc_disabled):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 3).exp()
    y.retain_grad()
    node = weakref.ref(y.grad_fn)
    out = weakref.ref(y)
    del y
    assert node() is None and out() is None


def test_no_grad_creates_no_node(gc_disabled):
    x = torch.tensor([1.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    assert y.grad_fn is None and not y.requires_grad


def test_saved_tensors_are_released_as_backward_runs():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    node = y.grad_fn
    y.backward(torch.ones(2))
    with pytest.raises(RuntimeError, match="second time"):
        node.saved_tensors


def test_training_steps_keep_the_live_tensor_count_constant(gc_disabled):
    rng = np.random.default_rng(0)
    x = torch.tensor(rng.normal(size=(32, 2)).astype(np.float32))
    target = torch.tensor(rng.normal(size=(32, 1)).astype(np.float32))
    w1 = torch.tensor(rng.normal(size=(2, 16)).astype(np.float32) * 0.5, requires_grad=True)
    w2 = torch.tensor(rng.normal(size=(16, 1)).astype(np.float32) * 0.25, requires_grad=True)
    params = [w1, w2]
    counts = {}
    for step in range(1, 10_001):
        loss = (((x @ w1).tanh() @ w2 - target) ** 2).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.01 * p.grad
        del loss
        if step in (100, 10_000):
            counts[step] = live_tensors()
    assert counts[10_000] == counts[100]


def test_backward_frees_the_saved_intermediates_while_the_output_lives():
    x = torch.ones(3, requires_grad=True)
    h = x * 2
    z = (h * h).sum()
    alive = weakref.ref(h)
    del h
    z.backward()
    assert alive() is None
