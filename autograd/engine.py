"""The backward pass: the chain rule applied to the recorded graph in reverse order.

1. Count, for every node reachable from the outputs, how many edges point at it
   (an iterative walk: no recursion, so a 100,000-op chain works).
2. Start from the outputs' gradients. A node runs once every node that uses its
   output has sent its gradient (Kahn's order), so each backward runs exactly once.
3. Each gradient is fitted to its input (broadcasting undone, dtype restored)
   and summed into the parent's buffer, or into the leaf's ``.grad`` at the end.

    >>> import autograd as torch
    >>> x = torch.tensor(3.0, requires_grad=True)
    >>> (gx,) = torch.grad(x**2, x, create_graph=True)
    >>> (ggx,) = torch.grad(gx, x)
    >>> float(gx), float(ggx)
    (6.0, 2.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import grad_mode, instrument
from autograd.grad_mode import set_grad_enabled
from autograd.shapes import unbroadcast
from autograd.tensor import Tensor

Tensors = Tensor | Sequence[Tensor]


def backward(
    tensors: Tensors,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of every leaf they depend on."""
    roots = _roots(tensors, grad_tensors, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    # Grad mode is create_graph while backward runs (set directly: a context manager costs 10x more).
    previous, grad_mode.state.enabled = grad_mode.state.enabled, create_graph
    try:
        leaf_grads, _ = _run(roots, retain_graph, create_graph, targets=None)
        handed_out = _root_arrays(roots)
        for leaf, g in leaf_grads.items():
            # The usual case inline: a leaf's first gradient, an array only the engine holds.
            if (
                leaf._grad is None
                and type(g) is np.ndarray
                and leaf._hooks is None
                and g.base is None
                and id(g) not in handed_out
                and g.flags.writeable
            ):
                handed_out.add(id(g))
                leaf._grad = Tensor._from_array(g)
            else:
                _accumulate_into_leaf(leaf, g, handed_out)
    finally:
        grad_mode.state.enabled = previous


def grad(
    outputs: Tensors,
    inputs: Tensors,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad``.

    With ``create_graph=True`` the result has a graph of its own, so it can be
    differentiated again (higher-order gradients).

    >>> import autograd as torch
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> torch.grad((x**3).sum(), x)
    (tensor([ 3., 12.]),)
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors (input {i}) does not require grad")
    roots = _roots(outputs, grad_outputs, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    captures = {(t.grad_fn, t._output_nr): None for t in inputs if t.grad_fn is not None}
    leaves = {t for t in inputs if t.grad_fn is None}
    with set_grad_enabled(create_graph):
        leaf_grads, captured = _run(roots, retain_graph, create_graph, (captures, leaves))
    found = []
    for i, t in enumerate(inputs):
        g = leaf_grads.get(t) if t.grad_fn is None else captured.get((t.grad_fn, t._output_nr))
        if g is None and not allow_unused:
            raise RuntimeError(
                f"One of the differentiated Tensors (input {i}) appears to not have been used in the graph. "
                "Set allow_unused=True if this is the desired behavior."
            )
        found.append(g)
    handed_out = _root_arrays(roots)
    return tuple(None if g is None else _as_result(g, handed_out) for g in found)


def _roots(tensors: Tensors, grads: Any, create_graph: bool) -> list[tuple[Tensor, Any]]:
    if grads is None and not create_graph and isinstance(tensors, Tensor) and tensors._requires_grad:
        data = tensors._data
        if data.size == 1:
            return [(tensors, _one_like(data))]
    tensors = (tensors,) if isinstance(tensors, Tensor) else tuple(tensors)
    if grads is None or isinstance(grads, (Tensor, np.ndarray, float, int)):
        grads = (grads,) * len(tensors) if grads is None else (grads,)
    if len(grads) != len(tensors):
        raise RuntimeError(f"got {len(grads)} gradients for {len(tensors)} outputs")
    roots = []
    for i, (t, g) in enumerate(zip(tensors, grads)):
        if not t.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn: "
                "call backward only on a result computed from a tensor with requires_grad=True"
            )
        if g is None:
            if t._data.size != 1:
                raise RuntimeError(
                    f"grad can be implicitly created only for scalar outputs (output {i} has shape {t.shape}); "
                    "pass gradient= with the output's shape"
                )
            g = _one_like(t._data)
        g = g if isinstance(g, Tensor) else Tensor(np.asarray(g, dtype=t.dtype))
        if g.dtype != t.dtype:
            g = g.to(t.dtype)
        if g.shape != t.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} "
                f"and output[{i}] has a shape of {t.shape}."
            )
        roots.append((t, g if create_graph else g._data))
    return roots


def _one_like(data: np.ndarray) -> np.ndarray:
    """The implicit gradient of a one-element output (np.ones_like costs four times as much)."""
    one = np.array(1, data.dtype)
    return one if data.ndim == 0 else one.reshape(data.shape).copy()


def _run(
    roots: list[tuple[Tensor, Any]], retain_graph: bool, create_graph: bool, targets: tuple[dict, set] | None
) -> tuple[dict[Tensor, Any], dict]:
    """Walk the graph once in reverse; return the gradient for every leaf reached.

    ``targets`` (for ``grad()``) holds the non-leaf gradients to capture and the
    leaves asked for; only nodes with a path to one of them run.

    A single-output node's buffer is its gradient; a multi-output node's is a
    list with one slot per output.
    """
    captures = None if targets is None else targets[0]
    buffers: dict[Any, Any] = {}
    leaf_grads: dict[Tensor, Any] = {}
    starts = []
    for t, g in roots:
        if t.grad_fn is None:
            leaf_grads[t] = g if t not in leaf_grads else leaf_grads[t] + g
        else:
            _add_to_buffer(buffers, t.grad_fn, t._output_nr, g)
            starts.append(t.grad_fn)
    if len(starts) > 1:
        starts = list(dict.fromkeys(starts))
    deps = _count_dependencies(starts)
    wanted = None if targets is None else _nodes_leading_to(starts, *targets)
    plain = not create_graph and targets is None and not instrument.observers
    ndarray = np.ndarray
    # Each ready node travels with its summed gradient; the buffers hold partial sums for nodes
    # still waiting for other consumers (a chain never touches them). The None at the bottom ends
    # the loop, and keeps a chain from emptying the list (and reallocating it) at every node.
    ready: list[Any] = [None]
    for n in starts:
        if n not in deps:
            ready.append((n, buffers.pop(n, None)))
    while (item := ready.pop()) is not None:
        node, grads = item
        edges = node._edges
        if grads is None:
            results = (None,) * len(edges)
        elif plain and node._plain:
            results = node._op.backward(node, grads)
            if type(results) is not tuple:
                results = (results,)
            if len(results) != len(edges):
                results = _check_count(node, results)
            if not retain_graph:
                node._saved = node._saved_refs = None
        else:
            results = _backward_of(node, grads, create_graph, captures, wanted)
            if not retain_graph:
                node._saved = node._saved_refs = None
        k = -1  # results[k] goes with edges[k] (an index is much cheaper than zip for one or two edges)
        for edge in edges:
            k += 1
            if edge is None:
                continue
            g = results[k]
            target, nr, shape, dtype = edge
            if g is not None:
                if create_graph:
                    g = _as_graph_gradient(g)
                elif type(g) is not ndarray:
                    g = np.asarray(g._data if isinstance(g, Tensor) else g)
                if g.shape != shape:
                    g = _unbroadcast(g, shape, node, edge, grads)
                if g.dtype is not dtype and g.dtype != dtype:
                    g = g.to(dtype) if create_graph else g.astype(dtype)
                if nr < 0:
                    prev = leaf_grads.get(target)
                    leaf_grads[target] = g if prev is None else prev + g
                    continue
            elif nr < 0:
                continue
            left = deps[target] - 1
            if left:
                deps[target] = left
                if g is not None:
                    _add_to_buffer(buffers, target, nr, g)
            else:
                buf = buffers.pop(target, None) if buffers else None
                if g is not None:
                    if target._outputs_meta is None:
                        buf = g if buf is None else buf + g
                    else:
                        buf = _add_to_slot(buf, target, nr, g)
                ready.append((target, buf))
    return leaf_grads, captures or {}


def _backward_of(node: Any, grads: Any, create_graph: bool, captures: dict | None, wanted: set | None) -> tuple:
    """The general case of one node's backward: hooks, several outputs, captures for grad(), create_graph."""
    grads = list(grads) if node._outputs_meta is not None else [grads]
    if captures is not None:
        grads = _capture(node, grads, captures)
    if wanted is not None and node not in wanted:
        return (None,) * len(node._edges)
    return _call_backward(node, grads, create_graph, hooks_done=captures is not None)


def _count_dependencies(starts: list[Any]) -> dict[Any, int]:
    """How many edges point at each node reachable from ``starts`` (distinct nodes; iterative DFS)."""
    deps: dict[Any, int] = {}
    # A lone start is never reached again (the graph is acyclic); several may reach each other, and each is walked once.
    walked = set(starts) if len(starts) > 1 else ()
    # The None at the bottom ends the walk and keeps the stack from emptying at every node of a chain.
    stack = [None, *starts]
    while (node := stack.pop()) is not None:
        for edge in node._edges:
            if edge is not None and edge[1] >= 0:
                parent = edge[0]
                if parent in deps:
                    deps[parent] += 1
                else:
                    deps[parent] = 1
                    if parent not in walked:
                        stack.append(parent)
    return deps


def _nodes_leading_to(starts: list[Any], captures: dict, leaves: set[Tensor]) -> set[Any]:
    """Nodes whose backward must run for ``grad()``: those with a path to a requested input."""
    targets = {node for node, _ in captures}
    wanted: set[Any] = set()
    order = []
    stack = [(n, False) for n in dict.fromkeys(starts)]
    seen: set[Any] = set()
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        stack.extend((e[0], False) for e in node._edges if e is not None and e[1] >= 0 and e[0] not in seen)
    for node in order:
        for e in node._edges:
            if e is None:
                continue
            if (e[0] in leaves) if e[1] < 0 else (e[0] in wanted or e[0] in targets):
                wanted.add(node)
                break
    return wanted


def _capture(node: Any, grads: list[Any], captures: dict) -> list[Any]:
    grads = _with_hooks(node, grads)
    for nr, g in enumerate(grads):
        if (node, nr) in captures:
            captures[(node, nr)] = g
    return grads


def _add_to_buffer(buffers: dict, node: Any, nr: int, g: Any) -> None:
    if node._outputs_meta is None:
        prev = buffers.get(node)
        buffers[node] = g if prev is None else prev + g
    else:
        buffers[node] = _add_to_slot(buffers.get(node), node, nr, g)


def _add_to_slot(buf: list[Any] | None, node: Any, nr: int, g: Any) -> list[Any]:
    """Add ``g`` to output ``nr``'s slot of a multi-output node's buffer (a list, made on first use)."""
    if buf is None:
        buf = [None] * len(node._outputs_meta)
    prev = buf[nr]
    buf[nr] = g if prev is None else prev + g
    return buf


def _call_backward(node: Any, grads: list[Any], create_graph: bool, hooks_done: bool) -> tuple[Any, ...]:
    if node._pre_hooks is not None and not hooks_done:
        grads = _with_hooks(node, grads)
    if create_graph and node._op.once_differentiable:
        raise RuntimeError(
            f"{node.name()} is only differentiable once: its backward is array-only, "
            "so create_graph=True cannot build a graph through it"
        )
    if len(grads) > 1:
        _materialize_missing(node, grads, create_graph)
    backward = instrument.observed_backward if instrument.observers else _plain_backward
    if create_graph:
        node._create_graph = True
        try:
            results = backward(node, grads)
        finally:
            del node._create_graph
    else:
        results = backward(node, grads)
    if type(results) is not tuple:
        results = (results,)
    if len(results) != len(node._edges):
        results = _check_count(node, results)
    return results


def _plain_backward(node: Any, grads: list[Any]) -> Any:
    return node._op.backward(node, *grads)


def _check_count(node: Any, results: tuple[Any, ...]) -> tuple[Any, ...]:
    """Allow trailing Nones (for non-tensor arguments); any other count is a bug in the backward."""
    n_inputs = len(node._edges)
    if len(results) < n_inputs or any(r is not None for r in results[n_inputs:]):
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {n_inputs}, got {len(results)})"
        )
    return results[:n_inputs]


def _materialize_missing(node: Any, grads: list[Any], create_graph: bool) -> None:
    """Outputs nobody used get zero gradients, so multi-output backwards see every one."""
    for nr, g in enumerate(grads):
        if g is None:
            shape, dtype = node._outputs_meta[nr]
            zeros = np.zeros(shape, dtype)
            grads[nr] = Tensor(zeros) if create_graph else zeros


def _with_hooks(node: Any, grads: list[Any]) -> list[Any]:
    """Run tensor hooks registered on this node's outputs; a returned tensor replaces the gradient."""
    hooks = node._pre_hooks
    if not hooks:
        return grads
    grads = list(grads)
    for nr, fns in hooks.items():
        if grads[nr] is None:
            continue
        for fn in list(fns):
            grads[nr] = _apply_hook(fn, grads[nr])
    return grads


def _apply_hook(fn: Any, g: Any) -> Any:
    as_tensor = g if isinstance(g, Tensor) else Tensor(g)
    new = fn(as_tensor)
    if new is None:
        return g
    if not isinstance(new, Tensor):
        raise TypeError(f"a hook must return a Tensor or None, got {type(new).__name__}")
    if new.shape != as_tensor.shape:
        raise RuntimeError(f"hook changed the gradient's shape from {as_tensor.shape} to {new.shape}")
    return new if isinstance(g, Tensor) else new._data


def _unbroadcast(g: Any, shape: tuple[int, ...], node: Any, edge: Any, grads: Any) -> Any:
    """Sum a broadcast gradient back to its input's shape.

    A gradient may carry more dimensions than its input only when the op's
    output does too; anything else is a wrong backward, not a broadcast.
    """
    i = next(k for k, e in enumerate(node._edges) if e is edge)
    grads = grads if node._outputs_meta is not None else [grads]
    out_ndim = max(len(gy.shape) for gy in grads if gy is not None)
    if len(g.shape) > max(out_ndim, len(shape)):
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {i} - got {list(g.shape)} "
            f"but expected shape compatible with {list(shape)}"
        )
    return unbroadcast(g, shape, node.name(), i)


def _as_graph_gradient(g: Any) -> Tensor:
    return g if isinstance(g, Tensor) else Tensor(np.asarray(g))


def _accumulate_into_leaf(leaf: Tensor, g: Any, handed_out: set[int]) -> None:
    if leaf._hooks:
        for fn in list(leaf._hooks):
            g = _apply_hook(fn, g)
    if leaf._grad is None:
        leaf._grad = _as_result(g, handed_out)
    elif isinstance(g, Tensor) or leaf._grad.requires_grad:
        leaf._grad = leaf._grad + g
    else:
        # 0-d + 0-d gives a NumPy scalar: keep .grad an array, writable in place.
        leaf._grad._data = np.asarray(leaf._grad._data + g)


def _root_arrays(roots: list[tuple[Tensor, Any]]) -> set[int]:
    """Ids of the gradients the caller passed in: a result that is one of them gets copied."""
    ids = set()
    for _, g in roots:
        ids.add(id(g))
    return ids


def _as_result(g: Any, handed_out: set[int]) -> Tensor:
    """Wrap a gradient for the user; copy it unless the engine made it and has not handed it out yet.

    ``handed_out`` holds the ids of arrays the caller or an earlier result already
    holds (one array may reach several leaves, e.g. both inputs of an add).
    """
    if isinstance(g, Tensor):
        return g
    if type(g) is not np.ndarray:
        return Tensor._from_array(np.asarray(g))
    if id(g) in handed_out or g.base is not None or not g.flags.writeable:
        g = g.copy()
    else:
        handed_out.add(id(g))
    return Tensor._from_array(g)
