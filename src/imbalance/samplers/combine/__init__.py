"""Combinations: an over-sampler followed by a cleaning sampler, composed (not subclassed)."""

from ._smote_enn import SMOTEENN
from ._smote_tomek import SMOTETomek

__all__ = ["SMOTEENN", "SMOTETomek"]
