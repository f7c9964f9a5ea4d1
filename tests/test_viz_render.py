"""Rendering for real with Graphviz's `dot` (CI installs Debian's graphviz): these fail, never skip, without it."""

import os
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import torch as pt

import autograd as torch
import nn
from autograd.viz.dot import GraphvizNotFoundError
from autograd.viz.styles import HEALTH_COLOURS
from autograd.viz.summary import format_number

SVG = "{http://www.w3.org/2000/svg}"


def render_svg(dot, tmp_path) -> ET.Element:
    path = dot.render(tmp_path / "graph", format="svg")
    return ET.parse(path).getroot()


def svg_nodes(root: ET.Element) -> dict[str, ET.Element]:
    """DOT node id -> its <g class="node"> element."""
    return {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g") if g.get("class") == "node"}


def texts(element: ET.Element) -> list[str]:
    return [t.text for t in element.iter(f"{SVG}text") if t.text]


def fills(element: ET.Element) -> set[str]:
    return {e.get("fill") for e in element.iter() if e.get("fill")} | {
        e.get("stroke") for e in element.iter() if e.get("stroke")
    }


def test_two_layer_mlp_svg_shows_every_parameter_name_shape_and_grad_norm(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    loss = nn.MSELoss()(model(torch.randn(16, 4)), torch.randn(16, 3))
    loss.backward()
    root = render_svg(torch.draw_graph(loss, params=dict(model.named_parameters())), tmp_path)
    by_name = {texts(g)[0]: texts(g) for g in svg_nodes(root).values()}
    for name, p in model.named_parameters():
        shape = "(" + ", ".join(map(str, p.shape)) + ("," if p.ndim == 1 else "") + ") float32"
        norm = np.linalg.norm(p.grad.numpy())
        assert shape in by_name[name]
        assert f"‖grad‖ {format_number(norm)}" in by_name[name]


def _micrograd_expression(lib, dtype, ten_over):
    """The micrograd README expression, keeping every intermediate; ``ten_over(f)`` is ``10.0 / f`` as one op."""
    kept = []

    def keep(t):
        if t.grad_fn is not None:
            t.retain_grad()
        kept.append(t)
        return t

    a = keep(lib.tensor(-4.0, dtype=dtype, requires_grad=True))
    b = keep(lib.tensor(2.0, dtype=dtype, requires_grad=True))
    c = keep(a + b)
    d = keep(keep(a * b) + keep(b**3))
    c = keep(c + keep(c + 1))
    c = keep(c + keep(keep(1 + c) + keep(-a)))
    d = keep(d + keep(keep(d * 2) + keep(keep(b + a).relu())))
    d = keep(d + keep(keep(3 * d) + keep(keep(b - a).relu())))
    e = keep(c - d)
    f = keep(e**2)
    g = keep(keep(f / 2.0) + keep(ten_over(f)))
    return g, kept


def test_micrograd_expression_svg_shows_every_scalar_value_and_gradient(tmp_path):
    with torch.record_graph() as rec:
        g, _ = _micrograd_expression(torch, torch.float64, lambda f: 10.0 / f)
        g.backward()
    # PyTorch computes 10.0 / f as reciprocal then mul: divide a constant tensor instead, one op like ours.
    expected, kept = _micrograd_expression(pt, pt.float64, lambda f: pt.div(pt.tensor(10.0, dtype=pt.float64), f))
    expected.backward()
    want = sorted((format_number(t.item()), format_number(t.grad.item())) for t in kept)
    root = render_svg(torch.draw_graph(g, recording=rec, legend=False), tmp_path)
    shown = []
    for node in svg_nodes(root).values():
        lines = texts(node)
        data = [s[5:] for s in lines if s.startswith("data ")]
        grad = [s[5:] for s in lines if s.startswith("grad ")]
        shown.append((data[0], grad[0]))
    assert sorted(shown) == want
    assert ("24.7041", "1.0000") in shown and ("-4.0000", "138.8338") in shown and ("2.0000", "645.5773") in shown


def test_injected_nan_shows_red_in_the_svg(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    with torch.no_grad():
        model[0].weight[1, 2] = float("nan")
    model(torch.ones(2, 3)).sum().backward()
    dot = torch.draw_graph(model(torch.ones(2, 3)).sum(), params=dict(model.named_parameters()))
    nodes = {texts(g)[0]: g for g in svg_nodes(render_svg(dot, tmp_path)).values()}
    assert HEALTH_COLOURS["nonfinite"] in fills(nodes["0.weight"])
    assert HEALTH_COLOURS["nonfinite"] not in fills(nodes["2.bias"])  # its gradient does not touch the NaN


def test_png_render_writes_a_valid_png(tmp_path):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    path = torch.draw_graph((x * x).sum()).render(tmp_path / "graph", format="png")
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 50 and height > 20


def test_pdf_render_writes_a_pdf(tmp_path):
    x = torch.tensor(1.0, requires_grad=True)
    path = torch.draw_graph(x * 2).render(tmp_path / "graph", format="pdf")
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_escaped_names_survive_dot_and_read_back_verbatim(tmp_path):
    name = 'w<1> & "q" {k} |p| \\s: end'
    w = torch.Tensor([1.0], requires_grad=True, name=name)
    root = render_svg(torch.draw_graph(w * 2, params={name + "\nline\x07": w}), tmp_path)
    all_text = [s for g in svg_nodes(root).values() for s in texts(g)]
    assert name in all_text and "line?" in all_text


def test_jupyter_display_produces_svg():
    x = torch.tensor(1.0, requires_grad=True)
    bundle = torch.draw_graph(x * 2)._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")


def test_without_dot_dot_text_still_builds_and_render_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    dot = torch.draw_graph(torch.tensor(1.0, requires_grad=True) * 2)
    assert dot.to_dot().startswith("digraph")
    with pytest.raises(GraphvizNotFoundError) as info:
        dot.render(tmp_path / "graph", format="svg")
    for hint in ("apt-get install graphviz", "brew install graphviz", "conda install", "winget install graphviz"):
        assert hint in str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert (tmp_path / "graph").read_text() == dot.source  # the DOT file is written before `dot` is called


def test_render_passes_file_names_as_arguments_never_through_a_shell(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = torch.draw_graph(torch.tensor(1.0, requires_grad=True) * 2).render(tmp_path / "g; touch PWNED", format="svg")
    assert os.path.basename(path) == "g; touch PWNED.svg"
    assert not (tmp_path / "PWNED").exists()
