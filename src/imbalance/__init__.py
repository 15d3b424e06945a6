"""imbalance: learning from imbalanced data, from a DataFrame to a PyTorch training loop.

Subpackages are imported on first use (PEP 562), so ``import imbalance`` stays light and never
imports an optional extra (torch, dask, pyspark, rich, matplotlib).
"""

from __future__ import annotations

import importlib
from typing import Any

from ._version import __version__

_SUBMODULES = frozenset(
    {
        "auto",
        "base",
        "batches",
        "calibration",
        "cli",
        "dask",
        "ensemble",
        "datasets",
        "exceptions",
        "metrics",
        "model_selection",
        "multilabel",
        "neighbors",
        "pipeline",
        "regression",
        "report",
        "samplers",
        "spark",
        "thresholds",
        "torch",
        "utils",
        "weights",
    }
)

__all__ = ["__version__", *sorted(_SUBMODULES)]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"imbalance.{name}")
    raise AttributeError(f"module 'imbalance' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
