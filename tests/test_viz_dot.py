"""draw_graph's DOT text: labels, edges, attributes, clusters, colours, legend, escaping, the node cap."""

import re

import numpy as np
import pytest

import autograd as torch
import nn
from autograd.viz.styles import HEALTH_COLOURS, KIND_COLOURS


def node_lines(dot) -> dict[str, str]:
    """DOT node id -> its whole statement, for every node but the legend."""
    found = re.findall(r"^\t+(\w+) \[label=(.*)\]$", dot.source, re.M)
    return {key: label for key, label in found if key != "legend"}


def edges(dot) -> list[tuple[str, str]]:
    return re.findall(r"^\t+(\w+) -> (\w+)", dot.source, re.M)


def line_with(dot, text: str) -> str:
    (line,) = [label for label in node_lines(dot).values() if text in label]
    return line


def test_leaf_named_by_params_shows_shape_dtype_and_grad_norm():
    w = torch.ones(3, 4, requires_grad=True)
    (w * 2).sum().backward()
    dot = torch.draw_graph(w.sum(), params={"layer.weight": w})
    line = line_with(dot, "layer.weight")
    assert "(3, 4) float32" in line
    assert f"‖grad‖ {np.sqrt(12) * 2:.4f}" in line


def test_tensor_name_labels_a_leaf():
    a = torch.Tensor(2.0, requires_grad=True, name="alpha")
    dot = torch.draw_graph(a * 3)
    assert "<B>alpha</B>" in line_with(dot, "alpha")


def test_zero_dim_values_always_shown_and_large_ones_not():
    a = torch.tensor(-4.0, requires_grad=True)
    big = torch.ones(100, requires_grad=True)
    dot = torch.draw_graph((a * big).sum())
    assert "data -4.0000" in dot.source
    assert "data [" not in dot.source


def test_show_data_and_show_grad_false_hide_values_and_gradients():
    a = torch.tensor(3.0, requires_grad=True)
    (a * a).backward()
    dot = torch.draw_graph(a * a, show_data=False, show_grad=False, legend=False)
    assert ">data " not in dot.source
    assert ">grad " not in dot.source


def test_edges_follow_data_flow_from_leaf_to_op_to_output():
    a = torch.Tensor(1.0, requires_grad=True, name="a")
    y = (a * 2).exp()
    dot = torch.draw_graph(y, legend=False)
    keys = {re.search(r"<B>(\w+)</B>", label).group(1): key for key, label in node_lines(dot).items()}
    assert set(edges(dot)) == {(keys["a"], keys["Mul"]), (keys["Mul"], keys["Exp"])}


def test_op_nodes_show_dim_of_a_reduction():
    x = torch.ones(2, 3, requires_grad=True)
    dot = torch.draw_graph(x.softmax(1))
    assert "dim=(1,)" in line_with(dot, "Softmax")


def test_conv_node_shows_stride_padding_and_dilation():
    x = torch.ones(1, 2, 7, 7, requires_grad=True)
    w = torch.ones(3, 2, 3, 3, requires_grad=True)
    dot = torch.draw_graph(torch.conv2d(x, w, stride=2, padding=1, dilation=2))
    line = line_with(dot, "Conv2d")
    for text in ("kernel=(3, 3)", "stride=(2, 2)", "padding=(1, 1)", "dilation=(2, 2)"):
        assert text in line


def test_kinds_are_coloured_differently():
    model = nn.Linear(3, 2)
    x = torch.ones(4, 3, requires_grad=True, dtype=torch.float32)
    dot = torch.draw_graph(model(x).sum(), params=dict(model.named_parameters()))
    assert KIND_COLOURS["param"] in line_with(dot, "<B>weight</B>")
    assert KIND_COLOURS["input"] in line_with(dot, "<B>leaf</B>")
    assert KIND_COLOURS["op"] in line_with(dot, "<B>Linear</B>")
    assert KIND_COLOURS["output"] in line_with(dot, "<B>Sum</B>")
    assert len({KIND_COLOURS[k] for k in ("param", "input", "op", "output")}) == 4


def test_nan_gradient_is_red():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * torch.tensor([np.nan, 1.0])).sum() + (v * 2).sum()
    loss.backward()
    dot = torch.draw_graph(loss, params={"w": w, "v": v})
    assert HEALTH_COLOURS["nonfinite"] in line_with(dot, "<B>w</B>")
    assert HEALTH_COLOURS["nonfinite"] not in line_with(dot, "<B>v</B>")


@pytest.mark.parametrize(("scale", "mark"), [(1e-9, "vanishing"), (1e5, "exploding"), (1.0, None)])
def test_gradient_norm_thresholds_colour_vanishing_and_exploding(scale, mark):
    w = torch.ones(4, requires_grad=True)
    (w * scale).sum().backward()
    line = line_with(torch.draw_graph(w * 1, params={"w": w}), "<B>w</B>")
    for other, colour in HEALTH_COLOURS.items():
        assert (colour in line) == (other == mark)


def test_thresholds_are_settable():
    w = torch.ones(4, requires_grad=True)
    (w * 0.01).sum().backward()
    dot = torch.draw_graph(w * 1, params={"w": w}, vanishing=0.1, exploding=10.0)
    assert HEALTH_COLOURS["vanishing"] in line_with(dot, "<B>w</B>")
    assert "‖grad‖ &lt; 0.1" in dot.source


def test_bad_thresholds_raise_naming_both():
    with pytest.raises(ValueError, match=r"vanishing=5\.0, exploding=1\.0"):
        torch.draw_graph(torch.ones(1, requires_grad=True) * 1, vanishing=5.0, exploding=1.0)


def test_legend_names_every_kind_and_health_colour():
    w = torch.ones(2, requires_grad=True)
    dot = torch.draw_graph(w * 2, params={"w": w})
    legend = re.search(r"legend \[label=(.*)\]", dot.source).group(1)
    for text in ("parameter", "op", "output", "NaN or inf", "‖grad‖ &lt; 1e-07", "‖grad‖ &gt; 1000"):
        assert text in legend
    assert "legend" not in torch.draw_graph(w * 2, legend=False).source


def test_names_with_dot_and_html_specials_are_escaped():
    name = 'a<b> & "c" {d} |e| \\f\nnext'
    w = torch.Tensor([1.0], requires_grad=True, name=name)
    line = line_with(torch.draw_graph(w * 2), "next")
    assert "a&lt;b&gt; &amp; &quot;c&quot; {d} |e| \\f<BR/>next" in line
    assert "<b>" not in line


def test_clusters_follow_module_paths_from_params():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 2)))
    dot = torch.draw_graph(model(torch.ones(2, 3)).sum(), params=dict(model.named_parameters()))
    labels = re.findall(r"subgraph (cluster_\d+) \{\s*label=<([^>]*)>", dot.source)
    assert sorted(label for _, label in labels) == ["0", "2", "2.0"]
    inner = dot.source.split("label=<2.0>")[1].split("}")[0]
    assert "<B>2.0.weight</B>" in inner and "<B>Linear</B>" in inner


def test_max_nodes_keeps_nodes_nearest_the_output_and_summarises_the_rest():
    x = torch.ones(2, requires_grad=True)
    y = x
    for _ in range(50):
        y = y * 1.5
    dot = torch.draw_graph(y, max_nodes=10)
    nodes = node_lines(dot)
    assert len(nodes) == 11
    assert "41 more nodes not drawn" in nodes["more"]
    assert ("more", "n9") in edges(dot)


def test_collapse_modules_draws_a_ten_layer_mlp_in_at_most_thirty_nodes():
    model = nn.MLP([8] + [16] * 9 + [2])
    loss = nn.MSELoss()(model(torch.ones(4, 8)), torch.zeros(4, 2))
    loss.backward()
    dot = torch.draw_graph(loss, params=dict(model.named_parameters()), collapse_modules=True)
    nodes = node_lines(dot)
    assert len(nodes) <= 30
    assert "params 272" in line_with(dot, "<B>2</B>")
    assert "out (4, 16)" in line_with(dot, "<B>2</B>")


def test_collapse_to_depth_one_merges_whole_submodules():
    block = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 3))
    model = nn.Sequential(block, nn.Linear(3, 1))
    with torch.record_graph() as rec:
        y = model(torch.ones(2, 3)).sum()
    dot = torch.draw_graph(y, recording=rec, collapse_modules=1)
    line = line_with(dot, "<B>0</B>")
    assert "params 24" in line and "Sequential" in line


def test_graph_of_a_gradient_built_with_create_graph_renders_its_ops():
    x = torch.tensor(2.0, requires_grad=True)
    (gx,) = torch.grad(x**3, x, create_graph=True)
    dot = torch.draw_graph(gx)
    assert "<B>Mul</B>" in dot.source and "<B>Pow</B>" in dot.source


def test_unknown_direction_raises_naming_it():
    with pytest.raises(ValueError, match="'UP'"):
        torch.draw_graph(torch.ones(1, requires_grad=True) * 1, direction="UP")


def test_params_of_the_wrong_type_raise_naming_the_key():
    with pytest.raises(TypeError, match=r"params\['w'\] must be a Tensor, got int"):
        torch.draw_graph(torch.ones(1, requires_grad=True) * 1, params={"w": 3})


def test_direction_sets_rankdir():
    assert "rankdir=TB" in torch.draw_graph(torch.ones(1, requires_grad=True) * 1, direction="TB").source


def test_a_node_with_several_outputs_shows_a_row_for_each():
    x = torch.ones(4, 3, requires_grad=True)
    first, _ = x.split(2)
    line = line_with(torch.draw_graph((first * 2).sum()), "<B>Split</B>")
    assert line.count("(2, 3) float32") == 2 and "dim=0" in line


def test_a_root_that_is_not_a_tensor_raises_naming_its_type():
    with pytest.raises(TypeError, match="root 1 must be a Tensor, got list"):
        torch.draw_graph([torch.ones(1, requires_grad=True) * 1, [1.0]])
