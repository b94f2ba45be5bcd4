"""Graph nodes and their recording.

A differentiable ``_C`` op whose input requires grad (with grad mode on) hands its call to
``handler`` (registered with ``_C._set_autograd_handler``). The handler runs the same op with grad
mode off, then records one ``Node``: the edges to its inputs' history, the arguments its formula
needs and the versions of the tensors it reads at backward. ``formulas.py`` holds the table that
says, per op, which node class (torch's name) and which formula to use.

An edge is ``None`` (no gradient wanted), a ``Node``, ``(node, output_nr)`` for a node with several
outputs, or a leaf tensor that requires grad (the engine accumulates into its ``.grad``)."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Optional, Tuple

from .. import _C
from .._C import Tensor

_set_grad = _C._set_grad_enabled
_is_grad = _C.is_grad_enabled
_alias = _C.alias
_version_of = Tensor._version  # the C++ method; Tensor._version becomes torch's int property

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through "
    "the graph a second time or if you need to access saved tensors after calling backward."
)


class _Freed:
    """Stands in for a node's arguments once backward has freed them."""

    __slots__ = ()

    def __getitem__(self, i: int) -> Any:
        raise RuntimeError(FREED_MESSAGE)

    def __iter__(self) -> Any:
        raise RuntimeError(FREED_MESSAGE)

    def __len__(self) -> int:
        raise RuntimeError(FREED_MESSAGE)


FREED = _Freed()


class Node:
    """One recorded op. ``next`` holds the edges to the inputs' history (aligned with the op's
    arguments, or with its flattened tensor list for cat/stack); ``args`` the arguments the
    formula reads; ``out`` a detached alias of the output when the formula reads it;
    ``versions`` the flat ``(tensor, version, ...)`` checked before the formula runs."""

    # `out` is set only by ops whose formula reads the output (spec.save_out); `extra` (hooks,
    # retain_grad targets) lives in the instance dict, created on first use.
    __slots__ = ("next", "args", "versions", "out", "__dict__", "__weakref__")
    spec: Any = None  # the formula table entry (formulas.Spec)
    n_out = 1
    _ag_leaf = False  # the engine's vertex test (Tensor._ag_leaf is True)
    extra: Optional[dict] = None

    def __init__(self, next: Any, args: Any, versions: Any = None) -> None:
        self.next = next
        self.args = args
        self.versions = versions

    # ---- torch's Node API ---------------------------------------------------------------------
    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> Tuple[Tuple[Any, int], ...]:
        out = []
        for e in _torch_edges(self):
            if e is None:
                out.append((None, 0))
            elif type(e) is tuple:
                out.append(e)
            elif isinstance(e, Node):
                out.append((e, 0))
            else:
                out.append((accumulate_grad_node(e), 0))
        return tuple(out)

    @property
    def metadata(self) -> dict:
        return self._extra().setdefault("metadata", {})

    def register_hook(self, fn: Callable) -> "RemovableHandle":
        """``fn(grad_inputs, grad_outputs)`` runs after this node computes its gradients; it may
        return replacement ``grad_inputs``."""
        return _add_hook(self._extra().setdefault("post", {}), fn)

    def register_prehook(self, fn: Callable) -> "RemovableHandle":
        """``fn(grad_outputs)`` runs before this node; it may return new ``grad_outputs``."""
        return _add_hook(self._extra().setdefault("pre", {}), fn)

    def _extra(self) -> dict:
        if self.extra is None:
            self.extra = {}
        return self.extra

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    # ---- engine interface ---------------------------------------------------------------------
    def apply(self, grads: Any) -> tuple:
        """Gradients for each edge from the output gradient(s)."""
        check_versions(self)
        return self.spec.fn(self, grads)

    def release(self) -> None:
        """Frees what backward needed once it has run (unless the graph is retained)."""
        if self.spec.frees:
            self.args = FREED
            self.out = None
            self.versions = None


# Ops whose torch signature takes the number operand as a (wrapped) tensor input, so torch lists
# an edge for it: argument positions kept for ``next_functions``.
_NUMBER_EDGES = {name: (0, 1) for name in ("add", "sub", "mul", "div", "add_", "sub_", "mul_", "div_")}
_NUMBER_EDGES["where"] = (1, 2)


def _torch_edges(node: Node) -> Any:
    """The node's edges as torch lists them: one per differentiable tensor input. pytensor keeps
    an edge per argument (sizes, dims, index tensors included); those torch does not list are
    dropped here, where the arguments are still known (not after a backward freed them)."""
    spec = node.spec
    args = node.args
    edges = node.next
    if spec is None or spec.listarg or type(args) is not tuple or len(args) != len(edges):
        return edges
    keep = _NUMBER_EDGES.get(spec.op)
    if keep is not None and type(node).__name__ != "RsubBackward1":
        return [edges[i] for i in keep]
    return [e for e, a in zip(edges, args)
            if isinstance(a, Tensor) and a.dtype.is_floating_point]


class AccumulateGrad:
    """torch's leaf node, shown in ``next_functions``; pytensor's engine accumulates into the
    leaf directly, so this object only describes the edge."""

    __slots__ = ("variable",)

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"


def accumulate_grad_node(leaf: Tensor) -> AccumulateGrad:
    acc = leaf.__dict__.get("_accumulator")
    if acc is None:
        acc = AccumulateGrad(leaf)
        leaf.__dict__["_accumulator"] = acc
    return acc


class RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` unregisters the hook."""

    _next_id = 0
    __slots__ = ("_hooks", "id")

    def __init__(self, hooks: dict) -> None:
        self._hooks = hooks
        RemovableHandle._next_id += 1
        self.id = RemovableHandle._next_id

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *args: Any) -> None:
        self.remove()


def _add_hook(hooks: dict, fn: Callable) -> RemovableHandle:
    if not callable(fn):
        raise TypeError(f"hook must be callable, got {type(fn).__name__}")
    h = RemovableHandle(hooks)
    hooks[h.id] = fn
    return h


_TYPE_NAMES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
}


def _modified_error(node: Node, t: Tensor, expected: int) -> RuntimeError:
    desc = (
        f"[pytensor.{_TYPE_NAMES.get(t.dtype._name, 'Tensor')} [{', '.join(map(str, t._sizes))}]]"
    )
    # A saved output names the node that saved it; a saved input its current history.
    src = node if t is getattr(node, "out", None) else t.grad_fn
    if src is not None:
        name = src.name()
        for suffix in ("Backward0", "Backward1", "Backward2", "Backward3", "Backward4", "Backward"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        desc += f", which is output {t._output_nr} of {name},"
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {desc} is at version {_version_of(t)}; expected version {expected} instead. "
        "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
        "with pytensor.autograd.set_detect_anomaly(True)."
    )


# ---- recording ---------------------------------------------------------------------------------


def edge_of(a: Any) -> Any:
    """The edge to ``a``'s history: its grad_fn, itself if it is a leaf requiring grad, or None."""
    if a.__class__ is not Tensor and not isinstance(a, Tensor):
        return None
    gf = a.grad_fn
    if gf is not None:
        return gf if gf.n_out == 1 else (gf, a._output_nr)
    return a if a._requires_grad else None


# Versions are kept flat, (tensor, version, tensor, version, ...): the tensors the formula will
# read (the output as a detached alias, stored as node.out), checked before the formula runs.


def check_versions(node: Node) -> None:
    vs = node.versions
    if vs:
        it = iter(vs)
        for t, v in zip(it, it):
            if _version_of(t) != v:
                raise _modified_error(node, t, v)


def _save_generic(spec: Any, node: Node, args: tuple, out: Any) -> tuple:
    vs: tuple = ()
    for i in spec.saved:
        a = args[i]
        if a.__class__ is Tensor or isinstance(a, Tensor):
            vs += (a, _version_of(a))
    if spec.save_out:
        o = _alias(out)
        node.out = o
        vs += (o, _version_of(o))
    return vs


def _save_first(spec: Any, node: Node, args: tuple, out: Any) -> tuple:
    a = args[0]  # a unary op's input: always a tensor
    return (a, _version_of(a))


def _save_out(spec: Any, node: Node, args: tuple, out: Any) -> tuple:
    o = _alias(out)
    node.out = o
    return (o, _version_of(o))


def _save_pair(spec: Any, node: Node, args: tuple, out: Any) -> tuple:
    a, b = args[0], args[1]
    if a.__class__ is Tensor or isinstance(a, Tensor):
        if b.__class__ is Tensor or isinstance(b, Tensor):
            return (a, _version_of(a), b, _version_of(b))
        return (a, _version_of(a))
    return (b, _version_of(b))


def saver_for(saved: tuple, save_out: bool, first_is_tensor: bool) -> Callable:
    """The versions-recording function for an op's save pattern (unrolled for the common ones)."""
    if saved == (0,) and not save_out and first_is_tensor:
        return _save_first
    if saved == () and save_out:
        return _save_out
    if saved == (0, 1) and not save_out:
        return _save_pair
    return _save_generic


_new = object.__new__
_PADS = [(None,) * (k - 1) if k else () for k in range(16)]  # the non-tensor arguments' edges


def handler(op: str, args: tuple, kwargs: dict) -> Any:
    """Called from C++ for a differentiable op whose input requires grad (grad mode on)."""
    spec = SPECS.get(op)
    if spec is None:
        spec = unknown_spec(op)
    if spec.special is not None:
        return spec.special(spec, args, kwargs)
    if spec.listarg:
        nx = list(map(edge_of, args[0]))
    elif len(args) == 2:
        # edge_of, inlined for the binary ops that dominate graphs.
        a, b = args
        if a.__class__ is Tensor or isinstance(a, Tensor):
            gf = a.grad_fn
            if gf is not None:
                ea = gf if gf.n_out == 1 else (gf, a._output_nr)
            else:
                ea = a if a._requires_grad else None
        else:
            ea = None
        if b.__class__ is Tensor or isinstance(b, Tensor):
            gf = b.grad_fn
            if gf is not None:
                eb = gf if gf.n_out == 1 else (gf, b._output_nr)
            else:
                eb = b if b._requires_grad else None
        else:
            eb = None
        nx = (ea, eb)
    elif spec.first_only:
        a = args[0]
        gf = a.grad_fn
        if gf is not None:
            ea = gf if gf.n_out == 1 else (gf, a._output_nr)
        else:
            ea = a if a._requires_grad else None
        nx = (ea,) + _PADS[len(args)]
    else:
        nx = tuple(map(edge_of, args))
    _set_grad(False)
    try:
        out = spec.fwd(*args, **kwargs) if kwargs else spec.fwd(*args)
    finally:
        _set_grad(True)
    if spec.plain:
        node = _new(spec.cls)
        node.next = nx
        node.args = args
        node.versions = None
    else:
        if out is args[0]:  # contiguous()/to() of a tensor that already fits: no node, as torch
            return out
        if spec.float_only and not out.dtype.is_floating_point:
            return out
        choose = spec.choose
        node = _new(spec.cls if choose is None else spec.classes[choose(args, out)])
        node.next = nx
        node.args = args
        node.versions = spec.saver(spec, node, args, out) if spec.saver is not None else None
        if spec.view:
            base = args[0]
            b = base._base
            out._base = base if b is None else b
            if "_multi_view" in base.__dict__:  # a view of split()'s outputs inherits their rule
                out.__dict__["_multi_view"] = True
    out.grad_fn = node
    out._requires_grad = True
    return out


def call(op: str, *args: Any) -> Any:
    """Runs table op ``op`` (also the internal ones no ``_C`` binding routes), recording it when
    grad mode is on and an argument requires grad. Formulas use this for double backward."""
    if _is_grad():
        for a in args:
            if isinstance(a, Tensor) and a._requires_grad:
                return handler(op, args, {})
    return SPECS[op].fwd(*args)


# ---- in-place ops and views ----------------------------------------------------------------------

_MULTI_VIEW_NAME = re.compile(r"Backward\d*$")
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_INPLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


def check_inplace(self: Tensor) -> None:
    if self.grad_fn is None and self._requires_grad:
        raise RuntimeError(LEAF_INPLACE)
    if "_multi_view" in self.__dict__:
        raise RuntimeError(
            f"Output {self._output_nr} of {_MULTI_VIEW_NAME.sub('', self.grad_fn.name())} is a view and is "
            "being modified inplace. This view is the output of a function that returns multiple views. "
            "Such functions do not allow the output views to be modified inplace. You should replace the "
            "inplace operation by an out-of-place one.")
    base = self._base
    if base is not None and base.grad_fn is None and base._requires_grad:
        raise RuntimeError(VIEW_OF_LEAF_INPLACE)


def inplace_handler(spec: Any, args: tuple, kwargs: dict) -> Any:
    """``a.add_(b)`` and friends: the op runs in place, then ``a``'s history is rewritten to the new
    node (or, for a view of a tracked base, the base's history to a ``CopySlices``)."""
    self = args[0]
    check_inplace(self)
    next_ = list(map(edge_of, args))
    saved_args = args
    if 0 in spec.saved:
        # The formula reads self's value from before the write: keep a copy, recorded (it
        # carries self's history, so double backward through the in-place op works).
        saved_args = (_C.clone(self),) + tuple(args[1:])
    _set_grad(False)
    try:
        out = spec.fwd(*args, **kwargs) if kwargs else spec.fwd(*args)
    finally:
        _set_grad(True)
    cls = spec.cls if spec.choose is None else spec.classes[spec.choose(args, out)]
    node = cls(next_, saved_args)
    if spec.saver is not None:
        node.versions = spec.saver(spec, node, saved_args, self)
    rebase_history(self, node)
    return self


def rebase_history(self: Tensor, node: Node) -> None:
    """Makes ``node`` (an in-place op on ``self``) the new history of ``self``."""
    base = self._base
    if base is None:
        # A view that was made without recording (its base needed no gradient) still writes
        # into its base: the C++ side keeps the base for every view. From now on the view
        # holds the base object, whose history the next in-place write must extend.
        base = _C._view_base(self)
        if base is not None:
            self._base = base
    if base is None:
        self.grad_fn = node
        self._requires_grad = True
        return
    from .formulas import AS_STRIDED_VIEW, COPY_SLICES  # noqa: PLC0415 - cycle

    geom = (self._sizes, self._stride_tuple(), self.storage_offset() - base.storage_offset())
    base_geom = (base._sizes, base._stride_tuple(), base.dtype)
    cs = COPY_SLICES.cls([edge_of(base)] + list(node.next[1:]), (node, geom, base_geom))
    base.grad_fn = cs
    base._requires_grad = True
    # The view's own history now reads its slice of the base's new history.
    view_node = AS_STRIDED_VIEW.cls([cs], (base_geom, geom))
    self.grad_fn = view_node
    self._requires_grad = True


# ---- the table (filled by formulas.py) -----------------------------------------------------------

SPECS: Dict[str, Any] = {}


def unknown_spec(op: str) -> Any:
    from .formulas import not_implemented_spec  # noqa: PLC0415

    spec = not_implemented_spec(op)
    SPECS[op] = spec
    return spec
