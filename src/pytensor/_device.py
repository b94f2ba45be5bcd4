"""``pytensor.device``: where a tensor lives (``cpu``, or ``cuda:N`` when built with CUDA)."""

from __future__ import annotations

from typing import Any, Optional, Union

_TYPES = ("cpu", "cuda")


class device:
    """A device type and optional index, as ``torch.device``."""

    __slots__ = ("type", "index")

    def __init__(self, type: Union[str, "device"], index: Optional[int] = None) -> None:
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type!r})")
        name, _, idx = type.partition(":")
        if name not in _TYPES:
            raise RuntimeError(
                "Expected one of cpu, cuda device type at start of device string: " + type)
        if idx:
            if index is not None:
                raise RuntimeError("type (string) must not include an index because index was passed explicitly: " + type)
            if not idx.isdigit():
                raise RuntimeError("Invalid device string: '" + type + "'")
            index = int(idx)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative")
        self.type = name
        self.index = index

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __eq__(self, other: Any) -> bool:
        # As torch, a device never equals a string: ``t.device == 'cpu'`` is False.
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def as_device(d: Any) -> device:
    """Normalizes a ``device``/str/None argument (None means cpu)."""
    if d is None:
        return device("cpu")
    if isinstance(d, device):
        return d
    if isinstance(d, int):
        return device("cuda", d)
    return device(d)
