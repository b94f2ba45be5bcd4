"""Utilities (torch.utils): ``pytensor.utils.data``."""

from . import data

__all__ = ["data"]
