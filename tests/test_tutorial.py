"""Replays every code cell of the tutorial (../shared/tutorial/part1_tensors.txt) with
``pytensor`` as ``torch`` and compares the printed text exactly (``pytensor.`` for ``torch.``).

Cells are run as a notebook runs them: in order, in one namespace, displaying the value of a
final expression unless the cell ends with ``;``. Cells that need random numbers, ``mm`` or
``sum`` skip while pytensor lacks them. The notebook's ``np.random.rand(4, 3)`` is replaced by
the values the tutorial printed (to 8 decimals), so the last cell, which shows ``a`` after
doubling, is compared to that precision.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import numpy as np
import pytest

import pytensor

TUTORIAL = Path(__file__).resolve().parents[2] / "shared" / "tutorial" / "part1_tensors.txt"

# (name, code, expected output, needs)
CELLS = [
    (
        "activation",
        '''import torch  # PyTorch
def activation(x):
    """ Sigmoid activation function

        Arguments
        ---------
        x: torch.Tensor
    """
    return 1/(1+torch.exp(-x))''',
        "",
        (),
    ),
    (
        "random_features",
        """torch.manual_seed(7)

features = torch.randn((1, 5))
weights = torch.randn_like(features)
bias = torch.randn((1, 1))
print_dict = [('features', features),
              ('weights', weights),
              ('bias', bias)]
[print(name+':\\n\\t'+str(tensor.shape)+'\\n\\t'+str(tensor)) for name, tensor in print_dict];""",
        """features:
    torch.Size([1, 5])
    tensor([[-0.1468,  0.7861,  0.9468, -1.1143,  1.6908]])
weights:
    torch.Size([1, 5])
    tensor([[-0.8948, -0.3556,  1.2324,  0.1382, -1.6822]])
bias:
    torch.Size([1, 1])
    tensor([[0.3177]])
""",
        ("random",),
    ),
    (
        "sum_output",
        """output_layer_input = (features * weights).sum() + bias
output = activation(output_layer_input)
print_dict = [('output_layer_input', output_layer_input),
              ('output', output)]
[print(name+':\\n\\t'+str(tensor.shape)+'\\n\\t'+str(tensor)) for name, tensor in print_dict];""",
        """output_layer_input:
    torch.Size([1, 1])
    tensor([[-1.6619]])
output:
    torch.Size([1, 1])
    tensor([[0.1595]])
""",
        ("random", "sum"),
    ),
    ("mm_error", """torch.mm(features, weights)""", RuntimeError, ("random", "mm")),
    (
        "mm_output",
        """output_layer_input = torch.mm(features, weights.view(5,1)).sum() + bias
output = activation(output_layer_input)
print_dict = [('output', output)]
[print(name+':\\n\\t'+str(tensor.shape)+'\\n\\t'+str(tensor)) for name, tensor in print_dict];""",
        """output:
    torch.Size([1, 1])
    tensor([[0.1595]])
""",
        ("random", "mm", "sum"),
    ),
    (
        "network_weights",
        """torch.manual_seed(7)

features = torch.randn((1, 3))
n_input = features.shape[1]     # Number of input units, matches number of input features
n_hidden = 2                    # Number of hidden units
n_output = 1                    # Number of output units

W1 = torch.randn(n_input, n_hidden)  # Weights for inputs to hidden layer
W2 = torch.randn(n_hidden, n_output) # Weights for hidden layer to output layer

B1 = torch.randn((1, n_hidden)) # Bias terms for hidden and output layers
B2 = torch.randn((1, n_output))
print_dict = [('features', features),
              ('W1', W1),
              ('W2', W2),
              ('B1', B1),
              ('B1', B2)]
[print(name+':\\n\\t'+str(tensor.shape)+'\\n\\t'+str(tensor)) for name, tensor in print_dict];""",
        """features:
    torch.Size([1, 3])
    tensor([[-0.1468,  0.7861,  0.9468]])
W1:
    torch.Size([3, 2])
    tensor([[-1.1143,  1.6908],
        [-0.8948, -0.3556],
        [ 1.2324,  0.1382]])
W2:
    torch.Size([2, 1])
    tensor([[-1.6822],
        [ 0.3177]])
B1:
    torch.Size([1, 2])
    tensor([[0.1328, 0.1373]])
B1:
    torch.Size([1, 1])
    tensor([[0.2405]])
""",
        ("random",),
    ),
    (
        "network_output",
        """hidden = activation(torch.mm(features, W1) + B1)
output = activation(torch.mm(hidden, W2) + B2)
print_dict = [('hidden', hidden),
              ('output', output)]
[print(name+':\\n\\t'+str(tensor.shape)+'\\n\\t'+str(tensor)) for name, tensor in print_dict];""",
        """hidden:
    torch.Size([1, 2])
    tensor([[0.6813, 0.4355]])
output:
    torch.Size([1, 1])
    tensor([[0.3171]])
""",
        ("random", "mm"),
    ),
    (
        "numpy_array",
        """import numpy as np
a = np.array([[0.97449152, 0.68652824, 0.51496251],
              [0.46857383, 0.2098441 , 0.58842778],
              [0.76876154, 0.35381711, 0.12912342],
              [0.69358891, 0.89462071, 0.86406838]])  # the tutorial's np.random.rand(4,3)
a""",
        """array([[0.97449152, 0.68652824, 0.51496251],
       [0.46857383, 0.2098441 , 0.58842778],
       [0.76876154, 0.35381711, 0.12912342],
       [0.69358891, 0.89462071, 0.86406838]])
""",
        (),
    ),
    (
        "from_numpy",
        """b = torch.from_numpy(a)
b""",
        """tensor([[0.9745, 0.6865, 0.5150],
        [0.4686, 0.2098, 0.5884],
        [0.7688, 0.3538, 0.1291],
        [0.6936, 0.8946, 0.8641]], dtype=torch.float64)
""",
        (),
    ),
    (
        "to_numpy",
        """b.numpy()""",
        """array([[0.97449152, 0.68652824, 0.51496251],
       [0.46857383, 0.2098441 , 0.58842778],
       [0.76876154, 0.35381711, 0.12912342],
       [0.69358891, 0.89462071, 0.86406838]])
""",
        (),
    ),
    (
        "mul_inplace",
        """# Multiply PyTorch Tensor by 2, in place
b.mul_(2)""",
        """tensor([[1.9490, 1.3731, 1.0299],
        [0.9371, 0.4197, 1.1769],
        [1.5375, 0.7076, 0.2582],
        [1.3872, 1.7892, 1.7281]], dtype=torch.float64)
""",
        (),
    ),
    (
        "array_changed",
        """# Numpy array matches new values from Tensor
a""",
        """array([[1.94898303, 1.37305649, 1.02992502],
       [0.93714766, 0.4196882 , 1.17685556],
       [1.53752308, 0.70763422, 0.25824684],
       [1.38717781, 1.78924142, 1.72813676]])
""",
        (),
    ),
]
CELL_NAMES = [c[0] for c in CELLS]


def _missing(needs: tuple) -> list:
    have = {
        "random": hasattr(pytensor, "manual_seed")
        and hasattr(pytensor, "randn")
        and hasattr(pytensor, "randn_like"),
        "mm": hasattr(pytensor, "mm"),
        "sum": hasattr(pytensor.Tensor, "sum"),
    }
    return [n for n in needs if not have[n]]


def _run_cell(code: str, ns: dict) -> str:
    """Runs a cell as a notebook does; returns what it printed and displayed."""
    code = code.replace("import torch  # PyTorch", "")
    tree = ast.parse(code)
    display = tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        if display:
            last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, "<cell>", "exec"), ns)
            print(repr(eval(compile(last, "<cell>", "eval"), ns)))
        else:
            exec(compile(tree, "<cell>", "exec"), ns)
    return out.getvalue().replace("\t", "    ")  # the tutorial's text renders tabs as 4 spaces


def _expected(text: str) -> str:
    return text.replace("torch.", "pytensor.")


@pytest.mark.parametrize("index", range(len(CELLS)), ids=CELL_NAMES)
def test_tutorial_cell(index):
    missing = _missing(CELLS[index][3])  # a cell's needs include those of the cells it builds on
    if missing:
        pytest.skip(f"pytensor has no {', '.join(missing)} yet")
    ns = {"torch": pytensor}
    for _, code, expected, needs in CELLS[:index]:  # earlier cells set up the namespace
        if _missing(needs):
            continue
        with (
            contextlib.suppress(RuntimeError)
            if expected is RuntimeError
            else contextlib.nullcontext()
        ):
            _run_cell(code, ns)
    name, code, expected, _ = CELLS[index]
    if expected is RuntimeError:
        with pytest.raises(
            RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(1x5 and 1x5\)"
        ):
            _run_cell(code, ns)
        return
    got = _run_cell(code, ns)
    if name == "array_changed":
        # `a` was rebuilt from 8 printed decimals, so doubling it may differ in the 8th decimal.
        numbers = [float(v) for v in re.findall(r"\d+\.\d+", got)]
        want = [float(v) for v in re.findall(r"\d+\.\d+", expected)]
        assert got.startswith("array([[") and len(numbers) == len(want) == 12
        np.testing.assert_allclose(numbers, want, atol=2e-8)
        return
    assert got == _expected(expected)


def test_activation_is_the_sigmoid():
    ns = {"torch": pytensor}
    _run_cell(CELLS[0][1], ns)
    x = pytensor.tensor([-2.0, 0.0, 3.0])
    got = ns["activation"](x)
    assert got.dtype == pytensor.float32
    np.testing.assert_allclose(
        np.asarray(got), 1 / (1 + np.exp(-np.array([-2.0, 0.0, 3.0]))), rtol=1e-6
    )


def test_tutorial_shapes_methods_as_described():
    # The tutorial's reshape / resize_ / view paragraph, on weights of shape (1, 5).
    weights = pytensor.tensor([[-0.8948, -0.3556, 1.2324, 0.1382, -1.6822]])
    assert weights.shape == pytensor.Size([1, 5])
    v = weights.view(5, 1)
    assert v.shape == (5, 1) and v.data_ptr() == weights.data_ptr()
    r = weights.reshape(5, 1)
    assert r.shape == (5, 1) and r.data_ptr() == weights.data_ptr()
    assert weights.resize_(2, 2) is weights and weights.shape == (2, 2)  # fewer: elements dropped
    assert weights.resize_(1, 5).tolist()[0][4] == pytest.approx(-1.6822)  # ... but not from memory
    weights.resize_(3, 3)  # more: the tail is uninitialized
    assert weights.shape == (3, 3)


@pytest.mark.skipif(not TUTORIAL.is_file(), reason="tutorial text not found")
def test_cells_are_the_tutorials():
    """The code and outputs above are copied from the tutorial (tabs and `;` spacing aside)."""
    text = re.sub(r"[ \t]+", " ", TUTORIAL.read_text())
    for name, code, expected, _ in CELLS:
        for line in code.splitlines():
            line = re.sub(r"[ \t]+", " ", line).strip()
            if (
                line
                and "np.array" not in line
                and not line.startswith(("[0.", "a = np"))
                and "tutorial's np.random" not in line
            ):
                assert line in text, (name, line)
        if isinstance(expected, str):
            for line in expected.splitlines():
                assert re.sub(r"[ \t]+", " ", line).strip() in text, (name, line)
