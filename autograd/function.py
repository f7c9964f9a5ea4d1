"""``Function``: one op's forward and backward, and the graph node it leaves behind.

A subclass writes ``forward(ctx, *arrays)`` on NumPy arrays and
``backward(ctx, *grads)``. ``apply`` runs forward and, only when grad mode is on
and an input requires grad, records the node: a ``Node``, which is also the ``ctx`` they see.

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

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import grad_mode
from autograd.constants import FLOAT_OPERANDS_AS_ARRAYS, float_constant
from autograd.dtypes import float32 as _FLOAT32
from autograd.dtypes import float64 as _FLOAT64
from autograd.tensor import Tensor, version_counter

_FREED = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward."
)

# Bound once: looking up object.__new__ on every call is a measurable part of making a tensor.
_new_object = object.__new__
# Set by autograd.instrument while an observer is active: every apply hands its call to it, as (cls, args).
observer_hook: Callable[[type[Function], tuple[Any, ...]], Any] | None = None
# One shared needs_input_grad tuple per pattern, rather than one per node.
_NEEDS_BY_PATTERN: dict[tuple[bool, ...], tuple[bool, ...]] = {}
# needs_input_grad of one- and two-argument ops; with no graph recorded nothing is needed (all False).
_NEEDS_OF_ONE = (True,)
_NONE_OF_ONE = (False,)
_NEEDS_OF_TWO = ((False, False), (True, False), (False, True), (True, True))
# needs_input_grad of three-argument ops, indexed by a + 2b + 4c (each 1 when that input needs a gradient).
_NEEDS_OF_THREE = tuple((bool(i & 1), bool(i & 2), bool(i & 4)) for i in range(8))


class Function:
    """Base class of every op: static ``forward`` and ``backward``, run by ``apply``.

    The ``ctx`` both receive is the op's ``Node``: the graph records it as ``grad_fn``.
    """

    #: Set True when backward uses array-only code and cannot build a graph.
    once_differentiable = False

    @staticmethod
    def forward(ctx: Node, *args: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Node, *grads: Any) -> Any:
        raise NotImplementedError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: a Function is created by apply(); keep per-call state on ctx in forward")
        if "apply" not in cls.__dict__:
            cls.apply = staticmethod(_applier(cls))
            cls.unobserved_apply = staticmethod(_applier(cls, observable=False))

    #: ``Cls.apply(*args)`` runs forward on the arrays inside ``args`` and records a node if grad is
    #: needed. Each subclass gets its own (see ``_applier``).
    apply: Callable[..., Any]
    #: The same, never seen by observers: what an observer calls to run the op.
    unobserved_apply: Callable[..., Any]


class Node:
    """One recorded op: the ``ctx`` its forward and backward see, and the graph node backward walks.

    Every op's node is of this one class (the op is ``_op``). The attribute reads and writes of
    ``apply`` and of the engine then always meet the same type, so CPython specializes them; across
    one class per op it cannot (about 2k instructions more per op).
    """

    __slots__ = ("__dict__", "__weakref__", "_edges", "_op", "_saved", "_saved_refs", "needs_input_grad")
    # Rarely set; they land in the instance __dict__ when they are.
    _outputs_meta: tuple[tuple[tuple[int, ...], np.dtype], ...] | None = None
    _pre_hooks: dict[int, list[Any]] | None = None
    _create_graph = False
    # False once the node has pre-hooks or several outputs: the engine's fast path skips both checks.
    _plain = True

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
        for ref in refs:
            if ref is not None and ref[1][0] != ref[2]:
                _raise_modified(self, ref, saved[refs.index(ref)])
        if not self._create_graph:
            return saved
        return tuple(_as_graph_tensor(self, ref, s) for ref, s in zip(refs, saved))

    def name(self) -> str:
        """PyTorch-style node name, e.g. ``MulBackward``."""
        return self._op.__name__ + "Backward"

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """The parent nodes, as PyTorch shows them: ``(node_or_leaf, output_nr)`` per input."""
        return tuple((None, 0) if e is None else (e[0], max(e[1], 0)) for e in self._edges)

    def register_prehook(self, hook: Any, output_nr: int = 0) -> None:
        if self._pre_hooks is None:
            self._pre_hooks = {}
            self._plain = False
        self._pre_hooks.setdefault(output_nr, []).append(hook)


def _applier(cls: type[Function], observable: bool = True) -> Callable[..., Any]:
    """``cls.apply``: a function made for each Function class (``cls`` is in its closure, so no binding per call).

    A plain function rather than a classmethod: calling it makes no bound method, and a Tensor operator
    (``__mul__``) can be the function itself, without a wrapper in between. While ``observer_hook``
    is set (``autograd.instrument``), an observable apply hands its call to the hook, which runs
    the class's unobservable twin (the same code, ``observable=False``).
    """

    def apply(*args: Any) -> Any:
        """Run forward on the arrays inside ``args``; record a node if grad is needed."""
        if observer_hook is not None and observable:
            return observer_hook(cls, args)
        # One, two and three arguments (nearly every op) are unrolled: this is the per-op hot path.
        ctx = _new_object(Node)
        ctx._op = cls
        ctx._saved = ()
        constant = None  # a Python float operand that became a cached array (see autograd.constants)
        n_args = len(args)
        if n_args == 2:
            a, b = args
            # An edge: where the input's gradient goes, (its node, output number) or (the leaf, -1),
            # and the shape and dtype the gradient must have.
            if isinstance(a, Tensor):
                a_data = a._data
                a_edge = (a.grad_fn or a, a._output_nr, a_data.shape, a_data.dtype) if a._requires_grad else None
            else:
                a_data, a_edge = a, None
            if isinstance(b, Tensor):
                b_data = b._data
                b_edge = (b.grad_fn or b, b._output_nr, b_data.shape, b_data.dtype) if b._requires_grad else None
                if type(a) is float and cls in FLOAT_OPERANDS_AS_ARRAYS:
                    a_data = constant = float_constant(a, b_data)
            else:
                b_data, b_edge = b, None
                if type(b) is float and cls in FLOAT_OPERANDS_AS_ARRAYS:
                    b_data = constant = float_constant(b, a_data)
            record = (a_edge is not None or b_edge is not None) and grad_mode.state.enabled
            if record:
                ctx._edges = (a_edge, b_edge)
                ctx.needs_input_grad = _NEEDS_OF_TWO[(a_edge is not None) + 2 * (b_edge is not None)]
            else:
                ctx.needs_input_grad = _NEEDS_OF_TWO[0]
            y = cls.forward(ctx, a_data, b_data)
        elif n_args == 1 and isinstance(args[0], Tensor):
            a = args[0]
            a_data = a._data
            record = a._requires_grad and grad_mode.state.enabled
            if record:
                ctx._edges = ((a.grad_fn or a, a._output_nr, a_data.shape, a_data.dtype),)
                ctx.needs_input_grad = _NEEDS_OF_ONE
            else:
                ctx.needs_input_grad = _NONE_OF_ONE
            y = cls.forward(ctx, a_data)
        elif n_args == 3 and isinstance(args[0], Tensor):
            # Three arguments, the first a tensor: linear (x, w, b) and the losses (input, target, options).
            a, b, c = args
            a_data = a._data
            a_edge = (a.grad_fn or a, a._output_nr, a_data.shape, a_data.dtype) if a._requires_grad else None
            if isinstance(b, Tensor):
                b_data = b._data
                b_edge = (b.grad_fn or b, b._output_nr, b_data.shape, b_data.dtype) if b._requires_grad else None
            else:
                b_data, b_edge = b, None
            if isinstance(c, Tensor):
                c_data = c._data
                c_edge = (c.grad_fn or c, c._output_nr, c_data.shape, c_data.dtype) if c._requires_grad else None
            else:
                c_data, c_edge = c, None
            record = (a_edge is not None or b_edge is not None or c_edge is not None) and grad_mode.state.enabled
            if record:
                ctx._edges = (a_edge, b_edge, c_edge)
                ctx.needs_input_grad = _NEEDS_OF_THREE[
                    (a_edge is not None) + 2 * (b_edge is not None) + 4 * (c_edge is not None)
                ]
            else:
                ctx.needs_input_grad = _NEEDS_OF_THREE[0]
            y = cls.forward(ctx, a_data, b_data, c_data)
        else:
            record, arrays = _record_inputs(ctx, args)
            y = cls.forward(ctx, *arrays)
        if type(y) is not np.ndarray:
            if type(y) is tuple:
                return _outputs(ctx, y, args, record)
            y = _as_array_output(ctx, y)
        out = _new_object(Tensor)
        out._data = y
        out._version_counter = None
        if record:
            dtype = y.dtype
            # Only floating outputs carry a gradient (float32 and float64 tested by identity: cheaper than .kind).
            if dtype is _FLOAT32 or dtype is _FLOAT64 or dtype.kind == "f":
                out._requires_grad = True
                out.grad_fn = ctx
                out._output_nr = 0
                if ctx._saved:
                    ctx._saved_refs = _saved_refs(ctx, args, (out,), constant)
                return out
        out._requires_grad = False
        out.grad_fn = None
        out._output_nr = -1
        return out

    apply.__qualname__ = f"{cls.__qualname__}.apply"
    return apply


def _record_inputs(ctx: Node, args: tuple[Any, ...]) -> tuple[bool, list[Any]]:
    """The general case of ``apply``: edges and needs_input_grad for any number of arguments, and the arrays."""
    arrays = []
    edges = []
    needs = []
    for a in args:
        if isinstance(a, Tensor):
            data = a._data
            arrays.append(data)
            if a._requires_grad:
                edges.append((a.grad_fn or a, a._output_nr, data.shape, data.dtype))
                needs.append(True)
                continue
        else:
            arrays.append(a)
        edges.append(None)
        needs.append(False)
    if True in needs and grad_mode.state.enabled:
        ctx._edges = tuple(edges)
        pattern = tuple(needs)
        ctx.needs_input_grad = _NEEDS_BY_PATTERN.setdefault(pattern, pattern)
        return True, arrays
    nothing = (False,) * len(args)
    ctx.needs_input_grad = _NEEDS_BY_PATTERN.setdefault(nothing, nothing)
    return False, arrays


def _saved_refs(ctx: Node, args: tuple[Any, ...], outputs: tuple[Tensor, ...], constant: Any = None) -> Any:
    """For each saved array, how to find it again and its version now (None: nothing to check).

    A ref is (input tensor or output index, version counter, version at save, creator). A read-only
    ``constant`` (a converted float operand, see ``autograd.constants``) needs none.
    """
    saved = ctx._saved
    for s in saved:
        if type(s) is np.ndarray and s is not constant:
            break
    else:
        return None
    refs = []
    for s in saved:
        if type(s) is not np.ndarray or s is constant:
            refs.append(None)
            continue
        for a in args:  # an input, found by identity (inlined: this runs for every op that saves)
            if isinstance(a, Tensor) and a._data is s:
                counter = a._version_counter
                if counter is None:
                    counter = a._version_counter = [0]
                refs.append((a, counter, counter[0], a.grad_fn))
                break
        else:
            out = outputs[0] if outputs else None
            if out is not None and out._data is s:  # the first output (inlined, as above)
                counter = out._version_counter
                if counter is None:
                    counter = out._version_counter = [0]
                refs.append((0, counter, counter[0], None))
            else:
                refs.append(_saved_output_ref(ctx, s, args, outputs))
    return tuple(refs)


def _saved_output_ref(ctx: Node, s: np.ndarray, args: tuple[Any, ...], outputs: tuple[Tensor, ...]) -> Any:
    """The ref of a saved array that is not an input tensor: an output, a raw array argument, or a mistake."""
    for i, o in enumerate(outputs):
        if o._data is s:
            counter = version_counter(o)
            return (i, counter, counter[0], None)
    for a in args:
        if a is s:
            return None
    if s.dtype.kind == "f":
        raise RuntimeError(
            f"{ctx._op.__name__}.forward saved an array that is neither an input nor an "
            "output; keep intermediates as ctx attributes instead"
        )
    return None


def _as_array_output(ctx: Node, y: Any) -> np.ndarray:
    """NumPy returns scalars for 0-d inputs: make the output a 0-d array, and keep a saved output findable."""
    array = np.asarray(y)
    if ctx._saved:
        ctx._saved = tuple(array if s is y else s for s in ctx._saved)
    return array


def _outputs(ctx: Node, ys: tuple[Any, ...], args: tuple[Any, ...], record: bool) -> tuple[Tensor, ...]:
    """The tensors of a forward that returned several outputs (the node keeps their shapes and dtypes)."""
    outs = tuple([_wrap(ctx, y, i, record) for i, y in enumerate(ys)])
    if record:
        ctx._outputs_meta = tuple([(o._data.shape, o._data.dtype) for o in outs])
        ctx._plain = False
        ctx._saved_refs = _saved_refs(ctx, args, outs)
    return outs


def _wrap(ctx: Node, y: Any, nr: int, record: bool) -> Tensor:
    if type(y) is not np.ndarray:
        y = np.asarray(y)
    out = _new_object(Tensor)
    out._data = y
    dtype = y.dtype
    if record and (dtype is _FLOAT32 or dtype is _FLOAT64 or dtype.kind == "f"):
        out._requires_grad = True
        out.grad_fn = ctx
        out._output_nr = nr
    else:
        out._requires_grad = False
        out.grad_fn = None
        out._output_nr = -1
    out._version_counter = None
    return out


def _as_graph_tensor(ctx: Node, ref: Any, s: Any) -> Any:
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


def _raise_modified(ctx: Node, ref: Any, s: Any) -> None:
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
