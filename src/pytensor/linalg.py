"""``torch.linalg``: matrix functions under torch's ``linalg`` names (the implementations live
in ``pytensor._linalg``)."""

from __future__ import annotations

from ._C import Tensor
from ._linalg import (  # noqa: F401
    det,
    inv,
    linalg_cross as cross,
    linalg_norm as norm,
    matmul,
    matrix_norm,
    matrix_power,
    multi_dot,
    slogdet,
    solve,
    vector_norm,
)

__all__ = [
    "cross", "det", "inv", "matmul", "matrix_norm", "matrix_power", "multi_dot", "norm", "slogdet",
    "solve", "vector_norm", "vecdot",
]


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1, out: None = None) -> Tensor:
    """Dot product of ``x`` and ``y`` along ``dim`` (broadcasting the other dims)."""
    from ._C import mul, sum
    return sum(mul(x, y), [dim], False, None)
