"""What a drawing can know about each tensor in a graph: name, shape, dtype, value and gradient.

Nodes do not keep their outputs, so an intermediate's value and gradient come from wherever they
can be found. The value: a recording's snapshot (``record_graph``), else a live tensor (named in
``params``, a root, or saved by a node for backward and unchanged since). The gradient: a
recorded backward, else a live tensor's retained ``.grad``. Leaves are always at hand: their
value, and their ``.grad`` once backward has run.

    >>> import autograd as torch
    >>> from autograd.viz.walk import walk
    >>> x = torch.tensor(3.0, requires_grad=True)
    >>> y = x * x
    >>> facts = Facts(walk([y]), {"y": y}, None, {})
    >>> f = facts.output(y.grad_fn, 0)
    >>> f.name, f.shape, float(f.value.small)
    ('y', (), 9.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.tensor import Tensor
from autograd.viz.record import GraphRecording
from autograd.viz.summary import SMALL, Summary, summarize
from autograd.viz.walk import Graph


@dataclass
class TensorFacts:
    """One tensor as drawn; ``value`` and ``grad`` are None when unknown."""

    name: str | None
    shape: tuple[int, ...]
    dtype: np.dtype
    value: Summary | None = None
    grad: Summary | None = None


class Facts:
    """Looks up the facts of node outputs and leaves of ``graph``.

    ``recording`` supplies values and names; ``flow`` (a recording that saw a backward, by default
    ``recording``) supplies gradients first; ``leaf_grads`` overrides leaves' ``.grad``.
    """

    def __init__(
        self,
        graph: Graph,
        params: Mapping[str, Tensor] | None,
        recording: GraphRecording | None,
        leaf_names: dict[Tensor, str],
        flow: GraphRecording | None = None,
        leaf_grads: dict[Tensor, Any] | None = None,
        max_elements: int = SMALL,
    ) -> None:
        self.recording = recording
        self.flow = flow if flow is not None else recording
        self.leaf_names = leaf_names
        self.leaf_grads = leaf_grads or {}
        self.max_elements = max_elements
        self.shapes = graph.output_shapes()
        self.tensors: dict[tuple[Any, int], Tensor] = {}
        for t in [*(params or {}).values(), *graph.roots]:
            if t.grad_fn is not None:
                self.tensors.setdefault((t.grad_fn, t._output_nr), t)
        self.names = {(t.grad_fn, t._output_nr): n for n, t in (params or {}).items() if t.grad_fn is not None}
        self.saved = _saved_values(graph.nodes)

    def output(self, node: Any, nr: int) -> TensorFacts:
        """Output ``nr`` of ``node``: a recorded value first (a snapshot), then a live tensor's."""
        known = self.shapes.get((node, nr))
        shape, dtype = known if known is not None else node._outputs_meta[nr]
        facts = TensorFacts(self.names.get((node, nr)), shape, dtype)
        live = self.tensors.get((node, nr))
        if live is None:
            live = self.saved.get((node, nr))
        record = self.recording.get(node) if self.recording is not None else None
        if isinstance(live, Tensor):
            facts.name = facts.name or live.name
        if record is not None and nr < len(record.outputs):
            facts.name = facts.name or _recorded_name(record, node, nr)
            facts.value = record.outputs[nr]
        elif live is not None:
            facts.value = summarize(live, self.max_elements)
        flowed = self.flow.get(node) if self.flow is not None else None
        if flowed is not None and flowed.grads is not None and nr < len(flowed.grads):
            facts.grad = flowed.grads[nr]
        elif isinstance(live, Tensor) and live._grad is not None:
            facts.grad = summarize(live._grad, self.max_elements)
        return facts

    def leaf(self, t: Tensor) -> TensorFacts:
        """A leaf tensor, or a tensor that needed no gradient and fed a recorded op."""
        g = self.leaf_grads.get(t)
        g = t._grad if g is None else g
        return TensorFacts(
            self.leaf_names.get(t) or t.name,
            t.shape,
            t.dtype,
            summarize(t, self.max_elements),
            None if g is None else summarize(g, self.max_elements),
        )


def _recorded_name(record: Any, node: Any, nr: int) -> str | None:
    t = record.out_refs[nr]() if nr < len(record.out_refs) else None
    return t.name if t is not None and t.grad_fn is node else None


def _saved_values(nodes: list[Any]) -> dict[tuple[Any, int], Any]:
    """Outputs that nodes saved for backward and nobody has changed since: a Tensor, or an array of an output."""
    found: dict[tuple[Any, int], Any] = {}
    for node in nodes:
        for k, ref in enumerate(getattr(node, "_saved_refs", None) or ()):
            if ref is None or ref[1][0] != ref[2]:
                continue
            owner = ref[0]
            if isinstance(owner, Tensor):
                if owner.grad_fn is not None and owner.grad_fn is ref[3]:
                    found.setdefault((owner.grad_fn, owner._output_nr), owner)
            elif node._saved:
                found.setdefault((node, owner), node._saved[k])
    return found
