"""einsum, tensordot, inner, vdot, kron, cross, addr, addbmm, chain_matmul / multi_dot,
matrix_power, dist, cdist, linalg norms and the LAPACK-backed inv / det / slogdet / solve:
values against numpy (float32 and float64, non-contiguous and batched inputs), torch's errors,
and gradients against finite differences; torch parity (values, errors, node names) where torch
is installed."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import pytensor
from conftest import FLOAT_DTYPES, NP_OF, assert_close
from pytensor.autograd import gradcheck

RNG = np.random.default_rng(7)
F32, F64 = pytensor.float32, pytensor.float64


def rand(*shape, dtype=F64) -> np.ndarray:
    return RNG.uniform(-1, 1, size=shape).astype(NP_OF[dtype])


def T(a: np.ndarray, requires_grad: bool = False) -> pytensor.Tensor:
    t = pytensor.from_numpy(a)
    if requires_grad:
        t = t.detach().clone().requires_grad_(True)
    return t


def noncontig(a: np.ndarray) -> np.ndarray:
    """The same values as ``a`` in a strided (every other element) layout."""
    big = np.empty(a.shape[:-1] + (2 * a.shape[-1],), a.dtype) if a.ndim else np.empty((), a.dtype)
    if a.ndim == 0:
        big[()] = a
        return big
    big[..., ::2] = a
    return big[..., ::2]


def tol(dtype) -> dict:
    return {"rtol": 2e-4, "atol": 2e-5} if dtype == F32 else {"rtol": 1e-10, "atol": 1e-12}


def well_conditioned(*shape, dtype=F64) -> np.ndarray:
    """Random square matrices with a dominant diagonal (far from singular)."""
    a = rand(*shape, dtype=dtype)
    n = shape[-1]
    return (a + 3 * np.eye(n)).astype(NP_OF[dtype])


# ---- einsum ---------------------------------------------------------------------------------

EINSUM_CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("i,i->", [(6,), (6,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij->ji", [(3, 4)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("iij->j", [(3, 3, 5)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("...ij,...jk->...ik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk", [(2, 1, 3, 4), (5, 4, 2)]),
    ("...ij,jk->...ik", [(2, 3, 3, 4), (4, 2)]),
    ("i...->...", [(3, 2, 4)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    ("ijk,jkl->il", [(2, 3, 4), (3, 4, 5)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("ij,ij->", [(3, 4), (3, 4)]),
    ("i,i", [(3,), (1,)]),
    ("ab,cd->abcd", [(2, 3), (1, 2)]),
    ("Ab,bA->A", [(3, 4), (4, 3)]),
    ("bi,bj->ij", [(5, 2), (5, 3)]),
    ("ijk->kji", [(2, 3, 4)]),
    ("i,j,k->ijk", [(2,), (3,), (4,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("...", [()]),
    ("ij,kl->", [(2, 3), (4, 5)]),
    ("ij,j->i", [(3, 0), (0,)]),
]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("eq, shapes", EINSUM_CASES)
def test_einsum_matches_numpy(eq, shapes, dtype):
    arrs = [rand(*s, dtype=dtype) for s in shapes]
    got = pytensor.einsum(eq, *[T(a) for a in arrs])
    want = np.einsum(eq, *[a.astype(np.float64) for a in arrs])
    assert_close(got, np.asarray(want).astype(NP_OF[dtype]), **tol(dtype))


@pytest.mark.parametrize("eq, shapes", EINSUM_CASES[:20])
def test_einsum_non_contiguous_and_list_form(eq, shapes):
    arrs = [noncontig(rand(*s)) for s in shapes]
    got = pytensor.einsum(eq, [T(a) for a in arrs])
    assert_close(got, np.einsum(eq, *arrs), **tol(F64))


def test_einsum_sublist_form_and_integers():
    a, b = rand(2, 3), rand(3, 4)
    assert_close(pytensor.einsum(T(a), [0, 1], T(b), [1, 2], [0, 2]), a @ b, **tol(F64))
    ia = RNG.integers(-4, 5, size=(3, 3)).astype(np.int64)
    assert_close(pytensor.einsum("ij,jk->ik", T(ia), T(ia)), ia @ ia)
    assert_close(pytensor.einsum("ii", T(ia)), np.trace(ia))


@pytest.mark.parametrize("eq, shapes, msg", [
    ("ij,jk->ik", [(2, 3), (4, 4)], "einsum(): subscript j has size 4 for operand 1 which does not "
                                    "broadcast with previously seen size 3"),
    ("ij,jk->ik", [(2, 3)], "einsum(): fewer operands were provided than specified in the equation"),
    ("ij", [(2, 3), (3,)], "einsum(): more operands were provided than specified in the equation"),
    ("ijk,jk->ik", [(2, 3), (3, 4)], "einsum(): the number of subscripts in the equation (3) does "
                                     "not match the number of dimensions (2) for operand 0 and no "
                                     "ellipsis was given"),
    ("ij,jk->ikk", [(2, 3), (3, 4)], "einsum(): output subscript k appears more than once in the output"),
    ("ij,jk->iz", [(2, 3), (3, 4)], "einsum(): output subscript z does not appear in the equation for "
                                    "any input operand"),
    ("ii->i", [(2, 3)], "einsum(): subscript i is repeated for operand 0 but the sizes don't match, 2 != 3"),
    ("i1->i", [(2, 3)], "einsum(): invalid subscript given at index 1 in the equation string, "
                        "subscripts must be in [a-zA-Z]"),
    ("i..j", [(2, 3)], "einsum(): found '.' for operand 0 that is not part of any ellipsis"),
    ("i...j...", [(2, 2)], "einsum(): found '.' for operand 0 for which an ellipsis was already found"),
    ("i...->...i...", [(2, 3)], "einsum(): found '.' for output but an ellipsis (...) was already found"),
])
def test_einsum_errors(eq, shapes, msg):
    with pytest.raises(RuntimeError) as e:
        pytensor.einsum(eq, *[T(rand(*s)) for s in shapes])
    assert str(e.value) == msg


def test_einsum_mixed_dtypes_raise():
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        pytensor.einsum("ij,jk->ik", T(rand(2, 3, dtype=F32)), T(rand(3, 4)))


@pytest.mark.parametrize("eq, shapes", [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("...ij,...jk", [(2, 1, 3, 2), (3, 2, 2)]), ("bn,anm,bm->ba", [(2, 3), (2, 3, 2), (2, 2)]),
    ("i,i", [(3,), (1,)]),
])
def test_einsum_gradients(eq, shapes):
    ins = tuple(T(rand(*s), requires_grad=True) for s in shapes)
    assert gradcheck(lambda *xs: pytensor.einsum(eq, *xs), ins)


# ---- tensordot, inner, vdot, kron -----------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("sa, sb, dims", [
    ((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2, 3), (4, 5), 0), ((3, 4), (3, 4), 2),
    ((2, 3, 4), (4, 3, 5), ([1, 2], [1, 0])), ((2, 3, 4), (5, 2), ([0], [1])),
    ((3, 4), (4, 3), ([-1, 0], [0, -1])),
])
def test_tensordot_matches_numpy(sa, sb, dims, dtype):
    a, b = noncontig(rand(*sa, dtype=dtype)), rand(*sb, dtype=dtype)
    want = np.tensordot(a.astype(np.float64), b.astype(np.float64), dims)
    assert_close(pytensor.tensordot(T(a), T(b), dims), want.astype(NP_OF[dtype]), **tol(dtype))


def test_tensordot_errors():
    a, b = T(rand(2, 3)), T(rand(3, 4))
    with pytest.raises(RuntimeError, match=r"contracted dimensions need to match, but first has size 3 "
                                           r"in dim -1 and second has size 4 in dim 0"):
        pytensor.tensordot(a, T(rand(4, 3)), 1)
    with pytest.raises(RuntimeError, match="both inputs should have same dtype"):
        pytensor.tensordot(a, T(rand(3, 4, dtype=F32)), 1)
    with pytest.raises(RuntimeError, match="both dimension lists should have same length"):
        pytensor.tensordot(a, b, ([1], [0, 1]))
    with pytest.raises(RuntimeError, match=r"tensordot expects dims >= 0, but got dims=-1"):
        pytensor.tensordot(a, b, -1)
    with pytest.raises(RuntimeError, match=r"tensordot expects dims < ndim_a or ndim_b, but got dims=3"):
        pytensor.tensordot(a, b, 3)


def test_inner_vdot_kron():
    a, b = rand(2, 3), rand(4, 3)
    assert_close(pytensor.inner(T(a), T(b)), np.inner(a, b), **tol(F64))
    assert_close(pytensor.inner(T(a), T(np.array(2.0))), a * 2.0, **tol(F64))
    with pytest.raises(RuntimeError, match=r"inner\(\) the last dimension must match on both input "
                                           r"tensors but got shapes \[2, 3\] and \[4\]"):
        pytensor.inner(T(a), T(rand(4)))
    v, w = rand(5), noncontig(rand(5))
    assert_close(pytensor.vdot(T(v), T(w)), np.vdot(v, w), **tol(F64))
    for sa, sb in [((2, 3), (4, 5)), ((3,), (2, 2)), ((2, 1, 3), (3, 2)), ((), (3,))]:
        x, y = rand(*sa), rand(*sb)
        assert_close(pytensor.kron(T(x), T(y)), np.kron(x, y), **tol(F64))
    # Type promotion as torch: int32 with float32 gives float32.
    ia = np.arange(4, dtype=np.int32).reshape(2, 2)
    f = rand(2, 2, dtype=F32)
    assert_close(pytensor.kron(T(ia), T(f)), np.kron(ia, f).astype(np.float32), **tol(F32))


def test_tensordot_inner_kron_gradients():
    a, b = T(rand(2, 3, 4), True), T(rand(4, 3, 2), True)
    assert gradcheck(lambda x, y: pytensor.tensordot(x, y, ([1, 2], [1, 0])), (a, b))
    assert gradcheck(lambda x, y: pytensor.inner(x, y), (T(rand(2, 3), True), T(rand(4, 3), True)))
    assert gradcheck(lambda x, y: pytensor.kron(x, y), (T(rand(2, 3), True), T(rand(2, 2), True)))


# ---- cross ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_cross_matches_numpy(dtype):
    a, b = rand(4, 3, dtype=dtype), noncontig(rand(4, 3, dtype=dtype))
    assert_close(pytensor.linalg.cross(T(a), T(b)), np.cross(a, b), **tol(dtype))
    a2, b2 = rand(3, 5, dtype=dtype), rand(3, 5, dtype=dtype)
    assert_close(pytensor.cross(T(a2), T(b2), dim=0), np.cross(a2, b2, axis=0), **tol(dtype))
    # Broadcasting a size-1 batch dim.
    c = rand(1, 3, dtype=dtype)
    assert_close(pytensor.linalg.cross(T(a), T(c)), np.cross(a, c), **tol(dtype))
    ia, ib = np.arange(9).reshape(3, 3), np.arange(9)[::-1].reshape(3, 3).copy()
    assert_close(pytensor.linalg.cross(T(ia), T(ib)), np.cross(ia, ib))


def test_cross_default_dim_warns_and_errors():
    import pytensor._linalg as L
    L._cross_warned = False
    a, b = rand(3, 4), rand(3, 4)
    with pytest.warns(UserWarning, match="Using torch.cross without specifying the dim arg is deprecated"):
        got = pytensor.cross(T(a), T(b))
    assert_close(got, np.cross(a, b, axis=0), **tol(F64))
    with pytest.raises(RuntimeError, match="no dimension of size 3 in input"):
        pytensor.cross(T(rand(2, 4)), T(rand(2, 4)))
    with pytest.raises(RuntimeError, match=r"linalg.cross: inputs dimension -1 must have length 3. Got 4 and 4"):
        pytensor.linalg.cross(T(rand(3, 4)), T(rand(3, 4)))
    with pytest.raises(RuntimeError, match="linalg.cross: inputs must have the same number of dimensions."):
        pytensor.linalg.cross(T(rand(2, 3)), T(rand(3)))
    with pytest.raises(IndexError, match="Dimension out of range"):
        pytensor.cross(T(rand(2, 3)), T(rand(2, 3)), dim=2)
    with pytest.raises(RuntimeError, match="expected scalar type Float but found Double"):
        pytensor.linalg.cross(T(rand(3, dtype=F32)), T(rand(3)))


def test_cross_gradient():
    assert gradcheck(lambda x, y: pytensor.linalg.cross(x, y), (T(rand(2, 3), True), T(rand(2, 3), True)))


# ---- addr, addbmm, multi_dot, matrix_power --------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_addr_addbmm(dtype):
    m, v1, v2 = rand(2, 3, dtype=dtype), rand(2, dtype=dtype), noncontig(rand(3, dtype=dtype))
    assert_close(pytensor.addr(T(m), T(v1), T(v2), beta=0.5, alpha=2),
                 0.5 * m + 2 * np.outer(v1, v2), **tol(dtype))
    row = rand(3, dtype=dtype)  # broadcast to the outer product's shape
    assert_close(pytensor.addr(T(row), T(v1), T(v2)), row + np.outer(v1, v2), **tol(dtype))
    nan = np.full((2, 3), np.nan, NP_OF[dtype])
    assert_close(pytensor.addr(T(nan), T(v1), T(v2), beta=0), np.outer(v1, v2), **tol(dtype))
    b1, b2 = rand(5, 2, 4, dtype=dtype), rand(5, 4, 3, dtype=dtype)
    want = 0.5 * m + 2 * np.einsum("bij,bjk->ik", b1, b2)
    assert_close(pytensor.addbmm(T(m), T(b1), T(b2), beta=0.5, alpha=2), want, **tol(dtype))
    assert_close(T(m).addbmm(T(b1), T(b2)), m + np.einsum("bij,bjk->ik", b1, b2), **tol(dtype))


def test_addr_addbmm_errors_and_gradients():
    m = T(rand(2, 3))
    with pytest.raises(RuntimeError, match="addr: Expected 1-D argument vec1, but got 2-D"):
        pytensor.addr(m, T(rand(2, 1)), T(rand(3)))
    with pytest.raises(RuntimeError, match="For integral input tensors, argument beta must not be a floating"):
        pytensor.addr(T(np.ones((2, 3), np.int64)), T(np.ones(2, np.int64)), T(np.ones(3, np.int64)), beta=0.5)
    with pytest.raises(RuntimeError, match="batch1 and batch2 must have same number of batches, got 5 and 4"):
        pytensor.addbmm(m, T(rand(5, 2, 3)), T(rand(4, 3, 3)))
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        pytensor.addbmm(m, T(rand(2, 3)), T(rand(4, 3, 3)))
    with pytest.raises(RuntimeError, match=r"Incompatible matrix sizes for bmm \(2x4 and 3x3\)"):
        pytensor.addbmm(m, T(rand(5, 2, 4)), T(rand(5, 3, 3)))
    assert gradcheck(lambda i, x, y: pytensor.addr(i, x, y, beta=0.5, alpha=2),
                     (T(rand(2, 3), True), T(rand(2), True), T(rand(3), True)))
    assert gradcheck(lambda i, x, y: pytensor.addbmm(i, x, y, beta=0.5, alpha=2),
                     (T(rand(2, 3), True), T(rand(4, 2, 3), True), T(rand(4, 3, 3), True)))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_multi_dot_and_chain_matmul(dtype):
    mats = [rand(2, 30, dtype=dtype), rand(30, 3, dtype=dtype), rand(3, 40, dtype=dtype),
            noncontig(rand(40, 5, dtype=dtype))]
    want = np.linalg.multi_dot([m.astype(np.float64) for m in mats])
    assert_close(pytensor.linalg.multi_dot([T(m) for m in mats]), want.astype(NP_OF[dtype]), **tol(dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_close(pytensor.chain_matmul(*[T(m) for m in mats]), want.astype(NP_OF[dtype]), **tol(dtype))
        assert_close(pytensor.chain_matmul(T(mats[0])), mats[0])
    v1, v2 = rand(2, dtype=dtype), rand(5, dtype=dtype)
    want = np.linalg.multi_dot([v1] + [m.astype(np.float64) for m in mats] + [v2])
    got = pytensor.linalg.multi_dot([T(v1)] + [T(m) for m in mats] + [T(v2)])
    assert_close(got, np.asarray(want, NP_OF[dtype]), **tol(dtype))
    assert_close(pytensor.linalg.multi_dot([T(v1), T(v1)]), np.asarray(v1 @ v1), **tol(dtype))


def test_multi_dot_errors_and_gradient():
    a = T(rand(2, 3))
    with pytest.raises(RuntimeError, match=r"multi_dot\(\): expected at least 2 tensors but got 1"):
        pytensor.linalg.multi_dot([a])
    with pytest.raises(RuntimeError, match=r"multi_dot\(\): tensors 1 and 2 with shapes \[3, 4\] and "
                                           r"\[5, 2\] cannot be multiplied"):
        pytensor.linalg.multi_dot([a, T(rand(3, 4)), T(rand(5, 2))])
    with pytest.raises(RuntimeError, match=r"multi_dot\(\): all tensors must have be the same dtype but "
                                           r"tensor 0 is float and tensor 1 double"):
        pytensor.linalg.multi_dot([T(rand(2, 3, dtype=F32)), T(rand(3, 4))])
    with pytest.raises(RuntimeError, match=r"multi_dot\(\): the last tensor must be 1D or 2D but got 3D"):
        pytensor.linalg.multi_dot([a, T(rand(2, 3, 4))])
    with pytest.raises(RuntimeError, match=r"multi_dot\(\): tensor 1 must be 2D but got 3D"):
        pytensor.linalg.multi_dot([a, T(rand(2, 3, 4)), a])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match=r"chain_matmul\(\): Expected one or more matrices"):
            pytensor.chain_matmul()
        with pytest.raises(RuntimeError, match="Tensor dimension is 1, expected 2 instead."):
            pytensor.chain_matmul(a, T(rand(3)))
    ins = (T(rand(3), True), T(rand(3, 4), True), T(rand(4, 2), True), T(rand(2, 5), True))
    assert gradcheck(lambda *m: pytensor.linalg.multi_dot(list(m)), ins)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, -1, -3])
def test_matrix_power(n, dtype):
    a = (well_conditioned(2, 3, 3, dtype=dtype) / 3).astype(NP_OF[dtype])
    want = np.linalg.matrix_power(a.astype(np.float64), n)
    assert_close(pytensor.linalg.matrix_power(T(a), n), want.astype(NP_OF[dtype]),
                 **({"rtol": 1e-4, "atol": 1e-4} if dtype == F32 else tol(dtype)))
    assert_close(T(a).matrix_power(n), want.astype(NP_OF[dtype]),
                 **({"rtol": 1e-4, "atol": 1e-4} if dtype == F32 else tol(dtype)))


def test_matrix_power_integers_errors_gradient():
    ia = RNG.integers(-3, 4, size=(3, 3)).astype(np.int64)
    assert_close(pytensor.matrix_power(T(ia), 3), np.linalg.matrix_power(ia, 3))
    assert_close(pytensor.matrix_power(T(ia), 0), np.eye(3, dtype=np.int64))
    with pytest.raises(RuntimeError, match="linalg.matrix_power: A must be batches of square matrices, "
                                           "but they are 2 by 3 matrices"):
        pytensor.matrix_power(T(rand(2, 3)), 2)
    with pytest.raises(RuntimeError, match="linalg.matrix_power: The input tensor A must have at least 2 dimensions."):
        pytensor.matrix_power(T(rand(3)), 2)
    with pytest.raises(RuntimeError, match="linalg.inv: Expected a floating point or complex tensor as input. Got Long"):
        pytensor.matrix_power(T(ia), -1)
    a = T(well_conditioned(3, 3) / 3, True)
    assert gradcheck(lambda x: pytensor.matrix_power(x, 3), (a,))
    assert gradcheck(lambda x: pytensor.matrix_power(x, -2), (a,))


# ---- dist, cdist, norms ---------------------------------------------------------------------

@pytest.mark.parametrize("p", [2, 1, 0, 3.5, math.inf])
def test_dist(p):
    a, b = rand(3, 4), rand(4)
    d = (a - b).ravel()
    want = np.count_nonzero(d) if p == 0 else np.linalg.norm(d, p)
    assert_close(pytensor.dist(T(a), T(b), p), np.asarray(want, np.float64), **tol(F64))
    assert_close(T(a).dist(T(b), p), np.asarray(want, np.float64), **tol(F64))
    with pytest.raises(RuntimeError, match="norm\\(\\): input dtype should be either floating point or "
                                           "complex. Got Long instead."):
        pytensor.dist(T(np.ones(3, np.int64)), T(np.ones(3, np.int64)), p)


def _np_cdist(x1, x2, p):
    d = x1[..., :, None, :] - x2[..., None, :, :]
    if p == 0:
        return np.count_nonzero(d, axis=-1).astype(x1.dtype)
    if p == math.inf:
        return np.abs(d).max(axis=-1)
    return (np.abs(d) ** p).sum(-1) ** (1 / p)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("p", [2.0, 1.0, 0.0, 3.0, math.inf])
@pytest.mark.parametrize("P, R", [(4, 5), (30, 7)])
def test_cdist_matches_numpy(P, R, p, dtype):
    x1, x2 = rand(2, P, 3, dtype=dtype), noncontig(rand(1, R, 3, dtype=dtype))
    want = _np_cdist(x1.astype(np.float64), x2.astype(np.float64), p)
    for mode in ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                 "donot_use_mm_for_euclid_dist"):
        got = pytensor.cdist(T(x1), T(x2), p, compute_mode=mode)
        t = {"rtol": 1e-3, "atol": 1e-3} if dtype == F32 else {"rtol": 1e-7, "atol": 1e-7}
        assert_close(got, want.astype(NP_OF[dtype]), **t)


def test_cdist_errors_and_gradient():
    a = T(rand(2, 3))
    with pytest.raises(RuntimeError, match="cdist only supports at least 2D tensors, X1 got: 1D"):
        pytensor.cdist(T(rand(3)), a)
    with pytest.raises(RuntimeError, match="X1 and X2 must have the same number of columns. X1: 3 X2: 4"):
        pytensor.cdist(a, T(rand(2, 4)))
    with pytest.raises(RuntimeError, match="cdist only supports non-negative p values"):
        pytensor.cdist(a, a, p=-1)
    with pytest.raises(RuntimeError, match="cdist only supports floating-point dtypes, X1 got: Long"):
        pytensor.cdist(T(np.ones((2, 3), np.int64)), a)
    with pytest.raises(ValueError, match="foo is not a valid value for compute_mode"):
        pytensor.cdist(a, a, compute_mode="foo")
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(2\) must match the size of tensor b "
                                           r"\(3\) at non-singleton dimension 0"):
        pytensor.cdist(T(rand(2, 5, 3)), T(rand(3, 4, 3)))
    for p, mode in [(2.0, "use_mm_for_euclid_dist"), (2.0, "donot_use_mm_for_euclid_dist"), (1.5, None)]:
        kw = {"compute_mode": mode} if mode else {}
        assert gradcheck(lambda x, y, p=p, kw=kw: pytensor.cdist(x, y, p, **kw),
                         (T(rand(3, 2), True), T(rand(4, 2), True)))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_norms_match_numpy(dtype):
    a = noncontig(rand(2, 3, 4, dtype=dtype))
    a64 = a.astype(np.float64)
    L = pytensor.linalg
    t = tol(dtype)
    assert_close(L.vector_norm(T(a)), np.asarray(np.linalg.norm(a64.ravel()), NP_OF[dtype]), **t)
    assert_close(L.vector_norm(T(a), 1, dim=(0, 2)), np.abs(a64).sum((0, 2)).astype(NP_OF[dtype]), **t)
    assert_close(L.vector_norm(T(a), math.inf, dim=-1, keepdim=True),
                 np.abs(a64).max(-1, keepdims=True).astype(NP_OF[dtype]), **t)
    for ord in ["fro", 1, -1, math.inf, -math.inf]:
        want = np.linalg.norm(a64, ord, axis=(-2, -1))
        assert_close(L.matrix_norm(T(a), ord), want.astype(NP_OF[dtype]), **t)
        want = np.linalg.norm(a64, ord, axis=(0, 2), keepdims=True)
        assert_close(L.matrix_norm(T(a), ord, dim=(0, 2), keepdim=True), want.astype(NP_OF[dtype]), **t)
    m = a64[0]
    for ord in [None, "fro", 1, -1, math.inf]:
        assert_close(L.norm(T(a[0]), ord), np.asarray(np.linalg.norm(m, ord), NP_OF[dtype]), **t)
    assert_close(L.norm(T(a)), np.asarray(np.linalg.norm(a64.ravel()), NP_OF[dtype]), **t)
    assert_close(L.norm(T(a), 3, dim=1), np.linalg.norm(a64, 3, axis=1).astype(NP_OF[dtype]), **t)


def test_norm_errors_and_gradients():
    L = pytensor.linalg
    with pytest.raises(RuntimeError, match="linalg.vector_norm: Expected a floating point or complex tensor "
                                           "as input. Got Long"):
        L.vector_norm(T(np.ones(3, np.int64)))
    with pytest.raises(RuntimeError, match="linalg.matrix_norm: The input tensor A must have at least 2 dimensions."):
        L.matrix_norm(T(rand(3)))
    with pytest.raises(RuntimeError, match="linalg.matrix_norm: Order 3 not supported."):
        L.matrix_norm(T(rand(2, 2)), 3)
    with pytest.raises(NotImplementedError):
        L.matrix_norm(T(rand(2, 2)), "nuc")
    with pytest.raises(RuntimeError, match="linalg.norm: If dim is not specified but ord is, the input must "
                                           "be 1D or 2D. Got 3D."):
        L.norm(T(rand(2, 2, 2)), 2)
    with pytest.raises(RuntimeError, match=r"linalg.matrix_norm: dims must be different. Got \(0, 0\)"):
        L.matrix_norm(T(rand(2, 2)), dim=(0, 0))
    x = T(rand(3, 4), True)
    assert gradcheck(lambda a: L.matrix_norm(a, 1), (x,))
    assert gradcheck(lambda a: L.matrix_norm(a, "fro"), (x,))
    assert gradcheck(lambda a: L.vector_norm(a, 3, dim=1), (x,))


# ---- LAPACK: inv, det, slogdet, solve -------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4), (2, 1, 5, 5), (0, 3, 3), (2, 0, 0), (40, 40)])
def test_inv_det_slogdet_match_numpy(shape, dtype):
    a = well_conditioned(*shape, dtype=dtype)
    if shape[-1] > 1:
        a = np.swapaxes(a, -1, -2)  # a transposed (non-contiguous) layout
    a64 = a.astype(np.float64)
    t = {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else tol(dtype)
    assert_close(pytensor.linalg.inv(T(a)), np.linalg.inv(a64).astype(NP_OF[dtype]), **t)
    assert_close(pytensor.inverse(T(a)), np.linalg.inv(a64).astype(NP_OF[dtype]), **t)
    assert_close(pytensor.linalg.det(T(a)), np.asarray(np.linalg.det(a64), NP_OF[dtype]), **t)
    assert_close(T(a).det(), np.asarray(np.linalg.det(a64), NP_OF[dtype]), **t)
    sign, logabs = pytensor.linalg.slogdet(T(a))
    ws, wl = np.linalg.slogdet(a64)
    assert_close(sign, np.asarray(ws, NP_OF[dtype]))
    assert_close(logabs, np.asarray(wl, NP_OF[dtype]), **t)
    r = pytensor.slogdet(T(a))
    assert r.sign is r[0] and r.logabsdet is r[1]


def test_det_signs_and_singular():
    perm = np.array([[0.0, 1, 0], [1, 0, 0], [0, 0, 1]])
    assert_close(pytensor.linalg.det(T(perm)), np.asarray(-1.0))
    neg = np.diag([-2.0, 3.0, 1.0])
    s, l = pytensor.linalg.slogdet(T(neg))
    assert_close(s, np.asarray(-1.0))
    assert_close(l, np.asarray(math.log(6.0)))
    z = np.zeros((3, 3))
    assert_close(pytensor.linalg.det(T(z)), np.asarray(0.0))
    s, l = pytensor.linalg.slogdet(T(z))
    assert_close(s, np.asarray(0.0))
    assert_close(l, np.asarray(-np.inf))
    with pytest.raises(RuntimeError, match="linalg.inv: The diagonal element 1 is zero, the inversion could "
                                           "not be completed because the input matrix is singular."):
        pytensor.linalg.inv(T(z))
    batch = np.stack([np.eye(3), z])
    with pytest.raises(RuntimeError, match=r"linalg.inv: \(Batch element 1\): The diagonal element 1 is zero"):
        pytensor.linalg.inv(T(batch))
    with pytest.raises(RuntimeError, match=r"torch.linalg.solve: \(Batch element 1\): The solver failed "
                                           r"because the input matrix is singular."):
        pytensor.linalg.solve(T(batch), T(rand(2, 3)))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("sa, sb", [
    ((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3)), ((2, 3, 3), (3,)), ((2, 3, 3), (2, 3, 4)),
    ((2, 3, 3), (4, 1, 3, 2)), ((1, 4, 4), (3, 4, 1)), ((3, 3), (3, 0)), ((0, 3, 3), (0, 3)),
])
def test_solve_matches_numpy(sa, sb, dtype):
    a = well_conditioned(*sa, dtype=dtype)
    b = noncontig(rand(*sb, dtype=dtype))
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    vector = len(sb) == 1 or (len(sb) == len(sa) - 1 and sb == sa[:-1])
    if vector:
        want = np.linalg.solve(a64, b64[..., None])[..., 0]
    else:
        want = np.linalg.solve(a64, b64)
    t = {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else tol(dtype)
    assert_close(pytensor.linalg.solve(T(a), T(b)), want.astype(NP_OF[dtype]), **t)


def test_solve_left_false_and_errors():
    a, b = well_conditioned(3, 3), rand(2, 3)
    assert_close(pytensor.linalg.solve(T(a), T(b), left=False), b @ np.linalg.inv(a), **tol(F64))
    with pytest.raises(RuntimeError, match=r"linalg.solve: Incompatible shapes of A and B for the equation "
                                           r"AX = B \(3x3 and 2x3\)"):
        pytensor.linalg.solve(T(rand(2, 3, 3)), T(rand(2, 2, 3)))
    with pytest.raises(RuntimeError, match=r"linalg.solve: Incompatible shapes of A and B for the equation "
                                           r"XA = B \(3x3 and 3x1\)"):
        pytensor.linalg.solve(T(a), T(rand(3)), left=False)
    with pytest.raises(RuntimeError, match="linalg.solve: Expected A and B to have the same dtype, but found "
                                           "A of type Float and B of type Double instead"):
        pytensor.linalg.solve(T(rand(3, 3, dtype=F32)), T(rand(3)))
    with pytest.raises(RuntimeError, match="linalg.solve: A must be batches of square matrices, but they "
                                           "are 3 by 4 matrices"):
        pytensor.linalg.solve(T(rand(3, 4)), T(rand(3)))
    with pytest.raises(RuntimeError, match="linalg.solve: The input tensor B must have at least 2 dimensions."):
        pytensor.linalg.solve(T(a), T(np.array(1.0)))
    with pytest.raises(RuntimeError, match="linalg.inv: A must be batches of square matrices, but they are "
                                           "3 by 4 matrices"):
        pytensor.linalg.inv(T(rand(3, 4)))
    with pytest.raises(RuntimeError, match="linalg.det: The input tensor A must have at least 2 dimensions."):
        pytensor.linalg.det(T(rand(3)))
    with pytest.raises(RuntimeError, match="linalg.slogdet: Expected a floating point or complex tensor as "
                                           "input. Got Long"):
        pytensor.linalg.slogdet(T(np.ones((3, 3), np.int64)))


def test_lapack_gradients():
    a = T(well_conditioned(2, 3, 3), True)
    b = T(rand(2, 3, 2), True)
    assert gradcheck(lambda x: pytensor.linalg.inv(x), (a,))
    assert gradcheck(lambda x: pytensor.linalg.det(x), (a,))
    assert gradcheck(lambda x: pytensor.linalg.slogdet(x)[1], (a,))
    assert gradcheck(lambda x, y: pytensor.linalg.solve(x, y), (a, b))
    assert gradcheck(lambda x, y: pytensor.linalg.solve(x, y), (a, T(rand(3), True)))
    assert gradcheck(lambda x, y: pytensor.linalg.solve(x, y, left=False), (a, T(rand(2, 4, 3), True)))
    assert pytensor.linalg.inv(a).grad_fn.name() == "LinalgInvExBackward0"
    assert pytensor.linalg.det(a).grad_fn.name() == "LinalgDetBackward0"
    assert pytensor.linalg.slogdet(a)[1].grad_fn.name() == "LinalgSlogdetBackward0"
    assert pytensor.linalg.solve(a, b).grad_fn.name() == "LinalgSolveExBackward0"


# ---- torch parity ---------------------------------------------------------------------------

def test_torch_parity():
    torch = pytest.importorskip("torch")
    a, b = rand(2, 3, 4), rand(2, 4, 5)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    for eq in ["bij,bjk->bik", "bij,bjk", "...ij,...jk->...", "bij->"]:
        assert_close(pytensor.einsum(eq, T(a), T(b)) if "," in eq else pytensor.einsum(eq, T(a)),
                     torch.einsum(eq, ta, tb) if "," in eq else torch.einsum(eq, ta), **tol(F64))
    sq = well_conditioned(2, 4, 4)
    tsq = torch.from_numpy(sq)
    assert_close(pytensor.linalg.inv(T(sq)), torch.linalg.inv(tsq), **tol(F64))
    assert_close(pytensor.linalg.det(T(sq)), torch.linalg.det(tsq), **tol(F64))
    rhs = rand(4)
    assert_close(pytensor.linalg.solve(T(sq), T(rhs)), torch.linalg.solve(tsq, torch.from_numpy(rhs)), **tol(F64))
    x1, x2 = rand(3, 30, 4), rand(3, 20, 4)
    assert_close(pytensor.cdist(T(x1), T(x2)), torch.cdist(torch.from_numpy(x1), torch.from_numpy(x2)),
                 rtol=1e-9, atol=1e-9)
    # Same gradients as torch.
    xa = T(sq, True)
    pytensor.linalg.slogdet(xa)[1].sum().backward()
    ta2 = tsq.clone().requires_grad_(True)
    torch.linalg.slogdet(ta2)[1].sum().backward()
    assert_close(xa.grad, ta2.grad, **tol(F64))
    # matrix_norm / vector_norm against torch for float32.
    m = rand(3, 5, dtype=F32)
    for ord in ["fro", 1, -1, math.inf, -math.inf]:
        assert_close(pytensor.linalg.matrix_norm(T(m), ord), torch.linalg.matrix_norm(torch.from_numpy(m), ord),
                     **tol(F32))


# ---- CUDA (run on a GPU machine): composites match the CPU; LAPACK ops refuse clearly -------

needs_gpu = pytest.mark.skipif(not (hasattr(pytensor, "cuda") and pytensor.cuda.is_available()),
                               reason="needs a CUDA GPU")


@needs_gpu
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_cuda_composites_match_cpu(dtype):
    a, b = noncontig(rand(2, 3, 4, dtype=dtype)), rand(2, 4, 5, dtype=dtype)
    ca, cb = T(a).to("cuda"), T(b).to("cuda")
    t = tol(dtype) if dtype == F64 else {"rtol": 1e-3, "atol": 1e-4}  # TF32 may be on for float32
    for eq in ["bij,bjk->bik", "bij,bjk", "bij->j", "...ij,...jk"]:
        got = pytensor.einsum(eq, ca, cb) if "," in eq else pytensor.einsum(eq, ca)
        want = pytensor.einsum(eq, T(a), T(b)) if "," in eq else pytensor.einsum(eq, T(a))
        assert got.device.type == "cuda"
        assert_close(got.cpu(), want.numpy(), **t)
    sq = rand(3, 3, dtype=dtype)
    assert_close(pytensor.einsum("ii", T(sq).to("cuda")).cpu(), np.asarray(np.trace(sq)), **t)
    assert_close(pytensor.tensordot(ca, cb, ([1, 2], [0, 1])).cpu(),
                 pytensor.tensordot(T(a), T(b), ([1, 2], [0, 1])).numpy(), **t)
    assert_close(pytensor.kron(ca, cb).cpu(), pytensor.kron(T(a), T(b)).numpy(), **t)
    v, w = rand(4, 3, dtype=dtype), rand(4, 3, dtype=dtype)
    assert_close(pytensor.linalg.cross(T(v).to("cuda"), T(w).to("cuda")).cpu(), np.cross(v, w), **t)
    x1, x2 = rand(30, 3, dtype=dtype), rand(20, 3, dtype=dtype)
    for mode in ("use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"):
        got = pytensor.cdist(T(x1).to("cuda"), T(x2).to("cuda"), compute_mode=mode).cpu()
        assert_close(got, pytensor.cdist(T(x1), T(x2), compute_mode=mode).numpy(),
                     rtol=1e-3 if dtype == F32 else 1e-9, atol=1e-3 if dtype == F32 else 1e-9)
    assert_close(pytensor.linalg.matrix_power(T(sq).to("cuda"), 3).cpu(),
                 np.linalg.matrix_power(sq.astype(np.float64), 3).astype(NP_OF[dtype]), **t)
    assert_close(pytensor.linalg.matrix_power(T(sq).to("cuda"), 0).cpu(), np.eye(3, dtype=NP_OF[dtype]))


@needs_gpu
def test_cuda_lapack_ops_raise_not_implemented():
    a = T(well_conditioned(3, 3)).to("cuda")
    for fn in (pytensor.linalg.inv, pytensor.linalg.det, pytensor.linalg.slogdet):
        with pytest.raises(NotImplementedError, match="CUDA"):
            fn(a)
    with pytest.raises(NotImplementedError, match="CUDA"):
        pytensor.linalg.solve(a, T(rand(3)).to("cuda"))


def test_cdist_matrix_product_gradient_at_zero_distance():
    # A point's distance to itself: the gradient is zero there (torch's rule), not sqrt's
    # infinite slope at a rounded near-zero value.
    x = rand(30, 3)
    a, b = T(x, True), T(x[:5].copy(), True)
    out = pytensor.cdist(a, b)  # 30 rows: the matrix-product path
    assert out.grad_fn.name() == "CdistBackward0"
    out.sum().backward()
    d = x[:, None, :] - x[None, :5, :]
    dist = np.sqrt((d ** 2).sum(-1))
    w = np.where(dist == 0, 0.0, 1.0 / np.where(dist == 0, 1.0, dist))[..., None] * d
    assert_close(a.grad, w.sum(1), rtol=1e-6, atol=1e-6)
    assert_close(b.grad, -w.sum(0), rtol=1e-6, atol=1e-6)
    assert gradcheck(lambda u, v: pytensor.cdist(u, v), (T(rand(2, 30, 3), True), T(rand(4, 3), True)))


def test_einsum_plan_cache_keeps_strides_and_errors():
    # The plan is cached per (equation, shapes): strides are read per call, errors raised again.
    x = rand(4, 4)
    for arr in (x, x.T, noncontig(rand(4, 8)[:, :4].copy()).T):
        assert_close(pytensor.einsum("ii->i", T(arr)), np.diagonal(arr).copy(), **tol(F64))
    for _ in range(2):
        with pytest.raises(RuntimeError, match="einsum\\(\\): subscript j has size 4"):
            pytensor.einsum("ij,jk->ik", T(rand(2, 3)), T(rand(4, 4)))


@pytest.mark.parametrize("sa, sb", [((64, 64), (8, 8)), ((300,), (200,)), ((2, 40, 30), (3, 30, 1))])
def test_kron_large_and_gradient(sa, sb):
    x, y = noncontig(rand(*sa)), rand(*sb, dtype=F32)
    assert_close(pytensor.kron(T(x), T(y)), np.kron(x, y.astype(np.float64)), **tol(F64))
    if len(sa) == 2:
        assert gradcheck(lambda u, v: pytensor.kron(u, v), (T(rand(2, 3), True), T(rand(3, 2), True)))
        big = (T(rand(64, 33), True), T(rand(8, 31), True))
        out = pytensor.kron(*big)
        out.sum().backward()
        assert_close(big[0].grad, np.full((64, 33), big[1].detach().numpy().sum()), **tol(F64))


def test_logdet():
    a = well_conditioned(2, 3, 3)
    a[1] = -a[1]  # negative determinant: NaN
    got = pytensor.logdet(T(a))
    want = np.log(np.linalg.det(a[0]))
    assert_close(got[0], np.asarray(want), **tol(F64))
    assert math.isnan(got[1].item())
    assert pytensor.logdet(T(np.zeros((2, 2)))).item() == -math.inf
    assert_close(T(a[0]).logdet(), np.asarray(want), **tol(F64))
    assert gradcheck(lambda x: pytensor.logdet(x), (T(well_conditioned(3, 3), True),))


def test_inv_and_solve_layout_as_torch():
    # Column-major results (torch's strides) and +0.0 off the diagonal of a diagonal inverse.
    inv = pytensor.linalg.inv(T(np.diag([2.0, 4.0, 8.0])))
    assert inv.stride() == (1, 3)
    assert not np.signbit(inv.numpy()).any()
    assert pytensor.linalg.inv(T(well_conditioned(2, 3, 3))).stride() == (9, 1, 3)
    assert pytensor.linalg.solve(T(well_conditioned(2, 3, 3)), T(rand(2, 3, 4))).stride() == (12, 1, 3)


def test_det_gradient_of_singular_matrix_is_zero_as_torch():
    a = np.stack([np.array([[1.0, 2.0], [2.0, 4.0]]), well_conditioned(2, 2)])
    x = T(a, True)
    pytensor.linalg.det(x).sum().backward()
    assert_close(x.grad[0], np.zeros((2, 2)))
    assert_close(x.grad[1], np.linalg.det(a[1]) * np.linalg.inv(a[1]).T, **tol(F64))


def test_batched_lu_same_result_on_any_thread_count():
    a = well_conditioned(3000, 3, 3)
    b = rand(3000, 3)
    prev = pytensor.get_num_threads()
    try:
        results = []
        for n in (1, 2):
            pytensor.set_num_threads(n)
            results.append([pytensor.linalg.inv(T(a)).numpy(), pytensor.linalg.det(T(a)).numpy(),
                            pytensor.linalg.slogdet(T(a))[1].numpy(),
                            pytensor.linalg.solve(T(a), T(b)).numpy()])
    finally:
        pytensor.set_num_threads(prev)
    for x, y in zip(*results):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_allclose(results[0][0], np.linalg.inv(a), rtol=1e-10, atol=1e-12)
