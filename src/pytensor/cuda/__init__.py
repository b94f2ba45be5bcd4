"""``pytensor.cuda``: CUDA device queries, seeding and memory statistics (torch.cuda's names).

Everything here answers sensibly on a machine without a GPU or on a CPU-only build:
``is_available()`` is False, ``device_count()`` 0, seeding is a no-op and memory statistics
are 0; calls that need a device (``current_device``, ``set_device``, ``synchronize`` ...) raise
RuntimeError. Importing this module loads nothing beyond pytensor's own extension.
"""

from __future__ import annotations

import builtins
import os
from typing import Any, Optional, Tuple, Union

from .. import _C
from .._device import device as _device_cls

__all__ = [
    "is_available", "is_built", "device_count", "current_device", "set_device", "device",
    "synchronize", "manual_seed", "manual_seed_all", "seed", "seed_all", "initial_seed",
    "get_rng_state", "set_rng_state", "get_rng_state_all", "set_rng_state_all",
    "memory_allocated", "memory_reserved", "empty_cache", "get_device_name",
    "get_device_capability", "is_initialized",
]

DeviceLike = Union[int, str, _device_cls, None]

_BUILT = builtins.bool(_C._cuda_is_built())


def is_built() -> builtins.bool:
    """Whether this pytensor was compiled with the CUDA backend (torch.backends.cuda.is_built)."""
    return _BUILT


def device_count() -> int:
    """Number of usable CUDA devices (0 without a driver, a GPU, or a CUDA build)."""
    try:
        return int(_C._cuda_device_count())
    except Exception:  # never let a broken driver turn a query into a crash
        return 0


def is_available() -> builtins.bool:
    """True when CUDA tensors can be created: a CUDA build and at least one GPU. Never raises."""
    return _BUILT and device_count() > 0


def is_initialized() -> builtins.bool:
    """Whether the CUDA backend is usable in this process (pytensor initializes it on first use
    of a device; a process without a GPU never is)."""
    return is_available()


def current_device() -> int:
    """Index of the current CUDA device."""
    return int(_C._cuda_current_device())


def _index(dev: DeviceLike, optional: builtins.bool = True) -> int:
    """torch's _get_device_index: an int as is; 'cuda'/'cuda:N'/device; None -> current."""
    if dev is None:
        if not optional:
            raise ValueError("Expected a torch.device with a specified index or an integer, "
                             "but got:None")
        return current_device()
    if isinstance(dev, int) and not isinstance(dev, builtins.bool):
        return dev
    d = dev if isinstance(dev, _device_cls) else _device_cls(dev)
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return current_device() if d.index is None else d.index


def set_device(device: DeviceLike) -> None:
    """Makes ``device`` the current CUDA device (a negative index is ignored, as torch)."""
    i = _index(device)
    if i >= 0:
        _C._cuda_set_device(i)


class device:
    """Context manager that makes a CUDA device current inside a ``with`` block."""

    def __init__(self, device: DeviceLike) -> None:
        self.idx = -1 if device is None else _index(device)
        self.prev_idx = -1

    def __enter__(self) -> None:
        if self.idx >= 0:
            self.prev_idx = current_device()
            if self.prev_idx != self.idx:
                _C._cuda_set_device(self.idx)

    def __exit__(self, *exc: Any) -> None:
        if self.idx >= 0 and self.prev_idx != self.idx:
            _C._cuda_set_device(self.prev_idx)


def synchronize(device: DeviceLike = None) -> None:
    """Waits until all work queued on ``device`` (default: the current one) has finished."""
    _C._cuda_synchronize(-1 if device is None else _index(device))


# ---- random number generators --------------------------------------------------------------------
# As torch's, these are lazy on machines without a GPU: seeding does nothing there, so that
# pytensor.manual_seed works everywhere.

def manual_seed(seed: int) -> None:
    """Seeds the current CUDA device's generator."""
    seed = int(seed)
    if is_available():
        _C._cuda_manual_seed(seed)


def manual_seed_all(seed: int) -> None:
    """Seeds the generators of all CUDA devices."""
    seed = int(seed)
    if is_available():
        _C._cuda_manual_seed_all(seed)


def seed() -> None:
    """Seeds the current CUDA device's generator with a non-deterministic value."""
    if is_available():
        _C._cuda_seed()


def seed_all() -> None:
    """Seeds the generators of all CUDA devices with one non-deterministic value."""
    if is_available():
        _C._cuda_seed_all()


def initial_seed() -> int:
    """The seed of the current CUDA device's generator."""
    return int(_C._cuda_initial_seed(current_device()))


def get_rng_state(device: DeviceLike = "cuda") -> Any:
    """The generator state of ``device`` as a CPU uint8 tensor."""
    return _C._cuda_get_rng_state(_index(device))


def set_rng_state(new_state: Any, device: DeviceLike = "cuda") -> None:
    """Restores a state returned by ``get_rng_state`` on ``device``."""
    _C._cuda_set_rng_state(new_state, _index(device))


def get_rng_state_all() -> list:
    """Every device's generator state, by device index."""
    return [get_rng_state(i) for i in range(device_count())]


def set_rng_state_all(new_states: Any) -> None:
    """Restores the states returned by ``get_rng_state_all``."""
    for i, state in enumerate(new_states):
        set_rng_state(state, i)


# ---- memory --------------------------------------------------------------------------------------

def _memory_index(device: DeviceLike) -> int:
    return _index(device) if is_available() else -1


def memory_allocated(device: DeviceLike = None) -> int:
    """Bytes of device memory held by live tensors (0 where CUDA is unavailable)."""
    i = _memory_index(device)
    return int(_C._cuda_memory_allocated(i)) if i >= 0 else 0


def memory_reserved(device: DeviceLike = None) -> int:
    """Bytes of device memory held by the caching allocator: live tensors plus cached blocks."""
    i = _memory_index(device)
    return int(_C._cuda_memory_reserved(i)) if i >= 0 else 0


def empty_cache() -> None:
    """Returns cached, unused device memory to the driver (other processes can then use it)."""
    _C._cuda_empty_cache()


# ---- device properties, read through the driver API (libcuda), loaded only when asked ------------

_driver: Any = None


def _cu() -> Any:
    global _driver
    if _driver is None:
        import ctypes  # noqa: PLC0415

        if not is_available():
            _C._cuda_current_device()  # raises the no-device error
        lib = ctypes.CDLL("libcuda.so.1")
        if lib.cuInit(0) != 0:
            raise RuntimeError("CUDA driver: cuInit failed")
        _driver = lib
    return _driver


def _cu_device(device: DeviceLike) -> Any:
    import ctypes  # noqa: PLC0415

    lib = _cu()
    i = _index(device)
    if not 0 <= i < device_count():
        raise RuntimeError(f"CUDA error: invalid device ordinal {i}")
    handle = ctypes.c_int()
    if lib.cuDeviceGet(ctypes.byref(handle), i) != 0:
        raise RuntimeError(f"CUDA driver: cuDeviceGet({i}) failed")
    return lib, handle


def get_device_name(device: DeviceLike = None) -> str:
    """The device's name, e.g. ``'NVIDIA H100 80GB HBM3'``."""
    import ctypes  # noqa: PLC0415

    lib, handle = _cu_device(device)
    buf = ctypes.create_string_buffer(256)
    if lib.cuDeviceGetName(buf, 256, handle) != 0:
        raise RuntimeError("CUDA driver: cuDeviceGetName failed")
    return buf.value.decode()


def get_device_capability(device: DeviceLike = None) -> Tuple[int, int]:
    """The device's compute capability as ``(major, minor)``, e.g. ``(9, 0)`` for Hopper."""
    import ctypes  # noqa: PLC0415

    lib, handle = _cu_device(device)
    out = []
    for attribute in (75, 76):  # CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR / _MINOR
        v = ctypes.c_int()
        if lib.cuDeviceGetAttribute(ctypes.byref(v), attribute, handle) != 0:
            raise RuntimeError("CUDA driver: cuDeviceGetAttribute failed")
        out.append(v.value)
    return out[0], out[1]


# ---- cuBLAS --------------------------------------------------------------------------------------

def _cublas_dir() -> Optional[str]:
    """The lib folder of the nvidia-cublas wheel (``nvidia/cu13/lib`` or ``nvidia/cublas/lib``),
    found without importing anything."""
    import importlib.util  # noqa: PLC0415

    try:
        spec = importlib.util.find_spec("nvidia")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for sub in ("cu13", "cublas", "cu12"):
            lib = os.path.join(root, sub, "lib")
            try:
                names = os.listdir(lib)
            except OSError:
                continue
            if any(n.startswith("libcublas.so") for n in names):
                return lib
    return None


def _set_cublas_path() -> None:
    # The core loads cuBLAS on first use from PYTENSOR_CUBLAS_PATH, else by soname (a CUDA
    # toolkit on the loader path). A user's own setting wins.
    if "PYTENSOR_CUBLAS_PATH" in os.environ:
        return
    lib = _cublas_dir()
    if lib is not None:
        os.environ["PYTENSOR_CUBLAS_PATH"] = lib


if _BUILT:
    _set_cublas_path()
