"""Text of ``str(tensor)``, ``repr(tensor)`` and ``str(pytensor.Size)``.

The output matches PyTorch 2.13 character for character, apart from the module
name (``pytensor.`` where PyTorch prints ``torch.``).  The rules are specified in
``shared/spec/printing.md``.

All formatting lives in :func:`format_array`, a pure function of a numpy array
and a few flags, so it can be tested without the compiled core.
:func:`format_tensor` adapts a pytensor tensor to it.  This module must not
import the compiled extension at import time.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

__all__ = [
    "set_printoptions",
    "get_printoptions",
    "printoptions",
    "format_array",
    "format_tensor",
    "format_size",
]

_MODULE = "pytensor"
# The dtype suffix is measured with PyTorch's spelling when fitting suffixes
# on a line, so that line breaks fall exactly where PyTorch puts them.
_MEASURE_MODULE = "torch"
_PREFIX = "tensor("
_INDENT = len(_PREFIX)

_FLOAT_NAMES = frozenset({"float16", "bfloat16", "float32", "float64"})


# ---------------------------------------------------------------------------
# print options
# ---------------------------------------------------------------------------


@dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


# name -> (precision, threshold, edgeitems, linewidth)
_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, math.inf, 3, 80),
}

_OPTIONS = _PrintOptions()


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set the process-wide options used to print tensors.

    Parameters
    ----------
    precision : int, optional
        Digits after the decimal point for floating values (default 4).
    threshold : float, optional
        Summarize tensors with more than this many elements (default 1000).
    edgeitems : int, optional
        Items kept at each end of a summarized dimension (default 3).
    linewidth : int, optional
        Target characters per line (default 80).
    profile : {"default", "short", "full"}, optional
        Resets precision, threshold, edgeitems and linewidth before the other
        arguments apply.  Unknown names are ignored.
    sci_mode : bool, optional
        Force (``True``) or suppress (``False``) scientific notation.  Always
        assigned: a call that omits it restores automatic selection.
    """
    opts = _OPTIONS
    if profile in _PROFILES:
        opts.precision, opts.threshold, opts.edgeitems, opts.linewidth = _PROFILES[profile]
    if precision is not None:
        opts.precision = precision
    if threshold is not None:
        opts.threshold = threshold
    if edgeitems is not None:
        opts.edgeitems = edgeitems
    if linewidth is not None:
        opts.linewidth = linewidth
    opts.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Return the current print options as a dict.

    The keys are ``precision``, ``threshold``, ``edgeitems``, ``linewidth`` and
    ``sci_mode``; ``set_printoptions(**get_printoptions())`` restores them.
    """
    return asdict(_OPTIONS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Context manager that applies ``set_printoptions(**kwargs)`` temporarily."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ---------------------------------------------------------------------------
# element text
# ---------------------------------------------------------------------------


def _element_texts(flat: np.ndarray, kind: str, opts: _PrintOptions) -> tuple[list[str], int]:
    """Unpadded text of each visible element and the shared column width."""
    if kind != "float":
        texts = [str(v) for v in flat.tolist()]
        return texts, max(map(len, texts), default=1)

    values = flat.astype(np.float64, copy=False)
    useful = np.isfinite(values) & (values != 0)
    if not useful.any():
        # Only zeros, NaN and inf: integral look with width 1, even when
        # sci_mode forces scientific notation.
        mode = "integral"
    else:
        u = values[useful]
        mags = np.abs(u)
        lo, hi = float(mags.min()), float(mags.max())
        if opts.sci_mode is None:
            sci = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        else:
            sci = bool(opts.sci_mode)
        if sci:
            mode = "sci"
        elif bool(np.all(u == np.ceil(u))):
            mode = "integral"
        else:
            mode = "fixed"

    p = opts.precision
    texts = []
    for v in values.tolist():
        if v != v:
            # printf would write "-nan" for a NaN with its sign bit set.
            texts.append("nan")
        elif math.isinf(v):
            texts.append("inf" if v > 0 else "-inf")
        elif mode == "sci":
            texts.append(f"{v:.{p}e}")
        elif mode == "fixed":
            texts.append(f"{v:.{p}f}")
        else:
            texts.append(f"{v:.0f}.")
    # Zeros, NaN and inf are padded to the width but never set it.
    width = max((len(t) for t, ok in zip(texts, useful.tolist()) if ok), default=1)
    return texts, max(width, 1)


# ---------------------------------------------------------------------------
# layout
# ---------------------------------------------------------------------------


def _layout(
    texts: np.ndarray,
    elided: Sequence[bool],
    edge: int,
    width: int,
    indent: int,
    linewidth: int,
) -> str:
    """Bracketed text of a block of padded element texts.

    ``texts`` holds only the visible elements; along each axis flagged in
    ``elided`` it has ``2 * edge`` entries and a marker goes after the first
    ``edge`` of them.
    """
    n = texts.shape[0]
    if texts.ndim == 1:
        items = texts.tolist()
        if elided[0]:
            items = items[:edge] + [" ..."] + items[edge:]
        per_line = max(1, math.floor((linewidth - indent) / (width + 2)))
        lines = [", ".join(items[k : k + per_line]) for k in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    parts = [_layout(texts[i], elided[1:], edge, width, indent + 1, linewidth) for i in range(n)]
    if elided[0]:
        parts.insert(edge, "...")
    sep = "," + "\n" * (texts.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(parts) + "]"


def _body(values: np.ndarray, kind: str, opts: _PrintOptions) -> str:
    """Body text of a non-empty tensor (everything between the parentheses
    before the suffixes)."""
    edge = opts.edgeitems
    summarize = values.size > opts.threshold
    if values.ndim == 0:
        texts, width = _element_texts(values.reshape(1), kind, opts)
        return texts[0].rjust(width)
    if summarize and edge <= 0:
        return "[...]"

    elided = [summarize and dim > 2 * edge for dim in values.shape]
    if any(elided):
        # Gather only the visible elements before any per-element Python work,
        # so a huge summarized tensor costs no more than a small one.
        index = [
            np.r_[0:edge, dim - edge : dim] if cut else np.arange(dim)
            for dim, cut in zip(values.shape, elided)
        ]
        values = values[np.ix_(*index)]

    texts, width = _element_texts(values.reshape(-1), kind, opts)
    padded = np.array([t.rjust(width) for t in texts], dtype=object).reshape(values.shape)
    return _layout(padded, elided, edge, width, _INDENT, opts.linewidth)


def _append_suffixes(head: str, suffixes: Iterable[tuple[str, int]], linewidth: int) -> str:
    """Join ``(text, measured_length)`` suffixes onto ``head`` and close it."""
    out = [head]
    # Length of the current last line, plus 2 for the ", " before a suffix.
    used = len(head) - (head.rfind("\n") + 1) + 2
    for text, size in suffixes:
        if used + size + 2 > linewidth:
            out.append(",\n" + " " * _INDENT + text)
            used = _INDENT + size  # PyTorch adds no 2 after a wrap.
        else:
            out.append(", " + text)
            used += size + 2
    out.append(")")
    return "".join(out)


def _kind_of(dtype_name: str, values: np.ndarray) -> str:
    if dtype_name in _FLOAT_NAMES:
        return "float"
    if dtype_name == "bool":
        return "bool"
    if dtype_name.startswith(("int", "uint")):
        return "int"
    return {"f": "float", "b": "bool"}.get(values.dtype.kind, "int")


# ---------------------------------------------------------------------------
# public formatting entry points
# ---------------------------------------------------------------------------


def format_array(
    values: np.ndarray,
    dtype_name: str,
    *,
    default_float_name: str = "float32",
    device: str = "cpu",
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
) -> str:
    """Return the ``repr``/``str`` text of a tensor given as plain data.

    Parameters
    ----------
    values : numpy.ndarray
        The elements in the tensor's shape (bool, integer, float16, float32 or
        float64).  bfloat16 tensors pass their values widened to float32.
    dtype_name : str
        pytensor dtype name, e.g. ``"float32"``, ``"int64"`` or ``"bool"``.
    default_float_name : str, optional
        Current default floating dtype; its suffix is hidden.
    device : str, optional
        Device text; anything but ``"cpu"`` adds ``device='...'``.
    requires_grad : bool, optional
        Add ``requires_grad=True`` (unless ``grad_fn_name`` is given).
    grad_fn_name : str, optional
        Autograd node name, e.g. ``"AddBackward0"``, shown as ``grad_fn=<...>``.

    Returns
    -------
    str
        Text such as ``tensor([1., 2.], dtype=pytensor.float64)``, formatted
        with the current print options.
    """
    opts = _OPTIONS
    values = np.asarray(values)
    shape_text = "size=" + str(tuple(int(d) for d in values.shape))
    dtype_text = f"dtype={_MODULE}.{dtype_name}"
    dtype_size = len(f"dtype={_MEASURE_MODULE}.{dtype_name}")

    suffixes: list[tuple[str, int]] = []
    if device and device != "cpu":
        text = f"device='{device}'"
        suffixes.append((text, len(text)))

    if values.size == 0:
        body = "[]"
        if values.ndim != 1:
            suffixes.append((shape_text, len(shape_text)))
        if dtype_name != default_float_name:
            suffixes.append((dtype_text, dtype_size))
    else:
        body = _body(values, _kind_of(dtype_name, values), opts)
        if opts.edgeitems == 0:
            suffixes.append((shape_text, len(shape_text)))
        if dtype_name not in (default_float_name, "int64", "bool"):
            suffixes.append((dtype_text, dtype_size))

    if grad_fn_name is not None:
        text = f"grad_fn=<{grad_fn_name}>"
        suffixes.append((text, len(text)))
    elif requires_grad:
        suffixes.append(("requires_grad=True", len("requires_grad=True")))

    return _append_suffixes(_PREFIX + body, suffixes, opts.linewidth)


def _dtype_name_of(dtype: Any) -> str | None:
    """``"float32"`` from ``pytensor.float32`` (whose str is "pytensor.float32")."""
    if dtype is None:
        return None
    return str(dtype).rpartition(".")[2] or None


def _elements_of(t: Any) -> np.ndarray:
    """The tensor's elements as a numpy array on the host."""
    base = t
    for step in ("detach", "cpu"):
        method = getattr(base, step, None)
        if callable(method):
            base = method()
    try:
        return np.asarray(base.numpy())
    except (TypeError, RuntimeError, AttributeError, ValueError):
        # numpy has no bfloat16; widening to float32 is exact.
        widen = getattr(base, "float", None)
        if not callable(widen):
            raise
        return np.asarray(widen().numpy())


def format_tensor(t: Any) -> str:
    """Return the ``repr``/``str`` text of a pytensor tensor.

    Reads the tensor's dtype, device, autograd state and elements and passes
    them to :func:`format_array`, falling back to sensible defaults for any
    attribute the tensor does not provide.
    """
    values = _elements_of(t)
    shape = getattr(t, "shape", None)
    if shape is not None:
        shape = tuple(int(d) for d in shape)
        if shape != values.shape and math.prod(shape) == values.size:
            values = values.reshape(shape)

    dtype_name = _dtype_name_of(getattr(t, "dtype", None))
    if dtype_name is None:
        dtype_name = "bool" if values.dtype == np.bool_ else values.dtype.name

    default_float_name = "float32"
    try:
        import pytensor

        default_float_name = _dtype_name_of(pytensor.get_default_dtype()) or "float32"
    except (ImportError, AttributeError):
        pass

    grad_fn = getattr(t, "grad_fn", None)
    grad_fn_name = None
    if grad_fn is not None:
        name = getattr(grad_fn, "name", None)
        # As torch: a C++-namespaced node name (torch::autograd::CopySlices) prints unqualified.
        grad_fn_name = str(name()).rsplit("::", 1)[-1] if callable(name) else type(grad_fn).__name__

    return format_array(
        values,
        dtype_name,
        default_float_name=default_float_name,
        device=str(getattr(t, "device", "cpu")),
        requires_grad=bool(getattr(t, "requires_grad", False)),
        grad_fn_name=grad_fn_name,
    )


def format_size(dims: Iterable[int]) -> str:
    """Return the text of ``pytensor.Size(dims)``, e.g. ``pytensor.Size([1, 5])``."""
    return f"{_MODULE}.Size([{', '.join(str(int(d)) for d in dims)}])"
