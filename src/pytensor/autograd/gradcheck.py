"""``gradcheck``/``gradgradcheck``: analytical gradients against central finite differences."""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence

import numpy as np

from .. import _C
from .._C import Tensor
from .engine import grad as _grad


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when the gradients disagree."""


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _outputs(func: Callable, inputs: tuple) -> List[Tensor]:
    return [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]


def _numerical_jacobians(
    func: Callable, inputs: tuple, diff_idx: List[int], eps: float
) -> List[List[np.ndarray]]:
    """jac[i][j]: d output j / d input i as a (numel_in, numel_out) array (central differences)."""
    outs0 = _outputs(func, inputs)  # grad mode stays on: gradgradcheck's func calls grad()
    jac = [[np.zeros((inputs[i].numel(), o.numel())) for o in outs0] for i in diff_idx]
    for ii, i in enumerate(diff_idx):
        x = inputs[i]
        buf = x.detach()._numpy()  # shares memory: perturb in place
        flat_idx = list(np.ndindex(*buf.shape)) if buf.ndim else [()]
        for k, idx in enumerate(flat_idx):
            orig = buf[idx].copy()
            buf[idx] = orig + eps
            plus = [o.detach()._numpy().astype(np.float64).copy() for o in _outputs(func, inputs)]
            buf[idx] = orig - eps
            minus = [o.detach()._numpy().astype(np.float64).copy() for o in _outputs(func, inputs)]
            buf[idx] = orig
            for j, (p, m) in enumerate(zip(plus, minus)):
                jac[ii][j][k] = ((p - m) / (2 * eps)).reshape(-1)
    return jac


def _analytical_jacobians(
    func: Callable, inputs: tuple, diff_idx: List[int]
) -> List[List[np.ndarray]]:
    outs = _outputs(func, inputs)
    diff_inputs = [inputs[i] for i in diff_idx]
    jac = [[np.zeros((inputs[i].numel(), o.numel())) for o in outs] for i in diff_idx]
    for j, o in enumerate(outs):
        if not o.requires_grad:
            continue
        n = o.numel()
        for k in range(n):
            seed = np.zeros(n, dtype=o.detach()._numpy().dtype)
            seed[k] = 1
            go = _C.from_numpy(seed.reshape(o.shape))
            grads = _grad([o], diff_inputs, [go], retain_graph=True, allow_unused=True)
            for ii, g in enumerate(grads):
                if g is not None:
                    jac[ii][j][:, k] = g.detach()._numpy().astype(np.float64).reshape(-1)
    return jac


def gradcheck(
    func: Callable,
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: Optional[bool] = None,
) -> bool:
    """True if the gradients of ``func`` at ``inputs`` (tensors requiring grad should be float64)
    match central finite differences within ``atol + rtol * |numerical|``."""
    inputs = _as_tuple(inputs)
    diff_idx = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not diff_idx:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of "
            "the them have requires_grad=True."
        )
    for i in diff_idx:
        if inputs[i].dtype != _C.float64:
            import warnings  # noqa: PLC0415

            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point. "
                "This check will likely fail if all the inputs are not of double precision "
                "floating point. ",
                stacklevel=2,
            )
    numerical = _numerical_jacobians(func, inputs, diff_idx, eps)
    analytical = _analytical_jacobians(func, inputs, diff_idx)
    for ii, i in enumerate(diff_idx):
        for j, (num, ana) in enumerate(zip(numerical[ii], analytical[ii])):
            if not np.allclose(ana, num, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian mismatch for output {j} with respect to input {i},\n"
                        f"numerical:{num}\nanalytical:{ana}\n"
                    )
                return False
    return True


def gradgradcheck(
    func: Callable,
    inputs: Any,
    grad_outputs: Optional[Sequence[Tensor]] = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    **kwargs: Any,
) -> bool:
    """``gradcheck`` of the first derivative (computed with ``create_graph=True``)."""
    inputs = _as_tuple(inputs)
    diff_idx = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    outs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            _C.from_numpy(
                rng.standard_normal(o.shape).astype(o.detach()._numpy().dtype)
            ).requires_grad_()
            for o in outs
        )
    grad_outputs = tuple(grad_outputs)
    n_in = len(inputs)

    def first_derivative(*args: Any) -> tuple:
        ins, gos = args[:n_in], args[n_in:]
        o = _outputs(func, ins)
        diff = [ins[i] for i in diff_idx]
        gs = _grad(o, diff, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(
        first_derivative,
        inputs + grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )
