"""RMSprop (optionally centered, with momentum) with torch's update order."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

from .. import _C
from .._device import full_on
from . import _functional as _f
from .optimizer import Optimizer, _use_grad_for_differentiable

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """``v = alpha * v + (1 - alpha) * g^2``; ``p -= lr * g / (sqrt(v) + eps)`` (centered:
    ``v - mean(g)^2``; with momentum the step goes through a buffer)."""

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, capturable: bool = False,
                 foreach: Optional[bool] = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)

    @_use_grad_for_differentiable
    def step(self, closure: Optional[Callable[[], Any]] = None) -> Any:
        """Performs one update; ``closure`` re-evaluates the model and returns the loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = group["lr"]
            alpha = group["alpha"]
            eps = group["eps"]
            weight_decay = group["weight_decay"]
            momentum = group["momentum"]
            centered = group["centered"]
            for p, grad in self._params_with_grads(group):
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _C.full((), 0.0, _C.float32)
                    state["square_avg"] = full_on(p, p._sizes, 0, p.dtype)
                    if momentum > 0:
                        state["momentum_buffer"] = full_on(p, p._sizes, 0, p.dtype)
                    if centered:
                        state["grad_avg"] = full_on(p, p._sizes, 0, p.dtype)
                _f.add_(state["step"], 1)
                if weight_decay != 0:
                    grad = _C.add(grad, _C.mul(p, weight_decay))
                square_avg = state["square_avg"]
                _f.mul_(square_avg, alpha)
                _f.addcmul_(square_avg, grad, grad, 1 - alpha)
                if centered:
                    grad_avg = state["grad_avg"]
                    _f.lerp_(grad_avg, grad, 1 - alpha)
                    avg = _f.sqrt_div_add(_C.sub(square_avg, _C.mul(grad_avg, grad_avg)), 1, eps)
                else:
                    avg = _f.sqrt_div_add(square_avg, 1, eps)
                if momentum > 0:
                    buf = state["momentum_buffer"]
                    _f.mul_(buf, momentum)
                    _f.addcdiv_(buf, grad, avg)
                    _f.add_(p, buf, -lr)
                else:
                    _f.addcdiv_(p, grad, avg, -lr)
        return loss
