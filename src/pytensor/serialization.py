"""``pytensor.save`` / ``pytensor.load``: tensors and nested containers of tensors, numbers and
strings (state dicts, optimizer states, checkpoints) in a format that cannot run code on load.

The file is a zip archive (stored, not compressed) holding ``pytensor/manifest.json`` and one
raw little-endian entry per tensor under ``pytensor/data/``. The manifest describes the object
tree with tagged JSON nodes; loading only ever builds dicts, lists, tuples, numbers, strings,
bytes and tensors, never arbitrary classes (unlike pickle, which ``torch.load`` uses)."""

from __future__ import annotations

import base64
import io
import json
import os
import zipfile
from collections import OrderedDict
from typing import Any, BinaryIO, Dict, List, Union

import numpy as np

from . import _C
from ._C import Tensor
from ._device import as_device, host_numpy, to_device

__all__ = ["save", "load"]

_FORMAT = "pytensor.save"
_VERSION = 1
_MANIFEST = "pytensor/manifest.json"
_DATA = "pytensor/data/"

_DTYPES = {
    "float32": (_C.float32, "<f4"), "float64": (_C.float64, "<f8"), "int64": (_C.int64, "<i8"),
    "int32": (_C.int32, "<i4"), "int16": (_C.int16, "<i2"), "int8": (_C.int8, "i1"),
    "uint8": (_C.uint8, "u1"), "bool": (_C.bool, "?"),
}
_DTYPE_NAMES = {dt: name for name, (dt, _) in _DTYPES.items()}

FileLike = Union[str, os.PathLike, BinaryIO, io.BytesIO]


def _dtype_name(dt: Any) -> str:
    return _DTYPE_NAMES[dt]


class _Writer:
    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.memo: Dict[int, int] = {}
        self.keep: List[Any] = []  # keeps memoized objects alive so ids stay unique

    def encode(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, int):
            return int(obj)
        if isinstance(obj, float):
            return {"$float": float.hex(obj)}
        if isinstance(obj, Tensor):
            return self._tensor(obj)
        if isinstance(obj, (bytes, bytearray)):
            return {"$bytes": base64.b64encode(bytes(obj)).decode("ascii")}
        if isinstance(obj, _C.dtype):
            return {"$dtype": _dtype_name(obj)}
        if isinstance(obj, dict):
            node: Dict[str, Any] = {"$dict": [[self.encode(k), self.encode(v)]
                                              for k, v in obj.items()]}
            if isinstance(obj, OrderedDict):
                node["ordered"] = True
                metadata = getattr(obj, "_metadata", None)
                if metadata is not None:
                    node["metadata"] = self.encode(metadata)
            return node
        if isinstance(obj, tuple):
            return {"$tuple": [self.encode(v) for v in obj]}
        if isinstance(obj, list):
            return {"$list": [self.encode(v) for v in obj]}
        if isinstance(obj, (np.integer, np.bool_)):
            return self.encode(obj.item())
        if isinstance(obj, np.floating):
            return self.encode(float(obj))
        raise TypeError(f"pytensor.save: cannot save an object of type {type(obj).__name__}; "
                        "supported are tensors, dicts, lists, tuples, None, bool, int, float, "
                        "str and bytes")

    def _tensor(self, t: Tensor) -> Dict[str, Any]:
        key = id(t)
        if key not in self.memo:
            index = len(self.memo)
            self.memo[key] = index
            self.keep.append(t)
            data = _C.contiguous(t.detach())
            arr = host_numpy(data)  # a CUDA tensor is written from a host copy
            name = _dtype_name(t.dtype)
            flat = np.ascontiguousarray(arr.astype(_DTYPES[name][1], copy=False)).reshape(-1)
            self.zf.writestr(f"{_DATA}{index}", memoryview(flat.view(np.uint8)))
        from .nn.parameter import Parameter
        node = {"$tensor": self.memo[key], "dtype": _dtype_name(t.dtype),
                "shape": list(t.shape), "requires_grad": bool(t.requires_grad),
                "parameter": isinstance(t, Parameter)}
        device = t._device_str
        if device != "cpu":  # CPU files stay byte-identical to those of CPU-only versions
            node["device"] = device
        return node


def save(obj: Any, f: FileLike, pickle_module: Any = None, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True) -> None:
    """Writes ``obj`` (tensors, and dicts/lists/tuples of tensors, numbers and strings) to the
    path or binary file ``f``. The pickle arguments exist for torch compatibility and are
    ignored: nothing is pickled."""
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            _save(obj, fh)
    else:
        _save(obj, f)


def _save(obj: Any, fh: BinaryIO) -> None:
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        writer = _Writer(zf)
        root = writer.encode(obj)
        manifest = {"format": _FORMAT, "version": _VERSION, "byteorder": "little",
                    "tensors": len(writer.memo), "root": root}
        zf.writestr(_MANIFEST, json.dumps(manifest, allow_nan=False))


class _Reader:
    def __init__(self, zf: zipfile.ZipFile, source: str, map_location: Any = None) -> None:
        self.zf = zf
        self.source = source
        self.map_location = map_location
        self.tensors: Dict[int, Tensor] = {}
        self.names = set(zf.namelist())

    def place(self, t: Tensor, saved: str) -> Tensor:
        """The loaded CPU tensor ``t`` on its target device: the saved one unless
        ``map_location`` (a device, a {saved: target} dict, or ``fn(tensor, saved)``) says
        otherwise."""
        m = self.map_location
        if callable(m):
            out = m(t, saved)
            return t if out is None else out
        target: Any = saved
        if isinstance(m, dict):
            target = m.get(saved, saved)
        elif m is not None:
            target = m
        d = as_device(target)
        if d.type == "cpu":
            return t
        from . import cuda  # noqa: PLC0415

        if not cuda.is_available():
            raise RuntimeError("Attempting to deserialize object on a CUDA device but "
                               "pytensor.cuda.is_available() is False. If you are running on a "
                               "CPU-only machine, please use pytensor.load with "
                               "map_location=pytensor.device('cpu') to map your storages to the "
                               "CPU.")
        return to_device(t, d)

    def corrupt(self, why: str) -> RuntimeError:
        return RuntimeError(f"pytensor.load: {self.source} is corrupt or truncated ({why})")

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, (bool, int, str)):
            return node
        if isinstance(node, float):
            return node
        if isinstance(node, dict):
            if "$tensor" in node:
                return self._tensor(node)
            if "$float" in node:
                return float.fromhex(node["$float"])
            if "$dict" in node:
                items = [(self.decode(k), self.decode(v)) for k, v in node["$dict"]]
                if node.get("ordered"):
                    out: Any = OrderedDict(items)
                    if "metadata" in node:
                        out._metadata = self.decode(node["metadata"])
                    return out
                return dict(items)
            if "$list" in node:
                return [self.decode(v) for v in node["$list"]]
            if "$tuple" in node:
                return tuple(self.decode(v) for v in node["$tuple"])
            if "$bytes" in node:
                return base64.b64decode(node["$bytes"])
            if "$dtype" in node:
                return _DTYPES[node["$dtype"]][0]
        raise self.corrupt(f"unknown manifest node {str(node)[:60]!r}")

    def _tensor(self, node: Dict[str, Any]) -> Tensor:
        index = node["$tensor"]
        t = self.tensors.get(index)
        if t is None:
            name = f"{_DATA}{index}"
            if name not in self.names:
                raise self.corrupt(f"missing tensor entry {name}")
            dtype_name = node["dtype"]
            if dtype_name not in _DTYPES:
                raise self.corrupt(f"unknown dtype {dtype_name!r}")
            dt, np_code = _DTYPES[dtype_name]
            shape = tuple(int(s) for s in node["shape"])
            if any(s < 0 for s in shape):
                raise self.corrupt(f"negative size in shape {list(shape)}")
            nbytes = int(np.prod(shape, dtype=np.int64)) * np.dtype(np_code).itemsize
            if self.zf.getinfo(name).file_size != nbytes:
                raise self.corrupt(f"tensor entry {name} holds {self.zf.getinfo(name).file_size}"
                                   f" bytes, but shape {list(shape)} of {dtype_name} needs "
                                   f"{nbytes}")
            t = _C.empty(shape, dt)
            if nbytes:
                # Read straight into the new tensor's memory (no intermediate copy).
                view = memoryview(t._numpy().reshape(-1).view(np.uint8))
                with self.zf.open(name) as fh:
                    got = fh.readinto(view)
                if got != nbytes:
                    raise self.corrupt(f"tensor entry {name} is short")
            saved = node.get("device", "cpu")
            if saved != "cpu" or self.map_location is not None:
                t = self.place(t, saved)
            self.tensors[index] = t
        if node.get("parameter"):
            from .nn.parameter import Parameter
            return Parameter(t, bool(node.get("requires_grad", True)))
        if node.get("requires_grad"):
            t.requires_grad_(True)
        return t


def load(f: FileLike, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool = True, mmap: Any = None, **pickle_load_args: Any) -> Any:
    """Reads an object written by ``pytensor.save`` from a path or binary file. Raises
    RuntimeError for files that are not pytensor checkpoints or are truncated. Tensors return to
    the device they were saved from unless ``map_location`` (a device or str, a dict
    ``{'cuda:0': 'cpu'}``, or a callable ``fn(tensor, saved_location)``) maps them elsewhere.
    ``weights_only`` is accepted for torch compatibility; loading never runs code."""
    source = repr(os.fspath(f)) if isinstance(f, (str, os.PathLike)) else "the file"
    try:
        zf = zipfile.ZipFile(f, "r")
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise RuntimeError(f"pytensor.load: {source} is not a pytensor checkpoint (not a zip "
                           f"archive, or truncated): {e}") from None
    with zf:
        names = zf.namelist()
        if _MANIFEST not in names:
            if any(n.endswith("/data.pkl") or n == "data.pkl" for n in names):
                raise RuntimeError(f"pytensor.load: {source} was written by torch.save (a "
                                   "pickle); pytensor does not unpickle. Re-save it with "
                                   "pytensor.save, e.g. from tensors converted with numpy()")
            raise RuntimeError(f"pytensor.load: {source} is not a pytensor checkpoint (no "
                               f"{_MANIFEST})")
        reader = _Reader(zf, source, map_location)
        try:
            manifest = json.loads(zf.read(_MANIFEST).decode("utf-8"))
        except (zipfile.BadZipFile, UnicodeDecodeError, json.JSONDecodeError, EOFError,
                OSError, RecursionError) as e:
            raise reader.corrupt(f"unreadable manifest: {e}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
            raise RuntimeError(f"pytensor.load: {source} is not a pytensor checkpoint (unknown "
                               "manifest format)")
        if manifest.get("version", 0) > _VERSION:
            raise RuntimeError(f"pytensor.load: {source} has format version "
                               f"{manifest.get('version')}, newer than this pytensor "
                               f"supports ({_VERSION})")
        try:
            return reader.decode(manifest["root"])
        except zipfile.BadZipFile as e:
            raise reader.corrupt(str(e)) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as e:
            raise reader.corrupt(f"malformed manifest: {e!r}") from None
