"""The Dask samplers' hooks on the one ``fit_resample`` shell.

A Dask sampler differs from an in-memory one in three hooks: its data check wraps the
collections (:func:`~._collections.as_partitioned`) and counts each class in each partition in
one pass; its randomness is one seed (``seed_``) that keys hash draws, so the same rows come
out whatever the partitioning; and its algorithm returns the lazy output collections
themselves. Targets are resolved by the same function as in memory, on exact counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._partitioned._select import PartitionedTarget, resolve_seed
from .._typing import ArrayLike, Target
from ..base import BaseSampler
from ._collections import Partitioned, as_partitioned, count_pass

__all__ = ["PartitionedSampler", "PartitionedTarget"]


class PartitionedSampler(BaseSampler):
    """Base of the Dask samplers: ``_fit_resample(data, target, rng)`` returns the lazy
    ``(X_resampled, y_resampled)``; ``self.seed_`` keys its draws."""

    def _check_data(self, X: ArrayLike, y: Target) -> tuple[Any, Any, int, Any]:
        row_id = self.get_params().get("row_id")
        data = as_partitioned(X, y, row_id, type(self).__name__)
        classes, counts = count_pass(data)
        n_features = len(data.features) if data.frame else int(data.X.shape[1])
        return data, y, n_features, PartitionedTarget(classes, counts, data.y)

    def _record_input(self, X: Partitioned, n_features: int, target: PartitionedTarget) -> None:
        self.classes_ = np.asarray(target.classes)
        self.class_counts_ = target.class_counts
        self.n_features_in_ = n_features
        if X.frame and all(isinstance(c, str) for c in X.features):
            self.feature_names_in_ = np.asarray(X.features, dtype=object)
        else:
            self.__dict__.pop("feature_names_in_", None)

    def _generator(self) -> np.random.Generator:
        self.seed_ = resolve_seed(self.get_params()["random_state"])
        return np.random.default_rng(self.seed_)

    def _assemble(
        self, X: ArrayLike, y: Target, target: PartitionedTarget, out: tuple[Any, Any]
    ) -> tuple[Any, Any]:
        return out[0], out[1]
