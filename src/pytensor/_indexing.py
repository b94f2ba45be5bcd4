"""``tensor[index]`` and ``tensor[index] = value``.

Basic indices (ints, slices, None, Ellipsis) become views through the C++ view ops."""

from __future__ import annotations

from typing import Any

from . import _C
from ._C import Tensor


def _normalize(index: Any) -> tuple:
    return index if isinstance(index, tuple) else (index,)


def _basic_view(t: Tensor, index: tuple) -> Tensor:
    consumed = sum(1 for i in index if i is not None and i is not Ellipsis and not isinstance(i, bool))
    if sum(1 for i in index if i is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if consumed > t.dim():
        raise IndexError(f"too many indices for tensor of dimension {t.dim()}")
    dim = 0
    out = t
    for item in index:
        if item is None:
            out = _C.unsqueeze(out, dim)
            dim += 1
        elif item is Ellipsis:
            dim += t.dim() - consumed
        elif isinstance(item, bool):
            out = _C.unsqueeze(out, dim)
            if not item:
                out = _C.slice(out, dim, 0, 0, 1)
            dim += 1
        elif isinstance(item, slice):
            step = 1 if item.step is None else item.step.__index__()
            if step <= 0:
                raise ValueError("step must be greater than zero")
            start = None if item.start is None else item.start.__index__()
            stop = None if item.stop is None else item.stop.__index__()
            out = _C.slice(out, dim, start, stop, step)
            dim += 1
        elif hasattr(item, "__index__") and not isinstance(item, Tensor):
            out = _C.select(out, dim, item.__index__())
        elif isinstance(item, Tensor) and item.dim() == 0 and not item.dtype.is_floating_point \
                and item.dtype != _C.bool:
            out = _C.select(out, dim, item.item())
        else:
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                             "Variables are valid indices (got " + type(item).__name__ + ")")
    return out


def getitem(t: Tensor, index: Any) -> Tensor:
    """The tensor selected by ``index`` (a view for basic indices)."""
    return _basic_view(t, _normalize(index))


def setitem(t: Tensor, index: Any, value: Any) -> None:
    """Writes ``value`` (a number or a broadcastable tensor) into ``t[index]``."""
    target = _basic_view(t, _normalize(index))
    if isinstance(value, Tensor):
        _C.copy_(target, value)
    else:
        _C.fill_(target, value)
