"""Reductions, scans and softmax: property tests against numpy over random shapes, dims, dtypes
and layouts (contiguous and permuted views), explicit parity cases against real torch (result
dtypes, tie and NaN rules, corrections, norms, errors), accuracy of large float32 sums, and
independence of the thread count."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pytensor
from conftest import ALL_DTYPES, FLOAT_DTYPES, NP_OF, assert_close, to_numpy

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---- strategies ---------------------------------------------------------------------------------

@st.composite
def arrays(draw, dtypes=ALL_DTYPES, max_dims=4, min_side=0, max_side=5, nan=False, small=False):
    """(tensor, numpy array of the same values and layout): a random shape up to 4-D, values
    from a small set (so ties happen), sometimes a permuted (non-contiguous) view."""
    dtype = draw(st.sampled_from(dtypes))
    shape = tuple(draw(st.lists(st.integers(min_side, max_side), min_size=0, max_size=max_dims)))
    n = int(np.prod(shape)) if shape else 1
    if dtype == pytensor.bool:
        vals = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    elif dtype == pytensor.uint8:
        vals = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    elif not dtype.is_floating_point:
        vals = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    else:
        pool = [0.5, 0.75, 1.0, 1.25, 1.5] if small else [-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.25]
        if nan:
            pool = pool + [math.nan, math.inf, -math.inf]
        vals = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    a = np.array(vals, dtype=NP_OF[dtype]).reshape(shape)
    t = pytensor.tensor(a)
    if len(shape) > 1 and draw(st.booleans()):
        perm = draw(st.permutations(range(len(shape))))
        a = a.transpose(perm)
        t = t.permute(*perm)
    return t, a


@st.composite
def dims_of(draw, ndim, allow_none=True):
    """None, or a non-empty tuple of distinct dims (some negative) of an ndim-D tensor."""
    if ndim == 0:
        return draw(st.sampled_from([None, 0, -1, (0,)] if allow_none else [0, -1, (0,)]))
    if allow_none and draw(st.booleans()):
        return None
    picked = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    picked = [d - ndim if draw(st.booleans()) else d for d in picked]
    if len(picked) == 1 and draw(st.booleans()):
        return picked[0]
    return tuple(picked)


def np_axis(dims, ndim):
    if dims is None or ndim == 0:
        return None
    return tuple(d % ndim for d in (dims if isinstance(dims, tuple) else (dims,)))


def reduced_size(a, axis):
    if axis is None:
        return a.size
    return int(np.prod([a.shape[d] for d in axis]))


def wide(a):
    """numpy's accumulation dtype for torch's rules: int64 for bool/ints, float64 for floats."""
    return np.int64 if a.dtype.kind in "biu" else np.float64


FTOL = {pytensor.float32: 2e-5, pytensor.float64: 1e-12}


def close(t, ref, dtype, rtol=None):
    tol = rtol if rtol is not None else FTOL.get(dtype, 0)
    assert_close(t, np.asarray(ref).astype(NP_OF[dtype]), rtol=tol, atol=tol, dtype=dtype)


# ---- property tests against numpy ----------------------------------------------------------------

@SETTINGS
@given(data=st.data())
def test_sum_mean_matches_numpy(data):
    t, a = data.draw(arrays())
    dims = data.draw(dims_of(a.ndim))
    keepdim = data.draw(st.booleans())
    axis = np_axis(dims, a.ndim)
    out_dtype = pytensor.int64 if not t.dtype.is_floating_point else t.dtype
    close(t.sum(dims, keepdim), np.sum(a, axis=axis, keepdims=keepdim, dtype=wide(a)), out_dtype)
    close(pytensor.sum(t, dim=dims, keepdim=keepdim), np.sum(a, axis=axis, keepdims=keepdim,
                                                             dtype=wide(a)), out_dtype)
    if t.dtype.is_floating_point:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = np.mean(a.astype(np.float64), axis=axis, keepdims=keepdim)
        close(t.mean(dims, keepdim), ref, t.dtype)
    close(t.count_nonzero(dims) if dims is not None else pytensor.count_nonzero(t),
          np.count_nonzero(a, axis=axis), pytensor.int64)


@SETTINGS
@given(data=st.data())
def test_prod_matches_numpy(data):
    t, a = data.draw(arrays(small=True, max_side=4))
    dims = data.draw(dims_of(a.ndim))
    if isinstance(dims, tuple):  # torch's prod takes one dim; the kernel any set
        with pytest.raises(TypeError):
            t.prod(dims)
        dims = dims[0]
    keepdim = data.draw(st.booleans())
    axis = np_axis(dims, a.ndim)
    out_dtype = pytensor.int64 if not t.dtype.is_floating_point else t.dtype
    close(t.prod(dims, keepdim), np.prod(a, axis=axis, keepdims=keepdim, dtype=wide(a)),
          out_dtype, rtol=1e-5 if t.dtype == pytensor.float32 else None)


@SETTINGS
@given(data=st.data())
def test_amax_amin_matches_numpy(data):
    t, a = data.draw(arrays(nan=True))
    dims = data.draw(dims_of(a.ndim))
    keepdim = data.draw(st.booleans())
    axis = np_axis(dims, a.ndim)
    if reduced_size(a, axis) == 0:
        with pytest.raises((RuntimeError, IndexError)):
            t.amax(dims if dims is not None else (), keepdim)
        return
    d = dims if dims is not None else ()
    assert_close(t.amax(d, keepdim), np.max(a, axis=axis, keepdims=keepdim), rtol=0, atol=0)
    assert_close(t.amin(d, keepdim), np.min(a, axis=axis, keepdims=keepdim), rtol=0, atol=0)


@SETTINGS
@given(data=st.data())
def test_max_min_with_dim_and_argmax_match_numpy(data):
    t, a = data.draw(arrays(dtypes=[d for d in ALL_DTYPES if d != pytensor.bool], nan=True))
    dim = data.draw(st.integers(-max(a.ndim, 1), max(a.ndim, 1) - 1))
    keepdim = data.draw(st.booleans())
    axis = dim % a.ndim if a.ndim else None
    if a.ndim and a.shape[axis] == 0:
        with pytest.raises(IndexError):
            t.max(dim)
        return
    # numpy's argmax: first occurrence, and the first NaN wins -- torch's rule.
    idx = np.argmax(a, axis=axis, keepdims=keepdim and a.ndim > 0)
    res = t.max(dim, keepdim)
    assert_close(res.indices, idx)
    assert_close(res.values, np.max(a, axis=axis, keepdims=keepdim and a.ndim > 0), rtol=0, atol=0)
    assert_close(t.argmax(dim, keepdim), idx)
    assert_close(t.argmin(dim, keepdim), np.argmin(a, axis=axis, keepdims=keepdim and a.ndim > 0))
    assert_close(pytensor.min(t, dim).indices, np.argmin(a, axis=axis))
    if a.size:
        assert_close(t.argmax(), np.argmax(a))
        assert_close(t.argmin(), np.argmin(a))


@SETTINGS
@given(data=st.data())
def test_var_std_match_numpy(data):
    t, a = data.draw(arrays(dtypes=FLOAT_DTYPES))
    dims = data.draw(dims_of(a.ndim))
    keepdim = data.draw(st.booleans())
    correction = data.draw(st.sampled_from([0, 1, 2]))
    axis = np_axis(dims, a.ndim)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = np.var(a.astype(np.float64), axis=axis, ddof=correction, keepdims=keepdim)
    close(t.var(dims, keepdim=keepdim, correction=correction), ref, t.dtype)
    close(t.std(dims, keepdim=keepdim, correction=correction), np.sqrt(ref), t.dtype)


@SETTINGS
@given(data=st.data())
def test_all_any_match_numpy(data):
    t, a = data.draw(arrays())
    dims = data.draw(dims_of(a.ndim))
    keepdim = data.draw(st.booleans())
    axis = np_axis(dims, a.ndim)
    want = pytensor.uint8 if t.dtype == pytensor.uint8 else pytensor.bool
    assert_close(t.all(dims, keepdim), np.all(a, axis=axis, keepdims=keepdim), dtype=want)
    assert_close(t.any(dims, keepdim), np.any(a, axis=axis, keepdims=keepdim), dtype=want)


@SETTINGS
@given(data=st.data(), p=st.sampled_from([1, 2, math.inf, -math.inf, 0, 3, 0.5, "fro"]))
def test_norm_matches_numpy(data, p):
    t, a = data.draw(arrays(dtypes=FLOAT_DTYPES, min_side=1))
    dims = data.draw(dims_of(a.ndim))
    keepdim = data.draw(st.booleans())
    axis = np_axis(dims, a.ndim)
    x = np.abs(a.astype(np.float64))
    with np.errstate(divide="ignore"):
        if p in (2, "fro"):
            ref = np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdim))
        elif p == math.inf:
            ref = np.max(x, axis=axis, keepdims=keepdim)
        elif p == -math.inf:
            ref = np.min(x, axis=axis, keepdims=keepdim)
        elif p == 0:
            ref = np.sum(x != 0, axis=axis, keepdims=keepdim).astype(np.float64)
        else:
            ref = np.sum(x ** p, axis=axis, keepdims=keepdim) ** (1.0 / p)
    if p == "fro" and isinstance(dims, tuple) and len(dims) > 2:
        with pytest.raises(RuntimeError):
            t.norm(p, dims, keepdim)
        return
    close(t.norm(p, dims, keepdim), ref, t.dtype)


@SETTINGS
@given(data=st.data())
def test_logsumexp_matches_numpy(data):
    t, a = data.draw(arrays(dtypes=FLOAT_DTYPES + [pytensor.int64]))
    dims = data.draw(dims_of(a.ndim, allow_none=False))
    keepdim = data.draw(st.booleans())
    axis = np_axis(dims, a.ndim)
    x = a.astype(np.float64)
    with np.errstate(divide="ignore"):
        ref = np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdim))
    dtype = t.dtype if t.dtype.is_floating_point else pytensor.float32
    close(pytensor.logsumexp(t, dims, keepdim), ref, dtype)


@SETTINGS
@given(data=st.data())
def test_cumsum_cumprod_match_numpy(data):
    t, a = data.draw(arrays(small=True))
    dim = data.draw(st.integers(-max(a.ndim, 1), max(a.ndim, 1) - 1))
    axis = dim % a.ndim if a.ndim else None
    out_dtype = pytensor.int64 if not t.dtype.is_floating_point else t.dtype
    src = a.reshape(-1) if a.ndim == 0 else a
    ref_sum = np.cumsum(src, axis=axis if a.ndim else 0, dtype=wide(a)).reshape(a.shape)
    ref_prod = np.cumprod(src, axis=axis if a.ndim else 0, dtype=wide(a)).reshape(a.shape)
    close(t.cumsum(dim), ref_sum, out_dtype)
    close(pytensor.cumprod(t, dim), ref_prod, out_dtype, rtol=1e-5 if t.dtype == pytensor.float32 else None)


@pytest.mark.parametrize("dtype", [pytensor.bool, pytensor.uint8, pytensor.int8, pytensor.int16, pytensor.int32,
                                   pytensor.int64])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cumsum_cumprod_widening_scan(dtype, layout, dim):
    # Contiguous bool/integer inputs are widened to int64 inside the scan; transposed ones are
    # converted first. Both must give numpy's int64 results, with or without an explicit dtype.
    rng = np.random.default_rng(3)
    np_dt = NP_OF[dtype]
    lo = 0 if dtype in (pytensor.bool, pytensor.uint8) else -3
    a = rng.integers(lo, 4, (7, 33)).astype(np_dt)
    a[2, 5] = 1
    t = pytensor.tensor(a)
    if layout == "transposed":
        a = np.ascontiguousarray(a.T)
        t = t.t()
        assert not t.is_contiguous()
    wide_a = a.astype(np.int64)
    for out in (pytensor.cumsum(t, dim), t.cumsum(dim, dtype=pytensor.int64)):
        assert out.dtype == pytensor.int64
        np.testing.assert_array_equal(to_numpy(out), np.cumsum(wide_a, axis=dim))
    prod = pytensor.cumprod(t, dim)
    assert prod.dtype == pytensor.int64
    np.testing.assert_array_equal(to_numpy(prod), np.cumprod(wide_a, axis=dim))
    # An explicit narrower dtype still converts first (as torch: the sum wraps in that type).
    if dtype != pytensor.bool:
        np.testing.assert_array_equal(to_numpy(t.cumsum(dim, dtype=dtype)), np.cumsum(a, axis=dim, dtype=np_dt))


def test_cumsum_bool_large_matches_numpy():
    rng = np.random.default_rng(4)
    m = rng.random(300_001) < 0.5  # big enough for the threaded paths of the other reductions
    out = pytensor.cumsum(pytensor.tensor(m), 0)
    assert out.dtype == pytensor.int64
    np.testing.assert_array_equal(to_numpy(out), np.cumsum(m))
    m2 = m[:300_000].reshape(600, 500)
    np.testing.assert_array_equal(to_numpy(pytensor.cumsum(pytensor.tensor(m2), 0)), np.cumsum(m2, axis=0))


@SETTINGS
@given(data=st.data())
def test_softmax_log_softmax_match_numpy(data):
    t, a = data.draw(arrays(dtypes=FLOAT_DTYPES))
    dim = data.draw(st.integers(-max(a.ndim, 1), max(a.ndim, 1) - 1))
    axis = dim % a.ndim if a.ndim else None
    x = a.astype(np.float64)
    if a.ndim == 0:
        sm, lsm = np.ones_like(x), np.zeros_like(x)
    else:
        shifted = x - np.max(x, axis=axis, keepdims=True) if x.size else x
        e = np.exp(shifted)
        s = np.sum(e, axis=axis, keepdims=True)
        with np.errstate(divide="ignore"):
            sm, lsm = e / s, shifted - np.log(s)
    close(t.softmax(dim), sm, t.dtype)
    close(pytensor.log_softmax(t, dim), lsm, t.dtype)


# ---- large inputs: every kernel path, accuracy, thread independence ------------------------------

LARGE_CASES = [
    ((4_000_003,), None),          # one output, parallel units
    ((2048, 2048), 0),              # reduce an outer dim: column accumulators, split rows
    ((2048, 2048), 1),              # reduce the contiguous dim
    ((3, 300_001), 0),              # few rows, wide columns
    ((300_001, 3), 0),              # many rows of 3 columns
    ((300_001, 3), 1),              # many tiny contiguous runs
    ((5, 70_000, 3), (0, 2)),       # strided runs
    ((2, 200_000), 1),              # few outputs, each split into parallel units
]


@pytest.mark.parametrize("shape,dims", LARGE_CASES)
def test_large_sums_are_accurate(shape, dims):
    rng = np.random.default_rng(1)
    a = rng.standard_normal(shape).astype(np.float32) + 0.25
    t = pytensor.from_numpy(a)
    ref = a.astype(np.float64).sum(axis=dims)
    got = to_numpy(t.sum(dims)).astype(np.float64)
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-6 * np.sqrt(a.size / max(ref.size, 1)))
    ref_var = a.astype(np.float64).var(axis=dims, ddof=1)
    np.testing.assert_allclose(to_numpy(t.var(dims)), ref_var, rtol=1e-5)
    np.testing.assert_array_equal(to_numpy(t.amax(dims if dims is not None else ())),
                                  a.max(axis=dims))
    if not isinstance(dims, tuple):
        np.testing.assert_array_equal(to_numpy(t.argmax(dims)), a.argmax(axis=dims))


def test_4m_float32_sum_within_1e6_of_exact():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(4 * 1024 * 1024).astype(np.float32)
    for x in (a + np.float32(1), np.abs(a)):  # no cancellation: a plain relative bound
        exact = math.fsum(x.astype(np.float64))
        assert abs(pytensor.from_numpy(x).sum().item() - exact) <= 1e-6 * exact
    # With cancellation, the error is bounded relative to sum(|x|) (float32 result rounding aside).
    exact = math.fsum(a.astype(np.float64))
    err = abs(pytensor.from_numpy(a).sum().item() - exact)
    assert err <= 1e-7 * math.fsum(np.abs(a).astype(np.float64)) + abs(exact) * 1.2e-7


@pytest.mark.parametrize("op", [
    lambda t: t.sum(), lambda t: t.sum(0), lambda t: t.sum(1), lambda t: t.var(0),
    lambda t: t.std(), lambda t: t.norm(), lambda t: t.logsumexp(1), lambda t: t.softmax(0),
    lambda t: t.softmax(1), lambda t: t.argmax(), lambda t: t.max(0).indices, lambda t: t.cumsum(0),
    lambda t: t.T.sum(0), lambda t: t.mean((0, 1)),
])
def test_results_do_not_depend_on_thread_count(op):
    rng = np.random.default_rng(2)
    t = pytensor.from_numpy(rng.standard_normal((1500, 1100)).astype(np.float32))
    before = pytensor.get_num_threads()
    try:
        pytensor.set_num_threads(1)
        one = to_numpy(op(t))
        pytensor.set_num_threads(2)
        two = to_numpy(op(t))
        pytensor.set_num_threads(3)
        three = to_numpy(op(t))
    finally:
        pytensor.set_num_threads(before)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, three)


def test_expanded_input_zero_strides():
    base = pytensor.tensor([[1.0, 2.0, 3.0]])
    t = base.expand(4, 3)
    assert_close(t.sum(0), np.array([4.0, 8.0, 12.0], dtype=np.float32))
    assert_close(t.argmax(0), np.zeros(3, dtype=np.int64))
    assert_close(t.amax(0), np.array([1.0, 2.0, 3.0], dtype=np.float32))


def test_softmax_large_and_infinite_values():
    t = pytensor.tensor([[1000.0, 1000.0, -1000.0], [-math.inf, 0.0, -math.inf]])
    assert_close(t.softmax(1), np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32))
    lsm = to_numpy(t.log_softmax(1))
    assert lsm[0, 0] == pytest.approx(-math.log(2), rel=1e-6)
    assert lsm[1, 0] == -math.inf and lsm[1, 1] == 0.0
    assert_close(pytensor.logsumexp(pytensor.tensor([math.inf, 1.0]), 0), np.float32(math.inf))
    assert_close(pytensor.logsumexp(pytensor.tensor([-math.inf, -math.inf]), 0), np.float32(-math.inf))
    assert_close(pytensor.logsumexp(pytensor.tensor([88.0, 88.0]), 0),
                 np.float32(88.0 + math.log(2)))


# ---- API forms -----------------------------------------------------------------------------------

def test_call_forms_and_named_tuple():
    t = pytensor.arange(24.0).reshape(2, 3, 4)
    a = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    assert_close(t.sum(0), a.sum(0))
    assert_close(t.sum(dim=(0, 1)), a.sum((0, 1)))
    assert_close(t.sum([0, -1], True), a.sum((0, 2), keepdims=True))
    assert_close(t.sum(dim=pytensor.tensor(1)), a.sum(1))
    assert_close(pytensor.sum(t, (), dtype=pytensor.float64), np.float64(a.sum()))
    res = pytensor.max(t, 1)
    values, indices = res
    assert isinstance(res, tuple) and res[0] is values and res.values is values
    assert res.indices is indices and type(res).__name__ == "max"
    assert repr(res).startswith("pytensor.return_types.max(\nvalues=tensor(")
    assert isinstance(pytensor.min(t, dim=0, keepdim=True), pytensor.return_types.min)
    assert_close(pytensor.max(t, pytensor.zeros(4) + 10.0), np.maximum(a, np.float32(10)))
    assert_close(t.max(), np.float32(23))
    assert_close(t.std(1, True, True), a.std(1, ddof=1, keepdims=True), rtol=1e-6)
    assert_close(t.var(True), np.float32(a.var(ddof=1)))
    assert_close(t.var(unbiased=False), np.float32(a.var()))
    v, m = pytensor.var_mean(t, 1)
    assert_close(v, a.var(1, ddof=1))
    assert_close(m, a.mean(1))
    s, m = pytensor.std_mean(t, correction=0)
    assert_close(s, np.float32(a.std()))
    assert_close(m, np.float32(a.mean()))
    assert_close(t.norm(dim=2), np.sqrt((a * a).sum(2)))
    assert_close(pytensor.norm(t, 1, (0, 1), True), np.abs(a).sum((0, 1), keepdims=True))
    assert_close(t.softmax(dim=-1), np.exp(a - a.max(-1, keepdims=True)) /
                 np.exp(a - a.max(-1, keepdims=True)).sum(-1, keepdims=True))
    assert_close(t.cumsum(dim=1, dtype=pytensor.float64), np.cumsum(a, 1, dtype=np.float64))
    assert_close(t.argmax(None, True), np.array([[[23]]]))
    with pytest.raises(TypeError):
        t.sum(1.5)
    with pytest.raises(TypeError):
        t.max((0, 1))
    with pytest.raises(TypeError):
        pytensor.var(t, 0, True, correction=1)


def test_zero_dim_inputs():
    t = pytensor.tensor(5.0)
    for dim in (0, -1):
        assert_close(t.sum(dim), np.float32(5))
        assert_close(t.sum(dim, keepdim=True), np.float32(5))
        assert_close(t.softmax(dim), np.float32(1))
        assert_close(t.cumsum(dim), np.float32(5))
        assert_close(t.argmax(dim), np.int64(0))
        assert_close(t.max(dim).values, np.float32(5))
    with pytest.raises(IndexError, match=r"range of \[-1, 0\], but got 1"):
        t.sum(1)


def test_empty_inputs():
    e = pytensor.empty(0, 3)
    assert_close(e.sum(), np.float32(0))
    assert_close(e.sum(0), np.zeros(3, np.float32))
    assert_close(pytensor.empty(0, dtype=pytensor.int32).sum(), np.int64(0))
    assert_close(e.prod(0), np.ones(3, np.float32))
    assert np.isnan(e.mean().item())
    assert_close(e.mean(1), np.zeros(0, np.float32))
    assert_close(e.all(), np.bool_(True))
    assert_close(e.any(), np.bool_(False))
    assert_close(e.amax(1), np.zeros(0, np.float32))
    assert_close(e.argmax(1), np.zeros(0, np.int64))
    assert_close(pytensor.logsumexp(e, 0), np.full(3, -np.inf, np.float32))
    assert_close(e.cumsum(1), np.zeros((0, 3), np.float32))
    assert_close(e.softmax(0), np.zeros((0, 3), np.float32))
    assert_close(e.norm(), np.float32(0))


# ---- parity with real torch ----------------------------------------------------------------------

def pt_and_torch(torch, values, dtype):
    return pytensor.tensor(values, dtype=dtype), torch.tensor(values, dtype=getattr(torch, dtype._name))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_result_dtypes_match_torch(torch, dtype):
    p, q = pt_and_torch(torch, [[1, 0, 2], [1, 1, 0]], dtype)
    cases = {
        "sum": lambda m, x: m.sum(x), "sum0": lambda m, x: m.sum(x, 0), "prod": lambda m, x: m.prod(x),
        "cumsum": lambda m, x: m.cumsum(x, 0), "cumprod": lambda m, x: m.cumprod(x, 1),
        "all": lambda m, x: m.all(x), "any1": lambda m, x: m.any(x, 1), "amax": lambda m, x: m.amax(x),
        "max": lambda m, x: m.max(x), "maxdim": lambda m, x: m.max(x, 1)[0],
        "count_nonzero": lambda m, x: m.count_nonzero(x), "logsumexp": lambda m, x: m.logsumexp(x, 1),
        "sum_f64": lambda m, x: m.sum(x, dtype=m.float64), "sum_i32": lambda m, x: m.sum(x, dtype=m.int32),
        "mean": lambda m, x: m.mean(x), "std": lambda m, x: m.std(x), "argmax": lambda m, x: m.argmax(x),
        "softmax": lambda m, x: m.softmax(x, 1), "norm": lambda m, x: m.norm(x),
    }
    for name, fn in cases.items():
        try:
            want = fn(torch, q)
        except Exception as e:  # torch raises: so must we, with the same class
            with pytest.raises(type(e)):
                fn(pytensor, p)
            continue
        got = fn(pytensor, p)
        assert got.dtype._name == str(want.dtype).replace("torch.", ""), name
        np.testing.assert_allclose(to_numpy(got).astype(np.float64),
                                   want.numpy().astype(np.float64), rtol=1e-6, err_msg=name)


def test_tie_and_nan_rules_match_torch(torch):
    cases = [
        [1.0, 3.0, 3.0, 1.0],
        [3.0, 1.0, 1.0, 3.0],
        [1.0, math.nan, 3.0, math.nan],
        [math.nan, math.nan],
        [-math.inf, -math.inf, -math.inf],
        [math.inf, 1.0, math.inf],
        [-0.0, 0.0, -0.0],
    ]
    for vals in cases:
        p, q = pt_and_torch(torch, vals, pytensor.float32)
        for name in ("argmax", "argmin"):
            assert getattr(p, name)().item() == getattr(q, name)().item(), (name, vals)
        for name in ("max", "min"):
            pv, pi = getattr(p, name)(0)
            tv, ti = getattr(q, name)(0)
            assert pi.item() == ti.item(), (name, vals)
            assert (math.isnan(pv.item()) and math.isnan(tv.item())) or pv.item() == tv.item()
        for name in ("amax", "amin", "max", "min"):
            a, b = getattr(p, name)().item(), getattr(q, name)().item()
            assert (math.isnan(a) and math.isnan(b)) or a == b, (name, vals)
    # Rows of a 2-D tensor: every kernel path keeps the first index.
    rng = np.random.default_rng(5)
    a = rng.integers(0, 3, size=(64, 300)).astype(np.float32)
    a[rng.random(a.shape) < 0.01] = np.nan
    p, q = pytensor.from_numpy(a), torch.from_numpy(a)
    for dim in (0, 1):
        np.testing.assert_array_equal(to_numpy(p.argmax(dim)), q.argmax(dim).numpy())
        np.testing.assert_array_equal(to_numpy(p.min(dim).indices), q.min(dim).indices.numpy())
        np.testing.assert_array_equal(to_numpy(p.T.argmax(dim)), q.T.argmax(dim).numpy())


def test_std_var_corrections_match_torch(torch):
    a = np.random.default_rng(3).standard_normal((4, 5, 6))
    p, q = pytensor.tensor(a), torch.tensor(a)
    kwargs = [
        {}, {"dim": 1}, {"dim": (0, 2), "keepdim": True}, {"dim": 1, "unbiased": False},
        {"correction": 0}, {"dim": -1, "correction": 2}, {"correction": 1.5},
        {"dim": 0, "correction": 4}, {"dim": 0, "correction": 7},
    ]
    for kw in kwargs:
        for name in ("var", "std"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = getattr(torch, name)(q, **kw).numpy()
            assert_close(getattr(pytensor, name)(p, **kw), want, rtol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isnan(pytensor.tensor([1.0]).std().item())
    with pytest.raises(RuntimeError, match="std and var only support floating point"):
        pytensor.arange(4).var()


def test_norm_variants_match_torch(torch):
    a = np.random.default_rng(4).standard_normal((3, 4, 5)).astype(np.float32)
    a[0, 0, 0] = 0.0
    p, q = pytensor.from_numpy(a), torch.from_numpy(a)
    for ord_ in (2, "fro", 1, math.inf, -math.inf, 0, 3, 0.5, -1):
        for dim in (None, 1, (0, 2), -1):
            for keepdim in (False, True):
                if dim is None and keepdim:
                    continue
                want = torch.norm(q, p=ord_, dim=dim, keepdim=keepdim)
                assert_close(pytensor.norm(p, p=ord_, dim=dim, keepdim=keepdim), want, rtol=1e-5)
    assert_close(p.norm(dtype=pytensor.float64), torch.norm(q, dtype=torch.float64), rtol=1e-6)
    with pytest.raises(RuntimeError, match="Expected a floating point or complex tensor as input. Got Long"):
        pytensor.arange(3).norm()
    with pytest.raises(RuntimeError, match="cannot compute the inf norm on an empty tensor"):
        pytensor.empty(0).norm(math.inf)
    with pytest.raises(RuntimeError, match="Order abc not supported"):
        p.norm("abc")


def test_all_any_dtypes_and_empty_dims_match_torch(torch):
    for dtype in ALL_DTYPES:
        p, q = pt_and_torch(torch, [[1, 0], [2, 3]], dtype)
        for fn in (lambda m, x: m.all(x, ()), lambda m, x: m.any(x, 0, True), lambda m, x: m.all(x)):
            got, want = fn(pytensor, p), fn(torch, q)
            assert got.dtype._name == str(want.dtype).replace("torch.", "")
            np.testing.assert_array_equal(to_numpy(got), want.numpy())


ERROR_CASES = [
    ("sum(5)", lambda m, x: m.sum(x, 5)),
    ("sum((0,0))", lambda m, x: m.sum(x, (0, 0))),
    ("sum((0,-2))", lambda m, x: m.sum(x, (0, -2))),
    ("amax((0,5))", lambda m, x: m.amax(x, (0, 5))),
    ("argmax(-3)", lambda m, x: m.argmax(x, -3)),
    ("max(2)", lambda m, x: m.max(x, 2)),
    ("softmax(2)", lambda m, x: m.softmax(x, 2)),
    ("cumsum(-3)", lambda m, x: m.cumsum(x, -3)),
    ("count_nonzero((1,1))", lambda m, x: m.count_nonzero(x, (1, 1))),
    ("mean int", lambda m, x: m.mean(x.long())),
    ("mean int dtype", lambda m, x: m.mean(x, dtype=m.int64)),
    ("var int", lambda m, x: m.var(x.long())),
    ("softmax int", lambda m, x: m.softmax(x.long(), 0)),
    ("log_softmax int", lambda m, x: m.log_softmax(x.int(), 0)),
    ("argmax bool", lambda m, x: m.argmax(x.bool())),
    ("max empty", lambda m, x: m.max(x[:0])),
    ("min empty", lambda m, x: m.min(x[:0])),
    ("amax empty", lambda m, x: m.amax(x[:0])),
    ("amin empty dim", lambda m, x: m.amin(x[:0], -2)),
    ("argmax empty", lambda m, x: m.argmax(x[:0])),
    ("max empty dim", lambda m, x: m.max(x[:0], -2)),
    ("argmin empty dim", lambda m, x: m.argmin(x[:, :0], 1)),
    ("norm inf empty dim", lambda m, x: m.norm(x[:0], math.inf, 0)),
]


@pytest.mark.parametrize("name,fn", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_match_torch(torch, name, fn):
    q = torch.arange(6.0).reshape(2, 3)
    p = pytensor.arange(6.0).reshape(2, 3)
    with pytest.raises(Exception) as want:
        fn(torch, q)
    with pytest.raises(type(want.value)) as got:
        fn(pytensor, p)
    assert str(got.value) == str(want.value)


def test_large_parity_with_torch(torch):
    rng = np.random.default_rng(6)
    a = rng.standard_normal((513, 1031)).astype(np.float32)
    p, q = pytensor.from_numpy(a), torch.from_numpy(a)
    for fn in (lambda x: x.sum(), lambda x: x.sum(0), lambda x: x.mean(1), lambda x: x.std(0),
               lambda x: x.logsumexp(0), lambda x: x.softmax(0), lambda x: x.log_softmax(1),
               lambda x: x.norm(3, 1), lambda x: x.cumsum(0), lambda x: x.cumprod(1)[:, :20],
               lambda x: x.amin(0), lambda x: x.max(1)[1], lambda x: x.argmin(0)):
        got, want = fn(p), fn(q)
        np.testing.assert_allclose(to_numpy(got), want.numpy(), rtol=2e-5, atol=3e-5)
