"""pytensor.utils.data: datasets, samplers, default collate and the DataLoader, with shuffle
orders compared to torch's for the same seed."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import pytensor
import pytensor.random as R
from pytensor.utils.data import (BatchSampler, DataLoader, Dataset, IterableDataset,
                                 RandomSampler, SequentialSampler, Subset, TensorDataset,
                                 default_collate, random_split)

from conftest import assert_close, to_numpy


def _indices(batches):
    return [to_numpy(b[0]).tolist() for b in batches]


def test_tensor_dataset():
    x = pytensor.arange(0, 12, 1).reshape(6, 2)
    y = pytensor.arange(0, 6, 1)
    ds = TensorDataset(x, y)
    assert len(ds) == 6
    a, b = ds[2]
    assert to_numpy(a).tolist() == [4, 5] and b.item() == 2
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(x, pytensor.zeros(5))


def test_loader_sequential_batches():
    x = pytensor.arange(0, 20, 1).reshape(10, 2).float()
    y = pytensor.arange(0, 10, 1)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and len(batches) == 3
    assert [to_numpy(b[1]).tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert isinstance(batches[0], list) and batches[0][0].dtype == pytensor.float32
    assert tuple(batches[0][0].shape) == (4, 2)
    assert to_numpy(batches[2][0]).tolist() == [[16.0, 17.0], [18.0, 19.0]]
    dropped = DataLoader(TensorDataset(x, y), batch_size=4, drop_last=True)
    assert len(dropped) == 2 and [len(b[1]) for b in dropped] == [4, 4]


def test_batches_do_not_alias_the_dataset():
    x = pytensor.zeros(4, 2)
    batch = next(iter(DataLoader(TensorDataset(x), batch_size=2)))[0]
    batch.fill_(5.0)
    assert to_numpy(x).sum() == 0


@pytest.mark.parametrize("n,batch_size,drop_last", [(10, 3, False), (17, 4, True), (64, 64, False),
                                                    (100, 7, False)])
def test_shuffle_order_matches_torch(torch, n, batch_size, drop_last):
    ours = DataLoader(TensorDataset(pytensor.arange(0, n, 1)), batch_size=batch_size,
                      shuffle=True, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(n)),
                                         batch_size=batch_size, shuffle=True,
                                         drop_last=drop_last)
    R.manual_seed(0)
    torch.manual_seed(0)
    for _ in range(3):
        assert _indices(ours) == [b[0].tolist() for b in theirs]
        # draws between epochs must keep both generators in step
        np.testing.assert_array_equal(to_numpy(R.randn(3)), torch.randn(3).numpy())


def test_shuffle_with_generator_matches_torch(torch):
    g = R.Generator().manual_seed(123)
    tg = torch.Generator().manual_seed(123)
    ours = DataLoader(TensorDataset(pytensor.arange(0, 30, 1)), batch_size=8, shuffle=True,
                      generator=g)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(30)),
                                         batch_size=8, shuffle=True, generator=tg)
    R.manual_seed(5)
    torch.manual_seed(5)
    for _ in range(3):
        assert _indices(ours) == [b[0].tolist() for b in theirs]
    # the default generator was not touched by the loader
    np.testing.assert_array_equal(to_numpy(R.rand(4)), torch.rand(4).numpy())


def test_shuffle_matches_rng_helper():
    # rng.md 4.3 as implemented by pytensor.random
    n = 50
    R.manual_seed(9)
    expected = R._dataloader_epoch_permutation(n)
    R.manual_seed(9)
    loader = DataLoader(TensorDataset(pytensor.arange(0, n, 1)), batch_size=n, shuffle=True)
    assert _indices(loader) == [expected]


def test_random_sampler_replacement_and_num_samples(torch):
    data = list(range(40))
    R.manual_seed(3)
    torch.manual_seed(3)
    for kwargs in ({"replacement": True}, {"replacement": True, "num_samples": 70},
                   {"num_samples": 90}):
        assert list(RandomSampler(data, **kwargs)) == \
            list(torch.utils.data.RandomSampler(data, **kwargs))
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        RandomSampler(data, num_samples=0)


def test_random_split_matches_torch(torch):
    R.manual_seed(4)
    torch.manual_seed(4)
    parts = random_split(list(range(20)), [0.5, 0.3, 0.2])
    tparts = torch.utils.data.random_split(list(range(20)), [0.5, 0.3, 0.2])
    assert [list(p) for p in parts] == [list(p) for p in tparts]
    g, tg = R.Generator().manual_seed(8), torch.Generator().manual_seed(8)
    assert [p.indices for p in random_split(range(10), [3, 7], generator=g)] == \
        [p.indices for p in torch.utils.data.random_split(range(10), [3, 7], generator=tg)]
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        random_split(range(10), [3, 3])


def test_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    assert list(BatchSampler(range(7), 3, False)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(BatchSampler(range(7), 3, True)) == [[0, 1, 2], [3, 4, 5]]
    assert len(BatchSampler(range(7), 3, False)) == 3
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        BatchSampler(range(3), 0, False)
    sub = Subset(list("abcdef"), [5, 0, 2])
    assert [sub[i] for i in range(len(sub))] == ["f", "a", "c"]


class _Pairs(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return {"x": np.full(3, i, dtype=np.float32), "label": i, "w": i * 0.5, "name": f"s{i}"}


def test_dict_dataset_collate(torch):
    ours = next(iter(DataLoader(_Pairs(5), batch_size=4)))
    theirs = next(iter(torch.utils.data.DataLoader(_Pairs(5), batch_size=4)))
    assert list(ours) == list(theirs)
    assert_close(ours["x"], theirs["x"])
    assert_close(ours["label"], theirs["label"])
    assert_close(ours["w"], theirs["w"])
    assert ours["name"] == theirs["name"]


def test_default_collate_rules(torch):
    Point = namedtuple("Point", "a b")
    cases = [
        [pytensor.tensor([1.0, 2.0]), pytensor.tensor([3.0, 4.0])],
        [1, 2, 3], [1.5, 2.5], [True, False],
        [(1, 2.0), (3, 4.0)], [[1, 2], [3, 4]],
        [np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)],
        [np.float32(1.5), np.float32(2.5)],
    ]
    tcases = [
        [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])],
        [1, 2, 3], [1.5, 2.5], [True, False],
        [(1, 2.0), (3, 4.0)], [[1, 2], [3, 4]],
        [np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)],
        [np.float32(1.5), np.float32(2.5)],
    ]
    tc = torch.utils.data.default_collate
    for ours, theirs in zip(cases, tcases):
        a, b = default_collate(ours), tc(theirs)
        if isinstance(b, list):
            assert isinstance(a, list) and len(a) == len(b)
            for x, y in zip(a, b):
                assert_close(x, y)
        else:
            assert_close(a, b)
    nt = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert isinstance(nt, Point) and to_numpy(nt.a).tolist() == [1, 3]
    assert default_collate(["a", "b"]) == ["a", "b"]
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors, numpy "
                                        "arrays, numbers, dicts or lists; found"):
        default_collate([object(), object()])
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal "
                                           "size"):
        default_collate([[1, 2], [3]])


def test_batch_size_none_and_custom_collate():
    ds = TensorDataset(pytensor.arange(0, 4, 1))
    items = list(DataLoader(ds, batch_size=None))
    assert len(items) == 4 and isinstance(items[0], list) and items[0][0].item() == 0
    sums = list(DataLoader(list(range(6)), batch_size=2, collate_fn=sum))
    assert sums == [1, 5, 9]


class _Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


def test_iterable_dataset():
    loader = DataLoader(_Stream(7), batch_size=3)
    assert [to_numpy(b).tolist() for b in loader] == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(loader) == 3
    dropped = DataLoader(_Stream(7), batch_size=3, drop_last=True)
    assert [to_numpy(b).tolist() for b in dropped] == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="expected unspecified shuffle option"):
        DataLoader(_Stream(3), shuffle=True)


def test_loader_argument_errors():
    ds = TensorDataset(pytensor.zeros(4))
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(ds, batch_sampler=BatchSampler(range(4), 2, False), batch_size=2)
    with pytest.raises(ValueError, match="batch_size=None option disables auto-batching"):
        DataLoader(ds, batch_size=None, drop_last=True)
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(ds, num_workers=-1)
    loader = DataLoader(ds)
    with pytest.raises(ValueError, match="batch_size attribute should not be set after "
                                         "DataLoader is initialized"):
        loader.batch_size = 3


def test_custom_batch_sampler():
    ds = TensorDataset(pytensor.arange(0, 6, 1))
    loader = DataLoader(ds, batch_sampler=[[5, 0], [1, 2, 3]])
    assert _indices(loader) == [[5, 0], [1, 2, 3]]
