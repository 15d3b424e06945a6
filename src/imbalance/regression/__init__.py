"""Imbalanced regression: rare target values that matter.

Relevance of target values (phi, as in UBL), samplers on the one sampler shell (random under-
and over-sampling, SMOTER, SMOGN, Gaussian noise, WERCS), per-row weights (DenseWeight, LDS,
inverse frequency), metrics (SERA, relevance-weighted errors, errors by shot region), a
resampled regressor and folds stratified on the binned target, and real data sets with
skewed targets. See ``docs/regression.md``.
"""

from ._base import RegressionSampler
from ._datasets import RegressionDatasetInfo, list_regression_datasets, load_regression_dataset
from ._metrics import (
    region_errors,
    relevance_weighted_mae,
    relevance_weighted_mse,
    sera,
    shot_regions,
)
from ._model import BinnedStratifiedKFold, ResampledRegressor
from ._random import RandomOverSampler, RandomUnderSampler
from ._relevance import (
    RelevanceWarning,
    box_plot_stats,
    control_points,
    density_relevance,
    relevance,
)
from ._smoter import SMOGN, SMOTER, GaussianNoise
from ._weights import density_weights, inverse_frequency_weights, lds_weights
from ._wercs import WERCS

__all__ = [
    "SMOGN",
    "SMOTER",
    "WERCS",
    "BinnedStratifiedKFold",
    "GaussianNoise",
    "RandomOverSampler",
    "RandomUnderSampler",
    "RegressionDatasetInfo",
    "RegressionSampler",
    "RelevanceWarning",
    "ResampledRegressor",
    "box_plot_stats",
    "control_points",
    "density_relevance",
    "density_weights",
    "inverse_frequency_weights",
    "lds_weights",
    "list_regression_datasets",
    "load_regression_dataset",
    "region_errors",
    "relevance",
    "relevance_weighted_mae",
    "relevance_weighted_mse",
    "sera",
    "shot_regions",
]
