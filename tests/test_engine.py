"""The backward pass: order, accumulation, retain_graph, errors, grad(), higher order, custom Functions."""

import numpy as np
import pytest

import autograd as torch
from autograd import Function


def scalar(value, dtype=torch.float64):
    return torch.tensor(value, dtype=dtype, requires_grad=True)


def test_gradients_accumulate_into_leaves_across_backward_calls():
    x = scalar(3.0)
    (x * x).backward()
    (x * x).backward()
    assert x.grad.item() == 12.0


def test_reused_node_accumulates_once_per_use():
    a = scalar(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4.0


def test_shared_subexpression_is_not_double_counted():
    a = scalar(1.0)
    b = a * 3
    e = b * 8 + 3
    e.backward()
    assert a.grad.item() == 24.0


def test_diamond_of_20_levels_gives_two_to_the_twentieth_and_runs_each_node_once():
    calls = []

    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, gy):
            calls.append(1)
            return gy

    x = scalar(1.0)
    y = x
    for _ in range(20):
        y = Twice.apply(y)
        y = y + y
    y.backward()
    assert x.grad.item() == 2.0**20
    assert len(calls) == 20


def test_a_node_with_no_gradient_still_releases_every_input_even_past_64():
    class Stop(Function):
        @staticmethod
        def forward(ctx, x):
            return x.copy()

        @staticmethod
        def backward(ctx, gy):
            return None

    x = torch.tensor(1.0, requires_grad=True)
    h = x * 3
    # cat gets no gradient; each of its 100 inputs must still count down h, or h never runs.
    c = torch.stack([h * 1.0 for _ in range(100)])
    (Stop.apply(c).sum() + h).backward()
    assert x.grad.item() == 3.0


def test_second_backward_through_freed_graph_raises_pytorch_error():
    x = scalar(2.0)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match=r"second time.*retain_graph=True"):
        y.backward()


def test_retain_graph_allows_second_backward_and_doubles_the_gradient():
    x = scalar(2.0)
    y = x * x
    y.backward(retain_graph=True)
    first = x.grad.item()
    y.backward()
    assert x.grad.item() == 2 * first


def test_implicit_gradient_of_non_scalar_raises():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()


def test_gradient_of_wrong_shape_names_both_shapes():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(2,\)"):
        (x * 2).backward(torch.ones(3))


def test_backward_on_tensor_that_does_not_require_grad_says_so():
    with pytest.raises(RuntimeError, match="does not require grad"):
        torch.tensor(1.0).backward()


def test_integer_and_bool_tensors_cannot_require_grad():
    with pytest.raises(RuntimeError, match="only floating point tensors can require gradients"):
        torch.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="only floating point tensors can require gradients"):
        torch.tensor([True]).requires_grad_()


def test_no_grad_records_nothing_as_context_and_decorator():
    x = scalar(1.0)
    with torch.no_grad():
        y = x * 2
        with torch.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad

    @torch.no_grad()
    def double(t):
        return t * 2

    assert not double(x).requires_grad
    assert torch.is_grad_enabled()


def test_set_grad_enabled_as_call_and_context():
    with torch.set_grad_enabled(False):
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_grad_returns_gradients_without_touching_dot_grad():
    x = scalar(3.0)
    (gx,) = torch.grad(x * x, x)
    assert gx.item() == 6.0
    assert x.grad is None


def test_grad_of_non_leaf_input():
    x = scalar(3.0)
    h = x * 2
    y = h * h
    (gh,) = torch.grad(y, h)
    assert gh.item() == 12.0


def test_grad_allow_unused():
    x, unused = scalar(1.0), scalar(2.0)
    with pytest.raises(RuntimeError, match="not have been used in the graph"):
        torch.grad(x * 2, [x, unused])
    gx, gu = torch.grad(x * 2, [x, unused], allow_unused=True)
    assert gx.item() == 2.0 and gu is None


def test_create_graph_gives_third_derivative():
    x = scalar(2.0)
    y = x**4
    (g1,) = torch.grad(y, x, create_graph=True)
    (g2,) = torch.grad(g1, x, create_graph=True)
    (g3,) = torch.grad(g2, x)
    assert (g1.item(), g2.item(), g3.item()) == (32.0, 48.0, 48.0)


def test_backward_with_create_graph_leaves_a_differentiable_grad():
    x = scalar(3.0)
    (x**3).backward(create_graph=True)
    assert x.grad.requires_grad
    (g2,) = torch.grad(x.grad, x)
    assert g2.item() == 18.0


def test_first_order_only_function_raises_clearly_under_create_graph():
    class Opaque(Function):
        once_differentiable = True

        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def backward(ctx, gy):
            return gy * 2.0

    x = scalar(1.0)
    with pytest.raises(RuntimeError, match="OpaqueBackward is only differentiable once"):
        torch.grad(Opaque.apply(x), x, create_graph=True)


def test_custom_function_returning_wrong_shape_names_op_index_and_shapes():
    class BadShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, gy):
            return np.ones((3, 2))

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = BadShape.apply(x)
    with pytest.raises(RuntimeError, match=r"BadShapeBackward.*index 0.*\[3, 2\].*\[2\]"):
        y.backward(torch.ones(2))


def test_custom_function_returning_too_few_gradients_raises():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, gy):
            return gy

    a, b = scalar(1.0), scalar(2.0)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        TooFew.apply(a, b).backward()


def test_broadcast_gradients_have_each_inputs_shape():
    a = torch.tensor(np.ones((3, 1)), requires_grad=True)
    b = torch.tensor(np.ones((1, 4)), requires_grad=True)
    (a * b).backward(torch.ones(3, 4, dtype=torch.float64))
    assert a.grad.shape == (3, 1) and b.grad.shape == (1, 4)
    assert a.grad.tolist() == [[4.0]] * 3 and b.grad.tolist() == [[3.0] * 4]


def test_python_scalars_keep_float32_and_gradients_stay_float32():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = 0.5 * x + 2 - 1.5 / (x + 1)
    assert y.dtype == torch.float32
    y.backward(torch.ones(2))
    assert x.grad.dtype == torch.float32


def test_mixed_dtypes_promote_and_gradients_return_in_each_inputs_dtype():
    a = torch.tensor([1.0, 2.0], dtype=torch.float32, requires_grad=True)
    b = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    y = a * b
    assert y.dtype == torch.float64
    y.backward(torch.ones(2, dtype=torch.float64))
    assert a.grad.dtype == torch.float32 and b.grad.dtype == torch.float64


def test_leaf_gradients_never_alias_each_other_or_the_upstream_gradient():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    upstream = torch.ones(2)
    (a + b).backward(upstream)
    a.grad.zero_()
    assert b.grad.tolist() == [1.0, 1.0]
    assert upstream.tolist() == [1.0, 1.0]


def test_zero_upstream_gradient_gives_exact_zeros_of_input_shape_and_dtype():
    x = torch.tensor([[1.0, 2.0]], requires_grad=True)
    (x * 3).backward(torch.zeros(1, 2))
    assert x.grad.shape == (1, 2) and x.grad.dtype == torch.float32
    assert x.grad.tolist() == [[0.0, 0.0]]


def test_backward_twice_with_retain_graph_is_bit_identical():
    x = torch.tensor(np.random.default_rng(0).normal(size=5), requires_grad=True)
    y = (x * x * 3.3) / (x + 10)
    g = torch.ones(5, dtype=torch.float64)
    first = torch.grad(y, x, g, retain_graph=True)[0].numpy().copy()
    second = torch.grad(y, x, g)[0].numpy()
    assert np.array_equal(first, second)


def test_multi_output_function_materialises_missing_output_gradients():
    class SplitHalves(Function):
        @staticmethod
        def forward(ctx, x):
            return x[:2].copy(), x[2:].copy()

        @staticmethod
        def backward(ctx, g1, g2):
            return np.concatenate([g1, g2])

    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    first, _ = SplitHalves.apply(x)
    (first * 2).backward(torch.ones(2))
    assert x.grad.tolist() == [2.0, 2.0, 0.0]


def test_next_functions_and_grad_fn_names_follow_pytorch():
    x = scalar(1.0)
    y = x * 2 + 1
    assert y.grad_fn.name() == "AddBackward"
    (parent, _), _ = y.grad_fn.next_functions
    assert parent.name() == "MulBackward"
    assert x.is_leaf and not y.is_leaf


def test_backward_of_several_outputs_where_one_depends_on_the_other():
    x = scalar(2.0)
    y = x * 3
    z = y * y
    torch.backward([y, z], [torch.tensor(1.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64)])
    assert x.grad.item() == 3.0 + 2 * 6.0 * 3


def test_zero_dim_leaf_grad_is_an_array_that_can_be_zeroed_in_place() -> None:
    x = torch.tensor(3.0, requires_grad=True)
    (x * x).backward()
    (x * x).backward()
    assert type(x.grad.numpy()) is np.ndarray
    x.grad.zero_()
    assert x.grad.item() == 0.0


@pytest.mark.parametrize("n_args", [1, 2, 3])
def test_needs_input_grad_has_one_entry_per_input_with_or_without_a_graph(n_args):
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, *xs):
            seen.append(ctx.needs_input_grad)
            return xs[0] * 1.0

        @staticmethod
        def backward(ctx, gy):
            return (gy,) + (None,) * (n_args - 1)

    xs = [torch.ones(2, requires_grad=True)] + [torch.ones(2)] * (n_args - 1)
    Probe.apply(*xs)
    with torch.no_grad():
        Probe.apply(*xs)
    assert seen == [(True,) + (False,) * (n_args - 1), (False,) * n_args]
