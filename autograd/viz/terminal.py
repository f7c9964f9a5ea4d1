"""``print_graph``: the graph as an indented tree in the terminal, no Graphviz needed.

One line per node: the op (or the tensor's name for a leaf), its output shape and, when known,
the gradient's norm. A node reached a second time (the graph is a DAG) is printed once; later
visits say ``(see above)``.

    >>> import autograd as torch
    >>> w = torch.Tensor([1.0, 2.0], requires_grad=True, name="w")
    >>> loss = (w * w).sum()
    >>> loss.backward()
    >>> print_graph(loss)
    SumBackward  ()
    `- MulBackward  (2,)
       |- w  (2,)  ‖grad‖ 4.4721  [leaf]
       `- w  (see above)
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import IO, Any

from autograd.tensor import Tensor
from autograd.viz.facts import Facts
from autograd.viz.modules import ModulePaths
from autograd.viz.record import GraphRecording
from autograd.viz.summary import SMALL, format_number, format_shape, format_values
from autograd.viz.walk import as_roots, walk


def print_graph(
    root: Tensor | Sequence[Tensor],
    params: Mapping[str, Tensor] | None = None,
    recording: GraphRecording | None = None,
    max_nodes: int | None = 200,
    file: IO[str] | None = None,
) -> None:
    """Print the graph behind ``root`` as an indented tree: op, shape and gradient norm per line."""
    print(format_graph(root, params, recording, max_nodes), file=file or sys.stdout)


def format_graph(
    root: Tensor | Sequence[Tensor],
    params: Mapping[str, Tensor] | None = None,
    recording: GraphRecording | None = None,
    max_nodes: int | None = 200,
) -> str:
    """The text ``print_graph`` prints (iterative depth-first walk, inputs in argument order)."""
    roots = as_roots(root)
    graph = walk(roots)
    paths = ModulePaths(params)
    facts = Facts(graph, params, recording, paths.name_of_param, max_elements=SMALL)
    lines: list[str] = []
    seen: set[Any] = set()
    # (item, output number, indentation of its line, its connector, indentation for its inputs)
    stack = [(t.grad_fn if t.grad_fn is not None else t, t._output_nr, "", "", "") for t in reversed(roots)]
    while stack:
        if max_nodes is not None and len(seen) >= max_nodes:
            lines.append(f"... {len(graph.order) - len(seen):,} more nodes not printed (max_nodes={max_nodes})")
            break
        item, nr, indent, connector, below = stack.pop()
        if item in seen:
            lines.append(f"{indent}{connector}{_title(item, facts)}  (see above)")
            continue
        seen.add(item)
        lines.append(f"{indent}{connector}{_describe(item, nr, facts)}")
        if isinstance(item, Tensor):
            continue
        inputs = [(e[0], max(e[1], 0)) for e in item._edges if e is not None]
        for k, (source, source_nr) in reversed(list(enumerate(inputs))):
            last = k == len(inputs) - 1
            stack.append((source, source_nr, below, "`- " if last else "|- ", below + ("   " if last else "|  ")))
    return "\n".join(lines)


def _title(item: Any, facts: Facts) -> str:
    if isinstance(item, Tensor):
        return facts.leaf(item).name or "leaf"
    return item.name()


def _describe(item: Any, nr: int, facts: Facts) -> str:
    t = facts.leaf(item) if isinstance(item, Tensor) else facts.output(item, nr)
    parts = [_title(item, facts), format_shape(t.shape)]
    if t.grad is not None:
        one = t.grad.small is not None and t.grad.size == 1
        parts.append(f"grad {format_values(t.grad)}" if one else f"‖grad‖ {format_number(t.grad.norm)}")
    if isinstance(item, Tensor):
        parts.append("[param]" if item in facts.leaf_names or type(item).__name__ == "Parameter" else "[leaf]")
    return "  ".join(parts)
