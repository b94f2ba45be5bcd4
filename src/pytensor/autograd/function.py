"""``autograd.Function``: user-defined differentiable ops, as ``torch.autograd.Function``.

The node recorded for ``MyFn.apply(...)`` is also the ``ctx`` that ``forward`` and ``backward``
receive (torch does the same), so ``save_for_backward`` stores straight onto the graph."""

from __future__ import annotations

from typing import Any, Optional, Tuple

from .. import _C
from .._C import Tensor
from .graph import FREED_MESSAGE, Node, _modified_error, _version_of, edge_of

_set_grad = _C._set_grad_enabled
_is_grad = _C.is_grad_enabled


class _FunctionSpec:
    """The engine reads ``spec.fresh``/``spec.frees``; a user's backward may return anything."""

    fresh = False
    frees = True

    def __init__(self, fn_cls: type) -> None:
        self.fn_cls = fn_cls

    def fn(self, node: "BackwardCFunction", grads: Any) -> tuple:
        return node._run_backward(grads)


class FunctionCtx:
    """The ``ctx`` methods (mixed into the recorded node; its ``__dict__`` takes the user's own
    attributes, e.g. ``ctx.scale = 2``)."""

    def save_for_backward(self, *tensors: Optional[Tensor]) -> None:
        """Tensors for ``backward`` to read as ``ctx.saved_tensors`` (checked against in-place
        writes in between)."""
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{tensors.index(t)} is of type {type(t).__name__}"
                )
        self._to_save = tensors

    def save_for_forward(self, *tensors: Optional[Tensor]) -> None:
        self._saved_for_forward = tensors

    def mark_dirty(self, *args: Tensor) -> None:
        """Declares inputs that ``forward`` modified in place."""
        self._dirty = args

    def mark_non_differentiable(self, *args: Tensor) -> None:
        """Declares outputs that get no gradient (e.g. indices)."""
        self._non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        """Whether ``backward`` sees zeros (True, the default) or None for unused outputs."""
        self._materialize = value

    @property
    def saved_tensors(self) -> Tuple[Optional[Tensor], ...]:
        saved = self._saved
        if saved is None:
            if self._released:
                raise RuntimeError(FREED_MESSAGE)
            return ()
        out = []
        for t, v, keep in saved:
            if t is not None and _version_of(t) != v:
                raise _modified_error(self, t, v)
            out.append(keep)
        return tuple(out)

    @property
    def saved_variables(self) -> Tuple[Optional[Tensor], ...]:
        return self.saved_tensors


class BackwardCFunction(Node, FunctionCtx):
    """The node (and ctx) of one ``Function.apply`` call."""

    __slots__ = (
        "needs_input_grad",
        "_to_save",
        "_saved",
        "_dirty",
        "_non_differentiable",
        "_materialize",
        "_released",
        "_out_meta",
        "n_out",
        "_saved_for_forward",
        "_arg_edges",
    )

    def __init__(self) -> None:
        Node.__init__(self, (), None)
        self.needs_input_grad: Tuple[bool, ...] = ()
        self._to_save: tuple = ()
        self._saved = None
        self._dirty: tuple = ()
        self._non_differentiable: tuple = ()
        self._materialize = True
        self._released = False
        self._out_meta: tuple = ()
        self.n_out = 1
        self._arg_edges: tuple = ()
        self._saved_for_forward: tuple = ()

    def apply(self, grads: Any) -> tuple:  # type: ignore[override]
        return self._run_backward(grads)

    def _run_backward(self, grads: Any) -> tuple:
        gs = list(grads) if self.n_out > 1 else [grads]
        if self._materialize:
            for i, g in enumerate(gs):
                if g is None:
                    sizes, dtype, dev = self._out_meta[i]
                    gs[i] = (_C.full(sizes, 0, dtype) if dev == "cpu"
                             else _C.full(sizes, 0, dtype, device=dev))
        fn_cls = type(self).fn_cls
        result = fn_cls.backward(self, *gs)
        if not isinstance(result, tuple):
            result = (result,)
        n_in = len(self.needs_input_grad)
        if len(result) != n_in:
            if len(result) > n_in and all(r is None for r in result[n_in:]):
                result = result[:n_in]
            else:
                raise RuntimeError(
                    f"function {type(self).__name__} returned an incorrect number of gradients "
                    f"(expected {n_in}, got {len(result)})"
                )
        out = []
        for i, (r, e) in enumerate(zip(result, self._arg_edges)):
            if r is not None and not isinstance(r, Tensor):
                raise TypeError(
                    f"function {type(self).__name__} returned a gradient different than None at "
                    f"position {i + 1}, but the corresponding forward input was not a Variable"
                )
            if e is not None:
                out.append(r)
        return tuple(out)

    def release(self) -> None:
        self._saved = None
        self._released = True

    def name(self) -> str:
        return type(self).__name__


class FunctionMeta(type):
    """Gives each Function subclass its node class ``<Name>Backward``."""

    def __init__(cls, name: str, bases: tuple, attrs: dict) -> None:
        super().__init__(name, bases, attrs)
        spec = _FunctionSpec(cls)
        cls._backward_cls = type(
            name + "Backward",
            (BackwardCFunction,),
            {"__slots__": (), "fn_cls": cls, "spec": spec, "__module__": cls.__module__},
        )


class Function(metaclass=FunctionMeta):
    """Base class for custom differentiable ops: define ``forward(ctx, *args)`` (or
    ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``) and
    ``backward(ctx, *grad_outputs)``, then call ``MyFn.apply(*args)``."""

    @staticmethod
    def forward(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        node = cls._backward_cls()
        arg_edges = tuple(edge_of(a) if isinstance(a, Tensor) else None for a in args)
        requires = _is_grad() and any(e is not None for e in arg_edges)
        node.needs_input_grad = (
            tuple(e is not None for e in arg_edges) if requires else (False,) * len(args)
        )
        node._arg_edges = arg_edges
        uses_setup = cls.setup_context is not Function.setup_context
        prev = _is_grad()
        _set_grad(False)
        try:
            if uses_setup:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(node, args, outputs)
            else:
                outputs = cls.forward(node, *args, **kwargs)
        finally:
            _set_grad(prev)
        if not requires:
            return outputs
        is_tuple = isinstance(outputs, tuple)
        outs = list(outputs) if is_tuple else [outputs]
        node.next = tuple(e for e in arg_edges if e is not None)
        non_diff = {id(t) for t in node._non_differentiable}
        dirty = {id(t) for t in node._dirty}
        inputs = {id(a) for a in args if isinstance(a, Tensor)}
        meta = []
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor):
                meta.append(((), None, "cpu"))
                continue
            if id(o) in inputs and id(o) not in dirty:
                o = outs[i] = _C.alias(o)  # an input returned unchanged becomes a new alias
            meta.append((o._sizes, o.dtype, o._device_str))
            if id(o) in non_diff or not o.dtype.is_floating_point:
                continue
            if id(o) in dirty and o.grad_fn is None and o._requires_grad:
                raise RuntimeError(
                    "a leaf Variable that requires grad is being used in an in-place operation."
                )
            o.grad_fn = node
            o._requires_grad = True
            if i:
                o.__dict__["_output_nr"] = i
        node.n_out = len(outs)
        node._out_meta = tuple(meta)
        saved = []
        for t in node._to_save:
            if t is None:
                saved.append((None, 0, None))
            else:
                saved.append((t, _version_of(t), t))
        node._saved = saved
        return tuple(outs) if is_tuple else outs[0]


class InplaceFunction(Function):
    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace


class NestedIOFunction(Function):
    pass


def once_differentiable(fn: Any) -> Any:
    """Marks a backward as not differentiable twice (runs it with grad mode off)."""
    import functools  # noqa: PLC0415

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        prev = _is_grad()
        _set_grad(False)
        try:
            return fn(ctx, *args)
        finally:
            _set_grad(prev)

    return wrapper
