"""Matrix products with torch's semantics, computed in C++ (BLAS sgemm/dgemm/gemv for float32
and float64, a plain kernel for integer dtypes). The module functions are the C++ bindings
themselves, so a call crosses into C++ once; ``linear`` lives here until ``nn.functional``
re-exports it."""

from __future__ import annotations

from typing import Optional

from . import _C
from ._C import (  # noqa: F401
    Tensor, mm, bmm, mv, dot, outer, ger, matmul, addmm, addmv, baddbmm,
)

__all__ = ["mm", "bmm", "mv", "dot", "outer", "ger", "matmul", "addmm", "addmv", "baddbmm", "linear"]


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``input @ weight.T + bias``, as ``torch.nn.functional.linear``.

    ``input`` is ``(*, in_features)``, ``weight`` ``(out_features, in_features)`` and ``bias``
    broadcasts to ``(*, out_features)``; with a bias the sum is fused into one BLAS call.
    """
    return _C.linear(input, weight, bias)
