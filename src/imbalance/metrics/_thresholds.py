"""Binary metrics at every decision threshold at once: one sort, cumulative counts.

Scoring a decision threshold with ``matthews_corrcoef`` or ``f1_score`` validates the input on
every call (milliseconds each); tuning a threshold calls it once per candidate. Sorting the scores
once gives the confusion counts at every threshold as cumulative sums, and every metric of those
counts follows in a few vectorised operations.

The decision rule is scikit-learn's (``TunedThresholdClassifierCV``, ``precision_recall_curve``):
a row is predicted positive when its score is ``>= threshold``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._containers import target_to_numpy
from .._numeric import check_weights
from .._typing import ArrayLike, Label, Target
from ..exceptions import InvalidDataError, InvalidParameterError

__all__ = [
    "THRESHOLD_METRICS",
    "confusion_at_thresholds",
    "metric_at_thresholds",
    "metric_from_counts",
]

THRESHOLD_METRICS = ("mcc", "f1", "fbeta", "balanced_accuracy", "g_mean", "cost")
"""Metrics :func:`metric_at_thresholds` computes; ``"cost"`` is the only one lower-is-better."""


def _check_scores(y_true: Target, y_score: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y = np.ravel(target_to_numpy(y_true, name="y_true"))
    try:
        s = np.asarray(target_to_numpy(y_score, name="y_score"), dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidDataError(
            "y_score must hold one number per row (predict_proba[:, 1] or decision_function)."
        ) from exc
    if s.ndim != 1 or s.shape[0] != y.shape[0]:
        raise InvalidDataError(
            f"y_score must hold one score per row of y_true ({y.shape[0]}); got shape {s.shape}."
            " For predict_proba's output pass its positive column, proba[:, 1]."
        )
    if not np.isfinite(s).all():
        bad = int(np.flatnonzero(~np.isfinite(s))[0])
        raise InvalidDataError(
            f"y_score must be finite; position {bad} holds {s[bad]!r}. Drop or impute such rows."
        )
    return y, s


def _positive_mask(y: np.ndarray, pos_label: Label | None) -> np.ndarray:
    labels = np.unique(y)
    if labels.size > 2:
        raise InvalidDataError(
            f"y_true holds {labels.size} classes; threshold metrics are for two classes. "
            "Score one class against the rest: y_true == that_class."
        )
    if pos_label is None:
        if not set(labels.tolist()) <= {0, 1, -1}:  # True and False are 1 and 0
            raise InvalidParameterError(
                f"pos_label=None needs labels in {{0, 1}} or {{-1, 1}}; y_true holds "
                f"{labels.tolist()!r}. Pass pos_label= (the class a positive decision means)."
            )
        pos_label = 1
    return np.asarray(y == pos_label, dtype=bool)


def confusion_at_thresholds(
    y_true: Target,
    y_score: ArrayLike,
    *,
    pos_label: Label | None = None,
    sample_weight: ArrayLike = None,
    thresholds: ArrayLike = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Confusion counts of the rule ``y_score >= threshold`` at every threshold at once.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels of two classes (or one).
    y_score : array-like of shape (n_samples,)
        Scores of the positive class (probabilities or decision values).
    pos_label : label, default=None
        The positive class; may be omitted when the labels are ``{0, 1}`` or ``{-1, 1}``.
    sample_weight : array-like of shape (n_samples,), default=None
        Counts become sums of weights.
    thresholds : array-like of shape (n_thresholds,), default=None
        Where to count. By default: ``+inf`` (nothing predicted positive), then every distinct
        score in decreasing order (the last predicts everything positive).

    Returns
    -------
    thresholds : ndarray of shape (n_thresholds,)
    tn, fp, fn, tp : ndarray of shape (n_thresholds,)
        Integers without weights, floats with them.

    Examples
    --------
    >>> from imbalance.metrics import confusion_at_thresholds
    >>> t, tn, fp, fn, tp = confusion_at_thresholds([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> t.tolist(), tp.tolist(), fp.tolist()
    ([inf, 0.8, 0.4, 0.35, 0.1], [0, 1, 1, 2, 2], [0, 0, 1, 1, 2])
    """
    y, s = _check_scores(y_true, y_score)
    positive = _positive_mask(y, pos_label)
    if sample_weight is None:
        w_pos, w_neg = positive.astype(np.int64), (~positive).astype(np.int64)
    else:
        w = check_weights(sample_weight, "sample_weight", n=s.shape[0], allow_all_zero=True)
        w_pos, w_neg = w * positive, w * ~positive
    order = np.argsort(-s, kind="stable")
    s_desc = s[order]
    tp_cum = np.concatenate([[0], np.cumsum(w_pos[order])])  # [k]: among the k top scores
    fp_cum = np.concatenate([[0], np.cumsum(w_neg[order])])
    if thresholds is None:
        last_of_run = np.flatnonzero(np.diff(s_desc) != 0)
        n_above = np.concatenate([[0], last_of_run + 1, [s.shape[0]]])
        if s.shape[0] == 0:
            n_above = np.array([0])
        t = np.concatenate([[np.inf], s_desc[n_above[1:] - 1]])
    else:
        t = np.asarray(thresholds, dtype=np.float64).ravel()
        if np.isnan(t).any():
            raise InvalidParameterError("thresholds must not hold NaN.")
        n_above = s.shape[0] - np.searchsorted(s_desc[::-1], t, side="left")
    tp, fp = tp_cum[n_above], fp_cum[n_above]
    fn, tn = tp_cum[-1] - tp, fp_cum[-1] - fp
    return t, tn, fp, fn, tp


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den``, 0 where ``den`` is 0 (scikit-learn's zero_division=0)."""
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _recalls(
    tn: np.ndarray, fp: np.ndarray, fn: np.ndarray, tp: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n_pos, n_neg = tp + fn, tn + fp
    return _ratio(tp, n_pos), _ratio(tn, n_neg), n_pos, n_neg


def _mcc(tn: np.ndarray, fp: np.ndarray, fn: np.ndarray, tp: np.ndarray) -> np.ndarray:
    tp, fp, fn, tn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, fn, tn))
    den = np.sqrt((tp + fp) * (tp + fn)) * np.sqrt((tn + fp) * (tn + fn))
    return np.clip(_ratio(tp * tn - fp * fn, den), -1.0, 1.0)


def _balanced_accuracy(
    tn: np.ndarray, fp: np.ndarray, fn: np.ndarray, tp: np.ndarray
) -> np.ndarray:
    sens, spec, n_pos, n_neg = _recalls(tn, fp, fn, tp)
    present = (n_pos > 0).astype(np.float64) + (n_neg > 0)
    return _ratio(sens + spec, present)


def check_metric(metric: str, beta: float, cost_matrix: Any) -> None:
    """Refuse an unknown metric, a bad ``beta`` or a missing or malformed ``cost_matrix``."""
    if metric not in THRESHOLD_METRICS:
        raise InvalidParameterError(
            f"metric={metric!r} is not known; use one of {', '.join(THRESHOLD_METRICS)}."
        )
    if metric == "fbeta" and not (np.isfinite(beta) and beta > 0):
        raise InvalidParameterError(f"beta={beta!r} must be a positive number (1 gives F1).")
    if metric == "cost":
        costs = None if cost_matrix is None else np.asarray(cost_matrix, dtype=np.float64)
        if costs is None or costs.shape != (2, 2) or not np.isfinite(costs).all():
            raise InvalidParameterError(
                "metric='cost' needs cost_matrix=[[C_tn, C_fp], [C_fn, C_tp]] (rows: true "
                f"class, columns: decision); got {cost_matrix!r}."
            )
    elif cost_matrix is not None:
        raise InvalidParameterError(
            f"cost_matrix is only used with metric='cost'; metric={metric!r}. "
            "Pass metric='cost' or drop cost_matrix."
        )


def metric_from_counts(
    metric: str,
    tn: ArrayLike,
    fp: ArrayLike,
    fn: ArrayLike,
    tp: ArrayLike,
    *,
    beta: float = 1.0,
    cost_matrix: ArrayLike = None,
) -> np.ndarray:
    """A binary metric of confusion counts, element-wise (counts may be fractional).

    Parameters
    ----------
    metric : {"mcc", "f1", "fbeta", "balanced_accuracy", "g_mean", "cost"}
        As in :func:`metric_at_thresholds`.
    tn, fp, fn, tp : array-like of one shape
        Confusion counts (or sums of weights, or expected counts).
    beta : float, default=1.0
        The weight of recall in ``"fbeta"``.
    cost_matrix : array-like of shape (2, 2), default=None
        ``[[C_tn, C_fp], [C_fn, C_tp]]``, for ``"cost"`` (the mean cost per row).

    Returns
    -------
    values : ndarray of the counts' shape

    Examples
    --------
    >>> from imbalance.metrics import metric_from_counts
    >>> metric_from_counts("balanced_accuracy", tn=[90], fp=[10], fn=[5], tp=[5]).tolist()
    [0.7]
    """
    check_metric(metric, beta, cost_matrix)
    tn, fp, fn, tp = (np.asarray(a, dtype=np.float64) for a in (tn, fp, fn, tp))
    if metric == "mcc":
        return _mcc(tn, fp, fn, tp)
    if metric in ("f1", "fbeta"):
        b2 = 1.0 if metric == "f1" else float(beta) ** 2
        return _ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp)
    if metric == "balanced_accuracy":
        return _balanced_accuracy(tn, fp, fn, tp)
    if metric == "g_mean":
        sens, spec, _, _ = _recalls(tn, fp, fn, tp)
        return np.sqrt(sens * spec)
    c = np.asarray(cost_matrix, dtype=np.float64)
    total = c[0, 0] * tn + c[0, 1] * fp + c[1, 0] * fn + c[1, 1] * tp
    return _ratio(total, tn + fp + fn + tp)


def metric_at_thresholds(
    y_true: Target,
    y_score: ArrayLike,
    *,
    metric: str = "mcc",
    pos_label: Label | None = None,
    beta: float = 1.0,
    cost_matrix: ArrayLike = None,
    sample_weight: ArrayLike = None,
    thresholds: ArrayLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A binary metric of the rule ``y_score >= threshold`` at every threshold, in one pass.

    Equal to scikit-learn's ``matthews_corrcoef``, ``f1_score``, ``fbeta_score`` and
    ``balanced_accuracy_score`` (and this package's ``geometric_mean_score``) called on
    ``y_score >= t`` for each threshold ``t`` (with ``zero_division=0``), at the cost of one sort.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels of two classes.
    y_score : array-like of shape (n_samples,)
        Scores of the positive class.
    metric : {"mcc", "f1", "fbeta", "balanced_accuracy", "g_mean", "cost"}, default="mcc"
        ``"cost"``: the mean cost per row of a cost matrix (lower is better); every other
        metric is higher-is-better.
    pos_label : label, default=None
        The positive class; may be omitted when the labels are ``{0, 1}`` or ``{-1, 1}``.
    beta : float, default=1.0
        The weight of recall in ``"fbeta"``.
    cost_matrix : array-like of shape (2, 2), default=None
        ``[[C_tn, C_fp], [C_fn, C_tp]]`` (rows: true class, columns: decision), for ``"cost"``.
    sample_weight : array-like of shape (n_samples,), default=None
    thresholds : array-like, default=None
        Where to evaluate; by default ``+inf`` and every distinct score, decreasing
        (:func:`confusion_at_thresholds`).

    Returns
    -------
    thresholds : ndarray of shape (n_thresholds,)
    values : ndarray of shape (n_thresholds,)

    Examples
    --------
    >>> from imbalance.metrics import metric_at_thresholds
    >>> t, mcc = metric_at_thresholds([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], metric="mcc")
    >>> float(t[mcc.argmax()]), float(mcc.max())
    (0.8, 0.5773502691896258)
    """
    check_metric(metric, beta, cost_matrix)
    t, tn, fp, fn, tp = confusion_at_thresholds(
        y_true, y_score, pos_label=pos_label, sample_weight=sample_weight, thresholds=thresholds
    )
    return t, metric_from_counts(metric, tn, fp, fn, tp, beta=beta, cost_matrix=cost_matrix)
