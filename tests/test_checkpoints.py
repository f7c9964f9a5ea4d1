"""Checkpoints: save/load round trips here and to and from PyTorch, strict loading, corrupt files, atomic writes."""

import os
import pickle
import re
import struct
import sys
from pathlib import Path

import numpy as np
import pytest
import safetensors.torch
import torch

import autograd
import nn
import optim
from autograd.serialization import CheckpointError


def ours_model():
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.MLP([8, 6, 3], activation=autograd.tanh))


def torch_model():
    mlp = torch.nn.Sequential(torch.nn.Linear(8, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8), mlp)


def _trained(model, lib):
    """A couple of training-mode passes so the BatchNorm buffers hold real statistics."""
    for seed in range(2):
        model(lib.tensor(np.random.default_rng(seed).normal(size=(6, 4)), dtype=lib.float64))
    return model.eval()


X = np.random.default_rng(9).normal(size=(5, 4))


def _same_arrays(a, b):
    assert list(a) == list(b)
    for key in a:
        assert np.array_equal(np.asarray(a[key].numpy()), np.asarray(b[key].numpy())), key


# --- round trips --------------------------------------------------------------------------------------


def test_save_then_load_restores_parameters_and_buffers_bit_for_bit(tmp_path):
    model = _trained(ours_model().double(), autograd)
    autograd.save(model.state_dict(), tmp_path / "m.safetensors")
    fresh = ours_model().double().eval()
    fresh.load_state_dict(autograd.load(tmp_path / "m.safetensors"))
    _same_arrays(fresh.state_dict(), model.state_dict())
    x = autograd.tensor(X)
    assert np.array_equal(fresh(x).detach().numpy(), model(x).detach().numpy())


def test_a_model_saved_here_runs_the_same_in_torch(tmp_path):
    model = _trained(ours_model().double(), autograd)
    autograd.save(model.state_dict(), tmp_path / "m.safetensors")
    theirs = torch_model().double().eval()
    theirs.load_state_dict(safetensors.torch.load_file(tmp_path / "m.safetensors"))
    expected = model(autograd.tensor(X)).detach().numpy()
    np.testing.assert_allclose(theirs(torch.tensor(X)).detach().numpy(), expected, rtol=1e-12, atol=1e-14)


def test_a_model_saved_by_torch_runs_the_same_here(tmp_path):
    theirs = _trained(torch_model().double(), torch)
    safetensors.torch.save_file(theirs.state_dict(), tmp_path / "t.safetensors")
    model = ours_model().double().eval()
    model.load_state_dict(autograd.load(tmp_path / "t.safetensors"))
    expected = theirs(torch.tensor(X)).detach().numpy()
    np.testing.assert_allclose(model(autograd.tensor(X)).detach().numpy(), expected, rtol=1e-12, atol=1e-14)


def test_load_state_dict_accepts_a_torch_state_dict_directly():
    theirs = _trained(torch_model().double(), torch)
    model = ours_model().double().eval()
    model.load_state_dict(theirs.state_dict())
    assert model[1].num_batches_tracked.item() == 2


def test_nested_checkpoint_round_trips_exactly(tmp_path):
    state = {
        "model": ours_model().state_dict(),
        "optimizer": {"state": {0: {"step": autograd.tensor(3.0), "exp_avg": autograd.randn(2, 2)}}, "lr": 1e-3},
        "epoch": 7,
        "tags": ("a", None, True, [1, 2.5]),
    }
    autograd.save(state, tmp_path / "c.safetensors")
    back = autograd.load(tmp_path / "c.safetensors")
    assert back["epoch"] == 7 and back["tags"] == ("a", None, True, [1, 2.5]) and back["optimizer"]["lr"] == 1e-3
    assert np.array_equal(
        back["optimizer"]["state"][0]["exp_avg"].numpy(), state["optimizer"]["state"][0]["exp_avg"].numpy()
    )
    _same_arrays(back["model"], state["model"])


def _train(model, optimizer, steps, start):
    for step in range(start, start + steps):
        x = autograd.tensor(np.random.default_rng(step).normal(size=(8, 4)))
        optimizer.zero_grad()
        (model(x) ** 2).mean().backward()
        optimizer.step()


def test_resuming_from_a_checkpoint_ends_bit_identical_to_an_uninterrupted_run(tmp_path):
    autograd.manual_seed(0)
    straight = ours_model().double()
    resumed = ours_model().double()
    resumed.load_state_dict(straight.state_dict())
    _train(straight, optim.Adam(straight.parameters(), lr=0.01), 100, 0)
    first_half = optim.Adam(resumed.parameters(), lr=0.01)
    _train(resumed, first_half, 50, 0)
    autograd.save({"model": resumed.state_dict(), "optimizer": first_half.state_dict()}, tmp_path / "ckpt.safetensors")
    model = ours_model().double()
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    checkpoint = autograd.load(tmp_path / "ckpt.safetensors")
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    _train(model, optimizer, 50, 50)
    _same_arrays(model.state_dict(), straight.state_dict())


def test_zero_dim_and_integer_tensors_keep_shape_and_dtype(tmp_path):
    autograd.save({"n": autograd.tensor(5), "mask": autograd.tensor([True, False])}, tmp_path / "s.safetensors")
    back = autograd.load(tmp_path / "s.safetensors")
    assert back["n"].shape == () and back["n"].dtype == np.int64 and back["mask"].dtype == np.bool_


def test_save_rejects_objects_it_cannot_store_by_name(tmp_path):
    with pytest.raises(TypeError, match="cannot store a set at opt"):
        autograd.save({"opt": {1, 2}}, tmp_path / "unused.safetensors")


# --- strict loading -----------------------------------------------------------------------------------


def test_strict_load_reports_missing_unexpected_and_shape_errors_in_one_error_and_changes_nothing():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    before = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    bad = {"0.weight": autograd.zeros(3, 2), "0.bias": autograd.zeros(4), "1.weight": autograd.zeros(1, 3)}
    bad["extra.weight"] = autograd.zeros(1)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(bad)
    message = str(error.value)
    assert 'Missing key(s) in state_dict: "1.bias"' in message
    assert 'Unexpected key(s) in state_dict: "extra.weight"' in message
    assert "size mismatch for 0.bias: copying a param with shape (4,) from checkpoint" in message
    assert "the shape in current model is (3,)" in message
    for key, value in model.state_dict().items():
        assert np.array_equal(value.numpy(), before[key]), f"{key} changed"


def test_non_strict_load_returns_the_missing_and_unexpected_keys():
    model = nn.Linear(2, 1)
    result = model.load_state_dict({"weight": autograd.ones(1, 2), "other": autograd.ones(1)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["other"]
    assert model.weight.detach().numpy().tolist() == [[1.0, 1.0]]


def test_non_strict_load_still_raises_on_a_shape_mismatch():
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        nn.Linear(2, 1).load_state_dict({"weight": autograd.ones(2, 2)}, strict=False)


def test_load_rejects_floating_values_for_an_integer_buffer():
    bn = nn.BatchNorm1d(2)
    state = dict(bn.state_dict(), num_batches_tracked=autograd.tensor(1.5))
    with pytest.raises(RuntimeError, match="dtype mismatch for num_batches_tracked"):
        bn.load_state_dict(state)


def test_a_float64_checkpoint_loads_into_a_float32_model_by_casting():
    model = nn.Linear(2, 1)
    model.load_state_dict({k: v.double() for k, v in nn.Linear(2, 1).state_dict().items()})
    assert model.weight.dtype == np.float32


def test_a_matching_load_reports_all_keys_matched():
    model = nn.Linear(2, 1)
    assert repr(model.load_state_dict(model.state_dict())) == "<All keys matched successfully>"


def test_assign_adopts_the_checkpoint_tensors_as_parameters():
    model = nn.Linear(2, 1)
    model.load_state_dict({"weight": autograd.ones(1, 2, dtype=np.float64), "bias": autograd.zeros(1)}, assign=True)
    assert isinstance(model.weight, nn.Parameter) and model.weight.dtype == np.float64 and model.weight.requires_grad


# --- corrupt files and safety -------------------------------------------------------------------------


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "good.safetensors"
    autograd.save(ours_model().state_dict(), path)
    return path


def _corrupt(kind, good):
    data = good.read_bytes()
    return {
        "truncated": data[: len(data) // 2],
        "empty": b"",
        "random": np.random.default_rng(0).bytes(4096),
        "wrong magic": b"PK\x03\x04" + data[4:],
        "huge header": struct.pack("<Q", 200_000_000) + b"{}",
    }[kind]


@pytest.mark.parametrize("kind", ["truncated", "empty", "random", "wrong magic", "huge header"])
def test_a_corrupt_file_raises_one_checkpoint_error_naming_the_path(kind, good_file, tmp_path):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(_corrupt(kind, good_file))
    with pytest.raises(CheckpointError, match=re.escape(repr(str(path)))):
        autograd.load(path)


def test_a_missing_file_raises_a_checkpoint_error(tmp_path):
    with pytest.raises(CheckpointError, match=r"nope\.safetensors"):
        autograd.load(tmp_path / "nope.safetensors")


class _Payload:
    def __init__(self, sentinel):
        self.sentinel = sentinel

    def __reduce__(self):
        return (Path.touch, (Path(self.sentinel),))


def test_a_pickle_payload_is_rejected_without_running(tmp_path):
    sentinel = tmp_path / "PWNED"
    path = tmp_path / "evil.safetensors"
    path.write_bytes(pickle.dumps({"weight": _Payload(str(sentinel))}))
    with pytest.raises(CheckpointError):
        autograd.load(path)
    assert not sentinel.exists()


def test_a_file_from_a_newer_format_is_refused(tmp_path):
    path = tmp_path / "future.safetensors"
    safetensors.numpy.save_file({"w": np.ones(2)}, path, metadata={"chainrule.format_version": "99"})
    with pytest.raises(CheckpointError, match="format version 99"):
        autograd.load(path)


def test_serialization_code_uses_no_pickle_eval_exec_or_shell():
    root = Path(autograd.__file__).parent.parent
    for name in ("autograd/serialization.py", "nn/_state_dict.py"):
        code = (root / name).read_text()
        for word in (r"\bpickle\b", r"\beval\(", r"\bexec\(", r"shell\s*=\s*True", r"allow_pickle\s*=\s*True"):
            assert not re.search(word, code), f"{name} uses {word}"


def test_an_error_mid_write_leaves_the_previous_checkpoint_and_no_temp_file(good_file, monkeypatch):
    before = good_file.read_bytes()

    def fail(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        autograd.save({"w": autograd.ones(1000)}, good_file)
    assert good_file.read_bytes() == before
    assert os.listdir(good_file.parent) == [good_file.name]
    autograd.load(good_file)


def test_missing_safetensors_gives_an_install_hint(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    with pytest.raises(ImportError, match="pip install safetensors"):
        autograd.save({"w": autograd.ones(1)}, tmp_path / "unused.safetensors")


def test_a_saved_checkpoint_gets_the_mode_open_would_give_it(tmp_path):
    path = tmp_path / "m.safetensors"
    autograd.save({"w": autograd.ones(2)}, path)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
