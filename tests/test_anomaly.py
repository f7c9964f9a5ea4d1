"""Anomaly mode: the op whose backward made NaN or inf is named, with where it ran in forward."""

import inspect

import numpy as np
import pytest

import autograd as torch
import nn
from autograd import function, instrument

ENABLED = "Anomaly Detection has been enabled"


def line_after() -> int:
    """The caller's next line number."""
    return inspect.currentframe().f_back.f_lineno + 1


def test_nan_from_sqrt_names_the_node_the_output_index_and_the_forward_line():
    x = torch.tensor(0.0, requires_grad=True)
    with pytest.warns(UserWarning, match=ENABLED), torch.detect_anomaly():
        line = line_after()
        y = x.sqrt() * 0
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
    message = str(info.value)
    assert message.startswith("Function 'SqrtBackward' returned nan values in its 0th output.")
    assert "Traceback of forward call that caused the error:" in message
    assert f'File "{__file__}", line {line}, in test_nan_from_sqrt' in message
    assert "y = x.sqrt() * 0" in message


def test_outside_anomaly_mode_the_grad_is_nan_and_nothing_is_recorded():
    x = torch.tensor(0.0, requires_grad=True)
    (x.sqrt() * 0).sum().backward()
    assert np.isnan(x.grad.item())
    assert instrument.observers == []
    assert function.observer_hook is None


def test_inf_is_an_anomaly_too():
    x = torch.tensor(0.0, requires_grad=True)
    with pytest.warns(UserWarning, match=ENABLED), torch.detect_anomaly():
        y = x.log()
        with pytest.raises(RuntimeError, match=r"^Function 'LogBackward' returned inf values in its 0th output\."):
            y.backward()


def test_the_forward_trace_leaves_out_frames_inside_nn_and_autograd():
    layer = nn.Linear(2, 1)
    with torch.no_grad():
        layer.weight.fill_(float("inf"))
    x = torch.ones(3, 2, requires_grad=True)
    with pytest.warns(UserWarning, match=ENABLED), torch.detect_anomaly():
        line = line_after()
        out = layer(x).sum()
        with pytest.raises(RuntimeError) as info:
            out.backward()
    trace = str(info.value).split("caused the error:\n")[1]
    assert str(info.value).startswith("Function 'LinearBackward' returned inf values in its 0th output.")
    where = f'File "{__file__}", line {line}, in test_the_forward_trace_leaves_out_frames_inside_nn_and_autograd'
    assert trace.rstrip().endswith(where + "\n    out = layer(x).sum()")
    assert "nn/linear.py" not in trace and "autograd/" not in trace


def test_names_the_index_of_the_input_that_got_the_bad_gradient():
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(0.0, requires_grad=True)
    with pytest.warns(UserWarning, match=ENABLED), torch.detect_anomaly():
        y = a / b
        with pytest.raises(RuntimeError, match="'DivBackward' returned inf values in its 0th output"):
            y.backward()


def test_check_nan_false_only_records():
    x = torch.tensor(0.0, requires_grad=True)
    with pytest.warns(UserWarning, match=ENABLED), torch.detect_anomaly(check_nan=False):
        assert torch.is_anomaly_enabled() and not torch.is_anomaly_check_nan_enabled()
        (x.sqrt() * 0).backward()
    assert np.isnan(x.grad.item())


def test_set_detect_anomaly_turns_it_on_and_off_without_a_warning():
    torch.set_detect_anomaly(True)
    try:
        assert torch.is_anomaly_enabled()
        x = torch.tensor(0.0, requires_grad=True)
        with pytest.raises(RuntimeError, match="SqrtBackward"):
            (x.sqrt() * 0).backward()
    finally:
        torch.set_detect_anomaly(False)
    assert not torch.is_anomaly_enabled()
    assert instrument.observers == []


def test_set_detect_anomaly_as_a_context_manager_restores_the_previous_state():
    with torch.set_detect_anomaly(True):
        with torch.set_detect_anomaly(False):
            assert not torch.is_anomaly_enabled()
        assert torch.is_anomaly_enabled()
    assert not torch.is_anomaly_enabled()


def test_detect_anomaly_as_a_decorator():
    with pytest.warns(UserWarning, match=ENABLED):  # once, when decorating (as in PyTorch)

        @torch.detect_anomaly()
        def step(x):
            (x.sqrt() * 0).backward()

    with pytest.raises(RuntimeError, match="SqrtBackward"):
        step(torch.tensor(0.0, requires_grad=True))
    assert not torch.is_anomaly_enabled()


def test_finite_gradients_pass_and_match_plain_mode():
    x = torch.tensor([1.0, 4.0], requires_grad=True)
    with pytest.warns(UserWarning, match=ENABLED), torch.detect_anomaly():
        (x.sqrt() * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 1.5 * np.sqrt([1.0, 4.0]))
