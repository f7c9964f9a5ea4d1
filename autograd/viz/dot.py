"""DOT through the ``graphviz`` package: the ``GraphDrawing`` that ``draw_graph`` returns, and how a scene becomes one.

``GraphDrawing`` is a ``graphviz.Digraph``: ``.source`` (or ``.to_dot()``) is the DOT text, always
available; ``.render(...)`` and Jupyter's inline display run Graphviz's ``dot`` program (the
package passes an argument list to ``subprocess``, never a shell string). Without ``dot`` they
raise ``GraphvizNotFoundError``, which says how to install Graphviz.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd.viz.clusters import cluster_tree
from autograd.viz.labels import LabelMaker, escape
from autograd.viz.scene import Scene, Vertex
from autograd.viz.styles import CLUSTER_COLOUR, EDGE_COLOUR, GRAD_EDGE_COLOUR, HEALTH_COLOURS

try:
    import graphviz
except ImportError as error:  # pragma: no cover - the viz extra installs it
    raise ImportError(
        "draw_graph needs the graphviz Python package: pip install graphviz (or chainrule's [viz] extra)"
    ) from error

INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` program is needed to render (the DOT text is still there: graph.source). Install it:\n"
    "  Debian/Ubuntu: sudo apt-get install graphviz\n"
    "  macOS (Homebrew): brew install graphviz\n"
    "  conda: conda install -c conda-forge graphviz\n"
    "  Windows (winget): winget install graphviz\n"
    "then make sure `dot` is on your PATH."
)
_FONT = "Helvetica"


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Raised when rendering without Graphviz's ``dot`` program; the message says how to install it."""

    def __init__(self, cause: str) -> None:
        RuntimeError.__init__(self, f"{cause}.\n{INSTALL_GRAPHVIZ}")


class GraphDrawing(graphviz.Digraph):
    """A drawn autograd graph: a ``graphviz.Digraph`` whose rendering explains a missing Graphviz."""

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFoundError(str(error)) from error

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise GraphvizNotFoundError(str(error)) from error

    def to_dot(self) -> str:
        """The DOT text (needs no Graphviz install)."""
        return self.source


def build(
    scene: Scene, maker: LabelMaker, class_of: Callable[[str], str | None], direction: str, backward: bool, legend: bool
) -> GraphDrawing:
    """Emit the scene: clusters by module path (innermost first), then edges, then the legend."""
    g = GraphDrawing(
        name="autograd",
        graph_attr={"rankdir": direction, "fontname": _FONT, "fontsize": "11", "nodesep": "0.25"},
        node_attr={"shape": "plain", "fontname": _FONT, "fontsize": "11"},
        edge_attr={"fontname": _FONT, "fontsize": "10", "color": GRAD_EDGE_COLOUR if backward else EDGE_COLOUR},
    )
    tree = cluster_tree(scene.vertices)
    built: dict[tuple[str, ...], Any] = {}
    for n, scope in enumerate(sorted(tree, key=len, reverse=True)):
        target = g if not scope else graphviz.Digraph(name=f"cluster_{n}")
        if scope:
            path = ".".join(scope)
            cls = class_of(path)
            title = f"{path}: {cls}" if cls and cls != path else path
            target.attr(label=f"<{escape(title)}>", style="rounded,dashed")
            target.attr(color=CLUSTER_COLOUR, fontcolor="#555555", labeljust="l")
        for child in tree[scope]:
            if isinstance(child, Vertex):
                _add_vertex(target, child, maker)
            else:
                target.subgraph(built.pop(child))
        built[scope] = target
    for link in scene.links:
        attrs = {"style": "dashed"} if link.dashed else {}
        if backward:
            attrs["dir"] = "back"
            label, finite = maker.link(link)
            if label is not None:
                attrs["label"] = label
            if not finite:
                attrs.update(color=HEALTH_COLOURS["nonfinite"], penwidth="2")
        g.edge(link.src.key, link.dst.key, **attrs)
    if legend:
        _add_legend(g, scene, maker, backward)
    return g


def _add_legend(g: GraphDrawing, scene: Scene, maker: LabelMaker, backward: bool) -> None:
    kinds = {v.kind for v in scene.vertices} | ({"output"} if any(v.is_output for v in scene.vertices) else set())
    with g.subgraph(name="cluster_legend") as box:
        box.attr(label="", style="invis")
        box.node("legend", label=maker.legend(kinds, backward))


def _add_vertex(target: Any, v: Vertex, maker: LabelMaker) -> None:
    label, _ = maker.vertex(v)
    target.node(v.key, label=label)
