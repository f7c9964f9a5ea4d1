"""Indexing and assignment: gradients that accumulate, masks, __setitem__ in a graph, and the errors users hit."""

import numpy as np
import pytest
import torch as pt

import autograd as torch


def test_repeated_indices_accumulate_their_gradients():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 1]].sum().backward()
    assert x.grad.tolist() == [2.0, 1.0, 0.0]


def test_repeated_rows_of_an_int64_tensor_index_accumulate_like_pytorch(rng):
    weights = rng.standard_normal((5, 3))
    ids = np.array([[4, 0], [4, 4]])
    gy = rng.standard_normal((2, 2, 3))
    ours = torch.tensor(weights, requires_grad=True)
    theirs = pt.tensor(weights, requires_grad=True)
    ours[torch.tensor(ids)].backward(torch.tensor(gy))
    theirs[pt.tensor(ids)].backward(pt.tensor(gy))
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy())


def test_boolean_mask_selects_and_routes_the_gradient_back():
    x = torch.tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
    picked = x[x > 0]
    assert picked.tolist() == [1.0, 4.0]
    (picked * torch.tensor([10.0, 20.0])).sum().backward()
    assert x.grad.tolist() == [[10.0, 0.0], [0.0, 20.0]]


def test_mixed_slice_and_index_array_match_pytorch(rng):
    data = rng.standard_normal((3, 4, 5))
    key = (slice(None, None, 2), [3, 0, 3], -1)
    ours = torch.tensor(data, requires_grad=True)
    theirs = pt.tensor(data, requires_grad=True)
    ours[key].sum().backward()
    theirs[key].sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy())


def test_indexing_is_twice_differentiable():
    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    (gx,) = torch.grad((x[[0, 0, 2]] ** 3).sum(), x, create_graph=True)
    (ggx,) = torch.grad(gx.sum(), x)
    assert gx.tolist() == [6.0, 0.0, 27.0]
    assert ggx.tolist() == [12.0, 0.0, 18.0]


def test_basic_index_is_a_view_sharing_the_version_counter():
    x = torch.zeros(2, 3)
    row = x[1]
    row.add_(1)
    assert x.tolist() == [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]
    assert x._version == 1


def _setitem_grads(lib, x0, v0, gy):
    x = lib.tensor(x0, requires_grad=True)
    v = lib.tensor(v0, requires_grad=True)
    y = x * 2
    y[1:, [0, 2]] = v * v
    y.backward(lib.tensor(gy))
    return y.detach().numpy(), x.grad.numpy(), v.grad.numpy()


def test_setitem_on_a_non_leaf_with_a_value_that_requires_grad_matches_pytorch(rng):
    x0, v0, gy = rng.standard_normal((3, 4)), rng.standard_normal((1, 2)), rng.standard_normal((3, 4))
    for ours, theirs in zip(_setitem_grads(torch, x0, v0, gy), _setitem_grads(pt, x0, v0, gy)):
        np.testing.assert_allclose(ours, theirs)


def test_setitem_into_a_plain_tensor_makes_it_part_of_the_graph():
    v = torch.tensor(3.0, requires_grad=True)
    out = torch.zeros(3)
    out[1] = v
    (out * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert out.requires_grad and v.grad.item() == 2.0


def test_setitem_on_a_leaf_that_requires_grad_raises():
    w = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad is being used in an in-place operation"):
        w[0] = 5.0


def test_setitem_on_a_leaf_under_no_grad_writes_in_place():
    w = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        w[torch.tensor([True, False, True])] = 0.0
    assert w.tolist() == [0.0, 1.0, 0.0]
    assert w.is_leaf and w.requires_grad and w._version == 1


def test_value_of_the_wrong_shape_names_both_shapes():
    with pytest.raises(
        RuntimeError, match=r"value tensor of shape \[3\] cannot be broadcast to indexing result of shape \[2\]"
    ):
        torch.zeros(4)[:2] = torch.ones(3)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (5, "index 5 is out of bounds for dimension 0 with size 3"),
        ((slice(None), -5), "index -5 is out of bounds for dimension 1 with size 4"),
        ((slice(None), [1, 7]), "index 7 is out of bounds for dimension 1 with size 4"),
        ((Ellipsis, 4), "index 4 is out of bounds for dimension 1 with size 4"),
        ((0, 0, 0), "too many indices for tensor of dimension 2"),
    ],
)
def test_out_of_range_index_names_the_index_dim_and_size(key, message):
    with pytest.raises(IndexError, match=message):
        torch.zeros(3, 4)[key]


def test_out_of_range_assignment_names_the_index_dim_and_size():
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 0 with size 3"):
        torch.zeros(3)[3] = 1.0


def test_mask_of_the_wrong_shape_names_both_shapes():
    with pytest.raises(
        IndexError, match=r"mask \[2\] at index 0 does not match the shape of the indexed tensor \[3, 4\]"
    ):
        torch.zeros(3, 4)[torch.tensor([True, False])]


def test_iterating_yields_rows_and_one_gradient_flows_back():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    (rows[0] * 1 + rows[1] * 10).sum().backward()
    assert [r.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]
    assert x.grad.tolist() == [[1.0, 1.0], [10.0, 10.0]]


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ((2, 3), (4, 3), r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x3\)"),
        ((3,), (4, 5), r"mat1 and mat2 shapes cannot be multiplied \(1x3 and 4x5\)"),
        ((4, 5), (3,), r"size mismatch, got input \(4\), mat \(4x5\), vec \(3\)"),
        ((3,), (4,), r"inconsistent tensor size, expected tensor \[3\] and src \[4\]"),
        ((2, 3, 4), (2, 5, 6), r"\(3x4 and 5x6\) \(batched shapes \[2, 3, 4\] and \[2, 5, 6\]\)"),
        ((2, 3, 4), (3, 4, 6), r"batch dims of shapes \[2, 3, 4\] and \[3, 4, 6\] cannot be broadcast"),
        ((), (3,), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
    ],
)
def test_matmul_shape_errors_name_both_shapes(a, b, message):
    with pytest.raises(RuntimeError, match=message):
        torch.zeros(*a) @ torch.zeros(*b)


def test_mm_bmm_and_dot_reject_the_wrong_ranks():
    with pytest.raises(RuntimeError, match=r"mm: self must be a matrix, got shape \[3\]"):
        torch.mm(torch.zeros(3), torch.zeros(3, 3))
    with pytest.raises(RuntimeError, match=r"batch2 tensor to be: \[2, 4\] but got: \[3, 4\]"):
        torch.bmm(torch.zeros(2, 3, 4), torch.zeros(3, 4, 6))
    with pytest.raises(RuntimeError, match="1D tensors expected, but got 2D and 1D tensors"):
        torch.dot(torch.zeros(3, 1), torch.zeros(3))
