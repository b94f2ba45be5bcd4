"""The device API: ``pytensor.cuda``, ``pytensor.device``, ``Tensor.to/.cuda/.cpu``, device-aware
factories, ``Module.to``, printing and saving of CUDA tensors.

The first half runs everywhere (on this CPU-only machine CUDA is never available, so it checks
the answers torch gives there and that CPU behaviour is unchanged). The second half needs a
GPU and is skipped without one; each of its tests compares a CUDA result with the CPU result of
the same pytensor code.
"""

from __future__ import annotations

import io
import json
import math
import pickle
from pathlib import Path

import numpy as np
import pytest

import pytensor
from pytensor import nn

from conftest import ALL_DTYPES, FLOAT_DTYPES, NP_OF

HAS_CUDA = pytensor.cuda.is_available()
SPEC_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "spec"
needs_cuda = pytest.mark.skipif(not HAS_CUDA, reason="needs a CUDA GPU")
no_cuda = pytest.mark.skipif(HAS_CUDA, reason="checks the answers given without a GPU")


def _values(t: pytensor.Tensor) -> np.ndarray:
    return np.array(t.tolist(), dtype=NP_OF[t.dtype]).reshape(tuple(t.shape))


def _sample(shape: tuple, dt: pytensor.dtype, seed: int = 0, castable: bool = False) -> np.ndarray:
    """Values of dtype ``dt`` (negative ones too where it has them); with ``castable``, values in
    [0, 100) that every dtype holds, so conversions between any two dtypes are defined."""
    rng = np.random.default_rng(seed)
    if dt == pytensor.bool:
        out = rng.random(shape) > 0.5
    elif dt.is_floating_point:
        out = rng.uniform(0, 100, shape) if castable else rng.standard_normal(shape) * 100
    else:
        lo = 0 if castable or dt == pytensor.uint8 else -100
        out = rng.integers(lo, 100, shape)
    return np.asarray(out).astype(NP_OF[dt])


# =================================================================================================
# Runs everywhere
# =================================================================================================

# ---- pytensor.cuda queries -----------------------------------------------------------------------

@no_cuda
def test_queries_without_a_gpu():
    assert pytensor.cuda.is_available() is False
    assert pytensor.cuda.device_count() == 0
    assert pytensor.cuda.is_built() is bool(pytensor._C._cuda_is_built())
    assert pytensor.cuda.is_initialized() is False
    # torch answers 0 for memory statistics before CUDA is initialized
    assert pytensor.cuda.memory_allocated() == 0
    assert pytensor.cuda.memory_reserved() == 0
    assert pytensor.cuda.memory_allocated(0) == 0
    pytensor.cuda.empty_cache()


@no_cuda
def test_fork_rng_without_a_gpu_restores_the_cpu_stream():
    pytensor.manual_seed(3)
    with pytensor.random.fork_rng():
        inside = _values(pytensor.rand(4))
    np.testing.assert_array_equal(_values(pytensor.rand(4)), inside)
    assert pytensor.cuda.get_rng_state_all() == []


@no_cuda
def test_seeding_without_a_gpu_is_lazy():
    # torch queues CUDA seeds until CUDA is initialized: never an error without a GPU
    pytensor.cuda.manual_seed(1)
    pytensor.cuda.manual_seed_all(2)
    pytensor.cuda.seed()
    pytensor.cuda.seed_all()


@no_cuda
@pytest.mark.parametrize("call", [
    lambda: pytensor.cuda.current_device(),
    lambda: pytensor.cuda.set_device(0),
    lambda: pytensor.cuda.set_device("cuda:0"),
    lambda: pytensor.cuda.synchronize(),
    lambda: pytensor.cuda.initial_seed(),
    lambda: pytensor.cuda.get_device_name(),
    lambda: pytensor.cuda.get_device_capability(0),
    lambda: pytensor.cuda.get_rng_state(),
    lambda: pytensor.cuda.set_rng_state(pytensor.zeros(8, dtype=pytensor.uint8)),
], ids=["current_device", "set_device", "set_device_str", "synchronize", "initial_seed",
        "get_device_name", "get_device_capability", "get_rng_state", "set_rng_state"])
def test_device_calls_raise_without_a_gpu(call):
    with pytest.raises(RuntimeError):
        call()


def test_set_device_arguments():
    pytensor.cuda.set_device(-1)  # torch ignores negative indices
    with pytest.raises(ValueError, match="Expected a cuda device, but got: cpu"):
        pytensor.cuda.set_device("cpu")


def test_cuda_module_is_importable_as_attribute():
    import pytensor.cuda as cuda_mod

    assert cuda_mod is pytensor.cuda
    for name in ("is_available", "device_count", "current_device", "set_device", "synchronize",
                 "manual_seed", "manual_seed_all", "seed", "initial_seed", "memory_allocated",
                 "memory_reserved", "empty_cache", "get_device_name", "is_initialized"):
        assert callable(getattr(pytensor.cuda, name)), name


def test_cublas_path_is_left_to_the_user(monkeypatch, tmp_path):
    from pytensor import cuda

    monkeypatch.setenv("PYTENSOR_CUBLAS_PATH", "/my/cublas")
    cuda._set_cublas_path()
    assert __import__("os").environ["PYTENSOR_CUBLAS_PATH"] == "/my/cublas"


def test_cublas_dir_found_in_the_nvidia_namespace_package(monkeypatch, tmp_path):
    # Layout of the nvidia-cublas wheel (CUDA 13): site-packages/nvidia/cu13/lib/libcublas.so.13
    from pytensor import cuda

    lib = tmp_path / "nvidia" / "cu13" / "lib"
    lib.mkdir(parents=True)
    (lib / "libcublas.so.13").write_bytes(b"")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(__import__("sys").modules, "nvidia", raising=False)
    monkeypatch.delenv("PYTENSOR_CUBLAS_PATH", raising=False)
    assert cuda._cublas_dir() == str(lib)
    cuda._set_cublas_path()
    assert __import__("os").environ["PYTENSOR_CUBLAS_PATH"] == str(lib)


# ---- pytensor.device parsing, against torch ------------------------------------------------------

DEVICE_ARGS = [("cpu",), ("cuda",), ("cuda:0",), ("cuda:1",), ("cuda:10",), ("cpu:0",),
               ("cuda", 0), ("cuda", 3), ("cpu", 0)]
BAD_DEVICE_ARGS = [("cuda:-1",), ("cuda:x",), ("cuda:0:1",), ("cuda: 1",), ("cuda:01",),
                   (" cuda",), ("gpu",), ("CUDA",), ("cuda", -1), ("cuda:1", 2), ("cuda", 1.5),
                   ("cuda", True), (1.5,), (-1,)]


@pytest.mark.parametrize("args", DEVICE_ARGS, ids=repr)
def test_device_parsing_matches_torch(args):
    torch = pytest.importorskip("torch")
    d, td = pytensor.device(*args), torch.device(*args)
    assert (d.type, d.index) == (td.type, td.index)
    assert repr(d) == repr(td)
    assert str(d) == str(td)
    assert d == pytensor.device(str(d))
    assert hash(d) == hash(pytensor.device(str(d)))
    assert pickle.loads(pickle.dumps(d)) == d


@pytest.mark.parametrize("args", BAD_DEVICE_ARGS, ids=repr)
def test_bad_devices_raise_as_torch(args):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as expected:
        torch.device(*args)
    with pytest.raises(expected.type) as got:
        pytensor.device(*args)
    msg = str(expected.value)
    if "Expected one of" not in msg:  # torch lists device types pytensor does not have
        assert str(got.value).split("\n")[0] == msg.split("\n")[0]
    else:
        assert str(got.value).startswith("Expected one of cpu, cuda")


def test_device_never_equals_a_string():
    assert (pytensor.device("cpu") == "cpu") is False
    assert pytensor.device("cuda", 0) == pytensor.device("cuda:0")
    assert pytensor.device("cuda") != pytensor.device("cuda:0")


@no_cuda
def test_int_device_needs_an_accelerator():
    with pytest.raises(RuntimeError, match="Cannot access accelerator device when none is"):
        pytensor.device(0)


# ---- CPU tensors: device attributes and .to ------------------------------------------------------

def test_cpu_tensor_device_attributes():
    t = pytensor.zeros(2, 3)
    assert t.device == pytensor.device("cpu")
    assert repr(t.device) == "device(type='cpu')"
    assert t.is_cuda is False
    assert t.get_device() == -1


@pytest.mark.parametrize("dev", ["cpu", pytensor.device("cpu"), "cpu:0"])
def test_to_cpu_returns_self(dev):
    t = pytensor.arange(6.0).reshape(2, 3)
    assert t.to(dev) is t
    assert t.to(device=dev) is t
    assert t.to(dev, pytensor.float32) is t
    assert t.to(dev, non_blocking=True) is t
    assert t.cpu() is t


def test_to_forms_match_torch():
    torch = pytest.importorskip("torch")
    data = [[1.5, -2.0, 3.25], [0.0, 4.0, -0.5]]
    t, tt = pytensor.tensor(data), torch.tensor(data)
    other, tother = pytensor.zeros(1, dtype=pytensor.int32), torch.zeros(1, dtype=torch.int32)
    forms = [
        (lambda x, m: x.to(m.float64), None),
        (lambda x, m: x.to(m.float32), "self"),
        (lambda x, m: x.to(m.float32, copy=True), "copy"),
        (lambda x, m: x.to(m.float64, True, True), None),
        (lambda x, m: x.to("cpu", m.int64), None),
        (lambda x, m: x.to("cpu", m.float32, False, True), "copy"),
        (lambda x, m: x.to(device="cpu", dtype=m.int16), None),
        (lambda x, m: x.to(None, m.float64), None),
        (lambda x, m: x.to(None), "self"),
        (lambda x, m: x.to(dtype=m.uint8), None),
        (lambda x, m: x.to("cpu", copy=True), "copy"),
    ]
    for form, identity in forms:
        got, want = form(t, pytensor), form(tt, torch)
        assert got.dtype._name == str(want.dtype).split(".")[1]
        np.testing.assert_array_equal(_values(got), want.numpy())
        if identity == "self":
            assert got is t
        elif identity == "copy":
            assert got is not t
            assert got.data_ptr() != t.data_ptr()
    got = t.to(other)
    assert got.dtype == pytensor.int32 and got.device == other.device
    assert t.to(other, True).dtype == pytensor.int32
    assert t.to(tensor=other).dtype == pytensor.int32
    assert tt.to(tother).dtype == torch.int32


@pytest.mark.parametrize("args,kwargs", [
    (("cpu", "cpu"), {}),
    ((pytensor.float64, pytensor.float32), {}),
    ((1.5j,), {}),
    ((pytensor.float64,), {"device": "cpu"}),
    ((), {"foo": 1}),
    ((pytensor.float64, 1), {}),
])
def test_to_bad_arguments_raise_type_error(args, kwargs):
    with pytest.raises(TypeError, match="to\\(\\) received an invalid combination of arguments"):
        pytensor.zeros(2).to(*args, **kwargs)


def test_to_bad_device_string_raises_runtime_error():
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda device type"):
        pytensor.zeros(2).to("gpu")


def test_to_records_autograd_like_torch():
    x = pytensor.tensor([1.0, 2.0], requires_grad=True)
    assert x.to("cpu") is x  # no node: the input itself
    y = x.to("cpu", pytensor.float64)
    assert y.grad_fn.name() == "ToCopyBackward0"
    (y * y).sum().backward()
    assert x.grad.dtype == pytensor.float32
    np.testing.assert_allclose(_values(x.grad), [2.0, 4.0])


@no_cuda
@pytest.mark.parametrize("call", [
    lambda t: t.to("cuda"),
    lambda t: t.to("cuda:0", pytensor.float64),
    lambda t: t.to(device=pytensor.device("cuda", 0)),
    lambda t: t.cuda(),
    lambda t: t.cuda(0),
], ids=["to_cuda", "to_cuda0_dtype", "to_device_obj", "cuda", "cuda0"])
def test_moving_to_cuda_raises_without_a_gpu(call):
    with pytest.raises(RuntimeError):
        call(pytensor.ones(3))


def test_cuda_method_refuses_cpu_device():
    with pytest.raises(RuntimeError, match="Invalid device, must be cuda device"):
        pytensor.ones(3).cuda("cpu")


def test_numpy_and_tolist_of_cpu_tensors_unchanged():
    t = pytensor.arange(6).reshape(2, 3)
    assert t.tolist() == [[0, 1, 2], [3, 4, 5]]
    arr = t.numpy()
    arr[0, 0] = 7
    assert t[0, 0].item() == 7  # still shares memory


# ---- factories and device= -----------------------------------------------------------------------

FACTORIES = {
    "empty": lambda **kw: pytensor.empty(2, 3, **kw),
    "zeros": lambda **kw: pytensor.zeros(2, 3, **kw),
    "ones": lambda **kw: pytensor.ones(2, 3, **kw),
    "full": lambda **kw: pytensor.full((2, 3), 1.5, **kw),
    "arange": lambda **kw: pytensor.arange(5, **kw),
    "linspace": lambda **kw: pytensor.linspace(0, 1, 5, **kw),
    "eye": lambda **kw: pytensor.eye(3, **kw),
    "empty_strided": lambda **kw: pytensor.empty_strided((2, 3), (1, 2), **kw),
    "scalar_tensor": lambda **kw: pytensor.scalar_tensor(2.5, **kw),
    "tensor": lambda **kw: pytensor.tensor([[1, 2], [3, 4]], **kw),
    "tensor_of_tensor": lambda **kw: pytensor.tensor(pytensor.arange(4.0), **kw),
    "as_tensor": lambda **kw: pytensor.as_tensor([1.0, 2.0], **kw),
    "as_tensor_numpy": lambda **kw: pytensor.as_tensor(np.arange(3.0), **kw),
    "zeros_like": lambda **kw: pytensor.zeros_like(pytensor.ones(2), **kw),
    "ones_like": lambda **kw: pytensor.ones_like(pytensor.ones(2), **kw),
    "full_like": lambda **kw: pytensor.full_like(pytensor.ones(2), 7, **kw),
    "empty_like": lambda **kw: pytensor.empty_like(pytensor.ones(2), **kw),
    "rand": lambda **kw: pytensor.rand(2, 3, **kw),
    "randn": lambda **kw: pytensor.randn(2, 3, **kw),
    "randint": lambda **kw: pytensor.randint(0, 10, (4,), **kw),
    "randperm": lambda **kw: pytensor.randperm(5, **kw),
    "rand_like": lambda **kw: pytensor.rand_like(pytensor.ones(2), **kw),
    "randn_like": lambda **kw: pytensor.randn_like(pytensor.ones(2), **kw),
    "randint_like": lambda **kw: pytensor.randint_like(pytensor.ones(2), 5, **kw),
    "normal": lambda **kw: pytensor.normal(0.0, 1.0, (3,), **kw),
}


@pytest.mark.parametrize("name", list(FACTORIES))
@pytest.mark.parametrize("dev", ["cpu", pytensor.device("cpu"), "cpu:0"])
def test_factories_on_cpu_device(name, dev):
    pytensor.manual_seed(0)
    a = FACTORIES[name](device=dev)
    pytensor.manual_seed(0)
    b = FACTORIES[name]()
    assert a.device == pytensor.device("cpu") and not a.is_cuda
    assert a.shape == b.shape and a.dtype == b.dtype
    if name not in ("empty", "empty_strided", "empty_like"):
        np.testing.assert_array_equal(_values(a), _values(b))


@no_cuda
@pytest.mark.parametrize("name", list(FACTORIES))
def test_factories_on_cuda_raise_runtime_error_without_a_gpu(name):
    with pytest.raises(RuntimeError):
        FACTORIES[name](device="cuda")


@pytest.mark.parametrize("name", ["zeros", "arange", "tensor"])
def test_factories_reject_bad_device_strings(name):
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda device type"):
        FACTORIES[name](device="tpu")


def test_like_factories_keep_the_input_device_and_dtype():
    x = pytensor.ones(2, 2, dtype=pytensor.float64)
    for f in (pytensor.zeros_like, pytensor.ones_like, pytensor.empty_like, pytensor.rand_like):
        y = f(x)
        assert y.device == x.device and y.dtype == pytensor.float64 and y.shape == x.shape


def test_new_factories_follow_self():
    torch = pytest.importorskip("torch")
    x, tx = pytensor.ones(2, dtype=pytensor.int32), torch.ones(2, dtype=torch.int32)
    for name, args in (("new_zeros", ((2, 3),)), ("new_ones", (4,)), ("new_full", ((2,), 5)),
                       ("new_tensor", ([1, 2, 3],)), ("new_empty", (3,))):
        got, want = getattr(x, name)(*args), getattr(tx, name)(*args)
        assert got.dtype._name == str(want.dtype).split(".")[1], name
        assert tuple(got.shape) == tuple(want.shape), name
        if name != "new_empty":
            np.testing.assert_array_equal(_values(got), want.numpy())
    assert x.new_zeros(2, dtype=pytensor.float64).dtype == pytensor.float64


# ---- seeding -------------------------------------------------------------------------------------

def test_manual_seed_still_gives_torchs_cpu_numbers():
    torch = pytest.importorskip("torch")
    for seed in (0, 1234, -5, 2**63 + 17):
        pytensor.manual_seed(seed)
        torch.manual_seed(seed)
        np.testing.assert_array_equal(_values(pytensor.rand(7)), torch.rand(7).numpy())
        np.testing.assert_array_equal(_values(pytensor.randn(3, dtype=pytensor.float64)),
                                      torch.randn(3, dtype=torch.float64).numpy())
        assert pytensor.initial_seed() == torch.initial_seed()


def test_seed_returns_the_new_seed():
    s = pytensor.seed()
    assert pytensor.initial_seed() == s


# ---- Tensor.data assignment (torch's _set_data) --------------------------------------------------

def test_data_assignment_shares_memory_like_torch():
    torch = pytest.importorskip("torch")
    for lib, make in ((pytensor, pytensor.tensor), (torch, torch.tensor)):
        a = make([0.0, 0.0], requires_grad=True)
        y = make([1.0, 1.0, 1.0], dtype=lib.float64)
        a.data = y
        y.add_(1)
        assert a.dtype == lib.float64 and tuple(a.shape) == (3,)
        assert a.requires_grad and a.tolist() == [2.0, 2.0, 2.0]
    x = pytensor.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="must be floating point"):
        x.data = pytensor.tensor([1])
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
        x.data = [1.0]


def test_data_in_place_update_still_works():
    p = nn.Parameter(pytensor.ones(3))
    p.data -= 0.5 * pytensor.ones(3)
    assert p.tolist() == [0.5, 0.5, 0.5]
    p.data.mul_(2)
    assert p.tolist() == [1.0, 1.0, 1.0]


# ---- Module.to -----------------------------------------------------------------------------------

class _Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)
        self.register_buffer("steps", pytensor.zeros((), dtype=pytensor.int64))

    def forward(self, x):
        return self.fc2(pytensor.relu(self.fc1(x)))


def test_module_to_cpu_keeps_parameter_objects():
    pytensor.manual_seed(0)
    net = _Net()
    before = {n: p for n, p in net.named_parameters()}
    values = {n: p.tolist() for n, p in before.items()}
    assert net.to("cpu") is net
    assert net.cpu() is net
    assert net.to(pytensor.device("cpu"), non_blocking=True) is net
    for n, p in net.named_parameters():
        assert p is before[n]
        assert p.tolist() == values[n]
        assert isinstance(p, nn.Parameter) and p.requires_grad


def test_module_to_dtype_in_place_and_optimizer_still_works():
    torch = pytest.importorskip("torch")

    def run(lib, ttnn, make):
        lib.manual_seed(0)
        model = ttnn.Linear(3, 2)
        opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # built before .to()
        x = make([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], dtype=lib.float64)
        loss = model.to(lib.float64)(x).pow(2).sum()
        loss.backward()
        model.to(lib.float64)
        opt.step()
        params = list(model.parameters())
        return [p.detach().tolist() for p in params], [p.dtype for p in params]

    got, got_dtypes = run(pytensor, nn, pytensor.tensor)
    want, _ = run(torch, torch.nn, torch.tensor)
    assert got_dtypes == [pytensor.float64, pytensor.float64]
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.array(g), np.array(w), rtol=1e-12)


def test_module_to_dtype_moves_grads_and_keeps_objects():
    net = _Net()
    x = pytensor.randn(5, 4)
    net(x).sum().backward()
    params = list(net.parameters())
    grads = [p.grad for p in params]
    net.double()
    for p, g in zip(net.parameters(), grads):
        assert any(p is q for q in params)  # the same objects
        assert p.dtype == pytensor.float64 and p.grad is g and g.dtype == pytensor.float64
    assert net.steps.dtype == pytensor.int64  # integer buffers keep their dtype
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point"):
        net.to(pytensor.int32)


@no_cuda
def test_module_cuda_raises_without_a_gpu():
    with pytest.raises(RuntimeError):
        _Net().cuda()
    with pytest.raises(RuntimeError):
        _Net().to("cuda")


# ---- optimizer state follows the parameter -------------------------------------------------------

def test_optimizer_state_is_created_like_the_parameter():
    p = nn.Parameter(pytensor.ones(3, dtype=pytensor.float64))
    opt = pytensor.optim.Adam([p], lr=0.1)
    p.grad = pytensor.ones(3, dtype=pytensor.float64)
    opt.step()
    st = opt.state[p]
    assert st["exp_avg"].dtype == pytensor.float64 and st["exp_avg"].device == p.device
    assert st["step"].dtype == pytensor.float32 and st["step"].device == pytensor.device("cpu")


# ---- printing of a tensor reported as a CUDA one -------------------------------------------------

@pytest.fixture
def as_if_on_cuda(monkeypatch):
    """CPU tensors that report device cuda:0: the printing path of CUDA tensors without a GPU
    (values are read from the host copy, which for these is the tensor itself)."""
    monkeypatch.setattr(pytensor.Tensor, "_device_str", property(lambda self: "cuda:0"))
    monkeypatch.setattr(pytensor.Tensor, "cpu", lambda self, memory_format=None: self)


@pytest.mark.parametrize("make,expected", [
    (lambda: pytensor.tensor([1.0, 2.0]), "tensor([1., 2.], device='cuda:0')"),
    (lambda: pytensor.tensor([1, 2]), "tensor([1, 2], device='cuda:0')"),
    (lambda: pytensor.tensor([1, 2], dtype=pytensor.int32),
     "tensor([1, 2], device='cuda:0', dtype=pytensor.int32)"),
    (lambda: pytensor.tensor([1.0, 2.0], requires_grad=True),
     "tensor([1., 2.], device='cuda:0', requires_grad=True)"),
    (lambda: pytensor.zeros(0, 3), "tensor([], device='cuda:0', size=(0, 3))"),
    (lambda: pytensor.tensor([[-1.3303, 0.9384], [-0.5768, 0.2146]], dtype=pytensor.float64,
                             requires_grad=True),
     "tensor([[-1.3303,  0.9384],\n        [-0.5768,  0.2146]], device='cuda:0', "
     "dtype=pytensor.float64,\n       requires_grad=True)"),
])
def test_cuda_tensor_repr_suffix_order(as_if_on_cuda, make, expected):
    t = make()
    assert t.device == pytensor.device("cuda", 0) and t.is_cuda and t.get_device() == 0
    assert repr(t) == expected


def test_type_names_a_cuda_tensor(as_if_on_cuda):
    assert pytensor.ones(2).type() == "pytensor.cuda.FloatTensor"
    assert pytensor.ones(2, dtype=pytensor.int64).type() == "pytensor.cuda.LongTensor"


def test_grad_fn_suffix_after_device(as_if_on_cuda):
    x = pytensor.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x * 2) == "tensor([2., 4.], device='cuda:0', grad_fn=<MulBackward0>)"


# ---- save/load -----------------------------------------------------------------------------------

def _roundtrip(obj, **load_kw):
    buf = io.BytesIO()
    pytensor.save(obj, buf)
    buf.seek(0)
    return pytensor.load(buf, **load_kw)


def test_save_of_cpu_tensors_records_no_device():
    buf = io.BytesIO()
    pytensor.save({"w": pytensor.ones(2)}, buf)
    buf.seek(0)
    import zipfile

    with zipfile.ZipFile(buf) as zf:
        manifest = json.loads(zf.read("pytensor/manifest.json"))
    assert "device" not in json.dumps(manifest)


@pytest.mark.parametrize("loc", ["cpu", pytensor.device("cpu"), {"cpu": "cpu"},
                                 lambda storage, location: storage])
def test_load_map_location_cpu(loc):
    out = _roundtrip({"w": pytensor.arange(3.0)}, map_location=loc)
    assert out["w"].tolist() == [0.0, 1.0, 2.0] and out["w"].device == pytensor.device("cpu")


@no_cuda
def test_load_of_a_cuda_checkpoint_without_a_gpu(monkeypatch):
    # Writes a checkpoint whose tensors report cuda:0 (the writer reads values from the host).
    buf = io.BytesIO()
    with monkeypatch.context() as m:
        m.setattr(pytensor.Tensor, "_device_str", property(lambda self: "cuda:0"))
        pytensor.save({"w": pytensor.arange(3.0), "n": 3}, buf)
    data = buf.getvalue()
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device"):
        pytensor.load(io.BytesIO(data))
    for loc in ("cpu", {"cuda:0": "cpu"}, pytensor.device("cpu")):
        out = pytensor.load(io.BytesIO(data), map_location=loc)
        assert out["w"].tolist() == [0.0, 1.0, 2.0] and not out["w"].is_cuda and out["n"] == 3
    seen = []
    out = pytensor.load(io.BytesIO(data), map_location=lambda t, loc: seen.append(loc) or t)
    assert seen == ["cuda:0"] and out["w"].tolist() == [0.0, 1.0, 2.0]


def test_pickle_of_cpu_tensor_unchanged():
    t = pytensor.arange(4.0, requires_grad=True)
    u = pickle.loads(pickle.dumps(t))
    assert u.tolist() == t.tolist() and u.requires_grad and u.device == t.device


# =================================================================================================
# Needs a GPU: each CUDA result against the CPU result of the same code
# =================================================================================================

CUDA = "cuda"


@needs_cuda
def test_cuda_queries_on_a_gpu():
    n = pytensor.cuda.device_count()
    assert n >= 1 and pytensor.cuda.is_available() and pytensor.cuda.is_initialized()
    assert 0 <= pytensor.cuda.current_device() < n
    pytensor.cuda.set_device(0)
    assert pytensor.cuda.current_device() == 0
    with pytensor.cuda.device(0):
        assert pytensor.cuda.current_device() == 0
    name = pytensor.cuda.get_device_name()
    assert isinstance(name, str) and name
    major, minor = pytensor.cuda.get_device_capability(0)
    assert major >= 3 and minor >= 0
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        assert name == torch.cuda.get_device_name(0)
        assert (major, minor) == torch.cuda.get_device_capability(0)
    pytensor.cuda.synchronize()
    pytensor.cuda.synchronize(0)
    pytensor.cuda.synchronize("cuda:0")


@needs_cuda
def test_cuda_memory_statistics():
    import gc

    gc.collect()  # tensors of earlier tests freed now, not while this test counts
    pytensor.cuda.synchronize()
    base = pytensor.cuda.memory_allocated()
    t = pytensor.empty(1 << 20, device=CUDA)  # 4 MiB
    assert pytensor.cuda.memory_allocated() >= base + 4 * (1 << 20)
    assert pytensor.cuda.memory_reserved() >= pytensor.cuda.memory_allocated()
    del t
    assert pytensor.cuda.memory_allocated() == base
    pytensor.cuda.empty_cache()
    assert pytensor.cuda.memory_reserved() >= pytensor.cuda.memory_allocated()


@needs_cuda
@pytest.mark.parametrize("dt", ALL_DTYPES, ids=lambda d: d._name)
def test_round_trip_every_dtype(dt):
    arr = _sample((3, 5), dt)
    t = pytensor.from_numpy(arr)
    c = t.to(CUDA)
    assert c.is_cuda and c.device == pytensor.device("cuda", 0) and c.get_device() == 0
    assert c.dtype == dt and c.shape == t.shape
    back = c.cpu()
    assert not back.is_cuda
    np.testing.assert_array_equal(back.numpy(), arr)
    np.testing.assert_array_equal(np.array(c.tolist(), dtype=NP_OF[dt]), arr)
    assert c[1, 2].item() == t[1, 2].item()
    # non-contiguous and expanded sources
    nc = t.t()
    np.testing.assert_array_equal(nc.cuda().cpu().numpy(), arr.T)
    ex = t[0:1].expand(4, 5)
    np.testing.assert_array_equal(ex.to(CUDA).cpu().numpy(), np.broadcast_to(arr[0:1], (4, 5)))
    # .to(device, dtype) equals the CPU conversion
    t = pytensor.from_numpy(_sample((3, 5), dt, castable=True))
    c = t.cuda()
    for target in ALL_DTYPES:
        np.testing.assert_array_equal(t.to(CUDA, target).cpu().numpy(), t.to(target).numpy())
        np.testing.assert_array_equal(c.to("cpu", target).numpy(), t.to(target).numpy())
        np.testing.assert_array_equal(c.to(target).cpu().numpy(), t.to(target).numpy())


@needs_cuda
def test_to_forms_on_cuda():
    t = pytensor.arange(6.0).reshape(2, 3)
    c = t.to(CUDA)
    assert c.to(CUDA) is c
    assert c.to("cuda:0") is c
    assert c.cuda() is c
    assert c.to(pytensor.device("cuda", 0), pytensor.float32) is c
    assert c.to(CUDA, copy=True) is not c
    assert c.to(c) is c
    d = t.to(c)  # to(other): other's device and dtype
    assert d.is_cuda and d.dtype == pytensor.float32
    d = t.to(CUDA, non_blocking=True)
    pytensor.cuda.synchronize()
    assert d.cpu().tolist() == t.tolist()
    assert t.cuda(0).is_cuda and t.cuda("cuda:0").is_cuda
    assert c.to(device="cpu", dtype=pytensor.int64).tolist() == [[0, 1, 2], [3, 4, 5]]
    assert t.type_as(c).is_cuda and c.type_as(t).device == pytensor.device("cpu")
    assert c.type() == "pytensor.cuda.FloatTensor" and t.type() == "pytensor.FloatTensor"
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        c.numpy()
    with pytest.raises(RuntimeError):
        t.to(f"cuda:{pytensor.cuda.device_count()}")  # no such device


@needs_cuda
@pytest.mark.parametrize("name", list(FACTORIES))
def test_factories_on_cuda_match_cpu(name):
    a = FACTORIES[name](device=CUDA)
    assert a.is_cuda and a.device == pytensor.device("cuda", 0)
    b = FACTORIES[name]()
    assert a.shape == b.shape and a.dtype == b.dtype
    if name.startswith("rand") or name in ("normal",) or name.startswith("empty"):
        return  # CUDA random streams differ from the CPU's; checked separately
    np.testing.assert_array_equal(_values(a), _values(b))


@needs_cuda
def test_like_factories_keep_cuda_device():
    x = pytensor.ones(2, 3, device=CUDA, dtype=pytensor.float64)
    for f in (pytensor.zeros_like, pytensor.ones_like, pytensor.empty_like, pytensor.rand_like,
              pytensor.randn_like, lambda t: pytensor.full_like(t, 3)):
        y = f(x)
        assert y.is_cuda and y.dtype == pytensor.float64 and y.shape == x.shape
    assert not pytensor.zeros_like(x, device="cpu").is_cuda
    assert pytensor.ones(2).new_zeros(3).device == pytensor.device("cpu")
    assert x.new_zeros(3).is_cuda and x.new_tensor([1, 2]).is_cuda


@needs_cuda
def test_cuda_random_is_seeded_and_in_range():
    pytensor.manual_seed(123)
    a = pytensor.rand(1000, device=CUDA)
    pytensor.manual_seed(123)
    b = pytensor.rand(1000, device=CUDA)
    np.testing.assert_array_equal(a.cpu().numpy(), b.cpu().numpy())
    v = a.cpu().numpy()
    assert v.min() >= 0.0 and v.max() < 1.0 and abs(v.mean() - 0.5) < 0.05
    pytensor.cuda.manual_seed(7)
    c = pytensor.randn(4000, device=CUDA).cpu().numpy()
    assert abs(c.mean()) < 0.1 and abs(c.std() - 1.0) < 0.1
    assert pytensor.cuda.initial_seed() == 7
    r = pytensor.randint(3, 9, (1000,), device=CUDA).cpu().numpy()
    assert r.min() >= 3 and r.max() <= 8
    p = pytensor.randperm(50, device=CUDA)
    assert p.is_cuda and sorted(p.tolist()) == list(range(50))
    # a saved state replays, fork_rng restores CUDA streams too
    state = pytensor.cuda.get_rng_state()
    assert state.dtype == pytensor.uint8 and not state.is_cuda
    d1 = pytensor.rand(64, device=CUDA).cpu().numpy()
    pytensor.cuda.set_rng_state(state)
    np.testing.assert_array_equal(pytensor.rand(64, device=CUDA).cpu().numpy(), d1)
    pytensor.cuda.set_rng_state_all(pytensor.cuda.get_rng_state_all())
    with pytensor.random.fork_rng():
        d2 = pytensor.randn(64, device=CUDA).cpu().numpy()
    np.testing.assert_array_equal(pytensor.randn(64, device=CUDA).cpu().numpy(), d2)
    # the CPU stream is unchanged by CUDA draws
    torch = pytest.importorskip("torch")
    pytensor.manual_seed(5)
    torch.manual_seed(5)
    pytensor.rand(10, device=CUDA)
    np.testing.assert_array_equal(_values(pytensor.rand(4)), torch.rand(4).numpy())


def _golden_device_cases():
    spec = SPEC_DIR / "printing_golden.json"
    if not spec.is_file():
        return []
    with spec.open() as fh:
        return [c for c in json.load(fh) if "device" in c]


@needs_cuda
@pytest.mark.parametrize("case", _golden_device_cases(), ids=lambda c: c["id"])
def test_golden_printing_of_cuda_tensors(case):
    if case["dtype"] not in {d._name for d in ALL_DTYPES}:
        pytest.skip(f"dtype {case['dtype']} is not supported by pytensor")
    index = int(case["device"].partition(":")[2] or 0)
    if index >= pytensor.cuda.device_count():
        pytest.skip(f"needs {index + 1} GPUs")
    import importlib.util

    ref_path = SPEC_DIR / "printing_reference.py"
    spec = importlib.util.spec_from_file_location("_printing_reference_cuda", ref_path)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    pytensor.set_printoptions(profile="default")
    try:
        for call in case.get("print_options", []):
            pytensor.set_printoptions(**call)
        t = pytensor.from_numpy(ref.build_values(case)).to(case["device"])
        if case.get("requires_grad"):
            t.requires_grad_()
        assert str(t) == case["expected"]
    finally:
        pytensor.set_printoptions(profile="default")


@needs_cuda
@pytest.mark.parametrize("dt", ALL_DTYPES, ids=lambda d: d._name)
def test_printing_cuda_equals_cpu_plus_device_suffix(dt):
    for shape in ((), (4,), (3, 4), (2, 3, 4), (0,), (2000,)):
        arr = _sample(shape, dt, seed=len(shape))
        t = pytensor.from_numpy(arr)
        want = pytensor._printing.format_array(
            arr, dt._name, default_float_name=pytensor.get_default_dtype()._name, device="cuda:0")
        assert repr(t.cuda()) == want
        assert repr(t) == pytensor._printing.format_array(
            arr, dt._name, default_float_name=pytensor.get_default_dtype()._name)
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        arr = _sample((3, 4), dt, seed=9)
        mine = repr(pytensor.from_numpy(arr).cuda()).replace("pytensor.", "torch.")
        assert mine == repr(torch.from_numpy(arr).cuda())


def _train(device, opt_name, steps=5):
    pytensor.manual_seed(0)
    model = _Net()
    opt_cls = {"sgd": lambda p: pytensor.optim.SGD(p, lr=0.1, momentum=0.9),
               "adam": lambda p: pytensor.optim.Adam(p, lr=0.01)}[opt_name]
    opt = opt_cls(model.parameters())  # built before the move, as torch allows
    params = list(model.parameters())
    model.to(device)
    assert all(p is q for p, q in zip(model.parameters(), params))  # the same objects
    x = pytensor.randn(16, 4)
    y = pytensor.randint(0, 3, (16,))
    x, y = x.to(device), y.to(device)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, model


@needs_cuda
@pytest.mark.parametrize("opt_name", ["sgd", "adam"])
def test_training_on_cuda_matches_cpu(opt_name):
    cpu_losses, cpu_model = _train("cpu", opt_name)
    gpu_losses, gpu_model = _train(CUDA, opt_name)
    np.testing.assert_allclose(gpu_losses, cpu_losses, rtol=1e-4, atol=1e-4)
    for pc, pg in zip(cpu_model.parameters(), gpu_model.parameters()):
        assert pg.is_cuda and pg.grad.is_cuda
        np.testing.assert_allclose(pg.detach().cpu().numpy(), pc.detach().numpy(), rtol=1e-4,
                                   atol=1e-5)
    assert gpu_model.steps.is_cuda  # buffers move too
    gpu_model.cpu()
    assert all(not p.is_cuda and not p.grad.is_cuda for p in gpu_model.parameters())


@needs_cuda
def test_module_cuda_keeps_parameters_and_moves_grads():
    net = _Net()
    net(pytensor.randn(2, 4)).sum().backward()
    params = list(net.parameters())
    grads = [p.grad.tolist() for p in params]
    net.cuda()
    for p, p0, g in zip(net.parameters(), params, grads):
        assert p is p0 and p.is_cuda and isinstance(p, nn.Parameter) and p.requires_grad
        assert p.grad.is_cuda and p.grad.tolist() == g
    state = net.state_dict()
    assert all(v.is_cuda for v in state.values())


@needs_cuda
def test_autograd_on_cuda_matches_cpu():
    rng = np.random.default_rng(3)
    a_np = rng.standard_normal((4, 5)).astype(np.float32)
    b_np = rng.standard_normal((5, 3)).astype(np.float32)
    c_np = rng.standard_normal((3,)).astype(np.float32)

    def run(device):
        a = pytensor.tensor(a_np, device=device, requires_grad=True)
        b = pytensor.tensor(b_np, device=device, requires_grad=True)
        c = pytensor.tensor(c_np, device=device, requires_grad=True)
        h = pytensor.tanh(a @ b + c)           # broadcast add
        z = (h * h.t().sum(0, keepdim=True).t()).exp().mean() + h[1:, ::2].pow(2).sum()
        z.backward()
        return z.item(), [t.grad for t in (a, b, c)]

    zc, gc = run("cpu")
    zg, gg = run(CUDA)
    assert math.isclose(zc, zg, rel_tol=1e-5)
    for c, g in zip(gc, gg):
        assert g.is_cuda
        np.testing.assert_allclose(g.cpu().numpy(), c.numpy(), rtol=1e-4, atol=1e-6)


@needs_cuda
def test_gradient_crosses_devices():
    x = pytensor.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.to(CUDA)
    assert y.grad_fn.name() == "ToCopyBackward0"
    (y * y).sum().backward()
    assert not x.grad.is_cuda
    assert x.grad.tolist() == [2.0, 4.0, 6.0]
    w = pytensor.ones(3, device=CUDA, requires_grad=True)
    (w.cpu() * 3).sum().backward()
    assert w.grad.is_cuda and w.grad.tolist() == [3.0, 3.0, 3.0]


@needs_cuda
def test_device_mismatch_raises():
    a, b = pytensor.ones(3), pytensor.ones(3, device=CUDA)
    with pytest.raises(RuntimeError, match="same device"):
        a + b
    with pytest.raises(RuntimeError, match="same device"):
        pytensor.matmul(pytensor.ones(2, 2), pytensor.ones(2, 2, device=CUDA))


@needs_cuda
def test_dataloader_batches_moved_to_cuda():
    from pytensor.utils.data import DataLoader, TensorDataset

    x = pytensor.arange(40.0).reshape(20, 2)
    y = pytensor.arange(20)
    loader = DataLoader(TensorDataset(x, y), batch_size=6, shuffle=False)
    seen = 0
    for xb, yb in loader:
        xg, yg = xb.to(CUDA), yb.to(CUDA, non_blocking=True)
        assert xg.is_cuda and yg.is_cuda
        assert (xg * 2).cpu().tolist() == (xb * 2).tolist()
        assert yg.cpu().tolist() == yb.tolist()
        seen += xb.shape[0]
    assert seen == 20


@needs_cuda
def test_save_and_load_cuda_tensors():
    t = pytensor.arange(6.0, device=CUDA).reshape(2, 3)
    out = _roundtrip({"t": t, "p": nn.Parameter(t.clone())})
    assert out["t"].is_cuda and out["t"].tolist() == t.tolist()
    assert isinstance(out["p"], nn.Parameter) and out["p"].is_cuda
    cpu = _roundtrip({"t": t}, map_location="cpu")
    assert not cpu["t"].is_cuda and cpu["t"].tolist() == t.tolist()
    u = pickle.loads(pickle.dumps(t))
    assert u.is_cuda and u.tolist() == t.tolist()


@needs_cuda
def test_float_dtypes_and_scalars_on_cuda():
    for dt in FLOAT_DTYPES:
        t = pytensor.tensor([1.5, -2.25], dtype=dt, device=CUDA)
        assert float(t[0]) == 1.5 and bool(t[1]) is True and t.sum().item() == -0.75
