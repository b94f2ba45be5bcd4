"""``pytensor.Size``: the shape of a tensor, a tuple subclass printed as torch prints it."""

from __future__ import annotations

from typing import Any

from ._printing import format_size


class Size(tuple):
    """The sizes of a tensor's dimensions; behaves as a tuple of ints."""

    __slots__ = ()

    def __new__(cls, sizes: Any = ()) -> "Size":
        items = tuple(sizes)
        for k, s in enumerate(items):
            if type(s) is not int:
                # As torch: anything with __index__ (numpy ints, 0-d int tensors, bools) is accepted.
                if isinstance(s, float) or not hasattr(s, "__index__"):
                    raise TypeError(f"pytensor.Size() takes an iterable of 'int' (item {k} is "
                                    f"'{type(s).__name__}')")
                items = items[:k] + tuple(v.__index__() for v in items[k:])
                break
        return tuple.__new__(cls, items)

    def __repr__(self) -> str:
        return format_size(self)

    __str__ = __repr__

    def __getitem__(self, key: Any) -> Any:
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other: Any) -> "Size":
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> "Size":
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n: Any) -> "Size":
        return Size(tuple(self) * n)

    __rmul__ = __mul__

    def numel(self) -> int:
        """Number of elements a tensor of this shape holds (1 for ``Size([])``)."""
        n = 1
        for d in self:
            n *= d
        return n
