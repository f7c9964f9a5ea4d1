"""MNIST from files you already have: the four IDX files (gzipped or raw) or an ``.npz``; nothing is downloaded.

IDX (LeCun's format): a big-endian header, two zero bytes, a type code (0x08 = unsigned byte), the number of
dims, then each dim as a 4-byte integer, then the values. MNIST images are magic 2051 (0x00000803, 3 dims)
and labels magic 2049 (0x00000801, 1 dim). An ``.npz`` must hold ``x_train``, ``y_train``, ``x_test`` and
``y_test`` (Keras' layout) and is read with ``allow_pickle=False``, so loading never runs code.
Fashion-MNIST and KMNIST use the same files and load the same way.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "mnist.npz")
>>> x, y = np.zeros((3, 28, 28), np.uint8), np.array([7, 2, 1])
>>> np.savez(path, x_train=x, y_train=y, x_test=x[:1], y_test=y[:1])
>>> mnist = load_mnist(path)
>>> mnist.x_train.shape, mnist.x_train.dtype, mnist.y_test.tolist()
((3, 28, 28), dtype('float32'), [7])
"""

from __future__ import annotations

import gzip
import math
import zipfile
import zlib
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np

__all__ = ["DataFormatError", "MNISTData", "read_idx", "load_mnist"]

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_IMAGES_MAGIC, _LABELS_MAGIC = 0x803, 0x801
_SPLITS = {"train": "train", "test": "t10k"}
_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


class DataFormatError(ValueError):
    """A data file that cannot be read as its format says: bad magic, truncated, corrupt; names the path."""


@dataclass(frozen=True, eq=False)
class MNISTData:
    """Images (n, 28, 28) float32 in [0, 1] (or as stored, with ``scale=False``) and int64 labels (n,)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def _read_bytes(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        raise DataFormatError(f"{path}: corrupt or truncated gzip file ({error})") from error


def _read_idx(path: Path) -> tuple[int, np.ndarray]:
    """The file's magic number and its values as a native-endian array."""
    raw = _read_bytes(path)
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] not in _IDX_TYPES:
        raise DataFormatError(
            f"{path}: not an IDX file (the header must start with two zero bytes and a type code in "
            f"{sorted(_IDX_TYPES)}; found bytes {raw[:4].hex(' ') or 'none'})"
        )
    magic, ndim = int.from_bytes(raw[:4], "big"), raw[3]
    offset = 4 + 4 * ndim
    if len(raw) < offset:
        raise DataFormatError(f"{path}: truncated IDX header: {ndim} dims need {offset} bytes, the file has {len(raw)}")
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", ndim, 4))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = math.prod(shape) * dtype.itemsize
    if len(raw) - offset != expected:
        problem = "truncated IDX file" if len(raw) - offset < expected else "IDX file with trailing bytes"
        raise DataFormatError(
            f"{path}: {problem}: the header promises shape {shape} of {dtype.name} ({expected} bytes of data), "
            f"found {len(raw) - offset} bytes"
        )
    return magic, np.frombuffer(raw, dtype, offset=offset).astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def read_idx(path: str | PathLike[str]) -> np.ndarray:
    """The array stored in an IDX file (gzipped or raw), checked against its header.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
    >>> _ = path.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(path)
    array([7, 2, 1], dtype=uint8)
    """
    return _read_idx(Path(path))[1]


def _find(folder: Path, split: str, kind: str) -> Path:
    """``train-images-idx3-ubyte`` and its variants (``.gz``, ``train-images.idx3-ubyte``) in ``folder``."""
    dims = "idx3" if kind == "images" else "idx1"
    stem = f"{_SPLITS[split]}-{kind}"
    names = [f"{stem}{sep}{dims}-ubyte{gz}" for sep in ("-", ".") for gz in ("", ".gz")]
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"load_mnist: no {split} {kind} in {folder}: looked for {', '.join(names)}")


def _read_mnist_idx(path: Path, magic: int) -> np.ndarray:
    found, array = _read_idx(path)
    if found != magic:
        what = "images (unsigned bytes, 3 dims)" if magic == _IMAGES_MAGIC else "labels (unsigned bytes, 1 dim)"
        raise DataFormatError(f"{path}: expected MNIST {what}, magic {magic} (0x{magic:08x}); found magic {found}")
    return array


def _from_idx(folder: Path) -> tuple[np.ndarray, ...]:
    arrays = []
    for split in _SPLITS:
        arrays.append(_read_mnist_idx(_find(folder, split, "images"), _IMAGES_MAGIC))
        arrays.append(_read_mnist_idx(_find(folder, split, "labels"), _LABELS_MAGIC))
    return tuple(arrays)


def _from_npz(path: Path) -> tuple[np.ndarray, ...]:
    with path.open("rb") as file:  # our handle, so it is closed on any error
        if file.read(2) != b"PK":
            raise DataFormatError(f"{path}: not an .npz file (a zip of .npy arrays); for IDX files pass their folder")
        file.seek(0)
        try:
            with np.load(file, allow_pickle=False) as npz:
                missing = [key for key in _NPZ_KEYS if key not in npz.files]
                if missing:
                    raise DataFormatError(f"{path}: missing arrays {missing}; the file holds {sorted(npz.files)}")
                return tuple(npz[key] for key in _NPZ_KEYS)
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise DataFormatError(f"{path}: not a readable .npz file ({error})") from error
        except ValueError as error:  # an object array: refused, never unpickled
            if isinstance(error, DataFormatError):
                raise
            raise DataFormatError(f"{path}: cannot load without pickle ({error})") from error


def _checked(path: Path, arrays: tuple[np.ndarray, ...], scale: bool) -> MNISTData:
    out = []
    for split, (x, y) in zip(_SPLITS, (arrays[:2], arrays[2:])):
        if x.ndim != 3 or y.ndim != 1 or len(x) != len(y):
            raise DataFormatError(
                f"{path}: {split} images must be (n, height, width) and labels (n,), got {x.shape} and {y.shape}"
            )
        if y.dtype.kind not in "iu" or x.dtype.kind not in "iuf":
            raise DataFormatError(
                f"{path}: {split} images must be numeric and labels integers, got {x.dtype}, {y.dtype}"
            )
        images = x.astype(np.float32) if scale else x
        if scale and x.dtype == np.uint8:
            images /= 255.0
        out += [images, y.astype(np.int64)]
    return MNISTData(*out)


def load_mnist(path: str | PathLike[str], scale: bool = True) -> MNISTData:
    """MNIST from a folder of the four IDX files (``train-images-idx3-ubyte[.gz]``, ...) or an ``.npz`` file.

    ``scale=True`` gives float32 images, uint8 pixels divided by 255 into [0, 1]; ``scale=False`` keeps the
    stored images. Labels are int64. A missing, truncated or malformed file raises naming the path.
    """
    path = Path(path)
    if path.is_dir():
        return _checked(path, _from_idx(path), scale)
    if not path.is_file():
        raise FileNotFoundError(f"load_mnist: {path} is neither a folder of IDX files nor an .npz file")
    return _checked(path, _from_npz(path), scale)
