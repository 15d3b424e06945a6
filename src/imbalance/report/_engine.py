"""The comparison's fits: each strategy's model fitted once per fold, in parallel.

Strategies that differ only in their after-step share a fit: ``rus`` and ``rus+prior`` are the
same model (prior correction maps its probabilities), and ``none+threshold`` is the ``none`` model
with a threshold tuned on three inner folds of the training part, as scikit-learn's
``TunedThresholdClassifierCV`` tunes it (100 thresholds between the lowest and highest score of
each inner fold, the mean of the interpolated curves), with the metric at every threshold from
one sort (:func:`imbalance.metrics.metric_at_thresholds`) instead of one metric call per
threshold. The model's preprocessing is fitted once per fold (and inner fold) for every
strategy (:mod:`imbalance.auto._fold_fits`); ``n_jobs`` spreads the folds over cores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from .._typing import ArrayLike, Label
from ..auto._candidates import Strategy
from ..auto._fold_fits import FoldOutput, run_folds
from ..metrics import metric_at_thresholds

__all__ = ["apply_after", "inner_splits", "run_fits", "tuned_column", "tuned_threshold"]

_N_THRESHOLDS = 100
_INNER_FOLDS = 3


def inner_splits(
    y: np.ndarray, train: np.ndarray, random_state: int | None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The inner folds of a training part, as positions in the whole data."""
    inner = StratifiedKFold(_INNER_FOLDS, shuffle=True, random_state=random_state)
    return [(train[a], train[b]) for a, b in inner.split(np.zeros(len(train)), y[train])]


def run_fits(
    groups: dict[str, Strategy],
    tuned: set[str],
    model: Any,
    X: ArrayLike,
    y: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    random_state: int | None,
    n_jobs: int | None,
    progress: Callable[[int, int, str], None] | None,
) -> tuple[dict[tuple[str, int], FoldOutput], dict[tuple[str, int, int], FoldOutput]]:
    """Fit every group on every fold, and the ``tuned`` groups on the inner folds of each.

    Returns the outer outputs by ``(key, fold)`` and the inner ones by
    ``(key, fold, inner split)``.
    """
    keys = list(groups)
    jobs: list[tuple[tuple[int, int | None], list[str], np.ndarray, np.ndarray]] = []
    for k, (train, val) in enumerate(folds):
        jobs.append(((k, None), keys, train, val))
        if tuned:
            for i, (tr, va) in enumerate(inner_splits(y, train, random_state)):
                jobs.append(((k, i), [key for key in keys if key in tuned], tr, va))
    outputs = run_folds(
        (([groups[key] for key in ks], tr, va) for _, ks, tr, va in jobs), model, X, y, n_jobs
    )
    outer: dict[tuple[str, int], FoldOutput] = {}
    inner: dict[tuple[str, int, int], FoldOutput] = {}
    for done, ((ident, ks, _, _), outs) in enumerate(zip(jobs, outputs, strict=True), start=1):
        fold, split = ident
        for key, out in zip(ks, outs, strict=True):
            if split is None:
                outer[(key, fold)] = out
            else:
                inner[(key, fold, split)] = out
        if progress is not None:
            what = f"fold {fold + 1}" + ("" if split is None else f", tuning split {split + 1}")
            progress(done, len(jobs), what)
    return outer, inner


def tuned_column(metric: str, positive: Label, classes: np.ndarray) -> int:
    """The column TunedThresholdClassifierCV thresholds: the scorer's ``pos_label`` (F1: the
    positive class; G-mean: label 1), otherwise ``classes_[1]``."""
    label: Any = positive if metric == "f1" else (1 if metric == "g_mean" else None)
    hits = np.flatnonzero(classes == label) if label is not None else np.array([], dtype=int)
    return int(hits[0]) if hits.size else 1


def tuned_threshold(
    metric: str, column: int, classes: np.ndarray, y: np.ndarray, inner: list[FoldOutput]
) -> float | None:
    """TunedThresholdClassifierCV's ``best_threshold_`` from the inner folds' outputs, or None
    when the model's scores are constant (nothing to tune)."""
    label = classes[column]
    curves = []
    for out in inner:
        scores = out.proba[:, column]
        grid = np.linspace(np.min(scores), np.max(scores), _N_THRESHOLDS)
        if np.isclose(grid[0], grid[-1]):
            return None
        _, values = metric_at_thresholds(
            y[out.val] == label, scores, metric=metric, pos_label=True, thresholds=grid
        )
        curves.append((grid, values))
    low, high = min(g.min() for g, _ in curves), max(g.max() for g, _ in curves)
    common = np.linspace(low, high, _N_THRESHOLDS)
    mean = np.mean([np.interp(common, g, v) for g, v in curves], axis=0)
    return float(common[int(np.argmax(mean))])


def apply_after(
    strategy: Strategy, out: FoldOutput, threshold: float | None, column: int
) -> tuple[np.ndarray, np.ndarray, float]:
    """(probabilities, predictions, threshold) of a strategy from its group's fitted output."""
    classes = out.classes
    if strategy.after == "prior" and strategy.base != "none":
        proba = out.corrected()
        return proba, classes[np.argmax(proba, axis=1)], 0.5
    if strategy.after == "threshold" and threshold is not None:
        pred_pos = out.proba[:, column] >= threshold
        return out.proba, classes[np.where(pred_pos, column, 1 - column)], threshold
    assert out.pred is not None  # the comparison always asks for the model's own decisions
    return out.proba, out.pred, 0.5
