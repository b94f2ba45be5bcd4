"""The elementwise math functions (erfc ... lerp, addcmul, addcdiv): values against ``math``/numpy,
dtype rules, special values, errors and gradients against real torch where installed, and
finite-difference gradient checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, NP_OF, assert_close, to_numpy

import pytensor
from pytensor.autograd import gradcheck

NAN, INF = math.nan, math.inf
SPECIAL = [
    NAN,
    INF,
    -INF,
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    2.5,
    -2.5,
    1e-8,
    30.0,
    100.0,
    0.999,
    -3.0,
    1e20,
]


def pt(values, dtype=pytensor.float64):
    return pytensor.tensor(values, dtype=dtype)


def np_map(f, values, dtype=np.float64):
    """``f`` (a scalar function from math) applied elementwise in float64, NaN where math raises."""

    def safe(v):
        try:
            return f(v)
        except (ValueError, OverflowError):
            return NAN

    return np.array([safe(v) for v in values], dtype=np.float64).astype(dtype)


# ---- unary ops against math ------------------------------------------------------------------

MATH_UNARY = {
    "erfc": math.erfc,
    "acosh": math.acosh,
    "asinh": math.asinh,
    "atanh": lambda v: math.copysign(INF, v) if abs(v) == 1 else math.atanh(v),
    "deg2rad": math.radians,
    "rad2deg": math.degrees,
}
FINITE = [0.0, 0.25, -0.75, 1.5, 3.0, -2.0, 7.25, 0.999]


@pytest.mark.parametrize("name", sorted(MATH_UNARY))
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_unary_against_math(name, dtype):
    xs = FINITE + [1.0, 2.0, -0.5]
    got = getattr(pytensor, name)(pt(xs, dtype))
    want = np_map(
        MATH_UNARY[name], np.array(xs, dtype=NP_OF[dtype]).astype(np.float64), NP_OF[dtype]
    )
    tol = 2e-6 if dtype == pytensor.float32 else 1e-14
    assert_close(got, want, rtol=tol, atol=tol)


def _lgamma(v):
    return INF if v <= 0 and v == int(v) else math.lgamma(v)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_lgamma_against_math(dtype):
    xs = [0.5, 1.0, 2.0, 3.5, 10.0, 100.0, -0.5, -2.5, 1e-8, 0.0, -1.0, -0.0, INF, -INF, NAN]
    got = pytensor.lgamma(pt(xs, dtype))
    want = [INF if math.isinf(v) else NAN if math.isnan(v) else _lgamma(v) for v in xs]
    tol = 2e-6 if dtype == pytensor.float32 else 1e-13
    assert_close(got, np.array(want, dtype=NP_OF[dtype]), rtol=tol, atol=tol)


def _digamma_ref(x: float) -> float:
    """digamma by the recurrence and the asymptotic series, in float64 (independent of the kernel's
    reflection and constants)."""
    if x < 0:
        return _digamma_ref(1 - x) - math.pi / math.tan(math.pi * x)
    r = 0.0
    while x < 20:
        r -= 1 / x
        x += 1
    x2 = 1 / (x * x)
    return r + math.log(x) - 0.5 / x - x2 * (1 / 12 - x2 * (1 / 120 - x2 * (1 / 252 - x2 / 240)))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_digamma_values_and_poles(dtype):
    xs = [1.0, 0.5, 2.0, 10.0, 12.5, 0.1, -0.5, -2.25, 1e3]
    tol = 1e-5 if dtype == pytensor.float32 else 1e-12
    assert_close(
        pytensor.digamma(pt(xs, dtype)),
        np.array([_digamma_ref(v) for v in xs], dtype=NP_OF[dtype]),
        rtol=tol,
        atol=tol,
    )
    euler = 0.5772156649015329
    assert pytensor.digamma(pt([1.0])).item() == pytest.approx(-euler, rel=1e-15)
    # poles, signed zeros and infinities as torch: digamma(0) = -inf, digamma(-0) = inf
    got = pytensor.digamma(pt([0.0, -0.0, -1.0, -2.0, INF, -INF, NAN], dtype)).tolist()
    assert got[0] == -INF and got[1] == INF and got[4] == INF
    assert all(math.isnan(v) for v in (got[2], got[3], got[5], got[6]))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_erfinv_inverts_erf(dtype):
    ys = [-0.999, -0.9, -0.7, -0.3, 0.0, 0.1, 0.5, 0.69, 0.71, 0.95, 0.99999]
    x = pytensor.erfinv(pt(ys, dtype))
    back = [math.erf(v) for v in x.tolist()]
    tol = 1e-6 if dtype == pytensor.float32 else 1e-14
    np.testing.assert_allclose(back, np.array(ys, dtype=NP_OF[dtype]), rtol=tol, atol=tol)
    got = pytensor.erfinv(pt([1.0, -1.0, 2.0, -2.0, NAN, 0.0, -0.0], dtype)).tolist()
    assert got[:2] == [INF, -INF] and all(math.isnan(v) for v in got[2:5])
    assert math.copysign(1, got[5]) == 1 and math.copysign(1, got[6]) == -1


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_sinc_frac_logit_signbit(dtype):
    xs = [0.0, -0.0, 0.5, 1.0, -2.5, 3.25, 1e-3, INF, NAN]
    want = [
        1.0 if v == 0 else NAN if not math.isfinite(v) else math.sin(math.pi * v) / (math.pi * v)
        for v in xs
    ]
    tol = 1e-6 if dtype == pytensor.float32 else 1e-14
    assert_close(
        pytensor.sinc(pt(xs, dtype)), np.array(want, dtype=NP_OF[dtype]), rtol=tol, atol=tol
    )

    fr = pytensor.frac(pt([-1.5, 2.25, -0.0, 3.0, INF, -INF, NAN], dtype)).tolist()
    assert fr[:4] == [-0.5, 0.25, 0.0, 0.0] and all(math.isnan(v) for v in fr[4:])

    ps = [0.0, 1.0, 0.5, 0.25, 0.9, 2.0, -0.5]
    want = [-INF, INF, 0.0, math.log(1 / 3), math.log(9), NAN, NAN]
    assert_close(
        pytensor.logit(pt(ps, dtype)), np.array(want, dtype=NP_OF[dtype]), rtol=tol, atol=tol
    )
    # eps clamps to [eps, 1 - eps] first
    e = 0.1
    want = [
        math.log(e / (1 - e)),
        math.log((1 - e) / e),
        0.0,
        math.log(1 / 3),
        math.log(9) if 0.9 <= 1 - e else 0,
        math.log((1 - e) / e),
        math.log(e / (1 - e)),
    ]
    assert_close(
        pytensor.logit(pt(ps, dtype), eps=e),
        np.array(want, dtype=NP_OF[dtype]),
        rtol=1e-5,
        atol=1e-5,
    )

    sb = pytensor.signbit(pt([-0.0, 0.0, -1.0, 2.0, -INF, NAN, -NAN], dtype))
    assert sb.dtype == pytensor.bool
    assert sb.tolist() == [math.copysign(1, v) < 0 for v in [-0.0, 0.0, -1.0, 2.0, -INF, NAN, -NAN]]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_float_unary_ops_promote_integers(dtype):
    vals = [0, 1, 1, 0] if dtype == pytensor.bool else [0, 1, 2, 3]
    x = pt(vals, dtype)
    want_dtype = dtype if dtype.is_floating_point else pytensor.float32
    for name in (
        "erfc",
        "erfinv",
        "lgamma",
        "digamma",
        "acosh",
        "asinh",
        "atanh",
        "deg2rad",
        "rad2deg",
        "sinc",
        "logit",
    ):
        out = getattr(pytensor, name)(x)
        assert out.dtype == want_dtype, name
        ref = getattr(pytensor, name)(pt(vals, pytensor.float64))
        np.testing.assert_allclose(
            to_numpy(out),
            to_numpy(ref).astype(NP_OF[want_dtype]),
            rtol=1e-5,
            atol=1e-5,
            err_msg=name,
        )


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_same_dtype_unary_ops(dtype):
    vals = (
        [True, False, True]
        if dtype == pytensor.bool
        else [-2, 0, 3]
        if dtype != pytensor.uint8
        else [2, 0, 3]
    )
    x = pt(vals, dtype)
    sg = pytensor.sgn(x)
    assert sg.dtype == dtype and sg.tolist() == pytensor.sign(x).tolist()
    sb = pytensor.signbit(x)
    assert sb.dtype == pytensor.bool and sb.tolist() == [(v < 0) for v in vals]
    for name in ("isposinf", "isneginf"):
        r = getattr(pytensor, name)(x)
        assert r.dtype == pytensor.bool and r.tolist() == [False] * 3
    n = pytensor.nan_to_num(x)
    assert n.dtype == dtype and n.tolist() == x.tolist() and n._storage_ptr() != x._storage_ptr()
    if dtype.is_floating_point:
        assert pytensor.frac(pt([1.5, -2.25], dtype)).tolist() == [0.5, -0.25]
    else:
        with pytest.raises(NotImplementedError, match='"frac_cpu" not implemented for'):
            pytensor.frac(x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_nan_to_num_and_inf_predicates(dtype):
    x = pt([NAN, INF, -INF, 1.5, -0.0], dtype)
    finfo = np.finfo(NP_OF[dtype])
    assert_close(
        pytensor.nan_to_num(x), np.array([0.0, finfo.max, finfo.min, 1.5, -0.0], dtype=NP_OF[dtype])
    )
    assert_close(
        x.nan_to_num(nan=1.0, posinf=2.0, neginf=-3.0),
        np.array([1.0, 2.0, -3.0, 1.5, 0.0], dtype=NP_OF[dtype]),
    )
    y = x.clone()
    assert y.nan_to_num_(posinf=7.0) is y
    assert y.tolist() == [0.0, 7.0, float(finfo.min), 1.5, 0.0]
    assert pytensor.isposinf(x).tolist() == [False, True, False, False, False]
    assert pytensor.isneginf(x).tolist() == [False, False, True, False, False]


# ---- binary ops -------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_binary_float_ops_against_math(dtype):
    a = [0.5, -1.25, 3.0, 0.0, -0.0, 100.0, -7.5]
    b = [2.0, 0.75, -4.0, -0.0, 0.0, 99.0, -7.5]
    npd = NP_OF[dtype]
    a32 = np.array(a, dtype=npd).astype(np.float64)
    b32 = np.array(b, dtype=npd).astype(np.float64)
    tol = 2e-6 if dtype == pytensor.float32 else 1e-14
    ta, tb = pt(a, dtype), pt(b, dtype)
    assert_close(pytensor.hypot(ta, tb), np.hypot(a32, b32).astype(npd), rtol=tol, atol=tol)
    assert_close(pytensor.logaddexp(ta, tb), np.logaddexp(a32, b32).astype(npd), rtol=tol, atol=tol)
    assert_close(
        pytensor.logaddexp2(ta, tb), np.logaddexp2(a32, b32).astype(npd), rtol=tol, atol=tol
    )
    assert_close(pytensor.copysign(ta, tb), np.copysign(a32, b32).astype(npd))
    assert_close(pytensor.nextafter(ta, tb), np.nextafter(np.array(a, npd), np.array(b, npd)))
    pos = np.abs(b32) + 0.5
    assert_close(
        pytensor.xlogy(ta, pt(pos.tolist(), dtype)),
        (a32 * np.log(pos)).astype(npd),
        rtol=tol,
        atol=tol,
    )
    assert_close(pytensor.float_power(ta, 2), a32**2, dtype=pytensor.float64)
    assert_close(
        pytensor.ldexp(ta, pt([1, 2, -1, 3, 0, 4, 10], pytensor.int64)),
        np.ldexp(np.array(a, npd), [1, 2, -1, 3, 0, 4, 10]),
    )


def test_binary_special_values():
    x = pt([NAN, 1.0, NAN, -INF, INF, 0.0])
    y = pt([2.0, NAN, NAN, 5.0, -INF, -0.0])
    fmax, fmin = pytensor.fmax(x, y).tolist(), pytensor.fmin(x, y).tolist()
    assert fmax[:2] == [2.0, 1.0] and math.isnan(fmax[2]) and fmax[3:5] == [5.0, INF]
    assert fmin[:2] == [2.0, 1.0] and math.isnan(fmin[2]) and fmin[3:5] == [-INF, -INF]
    xl = pytensor.xlogy(pt([0.0, 0.0, NAN, 1.0, 2.0]), pt([0.0, NAN, 0.0, 0.0, INF])).tolist()
    assert (
        xl[0] == 0.0 and math.isnan(xl[1]) and math.isnan(xl[2]) and xl[3] == -INF and xl[4] == INF
    )
    la = pytensor.logaddexp(pt([INF, -INF, INF, NAN]), pt([INF, -INF, -INF, 0.0])).tolist()
    assert la[:3] == [INF, -INF, INF] and math.isnan(la[3])
    la2 = pytensor.logaddexp2(pt([INF, -INF, 1.0]), pt([INF, -INF, 1.0])).tolist()
    assert la2[:2] == [INF, -INF] and la2[2] == pytest.approx(2.0, rel=1e-15)
    assert pytensor.hypot(pt([INF, NAN]), pt([NAN, -INF])).tolist() == [INF, INF]
    hv = pytensor.heaviside(pt([-1.0, 0.0, 2.0, NAN, -0.0]), pt(0.5)).tolist()
    assert hv == [0.0, 0.5, 1.0, 0.0, 0.5]
    cs = pytensor.copysign(pt([1.0, 2.0, 3.0]), pt([-0.0, NAN, -NAN])).tolist()
    assert cs == [-1.0, 2.0, -3.0]


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_gcd_lcm(dtype):
    signed = dtype != pytensor.uint8
    a = [0, 12, 7, 9, 100] + ([-4, 6, -12] if signed else [4, 6, 12])
    b = [0, 18, 0, 6, 75] + ([6, -4, -18] if signed else [6, 4, 18])
    g = pytensor.gcd(pt(a, dtype), pt(b, dtype))
    assert g.dtype == dtype and g.tolist() == [math.gcd(x, y) for x, y in zip(a, b)]
    big = [x for x in a if abs(x) < 15]
    bb = [y for x, y in zip(a, b) if abs(x) < 15]
    lc = pytensor.lcm(pt(big, dtype), pt(bb, dtype))
    assert lc.tolist() == [math.lcm(x, y) for x, y in zip(big, bb)]
    t = pt(a, dtype)
    assert t.gcd_(pt(b, dtype)) is t and t.tolist() == g.tolist()


def test_gcd_edge_cases_and_errors():
    lo = -(2**63)
    # |INT64_MIN| does not exist: torch's Euclid keeps the sign it wraps to, and so do we
    assert pytensor.gcd(
        pt([lo, 0, lo], pytensor.int64), pt([0, lo, 6], pytensor.int64)
    ).tolist() == [lo, lo, -2]
    # promotion: uint8 with int8 is int16
    assert pytensor.gcd(pt([4], pytensor.uint8), pt([6], pytensor.int8)).dtype == pytensor.int16
    for dt, name in (
        (pytensor.float32, "Float"),
        (pytensor.float64, "Double"),
        (pytensor.bool, "Bool"),
    ):
        with pytest.raises(NotImplementedError, match=f"\"gcd_cpu\" not implemented for '{name}'"):
            pytensor.gcd(pt([1, 0], dt), pt([1, 1], dt))
        with pytest.raises(NotImplementedError, match=f"\"lcm_cpu\" not implemented for '{name}'"):
            pytensor.lcm(pt([1, 0], dt), pt([1, 1], dt))
    with pytest.raises(
        TypeError, match=r"gcd\(\): argument 'other' \(position 2\) must be Tensor, not int"
    ):
        pytensor.gcd(pt([1], pytensor.int64), 2)


def test_binary_dtype_rules_and_errors():
    i, f = pt([1, 2, 3], pytensor.int64), pt([1.0, 2.0, 3.0], pytensor.float32)
    for name in ("hypot", "logaddexp", "logaddexp2", "nextafter"):
        with pytest.raises(NotImplementedError, match=f"\"{name}_cpu\" not implemented for 'Long'"):
            getattr(pytensor, name)(i, i)
        assert getattr(pytensor, name)(f, i).dtype == pytensor.float32
        assert getattr(pytensor, name)(f, f.double()).dtype == pytensor.float64
        with pytest.raises(
            TypeError,
            match=rf"{name}\(\): argument 'other' \(position 2\) must be Tensor, not float",
        ):
            getattr(pytensor, name)(f, 1.0)
    for name in ("xlogy", "copysign"):
        assert getattr(pytensor, name)(i, i).dtype == pytensor.float32
        assert getattr(pytensor, name)(i, -1).dtype == pytensor.float32
        assert (
            getattr(pytensor, name)(
                pt([True, False], pytensor.bool), pt([True, True], pytensor.bool)
            ).dtype
            == pytensor.float32
        )
        with pytest.raises(
            RuntimeError, match="result type Float can't be cast to the desired output type Long"
        ):
            getattr(i.clone(), name + "_")(i)
    assert pytensor.xlogy(2, f).dtype == pytensor.float32
    with pytest.raises(TypeError):
        pytensor.copysign(2.0, f)
    assert pytensor.fmax(i, i).dtype == pytensor.int64
    assert pytensor.fmin(f, i).dtype == pytensor.float32
    assert pytensor.fmax(pt([True], pytensor.bool), pt([False], pytensor.bool)).tolist() == [True]
    assert not hasattr(f, "fmax_") and not hasattr(f, "logaddexp_")
    assert pytensor.heaviside(i, i).dtype == pytensor.int64
    with pytest.raises(
        RuntimeError, match="heaviside is not yet implemented for tensors with different dtypes."
    ):
        pytensor.heaviside(f, i)
    with pytest.raises(TypeError, match="must be Tensor, not float"):
        pytensor.heaviside(f, 0.5)
    with pytest.raises(
        RuntimeError, match="heaviside is not yet implemented for tensors with different dtypes."
    ):
        i.clone().heaviside_(f)  # checked before the in-place cast, as torch
    assert pytensor.float_power(i, 2).dtype == pytensor.float64
    assert pytensor.float_power(2, f).dtype == pytensor.float64
    with pytest.raises(
        RuntimeError,
        match="the base given to float_power_ has dtype Float but the operation's "
        "result requires dtype Double",
    ):
        f.clone().float_power_(2)
    d = f.double()
    assert d.float_power_(2) is d and d.tolist() == [1.0, 4.0, 9.0]
    assert pytensor.ldexp(i, i).dtype == pytensor.float32
    assert pytensor.ldexp(f.double(), i).dtype == pytensor.float64
    with pytest.raises(
        TypeError, match=r"ldexp\(\): argument 'other' \(position 2\) must be Tensor, not int"
    ):
        pytensor.ldexp(f, 2)
    with pytest.raises(RuntimeError, match="ldexp can't be cast to the desired output type Long"):
        i.clone().ldexp_(i)


def test_broadcasting_noncontiguous_and_in_place():
    base = pytensor.arange(24, dtype=pytensor.float64).reshape(4, 6) * 0.37 - 3.0
    a = base.t()  # (6, 4), non-contiguous
    b = pytensor.arange(4, dtype=pytensor.float64) * 0.5 + 0.25  # broadcast along rows
    an, bn = to_numpy(a), to_numpy(b)
    assert_close(pytensor.hypot(a, b), np.hypot(an, bn))
    assert_close(pytensor.logaddexp(a, b), np.logaddexp(an, bn))
    assert_close(pytensor.fmax(a, b), np.fmax(an, bn))
    assert_close(pytensor.copysign(a, b[None, :] - 1.0), np.copysign(an, bn - 1.0))
    assert_close(pytensor.xlogy(a, b), an * np.log(bn))
    assert_close(
        pytensor.erfc(a[::2]),
        np_map(math.erfc, an[::2].ravel()).reshape(an[::2].shape),
        rtol=1e-14,
        atol=1e-15,
    )
    assert_close(
        pytensor.lgamma(a[:, 1:3]), np.vectorize(_lgamma)(an[:, 1:3]), rtol=1e-13, atol=1e-13
    )
    c = a.clone()
    assert c.hypot_(b) is c
    assert_close(c, np.hypot(an, bn))
    with pytest.raises(
        RuntimeError, match=r"output with shape \[4\] doesn't match the broadcast shape \[6, 4\]"
    ):
        b.clone().hypot_(a)
    # in place on a transposed view writes through to the base
    d = base.clone()
    d.t().deg2rad_()
    assert_close(d, np.radians(to_numpy(base)), rtol=1e-15, atol=1e-15)


# ---- ternary ops ------------------------------------------------------------------------------


def test_addcmul_addcdiv_values_and_dtypes():
    x = pt([[1.0, 2.0, 3.0]], pytensor.float32)
    t1 = pt([[0.5], [2.0]], pytensor.float32)
    t2 = pt([4.0, -1.0, 0.25], pytensor.float32)
    xn, n1, n2 = to_numpy(x), to_numpy(t1), to_numpy(t2)
    assert_close(pytensor.addcmul(x, t1, t2, value=0.5), xn + np.float32(0.5) * n1 * n2)
    assert_close(pytensor.addcdiv(x, t1, t2, value=2), xn + np.float32(2) * n1 / n2)
    assert_close(x.addcmul(t1, t2), xn + n1 * n2)
    i = pt([1, 2, 3], pytensor.int64)
    assert pytensor.addcmul(i, i, i, value=2).tolist() == [3, 10, 21]
    assert pytensor.addcmul(i, i, i, value=0.5).tolist() == [1, 2, 3]  # value truncated, as torch
    f32 = pt([1.0, 2.0], pytensor.float32)
    assert (
        pytensor.addcmul(f32, pt([1, 2], pytensor.int64), pt([1, 2], pytensor.int64)).dtype
        == pytensor.float32
    )
    assert pytensor.addcmul(f32, pt([1.0, 2.0], pytensor.float64), f32).dtype == pytensor.float64
    assert (
        pytensor.addcmul(pt(1.0, pytensor.float64), f32, f32).dtype == pytensor.float32
    )  # 0-dim loses
    assert pytensor.addcdiv(i, pt([1.0, 2.0, 4.0]), i).tolist() == [2.0, 3.0, 3 + 4 / 3]
    with pytest.raises(RuntimeError, match="Integer division with addcdiv is no longer supported"):
        pytensor.addcdiv(x, i, i)
    with pytest.raises(NotImplementedError, match="\"addcmul_cpu_out\" not implemented for 'Bool'"):
        b = pt([True], pytensor.bool)
        pytensor.addcmul(b, b, b)
    y = x.clone()
    assert y.addcmul_(pt([1.0, 2.0, 3.0]), pt([2.0, 2.0, 2.0]), value=-1) is y
    assert y.tolist() == [[-1.0, -2.0, -3.0]]
    with pytest.raises(
        RuntimeError, match=r"output with shape \[1, 3\] doesn't match the broadcast shape \[2, 3\]"
    ):
        x.clone().addcdiv_(t1, t2)
    with pytest.raises(RuntimeError, match="The size of tensor a"):
        pytensor.addcmul(pt([1.0, 2.0]), pt([1.0, 2.0, 3.0]), pt([1.0, 2.0]))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_lerp(dtype):
    s = pt([0.0, 1.0, -2.0, 10.0], dtype)
    e = pt([1.0, 3.0, 2.0, -10.0], dtype)
    sn, en = to_numpy(s).astype(np.float64), to_numpy(e).astype(np.float64)
    for w in (0.0, 0.25, 0.5, 0.75, 1.0, -0.5, 2.0):
        got = pytensor.lerp(s, e, w)
        assert_close(got, (sn + w * (en - sn)).astype(NP_OF[dtype]), rtol=1e-6, atol=1e-6)
    assert pytensor.lerp(s, e, 1.0).tolist() == e.tolist()  # exactly `end` at weight 1
    w = pt([[0.0], [0.3], [1.0]], dtype)  # broadcast (3, 1) x (4,)
    wn = to_numpy(w).astype(np.float64)
    assert_close(
        pytensor.lerp(s, e, w), (sn + wn * (en - sn)).astype(NP_OF[dtype]), rtol=1e-6, atol=1e-6
    )
    assert pytensor.lerp(s, e, w)[2].tolist() == e.tolist()
    t = s.clone()
    assert t.lerp_(e, 0.5) is t
    assert_close(t, ((sn + en) / 2).astype(NP_OF[dtype]))
    assert s[::2].lerp(e[1::2], 0.5).tolist() == [
        (a + b) / 2 for a, b in zip(s.tolist()[::2], e.tolist()[1::2])
    ]


def test_lerp_errors():
    f, d, i = pt([1.0, 2.0], pytensor.float32), pt([1.0, 2.0]), pt([1, 2], pytensor.int64)
    with pytest.raises(RuntimeError, match="expected dtype float for `end` but got dtype double"):
        pytensor.lerp(f, d, 0.5)
    with pytest.raises(
        RuntimeError, match="expected dtype float for `weight` but got dtype long int"
    ):
        pytensor.lerp(f, f, i)
    with pytest.raises(
        NotImplementedError, match="\"lerp_kernel_scalar\" not implemented for 'Long'"
    ):
        pytensor.lerp(i, i, 0.5)
    with pytest.raises(
        NotImplementedError, match="\"lerp_kernel_tensor\" not implemented for 'Long'"
    ):
        pytensor.lerp(i, i, i)
    assert pytensor.lerp(f, f, pt(0.5)).dtype == pytensor.float32  # a 0-dim weight may differ
    with pytest.raises(TypeError):
        pytensor.lerp(f, 1.0, 0.5)


def test_aliases():
    x = pt([0.25, -0.5, 0.75])
    for alias, name in (
        ("arcsin", "asin"),
        ("arccos", "acos"),
        ("arctan", "atan"),
        ("arcsinh", "asinh"),
        ("arctanh", "atanh"),
    ):
        assert getattr(pytensor, alias)(x).tolist() == getattr(pytensor, name)(x).tolist()
        assert getattr(x, alias)().tolist() == getattr(x, name)().tolist()
        y = x.clone()
        getattr(y, alias + "_")()
        assert y.tolist() == getattr(pytensor, name)(x).tolist()
    assert pytensor.arccosh(x + 2).tolist() == pytensor.acosh(x + 2).tolist()
    assert pytensor.arctan2(x, x + 1).tolist() == pytensor.atan2(x, x + 1).tolist()


def test_in_place_unary_casting():
    i = pt([1, 2], pytensor.int64)
    for name in ("erfc_", "deg2rad_", "sinc_", "acosh_"):
        with pytest.raises(
            RuntimeError, match="result type Float can't be cast to the desired output type Long"
        ):
            getattr(i.clone(), name)()
    x = pt([0.2, 0.6], pytensor.float32)
    for name in (
        "erfc",
        "erfinv",
        "lgamma",
        "digamma",
        "deg2rad",
        "rad2deg",
        "sinc",
        "frac",
        "sgn",
        "logit",
    ):
        y = x.clone()
        assert getattr(y, name + "_")() is y
        assert y.tolist() == getattr(x, name)().tolist(), name


# ---- gradients --------------------------------------------------------------------------------


def _leaf(values):
    return pt(values).requires_grad_()


UNARY_GRAD_POINTS = {
    "erfc": [0.3, -1.2, 2.0],
    "erfinv": [0.3, -0.8, 0.95],
    "lgamma": [0.3, 2.5, -1.5],
    "digamma": [0.3, 2.5, -1.5],
    "acosh": [1.5, 3.0],
    "asinh": [0.3, -2.0],
    "atanh": [0.3, -0.7],
    "deg2rad": [10.0, -30.0],
    "rad2deg": [0.5, -1.0],
    "sinc": [0.3, -1.7, 2.2],
    "logit": [0.2, 0.7],
    "frac": [1.3, -2.6],
    "nan_to_num": [0.5, -1.5],
}


@pytest.mark.parametrize("name", sorted(UNARY_GRAD_POINTS))
def test_unary_gradcheck(name):
    assert gradcheck(getattr(pytensor, name), (_leaf(UNARY_GRAD_POINTS[name]),))


def test_special_gradients():
    x = _leaf([0.0, 1.0])
    pytensor.sinc(x).sum().backward()
    assert x.grad.tolist()[0] == 0.0
    x = _leaf([-0.5, 0.5, 1.5])
    pytensor.logit(x).sum().backward()
    g = x.grad.tolist()
    assert math.isnan(g[0]) and g[1] == pytest.approx(4.0) and math.isnan(g[2])
    x = _leaf([0.05, 0.5, 0.97])
    pytensor.logit(x, eps=0.1).sum().backward()
    assert x.grad.tolist() == [0.0, pytest.approx(4.0), 0.0]
    x = _leaf([NAN, INF, 2.0])
    pytensor.nan_to_num(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]
    x = _leaf([-1.0, 2.0])
    pytensor.sgn(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]
    x = _leaf([0.5])
    (g,) = pytensor.autograd.grad(pytensor.digamma(x).sum(), x, create_graph=True)
    with pytest.raises(NotImplementedError):
        g.sum().backward()


BINARY_GRAD = {
    "hypot": ([0.3, -1.2, 2.0], [1.5, 0.4, -0.7]),
    "logaddexp": ([0.3, -1.2, 2.0], [1.5, 0.4, -0.7]),
    "logaddexp2": ([0.3, -1.2, 2.0], [1.5, 0.4, -0.7]),
    "fmax": ([0.3, -1.2, 2.0], [1.5, 0.4, -0.7]),
    "fmin": ([0.3, -1.2, 2.0], [1.5, 0.4, -0.7]),
    "xlogy": ([0.3, -1.2, 2.0], [1.5, 0.4, 0.7]),
    "float_power": ([0.3, 1.2, 2.0], [1.5, 0.4, -0.7]),
    "ldexp": ([0.3, -1.2, 2.0], [1.0, 2.0, -1.0]),
}


@pytest.mark.parametrize("name", sorted(BINARY_GRAD))
def test_binary_gradcheck(name):
    a, b = BINARY_GRAD[name]
    assert gradcheck(getattr(pytensor, name), (_leaf(a), _leaf(b)))
    # broadcasting: b's gradient is summed back to its shape
    assert gradcheck(getattr(pytensor, name), (_leaf([a, a]), _leaf(b)))


def test_copysign_and_nextafter_gradients():
    x = _leaf([-2.0, 0.0, 2.0])
    y = _leaf([-1.0, 1.0, -0.0])
    pytensor.copysign(x, y).sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, -1.0] and y.grad.tolist() == [0.0, 0.0, 0.0]
    x, y = _leaf([0.3, 0.6]), _leaf([0.2, 0.9])
    pytensor.nextafter(x, y).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0] and y.grad.tolist() == [0.0, 0.0]
    x = _leaf([1.0])
    with pytest.raises(RuntimeError, match="heaviside is not implemented"):
        pytensor.heaviside(x, pt([0.5])).sum().backward()


def test_ternary_gradcheck():
    x, t1, t2 = _leaf([[0.3, -1.2, 2.0]]), _leaf([[1.5], [0.4]]), _leaf([0.7, -0.9, 1.1])
    assert gradcheck(lambda a, b, c: pytensor.addcmul(a, b, c, value=0.7), (x, t1, t2))
    assert gradcheck(lambda a, b, c: pytensor.addcdiv(a, b, c, value=-1.5), (x, t1, t2))
    e, w = _leaf([[2.0, 0.5, -1.0]]), _leaf([[0.2], [0.8]])
    assert gradcheck(lambda a, b: pytensor.lerp(a, b, 0.3), (x, e))
    assert gradcheck(lambda a, b: pytensor.lerp(a, b, 0.8), (x, e))
    assert gradcheck(pytensor.lerp, (x, e, w))


def test_in_place_ternary_gradients():
    x = _leaf([1.0, 2.0])
    t1, t2 = _leaf([3.0, 4.0]), _leaf([0.5, -0.5])
    y = x * 1.0
    y.addcmul_(t1, t2, value=2.0)
    y.sum().backward()
    assert (
        x.grad.tolist() == [1.0, 1.0]
        and t1.grad.tolist() == [1.0, -1.0]
        and t2.grad.tolist() == [6.0, 8.0]
    )
    x, e = _leaf([1.0, 2.0]), _leaf([3.0, 5.0])
    y = x * 1.0
    y.lerp_(e, 0.25)
    assert y.grad_fn.name() == "LerpBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [0.75, 0.75] and e.grad.tolist() == [0.25, 0.25]


# ---- parity with torch --------------------------------------------------------------------------

UNARY_NAMES = [
    "erfc",
    "erfinv",
    "lgamma",
    "digamma",
    "frac",
    "sgn",
    "signbit",
    "deg2rad",
    "rad2deg",
    "sinc",
    "logit",
    "nan_to_num",
    "isposinf",
    "isneginf",
    "acosh",
    "asinh",
    "atanh",
]
BINARY_NAMES = [
    "hypot",
    "logaddexp",
    "logaddexp2",
    "fmax",
    "fmin",
    "xlogy",
    "heaviside",
    "copysign",
    "float_power",
    "gcd",
    "lcm",
    "ldexp",
    "nextafter",
]


def _sample(dtype):
    if dtype == pytensor.bool:
        return [True, False, True, True]
    if dtype.is_floating_point:
        return SPECIAL
    if dtype == pytensor.uint8:
        return [0, 1, 2, 7, 200, 12]
    return [0, 1, -1, 2, -7, 12, 100]


def _compare(torch, got, want, dtype_tol=None):
    assert str(got.dtype).replace("pytensor.", "") == str(want.dtype).replace("torch.", "")
    w = want.numpy()
    g = to_numpy(got)
    if w.dtype.kind == "f":
        tol = 1e-5 if w.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol, equal_nan=True)
    else:
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("name", UNARY_NAMES)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_unary_matches_torch(torch, name, dtype):
    vals = _sample(dtype)
    x, tx = pt(vals, dtype), torch.tensor(vals, dtype=getattr(torch, dtype._name))
    try:
        want = getattr(torch, name)(tx)
    except Exception as e:  # noqa: BLE001 - the same class must come back
        with pytest.raises(type(e)):
            getattr(pytensor, name)(x)
        return
    _compare(torch, getattr(pytensor, name)(x), want)
    # non-contiguous input
    _compare(torch, getattr(pytensor, name)(x[::2]), getattr(torch, name)(tx[::2]))


# Operand dtype pairs for the binary ops: same, mixed float widths, int/int, bool, int with float.
BINARY_DTYPE_PAIRS = [
    (pytensor.float32, pytensor.float32),
    (pytensor.float64, pytensor.float32),
    (pytensor.int64, pytensor.int64),
    (pytensor.int32, pytensor.int8),
    (pytensor.uint8, pytensor.uint8),
    (pytensor.bool, pytensor.bool),
    (pytensor.int64, pytensor.float32),
    (pytensor.float64, pytensor.float64),
]


@pytest.mark.parametrize("name", BINARY_NAMES)
@pytest.mark.parametrize("da,db", BINARY_DTYPE_PAIRS)
def test_binary_matches_torch(torch, name, da, db):
    va, vb = _sample(da), _sample(db)
    n = min(len(va), len(vb))
    va, vb = va[:n], list(reversed(vb))[:n]
    if name == "ldexp":  # exponents whose powers of two float32 holds
        vb = [v if isinstance(v, bool) or abs(v) < 40 else 3 for v in vb]
        vb = [v if not (isinstance(v, float) and not math.isfinite(v)) else 2.0 for v in vb]
    a, b = pt(va, da), pt(vb, db)
    ta = torch.tensor(va, dtype=getattr(torch, da._name))
    tb = torch.tensor(vb, dtype=getattr(torch, db._name))
    try:
        want = getattr(torch, name)(ta, tb)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            getattr(pytensor, name)(a, b)
        return
    _compare(torch, getattr(pytensor, name)(a, b), want)


def test_node_names_match_torch(torch):
    def nodes(lib, make):
        x = lib.tensor([0.3, 0.6], requires_grad=True)
        y = lib.tensor([0.2, 0.9], requires_grad=True)
        w = lib.tensor([0.2, 0.7], requires_grad=True)
        return [r.grad_fn.name() for r in make(lib, x, y, w)]

    def make(lib, x, y, w):
        return [
            lib.erfc(x),
            lib.erfinv(x),
            lib.lgamma(x),
            lib.digamma(x),
            lib.frac(x),
            lib.sgn(x),
            lib.deg2rad(x),
            lib.rad2deg(x),
            lib.sinc(x),
            lib.logit(x),
            lib.logit(x, 0.1),
            lib.nan_to_num(x),
            lib.acosh(x + 1),
            lib.asinh(x),
            lib.atanh(x),
            lib.hypot(x, y),
            lib.logaddexp(x, y),
            lib.logaddexp2(x, y),
            lib.fmax(x, y),
            lib.fmin(x, y),
            lib.xlogy(x, y),
            lib.xlogy(x, 2.0),
            lib.xlogy(2.0, y),
            lib.copysign(x, y),
            lib.copysign(x, -1.0),
            lib.float_power(x, y),
            lib.nextafter(x, y),
            lib.lerp(x, y, 0.3),
            lib.lerp(x, y, w),
            lib.addcmul(x, y, w),
            lib.addcdiv(x, y, w, value=2),
            lib.ldexp(x, lib.tensor([1, 2])),
        ]

    ours = nodes(pytensor, make)
    theirs = nodes(torch, make)
    assert ours[:-1] == theirs[:-1]
    assert ours[-1] == "LdexpBackward0"


def test_gradients_match_torch(torch):
    vals_a, vals_b, vals_w = [0.3, 0.6, 0.45], [0.2, 0.9, 0.55], [0.2, 0.7, -0.1]

    def run(lib, f):
        x = lib.tensor(vals_a, dtype=lib.float64, requires_grad=True)
        y = lib.tensor(vals_b, dtype=lib.float64, requires_grad=True)
        w = lib.tensor(vals_w, dtype=lib.float64, requires_grad=True)
        f(lib, x, y, w).sum().backward()
        return [t.grad.tolist() if t.grad is not None else None for t in (x, y, w)]

    cases = [
        lambda L, x, y, w: L.erfc(x) * L.erfinv(y),
        lambda L, x, y, w: L.lgamma(x) + L.digamma(y),
        lambda L, x, y, w: L.sinc(x) + L.logit(y) + L.atanh(w),
        lambda L, x, y, w: L.hypot(x, y) + L.logaddexp(x, w) + L.logaddexp2(y, w),
        lambda L, x, y, w: L.xlogy(x, y) + L.fmax(x, w) + L.fmin(y, w),
        lambda L, x, y, w: L.copysign(x, w) + L.float_power(x, y),
        lambda L, x, y, w: L.lerp(x, y, w) + L.lerp(x, y, 0.75),
        lambda L, x, y, w: L.addcmul(x, y, w, value=0.5) + L.addcdiv(x, y, w + 1, value=-2),
    ]
    for f in cases:
        ours, theirs = run(pytensor, f), run(torch, f)
        for o, t in zip(ours, theirs):
            if t is None:
                assert o is None
            else:
                np.testing.assert_allclose(o, t, rtol=1e-10, atol=1e-12)


# ---- CUDA: every op against the CPU result of the same pytensor op -------------------------------


def _cuda_available() -> bool:
    cuda = getattr(pytensor, "cuda", None)
    if cuda is not None and hasattr(cuda, "is_available"):
        return cuda.is_available()
    return pytensor._C._cuda_device_count() > 0


gpu = pytest.mark.skipif(not _cuda_available(), reason="needs a CUDA GPU")


def _same(got, want):
    """A CUDA result (copied back) against the CPU result: dtype, shape, values (a few ulps: the
    GPU's libm differs)."""
    assert got.device.type == "cuda"
    got = got.cpu()
    assert got.dtype == want.dtype and tuple(got.shape) == tuple(want.shape)
    g, w = to_numpy(got), to_numpy(want)
    if w.dtype.kind == "f":
        tol = 1e-5 if w.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol, equal_nan=True)
    else:
        np.testing.assert_array_equal(g, w)


@gpu
@pytest.mark.parametrize("name", UNARY_NAMES)
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_cuda_unary_matches_cpu(name, dtype):
    x = pt(_sample(dtype), dtype)
    fn = getattr(pytensor, name)
    try:
        want = fn(x)
    except Exception as e:  # noqa: BLE001 - the same class must come back
        with pytest.raises(type(e)):
            fn(x.cuda())
        return
    _same(fn(x.cuda()), want)
    _same(fn(x.cuda()[::2]), fn(x[::2]))  # strided input
    if name not in ("signbit", "isposinf", "isneginf") and (
        dtype.is_floating_point or name in ("sgn",)
    ):
        y = x.cuda()
        inplace = getattr(y, name + "_", None)
        if inplace is not None:
            assert inplace() is y
            _same(y, want)


@gpu
@pytest.mark.parametrize("name", BINARY_NAMES)
@pytest.mark.parametrize("da,db", BINARY_DTYPE_PAIRS)
def test_cuda_binary_matches_cpu(name, da, db):
    va, vb = _sample(da), _sample(db)
    n = min(len(va), len(vb))
    va, vb = va[:n], list(reversed(vb))[:n]
    if name == "ldexp":
        vb = [v if isinstance(v, bool) or (math.isfinite(v) and abs(v) < 40) else 3 for v in vb]
    a, b = pt(va, da), pt(vb, db)
    fn = getattr(pytensor, name)
    try:
        want = fn(a, b)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            fn(a.cuda(), b.cuda())
        return
    _same(fn(a.cuda(), b.cuda()), want)
    # broadcast (2, n) x (n,), an expanded operand, and a non-contiguous (transposed) one
    a2 = pytensor.stack([a, a])
    _same(fn(a2.cuda(), b.cuda()), fn(a2, b))
    _same(fn(a.cuda().expand(3, n), b.cuda()), fn(a.expand(3, n), b))
    _same(fn(a2.t().cuda().t(), b.cuda()), fn(a2, b))


@gpu
def test_cuda_scalars_params_and_device_errors():
    x = pt([NAN, INF, -INF, 0.25, 0.95], pytensor.float32)
    xc = x.cuda()
    _same(
        pytensor.nan_to_num(xc, nan=1.0, posinf=2.0, neginf=-2.0),
        pytensor.nan_to_num(x, nan=1.0, posinf=2.0, neginf=-2.0),
    )
    _same(pytensor.logit(xc, eps=0.1), pytensor.logit(x, eps=0.1))
    _same(pytensor.xlogy(xc, 2.0), pytensor.xlogy(x, 2.0))
    _same(pytensor.xlogy(2, xc), pytensor.xlogy(2, x))
    _same(pytensor.copysign(xc, -1), pytensor.copysign(x, -1))
    _same(
        pytensor.hypot(xc, pt(2.0, pytensor.float32)), pytensor.hypot(x, pt(2.0, pytensor.float32))
    )  # 0-dim CPU
    _same(pytensor.float_power(xc, 2), pytensor.float_power(x, 2))
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        pytensor.hypot(xc, x)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        pytensor.addcmul(xc, x, x)


@gpu
def test_cuda_ternary_and_gradients():
    s = pt([[0.0, 1.0, -2.0, 10.0]], pytensor.float32)
    e = pt([[1.0], [3.0]], pytensor.float32)
    w = pt([0.1, 0.5, 0.9, 1.0], pytensor.float32)
    sc, ec, wc = s.cuda(), e.cuda(), w.cuda()
    _same(pytensor.lerp(sc, ec, 0.3), pytensor.lerp(s, e, 0.3))
    _same(
        pytensor.lerp(sc, ec.expand(2, 4).contiguous(), wc),
        pytensor.lerp(s, e.expand(2, 4).contiguous(), w),
    )
    _same(pytensor.addcmul(sc, ec, wc, value=0.5), pytensor.addcmul(s, e, w, value=0.5))
    _same(pytensor.addcdiv(sc, ec, wc, value=-2), pytensor.addcdiv(s, e, w, value=-2))
    _same(pytensor.ldexp(sc, pt([1, 2, 3, -1]).cuda()), pytensor.ldexp(s, pt([1, 2, 3, -1])))

    def grads(device):
        a = pt([0.3, 0.6, 1.5]).to(device).requires_grad_()
        b = pt([0.2, 0.9, 0.7]).to(device).requires_grad_()
        c = pt([0.2, 0.7, -0.1]).to(device).requires_grad_()
        out = (
            pytensor.hypot(a, b)
            + pytensor.lgamma(a)
            + pytensor.digamma(b)
            + pytensor.erfinv(c * 0.5)
            + pytensor.lerp(a, b, c)
            + pytensor.addcdiv(a, b, c + 2, value=0.5)
            + pytensor.logaddexp(a, c)
        )
        out.sum().backward()
        return [t.grad.cpu() for t in (a, b, c)]

    for g, want in zip(grads("cuda"), grads("cpu")):
        np.testing.assert_allclose(to_numpy(g), to_numpy(want), rtol=1e-12, atol=1e-12)
