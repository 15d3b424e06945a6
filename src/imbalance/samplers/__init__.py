"""Samplers: ``fit_resample(X, y) -> (X_res, y_res)`` in the caller's own containers."""

from .over import RandomOverSampler
from .under import RandomUnderSampler

__all__ = ["RandomOverSampler", "RandomUnderSampler"]
