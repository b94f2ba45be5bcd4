"""Tensor factories: dtype inference, size arguments, dtype= everywhere, torch parity."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ALL_DTYPES, DTYPE_PAIRS, NP_OF, assert_close, to_numpy
from conftest import np_dtype as np_dtype_of

import pytensor

# ---- tensor / as_tensor: dtype inference ---------------------------------------------------


@pytest.mark.parametrize(
    "data, dtype",
    [
        (1, pytensor.int64),
        (1.5, pytensor.float32),
        (True, pytensor.bool),
        ([1, 2, 3], pytensor.int64),
        ([1.0, 2, 3], pytensor.float32),
        ([1, 2.5], pytensor.float32),
        ([True, False], pytensor.bool),
        ([[1, 2], [3, 4]], pytensor.int64),
        ([[1.0], [2.0]], pytensor.float32),
        ((1, 2), pytensor.int64),
        ([], pytensor.float32),
        ([[]], pytensor.float32),
    ],
)
def test_tensor_infers_dtype_from_python_data(data, dtype):
    t = pytensor.tensor(data)
    assert t.dtype == dtype
    expected = np.array(data, dtype=NP_OF[dtype])
    assert_close(t, expected)


def test_tensor_python_bool_int_mix_is_int64():
    # torch: a list mixing bool and int infers int64
    assert pytensor.tensor([True, 2]).dtype == pytensor.int64
    assert pytensor.tensor([True, 2.0]).dtype == pytensor.float32


def test_tensor_follows_default_dtype():
    pytensor.set_default_dtype(pytensor.float64)
    assert pytensor.tensor([1.0, 2.0]).dtype == pytensor.float64
    assert pytensor.tensor(3.0).dtype == pytensor.float64
    assert pytensor.tensor([1, 2]).dtype == pytensor.int64  # ints ignore the default float type


@pytest.mark.parametrize("pt_dtype, np_dtype", DTYPE_PAIRS)
def test_tensor_from_numpy_keeps_dtype_and_copies(pt_dtype, np_dtype):
    a = np.arange(6).reshape(2, 3).astype(np_dtype)
    t = pytensor.tensor(a)
    assert t.dtype == pt_dtype
    assert_close(t, a)
    a[0, 0] = 1 - a[0, 0]  # tensor() copies: the tensor keeps the old value
    assert to_numpy(t)[0, 0] != a[0, 0]


def test_tensor_from_numpy_strided_and_negative_strides():
    a = np.arange(24, dtype=np.float64).reshape(4, 6)
    assert_close(pytensor.tensor(a[::2, ::-3]), a[::2, ::-3])
    assert_close(pytensor.tensor(a.T), a.T)


def test_tensor_numpy_scalar():
    assert pytensor.tensor(np.float64(2.5)).dtype == pytensor.float64
    assert pytensor.tensor(np.float32(2.5)).dtype == pytensor.float32
    assert pytensor.tensor(np.int32(7)).dtype == pytensor.int32


def test_tensor_from_tensor_copies():
    a = pytensor.tensor([1.0, 2.0])
    b = pytensor.tensor(a)
    assert b.data_ptr() != a.data_ptr()
    b.add_(1)
    assert a.tolist() == [1.0, 2.0]


def test_tensor_from_list_of_tensors():
    t = pytensor.tensor([pytensor.tensor(1.5), pytensor.tensor(2.5)])
    assert t.dtype == pytensor.float32
    assert t.tolist() == [1.5, 2.5]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_tensor_dtype_argument(dtype):
    t = pytensor.tensor([0, 1, 2], dtype=dtype)
    assert t.dtype == dtype
    assert_close(t, np.array([0, 1, 2]).astype(NP_OF[dtype]))


def test_tensor_dtype_argument_converts_floats():
    assert pytensor.tensor([1.7, -2.7], dtype=pytensor.int32).tolist() == [1, -2]
    assert pytensor.tensor([0.0, 0.5], dtype=pytensor.bool).tolist() == [False, True]


def test_tensor_0d():
    t = pytensor.tensor(3)
    assert t.dim() == 0 and t.shape == pytensor.Size([]) and t.item() == 3


def test_as_tensor_shares_numpy_memory_when_possible():
    a = np.arange(4, dtype=np.float32)
    t = pytensor.as_tensor(a)
    assert t.data_ptr() == a.ctypes.data
    t2 = pytensor.as_tensor(a, dtype=pytensor.float64)  # conversion: a copy
    assert t2.dtype == pytensor.float64 and t2.data_ptr() != a.ctypes.data
    x = pytensor.tensor([1, 2])
    assert pytensor.as_tensor(x) is x
    assert pytensor.as_tensor(x, dtype=pytensor.float32).dtype == pytensor.float32
    assert pytensor.as_tensor([1.0, 2.0]).dtype == pytensor.float32


# ---- sized factories --------------------------------------------------------------------

SIZE_FORMS = [
    ((2, 3), {}),
    (((2, 3),), {}),
    (([2, 3],), {}),
    ((pytensor.Size([2, 3]),), {}),
]


@pytest.mark.parametrize("args, _", SIZE_FORMS)
@pytest.mark.parametrize(
    "fn, value", [(pytensor.zeros, 0), (pytensor.ones, 1), (pytensor.empty, None)]
)
def test_sized_factories_accept_every_size_form(fn, value, args, _):
    t = fn(*args)
    assert t.shape == pytensor.Size([2, 3])
    assert t.dtype == pytensor.float32
    assert t.is_contiguous()
    if value is not None:
        assert_close(t, np.full((2, 3), value, dtype=np.float32))


@pytest.mark.parametrize("fn, value", [(pytensor.zeros, 0), (pytensor.ones, 1)])
@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_zeros_ones_dtype(fn, value, dtype):
    t = fn(3, 2, dtype=dtype)
    assert t.dtype == dtype
    assert_close(t, np.full((3, 2), value, dtype=NP_OF[dtype]))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_empty_dtype(dtype):
    t = pytensor.empty((4,), dtype=dtype)
    assert t.dtype == dtype and t.shape == (4,)


def test_factories_no_size_is_0d():
    assert pytensor.zeros(()).shape == pytensor.Size([])
    assert pytensor.ones([]).dim() == 0
    assert pytensor.zeros(()).item() == 0.0


def test_factories_zero_sized():
    t = pytensor.zeros(0, 3)
    assert t.shape == (0, 3) and t.numel() == 0
    assert t.tolist() == []


@pytest.mark.parametrize(
    "value, dtype",
    [
        (2, pytensor.int64),
        (2.5, pytensor.float32),
        (True, pytensor.bool),
        (False, pytensor.bool),
    ],
)
def test_full_infers_dtype_from_value(value, dtype):
    t = pytensor.full((2, 2), value)
    assert t.dtype == dtype
    assert_close(t, np.full((2, 2), value, dtype=NP_OF[dtype]))


@pytest.mark.parametrize("size", [(2, 3), [2, 3], pytensor.Size([2, 3])])
def test_full_size_forms(size):
    assert pytensor.full(size, 7.0).shape == (2, 3)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_full_dtype(dtype):
    t = pytensor.full((3,), 1, dtype=dtype)
    assert t.dtype == dtype
    assert_close(t, np.ones(3, dtype=NP_OF[dtype]))


def test_full_default_dtype_float64():
    pytensor.set_default_dtype(pytensor.float64)
    assert pytensor.full((1,), 0.5).dtype == pytensor.float64
    assert pytensor.zeros(1).dtype == pytensor.float64
    assert pytensor.arange(0.0, 1.0, 0.5).dtype == pytensor.float64
    assert pytensor.linspace(0, 1, 3).dtype == pytensor.float64


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_like_factories(dtype):
    src = pytensor.zeros(2, 3, dtype=dtype)
    for fn, value in [(pytensor.zeros_like, 0), (pytensor.ones_like, 1)]:
        t = fn(src)
        assert_close(t, np.full((2, 3), value, dtype=NP_OF[dtype]))
    assert pytensor.empty_like(src).shape == (2, 3)
    assert pytensor.empty_like(src).dtype == dtype
    assert_close(pytensor.full_like(src, 1), np.ones((2, 3), dtype=NP_OF[dtype]))


def test_like_factories_dtype_override_and_layout():
    src = pytensor.zeros(3, 2).t()  # non-contiguous input
    t = pytensor.ones_like(src, dtype=pytensor.int32)
    assert t.dtype == pytensor.int32 and t.shape == (2, 3)
    assert_close(t, np.ones((2, 3), dtype=np.int32))
    f = pytensor.full_like(src, 2.5, dtype=pytensor.float64)
    assert_close(f, np.full((2, 3), 2.5))
    assert pytensor.zeros_like(src, dtype=pytensor.bool).dtype == pytensor.bool
    assert pytensor.empty_like(src, dtype=pytensor.uint8).dtype == pytensor.uint8


def test_like_factories_share_nothing():
    src = pytensor.ones(3)
    z = pytensor.zeros_like(src)
    assert z.data_ptr() != src.data_ptr()


# ---- arange / linspace / eye ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        ((5,), np.arange(5)),
        ((2, 7), np.arange(2, 7)),
        ((1, 10, 3), np.arange(1, 10, 3)),
        ((10, 0, -3), np.arange(10, 0, -3)),
        ((0,), np.arange(0)),
        ((-3, 3), np.arange(-3, 3)),
    ],
)
def test_arange_int(args, expected):
    t = pytensor.arange(*args)
    assert t.dtype == pytensor.int64
    assert_close(t, expected.astype(np.int64))


@pytest.mark.parametrize("args", [(5.0,), (0, 1, 0.25), (1.5, 4), (0, 2.0), (3, -1, -0.5)])
def test_arange_float(args):
    t = pytensor.arange(*args)
    assert t.dtype == pytensor.float32
    assert_close(t, np.arange(*args, dtype=np.float64).astype(np.float32))


@pytest.mark.parametrize("dtype", ALL_DTYPES[1:])
def test_arange_dtype(dtype):
    t = pytensor.arange(0, 6, 2, dtype=dtype)
    assert t.dtype == dtype
    assert_close(t, np.array([0, 2, 4], dtype=NP_OF[dtype]))


def test_arange_keywords():
    assert pytensor.arange(start=1, end=4).tolist() == [1, 2, 3]
    assert pytensor.arange(0, 10, step=4).tolist() == [0, 4, 8]


@pytest.mark.parametrize(
    "args", [(0, 1, 5), (-2.5, 2.5, 11), (3, 3, 1), (0, 1, 0), (1, 0, 4), (0, 10, 2)]
)
def test_linspace_values(args):
    t = pytensor.linspace(*args)
    assert t.dtype == pytensor.float32
    assert_close(t, np.linspace(*args).astype(np.float32), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "dtype", [pytensor.float64, pytensor.int64, pytensor.int32, pytensor.uint8]
)
def test_linspace_dtype(dtype):
    t = pytensor.linspace(0, 10, 6, dtype=dtype)
    assert t.dtype == dtype
    assert_close(t, np.linspace(0, 10, 6).astype(NP_OF[dtype]))


def test_linspace_endpoints_exact():
    t = pytensor.linspace(0.1, 0.7, 7, dtype=pytensor.float64).tolist()
    assert t[0] == 0.1 and t[-1] == 0.7


@pytest.mark.parametrize("n, m", [(3, None), (2, 4), (4, 2), (0, None), (1, 1)])
def test_eye(n, m):
    t = pytensor.eye(n) if m is None else pytensor.eye(n, m)
    assert t.dtype == pytensor.float32
    assert_close(t, np.eye(n, m, dtype=np.float32))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_eye_dtype(dtype):
    assert_close(pytensor.eye(3, dtype=dtype), np.eye(3, dtype=NP_OF[dtype]))


def test_scalar_tensor():
    t = pytensor.scalar_tensor(2)
    assert t.dim() == 0 and t.dtype == pytensor.float32 and t.item() == 2.0


def test_requires_grad_keyword():
    t = pytensor.zeros(2, requires_grad=True)
    assert t.requires_grad
    assert not pytensor.zeros(2).requires_grad


def test_device_keyword_cpu():
    t = pytensor.zeros(2, device="cpu")
    assert t.device == pytensor.device("cpu")
    assert t.device != "cpu"  # as torch: a device never equals a string
    assert (
        repr(t.device) == "device(type='cpu')" and t.device.type == "cpu" and t.device.index is None
    )
    assert str(pytensor.device("cuda", 1)) == "cuda:1" and pytensor.device("cuda:1").index == 1
    assert not t.is_cuda
    assert str(t.device) == "cpu"
    assert pytensor.tensor([1], device=pytensor.device("cpu")).device.type == "cpu"


# ---- torch parity: arange / linspace values and dtypes ----------------------------------------

ARANGE_CASES = [
    (5,),
    (0, 5),
    (1, 10, 3),
    (10, 0, -3),
    (0.0, 1.0, 0.1),
    (0, 1, 0.3),
    (-1.5, 2.25, 0.75),
    (1, 2.5),
    (0, 3, 0.5),
    (5.5,),
    (0, 0.9, 0.3),
    (1e-3, 1e-2, 1e-3),
    (-10, 10, 7),
    (3, -4, -2),
]


@pytest.mark.parametrize("args", ARANGE_CASES)
@pytest.mark.parametrize(
    "dtype", [None, pytensor.float64, pytensor.int64, pytensor.int32, pytensor.float32]
)
def test_arange_matches_torch(torch, args, dtype):
    kwargs = {} if dtype is None else {"dtype": getattr(torch, dtype._name)}
    try:
        want = torch.arange(*args, **kwargs)
    except (RuntimeError, ValueError) as e:
        with pytest.raises(type(e), match=str(e)):
            pytensor.arange(*args, **({} if dtype is None else {"dtype": dtype}))
        return
    got = pytensor.arange(*args, **({} if dtype is None else {"dtype": dtype}))
    assert got.dtype._name == str(want.dtype).replace("torch.", "")
    assert got.tolist() == want.tolist()


LINSPACE_CASES = [
    (0, 1, 5),
    (-1, 1, 7),
    (0, 1, 1),
    (0, 1, 0),
    (2, -3, 10),
    (0.1, 0.9, 33),
    (-5.5, 1e3, 100),
    (0, 1, 2),
    (1, 1, 3),
    (0, 7, 1000),
]


@pytest.mark.parametrize("args", LINSPACE_CASES)
@pytest.mark.parametrize(
    "dtype", [None, pytensor.float64, pytensor.int64, pytensor.int16, pytensor.uint8]
)
def test_linspace_matches_torch(torch, args, dtype):
    kwargs = {} if dtype is None else {"dtype": getattr(torch, dtype._name)}
    if dtype == pytensor.uint8 and min(args[:2]) < 0:
        pytest.skip("negative values into uint8 are undefined behaviour")
    want = torch.linspace(*args, **kwargs)
    got = pytensor.linspace(*args, **({} if dtype is None else {"dtype": dtype}))
    assert got.dtype._name == str(want.dtype).replace("torch.", "")
    if got.dtype.is_floating_point:
        # torch's vectorized kernel computes each SIMD lane from the lane group's base value, so
        # its last bit depends on the machine's vector width; endpoints are exact everywhere.
        eps = np.finfo(np_dtype_of(got.dtype)).eps
        scale = max(abs(args[0]), abs(args[1]), 1e-30)
        np.testing.assert_allclose(to_numpy(got), want.numpy(), rtol=2 * eps, atol=4 * eps * scale)
        if len(want):
            assert got.tolist()[0] == want.tolist()[0] and got.tolist()[-1] == want.tolist()[-1]
    else:
        assert got.tolist() == want.tolist()


@pytest.mark.parametrize("fn", ["zeros", "ones", "empty"])
def test_factory_dtypes_match_torch(torch, fn):
    assert getattr(pytensor, fn)(2).dtype._name == str(getattr(torch, fn)(2).dtype)[6:]
    assert pytensor.full((2,), 1).dtype._name == str(torch.full((2,), 1).dtype)[6:]
    assert pytensor.full((2,), True).dtype._name == str(torch.full((2,), True).dtype)[6:]
    assert pytensor.eye(2).dtype._name == str(torch.eye(2).dtype)[6:]


@pytest.mark.parametrize(
    "data",
    [
        [1, 2],
        [1.0, 2],
        [True, 1],
        [True, 1.5],
        [[True], [False]],
        3,
        3.5,
        False,
        [],
        [np.float32(1.5)],
        [np.int32(1)],
    ],
)
def test_tensor_inference_matches_torch(torch, data):
    want = torch.tensor(data)
    got = pytensor.tensor(data)
    assert got.dtype._name == str(want.dtype)[6:]
    assert got.tolist() == want.tolist()
