"""The backward engine: an iterative walk of the graph in dependency order.

A first pass counts, for every vertex reachable from the roots, how many edges point at it; the
second runs a vertex once all of them have delivered their gradient (summed in a buffer), so
each node runs once and no recursion is involved (a chain of 100,000 ops is fine). Saved values
are freed node by node unless the graph is retained."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from .. import _C
from .._C import Tensor
from .._device import full_on
from .graph import Node, check_versions, edge_of

_set_grad = _C._set_grad_enabled
_is_grad = _C.is_grad_enabled
_add = _C.add
_add_ = _C.Tensor.__iadd__  # the C++ in-place add (Tensor.add_ is the Python one with alpha)
_clone = _C.clone


def _vertex(e: Any) -> Any:
    return e[0] if type(e) is tuple else e


# Vertices are Nodes or leaf tensors; both hash by identity, so they key the engine's dicts
# directly. `_ag_leaf` (a class attribute on both) tells them apart without isinstance.


def _count_deps(roots: Sequence[Any]) -> Dict[Any, int]:
    """For each reachable vertex, the number of edges pointing at it."""
    deps: Dict[Any, int] = {}
    stack = []
    for e in roots:
        v = _vertex(e)
        if v not in deps:
            deps[v] = 0
            stack.append(v)
    pop, push, get = stack.pop, stack.append, deps.get
    while stack:
        v = pop()
        if v._ag_leaf:
            continue
        for e in v.next:
            if e is None:
                continue
            if type(e) is tuple:
                e = e[0]
            c = get(e)
            if c is None:
                deps[e] = 1
                push(e)
            else:
                deps[e] = c + 1
    return deps


def _needed(roots: Sequence[Any], targets: set) -> set:
    """The vertices from which some target vertex can be reached (iterative post-order)."""
    needed: set = set()
    done: set = set()
    stack: List[Tuple[Any, bool]] = [(_vertex(e), False) for e in roots]
    while stack:
        v, children_done = stack.pop()
        if children_done:
            done.add(v)
            if v in targets:
                needed.add(v)
            elif not v._ag_leaf:
                for e in v.next:
                    if e is not None and _vertex(e) in needed:
                        needed.add(v)
                        break
            continue
        if v in done:
            continue
        stack.append((v, True))
        if not v._ag_leaf:
            for e in v.next:
                if e is not None and _vertex(e) not in done:
                    stack.append((_vertex(e), False))
    return needed


def _run_tensor_pre_hooks(v: Node, g: Any, ex: dict, create_graph: bool) -> Any:
    multi = v.n_out > 1
    tp = ex.get("tensor_pre")
    if tp:
        for nr, hooks in tp.items():
            gi = g[nr] if multi else g
            if gi is None:
                continue
            for fn in list(hooks.values()):
                r = fn(gi)
                if r is not None:
                    gi = r
            if multi:
                g[nr] = gi
            else:
                g = gi
    retain = ex.get("retain")
    if retain:
        for nr, ref in list(retain.items()):
            t = ref()
            gi = g[nr] if multi else g
            if t is None or gi is None:
                continue
            d = t.__dict__
            old = d.get("_grad")
            if old is None:
                d["_grad"] = gi if create_graph else _clone(gi)
            else:
                d["_grad"] = _add(old, gi)
    pre = ex.get("pre")
    if pre:
        gs = tuple(g) if multi else (g,)
        for fn in list(pre.values()):
            r = fn(gs)
            if r is not None:
                gs = tuple(r)
        g = list(gs) if multi else gs[0]
    return g


def _run_post_hooks(v: Node, grads: Any, g: Any, ex: dict) -> Any:
    for fn in list(ex["post"].values()):
        r = fn(grads, tuple(g) if v.n_out > 1 else (g,))
        if r is not None:
            grads = tuple(r)
    return grads


def _accumulate_leaf(leaf: Tensor, g: Tensor, owned: bool, create_graph: bool) -> None:
    d = leaf.__dict__
    hooks = d.get("_hooks")
    if hooks:
        for fn in list(hooks.values()):
            r = fn(g)
            if r is not None:
                g = r
        owned = False  # a hook may keep a reference to the gradient
    old = d.get("_grad")
    if old is None:
        d["_grad"] = g if owned or create_graph else _clone(g)
    elif create_graph or old._requires_grad:
        d["_grad"] = _add(old, g)
    else:
        _add_(old, g)
    post = d.get("_post_acc_hooks")
    if post:
        for fn in list(post.values()):
            fn(leaf)


def _run_node_general(
    v: Node, g: Any, ex: Optional[dict], create_graph: bool, capture: Optional[dict], results: list
) -> Tuple[Any, bool]:
    """A node with hooks, several outputs, or captured gradients (autograd.grad)."""
    if ex is not None:
        g = _run_tensor_pre_hooks(v, g, ex, create_graph)
    multi = v.n_out > 1
    if capture is not None:
        for nr in range(v.n_out):
            pos = capture.get((v, nr))
            if pos is not None:
                results[pos] = g[nr] if multi else g
    if g is None or (multi and all(x is None for x in g)):
        return None, True
    if v.versions:
        check_versions(v)
    spec = v.spec
    grads = spec.fn(v, g)
    if ex is not None and ex.get("post"):
        grads = _run_post_hooks(v, grads, g, ex)
    return grads, spec.fresh


def execute(
    roots: Sequence[Any],
    root_grads: Sequence[Optional[Tensor]],
    keep_graph: bool,
    create_graph: bool,
    capture: Optional[Dict[Tuple[Any, int], int]] = None,
    n_capture: int = 0,
    accumulate: bool = True,
) -> List[Optional[Tensor]]:
    """Runs backward from ``roots`` (edges) seeded with ``root_grads``.

    Without ``capture``, gradients accumulate into every reachable leaf's ``.grad``. With it
    (``{(vertex, output_nr): position}``), the gradient reaching each of those vertices is
    returned instead (and only the part of the graph leading to them runs); with ``accumulate``
    the captured leaves' gradients are also added to their ``.grad`` (``backward(inputs=...)``)."""
    deps = _count_deps(roots)
    needed = None
    results: List[Optional[Tensor]] = [None] * n_capture
    if capture is not None:
        needed = _needed(roots, {k for k, _ in capture})
    buffers: Dict[Any, Any] = {}
    shared: set = (
        set()
    )  # vertices whose buffered gradient may alias another tensor (not ours to keep)
    ready: List[Any] = []
    for e, g in zip(roots, root_grads):
        if type(e) is tuple:
            v, nr = e
            buf = buffers.get(v)
            if buf is None:
                buf = buffers[v] = [None] * v.n_out
            buf[nr] = g if buf[nr] is None else _add(buf[nr], g)
        else:
            v = e
            buffers[v] = g if v not in buffers else _add(buffers[v], g)
            shared.add(v)
        if deps[v] == 0 and all(v is not r for r in ready):
            ready.append(v)

    prev = _is_grad()
    _set_grad(create_graph)
    pop_ready, push_ready = ready.pop, ready.append
    pop_buf, get_buf = buffers.pop, buffers.get
    simple = capture is None
    try:
        while ready:
            v = pop_ready()
            g = pop_buf(v, None)
            if v._ag_leaf:
                if g is None:
                    continue
                if simple:
                    _accumulate_leaf(v, g, v not in shared, create_graph)
                else:
                    pos = capture.get((v, 0))
                    if pos is not None:
                        results[pos] = g
                        if accumulate:
                            _accumulate_leaf(v, g, False, create_graph)
                continue
            ex = v.extra
            if not simple or ex is not None or v.n_out != 1:
                if needed is not None and v not in needed:
                    continue
                grads, fresh = _run_node_general(v, g, ex, create_graph, capture, results)
            elif g is None:
                grads = None
            else:
                # The common case, inlined: version checks, then the formula.
                if v.versions:
                    check_versions(v)
                spec = v.spec
                grads = spec.fn(v, g)
                fresh = spec.fresh
            if not keep_graph and v.spec.frees:
                v.release()
            if grads is None:  # nothing flows on, but the inputs' counts still drop
                for e in v.next:
                    if e is not None:
                        ve = e[0] if type(e) is tuple else e
                        c = deps[ve] - 1
                        deps[ve] = c
                        if c == 0:
                            push_ready(ve)
                continue
            for e, gi in zip(v.next, grads):
                if e is None:
                    continue
                if type(e) is tuple:  # an output of a multi-output node
                    ve, nr = e
                    if gi is not None:
                        buf = get_buf(ve)
                        if buf is None:
                            buf = buffers[ve] = [None] * ve.n_out
                        buf[nr] = gi if buf[nr] is None else _add(buf[nr], gi)
                else:
                    ve = e
                    if gi is not None:
                        cur = get_buf(ve)
                        if cur is None:
                            buffers[ve] = gi
                            if not fresh:
                                shared.add(ve)
                        elif create_graph:
                            buffers[ve] = _add(cur, gi)
                        elif ve in shared:
                            buffers[ve] = _add(cur, gi)
                            shared.discard(ve)
                        else:
                            _add_(cur, gi)
                c = deps[ve] - 1
                deps[ve] = c
                if c == 0:
                    push_ready(ve)
    finally:
        _set_grad(prev)
    return results


# ---- the public entry points ---------------------------------------------------------------------


def _as_tuple(x: Any) -> tuple:
    if x is None:
        return ()
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


def _make_grads(outputs: tuple, grads: tuple) -> List[Tensor]:
    out = []
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if g is None:
            if t.grad_fn is not None or t._requires_grad:
                if t.numel() != 1:
                    raise RuntimeError("grad can be implicitly created only for scalar outputs")
                if not t.dtype.is_floating_point:
                    raise RuntimeError(
                        "grad can be implicitly created only for real scalar outputs but got "
                        + repr(t.dtype)
                    )
                g = full_on(t, t._sizes, 1, t.dtype)
            out.append(g)
            continue
        if not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got {type(g).__name__}")
        if g._sizes != t._sizes:
            from .._size import Size  # noqa: PLC0415

            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {Size(g._sizes)!r} "
                f"and output[{i}] has a shape of {Size(t._sizes)!r}."
            )
        if g.dtype is not t.dtype:
            g = _C.to_dtype(g, t.dtype, False)
        out.append(g)
    return out


def _root_edges(outputs: tuple) -> List[Any]:
    edges = []
    for i, t in enumerate(outputs):
        e = edge_of(t)
        if e is None:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        edges.append(e)
    return edges


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: Optional[bool] = None,
    create_graph: bool = False,
    grad_variables: Any = None,
    inputs: Any = None,
) -> None:
    """Accumulates into the leaves' ``.grad`` the gradient of ``tensors`` (weighted by
    ``grad_tensors``), as ``torch.autograd.backward``."""
    if grad_variables is not None:
        grad_tensors = grad_variables
    outputs = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(outputs)
    if isinstance(grad_tensors, Tensor):
        grads = (grad_tensors,)
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(grads)} tensors and {len(outputs)} gradients")
    if retain_graph is None:
        retain_graph = create_graph
    roots = _root_edges(outputs)
    root_grads = _make_grads(outputs, grads)
    if inputs is not None:
        ins = _as_tuple(inputs)
        if not ins:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        capture = _capture_map(ins)
        res = execute(
            roots, root_grads, retain_graph, create_graph, capture, len(ins), accumulate=True
        )
        # Non-leaf inputs accumulate like leaves (torch does the same).
        for t, g in zip(ins, res):
            if g is not None and t.grad_fn is not None:
                _accumulate_leaf(t, g, False, create_graph)
        return
    execute(roots, root_grads, retain_graph, create_graph)


def _capture_map(inputs: tuple) -> Dict[Tuple[Any, int], int]:
    capture = {}
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor):
            raise TypeError(f"grad(): inputs must be Tensors, got {type(t).__name__}")
        gf = t.grad_fn
        if gf is not None:
            capture[(gf, t._output_nr)] = i
        elif t._requires_grad:
            capture[(t, 0)] = i
        else:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    return capture


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: Optional[bool] = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: Optional[bool] = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> Tuple[Optional[Tensor], ...]:
    """The gradients of ``outputs`` with respect to ``inputs`` (``.grad`` is left untouched)."""
    if is_grads_batched:
        raise NotImplementedError("grad(): is_grads_batched=True is not supported")
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    if allow_unused is None:
        allow_unused = materialize_grads
    outs = _as_tuple(outputs)
    ins = _as_tuple(inputs)
    gos = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outs)
    if isinstance(grad_outputs, Tensor):
        gos = (grad_outputs,)
    if len(gos) != len(outs):
        raise RuntimeError(
            f"grad requires one grad_output per output: got {len(gos)} and {len(outs)}"
        )
    if retain_graph is None:
        retain_graph = create_graph
    roots = _root_edges(outs)
    root_grads = _make_grads(outs, gos)
    capture = _capture_map(ins)
    res = execute(
        roots, root_grads, retain_graph, create_graph, capture, len(ins), accumulate=False
    )
    out = []
    for i, (t, g) in enumerate(zip(ins, res)):
        if g is None:
            if materialize_grads:
                g = full_on(t, t._sizes, 0, t.dtype)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
        out.append(g)
    return tuple(out)
