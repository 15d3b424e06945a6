"""Under-samplers: remove rows from the classes that have too many."""

from ._random import RandomUnderSampler

__all__ = ["RandomUnderSampler"]
