"""Data sets: make an imbalanced set from a balanced one (bundled real data sets come later)."""

from ._make_imbalance import make_imbalance

__all__ = ["make_imbalance"]
