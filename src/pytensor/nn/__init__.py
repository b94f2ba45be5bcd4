"""Neural-network building blocks with torch.nn's names and behaviour: ``Module``,
``Parameter``, layers, containers, activations, losses, ``functional`` and ``init``."""

from .parameter import Buffer, Parameter
from . import functional, init
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _modules_all

__all__ = ["Buffer", "Parameter", "functional", "init"] + list(_modules_all)
