"""Spark extra: exact-count resampling, weights and SMOTE on ``pyspark.sql.DataFrame``.

Needs ``pip install "imbalance[spark]"``. Samplers take a DataFrame and the name of its label
column, ``fit_resample(df, "label") -> (df_resampled, df_resampled.select("label"))``, run one
job (a ``groupBy`` counting the labels of each partition) and return lazy DataFrames with
exactly ``target_counts_`` rows per class. Row keys are Spark SQL's ``xxhash64(seed, id)``,
which the Dask samplers' kernels (:mod:`imbalance._partitioned`) compute in numpy, so for an
int ``random_state`` and the same row ids they draw the same rows as :mod:`imbalance.dask`.
Under-sampling without replacement runs in Spark SQL alone; the other draws run the kernels in
``mapInPandas`` / pandas UDFs.
"""

from __future__ import annotations

try:
    import pyspark.sql as _sql  # noqa: F401
except ImportError as exc:
    from ..exceptions import MissingDependencyError

    raise MissingDependencyError(
        'imbalance.spark requires PySpark; install it with pip install "imbalance[spark]"'
    ) from exc

from ._random import RandomOverSampler, RandomUnderSampler
from ._smote import SMOTE
from ._splits import ResampledEstimator, resampled_split
from ._weights import class_counts, class_weights, sample_weights

__all__ = [
    "SMOTE",
    "RandomOverSampler",
    "RandomUnderSampler",
    "ResampledEstimator",
    "class_counts",
    "class_weights",
    "resampled_split",
    "sample_weights",
]
