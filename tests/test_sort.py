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
