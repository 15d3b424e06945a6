"""The metrics a comparison reports, each computed once per validation fold."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    matthews_corrcoef,
    roc_auc_score,
)
from sklearn.preprocessing import label_binarize

from .._typing import Label
from ..metrics import confusion_at_thresholds, geometric_mean_score, metric_from_counts

__all__ = ["HIGHER_IS_BETTER", "METRICS", "compute_metrics"]

METRICS = ("balanced_accuracy", "average_precision", "roc_auc", "g_mean", "f1", "mcc", "brier")
HIGHER_IS_BETTER = {m: m != "brier" for m in METRICS}


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
    if len(classes) == 2 and len(np.unique(y)) == 2:
        return _binary_metrics(
            y == positive, proba[:, int(np.flatnonzero(classes == positive)[0])], pred == positive
        )
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


def _binary_metrics(y_pos: np.ndarray, p_pos: np.ndarray, pred_pos: np.ndarray) -> dict[str, float]:
    """The binary metrics from counts: scikit-learn's values without its per-call checks.

    Average precision is scikit-learn's step sum ``sum((R_n - R_{n-1}) P_n)`` over distinct
    scores; ROC-AUC the trapezoids under the ROC points; the decision metrics come from the one
    confusion matrix of ``pred_pos``.
    """
    _, _, fp, _, tp = confusion_at_thresholds(y_pos, p_pos, pos_label=True)
    tp, fp = tp.astype(np.float64), fp.astype(np.float64)
    recall = tp / tp[-1]
    precision = np.divide(tp, tp + fp, out=np.ones_like(tp), where=(tp + fp) > 0)
    ap = float(np.sum(np.diff(recall) * precision[1:]))
    auc = float(np.trapezoid(recall, fp / fp[-1]))
    n_tp = float(np.sum(pred_pos & y_pos))
    n_fp = float(np.sum(pred_pos)) - n_tp
    n_fn = float(np.sum(y_pos)) - n_tp
    n_tn = float(len(y_pos)) - n_tp - n_fp - n_fn
    counts = ([n_tn], [n_fp], [n_fn], [n_tp])
    return {
        "balanced_accuracy": float(metric_from_counts("balanced_accuracy", *counts)[0]),
        "average_precision": ap,
        "roc_auc": auc,
        "g_mean": float(metric_from_counts("g_mean", *counts)[0]),
        "f1": float(metric_from_counts("f1", *counts)[0]),
        "mcc": float(metric_from_counts("mcc", *counts)[0]),
        "brier": float(np.mean((p_pos - y_pos) ** 2)),
    }
