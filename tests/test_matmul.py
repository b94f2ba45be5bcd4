"""Matrix products (mm, matmul, bmm, mv, dot, outer, addmm, addmv, baddbmm, linear, @) against
numpy: every form in float32 and float64, transposed / strided / broadcast / batched inputs,
empty dimensions, integer dtypes, and every error torch raises; torch parity when installed."""

from __future__ import annotations

import numpy as np
import pytest

import pytensor
from conftest import FLOAT_DTYPES, INT_DTYPES, NP_OF, assert_close, to_numpy
from pytensor import _linalg

RNG = np.random.default_rng(0)
F32, F64 = pytensor.float32, pytensor.float64


def rand(*shape, dtype=F64) -> np.ndarray:
    """Uniform values in [-1, 1); small integers for integer dtypes."""
    npdt = NP_OF[dtype]
    if np.issubdtype(npdt, np.integer):
        lo = 0 if npdt == np.uint8 else -4
        return RNG.integers(lo, 5, size=shape).astype(npdt)
    return RNG.uniform(-1, 1, size=shape).astype(npdt)


def T(a: np.ndarray) -> pytensor.Tensor:
    """A tensor viewing `a` with its strides (transposes and slices stay non-contiguous)."""
    return pytensor.from_numpy(a)


def tol(dtype) -> dict:
    # References are computed in float64 from the same inputs; float32 accumulates in float32.
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == F32 else {"rtol": 1e-11, "atol": 1e-11}


def ref(x: np.ndarray) -> np.ndarray:
    return x.astype(np.float64) if x.dtype.kind == "f" else x


def check(got: pytensor.Tensor, expected: np.ndarray, dtype) -> None:
    assert_close(got, expected.astype(NP_OF[dtype]) if expected.dtype != NP_OF[dtype] else expected,
                 **(tol(dtype) if dtype in FLOAT_DTYPES else {}))


# ---- mm -----------------------------------------------------------------------------------

# (m, k, n): tiny (plain loop), gemv shapes (m or n = 1), BLAS-sized, threaded-sized.
MM_SHAPES = [(1, 5, 1), (2, 3, 4), (1, 7, 9), (9, 7, 1), (5, 1, 6), (17, 33, 9), (64, 64, 64),
             (130, 70, 90)]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("m, k, n", MM_SHAPES)
def test_mm_matches_numpy(dtype, m, k, n):
    a, b = rand(m, k, dtype=dtype), rand(k, n, dtype=dtype)
    check(pytensor.mm(T(a), T(b)), ref(a) @ ref(b), dtype)


def _layouts(rows: int, cols: int, dtype) -> list:
    """The same logical matrix in several memory layouts: (name, numpy view)."""
    base = rand(rows, cols, dtype=dtype)
    out = [("contiguous", base)]
    out.append(("transposed", np.ascontiguousarray(base.T).T))           # rs = 1, cs = rows
    padded = rand(rows, cols + 3, dtype=dtype)
    padded[:, :cols] = base
    out.append(("row-padded", padded[:, :cols]))                           # ld > cols
    tpad = rand(cols, rows + 2, dtype=dtype)
    tpad[:, :rows] = base.T
    out.append(("transposed-padded", tpad[:, :rows].T))                     # trans with ld > rows
    wide = rand(rows, 2 * cols, dtype=dtype)
    wide[:, ::2] = base
    out.append(("column-step", wide[:, ::2]))                              # irregular: copied
    tall = rand(2 * rows, cols, dtype=dtype)
    tall[::2] = base
    out.append(("row-step", tall[::2]))                                    # ld = 2 * cols
    return out


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [pytensor.int64])
@pytest.mark.parametrize("m, k, n", [(3, 4, 5), (1, 6, 7), (8, 6, 1), (40, 30, 20)])
def test_mm_strided_layouts(dtype, m, k, n):
    for name_a, a in _layouts(m, k, dtype):
        for name_b, b in _layouts(k, n, dtype):
            got = pytensor.mm(T(a), T(b))
            expected = ref(np.ascontiguousarray(a)) @ ref(np.ascontiguousarray(b))
            try:
                check(got, expected, dtype)
            except AssertionError as e:
                raise AssertionError(f"layouts {name_a} @ {name_b}: {e}") from None


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_mm_broadcast_and_overlapping_strides(dtype):
    # Stride-0 (expanded) and overlapping rows cannot go to BLAS as they are; they are copied.
    row = rand(1, 20, dtype=dtype)
    a = np.broadcast_to(row, (12, 20))
    b = rand(20, 9, dtype=dtype)
    check(pytensor.mm(T(a), T(b)), ref(a) @ ref(b), dtype)
    col = rand(20, 1, dtype=dtype)
    bb = np.broadcast_to(col, (20, 9))
    check(pytensor.mm(T(b.T.copy()), T(bb)), ref(b.T) @ ref(bb), dtype)
    flat = rand(40, dtype=dtype)
    overlap = np.lib.stride_tricks.as_strided(flat, shape=(10, 8), strides=(flat.itemsize * 3, flat.itemsize))
    bmat = rand(8, 5, dtype=dtype)
    check(pytensor.mm(T(overlap), T(bmat)), ref(overlap) @ ref(bmat), dtype)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_mm_integer_dtypes_exact(dtype):
    a, b = rand(7, 9, dtype=dtype), rand(9, 4, dtype=dtype)
    got = pytensor.mm(T(a), T(b))
    assert got.dtype == dtype
    # numpy's integer matmul wraps in the same dtype, as torch's does.
    np.testing.assert_array_equal(to_numpy(got), a @ b)


def test_mm_integer_wraps_like_torch():
    a = np.full((1, 4), 100, np.int8)
    b = np.full((4, 1), 3, np.int8)
    assert to_numpy(pytensor.mm(T(a), T(b)))[0, 0] == np.int8(1200 % 256 - 256)  # 1200 wraps to -80
    big = np.full((1, 2), 2**62, np.int64)
    one = np.full((2, 1), 2, np.int64)
    assert to_numpy(pytensor.mm(T(big), T(one)))[0, 0] == 0  # 2 * 2**63 wraps to 0 (mod 2**64)


def test_mm_large_integer_matches_numpy_and_threads():
    a, b = rand(300, 200, dtype=pytensor.int32), rand(200, 150, dtype=pytensor.int32)
    np.testing.assert_array_equal(to_numpy(pytensor.mm(T(a), T(b))), a @ b)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [pytensor.int64])
@pytest.mark.parametrize("m, k, n", [(0, 3, 4), (3, 0, 4), (3, 4, 0), (0, 0, 0)])
def test_mm_empty_dims(dtype, m, k, n):
    got = pytensor.mm(T(rand(m, k, dtype=dtype)), T(rand(k, n, dtype=dtype)))
    assert tuple(got.shape) == (m, n) and got.dtype == dtype
    np.testing.assert_array_equal(to_numpy(got), np.zeros((m, n)))  # k = 0: a sum of nothing


def test_mm_result_is_fresh_and_contiguous():
    a, b = rand(3, 4), rand(4, 5)
    ta, tb = T(a), T(b)
    out = pytensor.mm(ta, tb)
    assert out.is_contiguous() and out.stride() == (5, 1)
    assert out._storage_ptr() not in (ta._storage_ptr(), tb._storage_ptr())
    np.testing.assert_array_equal(a, a.copy())  # inputs untouched


# ---- matmul: every rank combination ---------------------------------------------------------

MATMUL_SHAPES = [
    ((5,), (5,)),                      # dot
    ((3, 5), (5,)),                    # mv
    ((5,), (5, 4)),                    # vector @ matrix
    ((3, 5), (5, 4)),                  # mm
    ((2, 3, 5), (5,)),                 # batched @ vector (folded into mv)
    ((2, 3, 5), (5, 4)),               # batched @ matrix (folded into mm)
    ((5,), (2, 5, 4)),                 # vector @ batched
    ((3, 5), (2, 5, 4)),               # matrix @ batched
    ((2, 3, 5), (2, 5, 4)),            # bmm
    ((2, 1, 3, 5), (4, 5, 6)),         # broadcast batch dims
    ((1, 3, 5), (7, 5, 2)),            # broadcast a size-1 batch dim
    ((4, 1, 2, 3, 5), (6, 1, 5, 1)),   # high rank, n = 1
    ((3, 1, 5), (3, 5, 4)),            # m = 1 batches
    ((3, 70, 60), (3, 60, 50)),        # batched BLAS products, threaded over the batch
    ((2, 130, 80), (80, 90)),          # folded, large enough to be threaded by BLAS
    ((8, 1, 300), (8, 300, 200)),      # batched gemv, each threaded by BLAS
    ((6, 40, 30), (6, 30, 1)),         # batched gemv, split over the batch
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("sa, sb", MATMUL_SHAPES)
def test_matmul_matches_numpy(dtype, sa, sb):
    a, b = rand(*sa, dtype=dtype), rand(*sb, dtype=dtype)
    expected = np.matmul(ref(a), ref(b))
    check(pytensor.matmul(T(a), T(b)), np.asarray(expected), dtype)
    check(T(a) @ T(b), np.asarray(expected), dtype)
    check(T(a).matmul(T(b)), np.asarray(expected), dtype)


@pytest.mark.parametrize("sa, sb", MATMUL_SHAPES[:13])
def test_matmul_integer(sa, sb):
    a, b = rand(*sa, dtype=pytensor.int64), rand(*sb, dtype=pytensor.int64)
    got = pytensor.matmul(T(a), T(b))
    assert got.dtype == pytensor.int64
    np.testing.assert_array_equal(to_numpy(got), np.matmul(a, b))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_matmul_non_contiguous_batches(dtype):
    # Permuted batch dims, transposed matrices and a non-foldable 3-D operand: no copies needed.
    a = rand(5, 4, 3, dtype=dtype).transpose(1, 0, 2)   # (4, 5, 3), batch stride smaller than row stride
    b = rand(4, 6, 3, dtype=dtype).transpose(0, 2, 1)   # (4, 3, 6), transposed matrices
    check(pytensor.matmul(T(a), T(b)), ref(a) @ ref(b), dtype)
    w = rand(3, 7, dtype=dtype)
    check(pytensor.matmul(T(a), T(w)), ref(a) @ ref(w), dtype)          # batch @ matrix, unfoldable
    v = rand(3, dtype=dtype)
    check(pytensor.matmul(T(a), T(v)), ref(a) @ ref(v), dtype)          # batch @ vector, unfoldable
    expanded = np.broadcast_to(rand(1, 5, 3, dtype=dtype), (4, 5, 3))    # batch stride 0
    check(pytensor.matmul(T(expanded), T(b)), ref(expanded) @ ref(b), dtype)
    strided_v = rand(6, dtype=dtype)[::2]
    check(pytensor.matmul(T(a), T(strided_v)), ref(a) @ ref(strided_v), dtype)
    big = rand(40, 8, 30, dtype=dtype).transpose(1, 0, 2)  # BLAS gemv per batch item, unfoldable
    v30 = rand(30, dtype=dtype)
    check(pytensor.matmul(T(big), T(v30)), ref(big) @ ref(v30), dtype)
    check(pytensor.matmul(T(v30[:8].copy()), T(big.transpose(0, 2, 1)[:, :8, :].copy())),
          ref(v30[:8]) @ ref(big.transpose(0, 2, 1)[:, :8, :]), dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [pytensor.int64])
@pytest.mark.parametrize("sa, sb", [((0, 3, 4), (4, 5)), ((2, 0, 4), (2, 4, 5)), ((2, 3, 0), (2, 0, 5)),
                                    ((0,), (0,)), ((3, 0), (0,)), ((0,), (0, 4)), ((2, 3, 4), (0, 4, 5))])
def test_matmul_empty(dtype, sa, sb):
    a, b = rand(*sa, dtype=dtype), rand(*sb, dtype=dtype)
    if sb == (0, 4, 5):  # batch dims 2 and 0 do not broadcast
        with pytest.raises(RuntimeError, match="must match the size of tensor b"):
            pytensor.matmul(T(a), T(b))
        return
    got = pytensor.matmul(T(a), T(b))
    expected = np.matmul(a, b)
    assert tuple(got.shape) == np.shape(expected)
    np.testing.assert_array_equal(to_numpy(got), expected)


def test_matmul_operators():
    a, b = rand(2, 3, dtype=F32), rand(3, 4, dtype=F32)
    ta, tb = T(a), T(b)
    x = ta
    x @= tb  # torch has no in-place matmul: x is rebound to a new (2, 4) tensor
    assert x is not ta and tuple(x.shape) == (2, 4)
    check(x, ref(a) @ ref(b), F32)
    assert tuple(ta.shape) == (2, 3)
    check(pytensor.Tensor.__rmatmul__(tb, ta), ref(a) @ ref(b), F32)
    with pytest.raises(TypeError, match="unsupported operand"):
        ta @ 2
    with pytest.raises(TypeError, match="unsupported operand"):
        2 @ ta


# ---- bmm, mv, dot, outer ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES + INT_DTYPES)
@pytest.mark.parametrize("b, m, k, n", [(3, 2, 4, 5), (5, 1, 6, 1), (4, 20, 10, 30), (0, 2, 3, 4), (2, 3, 0, 4),
                                        (6, 80, 70, 90)])
def test_bmm(dtype, b, m, k, n):
    x, y = rand(b, m, k, dtype=dtype), rand(b, k, n, dtype=dtype)
    got = pytensor.bmm(T(x), T(y))
    assert got.dtype == dtype
    check(got, np.matmul(ref(x), ref(y)), dtype)
    check(T(x).bmm(T(y)), np.matmul(ref(x), ref(y)), dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_bmm_transposed_batches(dtype):
    x = rand(4, 5, 3, dtype=dtype).transpose(0, 2, 1)
    y = rand(5, 4, 6, dtype=dtype).transpose(1, 0, 2)
    check(pytensor.bmm(T(x), T(y)), ref(x) @ ref(y), dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [pytensor.int32])
@pytest.mark.parametrize("m, k", [(3, 4), (1, 1), (100, 80), (0, 3), (3, 0)])
def test_mv(dtype, m, k):
    a, v = rand(m, k, dtype=dtype), rand(k, dtype=dtype)
    check(pytensor.mv(T(a), T(v)), ref(a) @ ref(v), dtype)
    check(T(a).mv(T(v)), ref(a) @ ref(v), dtype)
    if m and k:
        at = np.ascontiguousarray(rand(k, m, dtype=dtype)).T
        vs = rand(3 * k, dtype=dtype)[::3]
        check(pytensor.mv(T(at), T(vs)), ref(at) @ ref(vs), dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + INT_DTYPES)
@pytest.mark.parametrize("n", [0, 1, 7, 64, 65, 1000])
def test_dot(dtype, n):
    a, b = rand(n, dtype=dtype), rand(n, dtype=dtype)
    got = pytensor.dot(T(a), T(b))
    assert got.dtype == dtype and tuple(got.shape) == ()
    check(got, np.asarray(np.dot(ref(a), ref(b))), dtype)
    if n:
        s = rand(2 * n, dtype=dtype)[::2]
        check(T(a).dot(T(s)), np.asarray(np.dot(ref(a), ref(s))), dtype)


def test_dot_stride_zero_vector():
    a = rand(100)
    b = np.broadcast_to(rand(1), (100,))
    check(pytensor.dot(T(a), T(b)), np.asarray(a @ b), F64)


def test_outer_promotes_like_torch():
    a = rand(3, dtype=F32)
    b = rand(4, dtype=F64)
    got = pytensor.outer(T(a), T(b))
    assert got.dtype == F64
    check(got, np.outer(ref(a), b), F64)
    ints = np.array([1, 2, 3], np.int64)
    assert pytensor.outer(T(ints), T(a)).dtype == F32
    bools = np.array([True, False])
    got = pytensor.outer(T(bools), T(bools))
    assert got.dtype == pytensor.bool
    np.testing.assert_array_equal(to_numpy(got), np.outer(bools, bools))
    check(T(a).outer(T(a)), np.outer(ref(a), ref(a)), F32)
    check(pytensor.ger(T(a), T(a)), np.outer(ref(a), ref(a)), F32)


# ---- addmm, addmv, baddbmm ------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("in_shape", [(2, 4), (4,), (1, 4), (2, 1), ()])
@pytest.mark.parametrize("beta, alpha", [(1, 1), (0.5, 2.0), (0, 1), (2, 0)])
def test_addmm(dtype, in_shape, beta, alpha):
    x = rand(*in_shape, dtype=dtype)
    a, b = rand(2, 3, dtype=dtype), rand(3, 4, dtype=dtype)
    expected = beta * ref(x) + alpha * (ref(a) @ ref(b))
    got = pytensor.addmm(T(x), T(a), T(b), beta=beta, alpha=alpha)
    check(got, np.broadcast_to(expected, (2, 4)), dtype)
    check(T(x).addmm(T(a), T(b), beta=beta, alpha=alpha), np.broadcast_to(expected, (2, 4)), dtype)


@pytest.mark.parametrize("m, k, n", [(1, 5, 1), (1, 30, 20), (20, 30, 1), (40, 30, 20)])
def test_addmm_beta_zero_ignores_nan_input(m, k, n):
    # beta = 0 means "do not read input": a NaN there must not leak (torch and BLAS agree).
    x = np.full((m, n), np.nan, np.float32)
    a, b = rand(m, k, dtype=F32), rand(k, n, dtype=F32)
    got = pytensor.addmm(T(x), T(a), T(b), beta=0)
    check(got, ref(a) @ ref(b), F32)
    got = pytensor.addmm(T(x), T(a), T(b), beta=0.0, alpha=2)
    check(got, 2 * (ref(a) @ ref(b)), F32)


def test_addmm_empty_k_gives_beta_times_input():
    x = np.full((3,), 2.0, np.float32)
    got = pytensor.addmm(T(x), T(rand(2, 0, dtype=F32)), T(rand(0, 3, dtype=F32)), beta=3)
    check(got, np.full((2, 3), 6.0), F32)


def test_addmm_integer_scalars_truncate_like_torch():
    x = np.ones((2, 3), np.int64)
    a, b = np.ones((2, 3), np.int64), np.ones((3, 3), np.int64)
    # torch casts alpha=1.5 and beta=2.5 to the integer dtype: 1 and 2.
    got = pytensor.addmm(T(x), T(a), T(b), alpha=1.5, beta=2.5)
    np.testing.assert_array_equal(to_numpy(got), np.full((2, 3), 5))
    got = pytensor.addmm(T(x), T(a), T(b), alpha=2, beta=3)
    np.testing.assert_array_equal(to_numpy(got), np.full((2, 3), 9))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [pytensor.int64])
@pytest.mark.parametrize("in_shape", [(4,), (1,), ()])
def test_addmv(dtype, in_shape):
    x, a, v = rand(*in_shape, dtype=dtype), rand(4, 3, dtype=dtype), rand(3, dtype=dtype)
    for beta, alpha in [(1, 1), (2, 3), (0, 1)]:
        expected = beta * ref(x) + alpha * (ref(a) @ ref(v))
        check(pytensor.addmv(T(x), T(a), T(v), beta=beta, alpha=alpha), np.broadcast_to(expected, (4,)), dtype)


def test_addmv_beta_zero_ignores_nan():
    x = np.full((30,), np.nan)
    a, v = rand(30, 20), rand(20)
    check(pytensor.addmv(T(x), T(a), T(v), beta=0), a @ v, F64)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES + [pytensor.int16])
@pytest.mark.parametrize("in_shape", [(3, 2, 4), (4,), (3, 1, 1), (2, 4)])
def test_baddbmm(dtype, in_shape):
    x = rand(*in_shape, dtype=dtype)
    b1, b2 = rand(3, 2, 5, dtype=dtype), rand(3, 5, 4, dtype=dtype)
    for beta, alpha in [(1, 1), (2, -1), (0, 1)]:
        expected = beta * ref(x) + alpha * (ref(b1) @ ref(b2))
        got = pytensor.baddbmm(T(x), T(b1), T(b2), beta=beta, alpha=alpha)
        check(got, np.broadcast_to(expected, (3, 2, 4)).astype(expected.dtype), dtype)
    check(T(x).baddbmm(T(b1), T(b2)), np.broadcast_to(ref(x) + ref(b1) @ ref(b2), (3, 2, 4)), dtype)


# ---- linear ---------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("in_shape", [(5, 3), (3,), (4, 5, 3), (2, 2, 2, 3)])
@pytest.mark.parametrize("with_bias", [True, False])
def test_linear(dtype, in_shape, with_bias):
    x, w = rand(*in_shape, dtype=dtype), rand(6, 3, dtype=dtype)
    bias = rand(6, dtype=dtype) if with_bias else None
    expected = ref(x) @ ref(w).T + (ref(bias) if with_bias else 0)
    got = _linalg.linear(T(x), T(w), T(bias) if with_bias else None)
    check(got, expected, dtype)


def test_linear_non_contiguous_input_and_bias_forms():
    x = rand(3, 4, 5).transpose(1, 0, 2)  # (4, 3, 5), cannot be folded into rows by a view
    w, bias = rand(2, 5), rand(2)
    check(_linalg.linear(T(x), T(w), T(bias)), x @ w.T + bias, F64)
    check(_linalg.linear(T(x[0]), T(w), T(np.array(1.5))), x[0] @ w.T + 1.5, F64)  # 0-d bias
    b2 = rand(3, 2)
    check(_linalg.linear(T(x[0]), T(w), T(b2)), x[0] @ w.T + b2, F64)              # 2-D bias
    wv = rand(5)
    check(_linalg.linear(T(x[0]), T(wv)), x[0] @ wv, F64)                            # 1-D weight


def test_linear_integer():
    x, w, b = rand(4, 3, dtype=pytensor.int64), rand(2, 3, dtype=pytensor.int64), rand(2, dtype=pytensor.int64)
    np.testing.assert_array_equal(to_numpy(_linalg.linear(T(x), T(w), T(b))), x @ w.T + b)


# ---- errors (messages as torch's) -----------------------------------------------------------

def ones(*shape, dtype=F32):
    return pytensor.ones(*shape, dtype=dtype)


ERRORS = [
    # (callable, exception, message regex)
    (lambda: pytensor.mm(ones(1, 5), ones(1, 5)), RuntimeError,
     r"^mat1 and mat2 shapes cannot be multiplied \(1x5 and 1x5\)$"),
    (lambda: pytensor.mm(ones(2, 3), ones(3, 4, dtype=F64)), RuntimeError,
     r"^expected m1 and m2 to have the same dtype, but got: float != double$"),
    (lambda: pytensor.mm(ones(2, 3, dtype=pytensor.int64), ones(3, 4, dtype=F64)), RuntimeError,
     r"but got: long int != double$"),
    (lambda: pytensor.mm(ones(2, 3, dtype=pytensor.int8), ones(3, 4, dtype=pytensor.uint8)), RuntimeError,
     r"but got: signed char != unsigned char$"),
    (lambda: pytensor.mm(ones(2, 3), ones(4, 5, dtype=F64)), RuntimeError,
     r"shapes cannot be multiplied \(2x3 and 4x5\)"),  # shapes are checked before dtypes
    (lambda: pytensor.mm(ones(3), ones(3, 4)), RuntimeError, r"^self must be a matrix$"),
    (lambda: pytensor.mm(ones(2, 3), ones(2, 3, 4)), RuntimeError, r"^mat2 must be a matrix$"),
    (lambda: pytensor.mm(ones(2, 3, dtype=pytensor.bool), ones(3, 4, dtype=pytensor.bool)),
     NotImplementedError, r"^\"addmm_impl_cpu_\" not implemented for 'Bool'$"),
    (lambda: pytensor.matmul(ones(2, 3), ones(4, 5)), RuntimeError,
     r"^mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)$"),
    (lambda: pytensor.matmul(ones(3), ones(4)), RuntimeError,
     r"^inconsistent tensor size, expected tensor \[3\] and src \[4\] to have the same number of elements, "
     r"but got 3 and 4 elements respectively$"),
    (lambda: pytensor.matmul(ones(3), ones(3, dtype=F64)), RuntimeError,
     r"^dot : expected both vectors to have same dtype, but found Float and Double$"),
    (lambda: pytensor.matmul(ones(2, 3), ones(4)), RuntimeError,
     r"^size mismatch, got input \(2\), mat \(2x3\), vec \(4\)$"),
    (lambda: pytensor.matmul(ones(2, 3), ones(3, dtype=F64)), RuntimeError,
     r"^addmv input tensors must have the same dtype, but got Double, Float, and Double$"),
    (lambda: pytensor.matmul(ones(3), ones(4, 5)), RuntimeError,
     r"^mat1 and mat2 shapes cannot be multiplied \(1x3 and 4x5\)$"),
    (lambda: pytensor.matmul(ones(2, 2, 3), ones(3, 4, 5)), RuntimeError,
     r"^The size of tensor a \(2\) must match the size of tensor b \(3\) at non-singleton dimension 0"),
    (lambda: pytensor.matmul(ones(2, 2, 3), ones(2, 4, 5)), RuntimeError,
     r"^Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[2, 4\]\.$"),
    (lambda: pytensor.matmul(ones(2, 2, 2, 3), ones(2, 2, 4, 5)), RuntimeError,
     r"^Expected size for first two dimensions of batch2 tensor to be: \[4, 3\] but got: \[4, 4\]\.$"),
    (lambda: pytensor.matmul(ones(2, 2, 3), ones(4, 5)), RuntimeError,
     r"^mat1 and mat2 shapes cannot be multiplied \(4x3 and 4x5\)$"),
    (lambda: pytensor.matmul(ones(4, 2, 3), ones(4)), RuntimeError,
     r"^size mismatch, got input \(8\), mat \(8x3\), vec \(4\)$"),
    (lambda: pytensor.matmul(ones(4), ones(2, 3, 4)), RuntimeError,
     r"^Expected size for first two dimensions of batch2 tensor to be: \[2, 4\] but got: \[2, 3\]\.$"),
    (lambda: pytensor.matmul(ones(2, 2, 3), ones(2, 3, 5, dtype=F64)), RuntimeError,
     r"^expected scalar type Float but found Double$"),
    (lambda: pytensor.matmul(ones(2, 2, 3), ones(3, 5, dtype=F64)), RuntimeError,
     r"^expected m1 and m2 to have the same dtype, but got: float != double$"),
    (lambda: pytensor.matmul(ones(3, 2, 3), ones(3, dtype=pytensor.int64)), RuntimeError,
     r"^addmv input tensors must have the same dtype, but got Long, Float, and Long$"),
    (lambda: pytensor.matmul(pytensor.tensor(1.0), ones(3)), RuntimeError,
     r"^both arguments to matmul need to be at least 1D, but they are 0D and 1D$"),
    (lambda: pytensor.matmul(ones(3), pytensor.tensor(1.0)), RuntimeError,
     r"^both arguments to matmul need to be at least 1D, but they are 1D and 0D$"),
    (lambda: pytensor.matmul(ones(2, 2, 3, dtype=pytensor.bool), ones(2, 3, 4, dtype=pytensor.bool)),
     NotImplementedError, r"^\"bmm\" not implemented for 'Bool'$"),
    (lambda: pytensor.matmul(ones(2, 2, 3, dtype=pytensor.bool), ones(3, dtype=pytensor.bool)),
     NotImplementedError, r"^\"addmv_impl_cpu\" not implemented for 'Bool'$"),
    (lambda: pytensor.bmm(ones(2, 2, 3), ones(3, 3, 5)), RuntimeError,
     r"^Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[3, 3\]\.$"),
    (lambda: pytensor.bmm(ones(2, 2, 3), ones(2, 4, 5, dtype=F64)), RuntimeError,
     r"batch2 tensor to be: \[2, 3\] but got: \[2, 4\]\.$"),
    (lambda: pytensor.bmm(ones(2, 3), ones(2, 3, 5)), RuntimeError, r"^batch1 must be a 3D tensor$"),
    (lambda: pytensor.bmm(ones(2, 2, 3), ones(3, 5)), RuntimeError, r"^batch2 must be a 3D tensor$"),
    (lambda: pytensor.bmm(ones(2, 2, 3), ones(2, 3, 5, dtype=F64)), RuntimeError,
     r"^expected scalar type Float but found Double$"),
    (lambda: pytensor.bmm(ones(2, 2, 3, dtype=pytensor.bool), ones(2, 3, 4, dtype=pytensor.bool)),
     NotImplementedError, r"^\"bmm\" not implemented for 'Bool'$"),
    (lambda: pytensor.mv(ones(2, 3), ones(4)), RuntimeError,
     r"^size mismatch, got input \(2\), mat \(2x3\), vec \(4\)$"),
    (lambda: pytensor.mv(ones(2, 3), ones(3, 1)), RuntimeError,
     r"^vector \+ matrix @ vector expected, got 1, 2, 2$"),
    (lambda: pytensor.mv(ones(3), ones(3)), RuntimeError, r"^vector \+ matrix @ vector expected, got 1, 1, 1$"),
    (lambda: pytensor.mv(ones(2, 3), ones(3, dtype=pytensor.int64)), RuntimeError,
     r"^addmv input tensors must have the same dtype, but got Long, Float, and Long$"),
    (lambda: pytensor.mv(ones(2, 3, dtype=pytensor.bool), ones(3, dtype=pytensor.bool)),
     NotImplementedError, r"^\"addmv_impl_cpu\" not implemented for 'Bool'$"),
    (lambda: pytensor.dot(ones(3), ones(4)), RuntimeError, r"^inconsistent tensor size"),
    (lambda: pytensor.dot(ones(3, 1), ones(3)), RuntimeError, r"^1D tensors expected, but got 2D and 1D tensors$"),
    (lambda: pytensor.dot(pytensor.tensor(1.0), ones(3)), RuntimeError,
     r"^1D tensors expected, but got 0D and 1D tensors$"),
    (lambda: pytensor.dot(ones(3), ones(3, dtype=pytensor.int64)), RuntimeError,
     r"^dot : expected both vectors to have same dtype, but found Float and Long$"),
    (lambda: pytensor.dot(ones(3), ones(4, dtype=F64)), RuntimeError, r"same dtype, but found Float and Double$"),
    (lambda: pytensor.dot(ones(3, dtype=pytensor.bool), ones(3, dtype=pytensor.bool)), NotImplementedError,
     r"^\"dot\" not implemented for 'Bool'$"),
    (lambda: pytensor.outer(ones(3, 1), ones(4)), RuntimeError,
     r"^outer: Expected 1-D argument self, but got 2-D$"),
    (lambda: pytensor.outer(ones(3), pytensor.tensor(1.0)), RuntimeError,
     r"^outer: Expected 1-D argument vec2, but got 0-D$"),
    (lambda: pytensor.addmm(ones(3, 4), ones(2, 3), ones(3, 4)), RuntimeError,
     r"^The expanded size of the tensor \(2\) must match the existing size \(3\) at non-singleton dimension 0\.  "
     r"Target sizes: \[2, 4\]\.  Tensor sizes: \[3, 4\]$"),
    (lambda: pytensor.addmm(ones(2, 2, 4), ones(2, 3), ones(3, 4)), RuntimeError,
     r"the number of sizes provided \(2\) must be greater or equal to the number of dimensions in the tensor \(3\)"),
    (lambda: pytensor.addmm(ones(4, dtype=F64), ones(2, 3), ones(3, 4)), RuntimeError,
     r"^self and mat2 must have the same dtype, but got Double and Float$"),
    (lambda: pytensor.addmm(ones(4), ones(2, 3, dtype=F64), ones(3, 4)), RuntimeError,
     r"^mat1 and mat2 must have the same dtype, but got Double and Float$"),
    (lambda: pytensor.addmm(ones(4), ones(2, 3), ones(4, 4, dtype=F64)), RuntimeError,
     r"^self and mat2 must have the same dtype, but got Float and Double$"),  # dtype before shape
    (lambda: pytensor.addmm(ones(5), ones(2, 3), ones(4, 4)), RuntimeError,
     r"^mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x4\)$"),  # shape before input's size
    (lambda: pytensor.addmm(ones(4), ones(3), ones(3, 4)), RuntimeError, r"^mat1 must be a matrix, got 1-D tensor$"),
    (lambda: pytensor.addmm(ones(4), ones(2, 3), ones(3)), RuntimeError, r"^mat2 must be a matrix, got 1-D tensor$"),
    (lambda: pytensor.addmm(ones(4, dtype=pytensor.bool), ones(2, 3, dtype=pytensor.bool),
                            ones(3, 4, dtype=pytensor.bool)),
     NotImplementedError, r"^\"addmm_impl_cpu_\" not implemented for 'Bool'$"),
    (lambda: pytensor.addmv(ones(3), ones(2, 3), ones(3)), RuntimeError,
     r"^size mismatch, got input \(3\), mat \(2x3\), vec \(3\)$"),
    (lambda: pytensor.addmv(ones(2, 2), ones(2, 3), ones(3)), RuntimeError,
     r"^vector \+ matrix @ vector expected, got 2, 2, 1$"),
    (lambda: pytensor.addmv(ones(2, dtype=F64), ones(2, 3), ones(3)), RuntimeError,
     r"^addmv input tensors must have the same dtype, but got Double, Float, and Float$"),
    (lambda: pytensor.baddbmm(ones(3, 2, 4), ones(2, 2, 3), ones(2, 3, 4)), RuntimeError,
     r"^The expanded size of the tensor \(2\) must match the existing size \(3\) at non-singleton dimension 0\."),
    (lambda: pytensor.baddbmm(ones(4, dtype=F64), ones(2, 2, 3), ones(2, 3, 4)), RuntimeError,
     r"^Input dtypes must be the same, got: input double, batch1: float, batch2: float$"),
    (lambda: pytensor.baddbmm(ones(4), ones(2, 2, 3), ones(2, 3, 4, dtype=F64)), RuntimeError,
     r"^expected scalar type Float but found Double$"),
    (lambda: pytensor.baddbmm(ones(4), ones(2, 2, 3), ones(2, 4, 4)), RuntimeError,
     r"^Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[2, 4\]\.$"),
    (lambda: pytensor.baddbmm(ones(4), ones(2, 3), ones(2, 3, 4)), RuntimeError, r"^batch1 must be a 3D tensor$"),
    (lambda: pytensor.baddbmm(ones(4, dtype=pytensor.bool), ones(2, 2, 3, dtype=pytensor.bool),
                              ones(2, 3, 4, dtype=pytensor.bool)),
     NotImplementedError, r"^\"baddbmm\" not implemented for 'Bool'$"),
    (lambda: _linalg.linear(ones(2, 3), ones(4, 5)), RuntimeError,
     r"^mat1 and mat2 shapes cannot be multiplied \(2x3 and 5x4\)$"),
    (lambda: _linalg.linear(ones(2, 3), ones(4, 3), ones(5)), RuntimeError,
     r"^The expanded size of the tensor \(4\) must match the existing size \(5\) at non-singleton dimension 1\."),
    (lambda: _linalg.linear(ones(2, 3), ones(4, 3), ones(4, dtype=F64)), RuntimeError,
     r"^self and mat2 must have the same dtype, but got Double and Float$"),
    (lambda: _linalg.linear(ones(2, 3), ones(4, 3, dtype=F64)), RuntimeError,
     r"^expected m1 and m2 to have the same dtype, but got: float != double$"),
    (lambda: _linalg.linear(pytensor.tensor(1.0), ones(4, 3)), RuntimeError,
     r"^both arguments to linear need to be at least 1D, but they are 0D and 2D$"),
    (lambda: _linalg.linear(ones(2, 3), ones(2, 4, 3)), RuntimeError,
     r"^t\(\) expects a tensor with <= 2 dimensions, but self is 3D$"),
    (lambda: pytensor.addmm(ones(2, 3), ones(2, 3)), TypeError, r"addmm"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    fn, exc, pattern = ERRORS[i]
    with pytest.raises(exc, match=pattern):
        fn()


def test_error_leaves_inputs_untouched():
    x = np.full((3, 4), 7.0, np.float32)
    with pytest.raises(RuntimeError):
        pytensor.addmm(T(x), ones(2, 3), ones(3, 4))
    np.testing.assert_array_equal(x, np.full((3, 4), 7.0))


# ---- threads ----------------------------------------------------------------------------------

def test_blas_threads_follow_set_num_threads():
    info = pytensor._C._blas_info()
    if info["num_threads"] < 0:
        pytest.skip("the BLAS in use cannot report its thread count")
    before = pytensor.get_num_threads()
    try:
        pytensor.set_num_threads(1)
        assert pytensor._C._blas_info()["num_threads"] == 1
        a, b = rand(200, 150, dtype=F32), rand(150, 170, dtype=F32)
        one = to_numpy(pytensor.mm(T(a), T(b)))
        ints = rand(300, 40, 30, dtype=pytensor.int32), rand(300, 30, 20, dtype=pytensor.int32)
        one_int = to_numpy(pytensor.bmm(T(ints[0]), T(ints[1])))
        pytensor.set_num_threads(2)
        assert pytensor._C._blas_info()["num_threads"] == 2

        np.testing.assert_allclose(to_numpy(pytensor.mm(T(a), T(b))), one, rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(to_numpy(pytensor.bmm(T(ints[0]), T(ints[1]))), one_int)
    finally:
        pytensor.set_num_threads(before)


def test_blas_info_names_the_library():
    info = pytensor._C._blas_info()
    assert set(info) == {"config", "corename", "num_threads", "shares_threads"}
    assert isinstance(info["config"], str) and info["config"]


def test_blas_on_either_thread_pool_gives_the_same_products():
    if pytensor._C._blas_info()["num_threads"] < 0:
        pytest.skip("not OpenBLAS")
    shared = pytensor._C._blas_info()["shares_threads"]
    a, b = rand(300, 200, dtype=F64), rand(200, 250, dtype=F64)
    v = rand(200, dtype=F64)
    x, y = rand(6, 80, 70, dtype=F32), rand(6, 70, 90, dtype=F32)
    before = pytensor.get_num_threads()
    try:
        pytensor.set_num_threads(2)
        for share in (True, False):
            assert pytensor._C._set_blas_shares_threads(share)
            assert pytensor._C._blas_info()["shares_threads"] == share
            np.testing.assert_allclose(to_numpy(pytensor.mm(T(a), T(b))), a @ b, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(to_numpy(pytensor.mv(T(a), T(v))), a @ v, rtol=1e-12, atol=1e-12)
            # On the shared team a batch of large products runs whole products per thread with
            # BLAS single-threaded meanwhile; its thread count must come back.
            check(pytensor.bmm(T(x), T(y)), ref(x) @ ref(y), F32)
            assert pytensor._C._blas_info()["num_threads"] == 2
    finally:
        pytensor._C._set_blas_shares_threads(shared)
        pytensor.set_num_threads(before)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_threaded_blas_works_in_a_forked_child():
    # GNU OpenMP's pool does not survive fork; BLAS in the child must not wait for it.
    import subprocess
    import sys
    code = (
        "import os, numpy as np, pytensor as pt\n"
        "a = pt.from_numpy(np.random.rand(400, 400))\n"
        "ref = pt.mm(a, a).numpy()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    ok = np.allclose(pt.mm(a, a).numpy(), ref)\n"
        "    os._exit(0 if ok else 3)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "raise SystemExit(os.waitstatus_to_exitcode(status))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], timeout=120)
    assert proc.returncode == 0


# ---- torch parity -----------------------------------------------------------------------------

@pytest.mark.parametrize("sa, sb", MATMUL_SHAPES[:13])
def test_matmul_torch_parity(torch, sa, sb):
    a, b = rand(*sa, dtype=F32), rand(*sb, dtype=F32)
    expected = torch.matmul(torch.from_numpy(a), torch.from_numpy(b))
    check(pytensor.matmul(T(a), T(b)), expected.numpy(), F32)


def test_products_torch_parity(torch):
    a, b, x = rand(4, 3, dtype=F64), rand(3, 5, dtype=F64), rand(5, dtype=F64)
    ta, tb, tx = (torch.from_numpy(v) for v in (a, b, x))
    check(pytensor.addmm(T(x), T(a), T(b), beta=0.3, alpha=-2), torch.addmm(tx, ta, tb, beta=0.3, alpha=-2).numpy(), F64)
    b1, b2 = rand(2, 4, 3, dtype=F64), rand(2, 3, 5, dtype=F64)
    check(pytensor.baddbmm(T(x), T(b1), T(b2), beta=2), torch.baddbmm(tx, torch.from_numpy(b1),
                                                                     torch.from_numpy(b2), beta=2).numpy(), F64)
    v = rand(3, dtype=F64)
    check(pytensor.addmv(T(rand(4, dtype=F64) * 0 + 1), T(a), T(v), alpha=3),
          torch.addmv(torch.ones(4, dtype=torch.float64), ta, torch.from_numpy(v), alpha=3).numpy(), F64)
    w, bias = rand(6, 3, dtype=F64), rand(6, dtype=F64)
    check(_linalg.linear(T(a), T(w), T(bias)),
          torch.nn.functional.linear(ta, torch.from_numpy(w), torch.from_numpy(bias)).numpy(), F64)


@pytest.mark.parametrize("i", range(len(ERRORS) - 1))
def test_error_messages_match_torch(torch, i):
    """The same call on real torch raises the same class with a message our pattern accepts."""
    import re
    fn, exc, pattern = ERRORS[i]
    src = fn.__code__
    # Re-run the lambda with `pytensor` and `_linalg` swapped for torch equivalents.
    shim = type("shim", (), {})()
    for name in ("mm", "matmul", "bmm", "mv", "dot", "outer", "addmm", "addmv", "baddbmm", "tensor"):
        setattr(shim, name, getattr(torch, name))
    lin = type("lin", (), {"linear": staticmethod(torch.nn.functional.linear)})()

    def torch_ones(*shape, dtype=F32):
        return torch.ones(*shape, dtype=getattr(torch, dtype._name))

    g = dict(fn.__globals__, pytensor=shim, _linalg=lin, ones=torch_ones, F32=F32, F64=F64)
    shim.bool, shim.int64, shim.int8, shim.uint8 = pytensor.bool, pytensor.int64, pytensor.int8, pytensor.uint8
    torch_fn = type(fn)(src, g)
    with pytest.raises(exc) as info:
        torch_fn()
    assert re.search(pattern, str(info.value).splitlines()[0]), str(info.value)
