"""Grad mode: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

The flag itself is a C++ thread-local (``_C.is_grad_enabled``) so that every op can test it
without leaving C++. Each class is a context manager and a decorator, as in torch."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

from .. import _C

F = TypeVar("F", bound=Callable[..., Any])

is_grad_enabled = _C.is_grad_enabled
_set_grad_enabled = _C._set_grad_enabled


class _DecoratorContextManager:
    """A context manager that also decorates functions and generator functions."""

    def clone(self) -> "_DecoratorContextManager":
        return self.__class__()

    def __call__(self, func: F) -> F:
        if inspect.isclass(func):
            raise RuntimeError("Decorating classes is not supported")
        if inspect.isgeneratorfunction(func):
            return self._wrap_generator(func)  # type: ignore[return-value]

        @functools.wraps(func)
        def decorate_context(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return func(*args, **kwargs)

        return decorate_context  # type: ignore[return-value]

    def _wrap_generator(self, func: Callable) -> Callable:
        # The mode holds while the generator body runs, not while the caller runs between yields.
        @functools.wraps(func)
        def generator_context(*args: Any, **kwargs: Any) -> Any:
            gen = func(*args, **kwargs)
            try:
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    except BaseException as exc:  # noqa: BLE001 - forwarded into the generator
                        with self.clone():
                            response = gen.throw(exc)
                    else:
                        with self.clone():
                            response = gen.send(request)
            except StopIteration as e:
                return e.value

        return generator_context


class _NoParamDecoratorContextManager(_DecoratorContextManager):
    """Usable as ``@no_grad`` as well as ``@no_grad()``."""

    def __new__(cls, orig_func: Any = None) -> Any:
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamDecoratorContextManager):
    """Disables gradient recording: results of ops do not require grad."""

    def __init__(self) -> None:
        self.prev = False

    def __enter__(self) -> None:
        self.prev = is_grad_enabled()
        _set_grad_enabled(False)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        _set_grad_enabled(self.prev)


class enable_grad(_NoParamDecoratorContextManager):
    """Enables gradient recording inside a ``no_grad`` region."""

    def __init__(self) -> None:
        self.prev = False

    def __enter__(self) -> None:
        self.prev = is_grad_enabled()
        _set_grad_enabled(True)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        _set_grad_enabled(self.prev)


class set_grad_enabled(_DecoratorContextManager):
    """Sets grad mode to ``mode``; takes effect at construction, as in torch, so it also works as
    a plain function call ``set_grad_enabled(False)``."""

    def __init__(self, mode: bool) -> None:
        self.prev = is_grad_enabled()
        self.mode = bool(mode)
        _set_grad_enabled(self.mode)

    def __call__(self, orig_func: F) -> F:
        _set_grad_enabled(self.prev)
        return super().__call__(orig_func)

    def __enter__(self) -> None:
        _set_grad_enabled(self.mode)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        _set_grad_enabled(self.prev)

    def clone(self) -> "set_grad_enabled":
        return self.__class__(self.mode)

    def __repr__(self) -> str:
        return f"{type(self).__module__}.{type(self).__name__}(mode={self.mode})"


_inference_depth = 0


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad`` (pytensor has no separate inference tensors): ``inference_mode(False)``
    is a no-op region, as in torch."""

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode
        self.prev = False

    def __enter__(self) -> None:
        global _inference_depth
        self.prev = is_grad_enabled()
        if self.mode:
            _inference_depth += 1
            _set_grad_enabled(False)

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        global _inference_depth
        if self.mode:
            _inference_depth -= 1
        _set_grad_enabled(self.prev)

    def clone(self) -> "inference_mode":
        return self.__class__(self.mode)


def is_inference_mode_enabled() -> bool:
    """True inside an enabled ``inference_mode`` region."""
    return _inference_depth > 0
