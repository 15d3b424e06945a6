"""One estimator that handles the imbalance the way that works on your data.

:class:`AutoImbalanceClassifier` chooses among doing nothing, class weights and resampling,
returns calibrated probabilities (prior correction, or a sigmoid fitted out of fold where prior
correction does not apply) and chooses the decision threshold for the metric you name (MCC,
F-beta, balanced accuracy, G-mean or a cost matrix), on its training data alone.
"""

from ._estimator import AutoImbalanceClassifier, default_candidates

__all__ = ["AutoImbalanceClassifier", "default_candidates"]
