"""Type aliases shared across the package."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, Literal, TypeAlias

import numpy as np

ArrayLike: TypeAlias = Any
"""Anything the containers layer accepts: numpy, scipy.sparse, pandas, polars, lists."""

Target: TypeAlias = Any
"""Class labels: a 1-D array, list, pandas or polars Series, or a one-hot indicator."""

Label: TypeAlias = Hashable
"""One class label."""

Estimator: TypeAlias = Any
"""A scikit-learn estimator or sampler, duck-typed (``fit``, ``predict``, ``fit_resample``...):
scikit-learn ships no types to check one against."""

RandomState: TypeAlias = int | np.random.RandomState | np.random.Generator | None
"""A seed, a numpy ``RandomState`` or ``Generator``, or None (scikit-learn's ``random_state``)."""
SamplingStrategy: TypeAlias = (
    float | str | Mapping[Any, int] | Callable[[np.ndarray], Mapping[Any, int]]
)
SamplingKind: TypeAlias = Literal["over", "under", "clean"]
Reduction: TypeAlias = Literal["none", "mean", "sum"]
Backend: TypeAlias = Literal["auto", "exact", "approximate", "torch"]
"""A backend of the neighbour engine (:mod:`imbalance.neighbors`)."""
