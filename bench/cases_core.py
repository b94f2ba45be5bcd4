"""The core benchmark cases: matrix products, elementwise ops, reductions, layout copies, small-
tensor overhead, numpy interop, random numbers and an MLP training step. Every library gets the
same input values (made once with numpy); cases whose operation a library lacks are skipped."""

from __future__ import annotations

import numpy as np

from registry import Lib, Skip, case, require

_RNG = np.random.default_rng(1234)


def _data(*shape: int) -> np.ndarray:
    return _RNG.standard_normal(shape, dtype=np.float32)


def _tensors(lib: Lib, *arrays: np.ndarray):
    """The arrays as the library's own objects (numpy arrays stay as they are)."""
    if lib.name == "numpy":
        return arrays
    return tuple(lib.mod.from_numpy(np.ascontiguousarray(a)) for a in arrays)


# ---- matrix products ---------------------------------------------------------------------------

def _matmul_case(n: int) -> None:
    a, b = _data(n, n), _data(n, n)

    @case(f"matmul f32 {n}", group="matmul", flops=2.0 * n**3)
    def build(lib: Lib):
        x, y = _tensors(lib, a, b)
        return lambda: x @ y


for _n in (64, 256, 512, 1024, 2048):
    _matmul_case(_n)

_BA, _BB = _data(32, 128, 128), _data(32, 128, 128)


@case("bmm f32 32x128x128", group="matmul", flops=2.0 * 32 * 128**3)
def _bmm(lib: Lib):
    x, y = _tensors(lib, _BA, _BB)
    return lambda: x @ y


_LA, _LW = _data(64, 784), _data(256, 784)


@case("linear 64x784 @ 784x256 (W.T)", group="matmul", flops=2.0 * 64 * 784 * 256)
def _linear_t(lib: Lib):
    # The MLP's first layer: the weight is used transposed, which BLAS must take without a copy.
    x, w = _tensors(lib, _LA, _LW)
    if lib.name == "numpy":
        return lambda: x @ w.T
    return lambda: x @ w.t()


# ---- elementwise, reductions, layout ------------------------------------------------------------

_N4M = 4 * 1024 * 1024
_X4, _Y4 = _data(_N4M), _data(_N4M)
_SQ = _data(2048, 2048)


@case("add f32 4M", group="elementwise")
def _add(lib: Lib):
    x, y = _tensors(lib, _X4, _Y4)
    return lambda: x + y


@case("exp f32 4M", group="elementwise")
def _exp(lib: Lib):
    (x,) = _tensors(lib, _X4)
    exp = np.exp if lib.name == "numpy" else lib.mod.exp
    return lambda: exp(x)


@case("sum f32 4M", group="reduce")
def _sum(lib: Lib):
    if lib.torchlike:
        require(lib, "Tensor.sum")
    (x,) = _tensors(lib, _X4)
    return lambda: x.sum()


def _sum_dim_case(dim: int) -> None:
    @case(f"sum(dim={dim}) f32 2048x2048", group="reduce")
    def build(lib: Lib):
        (x,) = _tensors(lib, _SQ)
        if lib.name == "numpy":
            return lambda: x.sum(axis=dim)
        require(lib, "Tensor.sum")
        return lambda: x.sum(dim=dim)


for _d in (0, 1):
    _sum_dim_case(_d)


@case("transpose-copy f32 2048x2048", group="layout")
def _transpose_copy(lib: Lib):
    (x,) = _tensors(lib, _SQ)
    if lib.name == "numpy":
        return lambda: np.ascontiguousarray(x.T)
    return lambda: x.t().contiguous()


# ---- small tensors: per-call overhead ------------------------------------------------------------

_F, _W, _B = _data(1, 5), _data(1, 5), _data(1, 1)


@case("a * b on 1x5", group="small")
def _small_mul(lib: Lib):
    f, w = _tensors(lib, _F, _W)
    return lambda: f * w


@case("neuron 1/(1+exp(-((f*w).sum()+b)))", group="small")
def _neuron(lib: Lib):
    # The tutorial's single neuron on (1, 5) features and weights and a (1, 1) bias.
    if lib.torchlike:
        require(lib, "Tensor.sum")
    f, w, b = _tensors(lib, _F, _W, _B)
    exp = np.exp if lib.name == "numpy" else lib.mod.exp
    return lambda: 1 / (1 + exp(-((f * w).sum() + b)))


@case("mm 1x5 by 5x1", group="small")
def _small_mm(lib: Lib):
    f, w = _tensors(lib, _F, _W.reshape(5, 1))
    if lib.name == "numpy":
        return lambda: f @ w
    mm = lib.mod.mm
    return lambda: mm(f, w)


# ---- numpy interop ---------------------------------------------------------------------------------

_M1000 = _data(1000, 1000)


@case("from_numpy(a).numpy() 1000x1000", group="interop")
def _round_trip(lib: Lib):
    if lib.name == "numpy":
        raise Skip("numpy is the other end of the round trip")
    from_numpy = lib.mod.from_numpy
    return lambda: from_numpy(_M1000).numpy()


# ---- random numbers (pytensor gains them with the RNG work) ----------------------------------------

def _random_case(kind: str) -> None:
    @case(f"{kind}(1_000_000)", group="random")
    def build(lib: Lib):
        if lib.name == "numpy":
            gen = np.random.default_rng(0)
            draw = gen.random if kind == "rand" else gen.standard_normal
            return lambda: draw(1_000_000, dtype=np.float32)
        require(lib, kind)
        fn = getattr(lib.mod, kind)
        return lambda: fn(1_000_000)


for _kind in ("rand", "randn"):
    _random_case(_kind)


# ---- training: a 784-256-128-10 MLP on batches of 64 (pytensor gains nn/optim later) --------------

_MX = _data(64, 784)
_MY = _RNG.integers(0, 10, size=64)


def _mlp(lib: Lib):
    """The issue's model: 784-256-128-10, ReLU, LogSoftmax; weights drawn after manual_seed(0)."""
    if lib.name == "numpy":
        raise Skip("numpy has no nn")
    require(lib, "nn.Sequential", "nn.Linear", "nn.ReLU", "nn.LogSoftmax", "nn.functional.nll_loss",
            "optim.SGD")
    t = lib.mod
    t.manual_seed(0)
    return t.nn.Sequential(t.nn.Linear(784, 256), t.nn.ReLU(), t.nn.Linear(256, 128), t.nn.ReLU(),
                           t.nn.Linear(128, 10), t.nn.LogSoftmax(dim=1))


@case("mlp 784-256-128-10 train step b64", group="train")
def _mlp_step(lib: Lib):
    t = lib.mod
    model = _mlp(lib)
    opt = t.optim.SGD(model.parameters(), lr=0.01)
    x = t.from_numpy(_MX)
    y = t.from_numpy(_MY.astype(np.int64))

    def step():
        opt.zero_grad()
        loss = t.nn.functional.nll_loss(model(x), y)
        loss.backward()
        opt.step()

    return step


@case("mlp 784-256-128-10 inference b64", group="train")
def _mlp_inference(lib: Lib):
    t = lib.mod
    model = _mlp(lib).eval()
    x = t.from_numpy(_MX)

    def infer():
        with t.no_grad():
            return model(x)

    return infer
