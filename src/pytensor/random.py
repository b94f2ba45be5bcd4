"""Random numbers bit-identical to PyTorch 2.13's CPU generator.

``manual_seed(s)`` followed by the same calls gives the same bits as ``torch`` on an x86-64
CPU with AVX2 (the FMA variant of the spec, shared/spec/rng.md): ``rand``, ``randn``,
``randint``, ``randperm``, ``normal``, ``bernoulli``, ``multinomial``, the in-place
``Tensor.uniform_/normal_/random_/bernoulli_/exponential_``, dropout masks and the
DataLoader's shuffle order. The sampling kernels are C++ (``csrc/cpu/random.cpp``); this
module parses torch's signatures.
"""

from __future__ import annotations

import builtins
import contextlib
import warnings
from typing import Any, Iterator, List, Optional, Tuple

from . import _C
from . import cuda as _cuda
from ._C import Generator, Tensor
from ._device import as_device, full_on, to_device

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
    "set_rng_state", "fork_rng", "rand", "randn", "randint", "randperm", "rand_like",
    "randn_like", "randint_like", "normal", "bernoulli", "multinomial",
]

default_generator: Generator = _C.default_generator

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1


# ---------------------------------------------------------------------------------------------
# Seeding and state
# ---------------------------------------------------------------------------------------------

def manual_seed(seed: Any) -> Generator:
    """Seeds the default generator (and, as torch, every CUDA device's) and returns it. Accepts
    integers in [-2**63, 2**64 - 1]; negative seeds are taken modulo 2**64 (two's complement)."""
    seed = int(seed)
    gen = default_generator.manual_seed(seed)
    if _cuda._BUILT:
        _cuda.manual_seed_all(default_generator.initial_seed())
    return gen


def seed() -> int:
    """Seeds the default generator (and every CUDA device's) with a non-deterministic value and
    returns it."""
    s = default_generator.seed()
    if _cuda._BUILT:
        _cuda.manual_seed_all(s)
    return s


def initial_seed() -> int:
    """The seed the default generator was last seeded with (a 64-bit unsigned int)."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state as a uint8 tensor of 5056 bytes (torch's layout)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restores a state returned by ``get_rng_state`` (including the cached normal)."""
    _C._set_rng_state(new_state)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: builtins.bool = True, **_: Any) -> Iterator[None]:
    """Restores the default generator's state, and those of the CUDA ``devices`` (default: all
    of them), when the block exits (torch.random.fork_rng)."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    cuda_states = []
    if _cuda._BUILT and _cuda.is_available():
        ids = range(_cuda.device_count()) if devices is None else devices
        cuda_states = [(d, _cuda.get_rng_state(d)) for d in ids]
    try:
        yield
    finally:
        set_rng_state(state)
        for d, s in cuda_states:
            _cuda.set_rng_state(s, d)


def _generator_device(self: Generator) -> Any:
    from ._device import device
    return device("cpu")


def _generator_repr(self: Generator) -> str:
    return f"<pytensor.Generator object at {hex(id(self))}>"


Generator.device = property(_generator_device)
Generator.__repr__ = _generator_repr


# ---------------------------------------------------------------------------------------------
# Argument helpers
# ---------------------------------------------------------------------------------------------

def _is_int(x: Any) -> builtins.bool:
    """Python/numpy integers (and bools, which torch accepts where ints are expected)."""
    if isinstance(x, builtins.bool):
        return True
    if isinstance(x, (float, Tensor)):
        return False
    return hasattr(x, "__index__")


def _as_int(x: Any, fn: str, name: str) -> int:
    if isinstance(x, Tensor):
        if x.numel() == 1 and not x.dtype.is_floating_point:
            return int(x.item())
    elif _is_int(x):
        return x.__index__()
    raise TypeError(f"{fn}(): argument '{name}' must be int, not {type(x).__name__}")


def _as_float(x: Any, fn: str, name: str) -> float:
    if isinstance(x, Tensor):
        if x.numel() == 1:
            return float(x.item())
    elif isinstance(x, (int, float)) or hasattr(x, "__float__"):
        return float(x)
    raise TypeError(f"{fn}(): argument '{name}' must be float, not {type(x).__name__}")


def _parse_size(args: tuple, size: Any, fn: str) -> Tuple[int, ...]:
    """Sizes as varargs (2, 3), one tuple/list/Size ((2, 3),) or the ``size=`` keyword."""
    if size is not None:
        if args:
            raise TypeError(f"{fn}() received an invalid combination of arguments - got both "
                            f"positional sizes and size=")
        args = (size,)
    if not args:
        raise TypeError(f"{fn}() received an invalid combination of arguments - got (), but "
                        f"expected one of: (tuple of ints size, ...)")
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    elif len(args) == 1 and isinstance(args[0], Tensor):
        raise TypeError(f"{fn}(): argument 'size' (position 1) must be tuple of ints, not Tensor")
    out = []
    for i, s in enumerate(args):
        if isinstance(s, (tuple, list)):
            raise TypeError(f"{fn}(): argument 'size' failed to unpack the object at pos {i + 1} "
                            f"with error \"type must be tuple of ints,but got {type(s).__name__}\"")
        if not _is_int(s) or isinstance(s, builtins.bool):
            raise TypeError(f"{fn}(): argument 'size' (position {i + 1}) must be tuple of ints, "
                            f"not {type(s).__name__}")
        out.append(s.__index__())
    return tuple(out)


def _device_name(device: Any) -> Optional[str]:
    """None for the CPU (the plain calls), else the device's name for ``_C`` factories; bad
    device strings raise here."""
    if device is None:
        return None
    d = as_device(device)
    return None if d.type == "cpu" else str(d)


def _float_dtype(dtype: Any) -> Any:
    return dtype if dtype is not None else _C.get_default_dtype()


def _finish(t: Tensor, requires_grad: builtins.bool) -> Tensor:
    if requires_grad:
        t.requires_grad_(True)
    return t


def _new(size: Tuple[int, ...], dtype: Any, out: Optional[Tensor],
         device: Optional[str] = None) -> Tensor:
    """A new contiguous tensor on ``device`` (a ``_device_name``), or ``out`` resized to
    ``size``."""
    if out is None:
        return _C.empty(size, dtype) if device is None else _C.empty(size, dtype, device=device)
    if dtype is not None and out.dtype != dtype:
        raise RuntimeError(f"dtype {dtype} does not match dtype of out parameter ({out.dtype})")
    if tuple(out.shape) != tuple(size):
        out.resize_(size)
    return out


def _like(input: Tensor, dtype: Any, memory_format: Any, device: Any = None) -> Tensor:
    """An uninitialized tensor like ``input`` (same device unless ``device`` names another)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"expected Tensor as element 0 in argument 0, but got "
                        f"{type(input).__name__}")
    dtype = dtype if dtype is not None else input.dtype
    if device is not None:
        d = as_device(device)
        if str(d) != input._device_str and not (d.type == "cpu" and input._device_str == "cpu"):
            return _new(tuple(input.shape), dtype, None, _device_name(d))
    if memory_format is not None and "contiguous" in str(memory_format):
        d = input._device_str
        return _new(tuple(input.shape), dtype, None, None if d == "cpu" else d)
    return _C._empty_like_preserve(input, dtype)


def _int64(x: int) -> int:
    if not (_INT64_MIN <= x <= _INT64_MAX):
        raise ValueError("Overflow when unpacking long long")
    return x


# ---------------------------------------------------------------------------------------------
# Factories
# ---------------------------------------------------------------------------------------------

def rand(*size: Any, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
         dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: builtins.bool = False, pin_memory: builtins.bool = False,
         **kwargs: Any) -> Tensor:
    """Uniform samples on [0, 1): float32 takes one 32-bit draw per element (24 bits used),
    float64 one 64-bit draw (53 bits used)."""
    dev = _device_name(device)
    shape = _parse_size(size, kwargs.pop("size", None), "rand")
    t = _new(shape, _float_dtype(dtype), out, dev)
    _C._uniform_(t, 0.0, 1.0, generator)
    return _finish(t, requires_grad)


def randn(*size: Any, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
          dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: builtins.bool = False, pin_memory: builtins.bool = False,
          **kwargs: Any) -> Tensor:
    """Standard normal samples (Box-Muller exactly as torch's CPU kernels)."""
    dev = _device_name(device)
    shape = _parse_size(size, kwargs.pop("size", None), "randn")
    t = _new(shape, _float_dtype(dtype), out, dev)
    _C._normal_(t, 0.0, 1.0, generator)
    return _finish(t, requires_grad)


def randint(*args: Any, size: Any = None, generator: Optional[Generator] = None,
            out: Optional[Tensor] = None, dtype: Any = None, layout: Any = None,
            device: Any = None, requires_grad: builtins.bool = False,
            pin_memory: builtins.bool = False, low: Any = None, high: Any = None) -> Tensor:
    """``randint(high, size)`` or ``randint(low, high, size)``: integers in [low, high),
    int64 unless ``dtype`` says otherwise."""
    dev = _device_name(device)
    args = list(args)
    if size is None:
        if args and isinstance(args[-1], (tuple, list)):
            size = args.pop()
        else:
            got = ", ".join(type(a).__name__ for a in args)
            raise TypeError(f"randint() received an invalid combination of arguments - got "
                            f"({got}), but expected one of:\n * (int high, tuple of ints size, *, "
                            f"torch.Generator generator, ...)\n * (int low, int high, tuple of ints "
                            f"size, *, torch.Generator generator, ...)")
    if len(args) == 2:
        if low is not None or high is not None:
            raise TypeError("randint() got multiple values for argument 'low' or 'high'")
        low, high = args
    elif len(args) == 1:
        if high is not None:
            if low is not None:
                raise TypeError("randint() got multiple values for argument 'low'")
            low = args[0]
        else:
            high = args[0]
    elif len(args) > 2:
        raise TypeError(f"randint() takes at most 3 positional arguments ({len(args)} given)")
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    low = 0 if low is None else low
    lo = _int64(_as_int(low, "randint", "low"))
    hi = _int64(_as_int(high, "randint", "high"))
    shape = _parse_size((), size, "randint")
    t = _new(shape, dtype if dtype is not None else _C.int64, out, dev)
    _warn_float_bounds(t.dtype, lo, hi - 1)
    _C._random_from_to_(t, lo, hi, generator)
    return _finish(t, requires_grad)


def randperm(n: Any, *, generator: Optional[Generator] = None, out: Optional[Tensor] = None,
             dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: builtins.bool = False, pin_memory: builtins.bool = False) -> Tensor:
    """A random permutation of 0..n-1 (torch's Fisher-Yates with 32-bit draws). For a CUDA
    ``device`` the permutation is drawn on the CPU (from the CPU generator) and copied over."""
    dev = _device_name(device)
    n = _as_int(n, "randperm", "n")
    t = _C._randperm(n, dtype if dtype is not None else _C.int64, generator)
    if dev is not None and out is None:
        t = to_device(t, dev)
    if out is not None:
        out.resize_((n,))
        out.copy_(t)
        t = out
    return _finish(t, requires_grad)


def rand_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: builtins.bool = False, memory_format: Any = None,
              generator: Optional[Generator] = None) -> Tensor:
    """``rand`` with ``input``'s shape, dtype, device and (when dense) strides."""
    t = _like(input, dtype, memory_format, device)
    _C._uniform_(t, 0.0, 1.0, generator)
    return _finish(t, requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: builtins.bool = False, memory_format: Any = None,
               generator: Optional[Generator] = None) -> Tensor:
    """``randn`` with ``input``'s shape, dtype and strides: a transposed input is filled in
    memory order by the per-element path, as torch does."""
    t = _like(input, dtype, memory_format, device)
    _C._normal_(t, 0.0, 1.0, generator)
    return _finish(t, requires_grad)


def randint_like(input: Tensor, *args: Any, low: Any = None, high: Any = None,
                 dtype: Any = None, layout: Any = None, device: Any = None,
                 requires_grad: builtins.bool = False, memory_format: Any = None,
                 generator: Optional[Generator] = None) -> Tensor:
    """``randint_like(input, high)`` or ``randint_like(input, low, high)``."""
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if high is not None:
            low = args[0]
        else:
            high = args[0]
    elif len(args) > 2:
        raise TypeError("randint_like() takes at most 3 positional arguments")
    if high is None:
        raise TypeError("randint_like() missing required argument 'high'")
    lo = _int64(_as_int(0 if low is None else low, "randint_like", "low"))
    hi = _int64(_as_int(high, "randint_like", "high"))
    t = _like(input, dtype, memory_format, device)
    _warn_float_bounds(t.dtype, lo, hi - 1)
    _C._random_from_to_(t, lo, hi, generator)
    return _finish(t, requires_grad)


def normal(mean: Any, std: Any = None, size: Any = None, *,
           generator: Optional[Generator] = None, out: Optional[Tensor] = None,
           dtype: Any = None, layout: Any = None, device: Any = None,
           requires_grad: builtins.bool = False, pin_memory: builtins.bool = False) -> Tensor:
    """``normal(mean_t, std_t)``, ``normal(mean_t, std=1.0)``, ``normal(mean, std_t)`` and
    ``normal(mean, std, size)`` with torch's rounding (spec section 3.4)."""
    dev = _device_name(device)
    m_t = isinstance(mean, Tensor)
    s_t = isinstance(std, Tensor)
    if size is not None or not (m_t or s_t):
        if m_t or s_t or size is None:
            got = ", ".join(type(a).__name__ for a in (mean, std, size) if a is not None)
            raise TypeError(f"normal() received an invalid combination of arguments - got "
                            f"({got}), but expected one of:\n * (Tensor mean, Tensor std, *, "
                            f"torch.Generator generator, Tensor out)\n * (Tensor mean, float std, "
                            f"*, torch.Generator generator, Tensor out)\n * (float mean, Tensor "
                            f"std, *, torch.Generator generator, Tensor out)\n * (float mean, float "
                            f"std, tuple of ints size, *, torch.Generator generator, Tensor out, "
                            f"torch.dtype dtype, ...)")
        m = _as_float(mean, "normal", "mean")
        s = _as_float(1.0 if std is None else std, "normal", "std")
        shape = _parse_size((), size, "normal")
        t = _new(shape, _float_dtype(dtype), out, dev)
        _C._normal_(t, m, s, generator)
        return _finish(t, requires_grad)
    if m_t and s_t:
        t = _C._normal_tensor_tensor(mean, std, generator)
    elif m_t:
        t = _C._normal_tensor_scalar(mean, _as_float(1.0 if std is None else std, "normal", "std"),
                                     generator)
    else:
        t = _C._normal_scalar_tensor(_as_float(mean, "normal", "mean"), std, generator)
    if out is not None:
        out.resize_(tuple(t.shape))
        out.copy_(t)
        t = out
    return _finish(t, requires_grad)


def bernoulli(input: Tensor, p: Any = None, *, generator: Optional[Generator] = None,
              out: Optional[Tensor] = None) -> Tensor:
    """0/1 samples: with probabilities ``input`` (a float tensor), or with the float ``p``
    in a tensor like ``input``."""
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if p is None:
        t = _C._bernoulli(input, generator)
    elif isinstance(p, Tensor):
        t = _C._empty_like_preserve(input, input.dtype)
        _C._bernoulli_tensor_(t, p, generator)
    else:
        t = _C._empty_like_preserve(input, input.dtype)
        _C._bernoulli_(t, _as_float(p, "bernoulli", "p"), generator)
    if out is not None:
        out.resize_(tuple(t.shape))
        out.copy_(t)
        t = out
    return t


def multinomial(input: Tensor, num_samples: int, replacement: builtins.bool = False, *,
                generator: Optional[Generator] = None, out: Optional[Tensor] = None) -> Tensor:
    """Indices sampled from the rows of ``input`` (int64, shape (k,) or (rows, k))."""
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    k = _as_int(num_samples, "multinomial", "num_samples")
    t = _C._multinomial(input, k, builtins.bool(replacement), generator)
    if out is not None:
        out.resize_(tuple(t.shape))
        out.copy_(t)
        t = out
    return t


# ---------------------------------------------------------------------------------------------
# Tensor methods (in place; each returns self)
# ---------------------------------------------------------------------------------------------

def _warn_float_bounds(dt: Any, lo: int, hi_inc: int) -> None:
    if not dt.is_floating_point:
        return
    digits = 24 if dt == _C.float32 else 53
    name = "float" if dt == _C.float32 else "double"
    for value, label in ((lo, "from"), (hi_inc, "to - 1")):
        if value < -(1 << digits) or value > (1 << digits):
            warnings.warn(f"{label} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                          f"limitations {name} can support discrete uniform distribution only "
                          f"within this range. This warning will become an error in version 1.7 "
                          f"release, please fix the code in advance", UserWarning, stacklevel=3)


def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *,
             generator: Optional[Generator] = None, **kwargs: Any) -> Tensor:
    """Fills self with uniform samples on [from, to): ``fma(U, to - from, from)`` in self's
    dtype; a value that rounds up to ``to`` becomes ``from``."""
    if "from" in kwargs:
        from_ = kwargs.pop("from")
    if kwargs:
        raise TypeError(f"uniform_() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return _C._uniform_(self, _as_float(from_, "uniform_", "from"), _as_float(to, "uniform_", "to"),
                        generator)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *,
            generator: Optional[Generator] = None) -> Tensor:
    """Fills self with normal samples (block path for contiguous tensors of >= 16 elements,
    per-element Box-Muller with the generator's cached value otherwise)."""
    return _C._normal_(self, _as_float(mean, "normal_", "mean"), _as_float(std, "normal_", "std"),
                       generator)


_NO_TO = object()


def random_(self: Tensor, *args: Any, generator: Optional[Generator] = None,
            **kwargs: Any) -> Tensor:
    """``random_()``: the dtype's non-negative range; ``random_(to)``: [0, to);
    ``random_(from, to)``: [from, to); ``random_(from, None)``: [from, dtype max]."""
    from_ = kwargs.pop("from", _NO_TO)
    to = kwargs.pop("to", _NO_TO)
    if kwargs:
        raise TypeError(f"random_() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if len(args) > 2:
        raise TypeError(f"random_() takes at most 2 positional arguments ({len(args)} given)")
    if len(args) == 2:
        from_, to = args
    elif len(args) == 1:
        if from_ is _NO_TO and to is _NO_TO:
            to = args[0]
        elif to is not _NO_TO:
            from_ = args[0]
        else:
            to = args[0]
    if from_ is _NO_TO and to is _NO_TO:
        return _C._random_(self, generator)
    if from_ is _NO_TO:
        from_ = 0
    for v in (from_, to):
        if v is not _NO_TO and v is not None and not _is_int(v):
            raise TypeError(f"random_() received an invalid combination of arguments - got "
                            f"({type(v).__name__}), but expected one of:\n * (*, torch.Generator "
                            f"generator)\n * (int from, int to, *, torch.Generator generator)\n * "
                            f"(int to, *, torch.Generator generator)")
    lo = _int64(from_.__index__())
    if to is _NO_TO:
        raise TypeError("random_() missing required argument 'to'")
    if to is None:
        return _C._random_from_to_(self, lo, None, generator)
    hi = _int64(to.__index__())
    if lo < hi:
        _warn_float_bounds(self.dtype, lo, hi - 1)
    return _C._random_from_to_(self, lo, hi, generator)


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Optional[Generator] = None) -> Tensor:
    """Fills self with 0/1: one 64-bit draw per element for a float p; for a tensor p (broadcast
    to self), a draw of p's precision."""
    if isinstance(p, Tensor):
        return _C._bernoulli_tensor_(self, p, generator)
    return _C._bernoulli_(self, _as_float(p, "bernoulli_", "p"), generator)


def exponential_(self: Tensor, lambd: float = 1.0, *,
                 generator: Optional[Generator] = None) -> Tensor:
    """Fills self with exponential samples ``(-1/lambd) * log1p(-U)``."""
    return _C._exponential_(self, _as_float(lambd, "exponential_", "lambd"), generator)


def _bernoulli_method(self: Tensor, p: Any = None, *,
                      generator: Optional[Generator] = None) -> Tensor:
    return bernoulli(self, p, generator=generator)


def _multinomial_method(self: Tensor, num_samples: int, replacement: builtins.bool = False, *,
                        generator: Optional[Generator] = None) -> Tensor:
    return multinomial(self, num_samples, replacement, generator=generator)


_TENSOR_METHODS = {
    "uniform_": uniform_,
    "normal_": normal_,
    "random_": random_,
    "bernoulli_": bernoulli_,
    "exponential_": exponential_,
    "bernoulli": _bernoulli_method,
    "multinomial": _multinomial_method,
}


def _install_tensor_methods(tensor_cls: type) -> None:
    """Attaches the in-place samplers (and ``bernoulli``/``multinomial``) to the Tensor class."""
    for name, fn in _TENSOR_METHODS.items():
        setattr(tensor_cls, name, fn)


# ---------------------------------------------------------------------------------------------
# Helpers for nn and the DataLoader
# ---------------------------------------------------------------------------------------------

def _dropout(input: Tensor, p: float = 0.5, training: builtins.bool = True,
             generator: Optional[Generator] = None, *, inplace: builtins.bool = False) -> Tensor:
    """``nn.functional.dropout`` (spec 5.3): ``input`` itself when not training, p == 0 or
    empty; ``input * 0`` when p == 1; else ``input * scale`` with
    ``scale = bernoulli_(1 - p) / (1 - p)`` drawn in input's memory order. The product uses
    Tensor ops, so autograd sees it."""
    p = float(p)
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:
        zero = full_on(input, (), 0, input.dtype)
        return input.mul_(zero) if inplace else input * zero
    scale = _C._dropout_scale(input, p, generator)
    return input.mul_(scale) if inplace else input * scale


def _dataloader_epoch_permutation(n: int, generator: Optional[Generator] = None) -> List[int]:
    """The index order of one epoch of ``DataLoader(dataset_of_len_n, shuffle=True)``
    (spec 4.3). Without a generator: one 64-bit draw from the default generator (the
    iterator's base seed), then ``seed = u64 mod 2**63`` seeds a fresh Generator that runs
    ``randperm(n)``. With ``generator`` (``DataLoader(generator=g)``): the base seed is drawn
    from g and the permutation comes from g itself."""
    base = _C.empty((), _C.int64)
    if generator is not None:
        _C._random_(base, generator)
        return _C._randperm(n, _C.int64, generator).tolist()
    _C._random_(base, None)
    s = _C.empty((), _C.int64)
    _C._random_(s, None)
    g = Generator()
    g.manual_seed(int(s.item()))
    return _C._randperm(n, _C.int64, g).tolist()


def _dataloader_base_seed(generator: Optional[Generator] = None) -> int:
    """One ``int64 random_()`` draw (u64 mod 2**63), as the DataLoader iterator's base seed."""
    base = _C.empty((), _C.int64)
    _C._random_(base, generator)
    return int(base.item())
