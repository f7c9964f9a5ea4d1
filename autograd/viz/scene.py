"""The drawing before it is DOT: vertices (ops, leaves, inputs, modules) and links, with everything known.

``build_scene`` turns a walked graph plus the facts about its tensors into vertices with their
module scope, and links with their shape and, when a gradient flow is known, the gradient that
crossed them: ``upstream`` (what reached the consumer), ``local`` (its local derivative, scalar
nodes only) and ``product`` (what it sent to this input: upstream times local).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograd.tensor import Tensor
from autograd.viz import attrs
from autograd.viz.facts import Facts, TensorFacts
from autograd.viz.modules import ModulePaths, common_prefix, param_scope
from autograd.viz.record import GraphRecording
from autograd.viz.summary import Summary
from autograd.viz.walk import Edge, Graph


@dataclass(eq=False)
class Vertex:
    """One drawn node. ``kind``: op, param, input, module or more (the summary of what the cap left out)."""

    key: str
    kind: str
    title: str
    order: int
    tensors: list[TensorFacts] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)
    scope: tuple[str, ...] = ()
    is_output: bool = False
    node: Any = None
    seconds: float | None = None
    members: list[Vertex] = field(default_factory=list)
    out_shapes: list[tuple[int, ...]] = field(default_factory=list)


@dataclass(eq=False)
class Link:
    """Data flows from ``src`` to ``dst``; in the backward view the gradient flows the other way."""

    src: Vertex
    dst: Vertex
    shape: tuple[int, ...]
    upstream: Summary | None = None
    local: Summary | None = None
    product: Summary | None = None
    dashed: bool = False


@dataclass
class Scene:
    vertices: list[Vertex]
    links: list[Link]
    hidden: int = 0


def build_scene(
    graph: Graph,
    facts: Facts,
    paths: ModulePaths,
    recording: GraphRecording | None,
    flow: GraphRecording | None,
    backward: bool,
) -> Scene:
    """Vertices for every node and leaf (plus recorded constant inputs), links for every edge."""
    vertex_of: dict[Any, Vertex] = {}
    roots = {t.grad_fn if t.grad_fn is not None else t for t in graph.roots}
    for i, item in enumerate(graph.order):
        if isinstance(item, Tensor):
            v = _leaf_vertex(item, i, facts, paths)
        else:
            v = _op_vertex(item, i, facts, paths, recording, backward)
        v.is_output = item in roots
        vertex_of[item] = v
    links = [_link(e, vertex_of, flow) for e in graph.edges]
    vertices = list(vertex_of.values())
    if recording is not None:
        _add_constants(graph, recording, vertex_of, vertices, links, facts)
    _infer_scopes(vertices, links)
    return Scene(vertices, links)


def _link(e: Edge, vertex_of: dict[Any, Vertex], flow: GraphRecording | None) -> Link:
    """A link, with the gradient that crossed it when ``flow`` saw the consumer's backward."""
    link = Link(vertex_of[e.source], vertex_of[e.node], e.shape)
    record = flow.get(e.node) if flow is not None else None
    if record is not None and record.grads is not None:
        link.upstream = record.grads[0] if len(record.grads) == 1 else None
        link.product = record.products[e.index] if e.index < len(record.products) else None
        link.local = record.locals[e.index] if e.index < len(record.locals) else None
    return link


def _leaf_vertex(t: Tensor, i: int, facts: Facts, paths: ModulePaths) -> Vertex:
    tensor = facts.leaf(t)
    name = paths.name_of_param.get(t)
    is_param = name is not None or type(t).__name__ == "Parameter"
    return Vertex(
        f"t{i}",
        "param" if is_param else "input",
        tensor.name or ("parameter" if is_param else "leaf"),
        i,
        [tensor],
        scope=param_scope(name) if name else (),
    )


def _op_vertex(
    node: Any, i: int, facts: Facts, paths: ModulePaths, recording: GraphRecording | None, backward: bool
) -> Vertex:
    meta = node._outputs_meta
    tensors = [facts.output(node, nr) for nr in range(1 if meta is None else len(meta))]
    record = recording.get(node) if recording is not None else None
    scope = tuple(paths.path_of(record.scope).split(".")) if record is not None and record.scope else ()
    scope = () if scope == ("",) else scope
    shown = record.attrs if record is not None and record.attrs else attrs.from_ctx(node)
    title = node.name() if backward else node._op.__name__
    return Vertex(f"n{i}", "op", title, i, tensors, shown, scope, node=node)


def _add_constants(
    graph: Graph,
    recording: GraphRecording,
    vertex_of: dict[Any, Vertex],
    vertices: list[Vertex],
    links: list[Link],
    facts: Facts,
) -> None:
    """Tensors that needed no gradient but fed a recorded op (the input batch, targets): one input vertex each."""
    constants: dict[Tensor, Vertex] = {}
    for node in graph.nodes:
        record = recording.get(node)
        for _, t in record.constants if record is not None else ():
            v = constants.get(t)
            if v is None:
                v = constants[t] = Vertex(f"c{len(constants)}", "input", t.name or "input", vertex_of[node].order)
                v.tensors = [facts.leaf(t)]
                vertices.append(v)
            links.append(Link(v, vertex_of[node], t.shape))


def _infer_scopes(vertices: list[Vertex], links: list[Link]) -> None:
    """An op with no recorded scope belongs to the module whose parameters it takes, if any."""
    params_in: dict[Vertex, list[tuple[str, ...]]] = {}
    for link in links:
        if link.src.kind == "param" and link.src.scope:
            params_in.setdefault(link.dst, []).append(link.src.scope)
    for v in vertices:
        if v.kind == "op" and not v.scope and v in params_in:
            v.scope = common_prefix(params_in[v])
