"""sort / argsort / topk against numpy (stable order, NaN last ascending) and torch."""
from __future__ import annotations

import numpy as np
import pytest

import pytensor

DTYPES = ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"]


def _data(dtype, shape, rng):
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith("float"):
        a = rng.integers(-4, 5, shape).astype(dtype)  # many ties
        a.flat[:: max(1, a.size // 3)] = np.nan
        return a
    return rng.integers(0 if dtype == "uint8" else -4, 5, shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sort_ascending_is_numpys_stable_sort(dtype, dim):
    a = _data(dtype, (7, 9), np.random.default_rng(0))
    values, indices = pytensor.sort(pytensor.from_numpy(a), dim)
    want_idx = np.argsort(a, axis=dim, kind="stable")
    np.testing.assert_array_equal(indices.numpy(), want_idx)
    np.testing.assert_array_equal(values.numpy(), np.take_along_axis(a, want_idx, dim))
    assert indices.dtype == pytensor.int64 and values.dtype == getattr(pytensor, dtype)
    assert values.is_contiguous() and indices.is_contiguous()
    np.testing.assert_array_equal(pytensor.from_numpy(a).argsort(dim).numpy(), want_idx)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sort_descending_and_topk_match_torch(dtype):
    torch = pytest.importorskip("torch")
    a = _data(dtype, (6, 11), np.random.default_rng(1))
    ours, theirs = pytensor.from_numpy(a), torch.from_numpy(a.copy())
    for dim in (0, 1):
        v, i = ours.sort(dim, descending=True)
        tv, ti = theirs.sort(stable=True, dim=dim, descending=True)
        np.testing.assert_array_equal(v.numpy(), tv.numpy())
        np.testing.assert_array_equal(i.numpy(), ti.numpy())
        if dtype == "bool":  # as torch
            with pytest.raises(RuntimeError, match="topk does not support bool"):
                ours.topk(1, dim)
            continue
        for k in (0, 1, 3, a.shape[dim]):
            for largest in (True, False):
                v, i = ours.topk(k, dim, largest)
                tv, ti = theirs.topk(k, dim, largest)
                np.testing.assert_array_equal(v.numpy(), tv.numpy())
                # Tied values may come from different positions; each index must hold its value.
                np.testing.assert_array_equal(np.take_along_axis(a, i.numpy(), dim), v.numpy())


def test_topk_picks_extremes_and_checks_k():
    x = pytensor.tensor([[3.0, 1.0, 2.0], [0.5, 5.0, 4.0]])
    v, i = x.topk(2, 1)
    assert v.tolist() == [[3.0, 2.0], [5.0, 4.0]] and i.tolist() == [[0, 2], [1, 2]]
    assert repr(pytensor.topk(x, 1, 0, largest=False)).startswith("pytensor.return_types.topk(\nvalues=")
    for k in (4, -1):
        with pytest.raises(RuntimeError, match="selected index k out of range"):
            x.topk(k)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.sort(dim=2)
    assert pytensor.tensor(5.0).sort() == (pytensor.tensor(5.0), pytensor.tensor(0))
    v, i = pytensor.zeros(2, 0).sort(1)
    assert v.shape == (2, 0) and i.shape == (2, 0)


def test_sort_and_topk_gradients_go_back_to_their_positions():
    x = pytensor.tensor([[3.0, 1.0, 2.0], [0.5, 5.0, 4.0]], requires_grad=True)
    v, _ = x.topk(2, 1)
    assert v.grad_fn.name() == "TopkBackward0"
    (v * pytensor.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0, 2.0], [0.0, 3.0, 4.0]]
    x = pytensor.randn(4, 5, dtype=pytensor.float64, requires_grad=True)
    assert x.sort(0, descending=True)[0].grad_fn.name() == "SortBackward0"
    assert pytensor.autograd.gradcheck(lambda t: t.sort(0)[0] * t.topk(2, 1)[0].sum(), (x,))


# ---- the key-mapped radix/heap paths: every dtype, odd values, every row length class ------

def _odd_data(dtype, n, rng):
    """Ties, extremes, and for floats NaN (both signs), -0.0/0.0 and infinities."""
    if dtype == "bool":
        return rng.integers(0, 2, n).astype(bool)
    if dtype.startswith("float"):
        pool = np.array([np.nan, -np.nan, -0.0, 0.0, np.inf, -np.inf, 1.5, -1.5, 2.0,
                         np.finfo(dtype).max, np.finfo(dtype).tiny, -np.finfo(dtype).tiny], dtype)
        a = rng.standard_normal(n).astype(dtype)
        pick = rng.random(n) < 0.5
        a[pick] = rng.choice(pool, int(pick.sum()))
        return a
    info = np.iinfo(dtype)
    if rng.random() < 0.5:  # full range: every radix byte differs
        a = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    else:  # small range: most radix passes are skipped
        a = rng.integers(max(info.min, -3), 4, n).astype(dtype)
    a[: min(n, 2)] = [info.min, info.max][: min(n, 2)]
    return a


def _bits(a):
    return a.view(f"u{a.itemsize}") if a.dtype.kind == "f" else a


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0, 1, 2, 10, 511, 512, 513, 3000, 65536, 70000, 70001])
def test_sort_every_length_is_stable_and_bit_exact(dtype, n):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(n)
    a = _odd_data(dtype, n, rng)
    x = pytensor.from_numpy(a)
    v, i = x.sort()
    want = np.argsort(a, kind="stable")  # NaN last, -0.0 == 0.0, ties by position
    np.testing.assert_array_equal(i.numpy(), want)
    np.testing.assert_array_equal(_bits(v.numpy()), _bits(a[want]))  # -0.0 and NaN signs kept
    v, i = x.sort(descending=True)
    tv, ti = torch.from_numpy(a.copy()).sort(descending=True, stable=True)
    np.testing.assert_array_equal(i.numpy(), ti.numpy())
    np.testing.assert_array_equal(_bits(v.numpy()), _bits(a[ti.numpy()]))


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != "bool"])
def test_topk_is_the_stable_sorts_first_k(dtype):
    torch = pytest.importorskip("torch")
    n = 5000
    a = _odd_data(dtype, n, np.random.default_rng(7))
    x, t = pytensor.from_numpy(a), torch.from_numpy(a.copy())
    asc = np.argsort(a, kind="stable")
    desc = t.sort(descending=True, stable=True)[1].numpy()
    for k in (1, 5, 78, 79, 600, 625, 626, 4999, 5000):  # heap, selection and full-sort paths
        v, i = x.topk(k, largest=True)
        np.testing.assert_array_equal(i.numpy(), desc[:k])
        np.testing.assert_array_equal(v.numpy(), t.topk(k, largest=True)[0].numpy())
        v, i = x.topk(k, largest=False)
        np.testing.assert_array_equal(i.numpy(), asc[:k])
        np.testing.assert_array_equal(v.numpy(), t.topk(k, largest=False)[0].numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int16", "uint8"])
def test_sort_many_rows_both_dims_matches_torch(dtype):
    torch = pytest.importorskip("torch")
    a = _odd_data(dtype, 300 * 700, np.random.default_rng(3)).reshape(300, 700)
    x, t = pytensor.from_numpy(a), torch.from_numpy(a.copy())
    for dim in (0, 1):
        for desc in (False, True):
            v, i = x.sort(dim, descending=desc)
            tv, ti = t.sort(dim=dim, descending=desc, stable=True)
            np.testing.assert_array_equal(i.numpy(), ti.numpy())
            np.testing.assert_array_equal(_bits(v.numpy()), _bits(tv.numpy()))
        v, i = x.topk(5, dim)
        np.testing.assert_array_equal(i.numpy(), t.sort(dim=dim, descending=True, stable=True)[1].numpy()
                                      .take(range(5), axis=dim))
