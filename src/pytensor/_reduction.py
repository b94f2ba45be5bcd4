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
    "median", "nanmedian", "kthvalue", "mode", "quantile", "nanquantile", "msort", "nansum", "nanmean",
    "aminmax", "cummax", "cummin", "logcumsumexp", "diff",
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
_MedianResult = _return_type("median")
_NanmedianResult = _return_type("nanmedian")
_KthvalueResult = _return_type("kthvalue")
_ModeResult = _return_type("mode")
_CummaxResult = _return_type("cummax")
_CumminResult = _return_type("cummin")
_AminmaxResult = _return_type("aminmax", ("min", "max"))


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


# ---- order statistics ------------------------------------------------------------------------
# kthvalue/median/mode pick positions with a deterministic rule: NaN orders as the largest value
# and equal values go by position (torch leaves the index among ties unspecified).

def median(input: Tensor, dim: Optional[int] = None, keepdim: builtins.bool = False) -> Any:
    """``median(input)``: the lower median of all elements (NaN if any element is NaN);
    ``median(input, dim)``: ``(values, indices)`` along ``dim``."""
    if dim is None:
        if keepdim:
            raise TypeError('median() missing 1 required positional arguments: "dim"')
        return _C.median(input)
    return _MedianResult(*_C.median_dim(input, dim, keepdim))


def nanmedian(input: Tensor, dim: Optional[int] = None, keepdim: builtins.bool = False) -> Any:
    """``median`` ignoring NaN (NaN only where every value is NaN)."""
    if dim is None:
        if keepdim:
            raise TypeError('nanmedian() missing 1 required positional arguments: "dim"')
        return _C.nanmedian(input)
    return _NanmedianResult(*_C.nanmedian_dim(input, dim, keepdim))


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: builtins.bool = False) -> Any:
    """``(values, indices)`` of the ``k``-th smallest (1-based) along ``dim``."""
    return _KthvalueResult(*_C.kthvalue(input, k, dim, keepdim))


def mode(input: Tensor, dim: int = -1, keepdim: builtins.bool = False) -> Any:
    """``(values, indices)``: the most frequent value along ``dim`` (the smallest among equally
    frequent ones) and the last position where it occurs."""
    return _ModeResult(*_C.mode(input, dim, keepdim))


def msort(input: Tensor) -> Tensor:
    """``input`` sorted along its first dim."""
    return _C.sort(input, 0, False)[0]


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input: Tensor, q: Any, dim: Optional[int], keepdim: builtins.bool,
              interpolation: str, ignore_nan: builtins.bool) -> Tensor:
    name = "nanquantile" if ignore_nan else "quantile"
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    q_is_tensor = isinstance(q, Tensor)
    if q_is_tensor and q.dim() > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if input.dtype not in (_C.float32, _C.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if q_is_tensor and q.dtype is not input.dtype:
        raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint "
                           f"or nearest, but got {interpolation}")
    if q_is_tensor:
        if q.numel() and not builtins.bool(_C.all(_C.logical_and(_C.ge(q, 0), _C.le(q, 1)))):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
        qs = _C.reshape(q, [-1])
    else:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q}")
        qs = _C.full([1], float(q), input.dtype)
    ndim = input.dim()
    if dim is None:
        x = _C.reshape(input, [-1])
    else:
        d = _wrap_dim(dim, ndim)
        x = _C.movedim(input, d, -1) if ndim else _C.reshape(input, [1])
    # sorted: [..., n]; ranks: [..., Q], gathered from each row. NaN sorts last.
    srt = _C.sort(x, -1, False)[0]
    n = srt.shape[-1]
    lead = list(srt.shape[:-1])
    nq = qs.numel()
    if ignore_nan:
        valid = _C.sum(_C.logical_not(_C.isnan(srt)), [-1], True, srt.dtype)
        ranks = _C.mul(qs, _C.sub(valid, 1))  # an all-NaN row gets negative ranks: clamp to 0
        ranks = _C.where(_C.lt(ranks, 0), 0.0, ranks)
    else:
        ranks = _C.expand(_C.mul(qs, float(n - 1)), lead + [nq])
        has_nan = _C.isnan(_C.narrow(srt, -1, n - 1, 1))  # any NaN sorts to the end
        ranks = _C.where(has_nan, float(n - 1), ranks)
    if interpolation in ("lower", "higher", "nearest"):
        pick = {"lower": _C.floor, "higher": _C.ceil, "nearest": _C.round}[interpolation](ranks)
        out = _C.gather(srt, -1, _C.to_dtype(pick, _C.int64, False))
    else:
        below = _C.floor(ranks)
        lo = _C.gather(srt, -1, _C.to_dtype(below, _C.int64, False))
        hi = _C.gather(srt, -1, _C.to_dtype(_C.ceil(ranks), _C.int64, False))
        w = _C.full([], 0.5, srt.dtype) if interpolation == "midpoint" else _C.sub(ranks, below)
        # torch's lerp: from the nearer end, so that w = 1 gives `hi` exactly.
        span = _C.sub(hi, lo)
        out = _C.where(_C.lt(w, 0.5), _C.add(lo, _C.mul(w, span)), _C.sub(hi, _C.mul(span, _C.sub(1.0, w))))
    # out: [..., Q] -> [Q, ...] with the reduced dim removed (or kept as size 1).
    if keepdim:
        if dim is None:
            out = _C.reshape(out, [nq] + [1] * ndim)
        else:
            out = _C.movedim(_C.unsqueeze(out, -1), -2, 0)  # [..., Q, 1] -> [Q, ..., 1]
            if ndim:
                out = _C.movedim(out, -1, d + 1)
            else:
                out = _C.reshape(out, [nq])
    else:
        out = _C.movedim(out, -1, 0)
    if not q_is_tensor or q.dim() == 0:
        out = _C.squeeze(out, [0])
    return out


def quantile(input: Tensor, q: Union[float, Tensor], dim: Optional[int] = None,
             keepdim: builtins.bool = False, *, interpolation: str = "linear") -> Tensor:
    """The ``q``-th quantiles along ``dim`` (of all elements when None); a 1-D ``q`` puts its
    quantiles in a new leading dim. NaN anywhere in a row makes that row's result NaN."""
    return _quantile(input, q, dim, keepdim, interpolation, False)


def nanquantile(input: Tensor, q: Union[float, Tensor], dim: Optional[int] = None,
                keepdim: builtins.bool = False, *, interpolation: str = "linear") -> Tensor:
    """``quantile`` ignoring NaN (NaN only for rows that are all NaN)."""
    return _quantile(input, q, dim, keepdim, interpolation, True)


# ---- NaN-aware reductions, aminmax ------------------------------------------------------------

def nansum_values(input: Tensor, dims: Optional[list], keepdim: builtins.bool,
                  dtype: Optional[_dtype]) -> Tensor:
    """``nansum``'s forward (autograd records it as one NansumBackward0 node)."""
    if input.dtype.is_floating_point:
        input = _C.where(_C.isnan(input), 0.0, input)
    return _C.sum(input, dims, keepdim, dtype)


def nansum(input: Tensor, dim: Dim = None, keepdim: builtins.bool = False, *,
           dtype: Optional[_dtype] = None) -> Tensor:
    """``sum`` treating NaN as zero."""
    dims = None if dim is None else [dim] if isinstance(dim, int) else list(dim)
    if input._requires_grad and _C.is_grad_enabled():
        from .autograd.graph import call  # noqa: PLC0415 - autograd imports this module

        return call("nansum", input, dims, keepdim, dtype)
    return nansum_values(input, dims, keepdim, dtype)


def nanmean(input: Tensor, dim: Dim = None, keepdim: builtins.bool = False, *,
            dtype: Optional[_dtype] = None) -> Tensor:
    """``mean`` of the non-NaN elements (NaN where there are none)."""
    if not input.dtype.is_floating_point:
        raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but "
                           f"got {_torch_name(input.dtype)}")
    count = _C.sum(_C.logical_not(_C.isnan(input)), dim, keepdim, None)
    return _C.div(nansum(input, dim, keepdim, dtype=dtype), count)


def aminmax(input: Tensor, *, dim: Optional[int] = None,
            keepdim: builtins.bool = False) -> Any:
    """``(min, max)`` over ``dim`` (all elements when None); NaN propagates."""
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.")
        dims: Any = ()
        if keepdim:  # torch keeps every dim as size 1
            return _AminmaxResult(_C.amin(input, dims, True), _C.amax(input, dims, True))
    else:
        dims = dim
    return _AminmaxResult(_C.amin(input, dims, keepdim), _C.amax(input, dims, keepdim))


# ---- scans ------------------------------------------------------------------------------------

def cummax(input: Tensor, dim: int) -> Any:
    """``(values, indices)``: the running maximum along ``dim`` and where it was last reached;
    once a NaN appears it stays."""
    return _CummaxResult(*_C.cummax(input, dim))


def cummin(input: Tensor, dim: int) -> Any:
    """``(values, indices)``: the running minimum along ``dim`` (see ``cummax``)."""
    return _CumminResult(*_C.cummin(input, dim))


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """``log(cumsum(exp(input)))`` along ``dim``, computed without overflow."""
    return _C.logcumsumexp(input, dim)


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Optional[Tensor] = None,
         append: Optional[Tensor] = None) -> Tensor:
    """The ``n``-th forward difference along ``dim`` (``logical_xor`` for bool), after
    concatenating ``prepend`` and ``append`` along ``dim``."""
    ndim = input.dim()
    if ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _wrap_dim(dim, ndim)
    parts = []
    for extra in (prepend, append):
        if extra is not None:
            if not isinstance(extra, Tensor):
                raise TypeError(f"diff(): argument 'prepend' must be Tensor, not {type(extra).__name__}")
            if extra.dim() != ndim:
                raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    if prepend is not None or append is not None:
        parts = ([prepend] if prepend is not None else []) + [input] + ([append] if append is not None else [])
        input = _C.cat(parts, d)
    step = _C.logical_xor if input.dtype is _C.bool else _C.sub
    for _ in range(n):  # one vectorised step per order, never per element
        length = input.shape[d]
        if length == 0:
            break
        input = step(_C.narrow(input, d, 1, length - 1), _C.narrow(input, d, 0, length - 1))
    return input


def _wrap_dim(dim: int, ndim: int) -> int:
    lo, hi = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % ndim if ndim else 0


_TORCH_NAMES = {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
                "int64": "Long", "float32": "Float", "float64": "Double"}


def _torch_name(dt: _dtype) -> str:
    return _TORCH_NAMES.get(str(dt).replace("pytensor.", ""), str(dt))


_METHODS = {
    "sum": sum, "mean": mean, "prod": prod, "max": max, "min": min, "amax": amax, "amin": amin,
    "argmax": argmax, "argmin": argmin, "var": var, "std": std, "all": all, "any": any,
    "count_nonzero": count_nonzero, "norm": _norm_method, "logsumexp": logsumexp,
    "softmax": softmax, "log_softmax": log_softmax, "cumsum": cumsum, "cumprod": cumprod,
    "sort": sort, "argsort": argsort, "topk": topk,
    "median": median, "nanmedian": nanmedian, "kthvalue": kthvalue, "mode": mode, "msort": msort,
    "quantile": quantile, "nanquantile": nanquantile, "nansum": nansum, "nanmean": nanmean,
    "aminmax": aminmax, "cummax": cummax, "cummin": cummin, "logcumsumexp": logcumsumexp,
    "diff": diff,
}


def _install() -> None:
    for name, fn in _METHODS.items():
        setattr(Tensor, name, fn)


_install()
