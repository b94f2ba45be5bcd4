"""Shapes, strides and views: metadata, view/reshape/resize_, the view ops, cat/stack/split.

Views must share storage: every view test writes through the view and reads the base.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_close, same_storage, to_numpy

import pytensor


def arange(*shape, dtype=pytensor.float32):
    n = int(np.prod(shape)) if shape else 1
    return pytensor.arange(n, dtype=dtype).reshape(*shape) if shape else pytensor.tensor(0.0)


def np_arange(*shape):
    return np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)


def assert_view_of(view, base):
    """``view`` shares ``base``'s memory: a write through the view shows in the base."""
    assert same_storage(view, base)
    if view.numel():
        before = to_numpy(base)
        view.fill_(-7)
        after = to_numpy(base)
        assert (after == -7).sum() == view.numel()  # exactly the viewed elements changed
        base.copy_(pytensor.tensor(before))


# ---- metadata ------------------------------------------------------------------------------


def test_shape_size_dim_numel():
    m = arange(3, 4)
    assert m.shape == pytensor.Size([3, 4]) and isinstance(m.shape, pytensor.Size)
    assert isinstance(m.shape, tuple) and m.shape == (3, 4)
    assert m.size() == (3, 4) and isinstance(m.size(), pytensor.Size)
    assert m.size(0) == 3 and m.size(-1) == 4 and m.size(1) == 4
    assert m.dim() == 2 and m.ndim == 2 and m.numel() == 12 and m.nelement() == 12
    assert len(m) == 3
    s = pytensor.tensor(5.0)
    assert s.shape == () and s.dim() == 0 and s.numel() == 1
    assert pytensor.zeros(2, 0, 3).numel() == 0
    assert pytensor.numel(m) == 12
    with pytest.raises(
        IndexError,
        match=r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)",
    ):
        m.size(2)
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(s)


def test_size_behaves_as_a_tuple():
    s = pytensor.Size([2, 3, 4])
    assert s[1] == 3 and s[-1] == 4 and isinstance(s[1:], pytensor.Size)
    assert s + (5,) == (2, 3, 4, 5) and isinstance(s + (5,), pytensor.Size)
    assert s.numel() == 24 and pytensor.Size([]).numel() == 1
    assert repr(s) == "pytensor.Size([2, 3, 4])" and str(pytensor.Size([])) == "pytensor.Size([])"
    assert list(s) == [2, 3, 4] and s == pytensor.Size((2, 3, 4))
    assert pytensor.Size([True, np.int64(3), pytensor.tensor(4)]) == (1, 3, 4)
    assert all(type(d) is int for d in pytensor.Size([np.int32(2), pytensor.tensor(5)]))
    for bad, name in [([2.5], "float"), (["a"], "str"), ([None], "NoneType")]:
        with pytest.raises(TypeError, match=f"takes an iterable of 'int' \\(item 0 is '{name}'\\)"):
            pytensor.Size(bad)


def test_stride_storage_offset_data_ptr():
    m = arange(3, 4)
    assert m.stride() == (4, 1) and m.stride(0) == 4 and m.stride(-1) == 1
    assert m.t().stride() == (1, 4)
    assert m.storage_offset() == 0
    assert m[1].storage_offset() == 4
    assert m[1:, 2:].storage_offset() == 6
    assert m[1].data_ptr() - m.data_ptr() == 4 * m.element_size()
    assert m.t().data_ptr() == m.data_ptr()
    assert m.element_size() == 4 and pytensor.zeros(1, dtype=pytensor.int16).element_size() == 2
    assert arange(2, 3, 4).permute(2, 0, 1).stride() == (1, 12, 4)
    assert pytensor.tensor(1.0).stride() == ()
    with pytest.raises(IndexError):
        m.stride(2)


# ---- view / reshape ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, expected",
    [
        ((4, 3), (4, 3)),
        ((-1,), (12,)),
        ((2, -1), (2, 6)),
        ((-1, 6), (2, 6)),
        ((2, 2, -1), (2, 2, 3)),
        ((12, 1), (12, 1)),
        ((1, -1, 1), (1, 12, 1)),
    ],
)
def test_view_with_inferred_dim(shape, expected):
    m = arange(3, 4)
    v = m.view(*shape)
    assert v.shape == expected
    assert v.is_contiguous()
    assert_close(v, np_arange(3, 4).reshape(expected))
    assert_view_of(v, m)
    assert m.view(shape).shape == expected  # a tuple works as well
    assert m.view(list(shape)).shape == expected
    assert m.view(pytensor.Size(expected)).shape == expected


def test_view_of_0d_and_empty():
    s = pytensor.tensor(3.0)
    assert s.view(1).shape == (1,) and s.view(-1).shape == (1,) and s.view(()).shape == ()
    assert s.view(1, 1).tolist() == [[3.0]]
    e = pytensor.zeros(0, 3)
    assert e.view(3, 0).shape == (3, 0) and e.view(-1).shape == (0,)
    with pytest.raises(
        RuntimeError, match="cannot reshape tensor of 0 elements into shape \\[-1, 0\\]"
    ):
        e.view(-1, 0)


@pytest.mark.parametrize(
    "shape, msg",
    [
        ((5, 3), "shape '\\[5, 3\\]' is invalid for input of size 12"),
        ((5, -1), "shape '\\[5, -1\\]' is invalid for input of size 12"),
        ((-1, -1), "only one dimension can be inferred"),
        ((2, -2), "invalid shape dimension -2"),
    ],
)
def test_view_invalid_shapes(shape, msg):
    m = arange(3, 4)
    with pytest.raises(RuntimeError, match=msg):
        m.view(*shape)
    with pytest.raises(RuntimeError, match=msg):
        m.reshape(*shape)


def test_view_impossible_on_non_contiguous_raises_torch_error():
    m = arange(3, 4)
    msg = (
        "view size is not compatible with input tensor's size and stride \\(at least one dimension "
        "spans across two contiguous subspaces\\). Use .reshape\\(...\\) instead."
    )
    with pytest.raises(RuntimeError, match=msg):
        m.t().view(12)
    with pytest.raises(RuntimeError, match=msg):
        m[:, 1:3].view(6)
    with pytest.raises(RuntimeError, match=msg):
        m.t().view(3, 4)
    # ... while views that only split or merge contiguous groups work without copying.
    t = m.t()
    for shape in [(4, 3, 1), (4, 1, 3), (2, 2, 3), (4, 3)]:
        v = t.view(*shape)
        assert_view_of(v, m)
    assert m[:, 1:3].view(3, 2, 1).stride() == (4, 1, 1)
    v = arange(2, 3, 4).transpose(0, 1).view(3, 2, 2, 2)  # splits the last (contiguous) dim
    assert v.stride() == (4, 12, 2, 1)
    assert_view_of(v, v)


def test_reshape_views_when_possible_and_copies_otherwise():
    m = arange(3, 4)
    r = m.reshape(6, 2)
    assert same_storage(r, m) and r.stride() == (2, 1)
    assert_view_of(r, m)
    c = m.t().reshape(12)
    assert not same_storage(c, m) and c.is_contiguous()
    assert_close(c, np_arange(3, 4).T.reshape(12))
    c.fill_(0)
    assert to_numpy(m).sum() == 66  # the copy is independent
    assert pytensor.reshape(m, (2, 6)).shape == (2, 6)
    assert m.reshape(-1).shape == (12,)
    assert m.reshape_as(pytensor.zeros(2, 6)).shape == (2, 6)
    assert m.view_as(pytensor.zeros(6, 2)).shape == (6, 2)


# ---- resize_ ---------------------------------------------------------------------------------


def test_resize_shrinks_keeping_memory():
    w = pytensor.arange(1.0, 11.0)  # tutorial: fewer elements keep the storage, drop the tail
    ptr = w.data_ptr()
    r = w.resize_(2, 3)
    assert r is w and w.shape == (2, 3) and w.data_ptr() == ptr
    assert w.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    w.resize_(10)  # the elements were removed from the tensor, not from memory
    assert w.tolist() == [float(v) for v in range(1, 11)]


def test_resize_grows_keeping_values():
    w = pytensor.arange(6.0)
    w.resize_(3, 4)
    assert w.shape == (3, 4) and w.is_contiguous()
    assert w.view(-1).tolist()[:6] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]  # new elements: uninitialized
    w.resize_(1, 5)
    assert w.tolist() == [[0.0, 1.0, 2.0, 3.0, 4.0]]


def test_resize_forms_and_edge_cases():
    w = pytensor.arange(4.0)
    assert w.resize_((2, 2)).shape == (2, 2)
    assert w.resize_([4]).shape == (4,)
    assert w.resize_(pytensor.Size([1, 4])).shape == (1, 4)
    assert w.resize_as_(pytensor.zeros(2, 2)).shape == (2, 2)
    assert w.resize_(0).shape == (0,)
    t = pytensor.arange(6.0).reshape(3, 2).t()
    assert t.resize_(2, 3).tolist() == [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]  # same size: no-op
    assert t.stride() == (1, 2)
    t.resize_(6)
    assert t.is_contiguous() and t.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    sl = pytensor.arange(6.0)[2:]
    assert sl.resize_(2).tolist() == [2.0, 3.0] and sl.storage_offset() == 2
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        pytensor.arange(6.0).resize_(-1)


def test_resize_on_numpy_memory_cannot_grow():
    a = np.arange(4.0)
    t = pytensor.from_numpy(a)
    t.resize_(2)
    assert t.tolist() == [0.0, 1.0]
    with pytest.raises(RuntimeError, match="not resizable"):
        t.resize_(10)
    assert t.shape == (2,)


# ---- t / T / transpose / permute ------------------------------------------------------------


def test_t_and_T():
    m = arange(3, 4)
    for v in (m.t(), m.T, pytensor.t(m), m.transpose(0, 1), m.transpose(-1, -2), m.mT):
        assert v.shape == (4, 3) and v.stride() == (1, 4)
        assert_close(v, np_arange(3, 4).T)
        assert_view_of(v, m)
    v = pytensor.arange(3)
    assert v.t().shape == (3,) and pytensor.tensor(2.0).t().shape == ()
    c = arange(2, 3, 4)
    assert c.T.shape == (4, 3, 2)
    with pytest.raises(
        RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions, but self is 3D"
    ):
        c.t()


def test_transpose_and_permute():
    c, nc = arange(2, 3, 4), np_arange(2, 3, 4)
    assert_close(c.transpose(0, 2), nc.transpose(2, 1, 0))
    assert c.transpose(0, 2).stride() == (1, 4, 12)
    assert_close(c.swapaxes(0, 1), nc.swapaxes(0, 1))
    for dims in [(2, 0, 1), (1, 0, 2), (-1, 0, 1), (0, 1, 2)]:
        p = c.permute(*dims)
        assert_close(p, nc.transpose([d % 3 for d in dims]))
        assert_view_of(p, c)
        assert c.permute(dims).shape == p.shape
    assert pytensor.permute(c, (1, 0, 2)).shape == (3, 2, 4)
    assert c.movedim(0, 2).shape == (3, 4, 2)
    with pytest.raises(RuntimeError, match="duplicate dims are not allowed"):
        c.permute(2, 0, 0)
    with pytest.raises(
        RuntimeError, match="number of dimensions in the tensor input does not match"
    ):
        c.permute(2, 0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        c.permute(2, 0, 3)
    with pytest.raises(IndexError, match="Dimension out of range"):
        c.transpose(0, 3)


# ---- squeeze / unsqueeze / flatten -------------------------------------------------------------


def test_squeeze_unsqueeze():
    x = pytensor.zeros(1, 3, 1)
    assert x.squeeze().shape == (3,)
    assert x.squeeze(0).shape == (3, 1) and x.squeeze(1).shape == (1, 3, 1)
    assert x.squeeze(-1).shape == (1, 3) and x.squeeze((0, 2)).shape == (3,)
    assert pytensor.squeeze(x).shape == (3,)
    assert_view_of(x.squeeze(), x)
    s = pytensor.tensor(2.0)
    assert s.squeeze().shape == () and s.squeeze(0).shape == () and s.squeeze(-1).shape == ()
    with pytest.raises(IndexError):
        x.squeeze(3)
    v = pytensor.arange(6)
    assert v.unsqueeze(0).shape == (1, 6) and v.unsqueeze(1).shape == (6, 1)
    assert v.unsqueeze(-1).shape == (6, 1) and v.unsqueeze(-2).shape == (1, 6)
    assert pytensor.unsqueeze(v, 0).shape == (1, 6)
    assert s.unsqueeze(0).shape == (1,)
    m = arange(3, 4)
    assert m.unsqueeze(1).stride() == (4, 4, 1)
    assert m.t().unsqueeze(2).stride() == (1, 4, 1)
    assert_view_of(m.unsqueeze(0), m)
    with pytest.raises(
        IndexError,
        match="Dimension out of range \\(expected to be in range of \\[-2, 1\\], but got 2\\)",
    ):
        v.unsqueeze(2)
    with pytest.raises(IndexError):
        v.unsqueeze(-3)


def test_flatten():
    c, nc = arange(2, 3, 4), np_arange(2, 3, 4)
    assert c.flatten().shape == (24,) and c.flatten(1).shape == (2, 12)
    assert c.flatten(0, 1).shape == (6, 4) and c.flatten(-2, -1).shape == (2, 12)
    assert pytensor.flatten(c, 1).shape == (2, 12)
    assert_view_of(c.flatten(), c)
    p = c.permute(2, 0, 1)
    f = p.flatten()
    assert f.is_contiguous() and not same_storage(f, c)  # needs a copy, as reshape
    assert_close(f, nc.transpose(2, 0, 1).reshape(-1))
    assert pytensor.tensor(1.0).flatten().shape == (1,)
    with pytest.raises(
        RuntimeError, match="flatten\\(\\) has invalid args: start_dim cannot come after end_dim"
    ):
        c.flatten(2, 1)


# ---- expand / contiguous / clone / detach ----------------------------------------------------


def test_expand_and_expand_as():
    v = pytensor.arange(3.0)
    e = v.expand(2, 3)
    assert e.shape == (2, 3) and e.stride() == (0, 1) and not e.is_contiguous()
    assert_close(e, np.broadcast_to(np.arange(3.0, dtype=np.float32), (2, 3)))
    assert same_storage(e, v)
    v[1] = 10.0
    assert e.tolist() == [[0.0, 10.0, 2.0], [0.0, 10.0, 2.0]]
    assert v.expand(2, -1).shape == (2, 3) and v.expand((4, 3)).shape == (4, 3)
    col = pytensor.zeros(3, 1)
    assert col.expand(-1, 4).shape == (3, 4) and col.expand(-1, 4).stride() == (1, 0)
    assert col.expand_as(pytensor.zeros(2, 3, 5)).shape == (2, 3, 5)
    assert pytensor.tensor(1.0).expand(2, 2).stride() == (0, 0)
    with pytest.raises(
        RuntimeError,
        match="The expanded size of the tensor \\(2\\) must match the existing size \\(3\\) at non-singleton dimension 1",
    ):
        v.expand(3, 2)
    with pytest.raises(RuntimeError, match="must be greater or equal to the number of dimensions"):
        arange(3, 4).expand(4)
    with pytest.raises(RuntimeError, match="isn't allowed in a leading, non-existing dimension 0"):
        col.expand(-1, -1, 4)
    with pytest.raises(
        RuntimeError,
        match="more than one element of the written-to tensor refers to a single memory location",
    ):
        e.add_(1)
    e.fill_(5.0)  # torch allows filling overlapping memory
    assert v.tolist() == [5.0, 5.0, 5.0]


def test_contiguous_clone_detach():
    m = arange(3, 4)
    assert m.is_contiguous() and m.contiguous() is m
    t = m.t()
    assert not t.is_contiguous()
    c = t.contiguous()
    assert c.is_contiguous() and c.stride() == (3, 1) and not same_storage(c, m)
    assert_close(c, np_arange(3, 4).T)
    assert m[:1].is_contiguous() and m[:, :1].is_contiguous() is False
    assert pytensor.zeros(3, 1).t().is_contiguous()  # size-1 dims do not count
    assert pytensor.zeros(0, 3).t().is_contiguous()  # empty tensors are contiguous
    assert m[:, ::2][0:0].is_contiguous()  # ... whatever their strides
    assert m[:, ::2].is_contiguous() is False
    k = m.clone()
    assert k.data_ptr() != m.data_ptr()
    np.testing.assert_array_equal(np.asarray(k), np.asarray(m))
    k.fill_(0)
    assert to_numpy(m).sum() == 66
    assert_close(t.clone(), np_arange(3, 4).T)
    d = m.detach()
    assert d is not m and same_storage(d, m) and not d.requires_grad
    assert_view_of(d, m)
    assert pytensor.clone(m).shape == (3, 4)


# ---- cat / stack / split / chunk / narrow / unbind -------------------------------------------


def test_cat():
    m, nm = arange(3, 4), np_arange(3, 4)
    assert_close(pytensor.cat([m, m]), np.concatenate([nm, nm]))
    assert_close(pytensor.cat((m, m), 1), np.concatenate([nm, nm], 1))
    assert_close(pytensor.cat([m, m], dim=-1), np.concatenate([nm, nm], -1))
    assert_close(pytensor.cat([m.t(), m.t()], 1), np.concatenate([nm.T, nm.T], 1))
    assert_close(
        pytensor.cat([m, pytensor.zeros(3, 2)], dim=1),
        np.concatenate([nm, np.zeros((3, 2), np.float32)], 1),
    )
    assert pytensor.cat([m, m.int()]).dtype == pytensor.float32
    assert pytensor.cat([pytensor.arange(2), pytensor.tensor([0.5])]).tolist() == [0.0, 1.0, 0.5]
    assert pytensor.cat([pytensor.zeros(0), m]).shape == (3, 4)  # legacy empty 1-d is skipped
    assert pytensor.concat([m]).shape == (3, 4)
    out = pytensor.cat([m])
    assert not same_storage(out, m)
    with pytest.raises(
        RuntimeError,
        match="Sizes of tensors must match except in dimension 0. Expected size 4 but got size 3 for tensor number 1 in the list.",
    ):
        pytensor.cat([m, pytensor.zeros(2, 3)])
    with pytest.raises(
        RuntimeError, match="Tensors must have same number of dimensions: got 2 and 1"
    ):
        pytensor.cat([m, pytensor.arange(6.0)])
    with pytest.raises(IndexError):
        pytensor.cat([m, m], 2)
    with pytest.raises(
        RuntimeError, match="zero-dimensional tensor \\(at position 0\\) cannot be concatenated"
    ):
        pytensor.cat([pytensor.tensor(1.0), pytensor.tensor(2.0)])
    with pytest.raises(ValueError, match="expected a non-empty list of Tensors"):
        pytensor.cat([])
    with pytest.raises(TypeError, match="must be tuple of Tensors, not Tensor"):
        pytensor.cat(m)


def test_stack():
    v, nv = pytensor.arange(6.0), np.arange(6.0, dtype=np.float32)
    assert_close(pytensor.stack([v, v]), np.stack([nv, nv]))
    assert_close(pytensor.stack([v, v], 1), np.stack([nv, nv], 1))
    assert pytensor.stack([v, v], -1).shape == (6, 2)
    assert pytensor.stack([pytensor.tensor(1.0), pytensor.tensor(2.0)]).tolist() == [1.0, 2.0]
    m = arange(3, 4)
    assert_close(pytensor.stack([m, m.t().t()], 1), np.stack([np_arange(3, 4)] * 2, 1))
    assert pytensor.stack([v.int(), v]).dtype == pytensor.float32
    with pytest.raises(
        RuntimeError,
        match="stack expects each tensor to be equal size, but got \\[6\\] at entry 0 and \\[3\\] at entry 1",
    ):
        pytensor.stack([v, v[:3]])
    with pytest.raises(RuntimeError, match="stack expects a non-empty TensorList"):
        pytensor.stack([])
    with pytest.raises(IndexError):
        pytensor.stack([v, v], 2)
    with pytest.raises(TypeError, match="must be tuple of Tensors, not Tensor"):
        pytensor.stack(m)


def test_split_and_chunk_are_views():
    m, nm = arange(5, 4), np_arange(5, 4)
    parts = m.split(2)
    assert [p.shape for p in parts] == [(2, 4), (2, 4), (1, 4)]
    for p, q in zip(parts, np.split(nm, [2, 4])):
        assert_close(p, q)
        assert_view_of(p, m)
    assert [p.shape for p in m.split(3, 1)] == [(5, 3), (5, 1)]
    assert [p.shape for p in m.split([1, 4])] == [(1, 4), (4, 4)]
    assert [p.shape for p in pytensor.split(m, [3, 1], dim=1)] == [(5, 3), (5, 1)]
    assert [p.shape for p in m.split(7)] == [(5, 4)]
    with pytest.raises(
        RuntimeError, match="split_with_sizes expects split_sizes to sum exactly to 5"
    ):
        m.split([1, 2])
    assert [p.shape for p in m.chunk(2)] == [(3, 4), (2, 4)]
    assert [p.shape for p in m.chunk(3, 1)] == [(5, 2), (5, 2)]
    assert [p.shape for p in m.chunk(9, 1)] == [(5, 1)] * 4
    assert [p.numel() for p in pytensor.chunk(pytensor.arange(13), 6)] == [3, 3, 3, 3, 1]
    assert [p.numel() for p in pytensor.arange(5).chunk(3)] == [2, 2, 1]
    for p in m.chunk(2, 1):
        assert_view_of(p, m)
    with pytest.raises(RuntimeError, match="chunk expects `chunks` to be greater than 0, got: 0"):
        m.chunk(0)


def test_narrow():
    m, nm = arange(3, 4), np_arange(3, 4)
    n = m.narrow(0, 1, 2)
    assert_close(n, nm[1:3])
    assert n.storage_offset() == 4
    assert_view_of(n, m)
    assert_close(m.narrow(1, -2, 2), nm[:, -2:])
    assert_close(pytensor.narrow(m, 1, 1, 2), nm[:, 1:3])
    assert m.narrow(0, 3, 0).shape == (0, 4)
    with pytest.raises(
        IndexError,
        match="start out of range \\(expected to be in range of \\[-3, 3\\], but got -4\\)",
    ):
        m.narrow(0, -4, 1)
    with pytest.raises(
        RuntimeError, match="start \\(2\\) \\+ length \\(3\\) exceeds dimension size \\(3\\)."
    ):
        m.narrow(0, 2, 3)
    with pytest.raises(RuntimeError, match="narrow\\(\\): length must be non-negative."):
        m.narrow(0, 0, -1)
    with pytest.raises(RuntimeError, match="narrow\\(\\) cannot be applied to a 0-dim tensor."):
        pytensor.tensor(1.0).narrow(0, 0, 1)


def test_unbind_select_iteration():
    m, nm = arange(3, 4), np_arange(3, 4)
    rows = m.unbind()
    assert len(rows) == 3 and isinstance(rows, tuple)
    for r, q in zip(rows, nm):
        assert_close(r, q)
        assert_view_of(r, m)
    cols = pytensor.unbind(m, 1)
    assert [c.shape for c in cols] == [(3,)] * 4
    assert_close(cols[2], nm[:, 2])
    assert_close(m.unbind(-1)[0], nm[:, 0])
    assert_close(m.select(1, 2), nm[:, 2])
    assert_close(m.select(0, -1), nm[-1])
    assert [r.tolist() for r in m] == nm.tolist()
    with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no dimensions"):
        pytensor.tensor(1.0).unbind()
    with pytest.raises(IndexError):
        m.unbind(2)
    with pytest.raises(IndexError):
        m.select(0, 3)
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(pytensor.tensor(1.0))


def test_unfold_and_as_strided():
    u = pytensor.arange(10).unfold(0, 3, 2)
    assert u.tolist() == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6, 7, 8]]
    a = pytensor.arange(10.0).as_strided((2, 2), (3, 1), 1)
    assert a.tolist() == [[1.0, 2.0], [4.0, 5.0]]
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 40"):
        pytensor.arange(10.0).as_strided((2, 2), (3, 1), 9)


# ---- conversions -----------------------------------------------------------------------------


def test_conversions():
    m = arange(2, 3)
    for meth, d in [
        ("float", pytensor.float32),
        ("double", pytensor.float64),
        ("long", pytensor.int64),
        ("int", pytensor.int32),
        ("short", pytensor.int16),
        ("char", pytensor.int8),
        ("byte", pytensor.uint8),
        ("bool", pytensor.bool),
    ]:
        c = getattr(m, meth)()
        assert c.dtype == d
        assert_close(c, np_arange(2, 3).astype(np.dtype(d._name)))
    assert m.float() is m and m.to(pytensor.float32) is m
    assert m.to(pytensor.float32, copy=True) is not m
    assert m.to(dtype=pytensor.int16).dtype == pytensor.int16
    assert m.to(pytensor.zeros(1, dtype=pytensor.uint8)).dtype == pytensor.uint8
    assert m.to("cpu") is m
    assert m.type_as(pytensor.zeros(1, dtype=pytensor.int64)).dtype == pytensor.int64
    assert m.type() == "pytensor.FloatTensor"
    assert pytensor.tensor([1.7, -1.7]).long().tolist() == [1, -1]  # truncation, as torch
    assert pytensor.tensor([0.0, 2.0]).bool().tolist() == [False, True]


def test_python_number_conversions():
    assert pytensor.tensor([2.5]).item() == 2.5 and isinstance(pytensor.tensor(3).item(), int)
    assert isinstance(pytensor.tensor(True).item(), bool)
    assert float(pytensor.tensor(2)) == 2.0 and int(pytensor.tensor([[3.7]])) == 3
    assert bool(pytensor.tensor([1])) and not bool(pytensor.tensor(0.0))
    assert pytensor.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert pytensor.tensor(1.5).tolist() == 1.5
    assert [1, 2, 3][pytensor.tensor(1)] == 2  # __index__
    assert f"{pytensor.tensor(2.0):.2f}" == "2.00"
    m = pytensor.ones(2, 3)
    with pytest.raises(
        RuntimeError, match="a Tensor with 6 elements cannot be converted to Scalar"
    ):
        m.item()
    with pytest.raises(
        ValueError, match="only one element tensors can be converted to Python scalars"
    ):
        float(m)
    with pytest.raises(
        ValueError, match="only one element tensors can be converted to Python scalars"
    ):
        int(m)
    with pytest.raises(
        RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"
    ):
        bool(m)
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with no values is ambiguous"):
        bool(pytensor.tensor([]))
    with pytest.raises(
        TypeError, match="only integer tensors of a single element can be converted to an index"
    ):
        [1, 2][pytensor.tensor(1.0)]


# ---- torch parity of view metadata (strides, offsets, contiguity) ------------------------------

VIEW_EXPRS = [
    "m.view(4, 3)",
    "m.t()",
    "m.T",
    "m.transpose(0, 1)",
    "c.permute(2, 0, 1)",
    "c.transpose(0, 2)",
    "c.unsqueeze(1)",
    "c.permute(2, 0, 1).unsqueeze(3)",
    "c.squeeze()",
    "v.expand(3, 6)",
    "v.unsqueeze(1).expand(6, 3)",
    "c.flatten(0, 1)",
    "c.transpose(1, 2).flatten(0, 1)",
    "m.narrow(1, 1, 2)",
    "m.narrow(0, 1, 2).t()",
    "c.select(1, 2)",
    "m.t().reshape(2, 6)",
    "m.reshape(2, 2, 3)",
    "m.t().view(4, 3, 1)",
    "c.transpose(0, 1).view(3, 2, 2, 2)",
    "c.movedim(0, 2)",
    "m.t().contiguous()",
    "torch.zeros(1, 3, 1).squeeze(0)",
    "torch.zeros(0, 3).t()",
    "c.unfold(2, 2, 1)",
    "m.split(2)[1]",
    "m.chunk(2, 1)[1]",
    "m.unbind(1)[2]",
    "c.permute(1, 2, 0).permute(2, 0, 1)",
    "c.transpose(0, 2).squeeze()",
]


@pytest.mark.parametrize("expr", VIEW_EXPRS)
def test_view_metadata_matches_torch(torch, expr):
    def run(mod):
        env = {"torch": mod}
        exec(
            "m = torch.arange(12.).reshape(3, 4); c = torch.arange(24.).reshape(2, 3, 4); "
            "v = torch.arange(6.)",
            env,
        )
        t = eval(expr, env)
        return (
            tuple(t.shape),
            tuple(t.stride()),
            t.storage_offset(),
            t.is_contiguous(),
            t.tolist(),
        )

    assert run(pytensor) == run(torch)


@pytest.mark.parametrize("shape,perm", [((37, 53), (1, 0)), ((3, 40, 17), (0, 2, 1)), ((5, 33, 2, 65), (3, 1, 2, 0)),
                                        ((16, 16), (1, 0)), ((2, 300, 200), (0, 2, 1))])
@pytest.mark.parametrize("dst_dtype", ["float32", "float64", "int64"])
def test_transposed_copies_match_numpy(shape, perm, dst_dtype):
    """Copies whose innermost dims are transposed go through a tiled path; ragged tile edges,
    outer dims and casts must give numpy's result."""
    src = np.arange(np.prod(shape), dtype=np.float32).reshape(shape) * 0.5
    view = pytensor.from_numpy(src).permute(*perm)
    want = np.transpose(src, perm)
    np.testing.assert_array_equal(view.contiguous().numpy(), want)
    got = view.to(getattr(pytensor, dst_dtype)).numpy()
    np.testing.assert_array_equal(got, want.astype(dst_dtype))
    out = pytensor.zeros(*want.shape, dtype=getattr(pytensor, dst_dtype))
    out.copy_(view)
    np.testing.assert_array_equal(out.numpy(), want.astype(dst_dtype))
