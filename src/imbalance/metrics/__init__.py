"""Metrics for imbalanced classification that scikit-learn does not already provide.

Sensitivity (recall of a class), specificity (recall of everything else), their geometric mean
(G-mean), the index balanced accuracy (a value or a decorator for any label metric), the
macro-averaged mean absolute error for ordinal targets, an imbalanced classification report,
ready-made scorers, the value difference metric between rows of categorical codes, and binary
metrics (MCC, F-beta, balanced accuracy, G-mean, the cost of a cost matrix) at every decision
threshold at once (:func:`metric_at_thresholds`: one sort and cumulative counts).
Average precision, balanced accuracy, MCC, the Brier score and ROC-AUC are scikit-learn's: use
``sklearn.metrics`` for them.

The names and behaviour follow ``imblearn.metrics`` (0.14); ``ValueDifferenceMetric`` is
``imblearn.metrics.pairwise.ValueDifferenceMetric``.

References
----------
.. [1] M. Kubat and S. Matwin, "Addressing the curse of imbalanced training sets: one-sided
   selection", ICML 1997.
.. [2] V. García, R. A. Mollineda and J. S. Sánchez, "Index of balanced accuracy: a performance
   measure for skewed class distributions", IbPRIA 2009.
"""

from __future__ import annotations

from typing import Any

from sklearn.metrics import make_scorer

from ._classification import (
    geometric_mean_score,
    index_balanced_accuracy,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)
from ._pairwise import ValueDifferenceMetric
from ._report import classification_report_imbalanced
from ._thresholds import (
    THRESHOLD_METRICS,
    confusion_at_thresholds,
    metric_at_thresholds,
    metric_from_counts,
)

__all__ = [
    "THRESHOLD_METRICS",
    "ValueDifferenceMetric",
    "classification_report_imbalanced",
    "confusion_at_thresholds",
    "geometric_mean_score",
    "index_balanced_accuracy",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "metric_at_thresholds",
    "metric_from_counts",
    "scorers",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]

scorers: dict[str, Any] = {
    "geometric_mean": make_scorer(geometric_mean_score),
    "geometric_mean_macro": make_scorer(geometric_mean_score, average="macro"),
    "sensitivity": make_scorer(sensitivity_score),
    "specificity": make_scorer(specificity_score),
    "index_balanced_accuracy": make_scorer(index_balanced_accuracy),
    "macro_averaged_mean_absolute_error": make_scorer(
        macro_averaged_mean_absolute_error, greater_is_better=False
    ),
}
"""Scorers for ``scoring=`` in scikit-learn (binary ones use ``pos_label=1``):
``cross_validate(model, X, y, scoring=scorers["geometric_mean"])``."""
