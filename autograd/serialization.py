"""Checkpoints: ``save(obj, path)`` and ``load(path)`` in the safetensors format; loading never runs code.

The file is a standard safetensors file: a state_dict saved here has the state_dict's keys as tensor
names, so ``safetensors.torch.load_file(path)`` gives PyTorch the same state_dict, and a file PyTorch
wrote with ``safetensors.torch.save_file`` loads here. Nested containers (``{"model": ..., "optimizer":
..., "epoch": 3}``) are kept as a JSON description in the file's metadata, tensors named by their dotted
path. Writes are atomic: a temporary file in the same directory, flushed and fsynced, then renamed over
the target, so a crash mid-write leaves the previous checkpoint intact.

>>> import os, tempfile
>>> import autograd as torch
>>> path = os.path.join(tempfile.mkdtemp(), "model.safetensors")
>>> torch.save({"weight": torch.ones(2, 3), "step": torch.tensor(7)}, path)
>>> torch.load(path)
{'weight': tensor([[1., 1., 1.],
        [1., 1., 1.]]), 'step': tensor(7)}
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

import numpy as np

from autograd.tensor import Tensor

__all__ = ["save", "load", "CheckpointError"]

FORMAT_VERSION = 1
_VERSION_KEY = "chainrule.format_version"
_STRUCTURE_KEY = "chainrule.structure"


class CheckpointError(RuntimeError):
    """A checkpoint file that cannot be read: truncated, empty, not safetensors, or from a newer format."""


def _safetensors() -> Any:
    try:
        import safetensors
        import safetensors.numpy
    except ImportError:
        raise ImportError(
            "autograd.save and autograd.load need the safetensors package: pip install safetensors "
            "(or pip install 'chainrule[checkpoints]')"
        ) from None
    return safetensors


def _encode(obj: Any, path: str, tensors: dict[str, np.ndarray]) -> Any:
    """The JSON description of ``obj``; its tensors go into ``tensors`` under their dotted path."""
    if isinstance(obj, (Tensor, np.ndarray)):
        if path in tensors:
            raise ValueError(f"save: two entries map to the tensor name {path!r}; rename one of them")
        array = obj._data if isinstance(obj, Tensor) else obj
        tensors[path] = (
            array if array.flags.c_contiguous else array.copy(order="C")
        )  # not ascontiguousarray: 0-d stays 0-d
        return {"tensor": path}
    if isinstance(obj, dict):
        for key in obj:
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"save: dict keys must be str or int, got {key!r} at {path or 'the top level'}")
        return {"dict": [[k, _encode(v, f"{path}.{k}" if path else str(k), tensors)] for k, v in obj.items()]}
    if isinstance(obj, (list, tuple)):
        items = [_encode(v, f"{path}.{i}" if path else str(i), tensors) for i, v in enumerate(obj)]
        return {type(obj).__name__: items}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    raise TypeError(
        f"save: cannot store a {type(obj).__name__} at {path or 'the top level'}; checkpoints hold tensors, "
        "arrays, numbers, strings, None, and dicts, lists and tuples of them"
    )


def _decode(node: Any, tensors: dict[str, np.ndarray]) -> Any:
    kind, body = next(iter(node.items()))
    if kind == "tensor":
        return Tensor(tensors[body])
    if kind == "dict":
        return {k: _decode(v, tensors) for k, v in body}
    if kind in ("list", "tuple"):
        items = [_decode(v, tensors) for v in body]
        return items if kind == "list" else tuple(items)
    if kind == "value":
        return body
    raise ValueError(f"unknown entry kind {kind!r}")


def save(obj: Any, f: str | os.PathLike[str]) -> None:
    """Write ``obj`` (a state_dict, or a dict/list of tensors, numbers and strings) to the path ``f``, atomically.

    Unlike ``torch.save`` it takes a path, not an open file (the atomic rename needs one).
    """
    st = _safetensors()
    tensors: dict[str, np.ndarray] = {}
    structure = _encode(obj, "", tensors)
    metadata = {"format": "pt", _VERSION_KEY: str(FORMAT_VERSION), _STRUCTURE_KEY: json.dumps(structure)}
    data = st.numpy.save(tensors, metadata=metadata)
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a saved file gets open()'s mode
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _umask() -> int:
    """The process umask (read by setting it, so set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def load(f: str | os.PathLike[str], map_location: Any = None, weights_only: bool = True) -> Any:
    """Read a checkpoint written by ``save`` (or any safetensors file: a flat dict of tensors).

    Only data is read, never code, so ``weights_only`` is always in effect. ``map_location`` may be None or
    "cpu". A file that is not a readable checkpoint raises one ``CheckpointError`` naming the path and cause.
    """
    if map_location is not None and str(map_location) != "cpu":
        raise RuntimeError(f"chainrule runs on the CPU only; cannot load to {map_location!r}")
    st = _safetensors()
    path = os.fspath(f)
    try:
        with st.safe_open(path, framework="numpy") as handle:
            metadata = handle.metadata() or {}
            tensors = {name: handle.get_tensor(name) for name in handle.keys()}
    except (OSError, st.SafetensorError, ValueError) as error:
        raise CheckpointError(f"cannot load checkpoint {path!r}: {error}") from None
    version = metadata.get(_VERSION_KEY, str(FORMAT_VERSION))
    if not version.isdigit() or int(version) > FORMAT_VERSION:
        raise CheckpointError(
            f"cannot load checkpoint {path!r}: it has format version {version}, this chainrule reads up to "
            f"{FORMAT_VERSION}; upgrade chainrule"
        )
    if _STRUCTURE_KEY not in metadata:
        return {name: Tensor(array) for name, array in tensors.items()}
    try:
        return _decode(json.loads(metadata[_STRUCTURE_KEY]), tensors)
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration) as error:
        raise CheckpointError(f"cannot load checkpoint {path!r}: its structure metadata is damaged ({error})") from None
