"""Elementwise ops against numpy, and dtype rules against tables frozen from real torch.

The tables below were generated with torch 2.13 (``torch.promote_types``, ``torch.result_type``
and each op's output dtype or exception class on ``torch.ones(3, dtype=d)``), so these tests
need no torch. Codes: b1 bool, u1 uint8, i1 int8, i2 int16, i4 int32, i8 int64, f4 float32,
f8 float64; ``EN``/``ER``: torch raises NotImplementedError/RuntimeError. RESULT_TYPE rows and
columns: ``T..`` a 1-d tensor, ``Z..`` a 0-d tensor, ``Sb``/``Si``/``Sf`` a Python bool/int/float.
"""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from conftest import ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, NP_OF, assert_close, to_numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import pytensor

CODE = {
    "b1": pytensor.bool,
    "u1": pytensor.uint8,
    "i1": pytensor.int8,
    "i2": pytensor.int16,
    "i4": pytensor.int32,
    "i8": pytensor.int64,
    "f4": pytensor.float32,
    "f8": pytensor.float64,
}
CODE_OF = {v: k for k, v in CODE.items()}
ERRORS = {"EN": NotImplementedError, "ER": RuntimeError}

PROMOTE = """
    b1 u1 i1 i2 i4 i8 f4 f8
b1 b1 u1 i1 i2 i4 i8 f4 f8
u1 u1 u1 i2 i2 i4 i8 f4 f8
i1 i1 i2 i1 i2 i4 i8 f4 f8
i2 i2 i2 i2 i2 i4 i8 f4 f8
i4 i4 i4 i4 i4 i4 i8 f4 f8
i8 i8 i8 i8 i8 i8 i8 f4 f8
f4 f4 f4 f4 f4 f4 f4 f4 f8
f8 f8 f8 f8 f8 f8 f8 f8 f8
"""
RESULT_TYPE = """
    Tb1 Tu1 Ti1 Ti2 Ti4 Ti8 Tf4 Tf8 Zb1 Zu1 Zi1 Zi2 Zi4 Zi8 Zf4 Zf8  Sb  Si  Sf
Tb1  b1  u1  i1  i2  i4  i8  f4  f8  b1  u1  i1  i2  i4  i8  f4  f8  b1  i8  f4
Tu1  u1  u1  i2  i2  i4  i8  f4  f8  u1  u1  u1  u1  u1  u1  f4  f8  u1  u1  f4
Ti1  i1  i2  i1  i2  i4  i8  f4  f8  i1  i1  i1  i1  i1  i1  f4  f8  i1  i1  f4
Ti2  i2  i2  i2  i2  i4  i8  f4  f8  i2  i2  i2  i2  i2  i2  f4  f8  i2  i2  f4
Ti4  i4  i4  i4  i4  i4  i8  f4  f8  i4  i4  i4  i4  i4  i4  f4  f8  i4  i4  f4
Ti8  i8  i8  i8  i8  i8  i8  f4  f8  i8  i8  i8  i8  i8  i8  f4  f8  i8  i8  f4
Tf4  f4  f4  f4  f4  f4  f4  f4  f8  f4  f4  f4  f4  f4  f4  f4  f4  f4  f4  f4
Tf8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8
Zb1  b1  u1  i1  i2  i4  i8  f4  f8  b1  u1  i1  i2  i4  i8  f4  f8  b1  i8  f4
Zu1  u1  u1  i1  i2  i4  i8  f4  f8  u1  u1  i2  i2  i4  i8  f4  f8  u1  u1  f4
Zi1  i1  u1  i1  i2  i4  i8  f4  f8  i1  i2  i1  i2  i4  i8  f4  f8  i1  i1  f4
Zi2  i2  u1  i1  i2  i4  i8  f4  f8  i2  i2  i2  i2  i4  i8  f4  f8  i2  i2  f4
Zi4  i4  u1  i1  i2  i4  i8  f4  f8  i4  i4  i4  i4  i4  i8  f4  f8  i4  i4  f4
Zi8  i8  u1  i1  i2  i4  i8  f4  f8  i8  i8  i8  i8  i8  i8  f4  f8  i8  i8  f4
Zf4  f4  f4  f4  f4  f4  f4  f4  f8  f4  f4  f4  f4  f4  f4  f4  f8  f4  f4  f4
Zf8  f8  f8  f8  f8  f8  f8  f4  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8  f8
 Sb  b1  u1  i1  i2  i4  i8  f4  f8  b1  u1  i1  i2  i4  i8  f4  f8  --  --  --
 Si  i8  u1  i1  i2  i4  i8  f4  f8  i8  u1  i1  i2  i4  i8  f4  f8  --  --  --
 Sf  f4  f4  f4  f4  f4  f4  f4  f8  f4  f4  f4  f4  f4  f4  f4  f8  --  --  --
"""
UNARY_SUPPORT = {
    "neg": "ER u1 i1 i2 i4 i8 f4 f8",
    "abs": "EN u1 i1 i2 i4 i8 f4 f8",
    "exp": "f4 f4 f4 f4 f4 f4 f4 f8",
    "log": "f4 f4 f4 f4 f4 f4 f4 f8",
    "log1p": "f4 f4 f4 f4 f4 f4 f4 f8",
    "expm1": "f4 f4 f4 f4 f4 f4 f4 f8",
    "sqrt": "f4 f4 f4 f4 f4 f4 f4 f8",
    "rsqrt": "f4 f4 f4 f4 f4 f4 f4 f8",
    "sin": "f4 f4 f4 f4 f4 f4 f4 f8",
    "cos": "f4 f4 f4 f4 f4 f4 f4 f8",
    "tan": "f4 f4 f4 f4 f4 f4 f4 f8",
    "tanh": "f4 f4 f4 f4 f4 f4 f4 f8",
    "sigmoid": "f4 f4 f4 f4 f4 f4 f4 f8",
    "relu": "ER u1 i1 i2 i4 i8 f4 f8",
    "reciprocal": "f4 f4 f4 f4 f4 f4 f4 f8",
    "sign": "b1 u1 i1 i2 i4 i8 f4 f8",
    "floor": "EN u1 i1 i2 i4 i8 f4 f8",
    "ceil": "EN u1 i1 i2 i4 i8 f4 f8",
    "round": "EN u1 i1 i2 i4 i8 f4 f8",
    "trunc": "EN u1 i1 i2 i4 i8 f4 f8",
    "square": "i8 u1 i1 i2 i4 i8 f4 f8",
    "log2": "f4 f4 f4 f4 f4 f4 f4 f8",
    "log10": "f4 f4 f4 f4 f4 f4 f4 f8",
    "exp2": "f4 f4 f4 f4 f4 f4 f4 f8",
    "asin": "f4 f4 f4 f4 f4 f4 f4 f8",
    "acos": "f4 f4 f4 f4 f4 f4 f4 f8",
    "atan": "f4 f4 f4 f4 f4 f4 f4 f8",
    "sinh": "f4 f4 f4 f4 f4 f4 f4 f8",
    "cosh": "f4 f4 f4 f4 f4 f4 f4 f8",
    "erf": "f4 f4 f4 f4 f4 f4 f4 f8",
    "bitwise_not": "b1 u1 i1 i2 i4 i8 EN EN",
    "logical_not": "b1 b1 b1 b1 b1 b1 b1 b1",
    "isnan": "b1 b1 b1 b1 b1 b1 b1 b1",
    "isinf": "b1 b1 b1 b1 b1 b1 b1 b1",
    "isfinite": "b1 b1 b1 b1 b1 b1 b1 b1",
}
BINARY_SUPPORT = {
    "add": "b1 u1 i1 i2 i4 i8 f4 f8",
    "sub": "ER u1 i1 i2 i4 i8 f4 f8",
    "mul": "b1 u1 i1 i2 i4 i8 f4 f8",
    "div": "f4 f4 f4 f4 f4 f4 f4 f8",
    "floor_divide": "EN u1 i1 i2 i4 i8 f4 f8",
    "remainder": "EN u1 i1 i2 i4 i8 f4 f8",
    "pow": "EN u1 i1 i2 i4 i8 f4 f8",
    "maximum": "b1 u1 i1 i2 i4 i8 f4 f8",
    "minimum": "b1 u1 i1 i2 i4 i8 f4 f8",
    "atan2": "f4 f4 f4 f4 f4 f4 f4 f8",
    "fmod": "EN u1 i1 i2 i4 i8 f4 f8",
    "bitwise_and": "b1 u1 i1 i2 i4 i8 EN EN",
    "bitwise_or": "b1 u1 i1 i2 i4 i8 EN EN",
    "bitwise_xor": "b1 u1 i1 i2 i4 i8 EN EN",
    "logical_and": "b1 b1 b1 b1 b1 b1 b1 b1",
    "logical_or": "b1 b1 b1 b1 b1 b1 b1 b1",
    "logical_xor": "b1 b1 b1 b1 b1 b1 b1 b1",
    "eq": "b1 b1 b1 b1 b1 b1 b1 b1",
    "ne": "b1 b1 b1 b1 b1 b1 b1 b1",
    "lt": "b1 b1 b1 b1 b1 b1 b1 b1",
    "le": "b1 b1 b1 b1 b1 b1 b1 b1",
    "gt": "b1 b1 b1 b1 b1 b1 b1 b1",
    "ge": "b1 b1 b1 b1 b1 b1 b1 b1",
}


def _square_table(text: str) -> dict:
    lines = text.strip().splitlines()
    cols = lines[0].split()
    return {row.split()[0]: dict(zip(cols, row.split()[1:])) for row in lines[1:]}


PROMOTE_T = _square_table(PROMOTE)
RESULT_T = _square_table(RESULT_TYPE)
KINDS = list(RESULT_T)


def _support(table: dict) -> list:
    return [
        pytest.param(op, d, code, id=f"{op}-{d._name}")
        for op, row in table.items()
        for d, code in zip(ALL_DTYPES, row.split())
    ]


# ---- values used per dtype ----------------------------------------------------------------

INF, NAN = float("inf"), float("nan")
VALUES = {
    pytensor.bool: [True, False, True, True, False, False],
    pytensor.uint8: [0, 1, 2, 7, 128, 255],
    pytensor.int8: [-128, -7, -1, 0, 3, 127],
    pytensor.int16: [-32768, -300, -1, 0, 5, 32767],
    pytensor.int32: [-(2**31), -70000, -1, 0, 9, 2**31 - 1],
    pytensor.int64: [-(2**63), -(10**12), -3, 0, 11, 2**63 - 1],
    pytensor.float32: [-3.5, -1.0, -0.25, 0.0, 0.5, 2.0, 10.0, NAN, INF, -INF, 1e-30, 80.0],
    pytensor.float64: [-3.5, -1.0, -0.25, 0.0, 0.5, 2.0, 10.0, NAN, INF, -INF, 1e-300, 700.0],
}
# Binary operands: B has no zeros or -1 for integers (division by zero raises; MIN // -1
# overflows differently in numpy), floats include zeros and signed zeros.
BIN_A = {
    pytensor.bool: [True, False, True, False],
    pytensor.uint8: [0, 1, 7, 200, 255, 13],
    pytensor.int8: [-128, -7, 7, 0, 127, -1],
    pytensor.int16: [-32768, -7, 7, 0, 32767, -1],
    pytensor.int32: [-(2**31), -7, 7, 0, 2**31 - 1, -1],
    pytensor.int64: [-(2**63), -7, 7, 0, 2**63 - 1, -1],
    pytensor.float32: [-3.5, -1.0, 0.0, 2.5, NAN, INF, -INF, 7.0, -0.0, 1e-3],
    pytensor.float64: [-3.5, -1.0, 0.0, 2.5, NAN, INF, -INF, 7.0, -0.0, 1e-3],
}
BIN_B = {
    pytensor.bool: [True, True, False, False],
    pytensor.uint8: [3, 1, 2, 7, 255, 5],
    pytensor.int8: [3, -2, -3, 5, 2, 7],
    pytensor.int16: [3, -2, -3, 5, 300, 7],
    pytensor.int32: [3, -2, -3, 5, 70000, 7],
    pytensor.int64: [3, -2, -3, 5, 10**10, 7],
    pytensor.float32: [2.0, -2.0, 0.5, 0.0, 3.0, -0.0, 2.0, -1.5, 1.0, INF],
    pytensor.float64: [2.0, -2.0, 0.5, 0.0, 3.0, -0.0, 2.0, -1.5, 1.0, INF],
}
POW_B = [0, 1, 2, 3, 5, 7]


def _np(values, d):
    return np.array(values, dtype=NP_OF[d])


def _pt(values, d):
    return pytensor.tensor(values, dtype=d)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _erf(x):
    return np.vectorize(math.erf, otypes=[x.dtype])(x) if x.size else x


def _sign(x):
    if x.dtype == np.bool_:
        return x
    return (
        np.where(np.isnan(x), 0, np.sign(x)).astype(x.dtype) if x.dtype.kind == "f" else np.sign(x)
    )


def _int_identity_or(fn):
    return lambda x: x if x.dtype.kind in "iub" else fn(x)


UNARY_REF = {
    "neg": np.negative,
    "abs": np.abs,
    "exp": np.exp,
    "log": np.log,
    "log1p": np.log1p,
    "expm1": np.expm1,
    "sqrt": np.sqrt,
    "rsqrt": lambda x: 1 / np.sqrt(x),
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: np.maximum(x, x.dtype.type(0)),
    "reciprocal": lambda x: 1 / x,
    "sign": _sign,
    "floor": _int_identity_or(np.floor),
    "ceil": _int_identity_or(np.ceil),
    "round": _int_identity_or(np.round),
    "trunc": _int_identity_or(np.trunc),
    "square": lambda x: x.astype(np.int64) * x if x.dtype == np.bool_ else x * x,
    "log2": np.log2,
    "log10": np.log10,
    "exp2": np.exp2,
    "asin": np.arcsin,
    "acos": np.arccos,
    "atan": np.arctan,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "erf": _erf,
    "bitwise_not": np.invert,
    "logical_not": np.logical_not,
    "isnan": np.isnan,
    "isinf": np.isinf,
    "isfinite": np.isfinite,
}


def test_tables_cover_the_issue_ops():
    issue_unary = (
        "neg abs exp log log1p expm1 sqrt rsqrt sin cos tanh sigmoid relu reciprocal "
        "sign floor ceil round"
    ).split()
    assert set(issue_unary) <= set(UNARY_SUPPORT)
    assert set(UNARY_SUPPORT) == set(UNARY_REF)
    for op in list(UNARY_SUPPORT) + list(BINARY_SUPPORT):
        assert hasattr(pytensor, op), op
        assert hasattr(pytensor.Tensor, op), op


# ---- unary ------------------------------------------------------------------------------


@pytest.mark.parametrize("op, dtype, code", _support(UNARY_SUPPORT))
def test_unary_matches_numpy(op, dtype, code):
    x = _pt(VALUES[dtype], dtype)
    before = to_numpy(x)
    if code in ERRORS:
        with pytest.raises(ERRORS[code]):
            getattr(pytensor, op)(x)
        np.testing.assert_array_equal(to_numpy(x), before)
        return
    out_dtype = CODE[code]
    got = getattr(pytensor, op)(x)
    assert got.dtype == out_dtype
    method = getattr(x, op)()
    assert method.dtype == out_dtype
    xs = _np(VALUES[dtype], dtype)
    if out_dtype.is_floating_point and dtype != out_dtype:
        xs = xs.astype(NP_OF[out_dtype])  # torch converts integer inputs to the float type first
    with np.errstate(all="ignore"):
        if out_dtype.is_floating_point:
            want = UNARY_REF[op](xs.astype(np.float64))  # reference in double, then rounded
        else:
            want = UNARY_REF[op](xs)
    tol = (
        dict(rtol=2e-6, atol=1e-30)
        if out_dtype == pytensor.float32
        else dict(rtol=1e-12, atol=1e-300)
    )
    with np.errstate(over="ignore"):  # exp(80) overflows float32 on purpose
        want = np.asarray(want).astype(NP_OF[out_dtype])
    assert_close(got, want, dtype=out_dtype, **tol)
    assert_close(method, to_numpy(got), dtype=out_dtype, rtol=0, atol=0)
    np.testing.assert_array_equal(to_numpy(x), before)


@pytest.mark.parametrize(
    "op, dtype, code", [s for s in _support(UNARY_SUPPORT) if s.values[2] not in ERRORS]
)
def test_unary_on_strided_inputs(op, dtype, code):
    # A transposed view takes the general strided loop; results must equal the contiguous ones.
    base = _np((VALUES[dtype] * 8)[: 4 * 10], dtype).reshape(4, 10)
    x = pytensor.from_numpy(base).t()
    assert not x.is_contiguous()
    got = getattr(pytensor, op)(x)
    ref = getattr(pytensor, op)(pytensor.tensor(base.T.copy()))
    assert got.shape == (10, 4)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(ref))


@pytest.mark.parametrize("op", ["neg", "exp", "sqrt", "sigmoid", "sin", "abs", "isnan", "round"])
@pytest.mark.parametrize("dtype", [pytensor.float32, pytensor.float64, pytensor.int32])
def test_unary_on_large_inputs_split_across_threads(op, dtype):
    base = _np((VALUES[dtype] * 60000)[:300000], dtype).reshape(3, 100000)
    for x, ref_in in [(pytensor.from_numpy(base), base), (pytensor.from_numpy(base).t(), base.T)]:
        got = np.asarray(getattr(pytensor, op)(x))
        small = [
            np.asarray(getattr(pytensor, op)(pytensor.tensor(ref_in[k : k + 1].copy())))
            for k in (0, 1, 2, len(ref_in) - 1)
        ]
        for k, row in zip((0, 1, 2, len(ref_in) - 1), small):
            np.testing.assert_array_equal(got[k : k + 1], row)
        assert got.shape == ref_in.shape


# Ops torch offers in place on a tensor of its own dtype (float ops keep float tensors).
INPLACE_UNARY = [
    "neg",
    "abs",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "relu",
    "reciprocal",
    "sign",
    "floor",
    "ceil",
    "round",
    "trunc",
    "square",
    "log1p",
    "expm1",
    "rsqrt",
]


@pytest.mark.parametrize("op", INPLACE_UNARY)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_unary_inplace_returns_self(op, dtype):
    x = _pt([0.25, 1.5, 3.0], dtype)
    want = to_numpy(getattr(pytensor, op)(x))
    ptr = x.data_ptr()
    r = getattr(x, op + "_")()
    assert r is x and x.data_ptr() == ptr
    assert_close(x, want, rtol=0, atol=0)


@pytest.mark.parametrize("op", ["exp", "sqrt", "sigmoid", "sin", "log"])
def test_float_unary_inplace_on_int_raises_and_leaves_input(op):
    x = pytensor.tensor([1, 2, 3])
    with pytest.raises(
        RuntimeError, match="result type Float can't be cast to the desired output type Long"
    ):
        getattr(x, op + "_")()
    assert x.tolist() == [1, 2, 3]


def test_round_half_to_even_and_sign_of_nan():
    x = pytensor.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997])
    assert pytensor.round(x).tolist() == [0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 0.0]
    assert pytensor.sign(pytensor.tensor([NAN, -0.0, 3.0, -INF])).tolist() == [0.0, 0.0, 1.0, -1.0]


def test_sigmoid_is_stable_at_extremes():
    for d in FLOAT_DTYPES:
        s = pytensor.sigmoid(pytensor.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=d)).tolist()
        assert s[0] == 0.0 and s[2] == 0.5 and s[4] == 1.0
        assert all(not math.isnan(v) for v in s)


@pytest.mark.parametrize("name", ["exp", "sigmoid"])
def test_float32_simd_exp_is_accurate_and_layout_independent(name):
    """float32 exp/sigmoid run through SIMD code: within 2 (exp) or 3 (sigmoid) ulp of float64
    math over the whole range (specials and subnormal results included), and a value's result is the same whether it
    sits in a vector body, a ragged tail, or a strided view."""
    rng = np.random.default_rng(0)
    x = np.concatenate([
        rng.uniform(-110, 90, 200_003), rng.standard_normal(1000),
        [0.0, -0.0, NAN, INF, -INF, 88.72, 88.73, -87.33, -103.9, -104.0, 1e-30, -1e-30],
    ]).astype(np.float32)
    x64 = x.astype(np.float64)
    if name == "exp":
        ref = np.exp(x64)
    else:  # as torch: 1 / (1 + exp(-x)), so 0 once exp(-x) overflows float32
        with np.errstate(over="ignore"):
            ref = np.where(-x64 > 88.72283935546875, 0.0, 1.0 / (1.0 + np.exp(-x64)))
    with np.errstate(over="ignore"):
        ref32 = ref.astype(np.float32)
    got = getattr(pytensor, name)(pytensor.from_numpy(x)).numpy()
    assert np.array_equal(np.isnan(got), np.isnan(ref32))
    finite = np.isfinite(ref32) & (ref32 != 0)
    ulp = np.spacing(np.abs(ref32[finite])).astype(np.float64)
    max_ulp = 2.0 if name == "exp" else 3.0  # sigmoid adds the roundings of 1 + e and 1 / (.)
    assert np.max(np.abs(got[finite] - ref[finite]) / ulp) <= max_ulp
    assert np.array_equal(got[~finite & ~np.isnan(ref32)], ref32[~finite & ~np.isnan(ref32)])
    for n in range(1, 20):  # every tail length of an 8- or 4-lane vector
        part = getattr(pytensor, name)(pytensor.from_numpy(x[:n].copy())).numpy()
        assert np.array_equal(part, got[:n], equal_nan=True), n
    m = pytensor.from_numpy(x[: 301 * 601].reshape(301, 601))
    strided = getattr(pytensor, name)(m.t()).t().contiguous().numpy().ravel()
    assert np.array_equal(strided, got[: 301 * 601], equal_nan=True)


# ---- binary -----------------------------------------------------------------------------

BINARY_REF = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.true_divide,
    "floor_divide": np.floor_divide,
    "remainder": np.remainder,
    "pow": np.power,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "atan2": np.arctan2,
    "fmod": np.fmod,
    "bitwise_and": np.bitwise_and,
    "bitwise_or": np.bitwise_or,
    "bitwise_xor": np.bitwise_xor,
    "logical_and": np.logical_and,
    "logical_or": np.logical_or,
    "logical_xor": np.logical_xor,
    "eq": np.equal,
    "ne": np.not_equal,
    "lt": np.less,
    "le": np.less_equal,
    "gt": np.greater,
    "ge": np.greater_equal,
}
OPERATOR = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "floor_divide": operator.floordiv,
    "remainder": operator.mod,
    "pow": operator.pow,
    "bitwise_and": operator.and_,
    "bitwise_or": operator.or_,
    "bitwise_xor": operator.xor,
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _binary_operands(op, dtype):
    a = BIN_A[dtype]
    b = POW_B if op == "pow" and not dtype.is_floating_point else BIN_B[dtype]
    n = min(len(a), len(b))
    return a[:n], b[:n]


@pytest.mark.parametrize("op, dtype, code", _support(BINARY_SUPPORT))
def test_binary_matches_numpy(op, dtype, code):
    av, bv = _binary_operands(op, dtype)
    a, b = _pt(av, dtype), _pt(bv, dtype)
    if code in ERRORS:
        with pytest.raises(ERRORS[code]):
            getattr(pytensor, op)(a, b)
        return
    out_dtype = CODE[code]
    got = getattr(pytensor, op)(a, b)
    assert got.dtype == out_dtype
    compute = (
        NP_OF[out_dtype] if out_dtype != pytensor.bool or dtype == pytensor.bool else NP_OF[dtype]
    )
    with np.errstate(all="ignore"):
        want = BINARY_REF[op](_np(av, dtype).astype(compute), _np(bv, dtype).astype(compute))
    assert_close(got, np.asarray(want).astype(NP_OF[out_dtype]), dtype=out_dtype)
    assert_close(getattr(a, op)(b), to_numpy(got), dtype=out_dtype, rtol=0, atol=0)
    if op in OPERATOR:
        assert_close(OPERATOR[op](a, b), to_numpy(got), dtype=out_dtype, rtol=0, atol=0)


@pytest.mark.parametrize(
    "op",
    [
        "add",
        "sub",
        "mul",
        "div",
        "floor_divide",
        "remainder",
        "pow",
        "maximum",
        "minimum",
        "fmod",
        "atan2",
    ],
)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_binary_inplace_returns_self(op, dtype):
    av, bv = _binary_operands(op, dtype)
    a, b = _pt(av, dtype), _pt(bv, dtype)
    want = to_numpy(getattr(pytensor, op)(a, b))
    ptr = a.data_ptr()
    r = getattr(a, op + "_")(b)
    assert r is a and a.data_ptr() == ptr
    assert_close(a, want, rtol=0, atol=0)


@pytest.mark.parametrize(
    "sym, op",
    [
        ("+=", "add"),
        ("-=", "sub"),
        ("*=", "mul"),
        ("/=", "div"),
        ("//=", "floor_divide"),
        ("%=", "remainder"),
        ("**=", "pow"),
    ],
)
def test_augmented_assignment_keeps_identity(sym, op):
    t = pytensor.tensor([1.5, -2.0, 3.0])
    alias, view = t, t[1:]
    want = to_numpy(getattr(pytensor, op)(t, 2))
    ns = {"t": t}
    exec(f"t {sym} 2", ns)
    assert ns["t"] is alias
    assert_close(t, want, rtol=0, atol=0)
    assert view.tolist() == want[1:].tolist()  # written in place: the view sees it


def test_inplace_ops_write_through_views():
    base = pytensor.zeros(3, 4)
    base[1].add_(5)
    base[:, 2].mul_(0).sub_(1)
    base.t()[0].fill_(7)
    want = np.zeros((3, 4), dtype=np.float32)
    want[1] += 5
    want[:, 2] = -1
    want[:, 0] = 7
    assert_close(base, want)


def test_inplace_variants_and_fill_zero_copy():
    t = pytensor.tensor([[1.0, -2.0], [3.0, 4.0]])
    ptr = t.data_ptr()
    for call, want in [
        (lambda: t.add_(1, alpha=2), [[3.0, 0.0], [5.0, 6.0]]),
        (lambda: t.sub_(pytensor.tensor([1.0, 0.0])), [[2.0, 0.0], [4.0, 6.0]]),
        (lambda: t.mul_(0.5), [[1.0, 0.0], [2.0, 3.0]]),
        (lambda: t.div_(2), [[0.5, 0.0], [1.0, 1.5]]),
        (lambda: t.pow_(2), [[0.25, 0.0], [1.0, 2.25]]),
        (lambda: t.clamp_(0.5, 2.0), [[0.5, 0.5], [1.0, 2.0]]),
        (lambda: t.clamp_(min=1.0), [[1.0, 1.0], [1.0, 2.0]]),
        (lambda: t.neg_(), [[-1.0, -1.0], [-1.0, -2.0]]),
        (lambda: t.exp_().log_(), [[-1.0, -1.0], [-1.0, -2.0]]),
        (lambda: t.abs_(), [[1.0, 1.0], [1.0, 2.0]]),
        (lambda: t.copy_(pytensor.tensor([9.0, 8.0])), [[9.0, 8.0], [9.0, 8.0]]),
        (lambda: t.fill_(3), [[3.0, 3.0], [3.0, 3.0]]),
        (lambda: t.fill_(pytensor.tensor(4.5)), [[4.5, 4.5], [4.5, 4.5]]),
        (lambda: t.zero_(), [[0.0, 0.0], [0.0, 0.0]]),
    ]:
        assert call() is t
        assert t.data_ptr() == ptr
        np.testing.assert_allclose(to_numpy(t), np.array(want, dtype=np.float32), rtol=1e-6)


def test_copy_converts_dtype_and_broadcasts():
    t = pytensor.zeros(2, 3, dtype=pytensor.int32)
    t.copy_(pytensor.tensor([1.7, -2.7, 3.2]))
    assert t.tolist() == [[1, -2, 3], [1, -2, 3]]
    b = pytensor.zeros(3, dtype=pytensor.bool)
    b.copy_(pytensor.tensor([0.0, 0.1, -2.0]))
    assert b.tolist() == [False, True, True]


def test_copy_between_overlapping_views():
    t = pytensor.arange(6.0)
    t[1:].copy_(t[:-1])
    assert t.tolist() == [0.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    m = pytensor.arange(9).reshape(3, 3)
    m.copy_(m.t())
    assert m.tolist() == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]


def test_inplace_reads_an_aliased_operand_before_writing():
    t = pytensor.arange(5.0)
    t[1:].add_(t[:-1])
    assert t.tolist() == [0.0, 1.0, 3.0, 5.0, 7.0]  # torch: the source is read as it was
    m = pytensor.arange(4.0).reshape(2, 2)
    m.add_(m.t())
    assert m.tolist() == [[0.0, 3.0], [3.0, 6.0]]


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize(
    "fn",
    [
        lambda a: a // 0,
        lambda a: a % 0,
        lambda a: pytensor.fmod(a, 0),
        lambda a: a // pytensor.tensor([1, 0, 1], dtype=a.dtype),
        lambda a: pytensor.remainder(a, pytensor.zeros(3, dtype=a.dtype)),
        lambda a: a.floor_divide_(0),
        lambda a: a.remainder_(0),
        lambda a: pytensor.div(a, 0, rounding_mode="floor"),
    ],
)
def test_integer_division_by_zero_raises(dtype, fn):
    a = pytensor.tensor([1, 2, 3], dtype=dtype)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        fn(a)
    assert a.tolist() == [1, 2, 3]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + INT_DTYPES)
def test_true_division_by_zero_gives_inf_and_nan(dtype):
    a = pytensor.tensor([1, 0, 2], dtype=dtype)
    r = a / 0
    assert r.dtype == (dtype if dtype.is_floating_point else pytensor.float32)
    got = r.tolist()
    assert got[0] == INF and math.isnan(got[1]) and got[2] == INF
    if dtype.is_floating_point:
        f = (a // 0).tolist()
        assert f[0] == INF and math.isnan(f[1])
        assert all(math.isnan(v) for v in (a % 0).tolist())


@pytest.mark.parametrize("dtype", [pytensor.int8, pytensor.int16, pytensor.int32, pytensor.int64])
def test_floor_divide_and_remainder_follow_python_on_negatives(dtype):
    av = [a for a in range(-9, 10) for _ in range(6)]
    bv = [-4, -3, -1, 1, 2, 5] * 19
    a, b = pytensor.tensor(av, dtype=dtype), pytensor.tensor(bv, dtype=dtype)
    assert (a // b).tolist() == [x // y for x, y in zip(av, bv)]
    assert (a % b).tolist() == [x % y for x, y in zip(av, bv)]
    assert pytensor.fmod(a, b).tolist() == [int(math.fmod(x, y)) for x, y in zip(av, bv)]
    assert (a // 3).tolist() == [x // 3 for x in av]
    assert (a % -3).tolist() == [x % -3 for x in av]
    assert (7 // b).tolist() == [7 // y for y in bv]
    assert (-7 % b).tolist() == [-7 % y for y in bv]
    assert pytensor.div(a, b, rounding_mode="trunc").tolist() == [
        int(x / y) for x, y in zip(av, bv)
    ]
    assert pytensor.div(a, b, rounding_mode="floor").tolist() == [x // y for x, y in zip(av, bv)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_float_floor_divide_and_remainder_follow_python(dtype):
    av = [-7.5, -7.0, -6.0, -0.5, 0.0, 0.5, 6.0, 7.0, 7.5, 1e-3]
    bv = [-2.0, 2.0, -3.0, 0.25, 1.5, -0.3]
    pairs = [(x, y) for x in av for y in bv]
    a = pytensor.tensor([p[0] for p in pairs], dtype=dtype)
    b = pytensor.tensor([p[1] for p in pairs], dtype=dtype)
    # Python's float // and % on the values the tensors hold (float32 rounds 0.3 and 1e-3).
    ha, hb = to_numpy(a).astype(np.float64), to_numpy(b).astype(np.float64)
    want_div = [float(np.float64(x) // np.float64(y)) for x, y in zip(ha, hb)]
    want_mod = [float(np.float64(x) % np.float64(y)) for x, y in zip(ha, hb)]
    np.testing.assert_allclose(to_numpy(a // b), np.array(want_div), rtol=1e-6)
    np.testing.assert_allclose(to_numpy(a % b), np.array(want_mod), rtol=1e-5, atol=1e-6)
    m = to_numpy(a % b)
    assert np.all((m == 0) | (np.sign(m) == np.sign(hb)))  # the divisor's sign, as Python


def test_integer_pow_semantics():
    i = pytensor.tensor([-3, -1, 0, 1, 2, 3])
    assert (i**2).tolist() == [9, 1, 0, 1, 4, 9]
    assert (2**i).tolist() == [0, 0, 1, 2, 4, 8]  # negative tensor exponents truncate to 0
    assert pytensor.pow(
        pytensor.tensor([1, -1, -1, 2, 0]), pytensor.tensor([-1, -1, -2, -1, 2])
    ).tolist() == [1, -1, 1, 0, 0]
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        i**-1
    assert (i**-1.0).dtype == pytensor.float32
    assert (i**0.5).dtype == pytensor.float32
    assert pytensor.pow(pytensor.tensor([3], dtype=pytensor.uint8), 5).tolist() == [243]
    assert pytensor.pow(pytensor.tensor([2]), 62).tolist() == [2**62]


# ---- Python scalars, reversed operators ---------------------------------------------------

X_VALUES = [-2.5, -1.0, 0.0, 0.5, 3.0]
I_VALUES = [-7, -3, 1, 3, 7]


@pytest.mark.parametrize(
    "expr, ref",
    [
        (lambda x: 1 / (1 + pytensor.exp(-x)), lambda a: 1 / (1 + np.exp(-a))),
        (lambda x: 2 - x, lambda a: 2 - a),
        (lambda x: 2 * x + 1, lambda a: 2 * a + 1),
        (lambda x: 3 / (x + 10), lambda a: 3 / (a + 10)),
        (lambda x: 2**x, lambda a: 2.0**a),
        (lambda x: x**2, lambda a: a**2),
        (lambda x: x**0.5, lambda a: a**0.5),
        (lambda x: 7 // (x + 10), lambda a: 7 // (a + 10)),
        (lambda x: 7 % (x + 10), lambda a: 7 % (a + 10)),
        (lambda x: -x, lambda a: -a),
        (lambda x: +x, lambda a: +a),
        (lambda x: abs(x), lambda a: abs(a)),
        (lambda x: x + True, lambda a: a + 1),
        (lambda x: x * False, lambda a: a * 0),
        (lambda x: 0.5 + x, lambda a: 0.5 + a),
        (lambda x: x / np.float64(2), lambda a: a / 2),
    ],
)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_python_scalars_and_reversed_operators(expr, ref, dtype):
    x = pytensor.tensor(X_VALUES, dtype=dtype)
    got = expr(x)
    assert got.dtype == dtype  # a Python number never widens a float tensor
    with np.errstate(all="ignore"):
        want = ref(np.array(X_VALUES, dtype=np.float64))
    assert_close(got, want.astype(NP_OF[dtype]), rtol=1e-6)


@pytest.mark.parametrize(
    "expr, ref, dtype",
    [
        (lambda i: i + 1, lambda a: a + 1, pytensor.int64),
        (lambda i: 1 - i, lambda a: 1 - a, pytensor.int64),
        (lambda i: i * 2.5, lambda a: a * 2.5, pytensor.float32),
        (lambda i: i / 2, lambda a: a / 2, pytensor.float32),
        (lambda i: 2 / i, lambda a: 2 / a, pytensor.float32),
        (lambda i: i // 2, lambda a: a // 2, pytensor.int64),
        (lambda i: 20 // i, lambda a: 20 // a, pytensor.int64),
        (lambda i: i % 4, lambda a: a % 4, pytensor.int64),
        (lambda i: 20 % i, lambda a: 20 % a, pytensor.int64),
        (lambda i: i**2, lambda a: a**2, pytensor.int64),
        (lambda i: i + True, lambda a: a + 1, pytensor.int64),
        (lambda i: i & 6, lambda a: a & 6, pytensor.int64),
        (lambda i: 6 | i, lambda a: 6 | a, pytensor.int64),
        (lambda i: i ^ 5, lambda a: a ^ 5, pytensor.int64),
        (lambda i: ~i, lambda a: ~a, pytensor.int64),
        (
            lambda i: pytensor.maximum(i, pytensor.tensor(1.5)),
            lambda a: np.maximum(a, 1.5),
            pytensor.float32,
        ),
    ],
)
def test_python_scalars_with_int_tensors(expr, ref, dtype):
    i = pytensor.tensor(I_VALUES)
    got = expr(i)
    assert got.dtype == dtype
    assert_close(got, ref(np.array(I_VALUES)).astype(NP_OF[dtype]), dtype=dtype)


def test_python_float_follows_default_dtype_with_int_tensors():
    i = pytensor.tensor([1, 2])
    assert (i * 1.5).dtype == pytensor.float32
    assert (i / 2).dtype == pytensor.float32
    pytensor.set_default_dtype(pytensor.float64)
    assert (i * 1.5).dtype == pytensor.float64
    assert (i / 2).dtype == pytensor.float64
    assert pytensor.exp(i).dtype == pytensor.float64
    assert (pytensor.tensor([1.0], dtype=pytensor.float32) * 1.5).dtype == pytensor.float32


def test_uint8_with_negative_and_large_python_ints_wraps():
    u = pytensor.tensor([0, 1, 250], dtype=pytensor.uint8)
    assert (u + 10).tolist() == [10, 11, 4]
    assert (u - 3).tolist() == [253, 254, 247]
    assert (u * -1).dtype == pytensor.uint8
    assert (u * -1).tolist() == [0, 255, 6]


def test_bool_arithmetic_as_torch():
    b = pytensor.tensor([True, False, True])
    assert (b + b).dtype == pytensor.bool and (b + b).tolist() == [True, False, True]
    assert (b * b).tolist() == [True, False, True]
    assert (b + 1).dtype == pytensor.int64 and (b + 1).tolist() == [2, 1, 2]
    assert (b + 1.5).dtype == pytensor.float32
    assert (b / b).dtype == pytensor.float32
    assert (b & pytensor.tensor([True, True, False])).tolist() == [True, False, False]
    assert (~b).tolist() == [False, True, False]
    assert pytensor.square(b).dtype == pytensor.int64
    for bad in (
        lambda: b - b,
        lambda: b - 1,
        lambda: 1 - b,
        lambda: -b,
        lambda: pytensor.tensor([1, 2]) - b,
    ):
        with pytest.raises(RuntimeError, match="Subtraction, the `-` operator|Negation"):
            bad()


# ---- comparisons, logical ops -----------------------------------------------------------------


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("op", ["eq", "ne", "lt", "le", "gt", "ge"])
def test_comparisons_return_bool(dtype, op):
    av, bv = _binary_operands(op, dtype)
    a, b = _pt(av, dtype), _pt(bv, dtype)
    want = BINARY_REF[op](_np(av, dtype), _np(bv, dtype))
    for got in (getattr(pytensor, op)(a, b), getattr(a, op)(b), OPERATOR[op](a, b)):
        assert got.dtype == pytensor.bool
        assert_close(got, want)
    s = 1
    got = OPERATOR[op](a, s)
    assert got.dtype == pytensor.bool
    assert_close(got, BINARY_REF[op](_np(av, dtype).astype(np.float64), s))


def test_comparisons_with_nan_and_mixed_dtypes():
    x = pytensor.tensor([NAN, 1.0, 2.0])
    assert (x == x).tolist() == [False, True, True]
    assert (x != x).tolist() == [True, False, False]
    assert (x < 1.5).tolist() == [False, True, False]
    assert (x >= pytensor.tensor([1, 1, 3])).tolist() == [False, True, False]
    assert (pytensor.tensor([1, 2]) == pytensor.tensor([1.0, 2.5])).tolist() == [True, False]
    assert (2 > pytensor.tensor([1, 2, 3])).tolist() == [True, False, False]  # reflected __lt__
    assert (pytensor.tensor([True, False]) == 1).tolist() == [True, False]


def test_logical_ops_on_numbers():
    x = pytensor.tensor([0.0, -1.5, NAN, 0.0])
    i = pytensor.tensor([1, 0, 0, 0])
    assert pytensor.logical_and(x, i).tolist() == [False, False, False, False]
    assert pytensor.logical_or(x, i).tolist() == [True, True, True, False]
    assert pytensor.logical_xor(x, i).tolist() == [True, True, True, False]
    assert pytensor.logical_not(x).tolist() == [True, False, False, True]
    assert pytensor.logical_not(i).dtype == pytensor.bool


# ---- where / clamp / maximum / minimum ----------------------------------------------------


def test_maximum_minimum_propagate_nan():
    a = pytensor.tensor([NAN, 1.0, -1.0, NAN, INF])
    b = pytensor.tensor([0.0, NAN, 2.0, NAN, 3.0])
    mx, mn = pytensor.maximum(a, b).tolist(), pytensor.minimum(a, b).tolist()
    assert (
        math.isnan(mx[0])
        and math.isnan(mx[1])
        and mx[2] == 2.0
        and math.isnan(mx[3])
        and mx[4] == INF
    )
    assert math.isnan(mn[0]) and math.isnan(mn[1]) and mn[2] == -1.0 and mn[4] == 3.0
    assert (
        pytensor.maximum(pytensor.tensor([1, 5]), pytensor.tensor([3.5, 2.0])).dtype
        == pytensor.float32
    )
    assert pytensor.maximum(pytensor.tensor([1, 5]), pytensor.tensor([3, 2])).tolist() == [3, 5]
    assert pytensor.minimum(
        pytensor.tensor([True, False]), pytensor.tensor([True, True])
    ).tolist() == [True, False]


def test_clamp():
    x = pytensor.tensor([NAN, -2.0, 0.5, 3.0])
    got = pytensor.clamp(x, -1, 1).tolist()
    assert math.isnan(got[0]) and got[1:] == [-1.0, 0.5, 1.0]
    assert pytensor.clamp(x, min=0).tolist()[1:] == [0.0, 0.5, 3.0]
    assert pytensor.clamp(x, max=0).tolist()[1:] == [-2.0, 0.0, 0.0]
    assert pytensor.clamp(x, 2, -1).tolist()[1:] == [-1.0, -1.0, -1.0]  # min > max: all max
    assert x.clamp(-1, 1).tolist()[1:] == [-1.0, 0.5, 1.0]
    assert x.clip(0, 1).tolist()[1:] == [0.0, 0.5, 1.0]
    i = pytensor.tensor([-3, 0, 3])
    assert pytensor.clamp(i, -1, 1).tolist() == [-1, 0, 1]
    assert pytensor.clamp(i, -1, 1).dtype == pytensor.int64
    assert pytensor.clamp(i, 0.5, 2.5).dtype == pytensor.float32
    assert pytensor.clamp(i, 0.5, 2.5).tolist() == [0.5, 0.5, 2.5]
    u = pytensor.tensor([0, 5, 200], dtype=pytensor.uint8)
    assert pytensor.clamp(u, 1, 100).tolist() == [1, 5, 100]
    lo, hi = pytensor.tensor([0.0, 0.0, 0.0, 0.0]), pytensor.tensor([1.0, 1.0, 0.25, 1.0])
    got = pytensor.clamp(x, lo, hi).tolist()
    assert math.isnan(got[0]) and got[1:] == [0.0, 0.25, 1.0]
    assert pytensor.clamp(x, pytensor.tensor(0.0), pytensor.tensor(1.0)).tolist()[1:] == [
        0.0,
        0.5,
        1.0,
    ]
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        pytensor.clamp(x)


def test_where():
    c = pytensor.tensor([True, False, True])
    x, y = pytensor.tensor([1.0, NAN, 3.0]), pytensor.tensor([NAN, 20.0, 30.0])
    assert pytensor.where(c, x, y).tolist() == [1.0, 20.0, 3.0]
    assert pytensor.where(c, 1, 0).tolist() == [1, 0, 1]
    assert pytensor.where(c, 1, 0).dtype == pytensor.int64
    assert pytensor.where(c, 1.0, 0).dtype == pytensor.float32
    assert pytensor.where(c, pytensor.tensor([1, 2, 3]), 2.5).dtype == pytensor.float32
    assert pytensor.where(c, pytensor.tensor([1, 2, 3]), y).dtype == pytensor.float32
    assert x.where(c, 0.0).tolist() == [1.0, 0.0, 3.0]
    got = pytensor.where(c.unsqueeze(1), x, y)  # broadcasts condition and operands
    assert got.shape == (3, 3)
    assert_close(
        got,
        np.where(
            np.array([True, False, True])[:, None],
            np.array([1.0, NAN, 3.0], dtype=np.float32),
            np.array([NAN, 20.0, 30.0], dtype=np.float32),
        ),
    )
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        pytensor.where(pytensor.tensor([1, 0, 1]), x, y)


def test_div_rounding_modes():
    a, b = pytensor.tensor([-7, -3, 3, 7]), pytensor.tensor([2, 2, -2, -2])
    assert pytensor.div(a, b).tolist() == [-3.5, -1.5, -1.5, -3.5]
    assert pytensor.div(a, b, rounding_mode="trunc").tolist() == [-3, -1, -1, -3]
    assert pytensor.div(a, b, rounding_mode="trunc").dtype == pytensor.int64
    assert pytensor.div(a, b, rounding_mode="floor").tolist() == [-4, -2, -2, -4]
    assert a.div(b, rounding_mode="floor").tolist() == [-4, -2, -2, -4]
    f = pytensor.tensor([-7.5, 7.5])
    assert pytensor.div(f, 2, rounding_mode="trunc").tolist() == [-3.0, 3.0]
    assert pytensor.true_divide(a, 2).dtype == pytensor.float32
    with pytest.raises(RuntimeError, match="rounding_mode"):
        pytensor.div(a, b, rounding_mode="round")


def test_add_sub_alpha():
    x, y = pytensor.tensor([1.0, 2.0]), pytensor.tensor([10.0, 20.0])
    assert pytensor.add(x, y, alpha=2).tolist() == [21.0, 42.0]
    assert pytensor.sub(x, y, alpha=0.5).tolist() == [-4.0, -8.0]
    assert x.add(y, alpha=2).tolist() == [21.0, 42.0]
    assert x.sub(1, alpha=2).tolist() == [-1.0, 0.0]


def test_isclose_allclose_with_special_values():
    a = pytensor.tensor([1.0, INF, NAN, 0.5, -INF])
    b = pytensor.tensor([1.0 + 1e-7, INF, NAN, INF, INF])
    assert pytensor.isclose(a, b).tolist() == [True, True, False, False, False]
    assert pytensor.isclose(a, b, equal_nan=True).tolist() == [True, True, True, False, False]


# ---- broadcasting and type promotion (hypothesis) ---------------------------------------------

BROADCAST_OPS = {
    "add": (operator.add, np.add),
    "sub": (operator.sub, np.subtract),
    "mul": (operator.mul, np.multiply),
    "div": (operator.truediv, np.true_divide),
    "maximum": (pytensor.maximum, np.maximum),
    "lt": (operator.lt, np.less),
    "where_like": (lambda a, b: pytensor.where(a > b, a, b), lambda a, b: np.where(a > b, a, b)),
}


def _tensor_with_layout(arr: np.ndarray, layout: int) -> pytensor.Tensor:
    """The values of ``arr`` as a contiguous tensor (0), a permuted view (1) or a strided view (2)."""
    if layout == 1 and arr.ndim >= 2:
        return pytensor.tensor(np.ascontiguousarray(arr.T)).permute(*range(arr.ndim - 1, -1, -1))
    if layout == 2 and arr.ndim >= 1:
        padded = np.zeros(arr.shape[:-1] + (arr.shape[-1] * 2,), dtype=arr.dtype)
        padded[..., ::2] = arr
        return pytensor.tensor(padded)[..., ::2]
    return pytensor.tensor(arr)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4),
    op=st.sampled_from(sorted(BROADCAST_OPS)),
    layouts=st.tuples(st.integers(0, 2), st.integers(0, 2)),
    data=st.data(),
)
def test_broadcasting_matches_numpy(shapes, op, layouts, data):
    sa, sb = shapes.input_shapes
    elements = st.floats(-100, 100, width=32)
    a = data.draw(hnp.arrays(np.float32, sa, elements=elements))
    b = data.draw(hnp.arrays(np.float32, sb, elements=elements.filter(lambda v: v != 0)))
    fn, ref = BROADCAST_OPS[op]
    got = fn(_tensor_with_layout(a, layouts[0]), _tensor_with_layout(b, layouts[1]))
    want = np.asarray(ref(a, b))
    assert tuple(got.shape) == shapes.result_shape
    assert_close(got, want, rtol=1e-6, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=5),
    data=st.data(),
)
def test_inplace_broadcasting_matches_numpy(shapes, data):
    sa, sb = shapes.input_shapes
    a = data.draw(hnp.arrays(np.float64, shapes.result_shape, elements=st.floats(-10, 10)))
    b = data.draw(hnp.arrays(np.float64, sb, elements=st.floats(-10, 10)))
    t = pytensor.tensor(a)
    assert t.add_(pytensor.tensor(b)) is t
    assert_close(t, a + b)
    if tuple(sa) != tuple(shapes.result_shape):
        small = pytensor.tensor(np.zeros(sa))
        with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
            small.add_(pytensor.tensor(a))
        assert_close(small, np.zeros(sa))


def test_broadcast_error_names_both_shapes():
    with pytest.raises(RuntimeError) as e:
        pytensor.ones(2, 3) + pytensor.ones(4)
    msg = str(e.value)
    assert (
        "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
        in msg
    )


def test_large_broadcast_with_threads_matches_numpy():
    a = np.arange(1_000_000, dtype=np.float32).reshape(1000, 1000) / 7
    b = np.linspace(-1, 1, 1000, dtype=np.float32)
    ta, tb = pytensor.from_numpy(a), pytensor.from_numpy(b)
    assert_close(ta * tb[:, None] + tb, a * b[:, None] + b, rtol=1e-6)
    assert_close(ta.t() - tb, a.T - b, rtol=1e-6)
    assert_close(pytensor.exp(ta[:, :50] / 1e5), np.exp(a[:, :50] / np.float32(1e5)), rtol=2e-6)


def _operand(kind: str, values: tuple):
    """A pytensor operand, a numpy value of the same dtype, for a RESULT_TYPE kind."""
    if kind == "Sb":
        return True, np.True_
    if kind == "Si":
        return 3, 3
    if kind == "Sf":
        return 2.5, 2.5
    d = CODE[kind[1:]]
    arr = np.array(values if kind[0] == "T" else values[0], dtype=NP_OF[d])
    return pytensor.tensor(arr), arr


PROMOTION_OPS = ["add", "mul", "sub", "div", "maximum", "eq", "lt", "floor_divide"]


@settings(max_examples=300, deadline=None)
@given(ka=st.sampled_from(KINDS), kb=st.sampled_from(KINDS), op=st.sampled_from(PROMOTION_OPS))
def test_type_promotion_matches_torch_table(ka, kb, op):
    if ka[0] == "S" and kb[0] == "S":
        return
    a, na = _operand(ka, (1, 0, 1))
    b, nb = _operand(kb, (1, 1, 0) if op != "floor_divide" else (1, 2, 3))
    expected = CODE[RESULT_T[ka][kb]]
    assert pytensor.result_type(a, b) == expected
    fn = getattr(pytensor, op)
    if op == "sub" and ("b1" in (ka[1:], kb[1:]) or "Sb" in (ka, kb)):
        with pytest.raises(RuntimeError, match="Subtraction"):  # torch: no bool operand at all
            fn(a, b)
        return
    if op == "floor_divide" and expected == pytensor.bool:
        with pytest.raises(NotImplementedError):
            fn(a, b)
        return
    out = fn(a, b)  # floor_divide's divisors are non-zero
    compute = expected
    if op == "div" and not expected.is_floating_point:
        compute = pytensor.float32
    want_dtype = pytensor.bool if op in ("eq", "lt") else compute
    assert out.dtype == want_dtype
    ref = BINARY_REF[op]
    cast = NP_OF[compute]
    with np.errstate(all="ignore"):
        want = ref(np.asarray(na).astype(cast), np.asarray(nb).astype(cast))
    assert_close(out, np.asarray(want).astype(NP_OF[want_dtype]), dtype=want_dtype)


@pytest.mark.parametrize("a", list(PROMOTE_T))
@pytest.mark.parametrize("b", list(PROMOTE_T))
def test_promote_types_table(a, b):
    assert pytensor.promote_types(CODE[a], CODE[b]) == CODE[PROMOTE_T[a][b]]


def test_result_type_with_default_float64():
    pytensor.set_default_dtype(pytensor.float64)
    assert pytensor.result_type(pytensor.tensor([1, 2]), 2.5) == pytensor.float64
    assert (
        pytensor.result_type(pytensor.tensor([1.0], dtype=pytensor.float32), 2.5)
        == pytensor.float32
    )
    assert pytensor.result_type(pytensor.tensor(True), 2.5) == pytensor.float64


# ---- parity with real torch where installed -----------------------------------------------------


def test_frozen_tables_match_installed_torch(torch):
    for a in PROMOTE_T:
        for b in PROMOTE_T:
            got = torch.promote_types(getattr(torch, CODE[a]._name), getattr(torch, CODE[b]._name))
            assert str(got) == "torch." + CODE[PROMOTE_T[a][b]]._name
    for op, row in UNARY_SUPPORT.items():
        for d, code in zip(ALL_DTYPES, row.split()):
            x = torch.ones(3, dtype=getattr(torch, d._name))
            try:
                got = CODE_OF[getattr(pytensor, str(getattr(torch, op)(x).dtype)[6:])]
            except (RuntimeError, NotImplementedError) as e:
                got = "EN" if isinstance(e, NotImplementedError) else "ER"
            assert got == code, (op, d)


def test_inplace_comparisons_logical_and_clamp_min_max():
    t = pytensor.tensor([1.0, 2.0, 3.0])
    assert t.eq_(pytensor.tensor([1.0, 0.0, 3.0])) is t and t.tolist() == [1.0, 0.0, 1.0]
    i = pytensor.tensor([1, 2, 3])
    assert i.lt_(2.5).tolist() == [1, 1, 0] and i.dtype == pytensor.int64
    assert pytensor.tensor([1, 2, 3]).ge_(2).tolist() == [0, 1, 1]
    assert pytensor.tensor([True, False]).logical_not_().tolist() == [False, True]
    assert pytensor.tensor([1.0, 0.0]).logical_and_(pytensor.tensor([1.0, 1.0])).tolist() == [
        1.0,
        0.0,
    ]
    assert pytensor.tensor([0, 0]).logical_or_(pytensor.tensor([0, 5])).tolist() == [0, 1]
    assert pytensor.tensor([1.0, 5.0]).clamp_min(2).tolist() == [2.0, 5.0]
    assert pytensor.tensor([1, 5]).clamp_max(2.5).tolist() == [1.0, 2.5]
    c = pytensor.tensor([1.0, 5.0])
    assert c.clamp_max_(2) is c and c.tolist() == [1.0, 2.0]
    assert pytensor.tensor([1, 2]).greater(1).tolist() == [False, True]
    assert pytensor.tensor([1, 2]).less_equal(1).tolist() == [True, False]
    r = pytensor.tensor([0.5, 1.5, 2.5])
    assert pytensor.round_(r) is r and r.tolist() == [0.0, 2.0, 2.0]


@pytest.mark.parametrize(
    "src, dst, ok",
    [
        (pytensor.float32, pytensor.int32, False),
        (pytensor.int32, pytensor.bool, False),
        (pytensor.bool, pytensor.uint8, True),
        (pytensor.float64, pytensor.float32, True),
        (pytensor.int64, pytensor.int8, True),
        (pytensor.bool, pytensor.bool, True),
    ],
)
def test_can_cast(src, dst, ok):
    assert pytensor.can_cast(src, dst) is ok


def test_results_do_not_depend_on_thread_count():
    a = np.random.default_rng(1).standard_normal((700, 300)).astype(np.float32)
    ta = pytensor.from_numpy(a)
    n = pytensor.get_num_threads()
    try:
        outs = []
        for threads in (1, max(2, n)):
            pytensor.set_num_threads(threads)
            assert pytensor.get_num_threads() == threads
            outs.append(
                [
                    np.asarray(f(ta)).copy()
                    for f in (
                        lambda x: x * 2 + 1,
                        lambda x: pytensor.exp(x),
                        lambda x: x.t() - x.t() ** 2,
                        lambda x: pytensor.where(x > 0, x, 0.0),
                        lambda x: pytensor.clamp(x, -0.5, 0.5),
                    )
                ]
            )
        for one, many in zip(*outs):
            np.testing.assert_array_equal(one, many)
    finally:
        pytensor.set_num_threads(n)


def test_negative_int_exponent_is_refused_for_unsigned_bases_too():
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        pytensor.tensor([7], dtype=pytensor.uint8) ** -1  # -1 would wrap to 255 as a uint8
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        pytensor.tensor(7, dtype=pytensor.uint8).pow_(-2)
    assert (pytensor.tensor([2], dtype=pytensor.uint8) ** 2).tolist() == [4]


def test_inplace_checks_castability_before_kernel_support():
    # torch: an int tensor cannot hold a float result, which it reports before "not implemented".
    i = pytensor.tensor([1, 2, 3], dtype=pytensor.int16)
    with pytest.raises(
        RuntimeError, match="result type Float can't be cast to the desired output type Short"
    ):
        i.bitwise_and_(pytensor.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(
        NotImplementedError, match="\"bitwise_and_cpu\" not implemented for 'Float'"
    ):
        i.bitwise_and(pytensor.tensor([1.0, 2.0, 3.0]))
    b = pytensor.tensor([True, False])
    with pytest.raises(
        RuntimeError, match="result type Char can't be cast to the desired output type Bool"
    ):
        b.clamp_min_(pytensor.tensor([-1, 1], dtype=pytensor.int8))
    assert b.tolist() == [True, False] and i.tolist() == [1, 2, 3]


def test_clamp_with_nan_bound_is_nan():
    x = pytensor.tensor([3.0, 1.0, NAN])
    for lo, hi in [(NAN, 2.0), (0.0, NAN), (NAN, None), (None, NAN)]:
        got = pytensor.clamp(x, lo, hi).tolist()
        assert all(math.isnan(v) for v in got), (lo, hi, got)
    assert all(math.isnan(v) for v in pytensor.clamp(pytensor.tensor([3, 1]), 0, NAN).tolist())


def test_large_op_in_forked_child_after_parent_used_threads():
    """The OpenMP pool does not survive fork; a child must still finish a large op."""
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    b = pytensor.ones(2_000_000)
    assert (b + b).sum().item() == 4_000_000  # the parent's pool is now started
    proc = mp.get_context("fork").Process(target=_child_adds, args=(b,))
    proc.start()
    proc.join(60)
    if proc.is_alive():
        proc.kill()
        pytest.fail("a large op hung in a forked child")
    assert proc.exitcode == 0


def _child_adds(b):
    out = b + b
    raise SystemExit(0 if out.sum().item() == 4_000_000 else 1)


def test_number_divided_by_tensor_rounds_as_torch():
    """``c / t`` is torch's ``t.reciprocal() * c`` (Tensor.__rtruediv__), which rounds differently
    from a division for about a third of float32 values; the graph is Mul(Reciprocal) too."""
    a = np.random.default_rng(0).uniform(0.1, 10, 10_000).astype(np.float32)
    for c in (3, 3.7):
        want = (np.float32(1) / a) * np.float32(c)
        np.testing.assert_array_equal((c / pytensor.from_numpy(a)).numpy(), want)
    assert (2 / pytensor.tensor([1, 2, 4])).tolist() == [2.0, 1.0, 0.5]  # int -> float32, as torch
    x = pytensor.tensor([1.0, 2.0, 4.0], requires_grad=True)
    y = 2 / x
    assert y.grad_fn.name() == "MulBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "ReciprocalBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [-2.0, -0.5, -0.125]


def test_reflected_ops_match_torch_bit_for_bit():
    torch = pytest.importorskip("torch")
    a = np.random.default_rng(1).uniform(-10, 10, 5000).astype(np.float32)
    ours, theirs = pytensor.from_numpy(a), torch.from_numpy(a)
    for f in (lambda t: 3.7 / t, lambda t: 2.5 - t, lambda t: 1.5 + t, lambda t: 0.3 * t, lambda t: 7 // t,
              lambda t: 7 % t, lambda t: t ** 2, lambda t: t ** 3, lambda t: t ** -2, lambda t: t ** -1):
        np.testing.assert_array_equal(f(ours).numpy(), f(theirs).numpy())



@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pow_by_small_numbers_takes_torchs_exact_shortcuts(dtype):
    """As torch's pow(tensor, number): x**2 is x*x (correctly rounded, where a pow call may be
    off by an ulp), x**3 = x*x*x, x**-2 = 1/(x*x), and x**0.5, x**-0.5, x**-1 are sqrt, rsqrt,
    reciprocal."""
    a = np.random.default_rng(2).uniform(0.1, 10, 4000).astype(dtype)
    x = pytensor.from_numpy(a)
    np.testing.assert_array_equal((x ** 2).numpy(), a * a)
    np.testing.assert_array_equal((x ** 2.0).numpy(), a * a)
    np.testing.assert_array_equal((x ** 3).numpy(), a * a * a)
    np.testing.assert_array_equal((x ** -2).numpy(), 1 / (a * a))
    np.testing.assert_array_equal((x ** -1).numpy(), pytensor.reciprocal(x).numpy())
    np.testing.assert_array_equal((x ** 0.5).numpy(), pytensor.sqrt(x).numpy())
    np.testing.assert_array_equal((x ** -0.5).numpy(), pytensor.rsqrt(x).numpy())
    y = x.clone()
    y.pow_(2)
    np.testing.assert_array_equal(y.numpy(), a * a)
    assert (pytensor.tensor([1, 2, 3]) ** 2).dtype == pytensor.int64
    assert (pytensor.tensor([1, 2, 3]) ** 2.0).tolist() == [1.0, 4.0, 9.0]
