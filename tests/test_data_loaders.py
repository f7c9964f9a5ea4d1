"""autograd.data's dataset loaders: Iris, digits and moons through scikit-learn; MNIST from IDX and npz files."""

import gzip
import re
import struct

import numpy as np
import pytest
import sklearn.datasets

from autograd.data import DataFormatError, load_digits, load_iris, load_mnist, make_moons, read_idx


def test_iris_is_150_float32_rows_of_4_features_with_int64_labels():
    iris = load_iris()
    assert (iris.X.shape, iris.X.dtype, iris.y.shape, iris.y.dtype) == ((150, 4), np.float32, (150,), np.int64)
    assert np.bincount(iris.y).tolist() == [50, 50, 50] and iris.feature_names[0] == "sepal length (cm)"


def test_iris_values_are_sklearns():
    np.testing.assert_array_equal(load_iris().X, sklearn.datasets.load_iris().data.astype(np.float32))


def test_digits_images_are_the_rows_of_x_as_8x8():
    digits = load_digits()
    assert digits.images.shape == (1797, 8, 8) and digits.images.dtype == np.float32
    np.testing.assert_array_equal(digits.images.reshape(-1, 64), digits.X)
    assert digits.target_names == tuple(str(d) for d in range(10)) and digits.X.max() == 16.0


def test_moons_has_the_requested_size_and_two_balanced_classes():
    moons = make_moons(60, noise=0.1, random_state=0)
    assert moons.X.shape == (60, 2) and moons.X.dtype == np.float32 and np.bincount(moons.y).tolist() == [30, 30]


def test_moons_repeat_with_the_same_random_state():
    np.testing.assert_array_equal(make_moons(20, 0.2, 3).X, make_moons(20, 0.2, 3).X)


@pytest.mark.parametrize("n_samples", [0, -5, 2.5])
def test_moons_rejects_a_bad_sample_count_naming_it(n_samples):
    with pytest.raises(ValueError, match=f"n_samples must be a positive integer, got {n_samples}"):
        make_moons(n_samples)


def test_moons_rejects_negative_noise():
    with pytest.raises(ValueError, match="noise must be a non-negative"):
        make_moons(10, noise=-0.1)


def test_to_dataset_gives_float32_samples_and_int64_labels():
    x, y = load_iris().to_dataset()[0]
    assert x.shape == (4,) and x.dtype == np.float32 and y.dtype == np.int64


# MNIST ----------------------------------------------------------------------------------------------------------


def _idx(array: np.ndarray, code: int = 0x08) -> bytes:
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _mnist_arrays(rng):
    images = {"train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8), "t10k": rng.integers(0, 256, (3, 28, 28))}
    images = {k: v.astype(np.uint8) for k, v in images.items()}
    labels = {"train": rng.integers(0, 10, 5).astype(np.uint8), "t10k": rng.integers(0, 10, 3).astype(np.uint8)}
    return images, labels


def _write_mnist(folder, rng, compress=False):
    images, labels = _mnist_arrays(rng)
    for split in ("train", "t10k"):
        for name, array in (
            (f"{split}-images-idx3-ubyte", images[split]),
            (f"{split}-labels-idx1-ubyte", labels[split]),
        ):
            data = _idx(array)
            (folder / (name + ".gz" if compress else name)).write_bytes(gzip.compress(data) if compress else data)
    return images, labels


@pytest.mark.parametrize("compress", [False, True])
def test_load_mnist_reads_the_four_idx_files(tmp_path, rng, compress):
    images, labels = _write_mnist(tmp_path, rng, compress)
    mnist = load_mnist(tmp_path)
    np.testing.assert_array_equal(mnist.x_train, images["train"].astype(np.float32) / 255)
    np.testing.assert_array_equal(mnist.y_test, labels["t10k"])
    assert mnist.x_test.dtype == np.float32 and mnist.y_train.dtype == np.int64


def test_load_mnist_without_scaling_keeps_uint8_pixels(tmp_path, rng):
    images, _ = _write_mnist(tmp_path, rng)
    mnist = load_mnist(tmp_path, scale=False)
    assert mnist.x_train.dtype == np.uint8
    np.testing.assert_array_equal(mnist.x_train, images["train"])


def test_load_mnist_reads_an_npz_in_keras_layout(tmp_path, rng):
    images, labels = _mnist_arrays(rng)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=images["train"], y_train=labels["train"], x_test=images["t10k"], y_test=labels["t10k"])
    mnist = load_mnist(path)
    np.testing.assert_array_equal(mnist.x_test * 255, images["t10k"].astype(np.float32))
    assert mnist.y_train.tolist() == labels["train"].tolist()


@pytest.mark.parametrize(("code", "dtype"), [(0x08, np.uint8), (0x0B, np.int16), (0x0C, np.int32), (0x0D, np.float32)])
def test_read_idx_decodes_each_big_endian_type(tmp_path, code, dtype):
    array = np.arange(-3, 9).reshape(3, 4).astype(dtype) if code != 0x08 else np.arange(12, dtype=dtype).reshape(3, 4)
    (tmp_path / "a.idx").write_bytes(_idx(array, code))
    result = read_idx(tmp_path / "a.idx")
    assert result.dtype == dtype and result.dtype.isnative
    np.testing.assert_array_equal(result, array)


def test_truncated_idx_file_raises_naming_the_path_and_sizes(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(_idx(np.zeros((2, 28, 28), np.uint8))[:-100])
    expected = re.escape(str(path)) + r": truncated IDX file.*\(2, 28, 28\).*1568 bytes.*found 1468"
    with pytest.raises(DataFormatError, match=expected):
        read_idx(path)


def test_truncated_idx_header_raises(tmp_path):
    (tmp_path / "h").write_bytes(bytes([0, 0, 8, 3, 0, 0]))
    with pytest.raises(DataFormatError, match="truncated IDX header: 3 dims need 16 bytes, the file has 6"):
        read_idx(tmp_path / "h")


def test_trailing_bytes_after_the_idx_data_raise(tmp_path):
    (tmp_path / "t").write_bytes(_idx(np.zeros(4, np.uint8)) + b"\x00")
    with pytest.raises(DataFormatError, match="trailing bytes"):
        read_idx(tmp_path / "t")


def test_a_file_that_is_not_idx_raises_showing_its_first_bytes(tmp_path):
    (tmp_path / "x").write_bytes(b"PNG\x00 not idx")
    with pytest.raises(DataFormatError, match=r"not an IDX file.*50 4e 47 00"):
        read_idx(tmp_path / "x")


def test_an_empty_file_is_not_idx(tmp_path):
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(DataFormatError, match=r"not an IDX file.*found bytes none"):
        read_idx(tmp_path / "empty")


def test_truncated_gzip_raises_naming_the_path(tmp_path):
    (tmp_path / "z.gz").write_bytes(gzip.compress(_idx(np.zeros(100, np.uint8)))[:-10])
    with pytest.raises(DataFormatError, match=r"z\.gz: corrupt or truncated gzip file"):
        read_idx(tmp_path / "z.gz")


def test_labels_where_images_belong_raise_naming_both_magic_numbers(tmp_path, rng):
    _write_mnist(tmp_path, rng)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(_idx(np.zeros(5, np.uint8)))
    with pytest.raises(DataFormatError, match=r"expected MNIST images.*magic 2051.*found magic 2049"):
        load_mnist(tmp_path)


def test_image_and_label_counts_must_agree(tmp_path, rng):
    _write_mnist(tmp_path, rng)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(_idx(np.zeros(4, np.uint8)))
    with pytest.raises(DataFormatError, match=r"test images must be .* got \(3, 28, 28\) and \(4,\)"):
        load_mnist(tmp_path)


def test_a_missing_idx_file_raises_listing_the_names_tried(tmp_path, rng):
    _write_mnist(tmp_path, rng)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match=r"no test labels in .*t10k-labels-idx1-ubyte\.gz"):
        load_mnist(tmp_path)


def test_a_missing_path_raises_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nope\.npz is neither a folder"):
        load_mnist(tmp_path / "nope.npz")


def test_npz_missing_arrays_raises_listing_what_it_holds(tmp_path):
    np.savez(tmp_path / "m.npz", x_train=np.zeros((1, 2, 2)), y_train=np.zeros(1, np.int64))
    with pytest.raises(DataFormatError, match=r"missing arrays \['x_test', 'y_test'\]; the file holds \['x_train'"):
        load_mnist(tmp_path / "m.npz")


def test_npz_with_a_pickled_object_array_is_refused_without_running_it(tmp_path):
    sentinel = tmp_path / "PWNED"

    class Payload:
        def __reduce__(self):
            return (sentinel.write_text, ("ran",))

    arrays = {k: np.zeros((1, 2, 2)) for k in ("x_train", "x_test")} | {"y_test": np.zeros(1, np.int64)}
    np.savez(tmp_path / "evil.npz", y_train=np.array([Payload()], dtype=object), **arrays)
    with pytest.raises(DataFormatError, match=r"evil\.npz: cannot load without pickle"):
        load_mnist(tmp_path / "evil.npz")
    assert not sentinel.exists()


def test_a_corrupt_npz_raises_naming_the_path(tmp_path):
    (tmp_path / "bad.npz").write_bytes(b"PK\x03\x04 broken zip")
    with pytest.raises(DataFormatError, match=r"bad\.npz: not a readable \.npz file"):
        load_mnist(tmp_path / "bad.npz")


def test_a_file_that_is_not_a_zip_is_not_an_npz(tmp_path, rng):
    _write_mnist(tmp_path, rng)
    with pytest.raises(DataFormatError, match=r"not an \.npz file.*for IDX files pass their folder"):
        load_mnist(tmp_path / "train-images-idx3-ubyte")
