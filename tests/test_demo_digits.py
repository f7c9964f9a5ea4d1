"""The README's demo, examples/train_digits_cnn.py: its outputs, its printed lines, its flags and its accuracy."""

import importlib.util
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import autograd

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "train_digits_cnn.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EPOCH_LINE = re.compile(
    r"epoch +(\d+)/(\d+)  train loss (\d+\.\d{4})  train acc (\d+\.\d\d)%  "
    r"test loss (\d+\.\d{4})  test acc (\d+\.\d\d)%"
)
FINAL_LINE = re.compile(r"test accuracy (\d+\.\d\d)% after (\d+) epochs in (\d+\.\d) s")


def run_demo(*args: str, quick: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHAINRULE_QUICK": "1" if quick else "0"}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, cwd=ROOT)


def load_demo_module():
    spec = importlib.util.spec_from_file_location("train_digits_cnn", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("digits")
    result = run_demo("--out", str(out), "--seed", "1")
    assert result.returncode == 0, result.stderr
    return result, out


def test_quick_run_prints_one_parsable_line_per_epoch(quick_run):
    lines = [EPOCH_LINE.fullmatch(line) for line in quick_run[0].stdout.splitlines() if line.startswith("epoch")]
    assert len(lines) == 1 and all(lines), quick_run[0].stdout
    epoch, total, *metrics = lines[0].groups()
    assert (epoch, total) == ("1", "1")
    train_loss, train_acc, test_loss, test_acc = map(float, metrics)
    assert train_loss > 0 and test_loss > 0 and 0 <= train_acc <= 100 and 0 <= test_acc <= 100


def test_quick_run_prints_the_final_accuracy_and_each_written_file(quick_run):
    result, out = quick_run
    assert FINAL_LINE.search(result.stdout), result.stdout
    written = {Path(line.removeprefix("wrote ")) for line in result.stdout.splitlines() if line.startswith("wrote ")}
    names = {"loss_curve.png", "confusion_matrix.png", "graph.svg", "digits_cnn.safetensors"}
    assert written == {out / name for name in names}


@pytest.mark.parametrize("name", ["loss_curve.png", "confusion_matrix.png"])
def test_quick_run_writes_a_valid_png(quick_run, name):
    assert (quick_run[1] / name).read_bytes().startswith(PNG_SIGNATURE)


def test_quick_run_writes_the_graph_as_svg_naming_the_model_parameters(quick_run):
    root = ET.parse(quick_run[1] / "graph.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join(root.itertext())
    assert "0.weight" in text and "7.bias" in text and "CrossEntropy" in text


def test_quick_run_checkpoint_loads_into_a_fresh_model(quick_run):
    state = autograd.load(quick_run[1] / "digits_cnn.safetensors")
    model = load_demo_module().make_model()
    assert set(state) == set(model.state_dict())
    model.load_state_dict(state)
    for name, tensor in model.state_dict().items():
        assert (tensor.numpy() == state[name].numpy()).all(), name


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--epochs", "0", "argument --epochs: must be > 0, got 0"),
        ("--epochs", "two", "argument --epochs: expected a positive int, got 'two'"),
        ("--lr", "-0.1", "argument --lr: must be > 0, got -0.1"),
        ("--lr", "nan", "argument --lr: must be > 0, got nan"),
        ("--batch-size", "0", "argument --batch-size: must be > 0, got 0"),
        ("--optimizer", "lbfgs", "argument --optimizer: invalid choice: 'lbfgs'"),
    ],
)
def test_bad_flag_value_exits_with_a_message_naming_it(capsys, flag, value, message):
    with pytest.raises(SystemExit) as exit_info:
        load_demo_module().parse_args([flag, value])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_bad_flag_value_fails_the_script_before_training(tmp_path):
    result = run_demo("--epochs", "-3", "--out", str(tmp_path / "never"))
    assert result.returncode == 2
    assert "argument --epochs: must be > 0, got -3" in result.stderr
    assert result.stdout == "" and not (tmp_path / "never").exists()


@pytest.mark.slow
def test_full_run_reaches_97_percent_test_accuracy(tmp_path):
    result = run_demo("--out", str(tmp_path), quick=False)
    assert result.returncode == 0, result.stderr
    accuracy, _, seconds = FINAL_LINE.search(result.stdout).groups()
    assert float(accuracy) >= 97.0, result.stdout
    assert float(seconds) < 60, result.stdout


def test_without_graphviz_the_demo_writes_the_dot_text_and_says_how_to_install(tmp_path, monkeypatch, capsys):
    demo = load_demo_module()
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    data = demo.TensorDataset(autograd.randn(2, 1, 8, 8), autograd.tensor([3, 7]))
    written = demo.render_graph(demo.make_model(), data, demo.nn.CrossEntropyLoss(), tmp_path / "graph.svg")
    assert written == tmp_path / "graph.dot" and written.read_text().startswith("digraph")
    assert "apt" in capsys.readouterr().err
