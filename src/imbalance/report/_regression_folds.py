"""One fold of a regression comparison: every strategy fitted on the training rows only.

The model's preprocessing is fitted once per fold on its training rows; each strategy then
fits the regressor on the transformed training rows as they are (``none``), with per-row
weights of the training target (``density``, ``lds``) or resampled inside a
:class:`imbalance.regression.ResampledRegressor`; the relevance phi comes from the training
target. Validation rows are only predicted.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import has_fit_parameter
from threadpoolctl import threadpool_limits

from .. import _containers
from .._typing import ArrayLike, Estimator, FloatArray, Sampler
from ..exceptions import InvalidDataError, InvalidParameterError
from ..regression import (
    RelevanceWarning,
    ResampledRegressor,
    control_points,
    density_weights,
    lds_weights,
    region_errors,
    relevance,
    sera,
)

__all__ = ["FoldOut", "RegStrategy", "fold_points", "run_folds"]

_LDS_BINS = 50


def fold_points(y: FloatArray) -> FloatArray:
    """Control points of a training target: the automatic ones (box-plot whiskers) when the
    target has outliers, else relevance rising from 0 at the median to 1 at the 90th
    percentile (or the maximum, when the 90th percentile is the median)."""
    try:
        points = np.asarray(control_points(y), dtype=np.float64)
        if points[:, 1].max() > 0:
            return points
    except InvalidDataError:
        pass  # the box plot collapses (a tied target): the quantile rule below
    median, high = float(np.median(y)), float(np.quantile(y, 0.9))
    if high <= median:
        high = float(np.max(y))
    return np.array([[median, 0.0, 0.0], [high, 1.0, 0.0]])


@dataclass
class RegStrategy:
    name: str
    kind: Literal["none", "weights", "sampler"]
    weights: str | None = None
    sampler: Sampler | None = None
    named: bool = False  # a name of REGRESSION_STRATEGIES: fold control points are set


@dataclass
class FoldOut:
    records: dict[str, dict[str, float]] = field(default_factory=dict)
    predictions: dict[str, FloatArray] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _split(model: Estimator) -> tuple[Pipeline | None, Estimator]:
    steps = getattr(model, "steps", None)
    if isinstance(model, Pipeline) and steps and len(steps) > 1:
        return Pipeline(steps[:-1]), steps[-1][1]
    return None, model


def _fit(
    s: RegStrategy, reg: Estimator, X: ArrayLike, y: FloatArray, points: FloatArray
) -> Any:  # a fitted regressor
    if s.kind == "none":
        return clone(reg).fit(X, y)
    if s.kind == "weights":
        if not has_fit_parameter(reg, "sample_weight"):
            raise InvalidParameterError(
                f"{type(reg).__name__}.fit takes no sample_weight, so {s.name} cannot weigh rows."
            )
        w = density_weights(y) if s.weights == "density" else lds_weights(y, bins=_LDS_BINS)
        return clone(reg).fit(X, y, sample_weight=w)
    assert s.sampler is not None
    sampler = clone(s.sampler).set_params(control_points=points) if s.named else s.sampler
    return ResampledRegressor(sampler, reg).fit(X, y)


def _fit_fold(
    strategies: list[RegStrategy],
    model: Estimator,
    X: ArrayLike,
    y: FloatArray,
    train: np.ndarray,
    val: np.ndarray,
    given: FloatArray | None,
) -> FoldOut:
    """Every strategy fitted on ``train`` and scored on ``val``."""
    with threadpool_limits(limits=1):  # small fits: OpenMP threads cost more than they give
        prep, reg = _split(model)
        X_tr, X_va, y_tr, y_va = (
            _containers.take_rows(X, train),
            _containers.take_rows(X, val),
            y[train],
            y[val],
        )
        prep_seconds = 0.0
        if prep is not None:
            start = time.perf_counter()
            prep = clone(prep)
            X_tr = prep.fit_transform(X_tr, y_tr)
            X_va = prep.transform(X_va)
            prep_seconds = time.perf_counter() - start
        points = fold_points(y_tr) if given is None else given
        phi = relevance(y_va, control_points=points)
        out = FoldOut()
        for s in strategies:
            start = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RelevanceWarning)
                try:
                    fitted = _fit(s, reg, X_tr, y_tr, points)
                except ValueError as exc:  # InvalidDataError included
                    if s.kind == "none":
                        raise
                    out.errors[s.name] = " ".join(str(exc).split())
                    continue
            _relay(caught, s.name, out.warnings)
            fit_seconds = prep_seconds + time.perf_counter() - start
            start = time.perf_counter()
            pred = np.asarray(fitted.predict(X_va), dtype=np.float64).ravel()
            out.records[s.name] = {
                **_scores(y_tr, y_va, pred, phi),
                "fit_seconds": fit_seconds,
                "predict_seconds": time.perf_counter() - start,
            }
            out.predictions[s.name] = pred
    return out


def _relay(caught: list[warnings.WarningMessage], name: str, notes: list[str]) -> None:
    """Relevance warnings become notes of the strategy; any other warning goes on."""
    for w in caught:
        if issubclass(w.category, RelevanceWarning):
            notes.append(f"{name}: {' '.join(str(w.message).split())}")
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _scores(
    y_tr: FloatArray, y_va: FloatArray, pred: FloatArray, phi: FloatArray
) -> dict[str, float]:
    """The fold's numbers: SERA with phi, MAE per region (10 bins of the training target)."""
    n = len(y_tr)
    errs = region_errors(y_va, pred, y_train=y_tr, bins=10, many=n // 10, few=n // 50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelevanceWarning)  # no rare validation row: SERA 0
        value = sera(y_va, pred, relevance=phi)
    return {
        "sera": value,
        "few_mae": errs["few"]["mae"],
        "medium_mae": errs["medium"]["mae"],
        "many_mae": errs["many"]["mae"],
        "mae": errs["all"]["mae"],
        "rmse": float(np.sqrt(errs["all"]["mse"])),
        "n_few": errs["few"]["n"],
        "n_medium": errs["medium"]["n"],
        "n_many": errs["many"]["n"],
    }


def run_folds(
    parsed: list[RegStrategy],
    model: Estimator,
    X: ArrayLike,
    y: FloatArray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    given: FloatArray | None,
    n_jobs: int | None,
    progress: Callable[[int, int, str], None] | None,
) -> list[FoldOut]:
    tasks = (delayed(_fit_fold)(parsed, model, X, y, tr, va, given) for tr, va in folds)
    outs = []
    for k, out in enumerate(Parallel(n_jobs=n_jobs, return_as="generator")(tasks), start=1):
        outs.append(out)
        if progress is not None:
            progress(k, len(folds), f"fold {k}")
    return outs
