"""Every notebook in notebooks/ runs without error in quick mode, opens with prose and ends with a plot."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PLOT_CALLS = ("plt.", ".savefig(", ".show(", "draw_graph(")


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_notebooks_exist() -> None:
    assert NOTEBOOKS, f"no notebooks found in {ROOT / 'notebooks'}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_quick_mode(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINRULE_QUICK", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = _read(path)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_opens_with_markdown(path: Path) -> None:
    first = _read(path).cells[0]
    assert first.cell_type == "markdown" and first.source.strip(), f"{path.name} must open with a markdown cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_ends_with_a_plot(path: Path) -> None:
    last = _code_cells(_read(path))[-1].source
    assert any(call in last for call in PLOT_CALLS), f"{path.name}: the last code cell makes no plot:\n{last}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_saved_without_outputs(path: Path) -> None:
    cells = _code_cells(_read(path))
    assert all(not cell.outputs and cell.execution_count is None for cell in cells), f"{path.name} has outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_reads_quick_mode_first(path: Path) -> None:
    first = _code_cells(_read(path))[0].source
    assert "CHAINRULE_QUICK" in first, f"{path.name}: the first code cell must read CHAINRULE_QUICK"
