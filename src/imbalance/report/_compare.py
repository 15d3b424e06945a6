"""compare_strategies: every strategy, cross-validated with resampling in training folds only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import StratifiedKFold

from .. import _containers
from .._typing import ArrayLike, Estimator, Label, Target
from .._validation import encode_target
from ..auto._candidates import (
    SAMPLER_NAMES,
    Strategy,
    adapt_neighbours,
    parse_strategies,
    with_sampler,
)
from ..auto._fold_fits import FoldOutput
from ..exceptions import InvalidDataError, InvalidParameterError
from ._curves import calibration_bins, confusion_counts
from ._engine import apply_after, run_fits, tuned_column, tuned_threshold
from ._metrics import METRICS, compute_metrics
from ._models import categorical_columns, make_model
from ._recommend import recommend_with_estimator
from ._result import ComparisonResult

__all__ = ["DEFAULT_STRATEGIES", "compare_strategies", "default_strategies"]

# the metric a "+threshold" strategy tunes for each ranking metric (threshold-free ones and
# balanced accuracy: balanced accuracy)
_TUNED_METRIC = {"g_mean": "g_mean", "f1": "f1", "mcc": "mcc"}

DEFAULT_STRATEGIES = (
    "none",
    "none+threshold",
    "weights",
    "rus",
    "rus+prior",
    "ros",
    "smote",
)


def default_strategies(X: ArrayLike) -> list[str]:
    """The default set: SMOTE only when every feature is numeric (it interpolates)."""
    import imbalance.samplers as samplers

    numeric_only = not categorical_columns(X)
    return [
        s
        for s in DEFAULT_STRATEGIES
        if s != "smote" or (numeric_only and hasattr(samplers, SAMPLER_NAMES["smote"]))
    ]


def compare_strategies(
    X: ArrayLike,
    y: Target,
    *,
    strategies: Sequence[Any] | dict[str, Any] | None = None,
    estimator: Estimator | None = None,
    cv: int = 5,
    scoring: str = "balanced_accuracy",
    n_jobs: int | None = None,
    random_state: int | None = 0,
    dataset_name: str = "data",
    progress: Callable[[int, int, str], None] | None = None,
) -> ComparisonResult:
    """Cross-validate ways of handling the imbalance and say which to use.

    Every strategy is fitted on the training part of each fold only; validation rows are
    never resampled or reweighted. Out-of-fold probabilities give the PR and calibration curves.

    Parameters
    ----------
    X : {array-like, DataFrame} of shape (n_samples, n_features)
        Mixed types and missing values are fine with the default model.
    y : array-like of shape (n_samples,)
    strategies : list or dict, default=None
        Names (``"none"``, ``"weights"``, ``"rus"``, ``"ros"``, ``"smote"``, ... each optionally
        with ``"+prior"`` or ``"+threshold"``), sampler objects, or a dict {name: either}.
        Default: :func:`default_strategies`.
    estimator : classifier, default=None
        The model; a scikit-learn Pipeline's preprocessing runs before the sampler. Default:
        logistic regression with imputation, scaling and one-hot encoding (:func:`make_model`).
    cv : int, default=5
        Number of stratified folds (shuffled with ``random_state``).
    scoring : str, default="balanced_accuracy"
        The metric strategies are ranked by, one of ``METRICS``; tuned thresholds optimise it
        when it depends on the threshold (balanced accuracy otherwise).
    n_jobs : int, default=None
        Fits (strategy x fold, and the inner folds of tuned thresholds) run in parallel with
        joblib; each fit uses one thread. Strategies that share a model (``rus`` and
        ``rus+prior``, ``none`` and ``none+threshold``) share its fits.
    random_state : int or None, default=0
        Seeds the folds, the samplers and the model.
    dataset_name : str, default="data"
        Shown in reports.
    progress : callable, default=None
        Called as ``progress(done, total, label)`` after each fit.

    Returns
    -------
    ComparisonResult

    Examples
    --------
    >>> from imbalance.datasets import load_yeast4
    >>> from imbalance.report import compare_strategies
    >>> X, y = load_yeast4(return_X_y=True)
    >>> result = compare_strategies(X, y, strategies=["none", "rus"], cv=3)
    >>> sorted(result.summary()["rus"])[:3]
    ['average_precision', 'balanced_accuracy', 'brier']
    """
    if scoring not in METRICS:
        raise InvalidParameterError(
            f"scoring={scoring!r} is not reported; use one of {', '.join(METRICS)}."
        )
    X, n_samples, n_features = _check_X(X)
    y_arr = _containers.target_to_numpy(_containers.as_supported(y))
    if y_arr.ndim != 1 or len(y_arr) != n_samples:
        raise InvalidDataError(
            f"y must hold one label per row of X ({n_samples}); got shape {y_arr.shape}."
        )
    target = encode_target(y_arr)
    classes = np.asarray(target.classes)
    positive = classes[int(np.argmin(target.counts))]
    _check_folds(target.class_counts, cv)
    model = make_model(X, random_state=random_state) if estimator is None else estimator
    parsed = parse_strategies(
        default_strategies(X) if strategies is None else strategies, random_state
    )
    folds = list(
        StratifiedKFold(cv, shuffle=True, random_state=random_state).split(
            np.zeros(n_samples), y_arr
        )
    )
    _check_thresholds(parsed, len(classes))
    parsed, notes = _adapt_to_folds(parsed, y_arr, folds)
    groups: dict[str, Strategy] = {}
    for s in parsed:
        groups.setdefault(s.fit_key, s)
    tuned = {s.fit_key for s in parsed if s.after == "threshold"}
    outer, inner = run_fits(groups, tuned, model, X, y_arr, folds, random_state, n_jobs, progress)
    parsed = _drop_failed(parsed, [*outer.items(), *inner.items()], notes)
    records, oof = _assemble(parsed, outer, inner, y_arr, folds, classes, positive, scoring)
    result = ComparisonResult(
        dataset=_describe(dataset_name, target, n_features, positive),
        metric=scoring,
        strategies=[s.name for s in parsed],
        folds=records,
        curves={s.name: _curves(y_arr, oof[s.name], classes, positive) for s in parsed},
        settings={"model": _describe_model(model), "cv": cv, "random_state": random_state},
        notes=notes,
    )
    result.recommendation = recommend_with_estimator(
        result, parsed, outer, y_arr, classes, positive
    )
    return result


def _check_thresholds(parsed: list[Strategy], n_classes: int) -> None:
    for s in parsed:
        if s.after == "threshold" and n_classes != 2:
            raise InvalidParameterError(
                f"strategy {s.name!r}: threshold tuning needs two classes, y has {n_classes}."
            )


def _adapt_to_folds(
    parsed: list[Strategy], y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[list[Strategy], list[str]]:
    """SMOTE-family samplers with neighbour counts that the smallest training folds allow
    (inner tuning folds included); a strategy is left out only when no count would do."""
    notes: list[str] = []
    smallest = min(int(np.min(np.unique(y[train], return_counts=True)[1])) for train, _ in folds)
    inner = (smallest * 2) // 3  # the training part of three inner folds
    out = []
    for s in parsed:
        if s.base != "sampler":
            out.append(s)
            continue
        rows = inner if s.after == "threshold" else smallest
        sampler, note = adapt_neighbours(s.sampler, rows)
        if note is not None:
            notes.append(f"{s.name}: {note}")
        if sampler is not None:
            out.append(with_sampler(s, sampler))
    if not out:
        raise InvalidDataError("no strategy is left to compare: " + " ".join(notes))
    return out, notes


def _drop_failed(
    parsed: list[Strategy], outputs: list[tuple[tuple[Any, ...], FoldOutput]], notes: list[str]
) -> list[Strategy]:
    """Strategies whose sampler could not resample a training fold are left out, with a
    note; a comparison fails only when nothing is left."""
    errors = {ident[0]: out.error for ident, out in outputs if out.error}
    kept = []
    for s in parsed:
        if s.fit_key in errors:
            notes.append(
                f"{s.name} left out: a training fold could not be resampled: {errors[s.fit_key]}"
            )
        else:
            kept.append(s)
    if not kept:
        raise InvalidDataError("no strategy could be fitted: " + " ".join(notes))
    return kept


def _assemble(
    parsed: list[Strategy],
    outer: dict[tuple[str, int], FoldOutput],
    inner: dict[tuple[str, int, int], FoldOutput],
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    classes: np.ndarray,
    positive: Label,
    scoring: str,
) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    metric = _TUNED_METRIC.get(scoring, "balanced_accuracy")
    column = tuned_column(metric, positive, classes)
    records: list[dict[str, Any]] = []
    oof = {s.name: np.full((len(y), len(classes)), np.nan) for s in parsed}
    for s in parsed:
        for k in range(len(folds)):
            out = outer[(s.fit_key, k)]
            seconds = out.fit_seconds
            threshold = None
            if s.after == "threshold":
                tuning = [v for (key, f, _), v in inner.items() if key == s.fit_key and f == k]
                threshold = tuned_threshold(metric, column, classes, y, tuning)
                seconds += sum(t.fit_seconds + t.predict_seconds for t in tuning)
            proba, pred, used = apply_after(s, out, threshold, column)
            y_val = y[out.val]
            records.append(
                {
                    "strategy": s.name,
                    "fold": k,
                    **compute_metrics(y_val, proba, pred, classes, positive),
                    "threshold": used,
                    "fit_seconds": seconds,
                    "predict_seconds": out.predict_seconds,
                    "confusion": confusion_counts(y_val, pred, classes),
                }
            )
            oof[s.name][out.val] = proba
    return records, oof


def _check_X(X: ArrayLike) -> tuple[Any, int, int]:
    X = _containers.as_supported(X)
    n_samples, n_features = _containers.shape_2d(X)
    if isinstance(X, list):
        X = np.asarray(X, dtype=object)
    return X, n_samples, n_features


def _check_folds(counts: dict[Any, int], cv: int) -> None:
    if len(counts) < 2:
        only = next(iter(counts))
        raise InvalidDataError(
            f"y holds one class only ({only!r}); a comparison needs two or more."
        )
    small = {c: n for c, n in counts.items() if n < cv}
    if small:
        cls, n = next(iter(small.items()))
        raise InvalidDataError(
            f"class {cls!r} has {n} row(s) but cv={cv} needs at least {cv} of every class "
            f"(one per validation fold). Lower cv to {max(2, min(counts.values()))} "
            "or gather more data."
        )


def _curves(
    y: np.ndarray, proba: np.ndarray, classes: np.ndarray, positive: Label
) -> dict[str, dict[str, list[float]]]:
    k = int(np.flatnonzero(classes == positive)[0])
    y_pos, p_pos = (y == positive).astype(int), proba[:, k]
    precision, recall, _ = precision_recall_curve(y_pos, p_pos)
    keep = np.unique(np.linspace(0, len(precision) - 1, min(len(precision), 200)).astype(int))
    return {
        "pr": {"precision": precision[keep].tolist(), "recall": recall[keep].tolist()},
        "calibration": calibration_bins(y_pos, p_pos),
    }


def _describe(name: str, target: Any, n_features: int, positive: Label) -> dict[str, Any]:
    counts = [[_plain(c), int(n)] for c, n in target.class_counts.items()]
    return {
        "name": name,
        "n_samples": int(target.counts.sum()),
        "n_features": n_features,
        "class_counts": counts,
        "positive_label": _plain(positive),
        "imbalance_ratio": float(target.counts.max() / target.counts.min()),
    }


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _describe_model(model: Estimator) -> str:
    steps = getattr(model, "steps", None)
    if steps:
        return " → ".join(type(step).__name__ for _, step in steps)
    return type(model).__name__
