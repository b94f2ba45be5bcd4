"""Tensor factories: ``tensor``, ``zeros``, ``arange``, ... with torch's signatures and dtype rules."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _C
from ._C import Tensor, dtype
from ._device import as_device, to_device

SizeLike = Union[int, Sequence[int]]

__all__ = [
    "tensor", "as_tensor", "from_numpy", "empty", "zeros", "ones", "full", "arange", "linspace",
    "eye", "empty_like", "zeros_like", "ones_like", "full_like", "empty_strided", "scalar_tensor",
]

from_numpy = _C.from_numpy


def _parse_size(size: tuple, fn: str = "size") -> tuple:
    """Accepts sizes as varargs (2, 3), one tuple/list/Size ((2, 3)), or nothing."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, builtins.bool) or not hasattr(s, "__index__"):
            raise TypeError(f"{fn}(): argument 'size' must be tuple of ints, but found element of type "
                            f"{type(s).__name__} at pos {len(out)}")
        out.append(s.__index__())
    return tuple(out)


def _dev(device: Any) -> Optional[str]:
    """The ``device`` argument for a ``_C`` factory (passed positionally: None, the CPU, costs
    nothing): None for the CPU, else the device's name; the core raises when CUDA is unavailable
    or the index is out of range. Bad device strings raise here, as torch's parser does."""
    if device is None:
        return None
    d = as_device(device)
    return None if d.type == "cpu" else str(d)


def _like_dev(input: Tensor, device: Any) -> Optional[str]:
    """``_dev`` for ``*_like``: the input's device unless ``device`` is given."""
    return input._device_str if device is None else _dev(device)


def _finish(t: Tensor, requires_grad: builtins.bool) -> Tensor:
    if requires_grad:
        t.requires_grad_(True)
    return t


def _numpy_dtype(d: dtype) -> np.dtype:
    return np.dtype(d._name)


def _infer_dtype(arr: np.ndarray, from_python: builtins.bool) -> dtype:
    """torch's inference: Python floats -> default dtype, ints -> int64, bools -> bool."""
    if arr.dtype == object:
        raise RuntimeError("Could not infer dtype of " + (type(arr.flat[0]).__name__ if arr.size else "object"))
    if from_python:
        if arr.dtype.kind == "f":
            return _C.get_default_dtype()
        if arr.dtype.kind in "iu":
            return _C.int64
    return _C._numpy_dtype_to_dtype(arr.dtype)


def _first_leaf(data: Any) -> Any:
    while isinstance(data, (list, tuple)) and len(data) > 0:
        data = data[0]
    return data


def _walk_dtype(obj: Any) -> Optional[dtype]:
    """torch's inference for data holding numpy scalars, arrays or tensors: every element keeps
    its own dtype (Python floats the default dtype) and the results are promoted together."""
    if isinstance(obj, Tensor):
        return obj.dtype
    if isinstance(obj, (np.ndarray, np.generic)):
        return _C._numpy_dtype_to_dtype(obj.dtype)
    if isinstance(obj, builtins.bool):
        return _C.bool
    if isinstance(obj, int):
        return _C.int64
    if isinstance(obj, float):
        return _C.get_default_dtype()
    if isinstance(obj, (list, tuple)):
        out = None
        for item in obj:
            d = _walk_dtype(item)
            out = d if out is None else _C.promote_types(out, d)
        return out
    return None


def tensor(data: Any, dtype: Optional[dtype] = None, device: Any = None,
           requires_grad: builtins.bool = False, pin_memory: builtins.bool = False) -> Tensor:
    """Copies ``data`` (a number, nested sequence, numpy array or tensor) into a new tensor on
    ``device`` (default: the CPU, or the device of a tensor ``data``)."""
    if dtype is not None and not isinstance(dtype, _C.dtype):
        raise TypeError(f"tensor(): argument 'dtype' must be pytensor.dtype, not {type(dtype).__name__}")
    if isinstance(data, Tensor):
        src = data.detach()
        if device is not None:
            out = to_device(src, as_device(device), dtype, True)
        else:
            out = _C.to_dtype(src, dtype if dtype is not None else src.dtype, True)
        return _finish(out, requires_grad)
    from_python = not isinstance(data, (np.ndarray, np.generic))
    if dtype is None and isinstance(_first_leaf(data), (Tensor, np.ndarray, np.generic)):
        # Only then is a Python-level walk needed; plain nested lists of numbers skip it.
        dtype = _walk_dtype(data)
    try:
        arr = np.asarray(data)
    except ValueError as e:
        raise ValueError(f"expected sequence of equal lengths: {e}") from None
    if arr.dtype.kind == "U" or arr.dtype.kind == "S":
        raise TypeError(f"new(): invalid data type '{'str' if arr.dtype.kind == 'U' else 'bytes'}'")
    target = dtype if dtype is not None else _infer_dtype(arr, from_python)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"can't convert np.ndarray of type {arr.dtype}")
    arr = np.asarray(arr, dtype=_numpy_dtype(target))
    if any(s < 0 for s in arr.strides):
        arr = arr.copy()
    host = _C.from_numpy(arr)
    # A CUDA target takes one host-to-device copy of the converted array; the CPU one a clone.
    out = _C.clone(host) if device is None or as_device(device).type == "cpu" else \
        to_device(host, as_device(device), None, True)
    return _finish(out, requires_grad)


def as_tensor(data: Any, dtype: Optional[dtype] = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a tensor or numpy array when no conversion (of
    dtype or device) is needed."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if isinstance(data, np.ndarray):
        return from_numpy(data).to(device=device, dtype=dtype)
    return tensor(data, dtype=dtype, device=device)


def _float_or(dtype_arg: Optional[dtype]) -> dtype:
    return dtype_arg if dtype_arg is not None else _C.get_default_dtype()


def empty(*size: SizeLike, dtype: Optional[dtype] = None, device: Any = None,
          requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """An uninitialized tensor of the given size."""
    return _finish(_C.empty(_parse_size(size, "empty"), _float_or(dtype), _dev(device)),
                   requires_grad)


def empty_strided(size: SizeLike, stride: SizeLike, dtype: Optional[dtype] = None, device: Any = None,
                  requires_grad: builtins.bool = False) -> Tensor:
    """An uninitialized tensor with explicit strides."""
    return _finish(_C.empty_strided(tuple(size), tuple(stride), _float_or(dtype),
                                    _dev(device)), requires_grad)


def full(size: SizeLike, fill_value: Union[int, float, builtins.bool], *, dtype: Optional[dtype] = None,
         device: Any = None, requires_grad: builtins.bool = False) -> Tensor:
    """A tensor filled with ``fill_value``; the dtype follows the value as in torch."""
    if dtype is None:
        if isinstance(fill_value, builtins.bool):
            dtype = _C.bool
        elif isinstance(fill_value, int):
            dtype = _C.int64
        else:
            dtype = _C.get_default_dtype()
    return _finish(_C.full(_parse_size((size,), "full"), fill_value, dtype, _dev(device)),
                   requires_grad)


def zeros(*size: SizeLike, dtype: Optional[dtype] = None, device: Any = None,
          requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """A tensor of zeros."""
    return _finish(_C.full(_parse_size(size, "zeros"), 0, _float_or(dtype), _dev(device)),
                   requires_grad)


def ones(*size: SizeLike, dtype: Optional[dtype] = None, device: Any = None,
         requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """A tensor of ones."""
    return _finish(_C.full(_parse_size(size, "ones"), 1, _float_or(dtype), _dev(device)),
                   requires_grad)


def scalar_tensor(s: Union[int, float, builtins.bool], dtype: Optional[dtype] = None, device: Any = None,
                  requires_grad: builtins.bool = False) -> Tensor:
    """A 0-d tensor holding ``s`` (default float dtype unless given)."""
    return _finish(_C.full((), s, _float_or(dtype), _dev(device)), requires_grad)


def _like(input: Tensor, dtype: Optional[dtype]) -> dtype:
    return dtype if dtype is not None else input.dtype


def empty_like(input: Tensor, *, dtype: Optional[dtype] = None, device: Any = None,
               requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """An uninitialized tensor with ``input``'s shape, dtype and device."""
    return _finish(_C.empty(input._sizes, _like(input, dtype), _like_dev(input, device)),
                   requires_grad)


def zeros_like(input: Tensor, *, dtype: Optional[dtype] = None, device: Any = None,
               requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """Zeros with ``input``'s shape, dtype and device."""
    return _finish(_C.full(input._sizes, 0, _like(input, dtype), _like_dev(input, device)),
                   requires_grad)


def ones_like(input: Tensor, *, dtype: Optional[dtype] = None, device: Any = None,
              requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """Ones with ``input``'s shape, dtype and device."""
    return _finish(_C.full(input._sizes, 1, _like(input, dtype), _like_dev(input, device)),
                   requires_grad)


def full_like(input: Tensor, fill_value: Union[int, float, builtins.bool], *,
              dtype: Optional[dtype] = None, device: Any = None,
              requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """``fill_value`` with ``input``'s shape, dtype and device."""
    return _finish(_C.full(input._sizes, fill_value, _like(input, dtype),
                           _like_dev(input, device)), requires_grad)


def _is_float_number(x: Any) -> builtins.bool:
    return isinstance(x, float) or (isinstance(x, Tensor) and x.dtype.is_floating_point)


def _number(x: Any) -> Union[int, float]:
    return x.item() if isinstance(x, Tensor) else x


def arange(start: Union[int, float] = 0, end: Optional[Union[int, float]] = None,
           step: Union[int, float] = 1, *, dtype: Optional[dtype] = None, device: Any = None,
           requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    if dtype is None:
        dtype = (_C.get_default_dtype() if any(isinstance(v, float) for v in (start, end, step))
                 else _C.int64)
    return _finish(_C.arange(start, end, step, dtype, _dev(device)), requires_grad)


def linspace(start: Union[int, float], end: Union[int, float], steps: int, *,
             dtype: Optional[dtype] = None, device: Any = None,
             requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    if not isinstance(steps, int) or isinstance(steps, builtins.bool):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    return _finish(_C.linspace(float(_number(start)), float(_number(end)), steps, _float_or(dtype),
                               _dev(device)), requires_grad)


def eye(n: int, m: Optional[int] = None, *, dtype: Optional[dtype] = None, device: Any = None,
        requires_grad: builtins.bool = False, **_: Any) -> Tensor:
    """The ``n`` x ``m`` identity matrix."""
    return _finish(_C.eye(n, n if m is None else m, _float_or(dtype), _dev(device)),
                   requires_grad)
