"""Autograd: gradients of every differentiable op (finite differences in float64 and, when torch
is installed, torch's own gradients and node names), the engine's semantics (accumulation,
retain_graph, hooks, grad mode, in-place checks, deep graphs) and custom Functions."""

from __future__ import annotations

import gc

import numpy as np
import pytest

import pytensor as pt
from pytensor.autograd import Function, gradcheck, gradgradcheck

RNG = np.random.default_rng(20240605)


def _arr(shape, positive=False, dtype=np.float64):
    x = RNG.standard_normal(shape).astype(dtype)
    return np.abs(x) + 0.5 if positive else x


def _leaf(a):
    return pt.from_numpy(a.copy()).requires_grad_()


def _setitem(m, a, b):
    y = a * 1
    y[1] = b * 2
    return y


def _setitem_view(m, a, b):
    y = a * 1
    v = y[0]
    v[1:3] = b
    return y.exp()


def _setitem_adv(m, a, b):
    y = a * 1
    y[m.tensor([2, 0])] = b
    return y


def _inplace_chain(m, a, b):
    y = a * 2
    y.add_(b)
    y.mul_(b)
    y.exp_()
    return y


def _inplace_view(m, a, b):
    y = a * 1
    y[:, 1].mul_(b)
    return y


def _copy_into_view(m, a, b):
    y = a.clone()
    y[0].copy_(b)
    return y


# (id, f(module, *inputs), input shapes, positive inputs?). f runs on pytensor and on torch.
UNARY = [
    "exp",
    "log",
    "log1p",
    "expm1",
    "sqrt",
    "rsqrt",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sigmoid",
    "reciprocal",
    "log2",
    "log10",
    "exp2",
    "atan",
    "sinh",
    "cosh",
    "erf",
    "abs",
    "relu",
    "square",
    "neg",
    "sign",
    "floor",
    "ceil",
    "round",
    "trunc",
]
POSITIVE = {"log", "sqrt", "rsqrt", "log1p", "log2", "log10", "reciprocal"}


def _method(name):
    return lambda m, a: getattr(a, name)()


CASES = [(u, _method(u), [(2, 3)], u in POSITIVE) for u in UNARY] + [
    ("asin", lambda m, a: (a * 0.3).asin(), [(3,)], False),
    ("acos", lambda m, a: (a * 0.3).acos(), [(3,)], False),
    ("add", lambda m, a, b: a + b, [(3, 4), (3, 4)], False),
    ("add_broadcast", lambda m, a, b: a + b, [(3, 4), (4,)], False),
    ("add_broadcast_both", lambda m, a, b: a + b, [(3, 1), (1, 4)], False),
    ("radd_scalar", lambda m, a: 2 + a, [(3,)], False),
    ("add_alpha", lambda m, a, b: a.add(b, alpha=3), [(3,), (3,)], False),
    ("sub", lambda m, a, b: a - b, [(3, 4), (1, 4)], False),
    ("rsub", lambda m, a: 1 - a, [(3,)], False),
    ("mul", lambda m, a, b: a * b, [(2, 3), (3,)], False),
    ("mul_scalar", lambda m, a: a * 2.5, [(2, 3)], False),
    ("div", lambda m, a, b: a / b, [(2, 3), (3,)], True),
    ("rdiv", lambda m, a: 2 / a, [(3,)], True),
    ("pow_scalar", lambda m, a: a**3, [(3,)], False),
    ("pow_zero", lambda m, a: a**0, [(3,)], False),
    ("pow_tensor", lambda m, a, b: a**b, [(3,), (3,)], True),
    ("rpow", lambda m, a: 2**a, [(3,)], False),
    ("maximum", lambda m, a, b: m.maximum(a, b), [(3, 4), (4,)], False),
    ("minimum", lambda m, a, b: m.minimum(a, b), [(3, 4), (4,)], False),
    ("atan2", lambda m, a, b: m.atan2(a, b), [(3,), (3,)], False),
    ("remainder", lambda m, a: m.remainder(a, 0.7), [(3,)], False),
    ("fmod", lambda m, a, b: m.fmod(a, b), [(3,), (3,)], True),
    ("clamp", lambda m, a: a.clamp(-0.5, 0.5), [(10,)], False),
    ("clamp_min", lambda m, a: a.clamp(min=0), [(10,)], False),
    ("where", lambda m, a, b: m.where(a > 0, a, b), [(3, 4), (4,)], False),
    ("where_scalar", lambda m, a: m.where(a > 0, a, 0.5), [(3, 4)], False),
    ("clone", lambda m, a: a.clone(), [(3,)], False),
    ("contiguous", lambda m, a: a.t().contiguous(), [(3, 2)], False),
    ("to_dtype", lambda m, a: a.to(m.float32), [(3,)], False),
    ("view", lambda m, a: a.view(6), [(2, 3)], False),
    ("reshape_copy", lambda m, a: a.t().reshape(6), [(2, 3)], False),
    ("flatten", lambda m, a: a.flatten(), [(2, 3)], False),
    ("squeeze", lambda m, a: a.squeeze(), [(2, 1, 3)], False),
    ("squeeze_dim", lambda m, a: a.squeeze(1), [(2, 1, 3)], False),
    ("unsqueeze", lambda m, a: a.unsqueeze(1), [(2, 3)], False),
    ("transpose", lambda m, a: a.transpose(0, 2), [(2, 3, 4)], False),
    ("t", lambda m, a: a.t(), [(2, 3)], False),
    ("T", lambda m, a: a.T, [(2, 3)], False),
    ("permute", lambda m, a: a.permute(2, 0, 1), [(2, 3, 4)], False),
    ("expand", lambda m, a: a.expand(2, 3, 4), [(3, 1)], False),
    ("narrow", lambda m, a: a.narrow(1, 1, 2), [(2, 4)], False),
    ("select", lambda m, a: a.select(1, -1), [(2, 4)], False),
    ("movedim", lambda m, a: a.movedim(0, 2), [(2, 3, 4)], False),
    ("unfold", lambda m, a: a.unfold(1, 3, 1), [(2, 5)], False),
    ("as_strided", lambda m, a: m.as_strided(a, (2, 2), (1, 2)), [(6,)], False),
    ("getitem_int", lambda m, a: a[1], [(2, 4)], False),
    ("getitem_slice", lambda m, a: a[:, 1::2], [(2, 5)], False),
    ("getitem_none", lambda m, a: a[None, 0], [(2, 5)], False),
    ("getitem_index", lambda m, a: a[m.tensor([0, 0, 1])], [(2, 5)], False),
    ("getitem_mask", lambda m, a: a[a > 0], [(2, 5)], False),
    ("cat", lambda m, a, b: m.cat([a, b], 1), [(2, 3), (2, 2)], False),
    ("stack", lambda m, a, b: m.stack([a, b], -1), [(2, 3), (2, 3)], False),
    ("split", lambda m, a: a.split(2, 1)[1], [(2, 5)], False),
    ("chunk", lambda m, a: a.chunk(2)[0], [(4, 2)], False),
    ("unbind", lambda m, a: a.unbind(1)[2], [(2, 3)], False),
    ("sum", lambda m, a: a.sum(), [(2, 3)], False),
    ("sum_dim", lambda m, a: a.sum(1), [(2, 3)], False),
    ("sum_keepdim", lambda m, a: a.sum((0, 2), keepdim=True), [(2, 3, 4)], False),
    ("mean", lambda m, a: a.mean(), [(2, 3)], False),
    ("mean_dim", lambda m, a: a.mean(-1), [(2, 3)], False),
    ("prod", lambda m, a: a.prod(), [(2, 3)], False),
    ("prod_dim", lambda m, a: a.prod(1), [(2, 3)], False),
    ("amax", lambda m, a: a.amax(1), [(2, 3)], False),
    ("amin", lambda m, a: a.amin(0, keepdim=True), [(2, 3)], False),
    ("max", lambda m, a: a.max(), [(2, 3)], False),
    ("min", lambda m, a: a.min(), [(2, 3)], False),
    ("max_dim", lambda m, a: a.max(1)[0], [(2, 3)], False),
    ("min_dim", lambda m, a: a.min(0, keepdim=True)[0], [(2, 3)], False),
    ("var", lambda m, a: a.var(1), [(2, 3)], False),
    ("var_all", lambda m, a: a.var(), [(2, 3)], False),
    ("std", lambda m, a: a.std(0), [(2, 3)], False),
    ("norm", lambda m, a: a.norm(), [(2, 3)], False),
    ("norm_1", lambda m, a: a.norm(p=1, dim=1), [(2, 3)], False),
    ("norm_3", lambda m, a: a.norm(p=3, dim=0), [(2, 3)], False),
    ("norm_inf", lambda m, a: a.norm(p=float("inf")), [(2, 3)], False),
    ("logsumexp", lambda m, a: a.logsumexp(1), [(2, 3)], False),
    ("softmax", lambda m, a: a.softmax(1), [(2, 3)], False),
    ("log_softmax", lambda m, a: a.log_softmax(0), [(2, 3)], False),
    ("cumsum", lambda m, a: a.cumsum(1), [(2, 3)], False),
    ("cumprod", lambda m, a: a.cumprod(1), [(2, 3)], False),
    ("mm", lambda m, a, b: a @ b, [(2, 3), (3, 4)], False),
    ("mv", lambda m, a, b: a @ b, [(2, 3), (3,)], False),
    ("dot", lambda m, a, b: a @ b, [(3,), (3,)], False),
    ("vecmat", lambda m, a, b: a @ b, [(3,), (3, 4)], False),
    ("bmm", lambda m, a, b: m.bmm(a, b), [(2, 2, 3), (2, 3, 4)], False),
    ("matmul_batched", lambda m, a, b: a @ b, [(2, 2, 3), (3, 4)], False),
    ("matmul_broadcast", lambda m, a, b: a @ b, [(2, 1, 2, 3), (3, 3, 2)], False),
    ("matmul_vec_batched", lambda m, a, b: a @ b, [(3,), (2, 3, 4)], False),
    ("outer", lambda m, a, b: m.outer(a, b), [(3,), (4,)], False),
    (
        "addmm",
        lambda m, c, a, b: m.addmm(c, a, b, beta=0.5, alpha=2),
        [(4,), (2, 3), (3, 4)],
        False,
    ),
    ("addmv", lambda m, c, a, b: m.addmv(c, a, b), [(2,), (2, 3), (3,)], False),
    ("baddbmm", lambda m, c, a, b: m.baddbmm(c, a, b), [(2, 2, 4), (2, 2, 3), (2, 3, 4)], False),
    ("linear", lambda m, x, w, b: _linear(m)(x, w, b), [(5, 3), (2, 3), (2,)], False),
    ("linear_3d", lambda m, x, w, b: _linear(m)(x, w, b), [(4, 5, 3), (2, 3), (2,)], False),
    ("linear_1d_nobias", lambda m, x, w: _linear(m)(x, w), [(3,), (2, 3)], False),
    ("index_select", lambda m, a: a.index_select(1, m.tensor([0, 2, 0])), [(2, 3)], False),
    ("gather", lambda m, a: a.gather(1, m.tensor([[0, 0], [1, 2]])), [(2, 3)], False),
    ("take", lambda m, a: a.take(m.tensor([0, 5, 0])), [(2, 3)], False),
    ("scatter", lambda m, a, s: a.scatter(1, m.tensor([[0], [2]]), s), [(2, 3), (2, 1)], False),
    (
        "scatter_add",
        lambda m, a, s: a.scatter_add(1, m.tensor([[0, 0], [2, 1]]), s),
        [(2, 3), (2, 2)],
        False,
    ),
    ("index_add", lambda m, a, s: a.index_add(0, m.tensor([0, 0]), s), [(2, 3), (2, 3)], False),
    ("index_put", lambda m, a, v: a.index_put((m.tensor([0, 1]),), v), [(3, 2), (2, 2)], False),
    ("masked_select", lambda m, a: a.masked_select(a > 0), [(2, 3)], False),
    ("take_along_dim", lambda m, a: m.take_along_dim(a, m.tensor([[0], [2]]), 1), [(2, 3)], False),
    ("take_along_dim_flat", lambda m, a: m.take_along_dim(a, m.tensor([0, 5, 5])), [(2, 3)], False),
    ("index_copy", lambda m, a, s: a.index_copy(1, m.tensor([2, 0]), s), [(2, 3), (2, 2)], False),
    ("index_fill", lambda m, a: a.index_fill(1, m.tensor([2, 0]), 1.5), [(2, 3)], False),
    ("masked_scatter", lambda m, a, s: a.masked_scatter(a > 0, s), [(2, 3), (7,)], False),
    ("masked_fill", lambda m, a: a.masked_fill(a > 0, 1.0), [(2, 3)], False),
    ("setitem", _setitem, [(3, 4), (4,)], False),
    ("setitem_through_view", _setitem_view, [(3, 4), (2,)], False),
    ("setitem_index", _setitem_adv, [(3, 4), (2, 4)], False),
    ("inplace_chain", _inplace_chain, [(3,), (3,)], False),
    ("inplace_on_view", _inplace_view, [(3, 4), (3,)], False),
    ("copy_into_view", _copy_into_view, [(3, 4), (4,)], False),
]

# torch names these differently.
NAME_EXCEPTIONS = {
    "setitem_index": "IndexPutBackward0",
}
# Float32 round-trips cannot pass float64 finite differences.
NO_GRADCHECK = {"to_dtype"}


def _linear(m):
    return m._C.linear if m is pt else m.nn.functional.linear


def _ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_gradcheck(case):
    name, fn, shapes, positive = case
    if name in NO_GRADCHECK:
        pytest.skip("float32 intermediate")
    inputs = [_leaf(_arr(s, positive)) for s in shapes]
    assert gradcheck(lambda *xs: fn(pt, *xs), inputs)


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_matches_torch(case):
    torch = pytest.importorskip("torch")
    name, fn, shapes, positive = case
    arrays = [_arr(s, positive) for s in shapes]
    ours = [_leaf(a) for a in arrays]
    theirs = [torch.from_numpy(a.copy()).requires_grad_() for a in arrays]
    y, yt = fn(pt, *ours), fn(torch, *theirs)
    np.testing.assert_allclose(y.detach().numpy(), yt.detach().numpy(), rtol=1e-6, atol=1e-9)
    expected = NAME_EXCEPTIONS.get(name, yt.grad_fn.name())
    assert y.grad_fn.name() == expected
    go = RNG.standard_normal(tuple(yt.shape)).astype(
        np.float32 if yt.dtype == torch.float32 else np.float64
    )
    y.backward(pt.from_numpy(go))
    yt.backward(torch.from_numpy(go))
    for i, (a, at) in enumerate(zip(ours, theirs)):
        if at.grad is None:
            assert a.grad is None, f"input {i}"
        else:
            assert a.grad.dtype == pt.float64
            np.testing.assert_allclose(
                a.grad.numpy(), at.grad.numpy(), rtol=1e-6, atol=1e-9, err_msg=f"input {i}"
            )


# ---- double backward ------------------------------------------------------------------------

GRADGRAD = [
    "exp",
    "log",
    "sigmoid",
    "tanh",
    "sin",
    "sqrt",
    "relu",
    "abs",
    "mul",
    "div",
    "pow_scalar",
    "pow_tensor",
    "atan2",
    "maximum",
    "clamp",
    "where",
    "sum_dim",
    "mean_dim",
    "prod_dim",
    "amax",
    "max_dim",
    "var",
    "std",
    "norm",
    "logsumexp",
    "softmax",
    "log_softmax",
    "cumsum",
    "mm",
    "bmm",
    "mv",
    "addmm",
    "matmul_batched",
    "linear",
    "linear_3d",
    "expand",
    "cat",
    "stack",
    "select",
    "getitem_slice",
    "getitem_index",
    "as_strided",
    "unfold",
    "gather",
    "index_select",
    "masked_select",
    "setitem",
    "setitem_through_view",
    "inplace_chain",
    "inplace_on_view",
]


@pytest.mark.parametrize("name", GRADGRAD)
def test_gradgradcheck(name):
    _, fn, shapes, positive = next(c for c in CASES if c[0] == name)
    inputs = [_leaf(_arr(s, positive)) for s in shapes]
    assert gradgradcheck(lambda *xs: fn(pt, *xs), inputs)


def test_second_derivative_of_cube():
    x = pt.tensor(2.0, dtype=pt.float64, requires_grad=True)
    (g,) = pt.autograd.grad(x**3, x, create_graph=True)
    assert g.item() == pytest.approx(12.0) and g.requires_grad
    (g2,) = pt.autograd.grad(g, x)
    assert g2.item() == pytest.approx(12.0)  # 6x


def test_gradient_penalty_matches_torch():
    torch = pytest.importorskip("torch")
    w0, x0 = _arr((3, 4)), _arr((5, 3))

    def run(m, w, x):
        y = (x @ w).tanh().sum()
        (g,) = m.autograd.grad(y, w, create_graph=True)
        ((g * g).sum() + y).backward()
        return w.grad

    ours = run(pt, _leaf(w0), pt.from_numpy(x0))
    theirs = run(torch, torch.from_numpy(w0.copy()).requires_grad_(), torch.from_numpy(x0))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


# ---- random composite expressions against torch --------------------------------------------------

_UNARY_SAFE = [
    lambda m, a: a.tanh(),
    lambda m, a: a.sigmoid(),
    lambda m, a: a.exp() * 0.1,
    lambda m, a: (a * a + 1).log(),
    lambda m, a: a.relu(),
    lambda m, a: a.sin(),
    lambda m, a: a.softmax(-1),
    lambda m, a: a.abs() + 1,
    lambda m, a: -a,
    lambda m, a: a.clamp(-0.5, 0.5),
    lambda m, a: a.t() if a.dim() == 2 else a,
    lambda m, a: (a.square() + 1).sqrt(),
    lambda m, a: a.cumsum(0),
]
_BINARY_SAFE = [
    lambda m, a, b: a + b,
    lambda m, a, b: a - b,
    lambda m, a, b: a * b,
    lambda m, a, b: a / (b * b + 1),
    lambda m, a, b: m.maximum(a, b),
    lambda m, a, b: m.where(a > b, a, b * 2),
]


def _composite(m, leaves, plan):
    vals = list(leaves)
    for kind, i, j, k in plan:
        a, b = vals[i % len(vals)], vals[j % len(vals)]
        if kind == "u":
            vals.append(_UNARY_SAFE[k % len(_UNARY_SAFE)](m, a))
        elif a.shape == b.shape or a.dim() != b.dim():
            vals.append(_BINARY_SAFE[k % len(_BINARY_SAFE)](m, a, b))
        else:
            vals.append(_BINARY_SAFE[k % len(_BINARY_SAFE)](m, a, b.sum(0, keepdim=True)))
    return (
        sum((v * (i + 1)).sum() for i, v in enumerate(vals[len(leaves) :]))
        + (vals[-1] @ vals[0].t()).mean()
    )


@pytest.mark.parametrize("seed", range(25))
def test_random_composites_match_torch(seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal((4, 4)) for _ in range(3)]
    plan = [
        (
            "u" if rng.random() < 0.4 else "b",
            int(rng.integers(100)),
            int(rng.integers(100)),
            int(rng.integers(100)),
        )
        for _ in range(12)
    ]
    ours = [_leaf(a) for a in arrays]
    theirs = [torch.from_numpy(a.copy()).requires_grad_() for a in arrays]
    loss, loss_t = _composite(pt, ours, plan), _composite(torch, theirs, plan)
    assert loss.item() == pytest.approx(loss_t.item(), rel=1e-9)
    loss.backward()
    loss_t.backward()
    for a, at in zip(ours, theirs):
        if at.grad is None:
            assert a.grad is None
        else:
            np.testing.assert_allclose(a.grad.numpy(), at.grad.numpy(), rtol=1e-7, atol=1e-10)


def test_mixed_dtypes_and_integer_operands():
    a = pt.tensor([1.0, 2.0, 3.0], requires_grad=True)  # float32
    b = pt.tensor([0.5, 0.25, 2.0], dtype=pt.float64, requires_grad=True)
    n = pt.tensor([1, 2, 3])
    y = (a * b + a * n).sum()
    assert y.dtype == pt.float64
    y.backward()
    assert a.grad.dtype == pt.float32 and b.grad.dtype == pt.float64
    np.testing.assert_allclose(a.grad.numpy(), [1.5, 2.25, 5.0])
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 2.0, 3.0])
    assert n.grad is None and not n.requires_grad


def test_tutorial_network_training_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    arrays = [
        rng.standard_normal(s).astype(np.float32)
        for s in [(1, 3), (1, 1), (3, 2), (1, 2), (2, 1), (1, 1)]
    ]

    def train(m):
        x, y, *ps = [m.from_numpy(a.copy()) for a in arrays]
        for p in ps:
            p.requires_grad_()
        W1, B1, W2, B2 = ps
        for _ in range(20):
            h = m.sigmoid(m.mm(x, W1) + B1)
            out = m.sigmoid(m.mm(h, W2) + B2)
            loss = ((out - y) ** 2).mean()
            loss.backward()
            with m.no_grad():
                for p in ps:
                    p -= 0.5 * p.grad
                    p.grad = None
        return loss.item(), [p.detach().numpy() for p in ps]

    (l1, p1), (l2, p2) = train(pt), train(torch)
    assert l1 == pytest.approx(l2, rel=1e-5)
    for a, b in zip(p1, p2):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


# ---- engine semantics ----------------------------------------------------------------------------


def test_accumulates_into_grad_in_place():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    (a * 3).sum().backward()
    g = a.grad
    (a * a).sum().backward()
    assert a.grad is g  # accumulated in place, as torch
    np.testing.assert_allclose(a.grad.numpy(), [5.0, 7.0])
    a.grad = None
    (a * 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])


def test_shared_input_gradients_do_not_alias():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    b = pt.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    (a * 2).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 1.0])


def test_fan_out_sums_gradients():
    x = pt.tensor([1.0, -2.0], requires_grad=True)
    y = x * 2
    z = y * y + y.exp() + y
    z.sum().backward()
    xs = np.array([1.0, -2.0])
    np.testing.assert_allclose(x.grad.numpy(), 2 * (2 * 2 * xs + np.exp(2 * xs) + 1), rtol=1e-6)


FREED = "Trying to backward through the graph a second time"


def test_second_backward_raises_unless_retained():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    s = (a * a).sum()
    s.backward()
    with pytest.raises(RuntimeError, match=FREED):
        s.backward()
    s = (a * a).sum()
    s.backward(retain_graph=True)
    s.backward()
    np.testing.assert_allclose(a.grad.numpy(), [2 + 4.0, 4 + 8.0])


def test_graph_without_saved_values_can_be_walked_twice():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    s = (a + 1).sum()  # as torch: add and sum save no tensors
    s.backward()
    s.backward()
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 2.0])


def test_non_scalar_backward_needs_gradient():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    y = a * 2
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ):
        y.backward()
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        y.backward(pt.ones(3))
    y.backward(pt.tensor([1.0, 10.0]))
    np.testing.assert_allclose(a.grad.numpy(), [2.0, 20.0])


def test_backward_on_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
        pt.ones(()).backward()


def test_grad_function_and_allow_unused():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    b = pt.tensor([3.0], requires_grad=True)
    y = (a * a).sum()
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        pt.autograd.grad(y, [a, b], retain_graph=True)
    ga, gb = pt.autograd.grad(y, [a, b], allow_unused=True, retain_graph=True)
    np.testing.assert_allclose(ga.numpy(), [2.0, 4.0])
    assert gb is None and a.grad is None  # grad() leaves .grad alone
    ga, gb = pt.autograd.grad(y, [a, b], materialize_grads=True)
    np.testing.assert_allclose(gb.numpy(), [0.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        pt.autograd.grad((a * 2).sum(), [pt.ones(2)])


def test_grad_with_respect_to_intermediate():
    x = pt.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    (gh,) = pt.autograd.grad(y, h)
    np.testing.assert_allclose(gh.numpy(), [6.0, 12.0])


def test_backward_inputs_restricts_accumulation():
    a = pt.tensor([1.0], requires_grad=True)
    b = pt.tensor([2.0], requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    np.testing.assert_allclose(a.grad.numpy(), [2.0])
    assert b.grad is None


def test_deep_chain_is_iterative():
    x = pt.tensor([1.0, 2.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, 1.0])
    # Dropping a deep graph that was never walked must not overflow either.
    y = x
    for _ in range(100_000):
        y = y + 0.0
    del y
    gc.collect()


def test_saved_values_freed_after_backward():
    a = pt.ones(3, requires_grad=True)
    b = a * 2
    y = (b * b).sum()
    node = y.grad_fn.next_functions[0][0]
    assert node.name() == "MulBackward0"
    y.backward()
    with pytest.raises(RuntimeError, match=FREED):
        node.args[0]


def test_next_functions_and_accumulate_grad():
    a = pt.ones(2, requires_grad=True)
    y = a * 2 + 1
    (mul, nr), (none, _) = y.grad_fn.next_functions
    assert mul.name() == "MulBackward0" and nr == 0 and none is None
    acc = mul.next_functions[0][0]
    assert acc.variable is a and mul.next_functions[1] == (None, 0)


# ---- hooks -------------------------------------------------------------------------------------


def test_leaf_hook_modifies_gradient_and_can_be_removed():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    h = a.register_hook(lambda g: g * 10)
    (a * 3).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [30.0, 30.0])
    h.remove()
    a.grad = None
    (a * 3).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 3.0])


def test_non_leaf_hook_and_retain_grad():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    y = a * 2
    y.register_hook(lambda g: seen.append(g.numpy().copy()))
    y.retain_grad()
    assert y.retains_grad and not y.is_leaf
    (y * y).sum().backward()
    np.testing.assert_allclose(seen[0], [4.0, 8.0])
    np.testing.assert_allclose(y.grad.numpy(), [4.0, 8.0])
    np.testing.assert_allclose(a.grad.numpy(), [8.0, 16.0])


def test_hook_replacing_non_leaf_gradient_propagates():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    y = a * 2
    y.register_hook(lambda g: g * 0)
    y.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.0, 0.0])


def test_node_hooks_and_post_accumulate_hook():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    y = a * 3
    calls = []
    y.grad_fn.register_prehook(lambda gout: calls.append("pre"))
    y.grad_fn.register_hook(lambda gin, gout: calls.append("post"))
    a.register_post_accumulate_grad_hook(lambda t: calls.append(("acc", t.grad.numpy().tolist())))
    y.sum().backward()
    assert calls == ["pre", "post", ("acc", [3.0, 3.0])]


def test_hook_registration_errors():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        pt.ones(2).register_hook(lambda g: g)


def test_non_leaf_grad_access_warns():
    y = pt.ones(2, requires_grad=True) * 2
    with pytest.warns(UserWarning, match="is not a leaf Tensor"):
        assert y.grad is None


# ---- grad mode -----------------------------------------------------------------------------------


def test_no_grad_context_and_decorators():
    a = pt.ones(2, requires_grad=True)
    with pt.no_grad():
        z = a * 2
        assert not pt.is_grad_enabled()
        with pt.enable_grad():
            assert (a * 2).requires_grad
    assert pt.is_grad_enabled()
    assert not z.requires_grad and z.grad_fn is None and z.is_leaf

    @pt.no_grad()
    def f(t):
        return t * 2

    @pt.no_grad
    def g(t):
        return t * 2

    assert not f(a).requires_grad and not g(a).requires_grad and pt.is_grad_enabled()


def test_set_grad_enabled_and_inference_mode():
    a = pt.ones(2, requires_grad=True)
    with pt.set_grad_enabled(False):
        assert not (a * 2).requires_grad
    assert pt.is_grad_enabled()
    pt.set_grad_enabled(False)
    assert not pt.is_grad_enabled()
    pt.set_grad_enabled(True)
    with pt.inference_mode():
        assert not (a * 2).requires_grad
    with pt.inference_mode(False):
        assert (a * 2).requires_grad

    @pt.inference_mode()
    def f(t):
        return t * 2

    assert not f(a).requires_grad


def test_no_grad_generator_decorator():
    a = pt.ones(2, requires_grad=True)

    @pt.no_grad()
    def gen():
        yield (a * 2).requires_grad
        yield (a * 2).requires_grad

    assert list(gen()) == [False, False]
    assert pt.is_grad_enabled()


def test_exception_inside_no_grad_restores_mode():
    with pytest.raises(ValueError):
        with pt.no_grad():
            raise ValueError
    assert pt.is_grad_enabled()


# ---- tensor attributes ---------------------------------------------------------------------------


def test_requires_grad_rules():
    with pytest.raises(
        RuntimeError, match="only Tensors of floating point dtype can require gradients"
    ):
        pt.ones(3, dtype=pt.int64).requires_grad_()
    t = pt.ones(3, dtype=pt.int64)
    with pytest.raises(RuntimeError, match="only Tensors of floating point and complex dtype"):
        t.requires_grad = True
    y = pt.ones(2, requires_grad=True) * 2
    with pytest.raises(
        RuntimeError, match="you can only change requires_grad flags of leaf variables"
    ):
        y.requires_grad_(False)
    y.requires_grad_(True)  # a no-op on a non-leaf, as torch
    x = pt.ones(2)
    x.requires_grad = True
    assert x.requires_grad and x.is_leaf


def test_grad_setter_validates():
    a = pt.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="attempting to assign a gradient of size"):
        a.grad = pt.ones(2)
    with pytest.raises(RuntimeError, match="attempting to assign a gradient with dtype"):
        a.grad = pt.ones(3, dtype=pt.float64)
    with pytest.raises(TypeError, match="assigned grad expected to be a Tensor or None"):
        a.grad = 3
    a.grad = pt.full((3,), 2.0)
    (a * 1).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 3.0, 3.0])
    del a.grad
    assert a.grad is None


def test_detach_and_detach_():
    a = pt.ones(2, requires_grad=True)
    y = a * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None and d.is_leaf
    d[0] = 5.0  # shares storage
    assert y[0].item() == 5.0
    y.detach_()
    assert not y.requires_grad and y.grad_fn is None
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        (a * 2)[0].detach_()
    with pytest.raises(RuntimeError, match="Can't call numpy"):
        a.numpy()


def test_grad_fn_names_match_printing_spec():
    a = pt.ones(3, requires_grad=True)
    b = pt.ones(3, requires_grad=True)
    m = pt.ones(2, 3, requires_grad=True)
    cases = {
        "AddBackward0": [a + b, a + 2, 2 + a],
        "SubBackward0": [a - b, a - 1],
        "RsubBackward1": [1 - a],
        "MulBackward0": [a * b, a * 2],
        "DivBackward0": [a / b, a / 2],
        "PowBackward0": [a**2, a.pow(3)],
        "PowBackward1": [a**b],
        "NegBackward0": [-a],
        "SumBackward0": [a.sum()],
        "SumBackward1": [m.sum(0)],
        "MeanBackward0": [a.mean()],
        "MeanBackward1": [m.mean(0)],
        "MmBackward0": [m @ m.t(), pt.mm(m, m.t())],
        "MvBackward0": [m @ a],
        "DotBackward0": [a @ b],
        "UnsafeViewBackward0": [m.unsqueeze(0) @ m.t().unsqueeze(0)],
        "ViewBackward0": [m.view(6), m.reshape(6), m.flatten()],
        "SelectBackward0": [m[0], m[:, 1]],
        "SliceBackward0": [m[0:1]],
        "UnsqueezeBackward0": [a.unsqueeze(0)],
        "SqueezeBackward0": [m.unsqueeze(0).squeeze()],
        "ExpandBackward0": [a.expand(2, 3)],
        "TBackward0": [m.t()],
        "PermuteBackward0": [m.T, m.permute(1, 0)],
        "TransposeBackward0": [m.transpose(0, 1)],
        "CloneBackward0": [a.clone(), m.t().contiguous()],
        "ToCopyBackward0": [a.double(), a.to(pt.float64)],
        "ReluBackward0": [a.relu()],
        "SigmoidBackward0": [a.sigmoid()],
        "TanhBackward0": [a.tanh()],
        "ExpBackward0": [a.exp()],
        "LogBackward0": [a.log()],
        "SqrtBackward0": [a.sqrt()],
        "AbsBackward0": [a.abs()],
        "SinBackward0": [a.sin()],
        "CosBackward0": [a.cos()],
        "SoftmaxBackward0": [a.softmax(0)],
        "LogSoftmaxBackward0": [a.log_softmax(0)],
        "CatBackward0": [pt.cat([a, b])],
        "StackBackward0": [pt.stack([a, b])],
        "MaxBackward1": [a.max()],
        "MaxBackward0": [m.max(0)[0]],
        "AmaxBackward0": [m.amax(0)],
        "ClampBackward1": [a.clamp(min=0)],
        "WhereBackward0": [pt.where(a > 0, a, b)],
        "MaximumBackward0": [pt.maximum(a, b)],
        "VarBackward0": [a.var()],
        "StdBackward0": [a.std()],
        "ProdBackward0": [a.prod()],
        "LinalgVectorNormBackward0": [a.norm()],
        "AddmmBackward0": [pt.addmm(a, m.t(), m)],
    }
    for name, ts in cases.items():
        for t in ts:
            assert t.grad_fn.name() == name and type(t.grad_fn).__name__ == name
    assert a.contiguous() is a and a.to(pt.float32) is a  # no node when nothing changes
    assert m.argmax().grad_fn is None and not m.argmax().requires_grad
    assert a.detach().grad_fn is None
    assert str(a + 1) == "tensor([2., 2., 2.], grad_fn=<AddBackward0>)"
    assert str(a) == "tensor([1., 1., 1.], requires_grad=True)"


def test_comparisons_and_integer_results_do_not_require_grad():
    a = pt.tensor([1.0, -1.0], requires_grad=True)
    for t in (a > 0, a == a, a.isnan(), a.to(pt.int64)):
        assert not t.requires_grad and t.grad_fn is None


# ---- in-place ------------------------------------------------------------------------------------


def test_inplace_on_leaf_raises():
    a = pt.ones(3, requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match="a leaf Variable that requires grad is being used in an in-place operation.",
    ):
        a.add_(1)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        a[0] = 2.0
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        a[0:2].mul_(2)
    with pt.no_grad():
        a.add_(1)  # allowed without grad mode, as torch
    assert a.detach().numpy().tolist() == [2.0, 2.0, 2.0]


MODIFIED = (
    "one of the variables needed for gradient computation has been modified by an inplace operation"
)


def test_modified_saved_output_raises():
    a = pt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = a.exp()
    x.add_(1)
    with pytest.raises(RuntimeError, match=MODIFIED + r".*which is output 0 of Exp"):
        x.sum().backward()


def test_modified_saved_input_raises():
    a = pt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = a * 1
    y = x * x
    x.add_(1)
    with pytest.raises(RuntimeError, match=MODIFIED + r".*output 0 of Add"):
        y.sum().backward()
    b = pt.ones(3)
    y = a * b
    b.mul_(2)
    with pytest.raises(RuntimeError, match=MODIFIED):
        y.sum().backward()


def test_inplace_not_needed_by_backward_is_fine():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    b = pt.ones(2)
    y = a + b  # add saves nothing
    b.add_(1)
    y.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [1.0, 1.0])


def test_inplace_rebases_history_and_bumps_version():
    a = pt.tensor([1.0, 2.0], requires_grad=True)
    y = a * 1
    v0 = y._version
    y.mul_(3)
    assert y._version == v0 + 1 and y.grad_fn.name() == "MulBackward0" and not y.is_leaf
    z = pt.zeros(2)
    z.copy_(a)
    assert z.grad_fn.name() == "CopyBackwards" and z.requires_grad
    (y + z).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [4.0, 4.0])


def test_setitem_into_tensor_without_grad():
    torch = pytest.importorskip("torch")
    w0 = _arr((3,))

    def run(m, w):
        out = m.zeros(2, 3, dtype=m.float64)
        out[1] = w * 2
        out[0, 1:] = w[:2]
        (out * out).sum().backward()
        return type(out.grad_fn).__name__

    a, b = _leaf(w0), torch.from_numpy(w0.copy()).requires_grad_()
    name = run(pt, a)
    assert name == run(torch, b) == "CopySlices"
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy())


def test_resize_of_grad_tensor_raises():
    with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
        (pt.ones(2, requires_grad=True) * 1).resize_(4)


# ---- custom Functions ----------------------------------------------------------------------------


class _Exp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


class _ScaleSplit(Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.k = k
        idx = pt.arange(x.numel())
        ctx.mark_non_differentiable(idx)
        return x * k, x * (2 * k), idx

    @staticmethod
    def backward(ctx, ga, gb, gi):
        assert ctx.needs_input_grad == (True, False)
        return ga * ctx.k + gb * (2 * ctx.k), None


def test_custom_function():
    x = _leaf(_arr((4,)))
    y = _Exp.apply(x)
    assert y.grad_fn.name() == "_ExpBackward" and y.requires_grad
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp(x.detach().numpy()))
    assert gradcheck(_Exp.apply, [_leaf(_arr((3,)))])
    with pt.no_grad():
        assert not _Exp.apply(x).requires_grad


def test_custom_function_multiple_outputs():
    x = _leaf(_arr((3,)))
    a, b, idx = _ScaleSplit.apply(x, 3.0)
    assert a.grad_fn is b.grad_fn and b.output_nr == 1
    assert not idx.requires_grad
    (a.sum() + b.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), [9.0, 9.0, 9.0])
    x.grad = None
    a, b, idx = _ScaleSplit.apply(x, 3.0)
    b.sum().backward()  # the unused output's gradient arrives as zeros
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0, 6.0])


def test_custom_function_setup_context_and_errors():
    class Square(Function):
        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g, None

    class Bad(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return g

    x = _leaf(np.array([3.0]))
    Square.apply(x).sum().backward()
    assert x.grad.item() == pytest.approx(6.0)
    with pytest.raises(RuntimeError, match="returned an incorrect number of gradients"):
        Bad.apply(x, _leaf(np.array([1.0]))).sum().backward()
    y = x * 1
    out = _Exp.apply(y)
    out.mul_(2)
    with pytest.raises(RuntimeError, match=MODIFIED):
        out.sum().backward()


def test_gradcheck_detects_wrong_gradient():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = _leaf(_arr((3,)))
    assert not gradcheck(Wrong.apply, [x], raise_exception=False)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        gradcheck(Wrong.apply, [x])


def test_float32_gradcheck_warns():
    x = pt.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="not a double precision"):
        gradcheck(lambda t: t * 2, [x], eps=1e-2, atol=1e-2, rtol=1e-2)


# ---- split / chunk / unbind: one multi-output node, as torch -----------------------------------

@pytest.mark.parametrize("make,name", [
    (lambda y: y.split(2), "SplitBackward0"),
    (lambda y: y.chunk(4), "SplitBackward0"),
    (lambda y: y.split([1, 5]), "SplitWithSizesBackward0"),
    (lambda y: y.unbind(), "UnbindBackward0"),
])
def test_multi_view_ops_share_one_node(make, name):
    x = pt.arange(6.0, requires_grad=True)
    y = x * 1
    outs = make(y)
    nodes = {id(o.grad_fn) for o in outs}
    assert len(nodes) == 1 and outs[0].grad_fn.name() == name
    assert [o._output_nr for o in outs] == list(range(len(outs)))
    assert len(outs[0].grad_fn.next_functions) == 1  # only the input, as torch lists it
    assert name in repr(outs[-1])


def test_multi_view_gradients_fill_unused_outputs_with_zeros():
    x = pt.arange(6.0, requires_grad=True)
    parts = x.split(4)
    (parts[0].sum() * 2).backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0, 2.0, 0.0, 0.0]
    x = pt.arange(6.0, requires_grad=True)
    u = x.unbind()
    (u[1] * 3 + u[4]).backward()
    assert x.grad.tolist() == [0.0, 3.0, 0.0, 0.0, 1.0, 0.0]
    # The columns of a matrix: d/dX of sum_j j * sum_i X[i, j].
    m = pt.ones(3, 4, requires_grad=True)
    sum(c.sum() * j for j, c in enumerate(m.unbind(1))).backward()
    assert m.grad.tolist() == [[0.0, 1.0, 2.0, 3.0]] * 3


def test_multi_view_double_backward_and_gradcheck():
    x = pt.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    a, b = (x * x).split(2)
    (g,) = pt.autograd.grad(a.sum() + (b * b).sum(), x, create_graph=True)
    assert g.tolist() == [2.0, 4.0, 108.0, 256.0]  # 2x, then 4x^3
    g.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 108.0, 192.0]  # 2, then 12x^2
    t = pt.randn(3, 6, dtype=pt.float64, requires_grad=True)
    assert pt.autograd.gradcheck(lambda t: t.split([2, 1, 3], 1)[2] * t.unbind(1)[0].unsqueeze(1), (t,))


def test_inplace_on_a_multi_view_output_is_refused_as_in_torch():
    y = pt.arange(6.0, requires_grad=True) * 1
    for outs, what in ((y.split(2), "Split"), (y.unbind(), "Unbind")):
        with pytest.raises(RuntimeError, match=f"Output 0 of {what} is a view and is being modified inplace"):
            outs[0].mul_(2)
    with pytest.raises(RuntimeError, match="Output 0 of Slice is a view"):
        y.split(2)[1].narrow(0, 0, 1).mul_(2)
    # Without autograd there is no such rule.
    plain = pt.arange(6.0).split(2)
    plain[0].mul_(2)
    assert plain[0].tolist() == [0.0, 2.0]


def test_copy_slices_names_as_torch():
    """torch's CopySlices node reports its C++ name from name() but prints unqualified."""
    y = pt.arange(6.0, requires_grad=True) * 1
    y[1:3].mul_(2)
    assert y.grad_fn.name() == "torch::autograd::CopySlices"
    assert repr(y.grad_fn).startswith("<CopySlices object at ")
    assert repr(y) == "tensor([0., 2., 4., 3., 4., 5.], grad_fn=<CopySlices>)"


NEXT_FUNCTION_CASES = [
    "y*2.0", "y+1", "2+y", "2-y", "2/y", "y-w", "y*m.tensor([1,2,3,4,5,6])", "y.sum(0)", "y.pow(2)",
    "m.clamp(y,0,1)", "y.view(2,3)", "y[1:3]", "y[idx]", "y.narrow(0,1,2)", "m.cat([y,y])", "y.select(0,1)",
    "m.where(y>2,y,0.)", "y.masked_fill(y>2,0.)", "y.gather(0,idx)", "y.max(0)[0]", "y.clone().mul_(2)",
    "y.split(2)[0]", "y.unsqueeze(0).expand(2,6)", "m.nn.functional.linear(y.view(1,6), w.view(1,6))",
    "y.clone().add_(w)",
]


@pytest.mark.parametrize("expr", NEXT_FUNCTION_CASES)
def test_next_functions_list_the_edges_torch_lists(expr):
    """One edge per differentiable tensor input, in torch's order; sizes, dims, masks and index
    tensors get none, the number operand of add/sub/mul/div and where's other one each."""
    torch = pytest.importorskip("torch")

    def edges(m):
        x = m.arange(1.0, 7.0, requires_grad=True)
        y, w, idx = x * 1, m.ones(6), m.tensor([0, 1])  # noqa: F841 - read by eval
        return [(None if f is None else f.name(), nr) for f, nr in eval(expr).grad_fn.next_functions]

    assert edges(pt) == edges(torch)


def test_in_place_write_into_a_view_of_an_untracked_tensor_reaches_its_base():
    """`out[1:].copy_(x)` with `out` needing no gradient: `out` itself gets torch's CopySlices
    history (the view was made without recording), and later in-place ops extend it."""
    x = pt.ones(3, requires_grad=True)
    out = pt.zeros(4)
    out[1:].copy_(x)
    assert out.requires_grad and out.grad_fn.name() == "torch::autograd::CopySlices"
    (out * pt.arange(4.0)).sum().backward()
    assert x.grad.tolist() == [1.0, 2.0, 3.0]  # d/dx of sum(k * out[k]) over k = 1..3

    x.grad = None
    out = pt.zeros(4)
    v = out[1:]
    v.mul_(1)  # no gradient involved yet: no history
    assert out.grad_fn is None and v.grad_fn is None
    v.add_(x)
    v.mul_(2)
    assert v.grad_fn.name() == "AsStridedBackward0"
    (out * pt.arange(4.0)).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0, 6.0]

    # The base object may be gone: the view keeps what its next in-place write must extend.
    x.grad = None
    v = pt.zeros(4)[1:]
    v.add_(x)
    v.mul_(3)
    v.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0, 3.0]

    # detach() shares memory but is no view: its base keeps no history, as in torch.
    a = pt.zeros(3)
    b = a.detach()
    b.add_(x)
    assert a.grad_fn is None and b.grad_fn.name() == "AddBackward0"
    # A reshape that must copy is no view either.
    c = pt.zeros(2, 3).t().reshape(6)
    assert pt._C._view_base(c) is None
