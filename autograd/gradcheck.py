"""Gradient checking: the analytic gradient against central differences.

For every input that requires grad (or every named parameter of a model) and every
floating output ``y_k``, a seeded random upstream gradient ``v_k`` (ones for a
one-element output) turns the output into the scalar ``L = <v_k, y_k>`` (MyGrad
style ``v^T J``). Its analytic gradient comes from ``autograd.grad``; the numeric one
from central differences ``(L(x + eps e) - L(x - eps e)) / (2 eps)``:

- ``"full"`` mode perturbs every element (two evaluations per element);
- ``"random"`` mode perturbs along one seeded random unit direction ``u``
  (two evaluations per input) and compares with ``(v^T J) . u``.

An element passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.
Inputs are perturbed in place under ``no_grad`` and restored bit for bit.
The report types, how a row is scored and the printed table are in ``gradcheck_report.py``.

    >>> import autograd as torch
    >>> from autograd.gradcheck import gradcheck
    >>> x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    >>> gradcheck(lambda x: x * x, (x,))
    True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.engine import grad
from autograd.grad_mode import enable_grad, no_grad
from autograd.gradcheck_report import GradcheckReport, GradcheckRow, _compare, _compare_direction
from autograd.tensor import Tensor

__all__ = ["GradcheckError", "GradcheckReport", "GradcheckRow", "check_gradients", "gradcheck", "gradgradcheck"]

#: Print full Jacobians on failure when they have at most this many entries.
JACOBIAN_PRINT_LIMIT = 400
#: In random mode, a failing input this small is re-checked element by element for the report.
RECHECK_LIMIT = 1000


class GradcheckError(RuntimeError):
    """The analytic gradient disagrees with central differences; ``.report`` holds the details."""

    def __init__(self, message: str, report: GradcheckReport | None = None) -> None:
        super().__init__(message)
        self.report = report


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    fast_mode: bool = False,
    raise_exception: bool = True,
    seed: int = 0,
) -> bool:
    """Return True when ``fn``'s analytic gradients match central differences; else raise ``GradcheckError``.

    ``fast_mode=True`` checks one random direction per input instead of every element.
    ``fn`` may be a model (anything with ``named_parameters()``): its parameters are checked too.
    """
    report = check_gradients(
        fn, inputs, eps=eps, atol=atol, rtol=rtol, mode="random" if fast_mode else "full", seed=seed
    )
    return _verdict(report, raise_exception)


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    grad_outputs: Sequence[Any] | None = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    fast_mode: bool = False,
    raise_exception: bool = True,
    seed: int = 0,
) -> bool:
    """Gradcheck the gradient itself: ``(x, v) -> grad(fn(x), x, v, create_graph=True)``.

    ``grad_outputs`` (one per floating output) default to seeded random tensors that require grad.

        >>> import autograd as torch
        >>> x = torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True)
        >>> gradgradcheck(lambda x: x * x * x, (x,))
        True
    """
    inputs = _as_tuple(inputs)
    targets = _targets(fn, inputs)
    if not targets:
        raise ValueError(f"gradgradcheck of {_name(fn)}: no input requires grad")
    _validate(targets, _name(fn))
    with enable_grad():
        outputs = [y for _, y in _float_outputs(fn(*inputs))]
    if grad_outputs is None:
        rng = np.random.default_rng(seed + 1)
        grad_outputs = [Tensor(rng.standard_normal(y.shape).astype(y.dtype), requires_grad=True) for y in outputs]
    grad_outputs = tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"gradgradcheck: {len(grad_outputs)} grad_outputs for {len(outputs)} floating outputs")
    n = len(inputs)
    wrt = [t for _, t in targets]

    def first_gradients(*args: Any) -> tuple[Tensor, ...]:
        with enable_grad():
            ys = [y for _, y in _float_outputs(fn(*args[:n]))]
            used = [(y, v) for y, v in zip(ys, args[n:]) if y.requires_grad]
            if not used:
                return tuple(Tensor(np.zeros(t.shape, t.dtype)) for t in wrt)
            gs = grad([y for y, _ in used], wrt, [v for _, v in used], create_graph=True, allow_unused=True)
        return tuple(Tensor(np.zeros(t.shape, t.dtype)) if g is None else g for t, g in zip(wrt, gs))

    first_gradients.__qualname__ = f"grad of {_name(fn)}"
    targets += [
        (f"grad_output {k}", v) for k, v in enumerate(grad_outputs) if isinstance(v, Tensor) and v.requires_grad
    ]
    mode = "random" if fast_mode else "full"
    report = _check(first_gradients, inputs + grad_outputs, targets, eps, atol, rtol, mode, seed)
    return _verdict(report, raise_exception)


def check_gradients(
    fn_or_model: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    mode: str = "full",
    seed: int = 0,
) -> GradcheckReport:
    """Compare analytic and numeric gradients and return the report (rows per input or named parameter).

    >>> import autograd as torch
    >>> x = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    >>> report = check_gradients(lambda x: x * 3, x)
    >>> report.passed, report.rows[0].name
    (True, 'input 0')
    """
    if mode not in ("full", "random"):
        raise ValueError(f"check_gradients: mode must be 'full' or 'random', got {mode!r}")
    inputs = _as_tuple(inputs)
    targets = _targets(fn_or_model, inputs)
    if not targets:
        raise ValueError(
            f"gradcheck of {_name(fn_or_model)}: no input requires grad (nothing to check); "
            "create the inputs with requires_grad=True"
        )
    _validate(targets, _name(fn_or_model))
    return _check(fn_or_model, inputs, targets, eps, atol, rtol, mode, seed)


# --- what to check ------------------------------------------------------------------------------


def _as_tuple(inputs: Any) -> tuple[Any, ...]:
    return tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)


def _name(fn: Any) -> str:
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, type):  # Square.apply: name the Function subclass, not Function
        return f"{owner.__name__}.{fn.__name__}"
    return getattr(fn, "__qualname__", None) or type(fn).__name__


def _targets(fn: Any, inputs: tuple[Any, ...]) -> list[tuple[str, Tensor]]:
    """(name, tensor) for every input that requires grad, then every named parameter that does."""
    targets = [(f"input {i}", x) for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    named = getattr(fn, "named_parameters", None)
    if callable(named):
        targets += [(name, p) for name, p in named() if p.requires_grad]
    return targets


def _validate(targets: list[tuple[str, Tensor]], fn_name: str) -> None:
    for name, t in targets:
        a = t._data
        if a.dtype != np.float64:
            warnings.warn(
                f"gradcheck of {fn_name}: {name} is {a.dtype}, not float64; central differences "
                "are unreliable in low precision (cast inputs with .double())",
                UserWarning,
                stacklevel=4,
            )
        if a.size and any(stride == 0 and n > 1 for stride, n in zip(a.strides, a.shape)):
            raise ValueError(
                f"gradcheck of {fn_name}: {name} (shape {a.shape}, strides {a.strides}) is a broadcast view "
                "whose elements share memory; perturbing one would move several. Pass a copy instead"
            )
        if not a.flags.writeable:
            raise ValueError(f"gradcheck of {fn_name}: {name} is read-only; gradcheck perturbs inputs in place")


def _float_outputs(result: Any) -> list[tuple[int, Tensor]]:
    """(output index, tensor) for every floating tensor among fn's outputs."""
    outs = result if isinstance(result, (tuple, list)) else (result,)
    return [(k, y) for k, y in enumerate(outs) if isinstance(y, Tensor) and y.dtype.kind == "f"]


# --- the check ----------------------------------------------------------------------------------


@dataclass
class _Problem:
    """What every step of one check shares: the function, its inputs, outputs and upstream gradients."""

    fn: Any
    inputs: tuple[Any, ...]
    outputs: list[tuple[int, Tensor]]
    vs: list[np.ndarray]
    report: GradcheckReport


def _check(
    fn: Any,
    inputs: tuple[Any, ...],
    targets: list[tuple[str, Tensor]],
    eps: float,
    atol: float,
    rtol: float,
    mode: str,
    seed: int,
) -> GradcheckReport:
    report = GradcheckReport(_name(fn), mode, eps, atol, rtol)
    rng = np.random.default_rng(seed)
    with enable_grad():
        outputs = _float_outputs(fn(*inputs))
    if not outputs:
        raise ValueError(f"gradcheck of {report.function}: the function returned no floating-point tensor")
    vs = [
        np.ones(y.shape, y.dtype) if y._data.size == 1 else rng.standard_normal(y.shape).astype(y.dtype)
        for _, y in outputs
    ]
    problem = _Problem(fn, inputs, outputs, vs, report)
    for (name, t), analytic in zip(targets, _analytic(outputs, vs, [t for _, t in targets])):
        if mode == "full":
            _check_elements(problem, name, t, analytic)
        else:
            u = rng.standard_normal(t.shape)
            _check_direction(problem, name, t, analytic, u / max(float(np.linalg.norm(u)), 1e-300))
    return report


def _analytic(outputs: list[tuple[int, Tensor]], vs: list[np.ndarray], wrt: list[Tensor]) -> list[list[np.ndarray]]:
    """analytic[j][i]: ``v_i^T J`` of the i-th floating output with respect to target j (zeros if unused)."""
    result: list[list[np.ndarray]] = [[] for _ in wrt]
    for (_, y), v in zip(outputs, vs):
        gs: Sequence[Any] = [None] * len(wrt)
        if y.requires_grad:
            gs = grad(y, wrt, Tensor(v), retain_graph=True, allow_unused=True)
        for j, (t, g) in enumerate(zip(wrt, gs)):
            result[j].append(np.zeros(t.shape, t.dtype) if g is None else g._data)
    return result


def _check_elements(problem: _Problem, name: str, t: Tensor, analytic: list[np.ndarray]) -> None:
    """Full mode: perturb every element of ``t``."""
    numeric = _numeric_elements(problem, t)
    for (k, y), v, a, n in zip(problem.outputs, problem.vs, analytic, numeric):
        row = _compare(problem.report, name, k, t, n, a)
        problem.report.rows.append(row)
        if not row.passed:
            problem.report.details.append(_explain(problem, name, t, k, y, n, a, v))


def _check_direction(problem: _Problem, name: str, t: Tensor, analytic: list[np.ndarray], u: np.ndarray) -> None:
    """Random mode: perturb ``t`` along ``u``; a failure is re-checked element by element for the report."""
    report = problem.report
    slopes = _slopes(problem.fn, problem.inputs, t, report.eps, u)
    recheck = None
    for i, ((k, y), v, a, slope) in enumerate(zip(problem.outputs, problem.vs, analytic, slopes)):
        row = _compare_direction(report, name, k, t, float(np.sum(v * slope)), a, u)
        report.rows.append(row)
        if not row.passed and a.shape == t.shape and t._data.size <= RECHECK_LIMIT:
            recheck = _numeric_elements(problem, t) if recheck is None else recheck
            report.details.append(_explain(problem, name, t, k, y, recheck[i], a, v, "recomputed element by element"))


def _evaluate(fn: Any, inputs: tuple[Any, ...]) -> list[np.ndarray]:
    """fn's floating outputs as float64 copies (an output may share memory with a perturbed input)."""
    with no_grad():
        return [np.array(y._data, dtype=np.float64) for _, y in _float_outputs(fn(*inputs))]


def _numeric_elements(problem: _Problem, t: Tensor) -> list[np.ndarray]:
    """Central differences of ``<v_i, y_i>`` for every element of ``t``, one array per floating output."""
    eps = problem.report.eps
    numeric = [np.zeros(t.shape) for _ in problem.outputs]
    a = t._data
    saved = a.copy()
    try:
        for idx in np.ndindex(a.shape):
            with no_grad():
                a[idx] = saved[idx] + eps
            plus = _evaluate(problem.fn, problem.inputs)
            with no_grad():
                a[idx] = saved[idx] - eps
            minus = _evaluate(problem.fn, problem.inputs)
            a[idx] = saved[idx]
            for n, v, p, m in zip(numeric, problem.vs, plus, minus):
                n[idx] = np.sum(v * (p - m)) / (2 * eps)
    finally:
        np.copyto(a, saved)
    return numeric


def _slopes(fn: Any, inputs: tuple[Any, ...], t: Tensor, eps: float, u: np.ndarray) -> list[np.ndarray]:
    """``(y(x + eps u) - y(x - eps u)) / (2 eps)`` for every floating output, perturbing ``t`` in place."""
    a = t._data
    saved = a.copy()
    try:
        with no_grad():
            np.copyto(a, saved + eps * u, casting="unsafe")
        plus = _evaluate(fn, inputs)
        with no_grad():
            np.copyto(a, saved - eps * u, casting="unsafe")
        minus = _evaluate(fn, inputs)
    finally:
        np.copyto(a, saved)
    return [(p - m) / (2 * eps) for p, m in zip(plus, minus)]


# --- the failure report -------------------------------------------------------------------------


def _explain(
    problem: _Problem,
    name: str,
    t: Tensor,
    k: int,
    y: Tensor,
    numeric: np.ndarray,
    analytic: np.ndarray,
    v: np.ndarray,
    how: str = "",
) -> str:
    """Why a row failed: both Jacobians when small, else the worst entries of ``v^T J``."""
    head = f"\n{problem.report.function}: gradient of output {k} with respect to {name} is wrong"
    head += f" ({how})" if how else ""
    if analytic.shape != t.shape:
        return f"{head}: backward returned shape {analytic.shape}, expected {t.shape}"
    a = analytic.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.nan_to_num(np.where(a == numeric, 0.0, np.abs(a - numeric)), nan=np.inf)
    lines = [f"{head}; max abs difference {err.max() if err.size else 0.0:.6g}"]
    if y._data.size * t._data.size <= JACOBIAN_PRINT_LIMIT and y.requires_grad:
        num_j, ana_j = _jacobians(problem, t, k, y)
        lines += ["numeric Jacobian (rows: output elements, columns: input elements):", _show(num_j)]
        lines += ["analytic Jacobian:", _show(ana_j)]
        return "\n".join(lines)
    lines.append(f"vector-Jacobian product with a random upstream gradient (shape {v.shape}), worst entries:")
    for flat in np.argsort(err, axis=None)[::-1][:5]:
        idx = tuple(int(i) for i in np.unravel_index(int(flat), t.shape))
        lines.append(f"  index {idx}: numeric {numeric[idx]:.6g}, analytic {a[idx]:.6g}, difference {err[idx]:.3g}")
    return "\n".join(lines)


def _jacobians(problem: _Problem, t: Tensor, k: int, y: Tensor) -> tuple[np.ndarray, np.ndarray]:
    """The numeric and analytic Jacobians of output ``k`` with respect to ``t`` (output x input elements)."""
    n_out, n_in = y._data.size, t._data.size
    position = [o[0] for o in problem.outputs].index(k)
    ana = np.zeros((n_out, n_in))
    for row in range(n_out):
        onehot = np.zeros(n_out, y.dtype)
        onehot[row] = 1
        (g,) = grad(y, t, Tensor(onehot.reshape(y.shape)), retain_graph=True, allow_unused=True)
        if g is not None:
            ana[row] = g._data.astype(np.float64).reshape(-1)
    num = np.zeros((n_out, n_in))
    for col in range(n_in):
        onehot = np.zeros(n_in)
        onehot[col] = 1
        slopes = _slopes(problem.fn, problem.inputs, t, problem.report.eps, onehot.reshape(t.shape))
        num[:, col] = slopes[position].reshape(-1)
    return num, ana


def _show(matrix: np.ndarray) -> str:
    return np.array2string(matrix, precision=6, suppress_small=True, max_line_width=120)


def _verdict(report: GradcheckReport, raise_exception: bool) -> bool:
    if report.passed:
        return True
    if raise_exception:
        raise GradcheckError(str(report), report)
    return False
