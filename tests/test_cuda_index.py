"""Indexing on CUDA tensors: every op of the gather/scatter family against the CPU result of the
same pytensor op on the same data (dtype by dtype), including negative and repeated indices,
masks of several shapes, non-contiguous inputs, and the CPU's errors and messages."""
import numpy as np
import pytest

import pytensor
from pytensor import _C


def _cuda_available() -> bool:
    cuda = getattr(pytensor, "cuda", None)
    if cuda is not None and hasattr(cuda, "is_available"):
        return bool(cuda.is_available())
    return _C._cuda_device_count() > 0


pytestmark = pytest.mark.skipif(not _cuda_available(), reason="needs a CUDA GPU")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64"]
# Accumulating dtypes whose GPU adds are native atomics, and the ones that go through CAS.
ACC_DTYPES = ["int8", "int16", "uint8", "int32", "int64", "float32", "float64"]


def data(shape, dtype="float32", seed=0):
    """Small integer values in every dtype, so sums are exact whatever the order of atomics."""
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return pytensor.tensor(rng.random(shape) < 0.5)
    lo = 0 if dtype == "uint8" else -5
    return pytensor.tensor(rng.integers(lo, 6, size=shape).astype(dtype))


def longs(values):
    return pytensor.tensor(np.asarray(values, dtype=np.int64))


def cu(t):
    return t.to("cuda")


def check(gpu, cpu):
    """The CUDA result equals the CPU one: device, dtype, shape and values."""
    assert gpu.device.type == "cuda"
    g = gpu.cpu().numpy()
    c = cpu.numpy()
    assert g.dtype == c.dtype
    assert g.shape == c.shape
    np.testing.assert_array_equal(g, c)


def same_error(fn, cpu_args, gpu_args):
    """fn raises the same exception class and message on the CPU and on the GPU."""
    with pytest.raises(Exception) as cpu_err:
        fn(*cpu_args)
    with pytest.raises(type(cpu_err.value)) as gpu_err:
        fn(*gpu_args)
    assert str(gpu_err.value) == str(cpu_err.value)


# ---- getitem --------------------------------------------------------------------------------

SUBSCRIPTS = [
    lambda: (longs([0, 2, -1, 2]),),
    lambda: (slice(None), longs([1, -1, 0])),
    lambda: (longs([[0, 1], [2, 0]]), slice(1, None)),
    lambda: (longs([0, 2]), longs([1, 3])),
    lambda: (longs([0, 2]), slice(None), longs([-1, 0])),  # separated: index dims go first
    lambda: (None, longs([1, 1]), Ellipsis),
    lambda: (Ellipsis, longs([[0], [3]])),
    lambda: (True, longs([0])),
    lambda: (longs(2),),  # a 0-d index tensor acts as a number
    lambda: ([0, 2, 2],),  # a Python list, built on the indexed tensor's device
    lambda: ([[0, 1], [1, 0]], [2, 3]),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", range(len(SUBSCRIPTS)))
def test_getitem_index_tensors(dtype, k):
    x = data((3, 4, 5), dtype, seed=k)
    index = SUBSCRIPTS[k]()
    gpu_index = tuple(cu(i) if isinstance(i, pytensor.Tensor) else i for i in index)
    check(cu(x)[gpu_index], x[index])


def test_getitem_cpu_index_tensor_on_cuda_tensor():
    x = data((4, 5), "float32")
    idx = longs([3, -4, 1])
    check(cu(x)[idx], x[idx])
    check(cu(x)[idx, idx], x[idx, idx])


def test_getitem_int32_index():
    x = data((6, 3), "int64")
    idx = pytensor.tensor(np.array([5, 0, -2], dtype=np.int32))
    check(cu(x)[cu(idx)], x[idx])


@pytest.mark.parametrize("dtype", ["float32", "int16", "bool"])
def test_getitem_non_contiguous(dtype):
    x = data((6, 7, 4), dtype)
    views = [lambda t: t.transpose(0, 2), lambda t: t[::2, 1:, ::3], lambda t: t.permute(1, 2, 0)]
    for view in views:
        idx = longs([0, -1, 1, 0])
        check(view(cu(x))[cu(idx)], view(x)[idx])
        check(view(cu(x))[:, cu(idx)], view(x)[:, idx])


MASK_SHAPES = [(6,), (6, 5), (6, 5, 4)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mask_shape", MASK_SHAPES)
def test_getitem_bool_mask(dtype, mask_shape):
    x = data((6, 5, 4), dtype, seed=1)
    mask = data(mask_shape, "bool", seed=2)
    check(cu(x)[cu(mask)], x[mask])
    check(cu(x)[mask], x[mask])  # a CPU mask is uploaded


@pytest.mark.parametrize("dtype", ["float64", "int8"])
def test_getitem_mask_not_leading_and_mixed(dtype):
    x = data((6, 5, 4), dtype, seed=3)
    m = data((5,), "bool", seed=4)
    check(cu(x)[:, cu(m)], x[:, m])
    m2 = data((5, 4), "bool", seed=5)
    check(cu(x)[1:, cu(m2)], x[1:, m2])
    idx = longs([0, 5, -1])
    m3 = pytensor.tensor(np.array([True, False, True, True, False]))  # 3 selected: broadcasts with idx
    check(cu(x)[cu(idx), cu(m3)], x[idx, m3])
    check(cu(x)[cu(data((6,), "bool", seed=6)), 2], x[data((6,), "bool", seed=6), 2])


def test_getitem_uint8_mask_and_python_bools():
    x = data((4, 3), "float32")
    m = pytensor.tensor(np.array([1, 0, 1, 1], dtype=np.uint8))
    check(cu(x)[cu(m)], x[m])
    check(cu(x)[False], x[False])
    check(cu(x)[[True, False, True, False]], x[[True, False, True, False]])


def test_getitem_mask_all_and_none_selected_and_empty():
    x = data((5, 3), "float32")
    for m in (np.ones(5, bool), np.zeros(5, bool)):
        mask = pytensor.tensor(m)
        check(cu(x)[cu(mask)], x[mask])
    e = data((0, 3), "float32")
    em = pytensor.tensor(np.zeros(0, bool))
    check(cu(e)[cu(em)], e[em])
    check(cu(e)[cu(longs([]))], e[longs([])])


@pytest.mark.parametrize("n", [1, 4095, 4096, 4097, 100_003])
def test_getitem_mask_row_major_order_across_tiles(n):
    # The compaction works in tiles of 4096 positions: sizes around it, and many tiles.
    x = pytensor.tensor(np.arange(n, dtype=np.float64))
    mask = data((n,), "bool", seed=n)
    check(cu(x)[cu(mask)], x[mask])
    x2 = pytensor.tensor(np.arange(2 * n, dtype=np.int64).reshape(2, n)).transpose(0, 1)  # [n, 2], strided
    check(cu(x2)[cu(mask)], x2[mask])


# ---- setitem / index_put_ -------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_setitem_index_tensor_number_and_tensor(dtype):
    x = data((5, 4), dtype)
    idx = longs([4, -5, 2])  # unique positions: copies onto repeated ones pick any writer on GPU
    g = cu(x)
    c = x.clone()
    g[cu(idx)] = 1
    c[idx] = 1
    check(g, c)
    v = data((3, 4), dtype, seed=9)
    g[cu(idx), :] = cu(v)
    c[idx, :] = v
    check(g, c)
    row = data((4,), dtype, seed=10)
    g[cu(idx)] = cu(row)  # broadcast value
    c[idx] = row
    check(g, c)
    g[:, [1, 3]] = 0
    c[:, [1, 3]] = 0
    check(g, c)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mask_shape", MASK_SHAPES[:2])
def test_setitem_bool_mask(dtype, mask_shape):
    x = data((6, 5), dtype)
    mask = data(mask_shape, "bool", seed=3)
    g, c = cu(x), x.clone()
    g[cu(mask)] = 1
    c[mask] = 1
    check(g, c)
    count = int(mask.numpy().sum())
    shape = (count,) + (6, 5)[len(mask_shape):]
    v = data(shape, dtype, seed=4)
    g[cu(mask)] = cu(v)
    c[mask] = v
    check(g, c)


def test_setitem_non_contiguous_target():
    x = data((6, 8), "float32")
    g, c = cu(x), x.clone()
    gv, cv = g.transpose(0, 1)[::2], c.transpose(0, 1)[::2]
    idx = longs([3, 0, -3])  # distinct rows: with repeats, which write wins is unspecified on CUDA
    gv[cu(idx)] = cu(data((3, 6), "float32", seed=2))
    cv[idx] = data((3, 6), "float32", seed=2)
    check(g, c)
    mask = data((4, 6), "bool", seed=5)
    gv[cu(mask)] = -7.0
    cv[mask] = -7.0
    check(g, c)


def test_setitem_value_devices():
    x = data((4, 3), "float32")
    g, c = cu(x), x.clone()
    idx = longs([0, 2])
    g[cu(idx)] = pytensor.tensor(5.0)  # a 0-d CPU value is moved, as torch does
    c[idx] = pytensor.tensor(5.0)
    check(g, c)
    with pytest.raises(RuntimeError, match="expected device cuda:0 but got device cpu for value tensor"):
        g[cu(idx)] = data((2, 3), "float32")
    check(g, c)


@pytest.mark.parametrize("dtype", ACC_DTYPES + ["bool"])
def test_index_put_accumulate_repeated_indices(dtype):
    x = data((5, 3), dtype)
    idx = longs([1, 1, -4, 0, 1, 4])
    v = data((6, 3), dtype, seed=1)
    check(pytensor.index_put(cu(x), (cu(idx),), cu(v), True), pytensor.index_put(x, (idx,), v, True))
    g, c = cu(x), x.clone()
    g.index_put_((cu(idx), cu(longs([0, 2, 2, 1, 0, 0]))), cu(v[:, 0]), accumulate=True)
    c.index_put_((idx, longs([0, 2, 2, 1, 0, 0])), v[:, 0], accumulate=True)
    check(g, c)


def test_index_put_mask_accumulate_and_errors():
    x = data((4, 3), "float32")
    mask = data((4, 3), "bool", seed=2)
    v = pytensor.tensor(np.full(int(mask.numpy().sum()), 2.0, dtype=np.float32))
    check(pytensor.index_put(cu(x), (cu(mask),), cu(v), True), pytensor.index_put(x, (mask,), v, True))
    same_error(lambda t, i, val: t.index_put_((i,), val), (x, longs([0]), data((1,), "float64")),
               (cu(x), cu(longs([0])), cu(data((1,), "float64"))))


@pytest.mark.parametrize("subscript", [
    lambda: (longs([0, 2, 0]),),
    lambda: (slice(None), longs([[1, 1], [0, 2]])),
    lambda: (data((4,), "bool", seed=1),),
    lambda: (longs([1, 3]), longs([2, 2])),
    lambda: (slice(1, None), 0),
])
def test_getitem_backward(subscript):
    index = subscript()
    x = data((4, 3), "float32")
    shape = tuple(x[index].shape)
    grad = pytensor.tensor(np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape))
    gpu_index = tuple(cu(i) if isinstance(i, pytensor.Tensor) else i for i in index)
    check(_C.getitem_backward(cu(grad), [4, 3], gpu_index), _C.getitem_backward(grad, [4, 3], index))


def test_autograd_through_cuda_indexing():
    # The gradients of getitem, gather and index_select are the scatters above, on the device.
    x_np = np.random.default_rng(4).standard_normal((5, 4)).astype(np.float32)
    cases = [  # fn(t, on) with `on` putting index tensors where t is
        (lambda t, on: t[on(longs([0, 3, 0]))], (3, 4)),
        (lambda t, on: t[on(longs([4, 4])), 1:], (2, 3)),
        (lambda t, on: t.gather(1, on(longs([[0], [3], [3], [1], [0]]))), (5, 1)),
        (lambda t, on: t.index_select(0, on(longs([2, 2, 1]))), (3, 4)),
    ]
    for fn, out_shape in cases:
        grad = pytensor.tensor(np.arange(int(np.prod(out_shape)), dtype=np.float32).reshape(out_shape))
        xc = pytensor.tensor(x_np, requires_grad=True)
        fn(xc, lambda i: i).backward(grad)
        xg = cu(pytensor.tensor(x_np)).requires_grad_(True)
        fn(xg, cu).backward(cu(grad))
        check(xg.grad, xc.grad)


# ---- dim-wise gathers -----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_index_select(dtype):
    x = data((4, 5, 3), dtype)
    for dim, idx in [(0, [3, 0, 3, 1]), (1, [4, 4, 0]), (-1, [2, 0]), (2, [])]:
        i = longs(idx)
        check(pytensor.index_select(cu(x), dim, cu(i)), pytensor.index_select(x, dim, i))
    i = longs([1, 0])
    check(cu(x).transpose(0, 2).index_select(1, cu(i)), x.transpose(0, 2).index_select(1, i))  # non-contiguous
    i32 = pytensor.tensor(np.array([2, 1], dtype=np.int32))
    check(pytensor.index_select(cu(x), 0, cu(i32)), pytensor.index_select(x, 0, i32))
    s = data((), dtype)
    check(pytensor.index_select(cu(s), 0, cu(longs([0]))), pytensor.index_select(s, 0, longs([0])))


@pytest.mark.parametrize("dtype", DTYPES)
def test_gather(dtype):
    x = data((4, 5), dtype)
    idx = pytensor.tensor(np.random.default_rng(0).integers(0, 4, size=(3, 5)))
    check(pytensor.gather(cu(x), 0, cu(idx)), pytensor.gather(x, 0, idx))
    idx1 = pytensor.tensor(np.random.default_rng(1).integers(0, 5, size=(4, 2)))
    check(pytensor.gather(cu(x), 1, cu(idx1)), pytensor.gather(x, 1, idx1))
    check(cu(x).t().gather(0, cu(idx1)), x.t().gather(0, idx1))  # non-contiguous input


def test_gather_nll_loss_pattern():
    # What cross_entropy / nll_loss do: pick each row's target, and scatter gradients back.
    rng = np.random.default_rng(3)
    logp = pytensor.tensor(rng.standard_normal((64, 10)).astype(np.float32))
    target = pytensor.tensor(rng.integers(0, 10, size=(64, 1)))
    check(cu(logp).gather(1, cu(target)), logp.gather(1, target))
    grad = pytensor.tensor(np.full((64, 1), -1.0 / 64, dtype=np.float32))
    zeros = pytensor.zeros(64, 10)
    check(pytensor.scatter_add(cu(zeros), 1, cu(target), cu(grad)), pytensor.scatter_add(zeros, 1, target, grad))


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8"])
def test_take_and_take_along_dim(dtype):
    x = data((3, 4), dtype)
    idx = longs([[0, -1], [11, 5]])
    check(pytensor.take(cu(x), cu(idx)), pytensor.take(x, idx))
    check(pytensor.take(cu(x).t(), cu(idx)), pytensor.take(x.t(), idx))
    ind = pytensor.tensor(np.random.default_rng(2).integers(-4, 4, size=(3, 2)))
    check(pytensor.take_along_dim(cu(x), cu(ind), 1), pytensor.take_along_dim(x, ind, 1))
    flat = longs([0, 11, 3])
    check(pytensor.take_along_dim(cu(x), cu(flat)), pytensor.take_along_dim(x, flat))
    b = longs([[1], [0], [2]])  # broadcast along the other dim
    check(pytensor.take_along_dim(cu(x), cu(b), 1), pytensor.take_along_dim(x, b, 1))


# ---- dim-wise scatters ----------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_scatter_src_and_value(dtype):
    x = data((4, 5), dtype)
    src = data((2, 5), dtype, seed=1)
    idx = longs([[0, 1, 2, 3, 0], [3, 2, 1, 0, 1]])  # unique per column: copies are deterministic
    check(pytensor.scatter(cu(x), 0, cu(idx), cu(src)), pytensor.scatter(x, 0, idx, src))
    check(cu(x).scatter(0, cu(idx), value=1), x.scatter(0, idx, value=1))
    g, c = cu(x), x.clone()
    g.scatter_(1, cu(longs([[4], [0], [2], [1]])), 0)
    c.scatter_(1, longs([[4], [0], [2], [1]]), 0)
    check(g, c)


@pytest.mark.parametrize("dtype", ACC_DTYPES + ["bool"])
def test_scatter_add_and_reduce_repeated_indices(dtype):
    x = data((3, 4), dtype)
    src = data((5, 4), dtype, seed=7)
    idx = pytensor.tensor(np.random.default_rng(5).integers(0, 3, size=(5, 4)))
    if dtype != "bool":
        check(pytensor.scatter_add(cu(x), 0, cu(idx), cu(src)), pytensor.scatter_add(x, 0, idx, src))
    check(cu(x).scatter(0, cu(idx), cu(src), reduce="add"), x.scatter(0, idx, src, reduce="add"))
    check(cu(x).scatter(0, cu(idx), cu(src), reduce="multiply"), x.scatter(0, idx, src, reduce="multiply"))
    g, c = cu(x), x.clone()
    g.scatter_(0, cu(idx), 2, reduce="multiply")
    c.scatter_(0, idx, 2, reduce="multiply")
    check(g, c)


def test_scatter_add_large_float_sum():
    # Many atomics onto few elements: values are small integers, so the sums are exact.
    rng = np.random.default_rng(0)
    src = pytensor.tensor(rng.integers(-3, 4, size=(200_000,)).astype(np.float32))
    idx = pytensor.tensor(rng.integers(0, 7, size=(200_000,)))
    z = pytensor.zeros(7)
    check(pytensor.scatter_add(cu(z), 0, cu(idx), cu(src)), pytensor.scatter_add(z, 0, idx, src))


@pytest.mark.parametrize("dtype", ACC_DTYPES)
def test_index_add(dtype):
    x = data((4, 3), dtype)
    src = data((5, 3), dtype, seed=2)
    idx = longs([0, 3, 0, 1, 3])
    check(pytensor.index_add(cu(x), 0, cu(idx), cu(src)), pytensor.index_add(x, 0, idx, src))
    check(cu(x).index_add(1, cu(longs([2, 2, 0, 1])), cu(data((4, 4), dtype, seed=3)), alpha=2),
          x.index_add(1, longs([2, 2, 0, 1]), data((4, 4), dtype, seed=3), alpha=2))
    g, c = cu(x).t(), x.clone().t()
    g.index_add_(0, cu(longs([1, 1])), cu(data((2, 4), dtype, seed=4)))
    c.index_add_(0, longs([1, 1]), data((2, 4), dtype, seed=4))
    check(g, c)


@pytest.mark.parametrize("dtype", DTYPES)
def test_index_copy_and_index_fill(dtype):
    x = data((5, 3), dtype)
    src = data((3, 3), dtype, seed=1)
    idx = longs([4, 0, 2])
    check(pytensor.index_copy(cu(x), 0, cu(idx), cu(src)), pytensor.index_copy(x, 0, idx, src))
    check(cu(x).index_fill(1, cu(longs([-1, 0])), 1), x.index_fill(1, longs([-1, 0]), 1))
    value = data((), dtype, seed=3)
    check(cu(x).index_fill(0, cu(longs([1, 1])), cu(value)), x.index_fill(0, longs([1, 1]), value))
    check(cu(x).index_fill(0, cu(longs([3])), value), x.index_fill(0, longs([3]), value))  # 0-d CPU value


# ---- masks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_masked_select_fill_scatter(dtype):
    x = data((4, 5), dtype)
    for mask_shape in [(4, 5), (5,), (4, 1), (3, 4, 5)]:
        mask = data(mask_shape, "bool", seed=len(mask_shape))
        check(pytensor.masked_select(cu(x), cu(mask)), pytensor.masked_select(x, mask))
        check(pytensor.masked_fill(cu(x), cu(mask), 1), pytensor.masked_fill(x, mask, 1))
        src = data((60,), dtype, seed=9)
        check(pytensor.masked_scatter(cu(x), cu(mask), cu(src)), pytensor.masked_scatter(x, mask, src))
    mask = data((4, 5), "bool", seed=8)
    check(cu(x).t().masked_select(cu(mask).t()), x.t().masked_select(mask.t()))
    g, c = cu(x).t(), x.clone().t()
    g.masked_fill_(cu(mask).t(), cu(data((), dtype, seed=1)))
    c.masked_fill_(mask.t(), data((), dtype, seed=1))
    check(g, c)
    g.masked_fill_(cu(mask).t(), data((), dtype, seed=2))  # a 0-d CPU value
    c.masked_fill_(mask.t(), data((), dtype, seed=2))
    check(g, c)


@pytest.mark.parametrize("dtype", DTYPES)
def test_nonzero_argwhere(dtype):
    for shape in [(), (7,), (4, 5), (3, 1, 4, 2), (0, 3)]:
        x = data(shape, dtype, seed=len(shape))
        check(pytensor.nonzero(cu(x)), pytensor.nonzero(x))
        check(pytensor.argwhere(cu(x)), pytensor.argwhere(x))
        for g, c in zip(pytensor.nonzero(cu(x), as_tuple=True), pytensor.nonzero(x, as_tuple=True)):
            check(g, c)
    check(pytensor.nonzero(cu(data((6, 7), dtype)).t()), pytensor.nonzero(data((6, 7), dtype).t()))


def test_nonzero_float_signed_zero_and_nan():
    x = pytensor.tensor(np.array([0.0, -0.0, np.nan, 1e-45, -2.0], dtype=np.float32))
    check(pytensor.nonzero(cu(x)), pytensor.nonzero(x))
    x64 = pytensor.tensor(np.array([-0.0, 5e-324, 0.0, np.inf], dtype=np.float64))
    check(pytensor.nonzero(cu(x64)), pytensor.nonzero(x64))


def test_nonzero_large_many_tiles():
    rng = np.random.default_rng(11)
    x = pytensor.tensor((rng.random((301, 1003)) < 0.3).astype(np.int16))
    check(pytensor.nonzero(cu(x)), pytensor.nonzero(x))
    check(pytensor.nonzero(cu(x)[:, ::3]), pytensor.nonzero(x[:, ::3]))


# ---- errors ---------------------------------------------------------------------------------

def test_out_of_range_errors_match_cpu_and_write_nothing():
    x = data((4, 3), "float32")
    g = cu(x)
    cases = [
        (lambda t, i: t[i], longs([0, 4])),
        (lambda t, i: t[i], longs([-5])),
        (lambda t, i: t[:, i], longs([[1], [3]])),
        (lambda t, i: t.index_select(0, i), longs([4])),
        (lambda t, i: t.gather(1, i), longs([[0], [3], [0], [0]])),
        (lambda t, i: t.gather(1, i), longs([[0], [-1], [0], [0]])),
        (lambda t, i: t.take(i), longs([12])),
        (lambda t, i: t.take_along_dim(i, 0), longs([[4, 0, 0]])),
        (lambda t, i: t.scatter_(0, i, 1.0), longs([[0, 5, 0]])),
        (lambda t, i: t.scatter_add_(0, i, t), longs([[0, 1, -1]])),
        (lambda t, i: t.index_add_(0, i, t[:1]), longs([7])),
        (lambda t, i: t.index_copy_(0, i, t[:1]), longs([4])),
        (lambda t, i: t.index_fill_(1, i, 0), longs([3])),
        (lambda t, i: t.index_put_((i,), t[:1], accumulate=True), longs([4])),
    ]
    for fn, idx in cases:
        same_error(fn, (x.clone(), idx), (g, cu(idx)))
    check(g, x)  # nothing was written


def test_device_mismatch_errors():
    x = data((4, 3), "float32")
    idx = longs([0, 1])
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        cu(x).index_select(0, idx)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        cu(x).gather(0, longs([[0, 1, 0]]))
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x.index_select(0, cu(idx))
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        cu(x).scatter_add(0, cu(longs([[0, 1, 0]])), x)
    with pytest.raises(RuntimeError, match="expected self and mask to be on the same device"):
        cu(x).masked_fill_(data((4, 3), "bool"), 0)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        cu(x).masked_select(data((4, 3), "bool"))
    with pytest.raises(IndexError, match=r"indices should be either on cpu or on the same device as the indexed "
                                         r"tensor \(cpu\)"):
        x[cu(idx)]


def test_shape_and_dtype_errors_match_cpu():
    x = data((4, 3), "float32")
    i, j = longs([0, 1]), longs([0, 1, 2])
    same_error(lambda t, a, b: t[a, b], (x, i, j), (cu(x), cu(i), cu(j)))
    same_error(lambda t, m: t[m], (x, data((3,), "bool")), (cu(x), cu(data((3,), "bool"))))
    same_error(lambda t, i: t.index_select(0, i), (x, data((2,), "float32")), (cu(x), cu(data((2,), "float32"))))
    same_error(lambda t, m: t.masked_fill_(m, 1), (x, data((4, 3), "uint8")), (cu(x), cu(data((4, 3), "uint8"))))
    same_error(lambda t, i, s: t.masked_scatter_(i, s), (x, data((4, 3), "bool"), data((1,), "float32")),
               (cu(x), cu(data((4, 3), "bool")), cu(data((1,), "float32"))))
