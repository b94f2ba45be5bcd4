"""Set and search ops with torch's signatures: unique, unique_consecutive, isin, searchsorted,
bucketize, bincount, histc. The searches and counts are C++ kernels (one call each); unique and
isin are a few vectorised calls around the sort kernel. ``_install()`` adds the Tensor methods."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Tuple, Union

from . import _C
from ._C import Tensor

__all__ = ["unique", "unique_consecutive", "isin", "searchsorted", "bucketize", "bincount", "histc"]

Number = Union[int, float, builtins.bool]


def _as_tensor(value: Any, like: Tensor) -> Tensor:
    """A Python number as a 0-d tensor of the dtype torch would promote it to against ``like``."""
    if isinstance(value, Tensor):
        return value
    return _C.scalar_tensor(value, _C.result_type(like, value))


def _wrap_dim(dim: int, ndim: int) -> int:
    lo, hi = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not lo <= dim <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % ndim if ndim else 0


def _run_starts(x: Tensor, rows: builtins.bool) -> Tensor:
    """Bool mask of where each run of equal neighbours (elements, or rows of a 2-D ``x``) starts;
    NaN never equals NaN."""
    n = x.shape[0]
    first = _C.full([1], True, _C.bool)
    if n < 2:
        return _C.full([n], True, _C.bool)
    changed = _C.ne(_C.narrow(x, 0, 1, n - 1), _C.narrow(x, 0, 0, n - 1))
    if rows:
        changed = _C.any(changed, [1], False) if x.shape[1] else _C.full([n - 1], False, _C.bool)
    return _C.cat([first, changed], 0)


def _runs(values: Tensor, starts: Tensor, order: Optional[Tensor], return_inverse: builtins.bool,
          return_counts: builtins.bool, inverse_shape: Any) -> Any:
    """The distinct runs of ``values`` (sorted along dim 0 by ``order``, or in place when None)
    with their inverse and counts, as ``unique`` returns them."""
    n = starts.shape[0]
    first = _C.reshape(_C.nonzero(starts), [-1])
    out = _C.index_select(values, 0, first)
    if not (return_inverse or return_counts):
        return out
    result = [out]
    if return_inverse:
        # Each sorted position's run number, written back to the input's positions.
        result.append(_C.reshape(_C._run_inverse(starts, order), inverse_shape))
    if return_counts:
        ends = _C.cat([_C.narrow(first, 0, 1, first.shape[0] - 1), _C.full([1], n, _C.int64)], 0) \
            if first.shape[0] else first
        result.append(_C.sub(ends, first))
    return tuple(result)


def _empty_result(input: Tensor, values: Tensor, return_inverse: builtins.bool,
                  return_counts: builtins.bool, inverse_shape: Any) -> Any:
    if not (return_inverse or return_counts):
        return values
    result = [values]
    if return_inverse:
        result.append(_C.full(list(inverse_shape), 0, _C.int64))
    if return_counts:
        result.append(_C.full([0], 0, _C.int64))
    return tuple(result)


def _slices_as_rows(input: Tensor, d: int) -> Tuple[Tensor, Tensor]:
    """``input`` with dim ``d`` moved first, and the same as a matrix of one row per slice."""
    moved = _C.movedim(input, d, 0) if input.dim() else _C.reshape(input, [1])
    n = moved.shape[0]
    rows = _C.reshape(moved, [n, -1]) if moved.numel() else _C.full([n, 0], 0, input.dtype)
    return moved, rows

def unique(input: Tensor, sorted: builtins.bool = True, return_inverse: builtins.bool = False,
           return_counts: builtins.bool = False, dim: Optional[int] = None) -> Any:
    """The distinct elements of ``input`` in ascending order (always sorted, as torch's CPU
    kernel), or the distinct slices along ``dim``; optionally the index of each input element's
    (slice's) value in the result and the count of each value. NaNs are all distinct."""
    if dim is None:
        flat = _C.reshape(input, [-1])
        if flat.numel() == 0:
            return _empty_result(input, flat, return_inverse, return_counts, input.shape)
        srt, order = _C.sort(flat, 0, False)
        return _runs(srt, _run_starts(srt, False), order, return_inverse, return_counts, input.shape)
    d = _wrap_dim(dim, input.dim())
    moved, rows = _slices_as_rows(input, d)
    n = moved.shape[0]
    if n == 0:
        return _empty_result(input, input, return_inverse, return_counts, [0])
    order = _C.lexsort_rows(rows)
    starts = _run_starts(_C.index_select(rows, 0, order), True)
    res = _runs(_C.index_select(moved, 0, order), starts, order, return_inverse, return_counts, [n])
    if isinstance(res, tuple):
        return (_C.movedim(res[0], 0, d),) + res[1:]
    return _C.movedim(res, 0, d)


def unique_consecutive(input: Tensor, return_inverse: builtins.bool = False,
                       return_counts: builtins.bool = False, dim: Optional[int] = None) -> Any:
    """``input`` with each run of equal consecutive elements (or slices along ``dim``) reduced
    to one, with the optional inverse and run lengths."""
    if dim is None:
        flat = _C.reshape(input, [-1])
        if flat.numel() == 0:
            return _empty_result(input, flat, return_inverse, return_counts, input.shape)
        return _runs(flat, _run_starts(flat, False), None, return_inverse, return_counts, input.shape)
    d = _wrap_dim(dim, input.dim())
    moved, rows = _slices_as_rows(input, d)
    n = moved.shape[0]
    if n == 0:
        return _empty_result(input, input, return_inverse, return_counts, [0])
    res = _runs(moved, _run_starts(rows, True), None, return_inverse, return_counts, [n])
    if isinstance(res, tuple):
        return (_C.movedim(res[0], 0, d),) + res[1:]
    return _C.movedim(res, 0, d)


def isin(elements: Union[Tensor, Number], test_elements: Union[Tensor, Number], *,
         assume_unique: builtins.bool = False, invert: builtins.bool = False) -> Tensor:
    """Bool tensor of ``elements``' shape: True where the element occurs in ``test_elements``
    (compared in the promoted dtype; NaN is never found)."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments: at least one of "
                        "'elements' and 'test_elements' must be a Tensor")
    if not isinstance(elements, Tensor):
        elements = _as_tensor(elements, test_elements)
    if not isinstance(test_elements, Tensor):
        test_elements = _as_tensor(test_elements, elements)
    common = _C.promote_types(elements.dtype, test_elements.dtype)
    if elements.dtype is not common:
        elements = _C.to_dtype(elements, common, False)
    if test_elements.dtype is not common:
        test_elements = _C.to_dtype(test_elements, common, False)
    tests = _C.reshape(test_elements, [-1])
    m = tests.numel()
    if m == 0:
        found = _C.full(list(elements.shape), False, _C.bool)
    elif m < 10 * elements.numel() ** 0.145:  # few tests: compare with each (torch's rule)
        found = _C.any(_C.eq(_C.unsqueeze(elements, -1), tests), [-1], False)
    else:
        tests = _C.sort(tests, 0, False)[0]
        keys = tests
        if common.is_floating_point:  # NaNs (sorted last) would derail the binary search
            keys = _C.where(_C.isnan(tests), float("inf"), tests)
        pos = _C.searchsorted(keys, elements, False, False, None)
        pos = _C.clamp(pos, None, m - 1)  # past the end: compare with the last, which differs
        found = _C.eq(_C.reshape(_C.index_select(tests, 0, _C.reshape(pos, [-1])), elements.shape),
                      elements)
    return _C.logical_not(found) if invert else found


def searchsorted(sorted_sequence: Tensor, input: Union[Tensor, Number], *,
                 out_int32: builtins.bool = False, right: builtins.bool = False,
                 side: Optional[str] = None, sorter: Optional[Tensor] = None) -> Tensor:
    """Indices where ``input`` would be inserted into the innermost dim of ``sorted_sequence``
    to keep it sorted: the first position (``right=False``, ``side='left'``) or the last."""
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got "
                               "side of left while right was True")
        right = side == "right"
    values = _as_tensor(input, sorted_sequence)
    return _C.searchsorted(sorted_sequence, values, out_int32, right, sorter)


def bucketize(input: Union[Tensor, Number], boundaries: Tensor, *, out_int32: builtins.bool = False,
              right: builtins.bool = False) -> Tensor:
    """The bucket of each ``input`` value among the 1-D ascending ``boundaries``:
    ``boundaries[i-1] < x <= boundaries[i]`` (``<=`` and ``<`` swapped when ``right``)."""
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.dim()})")
    return _C.searchsorted(boundaries, _as_tensor(input, boundaries), out_int32, right, None)


def bincount(input: Tensor, weights: Optional[Tensor] = None, minlength: int = 0) -> Tensor:
    """Count of each value of the 1-D non-negative integer ``input`` (``weights`` summed instead
    when given), with at least ``minlength`` bins."""
    return _C.bincount(input, weights, minlength)


def histc(input: Tensor, bins: int = 100, min: Number = 0, max: Number = 0) -> Tensor:
    """Histogram of ``input`` in ``bins`` equal bins over ``[min, max]`` (the data's range when
    both are equal); values outside, and NaN, are not counted."""
    return _C.histc(input, bins, float(min), float(max))


_METHODS = {
    "unique": unique, "unique_consecutive": unique_consecutive, "bincount": bincount,
    "histc": histc,
}


def _install() -> None:
    for name, fn in _METHODS.items():
        setattr(Tensor, name, fn)


_install()
