"""compare_strategies: every strategy, cross-validated with resampling in training folds only."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve
from sklearn.model_selection import StratifiedKFold

from .. import _containers
from .._typing import ArrayLike, Estimator, Label, Target
from .._validation import encode_target
from ..exceptions import InvalidDataError, InvalidParameterError
from ._metrics import METRICS, compute_metrics, threshold_scorer
from ._models import categorical_columns, make_model
from ._result import ComparisonResult, recommend
from ._strategies import SAMPLER_NAMES, Strategy, build_estimator, parse_strategies

__all__ = ["DEFAULT_STRATEGIES", "compare_strategies", "default_strategies"]

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
    estimator: Estimator = None,
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
        Folds run in parallel with joblib.
    random_state : int or None, default=0
        Seeds the folds, the samplers and the model.
    dataset_name : str, default="data"
        Shown in reports.
    progress : callable, default=None
        Called as ``progress(done, total, label)`` after each fitted fold.

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
    scorer = threshold_scorer(scoring, positive)
    tasks = [
        (
            s,
            k,
            build_estimator(
                s, model, scoring=scorer, n_classes=len(classes), random_state=random_state
            ),
        )
        for s in parsed
        for k in range(len(folds))
    ]
    records, oof = _run(tasks, X, y_arr, folds, classes, positive, n_jobs, progress)
    result = ComparisonResult(
        dataset=_describe(dataset_name, target, n_features, positive),
        metric=scoring,
        strategies=[s.name for s in parsed],
        folds=records,
        curves={s.name: _curves(y_arr, oof[s.name], classes, positive) for s in parsed},
        settings={"model": _describe_model(model), "cv": cv, "random_state": random_state},
    )
    result.recommendation = recommend(result)
    return result


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


def _run(
    tasks: list[tuple[Strategy, int, Any]],
    X: ArrayLike,
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    classes: np.ndarray,
    positive: Label,
    n_jobs: int | None,
    progress: Callable[[int, int, str], None] | None,
) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    jobs = (delayed(_fit_fold)(s, k, est, X, y, folds[k], classes, positive) for s, k, est in tasks)
    outputs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs)
    records, oof = [], {s.name: np.full((len(y), len(classes)), np.nan) for s, _, _ in tasks}
    for done, (record, val_idx, proba) in enumerate(outputs, start=1):
        records.append(record)
        oof[record["strategy"]][val_idx] = proba
        if progress is not None:
            progress(done, len(tasks), f"{record['strategy']} fold {record['fold'] + 1}")
    order = {s.name: i for i, (s, _, _) in enumerate(tasks)}
    records.sort(key=lambda r: (order[r["strategy"]], r["fold"]))
    return records, oof


def _fit_fold(
    strategy: Strategy,
    fold: int,
    estimator: Estimator,
    X: ArrayLike,
    y: np.ndarray,
    split: tuple[np.ndarray, np.ndarray],
    classes: np.ndarray,
    positive: Label,
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    train, val = split
    est = clone(estimator)
    start = time.perf_counter()
    est.fit(_containers.take_rows(X, train), y[train])  # resampling happens here, on train only
    fit_seconds = time.perf_counter() - start
    X_val = _containers.take_rows(X, val)
    start = time.perf_counter()
    proba = np.asarray(est.predict_proba(X_val), dtype=np.float64)
    pred = np.asarray(est.predict(X_val))
    predict_seconds = time.perf_counter() - start
    record = {
        "strategy": strategy.name,
        "fold": fold,
        **compute_metrics(y[val], proba, pred, classes, positive),
        "threshold": float(getattr(est, "best_threshold_", 0.5)),
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
    }
    return record, val, proba


def _curves(
    y: np.ndarray, proba: np.ndarray, classes: np.ndarray, positive: Label
) -> dict[str, dict[str, list[float]]]:
    k = int(np.flatnonzero(classes == positive)[0])
    y_pos, p_pos = (y == positive).astype(int), proba[:, k]
    precision, recall, _ = precision_recall_curve(y_pos, p_pos)
    keep = np.unique(np.linspace(0, len(precision) - 1, min(len(precision), 200)).astype(int))
    prob_true, prob_pred = calibration_curve(y_pos, p_pos, n_bins=10, strategy="quantile")
    return {
        "pr": {"precision": precision[keep].tolist(), "recall": recall[keep].tolist()},
        "calibration": {"prob_pred": prob_pred.tolist(), "prob_true": prob_true.tolist()},
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
