"""In-place ops and version counters; tensor hooks and retain_grad."""

import pytest

import autograd as torch


def test_plus_equals_on_a_non_leaf_rebases_it_like_pytorch():
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    y = x * 3
    y += x * x
    y.backward()
    assert y.item() == 10.0
    assert x.grad.item() == 7.0
    assert y._version == 1


def test_inplace_mul_keeps_the_old_value_for_the_other_operands_gradient():
    x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(5.0, dtype=torch.float64, requires_grad=True)
    y = x * 1
    y.mul_(w)
    y.backward()
    assert (x.grad.item(), w.grad.item()) == (5.0, 2.0)


def test_modifying_a_saved_tensor_raises_naming_the_op_and_versions():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    c = b * b
    b.add_(1)
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation.*output 0 of MulBackward.*version 1"):
        c.backward(torch.ones(2))


def test_modifying_a_saved_output_raises():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward(torch.ones(2))


def test_modifying_a_tensor_no_op_saved_is_fine():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    y = h.exp()
    h.add_(1)
    y.backward(torch.ones(2))
    assert x.grad.tolist() == pytest.approx([2.718281828, 7.389056099])


def test_inplace_on_a_leaf_that_requires_grad_raises_except_under_no_grad():
    w = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place operation"):
        w.add_(1)
    with torch.no_grad():
        w -= 0.5
    assert w.tolist() == [0.5, 0.5]
    assert w.is_leaf and w.requires_grad


def test_inplace_bumps_the_version_counter_shared_with_detach():
    x = torch.zeros(3)
    d = x.detach()
    d.add_(1)
    assert x._version == 1 and x.tolist() == [1.0, 1.0, 1.0]


def test_inplace_result_that_cannot_be_cast_names_the_dtypes():
    counts = torch.tensor([1, 2])
    with pytest.raises(RuntimeError, match=r"result type float64 can.t be cast to the desired output type int64"):
        counts.mul_(torch.tensor([0.5, 0.5]))


def test_inplace_broadcast_to_a_bigger_shape_raises():
    x = torch.zeros(3)
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        x.add_(torch.ones(2, 3))


def test_fill_and_zero_write_in_place():
    x = torch.ones(3)
    x.fill_(2.0)
    assert x.tolist() == [2.0, 2.0, 2.0]
    x.zero_()
    assert x.tolist() == [0.0, 0.0, 0.0] and x._version == 2


def test_copy_into_a_non_leaf_sends_the_gradient_to_the_source():
    src = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = torch.zeros(3) * 1
    y.copy_(src)
    y.backward(torch.tensor([1.0, 1.0, 2.0]))
    assert y.tolist() == [1.0, 2.0, 3.0]
    assert src.grad.tolist() == [1.0, 1.0, 2.0]


def test_leaf_hook_can_replace_the_gradient_and_can_be_removed():
    x = torch.tensor(1.0, requires_grad=True)
    handle = x.register_hook(lambda g: g * 10)
    (x * 3).backward()
    assert x.grad.item() == 30.0
    handle.remove()
    x.grad = None
    (x * 3).backward()
    assert x.grad.item() == 3.0


def test_non_leaf_hook_sees_and_changes_the_flowing_gradient():
    x = torch.tensor(2.0, requires_grad=True)
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(g.item()) or g * 2)
    (h * h).backward()
    assert seen == [12.0]
    assert x.grad.item() == 72.0


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = torch.tensor(2.0, requires_grad=True)
    h = x * 3
    h.retain_grad()
    (h * h).backward()
    assert h.grad.item() == 12.0


def test_reading_grad_of_a_non_leaf_warns():
    x = torch.tensor(2.0, requires_grad=True)
    h = x * 3
    h.backward()
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert h.grad is None


def test_uniform_and_normal_fill_in_place_reproducibly_and_refuse_a_leaf_that_requires_grad():
    torch.manual_seed(3)
    w = torch.zeros(1000, dtype=torch.float64)
    assert w.uniform_(-0.5, 0.5) is w and float(w.min()) >= -0.5 and float(w.max()) <= 0.5
    torch.manual_seed(3)
    assert torch.zeros(1000, dtype=torch.float64).uniform_(-0.5, 0.5).tolist() == w.tolist()
    v = torch.zeros(10_000).normal_(1.0, 0.02)
    assert abs(float(v.mean()) - 1.0) < 0.002 and abs(float(v.std()) - 0.02) < 0.002 and v.dtype == torch.float32
    p = torch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        p.normal_()
    p.data.normal_()
    assert p.is_leaf and p.grad_fn is None
