"""pytensor.optim: update rules against torch.optim step by step (gradients set by hand, so the
rules are checked without autograd), 20-step MLP training runs against torch's loss
trajectory, parameter groups, zero_grad, state_dict round trips, reprs and StepLR."""

from __future__ import annotations


import numpy as np
import pytest

import pytensor
import pytensor.nn as nn
import pytensor.nn.functional as F
import pytensor.optim as optim
import pytensor.random as R

from conftest import assert_close, to_numpy



SHAPES = [(3, 4), (5,), (2, 2, 3)]


def _params(torch, dtype="float32", seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    ours = [nn.Parameter(pytensor.from_numpy(a.copy())) for a in arrays]
    theirs = [torch.nn.Parameter(torch.from_numpy(a.copy())) for a in arrays]
    return ours, theirs


def _set_grads(ours, theirs, step, dtype="float32", skip=None):
    rng = np.random.default_rng(1000 + step)
    for i, (p, tp) in enumerate(zip(ours, theirs)):
        g = rng.standard_normal(tuple(p.shape)).astype(dtype)
        if skip is not None and i == skip:
            p.grad, tp.grad = None, None
            continue
        # the gradient also depends on the current parameter, like a real loss would
        g = g + 0.5 * to_numpy(p).astype(dtype)
        p.grad = pytensor.from_numpy(g.copy())
        tp.grad = torch_from(tp, g)


def torch_from(tp, g):
    import torch
    return torch.from_numpy(g.copy())


def _run(torch, make, steps=20, dtype="float32", rtol=1e-5, atol=1e-6, skip_every=None,
         scheduler=None):
    ours, theirs = _params(torch, dtype)
    opt, topt = make(optim, ours), make(torch.optim, theirs)
    sched = tsched = None
    if scheduler is not None:
        sched, tsched = scheduler(optim, opt), scheduler(torch.optim, topt)
    for step in range(steps):
        skip = (step % len(SHAPES)) if skip_every and step % skip_every == 0 else None
        _set_grads(ours, theirs, step, dtype, skip)
        opt.step()
        topt.step()
        if sched is not None:
            sched.step()
            tsched.step()
        for p, tp in zip(ours, theirs):
            assert_close(p.detach(), tp.detach(), rtol=rtol, atol=atol)
    return opt, topt


CONFIGS = {
    "sgd": lambda o, p: o.SGD(p, lr=0.1),
    "sgd_momentum": lambda o, p: o.SGD(p, lr=0.05, momentum=0.9),
    "sgd_dampening_wd": lambda o, p: o.SGD(p, lr=0.05, momentum=0.8, dampening=0.3,
                                           weight_decay=0.01),
    "sgd_nesterov": lambda o, p: o.SGD(p, lr=0.05, momentum=0.9, nesterov=True,
                                       weight_decay=1e-3),
    "sgd_maximize": lambda o, p: o.SGD(p, lr=0.01, momentum=0.5, maximize=True),
    "adam": lambda o, p: o.Adam(p, lr=0.01),
    "adam_wd_amsgrad": lambda o, p: o.Adam(p, lr=0.02, betas=(0.8, 0.99), weight_decay=0.1,
                                           amsgrad=True),
    "adam_maximize": lambda o, p: o.Adam(p, lr=0.01, maximize=True, eps=1e-6),
    "adamw": lambda o, p: o.AdamW(p, lr=0.01),
    "adamw_amsgrad": lambda o, p: o.AdamW(p, lr=0.03, weight_decay=0.2, amsgrad=True),
    "rmsprop": lambda o, p: o.RMSprop(p, lr=0.01),
    "rmsprop_centered_momentum": lambda o, p: o.RMSprop(p, lr=0.005, alpha=0.9, momentum=0.7,
                                                        centered=True, weight_decay=0.01),
    "rmsprop_momentum": lambda o, p: o.RMSprop(p, lr=0.005, momentum=0.5, eps=1e-4),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_update_rules_match_torch(torch, name):
    _run(torch, CONFIGS[name])


@pytest.mark.parametrize("name", ["sgd_nesterov", "adam_wd_amsgrad", "rmsprop_centered_momentum"])
def test_update_rules_float64(torch, name):
    _run(torch, CONFIGS[name], dtype="float64", rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("name", ["sgd_momentum", "adam", "rmsprop_momentum"])
def test_params_without_grad_are_skipped(torch, name):
    _run(torch, CONFIGS[name], skip_every=3)


def test_sgd_hand_values():
    p = nn.Parameter(pytensor.tensor([1.0, -2.0]))
    opt = optim.SGD([p], lr=0.5, momentum=0.9)
    p.grad = pytensor.tensor([1.0, 1.0])
    opt.step()  # buf = g; p = p - 0.5 * g
    assert to_numpy(p).tolist() == [0.5, -2.5]
    opt.step()  # buf = 0.9 * 1 + 1 = 1.9; p -= 0.95
    np.testing.assert_allclose(to_numpy(p), [-0.45, -3.45], rtol=1e-6)
    assert to_numpy(opt.state[p]["momentum_buffer"]).tolist() == pytest.approx([1.9, 1.9])


def test_adam_first_step_is_lr_times_sign():
    p = nn.Parameter(pytensor.tensor([1.0, -2.0, 3.0], dtype=pytensor.float64))
    opt = optim.Adam([p], lr=0.1)
    p.grad = pytensor.tensor([0.5, -3.0, 0.0], dtype=pytensor.float64)
    opt.step()
    np.testing.assert_allclose(to_numpy(p), [0.9, -1.9, 3.0], rtol=1e-6)
    assert opt.state[p]["step"].item() == 1.0 and opt.state[p]["step"].dtype == pytensor.float32


def test_param_groups_match_torch(torch):
    def make(o, params):
        return o.SGD([{"params": params[:2]}, {"params": params[2:], "lr": 0.3,
                                                "momentum": 0.5}], lr=0.05, momentum=0.9)
    opt, topt = _run(torch, make, steps=5)
    assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in topt.param_groups]
    assert repr(opt) == repr(topt)


def test_add_param_group_and_errors(torch):
    a = nn.Parameter(pytensor.ones(2))
    b = nn.Parameter(pytensor.ones(3))
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": b, "lr": 0.5})
    assert opt.param_groups[1]["lr"] == 0.5 and opt.param_groups[1]["betas"] == (0.9, 0.999)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter "
                                         "group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="params argument given to the optimizer should be an "
                                        "iterable of Tensors or dicts, but got "
                                        "pytensor.FloatTensor"):
        optim.SGD(a, lr=0.1)
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors"):
        optim.SGD([1.0], lr=0.1)
    with pytest.raises(TypeError, match="ordering of tensors in sets will change"):
        opt.add_param_group({"params": {nn.Parameter(pytensor.ones(1))}})
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD([a], lr=-1)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero "
                                         "dampening"):
        optim.SGD([a], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1: 1.0"):
        optim.Adam([a], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Invalid epsilon value: -1e-08"):
        optim.AdamW([a], eps=-1e-8)
    with pytest.raises(ValueError, match="Invalid alpha value: -0.5"):
        optim.RMSprop([a], alpha=-0.5)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([a, a], lr=0.1)


def test_named_parameters_input(torch):
    net = nn.Linear(2, 2)
    tnet = torch.nn.Linear(2, 2)
    opt = optim.SGD(net.named_parameters(), lr=0.1)
    topt = torch.optim.SGD(tnet.named_parameters(), lr=0.1)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.state_dict()["param_groups"] == topt.state_dict()["param_groups"]
    with pytest.raises(ValueError, match="all optimizer param groups should be with/without "
                                         "names"):
        opt.add_param_group({"params": [nn.Parameter(pytensor.ones(1))]})


def test_zero_grad():
    p = nn.Parameter(pytensor.ones(3))
    opt = optim.SGD([p], lr=0.1)
    p.grad = pytensor.ones(3)
    opt.zero_grad(set_to_none=False)
    assert to_numpy(p.grad).tolist() == [0.0, 0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None
    opt.zero_grad()  # no grads: nothing to do


def test_closure_runs_with_grad_enabled():
    p = nn.Parameter(pytensor.ones(2))
    opt = optim.SGD([p], lr=0.1)
    seen = []

    def closure():
        seen.append(pytensor.is_grad_enabled())
        p.grad = pytensor.ones(2)
        return 3.0

    with pytensor.no_grad():
        assert opt.step(closure) == 3.0
    assert seen == [True]
    assert to_numpy(p.detach()).tolist() == pytest.approx([0.9, 0.9])


@pytest.mark.parametrize("name", ["sgd_momentum", "adam_wd_amsgrad", "adamw",
                                  "rmsprop_centered_momentum"])
def test_state_dict_matches_torch_and_resumes(torch, name):
    make = CONFIGS[name]
    opt, topt = _run(torch, make, steps=3)
    sd, tsd = opt.state_dict(), topt.state_dict()
    assert sd["param_groups"] == tsd["param_groups"]
    assert list(sd["state"]) == list(tsd["state"])
    for k in sd["state"]:
        assert list(sd["state"][k]) == list(tsd["state"][k])
        for key, v in sd["state"][k].items():
            assert_close(v, tsd["state"][k][key], rtol=1e-5, atol=1e-6)
    # a fresh optimizer over copies of the parameters resumes exactly where the first one is
    ours = [nn.Parameter(p.detach().clone()) for g in opt.param_groups for p in g["params"]]
    fresh = make(optim, ours)
    fresh.load_state_dict(pytensor.load(_roundtrip(sd)) if hasattr(pytensor, "load") else sd)
    assert fresh.param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    for step in range(3, 6):
        originals = [p for g in opt.param_groups for p in g["params"]]
        rng = np.random.default_rng(step)
        for p, q in zip(originals, ours):
            g = rng.standard_normal(tuple(p.shape)).astype(np.float32)
            p.grad = pytensor.from_numpy(g.copy())
            q.grad = pytensor.from_numpy(g.copy())
        opt.step()
        fresh.step()
        for p, q in zip(originals, ours):
            np.testing.assert_array_equal(to_numpy(p.detach()), to_numpy(q.detach()))


def _roundtrip(obj):
    import io
    buf = io.BytesIO()
    pytensor.save(obj, buf)
    buf.seek(0)
    return buf


def test_load_state_dict_errors():
    a = nn.Parameter(pytensor.ones(2))
    b = nn.Parameter(pytensor.ones(2))
    opt = optim.SGD([a, b], lr=0.1)
    other = optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.1)
    with pytest.raises(ValueError, match="loaded state dict has a different number of parameter "
                                         "groups"):
        opt.load_state_dict(other.state_dict())
    single = optim.SGD([a], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict(single.state_dict())


def test_reprs_match_torch(torch):
    t = [torch.nn.Parameter(torch.ones(2))]
    p = [nn.Parameter(pytensor.ones(2))]
    for name in ("SGD", "Adam", "AdamW", "RMSprop"):
        kwargs = {"lr": 0.1} if name == "SGD" else {}
        assert repr(getattr(optim, name)(p, **kwargs)) == \
            repr(getattr(torch.optim, name)(t, **kwargs))


# ---------------------------------------------------------------------------------------------
# Learning-rate schedulers
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda o, opt: o.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5),
    lambda o, opt: o.lr_scheduler.MultiStepLR(opt, milestones=[2, 5, 5], gamma=0.3),
    lambda o, opt: o.lr_scheduler.ExponentialLR(opt, gamma=0.9),
])
def test_schedulers_match_torch(torch, make):
    p, tp = [nn.Parameter(pytensor.ones(2))], [torch.nn.Parameter(torch.ones(2))]
    opt = optim.SGD([{"params": p}, {"params": [nn.Parameter(pytensor.ones(1))], "lr": 0.5}],
                    lr=0.1)
    topt = torch.optim.SGD([{"params": tp}, {"params": [torch.nn.Parameter(torch.ones(1))],
                                              "lr": 0.5}], lr=0.1)
    s, ts = make(optim, opt), make(torch.optim, topt)
    for _ in range(10):
        opt.step()
        topt.step()
        s.step()
        ts.step()
        assert s.get_last_lr() == pytest.approx(ts.get_last_lr(), rel=1e-12)
        assert [g["lr"] for g in opt.param_groups] == pytest.approx(
            [g["lr"] for g in topt.param_groups], rel=1e-12)
    sd, tsd = s.state_dict(), ts.state_dict()
    assert set(sd) == set(tsd)
    for k in sd:
        if k != "milestones":
            assert sd[k] == pytest.approx(tsd[k]) if isinstance(sd[k], (list, float)) \
                else sd[k] == tsd[k]
    assert opt.param_groups[0]["initial_lr"] == 0.1


def test_steplr_state_dict_and_warning(torch):
    p = [nn.Parameter(pytensor.ones(1))]
    opt = optim.SGD(p, lr=1.0)
    s = optim.lr_scheduler.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before "
                                         r"`optimizer.step\(\)`"):
        s.step()
    s.step()
    assert s.last_epoch == 2 and s.get_last_lr() == [pytest.approx(0.1)]
    state = s.state_dict()
    s2 = optim.lr_scheduler.StepLR(optim.SGD([nn.Parameter(pytensor.ones(1))], lr=1.0),
                                   step_size=5)
    s2.load_state_dict(state)
    assert s2.step_size == 2 and s2.last_epoch == 2
    with pytest.raises(TypeError, match="int is not an Optimizer"):
        optim.lr_scheduler.StepLR(3, step_size=1)


# ---------------------------------------------------------------------------------------------
# 20-step training runs against torch
# ---------------------------------------------------------------------------------------------

def _mlp(lib, seed):
    lib_nn = lib.nn
    return lib_nn.Sequential(lib_nn.Linear(20, 32), lib_nn.ReLU(), lib_nn.Linear(32, 16),
                             lib_nn.Tanh(), lib_nn.Linear(16, 5))


@pytest.mark.parametrize("opt_name,kwargs", [
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}),
    ("Adam", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.05}),
    ("RMSprop", {"lr": 0.003, "momentum": 0.5}),
])
def test_mlp_training_trajectory_matches_torch(torch, opt_name, kwargs):
    R.manual_seed(0)
    torch.manual_seed(0)
    net, tnet = _mlp(pytensor, 0), _mlp(torch, 0)
    for p, tp in zip(net.parameters(), tnet.parameters()):  # identical init, bit for bit
        np.testing.assert_array_equal(to_numpy(p.detach()), tp.detach().numpy())
    rng = np.random.default_rng(5)
    x = rng.standard_normal((64, 20)).astype(np.float32)
    y = rng.integers(0, 5, 64)
    px, py = pytensor.from_numpy(x.copy()), pytensor.from_numpy(y.copy())
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    opt = getattr(optim, opt_name)(net.parameters(), **kwargs)
    topt = getattr(torch.optim, opt_name)(tnet.parameters(), **kwargs)
    losses, tlosses = [], []
    for _ in range(20):
        opt.zero_grad()
        loss = F.cross_entropy(net(px), py)
        loss.backward()
        opt.step()
        topt.zero_grad()
        tloss = torch.nn.functional.cross_entropy(tnet(tx), ty)
        tloss.backward()
        topt.step()
        losses.append(loss.item())
        tlosses.append(tloss.item())
    np.testing.assert_allclose(losses, tlosses, rtol=1e-4)
    assert losses[-1] < losses[0]


def test_mlp_training_with_log_softmax_nll_and_steplr(torch):
    R.manual_seed(1)
    torch.manual_seed(1)
    net = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 3), nn.LogSoftmax(dim=1))
    tnet = torch.nn.Sequential(torch.nn.Linear(10, 16), torch.nn.ReLU(),
                               torch.nn.Linear(16, 3), torch.nn.LogSoftmax(dim=1))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 10)).astype(np.float32)
    y = rng.integers(0, 3, 32)
    opt = optim.SGD(net.parameters(), lr=0.2, momentum=0.9)
    topt = torch.optim.SGD(tnet.parameters(), lr=0.2, momentum=0.9)
    sched = optim.lr_scheduler.StepLR(opt, 5, 0.5)
    tsched = torch.optim.lr_scheduler.StepLR(topt, 5, 0.5)
    crit, tcrit = nn.NLLLoss(), torch.nn.NLLLoss()
    losses, tlosses = [], []
    for _ in range(20):
        opt.zero_grad()
        loss = crit(net(pytensor.from_numpy(x.copy())), pytensor.from_numpy(y.copy()))
        loss.backward()
        opt.step()
        sched.step()
        topt.zero_grad()
        tloss = tcrit(tnet(torch.from_numpy(x)), torch.from_numpy(y))
        tloss.backward()
        topt.step()
        tsched.step()
        losses.append(loss.item())
        tlosses.append(tloss.item())
    np.testing.assert_allclose(losses, tlosses, rtol=1e-4)
