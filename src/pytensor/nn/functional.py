"""``pytensor.nn.functional``: activations, dropout, linear and losses as functions, with
torch's signatures, defaults, checks and error messages. Each is composed of tensor ops (one
C++ crossing each); the binary cross-entropy losses are autograd Functions so that their
gradients follow torch's formulas where a composition would give NaN (saturated inputs)."""

from __future__ import annotations

import math
import warnings
from typing import Any, Optional, Tuple

from .. import _C
from .._C import Tensor
from .._device import full_on, host_numpy

__all__ = [
    "relu", "relu_", "leaky_relu", "sigmoid", "tanh", "gelu", "softmax", "log_softmax", "dropout",
    "linear", "one_hot", "mse_loss", "l1_loss", "nll_loss", "cross_entropy",
    "binary_cross_entropy", "binary_cross_entropy_with_logits",
]

_DTYPE_NAMES = {
    _C.float32: "Float", _C.float64: "Double", _C.int64: "Long", _C.int32: "Int",
    _C.int16: "Short", _C.int8: "Char", _C.uint8: "Byte", _C.bool: "Bool",
}


# ---------------------------------------------------------------------------------------------
# Activations
# ---------------------------------------------------------------------------------------------

def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(0, x)`` elementwise."""
    return _C.relu_(input) if inplace else _C.relu(input)


def relu_(input: Tensor) -> Tensor:
    return _C.relu_(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``x`` where ``x > 0``, else ``negative_slope * x``."""
    out = _C.where(_C.gt(input, 0), input, _C.mul(input, negative_slope))
    return _C.copy_(input, out) if inplace else out


def sigmoid(input: Tensor) -> Tensor:
    return _C.sigmoid(input)


def tanh(input: Tensor) -> Tensor:
    return _C.tanh(input)


_SQRT1_2 = 0.70710678118654752440  # M_SQRT1_2
_GELU_BETA = math.sqrt(2.0) * (2.0 / math.sqrt(math.pi)) * 0.5  # M_SQRT2 * M_2_SQRTPI / 2
_GELU_KAPPA = 0.044715


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """``x * Phi(x)`` with the exact erf form, or ``approximate='tanh'``."""
    if approximate == "none":
        return _C.mul(_C.mul(input, 0.5), _C.add(_C.erf(_C.mul(input, _SQRT1_2)), 1.0))
    if approximate == "tanh":
        cube = _C.mul(_C.mul(input, input), input)
        inner = _C.mul(_C.add(input, _C.mul(cube, _GELU_KAPPA)), _GELU_BETA)
        return _C.mul(_C.mul(input, 0.5), _C.add(_C.tanh(inner), 1.0))
    raise RuntimeError("approximate argument must be either none or tanh.")


def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``dim``."""
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
                dtype: Any = None) -> Tensor:
    """``x - logsumexp(x)`` along ``dim``."""
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.log_softmax(dim)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes elements with probability ``p`` and scales the rest by ``1/(1-p)`` when
    ``training``; the mask bits equal torch's for the same generator state."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    from ..random import _dropout
    return _dropout(input, p, training, inplace=inplace)


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``input @ weight.T + bias`` in one fused BLAS call."""
    return _C.linear(input, weight, bias)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape ``(*tensor.shape, num_classes)`` with a 1 at each class index."""
    if not isinstance(tensor, Tensor) or tensor.dtype != _C.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = host_numpy(tensor)
    if num_classes == -1:
        if values.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(values.max()) + 1
    if values.size:
        if values.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if values.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    d = tensor._device_str
    classes = (_C.arange(0, num_classes, 1, _C.int64) if d == "cpu"
               else _C.arange(0, num_classes, 1, _C.int64, device=d))
    return _C.to_dtype(_C.eq(_C.unsqueeze(tensor, -1), classes), _C.int64, False)


# ---------------------------------------------------------------------------------------------
# Loss helpers
# ---------------------------------------------------------------------------------------------

def _legacy_get_string(size_average: Optional[bool], reduce: Optional[bool],
                       emit_warning: bool = True) -> str:
    warning = ("size_average and reduce args will be deprecated, please use reduction='{}' "
               "instead.")
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    if emit_warning:
        warnings.warn(warning.format(ret), stacklevel=3)
    return ret


def _reduction(size_average: Optional[bool], reduce: Optional[bool], reduction: str) -> str:
    if size_average is not None or reduce is not None:
        reduction = _legacy_get_string(size_average, reduce)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _needs_grad(*tensors: Optional[Tensor]) -> bool:
    return _C.is_grad_enabled() and any(t is not None and t.requires_grad for t in tensors)


# ---------------------------------------------------------------------------------------------
# Regression losses
# ---------------------------------------------------------------------------------------------

def _warn_size(input: Tensor, target: Tensor) -> None:
    if target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", stacklevel=3)


def mse_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None,
             reduce: Optional[bool] = None, reduction: str = "mean",
             weight: Optional[Tensor] = None) -> Tensor:
    """Squared error ``(input - target)^2``, reduced; ``weight`` scales each element."""
    _warn_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    diff = _C.sub(input, target)
    loss = _C.mul(diff, diff)
    if weight is not None:
        loss = _C.mul(loss, weight)
    return _reduce(loss, reduction)


def l1_loss(input: Tensor, target: Tensor, size_average: Optional[bool] = None,
            reduce: Optional[bool] = None, reduction: str = "mean",
            weight: Optional[Tensor] = None) -> Tensor:
    """Absolute error ``|input - target|``, reduced; ``weight`` scales each element."""
    _warn_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    loss = _C.abs(_C.sub(input, target))
    if weight is not None:
        loss = _C.mul(loss, weight)
    return _reduce(loss, reduction)


# ---------------------------------------------------------------------------------------------
# Classification losses
# ---------------------------------------------------------------------------------------------

def _class_dim_view(weight: Tensor, ndim: int, cdim: int) -> Tensor:
    """``weight`` (C,) shaped to broadcast along the class dim of an ``ndim``-d input."""
    shape = [1] * ndim
    shape[cdim] = weight.numel()
    return weight.view(shape)


def _check_nll_args(input: Tensor, target: Tensor, weight: Optional[Tensor]) -> Tuple[int, int]:
    """Validates shapes and dtypes as torch's nll_loss_nd does; returns (class dim, C)."""
    ndim = input.dim()
    if ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {ndim})")
    if ndim != 1 and (target.dim() == 0 or input.shape[0] != target.shape[0]):
        got = target.shape[0] if target.dim() else 1
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({got}).")
    if ndim == 1 and target.dim() != 0:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if target.shape[0] != input.shape[0]:
            raise RuntimeError(f"size mismatch (got input: {list(input.shape)}, target: "
                               f"{list(target.shape)})")
    if ndim == 2 and target.dim() != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if ndim > 2 and tuple(target.shape) != (input.shape[0],) + tuple(input.shape[2:]):
        expected = [input.shape[0]] + list(input.shape[2:])
        raise RuntimeError(f"Expected target size {expected}, got {list(target.shape)}")
    if target.dtype not in (_C.int64, _C.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{_DTYPE_NAMES.get(target.dtype, str(target.dtype))}")
    cdim = 0 if ndim == 1 else 1
    n_classes = input.shape[cdim]
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes "
                           f"or no classes but got weight tensor of shape: {list(weight.shape)}")
    return cdim, n_classes


def _nll_pick(input: Tensor, target: Tensor, weight: Optional[Tensor],
              ignore_index: int) -> Tuple[Tensor, Optional[Tensor], Optional[Tensor], Tensor]:
    """The log-probability of each target class (0 where ignored), the ignore mask (None when
    no target is ignored), each target's weight (None without weight; 0 where ignored) and the
    int64 targets with ignored entries replaced by 0."""
    cdim, n_classes = _check_nll_args(input, target, weight)
    if target.dtype != _C.int64:
        target = _C.to_dtype(target, _C.int64, False)
    values = host_numpy(target)
    mask = None
    if values.size:
        # One pass over the (small) target vector decides whether masking is needed at all; the
        # common case (no ignored entries) then costs a single gather.
        lo, hi = int(values.min()), int(values.max())
        if lo < 0 or hi >= n_classes:
            valid = values != ignore_index
            bad = values[valid & ((values < 0) | (values >= n_classes))]
            if bad.size:
                raise IndexError(f"Target {int(bad.flat[0])} is out of bounds.")
            mask = _C.ne(target, ignore_index)
        elif 0 <= ignore_index < n_classes and (values == ignore_index).any():
            mask = _C.ne(target, ignore_index)
    safe = target if mask is None else _C.where(mask, target, 0)
    picked = _C.squeeze(input.gather(cdim, _C.unsqueeze(safe, cdim)), (cdim,))
    if mask is not None:
        picked = _C.where(mask, picked, 0.0)
    w = None
    if weight is not None:
        w = weight.gather(0, safe.reshape(-1)).view(safe.shape)
        if mask is not None:
            w = _C.where(mask, w, 0.0)
    return picked, mask, w, safe


def _nll_reduce(picked: Tensor, mask: Optional[Tensor], w: Optional[Tensor],
                reduction: str) -> Tensor:
    if w is not None:
        loss = _C.neg(_C.mul(picked, w))
        if reduction == "none":
            return loss
        total = loss.sum()
        return total if reduction == "sum" else _C.div(total, w.sum())
    if reduction == "none":
        return _C.neg(picked)
    if reduction == "sum":
        return _C.neg(picked.sum())
    if mask is None:
        return _C.neg(picked.mean())
    count = _C.to_dtype(mask.sum(), picked.dtype, False)
    return _C.neg(_C.div(picked.sum(), count))


def nll_loss(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
             size_average: Optional[bool] = None, ignore_index: int = -100,
             reduce: Optional[bool] = None, reduction: str = "mean") -> Tensor:
    """Negative log likelihood: ``-input[n, target[n]]`` (class dim 1, or 0 for 1-D input),
    weighted by ``weight[target[n]]``; ``mean`` divides by the total weight of the
    non-ignored targets."""
    reduction = _reduction(size_average, reduce, reduction)
    picked, mask, w, _ = _nll_pick(input, target, weight, ignore_index)
    return _nll_reduce(picked, mask, w, reduction)


def cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                  size_average: Optional[bool] = None, ignore_index: int = -100,
                  reduce: Optional[bool] = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross entropy of logits against class indices (``nll_loss(log_softmax(input, 1))``) or,
    when ``target`` has input's shape, against class probabilities."""
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    ndim = input.dim()
    cdim = 0 if ndim == 1 else 1
    if ndim >= 1 and input.shape == target.shape:
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing, cdim)
    logp = log_softmax(input, cdim)
    picked, mask, w, _ = _nll_pick(logp, target, weight, ignore_index)
    loss = _nll_reduce(picked, mask, w, reduction)
    if label_smoothing <= 0.0:
        return loss
    n_classes = input.shape[cdim]
    if weight is not None:
        smooth = _C.neg(_C.mul(logp, _class_dim_view(weight, ndim, cdim)).sum(cdim))
    else:
        smooth = _C.neg(logp.sum(cdim))
    if mask is not None:
        smooth = _C.where(mask, smooth, 0.0)
    if reduction == "mean":
        if w is not None:
            smooth = _C.div(smooth.sum(), w.sum())
        elif mask is not None:
            smooth = _C.div(smooth.sum(), _C.to_dtype(mask.sum(), smooth.dtype, False))
        else:
            smooth = smooth.mean()
    elif reduction == "sum":
        smooth = smooth.sum()
    return _C.add(_C.mul(loss, 1.0 - label_smoothing),
                  _C.mul(smooth, label_smoothing / n_classes))


def _cross_entropy_probs(input: Tensor, target: Tensor, weight: Optional[Tensor],
                         reduction: str, label_smoothing: float, cdim: int) -> Tensor:
    if not target.dtype.is_floating_point:
        raise RuntimeError("Expected floating point type for target with class probabilities, "
                           f"got {_DTYPE_NAMES.get(target.dtype, str(target.dtype))}")
    n_classes = input.shape[cdim]
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes "
                           f"or no classes but got weight tensor of shape: {list(weight.shape)}")
    logp = log_softmax(input, cdim)
    if label_smoothing > 0.0:
        target = _C.add(_C.mul(target, 1.0 - label_smoothing), label_smoothing / n_classes)
    prod = _C.mul(logp, target)
    if weight is not None:
        prod = _C.mul(prod, _class_dim_view(weight, input.dim(), cdim))
    if reduction == "none":
        return _C.neg(prod.sum(cdim))
    total = _C.neg(prod.sum())
    if reduction == "sum":
        return total
    if input.numel() == 0:
        return _C.mul(total, float("nan"))
    return _C.div(total, input.numel() / n_classes)


# ---------------------------------------------------------------------------------------------
# Binary cross entropy (autograd Functions with torch's backward formulas)
# ---------------------------------------------------------------------------------------------

_EPSILON = 1e-12


def _bce_forward(input: Tensor, target: Tensor, weight: Optional[Tensor]) -> Tensor:
    # torch's kernel: (t - 1) * max(log1p(-x), -100) - t * max(log(x), -100)
    log_x = _C.clamp(_C.log(input), -100.0, None)
    log_1mx = _C.clamp(_C.log1p(_C.neg(input)), -100.0, None)
    loss = _C.sub(_C.mul(_C.sub(target, 1.0), log_1mx), _C.mul(target, log_x))
    return loss if weight is None else _C.mul(loss, weight)


def _bce_logits_forward(input: Tensor, target: Tensor, weight: Optional[Tensor],
                        pos_weight: Optional[Tensor]) -> Tensor:
    # (1 - t) * x - log_sigmoid(x) * (1 + (pos_weight - 1) * t), with the stable
    # log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|)).
    log_sig = _C.sub(_C.minimum(input, full_on(input, (), 0, input.dtype)),
                     _C.log1p(_C.exp(_C.neg(_C.abs(input)))))
    if pos_weight is not None:
        log_sig = _C.mul(log_sig, _C.add(_C.mul(_C.sub(pos_weight, 1.0), target), 1.0))
    loss = _C.sub(_C.mul(_C.sub(1.0, target), input), log_sig)
    return loss if weight is None else _C.mul(loss, weight)


_FUNCTIONS: dict = {}


def _bce_function() -> Any:
    fn = _FUNCTIONS.get("bce")
    if fn is None:
        from ..autograd import Function

        class BinaryCrossEntropyBackward(Function):
            @staticmethod
            def forward(ctx: Any, input: Tensor, target: Tensor,
                        weight: Optional[Tensor]) -> Tensor:
                ctx.save_for_backward(input, target, weight)
                return _bce_forward(input, target, weight)

            @staticmethod
            def backward(ctx: Any, grad: Tensor) -> Tuple[Optional[Tensor], ...]:
                input, target, weight = ctx.saved_tensors
                grad_input = grad_target = None
                if ctx.needs_input_grad[0]:
                    denom = _C.clamp(_C.mul(_C.sub(1.0, input), input), _EPSILON, None)
                    grad_input = _C.mul(_C.div(_C.sub(input, target), denom), grad)
                    if weight is not None:
                        grad_input = _C.mul(grad_input, weight)
                if ctx.needs_input_grad[1]:
                    # -logit(x) = log1p(-x) - log(x)
                    grad_target = _C.mul(_C.sub(_C.log1p(_C.neg(input)), _C.log(input)), grad)
                    if weight is not None:
                        grad_target = _C.mul(grad_target, weight)
                return grad_input, grad_target, None

        fn = _FUNCTIONS["bce"] = BinaryCrossEntropyBackward
    return fn


def _bce_logits_function() -> Any:
    fn = _FUNCTIONS.get("bce_logits")
    if fn is None:
        from ..autograd import Function

        class BinaryCrossEntropyWithLogitsBackward(Function):
            @staticmethod
            def forward(ctx: Any, input: Tensor, target: Tensor, weight: Optional[Tensor],
                        pos_weight: Optional[Tensor]) -> Tensor:
                ctx.save_for_backward(input, target, weight, pos_weight)
                return _bce_logits_forward(input, target, weight, pos_weight)

            @staticmethod
            def backward(ctx: Any, grad: Tensor) -> Tuple[Optional[Tensor], ...]:
                input, target, weight, pos_weight = ctx.saved_tensors
                grad_input = grad_target = None
                if ctx.needs_input_grad[0]:
                    if pos_weight is not None:
                        # ((pos_weight * t + 1 - t) * sigmoid(x) - pos_weight * t)
                        pt = _C.mul(pos_weight, target)
                        grad_input = _C.sub(_C.mul(_C.sub(_C.add(pt, 1.0), target),
                                                   _C.sigmoid(input)), pt)
                    else:
                        grad_input = _C.sub(_C.sigmoid(input), target)
                    grad_input = _C.mul(grad_input, grad)
                    if weight is not None:
                        grad_input = _C.mul(grad_input, weight)
                if ctx.needs_input_grad[1]:
                    if pos_weight is not None:
                        ls_pos = _log_sigmoid(input)
                        ls_neg = _C.sub(ls_pos, input)
                        grad_target = _C.sub(ls_neg, _C.mul(ls_pos, pos_weight))
                    else:
                        grad_target = _C.neg(input)
                    grad_target = _C.mul(grad_target, grad)
                    if weight is not None:
                        grad_target = _C.mul(grad_target, weight)
                return grad_input, grad_target, None, None

        fn = _FUNCTIONS["bce_logits"] = BinaryCrossEntropyWithLogitsBackward
    return fn


def _log_sigmoid(x: Tensor) -> Tensor:
    return _C.sub(_C.minimum(x, full_on(x, (), 0, x.dtype)), _C.log1p(_C.exp(_C.neg(_C.abs(x)))))


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Optional[Tensor] = None,
                         size_average: Optional[bool] = None, reduce: Optional[bool] = None,
                         reduction: str = "mean") -> Tensor:
    """``-w * (t * log(x) + (1 - t) * log(1 - x))`` with the logs clamped at -100."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    values = host_numpy(input.detach())
    if values.size and not ((values >= 0) & (values <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None:
        weight = weight.expand(input.shape)
    if _needs_grad(input, target):
        loss = _bce_function().apply(input, target, weight)
    else:
        loss = _bce_forward(input, target, weight)
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Optional[Tensor] = None,
                                     size_average: Optional[bool] = None,
                                     reduce: Optional[bool] = None, reduction: str = "mean",
                                     pos_weight: Optional[Tensor] = None) -> Tensor:
    """Binary cross entropy of ``sigmoid(input)``, computed stably from the logits;
    ``pos_weight`` weighs the positive term per class."""
    reduction = _reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    if _needs_grad(input, target):
        loss = _bce_logits_function().apply(input, target, weight, pos_weight)
    else:
        loss = _bce_logits_forward(input, target, weight, pos_weight)
    return _reduce(loss, reduction)
