"""Every op's gradient formula, in one table.

``op(name, node_name, formula, ...)`` registers the ``_C`` op ``name``: its node's class name as
torch prints it (a string, or a function of the arguments for ops with several torch variants),
the formula ``f(node, grad) -> tuple`` (one gradient per argument, ``None`` where an argument is
not differentiable or needs no gradient), which arguments the formula reads (``saved``, checked
against in-place writes) and whether it reads the output (``out``). Formulas are written with
differentiable ops, so with ``create_graph=True`` the backward pass is itself recorded.
Summing a gradient back to a broadcast input's shape happens in one place: ``sum_to``."""

from __future__ import annotations

import math
from typing import Any, Callable, Optional, Sequence, Tuple, Union

from .. import _C, _math
from .._C import Tensor
from .._device import full_on
from .._reduction import nansum_values
from .._tensor import flip_values, roll_values, split_views, tril_values, triu_values, unbind_views
from .._shape_ops import (
    block_diag_values, diagonal_backward, diagonal_copy_values, narrow_copy_values, repeat_backward,
    repeat_values, rot90_values, trace_values,
)
from . import graph
from .graph import SPECS, Node, call

# ---- the table entry --------------------------------------------------------------------------


class _NodeClasses(dict):
    """name -> the op's Node subclass of that name, created on first use."""

    __slots__ = ("spec",)

    def __missing__(self, name: str) -> type:
        body = {"__slots__": (), "spec": self.spec, "__module__": "pytensor.autograd"}
        qualified = _QUALIFIED_NAMES.get(name)
        if qualified is not None:
            body["name"] = lambda self: qualified
        cls = type(name, (Node,), body)
        self[name] = cls
        return cls


# Nodes whose torch name() carries its C++ namespace (the repr still shows the class name).
_QUALIFIED_NAMES = {"CopySlices": "torch::autograd::CopySlices"}


class Spec:
    """One op's entry: forward callable, node class(es), formula and what to save.

    ``choose(args, out)`` (ops with several torch node names) returns the name; the recorder
    looks the class up in ``classes``."""

    __slots__ = (
        "op",
        "fwd",
        "fn",
        "cls",
        "choose",
        "saved",
        "save_out",
        "view",
        "listarg",
        "float_only",
        "special",
        "frees",
        "classes",
        "keep",
        "fresh",
        "plain",
        "saver",
        "first_only",
    )

    def __init__(
        self,
        op: str,
        fwd: Callable,
        name: Union[str, Callable],
        fn: Callable,
        saved: Tuple[int, ...] = (),
        out: bool = False,
        view: bool = False,
        listarg: bool = False,
        float_only: bool = False,
        special: Optional[Callable] = None,
        keep: Optional[Callable] = None,
        fresh: bool = False,
    ) -> None:
        self.op = op
        self.fwd = fwd
        self.fn = fn
        self.saved = saved
        self.save_out = out
        self.view = view
        self.listarg = listarg
        self.float_only = float_only
        self.special = special
        self.keep = keep
        # fresh: every gradient the formula returns lives in memory it allocated itself, so the
        # engine may keep it as a leaf's .grad without copying.
        self.fresh = fresh
        self.frees = bool(saved or out or keep)
        base = op.rstrip("_")
        # Only the first argument can be a tensor (unary ops, views, reductions).
        self.first_only = base in _FIRST_ONLY
        self.saver = graph.saver_for(saved, out, self.first_only) if (saved or out) else None
        self.classes = _NodeClasses()
        self.classes.spec = self
        # plain: fixed node name, nothing saved, not a view, output never returned as is or
        # non-float -- the handler's shortest path.
        self.plain = False
        if callable(name):
            self.cls = None
            self.choose = name
        else:
            self.cls = self.classes[name]
            self.choose = None
            self.plain = (
                not (saved or out or view or float_only or special or keep)
                and op not in _MAY_RETURN_INPUT
            )

    def node_class(self, name: str) -> type:
        """The ``Node`` subclass named ``name`` (torch's class name) for this op."""
        return self.classes[name]


_FIRST_ONLY = {
    "exp",
    "log",
    "log1p",
    "expm1",
    "sqrt",
    "rsqrt",
    "sin",
    "cos",
    "tan",
    "tanh",
    "sigmoid",
    "reciprocal",
    "log2",
    "log10",
    "exp2",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "erf",
    "neg",
    "abs",
    "relu",
    "sign",
    "floor",
    "ceil",
    "round",
    "trunc",
    "square",
    "clamp",
    "clone",
    "contiguous",
    "to_dtype",
    "to_device",
    "view",
    "reshape",
    "flatten",
    "squeeze",
    "unsqueeze",
    "transpose",
    "t",
    "permute",
    "movedim",
    "expand",
    "narrow",
    "select",
    "slice",
    "unfold",
    "as_strided",
    "sum",
    "mean",
    "prod",
    "amax",
    "amin",
    "max",
    "min",
    "var",
    "std",
    "norm",
    "logsumexp",
    "softmax",
    "log_softmax",
    "cumsum",
    "cumprod",
    "fill",
}

# Ops that may return their input itself (then no node is recorded, as in torch).
_MAY_RETURN_INPUT = {"contiguous", "to_dtype", "to_device", "flatten", "reshape", "view"}


def _forward_of(name: str) -> Callable:
    fwd = getattr(_C, name, None)
    if fwd is None:
        fwd = getattr(_C.Tensor, name)
    return fwd


def op(
    names: Union[str, Sequence[str]],
    node_name: Union[str, Callable],
    fn: Callable,
    saved: Tuple[int, ...] = (),
    out: bool = False,
    fwd: Optional[Callable] = None,
    **kw: Any,
) -> None:
    """Registers ``fn`` for each op in ``names``; a name ending in ``_`` is the in-place variant."""
    for name in [names] if isinstance(names, str) else names:
        f = fwd
        if f is None:
            f = getattr(_C, name, None) or getattr(_C.Tensor, name, None)
            if f is None:  # op not built in this tree (yet)
                continue
        if name.endswith("_") and "special" not in kw:
            SPECS[name] = Spec(
                name, f, node_name, fn, saved, out, special=graph.inplace_handler, **kw
            )
        else:
            SPECS[name] = Spec(name, f, node_name, fn, saved, out, **kw)


def _not_implemented(name: str) -> Callable:
    def fn(node: Node, g: Any) -> tuple:
        raise RuntimeError(f"derivative for {name} is not implemented")

    return fn


def not_implemented_spec(name: str) -> Spec:
    """An op with no formula: the forward runs, backward through it raises."""
    fwd = _forward_of(name)
    special = graph.inplace_handler if name.endswith("_") else None
    return Spec(name, fwd, "NotImplemented", _not_implemented(name), special=special)


# ---- helpers ------------------------------------------------------------------------------------

_sum = getattr(_C, "sum", None)  # bound by the reductions module
_is_grad = _C.is_grad_enabled
_mul = _C.mul
_where = _C.where


def is_t(a: Any) -> bool:
    return a.__class__ is Tensor or isinstance(a, Tensor)


def sum_to(g: Tensor, shape: tuple) -> Tensor:
    """Sums the broadcast gradient ``g`` back to ``shape`` (the one un-broadcasting helper)."""
    gs = g._sizes
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    if lead >= 0:
        dims = list(range(lead))
        for i, s in enumerate(shape):
            if s == 1 and gs[lead + i] != 1:
                dims.append(lead + i)
        if dims:
            g = _sum(g, dims, True, None)
    return _C.reshape(g, shape)


def ub(g: Tensor, a: Any) -> Any:
    """``g`` as the gradient of argument ``a``: summed to its shape and cast to its dtype; None
    for a number."""
    if not is_t(a):
        return None
    shape = a._sizes
    if g._sizes != shape:
        g = sum_to(g, shape)
    dt = a.dtype
    if g.dtype is not dt:
        g = _C.to_dtype(g, dt, False)
    return g


def zeros(shape: tuple, dtype: Any, like: Tensor) -> Tensor:
    """Zeros of ``shape`` and ``dtype`` on ``like``'s device."""
    return full_on(like, shape, 0, dtype)


def zeros_like(t: Tensor) -> Tensor:
    return full_on(t, t._sizes, 0, t.dtype)


def _arange_on(like: Tensor, start: int, end: int, step: int) -> Tensor:
    """int64 ``arange`` on ``like``'s device (index tensors for gathers and scatters)."""
    d = like._device_str
    if d == "cpu":
        return _C.arange(start, end, step, _C.int64)
    return _C.arange(start, end, step, _C.int64, device=d)


def _wrap(dim: int, n: int) -> int:
    return dim % n if n else 0


def _unsqueeze_dims(g: Tensor, dims: Optional[Sequence[int]], ndim: int, keepdim: bool) -> Tensor:
    """Re-inserts the reduced ``dims`` of a reduction's gradient (when not ``keepdim``)."""
    if keepdim or ndim == 0:
        return g
    if dims is None or len(dims) == 0:
        return _C.reshape(g, (1,) * ndim)
    for d in sorted(_wrap(d, ndim) for d in dims):
        g = _C.unsqueeze(g, d)
    return g


def _reduced_count(shape: tuple, dims: Optional[Sequence[int]]) -> int:
    n = len(shape)
    if dims is None or len(dims) == 0:
        return math.prod(shape)
    return math.prod(shape[_wrap(d, n)] for d in set(_wrap(d, n) for d in dims))


def out_of(n: Node) -> Tensor:
    """The saved output. Under create_graph it must carry its own history (this node), so a
    fresh alias is attached to ``n`` (not stored: that would make a reference cycle)."""
    o = n.out
    if _is_grad():
        o = _C.alias(o)
        o.grad_fn = n
        o._requires_grad = True
    return o


# ---- elementwise ---------------------------------------------------------------------------------


def _add(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    return (ub(g, a) if nx[0] is not None else None, ub(g, b) if nx[1] is not None else None)


def _sub(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    return (
        ub(g, a) if nx[0] is not None else None,
        ub(_C.neg(g), b) if nx[1] is not None else None,
    )


def _mul_f(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    return (
        ub(_mul(g, b), a) if nx[0] is not None else None,
        ub(_mul(g, a), b) if nx[1] is not None else None,
    )


def _div(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    ga = gb = None
    if nx[0] is not None:
        ga = ub(_C.div(g, b), a)
    if nx[1] is not None:  # -g * a / b^2
        gb = ub(_C.neg(_C.div(_mul(g, a), _mul(b, b))), b)
    return ga, gb


def _pow(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    ga = gb = None
    if nx[0] is not None:
        if is_t(b):
            d = _mul(b, _C.pow(a, _C.sub(b, 1)))
            d = _where(_C.eq(b, 0), 0.0, d)
            ga = ub(_mul(g, d), a)
        elif b == 0:
            ga = zeros_like(a)
        elif b == 2:  # the common square: 2 a g, as (a + a) g
            ga = _mul(g, _C.add(a, a))
        else:
            ga = _mul(g, _mul(_C.pow(a, b - 1), b))
    if nx[1] is not None:
        # d/db a^b = a^b log a, taken as 0 where a == 0 and b >= 0 (torch's convention).
        r = _mul(_C.pow(a, b), _C.log(a) if is_t(a) else math.log(a) if a > 0 else float("nan"))
        if is_t(a):
            r = _where(_C.logical_and(_C.eq(a, 0), _C.ge(b, 0)), 0.0, r)
        elif a == 0:
            r = _where(_C.ge(b, 0), 0.0, r)
        gb = ub(_mul(g, r), b)
    return ga, gb


def _pow_name(args: tuple, out: Any) -> str:
    if not is_t(args[0]):
        return "PowBackward2"
    return "PowBackward1" if is_t(args[1]) else "PowBackward0"


def _rounded_quotient_grad(rounding: Callable) -> Callable:
    """remainder/fmod: d/da = 1, d/db = -rounding(a / b)."""

    def fn(n: Node, g: Tensor) -> tuple:
        a, b = n.args
        nx = n.next
        ga = ub(g, a) if nx[0] is not None else None
        gb = None
        if nx[1] is not None:
            gb = ub(_C.neg(_mul(g, rounding(_C.div(a, b)))), b)
        return ga, gb

    return fn


def _maxmin(loses: Callable) -> Callable:
    """maximum/minimum: the gradient goes to the selected input, half to each on a tie;
    ``loses(a, b)`` is where ``a`` is not selected."""

    def fn(n: Node, g: Tensor) -> tuple:
        a, b = n.args
        nx = n.next
        half = _where(_C.eq(a, b), _mul(g, 0.5), g)
        ga = ub(_where(loses(a, b), 0.0, half), a) if nx[0] is not None else None
        gb = ub(_where(loses(b, a), 0.0, half), b) if nx[1] is not None else None
        return ga, gb

    return fn


def _atan2(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    den = _C.add(_mul(a, a), _mul(b, b))
    ga = ub(_mul(g, _C.div(b, den)), a) if nx[0] is not None else None
    gb = ub(_mul(g, _C.div(_C.neg(a), den)), b) if nx[1] is not None else None
    return ga, gb


def _binary_name(plain: str, rsub: Optional[str] = None) -> Callable:
    return lambda args, out: rsub if not is_t(args[0]) else plain


op(["add", "add_"], "AddBackward0", _add)
op(["sub", "sub_"], _binary_name("SubBackward0", "RsubBackward1"), _sub)
op(["mul", "mul_"], "MulBackward0", _mul_f, saved=(0, 1), fresh=True)
op(["div", "div_"], _binary_name("DivBackward0", "MulBackward0"), _div, saved=(0, 1), fresh=True)
op(["pow", "pow_"], _pow_name, _pow, saved=(0, 1), fresh=True)
op(
    ["remainder", "remainder_"],
    lambda a, o: "RemainderBackward1" if is_t(a[1]) else "RemainderBackward0",
    _rounded_quotient_grad(_C.floor),
    saved=(0, 1),
)
op(
    ["fmod", "fmod_"],
    lambda a, o: "FmodBackward1" if is_t(a[1]) else "FmodBackward0",
    _rounded_quotient_grad(_C.trunc),
    saved=(0, 1),
)
op(["maximum"], "MaximumBackward0", _maxmin(_C.lt), saved=(0, 1), fresh=True)
op(["minimum"], "MinimumBackward0", _maxmin(_C.gt), saved=(0, 1), fresh=True)
op(["atan2", "atan2_"], "Atan2Backward0", _atan2, saved=(0, 1), fresh=True)
op(
    ["floor_divide", "floor_divide_"],
    "NotImplemented",
    _not_implemented("floor_divide"),
    float_only=True,
)
for _name in (
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "isnan",
    "isinf",
    "isfinite",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_not",
):
    # Boolean results never require grad; float_only returns them as they are.
    op([_name, _name + "_"], "NotImplemented", _not_implemented(_name), float_only=True)


# Unary ops: formula from (node, grad); "x" formulas read the input, "y" ones the output.
def _x(f: Callable) -> Callable:
    return lambda n, g: (f(g, n.args[0]),)


def _y(f: Callable) -> Callable:
    return lambda n, g: (f(g, out_of(n)),)


_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


_UNARY_X = {
    "log": ("LogBackward0", lambda g, x: _C.div(g, x)),
    "log1p": ("Log1PBackward0", lambda g, x: _C.div(g, _C.add(x, 1))),
    "log2": ("Log2Backward0", lambda g, x: _C.div(g, _mul(x, _LN2))),
    "log10": ("Log10Backward0", lambda g, x: _C.div(g, _mul(x, _LN10))),
    "sin": ("SinBackward0", lambda g, x: _mul(g, _C.cos(x))),
    "cos": ("CosBackward0", lambda g, x: _mul(g, _C.neg(_C.sin(x)))),
    "asin": ("AsinBackward0", lambda g, x: _C.div(g, _C.sqrt(_C.sub(1, _mul(x, x))))),
    "acos": ("AcosBackward0", lambda g, x: _C.neg(_C.div(g, _C.sqrt(_C.sub(1, _mul(x, x)))))),
    "atan": ("AtanBackward0", lambda g, x: _C.div(g, _C.add(_mul(x, x), 1))),
    "sinh": ("SinhBackward0", lambda g, x: _mul(g, _C.cosh(x))),
    "cosh": ("CoshBackward0", lambda g, x: _mul(g, _C.sinh(x))),
    "erf": (
        "ErfBackward0",
        lambda g, x: _mul(g, _mul(_C.exp(_C.neg(_mul(x, x))), _TWO_OVER_SQRT_PI)),
    ),
    "abs": ("AbsBackward0", lambda g, x: _mul(g, _C.sign(x))),
    "square": ("PowBackward0", lambda g, x: _mul(g, _mul(x, 2.0))),
}
_UNARY_Y = {
    "exp": ("ExpBackward0", lambda g, y: _mul(g, y)),
    "exp2": ("Exp2Backward0", lambda g, y: _mul(g, _mul(y, _LN2))),
    "expm1": ("Expm1Backward0", lambda g, y: _mul(g, _C.add(y, 1))),
    "sqrt": ("SqrtBackward0", lambda g, y: _C.div(g, _mul(y, 2.0))),
    "rsqrt": ("RsqrtBackward0", lambda g, y: _mul(g, _mul(_C.pow(y, 3), -0.5))),
    "tan": ("TanBackward0", lambda g, y: _mul(g, _C.add(_mul(y, y), 1))),
    "tanh": ("TanhBackward0", lambda g, y: _mul(g, _C.sub(1, _mul(y, y)))),
    # y - y*y rather than y * (1 - y): no Python-number operand (cheaper to bind).
    "sigmoid": ("SigmoidBackward0", lambda g, y: _mul(g, _C.sub(y, _mul(y, y)))),
    "reciprocal": ("ReciprocalBackward0", lambda g, y: _mul(g, _C.neg(_mul(y, y)))),
    "relu": ("ReluBackward0", lambda g, y: _where(_C.le(y, 0), 0.0, g)),
}
_UNARY_ZERO = {
    "sign": "SignBackward0",
    "floor": "FloorBackward0",
    "ceil": "CeilBackward0",
    "round": "RoundBackward0",
    "trunc": "TruncBackward0",
}

for _name, (_node, _f) in _UNARY_X.items():
    op([_name, _name + "_"], _node, _x(_f), saved=(0,), fresh=True)
for _name, (_node, _f) in _UNARY_Y.items():
    op([_name, _name + "_"], _node, _y(_f), out=True, fresh=True)
for _name, _node in _UNARY_ZERO.items():
    op([_name, _name + "_"], _node, lambda n, g: (zeros_like(g),), fresh=True)
op(["neg", "neg_"], "NegBackward0", lambda n, g: (_C.neg(g),), fresh=True)


# ---- elementwise math: erfc ... lerp, addcmul, addcdiv (forwards in C++ and _math.py) ----------

_SQRT_PI_OVER_2 = math.sqrt(math.pi) / 2.0
_PI_OVER_180 = math.pi / 180.0
_180_OVER_PI = 180.0 / math.pi

for _name, (_node, _f) in {
    "erfc": ("ErfcBackward0", lambda g, x: _mul(g, _mul(_C.exp(_C.neg(_mul(x, x))), -_TWO_OVER_SQRT_PI))),
    "lgamma": ("LgammaBackward0", lambda g, x: _mul(g, _C.digamma(x))),
    "digamma": ("DigammaBackward0", lambda g, x: _mul(g, _C._trigamma(x))),
    "acosh": ("AcoshBackward0", lambda g, x: _mul(g, _C.rsqrt(_C.sub(_mul(x, x), 1)))),
    "asinh": ("AsinhBackward0", lambda g, x: _mul(g, _C.rsqrt(_C.add(_mul(x, x), 1)))),
    "atanh": ("AtanhBackward0", lambda g, x: _C.div(g, _C.sub(1, _mul(x, x)))),
    "nan_to_num": ("NanToNumBackward0", lambda g, x: _where(_C.isfinite(x), g, 0.0)),
}.items():
    op([_name, _name + "_"], _node, lambda n, g, f=_f: (f(g, n.args[0]),) + (None,) * (len(n.args) - 1),
       saved=(0,), fresh=True)
op(["erfinv", "erfinv_"], "ErfinvBackward0",
   lambda n, g: (_mul(g, _mul(_C.exp(_C.square(out_of(n))), _SQRT_PI_OVER_2)),), out=True, fresh=True)
op(["deg2rad", "deg2rad_"], "Deg2RadBackward0", lambda n, g: (_mul(g, _PI_OVER_180),), fresh=True)
op(["rad2deg", "rad2deg_"], "Rad2DegBackward0", lambda n, g: (_mul(g, _180_OVER_PI),), fresh=True)
op(["frac", "frac_"], "FracBackward0", lambda n, g: (g,))
op(["sgn", "sgn_"], "SgnBackward0", lambda n, g: (zeros_like(g),), fresh=True)


def _polygamma_double_backward(n: Node, g: Tensor) -> tuple:
    raise NotImplementedError("the derivative of polygamma(1, x) (digamma's double backward) is not implemented")


op("_trigamma", "PolygammaBackward0", _polygamma_double_backward)


def _sinc(n: Node, g: Tensor) -> tuple:
    x = n.args[0]
    px = _mul(x, math.pi)
    d = _C.div(_C.sub(_mul(px, _C.cos(px)), _C.sin(px)), _mul(px, x))
    return (_where(_C.eq(x, 0), 0.0, _mul(g, d)),)


op(["sinc", "sinc_"], "SincBackward0", _sinc, saved=(0,), fresh=True)


def _logit(n: Node, g: Tensor) -> tuple:
    # Outside [0, 1] the gradient is NaN; with eps, 0 where the input was clamped (as torch).
    x, eps = n.args
    d = _C.div(g, _mul(x, _C.sub(1, x)))
    if eps is None or eps < 0:
        return _where(_C.logical_or(_C.lt(x, 0), _C.gt(x, 1)), math.nan, d), None
    return _where(_C.logical_or(_C.lt(x, eps), _C.gt(x, 1 - eps)), 0.0, d), None


op(["logit", "logit_"], "LogitBackward0", _logit, saved=(0,), fresh=True)


def _hypot(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    r = out_of(n)
    ga = ub(_mul(g, _C.div(a, r)), a) if nx[0] is not None else None
    gb = ub(_mul(g, _C.div(b, r)), b) if nx[1] is not None else None
    return ga, gb


def _logaddexp(power: Callable) -> Callable:
    """d/da log(b^a + b^c) = 1 / (1 + b^(c - a)), with power(x) = b^x."""

    def fn(n: Node, g: Tensor) -> tuple:
        a, b = n.args
        nx = n.next
        ga = ub(_C.div(g, _C.add(power(_C.sub(b, a)), 1)), a) if nx[0] is not None else None
        gb = ub(_C.div(g, _C.add(power(_C.sub(a, b)), 1)), b) if nx[1] is not None else None
        return ga, gb

    return fn


def _fmaxmin(wins: Callable) -> Callable:
    """fmax/fmin: the gradient goes to ``a`` where ``wins(a, b)`` or ``b`` is NaN, else to ``b``."""

    def fn(n: Node, g: Tensor) -> tuple:
        a, b = n.args
        nx = n.next
        to_a = _C.logical_or(wins(a, b), _C.isnan(b))
        ga = ub(_where(to_a, g, 0.0), a) if nx[0] is not None else None
        gb = ub(_where(to_a, 0.0, g), b) if nx[1] is not None else None
        return ga, gb

    return fn


def _xlogy(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    ga = ub(_mul(g, _C.xlogy(_C.ne(a, 0), b)), a) if nx[0] is not None else None
    gb = ub(_C.div(_mul(g, a), b), b) if nx[1] is not None else None
    return ga, gb


def _copysign(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    gb = zeros_like(b) if n.next[1] is not None else None
    if n.next[0] is None:
        return None, gb
    ratio = _where(_C.eq(a, 0), 0.0, _C.div(out_of(n), a))
    return ub(_mul(g, ratio), a), gb


def _nextafter(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    return (ub(g, a) if n.next[0] is not None else None, zeros_like(b) if n.next[1] is not None else None)


op(["hypot", "hypot_"], "HypotBackward0", _hypot, saved=(0, 1), out=True, fresh=True)
op("logaddexp", "LogaddexpBackward0", _logaddexp(_C.exp), saved=(0, 1), fresh=True)
op("logaddexp2", "Logaddexp2Backward0", _logaddexp(_C.exp2), saved=(0, 1), fresh=True)
op("fmax", "FmaxBackward0", _fmaxmin(_C.ge), saved=(0, 1), fresh=True)
op("fmin", "FminBackward0", _fmaxmin(_C.le), saved=(0, 1), fresh=True)
op(
    ["xlogy", "xlogy_"],
    lambda a, o: "XlogyBackward1" if not is_t(a[0]) else "XlogyBackward0" if is_t(a[1]) else "XlogyBackward2",
    _xlogy,
    saved=(0, 1),
    fresh=True,
)
op(
    ["copysign", "copysign_"],
    lambda a, o: "CopysignBackward0" if is_t(a[1]) else "CopysignBackward1",
    _copysign,
    saved=(0,),
    out=True,
)
op(["nextafter", "nextafter_"], "NextafterBackward0", _nextafter)
op(["heaviside", "heaviside_"], "NotImplemented", _not_implemented("aten::heaviside"))
for _name in ("signbit", "isposinf", "isneginf", "gcd", "lcm"):
    op([_name, _name + "_"], "NotImplemented", _not_implemented(_name), float_only=True)


def _addcmul(n: Node, g: Tensor) -> tuple:
    x, t1, t2, v = n.args
    nx = n.next
    g1 = ub(_mul(g, _mul(t2, v)), t1) if nx[1] is not None else None
    g2 = ub(_mul(g, _mul(t1, v)), t2) if nx[2] is not None else None
    return (ub(g, x) if nx[0] is not None else None), g1, g2, None


def _addcdiv(n: Node, g: Tensor) -> tuple:
    x, t1, t2, v = n.args
    nx = n.next
    g1 = ub(_mul(g, _C.div(v, t2)), t1) if nx[1] is not None else None
    g2 = ub(_C.neg(_mul(g, _C.div(_mul(t1, v), _mul(t2, t2)))), t2) if nx[2] is not None else None
    return (ub(g, x) if nx[0] is not None else None), g1, g2, None


def _lerp(n: Node, g: Tensor) -> tuple:
    x, end, w = n.args
    nx = n.next
    gx = ub(_mul(g, _C.sub(1, w) if is_t(w) else 1 - w), x) if nx[0] is not None else None
    ge = ub(_mul(g, w), end) if nx[1] is not None else None
    gw = ub(_mul(g, _C.sub(end, x)), w) if is_t(w) and nx[2] is not None else None
    return gx, ge, gw


def _ldexp(n: Node, g: Tensor) -> tuple:
    x, other = n.args
    nx = n.next
    gx = ub(_mul(g, _C.pow(2.0, other)), x) if nx[0] is not None else None
    go = ub(_mul(g, _mul(_mul(x, _C.pow(2.0, other)), _LN2)), other) if nx[1] is not None else None
    return gx, go


def _lerp_name(args: tuple, out: Any) -> str:
    return "LerpBackward1" if is_t(args[2]) else "LerpBackward0"


op("addcmul", "AddcmulBackward0", _addcmul, saved=(1, 2), fwd=_math.addcmul_values)
op("addcmul_", "AddcmulBackward0", _addcmul, saved=(1, 2), fwd=_math.addcmul_inplace)
op("addcdiv", "AddcdivBackward0", _addcdiv, saved=(1, 2), fwd=_math.addcdiv_values)
op("addcdiv_", "AddcdivBackward0", _addcdiv, saved=(1, 2), fwd=_math.addcdiv_inplace)
op("lerp", _lerp_name, _lerp, saved=(0, 1, 2), fwd=_math.lerp_values)
op("lerp_", _lerp_name, _lerp, saved=(0, 1, 2), fwd=_math.lerp_inplace)
op("ldexp", "LdexpBackward0", _ldexp, saved=(0, 1), fwd=_math.ldexp_values)
op("ldexp_", "LdexpBackward0", _ldexp, saved=(0, 1), fwd=_math.ldexp_inplace)


def _clamp(n: Node, g: Tensor) -> tuple:
    x, lo, hi = n.args
    mask = None
    if lo is not None:
        mask = _C.ge(x, lo)
    if hi is not None:
        m = _C.le(x, hi)
        mask = m if mask is None else _C.logical_and(mask, m)
    return (g if mask is None else _where(mask, g, 0.0), None, None)


op(["clamp", "clamp_"], "ClampBackward1", _clamp, saved=(0,), fresh=True)


def _where_f(n: Node, g: Tensor) -> tuple:
    c, a, b = n.args
    nx = n.next
    ga = ub(_where(c, g, 0.0), a) if nx[1] is not None else None
    gb = ub(_where(c, 0.0, g), b) if nx[2] is not None else None
    return None, ga, gb


op("where", "WhereBackward0", _where_f, saved=(0,), fresh=True)


# ---- copies and conversions ----------------------------------------------------------------------


def _copy(n: Node, g: Tensor) -> tuple:
    self, src = n.args
    return zeros_like(g), (ub(g, src) if n.next[1] is not None else None)


op("copy_", "CopyBackwards", _copy)
op("fill_", "FillBackward2", lambda n, g: (zeros_like(g), None))
op("clone", "CloneBackward0", lambda n, g: (g,))
op("contiguous", "CloneBackward0", lambda n, g: (g,))
op(
    "to_dtype",
    "ToCopyBackward0",
    lambda n, g: (_C.to_dtype(g, n.args[0].dtype, False), None, None),
    float_only=True,
)


def _to_device(n: Node, g: Tensor) -> tuple:
    # The gradient goes back to the input's device and dtype (a host<->device copy).
    x = n.args[0]
    return (_C.to_device(g, x._device_str, x.dtype, False),) + (None,) * (len(n.args) - 1)


op("to_device", "ToCopyBackward0", _to_device, float_only=True)


def _resize(spec: Spec, args: tuple, kwargs: dict) -> Any:
    raise RuntimeError("cannot resize variables that require grad")


op("resize_", "ResizeBackward0", _not_implemented("resize_"), special=_resize)


# ---- views and shapes ----------------------------------------------------------------------------


def _reshape_back(n: Node, g: Tensor) -> tuple:
    return (_C.reshape(g, n.args[0]._sizes),) + (None,) * (len(n.args) - 1)


def _reshape_name(args: tuple, out: Tensor) -> str:
    # A reshape that had to copy is torch's clone + _unsafe_view.
    return (
        "ViewBackward0" if out._storage_ptr() == args[0]._storage_ptr() else "UnsafeViewBackward0"
    )


op("view", "ViewBackward0", _reshape_back, view=True)
op(["reshape", "flatten"], _reshape_name, _reshape_back, view=True)
op(
    "squeeze",
    lambda a, o: (
        "SqueezeBackward0"
        if a[1] is None
        else ("SqueezeBackward1" if len(a[1]) == 1 else "SqueezeBackward2")
    ),
    _reshape_back,
    view=True,
)
op("unsqueeze", "UnsqueezeBackward0", lambda n, g: (_C.squeeze(g, [n.args[1]]), None), view=True)
op(
    "transpose",
    "TransposeBackward0",
    lambda n, g: (_C.transpose(g, n.args[1], n.args[2]), None, None),
    view=True,
)
op("t", "TBackward0", lambda n, g: (_C.t(g),), view=True)


def _permute(n: Node, g: Tensor) -> tuple:
    dims = n.args[1]
    nd = len(dims)
    inv = [0] * nd
    for i, d in enumerate(dims):
        inv[_wrap(d, nd)] = i
    return _C.permute(g, inv), None


op("permute", "PermuteBackward0", _permute, view=True)
op(
    "movedim",
    "PermuteBackward0",
    lambda n, g: (_C.movedim(g, n.args[2], n.args[1]), None, None),
    view=True,
)
op("expand", "ExpandBackward0", lambda n, g: (sum_to(g, n.args[0]._sizes), None), view=True)


def _index_backward(g: Tensor, sizes: tuple, index: Any) -> Tensor:
    """Zeros of ``sizes`` with ``g`` added at ``[index]`` (differentiable in ``g``)."""
    return call("_getitem_backward", g, sizes, index)


def _select(n: Node, g: Tensor) -> tuple:
    x, dim, i = n.args
    dim = _wrap(dim, len(x._sizes))
    return _index_backward(g, x._sizes, (slice(None),) * dim + (i,)), None, None


def _slice(n: Node, g: Tensor) -> tuple:
    x, dim, start, stop, step = n.args
    dim = _wrap(dim, len(x._sizes))
    return (
        _index_backward(g, x._sizes, (slice(None),) * dim + (slice(start, stop, step),)),
        None,
        None,
        None,
        None,
    )


def _narrow(n: Node, g: Tensor) -> tuple:
    x, dim, start, length = n.args
    nd = len(x._sizes)
    dim = _wrap(dim, nd)
    if start < 0:
        start += x._sizes[dim]
    return (
        _index_backward(g, x._sizes, (slice(None),) * dim + (slice(start, start + length),)),
        None,
        None,
        None,
    )


op("select", "SelectBackward0", _select, view=True, fresh=True)
op("slice", "SliceBackward0", _slice, view=True, fresh=True)
op("narrow", "SliceBackward0", _narrow, view=True, fresh=True)


# split / chunk / unbind: several views of one input share one node (torch's SplitBackward0,
# SplitWithSizesBackward0, UnbindBackward0); its backward assembles the input's gradient from the
# outputs' gradients, zeros standing in for outputs that got none.
def _multi_view_handler(spec: Spec, args: tuple, kwargs: dict) -> Any:
    x = args[0]
    edge = graph.edge_of(x)
    graph._set_grad(False)
    try:
        outs = spec.fwd(*args)
    finally:
        graph._set_grad(True)
    node = spec.cls([edge], args)  # one edge, to the input (torch lists no edges for sizes/dims)
    node.n_out = len(outs)
    base = x._base if x._base is not None else x
    for i, o in enumerate(outs):
        o._base = base
        o.grad_fn = node
        o._requires_grad = True
        d = o.__dict__
        d["_multi_view"] = True  # torch forbids in-place writes to these (graph.check_inplace)
        if i:
            d["_output_nr"] = i
    return outs


def _split_backward(n: Node, grads: Sequence[Optional[Tensor]]) -> tuple:
    x, sizes, dim = n.args
    d = _wrap(dim, len(x._sizes))
    parts = []
    for g, s in zip(grads, sizes):
        if g is None:
            shape = list(x._sizes)
            shape[d] = s
            g = zeros(tuple(shape), x.dtype, x)
        parts.append(g)
    return (call("cat", parts, d),)


def _unbind_backward(n: Node, grads: Sequence[Optional[Tensor]]) -> tuple:
    x, dim = n.args
    d = _wrap(dim, len(x._sizes))
    shape = x._sizes[:d] + x._sizes[d + 1:]
    parts = [g if g is not None else zeros(shape, x.dtype, x) for g in grads]
    return (call("stack", parts, d),)


op("split", "SplitBackward0", _split_backward, fwd=split_views, special=_multi_view_handler, fresh=True)
op("split_with_sizes", "SplitWithSizesBackward0", _split_backward, fwd=split_views,
   special=_multi_view_handler, fresh=True)
op("unbind", "UnbindBackward0", _unbind_backward, fwd=unbind_views, special=_multi_view_handler, fresh=True)

# Ops written in Python from other ops (pytensor._tensor): one node each, as torch records them.
op("tril", "TrilBackward0", lambda n, g: (call("tril", g, n.args[1]), None), fwd=tril_values, fresh=True)
op("triu", "TriuBackward0", lambda n, g: (call("triu", g, n.args[1]), None), fwd=triu_values, fresh=True)
op("flip", "FlipBackward0", lambda n, g: (call("flip", g, n.args[1]), None), fwd=flip_values, fresh=True)
op("roll", "RollBackward0", lambda n, g: (call("roll", g, [-s for s in n.args[1]], n.args[2]), None, None),
   fwd=roll_values, fresh=True)


# Diagonals, rotations, repeats (pytensor._shape_ops): one node each, as torch records them.
def _diagonal(n: Node, g: Tensor) -> tuple:
    x, offset, d1, d2 = n.args
    return call("_diagonal_backward", g, x._sizes, offset, d1, d2), None, None, None


def _trace(n: Node, g: Tensor) -> tuple:
    sizes = n.args[0]._sizes
    return (call("_diagonal_backward", _C.expand(g, (min(sizes),)), sizes, 0, 0, 1),)


def _block_diag(n: Node, g: Tensor) -> tuple:
    out, r, c = [], 0, 0
    for t, e in zip(n.args[0], n.next):
        s = t._sizes
        h, w = (1, 1) if not s else (1, s[0]) if len(s) == 1 else s
        out.append(ub(_C.reshape(_C.narrow(_C.narrow(g, 0, r, h), 1, c, w), s), t) if e is not None else None)
        r, c = r + h, c + w
    return tuple(out)


op("diagonal", "DiagonalBackward0", _diagonal, view=True, fresh=True)
op("diagonal_copy", "DiagonalBackward0_copy", _diagonal, fwd=diagonal_copy_values, fresh=True)
op("_diagonal_backward", "DiagonalBackwardBackward0",
   lambda n, g: (_C.diagonal(g, *n.args[2:]), None, None, None, None), fwd=diagonal_backward)
op("diag_embed", "DiagEmbedBackward0", lambda n, g: (ub(_C.diagonal(g, *n.args[1:]), n.args[0]), None, None, None))
op("trace", "TraceBackward0", _trace, fwd=trace_values, fresh=True)
op("narrow_copy", "NarrowCopyBackward0", _narrow, fwd=narrow_copy_values, fresh=True)
op("rot90", "Rot90Backward0", lambda n, g: (call("rot90", g, -n.args[1], n.args[2]), None, None),
   fwd=rot90_values, fresh=True)
op("repeat", "RepeatBackward0", lambda n, g: (repeat_backward(g, n.args[0]._sizes, n.args[1]), None),
   fwd=repeat_values)
op("block_diag", "BlockDiagBackward0", _block_diag, fwd=block_diag_values, listarg=True)


# as_strided / unfold: scatter-add the gradient through the storage positions each element of the
# output read, then gather it at the input's positions (overlapping windows add up).
def _positions(sizes: Sequence[int], strides: Sequence[int], offset: int, like: Tensor) -> Tensor:
    """int64 tensor of shape ``sizes`` on ``like``'s device: the storage position each element
    reads."""
    nd = len(sizes)
    idx = full_on(like, (1,) * nd, offset, _C.int64)
    for d in range(nd):
        if sizes[d] > 1 and strides[d] != 0:
            shape = [1] * nd
            shape[d] = sizes[d]
            step = _arange_on(like, 0, sizes[d] * strides[d], strides[d])
            idx = _C.add(idx, _C.reshape(step, shape))
    return _C.expand(idx, list(sizes))


def strided_scatter(g: Tensor, in_geom: tuple, out_geom: tuple) -> Tensor:
    """The gradient of a strided view ``out_geom`` of an input with ``in_geom`` (both
    ``(sizes, strides, storage_offset)`` in the same storage; strides are never negative)."""
    spans = [
        (o, o + sum((n - 1) * st for n, st in zip(sz, sd)))
        for sz, sd, o in (in_geom, out_geom)
        if all(n > 0 for n in sz)
    ]
    if not spans:
        return zeros(tuple(in_geom[0]), g.dtype, g)
    lo = min(a for a, _ in spans)
    hi = max(b for _, b in spans)
    flat = zeros((hi - lo + 1,), g.dtype, g)
    out_pos = _C.sub(_positions(*out_geom, g), lo)
    flat = _C.index_add(flat, 0, _C.reshape(out_pos, [-1]), _C.reshape(g, [-1]), 1)
    return _C.take(flat, _C.sub(_positions(*in_geom, g), lo))


def _as_strided(n: Node, g: Tensor) -> tuple:
    x, size, stride, offset = n.args[0], n.args[1], n.args[2], n.args[3]
    x_geom = (x._sizes, x._stride_tuple(), x.storage_offset())
    out_geom = (tuple(size), tuple(stride), x.storage_offset() if offset is None else offset)
    return strided_scatter(g, x_geom, out_geom), None, None, None


def _unfold(n: Node, g: Tensor) -> tuple:
    x, dim, size, step = n.args
    sizes, strides = list(x._sizes), list(x._stride_tuple())
    nd = len(sizes)
    d = _wrap(dim, nd)
    if nd == 0:  # a 0-d input unfolds to shape (1,)
        return _C.reshape(g, ()), None, None, None
    out_sizes = sizes[:d] + [(sizes[d] - size) // step + 1] + sizes[d + 1 :] + [size]
    out_strides = strides[:d] + [strides[d] * step] + strides[d + 1 :] + [strides[d]]
    out_geom = (out_sizes, out_strides, 0)
    return strided_scatter(g, (tuple(sizes), tuple(strides), 0), out_geom), None, None, None


op("as_strided", "AsStridedBackward0", _as_strided, view=True, fresh=True)
op("unfold", "UnfoldBackward0", _unfold, view=True, fresh=True)


def _cat(n: Node, g: Tensor) -> tuple:
    tensors, dim = n.args
    nd = g.dim()
    d = _wrap(dim, nd)
    out = []
    start = 0
    for t, e in zip(tensors, n.next):
        sizes = t._sizes
        if sizes == (0,) and nd != 1:  # torch's legacy skip of 1-D empty inputs
            out.append(zeros((0,), t.dtype, g) if e is not None else None)
            continue
        k = sizes[d]
        if e is not None:
            out.append(ub(_C.narrow(g, d, start, k), t))
        else:
            out.append(None)
        start += k
    return tuple(out)


def _stack(n: Node, g: Tensor) -> tuple:
    tensors, dim = n.args
    d = _wrap(dim, g.dim())
    return tuple(
        ub(_C.select(g, d, i), t) if e is not None else None
        for i, (t, e) in enumerate(zip(tensors, n.next))
    )


op("cat", "CatBackward0", _cat, listarg=True)
op("stack", "StackBackward0", _stack, listarg=True)


# ---- in-place writes through views: CopySlices ---------------------------------------------------


def _copy_slices(n: Node, g: Tensor) -> tuple:
    inner, view_geom, base_geom = n.args
    sizes, strides, dtype = base_geom
    d = g._device_str
    result = (_C.empty_strided(sizes, strides, dtype) if d == "cpu"
              else _C.empty_strided(sizes, strides, dtype, device=d))
    result = _C.copy_(result, g)  # recorded under create_graph, like any copy
    gslice = _C.as_strided(
        result, view_geom[0], view_geom[1], result.storage_offset() + view_geom[2]
    )
    grads = inner.apply(_C.clone(gslice))
    g0 = grads[0]
    if g0 is None:
        _C.fill_(gslice, 0)
    else:
        _C.copy_(gslice, g0)
    return (result,) + tuple(grads[1:])


def _as_strided_view(n: Node, g: Tensor) -> tuple:
    base_geom, view_geom = n.args
    sizes, strides, dtype = base_geom
    base_g = strided_scatter(g, (sizes, strides, 0), view_geom)
    return (base_g,)


COPY_SLICES = Spec("_copy_slices", None, "CopySlices", _copy_slices)
COPY_SLICES.frees = True  # releasing drops the inner in-place node and what it saved
AS_STRIDED_VIEW = Spec("_as_strided_view", None, "AsStridedBackward0", _as_strided_view, fresh=True)


# ---- reductions ----------------------------------------------------------------------------------


def _sum_f(n: Node, g: Tensor) -> tuple:
    x, dims, keepdim, dtype = n.args
    shape = x._sizes
    if dims and not keepdim:
        g = _unsqueeze_dims(g, dims, len(shape), False)
    g = _C.expand(g, shape)  # a full reduction's 0-d gradient expands directly
    if dtype is not None and g.dtype is not x.dtype:
        g = _C.to_dtype(g, x.dtype, False)
    return g, None, None, None


def _mean_f(n: Node, g: Tensor) -> tuple:
    x, dims, keepdim, dtype = n.args
    shape = x._sizes
    if dims and not keepdim:
        g = _unsqueeze_dims(g, dims, len(shape), False)
    g = _C.div(_C.expand(g, shape), _reduced_count(shape, dims))  # contiguous: may become a .grad
    if dtype is not None and g.dtype is not x.dtype:
        g = _C.to_dtype(g, x.dtype, False)
    return g, None, None, None


def _dims_name(base: str) -> Callable:
    return lambda a, o: base + ("0" if a[1] is None else "1")


op("sum", _dims_name("SumBackward"), _sum_f)
op("mean", _dims_name("MeanBackward"), _mean_f, fresh=True)


def _expand_like(g: Tensor, x: Tensor, dims: Any, keepdim: bool) -> Tensor:
    return _C.expand(_unsqueeze_dims(g, dims, x.dim(), keepdim), list(x._sizes))


def _prod_f(n: Node, g: Tensor) -> tuple:
    x, dims, keepdim, dtype = n.args
    if x.dim() == 0:
        return _C.to_dtype(g, x.dtype, True), None, None, None  # a copy: fresh
    if dims is None or len(dims) == 0:
        flat = _C.reshape(x, [-1])
        gx = _prod_along(flat, 0, _C.expand(_C.reshape(g, [1]), [flat.numel()]))
        return _C.reshape(gx, x._sizes), None, None, None
    d = _wrap(dims[0], x.dim())
    ge = _expand_like(g, x, [d], keepdim)
    return _prod_along(x, d, ge), None, None, None


def _prod_along(x: Tensor, d: int, ge: Tensor) -> Tensor:
    """grad * (product of the other elements along d), exact with zeros: exclusive cumulative
    products from both ends."""
    n = x._sizes[d]
    ones = full_on(x, tuple(1 if i == d else s for i, s in enumerate(x._sizes)), 1, x.dtype)
    left = _C.cat([ones, _C.cumprod(_C.narrow(x, d, 0, n - 1), d, None)], d) if n > 1 else ones
    rev = _arange_on(x, n - 1, -1, -1)
    xr = _C.index_select(x, d, rev)
    right_r = _C.cat([ones, _C.cumprod(_C.narrow(xr, d, 0, n - 1), d, None)], d) if n > 1 else ones
    right = _C.index_select(right_r, d, rev)
    return _mul(ge, _mul(left, right))


op("prod", _dims_name("ProdBackward"), _prod_f, saved=(0,), fresh=True)


def _sum_keep(t: Tensor, dims: Any, ndim: int) -> Tensor:
    """``t`` summed over ``dims`` (all when None/empty) with every dim kept."""
    if dims is None or len(dims) == 0:
        return _C.reshape(_sum(t, None, False, None), (1,) * ndim)
    return _sum(t, list(dims), True, None)


def _even_split(n: Node, g: Tensor, dims: Any, keepdim: bool) -> Tensor:
    """amax/amin/max()/min(): the gradient shared evenly among the tied extremes."""
    x = n.args[0]
    mask = _C.eq(x, _expand_like(n.out, x, dims, keepdim))  # a mask: no history needed
    count = _sum_keep(_C.to_dtype(mask, g.dtype, False), dims, x.dim())
    return _where(mask, _C.div(_expand_like(g, x, dims, keepdim), count), 0.0)


op(
    "amax",
    "AmaxBackward0",
    lambda n, g: (_even_split(n, g, n.args[1], n.args[2]), None, None),
    saved=(0,),
    out=True,
    fresh=True,
)
op(
    "amin",
    "AminBackward0",
    lambda n, g: (_even_split(n, g, n.args[1], n.args[2]), None, None),
    saved=(0,),
    out=True,
    fresh=True,
)
op(
    "max",
    "MaxBackward1",
    lambda n, g: (_even_split(n, g, None, False),),
    saved=(0,),
    out=True,
    fresh=True,
)
op(
    "min",
    "MinBackward1",
    lambda n, g: (_even_split(n, g, None, False),),
    saved=(0,),
    out=True,
    fresh=True,
)


def _multi_out_handler(spec: Spec, args: tuple, kwargs: dict) -> Any:
    """Ops returning (values, indices): only ``values`` is differentiable."""
    next_ = tuple(map(graph.edge_of, args))
    graph._set_grad(False)
    try:
        out = spec.fwd(*args, **kwargs) if kwargs else spec.fwd(*args)
    finally:
        graph._set_grad(True)
    values = out[0]
    node = spec.cls(list(next_), args)
    node.out = spec.keep(out)
    values.grad_fn = node
    values._requires_grad = True
    return out


def _max_dim(n: Node, g: Tensor) -> tuple:
    x, dim, keepdim = n.args
    idx = n.out
    d = _wrap(dim, max(x.dim(), 1))
    if x.dim() == 0:
        return g, None, None
    if not keepdim:
        g = _C.unsqueeze(g, d)
        idx = _C.unsqueeze(idx, d)
    return call("_scatter_into_zeros", g, x._sizes, d, idx), None, None


op("max_dim", "MaxBackward0", _max_dim, special=_multi_out_handler, keep=lambda o: o[1], fresh=True)


def _sorted_values(n: Node, g: Tensor) -> tuple:
    """sort / topk: each value's gradient goes back to the position it came from."""
    x, dim = n.args[0], n.args[2 if n.spec.op == "topk" else 1]
    if x.dim() == 0:
        return (g,) + (None,) * (len(n.args) - 1)
    d = _wrap(dim, x.dim())
    return (call("_scatter_into_zeros", g, x._sizes, d, n.out),) + (None,) * (len(n.args) - 1)


op("sort", "SortBackward0", _sorted_values, special=_multi_out_handler, keep=lambda o: o[1], fresh=True)
op("topk", "TopkBackward0", _sorted_values, special=_multi_out_handler, keep=lambda o: o[1], fresh=True)
op("min_dim", "MinBackward0", _max_dim, special=_multi_out_handler, keep=lambda o: o[1], fresh=True)


def _var_f(n: Node, g: Tensor, std: bool = False) -> tuple:
    x, dims, correction, keepdim = n.args
    count = _reduced_count(x._sizes, dims)
    d = list(dims) if dims is not None and len(dims) else None
    mu = _C.mean(x, d, True, None) if d is not None else _C.mean(x, None, False, None)
    ge = _expand_like(g, x, dims, keepdim)
    denom = max(count - correction, 0)
    if std:
        s = _expand_like(out_of(n), x, dims, keepdim)
        gx = _C.div(_mul(ge, _C.sub(x, mu)), _mul(s, denom))
        gx = _where(_C.eq(s, 0), 0.0, gx)
    else:
        gx = _C.div(_mul(_mul(ge, _C.sub(x, mu)), 2.0), denom)
    return gx, None, None, None


op("var", "VarBackward0", lambda n, g: _var_f(n, g), saved=(0,), fresh=True)
op("std", "StdBackward0", lambda n, g: _var_f(n, g, True), saved=(0,), out=True, fresh=True)


def _norm_f(n: Node, g: Tensor) -> tuple:
    x, dims, p, keepdim, dtype = n.args
    y = _expand_like(out_of(n), x, dims, keepdim)
    ge = _expand_like(g, x, dims, keepdim)
    if dtype is not None and y.dtype is not x.dtype:
        y = _C.to_dtype(y, x.dtype, False)
        ge = _C.to_dtype(ge, x.dtype, False)
    if p == 0:
        gx = zeros_like(x)
    elif p == 1:
        gx = _mul(ge, _C.sign(x))
    elif p == 2:
        gx = _where(_C.eq(y, 0), 0.0, _C.div(_mul(ge, x), y))
    elif math.isinf(p):  # the gradient goes to the extreme |x|, shared among ties
        mask = _C.eq(_C.abs(x), y)
        cnt = _sum_keep(_C.to_dtype(mask, ge.dtype, False), dims, x.dim())
        gx = _where(mask, _C.div(_mul(ge, _C.sign(x)), cnt), 0.0)
    else:
        # d|x|_p = x |x|^(p-2) / |x|_p^(p-1)
        gx = _C.div(_mul(_mul(ge, x), _C.pow(_C.abs(x), p - 2)), _C.pow(y, p - 1))
        gx = _where(_C.eq(y, 0), 0.0, gx)
    return gx, None, None, None, None


op("norm", "LinalgVectorNormBackward0", _norm_f, saved=(0,), out=True, fresh=True)


def _logsumexp_f(n: Node, g: Tensor) -> tuple:
    x, dims, keepdim = n.args
    y = _expand_like(out_of(n), x, dims, keepdim)
    return _mul(_expand_like(g, x, dims, keepdim), _C.exp(_C.sub(x, y))), None, None


op("logsumexp", "LogsumexpBackward0", _logsumexp_f, saved=(0,), out=True, fresh=True)


def _softmax_f(n: Node, g: Tensor) -> tuple:
    x, dim, dtype = n.args
    y = out_of(n)
    gy = _mul(g, y)
    gx = _C.sub(gy, _mul(y, _sum(gy, [dim], True, None)))
    if gx.dtype is not x.dtype:
        gx = _C.to_dtype(gx, x.dtype, False)
    return gx, None, None


def _log_softmax_f(n: Node, g: Tensor) -> tuple:
    x, dim, dtype = n.args
    gx = _C.sub(g, _mul(_C.exp(out_of(n)), _sum(g, [dim], True, None)))
    if gx.dtype is not x.dtype:
        gx = _C.to_dtype(gx, x.dtype, False)
    return gx, None, None


op("softmax", "SoftmaxBackward0", _softmax_f, out=True, fresh=True)
op("log_softmax", "LogSoftmaxBackward0", _log_softmax_f, out=True, fresh=True)


def _cumsum_f(n: Node, g: Tensor) -> tuple:
    x, dim, dtype = n.args
    if x.dim() == 0:
        return _C.to_dtype(g, x.dtype, True), None, None  # a copy: fresh
    # Reverse cumulative sum: total - (inclusive cumsum) + g.
    gx = _C.add(_C.sub(_sum(g, [dim], True, None), _C.cumsum(g, dim, None)), g)
    if gx.dtype is not x.dtype:
        gx = _C.to_dtype(gx, x.dtype, False)
    return gx, None, None


def _cumprod_f(n: Node, g: Tensor) -> tuple:
    x, dim, dtype = n.args
    if x.dim() == 0:
        return _C.to_dtype(g, x.dtype, True), None, None  # a copy: fresh
    y = out_of(n)
    gy = _mul(g, y)
    rc = _C.add(_C.sub(_sum(gy, [dim], True, None), _C.cumsum(gy, dim, None)), gy)
    # NOTE: divides by x, so exact only where x has no zeros (torch has a zero-safe path).
    gx = _C.div(rc, x)
    if gx.dtype is not x.dtype:
        gx = _C.to_dtype(gx, x.dtype, False)
    return gx, None, None


op("cumsum", "CumsumBackward0", _cumsum_f, fresh=True)
op("cumprod", "CumprodBackward0", _cumprod_f, saved=(0,), out=True, fresh=True)


# Order statistics along a dim (args: x, dim, keepdim; kthvalue: x, k, dim, keepdim): the
# gradient goes to the selected index, as max(dim) does.
for _name, _node in (("median_dim", "MedianBackward1"), ("nanmedian_dim", "NanmedianBackward1"),
                     ("mode", "ModeBackward0")):
    op(_name, _node, _max_dim, special=_multi_out_handler, keep=lambda o: o[1], fresh=True)
op(
    "kthvalue",
    "KthvalueBackward0",
    lambda n, g: (_max_dim(_KthArgs(n), g)[0], None, None, None),
    special=_multi_out_handler,
    keep=lambda o: o[1],
    fresh=True,
)


class _KthArgs:
    """A kthvalue node seen with max(dim)'s arguments (x, dim, keepdim)."""

    __slots__ = ("args", "out")

    def __init__(self, n: Node) -> None:
        self.args = (n.args[0], n.args[2], n.args[3])
        self.out = n.out


def _median_all(n: Node, g: Tensor) -> tuple:
    """median()/nanmedian(): shared evenly among the elements equal to the result (the NaNs
    when it is NaN), as torch's evenly_distribute_backward."""
    x, y = n.args[0], n.out
    mask = _C.isnan(x) if math.isnan(y.item()) else _C.eq(x, y)
    count = _sum(mask, None, False, g.dtype)
    return (_where(mask, _C.div(g, count), 0.0),)


op("median", "MedianBackward0", _median_all, saved=(0,), out=True, fresh=True)
op("nanmedian", "NanmedianBackward0", _median_all, saved=(0,), out=True, fresh=True)


def _cum_extreme(n: Node, g: Tensor) -> tuple:
    """cummax/cummin: each output's gradient adds into the position it was taken from."""
    x, dim = n.args
    if x.dim() == 0:
        return g, None
    return _C.scatter_add(zeros_like(x), _wrap(dim, x.dim()), n.out, g), None


op("cummax", "CummaxBackward0", _cum_extreme, special=_multi_out_handler, keep=lambda o: o[1], fresh=True)
op("cummin", "CumminBackward0", _cum_extreme, special=_multi_out_handler, keep=lambda o: o[1], fresh=True)


def _logcumsumexp_f(n: Node, g: Tensor) -> tuple:
    """dx_j = sum_{i>=j} g_i exp(x_j - y_i), summed in log space from the end, positive and
    negative parts of g apart, so that nothing overflows (torch's formula)."""
    x, dim = n.args
    if x.dim() == 0:
        return _C.to_dtype(g, x.dtype, True), None
    d = _wrap(dim, x.dim())
    y = out_of(n)

    def from_end(t: Tensor) -> Tensor:  # reverse logcumsumexp along d
        return call("flip", call("logcumsumexp", call("flip", t, [d]), d), [d])

    pos = _C.log(_C.clamp(g, 0.0, None))
    neg = _C.log(_C.clamp(_C.neg(g), 0.0, None))
    gx = _C.sub(_C.exp(_C.add(x, from_end(_C.sub(pos, y)))), _C.exp(_C.add(x, from_end(_C.sub(neg, y)))))
    return gx, None


op("logcumsumexp", "LogcumsumexpBackward0", _logcumsumexp_f, saved=(0,), out=True, fresh=True)


def _nansum_f(n: Node, g: Tensor) -> tuple:
    x, dims, keepdim, dtype = n.args
    gx = _where(_C.isnan(x), 0.0, _expand_like(g, x, dims, keepdim))
    if gx.dtype is not x.dtype:
        gx = _C.to_dtype(gx, x.dtype, False)
    return gx, None, None, None


op("nansum", "NansumBackward0", _nansum_f, saved=(0,), fwd=nansum_values, fresh=True)


# ---- matrix products -----------------------------------------------------------------------------

_linear_op = getattr(_C, "linear", None)


def _mm(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    # g @ b.T is linear(g, b): one crossing into C++ (BLAS takes the transpose as a flag).
    return (
        _linear_op(g, b, None) if nx[0] is not None else None,
        _C.mm(_C.t(a), g) if nx[1] is not None else None,
    )


def _bmm(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    return (
        _C.bmm(g, _C.transpose(b, 1, 2)) if nx[0] is not None else None,
        _C.bmm(_C.transpose(a, 1, 2), g) if nx[1] is not None else None,
    )


def _mv(n: Node, g: Tensor) -> tuple:
    m, v = n.args
    nx = n.next
    return (
        _C.outer(g, v) if nx[0] is not None else None,
        _C.mv(_C.t(m), g) if nx[1] is not None else None,
    )


def _dot(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    return (_mul(b, g) if nx[0] is not None else None, _mul(a, g) if nx[1] is not None else None)


def _outer(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    nx = n.next
    return (
        ub(_C.mv(g, _C.to_dtype(b, g.dtype, False)), a) if nx[0] is not None else None,
        ub(_C.mv(_C.t(g), _C.to_dtype(a, g.dtype, False)), b) if nx[1] is not None else None,
    )


def matmul_backward(g: Tensor, a: Tensor, b: Tensor, need_a: bool, need_b: bool) -> tuple:
    """Gradients of ``a @ b`` for any of torch.matmul's cases (1-D operands, batch broadcast)."""
    da, db = a.dim(), b.dim()
    if da == 2 and db == 2:
        return (_linear_op(g, b, None) if need_a else None, _C.mm(_C.t(a), g) if need_b else None)
    A = _C.unsqueeze(a, 0) if da == 1 else a
    B = _C.unsqueeze(b, 1) if db == 1 else b
    G = g
    if da == 1:
        G = _C.unsqueeze(G, -2 if G.dim() >= 1 else 0)
    if db == 1:
        G = _C.unsqueeze(G, -1)
    ga = gb = None
    if need_a:
        ga = _C.matmul(G, _C.transpose(B, -1, -2))
        ga = sum_to(ga, A._sizes)
        if da == 1:
            ga = _C.reshape(ga, a._sizes)
    if need_b:
        gb = _C.matmul(_C.transpose(A, -1, -2), G)
        gb = sum_to(gb, B._sizes)
        if db == 1:
            gb = _C.reshape(gb, b._sizes)
    return ga, gb


def _matmul(n: Node, g: Tensor) -> tuple:
    a, b = n.args
    return matmul_backward(g, a, b, n.next[0] is not None, n.next[1] is not None)


def _matmul_name(args: tuple, out: Tensor) -> str:
    da, db = args[0].dim(), args[1].dim()
    if da == 2 and db == 2:
        return "MmBackward0"
    if da == 2 and db == 1:
        return "MvBackward0"
    if da == 1 and db == 1:
        return "DotBackward0"
    if da == 1 and db == 2:
        return "SqueezeBackward4"
    return "UnsafeViewBackward0"


def _addmm(n: Node, g: Tensor) -> tuple:
    inp, m1, m2, beta, alpha = n.args
    nx = n.next
    gi = ub(g if beta == 1 else _mul(g, beta), inp) if nx[0] is not None else None
    g1 = g2 = None
    if nx[1] is not None:
        g1 = _C.mm(g, _C.t(m2))
        if alpha != 1:
            g1 = _mul(g1, alpha)
    if nx[2] is not None:
        g2 = _C.mm(_C.t(m1), g)
        if alpha != 1:
            g2 = _mul(g2, alpha)
    return gi, g1, g2, None, None


def _addmv(n: Node, g: Tensor) -> tuple:
    inp, m, v, beta, alpha = n.args
    nx = n.next
    gi = ub(g if beta == 1 else _mul(g, beta), inp) if nx[0] is not None else None
    ga = _mul(_C.outer(g, v), alpha) if nx[1] is not None else None
    gv = _mul(_C.mv(_C.t(m), g), alpha) if nx[2] is not None else None
    return gi, ga, gv, None, None


def _baddbmm(n: Node, g: Tensor) -> tuple:
    inp, b1, b2, beta, alpha = n.args
    nx = n.next
    gi = ub(g if beta == 1 else _mul(g, beta), inp) if nx[0] is not None else None
    g1 = _mul(_C.bmm(g, _C.transpose(b2, 1, 2)), alpha) if nx[1] is not None else None
    g2 = _mul(_C.bmm(_C.transpose(b1, 1, 2), g), alpha) if nx[2] is not None else None
    return gi, g1, g2, None, None


def _linear(n: Node, g: Tensor) -> tuple:
    x, w, b = n.args
    nx = n.next
    gx = gw = gb = None
    if nx[0] is not None:
        gx = _C.matmul(g, w)
    if x.dim() == 1:
        if nx[1] is not None:
            gw = _C.outer(g, x)
        if b is not None and nx[2] is not None:
            gb = ub(g, b)
            if gb is g:  # linear's gradients are fresh memory
                gb = _C.clone(g)
        return gx, gw, gb
    out_f = w._sizes[0]
    g2 = _C.reshape(g, [-1, out_f]) if g.dim() != 2 else g
    if nx[1] is not None:
        x2 = _C.reshape(x, [-1, x._sizes[-1]]) if x.dim() != 2 else x
        gw = _C.mm(_C.t(g2), x2)
    if b is not None and nx[2] is not None:
        gb = ub(_sum(g2, [0], False, None), b)
    return gx, gw, gb


def _linear_name(args: tuple, out: Tensor) -> str:
    x, w, b = args
    if x.dim() == 2:
        return "AddmmBackward0" if b is not None else "MmBackward0"
    if x.dim() == 1:
        return "ViewBackward0" if b is not None else "SqueezeBackward4"
    return "ViewBackward0" if b is not None else "UnsafeViewBackward0"


op("mm", "MmBackward0", _mm, saved=(0, 1), fresh=True)
op("bmm", "BmmBackward0", _bmm, saved=(0, 1), fresh=True)
op("mv", "MvBackward0", _mv, saved=(0, 1), fresh=True)
op("dot", "DotBackward0", _dot, saved=(0, 1), fresh=True)
op(["outer", "ger"], "MulBackward0", _outer, saved=(0, 1), fresh=True)
op("matmul", _matmul_name, _matmul, saved=(0, 1), fresh=True)


# ---- LU-based linear algebra (inv, det, slogdet, solve) ------------------------------------------


def _mT(t: Tensor) -> Tensor:
    return _C.transpose(t, -1, -2)


def _per_matrix(g: Tensor) -> Tensor:
    """A gradient of one value per matrix, broadcastable against the matrices."""
    return _C.unsqueeze(_C.unsqueeze(g, -1), -1)


def _linalg_inv(n: Node, g: Tensor) -> tuple:
    # d inv(A) = -inv(A) dA inv(A)  =>  grad_A = -inv(A)^T g inv(A)^T
    it = _mT(out_of(n))
    return (_C.neg(_C.matmul(_C.matmul(it, g), it)),)


def _linalg_det(n: Node, g: Tensor) -> tuple:
    # d det(A) = det(A) tr(inv(A) dA)  =>  grad_A = g det(A) inv(A)^T (A invertible).
    A, d = n.args[0], out_of(n)
    zero = _C.eq(d, 0)
    if zero.any().item():
        # Exactly singular matrices get a zero gradient (torch's result: its solve scales a
        # zero right-hand side); the identity stands in so the inverse exists.
        k = A._sizes[-1]
        dev = None if A._device_str == "cpu" else A._device_str
        A = _where(_per_matrix(zero), _C.eye(k, k, A.dtype, dev), A)
    return (_mul(_per_matrix(_mul(g, d)), _mT(_C.linalg_inv(A))),)


def _linalg_slogdet(n: Node, g: Tensor) -> tuple:
    # d log|det A| = tr(inv(A) dA): only logabsdet (the first output) is differentiable.
    return (_mul(_per_matrix(g), _mT(_C.linalg_inv(n.args[0]))),)


def _linalg_solve(n: Node, g: Tensor) -> tuple:
    # X = inv(A) B  =>  grad_B = inv(A)^T g (a solve with A^T), grad_A = -grad_B X^T.
    A, B = n.args
    gB = _C.linalg_solve(_mT(A), g)
    gA = _C.neg(_C.matmul(gB, _mT(out_of(n)))) if n.next[0] is not None else None
    return gA, (gB if n.next[1] is not None else None)


op("linalg_inv", "LinalgInvExBackward0", _linalg_inv, out=True, fresh=True)
op("linalg_det", "LinalgDetBackward0", _linalg_det, saved=(0,), out=True, fresh=True)
op(
    "_linalg_slogdet",
    "LinalgSlogdetBackward0",
    _linalg_slogdet,
    saved=(0,),
    special=_multi_out_handler,
    keep=lambda o: o[1],
    fresh=True,
)
op("linalg_solve", "LinalgSolveExBackward0", _linalg_solve, saved=(0,), out=True, fresh=True)


def _kw_scaled(f: Callable) -> Callable:
    """addmm & co. take beta/alpha keyword-only; autograd receives them positionally."""
    return lambda inp, x, y, beta=1, alpha=1: f(inp, x, y, beta=beta, alpha=alpha)


op("addmm", "AddmmBackward0", _addmm, saved=(1, 2), fwd=_kw_scaled(_C.addmm))
op("addmv", "AddmvBackward0", _addmv, saved=(1, 2), fwd=_kw_scaled(_C.addmv))
op("baddbmm", "BaddbmmBackward0", _baddbmm, saved=(1, 2), fwd=_kw_scaled(_C.baddbmm))
op("linear", _linear_name, _linear, saved=(0, 1), fresh=True)


# ---- indexing ------------------------------------------------------------------------------------


def _is_advanced(item: Any) -> bool:
    return (
        is_t(item)
        or isinstance(item, (list, bool))
        or (
            not isinstance(item, (int, slice))
            and item is not None
            and item is not Ellipsis
            and not hasattr(item, "__index__")
        )
    )


def _getitem_kind(index: Any) -> Tuple[str, bool]:
    """torch's node name for ``x[index]`` and whether the result is a view."""
    items = index if type(index) is tuple else (index,)
    if isinstance(index, list) and not any(
        isinstance(i, (slice, list, tuple)) or i is None or i is Ellipsis or is_t(i) for i in index
    ):
        return "IndexBackward0", False
    if any(_is_advanced(i) for i in items):
        return "IndexBackward0", False
    for item in reversed(items):
        if item is Ellipsis:
            continue
        if item is None:
            return "UnsqueezeBackward0", True
        if isinstance(item, slice):
            return "SliceBackward0", True
        return "SelectBackward0", True
    return "AliasBackward0", True


def _getitem_handler(spec: Spec, args: tuple, kwargs: dict) -> Any:
    x, index = args
    next_ = [graph.edge_of(x), None]
    graph._set_grad(False)
    try:
        out = spec.fwd(x, index)
    finally:
        graph._set_grad(True)
    name, is_view = _getitem_kind(index)
    node = spec.node_class(name)(next_, args)
    out.grad_fn = node
    out._requires_grad = True
    if is_view:
        b = x._base
        out._base = x if b is None else b
    return out


op(
    "getitem",
    "IndexBackward0",
    lambda n, g: (_index_backward(g, n.args[0]._sizes, n.args[1]), None),
    special=_getitem_handler,
    fresh=True,
)
SPECS["_getitem_backward"] = Spec(
    "_getitem_backward",
    lambda g, sizes, index: _C.getitem_backward(g, tuple(sizes), index),
    "IndexBackwardBackward0",
    lambda n, gg: (_C.getitem(gg, n.args[2]), None, None),
)


def _setitem(n: Node, g: Tensor) -> tuple:
    self, index, value = n.args
    nx = n.next
    gs = gv = None
    if nx[0] is not None:
        gs = _C.clone(g)
        _C.setitem(gs, index, 0)
    if nx[2] is not None:
        gv = ub(_C.getitem(g, index), value)
    return gs, None, gv


def _setitem_name(args: tuple, out: Any) -> str:
    return "IndexPutBackward0" if _getitem_kind(args[1])[0] == "IndexBackward0" else "CopySlices"


op("setitem", _setitem_name, _setitem, special=graph.inplace_handler)


def _scatter_into_zeros(g: Tensor, sizes: tuple, dim: int, index: Tensor) -> Tensor:
    return _C.scatter(full_on(g, tuple(sizes), 0, g.dtype), dim, index, g, None, None)


SPECS["_scatter_into_zeros"] = Spec(
    "_scatter_into_zeros",
    _scatter_into_zeros,
    "ScatterBackward0",
    lambda n, gg: (_C.gather(gg, n.args[2], n.args[3]), None, None, None),
)


def _index_select(n: Node, g: Tensor) -> tuple:
    x, dim, index = n.args
    return (
        _C.index_add(
            zeros_like(x) if g.dtype is x.dtype else zeros(x._sizes, g.dtype, g), dim, index, g, 1
        ),
        None,
        None,
    )


def _gather(n: Node, g: Tensor) -> tuple:
    x, dim, index = n.args
    return _C.scatter_add(zeros(x._sizes, g.dtype, g), dim, index, g), None, None


def _take(n: Node, g: Tensor) -> tuple:
    x, index = n.args
    flat = _C.index_add(
        zeros((x.numel(),), g.dtype, g), 0, _C.reshape(index, [-1]), _C.reshape(g, [-1]), 1
    )
    return _C.reshape(flat, x._sizes), None


def _scatter(n: Node, g: Tensor) -> tuple:
    x, dim, index, src, reduce = n.args
    if reduce is not None:
        raise RuntimeError(
            "scatter(): the derivative with reduce='" + str(reduce) + "' is not implemented"
        )
    nx = n.next
    gx = _C.scatter(g, dim, index, 0.0, None, None) if nx[0] is not None else None
    gs = _C.gather(g, dim, index) if is_t(src) and nx[3] is not None else None
    return gx, None, None, gs, None


def _scatter_add(n: Node, g: Tensor) -> tuple:
    x, dim, index, src = n.args
    return (
        g if n.next[0] is not None else None,
        None,
        None,
        _C.gather(g, dim, index) if n.next[3] is not None else None,
    )


def _index_add(n: Node, g: Tensor) -> tuple:
    x, dim, index, source, alpha = n.args
    gs = None
    if n.next[3] is not None:
        gs = (
            _C.index_select(g, dim, index)
            if source.dim() > 0
            else _C.reshape(_C.index_select(g, dim, index), ())
        )
        if alpha != 1:
            gs = _mul(gs, alpha)
    return (g if n.next[0] is not None else None), None, None, gs, None


def _index_put(n: Node, g: Tensor) -> tuple:
    x, indices, values, accumulate = n.args
    gx = gv = None
    if n.next[0] is not None:
        gx = g if accumulate else _C.index_put(g, indices, zeros((), g.dtype, g), False)
    if n.next[2] is not None:
        gv = ub(_C.getitem(g, tuple(indices)), values)
    return gx, None, gv, None


def _masked_select(n: Node, g: Tensor) -> tuple:
    x, mask = n.args
    m = _C.logical_and(full_on(g, x._sizes, True, _C.bool), mask)  # the mask at the broadcast shape
    full = _C.index_put(zeros(m._sizes, g.dtype, g), (m,), g, False)
    return sum_to(full, x._sizes), None


def _masked_fill(n: Node, g: Tensor) -> tuple:
    x, mask, value = n.args
    gx = ub(_where(mask, 0.0, g), x) if n.next[0] is not None else None
    gv = None
    if is_t(value) and n.next[2] is not None:
        gv = _C.to_dtype(_sum(_where(mask, g, 0.0), None, False, None), value.dtype, False)
    return gx, None, gv


def _take_along_dim(n: Node, g: Tensor) -> tuple:
    x, indices, dim = n.args
    if dim is None:
        flat = _C.index_add(
            zeros((x.numel(),), g.dtype, g), 0, _C.reshape(indices, [-1]), _C.reshape(g, [-1]), 1
        )
        return _C.reshape(flat, x._sizes), None, None
    d = _wrap(dim, g.dim())
    shape = list(g._sizes)
    idx = _C.expand(indices, shape)
    shape[d] = x._sizes[d] if x.dim() else 1
    full = _C.scatter_add(zeros(tuple(shape), g.dtype, g), d, idx, g)
    return sum_to(full, x._sizes), None, None


def _index_copy(n: Node, g: Tensor) -> tuple:
    x, dim, index, source = n.args
    gx = _C.index_fill(g, dim, index, 0.0) if n.next[0] is not None else None
    gs = None
    if n.next[3] is not None:
        gs = _C.index_select(g, dim, index)
        if source.dim() == 0:
            gs = _C.reshape(gs, ())
    return gx, None, None, gs


def _index_fill(n: Node, g: Tensor) -> tuple:
    x, dim, index, value = n.args
    gx = _C.index_fill(g, dim, index, 0.0) if n.next[0] is not None else None
    gv = None
    if is_t(value) and n.next[3] is not None:
        gv = _sum(_C.index_select(g, dim, index), None, False, None)
    return gx, None, None, gv


def _masked_scatter(n: Node, g: Tensor) -> tuple:
    x, mask, source = n.args
    gx = ub(_where(mask, 0.0, g), x) if n.next[0] is not None else None
    gs = None
    if n.next[2] is not None:
        taken = _C.masked_select(g, mask)  # in order: the source elements that were used
        k, total = taken.numel(), source.numel()
        if k < total:
            taken = _C.cat([taken, zeros((total - k,), g.dtype, g)], 0)
        gs = _C.reshape(taken, source._sizes)
    return gx, None, gs


op("take_along_dim", "GatherBackward0", _take_along_dim, fresh=True)
op(["index_copy", "index_copy_"], "IndexCopyBackward0", _index_copy)
op(
    ["index_fill", "index_fill_"],
    lambda a, o: "IndexFillBackward1" if is_t(a[3]) else "IndexFillBackward0",
    _index_fill,
)
op(["masked_scatter", "masked_scatter_"], "MaskedScatterBackward0", _masked_scatter, fresh=True)
op("index_select", "IndexSelectBackward0", _index_select, fresh=True)
op("gather", "GatherBackward0", _gather, fresh=True)
op("take", "TakeBackward0", _take, fresh=True)
op(
    ["scatter", "scatter_"],
    lambda a, o: "ScatterBackward0" if is_t(a[3]) else "ScatterBackward1",
    _scatter,
    fresh=True,
)
op(["scatter_add", "scatter_add_"], "ScatterAddBackward0", _scatter_add)
op(["index_add", "index_add_"], "IndexAddBackward0", _index_add)
op(["index_put", "index_put_"], "IndexPutBackward0", _index_put)
op("masked_select", "MaskedSelectBackward0", _masked_select, fresh=True)
op(["masked_fill", "masked_fill_"], "MaskedFillBackward0", _masked_fill, fresh=True)
