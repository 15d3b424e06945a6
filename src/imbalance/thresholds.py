"""Decision thresholds: from a cost matrix, and scorers for scikit-learn's threshold tuning.

Threshold tuning itself is scikit-learn's ``TunedThresholdClassifierCV``; this module gives it the
objectives practitioners state: a cost per kind of error, or a recall (precision) to reach at the
best possible precision (recall).

The cost matrix is ``[[C_tn, C_fp], [C_fn, C_tp]]``: rows are the true class (negative, positive),
columns the decision. For calibrated probabilities the cost-minimising rule predicts positive
when ``P(positive | x) >= (C_fp - C_tn) / (C_fp - C_tn + C_fn - C_tp)`` (Elkan, 2001).

References
----------
.. [1] C. Elkan, "The foundations of cost-sensitive learning", IJCAI 2001.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix, make_scorer, precision_score, recall_score

from ._typing import ArrayLike, Label, Target
from .exceptions import InvalidParameterError

__all__ = [
    "cost_threshold",
    "make_cost_scorer",
    "make_precision_at_recall_scorer",
    "make_recall_at_precision_scorer",
]


def _check_costs(cost_matrix: ArrayLike) -> np.ndarray:
    costs = np.asarray(cost_matrix, dtype=np.float64)
    if costs.shape != (2, 2) or not np.isfinite(costs).all():
        raise InvalidParameterError(
            "cost_matrix must be [[C_tn, C_fp], [C_fn, C_tp]] (rows: true class, columns: "
            f"decision); got {np.asarray(cost_matrix).tolist()!r}."
        )
    if costs[0, 1] <= costs[0, 0] or costs[1, 0] <= costs[1, 1]:
        raise InvalidParameterError(
            f"cost_matrix={costs.tolist()!r}: an error must cost more than the right decision "
            "(C_fp > C_tn and C_fn > C_tp); otherwise one decision is always best."
        )
    return costs


def cost_threshold(cost_matrix: ArrayLike) -> float:
    """The probability of the positive class above which deciding positive costs least.

    Examples
    --------
    >>> from imbalance.thresholds import cost_threshold
    >>> cost_threshold([[0, 1], [10, 0]])  # a missed positive costs 10 false alarms
    0.09090909090909091
    """
    c = _check_costs(cost_matrix)
    return float((c[0, 1] - c[0, 0]) / (c[0, 1] - c[0, 0] + c[1, 0] - c[1, 1]))


def _mean_cost(y_true: Target, y_pred: Target, *, costs: np.ndarray, pos_label: Label) -> float:
    labels = [
        lab
        for lab in np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))
        if lab != pos_label
    ]
    neg = labels[0] if labels else None
    cm = confusion_matrix(y_true, y_pred, labels=[neg, pos_label])
    return float((cm * costs).sum() / max(cm.sum(), 1))


def make_cost_scorer(cost_matrix: ArrayLike, *, pos_label: Label = 1) -> Any:
    """A scorer whose value is minus the mean cost per row (higher is better).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import TunedThresholdClassifierCV
    >>> from imbalance.thresholds import make_cost_scorer
    >>> tuned = TunedThresholdClassifierCV(LogisticRegression(),
    ...                                    scoring=make_cost_scorer([[0, 1], [10, 0]]))
    """
    costs = _check_costs(cost_matrix)
    return make_scorer(_mean_cost, greater_is_better=False, costs=costs, pos_label=pos_label)


def _recall_at_precision(
    y_true: Target, y_pred: Target, *, min_precision: float, pos_label: Label
) -> float:
    precision = precision_score(y_true, y_pred, pos_label=pos_label, zero_division=0.0)
    if precision < min_precision:
        return float(precision - 1.0)  # below every feasible score, closer is better
    return float(recall_score(y_true, y_pred, pos_label=pos_label, zero_division=0.0))


def _precision_at_recall(
    y_true: Target, y_pred: Target, *, min_recall: float, pos_label: Label
) -> float:
    recall = recall_score(y_true, y_pred, pos_label=pos_label, zero_division=0.0)
    if recall < min_recall:
        return float(recall - 1.0)
    return float(precision_score(y_true, y_pred, pos_label=pos_label, zero_division=0.0))


def _check_fraction(value: float, name: str) -> float:
    if not 0.0 < value <= 1.0:
        raise InvalidParameterError(f"{name}={value!r} must be in (0, 1].")
    return float(value)


def make_recall_at_precision_scorer(min_precision: float, *, pos_label: Label = 1) -> Any:
    """Scorer: the recall, provided the precision reaches ``min_precision``.

    Thresholds that miss the precision target score below every threshold that meets it
    (``precision - 1``), so tuning finds the highest recall among those that meet it.

    Examples
    --------
    >>> from imbalance.thresholds import make_recall_at_precision_scorer
    >>> scorer = make_recall_at_precision_scorer(0.9)
    """
    target = _check_fraction(min_precision, "min_precision")
    return make_scorer(_recall_at_precision, min_precision=target, pos_label=pos_label)


def make_precision_at_recall_scorer(min_recall: float, *, pos_label: Label = 1) -> Any:
    """Scorer: the precision, provided the recall reaches ``min_recall``.

    Examples
    --------
    >>> from imbalance.thresholds import make_precision_at_recall_scorer
    >>> scorer = make_precision_at_recall_scorer(0.8)
    """
    target = _check_fraction(min_recall, "min_recall")
    return make_scorer(_precision_at_recall, min_recall=target, pos_label=pos_label)
