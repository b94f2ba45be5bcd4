"""Shape, joining and diagonal functions: views (``diagonal``, ``broadcast_to``, ``moveaxis``,
``unflatten``, ``atleast_*`` ...) and the copies built from them (``diag``, ``trace``, ``tile``,
``repeat_interleave``, ``meshgrid``, ``hstack``, ``tensor_split``, ``block_diag``, ``vander`` ...).

Everything is composed of existing ``_C`` ops, so it runs on any device those ops run on and
autograd gets a gradient for free. Where torch records one node of its own name (TraceBackward0,
Rot90Backward0, RepeatBackward0, BlockDiagBackward0 ...), ``_record`` routes the call through the
autograd table (``autograd/formulas.py``), whose entries use the ``*_values`` forwards below."""

from __future__ import annotations

import builtins
import math
import warnings
from typing import Any, List, Optional, Sequence, Tuple, Union

from . import _C
from ._C import Tensor, dtype
from ._creation import _dev, _parse_size
from ._size import Size
from ._tensor import _wrap_dim, flip

__all__ = [
    "diagonal", "diag_embed", "diag", "diagflat", "trace", "broadcast_to", "broadcast_shapes",
    "broadcast_tensors", "swapaxes", "swapdims", "movedim", "moveaxis", "unflatten", "ravel",
    "narrow_copy", "atleast_1d", "atleast_2d", "atleast_3d", "tril_indices", "triu_indices",
    "rot90", "fliplr", "flipud", "tile", "repeat_interleave", "meshgrid", "hstack", "vstack",
    "dstack", "column_stack", "tensor_split", "hsplit", "vsplit", "dsplit", "block_diag",
    "cartesian_prod", "vander",
]

IntList = Union[int, Sequence[int]]

# torch's ScalarType names, as its "not implemented for 'Float'" messages print them.
_TORCH_NAMES = {_C.bool: "Bool", _C.uint8: "Byte", _C.int8: "Char", _C.int16: "Short",
                _C.int32: "Int", _C.int64: "Long", _C.float32: "Float", _C.float64: "Double"}
_INDEX_DTYPES = (_C.int32, _C.int64)


def _record(op: str, x: Tensor, *args: Any) -> Any:
    """Runs ``op``'s forward, as one autograd node of torch's name when ``x`` is tracked."""
    if x._requires_grad and _C.is_grad_enabled():
        from .autograd.graph import call  # noqa: PLC0415 - autograd imports this module

        return call(op, x, *args)
    return _FORWARD[op](x, *args)


def _tensor_list(tensors: tuple, fn: str) -> List[Tensor]:
    """Varargs or one list/tuple of tensors, as torch's ``TensorList`` arguments accept."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                            f"{type(t).__name__}")
    return list(tensors)


def _sequence_arg(tensors: Any, fn: str) -> List[Tensor]:
    """The one ``tensors`` argument of hstack/vstack/...: a list or tuple, never a Tensor."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    return _tensor_list(tuple(tensors), fn)


def _shape_str(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _ints(x: IntList) -> List[int]:
    return [int(v) for v in x] if isinstance(x, (list, tuple, Size)) else [int(x)]


# ---- diagonals ---------------------------------------------------------------------------------

def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of dims ``dim1`` and ``dim2`` (above it for ``offset > 0``) as a view: both dims
    are removed and the diagonal is the last dim."""
    return _C.diagonal(input, offset, dim1, dim2)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A tensor whose (``offset``) diagonals over new dims ``dim1``, ``dim2`` hold ``input``'s last
    dim; zeros elsewhere."""
    return _C.diag_embed(input, offset, dim1, dim2)


def diagonal_copy_values(x: Tensor, offset: int, dim1: int, dim2: int) -> Tensor:
    """``diag``'s forward for a matrix: the diagonal, copied."""
    return _C.clone(_C.diagonal(x, offset, dim1, dim2))


def diagonal_backward(g: Tensor, sizes: Sequence[int], offset: int, dim1: int, dim2: int) -> Tensor:
    """Zeros of ``sizes`` with ``g`` written on the diagonal that ``diagonal(offset, dim1, dim2)``
    reads: the gradient of ``diagonal`` (and of ``trace``)."""
    out = _C.full(tuple(sizes), 0, g.dtype, g._device_str)
    _C.copy_(_C.diagonal(out, offset, dim1, dim2), g)
    return out


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """For a vector, the square matrix with it on the ``diagonal``-th diagonal; for a matrix, a copy
    of its ``diagonal``-th diagonal."""
    nd = input.dim()
    if nd == 1:
        return _C.diag_embed(input, diagonal, 0, 1)
    if nd == 2:
        return _record("diagonal_copy", input, diagonal, 0, 1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """The flattened input on the ``offset``-th diagonal of a square matrix."""
    return _C.diag_embed(_C.reshape(input, (-1,)), offset, 0, 1)


def trace_values(x: Tensor) -> Tensor:
    """``trace``'s forward: the main diagonal's sum (integers sum as int64, as torch)."""
    return _C.sum(_C.diagonal(x, 0, 0, 1), None, False, None)


def trace(input: Tensor) -> Tensor:
    """The sum of a matrix's main diagonal."""
    if input.dim() != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.dim()}")
    if input.dtype == _C.bool:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return _record("trace", input)


def _tril_count(row: int, col: int, offset: int) -> int:
    """Elements with ``c - r <= offset`` in a row x col matrix: sum over rows i of
    clip(i + offset + 1, 0, col), summed in closed form."""
    def upto(x: int) -> int:  # sum of clip(j, 0, col) for j < x
        if x <= 0:
            return 0
        m = builtins.min(x, col + 1)
        return m * (m - 1) // 2 + builtins.max(0, x - col - 1) * col
    return upto(offset + 1 + row) - upto(offset + 1)


def _indices(row: int, col: int, offset: int, dtype: Optional[dtype], device: Any, lower: bool) -> Tensor:
    name = "tril_indices" if lower else "triu_indices"
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    dt = _C.int64 if dtype is None else dtype
    if dt not in _INDEX_DTYPES:
        raise NotImplementedError(f"\"{name}\" not implemented for '{_TORCH_NAMES[dt]}'")
    dev = _dev(device)
    # Row i holds columns [first_i, first_i + count_i): its row index comes from the segment ids of
    # the counts, its column from the position in the output minus where the row starts.
    i = _C.arange(0, row, 1, _C.int64, dev)
    if lower:
        total = _tril_count(row, col, offset)
        counts = _C.clamp(_C.add(i, offset + 1), 0, col)
        shift = _C.sub(_C.cumsum(counts, 0, None), counts)
    else:
        total = row * col - _tril_count(row, col, offset - 1)
        first = _C.clamp(_C.add(i, offset), 0, col)
        counts = _C.add(_C.neg(first), col)
        shift = _C.sub(_C.sub(_C.cumsum(counts, 0, None), counts), first)
    rows = _segment_ids(_C.cumsum(counts, 0, None), total)
    cols = _C.sub(_C.arange(0, total, 1, _C.int64, dev), _C.index_select(shift, 0, rows))
    out = _C.stack([rows, cols], 0)
    return out if dt == _C.int64 else _C.to_dtype(out, dt, False)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Optional[dtype] = None,
                 device: Any = None, layout: Any = None) -> Tensor:
    """The (2, N) indices of the lower triangle (``col - row <= offset``) of a row x col matrix,
    row by row."""
    return _indices(row, col, offset, dtype, device, True)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Optional[dtype] = None,
                 device: Any = None, layout: Any = None) -> Tensor:
    """The (2, N) indices of the upper triangle (``col - row >= offset``) of a row x col matrix,
    row by row."""
    return _indices(row, col, offset, dtype, device, False)


# ---- broadcasting ------------------------------------------------------------------------------

def broadcast_to(input: Tensor, size: Sequence[int]) -> Tensor:
    """``input`` expanded to ``size`` (a view; -1 keeps a dim)."""
    return _C.expand(input, _parse_size((size,), "broadcast_to"))


def broadcast_shapes(*shapes: Union[int, Sequence[int]]) -> Size:
    """The shape that tensors of ``shapes`` broadcast to."""
    shapes_ = [(s,) if isinstance(s, int) else tuple(s) for s in shapes]
    out: List[int] = [1] * builtins.max((len(s) for s in shapes_), default=0)
    for i, s in enumerate(shapes_):
        for k in range(-1, -len(s) - 1, -1):
            n = s[k]
            if n < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
            if n == 1 or n == out[k]:
                continue
            if out[k] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {k}! Mismatching "
                                   f"argument at index {i} had {s}; but expected shape should be "
                                   f"broadcastable to {_shape_str(out)}")
            out[k] = n
    return Size(out)


def _broadcast_pair(a: Tuple[int, ...], b: Tuple[int, ...]) -> Tuple[int, ...]:
    n = builtins.max(len(a), len(b))
    out = []
    for i in range(n):
        da = a[i - n + len(a)] if i >= n - len(a) else 1
        db = b[i - n + len(b)] if i >= n - len(b) else 1
        if da != db and da != 1 and db != 1:
            raise RuntimeError(f"The size of tensor a ({da}) must match the size of tensor b ({db}) at "
                               f"non-singleton dimension {i}")
        out.append(db if da == 1 else da)
    return tuple(out)


def broadcast_tensors(*tensors: Tensor) -> Tuple[Tensor, ...]:
    """Views of ``tensors`` expanded to their common broadcast shape (a tensor already of that
    shape is returned as is, as torch)."""
    ts = _tensor_list(tensors, "broadcast_tensors")
    shape: Tuple[int, ...] = ()
    for t in ts:
        shape = _broadcast_pair(shape, t._sizes)
    return tuple(t if t._sizes == shape else _C.expand(t, shape) for t in ts)


# ---- dims --------------------------------------------------------------------------------------

def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """``transpose`` under numpy's name."""
    return _C.transpose(input, axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """``transpose`` under another name."""
    return _C.transpose(input, dim0, dim1)


def movedim(input: Tensor, source: IntList, destination: IntList) -> Tensor:
    """A view with dims ``source`` moved to positions ``destination``; the other dims keep their
    order."""
    if isinstance(source, int) and isinstance(destination, int):
        return _C.movedim(input, source, destination)
    src, dst = _ints(source), _ints(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) should "
                           f"contain the same number of dims as destination ({dst} dims)")
    n = input.dim()
    ws = [_wrap_dim(d, n) for d in src]
    wd = [_wrap_dim(d, n) for d in dst]
    if len(set(ws)) != len(ws):
        raise RuntimeError(f"movedim: repeated dim in `source` ({src})")
    if len(set(wd)) != len(wd):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({dst})")
    if n == 0:
        return _C.movedim(input, 0, 0)
    order = [-1] * n
    for s, d in zip(ws, wd):
        order[d] = s
    rest = iter(d for d in range(n) if d not in ws)
    order = [o if o >= 0 else next(rest) for o in order]
    return _C.permute(input, order)


moveaxis = movedim


def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """A view with dim ``dim`` split into ``sizes`` (one may be -1)."""
    if input.dim() == 0:
        raise RuntimeError("unflatten got an unexpected error:\nDimension specified as 0 but tensor has "
                           "no dimensions")
    shape = list(input._sizes)
    d = _wrap_dim(dim, len(shape))
    sizes = _ints(sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    inferred = sizes.count(-1)
    if inferred > 1:
        raise RuntimeError("unflatten got an unexpected error:\nonly one dimension can be inferred")
    known = math.prod(s for s in sizes if s != -1)
    fits = known == shape[d] if not inferred else (shape[d] % known == 0 if known else shape[d] == 0)
    if not fits:
        raise RuntimeError(f"unflatten: Provided sizes {_shape_str(sizes)} don't multiply up to the size "
                           f"of dim {dim} ({shape[d]}) in the input tensor")
    return _C.view(input, shape[:d] + sizes + shape[d + 1:])


def ravel(input: Tensor) -> Tensor:
    """The elements as a 1-D tensor: a view of a contiguous input, else a copy."""
    return _C.view(_C.contiguous(input), (-1,))


def narrow_copy_values(x: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``narrow_copy``'s forward."""
    return _C.clone(_C.narrow(x, dim, start, length))


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``narrow`` that returns a copy instead of a view."""
    return _record("narrow_copy", input, dim, int(start), int(length))


def _atleast(tensors: tuple, nd: int) -> Union[Tensor, Tuple[Tensor, ...]]:
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return _atleast_one(tensors[0], nd)
    return tuple(_atleast_one(t, nd) for t in _tensor_list(tensors, f"atleast_{nd}d"))


def _atleast_one(t: Tensor, nd: int) -> Tensor:
    k = t.dim()
    if k >= nd:
        return t
    if k == 0:
        return _C.reshape(t, (1,) * nd)
    if k == 1 and nd == 3:
        return _C.unsqueeze(_C.unsqueeze(t, 0), -1)
    return _C.unsqueeze(t, 0 if k == 1 else -1)


def atleast_1d(*tensors: Tensor) -> Union[Tensor, Tuple[Tensor, ...]]:
    """Each tensor as is if it has a dim, else reshaped to (1,) (a view)."""
    return _atleast(tensors, 1)


def atleast_2d(*tensors: Tensor) -> Union[Tensor, Tuple[Tensor, ...]]:
    """Each tensor with at least 2 dims: a vector (n,) becomes (1, n) (a view)."""
    return _atleast(tensors, 2)


def atleast_3d(*tensors: Tensor) -> Union[Tensor, Tuple[Tensor, ...]]:
    """Each tensor with at least 3 dims: (n,) becomes (1, n, 1) and (m, n) becomes (m, n, 1)."""
    return _atleast(tensors, 3)


# ---- rotations and repeats ---------------------------------------------------------------------

def _reversed(x: Tensor, d: int) -> Tensor:
    """A copy of ``x`` with dim ``d`` in reverse order (one gather)."""
    n = x._sizes[d]
    return _C.index_select(x, d, _C.arange(n - 1, -1, -1, _C.int64, x._device_str))


def rot90_values(x: Tensor, k: int, dims: List[int]) -> Tensor:
    """``rot90``'s forward (dims already checked and wrapped), as torch: a flip, then a transposed
    view of the flipped copy."""
    k %= 4
    d0, d1 = dims
    if k == 1:
        return _C.transpose(_reversed(x, d1), d0, d1)
    if k == 2:
        return _reversed(_reversed(x, d0), d1)
    if k == 3:
        return _C.transpose(_reversed(x, d0), d0, d1)
    return _C.clone(x)


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """Rotates by 90 degrees ``k`` times in the plane of ``dims``, from the first dim towards the
    second."""
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    n = input.dim()
    if n < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {n}")
    w = [_wrap_dim(d, n) for d in dims]
    if w[0] == w[1]:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} and "
                           f"dim1 = {dims[1]}")
    return _record("rot90", input, int(k), w)


def fliplr(input: Tensor) -> Tensor:
    """The columns (dim 1) in reverse order."""
    if input.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, [1])


def flipud(input: Tensor) -> Tensor:
    """The rows (dim 0) in reverse order."""
    if input.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, [0])


def _repeat_geometry(shape: Tuple[int, ...], reps: Sequence[int]) -> Tuple[list, list, list]:
    """The input padded to len(reps) dims, seen as (1, s0, 1, s1, ...) and expanded to
    (r0, s0, r1, s1, ...), and the output shape (r0*s0, r1*s1, ...)."""
    padded = [1] * (len(reps) - len(shape)) + list(shape)
    inner = [v for s in padded for v in (1, s)]
    expanded = [v for r, s in zip(reps, padded) for v in (r, s)]
    return inner, expanded, [r * s for r, s in zip(reps, padded)]


def repeat_values(x: Tensor, reps: List[int]) -> Tensor:
    """``repeat``'s forward: one copy of an expanded view."""
    inner, expanded, out = _repeat_geometry(x._sizes, reps)
    return _C.view(_C.clone(_C.expand(_C.reshape(x, inner), expanded)), out)


def repeat_backward(g: Tensor, sizes: Tuple[int, ...], reps: List[int]) -> Tensor:
    """The gradient of ``repeat``: every copy's gradient summed back onto the input."""
    _, expanded, _ = _repeat_geometry(sizes, reps)
    g = _C.sum(_C.reshape(g, expanded), list(range(0, len(expanded), 2)), False, None)
    return _C.reshape(g, sizes)


def repeat(input: Tensor, *sizes: Any) -> Tensor:
    """``input`` repeated ``sizes[i]`` times along each dim (a copy; extra leading sizes add dims)."""
    reps = list(_parse_size(sizes, "repeat"))
    if len(reps) < input.dim():
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                           "dimensions of tensor")
    out = _repeat_geometry(input._sizes, reps)[2]
    if builtins.any(s < 0 for s in out):
        bad = next(s for s in out if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {_shape_str(out)}")
    return _record("repeat", input, reps)


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:
    """``input`` repeated ``dims[i]`` times along each dim; missing leading reps are 1 (as numpy's
    tile)."""
    reps = list(_parse_size((dims,), "tile")) if not isinstance(dims, int) else [dims]
    reps = [1] * (input.dim() - len(reps)) + reps
    return repeat(input, reps)


def _segment_ids(ends: Tensor, total: int) -> Tensor:
    """For segment ends (an inclusive cumsum of int64 counts, the last equal to ``total``): the
    segment number of each of the ``total`` positions."""
    # A 1 at the start of each segment after the first (empty segments stack up): their running
    # sum is the segment number.
    n = ends.numel()
    dev = ends._device_str
    marks = _C.full((total + 1,), 0, _C.int64, dev)
    starts = _C.narrow(ends, 0, 0, builtins.max(n - 1, 0))
    marks = _C.index_add(marks, 0, starts, _C.full((starts.numel(),), 1, _C.int64, dev))
    return _C.cumsum(_C.narrow(marks, 0, 0, total), 0, None)


def _repeats_index(repeats: Tensor, output_size: Optional[int]) -> Tensor:
    """[0]*r0 + [1]*r1 + ...: the input index of each output element (repeats 1-D)."""
    if repeats.dtype not in _INDEX_DTYPES:
        kernel = "repeat_interleave_cpu" if repeats._device_str == "cpu" else "repeat_interleave_cuda"
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_TORCH_NAMES[repeats.dtype]}'")
    n = repeats.numel()
    if n and _C.lt(repeats, 0).any().item():
        raise RuntimeError("repeats can not be negative")
    ends = _C.cumsum(repeats, 0, _C.int64)
    total = int(_C.select(ends, 0, -1).item()) if n else 0
    if output_size is not None and output_size != total:
        raise RuntimeError("allocated size does not match required size")
    index = _segment_ids(ends, total)
    return index if repeats.dtype == _C.int64 else _C.to_dtype(index, repeats.dtype, False)


def repeat_interleave(input: Tensor, repeats: Union[int, Tensor, None] = None, dim: Optional[int] = None,
                      *, output_size: Optional[int] = None) -> Tensor:
    """Each element repeated ``repeats`` times (an int, or one count per element along ``dim``)
    along ``dim`` (the flattened input when None). With only a tensor of counts, the index
    ``[0]*r0 + [1]*r1 + ...``."""
    if repeats is None:
        if input.dim() != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return _repeats_index(input, output_size)
    x = input if dim is not None else _C.reshape(input, (-1,))
    if isinstance(repeats, builtins.bool) or not isinstance(repeats, (int, Tensor)):
        raise TypeError("repeat_interleave(): argument 'repeats' must be Tensor or int, not "
                        f"{type(repeats).__name__}")
    if isinstance(repeats, int):
        d = _wrap_dim(0 if dim is None else dim, input.dim())
        if repeats < 0:
            raise RuntimeError("Repeats must be non-negative")
        u = _C.unsqueeze(x, d + 1)
        shape = list(u._sizes)
        shape[d + 1] = repeats
        if output_size is not None and output_size != shape[d] * repeats:
            raise RuntimeError(f"repeat_interleave: Invalid output_size, expected {shape[d] * repeats} but "
                               f"got {output_size}")
        return _C.flatten(_C.clone(_C.expand(u, shape)), d, d + 1)
    d = 0 if dim is None else dim
    size = x.size(d)
    if repeats.dim() == 0 or repeats.dim() == 1 and repeats.numel() == 1:
        repeats = _C.expand(_C.reshape(repeats, (1,)), (size,))
    elif repeats.dim() == 1:
        if repeats.numel() != size:
            raise RuntimeError("repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {repeats.numel()} and input.size({d}) = {size}")
    else:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    return _C.index_select(x, d, _repeats_index(repeats, output_size))


# ---- grids and stacking ------------------------------------------------------------------------

_meshgrid_warned = False


def meshgrid(*tensors: Tensor, indexing: Optional[str] = None) -> Tuple[Tensor, ...]:
    """Coordinate grids: output i holds tensor i's values along dim i (``'ij'``) or with the first
    two dims swapped (``'xy'``, numpy's default). Outputs are expanded views of the inputs."""
    global _meshgrid_warned
    ts = _tensor_list(tensors, "meshgrid")
    if not ts:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        indexing = "ij"
        if not _meshgrid_warned:  # torch warns once per process
            _meshgrid_warned = True
            warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                          "indexing argument.", UserWarning, stacklevel=2)
    for t in ts:
        if t.dim() > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: "
                               f"{t!r}")
    for t in ts[1:]:
        if t.dtype != ts[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if t._device_str != ts[0]._device_str:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = [t.numel() for t in ts]
    grids = []
    for i, t in enumerate(ts):
        view = [1] * len(ts)
        view[i] = -1
        grids.append(_C.expand(_C.view(t, view), shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """The cartesian product of 1-D tensors as rows of an (N, len(tensors)) tensor."""
    ts = _tensor_list(tensors, "cartesian_prod")
    for t in ts:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_str(t._sizes)}")
    if len(ts) == 1:
        return ts[0]
    return _C.stack([_C.reshape(g, (-1,)) for g in meshgrid(ts, indexing="ij")], 1)


def _non_empty(ts: List[Tensor], fn: str) -> None:
    if not ts:
        raise RuntimeError(f"{fn} expects a non-empty TensorList")


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenation along dim 1 (dim 0 for vectors and scalars)."""
    ts = _sequence_arg(tensors, "hstack")
    _non_empty(ts, "hstack")
    ts = [_atleast_one(t, 1) for t in ts]
    return _C.cat(ts, 0 if ts[0].dim() == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenation along dim 0, vectors taken as rows."""
    ts = _sequence_arg(tensors, "vstack")
    _non_empty(ts, "vstack")
    return _C.cat([_atleast_one(t, 2) for t in ts], 0)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenation along dim 2 after ``atleast_3d``."""
    ts = _sequence_arg(tensors, "dstack")
    _non_empty(ts, "dstack")
    return _C.cat([_atleast_one(t, 3) for t in ts], 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Concatenation along dim 1, vectors and scalars taken as columns."""
    ts = _sequence_arg(tensors, "column_stack")
    _non_empty(ts, "column_stack")
    return _C.cat([_C.reshape(t, (t.numel(), 1)) if t.dim() <= 1 else t for t in ts], 1)


def block_diag_values(ts: List[Tensor]) -> Tensor:
    """``block_diag``'s forward (inputs checked): the blocks copied into a zero matrix."""
    blocks = [_C.reshape(t, (1, 1) if t.dim() == 0 else (1, t.numel()) if t.dim() == 1 else t._sizes)
              for t in ts]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = _C.promote_types(dt, t.dtype)
    rows = builtins.sum(b._sizes[0] for b in blocks)
    cols = builtins.sum(b._sizes[1] for b in blocks)
    out = _C.full((rows, cols), 0, dt, ts[0]._device_str)
    r = c = 0
    for b in blocks:
        h, w = b._sizes
        _C.copy_(_C.narrow(_C.narrow(out, 0, r, h), 1, c, w), b)
        r, c = r + h, c + w
    return out


def block_diag(*tensors: Tensor) -> Tensor:
    """The tensors (scalars and vectors as 1-row matrices) as blocks along a matrix's diagonal."""
    ts = _tensor_list(tensors, "block_diag")
    if not ts:
        return _C.empty((1, 0), _C.get_default_dtype())
    for i, t in enumerate(ts):
        if t.dim() > 2:
            raise RuntimeError("torch.block_diag: Input tensors must have 2 or fewer dimensions. Input "
                               f"{i} has {t.dim()} dimensions")
        if t._device_str != ts[0]._device_str:
            raise RuntimeError("torch.block_diag: input tensors must all be on the same device. Input 0 is on "
                               f"device {ts[0]._device_str} and input {i} is on device {t._device_str}.")
    if _C.is_grad_enabled() and builtins.any(t._requires_grad for t in ts):
        from .autograd.graph import handler  # noqa: PLC0415 - autograd imports this module

        return handler("block_diag", (ts,), {})
    return block_diag_values(ts)


def vander(x: Tensor, N: Optional[int] = None, increasing: builtins.bool = False) -> Tensor:
    """The Vandermonde matrix: column j is ``x ** (N - 1 - j)`` (``x ** j`` when ``increasing``).
    Integer and bool inputs give int64."""
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.numel()
    if N is None:
        N = n
    if N < 0:
        raise RuntimeError("N must be non-negative.")
    dt = _C.promote_types(x.dtype, _C.int64)
    dev = x._device_str
    if N == 0:
        return _C.full((n, 0), 0, dt, dev)
    cols = [_C.full((n, 1), 1, dt, dev)]
    if N > 1:
        xs = x if x.dtype == dt else _C.to_dtype(x, dt, False)
        cols.append(_C.cumprod(_C.expand(_C.unsqueeze(xs, 1), (n, N - 1)), 1, None))
    out = _C.cat(cols, 1)
    return out if increasing else flip(out, [1])


# ---- splitting ---------------------------------------------------------------------------------

def tensor_split(input: Tensor, indices_or_sections: Union[int, Sequence[int], Tensor, None] = None,
                 dim: int = 0, *, sections: Optional[int] = None,
                 indices: Optional[Sequence[int]] = None) -> Tuple[Tensor, ...]:
    """Views of ``input`` split along ``dim`` into ``n`` near-equal parts (the first ``size % n``
    one longer), or at the given indices (Python slice rules). ``sections=``/``indices=`` are
    torch's keyword spellings of the second argument."""
    given = [a for a in (indices_or_sections, sections, indices) if a is not None]
    if len(given) != 1:
        raise TypeError("tensor_split() expects exactly one of indices_or_sections, sections or indices")
    indices_or_sections = given[0]
    if input.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec.dtype != _C.int64:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype of long, but got "
                               f"{_TORCH_NAMES[spec.dtype]}")
        if spec.dim() > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                               f"one-dimensional tensor, but got a tensor with {spec.dim()} dims")
        spec = spec.item() if spec.dim() == 0 else spec.tolist()
    d = _wrap_dim(dim, input.dim())
    if isinstance(spec, (list, tuple)):
        bounds = [None] + [int(i) for i in spec] + [None]
        return tuple(_C.slice(input, d, a, b, 1) for a, b in zip(bounds[:-1], bounds[1:]))
    n = int(spec)
    if n <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {n}")
    size = input._sizes[d]
    base, extra = divmod(size, n)
    out, start = [], 0
    for i in range(n):
        length = base + (i < extra)
        out.append(_C.slice(input, d, start, start + length, 1))
        start += length
    return tuple(out)


def _split_at(input: Tensor, spec: Union[int, Sequence[int]], fn: str, min_dim: int, dim: int) -> Tuple[Tensor, ...]:
    if input.dim() < min_dim:
        raise RuntimeError(f"torch.{fn} requires a tensor with at least {min_dim} dimension, but got a tensor "
                           f"with {input.dim()} dimensions!")
    if isinstance(spec, (Tensor, builtins.bool)) or not isinstance(spec, (int, list, tuple)):
        raise TypeError(f"{fn}(): argument 'indices_or_sections' must be int or tuple of ints, not "
                        f"{type(spec).__name__}")
    if isinstance(spec, int):
        size = input._sizes[dim]
        if spec == 0 or size % spec:
            raise RuntimeError(f"torch.{fn} attempted to split along dimension {dim}, but the size of the "
                               f"dimension {size} is not divisible by the split_size {spec}!")
    return tensor_split(input, spec, dim)


def hsplit(input: Tensor, indices_or_sections: Union[int, Sequence[int]]) -> Tuple[Tensor, ...]:
    """``tensor_split`` along dim 1 (dim 0 for vectors); an int must divide the size."""
    if input.dim() == 0:
        raise RuntimeError("torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 "
                           "dimensions!")
    return _split_at(input, indices_or_sections, "hsplit", 1, 1 if input.dim() > 1 else 0)


def vsplit(input: Tensor, indices_or_sections: Union[int, Sequence[int]]) -> Tuple[Tensor, ...]:
    """``tensor_split`` along dim 0 of a tensor with at least 2 dims; an int must divide the size."""
    return _split_at(input, indices_or_sections, "vsplit", 2, 0)


def dsplit(input: Tensor, indices_or_sections: Union[int, Sequence[int]]) -> Tuple[Tensor, ...]:
    """``tensor_split`` along dim 2 of a tensor with at least 3 dims; an int must divide the size."""
    return _split_at(input, indices_or_sections, "dsplit", 3, 2)


# Forwards of the ops recorded as one node (autograd/formulas.py registers them by these names).
_FORWARD = {
    "diagonal_copy": diagonal_copy_values,
    "trace": trace_values,
    "narrow_copy": narrow_copy_values,
    "rot90": rot90_values,
    "repeat": repeat_values,
}


# ---- Tensor methods (installed by _tensor.py) --------------------------------------------------

def _method_tile(self: Tensor, *dims: Any) -> Tensor:
    return tile(self, _parse_size(dims, "tile"))


TENSOR_METHODS = {
    "diagonal": diagonal, "diag_embed": diag_embed, "diag": diag, "diagflat": diagflat, "trace": trace,
    "broadcast_to": broadcast_to, "swapaxes": swapaxes, "swapdims": swapdims, "movedim": movedim,
    "moveaxis": moveaxis, "unflatten": unflatten, "ravel": ravel, "narrow_copy": narrow_copy,
    "rot90": rot90, "fliplr": fliplr, "flipud": flipud, "repeat": repeat, "tile": _method_tile,
    "repeat_interleave": repeat_interleave, "tensor_split": tensor_split, "hsplit": hsplit,
    "vsplit": vsplit, "dsplit": dsplit,
}
