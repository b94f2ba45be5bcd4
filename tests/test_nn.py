"""pytensor.nn: Module mechanics, Parameter, layers, activations, losses, init and functional,
checked against real torch (same seed, same inputs) and against hand-computed values."""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pytest

import pytensor
import pytensor.nn as nn
import pytensor.nn.functional as F
import pytensor.random as R

from pytensor.nn.modules.module import _no_grad  # grad-mode switch that needs no autograd

from conftest import assert_close, to_numpy


def pt_from(torch_tensor) -> pytensor.Tensor:
    """A pytensor copy of a torch tensor (same dtype and values)."""
    return pytensor.from_numpy(torch_tensor.detach().numpy().copy())


def np_of(t) -> np.ndarray:
    return to_numpy(t) if isinstance(t, pytensor.Tensor) else t.detach().numpy()


def tname(text: str) -> str:
    """torch's message text with pytensor's names, for comparing error texts and reprs."""
    return text.replace("torch.", "pytensor.")


# ---------------------------------------------------------------------------------------------
# Parameter
# ---------------------------------------------------------------------------------------------

class TestParameter:
    def test_defaults_and_sharing(self):
        data = pytensor.tensor([1.0, 2.0])
        p = nn.Parameter(data)
        assert isinstance(p, nn.Parameter) and isinstance(p, pytensor.Tensor)
        assert p.requires_grad and not data.requires_grad
        assert p._storage_ptr() == data._storage_ptr()
        assert not nn.Parameter(data, requires_grad=False).requires_grad
        empty = nn.Parameter()
        assert tuple(empty.shape) == (0,) and empty.dtype == pytensor.float32

    def test_repr_matches_torch(self, torch):
        p = nn.Parameter(pytensor.tensor([[1.0, 2.5], [3.0, -4.0]]))
        tp = torch.nn.Parameter(torch.tensor([[1.0, 2.5], [3.0, -4.0]]))
        assert repr(p) == repr(tp)
        assert repr(nn.Parameter(pytensor.tensor([1.0]), requires_grad=False)) == \
            repr(torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False))

    def test_ops_return_plain_tensors(self):
        p = nn.Parameter(pytensor.tensor([1.0, 2.0]), requires_grad=False)
        assert type(p + 1) is pytensor.Tensor
        assert p.mul_(2) is p
        assert to_numpy(p).tolist() == [2.0, 4.0]

    def test_deepcopy(self):
        import copy
        p = nn.Parameter(pytensor.tensor([1.0, 2.0]))
        q = copy.deepcopy(p)
        assert isinstance(q, nn.Parameter) and q.requires_grad
        assert q._storage_ptr() != p._storage_ptr()
        assert to_numpy(q).tolist() == [1.0, 2.0]

    def test_type_error(self):
        with pytest.raises(TypeError):
            nn.Parameter([1.0, 2.0])


# ---------------------------------------------------------------------------------------------
# Module mechanics
# ---------------------------------------------------------------------------------------------

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(3, 2, bias=False)
        self.scale = nn.Parameter(pytensor.ones(2))
        self.register_buffer("running", pytensor.zeros(2))
        self.register_buffer("tmp", pytensor.zeros(1), persistent=False)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x))) * self.scale


class TorchNet:
    """The same structure in torch, built lazily so the tests skip cleanly without torch."""

    @staticmethod
    def make(torch):
        class TNet(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1 = torch.nn.Linear(4, 3)
                self.act = torch.nn.ReLU()
                self.fc2 = torch.nn.Linear(3, 2, bias=False)
                self.scale = torch.nn.Parameter(torch.ones(2))
                self.register_buffer("running", torch.zeros(2))
                self.register_buffer("tmp", torch.zeros(1), persistent=False)

            def forward(self, x):
                return self.fc2(self.act(self.fc1(x))) * self.scale

        TNet.__name__ = "Net"
        return TNet()


class TestModule:
    def test_registration_and_traversal(self):
        net = Net()
        names = [n for n, _ in net.named_parameters()]
        assert names == ["scale", "fc1.weight", "fc1.bias", "fc2.weight"]
        assert [n for n, _ in net.named_buffers()] == ["running", "tmp"]
        assert [n for n, _ in net.named_children()] == ["fc1", "act", "fc2"]
        assert [n for n, _ in net.named_modules()] == ["", "fc1", "act", "fc2"]
        assert list(net.children())[0] is net.fc1
        assert len(list(net.modules())) == 4
        assert [n for n, _ in net.named_parameters(recurse=False)] == ["scale"]
        assert [n for n, _ in net.named_parameters(prefix="m")][1] == "m.fc1.weight"
        assert net.fc2.bias is None
        assert isinstance(net.fc1.weight, nn.Parameter)

    def test_names_match_torch(self, torch):
        net, tnet = Net(), TorchNet.make(torch)
        assert [n for n, _ in net.named_parameters()] == [n for n, _ in tnet.named_parameters()]
        assert list(net.state_dict().keys()) == list(tnet.state_dict().keys())
        assert [n for n, _ in net.named_modules()] == [n for n, _ in tnet.named_modules()]

    def test_shared_modules_counted_once(self):
        shared = nn.Linear(2, 2)
        seq = nn.Sequential(shared, nn.ReLU(), shared)
        assert len(list(seq.parameters())) == 2
        assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias"]
        assert len(list(seq.named_parameters(remove_duplicate=False))) == 4
        assert [n for n, _ in seq.named_modules()] == ["", "0", "1"]

    def test_setattr_rules(self):
        net = Net()
        # reassigning a registered parameter to None keeps the slot
        net.scale = None
        assert "scale" in net._parameters and net.scale is None
        with pytest.raises(TypeError, match="cannot assign 'pytensor.FloatTensor' as parameter "
                                            "'scale'"):
            net.scale = pytensor.ones(2)
        net.running = pytensor.ones(2)  # buffers accept plain tensors
        assert to_numpy(net.running).tolist() == [1.0, 1.0]
        with pytest.raises(TypeError, match="cannot assign 'int' as child module 'fc1'"):
            net.fc1 = 3
        net.fc1 = None
        assert net.fc1 is None and "fc1" in net._modules
        # a plain attribute replaced by a module moves to _modules
        net.extra = 5
        net.extra = nn.Identity()
        assert "extra" in net._modules and "extra" not in net.__dict__
        del net.extra
        assert not hasattr(net, "extra")
        del net.running
        assert "running" not in net._buffers

    def test_registration_errors(self):
        class Early(nn.Module):
            def __init__(self):
                self.p = nn.Parameter(pytensor.ones(1))

        with pytest.raises(AttributeError, match="cannot assign parameters before "
                                                 r"Module.__init__\(\) call"):
            Early()
        m = nn.Module()
        with pytest.raises(KeyError, match="contain"):
            m.register_parameter("a.b", None)
        with pytest.raises(KeyError, match="empty string"):
            m.register_buffer("", None)
        with pytest.raises(TypeError, match="is not a Module subclass"):
            m.add_module("x", 3)
        m.attr = 1
        with pytest.raises(KeyError, match="attribute 'attr' already exists"):
            m.register_parameter("attr", None)
        with pytest.raises(TypeError, match="cannot assign 'pytensor.FloatTensor' object to "
                                            "parameter 'q'"):
            m.register_parameter("q", pytensor.ones(1))
        with pytest.raises(AttributeError, match="'Module' object has no attribute 'nothing'"):
            m.nothing
        with pytest.raises(NotImplementedError, match='missing the required "forward"'):
            m(1)

    def test_state_dict_contents(self):
        net = Net()
        sd = net.state_dict()
        assert isinstance(sd, OrderedDict)
        assert list(sd) == ["scale", "running", "fc1.weight", "fc1.bias", "fc2.weight"]
        assert not sd["scale"].requires_grad and not isinstance(sd["scale"], nn.Parameter)
        assert sd["fc1.weight"]._storage_ptr() == net.fc1.weight._storage_ptr()
        kv = net.state_dict(keep_vars=True)
        assert kv["scale"] is net.scale
        assert sd._metadata[""] == {"version": 1} and sd._metadata["fc1"] == {"version": 1}

    def test_load_state_dict_roundtrip(self):
        a, b = Net(), Net()
        with _no_grad():
            a.fc1.weight.fill_(0.25)
            a.running.fill_(3.0)
        result = b.load_state_dict(a.state_dict())
        assert repr(result) == "<All keys matched successfully>"
        assert to_numpy(b.fc1.weight).tolist() == [[0.25] * 4] * 3
        assert to_numpy(b.running).tolist() == [3.0, 3.0]
        assert b.fc1.weight._storage_ptr() != a.fc1.weight._storage_ptr()

    def test_load_state_dict_errors_match_torch(self, torch):
        net, tnet = Net(), TorchNet.make(torch)
        sd = net.state_dict()
        tsd = tnet.state_dict()
        del sd["fc1.bias"]
        del tsd["fc1.bias"]
        sd["bogus"] = pytensor.ones(1)
        tsd["bogus"] = torch.ones(1)
        sd["fc2.weight"] = pytensor.ones(5, 5)
        tsd["fc2.weight"] = torch.ones(5, 5)
        with pytest.raises(RuntimeError) as err:
            net.load_state_dict(sd)
        with pytest.raises(RuntimeError) as terr:
            tnet.load_state_dict(tsd)
        assert str(err.value) == tname(str(terr.value))
        # strict=False reports the keys instead (the size mismatch still raises, as in torch)
        del sd["fc2.weight"]
        del tsd["fc2.weight"]
        res = net.load_state_dict(sd, strict=False)
        tres = tnet.load_state_dict(tsd, strict=False)
        assert res.missing_keys == tres.missing_keys
        assert res.unexpected_keys == tres.unexpected_keys
        assert repr(res) == repr(tres)
        with pytest.raises(TypeError, match="Expected state_dict to be dict-like"):
            net.load_state_dict([1, 2])

    def test_load_state_dict_assign(self):
        a, b = nn.Linear(2, 2), nn.Linear(2, 2)
        sd = {"weight": pytensor.ones(2, 2), "bias": pytensor.zeros(2)}
        b.load_state_dict(sd, assign=True)
        assert isinstance(b.weight, nn.Parameter) and b.weight.requires_grad
        assert b.weight._storage_ptr() == sd["weight"]._storage_ptr()
        a.load_state_dict(sd)
        assert a.weight._storage_ptr() != sd["weight"]._storage_ptr()

    def test_train_eval_apply(self):
        net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(), nn.Sequential(nn.Dropout()))
        assert all(m.training for m in net.modules())
        assert net.eval() is net
        assert not any(m.training for m in net.modules())
        net.train()
        assert all(m.training for m in net.modules())
        with pytest.raises(ValueError, match="training mode is expected to be boolean"):
            net.train("yes")
        seen = []
        net.apply(lambda m: seen.append(type(m).__name__))
        assert seen == ["Linear", "Dropout", "Dropout", "Sequential", "Sequential"]

    def test_requires_grad_and_zero_grad(self):
        net = nn.Linear(3, 2)
        net.requires_grad_(False)
        assert not any(p.requires_grad for p in net.parameters())
        net.requires_grad_()
        assert all(p.requires_grad for p in net.parameters())
        for p in net.parameters():
            p.grad = pytensor.ones(*p.shape)
        net.zero_grad(set_to_none=False)
        assert all(to_numpy(p.grad).sum() == 0 for p in net.parameters())
        net.zero_grad()
        assert all(p.grad is None for p in net.parameters())

    def test_to_and_double(self):
        net = Net()
        w = net.fc1.weight
        assert net.to(pytensor.float32) is net and net.fc1.weight is w  # no-op keeps objects
        net.double()
        assert net.fc1.weight.dtype == pytensor.float64
        assert isinstance(net.fc1.weight, nn.Parameter) and net.fc1.weight.requires_grad
        assert net.running.dtype == pytensor.float64
        np.testing.assert_array_equal(to_numpy(net.fc1.weight), to_numpy(w).astype(np.float64))
        net.to(dtype=pytensor.float32)
        assert net.scale.dtype == pytensor.float32
        net.to("cpu")
        net.float()
        with pytest.raises(TypeError, match="nn.Module.to only accepts floating point"):
            net.to(pytensor.int64)
        idx = nn.Module()
        idx.register_buffer("i", pytensor.tensor([1, 2]))
        idx.double()
        assert idx.i.dtype == pytensor.int64

    def test_forward_hooks(self):
        lin = nn.Identity()
        calls = []
        h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        h2 = lin.register_forward_hook(lambda m, args, out: calls.append(out) or out + 1)
        out = lin(pytensor.tensor([1.0]))
        assert to_numpy(out).tolist() == [3.0] and to_numpy(calls[0]).tolist() == [2.0]
        h1.remove()
        h2.remove()
        assert to_numpy(lin(pytensor.tensor([1.0]))).tolist() == [1.0]

    def test_get_submodule_parameter(self):
        net = nn.Sequential(OrderedDict(block=nn.Sequential(nn.Linear(2, 2))))
        assert net.get_submodule("block.0") is net.block[0]
        assert net.get_parameter("block.0.bias") is net.block[0].bias
        with pytest.raises(AttributeError, match="has no attribute `nope`"):
            net.get_submodule("block.nope")

    def test_dir_lists_children(self):
        net = Net()
        assert {"fc1", "scale", "running"} <= set(dir(net))


# ---------------------------------------------------------------------------------------------
# Reprs (exact text)
# ---------------------------------------------------------------------------------------------

def _build_repr_models(lib):
    n = lib.nn
    return [
        n.Linear(3, 2),
        n.Linear(3, 2, bias=False),
        n.ReLU(), n.ReLU(inplace=True), n.LeakyReLU(), n.LeakyReLU(0.2, inplace=True),
        n.Sigmoid(), n.Tanh(), n.GELU(), n.GELU(approximate="tanh"), n.Softmax(dim=1),
        n.Softmax(), n.LogSoftmax(dim=-1), n.Dropout(), n.Dropout(0.25, inplace=True),
        n.Flatten(), n.Flatten(0, 2), n.Identity(), n.MSELoss(), n.L1Loss(reduction="sum"),
        n.CrossEntropyLoss(label_smoothing=0.1), n.NLLLoss(), n.BCELoss(), n.BCEWithLogitsLoss(),
        n.Sequential(n.Flatten(), n.Linear(784, 256), n.ReLU(), n.Dropout(0.2),
                     n.Linear(256, 10), n.LogSoftmax(dim=1)),
        n.Sequential(OrderedDict([("fc", n.Linear(2, 2)), ("act", n.Tanh())])),
        n.Sequential(),
        n.ModuleList([n.Linear(2, 2), n.Linear(2, 2), n.Linear(2, 2), n.ReLU(),
                      n.Linear(2, 2)]),
        n.ModuleList(),
        n.ModuleDict({"a": n.Linear(1, 1), "b": n.Sequential(n.ReLU(), n.GELU())}),
        n.Sequential(n.ModuleList([n.Sequential(n.Linear(4, 4), n.ReLU())] * 2), n.Tanh()),
    ]


def test_reprs_match_torch(torch):
    ours = _build_repr_models(pytensor)
    theirs = _build_repr_models(torch)
    for a, b in zip(ours, theirs):
        assert repr(a) == repr(b)


def test_custom_module_repr():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = nn.Linear(2, 3)

        def extra_repr(self):
            return "custom=1\nsecond line"

    assert repr(Block()) == ("Block(\n  custom=1\n  second line\n  (inner): Linear(in_features=2, "
                             "out_features=3, bias=True)\n)")


# ---------------------------------------------------------------------------------------------
# Containers
# ---------------------------------------------------------------------------------------------

class TestContainers:
    def test_sequential_indexing(self):
        a, b, c = nn.ReLU(), nn.Tanh(), nn.Sigmoid()
        s = nn.Sequential(a, b, c)
        assert s[0] is a and s[-1] is c and len(s) == 3
        sub = s[1:]
        assert isinstance(sub, nn.Sequential) and list(sub) == [b, c]
        assert list(sub._modules) == ["1", "2"]
        with pytest.raises(IndexError, match="index 3 is out of range"):
            s[3]
        s[1] = nn.Identity()
        assert isinstance(s[1], nn.Identity)
        del s[0]
        assert list(s._modules) == ["0", "1"] and s[1] is c
        s.append(a)
        assert s[2] is a
        s.insert(0, b)
        assert s[0] is b and len(s) == 4
        assert s.pop(0) is b
        t = s + nn.Sequential(nn.ReLU())
        assert len(t) == 4
        assert len(s * 2) == 6
        s.extend([nn.ReLU()])
        assert len(s) == 4
        with pytest.raises(ValueError, match="add operator supports only objects of Sequential"):
            s + 1

    def test_sequential_ordered_dict(self):
        s = nn.Sequential(OrderedDict([("first", nn.ReLU()), ("second", nn.Tanh())]))
        assert list(s._modules) == ["first", "second"]
        assert isinstance(s.second, nn.Tanh)

    def test_module_list(self):
        layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
        assert len(layers) == 3 and len(list(layers.parameters())) == 6
        layers.append(nn.ReLU())
        layers.extend([nn.Tanh()])
        layers.insert(1, nn.Sigmoid())
        assert [type(m).__name__ for m in layers] == ["Linear", "Sigmoid", "Linear", "Linear",
                                                     "ReLU", "Tanh"]
        assert isinstance(layers[-1], nn.Tanh)
        del layers[1]
        assert list(layers._modules) == [str(i) for i in range(5)]
        assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
        layers[0] = nn.Identity()
        assert isinstance(layers[0], nn.Identity)
        with pytest.raises(IndexError, match="index 9 is out of range"):
            layers[9]
        with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable"):
            layers.extend(3)

    def test_module_dict(self):
        d = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Tanh()})
        assert list(d.keys()) == ["a", "b"] and "a" in d and len(d) == 2
        d["c"] = nn.Sigmoid()
        d.update([("e", nn.Identity())])
        assert list(d) == ["a", "b", "c", "e"]
        assert isinstance(d.pop("b"), nn.Tanh) and "b" not in d
        assert [k for k, _ in d.items()] == ["a", "c", "e"]
        with pytest.raises(ValueError, match="has length 3; 2 is required"):
            d.update([("x", nn.ReLU(), 1)])
        d.clear()
        assert len(d) == 0


# ---------------------------------------------------------------------------------------------
# Initialization (bit-exact with torch for the same seed)
# ---------------------------------------------------------------------------------------------

class TestInit:
    @pytest.mark.parametrize("shape", [(3, 2), (10, 4), (784, 256), (1, 1), (7, 13)])
    def test_linear_weights_equal_torch(self, torch, shape):
        fan_in, fan_out = shape
        for seed in (0, 1, 1234):
            R.manual_seed(seed)
            torch.manual_seed(seed)
            lin = nn.Linear(fan_in, fan_out)
            tlin = torch.nn.Linear(fan_in, fan_out)
            np.testing.assert_array_equal(np_of(lin.weight), np_of(tlin.weight))
            np.testing.assert_array_equal(np_of(lin.bias), np_of(tlin.bias))

    def test_linear_no_bias_and_generator_sync(self, torch):
        R.manual_seed(7)
        torch.manual_seed(7)
        a = nn.Linear(5, 3, bias=False)
        ta = torch.nn.Linear(5, 3, bias=False)
        b = nn.Linear(4, 2)
        tb = torch.nn.Linear(4, 2)
        np.testing.assert_array_equal(np_of(a.weight), np_of(ta.weight))
        np.testing.assert_array_equal(np_of(b.weight), np_of(tb.weight))
        np.testing.assert_array_equal(np_of(R.randn(4, 784)), np_of(torch.randn(4, 784)))

    def test_linear_float64(self, torch):
        R.manual_seed(3)
        torch.manual_seed(3)
        lin = nn.Linear(6, 4, dtype=pytensor.float64)
        tlin = torch.nn.Linear(6, 4, dtype=torch.float64)
        assert lin.weight.dtype == pytensor.float64
        np.testing.assert_array_equal(np_of(lin.weight), np_of(tlin.weight))

    @pytest.mark.parametrize("name,kwargs", [
        ("uniform_", dict(a=-0.3, b=0.7)), ("normal_", dict(mean=0.5, std=2.0)),
        ("xavier_uniform_", dict(gain=1.5)), ("xavier_normal_", dict(gain=0.5)),
        ("kaiming_uniform_", dict(a=0.1, mode="fan_out", nonlinearity="leaky_relu")),
        ("kaiming_uniform_", dict(nonlinearity="relu")),
        ("kaiming_normal_", dict(mode="fan_in", nonlinearity="relu")),
        ("kaiming_normal_", dict(a=math.sqrt(5))),
    ])
    @pytest.mark.parametrize("shape", [(8, 5), (4, 3, 2, 2), (40, 30)])
    def test_init_functions_equal_torch(self, torch, name, kwargs, shape):
        R.manual_seed(11)
        torch.manual_seed(11)
        a = getattr(nn.init, name)(pytensor.empty(*shape), **kwargs)
        b = getattr(torch.nn.init, name)(torch.empty(*shape), **kwargs)
        np.testing.assert_array_equal(np_of(a), np_of(b))

    def test_init_with_generator(self, torch):
        g = R.Generator().manual_seed(5)
        tg = torch.Generator().manual_seed(5)
        a = nn.init.kaiming_uniform_(pytensor.empty(6, 6), generator=g)
        b = torch.nn.init.kaiming_uniform_(torch.empty(6, 6), generator=tg)
        np.testing.assert_array_equal(np_of(a), np_of(b))

    def test_parameter_init_does_not_record(self):
        p = nn.Parameter(pytensor.empty(3, 3))
        nn.init.xavier_uniform_(p)
        assert p.requires_grad and p.grad_fn is None


class TestInitDeterministic:
    def test_calculate_gain(self, torch):
        for args in [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",),
                     ("leaky_relu",), ("leaky_relu", 0.2), ("leaky_relu", 1), ("selu",)]:
            assert nn.init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args)
        with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
            nn.init.calculate_gain("foo")
        with pytest.raises(ValueError, match="negative_slope True not a valid number"):
            nn.init.calculate_gain("leaky_relu", True)

    def test_constant_zeros_ones_eye(self):
        t = pytensor.empty(2, 3)
        assert to_numpy(nn.init.constant_(t, 0.5)).tolist() == [[0.5] * 3] * 2
        assert to_numpy(nn.init.zeros_(t)).sum() == 0
        assert to_numpy(nn.init.ones_(t)).sum() == 6
        np.testing.assert_array_equal(to_numpy(nn.init.eye_(t)), np.eye(2, 3))
        with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
            nn.init.eye_(pytensor.empty(3))

    def test_fan_errors(self):
        with pytest.raises(ValueError, match="Fan in and fan out can not be computed for tensor "
                                             "with fewer than 2 dimensions"):
            nn.init.xavier_uniform_(pytensor.empty(3))
        with pytest.raises(ValueError, match="Mode fan_avg not supported"):
            nn.init.kaiming_uniform_(pytensor.empty(3, 3), mode="fan_avg")
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            nn.init.kaiming_uniform_(pytensor.empty(0, 3))

    def test_fan_values(self):
        assert nn.init._calculate_fan_in_and_fan_out(pytensor.empty(8, 4, 3, 3)) == (36, 72)


# ---------------------------------------------------------------------------------------------
# Forward passes against torch
# ---------------------------------------------------------------------------------------------

def _rand(torch, *shape, seed=0, dtype=None):
    g = torch.Generator().manual_seed(seed)
    t = torch.randn(*shape, generator=g)
    return t if dtype is None else t.to(dtype)


class TestActivations:
    @pytest.mark.parametrize("name,kwargs", [
        ("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.3}),
        ("sigmoid", {}), ("tanh", {}), ("gelu", {}), ("gelu", {"approximate": "tanh"}),
    ])
    @pytest.mark.parametrize("dtype", ["float32", "float64"])
    def test_functional_matches_torch(self, torch, name, kwargs, dtype):
        x = _rand(torch, 5, 7, dtype=getattr(torch, dtype))
        x[0, 0] = 0.0
        ours = getattr(F, name)(pt_from(x), **kwargs)
        theirs = getattr(torch.nn.functional, name)(x, **kwargs)
        assert_close(ours, theirs, rtol=1e-6 if dtype == "float32" else 1e-12,
                     atol=1e-7 if dtype == "float32" else 1e-14)

    def test_modules_match_torch(self, torch):
        x = _rand(torch, 4, 6)
        x[1, 2] = 0.0
        for ours, theirs in [(nn.ReLU(), torch.nn.ReLU()), (nn.LeakyReLU(0.05),
                             torch.nn.LeakyReLU(0.05)), (nn.Sigmoid(), torch.nn.Sigmoid()),
                             (nn.Tanh(), torch.nn.Tanh()), (nn.GELU(), torch.nn.GELU()),
                             (nn.GELU("tanh"), torch.nn.GELU("tanh")),
                             (nn.Identity(3, k=1), torch.nn.Identity(3, k=1))]:
            assert_close(ours(pt_from(x)), theirs(x), rtol=1e-6, atol=1e-7)

    def test_inplace(self):
        x = pytensor.tensor([-1.0, 2.0])
        assert F.relu(x, inplace=True) is x and to_numpy(x).tolist() == [0.0, 2.0]
        y = pytensor.tensor([-1.0, 2.0])
        out = nn.LeakyReLU(0.5, inplace=True)(y)
        assert to_numpy(y).tolist() == [-0.5, 2.0] and to_numpy(out).tolist() == [-0.5, 2.0]

    def test_gelu_known_values(self):
        x = pytensor.tensor([0.0, 1.0, -1.0], dtype=pytensor.float64)
        r = math.erf(1 / math.sqrt(2))
        exact = [0.0, 0.5 * (1 + r), -0.5 * (1 - r)]
        np.testing.assert_allclose(to_numpy(F.gelu(x)), exact, rtol=1e-15, atol=1e-15)
        with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
            F.gelu(x, approximate="fast")

    @pytest.mark.parametrize("dim", [0, 1, -1])
    def test_softmax_log_softmax(self, torch, dim):
        x = _rand(torch, 3, 5)
        assert_close(F.softmax(pt_from(x), dim), torch.softmax(x, dim), rtol=1e-6, atol=1e-7)
        assert_close(F.log_softmax(pt_from(x), dim), torch.log_softmax(x, dim), rtol=1e-6,
                     atol=1e-6)
        assert_close(nn.Softmax(dim)(pt_from(x)), torch.nn.Softmax(dim)(x), rtol=1e-6, atol=1e-7)
        assert_close(nn.LogSoftmax(dim)(pt_from(x)), torch.nn.LogSoftmax(dim)(x), rtol=1e-6,
                     atol=1e-6)

    def test_softmax_implicit_dim_and_dtype(self, torch):
        x = _rand(torch, 3, 5)
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
            out = F.softmax(pt_from(x))
        assert_close(out, torch.softmax(x, 1), rtol=1e-6, atol=1e-7)
        with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
            F.log_softmax(pt_from(x[0]))
        out64 = F.softmax(pt_from(x), dim=1, dtype=pytensor.float64)
        assert out64.dtype == pytensor.float64


class TestLayers:
    def test_linear_forward(self, torch):
        torch.manual_seed(0)
        tlin = torch.nn.Linear(5, 3)
        lin = nn.Linear(5, 3)
        lin.load_state_dict({k: pt_from(v) for k, v in tlin.state_dict().items()})
        x = _rand(torch, 4, 5)
        assert_close(lin(pt_from(x)), tlin(x), rtol=1e-5, atol=1e-6)
        x3 = _rand(torch, 2, 4, 5)
        assert_close(lin(pt_from(x3)), tlin(x3), rtol=1e-5, atol=1e-6)
        nob = nn.Linear(5, 3, bias=False)
        nob.weight = nn.Parameter(pt_from(tlin.weight))
        assert_close(nob(pt_from(x)), x @ tlin.weight.T, rtol=1e-5, atol=1e-6)
        assert_close(F.linear(pt_from(x), pt_from(tlin.weight), pt_from(tlin.bias)), tlin(x),
                     rtol=1e-5, atol=1e-6)

    def test_flatten(self):
        x = pytensor.zeros(2, 3, 4, 5)
        assert tuple(nn.Flatten()(x).shape) == (2, 60)
        assert tuple(nn.Flatten(0, 2)(x).shape) == (24, 5)
        assert tuple(nn.Flatten(-2)(x).shape) == (2, 3, 20)

    def test_dropout_mask_equals_torch(self, torch):
        x = _rand(torch, 8, 33)
        for p in (0.1, 0.5, 0.25):
            R.manual_seed(42)
            torch.manual_seed(42)
            ours = nn.Dropout(p)(pt_from(x))
            theirs = torch.nn.Dropout(p)(x)
            np.testing.assert_array_equal(np_of(ours), np_of(theirs))
            R.manual_seed(1)
            torch.manual_seed(1)
            np.testing.assert_array_equal(np_of(F.dropout(pt_from(x), p)),
                                          np_of(torch.nn.functional.dropout(x, p)))

    def test_dropout_eval_and_edges(self):
        x = pytensor.ones(3, 3)
        d = nn.Dropout(0.5).eval()
        assert d(x) is x
        assert F.dropout(x, 0.5, training=False) is x
        assert to_numpy(F.dropout(x, 1.0)).sum() == 0
        assert F.dropout(x, 0.0) is x
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, "
                                             "but got 1.5"):
            nn.Dropout(1.5)
        with pytest.raises(ValueError, match="but got -0.1"):
            F.dropout(x, -0.1)

    def test_sequential_forward(self, torch):
        torch.manual_seed(0)
        tnet = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 8), torch.nn.ReLU(),
                                   torch.nn.Linear(8, 4), torch.nn.Tanh())
        net = nn.Sequential(nn.Flatten(), nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 4), nn.Tanh())
        net.load_state_dict({k: pt_from(v) for k, v in tnet.state_dict().items()})
        x = _rand(torch, 5, 3, 4)
        assert_close(net(pt_from(x)), tnet(x), rtol=1e-5, atol=1e-6)


def test_one_hot(torch):
    t = torch.tensor([[0, 2], [1, 3]])
    assert_close(F.one_hot(pt_from(t)), torch.nn.functional.one_hot(t))
    assert_close(F.one_hot(pt_from(t), 6), torch.nn.functional.one_hot(t, 6))
    assert_close(F.one_hot(pytensor.tensor([], dtype=pytensor.int64), 3),
                 torch.nn.functional.one_hot(torch.tensor([], dtype=torch.long), 3))
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(pytensor.tensor([1, 2]), 2)
    with pytest.raises(RuntimeError, match="Class values must be non-negative."):
        F.one_hot(pytensor.tensor([1, -2]))
    with pytest.raises(RuntimeError, match="one_hot is only applicable to index tensor"):
        F.one_hot(pytensor.tensor([1.0]))
    with pytest.raises(RuntimeError, match="Can not infer total number of classes"):
        F.one_hot(pytensor.tensor([], dtype=pytensor.int64))


# ---------------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------------

REDUCTIONS = ["mean", "sum", "none"]


class TestRegressionLosses:
    @pytest.mark.parametrize("reduction", REDUCTIONS)
    @pytest.mark.parametrize("name,cls", [("mse_loss", "MSELoss"), ("l1_loss", "L1Loss")])
    def test_matches_torch(self, torch, reduction, name, cls):
        x, y = _rand(torch, 4, 5, seed=1), _rand(torch, 4, 5, seed=2)
        expected = getattr(torch.nn.functional, name)(x, y, reduction=reduction)
        assert_close(getattr(F, name)(pt_from(x), pt_from(y), reduction=reduction), expected,
                     rtol=1e-5, atol=1e-6)
        assert_close(getattr(nn, cls)(reduction=reduction)(pt_from(x), pt_from(y)), expected,
                     rtol=1e-5, atol=1e-6)

    def test_hand_values_and_broadcast_warning(self):
        x = pytensor.tensor([1.0, 2.0, 3.0])
        y = pytensor.tensor([1.0, 0.0, 5.0])
        assert F.mse_loss(x, y).item() == pytest.approx(8.0 / 3)
        assert F.l1_loss(x, y, reduction="sum").item() == 4.0
        with pytest.warns(UserWarning, match="Using a target size"):
            F.mse_loss(x, pytensor.ones(2, 3))
        with pytest.raises(ValueError, match="bogus is not a valid value for reduction"):
            F.mse_loss(x, y, reduction="bogus")

    def test_legacy_size_average(self):
        x = pytensor.tensor([1.0, 3.0])
        y = pytensor.tensor([0.0, 0.0])
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            loss = nn.MSELoss(size_average=False)
        assert loss.reduction == "sum" and loss(x, y).item() == 10.0
        with pytest.warns(UserWarning):
            assert tuple(F.l1_loss(x, y, reduce=False).shape) == (2,)


class TestClassificationLosses:
    @pytest.mark.parametrize("reduction", REDUCTIONS)
    @pytest.mark.parametrize("weighted", [False, True])
    @pytest.mark.parametrize("ignore", [None, 2])
    def test_nll_and_cross_entropy(self, torch, reduction, weighted, ignore):
        x = _rand(torch, 6, 5, seed=3)
        t = torch.tensor([0, 2, 4, 2, 1, 3])
        w = torch.rand(5, generator=torch.Generator().manual_seed(9)) + 0.5 if weighted else None
        kw = dict(reduction=reduction)
        if ignore is not None:
            kw["ignore_index"] = ignore
        pw = pt_from(w) if w is not None else None
        logp = torch.log_softmax(x, 1)
        assert_close(F.nll_loss(pt_from(logp), pt_from(t), weight=pw, **kw),
                     torch.nn.functional.nll_loss(logp, t, weight=w, **kw), rtol=1e-5, atol=1e-6)
        assert_close(F.cross_entropy(pt_from(x), pt_from(t), weight=pw, **kw),
                     torch.nn.functional.cross_entropy(x, t, weight=w, **kw), rtol=1e-5,
                     atol=1e-6)
        assert_close(nn.CrossEntropyLoss(weight=pw, **kw)(pt_from(x), pt_from(t)),
                     torch.nn.CrossEntropyLoss(weight=w, **kw)(x, t), rtol=1e-5, atol=1e-6)
        assert_close(nn.NLLLoss(weight=pw, **kw)(pt_from(logp), pt_from(t)),
                     torch.nn.NLLLoss(weight=w, **kw)(logp, t), rtol=1e-5, atol=1e-6)

    @pytest.mark.parametrize("reduction", REDUCTIONS)
    @pytest.mark.parametrize("weighted", [False, True])
    def test_label_smoothing(self, torch, reduction, weighted):
        x = _rand(torch, 7, 4, seed=5)
        t = torch.tensor([0, 3, -100, 1, 2, 3, -100])
        w = torch.tensor([0.5, 1.0, 2.0, 1.5]) if weighted else None
        for ls in (0.1, 0.35):
            expected = torch.nn.functional.cross_entropy(x, t, weight=w, reduction=reduction,
                                                         label_smoothing=ls)
            got = F.cross_entropy(pt_from(x), pt_from(t), weight=None if w is None else pt_from(w),
                                  reduction=reduction, label_smoothing=ls)
            assert_close(got, expected, rtol=1e-5, atol=1e-6)

    @pytest.mark.parametrize("reduction", REDUCTIONS)
    def test_probability_targets(self, torch, reduction):
        x = _rand(torch, 5, 4, seed=6)
        p = torch.softmax(_rand(torch, 5, 4, seed=7), 1)
        w = torch.tensor([1.0, 2.0, 0.5, 1.0])
        for kw in ({}, {"label_smoothing": 0.2}, {"weight": w}):
            pkw = {k: (pt_from(v) if k == "weight" else v) for k, v in kw.items()}
            assert_close(F.cross_entropy(pt_from(x), pt_from(p), reduction=reduction, **pkw),
                         torch.nn.functional.cross_entropy(x, p, reduction=reduction, **kw),
                         rtol=1e-5, atol=1e-6)

    def test_spatial_and_unbatched(self, torch):
        x = _rand(torch, 2, 3, 4, 5, seed=8)
        t = torch.randint(0, 3, (2, 4, 5), generator=torch.Generator().manual_seed(1))
        for reduction in REDUCTIONS:
            assert_close(F.cross_entropy(pt_from(x), pt_from(t), reduction=reduction),
                         torch.nn.functional.cross_entropy(x, t, reduction=reduction),
                         rtol=1e-5, atol=1e-6)
        v = _rand(torch, 6, seed=9)
        assert_close(F.cross_entropy(pt_from(v), pytensor.tensor(4)),
                     torch.nn.functional.cross_entropy(v, torch.tensor(4)), rtol=1e-5, atol=1e-6)
        u8 = torch.tensor([1, 0, 2], dtype=torch.uint8)
        xx = _rand(torch, 3, 3)
        assert_close(F.cross_entropy(pt_from(xx), pt_from(u8)),
                     torch.nn.functional.cross_entropy(xx, u8), rtol=1e-5, atol=1e-6)

    def test_all_ignored_is_nan(self, torch):
        x = pytensor.zeros(3, 4)
        t = pytensor.tensor([-100, -100, -100])
        assert math.isnan(F.cross_entropy(x, t).item())
        assert F.nll_loss(x, t, reduction="sum").item() == 0.0

    def test_hand_value(self):
        logp = pytensor.tensor([[-1.0, -2.0], [-0.5, -3.0]])
        assert F.nll_loss(logp, pytensor.tensor([1, 0])).item() == pytest.approx(1.25)
        w = pytensor.tensor([1.0, 3.0])
        # (3 * 2 + 1 * 0.5) / (3 + 1)
        assert F.nll_loss(logp, pytensor.tensor([1, 0]), weight=w).item() == pytest.approx(1.625)

    def test_errors_match_torch(self, torch):
        x = pytensor.zeros(3, 4)
        cases = [
            (lambda: F.nll_loss(x, pytensor.tensor([0, 1])), ValueError,
             "Expected input batch_size (3) to match target batch_size (2)."),
            (lambda: F.nll_loss(x, pytensor.tensor([0, 1, 4])), IndexError,
             "Target 4 is out of bounds."),
            (lambda: F.nll_loss(x, pytensor.tensor([0, 1, -1])), IndexError,
             "Target -1 is out of bounds."),
            (lambda: F.nll_loss(x, pytensor.tensor([0, 1, 2], dtype=pytensor.int32)), RuntimeError,
             "expected target dtype to be Long or Byte, but got Int"),
            (lambda: F.nll_loss(x, pytensor.tensor([0, 1, 2]), weight=pytensor.ones(3)),
             RuntimeError, "weight tensor should be defined either for all 4 classes or no "
                           "classes but got weight tensor of shape: [3]"),
            (lambda: F.cross_entropy(x, pytensor.zeros(3, 5)), RuntimeError,
             "0D or 1D target tensor expected, multi-target not supported"),
            (lambda: F.cross_entropy(x, pytensor.tensor([0, 1, 2]), label_smoothing=1.1),
             RuntimeError, "label_smoothing must be between 0.0 and 1.0. Got: 1.1"),
            (lambda: F.nll_loss(x, pytensor.tensor([0, 1, 2]), reduction="foo"), ValueError,
             "foo is not a valid value for reduction"),
        ]
        for fn, exc, msg in cases:
            with pytest.raises(exc) as err:
                fn()
            assert str(err.value).strip("'\"") == msg


class TestBinaryLosses:
    @pytest.mark.parametrize("reduction", REDUCTIONS)
    def test_bce_matches_torch(self, torch, reduction):
        p = torch.sigmoid(_rand(torch, 4, 3, seed=11))
        p[0, 0], p[0, 1] = 0.0, 1.0  # logs clamp at -100
        y = (torch.rand(4, 3, generator=torch.Generator().manual_seed(2)) > 0.5).float()
        w = torch.tensor([1.0, 2.0, 0.5])
        for weight in (None, w):
            pw = None if weight is None else pt_from(weight)
            assert_close(F.binary_cross_entropy(pt_from(p), pt_from(y), pw, reduction=reduction),
                         torch.nn.functional.binary_cross_entropy(p, y, weight,
                                                                  reduction=reduction),
                         rtol=1e-5, atol=1e-5)
            assert_close(nn.BCELoss(pw, reduction=reduction)(pt_from(p), pt_from(y)),
                         torch.nn.BCELoss(weight, reduction=reduction)(p, y), rtol=1e-5, atol=1e-5)

    @pytest.mark.parametrize("reduction", REDUCTIONS)
    def test_bce_with_logits_matches_torch(self, torch, reduction):
        x = _rand(torch, 4, 3, seed=12) * 10
        x[0, 0], x[1, 1] = 0.0, -120.0
        y = torch.rand(4, 3, generator=torch.Generator().manual_seed(3))
        w = torch.tensor([1.0, 2.0, 0.5])
        pos = torch.tensor([3.0, 0.5, 1.0])
        for weight, pos_weight in ((None, None), (w, None), (None, pos), (w, pos)):
            kw = dict(weight=weight, pos_weight=pos_weight, reduction=reduction)
            pkw = {k: (pt_from(v) if isinstance(v, torch.Tensor) else v) for k, v in kw.items()}
            assert_close(F.binary_cross_entropy_with_logits(pt_from(x), pt_from(y), **pkw),
                         torch.nn.functional.binary_cross_entropy_with_logits(x, y, **kw),
                         rtol=1e-5, atol=1e-5)
            assert_close(nn.BCEWithLogitsLoss(**pkw)(pt_from(x), pt_from(y)),
                         torch.nn.BCEWithLogitsLoss(**kw)(x, y), rtol=1e-5, atol=1e-5)

    def test_errors(self):
        with pytest.raises(ValueError, match=r"Using a target size \(pytensor.Size\(\[4\]\)\) "
                                             r"that is different to the input size"):
            F.binary_cross_entropy(pytensor.ones(3) * 0.5, pytensor.ones(4))
        with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
            F.binary_cross_entropy(pytensor.ones(3) * 1.5, pytensor.ones(3))
        with pytest.raises(ValueError, match=r"Target size \(pytensor.Size\(\[4\]\)\) must be "
                                             r"the same as input size"):
            F.binary_cross_entropy_with_logits(pytensor.ones(3), pytensor.ones(4))


# ---------------------------------------------------------------------------------------------
# Gradients through layers and losses (against torch)
# ---------------------------------------------------------------------------------------------

def _grad_pair(torch, fn_pt, fn_torch, *arrays, grad_mask=None):
    """Runs fn on pytensor and torch leaves built from ``arrays``; returns both grad lists."""
    ours = [pytensor.from_numpy(a.copy()).requires_grad_() if (grad_mask is None or grad_mask[i])
            else pytensor.from_numpy(a.copy()) for i, a in enumerate(arrays)]
    theirs = [torch.from_numpy(a.copy()).requires_grad_(grad_mask is None or grad_mask[i])
              for i, a in enumerate(arrays)]
    fn_pt(*ours).backward()
    fn_torch(*theirs).backward()
    return ([o.grad for o in ours if o.requires_grad], [t.grad for t in theirs if t.requires_grad])


class TestGradients:
    def _check(self, torch, fn_pt, fn_torch, *arrays, grad_mask=None, rtol=1e-5, atol=1e-6):
        ours, theirs = _grad_pair(torch, fn_pt, fn_torch, *arrays, grad_mask=grad_mask)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_close(a, b, rtol=rtol, atol=atol)

    def test_activation_grads(self, torch):
        x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
        x[0, 0] = 0.0
        for name, kw in [("relu", {}), ("leaky_relu", {"negative_slope": 0.2}), ("sigmoid", {}),
                         ("tanh", {}), ("gelu", {}), ("gelu", {"approximate": "tanh"})]:
            self._check(torch, lambda a: (getattr(F, name)(a, **kw) * a).sum(),
                        lambda a: (getattr(torch.nn.functional, name)(a, **kw) * a).sum(), x)
        self._check(torch, lambda a: (F.log_softmax(a, 1) * a).sum(),
                    lambda a: (torch.log_softmax(a, 1) * a).sum(), x)

    @pytest.mark.parametrize("reduction", ["mean", "sum"])
    def test_loss_grads(self, torch, reduction):
        rng = np.random.default_rng(1)
        x = rng.standard_normal((6, 4)).astype(np.float32)
        y = rng.standard_normal((6, 4)).astype(np.float32)
        t = np.array([0, 3, 1, 1, 2, 0])
        tt, pt_t = torch.from_numpy(t), pytensor.from_numpy(t.copy())
        w = np.array([1.0, 2.0, 0.5, 1.5], dtype=np.float32)
        tw, pw = torch.from_numpy(w), pytensor.from_numpy(w.copy())
        tf = torch.nn.functional
        self._check(torch, lambda a, b: F.mse_loss(a, b, reduction=reduction),
                    lambda a, b: tf.mse_loss(a, b, reduction=reduction), x, y)
        self._check(torch, lambda a, b: F.l1_loss(a, b, reduction=reduction),
                    lambda a, b: tf.l1_loss(a, b, reduction=reduction), x, y)
        for kw, tkw in [({}, {}), ({"weight": pw}, {"weight": tw}),
                        ({"label_smoothing": 0.2}, {"label_smoothing": 0.2}),
                        ({"ignore_index": 1}, {"ignore_index": 1})]:
            self._check(torch, lambda a: F.cross_entropy(a, pt_t, reduction=reduction, **kw),
                        lambda a: tf.cross_entropy(a, tt, reduction=reduction, **tkw), x)
            self._check(torch, lambda a: F.nll_loss(F.log_softmax(a, 1), pt_t,
                                                    reduction=reduction,
                                                    **{k: v for k, v in kw.items()
                                                       if k != "label_smoothing"}),
                        lambda a: tf.nll_loss(torch.log_softmax(a, 1), tt, reduction=reduction,
                                              **{k: v for k, v in tkw.items()
                                                 if k != "label_smoothing"}), x)
        probs = np.asarray(torch.softmax(torch.from_numpy(y), 1))
        self._check(torch, lambda a: F.cross_entropy(a, pytensor.from_numpy(probs.copy()),
                                                     reduction=reduction),
                    lambda a: tf.cross_entropy(a, torch.from_numpy(probs), reduction=reduction),
                    x)

    def test_bce_grads_including_saturation(self, torch):
        rng = np.random.default_rng(2)
        p = (1 / (1 + np.exp(-rng.standard_normal((3, 4))))).astype(np.float32)
        p[0, 0], p[0, 1] = 0.0, 1.0  # saturated: torch's formula gives finite grads
        y = (rng.random((3, 4)) > 0.5).astype(np.float32)
        y[0, 0], y[0, 1] = 0.0, 1.0
        w = np.array([1.0, 2.0, 0.5, 1.0], dtype=np.float32)
        tf = torch.nn.functional
        for reduction in ("mean", "sum"):
            self._check(torch, lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction),
                        lambda a, b: tf.binary_cross_entropy(a, b, reduction=reduction), p, y,
                        grad_mask=[True, False], rtol=1e-4, atol=1e-5)
            self._check(torch, lambda a, b: F.binary_cross_entropy(
                a, b, pytensor.from_numpy(w.copy()), reduction=reduction),
                lambda a, b: tf.binary_cross_entropy(a, b, torch.from_numpy(w),
                                                     reduction=reduction),
                p, y, grad_mask=[True, False], rtol=1e-4, atol=1e-5)
        x = (rng.standard_normal((3, 4)) * 8).astype(np.float32)
        x[0, 0] = 0.0
        pos = np.array([2.0, 1.0, 0.5, 3.0], dtype=np.float32)
        for kw in ({}, {"pos_weight": pos}, {"weight": w, "pos_weight": pos}):
            pkw = {k: pytensor.from_numpy(v.copy()) for k, v in kw.items()}
            tkw = {k: torch.from_numpy(v) for k, v in kw.items()}
            self._check(torch, lambda a, b: F.binary_cross_entropy_with_logits(a, b, **pkw),
                        lambda a, b: tf.binary_cross_entropy_with_logits(a, b, **tkw), x, y,
                        rtol=1e-5, atol=1e-6)

    def test_mlp_parameter_grads(self, torch):
        torch.manual_seed(0)
        tnet = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.GELU(), torch.nn.Linear(5, 3))
        net = nn.Sequential(nn.Linear(6, 5), nn.GELU(), nn.Linear(5, 3))
        net.load_state_dict({k: pt_from(v) for k, v in tnet.state_dict().items()})
        x = _rand(torch, 8, 6)
        t = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
        torch.nn.functional.cross_entropy(tnet(x), t).backward()
        F.cross_entropy(net(pt_from(x)), pt_from(t)).backward()
        for p, tp in zip(net.parameters(), tnet.parameters()):
            assert_close(p.grad, tp.grad, rtol=1e-4, atol=1e-6)
        net.zero_grad()
        assert all(p.grad is None for p in net.parameters())
