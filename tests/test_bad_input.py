"""Invalid calls raise the exception class torch raises, with the key part of its message, and
leave their inputs unchanged.

Every case runs in a child process (all of them in one child; if the child dies, the cases it did
not report are replayed one per child), so a crash fails the crashing case instead of killing the
test session. ``P`` is the module under test: pytensor here, torch in the parity test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

SETUP = """
m = P.arange(12.).reshape(3, 4)
v = P.arange(6)
x = P.ones(3)
s = P.tensor(5.0)
b = P.tensor([True, False])
i = P.tensor([1, 2, 3])
"""

RE, IE, TE, VE, NI = "RuntimeError", "IndexError", "TypeError", "ValueError", "NotImplementedError"

# (id, code, exception class name, regex for the key part of the message[, "pytensor-only"])
CASES = [
    # shape mismatches name both sizes
    (
        "broadcast_add",
        "m + P.ones(5)",
        RE,
        r"The size of tensor a \(4\) must match the size of tensor b \(5\) at non-singleton dimension 1",
    ),
    (
        "broadcast_mul",
        "m * P.ones(2, 4)",
        RE,
        r"The size of tensor a \(3\) must match the size of tensor b \(2\) at non-singleton dimension 0",
    ),
    (
        "inplace_broadcast_grow",
        "x.add_(m[:, :3])",
        RE,
        r"output with shape \[3\] doesn't match the broadcast shape \[3, 3\]",
    ),
    (
        "inplace_broadcast_rank",
        "m.add_(P.ones(2, 3, 4))",
        RE,
        r"output with shape \[3, 4\] doesn't match the broadcast shape \[2, 3, 4\]",
    ),
    (
        "copy_shape",
        "x.copy_(P.ones(4))",
        RE,
        r"size of tensor a \(3\) must match the size of tensor b \(4\)",
    ),
    (
        "where_shapes",
        "P.where(b, x, x)",
        RE,
        r"size of tensor a \(2\) must match the size of tensor b \(3\)",
    ),
    ("view_numel", "m.view(5, 3)", RE, r"shape '\[5, 3\]' is invalid for input of size 12"),
    ("view_two_inferred", "m.view(-1, -1)", RE, r"only one dimension can be inferred"),
    ("view_negative_dim", "m.view(2, -2)", RE, r"invalid shape dimension -2"),
    (
        "view_non_contiguous",
        "m.t().view(12)",
        RE,
        r"view size is not compatible with input tensor's size and stride",
    ),
    ("reshape_numel", "m.reshape(7, -1)", RE, r"shape '\[7, -1\]' is invalid for input of size 12"),
    (
        "expand_mismatch",
        "m.expand(3, 5)",
        RE,
        r"The expanded size of the tensor \(5\) must match the existing size \(4\) at non-singleton dimension 1",
    ),
    (
        "expand_rank",
        "m.expand(4)",
        RE,
        r"the number of sizes provided \(1\) must be greater or equal to the number of dimensions in the tensor \(2\)",
    ),
    (
        "cat_sizes",
        "P.cat([m, P.ones(2, 3)])",
        RE,
        r"Sizes of tensors must match except in dimension 0. Expected size 4 but got size 3 for tensor number 1",
    ),
    ("cat_rank", "P.cat([m, v])", RE, r"Tensors must have same number of dimensions: got 2 and 1"),
    (
        "stack_sizes",
        "P.stack([v, v[:3]])",
        RE,
        r"stack expects each tensor to be equal size, but got \[6\] at entry 0 and \[3\] at entry 1",
    ),
    ("cat_empty", "P.cat([])", VE, r"expected a non-empty list of Tensors"),
    ("stack_empty", "P.stack([])", RE, r"stack expects a non-empty TensorList"),
    ("cat_tensor_not_list", "P.cat(m)", TE, r"must be tuple of Tensors, not Tensor"),
    (
        "cat_0d",
        "P.cat([s, s])",
        RE,
        r"zero-dimensional tensor \(at position 0\) cannot be concatenated",
    ),
    (
        "split_sizes",
        "m.split([1, 1])",
        RE,
        r"split_with_sizes expects split_sizes to sum exactly to 3",
    ),
    ("chunk_zero", "m.chunk(0)", RE, r"chunk expects `chunks` to be greater than 0, got: 0"),
    (
        "narrow_length",
        "m.narrow(0, 2, 3)",
        RE,
        r"start \(2\) \+ length \(3\) exceeds dimension size \(3\)",
    ),
    (
        "narrow_negative_length",
        "m.narrow(0, 0, -1)",
        RE,
        r"narrow\(\): length must be non-negative",
    ),
    ("flatten_order", "m.flatten(1, 0)", RE, r"start_dim cannot come after end_dim"),
    ("permute_duplicate", "m.permute(0, 0)", RE, r"duplicate dims are not allowed"),
    (
        "permute_length",
        "m.permute(0)",
        RE,
        r"does not match the length of the desired ordering of dimensions",
    ),
    (
        "t_3d",
        "P.zeros(2, 2, 2).t()",
        RE,
        r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D",
    ),
    (
        "as_strided_bounds",
        "m.as_strided((2, 2), (3, 1), 11)",
        RE,
        r"out of bounds for storage of size 48",
    ),
    # out-of-range dims and indices
    (
        "transpose_dim",
        "m.transpose(0, 2)",
        IE,
        r"Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)",
    ),
    ("squeeze_dim", "m.squeeze(3)", IE, r"Dimension out of range"),
    ("unsqueeze_dim", "m.unsqueeze(3)", IE, r"expected to be in range of \[-3, 2\], but got 3"),
    ("size_dim", "m.size(2)", IE, r"Dimension out of range"),
    ("stride_dim", "m.stride(-3)", IE, r"Dimension out of range"),
    ("select_index", "m.select(0, 5)", IE, r"index 5"),
    ("unbind_dim", "m.unbind(2)", IE, r"Dimension out of range"),
    ("unbind_0d", "s.unbind()", IE, r"Dimension specified as 0 but tensor has no dimensions"),
    ("cat_dim", "P.cat([m, m], 2)", IE, r"Dimension out of range"),
    ("stack_dim", "P.stack([v, v], 3)", IE, r"Dimension out of range"),
    (
        "narrow_start",
        "m.narrow(0, 5, 1)",
        IE,
        r"start out of range \(expected to be in range of \[-3, 3\], but got 5\)",
    ),
    ("getitem_index", "m[3]", IE, r"index 3 is out of bounds for dimension 0 with size 3"),
    ("getitem_too_many", "m[0, 0, 0]", IE, r"too many indices for tensor of dimension 2"),
    # wrong argument types
    ("add_str", "x + 'a'", TE, r"unsupported operand type"),
    ("add_none", "x + None", TE, r"unsupported operand type"),
    ("add_list", "x + [1, 2, 3]", TE, r"unsupported operand type"),
    ("exp_str", "P.exp('a')", TE, r"exp\(\)"),
    ("exp_list", "P.exp([1.0])", TE, r"exp\(\)"),
    ("add_fn_str", "P.add(x, 'a')", TE, r"add\(\)"),
    ("ones_str", "P.ones('a')", TE, r"ones\(\): argument 'size'"),
    ("ones_float", "P.ones(2.5)", TE, r"ones\(\): argument 'size'"),
    ("zeros_dtype_str", "P.zeros((2, 3), dtype='float32')", TE, r""),
    ("full_list_value", "P.full((2,), [1, 2])", TE, r"full\(\)"),
    ("permute_float", "x.permute(0.5)", TE, r"permute\(\)"),
    ("transpose_float", "x.transpose(0, 0.5)", TE, r"transpose\(\)"),
    ("unsqueeze_float", "x.unsqueeze(1.5)", TE, r"unsqueeze\(\)"),
    ("view_str", "x.view('a')", TE, r"view\(\)"),
    ("copy_list", "x.copy_([1, 2, 3])", TE, r"copy_\(\): argument"),
    ("fill_str", "x.fill_('a')", TE, r"fill_\(\)"),
    ("promote_types_int", "P.promote_types(P.float32, 5)", TE, r"promote_types\(\)"),
    ("tensor_dtype_int", "P.tensor([1, 2], dtype=5)", TE, r"argument 'dtype' must be"),
    ("tensor_str", "P.tensor('abc')", TE, r"new\(\): invalid data type 'str'"),
    ("tensor_mixed_str", "P.tensor([1, 'a'])", TE, r"new\(\): invalid data type 'str'"),
    ("from_numpy_list", "P.from_numpy([1, 2])", TE, r""),
    (
        "from_numpy_float16",
        "P.from_numpy(np.zeros(3, dtype=np.float16))",
        TE,
        r"can't convert np.ndarray of type numpy.float16",
        "pytensor-only",
    ),
    (
        "from_numpy_complex",
        "P.from_numpy(np.zeros(3, dtype=np.complex64))",
        TE,
        r"can't convert np.ndarray of type numpy.complex64",
        "pytensor-only",
    ),
    ("invert_float", "~x", TE, r"only implemented on integer and Boolean-type tensors"),
    ("len_0d", "len(s)", TE, r"len\(\) of a 0-d tensor"),
    ("iter_0d", "iter(s)", TE, r"iteration over a 0-d tensor"),
    (
        "default_dtype_int",
        "P.set_default_dtype(P.int64)",
        TE,
        r"only floating-point types are supported as the default type",
    ),
    # ValueError where torch uses it
    (
        "float_of_many",
        "float(m)",
        VE,
        r"only one element tensors can be converted to Python scalars",
    ),
    ("int_of_many", "int(m)", VE, r"only one element tensors can be converted to Python scalars"),
    (
        "from_numpy_negative_strides",
        "P.from_numpy(np.arange(5)[::-1])",
        VE,
        r"At least one stride in the given numpy array is negative",
    ),
    (
        "from_numpy_byte_order",
        "P.from_numpy(np.zeros(3, dtype='>f4'))",
        VE,
        r"byte order different from the native byte order",
    ),
    ("tensor_ragged", "P.tensor([[1, 2], [3]])", VE, r"sequence"),
    (
        "arange_int64_zero_step",
        "P.arange(0.0, 1.0, 0.1, dtype=P.int64)",
        VE,
        r"step must be nonzero",
    ),
    # value and dtype errors
    ("floordiv_zero", "v // 0", RE, r"ZeroDivisionError"),
    ("mod_zero", "v % 0", RE, r"ZeroDivisionError"),
    ("fmod_zero", "P.fmod(v, 0)", RE, r"ZeroDivisionError"),
    (
        "floordiv_zero_inplace",
        "v.floor_divide_(P.tensor([1, 0, 1, 1, 1, 1]))",
        RE,
        r"ZeroDivisionError",
    ),
    ("int_negative_pow", "v ** -1", RE, r"Integers to negative integer powers are not allowed"),
    (
        "inplace_float_into_int",
        "v.add_(1.5)",
        RE,
        r"result type Float can't be cast to the desired output type Long",
    ),
    (
        "inplace_div_int",
        "v.div_(2)",
        RE,
        r"result type Float can't be cast to the desired output type Long",
    ),
    (
        "inplace_exp_int",
        "v.exp_()",
        RE,
        r"result type Float can't be cast to the desired output type Long",
    ),
    (
        "inplace_clamp_float_into_int",
        "i.clamp_(0.5, 2.5)",
        RE,
        r"result type Float can't be cast to the desired output type Long",
    ),
    (
        "bool_sub",
        "b - b",
        RE,
        r"Subtraction, the `-` operator, with two bool tensors is not supported",
    ),
    ("bool_sub_inplace", "b.sub_(b)", RE, r"Subtraction, the `-` operator, with two bool tensors"),
    (
        "int_sub_bool",
        "i - P.tensor([True, False, True])",
        RE,
        r"Subtraction, the `-` operator, with a bool tensor is not supported",
    ),
    ("bool_neg", "-b", RE, r"Negation, the `-` operator, on a bool tensor is not supported"),
    ("bool_relu", "b.relu()", RE, r"Boolean inputs not supported for relu"),
    (
        "where_int_condition",
        "P.where(i, x, x)",
        RE,
        r"where expected condition to be a boolean tensor, but got a tensor with dtype Long",
    ),
    ("clamp_no_bounds", "P.clamp(x)", RE, r"At least one of 'min' or 'max' must not be None"),
    ("item_of_many", "m.item()", RE, r"a Tensor with 12 elements cannot be converted to Scalar"),
    (
        "bool_of_many",
        "bool(m)",
        RE,
        r"Boolean value of Tensor with more than one value is ambiguous",
    ),
    (
        "bool_of_empty",
        "bool(P.tensor([]))",
        RE,
        r"Boolean value of Tensor with no values is ambiguous",
    ),
    ("zeros_negative", "P.zeros(-1)", RE, r"negative"),
    ("empty_negative", "P.empty((2, -1))", RE, r"negative dimension -1"),
    ("resize_negative", "x.resize_(-1)", RE, r""),
    ("arange_zero_step", "P.arange(0, 10, 0)", RE, r"step must be nonzero"),
    (
        "arange_sign",
        "P.arange(10, 0, 1)",
        RE,
        r"upper bound and lower bound inconsistent with step sign",
    ),
    ("arange_inf", "P.arange(0, float('inf'))", RE, r"unsupported range: 0 -> inf"),
    ("linspace_negative", "P.linspace(0, 1, -1)", RE, r"number of steps must be non-negative"),
    ("eye_negative", "P.eye(-1)", RE, r"n must be greater or equal to 0, got -1"),
    ("eye_negative_m", "P.eye(2, -1)", RE, r"m must be greater or equal to 0, got -1"),
    (
        "write_to_expanded",
        "P.ones(2).expand(3, 2).add_(1)",
        RE,
        r"more than one element of the written-to tensor refers to a single memory location",
    ),
    ("tensor_object", "P.tensor(object())", RE, r"Could not infer dtype of object"),
    (
        "numpy_requires_grad",
        "P.ones(2, requires_grad=True).numpy()",
        RE,
        r"Can't call numpy\(\) on Tensor that requires grad",
    ),
    (
        "requires_grad_int",
        "v.requires_grad_()",
        RE,
        r"only Tensors of floating point dtype can require gradients",
    ),
    (
        "fill_with_1d",
        "x.fill_(P.ones(2))",
        RE,
        r"fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions",
    ),
    (
        "div_rounding_mode",
        "P.div(v, 2, rounding_mode='bad')",
        RE,
        r"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'bad'",
    ),
    ("device_unknown", "P.device('tpu')", RE, r"Expected one of cpu, cuda"),
    ("bitwise_float", "x.bitwise_and(x)", NI, r"\"bitwise_and_cpu\" not implemented for 'Float'"),
    ("abs_bool", "b.abs()", NI, r"\"abs_cpu\" not implemented for 'Bool'"),
    ("floor_bool", "b.floor()", NI, r"\"floor_vml_cpu\" not implemented for 'Bool'"),
    (
        "floor_divide_bool",
        "P.floor_divide(b, b)",
        NI,
        r"\"div_floor_cpu\" not implemented for 'Bool'",
    ),
    ("pow_bool", "b ** b", NI, r"\"pow\" not implemented for 'Bool'"),
]
assert len(CASES) >= 40 and len({c[0] for c in CASES}) == len(CASES)

# The child runs cases given on stdin and prints one JSON line per case as soon as it is done.
CHILD = r"""
import json, sys
import numpy as np
import pytensor as P
SETUP, cases = json.loads(sys.stdin.read())
def snapshot(env):
    return {k: (str(t.dtype), tuple(t.shape), t.stride(), t.tolist())
            for k, t in env.items() if isinstance(t, P.Tensor)}
for cid, code in cases:
    env = {"P": P, "np": np}
    exec(SETUP, env)
    before = snapshot(env)
    try:
        exec(code, env)
        res = {"id": cid, "exc": None}
    except BaseException as e:
        res = {"id": cid, "exc": type(e).__name__, "msg": str(e)}
    res["unchanged"] = snapshot(env) == before
    print(json.dumps(res), flush=True)
"""


def _run_child(cases: list) -> tuple:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD],
        input=json.dumps([SETUP, cases]),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(Path(__file__).resolve().parent),
    )
    results = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            results[r["id"]] = r
    return proc.returncode, results, proc.stderr


@pytest.fixture(scope="module")
def child_results() -> dict:
    """Results of every case, run out of process; a case that kills its child is marked crashed."""
    cases = [[c[0], c[1]] for c in CASES]
    rc, results, _ = _run_child(cases)
    if rc != 0:
        for cid, code in cases:
            if cid not in results:
                rc1, one, err = _run_child([[cid, code]])
                results[cid] = one.get(cid) or {"id": cid, "crash": rc1, "stderr": err[-2000:]}
    return results


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_invalid_call_raises_torch_class_and_leaves_inputs(case, child_results):
    cid, code, exc, pattern = case[:4]
    r = child_results[cid]
    assert "crash" not in r, (
        f"{code!r} crashed the interpreter (exit {r.get('crash')}): {r.get('stderr')}"
    )
    assert r["exc"] == exc, f"{code!r} raised {r['exc']}: {r.get('msg')} (torch raises {exc})"
    assert re.search(pattern, r["msg"]), f"{code!r}: message {r['msg']!r} lacks {pattern!r}"
    assert r["unchanged"], f"{code!r} modified its inputs before raising"


def test_all_cases_in_one_child_exit_cleanly(child_results):
    # The one-child run must have reported every case: a crash anywhere shows up here too.
    rc, results, err = _run_child([[c[0], c[1]] for c in CASES])
    assert rc == 0, err[-2000:]
    assert set(results) == {c[0] for c in CASES}


@pytest.mark.parametrize(
    "case", [c for c in CASES if len(c) < 5], ids=[c[0] for c in CASES if len(c) < 5]
)
def test_torch_raises_the_same_class(case, torch):
    import numpy as np

    cid, code, exc = case[:3]
    env = {"P": torch, "np": np}
    exec(SETUP, env)
    with pytest.raises(BaseException) as info:
        exec(code, env)
    assert type(info.value).__name__ == exc, (
        f"torch raised {type(info.value).__name__}: {info.value}"
    )
