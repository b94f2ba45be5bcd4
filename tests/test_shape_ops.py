"""Shape, joining and diagonal functions (pytensor._shape_ops) against numpy and torch: values,
dtypes, storage sharing of the views, non-contiguous inputs, errors, node names and gradients."""
from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import pytensor
from pytensor.autograd import gradcheck, gradgradcheck

from conftest import assert_close, same_storage

DTYPES = ["float32", "float64", "int64", "int32", "uint8", "bool"]


def _data(shape, dtype="float32"):
    a = (np.arange(int(np.prod(shape))).reshape(shape) * 7 + 3) % 11
    return (a > 5) if dtype == "bool" else a.astype(dtype)


def _pt(a):
    return pytensor.from_numpy(np.array(a, order="C"))  # a copy; keeps 0-d arrays 0-d


def _rand64(*shape, seed=0):
    return pytensor.from_numpy(np.random.default_rng(seed).standard_normal(shape)).requires_grad_()


# ---- diagonal --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,dims", [((3, 4), (0, 1)), ((4, 3), (1, 0)), ((2, 3, 4), (0, 2)),
                                        ((2, 3, 4), (-1, -2)), ((2, 3, 4, 5), (1, 3)), ((0, 3), (0, 1))])
@pytest.mark.parametrize("offset", [-5, -2, -1, 0, 1, 3, 7])
def test_diagonal_matches_numpy(dtype, shape, dims, offset):
    a = _data(shape, dtype)
    got = pytensor.diagonal(_pt(a), offset, *dims)
    assert_close(got, np.diagonal(a, offset, *dims))
    assert_close(_pt(a).diagonal(offset=offset, dim1=dims[0], dim2=dims[1]), np.diagonal(a, offset, *dims))


def test_diagonal_is_a_view_that_shares_storage():
    x = pytensor.arange(12.0).view(3, 4)
    d = x.diagonal(1)
    assert same_storage(d, x)
    assert d.data_ptr() == x.data_ptr() + 1 * x.element_size()
    assert d.stride() == (5,) and d.storage_offset() == 1
    d.fill_(-1.0)
    assert x.tolist() == [[0, -1, 2, 3], [4, 5, -1, 7], [8, 9, 10, -1]]
    x[1, 2] = 42.0
    assert d.tolist() == [-1.0, 42.0, -1.0]
    # an empty diagonal keeps the input's offset (a far offset must not point past the storage)
    assert x.diagonal(10).shape == (0,) and x.diagonal(10).storage_offset() == 0


def test_diagonal_of_non_contiguous_input():
    a = _data((4, 5, 6), "float64")
    x = _pt(a).permute(2, 0, 1)[1:, ::2]  # strided, offset
    an = a.transpose(2, 0, 1)[1:, ::2]
    for off, d1, d2 in [(0, 0, 1), (1, 1, 2), (-1, 2, 0), (2, -1, -3)]:
        got = x.diagonal(off, d1, d2)
        assert_close(got, np.diagonal(an, off, d1, d2))
        assert same_storage(got, x)


def test_diagonal_errors_as_torch():
    x = pytensor.zeros(3, 4)
    with pytest.raises(RuntimeError, match="diagonal dimensions cannot be identical 1, -1"):
        x.diagonal(0, 1, -1)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)"):
        x.diagonal(0, 0, 2)
    with pytest.raises(IndexError, match=r"range of \[-1, 0\], but got 1"):
        pytensor.zeros(3).diagonal()
    with pytest.raises(IndexError):
        pytensor.tensor(1.0).diagonal()


# ---- diag_embed, diag, diagflat, trace -------------------------------------------------------------

def _diag_embed_np(a, offset, d1, d2):
    n = a.shape[-1] + abs(offset)
    nd = a.ndim + 1
    d1, d2 = d1 % nd, d2 % nd
    lead = a.shape[:-1]
    out = np.zeros(lead + (n, n), a.dtype)
    idx = np.arange(a.shape[-1])
    r, c = (idx, idx + offset) if offset >= 0 else (idx - offset, idx)
    out[..., r, c] = a
    # out has the diagonal's dims last; move them to d1, d2
    src = [nd - 2, nd - 1]
    return np.moveaxis(out, src, [d1, d2]) if d1 < d2 else np.moveaxis(out, src, [d2, d1]).swapaxes(d1, d2)


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize("shape", [(4,), (2, 3), (2, 3, 2)])
@pytest.mark.parametrize("offset,dims", [(0, (-2, -1)), (1, (0, 1)), (-2, (0, -1)), (2, (-1, 0)), (0, (1, 0))])
def test_diag_embed_matches_numpy(dtype, shape, offset, dims):
    a = _data(shape, dtype)
    got = pytensor.diag_embed(_pt(a), offset, *dims)
    assert_close(got, _diag_embed_np(a, offset, *dims))
    # diagonal() reads back exactly what diag_embed wrote
    assert_close(got.diagonal(offset, *dims), a)


def test_diag_embed_errors_and_0d():
    with pytest.raises(RuntimeError, match="diagonal dimensions cannot be identical 1, 1"):
        pytensor.diag_embed(pytensor.zeros(3, 4), 0, 1, 1)
    with pytest.raises(IndexError, match="Dimension out of range"):
        pytensor.diag_embed(pytensor.zeros(3, 4), 0, 0, 5)
    with pytest.raises(IndexError, match=r"but got -2"):
        pytensor.diag_embed(pytensor.tensor(1.0))
    with pytest.raises(RuntimeError, match="diagonal dimensions cannot be identical 0, -1"):
        pytensor.diag_embed(pytensor.tensor(1.0), 0, 0, -1)  # a 0-d input has one output dim


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(4,), (3, 4), (4, 3), (0,), (2, 2)])
@pytest.mark.parametrize("k", [-3, -1, 0, 1, 2])
def test_diag_matches_numpy(dtype, shape, k):
    a = _data(shape, dtype)
    got = pytensor.diag(_pt(a), k)
    assert_close(got, np.diag(a, k))
    if len(shape) == 2:
        assert not same_storage(got, _pt(a)) and got.is_contiguous()
    assert_close(_pt(a).diag(diagonal=k), np.diag(a, k))


def test_diag_needs_1d_or_2d():
    for shape in [(), (2, 2, 2)]:
        with pytest.raises(RuntimeError, match=rf"diag\(\): Supports 1D or 2D tensors. Got {len(shape)}D"):
            pytensor.diag(pytensor.zeros(shape))


@pytest.mark.parametrize("shape", [(), (3,), (2, 2), (2, 1, 3)])
@pytest.mark.parametrize("k", [-2, 0, 1])
def test_diagflat_matches_numpy(shape, k):
    a = _data(shape, "float64")
    assert_close(pytensor.diagflat(_pt(a), k), np.diagflat(a, k))
    assert_close(_pt(a).diagflat(k), np.diagflat(a, k))


@pytest.mark.parametrize("dtype,out", [("float32", "float32"), ("float64", "float64"), ("int32", "int64"),
                                       ("uint8", "int64"), ("int64", "int64")])
@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2), (0, 0)])
def test_trace_matches_numpy(dtype, out, shape):
    a = _data(shape, dtype)
    got = pytensor.trace(_pt(a))
    assert got.dtype == getattr(pytensor, out) and got.shape == ()
    assert got.item() == pytest.approx(float(np.trace(a)))
    assert _pt(a).t().trace().item() == pytest.approx(float(np.trace(a)))  # non-contiguous


def test_trace_errors_as_torch():
    with pytest.raises(RuntimeError, match="trace: expected a matrix, but got tensor with dim 1"):
        pytensor.trace(pytensor.zeros(3))
    with pytest.raises(NotImplementedError, match="\"trace\" not implemented for 'Bool'"):
        pytensor.ones(2, 2, dtype=pytensor.bool).trace()


@pytest.mark.parametrize("row,col", [(3, 3), (3, 5), (5, 2), (0, 3), (1, 1), (4, 0)])
@pytest.mark.parametrize("offset", [-6, -1, 0, 2, 9])
def test_tril_triu_indices_match_numpy(row, col, offset):
    lo = pytensor.tril_indices(row, col, offset)
    up = pytensor.triu_indices(row, col, offset)
    assert lo.dtype == pytensor.int64 and lo.shape[0] == 2 and lo.is_contiguous()
    np.testing.assert_array_equal(lo.numpy(), np.stack(np.tril_indices(row, offset, col)).reshape(2, -1))
    np.testing.assert_array_equal(up.numpy(), np.stack(np.triu_indices(row, offset, col)).reshape(2, -1))
    assert pytensor.tril_indices(row, col, offset, dtype=pytensor.int32).dtype == pytensor.int32


def test_tril_indices_errors_as_torch():
    with pytest.raises(RuntimeError, match="row must be non-negative, got-1"):
        pytensor.tril_indices(-1, 3)
    with pytest.raises(RuntimeError, match="col must be non-negative, got-2"):
        pytensor.triu_indices(2, -2)
    with pytest.raises(NotImplementedError, match="\"tril_indices\" not implemented for 'Float'"):
        pytensor.tril_indices(3, 3, dtype=pytensor.float32)
    with pytest.raises(NotImplementedError, match="\"triu_indices\" not implemented for 'Short'"):
        pytensor.triu_indices(3, 3, dtype=pytensor.int16)


# ---- broadcasting ------------------------------------------------------------------------------------

def test_broadcast_to_is_a_view():
    a = _data((3, 1), "float32")
    x = _pt(a)
    y = pytensor.broadcast_to(x, (2, 3, 4))
    assert_close(y, np.broadcast_to(a, (2, 3, 4)))
    assert same_storage(x, y) and y.stride() == (0, 1, 0)
    x[1, 0] = 99.0
    assert y[1, 1, 3].item() == 99.0 and y[0, 1, 0].item() == 99.0
    a[1, 0] = 99.0
    assert_close(x.broadcast_to((3, -1)), a)
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(5\) must match the existing size \(4\)"):
        pytensor.broadcast_to(pytensor.zeros(3, 4), (3, 5))


def test_broadcast_tensors_and_shapes():
    a, b, c = _data((3, 1)), _data((4,)), _data((2, 1, 1))
    xs = pytensor.broadcast_tensors(_pt(a), _pt(b), _pt(c))
    for got, want in zip(xs, np.broadcast_arrays(a, b, c)):
        assert_close(got, want)
    x, y = _pt(_data((3, 4))), _pt(b)
    same = pytensor.broadcast_tensors(x, y)
    assert same[0] is x  # already that shape: the input itself, as torch
    assert same_storage(same[1], y) and same[1].stride() == (0, 1)
    assert pytensor.broadcast_tensors() == ()
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(4\) at "
                                           r"non-singleton dimension 0"):
        pytensor.broadcast_tensors(pytensor.ones(3), pytensor.ones(1), pytensor.ones(4))
    assert pytensor.broadcast_shapes((3, 1), (4,), (2, 1, 1)) == np.broadcast_shapes((3, 1), (4,), (2, 1, 1))
    assert pytensor.broadcast_shapes(3, (1,)) == (3,)
    assert isinstance(pytensor.broadcast_shapes((2,)), pytensor.Size)
    with pytest.raises(RuntimeError, match="Attempting to broadcast a dimension of length 5 at -1!"):
        pytensor.broadcast_shapes((3, 4), (5,))


# ---- dims: swapaxes, moveaxis, unflatten, ravel, narrow_copy, atleast_* -------------------------------

def test_swapaxes_swapdims_moveaxis_match_numpy():
    a = _data((2, 3, 4, 5), "int64")
    x = _pt(a)
    assert_close(pytensor.swapaxes(x, 0, -1), np.swapaxes(a, 0, -1))
    assert_close(x.swapdims(1, 2), np.swapaxes(a, 1, 2))
    assert_close(x.swapaxes(-1, -2), np.swapaxes(a, -1, -2))
    for src, dst in [(0, 3), (-1, 0), ([0, 1], [-1, -2]), ((0, 2), (1, 3)), ([3, 0, 1], [0, 1, 2]), ([], [])]:
        want = np.moveaxis(a, src, dst)
        for got in (pytensor.moveaxis(x, src, dst), pytensor.movedim(x, src, dst), x.moveaxis(src, dst),
                    x.movedim(src, dst)):
            assert_close(got, want)
            assert same_storage(got, x)
    v = pytensor.moveaxis(x, 0, -1)
    v[1, 2, 3, 0] = -7
    assert x[0, 1, 2, 3].item() == -7


def test_moveaxis_errors_as_torch():
    x = pytensor.zeros(3, 4)
    with pytest.raises(RuntimeError, match=r"movedim: repeated dim in `destination` \(\[0, 0\]\)"):
        pytensor.moveaxis(x, (0, 1), (0, 0))
    with pytest.raises(RuntimeError, match=r"movedim: repeated dim in `source` \(\[0, 0\]\)"):
        pytensor.movedim(x, (0, 0), (0, 1))
    with pytest.raises(RuntimeError, match=r"source \(\[0, 1\] dims\) should contain the same number of dims as "
                                           r"destination \(\[0\] dims\)"):
        pytensor.moveaxis(x, (0, 1), (0,))
    with pytest.raises(IndexError, match="Dimension out of range"):
        pytensor.moveaxis(x, 3, 0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.swapaxes(0, 2)


def test_unflatten():
    a = _data((3, 12), "float32")
    x = _pt(a)
    for dim, sizes in [(1, (3, 4)), (-1, (2, -1, 3)), (0, (3, 1)), (1, [12])]:
        got = pytensor.unflatten(x, dim, sizes)
        shape = list(a.shape)
        d = dim % 2
        assert_close(got, a.reshape(shape[:d] + [s if s != -1 else 2 for s in sizes] + shape[d + 1:]))
        assert same_storage(got, x)
    xt = _pt(a).t()  # non-contiguous: splitting one dim is still a view
    got = xt.unflatten(0, (4, 3))
    assert_close(got, a.T.reshape(4, 3, 3))
    assert same_storage(got, xt)
    with pytest.raises(RuntimeError, match=r"unflatten: Provided sizes \[5, 2\] don't multiply up to the size of "
                                           r"dim 1 \(12\) in the input tensor"):
        x.unflatten(1, (5, 2))
    with pytest.raises(RuntimeError, match="unflatten: sizes must be non-empty"):
        x.unflatten(1, ())
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.unflatten(2, (1,))
    with pytest.raises(RuntimeError):
        pytensor.tensor(1.0).unflatten(0, (1,))


def test_ravel():
    a = _data((3, 4), "float32")
    x = _pt(a)
    r = pytensor.ravel(x)
    assert_close(r, a.ravel())
    assert same_storage(r, x)
    rt = x.t().ravel()  # not contiguous: a copy in the transposed order
    assert_close(rt, a.T.ravel())
    assert not same_storage(rt, x)
    assert pytensor.tensor(5.0).ravel().shape == (1,)


def test_narrow_copy():
    a = _data((4, 5), "float64")
    x = _pt(a)
    for dim, start, length in [(0, 1, 2), (1, -3, 3), (-1, 0, 5), (0, 4, 0)]:
        got = pytensor.narrow_copy(x, dim, start, length)
        want = np.take(a, range(start % a.shape[dim], start % a.shape[dim] + length), axis=dim)
        assert_close(got, want)
        assert not same_storage(got, x) and got.is_contiguous()
    assert_close(x.t().narrow_copy(0, pytensor.tensor(1), 2), a.T[1:3])
    with pytest.raises(RuntimeError, match=r"start \(3\) \+ length \(3\) exceeds dimension size \(5\)"):
        x.narrow_copy(1, 3, 3)
    with pytest.raises(RuntimeError, match="narrow\\(\\) cannot be applied to a 0-dim tensor."):
        pytensor.tensor(1.0).narrow_copy(0, 0, 1)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4), (1, 2, 3, 4)])
def test_atleast_nd_match_numpy(shape):
    a = _data(shape, "int32")
    x = _pt(a)
    for pt_fn, np_fn in [(pytensor.atleast_1d, np.atleast_1d), (pytensor.atleast_2d, np.atleast_2d),
                         (pytensor.atleast_3d, np.atleast_3d)]:
        got = pt_fn(x)
        assert_close(got, np_fn(a))
        assert same_storage(got, x)
        if x.dim() >= {pytensor.atleast_1d: 1, pytensor.atleast_2d: 2, pytensor.atleast_3d: 3}[pt_fn]:
            assert got is x
        many = pt_fn(x, pytensor.zeros(2))
        assert isinstance(many, tuple) and len(many) == 2
        assert_close(many[0], np_fn(a))
        assert isinstance(pt_fn([x]), tuple)
    assert pytensor.atleast_1d() == ()


# ---- rot90, fliplr, flipud, tile, repeat --------------------------------------------------------------

@pytest.mark.parametrize("k", range(-5, 6))
@pytest.mark.parametrize("shape,dims", [((3, 4), (0, 1)), ((3, 4), (1, 0)), ((2, 3, 4), (2, 0)),
                                        ((2, 3, 4), (-1, -2))])
def test_rot90_matches_numpy(k, shape, dims):
    a = _data(shape, "float32")
    got = pytensor.rot90(_pt(a), k, dims)
    assert_close(got, np.rot90(a, k, dims))
    assert not same_storage(got, _pt(a))
    assert_close(_pt(a).rot90(k, dims), np.rot90(a, k, dims))


def test_rot90_errors_as_torch():
    x = pytensor.zeros(3, 4)
    with pytest.raises(RuntimeError, match="expected total rotation dims == 2, but got dims = 3"):
        pytensor.rot90(x, 1, (0, 1, 1))
    with pytest.raises(RuntimeError, match="expected total dims >= 2, but got total dims = 1"):
        pytensor.rot90(pytensor.zeros(3))
    with pytest.raises(RuntimeError, match="expected rotation dims to be different, but got dim0 = 0 and dim1 = 0"):
        pytensor.rot90(x, 1, (0, 0))
    with pytest.raises(IndexError, match="Dimension out of range"):
        pytensor.rot90(x, 1, (0, 2))


def test_fliplr_flipud_match_numpy():
    a = _data((3, 4, 2), "int64")
    assert_close(pytensor.fliplr(_pt(a)), np.fliplr(a))
    assert_close(_pt(a).flipud(), np.flipud(a))
    assert_close(pytensor.flipud(_pt(a[0, :, 0])), np.flipud(a[0, :, 0]))
    with pytest.raises(RuntimeError, match="Input must be >= 2-d."):
        pytensor.fliplr(pytensor.zeros(3))
    with pytest.raises(RuntimeError, match="Input must be >= 1-d."):
        pytensor.flipud(pytensor.tensor(1.0))


@pytest.mark.parametrize("dtype", ["float32", "int16", "bool"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1, 3)])
@pytest.mark.parametrize("reps", [(2,), (1, 1), (2, 3), (3, 1, 2), (0, 2), (1, 2, 1, 2), ()])
def test_tile_matches_numpy(dtype, shape, reps):
    a = _data(shape, dtype)
    got = pytensor.tile(_pt(a), reps)
    assert_close(got, np.tile(a, reps))
    assert not same_storage(got, _pt(a)) and got.is_contiguous()
    if reps:
        assert_close(_pt(a).tile(*reps), np.tile(a, reps))
    if len(reps) >= len(shape):  # where torch's repeat is defined, it is numpy's tile
        assert_close(_pt(a).repeat(*reps), np.tile(a, reps))
        assert_close(_pt(a).repeat(list(reps)), np.tile(a, reps))


def test_repeat_and_tile_errors_as_torch():
    x = pytensor.zeros(3, 4)
    with pytest.raises(RuntimeError, match="Number of dimensions of repeat dims can not be smaller than number of "
                                           "dimensions of tensor"):
        x.repeat(2)
    with pytest.raises(RuntimeError, match=r"Trying to create tensor with negative dimension -4: \[6, -4\]"):
        x.repeat(2, -1)
    with pytest.raises(RuntimeError, match="negative dimension"):
        pytensor.tile(x, (-1,))


def test_repeat_of_non_contiguous_input():
    a = _data((3, 4), "float64")
    xt = _pt(a).t()[::2]
    assert_close(xt.repeat(2, 1, 3), np.tile(a.T[::2], (2, 1, 3)))


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("reps", [0, 1, 3])
def test_repeat_interleave_int_matches_numpy(dtype, dim, reps):
    a = _data((3, 4), dtype)
    got = pytensor.repeat_interleave(_pt(a), reps, dim)
    assert_close(got, np.repeat(a, reps, dim))
    assert_close(_pt(a).repeat_interleave(reps, dim=dim), np.repeat(a, reps, dim))
    assert not same_storage(got, _pt(a))


@pytest.mark.parametrize("idx_dtype", ["int64", "int32"])
def test_repeat_interleave_tensor_matches_numpy(idx_dtype):
    a = _data((3, 4), "float32")
    x = _pt(a)
    for reps, dim in [([1, 2, 0], 0), ([0, 3, 1, 2], 1), ([2, 0, 0, 1], -1), ([2], 0), (2, 1),
                      (list(range(12)), None), ([0, 0, 0], 0)]:
        r = pytensor.tensor(reps, dtype=getattr(pytensor, idx_dtype))
        assert_close(pytensor.repeat_interleave(x, r, dim), np.repeat(a, np.array(reps), dim))
        assert_close(x.t().repeat_interleave(r, dim=None if dim is None else 1 - dim % 2),
                     np.repeat(a.T, np.array(reps), None if dim is None else 1 - dim % 2))
    r = pytensor.tensor([1, 2, 3])
    assert_close(pytensor.repeat_interleave(x, r, 0, output_size=6), np.repeat(a, [1, 2, 3], 0))
    idx = pytensor.repeat_interleave(pytensor.tensor([1, 0, 2, 3], dtype=getattr(pytensor, idx_dtype)))
    assert idx.dtype == getattr(pytensor, idx_dtype)
    assert idx.tolist() == [0, 2, 2, 3, 3, 3]
    assert pytensor.repeat_interleave(pytensor.tensor([], dtype=pytensor.int64)).shape == (0,)


def test_repeat_interleave_errors_as_torch():
    x = pytensor.zeros(3, 4)
    with pytest.raises(RuntimeError, match="Repeats must be non-negative"):
        pytensor.repeat_interleave(x, -1)
    with pytest.raises(RuntimeError, match=r"repeats must have the same size as input along dim, but got "
                                           r"repeats.size\(0\) = 2 and input.size\(0\) = 3"):
        pytensor.repeat_interleave(x, pytensor.tensor([1, 2]), dim=0)
    with pytest.raises(RuntimeError, match="repeats must be 0-dim or 1-dim tensor"):
        pytensor.repeat_interleave(x, pytensor.tensor([[1, 2]]), dim=0)
    with pytest.raises(NotImplementedError, match="\"repeat_interleave_cpu\" not implemented for 'Float'"):
        pytensor.repeat_interleave(x, pytensor.tensor([1.0, 2.0, 3.0]), dim=0)
    with pytest.raises(RuntimeError, match="repeats can not be negative"):
        pytensor.repeat_interleave(x, pytensor.tensor([1, -2, 3]), dim=0)
    with pytest.raises(RuntimeError, match="allocated size does not match required size"):
        pytensor.repeat_interleave(x, pytensor.tensor([1, 2, 3]), dim=0, output_size=5)
    with pytest.raises(RuntimeError, match="repeat_interleave: Invalid output_size, expected 6 but got 5"):
        pytensor.repeat_interleave(x, 2, dim=0, output_size=5)
    with pytest.raises(RuntimeError, match="repeat_interleave only accept 1D vector as repeat"):
        pytensor.repeat_interleave(pytensor.tensor([[1, 2]]))
    with pytest.raises(IndexError, match="Dimension out of range"):
        pytensor.repeat_interleave(x, 2, dim=2)
    with pytest.raises(TypeError):
        pytensor.repeat_interleave(x, True)


# ---- meshgrid, cartesian_prod, stacking ---------------------------------------------------------------

@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("sizes", [(3,), (2, 3), (2, 3, 4), (0, 2)])
def test_meshgrid_matches_numpy(indexing, sizes):
    arrays = [np.arange(n, dtype=np.float64) * (i + 1) for i, n in enumerate(sizes)]
    xs = [_pt(a) for a in arrays]
    got = pytensor.meshgrid(*xs, indexing=indexing)
    want = np.meshgrid(*arrays, indexing=indexing)
    assert isinstance(got, tuple) and len(got) == len(want)
    for g, w, x in zip(got, want, xs):
        assert_close(g, w)
        assert same_storage(g, x)  # expanded views of the inputs
    for g, w in zip(pytensor.meshgrid(xs, indexing=indexing), want):  # one list argument
        assert_close(g, w)


def test_meshgrid_warns_once_without_indexing_and_checks_inputs():
    import pytensor._shape_ops as so

    so._meshgrid_warned = False
    a, b = pytensor.arange(2), pytensor.arange(3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        g1 = pytensor.meshgrid(a, b)
        g2 = pytensor.meshgrid(a, b)
    assert len(w) == 1 and issubclass(w[0].category, UserWarning)
    assert "it will be required to pass the indexing argument" in str(w[0].message)
    assert g1[0].tolist() == g2[0].tolist() == [[0, 0, 0], [1, 1, 1]]  # 'ij' by default
    with pytest.raises(RuntimeError, match='indexing must be one of "xy" or "ij", but received: foo'):
        pytensor.meshgrid(a, b, indexing="foo")
    with pytest.raises(RuntimeError, match="meshgrid expects a non-empty TensorList"):
        pytensor.meshgrid(indexing="ij")
    with pytest.raises(RuntimeError, match="meshgrid expects all tensors to have the same dtype"):
        pytensor.meshgrid(a, pytensor.zeros(2), indexing="ij")
    with pytest.raises(RuntimeError, match="Expected 0D or 1D tensor in the tensor list"):
        pytensor.meshgrid(pytensor.zeros(2, 2), indexing="ij")


def test_cartesian_prod_matches_itertools():
    a, b, c = [1, 2, 3], [4, 5], [6, 7]
    got = pytensor.cartesian_prod(pytensor.tensor(a), pytensor.tensor(b), pytensor.tensor(c))
    assert got.tolist() == [list(p) for p in itertools.product(a, b, c)]
    x = pytensor.tensor(a)
    assert pytensor.cartesian_prod(x) is x
    with pytest.raises(RuntimeError, match=r"Expect a 1D vector, but got shape \[2, 2\]"):
        pytensor.cartesian_prod(pytensor.zeros(2, 2))
    with pytest.raises(RuntimeError, match="meshgrid expects all tensors to have the same dtype"):
        pytensor.cartesian_prod(pytensor.zeros(2), pytensor.arange(3))


_STACK_CASES = [[(3,), (3,)], [(2, 3), (2, 3)], [(2, 3, 4), (2, 3, 4)], [(), ()], [(2, 1), (2, 3)],
                [(2, 3, 1), (2, 3, 2)]]


@pytest.mark.parametrize("shapes", _STACK_CASES)
def test_hstack_vstack_dstack_column_stack_match_numpy(shapes):
    arrays = [_data(s, "float32") + i for i, s in enumerate(shapes)]
    xs = [_pt(a) for a in arrays]
    for pt_fn, np_fn in [(pytensor.hstack, np.hstack), (pytensor.vstack, np.vstack), (pytensor.dstack, np.dstack),
                         (pytensor.column_stack, np.column_stack)]:
        try:
            want = np_fn(arrays)
        except ValueError:
            with pytest.raises(RuntimeError):
                pt_fn(xs)
            continue
        assert_close(pt_fn(xs), want)
        assert_close(pt_fn(tuple(xs)), want)


def test_stacking_promotes_and_checks_arguments():
    i, f = pytensor.ones(2, dtype=pytensor.int32), pytensor.ones(2)
    assert pytensor.vstack([i, f]).dtype == pytensor.float32
    assert_close(pytensor.column_stack([pytensor.ones(3), pytensor.zeros(3, 2)]),
                 np.column_stack([np.ones(3, np.float32), np.zeros((3, 2), np.float32)]))
    for fn in (pytensor.hstack, pytensor.vstack, pytensor.dstack, pytensor.column_stack):
        with pytest.raises(RuntimeError, match=f"{fn.__name__} expects a non-empty TensorList"):
            fn([])
        with pytest.raises(TypeError, match=r"must be tuple of Tensors, not Tensor"):
            fn(f)


@pytest.mark.parametrize("shapes", [[(2, 2), (1, 3)], [(3,), (), (2, 1)], [(0, 2), (2, 0)], [(1, 1)]])
def test_block_diag_matches_numpy(shapes):
    arrays = [_data(s, "float64") + 1 for s in shapes]
    blocks = [a.reshape(1, 1) if a.ndim == 0 else a.reshape(1, -1) if a.ndim == 1 else a for a in arrays]
    want = np.zeros((sum(b.shape[0] for b in blocks), sum(b.shape[1] for b in blocks)))
    r = c = 0
    for b in blocks:
        want[r:r + b.shape[0], c:c + b.shape[1]] = b
        r, c = r + b.shape[0], c + b.shape[1]
    assert_close(pytensor.block_diag(*[_pt(a) for a in arrays]), want)


def test_block_diag_dtypes_and_errors():
    got = pytensor.block_diag(pytensor.ones(2, dtype=pytensor.int32), pytensor.ones(1, 1))
    assert got.dtype == pytensor.float32 and got.tolist() == [[1, 1, 0], [0, 0, 1]]
    assert pytensor.block_diag(pytensor.ones(2, dtype=pytensor.int32)).dtype == pytensor.int32
    assert pytensor.block_diag().shape == (1, 0)
    with pytest.raises(RuntimeError, match="torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                                           "Input 1 has 3 dimensions"):
        pytensor.block_diag(pytensor.ones(1), pytensor.ones(1, 1, 1))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "int64", "bool"])
@pytest.mark.parametrize("N", [None, 0, 1, 2, 5])
@pytest.mark.parametrize("increasing", [False, True])
def test_vander_matches_numpy(dtype, N, increasing):
    a = (np.arange(4) - 1).astype(dtype) if dtype != "bool" else np.array([True, False, True])
    got = pytensor.vander(_pt(a), N, increasing)
    want = np.vander(a.astype("int64") if dtype in ("int32", "bool") else a, N, increasing)
    assert got.dtype == (pytensor.int64 if dtype in ("int32", "int64", "bool") else getattr(pytensor, dtype))
    assert_close(got, want, check_dtype=False)


def test_vander_errors_as_torch():
    with pytest.raises(RuntimeError, match="x must be a one-dimensional tensor."):
        pytensor.vander(pytensor.zeros(2, 2))
    with pytest.raises(RuntimeError, match="N must be non-negative."):
        pytensor.vander(pytensor.zeros(2), -1)


# ---- splitting -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1, 5, 7, 12])
@pytest.mark.parametrize("spec", [1, 2, 3, 5, [1, 3], [2, 1], [-1], [0, 10], [], (4, 4, 6)])
def test_tensor_split_matches_array_split(size, spec):
    a = _data((3, size), "float32")
    x = _pt(a)
    got = pytensor.tensor_split(x, spec, dim=1)
    want = np.array_split(a, spec, axis=1)
    assert isinstance(got, tuple) and len(got) == len(want)
    for g, w in zip(got, want):
        assert_close(g, w)
        assert same_storage(g, x)
    for g, w in zip(x.t().tensor_split(spec), np.array_split(a.T, spec)):  # non-contiguous, dim 0
        assert_close(g, w)
    as_tensor = pytensor.tensor(spec if not isinstance(spec, tuple) else list(spec), dtype=pytensor.int64)
    for g, w in zip(pytensor.tensor_split(x, as_tensor, -1), want):
        assert_close(g, w)


def test_tensor_split_keyword_spellings():
    x = pytensor.arange(10)
    assert [t.tolist() for t in pytensor.tensor_split(x, sections=3)] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert [t.tolist() for t in x.tensor_split(indices=[2, 5])] == [[0, 1], [2, 3, 4], [5, 6, 7, 8, 9]]
    with pytest.raises(TypeError):
        pytensor.tensor_split(x)


def test_tensor_split_errors_as_torch():
    x = pytensor.zeros(3, 4)
    with pytest.raises(RuntimeError, match="number of sections must be larger than 0, got 0"):
        pytensor.tensor_split(x, 0)
    with pytest.raises(RuntimeError, match="tensor_split expected at least a 1-dimensional tensor, but got a tensor "
                                           "with 0 dims"):
        pytensor.tensor_split(pytensor.tensor(1.0), 1)
    with pytest.raises(RuntimeError, match="to have dtype of long, but got Float"):
        pytensor.tensor_split(x, pytensor.tensor(2.0))
    with pytest.raises(RuntimeError, match="zero-dimensional or one-dimensional tensor, but got a tensor with 2 dims"):
        pytensor.tensor_split(x, pytensor.tensor([[1]]))
    with pytest.raises(IndexError, match="Dimension out of range"):
        pytensor.tensor_split(x, 2, dim=2)


def test_hsplit_vsplit_dsplit_match_numpy():
    a = _data((4, 6, 8), "int64")
    x = _pt(a)
    for pt_fn, np_fn in [(pytensor.hsplit, np.hsplit), (pytensor.vsplit, np.vsplit), (pytensor.dsplit, np.dsplit)]:
        for spec in (2, [1, 3], [5]):
            got = pt_fn(x, spec)
            want = np_fn(a, spec)
            assert len(got) == len(want)
            for g, w in zip(got, want):
                assert_close(g, w)
                assert same_storage(g, x)
    v = _data((6,), "int64")
    for g, w in zip(_pt(v).hsplit(3), np.hsplit(v, 3)):
        assert_close(g, w)


def test_hsplit_vsplit_dsplit_errors_as_torch():
    x = pytensor.zeros(3, 4)
    with pytest.raises(RuntimeError, match="torch.hsplit requires a tensor with at least 1 dimension, but got a "
                                           "tensor with 0 dimensions!"):
        pytensor.hsplit(pytensor.tensor(1.0), 1)
    with pytest.raises(RuntimeError, match="torch.hsplit attempted to split along dimension 1, but the size of the "
                                           "dimension 4 is not divisible by the split_size 3!"):
        pytensor.hsplit(x, 3)
    with pytest.raises(RuntimeError, match="split_size 0!"):
        pytensor.hsplit(x, 0)
    with pytest.raises(RuntimeError, match="torch.vsplit requires a tensor with at least 2 dimension, but got a "
                                           "tensor with 1 dimensions!"):
        pytensor.vsplit(pytensor.zeros(4), 2)
    with pytest.raises(RuntimeError, match="torch.dsplit requires a tensor with at least 3 dimension"):
        x.dsplit(2)


# ---- autograd: node names, gradients, in-place writes through the views --------------------------------

_GRAD_CASES = [
    ("diagonal", lambda x: x.diagonal(1), (3, 4), "DiagonalBackward0"),
    ("diagonal3d", lambda x: pytensor.diagonal(x, -1, 2, 0), (2, 3, 4), "DiagonalBackward0"),
    ("diag_embed", lambda x: pytensor.diag_embed(x, 1, 0, 2), (2, 3), "DiagEmbedBackward0"),
    ("diag1d", lambda x: pytensor.diag(x, -1), (3,), "DiagEmbedBackward0"),
    ("diag2d", lambda x: pytensor.diag(x, 1), (3, 4), "DiagonalBackward0_copy"),
    ("diagflat", lambda x: pytensor.diagflat(x), (2, 2), "DiagEmbedBackward0"),
    ("trace", lambda x: pytensor.trace(x), (3, 4), "TraceBackward0"),
    ("broadcast_to", lambda x: pytensor.broadcast_to(x, (2, 3, 4)), (3, 1), "ExpandBackward0"),
    ("swapaxes", lambda x: pytensor.swapaxes(x, 0, 1), (3, 4), "TransposeBackward0"),
    ("moveaxis", lambda x: pytensor.moveaxis(x, [0, 1], [2, 0]), (2, 3, 4), "PermuteBackward0"),
    ("unflatten", lambda x: x.unflatten(1, (2, 2)), (3, 4), "ViewBackward0"),
    ("ravel", lambda x: x.ravel(), (3, 4), "ViewBackward0"),
    ("narrow_copy", lambda x: x.narrow_copy(1, 1, 2), (3, 4), "NarrowCopyBackward0"),
    ("atleast_3d", lambda x: pytensor.atleast_3d(x), (4,), "UnsqueezeBackward0"),
    ("rot90", lambda x: pytensor.rot90(x, 1), (3, 4), "Rot90Backward0"),
    ("rot90_3", lambda x: pytensor.rot90(x, 3, (1, 0)), (3, 4), "Rot90Backward0"),
    ("rot90_2", lambda x: pytensor.rot90(x, 2, (2, 0)), (2, 3, 4), "Rot90Backward0"),
    ("fliplr", lambda x: pytensor.fliplr(x), (3, 4), "FlipBackward0"),
    ("tile", lambda x: pytensor.tile(x, (2, 1, 2)), (3, 2), "RepeatBackward0"),
    ("repeat", lambda x: x.repeat(2, 3), (3, 2), "RepeatBackward0"),
    ("repeat_interleave", lambda x: pytensor.repeat_interleave(x, 2, 1), (3, 2), "ViewBackward0"),
    ("repeat_interleave_t", lambda x: pytensor.repeat_interleave(x, pytensor.tensor([2, 0, 1]), 0), (3, 2),
     "IndexSelectBackward0"),
    ("hstack", lambda x: pytensor.hstack([x, x * 2]), (3, 2), "CatBackward0"),
    ("column_stack", lambda x: pytensor.column_stack([x, x]), (3,), "CatBackward0"),
    ("block_diag", lambda x: pytensor.block_diag(x, x[0], x * 3), (2, 3), "BlockDiagBackward0"),
    ("cartesian_prod", lambda x: pytensor.cartesian_prod(x, x * 2), (3,), "StackBackward0"),
    ("vander", lambda x: pytensor.vander(x, 4), (3,), "FlipBackward0"),
]


@pytest.mark.parametrize("name,fn,shape,node", _GRAD_CASES, ids=[c[0] for c in _GRAD_CASES])
def test_gradients_and_node_names(name, fn, shape, node):
    x = _rand64(*shape)
    assert fn(x).grad_fn.name() == node
    assert gradcheck(fn, (x,))
    if name not in ("repeat_interleave_t",):
        assert gradgradcheck(fn, (x,))


@pytest.mark.parametrize("fn", [
    lambda x: pytensor.meshgrid(x[0], x[1], indexing="xy"),
    lambda x: pytensor.tensor_split(x, [1, 3], dim=1),
    lambda x: pytensor.hsplit(x, 2),
    lambda x: pytensor.broadcast_tensors(x, x[:1, :1]),
])
def test_gradients_of_multi_output_ops(fn):
    x = _rand64(3, 4)
    assert gradcheck(lambda t: tuple(o * (i + 1) for i, o in enumerate(fn(t))), (x,))


def test_split_outputs_are_slices_as_torch():
    x = _rand64(3, 4)
    assert [o.grad_fn.name() for o in pytensor.tensor_split(x, 2, 1)] == ["SliceBackward0"] * 2
    assert [o.grad_fn.name() for o in pytensor.meshgrid(x[0], x[1], indexing="ij")] == ["ExpandBackward0"] * 2


def test_gradient_of_block_diag_with_mixed_inputs():
    a = _rand64(2, 2)
    b = pytensor.tensor([1, 2], dtype=pytensor.int32)
    out = pytensor.block_diag(a, b)
    assert out.dtype == pytensor.float64
    out.sum().backward()
    assert a.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_in_place_write_through_diagonal_is_tracked():
    x = _rand64(3, 4)
    y = x * 1.0
    d = y.diagonal(1)
    d.mul_(3.0)
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    y.sum().backward()
    want = np.ones((3, 4))
    want[[0, 1, 2], [1, 2, 3]] = 3.0
    np.testing.assert_allclose(x.grad.numpy(), want)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x.diagonal().zero_()


@pytest.mark.parametrize("view", [lambda y: y.swapaxes(0, 1)[0], lambda y: pytensor.moveaxis(y, 0, 1)[1],
                                  lambda y: y.unflatten(1, (2, 2))[:, 1], lambda y: y.ravel()[2:5],
                                  lambda y: pytensor.atleast_3d(y)[..., 0][1]])
def test_in_place_write_through_other_views_is_tracked(view):
    x = _rand64(3, 4)
    y = x * 1.0
    v = view(y)
    v.mul_(5.0)
    mask = np.zeros((3, 4))
    probe = pytensor.from_numpy(mask)
    view(probe).fill_(1.0)  # which elements the view covers
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 1.0 + 4.0 * mask)


def test_no_graph_without_requires_grad():
    x = pytensor.ones(3, 3)
    for out in (x.diagonal(), pytensor.trace(x), x.rot90(), x.repeat(2, 1), pytensor.block_diag(x, x)):
        assert out.grad_fn is None and not out.requires_grad


# ---- parity with torch ------------------------------------------------------------------------------------

_TORCH_CASES = [
    ("diagonal", lambda m, x: m.diagonal(x, -1, 2, 1), [(2, 3, 4)]),
    ("diag_embed", lambda m, x: m.diag_embed(x, -2, -1, 0), [(2, 3)]),
    ("diag_embed0", lambda m, x: m.diag_embed(x), [(3,)]),
    ("diag", lambda m, x: m.diag(x, 2), [(3, 5)]),
    ("diagflat", lambda m, x: m.diagflat(x, -1), [(2, 3)]),
    ("trace", lambda m, x: m.trace(x), [(4, 3)]),
    ("tile", lambda m, x: x.tile((2, 1, 3)), [(2, 3)]),
    ("repeat", lambda m, x: x.repeat(2, 1, 3), [(2, 3)]),
    ("rot90", lambda m, x: m.rot90(x, -3, [2, 1]), [(2, 3, 4)]),
    ("repeat_interleave", lambda m, x: m.repeat_interleave(x, 3), [(2, 3)]),
    ("repeat_interleave_t", lambda m, x: m.repeat_interleave(x, m.tensor([1, 0, 4]), dim=-1), [(2, 3)]),
    ("vander", lambda m, x: m.vander(x, 5), [(3,)]),  # torch 2.13's own vander backward raises
    ("block_diag", lambda m, x, y: m.block_diag(x, y, x[0]), [(2, 3), (1, 1)]),
    ("dstack", lambda m, x, y: m.dstack([x, y]), [(2, 3), (2, 3)]),
    ("column_stack", lambda m, x, y: m.column_stack([x, y]), [(3,), (3, 2)]),
    ("cartesian_prod", lambda m, x, y: m.cartesian_prod(x, y), [(3,), (2,)]),
    ("unflatten", lambda m, x: x.unflatten(-1, (2, -1)), [(3, 4)]),
    ("narrow_copy", lambda m, x: x.narrow_copy(0, 1, 2), [(3, 4)]),  # torch's backward fails for start < 0
]


@pytest.mark.parametrize("name,fn,shapes", _TORCH_CASES, ids=[c[0] for c in _TORCH_CASES])
def test_values_and_gradients_match_torch(torch, name, fn, shapes):
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal(s) for s in shapes]
    xs = [pytensor.from_numpy(a).requires_grad_() for a in arrays]
    ts = [torch.from_numpy(a).requires_grad_() for a in arrays]
    got, want = fn(pytensor, *xs), fn(torch, *ts)
    assert_close(got, want.detach().numpy(), check_dtype=False)
    assert got.dtype._name == str(want.dtype).split(".")[-1]
    assert got.grad_fn.name().split("::")[-1] == type(want.grad_fn).__name__
    if name == "vander":
        return
    seed = rng.standard_normal(tuple(want.shape))
    got.backward(pytensor.from_numpy(seed))
    want.backward(torch.from_numpy(seed))
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_integer_results_match_torch(torch):
    assert pytensor.tril_indices(4, 5, -1).tolist() == torch.tril_indices(4, 5, -1).tolist()
    assert pytensor.triu_indices(5, 3, 1).tolist() == torch.triu_indices(5, 3, 1).tolist()
    reps = [3, 0, 2, 1]
    assert (pytensor.repeat_interleave(pytensor.tensor(reps)).tolist()
            == torch.repeat_interleave(torch.tensor(reps)).tolist())
    assert pytensor.vander(pytensor.arange(4)).tolist() == torch.vander(torch.arange(4)).tolist()
    assert (pytensor.trace(pytensor.arange(9, dtype=pytensor.uint8).view(3, 3)).item()
            == torch.trace(torch.arange(9, dtype=torch.uint8).view(3, 3)).item())


# ---- CUDA tensors: every op against the CPU result of the same op (run where a GPU exists) ----------------

def _cuda_available() -> bool:
    cuda = getattr(pytensor, "cuda", None)
    if cuda is not None and hasattr(cuda, "is_available"):
        return bool(cuda.is_available())
    return pytensor._C._cuda_device_count() > 0


needs_cuda = pytest.mark.skipif(not _cuda_available(), reason="needs a CUDA GPU")

_CUDA_CASES = [
    ("diagonal", lambda m, x: m.diagonal(x, 1, 2, 0)),
    ("diagonal_nc", lambda m, x: m.diagonal(x.transpose(0, 2)[:, 1:], -1, 0, 1)),
    ("diag_embed", lambda m, x: m.diag_embed(x, -1, 0, 3)),
    ("diag", lambda m, x: m.diag(x[0], 1)),
    ("diagflat", lambda m, x: m.diagflat(x[0, 0], 2)),
    ("trace", lambda m, x: m.trace(x[1])),
    ("broadcast_to", lambda m, x: m.broadcast_to(x[:, :1], (4, 2, 3, 5))),
    ("moveaxis", lambda m, x: m.moveaxis(x, [0, 2], [1, 0])),
    ("unflatten", lambda m, x: x.unflatten(2, (5, 1))),
    ("ravel_nc", lambda m, x: x.transpose(0, 1).ravel()),
    ("narrow_copy", lambda m, x: x.narrow_copy(2, 1, 3)),
    ("atleast_3d", lambda m, x: m.atleast_3d(x[0, 0])),
    ("rot90", lambda m, x: m.rot90(x, 3, (2, 1))),
    ("fliplr", lambda m, x: m.fliplr(x)),
    ("tile", lambda m, x: m.tile(x[0], (2, 1, 3))),
    ("repeat", lambda m, x: x[:, 1].repeat(2, 2)),
    ("repeat_interleave", lambda m, x: m.repeat_interleave(x, 2, 1)),
    ("repeat_interleave_t", lambda m, x: m.repeat_interleave(x, m.tensor([2, 0, 1]).to(x.device), 1)),
    ("hstack", lambda m, x: m.hstack([x, x * 2])),
    ("dstack", lambda m, x: m.dstack([x[0], x[1]])),
    ("column_stack", lambda m, x: m.column_stack([x[0, 0], x[1, 1]])),
    ("block_diag", lambda m, x: m.block_diag(x[0], x[1, 0], x[1, 1, 0])),
    ("cartesian_prod", lambda m, x: m.cartesian_prod(x[0, 0], x[1, 1, :2])),
    ("vander", lambda m, x: m.vander(x[0, 0], 4)),
]


@needs_cuda
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32"])
@pytest.mark.parametrize("name,fn", _CUDA_CASES, ids=[c[0] for c in _CUDA_CASES])
def test_cuda_matches_cpu(name, fn, dtype):
    x = _pt(_data((2, 3, 5), dtype))
    want = fn(pytensor, x)
    got = fn(pytensor, x.to("cuda"))
    assert got.is_cuda and got.dtype == want.dtype
    assert_close(got.cpu(), want.numpy())


@needs_cuda
def test_cuda_views_share_storage_and_index_helpers():
    x = pytensor.arange(12.0).view(3, 4).to("cuda")
    d = x.diagonal(1)
    d.fill_(-1.0)
    assert x.cpu().tolist() == [[0, -1, 2, 3], [4, 5, -1, 7], [8, 9, 10, -1]]
    for t in pytensor.tensor_split(x, 3, 1) + pytensor.meshgrid(x[0], x[1], indexing="xy"):
        assert t.is_cuda and same_storage(t, x)
    assert pytensor.tril_indices(4, 3, 1, device="cuda").cpu().tolist() == pytensor.tril_indices(4, 3, 1).tolist()
    assert (pytensor.repeat_interleave(pytensor.tensor([2, 0, 3]).to("cuda")).cpu().tolist()
            == [0, 0, 2, 2, 2])


@needs_cuda
def test_cuda_gradients_match_cpu():
    for name, fn in _CUDA_CASES:
        x = _rand64(2, 3, 5)
        xc = x.detach().to("cuda").requires_grad_()
        fn(pytensor, x).sum().backward()
        fn(pytensor, xc).sum().backward()
        assert_close(xc.grad.cpu(), x.grad.numpy())


@needs_cuda
def test_cuda_device_mismatch_errors():
    with pytest.raises(RuntimeError, match="meshgrid expects all tensors to have the same device"):
        pytensor.meshgrid(pytensor.zeros(2), pytensor.zeros(2).to("cuda"), indexing="ij")
    with pytest.raises(RuntimeError, match="input tensors must all be on the same device"):
        pytensor.block_diag(pytensor.zeros(2, 2), pytensor.zeros(2, 2).to("cuda"))


@pytest.mark.parametrize("dtype", ["float32", "int64"])
@pytest.mark.parametrize("name,fn", _CUDA_CASES, ids=[c[0] for c in _CUDA_CASES])
def test_gpu_cases_match_torch_on_cpu(torch, name, fn, dtype):
    a = _data((2, 3, 5), dtype)
    got, want = fn(pytensor, _pt(a)), fn(torch, torch.from_numpy(np.array(a)))
    assert got.dtype._name == str(want.dtype).split(".")[-1]
    assert_close(got, want.numpy(), check_dtype=False)
