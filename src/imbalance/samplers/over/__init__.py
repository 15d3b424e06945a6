"""Over-samplers: add rows to the classes that need them."""

from ._random import RandomOverSampler

__all__ = ["RandomOverSampler"]
