"""median / nanmedian / kthvalue / mode / quantile / msort, nansum / nanmean / aminmax, cummax /
cummin / logcumsumexp, unique / unique_consecutive / bincount / histc / searchsorted / bucketize /
isin / diff: against numpy, torch (when installed) and finite differences."""
from __future__ import annotations

import numpy as np
import pytest

import pytensor
from pytensor.autograd import gradcheck

DTYPES = ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"]
NUM_DTYPES = [d for d in DTYPES if d != "bool"]


def _data(dtype, shape, rng, nans=False):
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype.startswith("float"):
        a = rng.integers(-4, 5, shape).astype(dtype)  # many ties
        if nans and a.size:
            a.flat[:: max(1, a.size // 3)] = np.nan
        return a
    return rng.integers(0 if dtype == "uint8" else -4, 5, shape).astype(dtype)


def _t(a):
    return pytensor.from_numpy(np.ascontiguousarray(a))


def _noncontig(a):
    """``a`` as a transposed (non-contiguous) pytensor view with the same values."""
    return _t(np.ascontiguousarray(a.T)).t()


# ---- median / nanmedian / kthvalue / mode ----------------------------------------------------------


@pytest.mark.parametrize("dtype", NUM_DTYPES)
@pytest.mark.parametrize("n", [1, 4, 7])
def test_median_is_the_lower_median(dtype, n):
    a = _data(dtype, (3, n), np.random.default_rng(n))
    for x in (_t(a), _noncontig(a)):
        v, i = pytensor.median(x, 1)
        want = np.sort(a, axis=1)[:, (n - 1) // 2]
        np.testing.assert_array_equal(v.numpy(), want)
        np.testing.assert_array_equal(np.take_along_axis(a, i.numpy()[:, None], 1)[:, 0], want)
        assert v.dtype == getattr(pytensor, dtype) and i.dtype == pytensor.int64
        assert pytensor.median(x).item() == np.sort(a.ravel())[(a.size - 1) // 2]
    if n % 2:  # odd counts: numpy's median is the same element
        np.testing.assert_array_equal(pytensor.median(_t(a), 1).values.numpy(), np.median(a, axis=1))


def test_median_nan_rules_match_torch():
    nan = float("nan")
    x = pytensor.tensor([[1.0, nan, nan, 2.0], [1.0, 2.0, 3.0, 4.0], [nan, nan, nan, nan]])
    v, i = x.median(1)
    np.testing.assert_array_equal(v.numpy(), [nan, 2.0, nan])
    np.testing.assert_array_equal(i.numpy(), [1, 1, 0])
    v, i = x.nanmedian(1)
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0, nan])
    np.testing.assert_array_equal(i.numpy(), [0, 1, 0])
    assert np.isnan(x.median().item())
    assert pytensor.nanmedian(x).item() == 2.0
    assert np.isnan(pytensor.median(pytensor.tensor([])).item())
    np.testing.assert_allclose(pytensor.nanmedian(pytensor.tensor([3.0, nan, 1.0, 2.0])).item(), 2.0)


def test_median_shapes_keepdim_and_errors():
    x = pytensor.arange(24, dtype=pytensor.float32).reshape(2, 3, 4)
    assert x.median(1, keepdim=True).values.shape == (2, 1, 4)
    assert x.median(-1).indices.shape == (2, 3)
    r = x.median(0)
    assert type(r).__name__ == "median" and r._fields == ("values", "indices")
    assert "pytensor.return_types.median(" in repr(r)
    s = pytensor.tensor(5.0)
    assert s.median(0).values.item() == 5.0 and s.median(-1).indices.item() == 0
    assert pytensor.zeros(0, 2).median(1).values.shape == (0,)
    with pytest.raises(IndexError, match=r"median\(\): Expected reduction dim 1 to have non-zero size"):
        pytensor.zeros(2, 0).median(1)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.median(3)
    with pytest.raises(NotImplementedError, match="\"median_cpu\" not implemented for 'Bool'"):
        pytensor.tensor([True]).median()
    with pytest.raises(TypeError):
        x.median(keepdim=True)


@pytest.mark.parametrize("dtype", NUM_DTYPES)
def test_kthvalue_against_numpy_sort(dtype):
    a = _data(dtype, (5, 6), np.random.default_rng(3))
    for dim in (0, 1, -1):
        for k in range(1, a.shape[dim] + 1):
            v, i = _t(a).kthvalue(k, dim)
            want = np.take(np.sort(a, axis=dim, kind="stable"), k - 1, axis=dim)
            np.testing.assert_array_equal(v.numpy(), want)
            got = np.take_along_axis(a, np.expand_dims(i.numpy(), dim), dim).squeeze(dim)
            np.testing.assert_array_equal(got, want)
    v, i = pytensor.kthvalue(_noncontig(a), 2, 0, True)
    assert v.shape == (1, 6)
    np.testing.assert_array_equal(v.numpy()[0], np.sort(a, axis=0)[1])


def test_kthvalue_nan_is_largest_and_errors():
    nan = float("nan")
    x = pytensor.tensor([[1.0, nan, 0.0, 2.0]])
    assert x.kthvalue(3).values.item() == 2.0
    assert np.isnan(x.kthvalue(4).values.item()) and x.kthvalue(4).indices.item() == 1
    assert pytensor.kthvalue(pytensor.tensor(5.0), 1).values.item() == 5.0
    with pytest.raises(RuntimeError, match=r"kthvalue\(\): selected number k out of range for dimension 1"):
        x.kthvalue(5)
    with pytest.raises(RuntimeError, match="out of range"):
        x.kthvalue(0)
    with pytest.raises(NotImplementedError, match="kthvalue_cpu"):
        pytensor.tensor([True]).kthvalue(1)


@pytest.mark.parametrize("dtype", DTYPES)
def test_mode_matches_torch(dtype):
    torch = pytest.importorskip("torch")
    # No NaN here: torch's CPU mode sorts with '<', so where NaNs land (and win) is unspecified.
    a = _data(dtype, (6, 9), np.random.default_rng(4))
    for dim in (0, 1):
        v, i = _t(a).mode(dim)
        tv, ti = torch.from_numpy(a.copy()).mode(dim)
        np.testing.assert_array_equal(v.numpy(), tv.numpy())
        np.testing.assert_array_equal(i.numpy(), ti.numpy())
    v, i = pytensor.mode(_noncontig(a), 0, keepdim=True)
    tv, ti = torch.from_numpy(a.copy()).mode(0, keepdim=True)
    np.testing.assert_array_equal(v.numpy(), tv.numpy())
    np.testing.assert_array_equal(i.numpy(), ti.numpy())


def test_mode_rules():
    r = pytensor.mode(pytensor.tensor([3.0, 1.0, 2.0, 1.0, 3.0, 2.0]))
    assert (r.values.item(), r.indices.item()) == (1.0, 3)  # smallest of the most frequent, last index
    r = pytensor.tensor([True, False, True]).mode()
    assert (r.values.item(), r.indices.item()) == (True, 2)
    with pytest.raises(IndexError, match=r"mode\(\): Expected reduction dim 0 to have non-zero size"):
        pytensor.tensor([]).mode()


def test_median_kthvalue_match_torch_values():
    torch = pytest.importorskip("torch")
    a = _data("float64", (7, 8), np.random.default_rng(5), nans=True)
    ours, theirs = _t(a), torch.from_numpy(a.copy())
    for dim in (0, 1):
        np.testing.assert_array_equal(ours.median(dim).values.numpy(), theirs.median(dim).values.numpy())
        np.testing.assert_array_equal(ours.nanmedian(dim).values.numpy(), theirs.nanmedian(dim).values.numpy())
        np.testing.assert_array_equal(ours.kthvalue(3, dim).values.numpy(), theirs.kthvalue(3, dim).values.numpy())
    b = _data("float64", (5, 7), np.random.default_rng(6))
    assert pytensor.median(_t(b)).item() == torch.median(torch.from_numpy(b)).item()


# ---- quantile --------------------------------------------------------------------------------------


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_quantile_against_numpy(interpolation, dtype):
    a = np.random.default_rng(7).standard_normal((4, 9)).astype(dtype)
    q = np.array([0.0, 0.1, 0.25, 0.5, 0.9, 1.0], dtype=dtype)
    tol = 1e-6 if dtype == "float64" else 1e-5
    for dim in (None, 0, 1):
        got = pytensor.quantile(_t(a), _t(q), dim, interpolation=interpolation)
        want = np.quantile(a, q, axis=dim, method=interpolation)
        assert got.shape == want.shape
        np.testing.assert_allclose(got.numpy(), want, rtol=tol, atol=tol)
        got = _noncontig(a).quantile(0.3, dim, keepdim=True, interpolation=interpolation)
        want = np.quantile(a, 0.3, axis=dim, method=interpolation, keepdims=True)
        assert got.shape == want.shape
        np.testing.assert_allclose(got.numpy(), want, rtol=tol, atol=tol)


def test_quantile_keepdim_with_q_tensor_and_nan():
    nan = float("nan")
    x = pytensor.tensor([[1.0, 3.0, 6.0], [6.0, nan, 10.0]])
    q = pytensor.tensor([0.4, 0.5])
    assert pytensor.quantile(x, q, dim=1, keepdim=True).shape == (2, 2, 1)
    r = pytensor.quantile(x, 0.5, dim=1)
    assert r[0].item() == 3.0 and np.isnan(r[1].item())
    np.testing.assert_allclose(pytensor.nanquantile(x, 0.5, dim=1).numpy(), [3.0, 8.0])
    assert np.isnan(pytensor.nanquantile(pytensor.tensor([nan, nan]), 0.5).item())
    np.testing.assert_allclose(pytensor.nanquantile(x, q).numpy(), np.nanquantile(x.numpy(), [0.4, 0.5]))


def test_quantile_errors():
    x = pytensor.tensor([1.0, 3.0])
    with pytest.raises(RuntimeError, match=r"quantile\(\) input tensor must be either float or double dtype"):
        pytensor.quantile(pytensor.tensor([1, 3]), 0.5)
    with pytest.raises(RuntimeError, match=r"q must be in the range \[0, 1\] but got 1.5"):
        x.quantile(1.5)
    with pytest.raises(RuntimeError, match="q values must be in the range"):
        x.quantile(pytensor.tensor([0.5, -0.1]))
    with pytest.raises(RuntimeError, match="interpolation must be one of linear"):
        x.quantile(0.5, interpolation="foo")
    with pytest.raises(RuntimeError, match="input tensor must be non-empty"):
        pytensor.tensor([]).quantile(0.5)
    with pytest.raises(RuntimeError, match="q tensor must be same dtype"):
        x.quantile(pytensor.tensor([0.5], dtype=pytensor.float64))
    with pytest.raises(RuntimeError, match="q must be a scalar or 1D tensor"):
        x.quantile(pytensor.tensor([[0.5]]))


def test_quantile_matches_torch():
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(8).standard_normal((3, 5, 6))
    a[1, 2, 3] = np.nan
    q = np.array([0.2, 0.75])
    for fn in ("quantile", "nanquantile"):
        for dim in (None, 1, -1):
            for keepdim in (False, True):
                got = getattr(pytensor, fn)(_t(a), _t(q), dim, keepdim)
                want = getattr(torch, fn)(torch.from_numpy(a), torch.from_numpy(q), dim, keepdim)
                assert tuple(got.shape) == tuple(want.shape)
                np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-12, equal_nan=True)


def test_msort():
    a = _data("int32", (5, 3), np.random.default_rng(9))
    np.testing.assert_array_equal(pytensor.msort(_t(a)).numpy(), np.sort(a, axis=0))
    np.testing.assert_array_equal(_noncontig(a).msort().numpy(), np.sort(a, axis=0))
    assert pytensor.msort(pytensor.tensor(3)).item() == 3


# ---- nansum / nanmean / aminmax --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", NUM_DTYPES)
def test_nansum_nanmean(dtype):
    a = _data(dtype, (4, 5), np.random.default_rng(10), nans=True)
    for dim in (None, 0, 1):
        got = pytensor.nansum(_t(a), dim)
        want = np.nansum(a, axis=dim)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6)
        want_dtype = getattr(pytensor, dtype) if dtype.startswith("float") else pytensor.int64
        assert got.dtype == want_dtype
        if dtype.startswith("float"):
            np.testing.assert_allclose(_noncontig(a).nanmean(dim).numpy(), np.nanmean(a, axis=dim), rtol=1e-6)
    if not dtype.startswith("float"):
        with pytest.raises(RuntimeError, match="nanmean\\(\\): expected input to have floating point"):
            pytensor.nanmean(_t(a))
    assert pytensor.nansum(_t(a), 1, keepdim=True).shape == (4, 1)


def test_nanmean_all_nan_and_dtype():
    nan = float("nan")
    x = pytensor.tensor([[1.0, nan], [nan, nan]])
    got = x.nanmean(1)
    assert got[0].item() == 1.0 and np.isnan(got[1].item())
    assert pytensor.nansum(x, dtype=pytensor.float64).dtype == pytensor.float64
    assert pytensor.nansum(pytensor.tensor([True, True])).item() == 2


@pytest.mark.parametrize("dtype", DTYPES)
def test_aminmax(dtype):
    a = _data(dtype, (4, 6), np.random.default_rng(11))
    r = pytensor.aminmax(_t(a))
    assert r._fields == ("min", "max")
    assert r.min.item() == a.min() and r.max.item() == a.max()
    r = _noncontig(a).aminmax(dim=1, keepdim=True)
    np.testing.assert_array_equal(r.min.numpy(), a.min(1, keepdims=True))
    np.testing.assert_array_equal(r.max.numpy(), a.max(1, keepdims=True))
    assert pytensor.aminmax(_t(a), keepdim=True).min.shape == (1, 1)
    with pytest.raises(RuntimeError, match="cannot compute aminmax over an empty dimension"):
        pytensor.aminmax(pytensor.tensor([]))


# ---- cummax / cummin / logcumsumexp ----------------------------------------------------------------


def _np_cumext(a, is_max):
    """Reference cummax/cummin along the last axis with torch's tie and NaN rules."""
    v, ix = np.empty_like(a), np.empty(a.shape, np.int64)
    for r in np.ndindex(a.shape[:-1]):
        best, at = a[r][0], 0
        for j, x in enumerate(a[r]):
            isn = isinstance(x, np.floating) and np.isnan(x)
            bn = isinstance(best, np.floating) and np.isnan(best)
            if isn or (not bn and (x >= best if is_max else x <= best)):
                best, at = x, j
            v[r + (j,)], ix[r + (j,)] = best, at
    return v, ix


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn", ["cummax", "cummin"])
def test_cummax_cummin(dtype, fn):
    a = _data(dtype, (4, 7), np.random.default_rng(12), nans=True)
    for dim in (0, 1):
        for x in (_t(a), _noncontig(a)):
            v, i = getattr(pytensor, fn)(x, dim)
            wv, wi = _np_cumext(np.moveaxis(a, dim, -1), fn == "cummax")
            np.testing.assert_array_equal(v.numpy(), np.moveaxis(wv, -1, dim))
            np.testing.assert_array_equal(i.numpy(), np.moveaxis(wi, -1, dim))
            assert v.dtype == getattr(pytensor, dtype) and i.dtype == pytensor.int64


def test_cummax_matches_torch():
    torch = pytest.importorskip("torch")
    a = _data("float32", (5, 8), np.random.default_rng(13), nans=True)
    for fn in ("cummax", "cummin"):
        for dim in (0, 1):
            v, i = getattr(_t(a), fn)(dim)
            tv, ti = getattr(torch.from_numpy(a.copy()), fn)(dim)
            np.testing.assert_array_equal(v.numpy(), tv.numpy())
            np.testing.assert_array_equal(i.numpy(), ti.numpy())
    r = pytensor.cummax(pytensor.tensor([1.0, 3.0, 3.0, 2.0, float("nan"), 1.0, float("nan"), 5.0]), 0)
    np.testing.assert_array_equal(r.indices.numpy(), [0, 1, 2, 2, 4, 4, 6, 6])
    assert type(r).__name__ == "cummax"


def test_cum_extreme_edges():
    assert pytensor.cummax(pytensor.tensor(2.0), 0).indices.item() == 0
    e = pytensor.cummin(pytensor.tensor([]), 0)
    assert e.values.shape == (0,) and e.indices.dtype == pytensor.int64
    with pytest.raises(IndexError, match="Dimension out of range"):
        pytensor.cummax(pytensor.zeros(2, 2), 2)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_logcumsumexp(dtype):
    a = (np.random.default_rng(14).standard_normal((3, 6)) * 30).astype(dtype)
    for dim in (0, 1):
        got = _noncontig(a).logcumsumexp(dim)
        want = np.logaddexp.accumulate(a.astype(np.float64), axis=dim)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5 if dtype == "float32" else 1e-12)
        assert got.dtype == getattr(pytensor, dtype)
    inf, nan = float("inf"), float("nan")
    got = pytensor.logcumsumexp(pytensor.tensor([-inf, -inf, 1.0, inf, 2.0, nan, 3.0]), 0)
    np.testing.assert_array_equal(got.numpy(), [-inf, -inf, 1.0, inf, inf, nan, nan])
    big = pytensor.logcumsumexp(pytensor.tensor([1000.0, 1000.0]), 0)
    np.testing.assert_allclose(big.numpy(), [1000.0, 1000.0 + np.log(2)])
    with pytest.raises(NotImplementedError, match="logcumsumexp_out_cpu\" not implemented for 'Long'"):
        pytensor.logcumsumexp(pytensor.tensor([1, 2]), 0)


# ---- unique / unique_consecutive -------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_unique_against_numpy(dtype):
    a = _data(dtype, (5, 6), np.random.default_rng(15))
    vals, inv, cnt = pytensor.unique(_noncontig(a), return_inverse=True, return_counts=True)
    wv, wi, wc = np.unique(a, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(vals.numpy(), wv)
    np.testing.assert_array_equal(inv.numpy(), wi.reshape(a.shape))
    np.testing.assert_array_equal(cnt.numpy(), wc)
    assert vals.dtype == getattr(pytensor, dtype) and inv.dtype == cnt.dtype == pytensor.int64
    np.testing.assert_array_equal(_t(a).unique().numpy(), wv)


def test_unique_nan_and_empty_and_dim():
    nan = float("nan")
    v, c = pytensor.unique(pytensor.tensor([3.0, nan, nan, 1.0]), return_counts=True)
    np.testing.assert_array_equal(v.numpy(), [1.0, 3.0, nan, nan])
    np.testing.assert_array_equal(c.numpy(), [1, 1, 1, 1])
    v, i, c = pytensor.unique(pytensor.tensor([]), return_inverse=True, return_counts=True)
    assert v.shape == (0,) and i.shape == (0,) and c.shape == (0,)
    a = np.array([[1, 2], [1, 2], [0, 5], [1, 0]])
    for dim in (0, 1):
        v, i, c = pytensor.unique(_t(a), dim=dim, return_inverse=True, return_counts=True)
        wv, wi, wc = np.unique(a, axis=dim, return_inverse=True, return_counts=True)
        np.testing.assert_array_equal(v.numpy(), wv)
        np.testing.assert_array_equal(i.numpy(), wi.ravel())
        np.testing.assert_array_equal(c.numpy(), wc)


def test_unique_consecutive():
    x = pytensor.tensor([1, 1, 2, 2, 3, 1, 1])
    v, i, c = pytensor.unique_consecutive(x, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(v.numpy(), [1, 2, 3, 1])
    np.testing.assert_array_equal(i.numpy(), [0, 0, 1, 1, 2, 3, 3])
    np.testing.assert_array_equal(c.numpy(), [2, 2, 1, 2])
    m = pytensor.tensor([[1, 1], [1, 1], [2, 3]])
    np.testing.assert_array_equal(m.unique_consecutive(dim=0).numpy(), [[1, 1], [2, 3]])
    # the two columns differ, so both stay; repeated columns collapse
    np.testing.assert_array_equal(m.unique_consecutive(dim=1).numpy(), [[1, 1], [1, 1], [2, 3]])
    np.testing.assert_array_equal(pytensor.tensor([[1, 1, 2], [3, 3, 4]]).unique_consecutive(dim=1).numpy(),
                                  [[1, 2], [3, 4]])
    v, c = pytensor.unique_consecutive(pytensor.tensor([1.0, float("nan"), float("nan")]), return_counts=True)
    np.testing.assert_array_equal(c.numpy(), [1, 1, 1])


def test_unique_matches_torch():
    torch = pytest.importorskip("torch")
    a = _data("int64", (4, 5), np.random.default_rng(16))
    for kw in ({}, {"dim": 0}, {"dim": 1}):
        ours = pytensor.unique(_t(a), return_inverse=True, return_counts=True, **kw)
        theirs = torch.unique(torch.from_numpy(a), return_inverse=True, return_counts=True, **kw)
        for o, t in zip(ours, theirs):
            np.testing.assert_array_equal(o.numpy(), t.numpy())
        ours = pytensor.unique_consecutive(_t(a), return_inverse=True, return_counts=True, **kw)
        theirs = torch.unique_consecutive(torch.from_numpy(a), return_inverse=True, return_counts=True, **kw)
        for o, t in zip(ours, theirs):
            np.testing.assert_array_equal(o.numpy(), t.numpy())


# ---- bincount / histc ------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
def test_bincount(dtype):
    a = np.random.default_rng(17).integers(0, 9, 40).astype(dtype)
    got = pytensor.bincount(_t(a))
    np.testing.assert_array_equal(got.numpy(), np.bincount(a))
    assert got.dtype == pytensor.int64
    w = np.random.default_rng(18).standard_normal(40)
    np.testing.assert_allclose(_t(a).bincount(_t(w), minlength=12).numpy(), np.bincount(a, w, minlength=12))
    got = pytensor.bincount(_t(a), _t(w.astype(np.float32)))
    assert got.dtype == pytensor.float32
    np.testing.assert_allclose(got.numpy(), np.bincount(a, w.astype(np.float32)), rtol=1e-5)
    assert pytensor.bincount(_t(a), _t(np.arange(40))).dtype == pytensor.float64
    strided = _t(a)[::2]
    np.testing.assert_array_equal(pytensor.bincount(strided).numpy(), np.bincount(a[::2]))


def test_bincount_edges_and_errors():
    e = pytensor.tensor([], dtype=pytensor.int64)
    assert pytensor.bincount(e).shape == (0,)
    np.testing.assert_array_equal(pytensor.bincount(e, minlength=3).numpy(), [0, 0, 0])
    with pytest.raises(RuntimeError, match="bincount only supports 1-d non-negative integral inputs"):
        pytensor.bincount(pytensor.tensor([0, -1]))
    with pytest.raises(RuntimeError, match="bincount only supports 1-d"):
        pytensor.bincount(pytensor.tensor([[0, 1]]))
    with pytest.raises(NotImplementedError, match="\"bincount_cpu\" not implemented for 'Float'"):
        pytensor.bincount(pytensor.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="weights should be 1-d and have the same length as input"):
        pytensor.bincount(pytensor.tensor([1, 2]), pytensor.tensor([1.0]))
    with pytest.raises(RuntimeError, match="minlength should be >= 0"):
        pytensor.bincount(pytensor.tensor([1, 2]), minlength=-1)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histc_against_numpy(dtype):
    a = np.random.default_rng(19).standard_normal(200).astype(dtype)
    got = pytensor.histc(_t(a), bins=7, min=-1.5, max=2.0)
    want, _ = np.histogram(a, bins=7, range=(-1.5, 2.0))
    np.testing.assert_array_equal(got.numpy(), want)
    assert got.dtype == getattr(pytensor, dtype)
    got = _t(a).histc(10)  # the data's range
    want, _ = np.histogram(a, bins=10)
    np.testing.assert_array_equal(got.numpy(), want)


def test_histc_rules_match_torch():
    nan = float("nan")
    np.testing.assert_array_equal(pytensor.histc(pytensor.tensor([1.0, 2, 1, 5, -1, nan]), 4, 0, 3).numpy(),
                                  [0, 2, 1, 0])
    np.testing.assert_array_equal(pytensor.histc(pytensor.tensor([1.0, 1.0]), bins=4).numpy(), [0, 0, 2, 0])
    np.testing.assert_array_equal(pytensor.histc(pytensor.tensor([]), bins=4).numpy(), [0, 0, 0, 0])
    np.testing.assert_array_equal(
        pytensor.histc(pytensor.tensor([1.0, 2.0], dtype=pytensor.float64), bins=3, min=3, max=3).numpy(),
        [1, 0, 1])
    with pytest.raises(NotImplementedError, match="\"histogram_cpu\" not implemented for 'Long'"):
        pytensor.histc(pytensor.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="bins must be > 0"):
        pytensor.histc(pytensor.tensor([1.0]), bins=0)
    with pytest.raises(RuntimeError, match="max must be larger than min"):
        pytensor.histc(pytensor.tensor([1.0]), bins=3, min=3, max=1)
    with pytest.raises(RuntimeError, match="is not finite"):
        pytensor.histc(pytensor.tensor([1.0, nan]), bins=3)


def test_histc_matches_torch():
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(20).standard_normal((30, 7)).astype(np.float32)
    for kw in ({"bins": 13}, {"bins": 5, "min": -1, "max": 1}):
        np.testing.assert_array_equal(pytensor.histc(_noncontig(a), **kw).numpy(),
                                      torch.histc(torch.from_numpy(a), **kw).numpy())


# ---- searchsorted / bucketize / isin ---------------------------------------------------------------


@pytest.mark.parametrize("dtype", NUM_DTYPES)
def test_searchsorted_against_numpy(dtype):
    rng = np.random.default_rng(21)
    seq = np.sort(_data(dtype, (12,), rng))
    vals = _data(dtype, (3, 5), rng)
    for side in ("left", "right"):
        got = pytensor.searchsorted(_t(seq), _noncontig(vals), side=side)
        np.testing.assert_array_equal(got.numpy(), np.searchsorted(seq, vals, side=side))
        assert got.dtype == pytensor.int64
    got = pytensor.searchsorted(_t(seq), _t(vals), right=True, out_int32=True)
    np.testing.assert_array_equal(got.numpy(), np.searchsorted(seq, vals, side="right"))
    assert got.dtype == pytensor.int32


def test_searchsorted_batched_sorter_scalar_and_nan():
    seq = pytensor.tensor([[1, 3, 5, 7], [2, 4, 6, 8]])
    vals = pytensor.tensor([[3, 6, 9], [1, 5, 8]])
    np.testing.assert_array_equal(pytensor.searchsorted(seq, vals).numpy(), [[1, 3, 4], [0, 2, 3]])
    np.testing.assert_array_equal(pytensor.searchsorted(seq.t().contiguous().t(), vals, right=True).numpy(),
                                  [[2, 3, 4], [0, 2, 4]])
    uns = pytensor.tensor([5, 1, 7, 3])
    got = pytensor.searchsorted(uns, pytensor.tensor([3, 6, 9]), sorter=pytensor.tensor([1, 3, 0, 2]))
    np.testing.assert_array_equal(got.numpy(), [1, 3, 4])
    seq2 = pytensor.tensor([[5, 1, 7, 3], [8, 2, 6, 4]])  # rows sort to [1, 3, 5, 7] and [2, 4, 6, 8]
    got = pytensor.searchsorted(seq2, pytensor.tensor([[3, 6], [1, 9]]), sorter=seq2.argsort(1), right=True)
    np.testing.assert_array_equal(got.numpy(), [[2, 3], [0, 4]])
    empty_rows = pytensor.zeros(2, 0, dtype=pytensor.int64)  # nothing to pass: every index is 0
    np.testing.assert_array_equal(pytensor.searchsorted(empty_rows, pytensor.ones(2, 3, dtype=pytensor.int64))
                                  .numpy(), np.zeros((2, 3)))
    assert pytensor.searchsorted(pytensor.tensor([], dtype=pytensor.int64), 4).item() == 0
    assert pytensor.searchsorted(pytensor.tensor([1, 3, 5, 7]), 4).item() == 2
    assert pytensor.searchsorted(pytensor.tensor([1, 3, 5, 7]), 4.5).item() == 2
    nan = float("nan")
    got = pytensor.searchsorted(pytensor.tensor([1.0, 3.0, 5.0, nan]), pytensor.tensor([3.0, nan, 9.0]))
    np.testing.assert_array_equal(got.numpy(), [1, 4, 4])
    np.testing.assert_array_equal(
        pytensor.searchsorted(pytensor.tensor([1, 3, 5, 7]), pytensor.tensor([3.0, 6.5])).numpy(), [1, 3])


def test_searchsorted_errors():
    seq = pytensor.tensor([1, 3, 5, 7])
    v = pytensor.tensor([3])
    with pytest.raises(RuntimeError, match="side can only be 'left' or 'right' but got foo"):
        pytensor.searchsorted(seq, v, side="foo")
    with pytest.raises(RuntimeError, match="side and right can't be set to opposites"):
        pytensor.searchsorted(seq, v, side="left", right=True)
    with pytest.raises(RuntimeError, match=r"boundaries tensor \[2, 2\] and input value tensor \[1\]"):
        pytensor.searchsorted(pytensor.tensor([[1, 2], [3, 4]]), v)
    with pytest.raises(RuntimeError, match="should have positive dimension"):
        pytensor.searchsorted(pytensor.tensor(1), v)
    with pytest.raises(RuntimeError, match="boundary and sorter must have the same size"):
        pytensor.searchsorted(seq, v, sorter=pytensor.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="sorter index out of range"):
        pytensor.searchsorted(seq, v, sorter=pytensor.tensor([0, 1, 2, 9]))
    with pytest.raises(RuntimeError, match="sorter must be a tensor of long dtype but got dtype Int"):
        pytensor.searchsorted(seq, v, sorter=pytensor.tensor([0, 1, 2, 3], dtype=pytensor.int32))


def test_searchsorted_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(22)
    seq = np.sort(rng.standard_normal((3, 10)), axis=1)
    vals = rng.standard_normal((3, 6))
    for right in (False, True):
        np.testing.assert_array_equal(
            pytensor.searchsorted(_t(seq), _t(vals), right=right).numpy(),
            torch.searchsorted(torch.from_numpy(seq), torch.from_numpy(vals), right=right).numpy())


def test_bucketize():
    b = pytensor.tensor([1, 3, 5, 7])
    x = pytensor.tensor([[3, 6], [9, 1]])
    np.testing.assert_array_equal(pytensor.bucketize(x, b).numpy(), [[1, 3], [4, 0]])
    np.testing.assert_array_equal(pytensor.bucketize(x, b, right=True).numpy(), [[2, 3], [4, 1]])
    assert pytensor.bucketize(4, b, right=True).item() == 2
    assert pytensor.bucketize(x, b, out_int32=True).dtype == pytensor.int32
    with pytest.raises(RuntimeError, match=r"boundaries tensor must be 1 dimension, but got dim\(2\)"):
        pytensor.bucketize(x, pytensor.tensor([[1, 3]]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_isin_against_numpy(dtype):
    rng = np.random.default_rng(23)
    a = _data(dtype, (4, 5), rng, nans=True)
    for m in (6, 300):  # few test elements are compared directly, many are sorted and searched
        t = _data(dtype, (m,), rng, nans=True)
        if dtype.startswith("float"):
            t = t * 3  # fewer hits, so misses are tested too
        for invert in (False, True):
            got = pytensor.isin(_noncontig(a), _t(t), invert=invert)
            np.testing.assert_array_equal(got.numpy(), np.isin(a, t, invert=invert))
            assert got.dtype == pytensor.bool


def test_isin_scalars_promotion_and_empty():
    np.testing.assert_array_equal(pytensor.isin(pytensor.tensor([[1, 2], [3, 4]]), 2, invert=True).numpy(),
                                  [[True, False], [True, True]])
    assert pytensor.isin(3, pytensor.tensor([2, 3])).item() is True
    np.testing.assert_array_equal(pytensor.isin(pytensor.tensor([1, 2]), pytensor.tensor([1.5, 2.0])).numpy(),
                                  [False, True])
    np.testing.assert_array_equal(pytensor.isin(pytensor.tensor([1, 2]), pytensor.tensor([], dtype=pytensor.int64))
                                  .numpy(), [False, False])
    assert pytensor.isin(pytensor.tensor([], dtype=pytensor.int64), pytensor.tensor([1])).shape == (0,)


# ---- diff ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_diff_against_numpy(dtype):
    a = _data(dtype, (4, 6), np.random.default_rng(24))
    for n in (0, 1, 2, 7):
        for dim in (0, 1, -1):
            got = pytensor.diff(_noncontig(a), n, dim)
            want = np.diff(a, n, axis=dim)
            np.testing.assert_array_equal(got.numpy(), want)
            assert got.dtype == getattr(pytensor, dtype)


def test_diff_prepend_append_and_errors():
    x = pytensor.tensor([1, 3, 6, 10])
    np.testing.assert_array_equal(x.diff(prepend=pytensor.tensor([0.0])).numpy(), [1.0, 2.0, 3.0, 4.0])
    m = pytensor.tensor([[1, 3], [6, 10]])
    np.testing.assert_array_equal(pytensor.diff(m, dim=0, append=pytensor.tensor([[1, 1]])).numpy(),
                                  np.diff(m.numpy(), axis=0, append=[[1, 1]]))
    with pytest.raises(RuntimeError, match="diff expects prepend or append to be the same dimension as input"):
        pytensor.diff(m, dim=0, append=pytensor.tensor([1, 1]))
    with pytest.raises(RuntimeError, match="diff expects input to be at least one-dimensional"):
        pytensor.diff(pytensor.tensor(3))
    with pytest.raises(RuntimeError, match="order must be non-negative but got -1"):
        pytensor.diff(x, n=-1)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-1, 0\], but got 3\)"):
        pytensor.diff(x, dim=3)


# ---- gradients ---------------------------------------------------------------------------------------


def _leaf(shape, seed, distinct=True):
    rng = np.random.default_rng(seed)
    a = rng.permutation(np.prod(shape)).reshape(shape).astype(np.float64) / 3.0 if distinct \
        else rng.standard_normal(shape)
    return pytensor.from_numpy(a).requires_grad_()


def test_order_statistic_gradients():
    x = _leaf((4, 5), 0)
    assert gradcheck(lambda t: t.median(1).values, (x,))
    assert gradcheck(lambda t: t.nanmedian(0, keepdim=True).values, (x,))
    assert gradcheck(lambda t: t.kthvalue(2, 1).values, (x,))
    assert gradcheck(lambda t: t.median(), (x,))
    assert gradcheck(lambda t: t.nanmedian(), (x,))
    assert gradcheck(lambda t: t.mode(1).values, (x,))
    assert x.median(1).values.grad_fn.name() == "MedianBackward1"
    assert x.median().grad_fn.name() == "MedianBackward0"
    assert x.nanmedian(0).values.grad_fn.name() == "NanmedianBackward1"
    assert x.kthvalue(1).values.grad_fn.name() == "KthvalueBackward0"
    assert x.mode().values.grad_fn.name() == "ModeBackward0"


def test_median_all_gradient_is_shared_among_ties():
    x = pytensor.tensor([1.0, 2.0, 2.0, 3.0, 2.0], requires_grad=True)
    x.median().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0, 1 / 3, 1 / 3, 0, 1 / 3])


def test_scan_gradients():
    x = _leaf((3, 6), 1)
    assert gradcheck(lambda t: t.cummax(1).values, (x,))
    assert gradcheck(lambda t: t.cummin(0).values, (x,))
    y = _leaf((3, 6), 2, distinct=False)
    assert gradcheck(lambda t: t.logcumsumexp(1), (y,))
    assert gradcheck(lambda t: t.logcumsumexp(0), (y,))
    assert x.cummax(0).values.grad_fn.name() == "CummaxBackward0"
    assert x.cummin(0).values.grad_fn.name() == "CumminBackward0"
    assert y.logcumsumexp(0).grad_fn.name() == "LogcumsumexpBackward0"


def test_logcumsumexp_gradient_matches_torch_for_large_values():
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(3).standard_normal((2, 7)) * 400
    g = np.random.default_rng(4).standard_normal((2, 7))
    x = pytensor.from_numpy(a.copy()).requires_grad_()
    x.logcumsumexp(1).backward(pytensor.from_numpy(g))
    tx = torch.from_numpy(a.copy()).requires_grad_()
    tx.logcumsumexp(1).backward(torch.from_numpy(g))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_reduction_and_quantile_gradients():
    x = _leaf((3, 5), 3)
    nan_x = pytensor.tensor([[1.0, float("nan"), 2.0], [0.5, 1.5, -1.0]], dtype=pytensor.float64,
                            requires_grad=True)
    assert gradcheck(lambda t: t.nansum(1), (nan_x,))
    assert gradcheck(lambda t: t.nanmean(), (nan_x,))
    assert nan_x.nansum(1).grad_fn.name() == "NansumBackward0"
    assert gradcheck(lambda t: t.nansum((0, 1), keepdim=True), (nan_x,))
    leaf = nan_x.detach().requires_grad_()
    pytensor.nansum(leaf, dtype=pytensor.float32).backward()
    assert leaf.grad.dtype == pytensor.float64
    np.testing.assert_array_equal(leaf.grad.numpy(), [[1, 0, 1], [1, 1, 1]])
    nan_x.nansum().backward()
    np.testing.assert_array_equal(nan_x.grad.numpy(), [[1, 0, 1], [1, 1, 1]])
    for interp in ("linear", "midpoint", "lower", "nearest"):
        assert gradcheck(lambda t, i=interp: t.quantile(pytensor.tensor([0.3, 0.8], dtype=pytensor.float64), 1,
                                                        interpolation=i), (x,))
    assert gradcheck(lambda t: t.nanquantile(0.4), (x,))
    assert gradcheck(lambda t: pytensor.diff(t, 2, 1), (x,))
    assert gradcheck(lambda t: pytensor.msort(t), (x,))
    assert gradcheck(lambda t: pytensor.aminmax(t, dim=0).max, (x,))


def test_nanmedian_empty_dim_error_names_median_as_torch():
    with pytest.raises(IndexError, match=r"median\(\): Expected reduction dim 1 to have non-zero size"):
        pytensor.zeros(2, 0).nanmedian(1)


# ---- CUDA: the compositions run there; the C++ kernels here are CPU only --------------------------

needs_cuda = pytest.mark.skipif(pytensor._C._cuda_device_count() == 0, reason="needs a CUDA GPU")


@needs_cuda
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8"])
def test_cuda_compositions_match_cpu(dtype):
    a = _data(dtype, (5, 7), np.random.default_rng(30), nans=True)
    cpu = _t(a)
    for x in (cpu.to("cuda"), cpu.to("cuda").t().contiguous().t()):
        for dim in (0, 1):
            np.testing.assert_array_equal(pytensor.diff(x, 2, dim).cpu().numpy(), pytensor.diff(cpu, 2, dim).numpy())
            np.testing.assert_allclose(pytensor.nansum(x, dim).cpu().numpy(), pytensor.nansum(cpu, dim).numpy(),
                                       rtol=1e-6)
            r, c = pytensor.aminmax(x, dim=dim), pytensor.aminmax(cpu, dim=dim)
            np.testing.assert_array_equal(r.min.cpu().numpy(), c.min.numpy())
            np.testing.assert_array_equal(r.max.cpu().numpy(), c.max.numpy())
            if dtype.startswith("float"):
                np.testing.assert_allclose(pytensor.nanmean(x, dim).cpu().numpy(),
                                           pytensor.nanmean(cpu, dim).numpy(), rtol=1e-6)
        app = pytensor.zeros(5, 1, dtype=x.dtype).to("cuda")
        np.testing.assert_array_equal(pytensor.diff(x, append=app).cpu().numpy(),
                                      pytensor.diff(cpu, append=app.cpu()).numpy())


@needs_cuda
def test_cuda_tensors_raise_not_implemented():
    x = pytensor.tensor([1.0, 2.0]).to("cuda")
    for fn in (lambda: x.median(), lambda: x.kthvalue(1), lambda: x.cummax(0), lambda: x.logcumsumexp(0),
               lambda: pytensor.bincount(pytensor.tensor([1]).to("cuda")), lambda: x.histc()):
        with pytest.raises(NotImplementedError, match="not implemented for CUDA tensors in pytensor"):
            fn()
