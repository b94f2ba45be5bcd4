"""``nn.Parameter`` and ``nn.Buffer``: tensors that a ``Module`` registers on assignment."""

from __future__ import annotations

from typing import Any, Optional

from .. import _C
from .._C import Tensor


def _as_subclass(data: Tensor, cls: type) -> Tensor:
    # A new impl sharing data's storage (as torch's _make_subclass over data.detach()), retyped
    # in place: Parameter adds no slots, so the instance layout is _C.Tensor's.
    t = _C.alias(data)
    t.__class__ = cls
    return t


class Parameter(Tensor):
    """A tensor that is a module parameter: ``requires_grad=True`` by default, registered by
    ``Module.__setattr__``, printed as ``Parameter containing:``."""

    __slots__ = ()

    def __new__(cls, data: Optional[Tensor] = None, requires_grad: bool = True) -> "Parameter":
        if data is None:
            data = _C.empty((0,), _C.get_default_dtype())
        if not isinstance(data, Tensor):
            raise TypeError("Parameter(): argument 'data' must be Tensor, not "
                            f"{type(data).__name__}")
        t = _as_subclass(data, cls)
        t.requires_grad_(requires_grad)
        return t

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The instance is complete after __new__; pybind11's Tensor.__init__ would refuse.
        pass

    def __repr__(self) -> str:
        return "Parameter containing:\n" + Tensor.__repr__(self)

    __str__ = __repr__

    def __deepcopy__(self, memo: dict) -> "Parameter":
        if id(self) in memo:
            return memo[id(self)]
        out = type(self)(_C.clone(_C.alias(self)), self.requires_grad)
        memo[id(self)] = out
        return out

    def __reduce_ex__(self, protocol: int) -> Any:
        return (_rebuild_parameter, (_C.clone(self.detach()), self.requires_grad))


def _rebuild_parameter(data: Tensor, requires_grad: bool) -> Parameter:
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """Marks a tensor to register as a module buffer on assignment (``persistent`` says whether
    ``state_dict`` includes it). The module stores a plain tensor."""

    __slots__ = ()

    def __new__(cls, data: Tensor, *, persistent: bool = True) -> "Buffer":
        if not isinstance(data, Tensor):
            raise TypeError(f"Buffer(): argument 'data' must be Tensor, not {type(data).__name__}")
        t = _as_subclass(data, cls)
        t.persistent = persistent
        return t

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass


def is_lazy(param: Any) -> bool:
    """Lazy parameters do not exist in pytensor; kept for torch code that asks."""
    return False
