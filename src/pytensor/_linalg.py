"""Matrix products with torch's semantics, computed in C++ (BLAS sgemm/dgemm/gemv for float32
and float64, a plain kernel for integer dtypes). The module functions are the C++ bindings
themselves, so a call crosses into C++ once; ``linear`` lives here until ``nn.functional``
re-exports it.

The composite functions below (einsum, tensordot, kron, cross, cdist, norms ...) are written
with those products and views, so autograd differentiates them without formulas of their own;
the LAPACK-backed ones (inv, det, slogdet, solve) are C++ ops with formulas in
``autograd/formulas.py``."""

from __future__ import annotations

import builtins
import functools
import math
import warnings
from typing import Any, List, Optional, Sequence, Tuple, Union

from . import _C
from ._reduction import _return_type
from ._tensor import clamp as _clamp
from ._C import (  # noqa: F401
    Tensor, mm, bmm, mv, dot, outer, ger, matmul, addmm, addmv, baddbmm,
)

__all__ = [
    "mm", "bmm", "mv", "dot", "outer", "ger", "matmul", "addmm", "addmv", "baddbmm", "linear",
    "einsum", "tensordot", "inner", "vdot", "kron", "cross", "addr", "addbmm", "chain_matmul",
    "multi_dot", "matrix_power", "dist", "cdist", "vector_norm", "matrix_norm", "linalg_norm",
    "inv", "inverse", "det", "slogdet", "logdet", "solve",
]

Number = Union[int, float, builtins.bool]

# torch's C++ scalar-type names, as its "expected scalar type X but found Y" messages print them.
_SCALAR_NAME = {
    "torch.float32": "Float", "torch.float64": "Double", "torch.int64": "Long", "torch.int32": "Int",
    "torch.int16": "Short", "torch.int8": "Char", "torch.uint8": "Byte", "torch.bool": "Bool",
}
# ... and the C type names multi_dot prints.
_C_TYPE_NAME = {
    "torch.float32": "float", "torch.float64": "double", "torch.int64": "long int",
    "torch.int32": "int", "torch.int16": "short int", "torch.int8": "signed char",
    "torch.uint8": "unsigned char", "torch.bool": "bool",
}


def _scalar_name(dt: Any) -> str:
    s = str(dt).replace("pytensor.", "torch.")
    return _SCALAR_NAME.get(s, s)


def _same_dtype(a: Tensor, b: Tensor) -> None:
    if a.dtype != b.dtype:
        raise RuntimeError(
            f"expected scalar type {_scalar_name(a.dtype)} but found {_scalar_name(b.dtype)}")


def _shape_str(t: Tensor) -> str:
    return "[" + ", ".join(str(s) for s in t._sizes) + "]"


def linear(input: Tensor, weight: Tensor, bias: Optional[Tensor] = None) -> Tensor:
    """``input @ weight.T + bias``, as ``torch.nn.functional.linear``.

    ``input`` is ``(*, in_features)``, ``weight`` ``(out_features, in_features)`` and ``bias``
    broadcasts to ``(*, out_features)``; with a bias the sum is fused into one BLAS call.
    """
    return _C.linear(input, weight, bias)


# ---- einsum ---------------------------------------------------------------------------------

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _sublist_equation(args: tuple) -> Tuple[str, list]:
    """torch's sublist form ``einsum(op1, [0, 1], op2, [1, 2], [0, 2])`` as an equation string."""

    def term(sub: Sequence[Any]) -> str:
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif isinstance(s, int) and 0 <= s < 52:
                out.append(_LETTERS[s])
            else:
                raise RuntimeError(
                    f"einsum(): expected subscript to be within the range [0, 52) but got {s}")
        return "".join(out)

    ops = list(args[0::2])
    subs = list(args[1::2])
    out = None
    if len(subs) < len(ops):  # the last operand is the output sublist
        out = ops.pop()
        if isinstance(out, Tensor):
            raise RuntimeError("einsum(): each operand needs a sublist of subscripts")
    eq = ",".join(term(s) for s in subs[: len(ops)])
    if out is not None:
        eq += "->" + term(out)
    return eq, ops


def _parse_term(eq: str, start: int, end: int, who: str) -> Tuple[List[str], int]:
    """Labels of ``eq[start:end]`` (letters, with '.' standing for the ellipsis) and the
    position of the ellipsis among them (-1 when none)."""
    labels: List[str] = []
    ell = -1
    i = start
    while i < end:
        c = eq[i]
        if c == ".":
            if ell >= 0:
                if who == "output":
                    raise RuntimeError("einsum(): found '.' for output but an ellipsis (...) was "
                                       "already found")
                raise RuntimeError(f"einsum(): found '.' for {who} for which an ellipsis was "
                                   "already found")
            if eq[i:i + 3] != "..." or i + 3 > end:
                raise RuntimeError(f"einsum(): found '.' for {who} that is not part of any ellipsis")
            ell = len(labels)
            i += 3
            continue
        if c == " ":
            i += 1
            continue
        if not ("a" <= c <= "z" or "A" <= c <= "Z"):
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation "
                               "string, subscripts must be in [a-zA-Z]")
        labels.append(c)
        i += 1
    return labels, ell


def _contract_plan(sa: Sequence[int], la: list, sb: Sequence[int], lb: list, keep: set) -> tuple:
    """One pairwise step of einsum, planned from shapes: ``a`` (labels ``la``) with ``b``
    (labels ``lb``) as one bmm, keeping the labels in ``keep``; the others they share are summed
    by the product. Returns (step, labels of the result, its sizes); ``_run_contract`` runs it."""
    in_b = set(lb)
    in_a = set(la)
    batch = [l for l in la if l in in_b and l in keep]
    red = [l for l in la if l in in_b and l not in keep]
    m = [l for l in la if l not in in_b]
    n = [l for l in lb if l not in in_a]
    # Broadcast size-1 subscripts: summed ones are summed on the other side first (then both are
    # 1); kept ones are expanded (a view).
    size = {}
    sum_a, sum_b = [], []
    for l in batch + red:
        x, y = sa[la.index(l)], sb[lb.index(l)]
        size[l] = builtins.max(x, y)
        if x != y and l in red:
            (sum_a if y == 1 else sum_b).append(la.index(l) if y == 1 else lb.index(l))
            size[l] = 1
    for l in m:
        size[l] = sa[la.index(l)]
    for l in n:
        size[l] = sb[lb.index(l)]
    perm_a = [la.index(l) for l in batch + m + red]
    perm_b = [lb.index(l) for l in batch + red + n]
    want_a = [size[l] for l in batch + m + red]
    want_b = [size[l] for l in batch + red + n]
    exp_a = want_a if [1 if i in sum_a else sa[i] for i in perm_a] != want_a else None
    exp_b = want_b if [1 if i in sum_b else sb[i] for i in perm_b] != want_b else None
    nb = math.prod(size[l] for l in batch)
    nm = math.prod(size[l] for l in m)
    nk = math.prod(size[l] for l in red)
    nn = math.prod(size[l] for l in n)
    labels = batch + m + n
    out_sizes = [size[l] for l in labels]
    step = (sum_a, sum_b, perm_a, perm_b, exp_a, exp_b, [nb, nm, nk], [nb, nk, nn], out_sizes)
    return step, labels, out_sizes


def _run_contract(a: Tensor, b: Tensor, step: tuple) -> Tensor:
    sum_a, sum_b, perm_a, perm_b, exp_a, exp_b, shape_a, shape_b, out_sizes = step
    if sum_a:
        a = _C.sum(a, sum_a, True, None)
    if sum_b:
        b = _C.sum(b, sum_b, True, None)
    ta = _C.permute(a, perm_a)
    tb = _C.permute(b, perm_b)
    if exp_a is not None:
        ta = _C.expand(ta, exp_a)
    if exp_b is not None:
        tb = _C.expand(tb, exp_b)
    out = _C.bmm(_C.reshape(ta, shape_a), _C.reshape(tb, shape_b))
    return _C.reshape(out, out_sizes)


def einsum(*args: Any) -> Tensor:
    """Einstein summation, as ``torch.einsum``: ``einsum("ij,jk->ik", a, b)``.

    Supports ``...`` (broadcast batch dimensions), repeated subscripts in one operand (its
    diagonal), the implicit output (subscripts seen once, sorted; ellipsis dimensions first),
    a list of operands, and torch's sublist form. Operands are contracted left to right, each
    pair as one batched matrix product; subscripts that appear in one operand only and not in
    the output are summed first."""
    if not args:
        raise TypeError("einsum(): must specify the equation string and at least one operand")
    if isinstance(args[0], Tensor):
        eq, ops = _sublist_equation(args)
    else:
        eq, ops = args[0], list(args[1:])
        if len(ops) == 1 and isinstance(ops[0], (list, tuple)):
            ops = list(ops[0])
    if not isinstance(eq, str):
        raise TypeError(f"einsum(): argument 'equation' must be str, not {type(eq).__name__}")
    for i, t in enumerate(ops):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got "
                            f"{type(t).__name__}")
    if not ops:
        raise RuntimeError("einsum(): must provide at least one operand")
    op_plans, steps, extra, perm = _einsum_plan(eq, tuple(t._sizes for t in ops))
    cur: List[Tensor] = []
    for t, (diag, lonely) in zip(ops, op_plans):
        if diag is not None:
            usz, groups = diag
            st = t.stride()
            t = _C.as_strided(t, usz, [builtins.sum(st[i] for i in g) for g in groups], t.storage_offset())
        if lonely:
            t = _C.sum(t, lonely, False, None)
        cur.append(t)
    res = cur[0]
    for b, step in zip(cur[1:], steps):
        _same_dtype(res, b)
        res = _run_contract(res, b, step)
    if extra:
        res = _C.sum(res, extra, False, None)
    if perm is not None:
        res = _C.permute(res, perm)
    return res


@functools.lru_cache(maxsize=512)
def _einsum_plan(eq: str, shapes: Tuple[Tuple[int, ...], ...]) -> tuple:
    """Parses ``eq`` for operands of ``shapes`` (checks included) into the steps ``einsum``
    runs; cached, since a model calls the same equation on the same shapes again and again.
    Returns (per operand (diagonal, summed dims), contraction steps, final summed dims, final
    permutation)."""
    arrow = eq.find("->")
    lhs_end = arrow if arrow >= 0 else len(eq)
    # Input terms.
    terms = []
    start = 0
    k = 0
    while True:
        comma = eq.find(",", start, lhs_end)
        end = comma if comma >= 0 else lhs_end
        if k >= len(shapes):
            raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
        terms.append(_parse_term(eq, start, end, f"operand {k}"))
        k += 1
        if comma < 0:
            break
        start = comma + 1
    if len(terms) < len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")

    # Expand each ellipsis into labels ("0", "1", ...: ellipsis dimensions, right-aligned).
    n_ell = 0
    for k, ((labels, ell), shape) in enumerate(zip(terms, shapes)):
        nd = len(shape)
        if ell < 0:
            if len(labels) != nd:
                raise RuntimeError(
                    f"einsum(): the number of subscripts in the equation ({len(labels)}) does not "
                    f"match the number of dimensions ({nd}) for operand {k} "
                    "and no ellipsis was given")
        else:
            if len(labels) > nd:
                raise RuntimeError(
                    f"einsum(): the number of subscripts in the equation ({len(labels)}) is more "
                    f"than the number of dimensions ({nd}) for operand {k}")
            n_ell = builtins.max(n_ell, nd - len(labels))
    ell_labels = [str(i) for i in range(n_ell)]
    op_labels: List[List[str]] = []
    for labels, ell in terms:
        if ell < 0:
            op_labels.append(list(labels))
        else:
            covered = len(shapes[len(op_labels)]) - len(labels)
            op_labels.append(labels[:ell] + ell_labels[n_ell - covered:] + labels[ell:])

    # Sizes: every subscript broadcasts across operands; repeated within one it must match.
    sizes: dict = {}
    for k, (labels, shape) in enumerate(zip(op_labels, shapes)):
        own: dict = {}
        for l, s in zip(labels, shape):
            if l in own and own[l] != s:
                raise RuntimeError(f"einsum(): subscript {l} is repeated for operand {k} but the "
                                   f"sizes don't match, {own[l]} != {s}")
            own[l] = s
            prev = sizes.get(l)
            if prev is None or prev == 1:
                sizes[l] = s
            elif s != 1 and s != prev:
                if l.isdigit():
                    raise RuntimeError(
                        f"einsum(): dimension {l} covered by ellipsis in operand {k}has size {s} "
                        "which does not broadcast with previously seen ellipsis with size "
                        f"{prev} for the respective dimension")
                raise RuntimeError(f"einsum(): subscript {l} has size {s} for operand {k} which "
                                   f"does not broadcast with previously seen size {prev}")

    # Output subscripts.
    if arrow >= 0:
        out_terms, out_ell = _parse_term(eq, arrow + 2, len(eq), "output")
        seen = set()
        for l in out_terms:
            if l in seen:
                raise RuntimeError(f"einsum(): output subscript {l} appears more than once in the "
                                   "output")
            if l not in sizes:
                raise RuntimeError(f"einsum(): output subscript {l} does not appear in the equation "
                                   "for any input operand")
            seen.add(l)
        out_labels = list(out_terms)
        if out_ell >= 0:
            out_labels[out_ell:out_ell] = ell_labels
    else:
        counts: dict = {}
        for labels in op_labels:
            for l in labels:
                counts[l] = counts.get(l, 0) + 1
        out_labels = ell_labels + sorted(l for l, c in counts.items() if c == 1 and not l.isdigit())

    # Per operand: take the diagonal of repeated subscripts (a strided view), sum those seen
    # nowhere else.
    out_set = set(out_labels)
    where: dict = {}
    for labels in op_labels:
        for l in set(labels):
            where[l] = where.get(l, 0) + 1
    op_plans = []
    cur_labels: List[list] = []
    cur_sizes: List[list] = []
    for shape, labels in zip(shapes, op_labels):
        diag = None
        sizes_k = list(shape)
        if len(set(labels)) != len(labels):
            uniq: list = []
            groups: list = []
            usz: list = []
            for i, (l, sz) in enumerate(zip(labels, shape)):
                if l in uniq:
                    groups[uniq.index(l)].append(i)
                else:
                    uniq.append(l)
                    groups.append([i])
                    usz.append(sz)
            diag = (usz, groups)
            labels, sizes_k = uniq, usz
        lonely = [i for i, l in enumerate(labels) if where[l] == 1 and l not in out_set]
        if lonely:
            labels = [l for i, l in enumerate(labels) if i not in lonely]
            sizes_k = [sz for i, sz in enumerate(sizes_k) if i not in lonely]
        op_plans.append((diag, lonely or None))
        cur_labels.append(list(labels))
        cur_sizes.append(sizes_k)

    steps = []
    labels, sizes_r = cur_labels[0], cur_sizes[0]
    for i in range(1, len(cur_labels)):
        keep = set(out_set)
        for later in cur_labels[i + 1:]:
            keep.update(later)
        step, labels, sizes_r = _contract_plan(sizes_r, labels, cur_sizes[i], cur_labels[i], keep)
        steps.append(step)
    extra = [i for i, l in enumerate(labels) if l not in out_set]
    labels = [l for l in labels if l in out_set]
    perm = [labels.index(l) for l in out_labels]
    return op_plans, steps, extra or None, (perm if perm != list(range(len(perm))) else None)


# ---- products built on mm -----------------------------------------------------------------


def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: None = None) -> Tensor:
    """Sum of products over ``dims``: an int n (the last n dims of ``a`` with the first n of
    ``b``) or a pair of dim lists, as ``torch.tensordot``. One matrix product."""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.dim() or dims > b.dim():
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da = list(range(-dims, 0))
        db = list(range(dims))
    else:
        if isinstance(dims, Tensor):
            dims = dims.tolist()
        if len(dims) != 2:
            raise RuntimeError("tensordot expects dims to be a pair of dim lists")
        da, db = dims
        da = [da] if isinstance(da, int) else list(da)
        db = [db] if isinstance(db, int) else list(db)
        if len(da) != len(db):
            raise RuntimeError("both dimension lists should have same length")
    if a.dtype != b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    na, nb = a.dim(), b.dim()
    wa = []
    wb = []
    for x, y in zip(da, db):
        if not -na <= x < builtins.max(na, 1) or not -nb <= y < builtins.max(nb, 1):
            bad, n = (x, na) if not -na <= x < builtins.max(na, 1) else (y, nb)
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                             f"but got {bad})")
        wa.append(x % na if na else 0)
        wb.append(y % nb if nb else 0)
    sa, sb = a._sizes, b._sizes
    sum_a, sum_b = [], []
    for x, y, ox, oy in zip(wa, wb, da, db):
        if sa[x] != sb[y]:
            if sa[x] == 1:
                sum_b.append(y)
            elif sb[y] == 1:
                sum_a.append(x)
            else:
                raise RuntimeError(f"contracted dimensions need to match, but first has size {sa[x]} "
                                   f"in dim {ox} and second has size {sb[y]} in dim {oy}")
    # A size-1 dim against size n: the other side is summed over it first (then both are 1).
    if sum_a:
        a = _C.sum(a, sum_a, True, None)
        sa = a._sizes
    if sum_b:
        b = _C.sum(b, sum_b, True, None)
        sb = b._sizes
    free_a = [i for i in range(na) if i not in wa]
    free_b = [i for i in range(nb) if i not in wb]
    k = math.prod(sa[i] for i in wa)
    pa = _C.reshape(_C.permute(a, free_a + wa), [math.prod(sa[i] for i in free_a), k])
    pb = _C.reshape(_C.permute(b, wb + free_b), [k, math.prod(sb[i] for i in free_b)])
    return _C.reshape(_C.mm(pa, pb), [sa[i] for i in free_a] + [sb[i] for i in free_b])


def inner(input: Tensor, other: Tensor, *, out: None = None) -> Tensor:
    """Sum of products over the last dimension of both (a product when either is a scalar)."""
    if input.dim() == 0 or other.dim() == 0:
        return _C.mul(input, other)
    if input._sizes[-1] != other._sizes[-1]:
        raise RuntimeError("inner() the last dimension must match on both input tensors but got "
                           f"shapes {_shape_str(input)} and {_shape_str(other)}")
    return tensordot(input, other, ([-1], [-1]))


def vdot(input: Tensor, other: Tensor, *, out: None = None) -> Tensor:
    """``sum(conj(input) * other)`` of two 1-D tensors; for real tensors this is ``dot``."""
    return _C.dot(input, other)


def kron(input: Tensor, other: Tensor, *, out: None = None) -> Tensor:
    """Kronecker product: blocks ``input[i] * other``, as ``torch.kron`` (one broadcast
    multiply of interleaved views)."""
    nd = builtins.max(input.dim(), other.dim())
    sa = [1] * (nd - input.dim()) + list(input._sizes)
    sb = [1] * (nd - other.dim()) + list(other._sizes)
    out_shape = [x * y for x, y in zip(sa, sb)]
    if nd == 1:
        return _C.reshape(_C.outer(_C.reshape(input, sa), _C.reshape(other, sb)), out_shape)
    a = _C.reshape(input, [s for x in sa for s in (x, 1)])
    b = _C.reshape(other, [s for x in sb for s in (1, x)])
    dt = _C.promote_types(input.dtype, other.dtype)
    if dt.is_floating_point and math.prod(out_shape) >= 65536:
        # Each (i, j) block row pair is an outer product: a broadcast batched matmul writes the
        # result in its final layout, 3-4x faster than the broadcast multiply's short inner runs.
        if a.dtype != dt:
            a = a.to(dt)
        if b.dtype != dt:
            b = b.to(dt)
        return _C.reshape(_C.matmul(a, b), out_shape)
    return _C.reshape(_C.mul(a, b), out_shape)


_cross_warned = False


def _linalg_cross(input: Tensor, other: Tensor, dim: int) -> Tensor:
    if input.dim() != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    nd = input.dim()
    if not -nd <= dim < builtins.max(nd, 1):
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], "
                         f"but got {dim})")
    d = dim % nd
    if input._sizes[d] != 3 or other._sizes[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input._sizes[d]} and {other._sizes[d]}")
    _same_dtype(input, other)
    # (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0) on narrowed views (no copies of the inputs;
    # 3x faster than rolled copies or index_select for small inputs).
    a = [_C.narrow(input, d, k, 1) for k in range(3)]
    b = [_C.narrow(other, d, k, 1) for k in range(3)]
    mul, sub = _C.mul, _C.sub
    return _C.cat([sub(mul(a[1], b[2]), mul(a[2], b[1])), sub(mul(a[2], b[0]), mul(a[0], b[2])),
                   sub(mul(a[0], b[1]), mul(a[1], b[0]))], d)


def cross(input: Tensor, other: Tensor, dim: Optional[int] = None, *, out: None = None) -> Tensor:
    """Cross product of 3-vectors along ``dim``. Without ``dim`` (deprecated in torch, which
    warns) it is the first dimension of size 3 of ``input``; ``linalg.cross`` uses -1."""
    global _cross_warned
    if dim is None:
        if not _cross_warned:
            _cross_warned = True
            warnings.warn(
                "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass "
                "the dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will "
                "change to agree with that of linalg.cross in a future release.", UserWarning,
                stacklevel=2)
        for i, s in enumerate(input._sizes):
            if s == 3:
                dim = i
                break
        else:
            raise RuntimeError("no dimension of size 3 in input")
    return _linalg_cross(input, other, dim)


def linalg_cross(input: Tensor, other: Tensor, *, dim: int = -1, out: None = None) -> Tensor:
    """``torch.linalg.cross``: the cross product along ``dim`` (default -1), broadcasting."""
    return _linalg_cross(input, other, dim)


def _check_beta_alpha(result_int: bool, beta: Number, alpha: Number) -> None:
    if result_int:
        for name, v in (("beta", beta), ("alpha", alpha)):
            if isinstance(v, float):
                raise RuntimeError(f"For integral input tensors, argument {name} must not be a "
                                   "floating point number.")


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Number = 1, alpha: Number = 1,
         out: None = None) -> Tensor:
    """``beta * input + alpha * outer(vec1, vec2)``; ``input`` broadcasts to the outer
    product's shape, and ``beta == 0`` ignores it (NaN included)."""
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.dim() != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.dim()}-D")
    o = _C.outer(vec1, vec2)
    res_dt = _C.promote_types(input.dtype, o.dtype)
    _check_beta_alpha(not res_dt.is_floating_point, beta, alpha)
    inp = _C.expand(input, list(o._sizes))  # torch's expand error for a non-broadcastable input
    if alpha != 1:
        o = _C.mul(o, alpha)
    if beta == 0:
        return o if o.dtype == res_dt else o.to(res_dt)
    return _C.add(inp if beta == 1 else _C.mul(inp, beta), o)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Number = 1,
           alpha: Number = 1, out: None = None) -> Tensor:
    """``beta * input + alpha * sum_b batch1[b] @ batch2[b]``, as one ``addmm`` over the
    batch-concatenated inner dimension."""
    for name, v in (("batch1", batch1), ("batch2", batch2)):
        if v.dim() != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    nb, n, m = batch1._sizes
    nb2, m2, p = batch2._sizes
    if nb != nb2:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {nb} and {nb2}")
    if m != m2:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({n}x{m} and {m2}x{p})")
    # NOTE: sum_b A_b B_b = [A_0 .. A_{nb-1}] @ [B_0; ..; B_{nb-1}]: one GEMM with k = nb*m.
    a = _C.reshape(_C.transpose(batch1, 0, 1), [n, nb * m])
    b = _C.reshape(batch2, [nb * m, p])
    inp = _C.expand(input, [n, p])
    return _C.addmm(inp, a, b, beta=beta, alpha=alpha)


def _chain_order(dims: List[int]) -> list:
    """Optimal parenthesization of a matrix chain with shapes dims[i] x dims[i+1] (the
    classic O(n^3) dynamic program over the chain's length, not its elements)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            best = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if best is None or c < best:
                    best, split[i][j] = c, k
            cost[i][j] = best
    return split


def _multi_dot(tensors: Sequence[Tensor], who: str) -> Tensor:
    n = len(tensors)
    first, last = tensors[0], tensors[-1]
    if first.dim() not in (1, 2):
        raise RuntimeError(f"{who}: the first tensor must be 1D or 2D but got {first.dim()}D")
    if last.dim() not in (1, 2):
        raise RuntimeError(f"{who}: the last tensor must be 1D or 2D but got {last.dim()}D")
    for i in range(1, n - 1):
        if tensors[i].dim() != 2:
            raise RuntimeError(f"{who}: tensor {i} must be 2D but got {tensors[i].dim()}D")
    dt = first.dtype
    for i in range(1, n):
        if tensors[i].dtype != dt:
            raise RuntimeError(
                f"{who}: all tensors must have be the same dtype but tensor 0 is "
                f"{_C_TYPE_NAME.get(str(dt).replace('pytensor.', 'torch.'), str(dt))} and tensor {i} "
                f"{_C_TYPE_NAME.get(str(tensors[i].dtype).replace('pytensor.', 'torch.'), '')}")
    mats = list(tensors)
    if first.dim() == 1:
        mats[0] = _C.unsqueeze(first, 0)
    if last.dim() == 1:
        mats[-1] = _C.unsqueeze(last, 1)
    for i in range(n - 1):
        if mats[i]._sizes[1] != mats[i + 1]._sizes[0]:
            raise RuntimeError(f"{who}: tensors {i} and {i + 1} with shapes "
                               f"{_shape_str(tensors[i])} and {_shape_str(tensors[i + 1])} "
                               "cannot be multiplied")
    if n == 2:
        res = _C.mm(mats[0], mats[1])
    else:
        split = _chain_order([mats[0]._sizes[0]] + [t._sizes[1] for t in mats])

        def prod(i: int, j: int) -> Tensor:
            if i == j:
                return mats[i]
            k = split[i][j]
            return _C.mm(prod(i, k), prod(k + 1, j))

        res = prod(0, n - 1)
    if first.dim() == 1 and last.dim() == 1:
        return _C.reshape(res, [])
    if first.dim() == 1:
        return _C.reshape(res, [res._sizes[1]])
    if last.dim() == 1:
        return _C.reshape(res, [res._sizes[0]])
    return res


def multi_dot(tensors: Sequence[Tensor], *, out: None = None) -> Tensor:
    """Product of a chain of matrices in the cheapest order (``torch.linalg.multi_dot``); the
    first may be a row vector and the last a column vector (1-D)."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    return _multi_dot(tensors, "multi_dot()")


_chain_warned = False


def chain_matmul(*matrices: Tensor, out: None = None) -> Tensor:
    """Deprecated (as in torch) spelling of ``linalg.multi_dot`` for 2-D matrices."""
    global _chain_warned
    if not _chain_warned:
        _chain_warned = True
        warnings.warn(
            "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
            "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than "
            "multiple parameters.", UserWarning, stacklevel=2)
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for t in matrices:
        if t.dim() != 2:
            raise RuntimeError(f"Tensor dimension is {t.dim()}, expected 2 instead.")
    if len(matrices) == 1:
        return _C.clone(matrices[0])
    return _multi_dot(matrices, "multi_dot()")


def _check_square(A: Tensor, who: str) -> None:
    if A.dim() < 2:
        raise RuntimeError(f"{who}: The input tensor A must have at least 2 dimensions.")
    if A._sizes[-1] != A._sizes[-2]:
        raise RuntimeError(f"{who}: A must be batches of square matrices, but they are "
                           f"{A._sizes[-2]} by {A._sizes[-1]} matrices")


def matrix_power(input: Tensor, n: int) -> Tensor:
    """``input`` (a batch of square matrices) to the integer power ``n`` by repeated squaring;
    ``n == 0`` gives identities, ``n < 0`` powers of the inverse."""
    _check_square(input, "linalg.matrix_power")
    if n == 0:
        k = input._sizes[-1]
        eye = _C.eye(k, k, input.dtype, None if input._device_str == "cpu" else input._device_str)
        return _C.clone(_C.expand(eye, list(input._sizes)))
    a = input
    if n < 0:
        a = inv(input)
        n = -n
    if n == 1:
        return _C.clone(a)
    res = None
    base = a
    while n:
        if n & 1:
            res = base if res is None else _C.matmul(res, base)
        n >>= 1
        if n:
            base = _C.matmul(base, base)
    return res


# ---- distances and norms ------------------------------------------------------------------


def _check_float(t: Tensor, who: str) -> None:
    if not t.dtype.is_floating_point:
        raise RuntimeError(f"{who}: Expected a floating point or complex tensor as input. Got "
                           f"{_scalar_name(t.dtype)}")


def vector_norm(x: Tensor, ord: Number = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None, out: None = None) -> Tensor:
    """``torch.linalg.vector_norm``: the ``ord``-norm over ``dim`` (all elements when None);
    ord may be any real, inf, -inf or 0 (count of nonzeros)."""
    _check_float(x, "linalg.vector_norm")
    if isinstance(dim, list):
        dim = tuple(dim)
    return _C.norm(x, dim, float(ord), keepdim, dtype)


def _matrix_dims(A: Tensor, dim: Any, who: str) -> Tuple[int, int]:
    if isinstance(dim, int) or len(dim) != 2:
        got = str(dim) if isinstance(dim, int) else " ".join(str(d) for d in dim)
        raise RuntimeError(f"{who}: dim must be a 2-tuple. Got {got}")
    nd = A.dim()
    d0, d1 = dim
    for d in (d0, d1):
        if not -nd <= d < nd:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}], "
                             f"but got {d})")
    if d0 % nd == d1 % nd:
        raise RuntimeError(f"{who}: dims must be different. Got ({d0}, {d1})")
    return d0 % nd, d1 % nd


def matrix_norm(A: Tensor, ord: Union[Number, str] = "fro", dim: Tuple[int, int] = (-2, -1),
                keepdim: bool = False, *, dtype: Any = None, out: None = None) -> Tensor:
    """``torch.linalg.matrix_norm`` for ord 'fro', 1, -1, inf and -inf (max/min absolute column
    or row sum). 'nuc', 2 and -2 need singular values and raise NotImplementedError."""
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    _check_float(A, "linalg.matrix_norm")
    d0, d1 = _matrix_dims(A, dim, "linalg.matrix_norm")
    if isinstance(ord, str):
        if ord == "fro":
            return _C.norm(A, (d0, d1), 2.0, keepdim, dtype)
        if ord == "nuc":
            raise NotImplementedError("linalg.matrix_norm: ord='nuc' needs singular values (an SVD), "
                                      "which pytensor does not implement")
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if ord in (2, -2):
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord} needs singular values (an SVD), "
                                  "which pytensor does not implement")
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if dtype is not None:
        A = A.to(dtype)
    if ord in (math.inf, -math.inf):
        d0, d1 = d1, d0  # row sums instead of column sums
    s = _C.sum(_C.abs(A), [d0], True, None)
    r = (_C.amax if ord > 0 else _C.amin)(s, [d1], True)
    if not keepdim:
        r = _C.squeeze(r, [d0, d1])
    return r


def linalg_norm(A: Tensor, ord: Union[Number, str, None] = None, dim: Any = None,
                keepdim: bool = False, *, dtype: Any = None, out: None = None) -> Tensor:
    """``torch.linalg.norm``: a vector norm (1-D input, or one ``dim``) or a matrix norm (2-D
    input, or two ``dim``); without ``ord`` or ``dim`` the 2-norm of all elements."""
    if dim is not None:
        if isinstance(dim, int) or len(dim) == 1:
            return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if A.dim() not in (1, 2):
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must be 1D "
                           f"or 2D. Got {A.dim()}D.")
    if A.dim() == 1:
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)


def dist(input: Tensor, other: Tensor, p: Number = 2) -> Tensor:
    """The ``p``-norm of ``input - other`` (broadcast)."""
    diff = _C.sub(input, other)
    if not diff.dtype.is_floating_point:
        raise RuntimeError("norm(): input dtype should be either floating point or complex. Got "
                           f"{_scalar_name(diff.dtype)} instead.")
    return _C.norm(diff, None, float(p), False, None)


_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                "donot_use_mm_for_euclid_dist")


def _broadcast_batch(a: Sequence[int], b: Sequence[int]) -> List[int]:
    n = builtins.max(len(a), len(b))
    a = [1] * (n - len(a)) + list(a)
    b = [1] * (n - len(b)) + list(b)
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                               f"at non-singleton dimension {i}")
        out.append(y if x == 1 else x)
    return out


def _euclid_mm_forward(x1: Tensor, x2: Tensor) -> Tensor:
    # torch's _euclidean_dist: [-2a, |a|^2, 1] . [b, 1, |b|^2] in one batched product.
    n1 = _C.sum(_C.mul(x1, x1), [-1], True, None)
    n2 = _C.sum(_C.mul(x2, x2), [-1], True, None)
    dev = None if n1._device_str == "cpu" else n1._device_str
    a = _C.cat([_C.mul(x1, -2), n1, _C.full(list(n1._sizes), 1, n1.dtype, dev)], -1)
    b = _C.cat([x2, _C.full(list(n2._sizes), 1, n2.dtype, dev), n2], -1)
    d2 = _C.matmul(a, _C.transpose(b, -1, -2))
    return _C.sqrt(_clamp(d2, 0, None))


def _euclid_mm(x1: Tensor, x2: Tensor) -> Tensor:
    """The matrix-product distance with torch's cdist gradient: (x1 - x2) / d per pair, zero
    where d == 0. Differentiating the expansion itself would give sqrt's infinite slope at the
    (rounded, near-zero) distance of a point to itself."""
    if not (x1.requires_grad or x2.requires_grad) or not _C.is_grad_enabled():
        return _euclid_mm_forward(x1, x2)
    return _CdistFunction().apply(x1, x2)


class _CdistMeta:
    """Created on first use: pytensor.autograd imports this module's package first."""

    cls = None


def _CdistFunction() -> type:
    if _CdistMeta.cls is None:
        from .autograd.formulas import sum_to
        from .autograd.function import Function

        class Cdist(Function):
            @staticmethod
            def forward(ctx: Any, x1: Tensor, x2: Tensor) -> Tensor:
                d = _euclid_mm_forward(x1, x2)
                ctx.save_for_backward(x1, x2, d)
                return d

            @staticmethod
            def backward(ctx: Any, g: Tensor) -> Tuple[Tensor, Tensor]:
                x1, x2, d = ctx.saved_tensors
                zero = _C.eq(d, 0)
                w = _C.where(zero, 0.0, _C.div(g, _C.where(zero, 1.0, d)))
                gd = _C.mul(_C.sub(_C.unsqueeze(x1, -2), _C.unsqueeze(x2, -3)), _C.unsqueeze(w, -1))
                g1 = sum_to(_C.sum(gd, [-2], False, None), x1._sizes)
                g2 = sum_to(_C.neg(_C.sum(gd, [-3], False, None)), x2._sizes)
                return g1, g2

        Cdist._backward_cls.__name__ = Cdist._backward_cls.__qualname__ = "CdistBackward0"
        _CdistMeta.cls = Cdist
    return _CdistMeta.cls


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0,
          compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """p-norm distances between the rows of ``x1`` (..., P, M) and ``x2`` (..., R, M), giving
    (..., P, R). For p = 2, ``compute_mode`` picks the matrix-product expansion
    ``|a|^2 - 2 a.b + |b|^2`` (faster, less exact; torch uses it when P or R > 25 by default)."""
    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    for name, t in (("X1", x1), ("X2", x2)):
        if t.dim() < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {t.dim()}D")
    for name, t in (("X1", x1), ("X2", x2)):
        if not t.dtype.is_floating_point:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{_scalar_name(t.dtype)}")
    if x1._sizes[-1] != x2._sizes[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1._sizes[-1]} "
                           f"X2: {x2._sizes[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    _same_dtype(x1, x2)
    batch = _broadcast_batch(x1._sizes[:-2], x2._sizes[:-2])
    P, R = x1._sizes[-2], x2._sizes[-2]
    use_mm = p == 2 and (compute_mode == "use_mm_for_euclid_dist"
                         or (compute_mode == _CDIST_MODES[0] and (P > 25 or R > 25)))
    if use_mm:
        return _euclid_mm(x1, x2)
    diff = _C.sub(_C.unsqueeze(x1, -2), _C.unsqueeze(x2, -3))
    out = _C.norm(diff, [-1], float(p), False, None)
    want = batch + [P, R]
    if list(out._sizes) != want:  # an empty feature dim still gives the full shape
        out = _C.expand(out, want)
    return out


# ---- LAPACK-backed (C++ ops) ---------------------------------------------------------------


def inv(A: Tensor, *, out: None = None) -> Tensor:
    """Inverse of each square matrix in ``A`` (LU with partial pivoting, LAPACK getrf/getri).
    Singular input raises ``RuntimeError`` (torch's ``LinAlgError``) naming the pivot."""
    return _C.linalg_inv(A)


def inverse(input: Tensor, *, out: None = None) -> Tensor:
    """``torch.inverse``: the same as ``linalg.inv``."""
    return _C.linalg_inv(input)


def det(A: Tensor, *, out: None = None) -> Tensor:
    """Determinant of each square matrix in ``A`` (product of the LU pivots)."""
    return _C.linalg_det(A)


def slogdet(A: Tensor, *, out: None = None) -> Any:
    """``(sign, logabsdet)`` of each square matrix in ``A``; ``det = sign * exp(logabsdet)``
    without overflow. A singular matrix gives ``(0, -inf)``."""
    logabs, sign = _C._linalg_slogdet(A)
    return _SlogdetResult(sign, logabs)


def logdet(input: Tensor) -> Tensor:
    """``log(det(input))``: NaN where the determinant is negative, -inf where it is zero."""
    logabs, sign = _C._linalg_slogdet(input)
    return _C.where(_C.lt(sign, 0), math.nan, logabs)


def solve(A: Tensor, B: Tensor, *, left: bool = True, out: None = None) -> Tensor:
    """The ``X`` with ``A X = B`` (``X A = B`` when ``left=False``), by LU with partial
    pivoting. ``B`` is a batch of vectors when it is 1-D or has ``A``'s shape without the last
    dimension; batch dimensions broadcast. Singular ``A`` raises RuntimeError."""
    if A.dim() < 2:
        raise RuntimeError("linalg.solve: The input tensor A must have at least 2 dimensions.")
    if B.dim() == 0:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    if not A.dtype.is_floating_point:
        raise RuntimeError("linalg.solve: Expected a floating point or complex tensor as input. Got "
                           f"{_scalar_name(A.dtype)}")
    _check_square(A, "linalg.solve")
    if A.dtype != B.dtype:
        raise RuntimeError("linalg.solve: Expected A and B to have the same dtype, but found A of type "
                           f"{_scalar_name(A.dtype)} and B of type {_scalar_name(B.dtype)} instead")
    n = A._sizes[-1]
    vector = B.dim() == 1 or (B.dim() == A.dim() - 1 and B._sizes == A._sizes[:-1])
    Bm = _C.unsqueeze(B, -1) if vector else B
    if left:
        if Bm._sizes[-2] != n:
            raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                               f"({n}x{n} and {Bm._sizes[-2]}x{Bm._sizes[-1]})")
    else:
        if Bm._sizes[-1] != n:
            raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation XA = B "
                               f"({n}x{n} and {Bm._sizes[-2]}x{Bm._sizes[-1]})")
        # X A = B  <=>  A^T X^T = B^T
        A = _C.transpose(A, -1, -2)
        Bm = _C.transpose(Bm, -1, -2)
    batch = _broadcast_batch(A._sizes[:-2], Bm._sizes[:-2])
    if list(A._sizes[:-2]) != batch:
        A = _C.expand(A, batch + [n, n])
    if list(Bm._sizes[:-2]) != batch:
        Bm = _C.expand(Bm, batch + list(Bm._sizes[-2:]))
    X = _C.linalg_solve(A, Bm)
    if not left:
        X = _C.transpose(X, -1, -2)
    return _C.squeeze(X, [-1]) if vector else X


_SlogdetResult = _return_type("linalg_slogdet", ("sign", "logabsdet"))


# ---- Tensor methods (as torch's) ----------------------------------------------------------


def _install_methods() -> None:
    def method_cross(self: Tensor, other: Tensor, dim: Optional[int] = None) -> Tensor:
        return cross(self, other, dim)

    def method_addr(self: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Number = 1,
                    alpha: Number = 1) -> Tensor:
        return addr(self, vec1, vec2, beta=beta, alpha=alpha)

    def method_addbmm(self: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Number = 1,
                      alpha: Number = 1) -> Tensor:
        return addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def method_dist(self: Tensor, other: Tensor, p: Number = 2) -> Tensor:
        return dist(self, other, p)

    methods = {
        "cross": method_cross, "addr": method_addr, "addbmm": method_addbmm, "dist": method_dist,
        "inner": inner, "vdot": vdot, "kron": kron, "matrix_power": matrix_power,
        "inverse": inverse, "det": det, "slogdet": slogdet, "logdet": logdet,
    }
    for name, fn in methods.items():
        setattr(Tensor, name, fn)


_install_methods()
