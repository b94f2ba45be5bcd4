"""Autograd cases: the tutorial network's training step (3 -> 2 -> 1 with sigmoids, MSE loss and an
SGD step written by hand), and the cost of recording and walking small-tensor graph nodes.

Per-node cost = (time of the recorded case - time of the same ops under no_grad) / nodes; the
"no_grad" cases are here to make that subtraction from one table."""

from __future__ import annotations

import numpy as np
from registry import Lib, Skip, case

_RNG = np.random.default_rng(7)
_TUTORIAL = [
    _RNG.standard_normal(s).astype(np.float32)
    for s in [(1, 3), (1, 1), (3, 2), (1, 2), (2, 1), (1, 1)]
]
CHAIN = 100  # ops per chain case


def _torchlike(lib: Lib) -> None:
    if lib.name == "numpy":
        raise Skip("numpy has no autograd")


@case("tutorial net 3-2-1 train step (hand-written MSE + SGD)", group="autograd")
def _tutorial_step(lib: Lib):
    _torchlike(lib)
    t = lib.mod
    x, y, W1, B1, W2, B2 = [t.from_numpy(a.copy()) for a in _TUTORIAL]
    params = [W1, B1, W2, B2]
    for p in params:
        p.requires_grad_()

    def step():
        h = t.sigmoid(t.mm(x, W1) + B1)
        out = t.sigmoid(t.mm(h, W2) + B2)
        loss = ((out - y) ** 2).mean()
        loss.backward()
        with t.no_grad():
            for p in params:
                p -= 0.01 * p.grad
                p.grad = None

    return step


def _chain_case(recorded: bool, backward: bool) -> None:
    label = "record+backward" if backward else ("record" if recorded else "no_grad")

    @case(f"chain of {CHAIN} muls on 4 floats, {label}", group="autograd")
    def build(lib: Lib):
        _torchlike(lib)
        t = lib.mod
        x = t.ones(4).requires_grad_(recorded)
        c = t.full((4,), 1.0001)  # a tensor operand: Python numbers cost extra in the binding

        def chain():
            y = x
            for _ in range(CHAIN):
                y = y * c
            return y.sum()

        if backward:
            return lambda: chain().backward()
        return chain


for _rec, _bw in ((False, False), (True, False), (True, True)):
    _chain_case(_rec, _bw)
