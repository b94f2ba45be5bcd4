"""numpy interop: zero-copy sharing both ways, strides, refusals, and memory lifetimes."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from conftest import DTYPE_PAIRS, assert_close

import pytensor

PAIR_IDS = [p._name for p, _ in DTYPE_PAIRS]


def addr(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


# ---- from_numpy ---------------------------------------------------------------------------


@pytest.mark.parametrize("pt_dtype, np_dtype", DTYPE_PAIRS, ids=PAIR_IDS)
def test_from_numpy_shares_memory_for_every_dtype(pt_dtype, np_dtype):
    a = np.arange(12).reshape(3, 4).astype(np_dtype)
    t = pytensor.from_numpy(a)
    assert t.dtype == pt_dtype and t.shape == (3, 4) and t.stride() == (4, 1)
    assert t.data_ptr() == addr(a)
    assert_close(t, a)
    t.fill_(1)  # written through the tensor ...
    assert (a == 1).all()
    a[1, 2] = 0  # ... and through the array
    assert t.tolist()[1][2] == 0


@pytest.mark.parametrize(
    "index",
    [
        (slice(None, None, 2),),
        (slice(None), slice(1, None, 3)),
        (slice(1, None, 2), slice(None, None, 2)),
        (Ellipsis, 1),
        (slice(None), None, slice(2, 3)),
    ],
)
def test_from_numpy_strided_arrays_keep_strides(index):
    base = np.arange(48, dtype=np.float64).reshape(6, 8)
    a = base[index]
    t = pytensor.from_numpy(a)
    assert t.shape == a.shape
    assert t.data_ptr() == addr(a)
    for d in range(a.ndim):
        if a.shape[d] > 1:
            assert t.stride(d) * 8 == a.strides[d]
    assert_close(t, a)
    t.mul_(-1)
    assert_close(pytensor.from_numpy(base[index]), -np.arange(48.0).reshape(6, 8)[index])


def test_from_numpy_transposed_and_fortran_order():
    a = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    t = pytensor.from_numpy(a)
    assert t.stride() == (1, 2) and not t.is_contiguous()
    assert_close(t, a)
    assert pytensor.from_numpy(a.T).is_contiguous()


def test_from_numpy_0d_and_empty():
    t = pytensor.from_numpy(np.array(3.5))
    assert t.shape == () and t.item() == 3.5
    e = pytensor.from_numpy(np.zeros((2, 0, 3), dtype=np.int32))
    assert e.shape == (2, 0, 3) and e.numel() == 0 and e.dtype == pytensor.int32


@pytest.mark.parametrize(
    "a",
    [np.arange(5)[::-1], np.zeros((3, 4))[:, ::-2], np.arange(1)[::-1]],
    ids=["1d", "2d", "size1"],
)
def test_from_numpy_negative_strides_raise_value_error(a):
    with pytest.raises(
        ValueError, match="At least one stride in the given numpy array is negative"
    ):
        pytensor.from_numpy(a)


@pytest.mark.parametrize(
    "dtype",
    [np.float16, np.complex64, np.complex128, np.uint16, np.uint32, np.uint64, object, "U3", "S2"],
)
def test_from_numpy_unsupported_dtypes_raise_type_error(dtype):
    with pytest.raises(TypeError, match="can't convert np.ndarray of type numpy"):
        pytensor.from_numpy(np.zeros(3, dtype=dtype))


def test_from_numpy_refuses_foreign_byte_order_and_odd_strides():
    with pytest.raises(ValueError, match="byte order different from the native byte order"):
        pytensor.from_numpy(np.zeros(3, dtype=">f4" if np.little_endian else "<f4"))
    packed = np.zeros(3, dtype=[("a", "i4"), ("b", "i1")])["a"]  # 5-byte strides
    with pytest.raises(ValueError, match="strides not a multiple of the element byte size"):
        pytensor.from_numpy(packed)
    with pytest.raises(TypeError):
        pytensor.from_numpy([1, 2, 3])


def test_from_numpy_read_only_array_stays_read_only():
    a = np.arange(3.0)
    a.setflags(write=False)
    t = pytensor.from_numpy(a)
    assert t.tolist() == [0.0, 1.0, 2.0]
    with pytest.raises(RuntimeError, match="read-only"):
        t.add_(1)
    with pytest.raises(RuntimeError, match="read-only"):
        t.fill_(0)
    assert a.tolist() == [0.0, 1.0, 2.0]
    assert not t.numpy().flags.writeable
    assert (t + 1).tolist() == [1.0, 2.0, 3.0]  # reading is fine


# ---- Tensor.numpy / buffer protocol / __array__ ----------------------------------------------


@pytest.mark.parametrize("pt_dtype, np_dtype", DTYPE_PAIRS, ids=PAIR_IDS)
def test_numpy_shares_memory_for_every_dtype(pt_dtype, np_dtype):
    t = pytensor.zeros(2, 3, dtype=pt_dtype)
    a = t.numpy()
    assert a.dtype == np_dtype and a.shape == (2, 3)
    assert addr(a) == t.data_ptr()
    a[0, 1] = 1
    assert t.tolist()[0][1] == 1
    t.fill_(1)
    assert (a == 1).all()


def test_numpy_of_views_keeps_strides():
    m = pytensor.arange(12.0).reshape(3, 4)
    for v in (m.t(), m[1:, ::2], m[:, 1], m.unsqueeze(0).expand(2, 3, 4)):
        a = v.numpy()
        assert addr(a) == v.data_ptr()
        assert a.strides == tuple(s * 4 for s in v.stride())
        np.testing.assert_array_equal(a, np.array(v.tolist(), dtype=np.float32))
    assert pytensor.tensor(2.5).numpy().shape == ()
    assert pytensor.zeros(0, 2).numpy().shape == (0, 2)


def test_numpy_refuses_tensors_that_require_grad():
    t = pytensor.ones(2, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match="Can't call numpy\\(\\) on Tensor that requires grad. "
        "Use tensor.detach\\(\\).numpy\\(\\) instead.",
    ):
        t.numpy()
    assert t.detach().numpy().tolist() == [1.0, 1.0]


@pytest.mark.parametrize("pt_dtype, np_dtype", DTYPE_PAIRS, ids=PAIR_IDS)
def test_memoryview_and_asarray_are_zero_copy(pt_dtype, np_dtype):
    t = pytensor.ones(3, 2, dtype=pt_dtype).t()
    mv = memoryview(t)
    assert mv.shape == (2, 3) and mv.strides == tuple(s * t.element_size() for s in t.stride())
    assert mv.itemsize == t.element_size() and not mv.readonly
    from_mv = np.asarray(mv)
    assert from_mv.dtype == np_dtype and addr(from_mv) == t.data_ptr()
    arr = np.asarray(t)
    assert arr.dtype == np_dtype and addr(arr) == t.data_ptr()
    arr[0, 0] = 0
    assert t.tolist()[0][0] == 0
    assert np.asarray(t, dtype=np.float64).dtype == np.float64  # converting is a copy


def test_numpy_functions_accept_tensors():
    t = pytensor.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert np.sum(np.asarray(t)) == 10.0
    np.testing.assert_array_equal(np.array(t), [[1.0, 2.0], [3.0, 4.0]])
    assert np.shares_memory(np.asarray(t), t.numpy())


def test_round_trip_is_constant_time_no_copy():
    a = np.random.default_rng(0).random((1000, 1000))
    b = pytensor.from_numpy(a).numpy()
    assert b.__array_interface__["data"] == a.__array_interface__["data"]
    assert b.shape == a.shape and b.strides == a.strides
    assert np.shares_memory(a, b)


def test_tutorial_mul_changes_the_array_and_back():
    a = np.array(
        [
            [0.97449152, 0.68652824, 0.51496251],
            [0.46857383, 0.2098441, 0.58842778],
            [0.76876154, 0.35381711, 0.12912342],
            [0.69358891, 0.89462071, 0.86406838],
        ]
    )
    orig = a.copy()
    b = pytensor.from_numpy(a)
    assert b.dtype == pytensor.float64
    r = b.mul_(2)
    assert r is b
    np.testing.assert_array_equal(a, orig * 2)
    a *= 0.5  # the reverse: numpy writes, the tensor sees it
    np.testing.assert_array_equal(np.array(b.tolist()), orig)
    np.testing.assert_array_equal(b.numpy(), orig)


# ---- lifetimes -------------------------------------------------------------------------------


def test_tensor_keeps_the_array_alive():
    a = np.arange(1000.0)
    ref = weakref.ref(a)
    t = pytensor.from_numpy(a)
    del a
    gc.collect()
    assert ref() is not None  # the storage's release hook holds the array
    assert t.tolist()[999] == 999.0
    view = t[10:20]
    del t
    gc.collect()
    assert ref() is not None  # a view keeps the storage, hence the array
    assert view.tolist()[0] == 10.0
    del view
    gc.collect()
    assert ref() is None  # and nothing leaks once every tensor is gone


def test_array_keeps_tensor_memory_alive_after_the_tensor_is_deleted():
    t = pytensor.arange(100000, dtype=pytensor.int64)
    tref = weakref.ref(t)
    a = t.numpy()
    del t
    gc.collect()
    assert tref() is None  # the tensor object is gone ...
    assert a[99999] == 99999 and a.sum() == 99999 * 100000 // 2  # ... its memory is not
    junk = [
        pytensor.full((100000,), 7, dtype=pytensor.int64) for _ in range(8)
    ]  # reuse freed memory
    assert a[12345] == 12345
    del junk


def test_array_survives_resize_of_its_tensor():
    t = pytensor.arange(4.0)
    a = t.numpy()
    t.resize_(100000)  # the storage moves to a new block; the array keeps the old one
    t.fill_(-1)
    assert a.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_memoryview_and_asarray_keep_the_tensor_memory_alive():
    t = pytensor.arange(50000.0)
    mv = memoryview(t)
    arr = np.asarray(pytensor.arange(50000.0))  # the temporary tensor dies right away
    del t
    gc.collect()
    assert mv[49999] == 49999.0 and np.asarray(mv)[7] == 7.0
    assert arr[49999] == 49999.0


def test_no_leak_after_deleting_both():
    a = np.ones(1000)
    ref = weakref.ref(a)
    t = pytensor.from_numpy(a)
    b = t.numpy()
    c = np.asarray(t[::2])
    mv = memoryview(t)
    del a, t
    gc.collect()
    assert ref() is not None  # b, c and mv still reach the memory
    del b, c, mv
    gc.collect()
    assert ref() is None


def test_many_round_trips_do_not_leak():
    refs = []
    for _ in range(200):
        a = np.zeros(1000)
        refs.append(weakref.ref(a))
        pytensor.from_numpy(a).numpy()[0] = 1
        np.asarray(pytensor.from_numpy(a)[1:])
        del a
    gc.collect()
    assert all(r() is None for r in refs)
