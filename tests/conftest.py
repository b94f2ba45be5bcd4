"""Shared helpers for the pytensor test suite.

``assert_close`` compares a pytensor tensor with a numpy array (dtype mapping and values);
``restore_global_state`` is an autouse fixture that puts back print options and the default
dtype after every test; ``torch`` is a fixture that skips the test when torch is not installed.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pytest

import pytensor


def pytest_collection_modifyitems(config: Any, items: list) -> None:
    """Marks the tests the GPU check must run as ``gpu``: all of ``test_cuda_*.py`` and, in other
    files, every test skipped for want of a CUDA GPU."""
    for item in items:
        needs_gpu = item.path.name.startswith("test_cuda_") or any(
            "CUDA GPU" in str(m.kwargs.get("reason", "")) for m in item.iter_markers("skipif"))
        if needs_gpu:
            item.add_marker(pytest.mark.gpu)


# pytensor dtype -> numpy dtype, for every dtype the core supports.
DTYPE_PAIRS = [
    (pytensor.bool, np.dtype(np.bool_)),
    (pytensor.uint8, np.dtype(np.uint8)),
    (pytensor.int8, np.dtype(np.int8)),
    (pytensor.int16, np.dtype(np.int16)),
    (pytensor.int32, np.dtype(np.int32)),
    (pytensor.int64, np.dtype(np.int64)),
    (pytensor.float32, np.dtype(np.float32)),
    (pytensor.float64, np.dtype(np.float64)),
]
ALL_DTYPES = [p for p, _ in DTYPE_PAIRS]
INT_DTYPES = [pytensor.uint8, pytensor.int8, pytensor.int16, pytensor.int32, pytensor.int64]
FLOAT_DTYPES = [pytensor.float32, pytensor.float64]
NP_OF = {p: n for p, n in DTYPE_PAIRS}
PT_OF = {n: p for p, n in DTYPE_PAIRS}


def np_dtype(d: pytensor.dtype) -> np.dtype:
    """The numpy dtype of a pytensor dtype."""
    return NP_OF[d]


def torch_dtype(torch: Any, d: pytensor.dtype) -> Any:
    """The torch dtype with the same name as a pytensor dtype."""
    return getattr(torch, d._name)


def to_numpy(t: pytensor.Tensor) -> np.ndarray:
    """A copy of the tensor's values as a numpy array, not via the code under test's sharing."""
    return np.array(t.tolist(), dtype=NP_OF[t.dtype]).reshape(tuple(t.shape))


def assert_close(
    actual: pytensor.Tensor,
    expected: Any,
    rtol: Optional[float] = None,
    atol: Optional[float] = None,
    *,
    dtype: Any = None,
    equal_nan: bool = True,
    check_dtype: bool = True,
) -> None:
    """Asserts ``actual`` (a pytensor tensor) has ``expected``'s shape, dtype and values.

    ``expected`` is a numpy array (or a torch tensor, or anything np.asarray takes). Its dtype
    must map to ``actual.dtype`` unless ``dtype=`` names the expected pytensor dtype.
    Tolerances default to exact for integers and bool, and to a few ulps for floats.
    """
    assert isinstance(actual, pytensor.Tensor), f"expected a pytensor.Tensor, got {type(actual)}"
    if hasattr(expected, "detach") and hasattr(expected, "numpy"):  # a torch tensor
        expected = expected.detach().numpy()
    expected = np.asarray(expected)
    want = dtype if dtype is not None else PT_OF.get(expected.dtype)
    if check_dtype:
        assert actual.dtype == want, f"dtype {actual.dtype} != expected {want}"
    assert tuple(actual.shape) == expected.shape, f"shape {tuple(actual.shape)} != {expected.shape}"
    got = to_numpy(actual)
    if actual.dtype.is_floating_point:
        if rtol is None:
            rtol = 1e-6 if actual.dtype == pytensor.float32 else 1e-12
        if atol is None:
            atol = 1e-6 if actual.dtype == pytensor.float32 else 1e-12
        np.testing.assert_allclose(
            got, expected.astype(got.dtype), rtol=rtol, atol=atol, equal_nan=equal_nan
        )
    else:
        np.testing.assert_array_equal(got, expected.astype(got.dtype))


def same_storage(a: pytensor.Tensor, b: pytensor.Tensor) -> bool:
    """True when both tensors view the same storage."""
    return a._storage_ptr() == b._storage_ptr()


def pytest_make_parametrize_id(config, val, argname):
    """Readable test ids: dtypes by name."""
    return val._name if isinstance(val, pytensor.dtype) else None


@pytest.fixture(autouse=True)
def restore_global_state():
    """Print options and the default dtype are process-wide; every test gets them back."""
    opts = pytensor.get_printoptions() if hasattr(pytensor, "get_printoptions") else None
    default = pytensor.get_default_dtype()
    yield
    pytensor.set_default_dtype(default)
    if opts is not None:
        pytensor.set_printoptions(**opts)


@pytest.fixture
def torch():
    """Real torch for parity checks; the test skips when it is not installed."""
    return pytest.importorskip("torch")


requires_torch = pytest.mark.skipif(
    __import__("importlib").util.find_spec("torch") is None, reason="torch is not installed"
)

