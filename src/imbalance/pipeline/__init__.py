"""Composition that cannot leak: samplers run when fitting, never when predicting.

Two ways to put a sampler in front of a model:

- :class:`ResampledClassifier` ``(sampler, estimator)``, a meta-estimator that works as the last
  step of scikit-learn's own ``Pipeline``, in ``cross_validate``, ``GridSearchCV`` (over
  ``sampler__*`` and ``estimator__*``) and ``TunedThresholdClassifierCV``;
- :class:`Pipeline` / :func:`make_pipeline`, a pipeline whose steps may be samplers.

``sample_weight`` passed to ``fit`` travels with its rows through every sampler: a kept or
repeated row keeps its weight, and a synthetic row takes the weight of the row it was made
from (its first parent, ``synthetic_parents_[:, 0]``).
"""

from ._pipeline import Pipeline, make_pipeline
from ._resampled import ResampledClassifier
from ._weights import resample_sample_weight

__all__ = ["Pipeline", "ResampledClassifier", "make_pipeline", "resample_sample_weight"]
