"""The Spark samplers' hooks on the one ``fit_resample`` shell.

As for Dask (:class:`imbalance.dask._base.PartitionedSampler`), three hooks differ from the
in-memory samplers: the data check reads the schema and runs the one counting pass (label
counts per partition, a small ``groupBy``); randomness is one seed (``seed_``) that keys hash
draws, so the rows drawn depend on the seed and the row ids only; and the algorithm returns
the lazy output DataFrames. Targets are resolved by the same function as in memory.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._partitioned._select import PartitionedTarget, resolve_seed
from .._typing import ArrayLike, Target
from ..base import BaseSampler
from ._frames import SparkData, as_spark_data, count_pass

__all__ = ["SparkSampler"]


class SparkSampler(BaseSampler):
    """Base of the Spark samplers: ``_fit_resample(data, target, rng)`` returns the lazy
    ``(X_resampled, y_resampled)``; ``self.seed_`` keys its draws."""

    def _check_data(self, X: ArrayLike, y: Target) -> tuple[Any, Any, int, Any]:
        row_id = self.get_params().get("row_id")
        df, label = as_spark_data(X, y, row_id, type(self).__name__)
        classes, counts, offsets = count_pass(df, label)
        data = SparkData(df, label, row_id, offsets)
        target = PartitionedTarget(classes, counts, df.select(label))
        return data, y, len(data.features), target

    def _record_input(self, X: SparkData, n_features: int, target: PartitionedTarget) -> None:
        self.classes_ = np.asarray(target.classes)
        self.class_counts_ = target.class_counts
        self.n_features_in_ = n_features
        self.feature_names_in_ = np.asarray(X.features, dtype=object)

    def _generator(self) -> np.random.Generator:
        self.seed_ = resolve_seed(self.get_params()["random_state"])
        return np.random.default_rng(self.seed_)

    def _assemble(
        self, X: ArrayLike, y: Target, target: PartitionedTarget, out: tuple[Any, Any]
    ) -> tuple[Any, Any]:
        return out[0], out[1]
