"""tril / triu / flip / roll against numpy, torch's errors, and their gradients."""
from __future__ import annotations

import numpy as np
import pytest

import pytensor

DTYPES = ["float32", "float64", "int64", "int8", "uint8", "bool"]


def _data(dtype, shape):
    a = np.arange(np.prod(shape)).reshape(shape) % 7
    return (a > 3) if dtype == "bool" else a.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (2, 3, 5), (1, 1)])
@pytest.mark.parametrize("diagonal", [-2, -1, 0, 1, 3])
def test_tril_triu_match_numpy(dtype, shape, diagonal):
    a = _data(dtype, shape)
    x = pytensor.from_numpy(a)
    np.testing.assert_array_equal(pytensor.tril(x, diagonal).numpy(), np.tril(a, diagonal))
    np.testing.assert_array_equal(x.triu(diagonal).numpy(), np.triu(a, diagonal))
    assert x.tril(diagonal).dtype == x.dtype


def test_tril_zeroes_nan_and_needs_two_dims():
    x = pytensor.tensor([[float("nan"), 1.0], [2.0, 3.0]])
    assert x.tril().tolist()[0][1] == 0.0
    with pytest.raises(RuntimeError, match="tril: input tensor must have at least 2 dimensions"):
        pytensor.tril(pytensor.arange(3.0))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dims", [(0,), (1,), (-1,), (0, 2), (2, 1, 0), ()])
def test_flip_matches_numpy(dtype, dims):
    a = _data(dtype, (2, 3, 4))
    got = pytensor.from_numpy(a).flip(dims)
    np.testing.assert_array_equal(got.numpy(), np.flip(a, dims) if dims else a)
    assert got.is_contiguous()


def test_flip_errors_as_torch():
    x = pytensor.arange(12.0).view(3, 4)
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times in the list of dims"):
        x.flip(0, 0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.flip(2)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shifts,dims", [(1, None), (-5, None), (2, 1), ((1, 2), (0, 1)), ((-7, 3), (2, 0)), (4, 0)])
def test_roll_matches_numpy(dtype, shifts, dims):
    a = _data(dtype, (3, 4, 5))
    np.testing.assert_array_equal(pytensor.from_numpy(a).roll(shifts, dims).numpy(), np.roll(a, shifts, dims))


def test_roll_errors_as_torch():
    x = pytensor.arange(12.0).view(3, 4)
    with pytest.raises(RuntimeError, match="shifts and dimensions must align. shifts: 1, dims:2"):
        x.roll(1, (0, 1))
    with pytest.raises(RuntimeError, match="`shifts` required"):
        x.roll(())


@pytest.mark.parametrize("fn,name", [
    (lambda t: t.tril(), "TrilBackward0"), (lambda t: t.triu(1), "TriuBackward0"),
    (lambda t: t.flip(1, 0), "FlipBackward0"), (lambda t: t.roll(2), "RollBackward0"),
    (lambda t: t.roll((1, -1), (0, 1)), "RollBackward0"),
])
def test_gradients_and_node_names(fn, name):
    x = pytensor.randn(3, 4, dtype=pytensor.float64, requires_grad=True)
    assert fn(x).grad_fn.name() == name
    assert pytensor.autograd.gradcheck(fn, (x,))
    assert pytensor.autograd.gradgradcheck(fn, (x,))
