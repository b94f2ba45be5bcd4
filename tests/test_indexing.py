"""Indexing: ``t[...]``, ``t[...] = v`` and the gather/scatter family, against numpy and torch.

Reference semantics are torch's: integers (and 0-d integer tensors) select first, then the
remaining advanced indices follow numpy's rules. ``np_getitem``/``np_setitem`` compute exactly
that with numpy in two steps (basic, then advanced), so every index form is checked against
numpy; the torch tests compare the same indices with real torch when it is installed.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import pytest
from conftest import ALL_DTYPES, assert_close, np_dtype, same_storage, to_numpy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import pytensor

pt = pytensor


# ---- reference semantics with numpy ------------------------------------------------------------

def _items(index: Any) -> tuple:
    if isinstance(index, list) and any(
            isinstance(i, (list, tuple, slice, pt.Tensor, np.ndarray)) or i is None or i is Ellipsis
            for i in index):
        return tuple(index)  # torch reads such a list as a tuple of items
    return index if isinstance(index, tuple) else (index,)


def _to_np_item(it: Any) -> Any:
    if isinstance(it, pt.Tensor):
        arr = to_numpy(it)
        if arr.dtype == np.uint8:  # torch reads uint8 index tensors as masks
            arr = arr != 0
        if arr.ndim == 0:  # 0-d tensors act as the number they hold
            return builtins.bool(arr) if arr.dtype == np.bool_ else int(arr)
        return arr
    if isinstance(it, list):
        return np.array(it, dtype=np.int64 if not it or not all(isinstance(v, bool) for v in it) else bool)
    return it


def _split(index: Any) -> tuple[tuple, tuple]:
    """torch's order: integers/slices/None apply first (step 1), then advanced items (step 2)."""
    step1, step2 = [], []
    for it in map(_to_np_item, _items(index)):
        if isinstance(it, np.ndarray):
            step1.extend([slice(None)] * (it.ndim if it.dtype == np.bool_ else 1))
            step2.append(it)
        elif isinstance(it, bool):
            step2.append(it)
        elif isinstance(it, (int, np.integer)):
            step1.append(it)
        elif it is None:
            step1.append(None)
            step2.append(slice(None))
        elif it is Ellipsis:
            step1.append(Ellipsis)
            step2.append(Ellipsis)
        else:  # slice
            step1.append(it)
            step2.append(slice(None))
    return tuple(step1), tuple(step2)


def np_getitem(a: np.ndarray, index: Any) -> np.ndarray:
    s1, s2 = _split(index)
    return a[s1][s2]


def np_setitem(a: np.ndarray, index: Any, value: Any) -> None:
    s1, s2 = _split(index)
    view = a[s1 if Ellipsis in s1 else s1 + (Ellipsis,)]  # an array view even when 0-d
    view[s2] = value


def numpy_agrees(index: Any) -> bool:
    """numpy places advanced dims differently from torch in two corners, left to the torch test:
    an Ellipsis between advanced indices separates them even when it stands for no dim, and a
    Python bool next to other advanced indices (x[None, idx, ..., False])."""
    items = [_to_np_item(i) for i in _items(index)]
    adv = [isinstance(i, (bool, np.ndarray)) for i in items]
    if any(i is Ellipsis for i in items):
        e = next(k for k, i in enumerate(items) if i is Ellipsis)
        if any(adv[:e]) and any(adv[e + 1:]):
            return False
    has_bool = any(isinstance(i, bool) for i in items)
    return not has_bool or sum(adv) == 1


def torch_index(torch: Any, index: Any) -> Any:
    def conv(it: Any) -> Any:
        if isinstance(it, pt.Tensor):
            return torch.from_numpy(to_numpy(it))
        return it
    return tuple(conv(i) for i in index) if isinstance(index, tuple) else conv(index)


def make(shape: tuple[int, ...], dtype: pt.dtype = pt.float32) -> tuple[pt.Tensor, np.ndarray]:
    a = (np.arange(int(np.prod(shape))) % 97).reshape(shape).astype(np_dtype(dtype))
    return pt.tensor(a, dtype=dtype), a


def T(values: Any, dtype: pt.dtype = pt.int64) -> pt.Tensor:
    return pt.tensor(values, dtype=dtype)


# ---- basic indexing: views ------------------------------------------------------------------

BASIC = [
    0, -1, 2, (1, 2), (-1, -1, -1), slice(None), slice(1, 3), slice(None, None, 2), slice(-3, None),
    slice(5, 1), slice(-100, 100, 3), (slice(None), 1), (Ellipsis, 0), (0, Ellipsis), (None,),
    (None, 0, None), (Ellipsis, None), (slice(None), None, slice(1, 2)), Ellipsis, (), (1, slice(0, 4, 3), -2),
    (Ellipsis, slice(None, None, 2), None, 1),
]


@pytest.mark.parametrize("index", BASIC)
def test_basic_index_is_a_view(index: Any) -> None:
    t, a = make((3, 4, 5))
    r = t[index]
    assert_close(r, a[index])
    assert same_storage(r, t)
    if r.numel():  # a write through the view reaches the base
        r.fill_(-7)
        b = a.copy()
        b[index] = -7
        assert_close(t, b)


def test_basic_index_strided_base() -> None:
    t, a = make((6, 8))
    tv, av = t[1::2, ::3].transpose(0, 1), a[1::2, ::3].T
    for index in [0, (slice(None), 1), (slice(1, None), slice(None, None, 2)), (None, Ellipsis, -1)]:
        assert_close(tv[index], av[index])


def test_int_like_indices() -> None:
    t, a = make((4, 3))
    assert_close(t[np.int64(2)], a[2])
    assert_close(t[np.int32(-1), np.int16(1)], a[-1, 1])
    r = t[T(2)]  # a 0-d integer tensor selects, as torch: a view
    assert_close(r, a[2])
    assert same_storage(r, t)
    assert_close(t[T(1, pt.int32), T(-1)], a[1, -1])
    assert_close(t[slice(T(1), T(3))], a[1:3])


def test_zero_dim_tensor() -> None:
    t = pt.tensor(5.0)
    assert_close(t[...], np.array(5.0, np.float32))
    assert_close(t[None], np.array([5.0], np.float32))
    assert_close(t[None, None, ...], np.array([[5.0]], np.float32))
    assert_close(t[True], np.array([5.0], np.float32))
    assert_close(t[False], np.zeros((0,), np.float32))
    assert_close(t[T(True, pt.bool)], np.array([5.0], np.float32))
    assert same_storage(t[...], t)


# ---- advanced indexing ----------------------------------------------------------------------

ADVANCED = [
    [0, 2],
    [[0, 1], [2, 0]],  # torch reads a list of lists as a tuple: t[[0, 1], [2, 0]]
    (T([0, 2, 2, -1]),),
    (T([[1], [0]]), T([0, 3, 1])),  # broadcasting index tensors
    (slice(None), T([3, 0])),
    (T([1, 0]), slice(None), T([4, 0])),  # separated by a slice: advanced dims go first
    (0, slice(None), T([1, 2])),  # torch: the integer selects first
    (T([1, 2]), slice(None), 0),
    (slice(1, None), T([[0, 1]]), slice(None, None, 2)),
    (None, T([0, 2]), None, T([1, 1])),
    (Ellipsis, T([0, 4])),
    (T([0, 2]), Ellipsis, T([4, 3])),
    (True, T([0, 1])),
    (T([1, 2]), True),
    (slice(None), True, T([0, 3])),
    (False,),
    (T([], pt.int64),),
    (T([0, 1], pt.int32), T([1, 2], pt.int32)),
    (T([1, 0, 2], pt.uint8),),  # uint8 is a mask
    (T([True, False, True], pt.bool),),
    (T([[True, False, True, True], [False] * 4, [True] * 4], pt.bool),),
    (slice(None), T([[True] * 5, [False] * 5, [True, False] * 2 + [True], [False] * 5], pt.bool)),
    (T([True, False, True], pt.bool), 1),
    (T([True, False, True], pt.bool), slice(None), T([0, 4])),
    (Ellipsis, T([True, False, True, False, True], pt.bool)),
    (None, T([False, True, True], pt.bool), None),
    (T([True, False, True], pt.bool), T([0, 3])),
    ([True, False, True],),
]


@pytest.mark.parametrize("index", ADVANCED, ids=range(len(ADVANCED)))
def test_advanced_index_copies(index: Any) -> None:
    t, a = make((3, 4, 5))
    r = t[index]
    assert_close(r, np_getitem(a, index))
    if r.numel():
        assert not same_storage(r, t)
        r.fill_(-1)  # a copy: the base is unchanged
        assert_close(t, a)


@pytest.mark.parametrize("index", ADVANCED, ids=range(len(ADVANCED)))
def test_advanced_index_matches_torch(torch: Any, index: Any) -> None:
    t, a = make((3, 4, 5))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.from_numpy(a)[torch_index(torch, index)]
    assert_close(t[index], expected)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_every_dtype(dtype: pt.dtype) -> None:
    t, a = make((4, 6), dtype)
    for index in [1, (slice(None), 2), (T([3, 0, 3]),), (slice(None), T([5, 1])), (T([True, False, True, True], pt.bool),)]:
        assert_close(t[index], np_getitem(a, index))
    idx = T([2, 0])
    t[idx] = 1
    np_setitem(a, (to_numpy(idx),), 1)
    assert_close(t, a)


def test_numpy_array_and_tuple_indices() -> None:
    t, a = make((5, 3))
    assert_close(t[np.array([4, 0, 4])], a[[4, 0, 4]])
    assert_close(t[np.array([True, False, True, False, True])], a[[True, False, True, False, True]])
    assert_close(t[(1, 2)], a[1, 2])


def test_nd_mask_over_noncontiguous() -> None:
    t, a = make((4, 6, 5))
    tv, av = t.transpose(0, 2)[:, 1:], a.transpose(2, 1, 0)[:, 1:]
    m = (av % 3) == 0
    assert_close(tv[pt.tensor(m)], av[m])
    m2 = m[:, :, 0]
    assert_close(tv[pt.tensor(m2)], av[m2])
    assert_close(tv[:, pt.tensor(m[0])], av[:, m[0]])


def test_large_gather_matches_numpy() -> None:
    a = np.random.default_rng(0).standard_normal((20000, 16)).astype(np.float32)
    idx = np.random.default_rng(1).integers(-20000, 20000, 50000)
    t = pt.tensor(a)
    assert_close(t[pt.tensor(idx)], a[idx])
    assert_close(t[:, pt.tensor(idx[:100] % 16)], a[:, idx[:100] % 16])
    flat = a.reshape(-1)
    assert_close(pt.tensor(flat)[pt.tensor(idx)], flat[idx])
    m = a > 0.5
    assert_close(t[pt.tensor(m)], a[m])
    assert_close(t[pt.tensor(m[:, 0])], a[m[:, 0]])


# ---- hypothesis: random index tuples against the numpy reference ----------------------------

@st.composite
def index_cases(draw: Any) -> tuple[tuple[int, ...], tuple]:
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=0, max_size=4)))
    bshape = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=2)))

    def one(avail: tuple[int, ...], from_back: bool) -> tuple[Any, int]:
        """An item indexing the first (or, after an Ellipsis, the last) dims of `avail`."""
        kinds = ["none", "bool"] + (["int", "zerod", "slice", "slice", "array", "mask"] if avail else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "none":
            return None, 0
        if kind == "bool":
            return draw(st.booleans()), 0
        if kind == "mask":
            k = draw(st.integers(1, min(2, len(avail))))
            ms = avail[-k:] if from_back else avail[:k]
            vals = draw(st.lists(st.booleans(), min_size=int(np.prod(ms)), max_size=int(np.prod(ms))))
            return T(np.array(vals, dtype=bool).reshape(ms), pt.bool), k
        size = avail[-1] if from_back else avail[0]
        if kind == "slice" or (size == 0 and kind != "array"):
            bound = st.one_of(st.none(), st.integers(-6, 6))
            return slice(draw(bound), draw(bound), draw(st.one_of(st.none(), st.integers(1, 3)))), 1
        if kind in ("int", "zerod"):
            v = draw(st.integers(-size, size - 1))
            return (v if kind == "int" else T(v)), 1
        if size == 0:
            return T([], pt.int64), 1
        sub = bshape[draw(st.integers(0, len(bshape))):]
        sub = tuple(s if draw(st.booleans()) else 1 for s in sub)
        n = int(np.prod(sub))
        vals = draw(st.lists(st.integers(-size, size - 1), min_size=n, max_size=n))
        return T(np.array(vals, dtype=np.int64).reshape(sub)), 1

    front: list[Any] = []
    back: list[Any] = []
    lo, hi = 0, len(shape)
    for _ in range(draw(st.integers(0, 3))):
        item, used = one(shape[lo:hi], False)
        front.append(item)
        lo += used
    ellipsis = draw(st.booleans())
    if ellipsis:
        for _ in range(draw(st.integers(0, 2))):
            item, used = one(shape[lo:hi], True)
            back.insert(0, item)
            hi -= used
    return shape, tuple(front) + ((Ellipsis,) if ellipsis else ()) + tuple(back)


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(index_cases())
def test_getitem_random(case: Any) -> None:
    shape, index = case
    assume(numpy_agrees(index))
    t, a = make(shape)
    try:
        expected = np_getitem(a, index)
    except IndexError:
        with pytest.raises(IndexError):
            t[index]
        return
    r = t[index]
    assert_close(r, expected)


@SETTINGS
@given(index_cases(), st.booleans(), st.booleans())
def test_setitem_random(case: Any, scalar: bool, transposed: bool) -> None:
    shape, index = case
    assume(numpy_agrees(index))
    if transposed:  # write through a non-contiguous view of a base
        base_t, base_a = make(shape[::-1])
        t, a = base_t.permute(*range(len(shape) - 1, -1, -1)), base_a.transpose()
    else:
        t, a = make(shape)
    try:
        target = np_getitem(a, index)
    except IndexError:
        with pytest.raises(IndexError):
            t[index] = 1
        return
    if scalar:
        value: Any = -3.0
        np_setitem(a, index, value)
        t[index] = value
    else:
        v = (np.arange(target.size).reshape(target.shape) + 100).astype(np.float64)
        if v.ndim and v.shape[0] == 1:
            v = v[0]  # a smaller value broadcasts
        np_setitem(a, index, v.astype(np.float32))
        t[index] = pt.tensor(v)  # float64 value converted to float32
    assert_close(t, a)
    if transposed:
        assert_close(base_t, base_a)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(index_cases())
def test_getitem_random_matches_torch(case: Any) -> None:
    torch = pytest.importorskip("torch")
    shape, index = case
    t, a = make(shape)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = torch.from_numpy(a)[torch_index(torch, index)]
        except (IndexError, RuntimeError) as e:
            with pytest.raises(type(e)):
                t[index]
            return
    assert_close(t[index], expected)


# ---- setitem ----------------------------------------------------------------------------------

def test_setitem_basic_forms() -> None:
    t, a = make((3, 4))
    t[0] = 5
    a[0] = 5
    t[:, 1] = pt.tensor([7.0, 8.0, 9.0])
    a[:, 1] = [7, 8, 9]
    t[1:, ::2] = pt.tensor([[1.5, 2.5]])  # broadcast over rows
    a[1:, ::2] = [[1.5, 2.5]]
    t[-1, -1] = True
    a[-1, -1] = 1
    t[...] += 0  # a view's in-place op writes through
    t[None, 2, :2] = pt.tensor([[[4, 4]]], dtype=pt.int64)  # leading 1s dropped, int converted
    a[2, :2] = 4
    assert_close(t, a)
    t[0] = np.float32(2.5)
    a[0] = 2.5
    assert_close(t, a)


def test_setitem_advanced_forms() -> None:
    t, a = make((4, 5))
    t[T([0, 2])] = 1
    a[[0, 2]] = 1
    t[T([1, 3]), T([4, 0])] = pt.tensor([10.0, 20.0])
    a[[1, 3], [4, 0]] = [10, 20]
    t[:, T([1, 1, 2])] = pt.tensor([[1.0], [2.0], [3.0], [4.0]])
    a[:, [1, 1, 2]] = [[1], [2], [3], [4]]
    t[t > 15] = 0
    a[a > 15] = 0
    t[t == 1] = pt.tensor([-1.0])
    a[a == 1] = -1
    m = a < 3
    t[pt.tensor(m)] = pt.tensor(np.arange(m.sum(), dtype=np.float32))
    a[m] = np.arange(m.sum())
    t[pt.tensor(m[:, 0])] = pt.tensor([9.0, 8.0, 7.0, 6.0, 5.0])
    a[m[:, 0]] = [9, 8, 7, 6, 5]
    assert_close(t, a)


def test_setitem_repeated_indices_last_wins() -> None:
    t = pt.zeros(5)
    t[T([1, 3, 1, 1])] = pt.tensor([1.0, 2.0, 3.0, 4.0])
    assert t.tolist() == [0.0, 4.0, 0.0, 2.0, 0.0]
    big = pt.zeros(100000, 3)
    idx = np.random.default_rng(0).integers(0, 1000, 200000)
    vals = np.arange(200000 * 3, dtype=np.float32).reshape(-1, 3)
    big[pt.tensor(idx)] = pt.tensor(vals)
    ref = np.zeros((100000, 3), np.float32)
    ref[idx] = vals  # numpy: the last write wins too
    assert_close(big, ref)


def test_setitem_aliasing_value() -> None:
    t, a = make((6,))
    t[T([1, 2, 3])] = t[0:3]
    a[[1, 2, 3]] = a[0:3].copy()
    assert_close(t, a)
    t[1:4] = t[0:3]
    a[1:4] = a[0:3].copy()
    assert_close(t, a)
    i = pt.tensor([2, 1, 0], dtype=pt.int64)
    i[i] = pt.tensor([7, 8, 9])  # the index is the tensor written to
    assert i.tolist() == [9, 8, 7]


def test_setitem_bool_mask_tensor_of_self() -> None:
    b = pt.tensor([True, False, True, True])
    b[b] = False
    assert b.tolist() == [False, False, False, False]


def test_setitem_checks_before_writing() -> None:
    t, a = make((3, 4))
    with pytest.raises(IndexError):
        t[T([0, 1, 7])] = 5
    with pytest.raises(IndexError):
        t[0, T([1, 4])] = 5
    with pytest.raises(RuntimeError, match="shape mismatch"):
        t[T([0, 1])] = pt.ones(3)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        t[t > 5] = pt.ones(2)
    with pytest.raises(RuntimeError, match="expanded size"):
        t[0] = pt.ones(3)
    assert_close(t, a)  # nothing was written


def test_setitem_value_types() -> None:
    t, _ = make((3,))
    for bad, name in [("x", "str"), ([1, 2, 3], "list"), ((1, 2, 3), "tuple"), (None, "NoneType"),
                      (np.ones(3), "numpy.ndarray")]:
        with pytest.raises(TypeError, match=f"can't assign a {name} to a pytensor.FloatTensor"):
            t[0] = bad


def test_setitem_readonly_and_expanded() -> None:
    t = pt.zeros(3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element"):
        t[T([0])] = 1.0


# ---- errors -------------------------------------------------------------------------------------

ERRORS = [
    ((3,), 5, IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    ((3,), -4, IndexError, "index -4 is out of bounds for dimension 0 with size 3"),
    ((2, 3), (0, 3), IndexError, "index 3 is out of bounds for dimension 1 with size 3"),
    ((2, 3), (0, 0, 0), IndexError, "too many indices for tensor of dimension 2"),
    # numpy's rule; torch (by accident) accepts several
    ((2, 3), (Ellipsis, Ellipsis), IndexError, r"an index can only have a single ellipsis \('...'\)"),
    ((3,), slice(None, None, -1), ValueError, "step must be greater than zero"),
    ((3,), slice(None, None, 0), ValueError, "slice step cannot be zero"),
    ((3,), (T([1.0], pt.float32),), IndexError, "tensors used as indices must be long, int, byte or bool tensors"),
    ((3,), (T(1.0, pt.float32),), IndexError, "tensors used as indices must be long, int, byte or bool tensors"),
    ((3,), (T([1], pt.int16),), IndexError, "tensors used as indices must be long, int, byte or bool tensors"),
    ((3,), (T([True, False], pt.bool),), IndexError,
     r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[3\] at index 0"),
    ((2, 3), (slice(None), T([True, False], pt.bool)), IndexError,
     r"The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[2, 3\] at index 1"),
    ((3,), (T([0, 5]),), IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    ((2, 3), (T([0]), T([-4])), IndexError, "index -4 is out of bounds for dimension 1 with size 3"),
    ((2, 3), (T([0, 1]), T([0, 1, 2])), IndexError,
     r"shape mismatch: indexing tensors could not be broadcast together with shapes \[2\], \[3\]"),
    ((3,), 1.5, IndexError, r"only integers, slices .* are valid indices \(got float\)"),
    ((3,), "a", IndexError, r"valid indices \(got str\)"),
    ((), 0, IndexError, "invalid index of a 0-dim tensor"),
    ((), (T([0]),), IndexError, "too many indices for tensor of dimension 0"),
]


@pytest.mark.parametrize("shape,index,cls,msg", ERRORS)
def test_index_errors(shape: tuple, index: Any, cls: type, msg: str) -> None:
    t, _ = make(shape)
    with pytest.raises(cls, match=msg):
        t[index]
    if cls is not ValueError or "zero" not in msg:
        with pytest.raises(cls, match=msg):
            t[index] = 0


@pytest.mark.parametrize("shape,index,cls,msg", [e for e in ERRORS[:15] if "ellipsis" not in e[3]])
def test_index_errors_match_torch(torch: Any, shape: tuple, index: Any, cls: type, msg: str) -> None:
    t = torch.zeros(shape)
    with pytest.raises(cls, match=msg):
        t[torch_index(torch, index)]


# ---- the gather/scatter family -----------------------------------------------------------------

def test_index_select() -> None:
    t, a = make((4, 5))
    idx = T([3, 0, 3])
    assert_close(t.index_select(0, idx), a[[3, 0, 3]])
    assert_close(pt.index_select(t, 1, T([4, 1], pt.int32)), a[:, [4, 1]])
    assert_close(pt.index_select(t, -1, T(2)), a[:, [2]])
    assert_close(t.t().index_select(1, T([1, 2])), a.T[:, [1, 2]])
    assert_close(pt.tensor(3.0).index_select(0, T([0])), np.array(3.0, np.float32))
    with pytest.raises(IndexError, match="index out of range in self"):
        t.index_select(0, T([4]))
    with pytest.raises(IndexError, match="index out of range in self"):
        t.index_select(0, T([-1]))
    with pytest.raises(IndexError, match="Index is supposed to be a vector"):
        t.index_select(0, T([[0]]))
    with pytest.raises(RuntimeError, match="Expected dtype int32 or int64 for index"):
        t.index_select(0, T([0.0], pt.float32))
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.index_select(2, idx)


def test_gather() -> None:
    t, a = make((3, 4))
    idx = np.array([[0, 2, 1, 0], [2, 2, 0, 1]])
    assert_close(t.gather(0, pt.tensor(idx)), np.take_along_axis(a, idx, 0))
    idx1 = np.array([[3, 0], [1, 1], [0, 2]])
    assert_close(pt.gather(t, 1, pt.tensor(idx1)), np.take_along_axis(a, idx1, 1))
    assert_close(pt.gather(t, -1, pt.tensor(idx1[:2, :1])), np.take_along_axis(a[:2], idx1[:2, :1], 1))
    with pytest.raises(RuntimeError, match="index 3 is out of bounds for dimension 0 with size 3"):
        t.gather(0, T([[3]]))
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 0 with size 3"):
        t.gather(0, T([[-1]]))
    with pytest.raises(RuntimeError, match="same number of dimensions as input"):
        t.gather(0, T([0]))
    with pytest.raises(RuntimeError, match=r"Size does not match at dimension 1 expected index \[1, 5\]"):
        t.gather(0, T([[0] * 5]))
    with pytest.raises(RuntimeError, match="Expected dtype int32/int64 for index"):
        t.gather(0, T([[0.0]], pt.float32))


def test_scatter_and_scatter_add() -> None:
    t, a = make((3, 4))
    idx = np.array([[0, 2, 1, 0], [1, 2, 0, 0]])
    src = np.arange(8, dtype=np.float32).reshape(2, 4) + 100
    ref = a.copy()
    for i in range(2):
        for j in range(4):
            ref[idx[i, j], j] = src[i, j]
    assert_close(t.scatter(0, pt.tensor(idx), pt.tensor(src)), ref)
    assert_close(pt.scatter(t, 0, pt.tensor(idx), pt.tensor(src)), ref)
    assert_close(t, a)  # out of place
    ref_add = a.copy()
    np.add.at(ref_add, (idx, np.arange(4)[None, :].repeat(2, 0)), src)
    assert_close(t.scatter_add(0, pt.tensor(idx), pt.tensor(src)), ref_add)
    assert_close(pt.scatter_add(t, 0, pt.tensor(idx), pt.tensor(src)), ref_add)
    ref_v = a.copy()
    ref_v[idx[0], np.arange(4)] = 7
    assert_close(t.scatter(0, pt.tensor(idx[:1]), 7.0), ref_v)
    assert_close(t.scatter(0, pt.tensor(idx[:1]), value=7), ref_v)
    u = t.clone()
    assert u.scatter_(1, T([[1], [0], [3]]), pt.tensor([[9.0], [8.0], [7.0]])) is u
    ref_u = a.copy()
    ref_u[[0, 1, 2], [1, 0, 3]] = [9, 8, 7]
    assert_close(u, ref_u)
    w = t.clone()
    w.scatter_add_(1, T([[0, 0, 0]]), pt.ones(1, 3))
    ref_w = a.copy()
    ref_w[0, 0] += 3
    assert_close(w, ref_w)
    m = t.clone().scatter_(1, T([[1], [1], [1]]), pt.full((3, 1), 2.0), reduce="multiply")
    ref_m = a.copy()
    ref_m[:, 1] *= 2
    assert_close(m, ref_m)
    r = t.clone().scatter_(1, T([[1, 1]]), 5.0, reduce="add")
    ref_r = a.copy()
    ref_r[0, 1] += 10
    assert_close(r, ref_r)


def test_scatter_errors() -> None:
    t, a = make((2, 3))
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 0 with size 2"):
        t.scatter(0, T([[5]]), 1.0)
    with pytest.raises(RuntimeError, match="Expected self.dtype to be equal to src.dtype"):
        t.scatter(0, T([[1]]), T([[1]]))
    with pytest.raises(RuntimeError, match=r"Expected index \[1, 3\] to be no larger than self \[2, 3\] apart "
                       r"from dimension 0 and to be no larger size than src \[1, 1\]"):
        t.scatter(0, T([[1, 0, 1]]), pt.tensor([[1.0]]))
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions as self"):
        t.scatter(0, T([1]), 1.0)
    with pytest.raises(RuntimeError, match="reduce argument must be either add or multiply"):
        t.scatter(0, T([[1]]), 2.0, reduce="foo")
    u = t.clone()
    with pytest.raises(RuntimeError, match="index -1 is out of bounds"):
        u.scatter_(0, T([[0, -1]]), 9.0)
    assert_close(u, a)  # checked before any write


def test_scatter_add_large_deterministic() -> None:
    rng = np.random.default_rng(3)
    idx = rng.integers(0, 50, (40000, 64))
    src = rng.integers(-5, 5, (40000, 64))
    ref = np.zeros((50, 64), np.int64)
    np.add.at(ref, (idx, np.arange(64)[None, :]), src)
    out = pt.zeros(50, 64, dtype=pt.int64).scatter_add_(0, pt.tensor(idx), pt.tensor(src))
    assert_close(out, ref)
    f = rng.standard_normal((40000, 64)).astype(np.float32)
    r1 = pt.zeros(50, 64).scatter_add_(0, pt.tensor(idx), pt.tensor(f))
    n = pt.get_num_threads()
    try:
        pt.set_num_threads(1)
        r2 = pt.zeros(50, 64).scatter_add_(0, pt.tensor(idx), pt.tensor(f))
    finally:
        pt.set_num_threads(n)
    assert np.array_equal(to_numpy(r1), to_numpy(r2))  # same order of additions on any thread count


def test_index_add_rows_large_deterministic() -> None:
    rng = np.random.default_rng(5)
    idx = rng.integers(0, 300, 100000)
    src = rng.standard_normal((100000, 40)).astype(np.float32)
    ref = np.zeros((300, 40), np.float64)
    np.add.at(ref, idx, src.astype(np.float64))
    r1 = pt.zeros(300, 40).index_add_(0, pt.tensor(idx), pt.tensor(src))
    assert_close(r1, ref.astype(np.float32), rtol=1e-4, atol=1e-3)
    n = pt.get_num_threads()
    try:
        pt.set_num_threads(1)
        r2 = pt.zeros(300, 40).index_add_(0, pt.tensor(idx), pt.tensor(src))
    finally:
        pt.set_num_threads(n)
    assert np.array_equal(to_numpy(r1), to_numpy(r2))


def test_few_long_rows() -> None:
    a = np.arange(3 * 70000, dtype=np.float32).reshape(3, 70000)
    t = pt.tensor(a)
    assert_close(t[pt.tensor([2, 0])], a[[2, 0]])
    u = t.clone()
    u[pt.tensor([1, 1])] = pt.tensor(a[:2])
    b = a.copy()
    b[1] = a[1]
    assert_close(u, b)


def test_take() -> None:
    t, a = make((3, 4))
    idx = np.array([[0, 11], [-1, 5]])
    assert_close(t.take(pt.tensor(idx)), np.take(a, idx))
    assert_close(pt.take(t.t(), pt.tensor(idx)), np.take(a.T, idx))
    with pytest.raises(IndexError, match="out of range: tried to access index 12 on a tensor of 12 elements."):
        t.take(T([12]))
    with pytest.raises(IndexError, match="tried to access index -13"):
        t.take(T([-13]))
    with pytest.raises(RuntimeError, match="take\\(\\): Expected a long tensor for index, but got Int"):
        t.take(T([1], pt.int32))


def test_index_put_() -> None:
    t, a = make((3, 4))
    r = t.index_put_((T([0, 2]), T([1, 1])), pt.tensor([5.0, 6.0]))
    assert r is t
    a[[0, 2], [1, 1]] = [5, 6]
    assert_close(t, a)
    t.index_put_((T([1, 1, 1]),), pt.ones(4), accumulate=True)
    a[1] += 3
    assert_close(t, a)
    t.index_put_([T([0, 1, 2, 0]), T([0, 0, 0, 0])], pt.tensor(1.0), accumulate=True)
    a[:, 0] += 1
    a[0, 0] += 1
    assert_close(t, a)
    t.index_put_((t > 40,), pt.tensor(-1.0))
    a[a > 40] = -1
    assert_close(t, a)
    out = pt.index_put(t, (T([0]),), pt.tensor(0.0))
    assert_close(t, a)
    a0 = a.copy()
    a0[0] = 0
    assert_close(out, a0)
    with pytest.raises(RuntimeError, match="Index put requires the source and destination dtypes match, got "
                       "Float for the destination and Long for the source."):
        t.index_put_((T([0]),), T([1]))
    with pytest.raises(RuntimeError, match=r"value tensor of shape \[1, 1\] cannot be broadcast to indexing "
                       r"result of shape \[1\]"):
        t.index_put_((T([0]), T([0])), pt.tensor([[1.0]]))
    with pytest.raises(IndexError, match=r"too many indices for tensor of dimension 2 \(got 3\)"):
        t.index_put_((T([0]),) * 3, pt.tensor(1.0))
    with pytest.raises(TypeError, match="expected Tensor as element 0 in argument 0, but got NoneType"):
        t.index_put_((None, T([0])), pt.tensor(1.0))
    with pytest.raises(TypeError, match="must be tuple of Tensors, not Tensor"):
        t.index_put_(T([0]), pt.tensor(1.0))


def test_index_add_() -> None:
    t, a = make((4, 3))
    src = np.arange(9, dtype=np.float32).reshape(3, 3)
    r = t.index_add_(0, T([3, 0, 3]), pt.tensor(src))
    assert r is t
    np.add.at(a, [3, 0, 3], src)
    assert_close(t, a)
    t.index_add_(1, T([2]), pt.ones(4, 1), alpha=2.5)
    a[:, 2] += 2.5
    assert_close(t, a)
    out = pt.index_add(t, 0, T([1]), pt.ones(1, 3))
    b = a.copy()
    b[1] += 1
    assert_close(out, b)
    assert_close(t, a)
    with pytest.raises(RuntimeError, match="index 5 is out of bounds for dimension 0 with size 4"):
        t.index_add_(0, T([0, 5]), pt.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"Number of indices \(1\) should be equal to source.size\(dim\): \(2\)"):
        t.index_add_(0, T([0]), pt.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"self \(Float\) and source \(Long\) must have the same scalar type"):
        t.index_add_(0, T([0]), pt.ones(1, 3, dtype=pt.int64))
    with pytest.raises(RuntimeError, match="source tensor shape must match self tensor shape"):
        t.index_add_(0, T([0]), pt.ones(1, 4))
    with pytest.raises(RuntimeError, match="argument alpha must not be a floating point number"):
        pt.zeros(2, dtype=pt.int64).index_add_(0, T([0]), T([1]), alpha=1.5)
    assert_close(t, a)


def test_masked_select_and_fill() -> None:
    t, a = make((3, 4))
    m = (a % 3) == 1
    assert_close(t.masked_select(pt.tensor(m)), a[m])
    row = np.array([True, False, True, False])
    assert_close(pt.masked_select(t, pt.tensor(row)), a[np.broadcast_to(row, a.shape)])
    assert_close(pt.masked_select(pt.tensor(2.0), pt.tensor([True, False, True])), np.array([2.0, 2.0], np.float32))
    r = t.masked_fill(pt.tensor(m), -1)
    b = a.copy()
    b[m] = -1
    assert_close(r, b)
    assert_close(t, a)
    assert_close(pt.masked_fill(t, pt.tensor(row), pt.tensor(2.5)), np.where(row, 2.5, a).astype(np.float32))
    assert_close(pt.zeros(3).masked_fill(pt.ones(2, 3, dtype=pt.bool), 1), np.ones((2, 3), np.float32))
    assert t.masked_fill_(pt.tensor(m), 0.5) is t
    a[m] = 0.5
    assert_close(t, a)
    i = pt.zeros(3, dtype=pt.int64).masked_fill(pt.tensor([True, False, True]), 1.7)
    assert i.tolist() == [1, 0, 1]
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks, but got mask with dtype long int"):
        t.masked_fill(T([1, 0, 1, 0]), 1)
    with pytest.raises(RuntimeError, match="only supports a 0-dimensional value tensor, but got tensor with 1"):
        t.masked_fill(pt.tensor(row), pt.tensor([1.0]))
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        pt.zeros(3).masked_fill_(pt.ones(2, 3, dtype=pt.bool), 1)
    with pytest.raises(RuntimeError, match="masked_select: expected BoolTensor for mask"):
        t.masked_select(T([1, 0, 1, 0]))


def test_index_copy_and_fill() -> None:
    t, a = make((4, 3))
    src = np.arange(6, dtype=np.float32).reshape(2, 3) + 50
    assert t.index_copy_(0, T([3, 1]), pt.tensor(src)) is t
    a[[3, 1]] = src
    assert_close(t, a)
    out = pt.index_copy(t, 1, T([0]), pt.ones(4, 1))
    b = a.copy()
    b[:, 0] = 1
    assert_close(out, b)
    assert t.index_fill_(1, T([-1, 0]), 7) is t
    a[:, [-1, 0]] = 7
    assert_close(t, a)
    assert_close(pt.index_fill(t, 0, T([2]), pt.tensor(-2.0)), np.where(np.arange(4)[:, None] == 2, -2, a))
    with pytest.raises(IndexError, match="index_copy_\\(\\): index -1 is out of bounds for dimension 0 with size 4"):
        t.index_copy_(0, T([-1]), pt.ones(1, 3))
    with pytest.raises(IndexError, match=r"Number of indices \(1\) should be equal to source.size\(dim\) \(2\)"):
        t.index_copy_(0, T([0]), pt.ones(2, 3))
    with pytest.raises(RuntimeError, match="same slice shapes"):
        t.index_copy_(0, T([0]), pt.ones(1, 4))
    with pytest.raises(IndexError, match="index 3 is out of bounds for dimension 1 with size 3"):
        t.index_fill_(1, T([3]), 0)
    with pytest.raises(IndexError, match="Expected dtype int64 for index"):
        t.index_fill_(1, T([0], pt.int32), 0)
    assert_close(t, a)


def test_masked_scatter() -> None:
    t, a = make((2, 3))
    m = np.array([True, False, True])
    src = np.arange(10, dtype=np.float32) + 100
    assert t.masked_scatter_(pt.tensor(m), pt.tensor(src)) is t
    mm = np.broadcast_to(m, a.shape)
    a[mm] = src[:mm.sum()]
    assert_close(t, a)
    out = pt.masked_scatter(pt.zeros(3), pt.ones(2, 3, dtype=pt.bool), pt.tensor(src.reshape(2, 5)))
    assert_close(out, src[:6].reshape(2, 3))
    with pytest.raises(RuntimeError, match="Number of elements of source < number of ones in mask"):
        t.masked_scatter_(pt.tensor(m), pt.ones(3))
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        t.masked_scatter_(T([1, 0, 1]), pt.ones(10))
    assert_close(t, a)


def test_take_along_dim(torch: Any) -> None:
    t, a = make((3, 4))
    ta = torch.from_numpy(a)
    for idx, dim in [(np.array([[0], [2], [3]]), 1), (np.array([[2, 1, 0, -1]]), 0), (np.array([5, 0, 11]), None),
                     (np.array([[1], [0], [3]]), -1), (np.array([[1, 0]]), 1)]:
        expected = torch.take_along_dim(ta, torch.from_numpy(idx), dim) if dim is not None else \
            torch.take_along_dim(ta, torch.from_numpy(idx))
        got = pt.take_along_dim(t, pt.tensor(idx), dim) if dim is not None else t.take_along_dim(pt.tensor(idx))
        assert_close(got, expected)
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        pt.take_along_dim(t, T([0]), 1)
    with pytest.raises(RuntimeError, match="index -1 is out of bounds"):
        pt.take_along_dim(t, T([0, -1]))  # torch wraps negative indices only along a dim


def test_nonzero_and_argwhere() -> None:
    a = np.array([[0, 1.5, 0], [2, 0, -1]], np.float32)
    t = pt.tensor(a)
    assert_close(t.nonzero(), np.argwhere(a))
    assert_close(pt.argwhere(t), np.argwhere(a))
    tup = pt.nonzero(t, as_tuple=True)
    assert isinstance(tup, tuple) and len(tup) == 2
    for got, want in zip(tup, np.nonzero(a)):
        assert_close(got, want.astype(np.int64))
    assert_close(pt.nonzero(pt.tensor(5)), np.zeros((1, 0), np.int64))
    assert_close(pt.nonzero(pt.tensor(0)), np.zeros((0, 0), np.int64))
    (z,) = pt.nonzero(pt.tensor(5), as_tuple=True)
    assert z.tolist() == [0]
    big = np.random.default_rng(0).random((300, 500)) > 0.7
    assert_close(pt.tensor(big).nonzero(), np.argwhere(big))
    assert_close(pt.tensor(big).t().nonzero(), np.argwhere(big.T))
    for dt in ALL_DTYPES:
        v = pt.tensor([[0, 1], [1, 0]], dtype=dt)
        assert v.nonzero().tolist() == [[0, 1], [1, 0]]


def test_family_matches_torch(torch: Any) -> None:
    rng = np.random.default_rng(7)
    a = rng.standard_normal((5, 6)).astype(np.float32)
    t, ta = pt.tensor(a), torch.from_numpy(a)
    idx = rng.integers(0, 5, (3, 6))
    ti, pi = torch.from_numpy(idx), pt.tensor(idx)
    assert_close(t.gather(0, pi), ta.gather(0, ti))
    assert_close(t.scatter_add(0, pi, t[:3]), ta.scatter_add(0, ti, ta[:3]))
    assert_close(t.index_select(1, pt.tensor(idx[0])), ta.index_select(1, ti[0]))
    assert_close(t.take(pi), ta.take(ti))
    m = a > 0
    assert_close(t.masked_select(pt.tensor(m)), ta.masked_select(torch.from_numpy(m)))
    assert_close(t.nonzero(), ta.nonzero())
    assert_close(t.index_add(0, pt.tensor(idx[:, 0]), t[:3], alpha=2), ta.index_add(0, ti[:, 0], ta[:3], alpha=2))


# ---- gradient helper -----------------------------------------------------------------------

def test_getitem_backward() -> None:
    g = pt.ones(3, 2)
    out = pt._C.getitem_backward(g, (4, 2), pt.tensor([0, 2, 0]))
    assert out.tolist() == [[2, 2], [0, 0], [1, 1], [0, 0]]
    out = pt._C.getitem_backward(pt.ones(2), (3, 4), (slice(None, None, 2), 1))
    assert out.tolist() == [[0, 1, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]]
    m = pt.tensor([[True, False], [True, True]])
    out = pt._C.getitem_backward(pt.tensor([1.0, 2.0, 3.0]), (2, 2), m)
    assert out.tolist() == [[1, 0], [2, 3]]


def test_indexing_module_entry_points() -> None:
    from pytensor import _indexing
    t, a = make((3, 3))
    assert_close(_indexing.getitem(t, (T([0, 2]), 1)), a[[0, 2], 1])
    _indexing.setitem(t, 0, 1)
    a[0] = 1
    assert_close(t, a)


# ---- serial scatters: duplicates, ordering and the 1-d / inner-band loops ----------------------
# Scatters whose positions may collide walk the colliding dims serially: a single inner position
# is one walk (1-d scatter, x[idx] = v), a 1-d inner band is walked per outer position. Both must
# equal the row-major reference below (last write wins; accumulate adds in order), whatever the
# dtype, the target's strides, the signs of the indices or the thread count.

def _ref_scatter(target: np.ndarray, dim: int, idx: np.ndarray, src: np.ndarray, add: bool) -> np.ndarray:
    out = target.copy()
    for pos in np.ndindex(*idx.shape):
        at = list(pos)
        at[dim] = idx[pos]
        at = tuple(at)
        if add:
            out[at] = (out[at] | src[pos]) if out.dtype == np.bool_ else out[at] + src[pos]
        else:
            out[at] = src[pos]
    return out


def _values(rng: np.random.Generator, shape: tuple, dtype: pytensor.dtype) -> np.ndarray:
    # Small integers: sums are exact in every dtype, so the order of additions is what is tested.
    return rng.integers(0, 3, shape).astype(np_dtype(dtype))


def _target(shape: tuple, dtype: pytensor.dtype, strided: bool) -> tuple:
    a = np.arange(int(np.prod(shape))).reshape(shape).astype(np_dtype(dtype))
    if not strided:
        return pt.tensor(a), a
    # The same values in a transposed, non-contiguous view (the written tensor's own strides).
    base = pt.tensor(np.ascontiguousarray(np.swapaxes(a, 0, -1)))
    return base.transpose(0, -1), a


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("strided", [False, True])
@pytest.mark.parametrize("add", [False, True])
def test_scatter_1d_serial_duplicates(dtype: pytensor.dtype, strided: bool, add: bool) -> None:
    rng = np.random.default_rng(7)
    n = 50
    idx = rng.integers(0, 6, 400)  # every element hit many times
    src = _values(rng, (400,), dtype)
    a = np.arange(n).astype(np_dtype(dtype))
    if strided:
        t = pt.tensor(np.repeat(a, 2))[::2]
        assert not t.is_contiguous()
    else:
        t = pt.tensor(a)
    expect = _ref_scatter(a, 0, idx, src, add)
    if dtype == pt.bool and add:
        pytest.skip("torch has no scatter_add for bool; bool accumulation is covered by index_put_ below")
    fn = t.scatter_add_ if add else t.scatter_
    fn(0, pt.tensor(idx), pt.tensor(src))
    assert_close(t, expect)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("strided", [False, True])
@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_1d_serial_negative_duplicates(dtype: pytensor.dtype, strided: bool, accumulate: bool) -> None:
    rng = np.random.default_rng(8)
    n = 40
    idx = rng.integers(-n, n, 300)
    src = _values(rng, (300,), dtype)
    a = np.arange(n).astype(np_dtype(dtype))
    t = pt.tensor(np.repeat(a, 3))[1::3] if strided else pt.tensor(a)
    expect = _ref_scatter(a, 0, idx % n, src, accumulate)
    t.index_put_((pt.tensor(idx),), pt.tensor(src), accumulate=accumulate)
    assert_close(t, expect)
    u = pt.tensor(a)
    if not accumulate:
        u[pt.tensor(idx)] = pt.tensor(src)
        assert_close(u, expect)
        v = pt.tensor(a)
        v.index_copy_(0, pt.tensor(idx % n), pt.tensor(src))
        assert_close(v, expect)


@pytest.mark.parametrize("dtype", [pt.float32, pt.int64, pt.int16, pt.uint8, pt.float64])
@pytest.mark.parametrize("strided", [False, True])
@pytest.mark.parametrize("add", [False, True])
@pytest.mark.parametrize("shape,dim", [((6, 5), 0), ((5, 6), 1), ((4, 3, 5), 1), ((3, 4, 5), 0), ((3, 4, 5), 2)])
def test_scatter_nd_serial_matches_reference(dtype: pytensor.dtype, strided: bool, add: bool, shape: tuple,
                                             dim: int) -> None:
    rng = np.random.default_rng(9)
    ishape = list(shape)
    ishape[dim] = 3 * shape[dim]  # more positions than slots: duplicates along dim
    idx = rng.integers(0, shape[dim], ishape)
    src = _values(rng, tuple(ishape), dtype)
    t, a = _target(shape, dtype, strided)
    expect = _ref_scatter(a, dim, idx, src, add)
    (t.scatter_add_ if add else t.scatter_)(dim, pt.tensor(idx), pt.tensor(src))
    assert_close(t, expect)
    # index_add_/index_copy_: one index per slice along dim, slices of the (strided) source.
    t, a = _target(shape, dtype, strided)
    k = rng.integers(-shape[dim], shape[dim], 2 * shape[dim]) if not add else rng.integers(0, shape[dim], 8)
    sshape = list(shape)
    sshape[dim] = len(k)
    s = _values(rng, tuple(sshape), dtype)
    kk = k % shape[dim]
    full_idx = np.broadcast_to(kk.reshape([-1 if d == dim else 1 for d in range(len(shape))]), s.shape)
    expect = _ref_scatter(a, dim, full_idx, s, add)
    src_t = pt.tensor(np.ascontiguousarray(np.swapaxes(s, 0, -1))).transpose(0, -1)  # strided source
    if add:
        t.index_add_(dim, pt.tensor(kk), src_t)
    else:
        t.index_copy_(dim, pt.tensor(kk), src_t)
    assert_close(t, expect)


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_2d_serial_rows_and_points(accumulate: bool) -> None:
    rng = np.random.default_rng(10)
    a = np.arange(48, dtype=np.float64).reshape(6, 8)
    r = rng.integers(-6, 6, 30)
    c = rng.integers(-8, 8, 30)
    v = rng.integers(0, 5, 30).astype(np.float64)
    expect = a.copy()
    for i in range(30):  # points: both dims indexed, every position may collide
        expect[r[i] % 6, c[i] % 8] = expect[r[i] % 6, c[i] % 8] + v[i] if accumulate else v[i]
    t = pt.tensor(a)
    t.index_put_((pt.tensor(r), pt.tensor(c)), pt.tensor(v), accumulate=accumulate)
    assert_close(t, expect)
    # x[:, idx] (+)= rows of values: one index per column, a band of rows per position.
    vals = rng.integers(0, 5, (6, 30)).astype(np.float64)
    expect = a.copy()
    for i in range(30):
        expect[:, c[i] % 8] = expect[:, c[i] % 8] + vals[:, i] if accumulate else vals[:, i]
    t = pt.tensor(a.T.copy()).t()
    t.index_put_((pt.tensor(np.arange(6)[:, None]), pt.tensor(c)), pt.tensor(vals), accumulate=accumulate)
    assert_close(t, expect)


@pytest.mark.parametrize("add", [False, True])
def test_scatter_band_independent_of_threads(add: bool) -> None:
    # Big enough for the inner band to be split between threads.
    rng = np.random.default_rng(11)
    idx = rng.integers(0, 16, (64, 4096))
    src = rng.integers(0, 4, (64, 4096)).astype(np.float32)
    a = np.zeros((16, 4096), np.float32)
    expect = _ref_scatter(a, 0, idx, src, add) if add else None
    results = []
    old = pt.get_num_threads()
    try:
        for n in (1, 2):
            pt.set_num_threads(n)
            t = pt.tensor(a)
            (t.scatter_add_ if add else t.scatter_)(0, pt.tensor(idx), pt.tensor(src))
            results.append(to_numpy(t))
    finally:
        pt.set_num_threads(old)
    np.testing.assert_array_equal(results[0], results[1])
    if add:
        np.testing.assert_array_equal(results[0], expect)
    else:  # last write wins: the value of the last row that names each element
        last = np.zeros((16, 4096), np.float32)
        hit = np.zeros((16, 4096), bool)
        for i in range(64):
            last[idx[i], np.arange(4096)] = src[i]
            hit[idx[i], np.arange(4096)] = True
        np.testing.assert_array_equal(results[0], np.where(hit, last, a))


def test_scatter_1d_out_of_range_writes_nothing() -> None:
    t = pt.arange(5.0)
    with pytest.raises(RuntimeError, match="index 7 is out of bounds for dimension 0 with size 5"):
        t.scatter_(0, pt.tensor([0, 1, 7, 2]), pt.tensor([9.0, 9.0, 9.0, 9.0]))
    with pytest.raises(IndexError, match="index -6 is out of bounds for dimension 0 with size 5"):
        t[pt.tensor([0, -6])] = 9.0
    assert t.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize("n", [300, 50_000])  # indexed span within L1 (no prefetch) and beyond it
@pytest.mark.parametrize("dtype", [pt.float32, pt.int64, pt.int8, pt.float64])
def test_gather_paths_small_and_large_span(n: int, dtype: pytensor.dtype) -> None:
    rng = np.random.default_rng(12)
    a = rng.integers(-100, 100, (3, n)).astype(np_dtype(dtype))
    t = pt.tensor(a)
    idx = rng.integers(-n, n, 2000)
    np.testing.assert_array_equal(to_numpy(t[1][pt.tensor(idx)]), a[1][idx])
    np.testing.assert_array_equal(to_numpy(t[:, pt.tensor(idx)]), a[:, idx])
    np.testing.assert_array_equal(to_numpy(t.index_select(1, pt.tensor(idx % n))), a[:, idx % n])
    np.testing.assert_array_equal(to_numpy(pt.take(t[2], pt.tensor(idx))), a[2][idx])
    tt = pt.tensor(np.ascontiguousarray(a.T)).t()  # strided source
    np.testing.assert_array_equal(to_numpy(tt[0][pt.tensor(idx)]), a[0][idx])
    # Two index tensors combine into one offset: the indexed span is unknown, prefetching stays.
    r = rng.integers(-3, 3, 2000)
    np.testing.assert_array_equal(to_numpy(t[pt.tensor(r), pt.tensor(idx)]), a[r, idx])
