"""The metrics a comparison reports, each computed once per validation fold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    get_scorer,
    make_scorer,
    matthews_corrcoef,
    roc_auc_score,
)
from sklearn.preprocessing import label_binarize

from .._typing import Label
from ..exceptions import InvalidParameterError
from ..metrics import geometric_mean_score

__all__ = ["HIGHER_IS_BETTER", "METRICS", "compute_metrics", "threshold_scorer"]

METRICS = ("balanced_accuracy", "average_precision", "roc_auc", "g_mean", "f1", "mcc", "brier")
HIGHER_IS_BETTER = {m: m != "brier" for m in METRICS}
_THRESHOLD_FREE = {"average_precision", "roc_auc", "brier"}


def _brier(y_bin: np.ndarray, proba: np.ndarray) -> float:
    if proba.shape[1] == 2:
        return float(brier_score_loss(y_bin[:, 1], proba[:, 1]))
    return float(np.mean(np.sum((proba - y_bin) ** 2, axis=1)))


def compute_metrics(
    y: np.ndarray, proba: np.ndarray, pred: np.ndarray, classes: np.ndarray, positive: Label
) -> dict[str, float]:
    """Every metric of :data:`METRICS` for one fold.

    Binary targets: ranking and F1 metrics score ``positive`` (the rarest class).
    Several classes: macro averages one-vs-rest; G-mean is the geometric mean of the recalls;
    Brier is the mean squared distance between the probability vector and the one-hot truth.
    """
    y_bin = label_binarize(y, classes=classes)
    if len(classes) == 2:
        y_bin = np.column_stack([1 - y_bin[:, 0], y_bin[:, 0]])
        k = int(np.flatnonzero(classes == positive)[0])
        y_pos, p_pos = (y == positive).astype(int), proba[:, k]
        ranking = {
            "average_precision": average_precision_score(y_pos, p_pos),
            "roc_auc": roc_auc_score(y_pos, p_pos),
        }
        f1 = f1_score(y, pred, pos_label=positive, zero_division=0.0)
        brier = float(brier_score_loss(y_pos, p_pos))
    else:
        ranking = {
            "average_precision": average_precision_score(y_bin, proba, average="macro"),
            "roc_auc": roc_auc_score(y, proba, multi_class="ovr", labels=classes),
        }
        f1 = f1_score(y, pred, average="macro", zero_division=0.0)
        brier = _brier(y_bin, proba)
    return {
        "balanced_accuracy": float(balanced_accuracy_score(y, pred)),
        **{k: float(v) for k, v in ranking.items()},
        "g_mean": float(geometric_mean_score(y, pred, labels=classes)),
        "f1": float(f1),
        "mcc": float(matthews_corrcoef(y, pred)),
        "brier": brier,
    }


def threshold_scorer(metric: str, positive: Label) -> Callable[..., float] | Any:
    """The scorer a tuned threshold optimises: the comparison's metric when it depends on the
    threshold, balanced accuracy otherwise."""
    if metric not in METRICS:
        raise InvalidParameterError(
            f"metric={metric!r} is not reported; use one of {', '.join(METRICS)}."
        )
    if metric in _THRESHOLD_FREE or metric == "balanced_accuracy":
        return get_scorer("balanced_accuracy")
    if metric == "g_mean":
        return make_scorer(geometric_mean_score)
    if metric == "f1":
        return make_scorer(f1_score, pos_label=positive)
    return get_scorer("matthews_corrcoef")
