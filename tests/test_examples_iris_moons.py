"""examples/iris_mlp.py and examples/moons_scalar.py run end to end in quick mode (CHAINRULE_QUICK=1)."""

import functools
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _run(script: str, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"CHAINRULE_QUICK": "1", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True, env=env, timeout=120
    )


def _metric(stdout: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)}: (\d\.\d+)$", stdout, re.MULTILINE)
    assert match, f"no {name!r} line in:\n{stdout}"
    return float(match.group(1))


@pytest.fixture(scope="module")
def iris(tmp_path_factory):
    out = tmp_path_factory.mktemp("iris")
    return out, _run("iris_mlp.py", "--out", str(out), "--seed", "0")


@pytest.fixture(scope="module")
def moons(tmp_path_factory):
    out = tmp_path_factory.mktemp("moons")
    return out, _run("moons_scalar.py", "--out", str(out))


def test_iris_runs_and_writes_a_png_loss_curve(iris):
    out, result = iris
    assert result.returncode == 0, result.stderr
    assert (out / "iris_loss_curves.png").read_bytes()[:8] == PNG_SIGNATURE


@pytest.mark.parametrize("name", ["test accuracy", "test precision (macro)", "test recall (macro)", "test f1 (macro)"])
def test_iris_prints_each_test_metric_as_a_number_in_0_1(iris, name):
    assert 0.0 <= _metric(iris[1].stdout, name) <= 1.0


def test_iris_prints_the_eda_summary_and_split_sizes(iris):
    stdout = iris[1].stdout
    assert "data: 150 samples x 4 features" in stdout and "setosa 50 (33%)" in stdout
    assert re.search(r"^petal width \(cm\)\s+1\.20\s+0\.76\s+0\.10\s+2\.50$", stdout, re.MULTILINE)
    assert "split sizes: train 90, val 30, test 30" in stdout


def test_iris_confusion_matrix_counts_every_test_sample(iris):
    rows = re.findall(r"^(setosa|versicolor|virginica)\s+(\d+)\s+(\d+)\s+(\d+)$", iris[1].stdout, re.MULTILINE)
    assert len(rows) == 3 and sum(int(v) for row in rows for v in row[1:]) == 30


def test_iris_restores_the_best_epoch(iris):
    assert re.search(r"restored the best model: epoch \d+, validation loss \d\.\d+", iris[1].stdout)


@functools.cache
def _load(script: str):
    """The example as a module (registered, so its dataclasses resolve), to call its argument parser."""
    name = "example_" + script.removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / script)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parse_error(script: str, argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        _load(script).parse_args(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--epochs", "0", "argument --epochs: must be a positive integer, got '0'"),
        ("--lr", "-0.1", "argument --lr: must be a positive number, got '-0.1'"),
        ("--lr", "inf", "argument --lr: must be a positive number, got 'inf'"),
        ("--patience", "x", "argument --patience: must be a positive integer, got 'x'"),
    ],
)
def test_iris_rejects_bad_flag_values_with_a_clear_message(flag, value, message, capsys):
    assert message in _parse_error("iris_mlp.py", [flag, value], capsys)


def test_iris_rejects_an_out_path_that_is_a_file(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    assert "exists and is not a folder" in _parse_error("iris_mlp.py", ["--out", str(tmp_path / "file")], capsys)


def test_moons_runs_and_writes_a_png_decision_boundary(moons):
    out, result = moons
    assert result.returncode == 0, result.stderr
    assert (out / "moons_decision_boundary.png").read_bytes()[:8] == PNG_SIGNATURE


def test_moons_prints_a_final_train_accuracy_and_falling_loss(moons):
    stdout = moons[1].stdout
    assert 0.0 <= _metric(stdout, "final train accuracy") <= 1.0
    losses = [float(v) for v in re.findall(r"^step\s+\d+\s+loss (\d+\.\d+)", stdout, re.MULTILINE)]
    assert len(losses) >= 2 and losses[-1] < losses[0]


def test_moons_rejects_a_bad_step_count(capsys):
    message = "argument --steps: must be a positive integer, got '0'"
    assert message in _parse_error("moons_scalar.py", ["--steps", "0"], capsys)
