"""Tensor construction, dtypes, accessors and repr, checked against PyTorch where it has the feature."""

import numpy as np
import pytest
import torch as pt

import autograd as torch


@pytest.mark.parametrize(
    "data, dtype",
    [
        (1.5, torch.float32),
        ([1.0, 2.0], torch.float32),
        ([1, 2], torch.int64),
        ([True, False], torch.bool),
        (3, torch.int64),
    ],
)
def test_tensor_infers_pytorchs_dtype_from_python_data(data, dtype):
    assert torch.tensor(data).dtype == dtype
    assert str(pt.tensor(data).dtype).removeprefix("torch.") == torch.dtypes.dtype_name(dtype)


def test_tensor_from_an_array_keeps_its_dtype_and_copies():
    array = np.array([1.0, 2.0])
    t = torch.tensor(array)
    array[0] = 9
    assert t.dtype == torch.float64 and t.tolist() == [1.0, 2.0]


def test_from_numpy_shares_memory():
    array = np.zeros(2, np.float32)
    t = torch.from_numpy(array)
    array[0] = 5
    assert t.tolist() == [5.0, 0.0]


def test_constructors_follow_pytorch_shapes_and_dtypes():
    assert torch.zeros(2, 3).shape == (2, 3) and torch.zeros((2, 3)).dtype == torch.float32
    assert torch.ones(2, dtype=torch.float64).dtype == torch.float64
    assert torch.full((2,), 7).dtype == torch.int64 and torch.full((2,), 7.0).dtype == torch.float32
    assert torch.arange(5).tolist() == pt.arange(5).tolist() and torch.arange(5).dtype == torch.int64
    assert torch.arange(0, 1, 0.25).tolist() == pt.arange(0, 1, 0.25).tolist()
    assert np.allclose(torch.linspace(0, 1, 5).numpy(), pt.linspace(0, 1, 5).numpy())
    assert torch.eye(3).tolist() == pt.eye(3).tolist()
    assert torch.randint(0, 10, (4,)).dtype == torch.int64
    assert torch.rand(3, 2).shape == (3, 2) and torch.randn(3).dtype == torch.float32
    x = torch.ones(2, 3, dtype=torch.float64)
    assert torch.zeros_like(x).dtype == torch.float64 and torch.ones_like(x).shape == (2, 3)


def test_negative_size_is_rejected_with_the_shape():
    with pytest.raises(RuntimeError, match=r"negative dimension: \[2, -1\]"):
        torch.zeros(2, -1)


def test_manual_seed_repeats_random_draws():
    torch.manual_seed(3)
    a = torch.randn(4).tolist()
    torch.manual_seed(3)
    assert torch.randn(4).tolist() == a


def test_accessors():
    x = torch.tensor([[1.0, 2.0, 3.0]])
    assert x.size() == (1, 3) and x.size(1) == 3 and x.size(-1) == 3
    assert x.ndim == 2 and x.dim() == 2 and x.numel() == 3
    assert torch.tensor(2.5).item() == 2.5 and isinstance(torch.tensor(2.5).item(), float)
    assert x.tolist() == [[1.0, 2.0, 3.0]]
    with pytest.raises(IndexError, match=r"range of \[-2, 1\], but got 2"):
        x.size(2)


def test_item_of_many_elements_names_the_count():
    with pytest.raises(RuntimeError, match="a Tensor with 3 elements cannot be converted to Scalar"):
        torch.ones(3).item()


def test_numpy_of_a_tensor_requiring_grad_raises_like_pytorch():
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        torch.ones(2, requires_grad=True).numpy()


def test_detach_shares_memory_and_leaves_the_graph():
    x = torch.ones(2, requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    assert np.shares_memory(d.numpy(), x.detach().numpy())


def test_requires_grad_flag_only_on_leaves():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        y.requires_grad_(False)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.tensor([1.0, 2.5]),
        lambda m: m.tensor(3.0),
        lambda m: m.tensor([1, 2]),
        lambda m: m.tensor([True, False]),
        lambda m: m.tensor([1.0, 2.0], requires_grad=True),
        lambda m: m.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=m.float64),
        lambda m: m.zeros(0, 3),
        lambda m: m.tensor([]),
        lambda m: m.zeros(0, dtype=m.int64),
        lambda m: m.zeros(1, 0, dtype=m.float64),
        lambda m: m.tensor([1e-5, 1.0]),
    ],
)
def test_repr_matches_pytorch(make):
    ours = repr(make(torch)).replace("autograd.", "torch.")
    assert ours == repr(make(pt))


def test_repr_shows_the_grad_fn():
    x = torch.ones(2, requires_grad=True)
    assert repr(x * 2) == "tensor([2., 2.], grad_fn=<MulBackward>)"


def test_zero_dim_tensor_is_the_scalar_engine():
    x = torch.tensor(2.0, requires_grad=True)
    y = 3 * x + x / 4 - 1 + 2**x + x**2
    assert f"{y.item():.4f}" == "13.5000"
    assert f"{y:.2f}" == "13.50"
    assert float(y) == pytest.approx(13.5) and bool(x)


def test_non_numeric_data_is_rejected_naming_the_dtype():
    with pytest.raises(TypeError, match="NumPy dtype <U1"):
        torch.tensor(["a"])


def test_broadcast_mismatch_is_a_runtime_error_naming_both_shapes_like_pytorch():
    with pytest.raises(RuntimeError, match=r"add: shapes \(2, 3\) and \(4, 3\) cannot be broadcast.*dimension -2"):
        torch.ones(2, 3) + torch.ones(4, 3)
