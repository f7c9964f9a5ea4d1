"""record_graph and the backward view: what is kept, what it costs outside, the chain rule on each edge."""

import gc
import re
import weakref

import numpy as np
import pytest

import autograd as torch
import nn
from autograd import function, instrument
from autograd.viz import scopes
from autograd.viz.labels import TIMES


def edge_labels(dot) -> list[str]:
    return re.findall(r"-> \w+ \[.*label=<([^>]*)>", dot.source)


def test_recording_keeps_a_value_from_before_an_in_place_write():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.record_graph() as rec:
        y = x * 2
        mul = y.grad_fn
        y += 1
    np.testing.assert_array_equal(rec.get(mul).outputs[0].small, [2.0, 4.0])
    np.testing.assert_array_equal(rec.get(y.grad_fn).outputs[0].small, [3.0, 5.0])


def test_recording_keeps_the_gradient_that_reached_each_node():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.record_graph() as rec:
        h = x * 3
        (h * h).sum().backward()
    np.testing.assert_allclose(rec.get(h.grad_fn).grads[0].small, [6.0, 12.0])


def test_recording_sums_broadcast_gradients_back_to_the_input_shape():
    x = torch.ones(3, 2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    with torch.record_graph() as rec:
        y = x + b
        y.sum().backward()
    assert rec.get(y.grad_fn).products[1].shape == (2,)
    np.testing.assert_array_equal(rec.get(y.grad_fn).products[1].small, [3.0, 3.0])


def test_recording_keeps_shape_norm_and_finiteness_of_large_outputs_but_not_their_values():
    x = torch.ones(100, requires_grad=True)
    with torch.record_graph(max_elements=10) as rec:
        y = x * 2
    s = rec.get(y.grad_fn).outputs[0]
    assert s.small is None and s.shape == (100,) and s.finite
    assert s.norm == pytest.approx(20.0)


def test_outside_a_recording_nothing_is_wrapped():
    module_call = nn.Module.__dict__["__call__"]
    with torch.record_graph():
        assert function.observer_hook is not None
        assert nn.Module.__dict__["__call__"] is not module_call
    assert function.observer_hook is None
    assert nn.Module.__dict__["__call__"] is module_call
    assert instrument.observers == []


def test_a_recording_does_not_keep_the_graph_alive():
    x = torch.ones(3, requires_grad=True)
    with torch.record_graph() as rec:
        y = (x * 2).sum()
    node = weakref.ref(y.grad_fn)
    gc.disable()
    try:
        del y
        assert node() is None
    finally:
        gc.enable()
    assert rec.get(x) is None


def test_recording_names_module_paths_and_parameters_without_params():
    block = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    model = nn.Sequential(block, nn.Linear(2, 1))
    with torch.record_graph() as rec:
        y = model(torch.ones(3, 2)).sum()
    dot = torch.draw_graph(y, recording=rec)
    clusters = sorted(re.findall(r"label=<([\w.: ]+)> style=\"rounded,dashed\"", dot.source))
    assert clusters == ["0.0: Linear", "0.1: Tanh", "0: Sequential", "1: Linear"]
    for name in ("0.0.weight", "0.0.bias", "1.weight", "1.bias"):
        assert f"<B>{name}</B>" in dot.source


def test_recording_draws_inputs_that_need_no_grad():
    w = torch.ones(2, requires_grad=True)
    x = torch.Tensor([3.0, 4.0], name="x")
    with torch.record_graph() as rec:
        y = (w * x).sum()
    dot = torch.draw_graph(y, recording=rec)
    assert "<B>x</B>" in dot.source and "data [3.0000, 4.0000]" in dot.source


def test_recorded_constants_show_as_op_arguments():
    a = torch.tensor(2.0, requires_grad=True)
    with torch.record_graph() as rec:
        y = 10.0 / (a**3)
    source = torch.draw_graph(y, recording=rec).source
    assert '<B>Div</B><BR/><FONT POINT-SIZE="10">a=10</FONT>' in source
    assert '<B>Pow</B><BR/><FONT POINT-SIZE="10">b=3</FONT>' in source


def test_backward_view_labels_each_scalar_edge_upstream_times_local_equals_sent():
    a = torch.tensor(3.0, requires_grad=True)
    b = torch.tensor(-2.0, requires_grad=True)
    y = (a * b).exp()
    dot = torch.draw_graph(y, backward=True)
    up = np.exp(-6.0)
    labels = set(edge_labels(dot))
    assert f"{up:.4f} {TIMES} -2.0000 = {-2 * up:.4f}" in labels
    assert f"{up:.4f} {TIMES} 3.0000 = {3 * up:.4f}" in labels
    assert "<B>MulBackward</B>" in dot.source and "dir=back" in dot.source


def test_backward_view_by_its_own_pass_leaves_grad_untouched():
    a = torch.tensor(3.0, requires_grad=True)
    y = a * a
    dot = torch.draw_graph(y, backward=True)
    assert a.grad is None
    assert "grad 6.0000" in dot.source


def test_backward_view_uses_the_recorded_backward():
    a = torch.tensor(3.0, requires_grad=True)
    with torch.record_graph() as rec:
        y = a * a
        y.backward()
    labels = edge_labels(torch.draw_graph(y, recording=rec, backward=True))
    assert labels == [f"1.0000 {TIMES} 3.0000 = 3.0000", f"1.0000 {TIMES} 3.0000 = 3.0000"]


def test_backward_view_shows_gradient_norms_on_tensor_edges():
    w = torch.ones(3, 4, requires_grad=True)
    dot = torch.draw_graph((w * 2).sum(), backward=True)
    assert f"‖grad‖ {np.sqrt(12) * 2:.4f}" in edge_labels(dot)


def test_backward_view_after_the_graph_was_freed_says_what_to_do():
    a = torch.tensor(3.0, requires_grad=True)
    y = a * a
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        torch.draw_graph(y, backward=True)


def test_backward_view_after_retain_graph_works():
    a = torch.tensor(3.0, requires_grad=True)
    y = a * a
    y.backward(retain_graph=True)
    assert f"1.0000 {TIMES} 3.0000 = 3.0000" in edge_labels(torch.draw_graph(y, backward=True))
    assert a.grad.item() == 6.0


def test_nan_edge_in_the_backward_view_is_red():
    x = torch.tensor(0.0, requires_grad=True)
    y = x.sqrt() * 0
    source = torch.draw_graph(y, backward=True).source
    assert f't2 -> n1 [label=<0.0000 {TIMES} inf = nan> color="#ff5c5c"' in source
    assert f"n1 -> n0 [label=<1.0000 {TIMES} 0.0000 = 0.0000> dir=back]" in source


def test_drawing_inside_a_recording_does_not_record_its_own_backward():
    a = torch.tensor(3.0, requires_grad=True)
    with torch.record_graph() as rec:
        y = a * a
        torch.draw_graph(y, backward=True)
    assert rec.get(y.grad_fn).grads is None


def test_module_scopes_nest_and_unwind_after_an_error():
    class Boom(nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    with torch.record_graph():
        with pytest.raises(ValueError):
            nn.Sequential(Boom())(torch.ones(1))
        assert scopes.current() == ()
