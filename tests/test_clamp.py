"""clamp / clamp_ / clip with scalar bounds against torch: NaN inputs and bounds, -0.0, extremes."""
from __future__ import annotations

import numpy as np
import pytest

import pytensor

torch = pytest.importorskip("torch")

NAN, INF = float("nan"), float("inf")
BOUNDS = [(-0.5, 0.5), (None, 0.5), (-0.5, None), (0.5, -0.5), (NAN, 1.0), (-1.0, NAN), (NAN, None),
          (None, NAN), (-INF, INF), (0.0, 0.0), (-0.0, None)]


def _floats(dtype, n=1000):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(n).astype(dtype)
    a[::7] = np.nan
    a[1::11] = -0.0
    a[2::13] = np.inf
    a[3::17] = -np.inf
    return a


def _same(got, want):
    np.testing.assert_array_equal(got.numpy(), want.numpy())  # NaN == NaN here
    if got.numpy().dtype.kind == "f":  # and zeros keep their sign
        np.testing.assert_array_equal(np.signbit(got.numpy()[got.numpy() == 0]),
                                      np.signbit(want.numpy()[want.numpy() == 0]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("lo,hi", BOUNDS)
def test_clamp_float_matches_torch(dtype, lo, hi):
    a = _floats(dtype)
    if lo is None and hi is None:
        return
    x, t = pytensor.from_numpy(a), torch.from_numpy(a.copy())
    _same(pytensor.clamp(x, lo, hi), torch.clamp(t, lo, hi))
    _same(x[::3].clip(lo, hi), t[::3].clip(lo, hi))  # strided input
    y = pytensor.from_numpy(a.copy())
    y.clamp_(lo, hi)
    _same(y, torch.clamp(t, lo, hi))


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8"])
@pytest.mark.parametrize("lo,hi", [(-5, 5), (None, 3), (-3, None), (5, -5), (0, 0)])
def test_clamp_int_matches_torch(dtype, lo, hi):
    info = np.iinfo(dtype)
    a = np.random.default_rng(1).integers(info.min, info.max, 1000, dtype=dtype, endpoint=True)
    a[:2] = [info.min, info.max]
    if dtype == "uint8":
        lo, hi = (None if lo is None else abs(lo)), (None if hi is None else abs(hi))
    x, t = pytensor.from_numpy(a), torch.from_numpy(a.copy())
    got, want = pytensor.clamp(x, lo, hi), torch.clamp(t, lo, hi)
    assert got.dtype == getattr(pytensor, str(want.dtype).split(".")[1])
    _same(got, want)
    x.clamp_(lo, hi)
    _same(x, want)


def test_clamp_tensor_bounds_with_nan_match_torch():
    a = _floats("float32", 64)
    lo = _floats("float32", 64)[::-1].copy()
    hi = lo + 1
    x, t = pytensor.from_numpy(a), torch.from_numpy(a.copy())
    _same(pytensor.clamp(x, pytensor.from_numpy(lo), pytensor.from_numpy(hi)),
          torch.clamp(t, torch.from_numpy(lo), torch.from_numpy(hi)))
    _same(pytensor.clamp(x, min=pytensor.from_numpy(lo)), torch.clamp(t, min=torch.from_numpy(lo)))
