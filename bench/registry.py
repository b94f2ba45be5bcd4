"""The benchmark case registry: a case is a name plus a builder that, given a library, returns a
zero-argument function to time (setup stays outside the timing).

Add cases from any ``bench/cases_*.py`` module (``run.py`` imports them all)::

    from registry import Skip, case, require

    @case("randn 1M", group="random")
    def _randn(lib):
        if lib.name == "numpy":
            rng = np.random.default_rng(0)
            return lambda: rng.standard_normal(1_000_000, dtype=np.float32)
        require(lib, "randn")            # skips cleanly while pytensor lacks it
        return lambda: lib.mod.randn(1_000_000)

A builder raises ``Skip(reason)`` when the library has no equivalent; any other exception while
building or on the first call is reported in the table as an error for that library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, List, Optional


class Skip(Exception):
    """Raised by a builder: this library has no such operation (yet)."""


@dataclass(frozen=True)
class Lib:
    """A library under test: ``name`` is "pytensor", "numpy" or "torch"; ``mod`` its module."""

    name: str
    mod: ModuleType

    @property
    def torchlike(self) -> bool:
        """pytensor and torch share one API, so most builders treat them alike."""
        return self.name != "numpy"


Builder = Callable[[Lib], Callable[[], Any]]


@dataclass
class Case:
    name: str
    build: Builder
    group: str = ""
    flops: Optional[float] = None  # floating-point operations per call, to report GFLOP/s
    tags: List[str] = field(default_factory=list)


CASES: List[Case] = []


def case(name: str, *, group: str = "", flops: Optional[float] = None) -> Callable[[Builder], Builder]:
    """Registers the decorated builder as a benchmark case."""

    def register(build: Builder) -> Builder:
        add(Case(name, build, group, flops))
        return build

    return register


def add(c: Case) -> None:
    if any(existing.name == c.name for existing in CASES):
        raise ValueError(f"duplicate benchmark case {c.name!r}")
    CASES.append(c)


def require(lib: Lib, *names: str) -> None:
    """Skips unless every dotted name (``"sum"``, ``"Tensor.sum"``, ``"nn.Linear"``) exists."""
    for name in names:
        obj: Any = lib.mod
        for part in name.split("."):
            if not hasattr(obj, part):
                raise Skip(f"{lib.name} has no {name}")
            obj = getattr(obj, part)
