"""Gradcheck reports: one row per (input, output) pair, scored, and the table they print as.

A ``GradcheckRow`` holds how far the analytic ``v^T J`` is from central differences
for one input (or parameter) and one floating output; ``_compare`` (every element)
and ``_compare_direction`` (one random direction) score it, passing when
``|analytic - numeric| <= atol + rtol * |numeric|``. A ``GradcheckReport`` collects
the rows and the failure details and prints them as a table.

    >>> from autograd.gradcheck_report import GradcheckReport, GradcheckRow
    >>> report = GradcheckReport("f", "full", 1e-6, 1e-5, 1e-3)
    >>> report.rows.append(GradcheckRow("input 0", 0, (2,), 0.0, 0.0, (0,), 1.0, 1.0, True))
    >>> print(report)
    gradcheck of f (full mode, eps=1e-06, atol=1e-05, rtol=0.001): passed
    input    output  shape  max abs err  max rel err  worst index  numeric  analytic
    input 0  0       (2,)   0.000e+00    0.000e+00    (0,)         1        1         ok
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from autograd.tensor import Tensor

__all__ = ["GradcheckReport", "GradcheckRow"]


@dataclass
class GradcheckRow:
    """One (input or parameter, output) pair: how far ``v^T J`` is from central differences."""

    name: str
    output: int
    shape: tuple[int, ...]
    max_abs_err: float
    max_rel_err: float
    index: tuple[int, ...] | None
    numeric: float
    analytic: float
    passed: bool
    note: str = ""


@dataclass
class GradcheckReport:
    """Every row of a gradient check, printable as a table; ``passed`` is True when all rows pass."""

    function: str
    mode: str
    eps: float
    atol: float
    rtol: float
    rows: list[GradcheckRow] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(row.passed for row in self.rows)

    def __str__(self) -> str:
        status = "passed" if self.passed else "FAILED"
        head = f"gradcheck of {self.function} ({self.mode} mode, eps={self.eps:g}, atol={self.atol:g}, "
        lines = [head + f"rtol={self.rtol:g}): {status}"]
        table = [("input", "output", "shape", "max abs err", "max rel err", "worst index", "numeric", "analytic", "")]
        for r in self.rows:
            index = "-" if r.index is None else str(r.index)
            verdict = ("ok" if r.passed else "FAIL") + (f" ({r.note})" if r.note else "")
            cells = (r.name, str(r.output), str(r.shape), f"{r.max_abs_err:.3e}", f"{r.max_rel_err:.3e}", index)
            table.append((*cells, f"{r.numeric:.6g}", f"{r.analytic:.6g}", verdict))
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
        return "\n".join(lines + self.details)


def _wrong_shape_or_dtype(t: Tensor, analytic: np.ndarray) -> str:
    if analytic.shape != t.shape:
        return f"analytic gradient has shape {analytic.shape}, expected {t.shape}"
    if analytic.dtype != t.dtype:
        return f"analytic gradient is {analytic.dtype}, input is {t.dtype}"
    return ""


def _compare(
    report: GradcheckReport, name: str, k: int, t: Tensor, numeric: np.ndarray, analytic: np.ndarray
) -> GradcheckRow:
    note = _wrong_shape_or_dtype(t, analytic)
    if analytic.shape != t.shape:
        return GradcheckRow(name, k, t.shape, np.inf, np.inf, None, np.nan, np.nan, False, note)
    if analytic.size == 0:
        return GradcheckRow(name, k, t.shape, 0.0, 0.0, None, 0.0, 0.0, not note, note)
    a = analytic.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        close = np.isclose(a, numeric, rtol=report.rtol, atol=report.atol)
        err = np.nan_to_num(np.where(a == numeric, 0.0, np.abs(a - numeric)), nan=np.inf)
        score = np.nan_to_num(err / (report.atol + report.rtol * np.abs(numeric)), nan=np.inf)
    rel = err / np.maximum(np.abs(numeric), np.finfo(np.float64).tiny)
    idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(score)), t.shape))
    passed = bool(close.all()) and not note
    return GradcheckRow(name, k, t.shape, float(err.max()), float(rel.max()), idx, numeric[idx], a[idx], passed, note)


def _compare_direction(
    report: GradcheckReport, name: str, k: int, t: Tensor, numeric: float, analytic: np.ndarray, u: np.ndarray
) -> GradcheckRow:
    note = _wrong_shape_or_dtype(t, analytic)
    if analytic.shape != t.shape:
        return GradcheckRow(name, k, t.shape, np.inf, np.inf, None, numeric, np.nan, False, note)
    with np.errstate(invalid="ignore", over="ignore"):
        a = float(np.sum(analytic.astype(np.float64) * u))
    err = 0.0 if a == numeric else abs(a - numeric)
    err = np.inf if np.isnan(err) else err
    rel = err / max(abs(numeric), np.finfo(np.float64).tiny)
    passed = bool(np.isclose(a, numeric, rtol=report.rtol, atol=report.atol)) and not note
    return GradcheckRow(name, k, t.shape, err, rel, None, numeric, a, passed, note)
