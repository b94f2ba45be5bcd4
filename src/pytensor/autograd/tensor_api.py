"""Autograd attributes and methods of ``Tensor`` (installed onto ``_C.Tensor`` at import).

Per-tensor autograd state lives in the tensor's ``__dict__`` (``grad_fn``, ``_grad``, hooks) and
in the C++ ``requires_grad`` bit that every op tests. Plain class attributes give the defaults,
so a tensor that never met autograd pays nothing."""

from __future__ import annotations

import warnings
import weakref
from typing import Any, Callable, Optional

from .. import _C
from .._C import Tensor
from .._device import full_on
from . import engine
from .graph import RemovableHandle, _add_hook, _version_of

_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
    "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
    "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information."
)

_LEAF_ONLY = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
)

_TORCH_DTYPE = {
    "float32": "Float",
    "float64": "Double",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
}
_TORCH_LOWER = {
    "float32": "float",
    "float64": "double",
    "int64": "long",
    "int32": "int",
    "int16": "short",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}


def _get_requires_grad(self: Tensor) -> bool:
    return self._requires_grad


def _set_requires_grad(self: Tensor, value: bool) -> None:
    value = bool(value)
    if self.grad_fn is not None:
        if not value:
            raise RuntimeError(_LEAF_ONLY)
        return
    if value and not self.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
    self._requires_grad = value


def requires_grad_(self: Tensor, requires_grad: bool = True) -> Tensor:
    """Sets ``requires_grad`` in place (leaf tensors only) and returns ``self``."""
    requires_grad = bool(requires_grad)
    if self.grad_fn is not None:
        if not requires_grad:
            raise RuntimeError(_LEAF_ONLY)
        return self
    if requires_grad and not self.dtype.is_floating_point:
        raise RuntimeError("only Tensors of floating point dtype can require gradients")
    self._requires_grad = requires_grad
    return self


def _get_grad(self: Tensor) -> Optional[Tensor]:
    d = self.__dict__
    g = d.get("_grad")
    if g is None and self.grad_fn is not None and "_retain" not in d:
        warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
    return g


def _set_grad(self: Tensor, value: Optional[Tensor]) -> None:
    if value is not None:
        if not isinstance(value, Tensor):
            raise TypeError(
                f"assigned grad expected to be a Tensor or None but got grad of type "
                f"{type(value).__name__}"
            )
        if value._sizes != self._sizes:
            raise RuntimeError(
                f"attempting to assign a gradient of size '{list(value._sizes)}' to a tensor of "
                f"size '{list(self._sizes)}'. Please ensure that the gradient and the tensor "
                "are the same size"
            )
        if value.dtype is not self.dtype:
            raise RuntimeError(
                "attempting to assign a gradient with dtype "
                f"'{_TORCH_LOWER[value.dtype._name]}' to a tensor with grad_dtype "
                f"'{_TORCH_DTYPE[self.dtype._name]}'. The gradient must match the tensor's "
                "grad_dtype (defaults to the tensor's dtype)."
            )
    self.__dict__["_grad"] = value


def _del_grad(self: Tensor) -> None:
    self.__dict__.pop("_grad", None)


def _is_leaf(self: Tensor) -> bool:
    return self.grad_fn is None


def retain_grad(self: Tensor) -> None:
    """Keeps this non-leaf tensor's gradient in ``.grad`` during backward."""
    if not self._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    gf = self.grad_fn
    if gf is None or "_retain" in self.__dict__:
        return
    retain = gf._extra().setdefault("retain", {})
    retain[self._output_nr] = weakref.ref(self)
    self.__dict__["_retain"] = True


def _retains_grad(self: Tensor) -> bool:
    return self.grad_fn is not None and "_retain" in self.__dict__


def register_hook(self: Tensor, hook: Callable) -> RemovableHandle:
    """``hook(grad)`` runs when this tensor's gradient is computed; it may return a replacement."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    gf = self.grad_fn
    if gf is None:
        hooks = self.__dict__.setdefault("_hooks", {})
    else:
        hooks = gf._extra().setdefault("tensor_pre", {}).setdefault(self._output_nr, {})
    return _add_hook(hooks, hook)


def register_post_accumulate_grad_hook(self: Tensor, hook: Callable) -> RemovableHandle:
    """``hook(tensor)`` runs after a leaf's ``.grad`` has been accumulated."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self.grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    return _add_hook(self.__dict__.setdefault("_post_acc_hooks", {}), hook)


def backward(
    self: Tensor,
    gradient: Optional[Tensor] = None,
    retain_graph: Optional[bool] = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulates the gradient of this tensor into the leaves' ``.grad``."""
    gf = self.grad_fn
    if (
        gradient is None
        and inputs is None
        and not create_graph
        and gf is not None
        and gf.n_out == 1
    ):
        # `loss.backward()`: the common case, without the general argument handling.
        if self.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        seed = full_on(self, self._sizes, 1, self.dtype)
        engine.execute((gf,), (seed,), bool(retain_graph), False)
        return
    engine.backward(self, gradient, retain_graph, create_graph, inputs=inputs)


def detach(self: Tensor) -> Tensor:
    """A new tensor sharing storage, outside any autograd graph."""
    return _C.alias(self)


def detach_(self: Tensor) -> Tensor:
    """Removes this tensor from the graph in place (a leaf that does not require grad)."""
    if self._base is not None:
        raise RuntimeError(
            "Can't detach views in-place. Use detach() instead. If you are using "
            "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
            "as True, gradients are views of DDP buckets, and hence detach_() cannot be called "
            "on these gradients. To fix this error, please refer to the Optimizer.zero_grad() "
            "function in torch/optim/optimizer.py as the solution."
        )
    d = self.__dict__
    d.pop("grad_fn", None)
    d.pop("_output_nr", None)
    self._requires_grad = False
    return self


def _version(self: Tensor) -> int:
    return _version_of(self)


def _data_get(self: Tensor) -> Tensor:
    return _C.alias(self)


def _data_set(self: Tensor, value: Tensor) -> None:
    # As torch: `x.data = y` makes x share y's memory (shape, dtype and device may change), keeping
    # x's autograd identity. Module.to relies on this to move parameters in place.
    if not isinstance(value, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
    if self._requires_grad and not value.dtype.is_floating_point:
        raise RuntimeError(
            "data set to a tensor that requires gradients must be floating point or complex dtype"
        )
    _C._set_data(self, value)


def install() -> None:
    """Puts the autograd API onto ``Tensor``."""
    T = Tensor
    T.requires_grad = property(
        _get_requires_grad,
        _set_requires_grad,
        doc="Whether operations on this tensor are recorded for autograd.",
    )
    T.requires_grad_ = requires_grad_
    T.grad = property(
        _get_grad,
        _set_grad,
        _del_grad,
        doc="The accumulated gradient (leaf tensors; non-leaves after retain_grad()).",
    )
    T.grad_fn = None  # set per tensor by the autograd handler
    T._output_nr = 0
    T._base = None
    T._ag_leaf = True  # a leaf vertex for the engine (Node._ag_leaf is False)
    T.output_nr = property(lambda self: self._output_nr)
    T.is_leaf = property(_is_leaf, doc="True unless the tensor was produced by a recorded op.")
    T.retain_grad = retain_grad
    T.retains_grad = property(_retains_grad)
    T.register_hook = register_hook
    T.register_post_accumulate_grad_hook = register_post_accumulate_grad_hook
    T.backward = backward
    T.detach = detach
    T.detach_ = detach_
    T._version = property(_version)
    T.data = property(_data_get, _data_set)
