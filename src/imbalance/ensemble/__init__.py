"""Balanced ensembles: every member learns from a resampled, balanced view of the data.

Each accepts ``sample_weight`` (which follows the rows through the samplers), ``n_jobs`` and
``random_state``, and exposes its fitted samplers as ``samplers_``.
"""

from ._bagging import BalancedBaggingClassifier
from ._boost import RUSBoostClassifier
from ._easy_ensemble import EasyEnsembleClassifier
from ._forest import BalancedRandomForestClassifier

__all__ = [
    "BalancedBaggingClassifier",
    "BalancedRandomForestClassifier",
    "EasyEnsembleClassifier",
    "RUSBoostClassifier",
]
