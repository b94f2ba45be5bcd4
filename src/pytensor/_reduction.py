"""Reductions, scans and softmax with torch's signatures. Each function parses torch's calling
conventions and makes one ``_C`` call; ``dim`` may be None, an int or a sequence of ints (the
C++ binding normalizes it). ``_install()`` puts the same functions onto ``Tensor`` as methods."""

from __future__ import annotations

import builtins
import collections
import sys
import types
from typing import Any, Optional, Sequence, Tuple, Union

from . import _C
from ._C import Tensor, dtype as _dtype

Dim = Optional[Union[int, Sequence[int]]]

__all__ = [
    "sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "std", "var",
    "std_mean", "var_mean", "all", "any", "norm", "logsumexp", "softmax", "log_softmax", "cumsum",
    "cumprod", "count_nonzero", "return_types", "sort", "argsort", "topk",
]


# ---- torch.return_types -----------------------------------------------------------------------

return_types = types.ModuleType("pytensor.return_types",
                                "Named tuples returned by ops with several results.")
sys.modules["pytensor.return_types"] = return_types


def _return_type(name: str, fields: Tuple[str, ...] = ("values", "indices")) -> type:
    """A tuple subclass with named fields, printed as torch prints its ``return_types``."""
    base = collections.namedtuple(name, fields)

    def __repr__(self: Any) -> str:
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"pytensor.return_types.{name}(\n{body})"

    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__,
                               "__module__": "pytensor.return_types"})
    cls.__qualname__ = name
    setattr(return_types, name, cls)
    return cls


_MaxResult = _return_type("max")
_MinResult = _return_type("min")
_SortResult = _return_type("sort")
_TopkResult = _return_type("topk")


# ---- reductions -------------------------------------------------------------------------------

def sum(input: Tensor, dim: Dim = None, keepdim: builtins.bool = False, *,
        dtype: Optional[_dtype] = None) -> Tensor:
    """Sum over ``dim`` (all dims when None); bool and integer inputs sum to int64."""
    return _C.sum(input, dim, keepdim, dtype)


def mean(input: Tensor, dim: Dim = None, keepdim: builtins.bool = False, *,
         dtype: Optional[_dtype] = None) -> Tensor:
    """Mean over ``dim``; floating inputs (or a floating ``dtype``) only."""
    return _C.mean(input, dim, keepdim, dtype)


def prod(input: Tensor, dim: Optional[int] = None, keepdim: builtins.bool = False, *,
         dtype: Optional[_dtype] = None) -> Tensor:
    """Product over one ``dim`` (all elements when None); bool and integer inputs multiply in
    int64."""
    if isinstance(dim, (tuple, list)):  # torch's prod takes a single dim
        raise TypeError(f"prod(): argument 'dim' must be int, not {type(dim).__name__}")
    return _C.prod(input, dim, keepdim, dtype)


def amax(input: Tensor, dim: Dim = (), keepdim: builtins.bool = False) -> Tensor:
    """Maximum over ``dim`` (all dims when empty); NaN propagates."""
    return _C.amax(input, dim, keepdim)


def amin(input: Tensor, dim: Dim = (), keepdim: builtins.bool = False) -> Tensor:
    """Minimum over ``dim`` (all dims when empty); NaN propagates."""
    return _C.amin(input, dim, keepdim)


def max(input: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Any:
    """``max(input)``: the largest value; ``max(input, dim)``: ``(values, indices)`` with the
    first index of each maximum; ``max(input, other)``: elementwise ``maximum``."""
    if dim is None:
        return _C.max(input)
    if isinstance(dim, Tensor):
        return _C.maximum(input, dim)
    return _MaxResult(*_C.max_dim(input, dim, keepdim))


def min(input: Tensor, dim: Any = None, keepdim: builtins.bool = False) -> Any:
    """``min(input)``, ``min(input, dim)`` -> ``(values, indices)``, or ``min(input, other)``."""
    if dim is None:
        return _C.min(input)
    if isinstance(dim, Tensor):
        return _C.minimum(input, dim)
    return _MinResult(*_C.min_dim(input, dim, keepdim))


def argmax(input: Tensor, dim: Optional[int] = None, keepdim: builtins.bool = False) -> Tensor:
    """Index of the first maximum along ``dim``, or into the flattened tensor when None."""
    return _C.argmax(input, dim, keepdim)


def argmin(input: Tensor, dim: Optional[int] = None, keepdim: builtins.bool = False) -> Tensor:
    """Index of the first minimum along ``dim``, or into the flattened tensor when None."""
    return _C.argmin(input, dim, keepdim)


def _correction(unbiased: Optional[builtins.bool], correction: Optional[float], name: str) -> float:
    if correction is None:
        return 1.0 if unbiased is None or unbiased else 0.0
    if unbiased is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments: use either "
                        "'unbiased' or 'correction', not both")
    return float(correction)


def var(input: Tensor, dim: Any = None, unbiased: Optional[builtins.bool] = None,
        keepdim: builtins.bool = False, *, correction: Optional[float] = None) -> Tensor:
    """Variance over ``dim``, dividing by ``N - correction`` (1 unless ``unbiased=False``)."""
    if isinstance(dim, builtins.bool):  # var(input, unbiased)
        dim, unbiased = None, dim
    return _C.var(input, dim, _correction(unbiased, correction, "var"), keepdim)


def std(input: Tensor, dim: Any = None, unbiased: Optional[builtins.bool] = None,
        keepdim: builtins.bool = False, *, correction: Optional[float] = None) -> Tensor:
    """Standard deviation over ``dim`` (see ``var``)."""
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    return _C.std(input, dim, _correction(unbiased, correction, "std"), keepdim)


def var_mean(input: Tensor, dim: Any = None, unbiased: Optional[builtins.bool] = None,
             keepdim: builtins.bool = False, *,
             correction: Optional[float] = None) -> Tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim``."""
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    c = _correction(unbiased, correction, "var_mean")
    return _C.var(input, dim, c, keepdim), _C.mean(input, dim, keepdim, None)


def std_mean(input: Tensor, dim: Any = None, unbiased: Optional[builtins.bool] = None,
             keepdim: builtins.bool = False, *,
             correction: Optional[float] = None) -> Tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim``."""
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    c = _correction(unbiased, correction, "std_mean")
    return _C.std(input, dim, c, keepdim), _C.mean(input, dim, keepdim, None)


def all(input: Tensor, dim: Dim = None, keepdim: builtins.bool = False) -> Tensor:
    """True where every element over ``dim`` is nonzero (uint8 in, uint8 out)."""
    return _C.all(input, dim, keepdim)


def any(input: Tensor, dim: Dim = None, keepdim: builtins.bool = False) -> Tensor:
    """True where some element over ``dim`` is nonzero (uint8 in, uint8 out)."""
    return _C.any(input, dim, keepdim)


def count_nonzero(input: Tensor, dim: Dim = None) -> Tensor:
    """Number of nonzero elements over ``dim``, as int64."""
    return _C.count_nonzero(input, dim)


def _norm_order(p: Any, dim: Dim) -> float:
    if p is None:
        return 2.0
    if isinstance(p, str):
        if p == "fro":
            if dim is not None and not isinstance(dim, int) and len(dim) > 2:
                raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got "
                                   + " ".join(str(d) for d in dim))
            return 2.0
        if p == "nuc":
            raise NotImplementedError("norm(): the nuclear norm (p='nuc') is not supported")
        raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
    return float(p)


def norm(input: Tensor, p: Union[float, str, None] = "fro", dim: Dim = None,
         keepdim: builtins.bool = False, out: None = None,
         dtype: Optional[_dtype] = None) -> Tensor:
    """Vector p-norm over ``dim`` (all elements when None): p = 2 / 'fro' (default), 1, inf,
    -inf, 0 (count of nonzeros) or any other real p."""
    return _C.norm(input, dim, _norm_order(p, dim), keepdim, dtype)


def _norm_method(self: Tensor, p: Union[float, str, None] = "fro", dim: Dim = None,
                 keepdim: builtins.bool = False, dtype: Optional[_dtype] = None) -> Tensor:
    return _C.norm(self, dim, _norm_order(p, dim), keepdim, dtype)


def logsumexp(input: Tensor, dim: Dim, keepdim: builtins.bool = False) -> Tensor:
    """``log(sum(exp(input)))`` over ``dim``, computed without overflow."""
    return _C.logsumexp(input, dim, keepdim)


def softmax(input: Tensor, dim: int, dtype: Optional[_dtype] = None) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``dim`` (max-subtracted, so it never overflows)."""
    return _C.softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int, dtype: Optional[_dtype] = None) -> Tensor:
    """``x - logsumexp(x)`` along ``dim``."""
    return _C.log_softmax(input, dim, dtype)


def cumsum(input: Tensor, dim: int, *, dtype: Optional[_dtype] = None) -> Tensor:
    """Inclusive running sum along ``dim``; bool and integer inputs accumulate in int64."""
    return _C.cumsum(input, dim, dtype)


def cumprod(input: Tensor, dim: int, *, dtype: Optional[_dtype] = None) -> Tensor:
    """Inclusive running product along ``dim``; bool and integer inputs accumulate in int64."""
    return _C.cumprod(input, dim, dtype)


# ---- sorting --------------------------------------------------------------------------------

def sort(input: Tensor, dim: int = -1, descending: builtins.bool = False, *,
         stable: builtins.bool = False) -> Any:
    """``(values, indices)`` sorted along ``dim``; NaN sorts as the largest value. The sort is
    always stable (equal values keep their order), which ``stable=True`` asks for."""
    return _SortResult(*_C.sort(input, dim, descending))


def argsort(input: Tensor, dim: int = -1, descending: builtins.bool = False, *,
            stable: builtins.bool = False) -> Tensor:
    """The indices that sort ``input`` along ``dim`` (see ``sort``)."""
    return _C.sort(input, dim, descending)[1]


def topk(input: Tensor, k: int, dim: int = -1, largest: builtins.bool = True,
         sorted: builtins.bool = True) -> Any:
    """``(values, indices)`` of the ``k`` largest (or smallest) along ``dim``, in sorted order."""
    return _TopkResult(*_C.topk(input, k, dim, largest))


_METHODS = {
    "sum": sum, "mean": mean, "prod": prod, "max": max, "min": min, "amax": amax, "amin": amin,
    "argmax": argmax, "argmin": argmin, "var": var, "std": std, "all": all, "any": any,
    "count_nonzero": count_nonzero, "norm": _norm_method, "logsumexp": logsumexp,
    "softmax": softmax, "log_softmax": log_softmax, "cumsum": cumsum, "cumprod": cumprod,
    "sort": sort, "argsort": argsort, "topk": topk,
}


def _install() -> None:
    for name, fn in _METHODS.items():
        setattr(Tensor, name, fn)


_install()
