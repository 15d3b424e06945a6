"""Dask extra: exact-count resampling, weights and SMOTE on partitioned data.

Needs ``pip install "imbalance[dask]"``. Everything here takes Dask DataFrames (with the labels
as a dask Series or as the name of a column) or Dask Arrays, and returns lazy Dask collections;
only small per-partition summaries ever reach the driver.

Samplers are classes with ``fit_resample(X, y) -> (X_res, y_res)``, named and parametrised as
their in-memory counterparts in :mod:`imbalance.samplers`, so that switching is a change of
import: the resampling step's configuration is data (constructor parameters that scikit-learn
can ``clone`` and grid-search), and what a run learnt (``class_counts_``, ``target_counts_``,
``partition_counts_``, ``seed_``, the lazy ``sample_indices_``) lives on the fitted object, where
a ``resample(...)`` function would have had to return a growing tuple. Weights, which learn
nothing beyond the counts, are functions like those of :mod:`imbalance.weights`.

The per-partition work is plain numpy/pandas (``imbalance.dask._kernels``) and the driver's
part is small functions on the summaries (``imbalance.dask._plan``); neither imports Dask.
"""

from __future__ import annotations

try:
    import dask as _dask  # noqa: F401
    import dask.array as _da  # noqa: F401
    import dask.dataframe as _dd  # noqa: F401
except ImportError as exc:
    from ..exceptions import MissingDependencyError

    raise MissingDependencyError(
        'imbalance.dask requires Dask; install it with pip install "imbalance[dask]"'
    ) from exc

from ._partitions import iter_partitions
from ._random import RandomOverSampler, RandomUnderSampler
from ._smote import SMOTE
from ._weights import class_counts, class_weights, sample_weights, strategy_weights

__all__ = [
    "SMOTE",
    "RandomOverSampler",
    "RandomUnderSampler",
    "class_counts",
    "class_weights",
    "iter_partitions",
    "sample_weights",
    "strategy_weights",
]
