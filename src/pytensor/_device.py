"""``pytensor.device``: where a tensor lives (``cpu``, or ``cuda:N`` when built with CUDA)."""

from __future__ import annotations

import builtins
from typing import Any, Optional, Union

from . import _C

_TYPES = ("cpu", "cuda")


def _bad_type(name: str) -> RuntimeError:
    return RuntimeError("Expected one of cpu, cuda device type at start of device string: " + name)


class device:
    """A device type and optional index, as ``torch.device``: ``device('cuda:1')``,
    ``device('cuda', 1)``, ``device('cpu')``; an int means that CUDA device."""

    __slots__ = ("type", "index")

    def __init__(self, type: Union[str, "device", int], index: Optional[int] = None) -> None:
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int) and not isinstance(type, builtins.bool) and index is None:
            if type < 0:
                raise RuntimeError("Device index must not be negative")
            if _C._cuda_device_count() == 0:
                raise RuntimeError("Cannot access accelerator device when none is available.")
            self.type, self.index = "cuda", type
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({builtins.type(type).__name__}), but expected one of:\n"
                            " * (pytensor.device device)\n * (str type, int index = -1)")
        if index is not None and (not isinstance(index, int) or isinstance(index, builtins.bool)):
            raise TypeError(f"device(): argument 'index' (position 2) must be int, not "
                            f"{builtins.type(index).__name__}")
        name, colon, idx = type.partition(":")
        if colon:
            # torch: digits only, no sign, no leading zero, no second colon.
            if not idx.isdigit() or not idx.isascii() or (len(idx) > 1 and idx[0] == "0"):
                raise RuntimeError("Invalid device string: '" + type + "'")
        if name not in _TYPES:
            if not name.isalpha():
                raise RuntimeError("Invalid device string: '" + type + "'")
            raise _bad_type(type)
        if colon:
            if index is not None:
                raise RuntimeError("type (string) must not include an index because index was "
                                   "passed explicitly: " + type)
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type = name
        self.index = index

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __eq__(self, other: Any) -> builtins.bool:
        # As torch, a device never equals a string: ``t.device == 'cpu'`` is False.
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self) -> Any:
        return (device, (self.type, self.index))


_CPU = device("cpu")


def as_device(d: Any) -> device:
    """Normalizes a ``device``/str/int/None argument (None means cpu)."""
    if d is None:
        return _CPU
    if isinstance(d, device):
        return d
    return device(d)


# ---- device-following allocation for library code -----------------------------------------------
# Library code that makes a tensor to combine with an existing one (gradient buffers, optimizer
# state, loss constants) must put it on that tensor's device.

def full_on(like: Any, sizes: Any, value: Any, dtype: Any) -> Any:
    """``_C.full(sizes, value, dtype)`` on ``like``'s device."""
    return _C.full(sizes, value, dtype, like._device_str)


def empty_on(like: Any, sizes: Any, dtype: Any) -> Any:
    """``_C.empty(sizes, dtype)`` on ``like``'s device."""
    return _C.empty(sizes, dtype, like._device_str)


def to_device(t: Any, dev: Any, dtype: Any = None, copy: builtins.bool = False) -> Any:
    """``t`` on device ``dev`` (a str/device) and ``dtype`` (None keeps it); ``t`` itself when
    nothing changes and ``copy`` is False. Recorded by autograd (ToCopyBackward0)."""
    return _C.to_device(t, str(dev), dtype, copy)


def host(t: Any) -> Any:
    """``t`` itself when on the CPU, else a CPU copy (for code that reads values on the host)."""
    return t if t._device_str == "cpu" else to_device(t, "cpu")


def host_numpy(t: Any) -> Any:
    """A numpy view of a CPU tensor, or of a host copy of a CUDA tensor."""
    try:
        return t._numpy()
    except TypeError:  # not host memory; the CPU path above costs nothing extra
        return to_device(t, "cpu")._numpy()
