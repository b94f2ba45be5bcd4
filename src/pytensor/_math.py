"""Elementwise math written from other ops, and torch's aliases.

The one-kernel ops (erfc, lgamma, hypot, gcd, ...) are bound in C++ (bind_elementwise.cpp). Here:
the ternary ops ``lerp``, ``addcmul`` and ``addcdiv`` (a few elementwise kernels each; there is no
ternary kernel family), ``ldexp`` and ``float_power`` (torch's own compositions), and the
keyword-argument forms of ``logit`` and ``nan_to_num``. Each composed op records one autograd node
of torch's name (AddcmulBackward0, LerpBackward0/1, LdexpBackward0) through ``graph.call``."""

from __future__ import annotations

import builtins
from typing import Optional, Union

import numpy as np

from . import _C
from ._C import Tensor

Number = Union[int, float, builtins.bool]

# The C++ type names torch's dtype-mismatch messages print (caffe2 TypeMeta names).
_CPP_NAMES = {
    _C.bool: "bool",
    _C.uint8: "unsigned char",
    _C.int8: "signed char",
    _C.int16: "short int",
    _C.int32: "int",
    _C.int64: "long int",
    _C.float32: "float",
    _C.float64: "double",
}
# torch's ScalarType names, as its "not implemented for 'Long'" messages print them.
_TORCH_NAMES = {
    _C.bool: "Bool",
    _C.uint8: "Byte",
    _C.int8: "Char",
    _C.int16: "Short",
    _C.int32: "Int",
    _C.int64: "Long",
    _C.float32: "Float",
    _C.float64: "Double",
}

_ADDCDIV_INT_ERROR = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform "
    "a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + "
    "value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * "
    "tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: "
    "(input + value * tensor1 / tensor2), for all dtypes."
)


def _tracked(*args: object) -> builtins.bool:
    for a in args:
        if isinstance(a, Tensor) and a._requires_grad:
            return _C.is_grad_enabled()
    return False


def _record(op: str, *args: object) -> Tensor:
    from .autograd.graph import call  # noqa: PLC0415 - autograd imports this module

    return call(op, *args)


def _need_tensor(x: object, op: str, arg: str, position: int) -> None:
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{op}(): argument '{arg}' (position {position}) must be Tensor, not {type(x).__name__}"
        )


def _category(dt: _C.dtype) -> int:
    return 2 if dt.is_floating_point else 0 if dt == _C.bool else 1


def _common_dtype(*tensors: Tensor) -> _C.dtype:
    """torch.result_type over tensors: dimensioned tensors win over 0-dim ones unless a 0-dim one
    brings a higher category (bool < integer < float)."""
    dims = zero = None
    for t in tensors:
        if t.dim():
            dims = t.dtype if dims is None else _C.promote_types(dims, t.dtype)
        else:
            zero = t.dtype if zero is None else _C.promote_types(zero, t.dtype)
    if dims is None:
        return zero
    if zero is None or _category(zero) <= _category(dims):
        return dims
    return _C.promote_types(dims, zero)


def _as(t: Tensor, dt: _C.dtype) -> Tensor:
    return t if t.dtype == dt else _C.to_dtype(t, dt, False)


def _in_dtype(x: float, dt: _C.dtype) -> float:
    """``x`` rounded to ``dt`` (so that e.g. 1 - w rounds as torch's float32 arithmetic does)."""
    return float(np.float32(x)) if dt == _C.float32 else float(x)


# ---- addcmul, addcdiv ---------------------------------------------------------------------------


def _addc_operands(
    op: str, input: Tensor, tensor1: Tensor, tensor2: Tensor, value: Number
) -> tuple:
    if input.__class__ is Tensor and tensor1.__class__ is Tensor and tensor2.__class__ is Tensor:
        dt = input.dtype
        if tensor1.dtype is dt and tensor2.dtype is dt and dt.is_floating_point:  # the common case
            return dt, tensor1, tensor2, value
    for x, name, pos in ((input, "input", 1), (tensor1, "tensor1", 2), (tensor2, "tensor2", 3)):
        _need_tensor(x, op, name, pos)
    if (
        op == "addcdiv"
        and not tensor1.dtype.is_floating_point
        and not tensor2.dtype.is_floating_point
    ):
        raise RuntimeError(_ADDCDIV_INT_ERROR)
    dt = _common_dtype(input, tensor1, tensor2)
    if dt == _C.bool:
        raise NotImplementedError(f"\"{op}_cpu_out\" not implemented for 'Bool'")
    # torch converts value to the common dtype: an integer op truncates a float value.
    v = value if dt.is_floating_point else int(value)
    return dt, _as(tensor1, dt), _as(tensor2, dt), v


def addcmul_values(input: Tensor, tensor1: Tensor, tensor2: Tensor, value: Number = 1) -> Tensor:
    """``addcmul``'s forward: (value * tensor1) * tensor2 + input, rounded as torch's kernel."""
    dt, t1, t2, v = _addc_operands("addcmul", input, tensor1, tensor2, value)
    prod = _C.mul(t1 if v == 1 else _C.mul(t1, v), t2)
    return _C.add(_as(input, dt), prod)


def addcdiv_values(input: Tensor, tensor1: Tensor, tensor2: Tensor, value: Number = 1) -> Tensor:
    """``addcdiv``'s forward: (value * tensor1) / tensor2 + input, rounded as torch's kernel."""
    dt, t1, t2, v = _addc_operands("addcdiv", input, tensor1, tensor2, value)
    quot = _C.div(t1 if v == 1 else _C.mul(t1, v), t2)
    return _C.add(_as(input, dt), quot)


def addcmul_inplace(input: Tensor, tensor1: Tensor, tensor2: Tensor, value: Number = 1) -> Tensor:
    _, t1, t2, v = _addc_operands("addcmul", input, tensor1, tensor2, value)
    return _C.Tensor.__iadd__(input, _C.mul(t1 if v == 1 else _C.mul(t1, v), t2))


def addcdiv_inplace(input: Tensor, tensor1: Tensor, tensor2: Tensor, value: Number = 1) -> Tensor:
    _, t1, t2, v = _addc_operands("addcdiv", input, tensor1, tensor2, value)
    return _C.Tensor.__iadd__(input, _C.div(t1 if v == 1 else _C.mul(t1, v), t2))


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
    """``input + value * tensor1 * tensor2``, broadcast and promoted over all three tensors."""
    if _tracked(input, tensor1, tensor2):
        return _record("addcmul", input, tensor1, tensor2, value)
    return addcmul_values(input, tensor1, tensor2, value)


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
    """``input + value * tensor1 / tensor2``; integer tensor1 and tensor2 are rejected, as torch."""
    if _tracked(input, tensor1, tensor2):
        return _record("addcdiv", input, tensor1, tensor2, value)
    return addcdiv_values(input, tensor1, tensor2, value)


def _addcmul_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
    if _tracked(self, tensor1, tensor2):
        return _record("addcmul_", self, tensor1, tensor2, value)
    return addcmul_inplace(self, tensor1, tensor2, value)


def _addcdiv_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
    if _tracked(self, tensor1, tensor2):
        return _record("addcdiv_", self, tensor1, tensor2, value)
    return addcdiv_inplace(self, tensor1, tensor2, value)


# ---- lerp ---------------------------------------------------------------------------------------


def _lerp_check(input: Tensor, end: Tensor, weight: Union[Tensor, Number]) -> None:
    _need_tensor(input, "lerp", "input", 1)
    _need_tensor(end, "lerp", "end", 2)
    dt = input.dtype
    if end.dtype != dt:
        raise RuntimeError(
            f"expected dtype {_CPP_NAMES[dt]} for `end` but got dtype {_CPP_NAMES[end.dtype]}"
        )
    tensor_weight = isinstance(weight, Tensor)
    if tensor_weight and weight.dim() > 0 and weight.dtype != dt:
        raise RuntimeError(
            f"expected dtype {_CPP_NAMES[dt]} for `weight` but got dtype {_CPP_NAMES[weight.dtype]}"
        )
    if not dt.is_floating_point:
        kernel = "lerp_kernel_tensor" if tensor_weight else "lerp_kernel_scalar"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_TORCH_NAMES[dt]}'")


def lerp_values(input: Tensor, end: Tensor, weight: Union[Tensor, Number]) -> Tensor:
    """``lerp``'s forward, torch's formula: ``input + w * (end - input)`` for |w| < 0.5, else
    ``end + (w - 1) * (end - input)`` (so that w = 1 gives ``end`` exactly)."""
    _lerp_check(input, end, weight)
    diff = _C.sub(end, input)
    dt = input.dtype
    if not isinstance(weight, Tensor):
        w = _in_dtype(weight, dt)
        if builtins.abs(w) < 0.5:
            return _C.add(input, _C.mul(diff, w))
        return _C.add(end, _C.mul(diff, _in_dtype(w - 1, dt)))
    w = _as(weight, dt)
    small = _C.lt(_C.abs(w), 0.5)
    coeff = _C.where(small, w, _C.sub(w, 1))
    base = _C.where(small, input, end)
    return _C.add(base, _C.mul(coeff, diff))


def lerp_inplace(input: Tensor, end: Tensor, weight: Union[Tensor, Number]) -> Tensor:
    return _C.copy_(input, _broadcast_into(input, lerp_values(input, end, weight)))


def _broadcast_into(self: Tensor, result: Tensor) -> Tensor:
    if result._sizes != self._sizes:
        raise RuntimeError(
            f"output with shape {list(self._sizes)} doesn't match the broadcast shape "
            f"{list(result._sizes)}"
        )
    return result


def lerp(input: Tensor, end: Tensor, weight: Union[Tensor, Number]) -> Tensor:
    """``input + weight * (end - input)``; ``weight`` is a number or a tensor (broadcast)."""
    if _tracked(input, end, weight):
        return _record("lerp", input, end, weight)
    return lerp_values(input, end, weight)


def _lerp_(self: Tensor, end: Tensor, weight: Union[Tensor, Number]) -> Tensor:
    if _tracked(self, end, weight):
        return _record("lerp_", self, end, weight)
    return lerp_inplace(self, end, weight)


# ---- ldexp, float_power -------------------------------------------------------------------------


def ldexp_values(input: Tensor, other: Tensor) -> Tensor:
    """``ldexp``'s forward, as torch: ``input * 2.0 ** other`` (a float result)."""
    return _C.mul(input, _C.pow(2.0, other))


def ldexp_inplace(input: Tensor, other: Tensor) -> Tensor:
    return _C.Tensor.mul_(input, _C.pow(2.0, other))


def ldexp(input: Tensor, other: Tensor) -> Tensor:
    """``input * 2 ** other``."""
    _need_tensor(input, "ldexp", "input", 1)
    _need_tensor(other, "ldexp", "other", 2)
    if _tracked(input, other):
        return _record("ldexp", input, other)
    return ldexp_values(input, other)


def _ldexp_(self: Tensor, other: Tensor) -> Tensor:
    _need_tensor(other, "ldexp_", "other", 1)
    if not self.dtype.is_floating_point:  # the result is float: torch's message for it
        raise RuntimeError(
            f"ldexp can't be cast to the desired output type {_TORCH_NAMES[self.dtype]}"
        )
    if _tracked(self, other):
        return _record("ldexp_", self, other)
    return ldexp_inplace(self, other)


def _double(x: Union[Tensor, Number]) -> Union[Tensor, float]:
    return _C.to_dtype(x, _C.float64, False) if isinstance(x, Tensor) else builtins.float(x)


def float_power(input: Union[Tensor, Number], exponent: Union[Tensor, Number]) -> Tensor:
    """``input ** exponent`` computed in float64 (torch's composition: both cast to double)."""
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError(
            "float_power() received an invalid combination of arguments - got "
            f"({type(input).__name__}, {type(exponent).__name__})"
        )
    return _C.pow(_double(input), _double(exponent))


def _float_power_(self: Tensor, exponent: Union[Tensor, Number]) -> Tensor:
    if self.dtype != _C.float64:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {_TORCH_NAMES[self.dtype]} but the "
            "operation's result requires dtype Double"
        )
    return _C.Tensor.pow_(self, _double(exponent))


# ---- keyword forms of C++ ops -------------------------------------------------------------------


def logit(input: Tensor, eps: Optional[float] = None) -> Tensor:
    """``log(x / (1 - x))``; with ``eps``, x is first clamped to [eps, 1 - eps]."""
    return _C.logit(input, eps)


def nan_to_num(
    input: Tensor, nan: float = 0.0, posinf: Optional[float] = None, neginf: Optional[float] = None
) -> Tensor:
    """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (defaults: 0 and the dtype's
    largest and lowest finite values)."""
    return _C.nan_to_num(input, nan, posinf, neginf)


def logit_(self: Tensor, eps: Optional[float] = None) -> Tensor:
    """In place: ``self = logit(self, eps)`` (float tensors only)."""
    return _C.logit_(self, eps)


def nan_to_num_(
    self: Tensor, nan: float = 0.0, posinf: Optional[float] = None, neginf: Optional[float] = None
) -> Tensor:
    """In place: ``self = nan_to_num(self, nan, posinf, neginf)``."""
    return _C.nan_to_num_(self, nan, posinf, neginf)


# torch's names for the same ops.
_ALIASES = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "arctan2": "atan2",
}

arcsin = _C.asin
arccos = _C.acos
arctan = _C.atan
arcsinh = _C.asinh
arccosh = _C.acosh
arctanh = _C.atanh
arctan2 = _C.atan2


arcsin_ = _C.asin_
arccos_ = _C.acos_
arctan_ = _C.atan_
arcsinh_ = _C.asinh_
arccosh_ = _C.acosh_
arctanh_ = _C.atanh_


def xlogy_(input: Tensor, other: Union[Tensor, Number]) -> Tensor:
    """In place: ``input = input * log(other)`` (0 where input is 0)."""
    return _C.Tensor.xlogy_(input, other)


def gcd_(input: Tensor, other: Tensor) -> Tensor:
    """In place: the greatest common divisor of integer tensors."""
    return _C.Tensor.gcd_(input, other)


def lcm_(input: Tensor, other: Tensor) -> Tensor:
    """In place: the least common multiple of integer tensors."""
    return _C.Tensor.lcm_(input, other)


ldexp_ = _ldexp_


def _install() -> None:
    methods = {
        "addcmul": addcmul,
        "addcdiv": addcdiv,
        "addcmul_": _addcmul_,
        "addcdiv_": _addcdiv_,
        "lerp": lerp,
        "lerp_": _lerp_,
        "ldexp": ldexp,
        "ldexp_": _ldexp_,
        "float_power": float_power,
        "float_power_": _float_power_,
        "logit": logit,
        "logit_": logit_,
        "nan_to_num": nan_to_num,
        "nan_to_num_": nan_to_num_,
    }
    for alias, name in _ALIASES.items():
        methods[alias] = getattr(Tensor, name)
        if hasattr(Tensor, name + "_"):
            methods[alias + "_"] = getattr(Tensor, name + "_")
    for name, fn in methods.items():
        setattr(Tensor, name, fn)


_install()
