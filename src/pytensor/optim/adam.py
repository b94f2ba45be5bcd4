"""Adam (and, with ``decoupled_weight_decay``, AdamW) with torch's update order."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional, Tuple

from .. import _C
from .._device import full_on
from . import _functional as _f
from .optimizer import Optimizer, _use_grad_for_differentiable

__all__ = ["Adam"]


class Adam(Optimizer):
    """``m = lerp(m, g, 1 - b1)``, ``v = b2 * v + (1 - b2) * g^2``,
    ``p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)``."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: Tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: Optional[bool] = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False,
                 fused: Optional[bool] = None, decoupled_weight_decay: bool = False) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)
            group.setdefault("decoupled_weight_decay", False)

    def _init_state(self, p: Any, amsgrad: bool) -> dict:
        state = self.state[p]
        if len(state) == 0:
            # step is a float32 scalar tensor, as torch stores it
            state["step"] = _C.full((), 0.0, _C.float32)
            state["exp_avg"] = full_on(p, p._sizes, 0, p.dtype)
            state["exp_avg_sq"] = full_on(p, p._sizes, 0, p.dtype)
            if amsgrad:
                state["max_exp_avg_sq"] = full_on(p, p._sizes, 0, p.dtype)
        return state

    @_use_grad_for_differentiable
    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Performs one update; ``closure`` re-evaluates the model and returns the loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr = group["lr"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            amsgrad = group["amsgrad"]
            decoupled = group["decoupled_weight_decay"]
            for p, grad in self._params_with_grads(group):
                state = self._init_state(p, amsgrad)
                step_t = state["step"]
                exp_avg = state["exp_avg"]
                exp_avg_sq = state["exp_avg_sq"]
                _f.add_(step_t, 1)
                if weight_decay != 0:
                    if decoupled:
                        _f.mul_(p, 1 - lr * weight_decay)
                    else:
                        grad = _C.add(grad, _C.mul(p, weight_decay))
                _f.lerp_(exp_avg, grad, 1 - beta1)
                _f.mul_(exp_avg_sq, beta2)
                _f.addcmul_(exp_avg_sq, grad, grad, 1 - beta2)
                step = step_t.item()
                bias_correction1 = 1 - beta1 ** step
                bias_correction2 = 1 - beta2 ** step
                step_size = lr / bias_correction1
                bias_correction2_sqrt = bias_correction2 ** 0.5
                if amsgrad:
                    max_sq = state["max_exp_avg_sq"]
                    _C.copy_(max_sq, _C.maximum(max_sq, exp_avg_sq))
                    denom = _f.sqrt_div_add(max_sq, bias_correction2_sqrt, eps)
                else:
                    denom = _f.sqrt_div_add(exp_avg_sq, bias_correction2_sqrt, eps)
                _f.addcdiv_(p, exp_avg, denom, -step_size)
        return loss
