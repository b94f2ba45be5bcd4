"""Reverse-mode automatic differentiation with torch's API.

Importing this package registers the handler that C++ ops call when an input requires grad
(see ``csrc/python/autograd_hook.h``) and installs the autograd attributes onto ``Tensor``."""

from __future__ import annotations

from .. import _C
from . import formulas as _formulas  # noqa: F401  (fills the op table)
from . import graph
from .engine import backward, grad
from .function import Function, FunctionCtx, InplaceFunction, NestedIOFunction, once_differentiable
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .graph import Node
from .tensor_api import install as _install

__all__ = [
    "InplaceFunction",
    "NestedIOFunction",
    "Function",
    "FunctionCtx",
    "backward",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "once_differentiable",
    "Node",
    "set_detect_anomaly",
    "detect_anomaly",
]


class detect_anomaly:
    """Accepted for compatibility; pytensor's errors already name the failing node."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: object) -> None:
        pass


class set_detect_anomaly(detect_anomaly):
    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        super().__init__(check_nan)


_install()
_C._set_autograd_handler(graph.handler)
