"""The ``Tensor`` API: the C++ class ``_C.Tensor`` plus the methods that are naturally Python
(argument parsing, conversions, printing). Hot operators (``+``, ``*``, ``exp`` ...) are bound
directly in C++ and are not redefined here."""

from __future__ import annotations

import builtins
from typing import Any, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _C
from ._C import Tensor, dtype
from ._creation import _parse_size
from ._device import as_device, device, host_numpy, to_device
from ._printing import format_tensor
from ._size import Size

Number = Union[int, float, builtins.bool]


def _dims(dims: tuple) -> tuple:
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        return tuple(dims[0])
    return tuple(dims)


class _TensorMethods:
    """Methods installed onto ``_C.Tensor`` (see ``_install``); never instantiated."""

    # numpy defers binary operators to the tensor's reflected ones, as with torch.
    __array_priority__ = 1000
    __hash__ = object.__hash__

    # Autograd attributes (requires_grad, requires_grad_, grad, grad_fn, is_leaf, data, detach,
    # detach_, backward, register_hook ...) are installed by pytensor.autograd (tensor_api.py).

    # ---- metadata ------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return tuple.__new__(Size, self._sizes)  # ints already: skip Size's checks

    def size(self, dim: Optional[int] = None) -> Union[Size, int]:
        """The shape as a ``Size``, or one dimension's size."""
        if dim is None:
            return tuple.__new__(Size, self._sizes)
        sizes = self._sizes
        return sizes[_wrap_dim(dim, len(sizes))]

    def stride(self, dim: Optional[int] = None) -> Union[Tuple[int, ...], int]:
        """Strides in elements, or one dimension's stride."""
        strides = self._stride_tuple()
        if dim is None:
            return strides
        return strides[_wrap_dim(dim, len(strides))]

    @property
    def device(self) -> device:
        return as_device(self._device_str)

    @property
    def is_cuda(self) -> builtins.bool:
        return self._device_str.startswith("cuda")

    @property
    def T(self) -> Tensor:
        return _C.permute(self, tuple(range(self.dim() - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        return _C.transpose(self, -2, -1)

    def is_floating_point(self) -> builtins.bool:
        """True for float32 and float64 tensors."""
        return self.dtype.is_floating_point

    # ---- views and shapes ----------------------------------------------------------------
    def view(self, *shape: Any) -> Tensor:
        """A view with a new shape (one -1 allowed); never copies."""
        return _C.view(self, _parse_size(shape, "view"))

    def view_as(self, other: Tensor) -> Tensor:
        return _C.view(self, other._sizes)

    def reshape(self, *shape: Any) -> Tensor:
        """Same data with a new shape: a view when possible, else a copy."""
        return _C.reshape(self, _parse_size(shape, "reshape"))

    def reshape_as(self, other: Tensor) -> Tensor:
        return _C.reshape(self, other._sizes)

    def resize_(self, *sizes: Any) -> Tensor:
        """Changes the shape in place, growing the storage if needed (new elements uninitialized)."""
        return _C.resize_(self, _parse_size(sizes, "resize_"))

    def resize_as_(self, other: Tensor) -> Tensor:
        return _C.resize_(self, other._sizes)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return _C.transpose(self, dim0, dim1)

    def t(self) -> Tensor:
        return _C.t(self)

    def permute(self, *dims: int) -> Tensor:
        return _C.permute(self, _dims(dims))

    def squeeze(self, dim: Optional[Union[int, Sequence[int]]] = None) -> Tensor:
        if dim is None:
            return _C.squeeze(self, None)
        return _C.squeeze(self, list(dim) if isinstance(dim, (tuple, list)) else [dim])

    def unsqueeze(self, dim: int) -> Tensor:
        return _C.unsqueeze(self, dim)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return _C.flatten(self, start_dim, end_dim)

    def expand(self, *sizes: Any) -> Tensor:
        return _C.expand(self, _parse_size(sizes, "expand"))

    def expand_as(self, other: Tensor) -> Tensor:
        return _C.expand(self, other._sizes)

    def contiguous(self, memory_format: Any = None) -> Tensor:
        return _C.contiguous(self)

    def clone(self, memory_format: Any = None) -> Tensor:
        return _C.clone(self)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        return _C.narrow(self, dim, int(start), length)

    def select(self, dim: int, index: int) -> Tensor:
        return _C.select(self, dim, index)

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        return _C.unfold(self, dimension, size, step)

    def as_strided(self, size: Sequence[int], stride: Sequence[int],
                   storage_offset: Optional[int] = None) -> Tensor:
        return _C.as_strided(self, tuple(size), tuple(stride), storage_offset)

    def split(self, split_size_or_sections: Union[int, Sequence[int]], dim: int = 0) -> Tuple[Tensor, ...]:
        """Splits into chunks of a given size (the last may be smaller) or of given sizes."""
        return split(self, split_size_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> Tuple[Tensor, ...]:
        return chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> Tuple[Tensor, ...]:
        return unbind(self, dim)

    def tril(self, diagonal: int = 0) -> Tensor:
        return tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        return triu(self, diagonal)

    def flip(self, *dims: Union[int, Sequence[int]]) -> Tensor:
        return flip(self, *dims)

    def roll(self, shifts: Union[int, Sequence[int]], dims: Union[int, Sequence[int], None] = None) -> Tensor:
        return roll(self, shifts, dims)

    # ---- in-place fills and copies ------------------------------------------------------
    def fill_(self, value: Union[Number, Tensor]) -> Tensor:
        if isinstance(value, Tensor):
            if value.dim() != 0:
                raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                                   f"{value.dim()} dimensions.")
            value = value.item()
        return _C.fill_(self, value)

    def zero_(self) -> Tensor:
        return _C.fill_(self, 0)

    def copy_(self, src: Tensor, non_blocking: builtins.bool = False) -> Tensor:
        if not isinstance(src, Tensor):
            raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
        return _C.copy_(self, src)

    def clamp(self, min: Optional[Number] = None, max: Optional[Number] = None) -> Tensor:
        return clamp(self, min, max)

    clip = clamp

    def clamp_(self, min: Optional[Union[Number, Tensor]] = None,
               max: Optional[Union[Number, Tensor]] = None) -> Tensor:
        if isinstance(min, Tensor) and min.dim() > 0 or isinstance(max, Tensor) and max.dim() > 0:
            out = clamp(self, min, max)
            if not can_cast(out.dtype, self.dtype):
                raise RuntimeError(f"result type {_TYPE_NAMES[out.dtype][:-6]} can't be cast to the "
                                   f"desired output type {_TYPE_NAMES[self.dtype][:-6]}")
            return _C.copy_(self, out)
        return _C.clamp_(self, _scalar_arg(min), _scalar_arg(max))

    clip_ = clamp_

    def clamp_min(self, min: Union[Number, Tensor]) -> Tensor:
        return clamp(self, min=min)

    def clamp_max(self, max: Union[Number, Tensor]) -> Tensor:
        return clamp(self, max=max)

    def clamp_min_(self, min: Union[Number, Tensor]) -> Tensor:
        return self.clamp_(min=min)

    def clamp_max_(self, max: Union[Number, Tensor]) -> Tensor:
        return self.clamp_(max=max)

    # In-place comparisons and logical ops store 0/1 in self's own dtype, as torch.
    def eq_(self, other: Union[Tensor, Number]) -> Tensor:
        return _C.copy_(self, _C.eq(self, other))

    def ne_(self, other: Union[Tensor, Number]) -> Tensor:
        return _C.copy_(self, _C.ne(self, other))

    def lt_(self, other: Union[Tensor, Number]) -> Tensor:
        return _C.copy_(self, _C.lt(self, other))

    def le_(self, other: Union[Tensor, Number]) -> Tensor:
        return _C.copy_(self, _C.le(self, other))

    def gt_(self, other: Union[Tensor, Number]) -> Tensor:
        return _C.copy_(self, _C.gt(self, other))

    def ge_(self, other: Union[Tensor, Number]) -> Tensor:
        return _C.copy_(self, _C.ge(self, other))

    def logical_not_(self) -> Tensor:
        return _C.copy_(self, _C.logical_not(self))

    def logical_and_(self, other: Tensor) -> Tensor:
        return _C.copy_(self, _C.logical_and(self, other))

    def logical_or_(self, other: Tensor) -> Tensor:
        return _C.copy_(self, _C.logical_or(self, other))

    def logical_xor_(self, other: Tensor) -> Tensor:
        return _C.copy_(self, _C.logical_xor(self, other))

    greater = _C.Tensor.gt
    greater_equal = _C.Tensor.ge
    less = _C.Tensor.lt
    less_equal = _C.Tensor.le
    not_equal = _C.Tensor.ne

    def where(self, condition: Tensor, other: Union[Tensor, Number]) -> Tensor:
        return _C.where(condition, self, other)

    # ---- arithmetic with torch's keyword arguments ---------------------------------------
    def add(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
        return _C.add(self, other if alpha == 1 else other * alpha)

    def add_(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
        return _C.Tensor.__iadd__(self, other if alpha == 1 else other * alpha)

    def sub(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
        return _C.sub(self, other if alpha == 1 else other * alpha)

    def sub_(self, other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
        return _C.Tensor.__isub__(self, other if alpha == 1 else other * alpha)

    def div(self, other: Union[Tensor, Number], *, rounding_mode: Optional[str] = None) -> Tensor:
        return div(self, other, rounding_mode=rounding_mode)

    def div_(self, other: Union[Tensor, Number], *, rounding_mode: Optional[str] = None) -> Tensor:
        return _C.copy_(self, div(self, other, rounding_mode=rounding_mode)) if rounding_mode else \
            _C.Tensor.__itruediv__(self, other)

    divide = div
    true_divide = div
    multiply = _C.Tensor.mul
    subtract = sub

    def __rpow__(self, other: Number) -> Tensor:
        return _C.pow(other, self)

    def equal(self, other: Tensor) -> builtins.bool:
        """True if both have the same size and elements."""
        return equal(self, other)

    def allclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
                 equal_nan: builtins.bool = False) -> builtins.bool:
        return allclose(self, other, rtol, atol, equal_nan)

    def isclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
                equal_nan: builtins.bool = False) -> Tensor:
        return isclose(self, other, rtol, atol, equal_nan)

    # ---- conversions ---------------------------------------------------------------------
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """Converts dtype and/or device, as torch: ``to(dtype)``, ``to(device, dtype=None)``,
        ``to(other)``, each with ``non_blocking`` and ``copy``; returns ``self`` when nothing
        changes and ``copy`` is False."""
        if len(args) == 1 and not kwargs:  # the common cases: t.to(dtype), t.to("cpu")
            a = args[0]
            if a.__class__ is dtype:
                return self if a is self.dtype else _C.to_dtype(self, a, True)
            if a.__class__ is str and a == "cpu" and self._device_str == "cpu":
                return self
        device_arg, dtype_arg, copy = _parse_to(args, kwargs)
        if device_arg is None or (device_arg.type == "cpu" and self._device_str == "cpu"):
            target = dtype_arg if dtype_arg is not None else self.dtype
            if target is self.dtype and not copy:
                return self
            return _C.to_dtype(self, target, True)
        return to_device(self, device_arg, dtype_arg, copy)

    def cpu(self, memory_format: Any = None) -> Tensor:
        """This tensor in CPU memory: ``self`` when it is there already, else a copy."""
        return self if self._device_str == "cpu" else to_device(self, "cpu")

    def cuda(self, device: Any = None, non_blocking: builtins.bool = False,
             memory_format: Any = None) -> Tensor:
        """A copy in CUDA memory (``device``: an index, 'cuda:N' or None for the current one);
        ``self`` when already there."""
        if device is None:
            d = _CUDA
        else:
            d = as_device(device)
            if d.type != "cuda":
                raise RuntimeError("Invalid device, must be cuda device")
        return to_device(self, d)

    def get_device(self) -> int:
        """The CUDA device index, or -1 for a CPU tensor."""
        d = self._device_str
        return -1 if d == "cpu" else builtins.int(d.partition(":")[2] or 0)

    def new_tensor(self, data: Any, dtype: Optional[dtype] = None, device: Any = None,
                   requires_grad: builtins.bool = False) -> Tensor:
        """``tensor(data)`` with this tensor's dtype and device unless given."""
        from ._creation import tensor  # noqa: PLC0415

        return tensor(data, dtype=self.dtype if dtype is None else dtype,
                      device=self.device if device is None else device, requires_grad=requires_grad)

    def new_empty(self, *size: Any, dtype: Optional[dtype] = None, device: Any = None,
                  requires_grad: builtins.bool = False) -> Tensor:
        return self.new_full(_parse_size(size, "new_empty"), None, dtype=dtype, device=device,
                             requires_grad=requires_grad)

    def new_zeros(self, *size: Any, dtype: Optional[dtype] = None, device: Any = None,
                  requires_grad: builtins.bool = False) -> Tensor:
        return self.new_full(_parse_size(size, "new_zeros"), 0, dtype=dtype, device=device,
                             requires_grad=requires_grad)

    def new_ones(self, *size: Any, dtype: Optional[dtype] = None, device: Any = None,
                 requires_grad: builtins.bool = False) -> Tensor:
        return self.new_full(_parse_size(size, "new_ones"), 1, dtype=dtype, device=device,
                             requires_grad=requires_grad)

    def new_full(self, size: Sequence[int], fill_value: Optional[Number], *,
                 dtype: Optional[dtype] = None, device: Any = None,
                 requires_grad: builtins.bool = False) -> Tensor:
        """``fill_value`` in ``size`` with this tensor's dtype and device unless given."""
        from ._creation import _like_dev  # noqa: PLC0415

        d = _like_dev(self, device)
        dt = self.dtype if dtype is None else dtype
        size = _parse_size((size,), "new_full")
        out = _C.empty(size, dt, d) if fill_value is None else _C.full(size, fill_value, dt, d)
        if requires_grad:
            out.requires_grad_(True)
        return out

    def type(self, dtype: Optional[dtype] = None) -> Any:
        if dtype is None:  # 'pytensor.FloatTensor', 'pytensor.cuda.FloatTensor' as torch
            prefix = "pytensor." if self._device_str == "cpu" else "pytensor.cuda."
            return prefix + _TYPE_NAMES[self.dtype]
        return self.to(dtype)

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor with ``other``'s dtype and device (torch's type_as)."""
        return self.to(other)

    def float(self) -> Tensor:
        return self.to(_C.float32)

    def double(self) -> Tensor:
        return self.to(_C.float64)

    def long(self) -> Tensor:
        return self.to(_C.int64)

    def int(self) -> Tensor:
        return self.to(_C.int32)

    def short(self) -> Tensor:
        return self.to(_C.int16)

    def char(self) -> Tensor:
        return self.to(_C.int8)

    def byte(self) -> Tensor:
        return self.to(_C.uint8)

    def bool(self) -> Tensor:
        return self.to(_C.bool)

    def numpy(self, *, force: builtins.bool = False) -> np.ndarray:
        """A numpy array sharing this tensor's memory."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._numpy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        arr = self.detach()._numpy()  # TypeError for CUDA tensors, as torch
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def tolist(self) -> Any:
        """Nested Python lists of Python numbers (a number for a 0-d tensor)."""
        return self._tolist()

    def item(self) -> Number:
        """The value of a one-element tensor as a Python number."""
        return self._item()

    def __len__(self) -> int:
        sizes = self._sizes
        if not sizes:
            raise TypeError("len() of a 0-d tensor")
        return sizes[0]

    def __iter__(self) -> Iterator[Tensor]:
        sizes = self._sizes
        if not sizes:
            raise TypeError("iteration over a 0-d tensor")
        return iter([_C.select(self, 0, i) for i in range(sizes[0])])

    def __bool__(self) -> builtins.bool:
        n = self.numel()
        if n != 1:
            raise RuntimeError("Boolean value of Tensor with "
                               f"{'no values' if n == 0 else 'more than one value'} is ambiguous")
        return builtins.bool(self._item())

    def __float__(self) -> float:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self._item())

    def __int__(self) -> int:
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.int(self._item())

    def __invert__(self) -> Tensor:
        if self.dtype.is_floating_point:
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return _C.bitwise_not(self)

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self._item())

    def __complex__(self) -> complex:
        return complex(self._item())

    def __repr__(self, *, tensor_contents: Any = None) -> str:
        return format_tensor(self)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        if self.dim() == 0 and spec:
            return self.item().__format__(spec)
        return format_tensor(self)

    def __reduce_ex__(self, protocol: int) -> Any:
        d = self._device_str
        values = host_numpy(self.detach()).copy()
        if d == "cpu":
            return (_rebuild_tensor, (values, self.requires_grad))
        return (_rebuild_tensor, (values, self.requires_grad, d))

    def __deepcopy__(self, memo: dict) -> Tensor:
        out = _C.clone(self)
        if self.requires_grad:
            out.requires_grad_(True)
        memo[id(self)] = out
        return out

    # Indexing (__getitem__, __setitem__) and masked_fill are bound in C++ (bind_index.cpp).


_CUDA = device("cuda")

_TO_SIGNATURES = (
    "\n * (pytensor.device device = None, pytensor.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, pytensor.memory_format memory_format = None)"
    "\n * (pytensor.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "pytensor.memory_format memory_format = None)"
    "\n * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "pytensor.memory_format memory_format = None)")


def _to_error(args: tuple, kwargs: dict) -> TypeError:
    got = [type(a).__name__ if not isinstance(a, dtype) else "pytensor.dtype" for a in args]
    got += [f"{k}={type(v).__name__}" for k, v in kwargs.items()]
    return TypeError(f"to() received an invalid combination of arguments - got ({', '.join(got)}), "
                     f"but expected one of:{_TO_SIGNATURES}")


def _is_device_like(a: Any) -> builtins.bool:
    if isinstance(a, (str, device)):
        return True
    return isinstance(a, builtins.int) and not isinstance(a, builtins.bool)


def _parse_to(args: tuple, kwargs: dict) -> Tuple[Optional[device], Optional[dtype], builtins.bool]:
    """(device or None, dtype or None, copy) from torch's three ``Tensor.to`` signatures."""
    names = ("device", "dtype", "non_blocking", "copy", "memory_format", "tensor")
    for k in kwargs:
        if k not in names:
            raise _to_error(args, kwargs)
    dev = kwargs.get("device")
    dt = kwargs.get("dtype")
    other = kwargs.get("tensor")
    flags = list(args)
    if flags:
        first = flags[0]
        if isinstance(first, dtype):  # (dtype, non_blocking, copy)
            if "dtype" in kwargs or "device" in kwargs:
                raise _to_error(args, kwargs)
            dt = flags.pop(0)
        elif isinstance(first, Tensor):  # (tensor, non_blocking, copy)
            other = flags.pop(0)
        elif first is None or _is_device_like(first):  # (device, dtype, non_blocking, copy)
            if "device" in kwargs:
                raise _to_error(args, kwargs)
            dev = flags.pop(0)
            if flags and (flags[0] is None or isinstance(flags[0], dtype)):
                if "dtype" in kwargs:
                    raise _to_error(args, kwargs)
                dt = flags.pop(0)
        else:
            raise _to_error(args, kwargs)
    if len(flags) > 2 or not all(isinstance(f, builtins.bool) for f in flags):
        raise _to_error(args, kwargs)
    copy = flags[1] if len(flags) == 2 else kwargs.get("copy", False)
    if other is not None:
        if not isinstance(other, Tensor) or dev is not None or dt is not None:
            raise _to_error(args, kwargs)
        dev, dt = as_device(other._device_str), other.dtype
    if dt is not None and not isinstance(dt, dtype):
        raise _to_error(args, kwargs)
    return (None if dev is None else as_device(dev)), dt, builtins.bool(copy)


_TYPE_NAMES = {
    _C.float32: "FloatTensor", _C.float64: "DoubleTensor", _C.int64: "LongTensor",
    _C.int32: "IntTensor", _C.int16: "ShortTensor", _C.int8: "CharTensor",
    _C.uint8: "ByteTensor", _C.bool: "BoolTensor",
}


def _rebuild_tensor(arr: np.ndarray, requires_grad: builtins.bool, device: str = "cpu") -> Tensor:
    t = _C.clone(_C.from_numpy(arr)) if device == "cpu" else to_device(_C.from_numpy(arr), device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def _scalar_arg(x: Any) -> Any:
    return x.item() if isinstance(x, Tensor) else x


# ---- functions shared by the methods above and the pytensor namespace --------------------------

def clamp(input: Tensor, min: Optional[Union[Number, Tensor]] = None,
          max: Optional[Union[Number, Tensor]] = None) -> Tensor:
    """Limits every element to [min, max]; NaN stays NaN."""
    if isinstance(min, Tensor) and min.dim() > 0 or isinstance(max, Tensor) and max.dim() > 0:
        out = input
        if min is not None:
            out = _C.maximum(out, min)
        if max is not None:
            out = _C.minimum(out, max)
        return out
    return _C.clamp(input, _scalar_arg(min), _scalar_arg(max))


def add(input: Union[Tensor, Number], other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
    """``input + alpha * other`` with broadcasting and type promotion."""
    return _C.add(input, other if alpha == 1 else other * alpha)


def sub(input: Union[Tensor, Number], other: Union[Tensor, Number], *, alpha: Number = 1) -> Tensor:
    """``input - alpha * other`` with broadcasting and type promotion."""
    return _C.sub(input, other if alpha == 1 else other * alpha)


def div(input: Union[Tensor, Number], other: Union[Tensor, Number], *,
        rounding_mode: Optional[str] = None) -> Tensor:
    """True division, or rounded with ``rounding_mode`` 'trunc' or 'floor'."""
    if rounding_mode is None:
        return _C.div(input, other)
    if rounding_mode == "floor":
        return _C.floor_divide(input, other)
    if rounding_mode == "trunc":
        q = _C.div(input, other)
        dt = _C.result_type(input, other)
        return _C.to_dtype(_C.trunc(q), dt, False) if not dt.is_floating_point else _C.trunc(q)
    raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                       f"'{rounding_mode}'")


def split(tensor: Tensor, split_size_or_sections: Union[int, Sequence[int]], dim: int = 0) -> Tuple[Tensor, ...]:
    """Splits ``tensor`` along ``dim`` into views."""
    size = tensor.size(dim)
    if isinstance(split_size_or_sections, (list, tuple)):
        if sum(split_size_or_sections) != size:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} (input "
                               f"tensor's size at dimension {dim}), but got split_sizes="
                               f"{list(split_size_or_sections)}")
        return _record_views("split_with_sizes", tensor, list(split_size_or_sections), dim)
    step = split_size_or_sections
    if step <= 0 and size > 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
    sizes = [min(step, size - s) for s in range(0, size, step)] if size else [0]
    return _record_views("split", tensor, sizes, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> Tuple[Tensor, ...]:
    """Splits into ``chunks`` views of (nearly) equal size along ``dim``."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    size = input.size(dim)
    step = max(1, -(-size // chunks))
    return split(input, step, dim)


def unbind(input: Tensor, dim: int = 0) -> Tuple[Tensor, ...]:
    """The slices along ``dim``, each with that dim removed."""
    if input.dim() == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    input.size(dim)  # IndexError for a bad dim, as torch
    return _record_views("unbind", input, dim)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims (elements with ``col - row <= diagonal``); the rest
    are zero."""
    return _record_views("tril", input, diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims (``col - row >= diagonal``); the rest are zero."""
    return _record_views("triu", input, diagonal)


def flip(input: Tensor, *dims: Union[int, Sequence[int]]) -> Tensor:
    """A copy with the order of elements reversed along each of ``dims``."""
    d = list(dims[0]) if len(dims) == 1 and isinstance(dims[0], (list, tuple)) else list(dims)
    return _record_views("flip", input, _unique_dims(input, d))


def roll(input: Tensor, shifts: Union[int, Sequence[int]], dims: Union[int, Sequence[int], None] = None) -> Tensor:
    """Elements shifted along ``dims`` (cyclically); with no dims, along the flattened tensor."""
    s = list(shifts) if isinstance(shifts, (list, tuple)) else [shifts]
    d = [] if dims is None else list(dims) if isinstance(dims, (list, tuple)) else [dims]
    if not s:
        raise RuntimeError("`shifts` required")
    if not d and len(s) == 1:
        return _record_views("roll", input, s, d)
    if len(s) != len(d):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, dims:{len(d)}")
    for k in d:
        input.size(k)  # IndexError for a bad dim, as torch
    return _record_views("roll", input, s, d)


def _unique_dims(x: Tensor, dims: List[int]) -> List[int]:
    nd = max(x.dim(), 1)
    out = []
    for k in dims:
        if x.dim():
            x.size(k)  # IndexError for a bad dim, as torch
        w = k % nd
        if w in out:
            raise RuntimeError(f"dim {w} appears multiple times in the list of dims")
        out.append(w)
    return out


def _arange_like(x: Tensor, start: int, end: int, step: int = 1) -> Tensor:
    return _C.arange(start, end, step, _C.int64, x._device_str)


def _triangle(x: Tensor, diagonal: int, lower: builtins.bool) -> Tensor:
    name = "tril" if lower else "triu"
    if x.dim() < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    rows, cols = x.shape[-2], x.shape[-1]
    offset = _C.sub(_C.unsqueeze(_arange_like(x, 0, cols), 0), _C.unsqueeze(_arange_like(x, 0, rows), 1))
    keep = _C.le(offset, diagonal) if lower else _C.ge(offset, diagonal)
    return _C.where(keep, x, _C.full((), 0, x.dtype, x._device_str))


def tril_values(x: Tensor, diagonal: int) -> Tensor:
    """``tril``'s forward."""
    return _triangle(x, diagonal, True)


def triu_values(x: Tensor, diagonal: int) -> Tensor:
    """``triu``'s forward."""
    return _triangle(x, diagonal, False)


def flip_values(x: Tensor, dims: List[int]) -> Tensor:
    """``flip``'s forward: one reversed gather per dim (a copy even for no dims, as torch)."""
    out = _C.clone(x)
    for d in dims:
        n = x.shape[d]
        out = _C.index_select(out, d, _arange_like(x, n - 1, -1, -1))
    return out


def roll_values(x: Tensor, shifts: List[int], dims: List[int]) -> Tensor:
    """``roll``'s forward: out[i] = x[(i - shift) mod n] along each dim, one gather each."""
    if not dims:
        return _C.reshape(roll_values(_C.reshape(x, [-1]), shifts, [0]), list(x.shape))
    out = x
    for s, d in zip(shifts, dims):
        n = x.shape[d]
        if n == 0:
            continue
        index = _C.remainder(_C.sub(_arange_like(x, 0, n), s % n), n)
        out = _C.index_select(out, d, index)
    return out if out is not x else _C.clone(x)


def split_views(x: Tensor, sizes: List[int], dim: int) -> Tuple[Tensor, ...]:
    """The views of ``split``: consecutive narrows of the given sizes."""
    out, start = [], 0
    for s in sizes:
        out.append(_C.narrow(x, dim, start, s))
        start += s
    return tuple(out)


def unbind_views(x: Tensor, dim: int) -> Tuple[Tensor, ...]:
    """The views of ``unbind``: every index along ``dim``."""
    return tuple(_C.select(x, dim, i) for i in range(x.size(dim)))


_VIEWS_OF = {"split": split_views, "split_with_sizes": split_views, "unbind": unbind_views,
             "tril": tril_values, "triu": triu_values, "flip": flip_values, "roll": roll_values}


def _record_views(op: str, x: Tensor, *args: Any) -> Any:
    """Ops written here from other ops (split/unbind views, tril, flip, ...): when autograd tracks
    ``x`` they record one node of torch's name (SplitBackward0, TrilBackward0, ... in
    autograd/formulas.py) instead of the nodes of their parts."""
    if x._requires_grad and _C.is_grad_enabled():
        from .autograd.graph import call  # noqa: PLC0415 - autograd imports this module

        return call(op, x, *args)
    return _VIEWS_OF[op](x, *args)


def detach(input: Tensor) -> Tensor:
    """A new tensor sharing ``input``'s storage, outside any autograd graph."""
    return input.detach()


def can_cast(from_: dtype, to: dtype) -> builtins.bool:
    """Whether torch's casting rules allow an in-place op to store ``from_`` into ``to``."""
    if from_.is_floating_point and not to.is_floating_point:
        return False
    return from_ == _C.bool or to != _C.bool


def equal(input: Tensor, other: Tensor) -> builtins.bool:
    if input._sizes != other._sizes:
        return False
    return builtins.bool(_C.eq(input, other).all().item()) if input.numel() else True


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: builtins.bool = False) -> Tensor:
    """Elementwise |input - other| <= atol + rtol * |other|; infinities are close only to
    themselves."""
    diff = _C.abs(_C.sub(input, other))
    close = _C.logical_and(_C.le(diff, atol + rtol * _C.abs(other)), _C.isfinite(diff))
    close = _C.logical_or(close, _C.eq(input, other))
    if equal_nan:
        close = _C.logical_or(close, _C.logical_and(_C.isnan(input), _C.isnan(other)))
    return close


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: builtins.bool = False) -> builtins.bool:
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan).all().item())


def _install() -> None:
    for name, value in vars(_TensorMethods).items():
        if name in ("__dict__", "__weakref__", "__module__", "__qualname__", "__doc__"):
            continue
        setattr(Tensor, name, value)
    Tensor.__module__ = "pytensor"


from . import _indexing  # noqa: E402, F401  (installs indexing; needs the helpers above)
from ._shape_ops import TENSOR_METHODS as _SHAPE_METHODS  # noqa: E402  (diagonal, repeat, tile ...)

_install()
for _name, _fn in _SHAPE_METHODS.items():
    setattr(Tensor, _name, _fn)
