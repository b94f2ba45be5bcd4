"""In-place tensor updates shared by the optimizers, in torch's operation order (e.g. ``lerp``
switches formula at weight 0.5, ``addcdiv`` is ``self + value * t1 / t2``). Temporaries are
updated in place, so each helper allocates at most one tensor. All run with grad mode off
(``Optimizer.step`` ensures it)."""

from __future__ import annotations

from .. import _C
from .._C import Tensor

_iadd = _C.Tensor.__iadd__
_imul = _C.Tensor.__imul__
_idiv = _C.Tensor.__itruediv__


def add_(self: Tensor, other: Tensor, alpha: float = 1.0) -> Tensor:
    """``self += alpha * other``."""
    return _iadd(self, other if alpha == 1 else _C.mul(other, alpha))


def mul_(self: Tensor, value: float) -> Tensor:
    return _imul(self, value)


def lerp_(self: Tensor, end: Tensor, weight: float) -> Tensor:
    """``self + weight * (end - self)`` (torch's formula for weight < 0.5; the mirrored one
    ``end - (end - self) * (1 - weight)`` otherwise)."""
    diff = _C.sub(end, self)
    if weight < 0.5:
        return _iadd(self, _imul(diff, weight))
    return _C.copy_(self, _C.sub(end, _imul(diff, 1.0 - weight)))


def addcmul_(self: Tensor, t1: Tensor, t2: Tensor, value: float = 1.0) -> Tensor:
    """``self += value * t1 * t2``."""
    prod = _C.mul(t1, t2)
    return _iadd(self, prod if value == 1 else _imul(prod, value))


def addcdiv_(self: Tensor, t1: Tensor, t2: Tensor, value: float = 1.0) -> Tensor:
    """``self += value * t1 / t2``."""
    quot = _C.mul(t1, value) if value != 1 else _C.clone(t1)
    return _iadd(self, _idiv(quot, t2))


def sqrt_div_add(t: Tensor, divisor: float, eps: float) -> Tensor:
    """``sqrt(t) / divisor + eps`` in a single new tensor (Adam's denominator)."""
    out = _C.sqrt(t)
    if divisor != 1:
        _idiv(out, divisor)
    return _iadd(out, eps)
