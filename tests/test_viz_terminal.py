"""print_graph: the indented tree of ops, shapes and gradient norms, without Graphviz."""

import numpy as np

import autograd as torch
import nn
from autograd.viz import format_graph


def test_print_graph_prints_op_shape_and_grad_norm_as_a_tree(capsys):
    model = nn.Linear(3, 2)
    loss = model(torch.ones(4, 3)).relu().sum()
    loss.backward()
    torch.print_graph(loss, params=dict(model.named_parameters()))
    w_norm = np.linalg.norm(model.weight.grad.numpy())
    b_norm = np.linalg.norm(model.bias.grad.numpy())
    assert capsys.readouterr().out == (
        "SumBackward  ()\n"
        "`- ReluBackward  (4, 2)\n"
        "   `- LinearBackward  (4, 2)\n"
        f"      |- weight  (2, 3)  ‖grad‖ {w_norm:.4f}  [param]\n"
        f"      `- bias  (2,)  ‖grad‖ {b_norm:.4f}  [param]\n"
    )


def test_scalar_gradients_print_with_their_sign():
    a = torch.tensor(2.0, requires_grad=True)
    y = -a
    y.backward()
    assert format_graph(y).splitlines()[1] == "`- leaf  ()  grad -1.0000  [leaf]"


def test_shared_nodes_print_once_then_see_above():
    x = torch.ones(2, requires_grad=True)
    h = x * 2
    lines = format_graph(h + h).splitlines()
    assert lines[1].startswith("|- MulBackward  (2,)")
    assert lines[3] == "`- MulBackward  (see above)"


def test_recording_adds_intermediate_gradients():
    x = torch.ones(2, requires_grad=True)
    with torch.record_graph() as rec:
        y = (x * 3).sum()
        y.backward()
    assert format_graph(y, recording=rec).splitlines()[1] == f"`- MulBackward  (2,)  ‖grad‖ {np.sqrt(2):.4f}"


def test_a_deep_chain_prints_without_recursion_up_to_max_nodes():
    x = torch.ones(1, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0
    lines = format_graph(y, max_nodes=100).splitlines()
    assert len(lines) == 101
    assert lines[-1] == "... 4,901 more nodes not printed (max_nodes=100)"


def test_print_graph_writes_to_a_given_file(tmp_path):
    x = torch.ones(2, requires_grad=True)
    with open(tmp_path / "g.txt", "w") as f:
        torch.print_graph(x * 2, file=f)
    assert (tmp_path / "g.txt").read_text().startswith("MulBackward  (2,)")
