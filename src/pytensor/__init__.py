"""pytensor: a small, fast PyTorch-compatible tensor library.

Use it as ``import pytensor as torch``: tensors, elementwise math with broadcasting, reductions,
matrix products, random numbers identical to PyTorch's CPU generator, autograd and nn.
"""

from __future__ import annotations

import ctypes as _ctypes
import os as _os

# pytensor's OpenMP team and OpenBLAS's threads share the cores; spinning idle OpenMP workers
# would steal them from the next BLAS call (and from other libraries' pools). Sleeping workers
# cost a wake-up only on ops large enough to be split. An explicit user setting wins.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# The BLAS library ships in the scipy-openblas32 wheel; loading it first lets the extension
# find it wherever pip put that wheel.
try:
    import scipy_openblas32 as _openblas
    _ctypes.CDLL(_os.path.join(_openblas.get_lib_dir(), _openblas.get_library(fullname=True)),
                 mode=_ctypes.RTLD_GLOBAL)
except (ImportError, OSError):  # a system-BLAS build links its BLAS directly
    pass

from . import _C
from ._C import (  # noqa: F401
    Tensor, dtype, bool, uint8, int8, int16, int32, int64, float32, float64,
    promote_types, get_default_dtype, set_default_dtype, result_type, from_numpy,
    mul, div as _c_div, floor_divide, remainder, fmod, pow, maximum, minimum, atan2,
    bitwise_and, bitwise_or, bitwise_xor, bitwise_not, logical_and, logical_or, logical_xor,
    logical_not, eq, ne, lt, le, gt, ge, where, clone,
    exp, log, log1p, expm1, sqrt, rsqrt, sin, cos, tan, tanh, sigmoid, reciprocal, log2, log10,
    exp2, asin, acos, atan, sinh, cosh, erf, neg, abs, relu, sign, floor, ceil, round, trunc,
    square, isnan, isinf, isfinite,
    exp_, log_, sqrt_, sigmoid_, tanh_, relu_, neg_, abs_, clamp_, log1p_, expm1_, rsqrt_, sin_,
    cos_, tan_, reciprocal_, sign_, floor_, ceil_, round_, trunc_, square_,
    cat, stack, squeeze, unsqueeze, flatten, transpose, permute, narrow, select,
    as_strided, t,
)
from ._C import (  # noqa: F401  (elementwise math: one C++ kernel each)
    erfc, erfinv, lgamma, digamma, acosh, asinh, atanh, deg2rad, rad2deg, sinc, frac, sgn, signbit,
    isposinf, isneginf, hypot, logaddexp, logaddexp2, fmax, fmin, xlogy, heaviside, copysign, nextafter,
    gcd, lcm, erfc_, acosh_, asinh_, atanh_, deg2rad_, rad2deg_, sinc_, frac_,
)
from ._math import (  # noqa: F401
    addcmul, addcdiv, lerp, ldexp, float_power, logit, nan_to_num, logit_, nan_to_num_, arcsin, arccos,
    arctan, arcsinh, arccosh, arctanh, arctan2, xlogy_, gcd_, lcm_, ldexp_, arcsin_, arccos_, arctan_,
    arcsinh_, arccosh_, arctanh_,
)
from ._tensor import (  # noqa: F401
    add, sub, clamp, div, split, chunk, unbind, equal, isclose, allclose, detach, can_cast, tril, triu,
    flip, roll,
)
from ._shape_ops import (  # noqa: F401  (shape, joining and diagonal functions)
    diagonal, diag_embed, diag, diagflat, trace, broadcast_to, broadcast_shapes, broadcast_tensors, swapaxes,
    swapdims, movedim, moveaxis, unflatten, ravel, narrow_copy, atleast_1d, atleast_2d, atleast_3d,
    tril_indices, triu_indices, rot90, fliplr, flipud, tile, repeat_interleave, meshgrid, hstack, vstack,
    dstack, column_stack, tensor_split, hsplit, vsplit, dsplit, block_diag, cartesian_prod, vander,
)
from ._creation import (  # noqa: F401
    tensor, as_tensor, empty, zeros, ones, full, arange, linspace, eye, empty_like, zeros_like,
    ones_like, full_like, empty_strided, scalar_tensor,
)
from ._linalg import mm, bmm, mv, dot, outer, ger, matmul, addmm, addmv, baddbmm  # noqa: F401
from ._linalg import (  # noqa: F401
    einsum, tensordot, inner, vdot, kron, cross, addr, addbmm, chain_matmul, matrix_power, dist, cdist,
    inverse, det, slogdet, logdet,
)
from . import linalg  # noqa: F401,E402  (torch.linalg)
from ._C import (  # noqa: F401  (indexing: the gather/scatter family, bound in C++)
    index_select, gather, scatter, scatter_add, take, take_along_dim, index_put_, index_put, index_add,
    index_copy, index_fill, masked_select, masked_fill, masked_scatter, nonzero, argwhere,
)
from ._reduction import (  # noqa: F401
    sum, mean, prod, max, min, amax, amin, argmax, argmin, std, var, std_mean, var_mean, all, any,
    norm, logsumexp, softmax, log_softmax, cumsum, cumprod, count_nonzero, return_types, sort, argsort,
    topk,
)
from ._reduction import (  # noqa: F401  (order statistics, NaN-aware reductions, scans)
    median, nanmedian, kthvalue, mode, quantile, nanquantile, msort, nansum, nanmean, aminmax, cummax,
    cummin, logcumsumexp, diff,
)
from ._search import (  # noqa: F401
    unique, unique_consecutive, isin, searchsorted, bucketize, bincount, histc,
)
from . import random  # noqa: E402
from . import cuda  # noqa: E402,F401  (pytensor.cuda: device queries, seeding, memory)
from .random import *  # noqa: F401,F403  (manual_seed, randn, Generator, ...)
from ._size import Size  # noqa: F401
from ._device import device  # noqa: F401
from ._printing import set_printoptions, get_printoptions  # noqa: F401
from . import autograd  # noqa: F401  (registers the autograd handler, Tensor.backward, .grad ...)
from .autograd import no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled  # noqa: F401
from . import nn, optim, utils  # noqa: F401,E402  (torch.nn, torch.optim, torch.utils.data)
from .serialization import save, load  # noqa: F401,E402

random._install_tensor_methods(Tensor)

float = float32
double = float64
long = int64
int = int32
short = int16
clip = clamp
negative = neg
multiply = mul
subtract = sub
divide = div
true_divide = div
concat = cat
concatenate = cat
absolute = abs
greater = gt
greater_equal = ge
less = lt
less_equal = le
not_equal = ne


def reshape(input: Tensor, shape: tuple) -> Tensor:
    """``input`` with a new shape: a view when possible, else a copy."""
    return input.reshape(shape)


def is_tensor(obj: object) -> "builtins.bool":
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> "builtins.bool":
    return input.dtype.is_floating_point


def numel(input: Tensor) -> "builtins.int":
    return input.numel()


def set_num_threads(n: "builtins.int") -> None:
    """Threads used by large elementwise ops, reductions and BLAS (as torch.set_num_threads)."""
    _C.set_num_threads(n)


def get_num_threads() -> "builtins.int":
    return _C.get_num_threads()


import builtins  # noqa: E402
