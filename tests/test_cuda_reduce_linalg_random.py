"""Reductions, softmax, scans, matrix products and random numbers on CUDA tensors.

GPU tests compare each CUDA result with the CPU result of the same pytensor op on the same data
(dtype by dtype, contiguous and not, with NaN and ties), or, for random numbers, check shapes,
ranges, moments and seeding. The tests at the top run everywhere: the CUDA generators' seeding
API and the cuBLAS loader's error work without a GPU."""
import ctypes
import math
import os
import subprocess
import sys

import numpy as np
import pytest

import pytensor
from pytensor import _C


def _cuda_available() -> bool:
    cuda = getattr(pytensor, "cuda", None)
    if cuda is not None and hasattr(cuda, "is_available"):
        return bool(cuda.is_available())
    return _C._cuda_device_count() > 0


needs_gpu = pytest.mark.skipif(not _cuda_available(), reason="needs a CUDA GPU")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64"]
FLOATS = ["float32", "float64"]


# ---- everywhere: generator bookkeeping and the cuBLAS loader ---------------------------------------

def test_cuda_generator_state_roundtrip_without_gpu():
    _C._cuda_manual_seed_all(0x1122334455)
    state = _C._cuda_get_rng_state(3)
    assert state.dtype == pytensor.uint8 and tuple(state.shape) == (16,)
    raw = bytes(state.tolist())
    assert int.from_bytes(raw[:8], "little") == 0x1122334455  # seed
    assert int.from_bytes(raw[8:], "little") == 0  # offset: nothing drawn since seeding
    moved = pytensor.tensor(list(raw[:8]) + [7, 0, 0, 0, 0, 0, 0, 0], dtype=pytensor.uint8)
    _C._cuda_set_rng_state(moved, 3)
    assert _C._cuda_get_rng_state(3).tolist() == list(raw[:8]) + [7] + [0] * 7
    assert _C._cuda_get_rng_state(4).tolist() == list(raw)  # devices are independent
    with pytest.raises(RuntimeError, match="RNG state is wrong size"):
        _C._cuda_set_rng_state(pytensor.zeros(15, dtype=pytensor.uint8), 3)
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        _C._cuda_set_rng_state(pytensor.zeros(16), 3)
    with pytest.raises(RuntimeError, match="manual_seed expected a long"):
        _C._cuda_manual_seed_all(1.5)
    _C._cuda_manual_seed_all(-1)  # two's complement, as the CPU generator takes it
    assert int.from_bytes(bytes(_C._cuda_get_rng_state(0).tolist()[:8]), "little") == 2**64 - 1


def test_cuda_seeding_leaves_the_cpu_generator_alone():
    pytensor.manual_seed(123)
    want = pytensor.rand(5).tolist()
    pytensor.manual_seed(123)
    _C._cuda_manual_seed_all(99)
    _C._cuda_set_rng_state(_C._cuda_get_rng_state(1), 1)
    assert pytensor.rand(5).tolist() == want


@pytest.mark.skipif(_cuda_available(), reason="a GPU machine reports the device instead")
def test_cuda_per_device_seeding_needs_a_gpu():
    with pytest.raises(RuntimeError):
        _C._cuda_manual_seed(1)
    with pytest.raises(RuntimeError):
        _C._cuda_initial_seed()


def _system_has_cublas() -> bool:
    for name in ("libcublas.so.13", "libcublas.so.12"):
        try:
            ctypes.CDLL(name)
            return True
        except OSError:
            pass
    return False


@pytest.mark.skipif(_system_has_cublas(), reason="cuBLAS is installed on this machine")
def test_cublas_loader_names_what_it_tried(tmp_path):
    # A fresh process: the loader keeps a library once one loads.
    env = dict(os.environ, PYTENSOR_CUBLAS_PATH=str(tmp_path))
    code = ("import pytensor\n"
            "try:\n"
            "    pytensor._C._cublas_library()\n"
            "except RuntimeError as e:\n"
            "    print('RuntimeError:', e)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.startswith("RuntimeError: CUDA matrix products need cuBLAS"), out
    assert str(tmp_path / "libcublas.so.13") in out
    assert "libcublas.so.12" in out and "PYTENSOR_CUBLAS_PATH" in out


# ---- helpers ----------------------------------------------------------------------------------------

def data(shape, dtype="float32", seed=0, lo=-5, hi=6):
    """Small integers (exact in every dtype, with many ties), or normal floats."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return pytensor.tensor(rng.random(shape) < 0.5)
    if dtype in FLOATS:
        return pytensor.tensor(rng.standard_normal(shape).astype(dtype))
    lo = 0 if dtype == "uint8" else lo
    return pytensor.tensor(rng.integers(lo, hi, size=shape).astype(dtype))


def cu(t):
    return t.to("cuda")


def check(gpu, cpu, rtol=None, atol=None):
    """The CUDA result matches the CPU one: device, dtype, shape, and values (exactly for integers
    and bools; to float32/float64 rounding for floats, NaN where the CPU has NaN)."""
    assert gpu.device.type == "cuda"
    g = gpu.cpu().numpy()
    c = cpu.numpy()
    assert g.dtype == c.dtype, (g.dtype, c.dtype)
    assert g.shape == c.shape, (g.shape, c.shape)
    if g.dtype.kind == "f":
        if rtol is None:
            rtol = 1e-5 if g.dtype == np.float32 else 1e-12
        if atol is None:
            atol = 1e-5 if g.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(g, c, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(g, c)


def check_both(fn, *cpu_args, **kw):
    """fn on CUDA copies of the tensor arguments against fn on the CPU ones; tuples elementwise.
    NOTE: a move to the GPU makes a contiguous copy, so fn takes views itself (as V(...) does)."""
    def on(dev):
        return [(a.view(a.base.to(dev)) if isinstance(a, V) else a.to(dev) if isinstance(a, pytensor.Tensor) else a)
                for a in cpu_args]
    cpu_views, gpu_args = on("cpu"), on("cuda")
    for c, g in zip(cpu_views, gpu_args):
        if isinstance(g, pytensor.Tensor):  # the GPU sees the CPU's layout
            assert g.device.type == "cuda" and tuple(g.stride()) == tuple(c.stride())
    want = fn(*cpu_views)
    got = fn(*gpu_args)
    if isinstance(want, tuple):
        for g, w in zip(got, want):
            check(g, w, **kw)
    else:
        check(got, want, **kw)


def same_error(fn, *cpu_args):
    """fn raises the same exception class and message on the CPU and on the GPU."""
    gpu_args = [cu(a) if isinstance(a, pytensor.Tensor) else a for a in cpu_args]
    with pytest.raises(Exception) as cpu_err:
        fn(*cpu_args)
    with pytest.raises(type(cpu_err.value)) as gpu_err:
        fn(*gpu_args)
    assert str(gpu_err.value) == str(cpu_err.value)


def layouts(shape, dtype, seed=0):
    """(base, view) pairs where view(base) has `shape`: contiguous, a transposed view and a strided
    slice. The view is applied to each side after the move, so the GPU sees the same layout."""
    yield data(shape, dtype, seed), lambda t: t
    if len(shape) >= 2:
        yield data(shape[::-1], dtype, seed + 1), lambda t: t.transpose(0, len(shape) - 1)
        yield data(shape[:-1] + (2 * shape[-1],), dtype, seed + 2), lambda t: t[..., ::2]


class V:
    """A tensor argument of check_both taken as a view of `base` on each device."""

    def __init__(self, base, view):
        self.base, self.view = base, view


DIMS = [None, 0, -1, (0, 2), (1,), (0, 1, 2)]


# ---- reductions -------------------------------------------------------------------------------------

@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", ["sum", "prod", "amax", "amin", "all", "any"])
def test_value_reductions(dtype, op):
    fn = getattr(_C, op)
    for x, view in layouts((3, 4, 5), dtype):
        if op == "prod":
            x = x.clamp(-2, 2) if dtype not in ("bool", "uint8") else x.clamp(0, 2)
        for dim in DIMS:
            for keepdim in (False, True):
                check_both(lambda t: fn(t, dim, keepdim), V(x, view))


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
def test_count_nonzero_max_min_and_sum_dtype(dtype):
    x = data((4, 6), dtype)
    check_both(lambda t: _C.count_nonzero(t, None), x)
    check_both(lambda t: _C.count_nonzero(t, 1), x)
    check_both(_C.max, x)
    check_both(_C.min, x)
    check_both(lambda t: _C.sum(t, 0, False, pytensor.float64), x)
    check_both(lambda t: t.sum(), V(x, lambda t: t.t()))


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("is_max", [True, False])
def test_arg_reductions_take_the_first_of_ties(dtype, is_max):
    # Values in {-1, 0, 1}: every row has repeated extremes.
    for x, view in layouts((5, 7, 6), dtype):
        x = V(x.clamp(-1, 1) if dtype != "bool" else x, view)
        for dim in (0, 1, 2, -1):
            for keepdim in (False, True):
                check_both(lambda t: (_C.max_dim if is_max else _C.min_dim)(t, dim, keepdim), x)
                if dtype != "bool":
                    check_both(lambda t: (_C.argmax if is_max else _C.argmin)(t, dim, keepdim), x)
        if dtype != "bool":
            check_both(lambda t: (_C.argmax if is_max else _C.argmin)(t, None, False), x)
            check_both(lambda t: (_C.argmax if is_max else _C.argmin)(t, None, True), x)


@needs_gpu
@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_propagates_and_the_first_nan_wins(dtype):
    x = data((4, 9), dtype)
    x[1, 3] = float("nan")
    x[1, 7] = float("nan")
    x[2, 0] = float("nan")
    x[3, 8] = float("inf")
    for fn in (_C.max, _C.min, lambda t: t.sum(1), lambda t: t.mean(0), lambda t: _C.amax(t, 1, False),
               lambda t: _C.max_dim(t, 1, False), lambda t: _C.min_dim(t, 0, True),
               lambda t: _C.argmax(t, 1, False), lambda t: _C.argmin(t, None, False),
               lambda t: _C.norm(t, 1, float("inf"), False, None), lambda t: _C.logsumexp(t, 1, False)):
        check_both(fn, x)


@needs_gpu
@pytest.mark.parametrize("dtype", FLOATS)
def test_float_reductions(dtype):
    for base, view in layouts((3, 4, 5), dtype):
        x = V(base, view)
        for dim in DIMS:
            for keepdim in (False, True):
                check_both(lambda t: _C.mean(t, dim, keepdim, None), x)
                for correction in (0.0, 1.0, 2.0):
                    check_both(lambda t: _C.var(t, dim, correction, keepdim), x)
                    check_both(lambda t: _C.std(t, dim, correction, keepdim), x)
                for p in (0.0, 1.0, 2.0, 3.0, 0.5, float("inf"), float("-inf")):
                    check_both(lambda t: _C.norm(t, dim, p, keepdim, None), x)
                if dim is not None:
                    check_both(lambda t: _C.logsumexp(t, dim, keepdim), x)


@needs_gpu
def test_reductions_with_dtype_arguments_and_integer_means():
    x = data((6, 5), "int32")
    check_both(lambda t: _C.mean(t, 1, False, pytensor.float64), x)
    check_both(lambda t: _C.sum(t, None, False, pytensor.int8), x)
    check_both(lambda t: _C.prod(t.clamp(-2, 2), 0, False, pytensor.float32), x)
    check_both(lambda t: _C.norm(t.float(), 1, 2.0, False, pytensor.float64), x)
    check_both(lambda t: _C.logsumexp(t, 1, False), x)  # integers go through the default float


@needs_gpu
def test_long_rows_split_across_blocks():
    # Rows longer than the split threshold take the two-pass path; a single long row too.
    x = data((3, 300001), "float32", seed=4)
    check_both(lambda t: t.sum(1), x, rtol=1e-4, atol=1e-3)
    check_both(lambda t: _C.amax(t, 1, False), x)
    check_both(lambda t: _C.var(t, 1, 1.0, False), x, rtol=1e-4)
    check_both(lambda t: _C.logsumexp(t, 1, False), x, rtol=1e-5)
    flat = data((2_000_003,), "float64", seed=5)
    check_both(lambda t: t.sum(), flat, rtol=1e-10)
    check_both(lambda t: _C.norm(t, None, 2.0, False, None), flat)
    ints = data((1_000_001,), "int64", seed=6)
    check_both(lambda t: t.sum(), ints)
    # The extreme twice, far apart (different chunks): the first index.
    y = data((1_500_000,), "float32", seed=7)
    y[1_234_567] = 100.0
    y[42] = 100.0
    y[999_999] = -100.0
    y[5] = -100.0
    check_both(lambda t: _C.argmax(t, None, False), y)
    check_both(lambda t: _C.argmin(t, None, False), y)
    check_both(lambda t: _C.max_dim(t, 0, False), y)
    b = pytensor.ones(3_000_000, dtype=pytensor.bool)
    b[2_999_999] = False
    check_both(lambda t: _C.all(t, None, False), b)
    check_both(lambda t: _C.any(t, None, False), pytensor.zeros(3_000_000, dtype=pytensor.bool))


@needs_gpu
def test_empty_reductions():
    x = pytensor.zeros((0, 3))
    for fn in (lambda t: t.sum(0), lambda t: t.sum(), lambda t: _C.prod(t, 0, False, None),
               lambda t: _C.mean(t, 0, False, None), lambda t: _C.var(t, 0, 1.0, False),
               lambda t: _C.norm(t, 0, 2.0, False, None), lambda t: _C.logsumexp(t, 0, False),
               lambda t: _C.all(t, 0, False), lambda t: _C.any(t, 0, False), lambda t: t.sum(1),
               lambda t: _C.amax(t, 1, False), lambda t: _C.count_nonzero(t, 0)):
        check_both(fn, x)
    check_both(lambda t: t.sum(), pytensor.tensor(3.5))  # 0-d
    check_both(lambda t: _C.argmax(t, None, False), pytensor.tensor(3.5))


@needs_gpu
def test_reduction_errors_match_the_cpu():
    same_error(_C.max, pytensor.zeros((0, 3)))
    same_error(lambda t: _C.amax(t, 0, False), pytensor.zeros((0, 3)))
    same_error(lambda t: _C.max_dim(t, 0, False), pytensor.zeros((0, 3)))
    same_error(lambda t: _C.argmax(t, None, False), pytensor.zeros((0,)))
    same_error(lambda t: _C.argmax(t, 0, False), pytensor.zeros(3, dtype=pytensor.bool))
    same_error(lambda t: _C.var(t, None, 1.0, False), pytensor.zeros(3, dtype=pytensor.int64))
    same_error(lambda t: _C.mean(t, None, False, None), pytensor.zeros(3, dtype=pytensor.int64))
    same_error(lambda t: t.sum(3), pytensor.zeros((2, 3)))
    same_error(lambda t: t.sum((0, 0)), pytensor.zeros((2, 3)))
    same_error(lambda t: _C.norm(t, None, float("inf"), False, None), pytensor.zeros((0,)))


# ---- softmax and scans ------------------------------------------------------------------------------

@needs_gpu
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("log", [False, True])
def test_softmax(dtype, log):
    fn = _C.log_softmax if log else _C.softmax
    for base, view in layouts((4, 5, 6), dtype):
        for dim in (0, 1, 2, -1):
            check_both(lambda t: fn(t, dim, None), V(base, view))
    big = data((3, 7), dtype) * 1000.0  # exp overflows unless the max is subtracted
    check_both(lambda t: fn(t, 1, None), big)
    check_both(lambda t: fn(t, 0, None), big)
    special = pytensor.tensor([[0.0, float("-inf"), 1.0], [float("-inf")] * 3, [float("nan"), 0.0, 1.0]],
                              dtype=getattr(pytensor, dtype))
    check_both(lambda t: fn(t, 1, None), special)
    check_both(lambda t: fn(t, 0, None), special)
    long_row = data((2, 50_000), dtype, seed=3)
    check_both(lambda t: fn(t, 1, None), long_row)
    check_both(lambda t: fn(t, 0, pytensor.float64), data((3, 4), "float32"))
    check_both(lambda t: fn(t, 0, None), pytensor.zeros((0, 4), dtype=getattr(pytensor, dtype)))


@needs_gpu
def test_softmax_errors_match_the_cpu():
    same_error(lambda t: _C.softmax(t, 1, None), pytensor.zeros((2, 3), dtype=pytensor.int64))
    same_error(lambda t: _C.log_softmax(t, 0, None), pytensor.zeros((2, 3), dtype=pytensor.int32))
    same_error(lambda t: _C.softmax(t, 2, None), pytensor.zeros((2, 3)))


@needs_gpu
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
def test_scans(dtype, op):
    fn = getattr(_C, op)
    for x, view in layouts((3, 4, 5), dtype):
        if op == "cumprod" and dtype not in FLOATS:
            x = x.clamp(-1, 2) if dtype not in ("bool", "uint8") else x.clamp(0, 1)
        for dim in (0, 1, 2, -1):
            check_both(lambda t: fn(t, dim, None), V(x, view))
    check_both(lambda t: fn(t, 0, pytensor.float64), data((4, 3), dtype))


@needs_gpu
def test_long_scans_carry_across_tiles():
    x = data((2, 5000), "int64", seed=8)
    check_both(lambda t: _C.cumsum(t, 1, None), x)
    f = data((3, 3000), "float64", seed=9)
    check_both(lambda t: _C.cumsum(t, 1, None), f, rtol=1e-10, atol=1e-10)
    check_both(lambda t: _C.cumsum(t, 0, None), f)
    p = pytensor.ones(4000, dtype=pytensor.float32) * 1.0001
    check_both(lambda t: _C.cumprod(t, 0, None), p, rtol=1e-3)  # 4000 float32 roundings vs double
    with pytest.raises(NotImplementedError, match="cumsum_out_cuda\" not implemented for 'Bool'"):
        _C.cumsum(pytensor.zeros(3, device="cuda"), 0, pytensor.bool)


# ---- matrix products ---------------------------------------------------------------------------------

@needs_gpu
@pytest.mark.parametrize("dtype", FLOATS)
def test_mm_layouts(dtype):
    a = data((33, 17), dtype, seed=1)
    b = data((17, 29), dtype, seed=2)
    variants_a = [a, V(data((17, 33), dtype, 3), lambda t: t.t()), V(data((33, 34), dtype, 4), lambda t: t[:, ::2]),
                  V(data((1, 17), dtype, 5), lambda t: t.expand(33, 17))]
    variants_b = [b, V(data((29, 17), dtype, 6), lambda t: t.t()), V(data((17, 58), dtype, 7), lambda t: t[:, 1::2]),
                  V(data((17, 1), dtype, 8), lambda t: t.expand(17, 29))]
    for x in variants_a:
        for y in variants_b:
            check_both(_C.mm, x, y)
            check_both(_C.matmul, x, y)


@needs_gpu
def test_float32_products_do_not_use_tf32():
    # TF32 keeps 10 mantissa bits: 1 + 2^-12 would become 1 and the sum 64. In float32 every
    # partial sum k * (1 + 2^-12) is exact, so the sum is 64 + 2^-6 in any order.
    a = pytensor.full((8, 64), 1.0 + 2.0 ** -12)
    b = pytensor.ones((64, 8))
    got = _C.mm(cu(a), cu(b)).cpu()
    assert got[0, 0].item() == 64.0 + 2.0 ** -6
    check_both(_C.mm, a, b, rtol=1e-7, atol=0)


@needs_gpu
@pytest.mark.parametrize("dtype", FLOATS)
def test_batched_products(dtype):
    check_both(_C.bmm, data((4, 5, 6), dtype, 1), data((4, 6, 3), dtype, 2))
    check_both(_C.bmm, V(data((4, 6, 5), dtype, 1), lambda t: t.transpose(1, 2)),
               V(data((4, 3, 6), dtype, 2), lambda t: t.transpose(1, 2)))
    check_both(_C.bmm, V(data((5, 4, 6), dtype, 1), lambda t: t.transpose(0, 1)), data((4, 6, 3), dtype, 2))
    check_both(_C.bmm, V(data((1, 5, 6), dtype, 1), lambda t: t.expand(4, 5, 6)), data((4, 6, 3), dtype, 2))
    check_both(_C.bmm, data((4, 5, 6), dtype, 1), V(data((4, 6, 6), dtype, 2), lambda t: t[:, :, ::2]))
    # Broadcast batch dims that cannot merge into one strided batch: a loop of calls.
    check_both(_C.matmul, data((2, 1, 3, 4), dtype, 3), data((1, 5, 4, 6), dtype, 4))
    check_both(_C.matmul, data((3, 4), dtype, 3), data((2, 4, 5), dtype, 4))
    check_both(_C.matmul, data((2, 3, 3, 4), dtype, 3), data((4, 5), dtype, 4))
    check_both(_C.matmul, V(data((2, 3, 4, 3), dtype, 3), lambda t: t.transpose(2, 3)), data((4,), dtype, 4))
    check_both(_C.matmul, V(data((3, 2, 3, 4), dtype, 3), lambda t: t.transpose(0, 1)), data((4, 5), dtype, 4))
    check_both(_C.matmul, data((4,), dtype, 3), data((2, 4, 5), dtype, 4))
    check_both(_C.matmul, data((2, 3, 4), dtype, 3), data((2, 4, 5), dtype, 4))
    inp = data((4, 5, 3), dtype, 5)
    check_both(lambda i, x, y: _C.baddbmm(i, x, y, beta=0.5, alpha=-2.0), inp, data((4, 5, 6), dtype, 6),
               data((4, 6, 3), dtype, 7))
    check_both(lambda i, x, y: _C.baddbmm(i, x, y), data((5, 1), dtype, 8), data((4, 5, 6), dtype, 6),
               data((4, 6, 3), dtype, 7))


@needs_gpu
@pytest.mark.parametrize("dtype", FLOATS)
def test_vector_products_and_addmm(dtype):
    m = data((7, 5), dtype, 1)
    v = V(data((10,), dtype, 2), lambda t: t[::2])
    check_both(_C.mv, m, v)
    check_both(_C.mv, V(data((5, 7), dtype, 3), lambda t: t.t()), v)
    check_both(_C.mv, m, V(data((1,), dtype, 3), lambda t: t.expand(5)))
    check_both(_C.dot, v, data((5,), dtype, 4))
    check_both(_C.dot, v, V(data((15,), dtype, 5), lambda t: t[::3]))
    check_both(_C.dot, V(data((1,), dtype, 5), lambda t: t.expand(5)), v)
    check_both(_C.matmul, v, data((5,), dtype, 4))
    check_both(_C.matmul, data((5,), dtype, 4), data((5, 3), dtype, 6))
    check_both(lambda i, x, y: _C.addmv(i, x, y, beta=2.0, alpha=0.5), data((7,), dtype, 7), m, v)
    check_both(lambda i, x, y: _C.addmv(i, x, y), data((1,), dtype, 7), m, v)
    check_both(lambda i, x, y: _C.addmm(i, x, y, beta=-1.0, alpha=3.0), data((4, 6), dtype, 8),
               data((4, 5), dtype, 9), data((5, 6), dtype, 10))
    check_both(lambda i, x, y: _C.addmm(i, x, y), data((6,), dtype, 8), data((4, 5), dtype, 9),
               V(data((6, 5), dtype, 10), lambda t: t.t()))
    # beta == 0 ignores the input, NaN included.
    nan_in = pytensor.full((4, 6), float("nan"), dtype=getattr(pytensor, dtype))
    check_both(lambda i, x, y: _C.addmm(i, x, y, beta=0, alpha=1), nan_in, data((4, 5), dtype, 9),
               data((5, 6), dtype, 10))
    check_both(lambda x, w, b: _C.linear(x, w, b), data((2, 3, 5), dtype, 11), data((4, 5), dtype, 12),
               data((4,), dtype, 13))
    check_both(lambda x, w: _C.linear(x, w), V(data((2, 3, 5), dtype, 11), lambda t: t.transpose(0, 1)),
               data((4, 5), dtype, 12))


@needs_gpu
def test_empty_products():
    check_both(_C.mm, pytensor.zeros((3, 0)), pytensor.zeros((0, 4)))  # k == 0: zeros
    check_both(_C.mm, pytensor.zeros((0, 3)), pytensor.zeros((3, 4)))
    check_both(_C.bmm, pytensor.zeros((0, 2, 3)), pytensor.zeros((0, 3, 4)))
    check_both(_C.dot, pytensor.zeros(0), pytensor.zeros(0))
    check_both(lambda i, x, y: _C.addmm(i, x, y, beta=2.0, alpha=1.0), data((3, 4), "float32"),
               pytensor.zeros((3, 0)), pytensor.zeros((0, 4)))


@needs_gpu
def test_large_product():
    check_both(_C.mm, data((512, 384), "float32", 1), data((384, 640), "float32", 2), rtol=1e-4, atol=1e-4)
    check_both(_C.bmm, data((70000, 2, 2), "float64", 3), data((70000, 2, 2), "float64", 4))  # > 65535


@needs_gpu
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
def test_integer_products_are_refused_as_torch_does(dtype):
    name = {"bool": "Bool", "uint8": "Byte", "int32": "Int", "int64": "Long"}[dtype]
    a, b = cu(data((2, 3), dtype)), cu(data((3, 4), dtype))
    cases = [(lambda: _C.mm(a, b), "addmm_cuda"), (lambda: _C.matmul(a, b), "addmm_cuda"),
             (lambda: _C.bmm(a[None], b[None]), "baddbmm_cuda"),
             (lambda: _C.mv(a, b[:, 0]), "addmv_impl_cuda"),
             (lambda: _C.dot(a[0], b[:, 0]), "dot")]
    for fn, kernel in cases:
        with pytest.raises(NotImplementedError) as err:
            fn()
        assert str(err.value) == f"\"{kernel}\" not implemented for '{name}'"


@needs_gpu
def test_product_errors():
    same_error(_C.mm, data((2, 3), "float32"), data((4, 5), "float32"))
    same_error(_C.bmm, data((2, 2, 3), "float32"), data((3, 3, 5), "float32"))
    same_error(_C.mv, data((2, 3), "float32"), data((4,), "float32"))
    same_error(_C.dot, data((2,), "float32"), data((3,), "float32"))
    same_error(_C.mm, data((2, 3), "float32"), data((3, 5), "float64"))
    same_error(_C.matmul, data((2, 3, 4), "float32"), data((2, 5, 6), "float32"))
    a, b = cu(data((2, 3), "float32")), data((3, 4), "float32")
    for fn in (lambda: _C.mm(a, b), lambda: _C.matmul(a, b), lambda: _C.mm(b.t(), a.t()),
               lambda: _C.addmm(b[:, :2].t(), a, b), lambda: _C.dot(a[0], b[:, 0])):
        with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
            fn()


# ---- random numbers ----------------------------------------------------------------------------------

def stats(t):
    v = t.cpu().numpy().astype(np.float64).ravel()
    return v, v.mean(), v.std()


N = 1 << 20


@needs_gpu
@pytest.mark.parametrize("dtype", FLOATS)
def test_rand_and_randn(dtype):
    dt = getattr(pytensor, dtype)
    u = pytensor.rand(N, dtype=dt, device="cuda")
    assert u.device.type == "cuda" and u.dtype == dt and tuple(u.shape) == (N,)
    v, mean, sd = stats(u)
    assert v.min() >= 0.0 and v.max() < 1.0
    assert abs(mean - 0.5) < 5 * 0.2887 / math.sqrt(N)
    assert abs(sd - math.sqrt(1 / 12)) < 1e-3
    assert np.histogram(v, bins=10, range=(0, 1))[0].min() > N / 10 * 0.98
    z = pytensor.randn(1024, 1024, dtype=dt, device="cuda")
    assert tuple(z.shape) == (1024, 1024)
    v, mean, sd = stats(z)
    assert np.isfinite(v).all()
    assert abs(mean) < 5 / math.sqrt(N) and abs(sd - 1) < 5e-3
    assert abs(np.mean(np.abs(v) < 1) - 0.682689) < 3e-3
    assert abs(np.corrcoef(v[:-1], v[1:])[0, 1]) < 5e-3  # neighbours independent


@needs_gpu
def test_in_place_samplers_write_every_element_of_any_layout():
    base = pytensor.full((64, 96), float("nan"), device="cuda")
    view = base.t()[::2]  # neither contiguous nor dense
    view.normal_(3.0, 0.5)
    v = base.cpu().numpy()
    written = v.T[::2]
    assert np.isfinite(written).all()
    assert np.isnan(v.T[1::2]).all()  # and nothing else
    assert abs(written.mean() - 3.0) < 0.05 and abs(written.std() - 0.5) < 0.05
    t = pytensor.empty((200, 300), device="cuda").t()
    t.uniform_(-2.0, 3.0)
    v, mean, sd = stats(t)
    assert v.min() >= -2.0 and v.max() < 3.0 and abs(mean - 0.5) < 0.05
    e = pytensor.empty(N, dtype=pytensor.float64, device="cuda").exponential_(4.0)
    v, mean, sd = stats(e)
    assert v.min() >= 0 and abs(mean - 0.25) < 2e-3 and abs(sd - 0.25) < 2e-3


@needs_gpu
@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "float32", "float64"])
def test_randint_and_random_ranges(dtype):
    dt = getattr(pytensor, dtype)
    r = pytensor.randint(-3, 7, (N,), dtype=dt, device="cuda") if dtype != "uint8" else \
        pytensor.randint(3, 13, (N,), dtype=dt, device="cuda")
    assert r.dtype == dt and r.device.type == "cuda"
    lo = -3 if dtype != "uint8" else 3
    v = r.cpu().numpy()
    values, counts = np.unique(v, return_counts=True)
    assert values.tolist() == list(range(lo, lo + 10))
    assert counts.min() > N / 10 * 0.98 and counts.max() < N / 10 * 1.02
    full = pytensor.empty(100_000, dtype=dt, device="cuda").random_()
    v = full.cpu().numpy().astype(np.float64)
    top = {"float32": 2 ** 24, "float64": 2 ** 53}[dtype] if dtype in FLOATS else np.iinfo(dtype).max
    assert v.min() >= 0 and v.max() <= top and v.max() > top / 2
    to = pytensor.empty(100_000, dtype=dt, device="cuda").random_(5)
    assert set(np.unique(to.cpu().numpy()).tolist()) == {0, 1, 2, 3, 4}
    b = pytensor.empty(1000, dtype=pytensor.bool, device="cuda").random_()
    assert set(np.unique(b.cpu().numpy()).tolist()) == {False, True}
    big = pytensor.empty(100_000, dtype=pytensor.int64, device="cuda").random_(-2 ** 63, None)
    assert (big.cpu().numpy() < 0).mean() == pytest.approx(0.5, abs=0.01)


@needs_gpu
def test_bernoulli_and_dropout():
    x = pytensor.empty(N, device="cuda").bernoulli_(0.3)
    v = x.cpu().numpy()
    assert set(np.unique(v).tolist()) == {0.0, 1.0} and abs(v.mean() - 0.3) < 3e-3
    p = pytensor.tensor(np.repeat(np.float32([0.0, 1.0, 0.5, 0.25]), N // 4)).to("cuda")
    s = pytensor.bernoulli(p).cpu().numpy().reshape(4, -1)
    assert (s[0] == 0).all() and (s[1] == 1).all()
    assert abs(s[2].mean() - 0.5) < 5e-3 and abs(s[3].mean() - 0.25) < 5e-3
    y = pytensor.empty((4, N // 4), dtype=pytensor.int64, device="cuda").bernoulli_(
        pytensor.tensor([[0.0], [1.0], [0.5], [0.9]]).to("cuda"))
    w = y.cpu().numpy()
    assert (w[0] == 0).all() and (w[1] == 1).all() and abs(w[3].mean() - 0.9) < 5e-3
    ones = pytensor.ones(N, device="cuda")
    d = pytensor.nn.functional.dropout(ones, 0.25).cpu().numpy()
    assert set(np.unique(d).tolist()) == {0.0, np.float32(1 / 0.75)}
    assert abs((d != 0).mean() - 0.75) < 3e-3


@needs_gpu
def test_normal_with_tensor_arguments():
    mean = pytensor.tensor(np.repeat(np.float32([-5.0, 0.0, 5.0]), N // 4).reshape(3, -1)).to("cuda")
    std = pytensor.tensor([[0.5], [1.0], [2.0]], dtype=pytensor.float64).to("cuda")
    out = pytensor.normal(mean, std)
    assert out.dtype == pytensor.float32 and tuple(out.shape) == (3, N // 4) and out.device.type == "cuda"
    v = out.cpu().numpy()
    for row, (m, s) in enumerate([(-5.0, 0.5), (0.0, 1.0), (5.0, 2.0)]):
        assert abs(v[row].mean() - m) < 5 * s / math.sqrt(N // 4) and abs(v[row].std() - s) < 0.01 * s
    w = pytensor.normal(mean, 3.0).cpu().numpy()
    assert abs(w[2].mean() - 5.0) < 0.05 and abs(w.std(axis=1) - 3.0).max() < 0.03
    z = pytensor.normal(1.0, std.expand(3, 10000)).cpu().numpy()
    assert z.dtype == np.float64 and abs(z[2].std() - 2.0) < 0.1
    same_error(lambda m, s: pytensor.normal(m, s), pytensor.zeros(3), pytensor.tensor([1.0, -1.0, 1.0]))
    same_error(lambda s: pytensor.normal(0.0, s), pytensor.tensor([float("nan")]))
    with pytest.raises(NotImplementedError, match="\"normal_kernel_cuda\" not implemented for 'Long'"):
        pytensor.normal(pytensor.zeros(3, dtype=pytensor.int64, device="cuda"), 1.0)


@needs_gpu
def test_seeding_reproduces_and_launches_do_not_overlap():
    pytensor.manual_seed(1234)
    a = pytensor.rand(1000, device="cuda").cpu().tolist()
    b = pytensor.rand(1000, device="cuda").cpu().tolist()
    assert a != b  # the offset advanced
    pytensor.manual_seed(1234)
    assert pytensor.rand(1000, device="cuda").cpu().tolist() == a
    assert pytensor.rand(1000, device="cuda").cpu().tolist() == b
    pytensor.manual_seed(1235)
    c = pytensor.rand(1000, device="cuda").cpu().numpy()
    assert (c == np.array(a, dtype=np.float32)).mean() < 0.01
    # One launch of 2n values equals two launches of n (no counter is shared or skipped).
    _C._cuda_manual_seed_all(7)
    whole = pytensor.rand(2000, device="cuda").cpu().tolist()
    _C._cuda_manual_seed_all(7)
    halves = pytensor.rand(1000, device="cuda").cpu().tolist() + pytensor.rand(1000, device="cuda").cpu().tolist()
    assert whole == halves
    state = _C._cuda_get_rng_state()
    n1 = pytensor.randn(100, device="cuda").cpu().tolist()
    _C._cuda_set_rng_state(state)
    assert pytensor.randn(100, device="cuda").cpu().tolist() == n1
    _C._cuda_manual_seed(77)
    assert _C._cuda_initial_seed() == 77


@needs_gpu
def test_cuda_draws_leave_the_cpu_stream_alone():
    pytensor.manual_seed(5)
    want = pytensor.rand(10).tolist()
    pytensor.manual_seed(5)
    pytensor.randn(1000, device="cuda")
    assert pytensor.rand(10).tolist() == want


@needs_gpu
def test_sampler_errors_match_the_cpu():
    same_error(lambda t: t.uniform_(), pytensor.zeros(3, dtype=pytensor.int64))
    same_error(lambda t: t.uniform_(2.0, 1.0), pytensor.zeros(3))
    same_error(lambda t: t.normal_(0.0, -1.0), pytensor.zeros(3))
    same_error(lambda t: t.random_(5, 2), pytensor.zeros(3, dtype=pytensor.int64))
    same_error(lambda t: t.random_(0, 300), pytensor.zeros(3, dtype=pytensor.uint8))
    same_error(lambda t: t.bernoulli_(1.5), pytensor.zeros(3))
    same_error(lambda t: t.exponential_(0.0), pytensor.zeros(3))
    same_error(lambda t: t.exponential_(1.0), pytensor.zeros(3, dtype=pytensor.int32))
    same_error(lambda t: t.expand(3).normal_(), pytensor.zeros(1))
    same_error(lambda t: t.bernoulli_(pytensor.tensor([0.5, 2.0])), pytensor.zeros(2))
    with pytest.raises(RuntimeError, match="Expected a 'cuda' device type for generator but found 'cpu'"):
        pytensor.zeros(3, device="cuda").uniform_(generator=pytensor.Generator())
