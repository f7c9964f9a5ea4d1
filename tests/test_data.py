"""autograd.data: datasets, DataLoader, collation and random_split against torch.utils.data; the dataset loaders."""

import collections
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tud
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.data import (
    ConcatDataset,
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    default_convert,
    random_split,
)

Point = collections.namedtuple("Point", "x label")


def _numpy(value):
    """A collated batch as nested plain structures of ndarrays, for either library."""
    if isinstance(value, (ag.Tensor, torch.Tensor)):
        return value.numpy()
    if isinstance(value, dict):
        return {k: _numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (
            type(value)(_numpy(v) for v in value) if not hasattr(value, "_fields") else type(value)(*map(_numpy, value))
        )
    return value


def _assert_same(ours, theirs):
    assert type(ours) is type(theirs) or isinstance(ours, np.ndarray), (ours, theirs)
    if isinstance(ours, np.ndarray):
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        np.testing.assert_array_equal(ours, theirs)
    elif isinstance(ours, dict):
        assert list(ours) == list(theirs)
        for key in ours:
            _assert_same(ours[key], theirs[key])
    elif isinstance(ours, (list, tuple)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
    else:
        assert ours == theirs


def _dataset(n=10, features=3):
    x = np.arange(n * features, dtype=np.float32).reshape(n, features)
    y = np.arange(n, dtype=np.int64) % 3
    return TensorDataset(ag.tensor(x), ag.tensor(y)), tud.TensorDataset(torch.tensor(x), torch.tensor(y))


def _labels(loader):
    return [y.numpy().tolist() for _, y in loader]


COLLATE_CASES = {
    "tensors": lambda lib: [(lib.ones(2, 3), 1), (lib.zeros(2, 3), 2)],
    "arrays_and_floats": lambda lib: [(np.ones(2, np.float64), 0.5), (np.zeros(2, np.float64), 1.5)],
    "bools": lambda lib: [True, False, True],
    "numpy_scalars": lambda lib: [np.float32(1.5), np.float32(2.5)],
    "numpy_ints": lambda lib: [np.int32(1), np.int32(2)],
    "dicts_with_strings": lambda lib: [{"x": 1.0, "name": "a"}, {"x": 2.0, "name": "b"}],
    "lists": lambda lib: [[1, 2.0], [3, 4.0]],
    "namedtuples": lambda lib: [Point(np.zeros(2, np.float32), 0), Point(np.ones(2, np.float32), 1)],
}


@pytest.mark.parametrize("case", COLLATE_CASES)
def test_default_collate_matches_torch(case):
    _assert_same(
        _numpy(default_collate(COLLATE_CASES[case](ag))), _numpy(tud.default_collate(COLLATE_CASES[case](torch)))
    )


@pytest.mark.parametrize("case", ["arrays_and_floats", "dicts_with_strings", "namedtuples"])
def test_default_convert_matches_torch(case):
    sample = COLLATE_CASES[case](ag)[0]
    _assert_same(_numpy(default_convert(sample)), _numpy(tud.default_convert(COLLATE_CASES[case](torch)[0])))


def test_default_collate_rejects_string_arrays():
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        default_collate([np.array(["a"]), np.array(["b"])])


def test_default_collate_rejects_samples_of_unequal_length_naming_sizes():
    with pytest.raises(RuntimeError, match=r"equal size, got sizes \[1, 2\]"):
        default_collate([[1], [1, 2]])


def test_default_collate_stacks_tensors_that_require_grad_into_the_graph():
    a, b = ag.ones(2, requires_grad=True), ag.ones(2, requires_grad=True)
    (default_collate([a, b]) * ag.tensor([[1.0], [2.0]])).sum().backward()
    assert a.grad.tolist() == [1.0, 1.0] and b.grad.tolist() == [2.0, 2.0]


def test_tensor_dataset_indexes_every_tensor_along_the_first_dim():
    ours, _ = _dataset()
    x, y = ours[4]
    assert x.tolist() == [12.0, 13.0, 14.0] and y.item() == 1 and len(ours) == 10


def test_tensor_dataset_rejects_mismatched_first_dims_naming_the_shapes():
    with pytest.raises(ValueError, match=r"Size mismatch.*\(3, 2\), \(4,\)"):
        TensorDataset(ag.zeros(3, 2), ag.zeros(4))


@pytest.mark.parametrize(("batch_size", "drop_last"), [(1, False), (3, False), (3, True), (5, True), (12, False)])
def test_dataloader_batches_in_order_match_torch(batch_size, drop_last):
    ours, theirs = _dataset()
    batches = list(DataLoader(ours, batch_size=batch_size, drop_last=drop_last))
    expected = list(tud.DataLoader(theirs, batch_size=batch_size, drop_last=drop_last))
    _assert_same(_numpy(batches), _numpy(expected))


@given(n=st.integers(0, 40), batch_size=st.integers(1, 12), drop_last=st.booleans())
def test_len_is_the_number_of_batches_as_torch(n, batch_size, drop_last):
    ours, theirs = _dataset(n)
    loader = DataLoader(ours, batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == len(tud.DataLoader(theirs, batch_size=batch_size, drop_last=drop_last)) == len(list(loader))


def test_labels_from_python_ints_collate_to_an_int64_tensor():
    samples = [(np.zeros(2, np.float32), label) for label in (0, 2, 1)]
    x, y = next(iter(DataLoader(samples, batch_size=3)))
    assert y.dtype == np.int64 and y.tolist() == [0, 2, 1] and x.dtype == np.float32


def test_shuffle_visits_every_sample_once_per_epoch():
    ours, _ = _dataset(10)
    labels = [x[:, 0] / 3 for x, _ in DataLoader(ours, batch_size=4, shuffle=True)]
    assert sorted(np.concatenate([t.numpy() for t in labels]).tolist()) == list(range(10))


def test_shuffle_draws_a_new_permutation_each_epoch():
    ours, _ = _dataset(30)
    loader = DataLoader(ours, batch_size=30, shuffle=True, generator=ag.Generator(0))
    first, second = (next(iter(loader))[0][:, 0].tolist() for _ in range(2))
    assert first != second


def test_shuffle_repeats_after_manual_seed():
    ours, _ = _dataset(30)
    loader = DataLoader(ours, batch_size=7, shuffle=True)
    ag.manual_seed(3)
    first = _labels(loader) + _labels(loader)
    ag.manual_seed(3)
    assert _labels(loader) + _labels(loader) == first


def test_shuffle_with_a_generator_repeats_and_ignores_the_default_generator():
    ours, _ = _dataset(30)
    first = _labels(DataLoader(ours, batch_size=7, shuffle=True, generator=ag.Generator(5)))
    ag.manual_seed(123)
    assert _labels(DataLoader(ours, batch_size=7, shuffle=True, generator=ag.Generator(5))) == first


def test_fast_path_gives_the_same_batches_as_per_sample_collation():
    ours, _ = _dataset(23)
    fast = DataLoader(ours, batch_size=5, shuffle=True, generator=ag.Generator(1))
    slow = DataLoader(ours, batch_size=5, shuffle=True, generator=ag.Generator(1), collate_fn=default_collate)
    _assert_same(_numpy(list(fast)), _numpy(list(slow)))


def test_fast_path_indexes_a_tensor_dataset_once_per_batch_not_per_sample():
    class Counting(TensorDataset):
        calls = 0

        def __getitem__(self, index):
            Counting.calls += 1
            return super().__getitem__(index)

    ours, _ = _dataset(20)
    batches = list(DataLoader(Subset(Counting(*ours.tensors), list(range(0, 20, 2))), batch_size=4))
    assert Counting.calls == 0 and [tuple(x.shape) for x, _ in batches] == [(4, 3), (4, 3), (2, 3)]
    assert batches[0][1].tolist() == [0, 2, 1, 0]


def test_collate_fn_receives_the_list_of_samples():
    seen = []
    list(DataLoader(range(5), batch_size=2, collate_fn=lambda batch: seen.append(batch)))
    assert seen == [[0, 1], [2, 3], [4]]


def test_batch_size_none_yields_single_converted_samples():
    samples = [(np.ones(2), 1), (np.zeros(2), 0)]
    items = list(DataLoader(samples, batch_size=None))
    assert len(items) == 2 and isinstance(items[0][0], ag.Tensor) and items[0][1] == 1


@pytest.mark.parametrize("batch_size", [0, -1, 2.0, True])
def test_bad_batch_size_raises_naming_the_value(batch_size):
    with pytest.raises(
        ValueError, match=f"batch_size should be a positive integer value, but got batch_size={batch_size}"
    ):
        DataLoader(range(3), batch_size=batch_size)


def test_bad_drop_last_raises_naming_the_value():
    with pytest.raises(ValueError, match="drop_last should be a boolean value, but got drop_last=1"):
        DataLoader(range(3), drop_last=1)


def test_batch_size_none_with_drop_last_raises():
    with pytest.raises(ValueError, match="mutually exclusive with drop_last"):
        DataLoader(range(3), batch_size=None, drop_last=True)


def test_negative_num_workers_raises():
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(range(3), num_workers=-1)


def test_shuffling_an_empty_dataset_raises_as_torch():
    with pytest.raises(ValueError, match="num_samples=0"):
        DataLoader([], shuffle=True)


@pytest.mark.parametrize(
    ("n", "fractions"), [(10, [0.3, 0.7]), (11, [0.5, 0.5]), (7, [0.2, 0.2, 0.6]), (150, [0.6, 0.2, 0.2]), (5, [1.0])]
)
def test_random_split_fraction_lengths_match_torch(n, fractions):
    ours = [len(part) for part in random_split(range(n), fractions)]
    assert ours == [len(part) for part in tud.random_split(range(n), fractions)]


def test_random_split_partitions_the_indices():
    parts = random_split(range(20), [5, 15], generator=ag.Generator(0))
    assert sorted(parts[0].indices + parts[1].indices) == list(range(20)) and len(parts[0]) == 5


def test_random_split_repeats_with_the_same_generator_seed():
    first = random_split(range(20), [0.5, 0.5], generator=ag.Generator(7))[0].indices
    assert random_split(range(20), [0.5, 0.5], generator=ag.Generator(7))[0].indices == first


def test_random_split_rejects_lengths_not_summing_to_the_dataset_length():
    with pytest.raises(ValueError, match=r"Sum of input lengths does not equal.*\(9 != 10\)"):
        random_split(range(10), [4, 5])


def test_random_split_rejects_a_fraction_outside_0_1():
    with pytest.raises(ValueError, match="Fraction at index 0 is not between 0 and 1"):
        random_split(range(10), [-0.5, 1.5])


def test_random_split_warns_on_an_empty_split():
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(1), [0.5, 0.5])


def test_subset_maps_an_index_to_the_dataset_index():
    sub = Subset(list("abcdef"), [5, 0, 3])
    assert (sub[0], sub[2], len(sub)) == ("f", "d", 3)


def test_subset_maps_a_list_index_elementwise():
    ours, _ = _dataset(6)
    x, y = Subset(ours, [5, 0, 4])[[2, 0]]
    assert x[:, 0].tolist() == [12.0, 15.0] and y.tolist() == [1, 2]


def test_concat_dataset_runs_through_each_dataset_in_turn():
    both = ConcatDataset([list("abc"), list("de")])
    assert [both[i] for i in range(len(both))] == list("abcde") and both[-1] == "e"


def test_dataset_plus_dataset_concatenates():
    ours, _ = _dataset(4)
    assert len(ours + ours) == 8 and (ours + ours)[5][1].item() == ours[1][1].item()


def test_dataset_base_requires_getitem():
    with pytest.raises(NotImplementedError, match="should implement __getitem__"):
        Dataset()[0]


def test_no_warnings_from_a_full_epoch():
    ours, _ = _dataset(9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(list(DataLoader(ours, batch_size=4, shuffle=True))) == 3
