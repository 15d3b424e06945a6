"""Multi-label imbalance: measures, stratified splits, resampling and weights.

Every function and sampler takes the multi-label target ``Y`` as a 0/1 (or boolean) indicator
of shape ``(n_samples, n_labels)`` (numpy, scipy.sparse, pandas or polars DataFrame, list of 0/1
lists) or as one collection of labels per row (a list of lists, sets or tuples, an object
array, a pandas or polars Series of lists). Samplers give ``Y`` back in the form received.

- Measures (Charte et al.): :func:`irlbl`, :func:`mean_ir`, :func:`max_ir`, :func:`cvir`,
  :func:`scumble`, :func:`scumble_per_sample`, :func:`label_cardinality`,
  :func:`label_density`, :func:`label_combination_count` and :func:`multilabel_summary` (all
  of them as plain data).
- Splits: :class:`MultilabelStratifiedKFold` and :func:`multilabel_train_test_split`
  (iterative stratification, first or second order), :func:`stratification_quality`.
- Samplers, ``fit_resample(X, Y) -> (X_res, Y_res)``: :class:`MLROS`, :class:`MLRUS`,
  :class:`REMEDIAL`, :class:`MLSMOTE`, on the base :class:`BaseMultilabelSampler`.
- Weights: :func:`label_weights`, :func:`label_pos_weight`, :func:`multilabel_sample_weights`.
"""

from __future__ import annotations

from ._base import BaseMultilabelSampler
from ._measures import (
    cvir,
    irlbl,
    label_cardinality,
    label_combination_count,
    label_density,
    max_ir,
    mean_ir,
    multilabel_summary,
    scumble,
    scumble_per_sample,
)
from ._mlsmote import MLSMOTE
from ._random import MLROS, MLRUS
from ._remedial import REMEDIAL
from ._split import MultilabelStratifiedKFold, multilabel_train_test_split, stratification_quality
from ._weights import label_pos_weight, label_weights, multilabel_sample_weights

__all__ = [
    "MLROS",
    "MLRUS",
    "MLSMOTE",
    "REMEDIAL",
    "BaseMultilabelSampler",
    "MultilabelStratifiedKFold",
    "cvir",
    "irlbl",
    "label_cardinality",
    "label_combination_count",
    "label_density",
    "label_pos_weight",
    "label_weights",
    "max_ir",
    "mean_ir",
    "multilabel_sample_weights",
    "multilabel_summary",
    "multilabel_train_test_split",
    "scumble",
    "scumble_per_sample",
    "stratification_quality",
]
