"""``Function``: one op's forward and backward, and the graph node it leaves behind.

A subclass writes ``forward(ctx, *arrays)`` on NumPy arrays and
``backward(ctx, *grads)``. ``apply`` runs forward and, only when grad mode is on
and an input requires grad, records the node: the instance itself is ``ctx``.

Backward formulas are written with NumPy operations. Normally they receive
arrays. Under ``create_graph=True`` they receive Tensors, and NumPy dispatches
each operation back to our ops (``Tensor.__array_ufunc__``), so the same formula
builds a differentiable graph of the gradient. A Function whose backward needs
array-only code sets ``once_differentiable = True`` and gets a clear error instead.

    >>> import numpy as np
    >>> import autograd as torch
    >>> class Cube(torch.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x**3
    ...     @staticmethod
    ...     def backward(ctx, gy):
    ...         (x,) = ctx.saved_tensors
    ...         return gy * 3 * x**2
    >>> x = torch.tensor(2.0, requires_grad=True)
    >>> Cube.apply(x).backward()
    >>> x.grad
    tensor(12.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import grad_mode
from autograd.tensor import Tensor, version_counter

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward."
)

# needs_input_grad when no graph is recorded: forward may still ask, and nothing is needed.
_NONE_NEEDED = (False,) * 64
# One shared needs_input_grad tuple per pattern, rather than one per node.
_NEEDS_BY_PATTERN: dict[tuple[bool, ...], tuple[bool, ...]] = {}


class Function:
    """Base class of every op; an instance is both ``ctx`` and the graph node."""

    __slots__ = ("__dict__", "__weakref__", "_edges", "_saved", "_saved_refs", "needs_input_grad")
    # Rarely set; they land in the instance __dict__ when they are.
    _outputs_meta: tuple[tuple[tuple[int, ...], np.dtype], ...] | None = None
    _pre_hooks: dict[int, list[Any]] | None = None
    _create_graph = False

    #: Set True when backward uses array-only code and cannot build a graph.
    once_differentiable = False

    @staticmethod
    def forward(ctx: Function, *args: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Function, *grads: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run forward on the arrays inside ``args``; record a node if grad is needed."""
        ctx = object.__new__(cls)
        ctx._saved = ()
        arrays = []
        edges = []
        needs = []
        record = False
        for a in args:
            if isinstance(a, Tensor):
                data = a._data
                arrays.append(data)
                if a._requires_grad:
                    record = True
                    fn = a.grad_fn
                    if fn is None:
                        edges.append((a, -1, data.shape, data.dtype))
                    else:
                        edges.append((fn, a._output_nr, data.shape, data.dtype))
                    needs.append(True)
                    continue
            else:
                arrays.append(a)
            edges.append(None)
            needs.append(False)
        if record and grad_mode.state.enabled:
            ctx._edges = tuple(edges)
            needs = tuple(needs)
            ctx.needs_input_grad = _NEEDS_BY_PATTERN.setdefault(needs, needs)
        else:
            record = False
            ctx.needs_input_grad = _NONE_NEEDED
        y = cls.forward(ctx, *arrays)
        if type(y) is tuple:
            outs = tuple([_wrap(ctx, out, i, record) for i, out in enumerate(y)])
            if record:
                ctx._outputs_meta = tuple([(o._data.shape, o._data.dtype) for o in outs])
                ctx._record_saved(args, outs)
            return outs
        if type(y) is not np.ndarray:
            y = _as_array_output(ctx, y)
        out = _wrap(ctx, y, 0, record)
        if ctx._saved and out.grad_fn is not None:
            ctx._record_saved(args, (out,))
        return out

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep inputs or outputs of forward for backward (version-checked)."""
        self._saved = arrays

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The saved values: arrays, or Tensors while building a graph of the gradient."""
        saved = self._saved
        if not saved:
            if saved is None:
                raise RuntimeError(_FREED)
            return saved
        refs = self._saved_refs
        if refs is None:
            return saved
        for ref, s in zip(refs, saved):
            if ref is not None and ref[1][0] != ref[2]:
                _raise_modified(self, ref, s)
        if not self._create_graph:
            return saved
        return tuple(_as_graph_tensor(self, ref, s) for ref, s in zip(refs, saved))

    def name(self) -> str:
        """PyTorch-style node name, e.g. ``MulBackward``."""
        return type(self).__name__ + "Backward"

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """The parent nodes, as PyTorch shows them: ``(node_or_leaf, output_nr)`` per input."""
        return tuple((None, 0) if e is None else (e[0], max(e[1], 0)) for e in self._edges)

    def register_prehook(self, hook: Any, output_nr: int = 0) -> None:
        if self._pre_hooks is None:
            self._pre_hooks = {}
        self._pre_hooks.setdefault(output_nr, []).append(hook)

    def _record_saved(self, args: tuple[Any, ...], outputs: tuple[Tensor, ...]) -> None:
        """Note which input or output each saved array is, and its version now (None: nothing to check)."""
        for s in self._saved:
            if type(s) is np.ndarray:
                self._saved_refs = tuple([_saved_ref(self, s, args, outputs) for s in self._saved])
                return
        self._saved_refs = None


def _as_array_output(ctx: Function, y: Any) -> np.ndarray:
    """NumPy returns scalars for 0-d inputs: make the output a 0-d array, and keep a saved output findable."""
    array = np.asarray(y)
    if ctx._saved:
        ctx._saved = tuple(array if s is y else s for s in ctx._saved)
    return array


def _wrap(ctx: Function, y: Any, nr: int, record: bool) -> Tensor:
    if type(y) is not np.ndarray:
        y = np.asarray(y)
    out = object.__new__(Tensor)
    out._data = y
    if record and y.dtype.kind == "f":
        out._requires_grad = True
        out.grad_fn = ctx
    else:
        out._requires_grad = False
        out.grad_fn = None
    out._output_nr = nr
    out._version_counter = None
    return out


def _saved_ref(ctx: Function, s: Any, args: tuple[Any, ...], outputs: tuple[Tensor, ...]) -> Any:
    """How to find a saved array again: (tensor or output index, version counter, version)."""
    if type(s) is not np.ndarray:
        return None
    for a in args:
        if isinstance(a, Tensor) and a._data is s:
            counter = version_counter(a)
            return (a, counter, counter[0], a.grad_fn)
    for i, o in enumerate(outputs):
        if o._data is s:
            counter = version_counter(o)
            return (i, counter, counter[0], None)
    for a in args:
        if a is s:
            return None
    if s.dtype.kind == "f":
        raise RuntimeError(
            f"{type(ctx).__name__}.forward saved an array that is neither an input nor an "
            "output; keep intermediates as ctx attributes instead"
        )
    return None


def _as_graph_tensor(ctx: Function, ref: Any, s: Any) -> Any:
    if ref is None:
        return s
    owner = ref[0]
    if isinstance(owner, Tensor):
        return owner
    out = Tensor(s)
    out._requires_grad = True
    out.grad_fn = ctx
    out._output_nr = owner
    out._version_counter = ref[1]
    return out


def _raise_modified(ctx: Function, ref: Any, s: Any) -> None:
    owner = ref[0]
    if isinstance(owner, Tensor):
        creator = ref[3]
        origin = f"output {owner._output_nr} of {creator.name()}" if creator is not None else "a leaf tensor"
    else:
        origin = f"output {owner} of {ctx.name()}"
    shape = list(np.shape(s))
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{np.asarray(s).dtype} {shape}], which is {origin}, is at version "
        f"{ref[1][0]}; expected version {ref[2]} instead. It was saved by {ctx.name()}. "
        "Hint: use the out-of-place form of the op (y = y + 1 instead of y += 1)."
    )
