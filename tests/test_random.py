"""Random numbers: bit-exact replay of the PyTorch 2.13 golden vectors (shared/spec/rng_golden.json,
FMA variant), error cases with torch's exception classes and messages, and a parity sweep
against the installed torch."""

from __future__ import annotations

import hashlib
import json
import math
import os
import random as pyrandom
import warnings

import numpy as np
import pytest

import pytensor
import pytensor.random as R
from pytensor import _C

R._install_tensor_methods(pytensor.Tensor)  # idempotent; pytensor/__init__ does it as well

_HERE = os.path.dirname(os.path.abspath(__file__))
_GOLDEN_CANDIDATES = [
    os.environ.get("PYTENSOR_RNG_GOLDEN", ""),
    os.path.join(_HERE, "..", "..", "shared", "spec", "rng_golden.json"),
    "/work/shared/spec/rng_golden.json",
]
_GOLDEN_PATH = next((p for p in _GOLDEN_CANDIDATES if p and os.path.exists(p)), None)

DTYPES = {"float32": pytensor.float32, "float64": pytensor.float64, "int64": pytensor.int64,
          "bool": pytensor.bool}
NP_RAW = {"float32": "<f4", "float64": "<f8", "bool": "?", "int64": "<i8"}


def _load_cases():
    if _GOLDEN_PATH is None:
        return []
    with open(_GOLDEN_PATH) as fh:
        return json.load(fh)["cases"]


CASES = _load_cases()
FMA_CASES = [c for c in CASES if not c["name"].endswith("__DEFAULT")]
NN_OPS = {"linear", "dropout", "dataloader_epoch"}


def _hexlist(vals, dt):
    return np.array([float.fromhex(h) for h in vals], dtype=dt)


def _tensor_from(arr: np.ndarray) -> pytensor.Tensor:
    return _C.clone(_C.from_numpy(np.ascontiguousarray(arr)))


def _state_tensor(hexstr: str) -> pytensor.Tensor:
    return _tensor_from(np.frombuffer(bytes.fromhex(hexstr), dtype=np.uint8).copy())


def _np(t) -> np.ndarray:
    if isinstance(t, pytensor.Tensor):
        return np.asarray(t.numpy()).ravel()
    return np.asarray(t).ravel()


def _permuted(base, perm, dtype):
    return pytensor.empty(tuple(base), dtype=DTYPES[dtype]).permute(*perm)


def _linear_bounds(fan_in):
    a = math.sqrt(5)
    gain = math.sqrt(2.0 / (1 + a ** 2))
    w_bound = math.sqrt(3.0) * (gain / math.sqrt(fan_in))
    b_bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
    return w_bound, b_bound


def _nn_available(op):
    if op in ("linear", "dropout"):
        try:
            import pytensor.nn  # noqa: F401
            return hasattr(pytensor.nn, "Linear") and hasattr(pytensor.nn, "functional")
        except ImportError:
            return False
    try:
        from pytensor.utils.data import DataLoader  # noqa: F401
        return True
    except ImportError:
        return False


def replay(case, use_nn=False):
    """Runs a golden case through pytensor's public API; returns the list of results."""
    gen = R.default_generator
    gen.manual_seed(67280421310721)  # "a fresh default generator"
    out = []
    for step in case["steps"]:
        op = step["op"]
        a = step.get("args", {})
        kw = {"generator": gen}
        if op == "manual_seed":
            if gen is R.default_generator:
                assert R.manual_seed(a["seed"]) is R.default_generator
            else:
                assert gen.manual_seed(a["seed"]) is gen
        elif op == "generator":
            gen = R.Generator()
            if "seed" in a:
                gen.manual_seed(a["seed"])
        elif op == "initial_seed":
            out.append([gen.initial_seed()])
        elif op == "u64":
            out.append(pytensor.empty(a["n"], dtype=pytensor.int64).random_(-2 ** 63, None, **kw))
        elif op == "random_int64":
            out.append(pytensor.empty(a["n"], dtype=pytensor.int64).random_(**kw))
        elif op == "get_state":
            out.append(gen.get_state())
        elif op == "set_state":
            assert gen.set_state(_state_tensor(a["hex"])) is gen
        elif op == "rand":
            out.append(R.rand(tuple(a["shape"]), dtype=DTYPES[a["dtype"]], **kw))
        elif op == "uniform":
            lo, hi = a.get("a", 0.0), a.get("b", 1.0)
            if "perm" in a:
                t = _permuted(a["base"], a["perm"], a["dtype"])
            else:
                t = pytensor.empty(tuple(a["shape"]), dtype=DTYPES[a["dtype"]])
            out.append(t.uniform_(lo, hi, **kw))
        elif op == "randn":
            out.append(R.randn(*a["shape"], dtype=DTYPES[a["dtype"]], **kw))
        elif op == "randn_like":
            like = pytensor.empty(tuple(a["shape"]), dtype=DTYPES[a["dtype"]])
            out.append(R.randn_like(like, **kw))
        elif op == "normal":
            m, sd = a.get("mean", 0.0), a.get("std", 1.0)
            if "perm" in a:
                t = _permuted(a["base"], a["perm"], a["dtype"])
            else:
                t = pytensor.empty(tuple(a["shape"]), dtype=DTYPES[a["dtype"]])
            out.append(t.normal_(m, sd, **kw))
        elif op == "normal_tensor":
            dt = a["dtype"]
            m = _tensor_from(_hexlist(a["mean"], dt)) if isinstance(a["mean"], list) else float(a["mean"])
            sd = _tensor_from(_hexlist(a["std"], dt)) if isinstance(a["std"], list) else float(a["std"])
            out.append(R.normal(m, sd, **kw))
        elif op == "bernoulli_tensor":
            out.append(R.bernoulli(_tensor_from(_hexlist(a["probs"], a["dtype"])), **kw))
        elif op == "randint":
            out.append(R.randint(a["low"], a["high"], tuple(a["shape"]), **kw))
        elif op == "randperm":
            out.append(R.randperm(a["n"], **kw))
        elif op == "bernoulli":
            t = pytensor.empty(tuple(a["shape"]), dtype=DTYPES[a["dtype"]])
            out.append(t.bernoulli_(a["p"], **kw))
        elif op == "exponential":
            t = pytensor.empty(tuple(a["shape"]), dtype=DTYPES[a["dtype"]])
            out.append(t.exponential_(a.get("lambd", 1.0), **kw))
        elif op == "multinomial":
            probs = _tensor_from(_hexlist(a["probs"], a["dtype"]).reshape(a["pshape"]))
            out.append(R.multinomial(probs, a["n"], a["replacement"], **kw))
        elif op == "dropout":
            x = _tensor_from(_hexlist(a["x"], a["dtype"]))
            if use_nn:
                assert gen is R.default_generator
                import pytensor.nn.functional as F
                out.append(F.dropout(x, a["p"], training=True))
            else:
                out.append(R._dropout(x, a["p"], True, gen))
        elif op == "linear":
            fin, fout, bias = a["in"], a["out"], a.get("bias", True)
            if use_nn:
                assert gen is R.default_generator
                layer = pytensor.nn.Linear(fin, fout, bias=bias)
                out.append(layer.weight.detach())
                if bias:
                    out.append(layer.bias.detach())
            else:
                wb, bb = _linear_bounds(fin)
                out.append(pytensor.empty(fout, fin).uniform_(-wb, wb, **kw))
                if bias:
                    out.append(pytensor.empty(fout).uniform_(-bb, bb, **kw))
        elif op == "dataloader_epoch":
            if use_nn:
                from pytensor.utils.data import DataLoader
                loader = DataLoader(list(range(a["n"])), batch_size=None, shuffle=True)
                out.append([int(v) for v in loader])
            else:
                out.append(R._dataloader_epoch_permutation(a["n"]))
        else:
            raise AssertionError("unknown op " + op)
    return out


def check_result(got, exp, where):
    dt = exp["dtype"]
    if dt == "bytes":
        assert bytes(_np(got).astype(np.uint8)) == bytes.fromhex(exp["hex"]), where
        return
    if dt == "uint64":
        assert [int(v) for v in got] == [int(v) for v in exp["values"]], where
        return
    if isinstance(got, pytensor.Tensor):
        assert got.dtype == DTYPES[dt], where
        assert list(got.shape) == list(exp["shape"]), where
    arr = _np(got).astype(NP_RAW[dt])
    assert arr.size == int(np.prod(exp["shape"])), where
    if "sha256" in exp:
        head = _hexlist(exp["head"], NP_RAW[dt]) if dt.startswith("float") else np.array(exp["head"])
        assert arr[:len(head)].tobytes() == head.astype(NP_RAW[dt]).tobytes(), where + " (head)"
        assert hashlib.sha256(arr.tobytes()).hexdigest() == exp["sha256"], where + " (sha256)"
        return
    if dt.startswith("float"):
        ref = _hexlist(exp["values"], NP_RAW[dt])
    else:
        ref = np.array(exp["values"]).astype(NP_RAW[dt])
    if arr.tobytes() != ref.tobytes():
        bad = np.flatnonzero(arr.view(np.uint8).reshape(arr.size, -1).tolist() !=
                             ref.view(np.uint8).reshape(ref.size, -1).tolist()) if arr.size else []
        raise AssertionError(f"{where}: {len(bad)} of {arr.size} values differ; first "
                             f"{arr[:4]} vs {ref[:4]}")


@pytest.mark.skipif(_GOLDEN_PATH is None, reason="rng_golden.json not found")
@pytest.mark.parametrize("case", FMA_CASES, ids=[c["name"] for c in FMA_CASES])
def test_golden(case):
    if not _C._rng_has_avx2_fma():
        pass  # the scalar kernels implement the same FMA variant (std::fma), so no skip
    got = replay(case)
    exp = case["results"]
    assert len(got) == len(exp)
    for i, (g, e) in enumerate(zip(got, exp)):
        check_result(g, e, f"{case['name']} result {i}")


NN_CASES = [c for c in FMA_CASES if any(s["op"] in NN_OPS for s in c["steps"])]


@pytest.mark.skipif(_GOLDEN_PATH is None, reason="rng_golden.json not found")
@pytest.mark.parametrize("case", NN_CASES, ids=[c["name"] for c in NN_CASES])
def test_golden_through_nn(case):
    """The same cases through nn.Linear / nn.functional.dropout / DataLoader."""
    for step in case["steps"]:
        if step["op"] in NN_OPS and not _nn_available(step["op"]):
            pytest.skip(f"pytensor has no implementation for '{step['op']}' yet")
    got = replay(case, use_nn=True)
    for i, (g, e) in enumerate(zip(got, case["results"])):
        check_result(g, e, f"{case['name']} result {i}")


def test_golden_file_found():
    assert _GOLDEN_PATH is not None and len(CASES) == 168


# ---------------------------------------------------------------------------------------------
# Generator API
# ---------------------------------------------------------------------------------------------

def test_default_seed_and_manual_seed_range():
    assert R.Generator().initial_seed() == 67280421310721
    assert R.manual_seed(-1).initial_seed() == 2 ** 64 - 1
    assert R.manual_seed(-2 ** 63).initial_seed() == 2 ** 63
    assert R.manual_seed(2 ** 64 - 1).initial_seed() == 2 ** 64 - 1
    assert R.manual_seed(2.5).initial_seed() == 2  # torch.manual_seed calls int()
    assert R.manual_seed(True).initial_seed() == 1
    for bad in (2 ** 64, -2 ** 63 - 1):
        with pytest.raises(ValueError, match="Overflow when unpacking long long"):
            R.manual_seed(bad)
        with pytest.raises(ValueError, match="Overflow when unpacking long long"):
            R.Generator().manual_seed(bad)
    with pytest.raises(ValueError):
        R.manual_seed("a")
    with pytest.raises(RuntimeError, match="manual_seed expected a long, but got float"):
        R.Generator().manual_seed(1.5)
    with pytest.raises(RuntimeError, match="manual_seed expected a long, but got bool"):
        R.Generator().manual_seed(True)
    g = R.Generator()
    assert g.manual_seed(np.int64(5)) is g and g.initial_seed() == 5


def test_seed_is_nondeterministic():
    g = R.Generator()
    s1, s2 = g.seed(), g.seed()
    assert s1 != s2 and g.initial_seed() == s2 and 0 <= s2 < 2 ** 53
    s = R.seed()
    assert R.initial_seed() == s


def test_state_round_trip_and_validation():
    R.manual_seed(5)
    R.randn(3)  # leaves a cached normal
    st = R.get_rng_state()
    assert st.dtype == pytensor.uint8 and tuple(st.shape) == (5056,)
    a = R.randn(5, dtype=pytensor.float64)
    b = R.rand(700)
    R.set_rng_state(st)
    assert _np(R.randn(5, dtype=pytensor.float64)).tobytes() == _np(a).tobytes()
    assert _np(R.rand(700)).tobytes() == _np(b).tobytes()
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056 but "
                                           "found the input RNG state size to be 10"):
        R.set_rng_state(pytensor.zeros(10, dtype=pytensor.uint8))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        R.set_rng_state(pytensor.zeros(5056, dtype=pytensor.uint8))
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        R.set_rng_state(pytensor.zeros(5056))
    with pytest.raises(TypeError, match="expected a torch.ByteTensor, but got bytes"):
        R.Generator().set_state(b"abc")
    g = R.Generator()
    before = g.get_state()
    bad = _np(before).copy()
    bad[8:12] = np.frombuffer(np.int32(625).tobytes(), np.uint8)  # left = 625
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        g.set_state(_tensor_from(bad))
    assert _np(g.get_state()).tobytes() == _np(before).tobytes()


def test_generators_are_independent_and_fork_rng():
    g1, g2 = R.Generator().manual_seed(3), R.Generator().manual_seed(3)
    R.manual_seed(0)
    x = R.rand(10, generator=g1)
    R.rand(10)
    y = R.rand(10, generator=g2)
    assert _np(x).tobytes() == _np(y).tobytes()
    R.manual_seed(1)
    with R.fork_rng():
        R.rand(100)
    z = R.rand(3)
    R.manual_seed(1)
    assert _np(R.rand(3)).tobytes() == _np(z).tobytes()


def test_generator_pickle_and_device():
    import copy
    import pickle
    g = R.Generator().manual_seed(11)
    R.rand(7, generator=g)
    h = pickle.loads(pickle.dumps(g))
    k = copy.deepcopy(g)
    a, b, c = R.rand(5, generator=g), R.rand(5, generator=h), R.rand(5, generator=k)
    assert _np(a).tobytes() == _np(b).tobytes() == _np(c).tobytes()
    assert str(g.device) == "cpu"


# ---------------------------------------------------------------------------------------------
# Signatures and semantics
# ---------------------------------------------------------------------------------------------

def test_factory_signatures():
    assert tuple(R.rand(2, 3).shape) == (2, 3)
    assert tuple(R.rand((2, 3)).shape) == (2, 3)
    assert tuple(R.rand([2, 3]).shape) == (2, 3)
    assert tuple(R.rand(pytensor.Size([2, 3])).shape) == (2, 3)
    assert tuple(R.randn(size=(4,)).shape) == (4,)
    assert tuple(R.rand(()).shape) == ()
    assert R.rand(2, dtype=pytensor.float64).dtype == pytensor.float64
    assert R.randn(2).dtype == pytensor.float32
    assert R.randint(10, (3,)).dtype == pytensor.int64
    assert R.randint(0, 5, [3]).dtype == pytensor.int64
    assert tuple(R.randint(5, size=(3,)).shape) == (3,)
    assert tuple(R.randint(low=0, high=5, size=(3,)).shape) == (3,)
    assert tuple(R.randint(high=5, size=(2, 2)).shape) == (2, 2)
    assert R.randint(0, 5, (2,), dtype=pytensor.float64).dtype == pytensor.float64
    assert R.randperm(5).dtype == pytensor.int64
    assert R.randperm(5, dtype=pytensor.int32).dtype == pytensor.int32
    assert tuple(R.randperm(0).shape) == (0,)
    t = R.rand(2, requires_grad=True)
    assert t.requires_grad
    assert tuple(R.normal(0.0, 1.0, (2, 3)).shape) == (2, 3)
    assert R.normal(2.0, 3.0, size=(2,), dtype=pytensor.float64).dtype == pytensor.float64
    assert tuple(R.normal(pytensor.zeros(1, 3), pytensor.ones(3, 1)).shape) == (3, 3)
    assert R.normal(pytensor.zeros(3), pytensor.ones(3, dtype=pytensor.float64)).dtype == pytensor.float32
    assert tuple(R.normal(mean=pytensor.zeros(3)).shape) == (3,)
    assert tuple(R.normal(0.0, std=pytensor.ones(3)).shape) == (3,)
    assert R.randint_like(pytensor.zeros(3), 5).dtype == pytensor.float32
    assert R.randint_like(pytensor.zeros(3), 2, 5, dtype=pytensor.int64).dtype == pytensor.int64
    assert R.rand_like(pytensor.zeros(2, 3), dtype=pytensor.float64).dtype == pytensor.float64
    assert _np(pytensor.empty(3).bernoulli_()).tolist() in [[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)]
    for bad in [(), (2, (3,)), (2.0,)]:
        with pytest.raises(TypeError):
            R.rand(*bad)
    with pytest.raises(TypeError):
        R.randint(0, 5, 3)
    with pytest.raises(TypeError):
        R.randint(5)
    with pytest.raises(TypeError):
        R.randint(3.5, (3,))
    with pytest.raises(TypeError):
        R.normal(1.0, 2.0)
    with pytest.raises(TypeError):
        R.normal(pytensor.zeros(3), 1.0, (3,))
    with pytest.raises(TypeError):
        pytensor.empty(3).random_(1.5)


def test_like_preserves_strides():
    t = pytensor.zeros(2, 3).t()
    assert R.randn_like(t).stride() == (1, 3)
    assert R.rand_like(t).stride() == (1, 3)
    assert R.randn_like(pytensor.zeros(2, 6)[:, ::2]).stride() == (3, 1)
    # per-element path in memory order: equals the values of a flat normal_ on 6 elements
    R.manual_seed(3)
    a = R.randn_like(pytensor.zeros(6, 4).t())  # 24 elements, non-contiguous
    R.manual_seed(3)
    b = pytensor.empty(6, 4).t().normal_()  # the same layout
    assert _np(a).tobytes() == _np(b).tobytes()
    R.manual_seed(3)
    c = pytensor.empty(24).normal_(generator=None)  # contiguous: the block path differs
    assert _np(c).tobytes() != _np(a.t().contiguous()).tobytes()


def test_uniform_clamp_and_bounds():
    R.manual_seed(0)
    v = _np(pytensor.empty(1000).uniform_(3, 3))
    assert (v == 3).all()
    t = pytensor.empty(50).uniform_(-2, 5)
    assert ((_np(t) >= -2) & (_np(t) < 5)).all()


def test_random_forms_ranges():
    R.manual_seed(0)
    assert (_np(pytensor.empty(1000, dtype=pytensor.int8).random_()) >= 0).all()
    v = _np(pytensor.empty(1000, dtype=pytensor.uint8).random_(5, None))
    assert v.min() >= 5 and v.max() <= 255
    v = _np(pytensor.empty(1000).random_(7))
    assert v.min() >= 0 and v.max() < 7
    v = _np(pytensor.empty(1000).random_(to=7))
    assert v.min() >= 0 and v.max() < 7
    v = _np(pytensor.empty(1000, dtype=pytensor.int32).random_(-3, 3))
    assert v.min() >= -3 and v.max() < 3
    v = _np(pytensor.empty(100, dtype=pytensor.bool).random_())
    assert v.dtype == np.bool_
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        R.randint(0, 2 ** 24 + 5, (3,), dtype=pytensor.float32)
        assert any("to - 1 is out of bounds [-(2^24), 2^24]" in str(x.message) for x in w)


def test_strided_outputs_follow_memory_order():
    for dtype in (pytensor.float32, pytensor.float64):
        R.manual_seed(4)
        base = pytensor.empty(3, 4, 5, dtype=dtype)
        view = base.permute(2, 0, 1)
        view.uniform_(-1, 1)
        R.manual_seed(4)
        flat = pytensor.empty(60, dtype=dtype).uniform_(-1, 1)
        assert _np(base).tobytes() == _np(flat).tobytes()


def test_dropout_helper():
    x = R.randn(100)
    assert R._dropout(x, 0.5, False) is x
    assert R._dropout(x, 0.0, True) is x
    z = R._dropout(x, 1.0, True)
    assert (_np(z) == 0).all()
    R.manual_seed(10)
    y = R._dropout(x, 0.25, True)
    kept = _np(y) != 0
    scale = np.float32(1) / np.float32(0.75)
    assert np.array_equal(_np(y)[kept], (_np(x)[kept] * scale).astype(np.float32))
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        R._dropout(x, 1.5, True)
    t = pytensor.ones(4)
    out = R._dropout(t, 0.5, True, inplace=True)
    assert out is t


def test_dataloader_epoch_permutation_with_generator():
    g = R.Generator().manual_seed(1)
    order = R._dataloader_epoch_permutation(10, generator=g)
    assert sorted(order) == list(range(10))


# ---------------------------------------------------------------------------------------------
# Errors: torch's exception classes and messages, raised before anything is drawn
# ---------------------------------------------------------------------------------------------

ERROR_CASES = [
    (lambda: R.randint(5, 5, (3,)), RuntimeError,
     "random_ expects 'from' to be less than 'to', but got from=5 >= to=5"),
    (lambda: R.randint(6, 5, (3,)), RuntimeError,
     "random_ expects 'from' to be less than 'to', but got from=6 >= to=5"),
    (lambda: R.randint(0, 2 ** 63, (3,)), ValueError, "Overflow when unpacking long long"),
    (lambda: R.randint(0, 300, (3,), dtype=pytensor.uint8), RuntimeError,
     "to - 1 is out of bounds for unsigned char"),
    (lambda: R.randint(-1, 5, (3,), dtype=pytensor.uint8), RuntimeError,
     "from is out of bounds for unsigned char"),
    (lambda: R.randint(0, 3, (3,), dtype=pytensor.bool), RuntimeError,
     "to - 1 is out of bounds for bool"),
    (lambda: R.randint(0, 2 ** 40, (3,), dtype=pytensor.int16), RuntimeError,
     "to - 1 is out of bounds for short int"),
    (lambda: pytensor.empty(3).uniform_(5, 3), RuntimeError,
     "uniform_ expects to return a [from, to) range, but found from=5 > to=3"),
    (lambda: pytensor.empty(3).uniform_(-1e308, 1e308), RuntimeError,
     "from is out of bounds for float"),
    (lambda: pytensor.empty(3).uniform_(0, float("inf")), RuntimeError,
     "to is out of bounds for float"),
    (lambda: pytensor.empty(3, dtype=pytensor.float64).uniform_(-1e308, 1e308), RuntimeError,
     "uniform_ expects to-from <= std::numeric_limits<Double>::max(), but found to=1e+308 and "
     "from=-1e+308 which result in to-from to exceed the limit"),
    (lambda: pytensor.empty(3, dtype=pytensor.int64).uniform_(0, 1), NotImplementedError,
     "\"check_uniform_bounds\" not implemented for 'Long'"),
    (lambda: R.rand(2, dtype=pytensor.int64), NotImplementedError,
     "\"check_uniform_bounds\" not implemented for 'Long'"),
    (lambda: R.randn(2, dtype=pytensor.int64), NotImplementedError,
     "\"normal_kernel_cpu\" not implemented for 'Long'"),
    (lambda: pytensor.empty(3).normal_(0, -1), RuntimeError,
     "normal expects std >= 0.0, but found std -1"),
    (lambda: pytensor.empty(3).normal_(0, float("nan")), RuntimeError,
     "normal expects std >= 0.0, but found std nan"),
    (lambda: pytensor.empty(3).bernoulli_(1.5), RuntimeError,
     "bernoulli_ expects p to be in [0, 1], but got p=1.5"),
    (lambda: pytensor.empty(3).bernoulli_(-0.1), RuntimeError,
     "bernoulli_ expects p to be in [0, 1], but got p=-0.1"),
    (lambda: R.bernoulli(pytensor.tensor([0.5, 1.5])), RuntimeError,
     "Expected p_in >= 0 && p_in <= 1 to be true, but got false."),
    (lambda: R.bernoulli(pytensor.tensor([1, 0])), NotImplementedError,
     "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'"),
    (lambda: pytensor.empty(3).bernoulli_(pytensor.tensor([0.1, 0.2])), RuntimeError,
     "The expanded size of the tensor (3) must match the existing size (2) at non-singleton "
     "dimension 0.  Target sizes: [3].  Tensor sizes: [2]"),
    (lambda: pytensor.empty(3).exponential_(0), RuntimeError,
     "exponential_ expects lambda > 0.0, but found lambda=0"),
    (lambda: pytensor.empty(3, dtype=pytensor.int64).exponential_(), RuntimeError,
     "Exponential distribution is a continuous probability distribution. dtype must be a "
     "floating point but you specified Long"),
    (lambda: R.randperm(-1), RuntimeError,
     "Trying to create tensor with negative dimension -1: [-1]"),
    (lambda: R.randperm(2 ** 24 + 2, dtype=pytensor.float32), RuntimeError,
     "n cannot be greater than 2^24+1 for Float type."),
    (lambda: R.randperm(300, dtype=pytensor.uint8), RuntimeError,
     "value cannot be converted to type uint8_t without overflow"),
    (lambda: R.randperm(3, dtype=pytensor.bool), NotImplementedError,
     "\"randperm\" not implemented for 'Bool'"),
    (lambda: R.multinomial(pytensor.tensor([1.0, 0, 0]), 4), RuntimeError,
     "cannot sample n_sample > prob_dist.size(-1) samples without replacement"),
    (lambda: R.multinomial(pytensor.tensor([0.0, 0, 0]), 1), RuntimeError,
     "invalid multinomial distribution (sum of probabilities <= 0)"),
    (lambda: R.multinomial(pytensor.tensor([0.0, 0, 0]), 2, True), RuntimeError,
     "invalid multinomial distribution (sum of probabilities <= 0)"),
    (lambda: R.multinomial(pytensor.tensor([-1.0, 1, 0]), 1), RuntimeError,
     "probability tensor contains either `inf`, `nan` or element < 0"),
    (lambda: R.multinomial(pytensor.tensor([-1.0, 1, 0]), 2, True), RuntimeError,
     "invalid multinomial distribution (encountering probability entry < 0)"),
    (lambda: R.multinomial(pytensor.tensor([float("inf"), 1, 0]), 2, True), RuntimeError,
     "invalid multinomial distribution (encountering probability entry = infinity or NaN)"),
    (lambda: R.multinomial(pytensor.tensor([1.0, 1, 0]), 0), RuntimeError,
     "cannot sample n_sample <= 0 samples"),
    (lambda: R.multinomial(pytensor.tensor(1.0), 1), RuntimeError,
     "prob_dist must be 1 or 2 dim"),
    (lambda: R.multinomial(pytensor.tensor([1, 1]), 1), RuntimeError,
     "multinomial only supports floating-point dtypes for input, got: Long"),
    (lambda: R.normal(pytensor.zeros(3), pytensor.ones(2)), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
    (lambda: R.normal(pytensor.zeros(3), -1.0), RuntimeError,
     "normal expects std >= 0.0, but found std -1"),
    (lambda: R.normal(0.0, pytensor.tensor([-1.0, 1])), RuntimeError,
     "normal expects all elements of std >= 0.0"),
    (lambda: R.normal(1.0, -2.0, size=(2,)), RuntimeError,
     "normal expects std >= 0.0, but found std -2"),
    (lambda: R.normal(pytensor.zeros(3, dtype=pytensor.int64), 1.0), NotImplementedError,
     "\"normal_kernel_cpu\" not implemented for 'Long'"),
    (lambda: pytensor.empty(3).random_(5, 3), RuntimeError,
     "random_ expects 'from' to be less than 'to', but got from=5 >= to=3"),
    (lambda: pytensor.empty(3).random_(-3), RuntimeError,
     "random_ expects 'from' to be less than 'to', but got from=0 >= to=-3"),
    (lambda: pytensor.empty(3).random_(2 ** 24, None), RuntimeError,
     "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to "
     "dtype, but got from=16777216 > to_inc=16777216"),
    (lambda: pytensor.empty(3, dtype=pytensor.int8).random_(200, None), RuntimeError,
     "from is out of bounds for signed char"),
    (lambda: pytensor.empty(3, dtype=pytensor.int32).random_(-2 ** 63, None), RuntimeError,
     "random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16"),
    (lambda: pytensor.zeros(3).expand(2, 3).uniform_(), RuntimeError,
     "unsupported operation: more than one element of the written-to tensor refers to a single "
     "memory location. Please clone() the tensor before performing the operation."),
]


@pytest.mark.parametrize("idx", range(len(ERROR_CASES)))
def test_errors(idx):
    fn, exc, msg = ERROR_CASES[idx]
    R.manual_seed(123)
    before = _np(R.get_rng_state()).tobytes()
    with pytest.raises(exc) as info:
        fn()
    assert msg in str(info.value)
    assert _np(R.get_rng_state()).tobytes() == before, "an invalid call consumed draws"


def test_multinomial_without_replacement_zero_categories_like_torch():
    R.manual_seed(0)
    assert _np(R.multinomial(pytensor.tensor([1.0, 0, 0]), 3)).tolist()[0] == 0
    assert _np(R.multinomial(pytensor.tensor([1.0, 0, 0]), 4, True)).tolist() == [0, 0, 0, 0]
    assert tuple(R.multinomial(pytensor.ones(0, 3), 1).shape) == (0, 1)


# ---------------------------------------------------------------------------------------------
# Parity with the installed torch (random seeds, sizes, layouts)
# ---------------------------------------------------------------------------------------------

def _torch():
    torch = pytest.importorskip("torch")
    if torch.backends.cpu.get_cpu_capability() == "DEFAULT":
        pytest.skip("torch runs its non-FMA DEFAULT kernels here; pytensor implements the FMA variant")
    return torch


def _same(a, b, what):
    x = np.ascontiguousarray(_np(a))
    y = np.ascontiguousarray(b.detach().numpy()).ravel() if hasattr(b, "detach") else np.asarray(b).ravel()
    assert x.dtype == y.dtype, what
    assert x.tobytes() == y.tobytes(), what


SIZES = [1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 100, 257, 1000, 4097]


@pytest.mark.parametrize("trial", range(12))
def test_parity_with_torch(trial):
    torch = _torch()
    rng = pyrandom.Random(1000 + trial)
    seed = rng.choice([rng.randrange(2 ** 64), rng.randrange(2 ** 32), -rng.randrange(2 ** 63)])
    torch.manual_seed(seed)
    R.manual_seed(seed)
    tdt = {"float32": torch.float32, "float64": torch.float64}
    pdt = {"float32": pytensor.float32, "float64": pytensor.float64}
    for step in range(25):
        n = rng.choice(SIZES)
        d = rng.choice(["float32", "float64"])
        kind = rng.choice(["rand", "randn", "uniform", "normal", "randint", "randperm", "bernoulli",
                           "exponential", "multinomial", "random", "bernoulli_t", "normal_t",
                           "strided"])
        what = f"seed={seed} step={step} {kind} n={n} {d}"
        if kind == "rand":
            _same(R.rand(n, dtype=pdt[d]), torch.rand(n, dtype=tdt[d]), what)
        elif kind == "randn":
            _same(R.randn(n, dtype=pdt[d]), torch.randn(n, dtype=tdt[d]), what)
        elif kind == "uniform":
            a = rng.uniform(-10, 10)
            b = a + rng.uniform(0, 10)
            _same(pytensor.empty(n, dtype=pdt[d]).uniform_(a, b),
                  torch.empty(n, dtype=tdt[d]).uniform_(a, b), what)
        elif kind == "normal":
            m, s = rng.uniform(-5, 5), rng.uniform(0, 3)
            _same(pytensor.empty(n, dtype=pdt[d]).normal_(m, s),
                  torch.empty(n, dtype=tdt[d]).normal_(m, s), what)
        elif kind == "randint":
            lo = rng.choice([0, -5, -2 ** 40, rng.randrange(-2 ** 62, 2 ** 62)])
            span = rng.choice([1, 10, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 62])
            _same(R.randint(lo, lo + span, (n,)), torch.randint(lo, lo + span, (n,)), what)
        elif kind == "randperm":
            _same(R.randperm(n), torch.randperm(n), what)
        elif kind == "bernoulli":
            p = rng.choice([0.0, 0.1, 0.5, 1.0, rng.random()])
            dd = rng.choice(["float32", "float64", "bool", "int64"])
            pd = {**pdt, "bool": pytensor.bool, "int64": pytensor.int64}[dd]
            td = {**tdt, "bool": torch.bool, "int64": torch.int64}[dd]
            _same(pytensor.empty(n, dtype=pd).bernoulli_(p), torch.empty(n, dtype=td).bernoulli_(p), what)
        elif kind == "exponential":
            lam = rng.choice([1.0, 2.5, rng.uniform(0.1, 10)])
            _same(pytensor.empty(n, dtype=pdt[d]).exponential_(lam),
                  torch.empty(n, dtype=tdt[d]).exponential_(lam), what)
        elif kind == "multinomial":
            rows = rng.choice([1, 3])
            cats = rng.choice([2, 5, 50, 300])
            probs = np.random.default_rng(step).random((rows, cats)).astype(d)
            probs[probs < 0.2] = 0
            probs[:, 0] = 0.5
            k = rng.choice([1, 2, 5, 20])
            repl = rng.random() < 0.5 or k > cats
            _same(R.multinomial(_tensor_from(probs), k, repl),
                  torch.multinomial(torch.from_numpy(probs), k, repl), what)
        elif kind == "random":
            dd = rng.choice(["int64", "int32", "int16", "uint8", "float32", "float64", "bool"])
            pd = getattr(pytensor, dd)
            td = getattr(torch, dd)
            _same(pytensor.empty(n, dtype=pd).random_(), torch.empty(n, dtype=td).random_(), what)
        elif kind == "bernoulli_t":
            probs = np.random.default_rng(step).random(n).astype(d)
            _same(R.bernoulli(_tensor_from(probs)), torch.bernoulli(torch.from_numpy(probs)), what)
        elif kind == "normal_t":
            mean = np.random.default_rng(step).standard_normal(n).astype(d)
            std = np.random.default_rng(step + 1).random(n).astype(d)
            form = rng.choice(["tt", "ts", "st"])
            if form == "tt":
                _same(R.normal(_tensor_from(mean), _tensor_from(std)),
                      torch.normal(torch.from_numpy(mean), torch.from_numpy(std)), what)
            elif form == "ts":
                _same(R.normal(_tensor_from(mean), 0.7), torch.normal(torch.from_numpy(mean), 0.7), what)
            else:
                _same(R.normal(0.3, _tensor_from(std)), torch.normal(0.3, torch.from_numpy(std)), what)
        else:
            shape = [rng.choice([1, 2, 3, 5]) for _ in range(3)]
            perm = rng.sample(range(3), 3)
            op = rng.choice(["uniform_", "normal_", "bernoulli_"])
            args = {"uniform_": (-1.5, 2.0), "normal_": (0.5, 2.0), "bernoulli_": (0.3,)}[op]
            pt_view = pytensor.empty(*shape, dtype=pdt[d]).permute(*perm)
            th_view = torch.empty(*shape, dtype=tdt[d]).permute(*perm)
            step_slice = rng.random() < 0.5
            if step_slice:
                pt_view = pytensor.empty(*[2 * s for s in shape], dtype=pdt[d])[::2, :, ::2].permute(*perm)
                th_view = torch.empty(*[2 * s for s in shape], dtype=tdt[d])[::2, :, ::2].permute(*perm)
            getattr(pt_view, op)(*args)
            getattr(th_view, op)(*args)
            _same(pt_view.contiguous(), th_view.contiguous(), what + f" {op} {shape} {perm}")
    # The generators stay in step, state bytes included.
    _same(R.get_rng_state(), torch.get_rng_state(), f"seed={seed} final state")


def test_parity_dropout_and_dataloader_with_torch():
    torch = _torch()
    for seed in (0, 1, 12345):
        torch.manual_seed(seed)
        R.manual_seed(seed)
        x = np.random.default_rng(seed).standard_normal((7, 9)).astype(np.float32)
        for p in (0.1, 0.5, 0.9):
            _same(R._dropout(_tensor_from(x), p, True),
                  torch.nn.functional.dropout(torch.from_numpy(x), p, training=True), f"dropout {p}")
        xt = _tensor_from(x).t()
        _same(R._dropout(xt, 0.3, True).contiguous(),
              torch.nn.functional.dropout(torch.from_numpy(x).t(), 0.3, training=True).contiguous(),
              "dropout strided")
        loader = torch.utils.data.DataLoader(list(range(23)), batch_size=None, shuffle=True)
        for _ in range(2):
            assert R._dataloader_epoch_permutation(23) == [int(v) for v in loader]
        _same(R.get_rng_state(), torch.get_rng_state(), "state after dropout/dataloader")
