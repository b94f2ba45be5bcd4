"""Cases for the ops beyond the core: sorting and order statistics, indexing writes and reads,
clamp, einsum and unique. Each compares like with like: stable sorts on every side, and numpy's
equivalent call where there is one."""

from __future__ import annotations

import numpy as np

from registry import Lib, Skip, case, require

_RNG = np.random.default_rng(4321)
_N = 1_000_000
_V = _RNG.standard_normal(_N, dtype=np.float32)
_SQ = _RNG.standard_normal((1000, 1000), dtype=np.float32)
_IDX = _RNG.integers(0, _N, _N, dtype=np.int64)
_INTS = _RNG.integers(0, 100_000, _N, dtype=np.int64)
_A = _RNG.standard_normal((8, 64, 64), dtype=np.float32)


def _t(lib: Lib, a: np.ndarray):
    return a if lib.name == "numpy" else lib.mod.from_numpy(np.ascontiguousarray(a))


@case("sort f32 1M (stable)", group="sort")
def _sort(lib: Lib):
    x = _t(lib, _V)
    if lib.name == "numpy":
        return lambda: np.sort(x, kind="stable")
    require(lib, "sort")
    return lambda: lib.mod.sort(x, stable=True)


@case("sort(dim=1) f32 1000x1000 (stable)", group="sort")
def _sort_rows(lib: Lib):
    x = _t(lib, _SQ)
    if lib.name == "numpy":
        return lambda: np.sort(x, axis=1, kind="stable")
    require(lib, "sort")
    return lambda: lib.mod.sort(x, dim=1, stable=True)


@case("median(dim=1) f32 1000x1000", group="sort")
def _median(lib: Lib):
    if lib.name == "numpy":
        raise Skip("numpy's median averages the middle pair; torch returns the lower one")
    require(lib, "median")
    x = _t(lib, _SQ)
    return lambda: lib.mod.median(x, dim=1)


@case("unique int64 1M", group="sort")
def _unique(lib: Lib):
    x = _t(lib, _INTS)
    if lib.name == "numpy":
        return lambda: np.unique(x)
    require(lib, "unique")
    return lambda: lib.mod.unique(x)


@case("x[idx] = v, 1M random int64 indices", group="index")
def _index_put(lib: Lib):
    x, idx, v = _t(lib, _V.copy()), _t(lib, _IDX), _t(lib, _V)

    def write():
        x[idx] = v
    return write


@case("x[idx], 1M random int64 indices", group="index")
def _index_get(lib: Lib):
    x, idx = _t(lib, _V), _t(lib, _IDX)
    return lambda: x[idx]


@case("clamp(-0.5, 0.5) f32 1M", group="elementwise")
def _clamp(lib: Lib):
    x = _t(lib, _V)
    if lib.name == "numpy":
        return lambda: np.clip(x, -0.5, 0.5)
    return lambda: x.clamp(-0.5, 0.5)


@case("einsum bij,bjk->bik 8x64x64", group="linalg")
def _einsum(lib: Lib):
    a = _t(lib, _A)
    if lib.name == "numpy":
        return lambda: np.einsum("bij,bjk->bik", a, a, optimize=True)
    require(lib, "einsum")
    return lambda: lib.mod.einsum("bij,bjk->bik", a, a)
