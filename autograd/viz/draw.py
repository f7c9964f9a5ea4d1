"""``draw_graph``: a ``graphviz.Digraph`` of the graph behind a tensor, forward or backward.

What it shows of each tensor is what it can find (see ``facts.py``): leaves and parameters always,
with ``.grad`` once backward has run; intermediates when named in ``params``, saved by an op, or
kept by a recording. For micrograd-style drawings with every value and gradient, build and
backward inside ``with autograd.record_graph() as rec:`` and pass ``recording=rec``.

    >>> import autograd as torch
    >>> a = torch.Tensor(2.0, requires_grad=True, name="a")
    >>> with torch.record_graph() as rec:
    ...     y = a * a + 1
    ...     y.backward()
    >>> dot = torch.draw_graph(y, recording=rec, legend=False)
    >>> "data 5.0000" in dot.source, "grad 4.0000" in dot.source
    (True, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import engine
from autograd.profiler import Profile
from autograd.tensor import Tensor
from autograd.viz.clusters import cap, collapse
from autograd.viz.facts import Facts
from autograd.viz.labels import LabelMaker
from autograd.viz.modules import ModulePaths
from autograd.viz.record import GraphRecording, paused
from autograd.viz.scene import Scene, build_scene
from autograd.viz.styles import Health
from autograd.viz.summary import SMALL
from autograd.viz.walk import Graph, as_roots, walk

if TYPE_CHECKING:
    from autograd.viz.dot import GraphDrawing

_DIRECTIONS = ("LR", "RL", "TB", "BT")


def draw_graph(
    root: Tensor | Sequence[Tensor],
    params: Mapping[str, Tensor] | None = None,
    show_data: bool = True,
    show_grad: bool = True,
    direction: str = "LR",
    max_nodes: int | None = 300,
    *,
    backward: bool = False,
    recording: GraphRecording | None = None,
    collapse_modules: bool | int = False,
    profile: Profile | None = None,
    vanishing: float = 1e-7,
    exploding: float = 1e3,
    legend: bool = True,
) -> GraphDrawing:
    """Draw the graph that produced ``root``; returns a ``graphviz.Digraph`` (``.source``, ``.render``).

    - ``params``: names for tensors, e.g. ``dict(model.named_parameters())``; they also place ops
      in clusters by module path. Non-leaf tensors may be named too.
    - ``show_data``/``show_grad``: values (tensors of at most 6 elements) and gradients (values
      when small, the L2 norm otherwise).
    - ``backward=True``: arrows follow the gradient back; each edge shows what was sent, and for
      scalars the chain rule ``upstream times local = sent``. The gradients come from ``recording``
      if it saw a backward, else from a fresh ``autograd.grad`` of the roots (seeded with ones;
      ``.grad`` untouched), which needs the graph's saved values (not yet freed by a backward).
    - ``recording``: a ``record_graph()`` that watched the computation: every value, gradient,
      module path and call argument.
    - ``collapse_modules``: True draws each innermost module as one node (parameter count, output
      shape); an int ``d`` collapses the modules at depth ``d``.
    - ``max_nodes``: keep the nodes nearest the output; one summary node stands for the rest.
    - ``profile``: an ``autograd.profile()`` that ran this graph; op nodes are shaded by time.
    - ``vanishing``/``exploding``: gradient-norm thresholds of the health colours.
    """
    roots = as_roots(root)
    _check(params, direction, max_nodes, collapse_modules)
    health = Health(vanishing, exploding)
    graph = walk(roots)
    paths = ModulePaths(params)
    if recording is not None:
        paths.name_params(r.scope for n in graph.nodes if (r := recording.get(n)) is not None)
    size = recording.max_elements if recording is not None else SMALL
    flow, leaf_grads = recording, {}
    if backward and (recording is None or not recording.saw_backward(graph.nodes)):
        flow, leaf_grads = gradient_flow(graph, size)
    facts = Facts(graph, params, recording, paths.name_of_param, flow, leaf_grads, size)
    scene = build_scene(graph, facts, paths, recording, flow, backward)
    slowest = _time_ops(scene, profile) if profile is not None else None
    if collapse_modules:
        scene = collapse(scene, collapse_modules, paths)
    scene = cap(scene, max_nodes)
    maker = LabelMaker(show_data, show_grad or backward, health, slowest)
    from autograd.viz import dot  # the graphviz package is needed only here

    return dot.build(scene, maker, paths.class_of, direction, backward, legend)


def _time_ops(scene: Scene, profile: Profile) -> float | None:
    """Give each op vertex its forward plus backward time; return the slowest."""
    for v in scene.vertices:
        v.seconds = profile.node_seconds(v.node) if v.node is not None else None
    return max((v.seconds for v in scene.vertices if v.seconds is not None), default=None)


def gradient_flow(graph: Graph, max_elements: int) -> tuple[GraphRecording, dict[Tensor, Any]]:
    """Run d(roots)/d(leaves) under a fresh recording; ``.grad`` stays as it is."""
    roots = [t for t in graph.roots if t.requires_grad]
    if not roots:
        raise ValueError("draw_graph(backward=True): no root requires grad, so no gradient flows back")
    flow = GraphRecording(max_elements)
    seeds = [np.ones(t.shape, t.dtype) for t in roots]
    try:
        with paused(), flow:
            grads = engine.grad(roots, graph.leaves, seeds, retain_graph=True, allow_unused=True)
    except RuntimeError as error:
        if "second time" not in str(error):
            raise
        raise RuntimeError(
            "draw_graph(backward=True) runs a backward pass to show the gradients, but an earlier backward "
            "freed this graph's saved values. Draw before calling backward, call backward(retain_graph=True), "
            "or run the backward inside `with autograd.record_graph() as rec:` and pass recording=rec."
        ) from error
    return flow, dict(zip(graph.leaves, grads))


def _check(params: Any, direction: str, max_nodes: Any, collapse_modules: Any) -> None:
    if params is not None:
        if not isinstance(params, Mapping):
            raise TypeError(f"draw_graph: params must map names to tensors, got {type(params).__name__}")
        for name, t in params.items():
            if not isinstance(t, Tensor):
                raise TypeError(f"draw_graph: params[{name!r}] must be a Tensor, got {type(t).__name__}")
    if direction not in _DIRECTIONS:
        raise ValueError(f"draw_graph: direction must be one of {_DIRECTIONS}, got {direction!r}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"draw_graph: max_nodes must be a positive int or None, got {max_nodes!r}")
    if not isinstance(collapse_modules, (bool, int)) or (type(collapse_modules) is int and collapse_modules < 1):
        raise ValueError(f"draw_graph: collapse_modules must be a bool or a depth >= 1, got {collapse_modules!r}")
