"""Elementwise ops, casts, fills, copies and factories on CUDA tensors, each against the CPU result
of the same pytensor op on the same data (dtype by dtype): broadcasting, non-contiguous and
expanded inputs, in-place ops, CPU numbers and 0-dim CPU tensors joining CUDA ops, copies in both
directions through strided views, and the device errors torch raises.

The first tests need no GPU (device arguments, errors on a machine without one, to_device on the
CPU); the rest are skipped unless a CUDA GPU is present. Everything goes through ``_C`` so these
tests exercise the core and its bindings, whatever the Python layer does on top.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import pytensor
from pytensor import _C


def _cuda_available() -> bool:
    cuda = getattr(pytensor, "cuda", None)
    if cuda is not None and hasattr(cuda, "is_available"):
        return bool(cuda.is_available())
    return _C._cuda_device_count() > 0


HAS_CUDA = _cuda_available()
gpu = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA GPU")
multi_gpu = pytest.mark.skipif(not HAS_CUDA or _C._cuda_device_count() < 2, reason="needs two CUDA GPUs")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]
FLOATS = ["float32", "float64"]
MISMATCH = "Expected all tensors to be on the same device, but found at least two devices, {} and {}!"


def dt(name: str):
    return getattr(_C, name)


def from_np(a) -> "pytensor.Tensor":
    """A CPU tensor holding a copy of a numpy array (or number)."""
    return _C.from_numpy(np.array(a, copy=True))


def cu(t, device="cuda"):
    return _C.to_device(t, device)


def host(t):
    return _C.to_device(t, "cpu")


def values(shape, dtype="float32", seed=0, nonzero=False, specials=False):
    """Numbers every dtype holds exactly: small integers, and for floats fractions too (and, with
    specials, NaN, infinities and signed zeros)."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return from_np(rng.random(shape) < 0.5)
    lo = 1 if (dtype == "uint8" and nonzero) else (0 if dtype == "uint8" else -5)
    if dtype in FLOATS:
        a = (rng.integers(-20, 21, size=shape) / 4).astype(dtype)
        if nonzero:
            a[a == 0] = 1.5
        if specials and a.size >= 6:
            flat = a.reshape(-1)
            flat[:6] = [np.nan, np.inf, -np.inf, 0.0, -0.0, 0.5]
        return from_np(a)
    a = rng.integers(lo, 6, size=shape).astype(dtype)
    if nonzero:
        a[a == 0] = 3
    return from_np(a)


def tol(dtype_name):
    return {"float32": (2e-6, 1e-6), "float64": (1e-12, 1e-14)}.get(dtype_name, (0, 0))


def check(g, c, rtol=None, atol=None):
    """The CUDA result g equals the CPU result c: device, dtype, shape and values (floats within
    the rounding of the device's math library, NaN where the CPU has NaN)."""
    assert g._device_str.startswith("cuda"), g._device_str
    assert g.dtype == c.dtype
    gh = host(g)._numpy()
    ch = c._numpy()
    assert gh.shape == ch.shape
    if ch.dtype.kind == "f":
        r, a = tol(ch.dtype.name)
        np.testing.assert_allclose(gh, ch, rtol=r if rtol is None else rtol, atol=a if atol is None else atol,
                                   equal_nan=True)
        # Signs of zeros and infinities match too.
        np.testing.assert_array_equal(np.signbit(gh[ch == 0]), np.signbit(ch[ch == 0]))
    else:
        np.testing.assert_array_equal(gh, ch)


def outcome(fn, *args):
    try:
        return fn(*args), None
    except Exception as e:  # noqa: BLE001 - compared by class below
        return None, e


def same(fn, cpu_args, gpu_args, **kw):
    """fn gives the same result (or raises the same exception class) on both devices."""
    c, ce = outcome(fn, *cpu_args)
    g, ge = outcome(fn, *gpu_args)
    if ce is not None:
        assert ge is not None and type(ge) is type(ce), (ce, ge)
        return
    assert ge is None, ge
    check(g, c, **kw)


# ---- no GPU needed ----------------------------------------------------------------------------

@pytest.mark.parametrize("device", ["cpu", "cpu:0", None, pytensor.device("cpu")])
def test_device_arguments_that_mean_the_cpu(device):
    t = _C.full((2, 3), 1.5, _C.float32, device=device)
    assert t._device_str == "cpu"
    np.testing.assert_array_equal(t._numpy(), np.full((2, 3), 1.5, np.float32))


@pytest.mark.parametrize("bad", ["cuda:-1", "cuda:x", "cuda:", "cuda:01", " cuda", "cuda:1:2", "cpu:", ":0"])
def test_malformed_device_strings_raise_as_torch(bad):
    with pytest.raises(RuntimeError, match=f"^Invalid device string: '{bad}'$"):
        _C.empty((1,), _C.float32, device=bad)


@pytest.mark.parametrize("bad", ["gpu", "CUDA", "mps", "gpu:0"])
def test_unknown_device_types_raise_as_torch(bad):
    with pytest.raises(RuntimeError, match=f"^Expected one of cpu, cuda device type at start of device string: {bad}$"):
        _C.full((1,), 0, _C.float32, device=bad)


def test_device_objects_and_indices():
    class Dev:  # any object with .type and .index, as pytensor.device and torch.device
        def __init__(self, type, index):
            self.type, self.index = type, index

    assert _C.empty((1,), _C.float32, device=Dev("cpu", None))._device_str == "cpu"
    assert _C.empty((1,), _C.float32, device=Dev("cpu", 0))._device_str == "cpu"
    with pytest.raises(RuntimeError, match="Device index must not be negative"):
        _C.empty((1,), _C.float32, device=-1)
    with pytest.raises(RuntimeError, match="Device index must not be negative"):
        _C.empty((1,), _C.float32, device=Dev("cuda", -1))
    with pytest.raises(RuntimeError, match="^Expected one of cpu, cuda device type"):
        _C.empty((1,), _C.float32, device=Dev("tpu", None))


@pytest.mark.parametrize("bad", [1.5, True, [0], object()])
def test_device_arguments_of_the_wrong_type_raise_type_error(bad):
    with pytest.raises(TypeError):
        _C.full((1,), 0, _C.float32, device=bad)


@pytest.mark.skipif(HAS_CUDA, reason="checks the machine without a GPU")
@pytest.mark.parametrize("device", ["cuda", "cuda:0", "cuda:1", 0, pytensor.device("cuda")])
def test_cuda_devices_raise_runtime_error_without_a_gpu(device):
    t = _C.full((2,), 1, _C.float32)
    calls = [
        lambda: _C.empty((2,), _C.float32, device=device),
        lambda: _C.empty_strided((2,), (1,), _C.float32, device=device),
        lambda: _C.full((2,), 0, _C.float32, device=device),
        lambda: _C.arange(0, 5, 1, _C.int64, device=device),
        lambda: _C.linspace(0.0, 1.0, 5, _C.float32, device=device),
        lambda: _C.eye(2, 2, _C.float32, device=device),
        lambda: _C.scalar_tensor(1, _C.float32, device=device),
        lambda: _C.to_device(t, device),
    ]
    for call in calls:
        with pytest.raises(RuntimeError):
            call()
    # The tensor that was to be moved is untouched.
    np.testing.assert_array_equal(t._numpy(), [1, 1])


@pytest.mark.skipif(HAS_CUDA, reason="checks the machine without a GPU")
def test_zeros_on_cuda_raises_runtime_error_without_a_gpu():
    with pytest.raises(RuntimeError):
        pytensor.zeros(2, device="cuda")


def test_to_device_cpu_returns_the_tensor_itself():
    t = values((3, 4), "float32")
    assert _C.to_device(t, "cpu") is t
    assert _C.to_device(t, None) is t
    assert _C.to_device(t, pytensor.device("cpu"), _C.float32) is t
    c = _C.to_device(t, "cpu", copy=True)
    assert c is not t and c._storage_ptr() != t._storage_ptr()
    np.testing.assert_array_equal(c._numpy(), t._numpy())
    d = _C.to_device(t, "cpu", _C.int64)
    assert d.dtype == _C.int64
    np.testing.assert_array_equal(d._numpy(), t._numpy().astype(np.int64))
    # A non-contiguous tensor copied keeps its values, in a contiguous result.
    v = _C.transpose(t, 0, 1)
    cv = _C.to_device(v, "cpu", copy=True)
    assert cv.is_contiguous()
    np.testing.assert_array_equal(cv._numpy(), t._numpy().T)


@pytest.mark.parametrize("dtype", DTYPES)
def test_factories_with_device_cpu_match_the_default(dtype):
    d = dt(dtype)
    for make in [
        lambda **k: _C.full((2, 3), 1, d, **k),
        lambda **k: _C.arange(0, 7, 2, d, **k) if dtype != "bool" else _C.full((1,), True, d, **k),
        lambda **k: _C.eye(3, 5, d, **k),
        lambda **k: _C.eye(4, 2, d, **k),
        lambda **k: _C.scalar_tensor(1, d, **k),
    ]:
        a, b = make(), make(device="cpu")
        assert a.dtype == b.dtype == d
        np.testing.assert_array_equal(a._numpy(), b._numpy())
    if dtype in FLOATS:
        np.testing.assert_array_equal(_C.linspace(-1.0, 2.0, 7, d, device="cpu")._numpy(),
                                      _C.linspace(-1.0, 2.0, 7, d)._numpy())


@pytest.mark.parametrize("n,m", [(0, 3), (3, 0), (1, 1), (4, 2), (2, 4), (5, 5)])
@pytest.mark.parametrize("dtype", ["bool", "int32", "float64"])
def test_eye_matches_numpy(n, m, dtype):
    np.testing.assert_array_equal(_C.eye(n, m, dt(dtype))._numpy(), np.eye(n, m, dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_item_and_tolist_read_values(dtype):
    t = values((3, 4), dtype, seed=3)
    a = t._numpy()
    assert _C.Tensor._tolist(t) == a.tolist()
    v = _C.transpose(t, 0, 1)
    assert _C.Tensor._tolist(v) == a.T.tolist()
    s = _C.select(_C.select(t, 0, 2), 0, 1)
    assert _C.Tensor._tolist(s) == a[2, 1].item()
    assert s._item() == a[2, 1].item()
    assert type(s._item()) is type(a[2, 1].item())


# ---- GPU: binary ops --------------------------------------------------------------------------

BINARY = ["add", "sub", "mul", "div", "floor_divide", "remainder", "pow", "bitwise_and", "bitwise_or",
          "bitwise_xor", "maximum", "minimum", "atan2", "fmod", "logical_and", "logical_or", "logical_xor",
          "eq", "ne", "lt", "le", "gt", "ge"]
DIVIDES = {"floor_divide", "remainder", "fmod", "div"}


def operands(op, dtype, shape_a=(3, 4, 5), shape_b=(3, 4, 5), seed=0):
    a = values(shape_a, dtype, seed=seed, specials=True)
    b = values(shape_b, dtype, seed=seed + 1, nonzero=op in DIVIDES)
    if op == "pow" and dtype not in FLOATS and dtype != "bool":
        # Small exponents (0..3): no overflow, so both devices agree exactly.
        b = from_np(np.abs(b._numpy()) % 4)
    return a, b


@gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", BINARY)
def test_binary_ops_every_dtype(op, dtype):
    fn = getattr(_C, op)
    a, b = operands(op, dtype)
    same(fn, (a, b), (cu(a), cu(b)))


@gpu
@pytest.mark.parametrize("op", BINARY)
def test_binary_ops_broadcast_and_non_contiguous(op):
    fn = getattr(_C, op)
    for dtype in ["int32", "float32", "float64"]:
        a, b = operands(op, dtype, (5, 1, 4), (3, 1), seed=7)
        same(fn, (a, b), (cu(a), cu(b)))
        # Transposed and sliced views on both sides.
        a, b = operands(op, dtype, (6, 5), (5, 6), seed=8)
        av = _C.slice(_C.transpose(a, 0, 1), 1, 0, 6, 2)
        bv = _C.slice(b, 1, 1, 6, 2)
        same(fn, (av, bv), (_C.slice(_C.transpose(cu(a), 0, 1), 1, 0, 6, 2), _C.slice(cu(b), 1, 1, 6, 2)))
        # An expanded operand (stride 0, not a number).
        e = _C.expand(values((4, 1), dtype, seed=9, nonzero=op in DIVIDES), [4, 7])
        f = values((4, 7), dtype, seed=10)
        same(fn, (f, e), (cu(f), _C.expand(cu(values((4, 1), dtype, seed=9, nonzero=op in DIVIDES)), [4, 7])))


@gpu
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "remainder", "maximum", "lt", "pow", "atan2"])
def test_binary_ops_with_python_numbers(op):
    fn = getattr(_C, op)
    for dtype in ["uint8", "int16", "int64", "float32", "float64"]:
        a = values((4, 6), dtype, seed=2, nonzero=True)
        for number in [3, 2.5, True, -2]:
            if op == "pow" and number == -2 and dtype not in FLOATS:
                continue  # rejected on both devices (checked elsewhere)
            same(fn, (a, number), (cu(a), number))
            same(fn, (number, a), (number, cu(a)))


@gpu
def test_dtype_promotion_matches_cpu():
    for da, db in itertools.product(DTYPES, DTYPES):
        a, b = values((2, 3), da, seed=1), values((2, 3), db, seed=2)
        same(_C.add, (a, b), (cu(a), cu(b)))
        same(_C.mul, (a, b), (cu(a), cu(b)))
        same(_C.div, (a, b), (cu(a), cu(b)))
        # A 0-dim tensor of another dtype takes the lower priority, as torch.
        z = values((), db, seed=3)
        same(_C.add, (a, z), (cu(a), cu(z)))


@gpu
@pytest.mark.parametrize("dtype", ["bool", "int8", "int64", "float32", "float64"])
def test_cpu_zero_dim_tensor_joins_a_cuda_op(dtype):
    a = values((3, 4), "float32", seed=4)
    z = values((), dtype, seed=5)
    for fn in [_C.add, _C.mul, _C.maximum, _C.eq]:
        r = fn(cu(a), z)
        check(r, fn(a, z))
        r = fn(z, cu(a))
        check(r, fn(z, a))
    i = values((3, 4), "int32", seed=6)
    check(_C.add(cu(i), z), _C.add(i, z))


@gpu
def test_cuda_zero_dim_tensors_work_with_each_other_and_cpu_numbers():
    a, b = values((), "float64", seed=1), values((), "int32", seed=2)
    check(_C.mul(cu(a), cu(b)), _C.mul(a, b))
    check(_C.sub(cu(a), b), _C.sub(a, b))


@gpu
def test_device_mismatch_errors_match_torch():
    a = values((3,), "float32")
    g = cu(a)
    for x, y in [(a, g), (g, a)]:
        with pytest.raises(RuntimeError) as e:
            _C.add(x, y)
        assert str(e.value) == MISMATCH.format("cuda:0", "cpu")
    # A CUDA 0-dim tensor does not join a CPU op with non-scalar CPU tensors.
    with pytest.raises(RuntimeError, match="same device"):
        _C.add(a, cu(values((), "float32")))
    # where: the condition counts too.
    cond = _C.gt(a, 0)
    with pytest.raises(RuntimeError, match="same device"):
        _C.where(cond, g, g)
    with pytest.raises(RuntimeError, match="same device"):
        _C.where(cu(cond), a, g)


@gpu
def test_device_mismatch_in_place_raises_before_writing():
    a = values((4,), "float32", seed=1)
    g = cu(a)
    with pytest.raises(RuntimeError) as e:
        g.add_(values((4,), "float32", seed=2))
    assert str(e.value) == MISMATCH.format("cuda:0", "cpu")
    np.testing.assert_array_equal(host(g)._numpy(), a._numpy())
    # A 0-dim CPU tensor may be the argument of an in-place CUDA op, but not its target.
    g.add_(from_np(np.float32(1)))
    np.testing.assert_array_equal(host(g)._numpy(), a._numpy() + 1)
    z = from_np(np.float32(2))
    with pytest.raises(RuntimeError) as e:
        z.add_(cu(from_np(np.float32(1))))
    assert str(e.value) == MISMATCH.format("cuda:0", "cpu")
    assert z._item() == 2


@gpu
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "floor_divide", "remainder", "pow", "bitwise_and",
                                "maximum", "fmod", "atan2"])
def test_in_place_binary_ops(op):
    fn = lambda x, y: getattr(x, op + "_")(y)  # noqa: E731
    for dtype in ["uint8", "int32", "int64", "float32", "float64"]:
        a, b = operands(op, dtype, (4, 5), (5,), seed=11)
        ca, ga = _C.clone(a), cu(a)
        same(fn, (ca, b), (ga, cu(b)))
        if dtype in FLOATS:
            # Into a non-contiguous view: writes land in the base tensor.
            base_c, base_g = values((5, 8), dtype, seed=12), cu(values((5, 8), dtype, seed=12))
            vc, vg = _C.slice(_C.transpose(base_c, 0, 1), 0, 0, 8, 2), _C.slice(_C.transpose(base_g, 0, 1), 0, 0, 8, 2)
            bc = values((4, 5), dtype, seed=13, nonzero=True)
            same(fn, (vc, bc), (vg, cu(bc)))
            check(base_g, base_c)


@gpu
def test_in_place_casts_and_errors_match_cpu():
    i = values((3, 4), "int32", seed=1)
    f = values((3, 4), "float32", seed=2)
    # int32 += bool, float32 += int64: the result type fits the target.
    same(lambda x, y: x.add_(y), (_C.clone(i), values((3, 4), "bool")), (cu(i), cu(values((3, 4), "bool"))))
    same(lambda x, y: x.mul_(y), (_C.clone(f), values((3, 4), "int64")), (cu(f), cu(values((3, 4), "int64"))))
    # int32 += float32 is refused on both, before any write.
    g = cu(i)
    with pytest.raises(RuntimeError, match="can't be cast"):
        g.add_(cu(f))
    np.testing.assert_array_equal(host(g)._numpy(), i._numpy())
    # An in-place op reading its own overlapping view.
    a = values((10,), "float32", seed=3)
    c, gg = _C.clone(a), cu(a)
    _C.slice(c, 0, 1, 10, 1).add_(_C.slice(c, 0, 0, 9, 1))
    _C.slice(gg, 0, 1, 10, 1).add_(_C.slice(gg, 0, 0, 9, 1))
    check(gg, c)


@gpu
def test_bad_dtypes_raise_as_on_cpu():
    for op, dtype in [("bitwise_and", "float32"), ("floor_divide", "bool"), ("sub", "bool"), ("pow", "bool"),
                      ("remainder", "bool"), ("fmod", "bool")]:
        a = values((3,), dtype)
        with pytest.raises(Exception) as ce:
            getattr(_C, op)(a, a)
        with pytest.raises(type(ce.value)) as ge:
            getattr(_C, op)(cu(a), cu(a))
        assert str(ge.value) == str(ce.value).replace("_cpu", "_cuda").replace('"pow"', '"pow_cuda"')
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        _C.pow(cu(values((3,), "int64")), -1)


@gpu
def test_integer_division_by_zero_is_not_checked_on_cuda():
    # torch does not check on CUDA (it would mean reading the divisor back); no error, any value.
    a = cu(values((4,), "int64"))
    z = cu(from_np(np.zeros(4, np.int64)))
    for op in ["floor_divide", "remainder", "fmod"]:
        r = getattr(_C, op)(a, z)
        assert r.dtype == _C.int64 and len(_C.Tensor._tolist(r)) == 4


# ---- GPU: unary ops, clamp, where -------------------------------------------------------------

UNARY = ["exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "sigmoid", "reciprocal",
         "log2", "log10", "exp2", "asin", "acos", "atan", "sinh", "cosh", "erf", "neg", "abs", "relu", "sign",
         "floor", "ceil", "round", "trunc", "square", "bitwise_not", "logical_not", "isnan", "isinf", "isfinite"]


@gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", UNARY)
def test_unary_ops_every_dtype(op, dtype):
    fn = getattr(_C, op)
    a = values((4, 5, 3), dtype, seed=21, specials=True)
    same(fn, (a,), (cu(a),), rtol=1e-5 if dtype == "float32" else None)
    # Non-contiguous input.
    v = _C.transpose(a, 0, 2)
    same(fn, (v,), (_C.transpose(cu(a), 0, 2),), rtol=1e-5 if dtype == "float32" else None)


@gpu
@pytest.mark.parametrize("op", ["exp", "neg", "abs", "floor", "sqrt", "relu", "sign", "square", "bitwise_not"])
def test_in_place_unary_ops(op):
    fn = lambda x: getattr(_C, op + "_")(x)  # noqa: E731
    for dtype in ["int16", "int64", "float32", "float64"]:
        base = values((6, 4), dtype, seed=22)
        c, g = _C.clone(base), cu(base)
        vc, vg = _C.slice(_C.transpose(c, 0, 1), 1, 1, 6, 2), _C.slice(_C.transpose(g, 0, 1), 1, 1, 6, 2)
        same(fn, (vc,), (vg,), rtol=1e-5)
        check(g, c, rtol=1e-5)


@gpu
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int32", "int64", "float32", "float64"])
def test_clamp(dtype):
    a = values((5, 6), dtype, seed=31, specials=True)
    for lo, hi in [(-2, 3), (None, 1), (0, None), (1.5, 2.5), (float("nan"), 1), (3, -3)]:
        same(lambda x: _C.clamp(x, lo, hi), (a,), (cu(a),))
        same(lambda x: _C.clamp(_C.transpose(x, 0, 1), lo, hi), (a,), (cu(a),))
    c, g = _C.clone(a), cu(a)
    same(lambda x: _C.clamp_(x, -1, 2), (c,), (g,))
    check(g, c)


@gpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_where(dtype):
    cond = values((3, 1, 5), "bool", seed=41)
    a, b = values((4, 5), dtype, seed=42), values((3, 4, 1), dtype, seed=43)
    same(_C.where, (cond, a, b), (cu(cond), cu(a), cu(b)))
    same(_C.where, (cond, a, 0), (cu(cond), cu(a), 0))
    same(_C.where, (cond, 1.5, b), (cu(cond), 1.5, cu(b)))
    # A 0-dim CPU condition or value joins a CUDA where.
    z = values((), "bool", seed=44)
    same(_C.where, (z, a, b), (z, cu(a), cu(b)))
    zv = values((), dtype, seed=45)
    same(_C.where, (cond, zv, b), (cu(cond), zv, cu(b)))
    # Non-contiguous condition.
    cv = _C.transpose(values((5, 4), "bool", seed=46), 0, 1)
    same(_C.where, (cv, a, a), (_C.transpose(cu(values((5, 4), "bool", seed=46)), 0, 1), cu(a), cu(a)))


# ---- GPU: fill, casts, copies, factories ------------------------------------------------------

@gpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_fill(dtype):
    for value in [0, 1, 3, 2.5, True, -1]:
        if dtype == "uint8" and value == -1:
            continue
        c, g = _C.empty((4, 6), dt(dtype)), _C.empty((4, 6), dt(dtype), device="cuda")
        check(_C.fill_(g, value), _C.fill_(c, value))
        # Through a strided view: only the view's elements change.
        c, g = _C.full((4, 6), 7, dt(dtype)), _C.full((4, 6), 7, dt(dtype), device="cuda")
        _C.fill_(_C.slice(_C.transpose(c, 0, 1), 0, 1, 6, 2), value)
        _C.fill_(_C.slice(_C.transpose(g, 0, 1), 0, 1, 6, 2), value)
        check(g, c)
    # An expanded tensor may be filled (its one element).
    g = _C.full((3,), 0, dt(dtype), device="cuda")
    _C.fill_(_C.expand(_C.slice(g, 0, 1, 2, 1), [5]), 1)
    assert _C.Tensor._tolist(g) == _C.Tensor._tolist(_C.to_dtype(from_np(np.array([0, 1, 0])), dt(dtype)))


@gpu
@pytest.mark.parametrize("src", DTYPES)
@pytest.mark.parametrize("dst", DTYPES)
def test_casts_every_pair(src, dst):
    a = values((5, 7), src, seed=51)
    if src in FLOATS and dst == "uint8":
        a = _C.abs(a)  # negative floats to uint8 are undefined in C++ (and differ between devices)
    same(lambda x: _C.to_dtype(x, dt(dst)), (a,), (cu(a),))
    same(lambda x: _C.to_dtype(_C.transpose(x, 0, 1), dt(dst)), (a,), (cu(a),))


@gpu
def test_float_casts_keep_special_values():
    a = from_np(np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.5], np.float64))
    for dst in ["float32", "bool"]:
        same(lambda x: _C.to_dtype(x, dt(dst)), (a,), (cu(a),))


@gpu
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int16", "int64", "float32", "float64"])
def test_round_trip_keeps_values_and_strides_do_not_matter(dtype):
    a = values((3, 4, 5), dtype, seed=61)
    g = cu(a)
    assert g._device_str == "cuda:0" and g.dtype == a.dtype and g.is_contiguous()
    np.testing.assert_array_equal(host(g)._numpy(), a._numpy())
    # A permuted, sliced view goes up and comes back.
    v = _C.slice(_C.permute(a, [2, 0, 1]), 0, 1, 5, 2)
    np.testing.assert_array_equal(host(cu(v))._numpy(), v._numpy())
    # ...and a view of a CUDA tensor comes down.
    gv = _C.slice(_C.permute(g, [2, 0, 1]), 0, 1, 5, 2)
    np.testing.assert_array_equal(host(gv)._numpy(), v._numpy())


@gpu
def test_to_device_semantics():
    a = values((3, 4), "float32", seed=62)
    g = cu(a)
    assert _C.to_device(g, "cuda") is g
    assert _C.to_device(g, "cuda:0") is g
    assert _C.to_device(g, pytensor.device("cuda", 0)) is g
    assert _C.to_device(g, 0) is g
    c = _C.to_device(g, "cuda", copy=True)
    assert c is not g and c.data_ptr() != g.data_ptr()
    check(c, a)
    d = _C.to_device(a, "cuda", _C.float64)
    check(d, _C.to_dtype(a, _C.float64))
    e = _C.to_device(g, "cpu", _C.int32)
    assert e._device_str == "cpu"
    np.testing.assert_array_equal(e._numpy(), a._numpy().astype(np.int32))
    with pytest.raises(RuntimeError):
        _C.to_device(a, f"cuda:{_C._cuda_device_count()}")


@gpu
@pytest.mark.parametrize("dst_dtype", ["int32", "float32", "float64"])
def test_copy_between_devices_with_strides_casts_and_broadcast(dst_dtype):
    src = values((4, 6), "float64", seed=71)
    # CPU -> CUDA into a transposed view of a larger tensor.
    c_base, g_base = _C.full((6, 4, 2), -1, dt(dst_dtype)), _C.full((6, 4, 2), -1, dt(dst_dtype), device="cuda")
    c_dst = _C.transpose(_C.select(c_base, 2, 1), 0, 1)
    g_dst = _C.transpose(_C.select(g_base, 2, 1), 0, 1)
    _C.copy_(c_dst, src)
    _C.copy_(g_dst, src)
    check(g_base, c_base)
    # CUDA -> CPU into a strided CPU view, from a strided CUDA view.
    c_out = _C.full((8, 6), 0, dt(dst_dtype))
    gsrc = _C.slice(cu(values((6, 8), "float32", seed=72)), 1, 0, 8, 2)
    csrc = _C.slice(values((6, 8), "float32", seed=72), 1, 0, 8, 2)
    _C.copy_(_C.slice(c_out, 0, 1, 8, 2), _C.transpose(gsrc, 0, 1))
    ref = _C.full((8, 6), 0, dt(dst_dtype))
    _C.copy_(_C.slice(ref, 0, 1, 8, 2), _C.transpose(csrc, 0, 1))
    np.testing.assert_array_equal(c_out._numpy(), ref._numpy())
    # Broadcasting across devices: a row from the CPU into every row of a CUDA tensor, and back.
    row = values((6,), "int64", seed=73)
    g = _C.empty((3, 6), dt(dst_dtype), device="cuda")
    _C.copy_(g, row)
    c = _C.empty((3, 6), dt(dst_dtype))
    _C.copy_(c, row)
    check(g, c)
    back = _C.empty((2, 3, 6), dt(dst_dtype))
    _C.copy_(back, g)
    np.testing.assert_array_equal(back._numpy(), np.broadcast_to(c._numpy(), (2, 3, 6)))
    # A one-element CPU source fills a CUDA tensor.
    one = from_np(np.array([[2.75]]))
    _C.copy_(g, one)
    _C.copy_(c, one)
    check(g, c)


@gpu
def test_copy_on_the_device_with_overlap_and_casts():
    a = values((12,), "float32", seed=81)
    c, g = _C.clone(a), cu(a)
    _C.copy_(_C.slice(c, 0, 2, 12, 1), _C.slice(c, 0, 0, 10, 1))
    _C.copy_(_C.slice(g, 0, 2, 12, 1), _C.slice(g, 0, 0, 10, 1))
    check(g, c)
    i = _C.empty((3, 4), _C.int16, device="cuda")
    _C.copy_(i, _C.transpose(cu(values((4, 3), "float64", seed=82)), 0, 1))
    ref = _C.empty((3, 4), _C.int16)
    _C.copy_(ref, _C.transpose(values((4, 3), "float64", seed=82), 0, 1))
    check(i, ref)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        _C.copy_(_C.empty((3,), _C.float32, device="cuda"), values((2, 3), "float32"))


@gpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_factories_on_cuda(dtype):
    d = dt(dtype)
    check(_C.full((2, 3), 1, d, device="cuda"), _C.full((2, 3), 1, d))
    check(_C.full((2, 3), 0, d, device="cuda"), _C.full((2, 3), 0, d))
    check(_C.eye(3, 5, d, device="cuda"), _C.eye(3, 5, d))
    check(_C.eye(5, 2, d, device="cuda"), _C.eye(5, 2, d))
    check(_C.scalar_tensor(1, d, device="cuda"), _C.scalar_tensor(1, d))
    if dtype != "bool":
        check(_C.arange(-3, 9, 2, d, device="cuda"), _C.arange(-3, 9, 2, d))
    if dtype in FLOATS:
        check(_C.linspace(-1.0, 2.0, 9, d, device="cuda"), _C.linspace(-1.0, 2.0, 9, d))
    e = _C.empty((2, 0, 3), d, device=pytensor.device("cuda", 0))
    assert e._device_str == "cuda:0" and e._sizes == (2, 0, 3)
    s = _C.empty_strided((2, 3), (1, 2), d, device="cuda")
    assert s._stride_tuple() == (1, 2) and s._device_str == "cuda:0"


@gpu
def test_item_tolist_and_numpy_on_cuda():
    for dtype in DTYPES:
        a = values((2, 3), dtype, seed=91)
        g = cu(a)
        assert _C.Tensor._tolist(g) == a._numpy().tolist()
        assert _C.Tensor._tolist(_C.transpose(g, 0, 1)) == a._numpy().T.tolist()
        x = _C.select(_C.select(g, 0, 1), 0, 2)
        assert x._item() == a._numpy()[1, 2].item()
        assert type(x._item()) is type(a._numpy()[1, 2].item())
        assert _C.Tensor._tolist(x) == a._numpy()[1, 2].item()
    g = cu(values((2,), "float32"))
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        g._numpy()
    # Python 3.12+ reports a failed buffer request as BufferError, chained to our TypeError.
    with pytest.raises((TypeError, BufferError)) as e:
        memoryview(g)
    assert "only CPU tensors support the buffer protocol" in str(e.value) + str(e.value.__cause__)
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        g._item()


# ---- GPU: sizes and layouts the small tests do not reach ---------------------------------------

@gpu
def test_large_tensors_use_the_grid_stride_loop():
    n = 256 * 65536 * 2 + 13  # more elements than one launch has threads
    a = _C.arange(0, n, 1, _C.int32, device="cuda")
    b = _C.add(a, 1)
    assert _C.Tensor._tolist(_C.slice(b, 0, n - 3, n, 1)) == [n - 2, n - 1, n]
    assert _C.Tensor._tolist(_C.slice(b, 0, 0, 2, 1)) == [1, 2]
    # Strided path at the same size: every other element of a 2n-element tensor.
    big = _C.full((2 * n,), 0, _C.int32, device="cuda")
    _C.fill_(_C.slice(big, 0, 1, 2 * n, 2), 5)
    r = _C.to_dtype(big, _C.int64)
    total = host(r)._numpy().sum()
    assert total == 5 * n


@gpu
def test_many_dims_that_do_not_coalesce():
    shape = (2,) * 12
    a = values(shape, "float32", seed=101)
    perm = list(range(12))[::-1]
    same(lambda x: _C.mul(_C.permute(x, perm), 2.0), (a,), (cu(a),))
    same(lambda x, y: _C.add(_C.permute(x, perm), y), (a, a), (cu(a), cu(a)))


@gpu
def test_empty_and_zero_dim_tensors():
    e = values((0, 3), "float32")
    same(_C.add, (e, e), (cu(e), cu(e)))
    same(_C.exp, (e,), (cu(e),))
    z = values((), "float64", seed=5)
    same(_C.exp, (z,), (cu(z),))
    same(lambda x: _C.to_dtype(x, _C.int32), (z,), (cu(z),))
    g = cu(e)
    _C.copy_(g, e)
    _C.copy_(e, g)


@multi_gpu
def test_copies_between_two_gpus_and_mismatch():
    a = values((5, 6), "float32", seed=111)
    g0, g1 = cu(a, "cuda:0"), cu(a, "cuda:1")
    assert g1._device_str == "cuda:1"
    np.testing.assert_array_equal(host(g1)._numpy(), a._numpy())
    h = _C.to_device(_C.transpose(g0, 0, 1), "cuda:1", _C.float64)
    np.testing.assert_array_equal(host(h)._numpy(), a._numpy().T.astype(np.float64))
    with pytest.raises(RuntimeError) as e:
        _C.add(g0, g1)
    assert str(e.value) == MISMATCH.format("cuda:0", "cuda:1")
    check(_C.add(g1, g1), _C.add(a, a))
