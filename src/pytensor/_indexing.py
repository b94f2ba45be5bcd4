"""``tensor[index]`` and ``tensor[index] = value``.

Both are bound in C++ as ``Tensor.__getitem__``/``__setitem__`` (``csrc/python/bind_index.cpp``):
the subscript is parsed there and basic indices (ints, slices, None, Ellipsis) build the view in
one step. These names remain for code that calls them as functions.

Autograd sees the ops as ``"getitem"(input, index)`` and ``"setitem"(input, index, value)`` with the
raw subscript object; ``_C.getitem_backward(grad, input_sizes, index)`` is the gradient of getitem
(zeros with ``grad`` added at the indexed places, repeated indices adding up).
"""

from __future__ import annotations

from typing import Any

from . import _C
from ._C import Tensor

__all__ = ["getitem", "getitem_backward", "setitem"]


def getitem(t: Tensor, index: Any) -> Tensor:
    """``t[index]``: a view for basic indices, a copy when tensors, lists or bools index."""
    return _C.getitem(t, index)


def setitem(t: Tensor, index: Any, value: Any) -> None:
    """``t[index] = value`` with ``value`` a number or a tensor broadcastable to ``t[index]``."""
    _C.setitem(t, index, value)


def getitem_backward(grad: Tensor, sizes: Any, index: Any) -> Tensor:
    """The gradient of ``input[index]`` for an input of shape ``sizes``."""
    return _C.getitem_backward(grad, tuple(sizes), index)
