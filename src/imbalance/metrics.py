"""Metrics for imbalanced classification that scikit-learn does not already provide.

Sensitivity (recall of a class), specificity (recall of everything else), their geometric mean
(G-mean), the index balanced accuracy and an imbalanced classification report, plus ready-made
scorers. Average precision, balanced accuracy, MCC, the Brier score and ROC-AUC are
scikit-learn's: use ``sklearn.metrics`` for them.

Averages: for G-mean, ``"multiclass"`` is the geometric mean of the per-class sensitivities
(Kubat and Matwin, 1997; one number whatever the number of classes); ``"macro"`` is the mean of
the per-class one-vs-rest G-means ``sqrt(sensitivity_c * specificity_c)``, which is what a macro
average means. (imbalanced-learn 0.14 computes ``sqrt(mean(sensitivity) * mean(specificity))``
instead, a different and larger number.)

References
----------
.. [1] M. Kubat and S. Matwin, "Addressing the curse of imbalanced training sets: one-sided
   selection", ICML 1997.
.. [2] V. García, R. A. Mollineda and J. S. Sánchez, "Index of balanced accuracy: a performance
   measure for skewed class distributions", IbPRIA 2009.
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    make_scorer,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
)
from sklearn.utils.multiclass import unique_labels

from .exceptions import InvalidParameterError

__all__ = [
    "classification_report_imbalanced",
    "geometric_mean_score",
    "index_balanced_accuracy",
    "scorers",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]

Average = Literal["binary", "micro", "macro", "weighted"] | None


def _per_class_counts(
    y_true: Any, y_pred: Any, labels: Any, sample_weight: Any
) -> tuple[np.ndarray, np.ndarray]:
    present = unique_labels(y_true, y_pred)
    labels = present if labels is None else np.asarray(labels)
    mcm = multilabel_confusion_matrix(y_true, y_pred, sample_weight=sample_weight, labels=labels)
    return labels, mcm  # mcm[c] = [[tn, fp], [fn, tp]]


def _ratio(num: np.ndarray, den: np.ndarray, what: str, zero_division: Any) -> np.ndarray:
    out = np.zeros_like(num, dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    if (den == 0).any():
        fill = 0.0 if zero_division == "warn" else float(zero_division)
        out[den == 0] = fill
        if zero_division == "warn":
            warnings.warn(
                f"{what} is undefined for a class with no "
                f"{'true' if what == 'Sensitivity' else 'negative'} sample; set to {fill}. "
                "Pass zero_division to choose the value and silence this.",
                UndefinedMetricWarning,
                stacklevel=3,
            )
    return out


def _pick_binary(labels: np.ndarray, pos_label: Any) -> int:
    if len(labels) > 2:
        raise InvalidParameterError(
            f"average='binary' needs two classes; y holds {len(labels)} ({labels.tolist()}). "
            "Use average='macro', 'weighted', 'micro' or None."
        )
    hits = np.flatnonzero(labels == pos_label)
    if not hits.size:
        raise InvalidParameterError(
            f"pos_label={pos_label!r} is not among the labels {labels.tolist()}; pass one of them."
        )
    return int(hits[0])


def sensitivity_specificity_support(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: Average = None,
    sample_weight: Any = None,
    zero_division: Literal["warn"] | float = "warn",
) -> tuple[Any, Any, Any]:
    """Sensitivity, specificity and support of each class (one against the rest).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Classes to report, in this order; by default every label seen, sorted.
    pos_label : label, default=1
        The class reported when ``average="binary"``.
    average : {"binary", "micro", "macro", "weighted"} or None, default=None
        ``None`` returns one value per class; ``"micro"`` pools the counts of every class.
    sample_weight : array-like of shape (n_samples,), default=None
    zero_division : "warn" or float, default="warn"
        Value for a class with no positive (sensitivity) or no negative (specificity) sample.

    Returns
    -------
    sensitivity, specificity : float or ndarray of shape (n_classes,)
    support : int or ndarray of shape (n_classes,); None when averaged

    Examples
    --------
    >>> from imbalance.metrics import sensitivity_specificity_support
    >>> sens, spec, sup = sensitivity_specificity_support([0, 0, 0, 1, 1], [0, 0, 1, 1, 0])
    >>> sens.round(3).tolist(), spec.round(3).tolist(), sup.tolist()
    ([0.667, 0.5], [0.5, 0.667], [3, 2])
    """
    labels, mcm = _per_class_counts(y_true, y_pred, labels, sample_weight)
    tn, fp, fn, tp = mcm[:, 0, 0], mcm[:, 0, 1], mcm[:, 1, 0], mcm[:, 1, 1]
    support = tp + fn
    if average == "micro":
        sens = _ratio(
            tp.sum(keepdims=True), support.sum(keepdims=True), "Sensitivity", zero_division
        )
        spec = _ratio(
            tn.sum(keepdims=True), (tn + fp).sum(keepdims=True), "Specificity", zero_division
        )
        return float(sens[0]), float(spec[0]), None
    sens = _ratio(tp, support, "Sensitivity", zero_division)
    spec = _ratio(tn, tn + fp, "Specificity", zero_division)
    if average is None:
        return sens, spec, support
    if average == "binary":
        k = _pick_binary(labels, pos_label)
        return float(sens[k]), float(spec[k]), None
    weights = _average_weights(average, support)
    return float(np.average(sens, weights=weights)), float(np.average(spec, weights=weights)), None


def _average_weights(average: Any, support: np.ndarray) -> np.ndarray | None:
    if average == "macro":
        return None
    if average == "weighted":
        return support if support.sum() > 0 else None
    raise InvalidParameterError(
        f"average={average!r} is not supported; use 'binary', 'micro', 'macro', 'weighted' or None."
    )


def sensitivity_score(
    y_true: Any, y_pred: Any, *, pos_label: Any = 1, average: Average = "binary", **kwargs: Any
) -> Any:
    """Sensitivity (the recall of a class): see :func:`sensitivity_specificity_support`.

    Examples
    --------
    >>> from imbalance.metrics import sensitivity_score
    >>> sensitivity_score([0, 0, 1, 1], [0, 1, 1, 1])
    1.0
    """
    return sensitivity_specificity_support(
        y_true, y_pred, pos_label=pos_label, average=average, **kwargs
    )[0]


def specificity_score(
    y_true: Any, y_pred: Any, *, pos_label: Any = 1, average: Average = "binary", **kwargs: Any
) -> Any:
    """Specificity (the recall of the other classes): see :func:`sensitivity_specificity_support`.

    Examples
    --------
    >>> from imbalance.metrics import specificity_score
    >>> specificity_score([0, 0, 1, 1], [0, 1, 1, 1])
    0.5
    """
    return sensitivity_specificity_support(
        y_true, y_pred, pos_label=pos_label, average=average, **kwargs
    )[1]


def geometric_mean_score(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    pos_label: Any = 1,
    average: Average | Literal["multiclass"] = "multiclass",
    sample_weight: Any = None,
    correction: float = 0.0,
) -> Any:
    """Geometric mean of sensitivities (G-mean).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like, default=None
        Classes to include; by default every label seen.
    pos_label : label, default=1
        The positive class for ``average="binary"``.
    average : {"multiclass", "binary", "micro", "macro", "weighted"} or None, default="multiclass"
        ``"multiclass"``: the geometric mean of every class's sensitivity (for two classes,
        ``sqrt(TPR * TNR)``). ``"binary"``: ``sqrt(sensitivity * specificity)`` of ``pos_label``.
        ``None``: per class one-vs-rest ``sqrt(sensitivity_c * specificity_c)``; ``"macro"`` and
        ``"weighted"`` average those; ``"micro"`` uses pooled counts.
    sample_weight : array-like of shape (n_samples,), default=None
    correction : float, default=0.0
        With ``"multiclass"``, replaces a sensitivity of 0 so that one missed class does not
        zero the score.

    Returns
    -------
    score : float, or ndarray of shape (n_classes,) when ``average=None``

    Examples
    --------
    >>> from imbalance.metrics import geometric_mean_score
    >>> y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    >>> y_pred = [0, 0, 0, 1, 1, 0, 2, 1]
    >>> round(geometric_mean_score(y_true, y_pred), 3)
    0.572
    >>> round(geometric_mean_score(y_true, y_pred, average="macro"), 3)
    0.678
    """
    if average == "multiclass":
        present = unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
        sens = sensitivity_specificity_support(
            y_true, y_pred, labels=present, sample_weight=sample_weight, zero_division=0.0
        )[0]
        sens = np.where(sens == 0, correction, sens)
        return float(np.exp(np.mean(np.log(np.maximum(sens, 1e-300))))) if (sens > 0).all() else 0.0
    if average == "micro":
        sens, spec, _ = sensitivity_specificity_support(
            y_true, y_pred, labels=labels, average="micro", sample_weight=sample_weight
        )
        return float(np.sqrt(sens * spec))
    found, _ = _per_class_counts(y_true, y_pred, labels, sample_weight)
    sens, spec, support = sensitivity_specificity_support(
        y_true, y_pred, labels=found, sample_weight=sample_weight
    )
    per_class = np.sqrt(sens * spec)
    if average is None:
        return per_class
    if average == "binary":
        return float(per_class[_pick_binary(found, pos_label)])
    return float(np.average(per_class, weights=_average_weights(average, support)))


def index_balanced_accuracy(
    y_true: Any,
    y_pred: Any,
    *,
    alpha: float = 0.1,
    squared: bool = True,
    labels: Any = None,
    pos_label: Any = 1,
    average: Average = "binary",
    sample_weight: Any = None,
) -> Any:
    """Index balanced accuracy of the G-mean: ``(1 + alpha * (TPR - TNR)) * G``.

    ``G`` is ``sensitivity * specificity`` when ``squared`` (the published form) and its square
    root otherwise; the dominance term ``TPR - TNR`` rewards doing well on the positive class.

    Examples
    --------
    >>> from imbalance.metrics import index_balanced_accuracy
    >>> round(index_balanced_accuracy([0, 0, 0, 1, 1], [0, 0, 1, 1, 0]), 4)
    0.3278
    """
    found, _ = _per_class_counts(y_true, y_pred, labels, sample_weight)
    sens, spec, support = sensitivity_specificity_support(
        y_true, y_pred, labels=found, sample_weight=sample_weight
    )
    g = sens * spec if squared else np.sqrt(sens * spec)
    per_class = (1.0 + alpha * (sens - spec)) * g
    if average is None:
        return per_class
    if average == "binary":
        return float(per_class[_pick_binary(found, pos_label)])
    if average == "micro":
        raise InvalidParameterError(
            "index_balanced_accuracy has no micro average; use 'macro' or 'weighted'."
        )
    return float(np.average(per_class, weights=_average_weights(average, support)))


def classification_report_imbalanced(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Any = None,
    target_names: Any = None,
    sample_weight: Any = None,
    digits: int = 2,
    alpha: float = 0.1,
    output_dict: bool = False,
) -> str | dict[str, dict[str, float]]:
    """Per-class precision, recall, specificity, F1, G-mean, IBA and support, with averages.

    Examples
    --------
    >>> from imbalance.metrics import classification_report_imbalanced
    >>> y_true, y_pred = [0, 0, 0, 1, 1], [0, 0, 1, 1, 0]
    >>> report = classification_report_imbalanced(y_true, y_pred, output_dict=True)
    >>> sorted(report["1"])
    ['f1', 'geo', 'iba', 'pre', 'rec', 'spe', 'sup']
    >>> print(classification_report_imbalanced([0, 0, 0, 1, 1], [0, 0, 1, 1, 0]))
                   pre   rec   spe    f1   geo   iba   sup
    <BLANKLINE>
               0  0.67  0.67  0.50  0.67  0.58  0.34     3
               1  0.50  0.50  0.67  0.50  0.58  0.33     2
    <BLANKLINE>
       macro avg  0.58  0.58  0.58  0.58  0.58  0.33     5
    weighted avg  0.60  0.60  0.57  0.60  0.58  0.33     5
    """
    found, _ = _per_class_counts(y_true, y_pred, labels, sample_weight)
    pre, rec, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=found, sample_weight=sample_weight, zero_division=0.0
    )
    sens, spec, sup = sensitivity_specificity_support(
        y_true, y_pred, labels=found, sample_weight=sample_weight, zero_division=0.0
    )
    geo = np.sqrt(sens * spec)
    iba = (1.0 + alpha * (sens - spec)) * sens * spec
    names = [str(n) for n in (found if target_names is None else target_names)]
    columns = {"pre": pre, "rec": rec, "spe": spec, "f1": f1, "geo": geo, "iba": iba}
    rows: dict[str, dict[str, float]] = {
        name: {k: float(v[i]) for k, v in columns.items()} | {"sup": float(sup[i])}
        for i, name in enumerate(names)
    }
    total = float(sup.sum())
    for avg, weights in (("macro avg", None), ("weighted avg", sup if total else None)):
        rows[avg] = {k: float(np.average(v, weights=weights)) for k, v in columns.items()}
        rows[avg]["sup"] = total
    if output_dict:
        return rows
    width = max(len(n) for n in rows)
    head = " " * width + "".join(f"{k:>{digits + 4}}" for k in columns) + f"{'sup':>6}"
    lines = [head, ""]
    for name, row in rows.items():
        if name == "macro avg":
            lines.append("")
        values = "".join(f"{row[k]:>{digits + 4}.{digits}f}" for k in columns)
        lines.append(f"{name:>{width}}{values}{int(row['sup']):>6}")
    return "\n".join(lines)


scorers: dict[str, Any] = {
    "geometric_mean": make_scorer(geometric_mean_score),
    "geometric_mean_macro": make_scorer(geometric_mean_score, average="macro"),
    "sensitivity": make_scorer(sensitivity_score),
    "specificity": make_scorer(specificity_score),
    "index_balanced_accuracy": make_scorer(index_balanced_accuracy),
}
"""Scorers for ``scoring=`` in scikit-learn (binary ones use ``pos_label=1``):
``cross_validate(model, X, y, scoring=scorers["geometric_mean"])``."""
