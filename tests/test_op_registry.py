"""Tests generated from the op registry: every op, every sample, against PyTorch and central differences.

For each registered op and each of its samples (float64, and again cast to float32):
forward and backward match PyTorch (shape, dtype, values); float64 gradients pass
``gradcheck`` with a random upstream gradient, and ``gradgradcheck`` for ops that claim
higher-order gradients; inputs and upstream gradients are never mutated; nothing
overflows, divides by zero or warns on in-domain inputs.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import warnings
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

import autograd
import autograd.ops
from autograd.gradcheck import gradcheck, gradgradcheck
from autograd.ops.registry import OPS, OpInfo, Sample

#: Samples with more input elements than this are checked along a random direction, not element by element.
FULL_JACOBIAN_LIMIT = 200
#: Public names that are the same function object as a registered op under another name.
ALIASES = {
    "subtract",
    "multiply",
    "divide",
    "true_divide",
    "negative",
    "absolute",
    "clip",
    "concat",
    "concatenate",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "swapaxes",
    "swapdims",
    "moveaxis",
}
F64_TOL = {"rtol": 1e-7, "atol": 1e-10}


def _samples(name: str) -> list[Sample]:
    """The op's samples, from a generator seeded by its name (independent of registration order)."""
    return list(OPS[name].samples(np.random.default_rng(zlib.crc32(name.encode()))))


SAMPLES = {name: _samples(name) for name in sorted(OPS)}
CASES = [pytest.param(name, i, id=f"{name}-{i}") for name, samples in SAMPLES.items() for i in range(len(samples))]
DIFF_CASES = [c for c in CASES if OPS[c.values[0]].differentiable]
GRADGRAD_CASES = [c for c in DIFF_CASES if OPS[c.values[0]].gradgrad]


# --- building both calls from one sample ---------------------------------------------------------


def _cast(value: Any, dtype: np.dtype) -> Any:
    """Float arrays in ``dtype``; numpy scalars become 0-d arrays (they are tensors of a sample too)."""
    if isinstance(value, (np.ndarray, np.generic)):
        value = np.asarray(value)
        return value.astype(dtype) if value.dtype.kind == "f" else value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(v, dtype) for v in value)
    return value


def _requires(sample: Sample, i: int, array: np.ndarray) -> bool:
    return array.dtype.kind == "f" and (sample.grad is None or sample.grad[i])


def _convert(sample: Sample, args: tuple[Any, ...], make: Any) -> tuple[list[Any], list[Any]]:
    """Replace every ndarray of ``args`` (also inside a top-level list/tuple) with ``make(array, requires_grad)``.

    Returns the new args and the flat list of tensors made, in order.
    """
    made: list[Any] = []

    def one(i: int, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            made.append(make(value, _requires(sample, i, value)))
            return made[-1]
        if isinstance(value, (list, tuple)) and any(isinstance(v, np.ndarray) for v in value):
            return type(value)(one(i, v) for v in value)
        return value

    return [one(i, a) for i, a in enumerate(args)], made


def _ours(array: np.ndarray, requires_grad: bool) -> autograd.Tensor:
    return autograd.Tensor(array, requires_grad=requires_grad)


def _theirs(array: np.ndarray, requires_grad: bool) -> torch.Tensor:
    return torch.tensor(array, requires_grad=requires_grad)


def _kwargs(kwargs: dict[str, Any], make: Any) -> dict[str, Any]:
    return {k: make(v, False) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Torch's own warnings (e.g. var with no degrees of freedom) are not ours to judge."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _call_torch(info: OpInfo, args: list[Any], kwargs: dict[str, Any]) -> Any:
    with _quiet():
        return _resolve_torch(info, args, kwargs)


def _resolve_torch(info: OpInfo, args: list[Any], kwargs: dict[str, Any]) -> Any:
    target = info.torch
    if callable(target):
        return target(torch, *args, **kwargs)
    if target.startswith("Tensor."):
        return getattr(args[0], target[len("Tensor.") :])(*args[1:], **kwargs)
    fn: Any = torch
    for part in target.split("."):
        fn = getattr(fn, part)
    return fn(*args, **kwargs)


def _outputs(result: Any) -> list[Any]:
    return list(result) if isinstance(result, (tuple, list)) else [result]


@contextlib.contextmanager
def _strict() -> Iterator[None]:
    """No overflow, invalid value or division by zero, and no warning of any kind."""
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _snapshot(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(v) for v in value)
    return value


def _assert_unchanged(before: Any, after: Any, what: str) -> None:
    if isinstance(before, np.ndarray):
        assert np.array_equal(before, after, equal_nan=True), f"{what} was modified in place"
    elif isinstance(before, (list, tuple)):
        for i, (b, a) in enumerate(zip(before, after)):
            _assert_unchanged(b, a, f"{what}[{i}]")


def _tolerance(info: OpInfo, dtype: np.dtype) -> dict[str, float]:
    return F64_TOL if dtype == np.float64 else {"rtol": info.rtol32, "atol": info.atol32}


def _assert_same(ours: Any, theirs: Any, tol: dict[str, float], what: str) -> None:
    assert isinstance(ours, autograd.Tensor), f"{what}: expected a Tensor, got {type(ours).__name__}"
    expected = theirs.detach().numpy(force=True)
    assert ours.shape == expected.shape, f"{what}: shape {ours.shape}, torch gives {expected.shape}"
    assert ours.dtype == expected.dtype, f"{what}: dtype {ours.dtype}, torch gives {expected.dtype}"
    if expected.dtype.kind == "f":
        np.testing.assert_allclose(ours._data, expected, equal_nan=True, err_msg=what, **tol)
    else:
        np.testing.assert_array_equal(ours._data, expected, err_msg=what)


class Case:
    """One sample of one op in one dtype, run on both libraries."""

    def __init__(self, name: str, index: int, dtype: Any) -> None:
        self.info = OPS[name]
        self.sample = SAMPLES[name][index]
        self.dtype = np.dtype(dtype)
        self.what = f"{name} sample {index} ({self.sample.note or 'no note'}, {self.dtype})"
        self.args = _cast(self.sample.args, self.dtype)
        self.kwargs = _cast(self.sample.kwargs, self.dtype)
        self.before = _snapshot(list(self.args))

    def ours(self) -> tuple[Any, list[autograd.Tensor]]:
        args, tensors = _convert(self.sample, self.args, _ours)
        return self.info.fn(*args, **_kwargs(self.kwargs, _ours)), tensors

    def theirs(self) -> tuple[Any, list[torch.Tensor]]:
        args, tensors = _convert(self.sample, _snapshot(self.args), _theirs)
        return _call_torch(self.info, args, _kwargs(self.kwargs, _theirs)), tensors

    def check_inputs_unchanged(self) -> None:
        _assert_unchanged(self.before, list(self.args), f"{self.what}: an input")


# --- forward and backward against PyTorch --------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "index"), CASES)
def test_forward_matches_torch(name: str, index: int, dtype: Any) -> None:
    case = Case(name, index, dtype)
    with _strict():
        ours, _ = case.ours()
    theirs, _ = case.theirs()
    ours_out, theirs_out = _outputs(ours), _outputs(theirs)
    assert len(ours_out) == len(theirs_out), f"{case.what}: {len(ours_out)} outputs, torch gives {len(theirs_out)}"
    for k, (o, t) in enumerate(zip(ours_out, theirs_out)):
        _assert_same(o, t, _tolerance(case.info, case.dtype), f"{case.what}, output {k}")
    case.check_inputs_unchanged()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "index"), DIFF_CASES)
def test_backward_matches_torch(name: str, index: int, dtype: Any) -> None:
    case = Case(name, index, dtype)
    rng = np.random.default_rng(index)
    with _strict():
        ours, our_inputs = case.ours()
    theirs, their_inputs = case.theirs()
    pairs = list(zip(_outputs(ours), _outputs(theirs)))
    for k, (o, t) in enumerate(pairs):
        assert o.requires_grad == t.requires_grad, (
            f"{case.what}: output {k} requires_grad={o.requires_grad}, torch {t.requires_grad}"
        )
    pairs = [(o, t) for o, t in pairs if o.requires_grad]
    if not pairs:
        return
    upstream = [rng.standard_normal(o.shape).astype(o.dtype) for o, _ in pairs]
    kept = _snapshot(upstream)
    with _strict():
        autograd.backward([o for o, _ in pairs], [autograd.Tensor(g) for g in upstream])
    with _quiet():
        torch.autograd.backward([t for _, t in pairs], [torch.tensor(g) for g in upstream])
    _assert_unchanged(kept, upstream, f"{case.what}: an upstream gradient")
    case.check_inputs_unchanged()
    for j, (x, tx) in enumerate(zip(our_inputs, their_inputs)):
        if x.requires_grad:
            _assert_grad(x.grad, tx.grad, x, _tolerance(case.info, case.dtype), f"{case.what}, grad of input {j}")


def _assert_grad(ours: Any, theirs: Any, x: autograd.Tensor, tol: dict[str, float], what: str) -> None:
    """Same gradient as torch; an unused input may get None on one side and zeros on the other."""
    if ours is None or theirs is None:
        present = ours._data if ours is not None else None if theirs is None else theirs.detach().numpy(force=True)
        assert present is None or not np.any(present), f"{what}: one side has no gradient, the other {present}"
        return
    assert ours.shape == x.shape, f"{what}: shape {ours.shape}, input has {x.shape}"
    assert ours.dtype == x.dtype, f"{what}: dtype {ours.dtype}, input is {x.dtype}"
    _assert_same(ours, theirs, tol, what)


# --- numeric gradients (float64) -----------------------------------------------------------------


def _flat_call(case: Case) -> tuple[Any, list[autograd.Tensor]]:
    """A function of the sample's tensors alone (for gradcheck), and those tensors."""
    args, tensors = _convert(case.sample, case.args, _ours)
    kwargs = _kwargs(case.kwargs, _ours)

    def call(*flat: autograd.Tensor) -> Any:
        replacements = iter(flat)

        def swap(value: Any) -> Any:
            if isinstance(value, autograd.Tensor):
                return next(replacements)
            if isinstance(value, (list, tuple)) and any(isinstance(v, autograd.Tensor) for v in value):
                return type(value)(swap(v) for v in value)
            return value

        return case.info.fn(*[swap(a) for a in args], **kwargs)

    call.__qualname__ = case.info.name
    return call, tensors


def _fast(tensors: list[Any]) -> bool:
    return sum(t.numel() for t in tensors if isinstance(t, autograd.Tensor)) > FULL_JACOBIAN_LIMIT


def _numeric_case(name: str, index: int) -> tuple[Case, Any, list[autograd.Tensor], list[autograd.Tensor]]:
    """The float64 sample as a function of its tensors, the tensors, and the floating outputs."""
    case = Case(name, index, np.float64)
    call, tensors = _flat_call(case)
    outputs = [y for y in _outputs(call(*tensors)) if isinstance(y, autograd.Tensor) and y.dtype.kind == "f"]
    return case, call, tensors, outputs


def _numerically_checkable(name: str, index: int) -> bool:
    """Central differences need float64 outputs; casts to int or float32 are checked against torch only."""
    outputs = _numeric_case(name, index)[3]
    return bool(outputs) and all(y.dtype == np.float64 for y in outputs)


NUMERIC_CASES = [c for c in DIFF_CASES if _numerically_checkable(*c.values)]
NUMERIC_GRADGRAD_CASES = [c for c in NUMERIC_CASES if OPS[c.values[0]].gradgrad]


@pytest.mark.parametrize(("name", "index"), NUMERIC_CASES)
def test_gradcheck(name: str, index: int) -> None:
    case, call, tensors, _ = _numeric_case(name, index)
    if not any(t.requires_grad for t in tensors):
        return
    assert gradcheck(call, tensors, fast_mode=_fast(tensors), seed=index)
    case.check_inputs_unchanged()


@pytest.mark.parametrize(("name", "index"), NUMERIC_GRADGRAD_CASES)
def test_gradgradcheck(name: str, index: int) -> None:
    case, call, tensors, outputs = _numeric_case(name, index)
    if not any(t.requires_grad for t in tensors):
        return
    assert gradgradcheck(call, tensors, fast_mode=_fast(tensors + outputs), seed=index)
    case.check_inputs_unchanged()


@pytest.mark.parametrize(("name", "index"), GRADGRAD_CASES)
def test_double_backward_matches_torch(name: str, index: int) -> None:
    case = Case(name, index, np.float64)
    rng = np.random.default_rng(index)
    ours, our_inputs = case.ours()
    theirs, their_inputs = case.theirs()
    pairs = [(o, t) for o, t in zip(_outputs(ours), _outputs(theirs)) if o.requires_grad and t.requires_grad]
    xs = [(x, tx) for x, tx in zip(our_inputs, their_inputs) if x.requires_grad]
    if not pairs or not xs:
        return
    vs = [rng.standard_normal(o.shape).astype(o.dtype) for o, _ in pairs]
    our_v = [autograd.Tensor(v, requires_grad=True) for v in vs]
    their_v = [torch.tensor(v, requires_grad=True) for v in vs]
    with _strict():
        gs = autograd.grad([o for o, _ in pairs], [x for x, _ in xs], our_v, create_graph=True, allow_unused=True)
    with _quiet():
        tgs = torch.autograd.grad(
            [t for _, t in pairs], [t for _, t in xs], their_v, create_graph=True, allow_unused=True
        )
    ws = [rng.standard_normal(x.shape).astype(x.dtype) for x, _ in xs]
    with _strict():
        ours2 = _second(autograd, gs, ws, [x for x, _ in xs] + our_v, autograd.Tensor)
    with _quiet():
        theirs2 = _second(torch.autograd, tgs, ws, [t for _, t in xs] + their_v, torch.tensor)
    for j, (a, b) in enumerate(zip(ours2, theirs2)):
        np.testing.assert_allclose(a, b, err_msg=f"{case.what}: second-order gradient {j}", **F64_TOL)


def _second(lib: Any, gs: Any, ws: list[np.ndarray], wrt: list[Any], make: Any) -> list[np.ndarray]:
    """d<w, g>/d(inputs, upstream) as arrays (zeros where unused)."""
    used = [(g, make(w)) for g, w in zip(gs, ws) if g is not None and g.requires_grad]
    if not used:
        return [np.zeros(tuple(t.shape)) for t in wrt]
    grads = lib.grad([g for g, _ in used], wrt, [w for _, w in used], allow_unused=True)
    return [np.zeros(tuple(t.shape)) if g is None else _numpy(g) for g, t in zip(grads, wrt)]


def _numpy(t: Any) -> np.ndarray:
    return t.detach().numpy(force=True) if isinstance(t, torch.Tensor) else t.detach().numpy()


# --- the registry itself -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_has_samples(name: str) -> None:
    assert SAMPLES[name], f"op {name} yields no sample"


def _op_modules() -> list[Any]:
    skip = {"registry", "samples"}
    names = [m.name for m in pkgutil.iter_modules(autograd.ops.__path__) if m.name not in skip]
    return [importlib.import_module(f"autograd.ops.{n}") for n in names]


def _is_registered(obj: Any, public: str, registered: dict[int, str]) -> bool:
    """Registered under this name, or an alias listed in ALIASES of a registered function."""
    name = registered.get(id(obj))
    return name is not None and (name == public or public in ALIASES)


def test_every_public_op_is_registered() -> None:
    registered = {id(info.fn): name for name, info in OPS.items()}
    missing = [
        f"{module.__name__}.{public}"
        for module in _op_modules()
        for public in getattr(module, "__all__", ())
        if callable(obj := getattr(module, public))
        and not isinstance(obj, type)
        and not _is_registered(obj, public, registered)
    ]
    assert not missing, f"public ops not registered (or aliases not listed in ALIASES): {missing}"
