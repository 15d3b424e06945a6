"""Sensitivity, specificity, G-mean, index balanced accuracy and the macro-averaged MAE."""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils import check_consistent_length
from sklearn.utils.multiclass import type_of_target, unique_labels

from .._numeric import check_weights
from .._typing import ArrayLike, Label, Target
from ..exceptions import InvalidDataError, InvalidParameterError

__all__ = [
    "geometric_mean_score",
    "index_balanced_accuracy",
    "macro_averaged_mean_absolute_error",
    "make_index_balanced_accuracy",
    "sensitivity_score",
    "sensitivity_specificity_support",
    "specificity_score",
]

Average = Literal["binary", "micro", "macro", "weighted"] | None
ZeroDivision = Literal["warn"] | float
F = TypeVar("F", bound=Callable[..., Any])

_AVERAGES = ("binary", "micro", "macro", "weighted", None)
# The parameters a wrapped metric may share with sensitivity_specificity_support.
_SHARED = ("y_true", "y_pred", "labels", "pos_label", "average", "sample_weight")


def _check_targets(y_true: Target, y_pred: Target) -> tuple[str, np.ndarray, np.ndarray]:
    """Both targets as 1-d label arrays, and whether together they are binary or multiclass."""
    check_consistent_length(y_true, y_pred)
    kinds = {
        type_of_target(y_true, input_name="y_true"),
        type_of_target(y_pred, input_name="y_pred"),
    }
    if not kinds <= {"binary", "multiclass"}:
        raise InvalidDataError(
            f"These metrics take one class label per sample; y_true and y_pred are "
            f"{' and '.join(sorted(kinds))}. Score each column of a multilabel target "
            "separately, and turn scores into labels (predict, not predict_proba)."
        )
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    binary = kinds == {"binary"} and len(unique_labels(y_true, y_pred)) <= 2
    return ("binary" if binary else "multiclass"), y_true, y_pred


def _check_average(average: Any, allowed: tuple[Any, ...] = _AVERAGES) -> None:
    if average == "samples":
        raise InvalidParameterError(
            "average='samples' averages over the labels of each sample, which only means "
            "something for multilabel targets; use 'macro', 'weighted', 'micro' or None."
        )
    if average not in allowed:
        names = ", ".join(repr(a) for a in allowed)
        raise InvalidParameterError(f"average={average!r} is not supported; use one of {names}.")


def _confusion(
    y_true: np.ndarray, y_pred: np.ndarray, labels: np.ndarray, sample_weight: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``tn, fp, fn, tp`` of each label (one against the rest), weighted.

    ``tp``, ``fp`` and ``fn`` are sums of weights, never differences, so they are never
    negative; ``tn`` is exactly 0 when no row of positive weight is a true negative (the
    difference ``total - tp - fp - fn`` would leave a rounding error, negative or positive, that
    turns an undefined specificity into 1.0 or a NaN G-mean).
    """
    w = None
    if sample_weight is not None:
        w = check_weights(sample_weight, "sample_weight", n=y_true.shape[0])
    classes = np.unique(np.concatenate([y_true, y_pred, labels]))
    t, p = np.searchsorted(classes, y_true), np.searchsorted(classes, y_pred)
    hit, k = t == p, classes.size

    def total(codes: np.ndarray, keep: np.ndarray) -> np.ndarray:
        weights = None if w is None else w[keep]
        return np.bincount(codes[keep], weights=weights, minlength=k)

    tp, fn, fp = total(t, hit), total(t, ~hit), total(p, ~hit)
    live = np.ones(t.shape[0], dtype=bool) if w is None else w > 0
    involved = np.bincount(t[live], minlength=k) + np.bincount(p[live & ~hit], minlength=k)
    rest = (y_true.shape[0] if w is None else w.sum()) - (tp + fp + fn)
    tn = np.where(involved == live.sum(), 0, np.maximum(rest, 0))
    idx = np.searchsorted(classes, labels)
    return tn[idx], fp[idx], fn[idx], tp[idx]


def _divide(num: np.ndarray, den: np.ndarray, what: str, zero_division: ZeroDivision) -> np.ndarray:
    out = np.zeros_like(num, dtype=np.float64)
    np.divide(num, den, out=out, where=den > 0)
    if (den == 0).any():
        fill = 0.0 if zero_division == "warn" else float(zero_division)
        out[den == 0] = fill
        if zero_division == "warn":
            kind = "true" if what == "Sensitivity" else "negative"
            warnings.warn(
                f"{what} is undefined for a class with no {kind} sample; set to {fill}. "
                "Pass zero_division to choose the value and silence this.",
                UndefinedMetricWarning,
                stacklevel=4,
            )
    return out


def _binary_labels(
    kind: str, present: np.ndarray, pos_label: Label, zero_division: ZeroDivision
) -> list[Any] | None:
    """``[pos_label]`` for ``average="binary"``; None when the score is degenerate (0.0)."""
    if kind != "binary":
        raise InvalidParameterError(
            f"average='binary' needs two classes; y_true and y_pred hold {len(present)} "
            f"({present.tolist()}). Use average='macro', 'weighted', 'micro' or None."
        )
    if pos_label in present:
        return [pos_label]
    if len(present) < 2:  # one class seen (a fold without positives): score 0, as imbalanced-learn
        if zero_division == "warn":
            warnings.warn(
                f"pos_label={pos_label!r} is in neither y_true nor y_pred (they hold only "
                f"{present.tolist()}); sensitivity and specificity set to 0.0.",
                UndefinedMetricWarning,
                stacklevel=4,
            )
        return None
    raise InvalidParameterError(
        f"pos_label={pos_label!r} is not among the labels {present.tolist()}; pass one of them."
    )


def sensitivity_specificity_support(
    y_true: Target,
    y_pred: Target,
    *,
    labels: ArrayLike = None,
    pos_label: Label = 1,
    average: Average = None,
    sample_weight: ArrayLike = None,
    zero_division: ZeroDivision = "warn",
) -> tuple[Any, Any, Any]:
    """Sensitivity, specificity and support of each class (one against the rest).

    Sensitivity is ``tp / (tp + fn)``, specificity ``tn / (tn + fp)``, support the (weighted)
    number of samples of the class in ``y_true``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like, default=None
        Classes to report, in this order; by default every label seen, sorted. A label absent
        from the data counts as a class with no sample.
    pos_label : label, default=1
        The class reported when ``average="binary"``; ignored (with a warning when it is not
        1 or None) otherwise: pass ``labels=[pos_label]`` to score one class.
    average : {"binary", "micro", "macro", "weighted"} or None, default=None
        ``None`` returns one value per class; ``"micro"`` pools the counts of every class;
        ``"macro"`` and ``"weighted"`` average the per-class values, the latter by support.
    sample_weight : array-like of shape (n_samples,), default=None
    zero_division : "warn" or float, default="warn"
        Value for a class with no positive (sensitivity) or no negative (specificity) sample;
        ``"warn"`` means 0.0 and an ``UndefinedMetricWarning``.

    Returns
    -------
    sensitivity, specificity : float or ndarray of shape (n_classes,)
    support : ndarray of shape (n_classes,); None when averaged

    Notes
    -----
    With ``average="binary"``, a ``pos_label`` absent from data holding one class only (a
    fold without positives) gives ``(0.0, 0.0, None)``, as imbalanced-learn does.

    Examples
    --------
    >>> from imbalance.metrics import sensitivity_specificity_support
    >>> sens, spec, sup = sensitivity_specificity_support([0, 0, 0, 1, 1], [0, 0, 1, 1, 0])
    >>> sens.round(3).tolist(), spec.round(3).tolist(), sup.tolist()
    ([0.667, 0.5], [0.5, 0.667], [3, 2])
    """
    _check_average(average)
    kind, y_true, y_pred = _check_targets(y_true, y_pred)
    present = unique_labels(y_true, y_pred)
    if average == "binary":
        labels = _binary_labels(kind, present, pos_label, zero_division)
        if labels is None:
            fill = 0.0 if zero_division == "warn" else float(zero_division)
            return fill, fill, None
    elif pos_label not in (None, 1):
        warnings.warn(
            f"pos_label={pos_label!r} is ignored when average={average!r}; use "
            "labels=[pos_label] to specify a single positive class, or average='binary'.",
            UserWarning,
            stacklevel=2,
        )
    labels = present if labels is None else np.asarray(labels)
    tn, fp, fn, tp = _confusion(y_true, y_pred, labels, sample_weight)
    support = tp + fn
    if average == "micro":
        tn, fp, fn, tp = (a.sum(keepdims=True) for a in (tn, fp, fn, tp))
    sens = _divide(tp, tp + fn, "Sensitivity", zero_division)
    spec = _divide(tn, tn + fp, "Specificity", zero_division)
    if average is None:
        return sens, spec, support
    weights = None
    if average == "weighted":
        if support.sum() == 0:
            return 0.0, 0.0, None
        weights = support
    return float(np.average(sens, weights=weights)), float(np.average(spec, weights=weights)), None


def sensitivity_score(
    y_true: Target,
    y_pred: Target,
    *,
    labels: ArrayLike = None,
    pos_label: Label = 1,
    average: Average = "binary",
    sample_weight: ArrayLike = None,
    zero_division: ZeroDivision = "warn",
) -> Any:
    """Sensitivity (the recall of a class): see :func:`sensitivity_specificity_support`.

    Examples
    --------
    >>> from imbalance.metrics import sensitivity_score
    >>> sensitivity_score([0, 0, 1, 1], [0, 1, 1, 1])
    1.0
    """
    return sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )[0]


def specificity_score(
    y_true: Target,
    y_pred: Target,
    *,
    labels: ArrayLike = None,
    pos_label: Label = 1,
    average: Average = "binary",
    sample_weight: ArrayLike = None,
    zero_division: ZeroDivision = "warn",
) -> Any:
    """Specificity (the recall of the other classes): see :func:`sensitivity_specificity_support`.

    Examples
    --------
    >>> from imbalance.metrics import specificity_score
    >>> specificity_score([0, 0, 1, 1], [0, 1, 1, 1])
    0.5
    """
    return sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )[1]


def geometric_mean_score(
    y_true: Target,
    y_pred: Target,
    *,
    labels: ArrayLike = None,
    pos_label: Label = 1,
    average: Average | Literal["multiclass"] = "multiclass",
    sample_weight: ArrayLike = None,
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
        ``sqrt(TPR * TNR)``). Otherwise ``sqrt(sensitivity * specificity)`` with both taken from
        :func:`sensitivity_specificity_support` with the same ``average``: per class for
        ``None``, of ``pos_label`` for ``"binary"``, and for ``"macro"`` / ``"weighted"`` the
        G-mean of the averaged sensitivity and specificity (as imbalanced-learn; the mean of the
        per-class G-means is ``geometric_mean_score(..., average=None).mean()``).
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
    0.685
    """
    _check_average(average, (*_AVERAGES, "multiclass"))
    if correction < 0:
        raise InvalidParameterError(
            f"correction={correction!r} must be >= 0; it replaces a sensitivity of 0."
        )
    if average != "multiclass":
        sens, spec, _ = sensitivity_specificity_support(
            y_true,
            y_pred,
            labels=labels,
            pos_label=pos_label,
            average=average,
            sample_weight=sample_weight,
        )
        score = np.sqrt(np.multiply(sens, spec))
        return score if average is None else float(score)
    sens = sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=None,
        sample_weight=sample_weight,
        zero_division=0.0,
    )[0]
    sens = np.where(sens == 0, correction, sens)
    if not (sens > 0).all():
        return 0.0
    return float(np.exp(np.mean(np.log(sens))))


def make_index_balanced_accuracy(*, alpha: float = 0.1, squared: bool = True) -> Callable[[F], F]:
    """Decorator turning a metric of predicted labels into its index balanced accuracy (IBA).

    The decorated metric returns ``(1 + alpha * (sensitivity - specificity)) * score``, with
    ``score`` squared first when ``squared``. Sensitivity and specificity are computed with
    the ``labels``, ``pos_label``, ``average`` and ``sample_weight`` the metric is called
    with; ``average="multiclass"`` counts as ``"macro"`` and a metric without ``average``
    (``accuracy_score``) as ``"binary"``.

    Parameters
    ----------
    alpha : float, default=0.1
        Weight of the dominance ``sensitivity - specificity``.
    squared : bool, default=True
        Square the score before weighting it (the published form, for the G-mean).

    Returns
    -------
    decorator : callable
        Takes a metric ``f(y_true, y_pred, ...)`` and returns the IBA-weighted metric, with the
        same signature. Calling it on a metric of scores (``y_score``, ``y_proba``) raises
        ``TypeError``: their dominance is not defined.

    References
    ----------
    .. [1] V. García, R. A. Mollineda and J. S. Sánchez, "Index of balanced accuracy: a
       performance measure for skewed class distributions", IbPRIA 2009.

    Examples
    --------
    >>> from imbalance.metrics import geometric_mean_score, make_index_balanced_accuracy
    >>> iba_gmean = make_index_balanced_accuracy(alpha=0.1, squared=True)(geometric_mean_score)
    >>> iba_gmean([1, 0, 0, 1, 0, 1], [0, 0, 1, 1, 0, 1], average=None).round(4).tolist()
    [0.4444, 0.4444]
    """

    def decorate(score_func: F) -> F:
        signature = inspect.signature(score_func)

        @functools.wraps(score_func)
        def iba_score(*args: Any, **kwargs: Any) -> Any:
            if not {"y_true", "y_pred"} <= set(signature.parameters):
                name = getattr(score_func, "__name__", repr(score_func))
                raise InvalidParameterError(
                    f"make_index_balanced_accuracy needs a metric of predicted labels "
                    f"f(y_true, y_pred, ...); {name} takes ({', '.join(signature.parameters)}). "
                    "Scores and probabilities have no sensitivity or specificity to weight by."
                )
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            score = score_func(*bound.args, **bound.kwargs)
            if squared:
                score = np.power(score, 2)
            shared = {k: bound.arguments[k] for k in _SHARED if k in bound.arguments}
            average = shared.get("average", "binary")
            shared["average"] = "macro" if average == "multiclass" else average
            sens, spec, _ = sensitivity_specificity_support(**shared)
            result = (1.0 + alpha * (np.asarray(sens) - np.asarray(spec))) * score
            return float(result) if np.ndim(result) == 0 else result

        return iba_score  # type: ignore[return-value]

    return decorate


def index_balanced_accuracy(
    y_true: Target,
    y_pred: Target,
    *,
    alpha: float = 0.1,
    squared: bool = True,
    labels: ArrayLike = None,
    pos_label: Label = 1,
    average: Average = "binary",
    sample_weight: ArrayLike = None,
) -> Any:
    """Index balanced accuracy of the G-mean: ``(1 + alpha * (TPR - TNR)) * G``.

    ``G`` is ``sensitivity * specificity`` when ``squared`` (the published form) and its square
    root otherwise; the dominance term ``TPR - TNR`` rewards doing well on the positive class.
    Equal to ``make_index_balanced_accuracy(alpha=alpha, squared=squared)(geometric_mean_score)``
    called with the same ``average``.

    Examples
    --------
    >>> from imbalance.metrics import index_balanced_accuracy
    >>> round(index_balanced_accuracy([0, 0, 0, 1, 1], [0, 0, 1, 1, 0]), 4)
    0.3278
    """
    iba = make_index_balanced_accuracy(alpha=alpha, squared=squared)(geometric_mean_score)
    return iba(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
    )


def macro_averaged_mean_absolute_error(
    y_true: Target, y_pred: Target, *, sample_weight: ArrayLike = None
) -> float:
    """Mean absolute error of each true class, averaged over the classes (ordinal targets).

    Every class of ``y_true`` weighs the same, so that a model is not rewarded for predicting
    the majority grade. Labels must be numbers whose differences mean something (grades).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted ordinal labels.
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    loss : float
        0 is best.

    Examples
    --------
    >>> from imbalance.metrics import macro_averaged_mean_absolute_error
    >>> macro_averaged_mean_absolute_error([1, 1, 2, 2], [1, 2, 1, 2])
    0.5
    >>> round(macro_averaged_mean_absolute_error([1, 2, 2, 2], [1, 2, 1, 2]), 4)
    0.1667
    """
    _, y_true, y_pred = _check_targets(y_true, y_pred)
    weights = np.ones(len(y_true))
    if sample_weight is not None:
        weights = check_weights(sample_weight, "sample_weight", n=len(y_true))
    try:
        errors = np.abs(y_true.astype(np.float64) - y_pred.astype(np.float64))
    except (TypeError, ValueError) as exc:
        raise InvalidDataError(
            "macro_averaged_mean_absolute_error needs numeric (ordinal) labels; got "
            f"{y_true.dtype} and {y_pred.dtype}. Encode the grades as numbers first."
        ) from exc
    # A class whose rows all weigh 0 is absent from the weighted data: it is left out.
    per_class = [
        np.average(errors[rows], weights=weights[rows])
        for rows in (y_true == c for c in np.unique(y_true))
        if weights[rows].sum() > 0
    ]
    return float(np.mean(per_class))
