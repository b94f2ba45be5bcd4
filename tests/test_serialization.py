"""pytensor.save / pytensor.load: exact round trips of tensors and nested containers, model and
optimizer state dicts, and clear errors on truncated, corrupt or foreign files. The format is a
zip of a JSON manifest and raw arrays, so loading cannot execute code."""

from __future__ import annotations

import io
import json
import math
import os
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import pytensor
import pytensor.nn as nn
import pytensor.optim as optim
import pytensor.random as R

from conftest import ALL_DTYPES, NP_OF, assert_close, to_numpy


def roundtrip(obj, path=None):
    if path is None:
        buf = io.BytesIO()
        pytensor.save(obj, buf)
        buf.seek(0)
        return pytensor.load(buf)
    pytensor.save(obj, path)
    return pytensor.load(path)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3, 4), (3, 0, 2)])
def test_tensor_roundtrip_exact(dtype, shape):
    rng = np.random.default_rng(0)
    arr = np.asarray(rng.standard_normal(shape) * 100).astype(NP_OF[dtype])
    t = pytensor.from_numpy(arr.copy())
    back = roundtrip(t)
    assert isinstance(back, pytensor.Tensor) and back.dtype == dtype
    assert tuple(back.shape) == shape
    np.testing.assert_array_equal(to_numpy(back), arr)
    assert back.is_contiguous()


def test_special_floats_and_non_contiguous():
    t = pytensor.tensor([[float("nan"), float("inf")], [-float("inf"), -0.0]],
                        dtype=pytensor.float64)
    back = roundtrip(t.t())
    got = to_numpy(back)
    assert math.isnan(got[0, 0]) and got[1, 0] == math.inf and got[0, 1] == -math.inf
    assert math.copysign(1.0, got[1, 1]) == -1.0
    view = pytensor.arange(0, 20, 1).reshape(4, 5)[1:, ::2]
    np.testing.assert_array_equal(to_numpy(roundtrip(view)), to_numpy(view))


def test_nested_containers_and_scalars(tmp_path):
    obj = {
        "a": [1, 2.5, "three", None, True, False, b"\x00\xff"],
        "b": (pytensor.ones(2), {"nested": (1, (2, 3))}),
        7: -1,
        2.5: float("nan"),
        "big": 2 ** 70,
        "tiny": 5e-324,
        "dtype": pytensor.float64,
        ("tuple", "key"): "value",
    }
    back = roundtrip(obj, tmp_path / "nested.pt")
    assert list(back) == list(obj)
    assert back["a"] == obj["a"]
    assert isinstance(back["b"], tuple) and isinstance(back["b"][1]["nested"][1], tuple)
    assert to_numpy(back["b"][0]).tolist() == [1.0, 1.0]
    assert back[7] == -1 and math.isnan(back[2.5]) and back["big"] == 2 ** 70
    assert back["tiny"] == 5e-324 and back["dtype"] == pytensor.float64
    assert back[("tuple", "key")] == "value"
    assert roundtrip(3) == 3 and roundtrip("s") == "s" and roundtrip(None) is None


def test_shared_tensor_identity_and_parameters():
    t = pytensor.ones(3)
    p = nn.Parameter(pytensor.zeros(2))
    q = nn.Parameter(pytensor.zeros(2), requires_grad=False)
    back = roundtrip({"x": t, "y": t, "p": p, "q": q, "g": pytensor.ones(1).requires_grad_()})
    assert back["x"] is back["y"]
    assert isinstance(back["p"], nn.Parameter) and back["p"].requires_grad
    assert isinstance(back["q"], nn.Parameter) and not back["q"].requires_grad
    assert back["g"].requires_grad and not back["x"].requires_grad


def test_model_state_dict_roundtrip(tmp_path):
    R.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 2))
    path = os.fspath(tmp_path / "model.pt")
    pytensor.save(model.state_dict(), path)
    loaded = pytensor.load(path)
    assert isinstance(loaded, OrderedDict) and list(loaded) == list(model.state_dict())
    assert loaded._metadata == model.state_dict()._metadata
    R.manual_seed(1)
    fresh = nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 2))
    assert repr(fresh.load_state_dict(loaded)) == "<All keys matched successfully>"
    for a, b in zip(model.parameters(), fresh.parameters()):
        np.testing.assert_array_equal(to_numpy(a.detach()), to_numpy(b.detach()))
    if hasattr(pytensor._C, "linear") and hasattr(pytensor, "no_grad"):
        x = R.randn(3, 6)
        with pytensor.no_grad():
            np.testing.assert_array_equal(to_numpy(model(x)), to_numpy(fresh(x)))


def test_optimizer_state_roundtrip():
    p = nn.Parameter(pytensor.tensor([1.0, 2.0, 3.0]))
    opt = optim.Adam([p], lr=0.1, amsgrad=True)
    p.grad = pytensor.tensor([0.1, -0.2, 0.3])
    opt.step()
    sd = opt.state_dict()
    back = roundtrip(sd)
    assert list(back["state"]) == [0]
    assert back["param_groups"] == sd["param_groups"]
    assert isinstance(back["param_groups"][0]["betas"], tuple)
    for key, value in sd["state"][0].items():
        assert_close(back["state"][0][key], to_numpy(value))
    assert back["state"][0]["step"].dtype == pytensor.float32


def test_checkpoint_written_as_zip_with_json_manifest(tmp_path):
    path = tmp_path / "ckpt.pt"
    pytensor.save({"w": pytensor.ones(2, 2)}, path)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("pytensor/manifest.json"))
    assert "pytensor/data/0" in names
    assert manifest["format"] == "pytensor.save" and manifest["tensors"] == 1
    assert not any(n.endswith(".pkl") for n in names)


def test_truncated_and_foreign_files(tmp_path):
    good = io.BytesIO()
    pytensor.save({"w": pytensor.ones(100)}, good)
    data = good.getvalue()
    for cut in (0, 10, len(data) // 2, len(data) - 5):
        with pytest.raises(RuntimeError, match="pytensor.load"):
            pytensor.load(io.BytesIO(data[:cut]))
    text = tmp_path / "notes.txt"
    text.write_text("hello, not a checkpoint")
    with pytest.raises(RuntimeError, match="is not a pytensor checkpoint"):
        pytensor.load(text)
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("something.json", "{}")
    other.seek(0)
    with pytest.raises(RuntimeError, match="no pytensor/manifest.json"):
        pytensor.load(other)
    with pytest.raises(FileNotFoundError):
        pytensor.load(tmp_path / "missing.pt")


def _rewrite(data: bytes, name: str, content: bytes) -> io.BytesIO:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            zf.writestr(info.filename, content if info.filename == name else src.read(info))
    out.seek(0)
    return out


def test_corrupt_entries():
    buf = io.BytesIO()
    pytensor.save({"w": pytensor.ones(4)}, buf)
    data = buf.getvalue()
    with pytest.raises(RuntimeError, match="corrupt or truncated"):
        pytensor.load(_rewrite(data, "pytensor/data/0", b"\x00" * 7))
    with pytest.raises(RuntimeError, match="unreadable manifest"):
        pytensor.load(_rewrite(data, "pytensor/manifest.json", b"{not json"))
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("pytensor/manifest.json"))
    manifest["root"] = {"$object": "os.system", "args": ["echo pwned"]}
    with pytest.raises(RuntimeError, match="unknown manifest node"):
        pytensor.load(_rewrite(data, "pytensor/manifest.json", json.dumps(manifest).encode()))
    deep = '{"format": "pytensor.save", "version": 1, "root": ' + '{"$list": [' * 50000 \
        + ']}' * 50000 + '}'
    with pytest.raises(RuntimeError, match="corrupt or truncated"):
        pytensor.load(_rewrite(data, "pytensor/manifest.json", deep.encode()))
    manifest["format"] = "something-else"
    with pytest.raises(RuntimeError, match="unknown manifest format"):
        pytensor.load(_rewrite(data, "pytensor/manifest.json", json.dumps(manifest).encode()))


def test_torch_checkpoint_is_refused(tmp_path, torch):
    path = tmp_path / "torch.pt"
    torch.save({"w": torch.ones(2)}, path)
    with pytest.raises(RuntimeError, match="written by torch.save"):
        pytensor.load(path)


def test_unsupported_objects():
    with pytest.raises(TypeError, match="cannot save an object of type object"):
        pytensor.save({"x": object()}, io.BytesIO())
    with pytest.raises(TypeError, match="cannot save an object of type set"):
        pytensor.save({1, 2}, io.BytesIO())
