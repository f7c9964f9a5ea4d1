"""Large graphs stay readable: collapse modules into single nodes, cap the node count, nest clusters.

``collapse`` merges the ops and parameters of a module into one vertex: with ``True``, every
module that runs no submodule of its own (a Linear, a ReLU); with an int ``d``, every module at
depth ``d`` (1: the model's direct children). ``cap`` keeps the ``max_nodes`` vertices nearest
the output and adds one summary vertex for the rest. ``cluster_tree`` nests the remaining
vertices by module path.
"""

from __future__ import annotations

from typing import Any

from autograd.viz.modules import ModulePaths
from autograd.viz.scene import Link, Scene, Vertex


def collapse(scene: Scene, depth: bool | int, paths: ModulePaths) -> Scene:
    """One vertex per collapsed module, carrying its members; links between them deduplicated."""
    scopes = {v.scope for v in scene.vertices if v.scope}
    parents = {s[:n] for s in scopes for n in range(1, len(s))}
    groups: dict[tuple[str, ...], Vertex] = {}
    rep: dict[Vertex, Vertex] = {}
    vertices: list[Vertex] = []
    for v in scene.vertices:
        key = _group_of(v, depth, parents)
        if key is None:
            rep[v] = v
            vertices.append(v)
            continue
        module = groups.get(key)
        if module is None:
            path = ".".join(key)
            module = groups[key] = Vertex(f"m{len(groups)}", "module", path, v.order, scope=key[:-1])
            cls = paths.class_of(path)
            module.attrs = [cls] if cls and cls != path else []
            vertices.append(module)
        module.members.append(v)
        module.order = min(module.order, v.order)
        module.is_output = module.is_output or v.is_output
        rep[v] = module
    links = _relink(scene.links, rep)
    for link in links:
        if link.src.kind == "module" and link.shape not in link.src.out_shapes:
            link.src.out_shapes.append(link.shape)
    for module in groups.values():
        for m in module.members:
            if m.is_output and m.tensors and m.tensors[0].shape not in module.out_shapes:
                module.out_shapes.append(m.tensors[0].shape)
    return Scene(vertices, links, scene.hidden)


def _group_of(v: Vertex, depth: bool | int, parents: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    if v.kind not in ("op", "param") or not v.scope:
        return None
    if depth is True:
        return None if v.scope in parents else v.scope
    return v.scope[:depth] if len(v.scope) >= depth else None


def _relink(links: list[Link], rep: dict[Vertex, Vertex]) -> list[Link]:
    kept: dict[tuple[Vertex, Vertex], Link] = {}
    for link in links:
        src, dst = rep.get(link.src, link.src), rep.get(link.dst, link.dst)
        if src is dst or (src, dst) in kept:
            continue
        if src is link.src and dst is link.dst:
            kept[(src, dst)] = link
        else:
            kept[(src, dst)] = Link(src, dst, link.shape, link.upstream, link.local, link.product, link.dashed)
    return list(kept.values())


def cap(scene: Scene, max_nodes: int | None) -> Scene:
    """Keep the ``max_nodes`` vertices nearest the roots; one dashed summary vertex stands for the rest."""
    if max_nodes is None or len(scene.vertices) <= max_nodes:
        return scene
    ordered = sorted(scene.vertices, key=lambda v: v.order)
    kept, dropped = ordered[:max_nodes], ordered[max_nodes:]
    kept_set = set(kept)
    more = Vertex("more", "more", f"{len(dropped):,} more nodes not drawn", len(ordered))
    more.attrs = [f"max_nodes={max_nodes}"]
    links, fed = [], set()
    for link in scene.links:
        if link.dst not in kept_set:
            continue
        if link.src in kept_set:
            links.append(link)
        elif link.dst not in fed:
            fed.add(link.dst)
            links.append(Link(more, link.dst, link.shape, dashed=True))
    return Scene([*kept, more], links, len(dropped))


def cluster_tree(vertices: list[Vertex]) -> dict[tuple[str, ...], list[Any]]:
    """Children of each scope: sub-scopes (as tuples) and vertices; the key ``()`` is the top level."""
    tree: dict[tuple[str, ...], list[Any]] = {(): []}
    for v in vertices:
        missing, scope = [], v.scope
        while scope not in tree:
            missing.append(scope)
            scope = scope[:-1]
        for scope in reversed(missing):
            tree[scope] = []
            tree[scope[:-1]].append(scope)
        tree[v.scope].append(v)
    return tree
