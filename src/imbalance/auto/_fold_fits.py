"""Strategies fitted on one fold, the model's preprocessing fitted once for all of them.

Samplers and class weights act after the model's preprocessing (imputation, scaling,
encoding), so on a given training fold the preprocessing is the same for every strategy: it is
fitted once per fold, and each strategy fits only its classifier on the transformed rows (the
numbers are those of fitting each strategy's whole pipeline). One fold is one job; every job
runs on one BLAS / OpenMP thread, and joblib spreads jobs over ``n_jobs`` cores.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline as SkPipeline
from threadpoolctl import ThreadpoolController

from .. import _containers
from .._typing import ArrayLike, Estimator, Label
from ..calibration import correct_priors
from ..exceptions import InvalidDataError
from ._candidates import Strategy, build_base, split_model

__all__ = ["FoldOutput", "apply_sigmoid", "fit_fold", "run_folds", "sigmoid_map"]

_EPS = 1e-12


@functools.cache
def _controller() -> ThreadpoolController:
    """threadpoolctl's view of the loaded libraries, built once (a scan of 15 to 30 ms)."""
    return ThreadpoolController()


@dataclass(slots=True)
class FoldOutput:
    """One strategy fitted on one fold: its output on the held-out rows."""

    val: np.ndarray
    proba: np.ndarray
    pred: np.ndarray | None
    classes: np.ndarray
    counts: tuple[dict[Any, float], dict[Any, float]]
    fit_seconds: float
    predict_seconds: float
    model: Any = None
    error: str | None = None  # why the strategy could not be fitted on this fold

    def positive(self, positive: Label) -> tuple[np.ndarray, float, float]:
        """(raw P(positive) on the held-out rows, the prior of ``positive`` the model learnt
        under, its prior in the training fold)."""
        col = int(np.flatnonzero(self.classes == positive)[0])
        seen, given = self.counts
        return (
            self.proba[:, col],
            float(seen.get(positive, 0.0) / sum(seen.values())),
            float(given[positive] / sum(given.values())),
        )

    def corrected(self) -> np.ndarray:
        """The probabilities mapped back to the training fold's own class priors."""
        seen, given = self.counts
        return np.asarray(
            correct_priors(
                self.proba, training_priors=seen, true_priors=given, classes=self.classes.tolist()
            )
        )


def training_counts(
    est: Estimator, y_train: np.ndarray
) -> tuple[dict[Any, float], dict[Any, float]]:
    """(class counts the classifier learnt from, class counts of the rows given to fit)."""
    clf = est.steps[-1][1] if hasattr(est, "steps") else est
    labels, n = np.unique(y_train, return_counts=True)
    given = {c: float(k) for c, k in zip(labels.tolist(), n.tolist(), strict=True)}
    seen = getattr(clf, "training_class_counts_", None)
    if seen is None and getattr(clf, "class_weight", None) == "balanced":
        seen = dict.fromkeys(given, 1.0)  # every class weighs the same in total
    return ({c: float(v) for c, v in seen.items()} if seen is not None else given), given


def fit_fold(
    strategies: list[Strategy],
    model: Estimator,
    X: ArrayLike,
    y: np.ndarray,
    train: np.ndarray,
    val: np.ndarray,
    predict: bool = True,
    keep: bool = False,
) -> list[FoldOutput]:
    """Fit every strategy on ``train`` (resampling there only) and predict ``val``
    (probabilities, and the estimator's own decisions when ``predict``); with ``keep``, each
    output holds its fitted model (preprocessing included) as ``model``."""
    with _controller().limit(limits=1):
        prep, clf = split_model(model)
        X_train, X_val, y_train = (
            _containers.take_rows(X, train),
            _containers.take_rows(X, val),
            y[train],
        )
        prep_fit = prep_predict = 0.0
        pipe = None
        if prep:
            pipe = clone(SkPipeline(prep))
            start = time.perf_counter()
            X_train = pipe.fit_transform(X_train, y_train)
            prep_fit = time.perf_counter() - start
            start = time.perf_counter()
            X_val = pipe.transform(X_val)
            prep_predict = time.perf_counter() - start
        outputs = []
        for strategy in strategies:
            est = build_base(strategy, clf)
            start = time.perf_counter()
            try:
                est.fit(X_train, y_train)
            except InvalidDataError as exc:  # the sampler cannot resample this fold
                if strategy.base != "sampler":
                    raise
                outputs.append(_failed(val, str(exc)))
                continue
            fit_seconds = prep_fit + time.perf_counter() - start
            start = time.perf_counter()
            proba = np.asarray(est.predict_proba(X_val), dtype=np.float64)
            pred = np.asarray(est.predict(X_val)) if predict else None
            outputs.append(
                FoldOutput(
                    val=val,
                    proba=proba,
                    pred=pred,
                    classes=np.asarray(est.classes_),
                    counts=training_counts(est, y_train),
                    fit_seconds=fit_seconds,
                    predict_seconds=prep_predict + time.perf_counter() - start,
                    model=_whole(pipe, est) if keep else None,
                )
            )
    return outputs


def _failed(val: np.ndarray, message: str) -> FoldOutput:
    empty = np.empty((0, 0))
    return FoldOutput(val, empty, None, np.array([]), ({}, {}), 0.0, 0.0, error=message)


def _whole(prep: SkPipeline | None, est: Estimator) -> Estimator:
    """The fitted preprocessing and classifier as one fitted pipeline."""
    return est if prep is None else SkPipeline([*prep.steps, ("classifier", est)])


def run_folds(
    jobs: Iterable[tuple[list[Strategy], np.ndarray, np.ndarray]],
    model: Estimator,
    X: ArrayLike,
    y: np.ndarray,
    n_jobs: int | None,
    *,
    predict: bool = True,
    keep: bool = False,
) -> Iterable[list[FoldOutput]]:
    """:func:`fit_fold` for every ``(strategies, train, val)`` job, in order, with joblib."""
    tasks = (delayed(fit_fold)(s, model, X, y, tr, va, predict, keep) for s, tr, va in jobs)
    return Parallel(n_jobs=n_jobs, return_as="generator")(tasks)


def to_true_prior(raw: np.ndarray, train_prior: float, true_prior: float) -> np.ndarray:
    """P(positive) learnt under ``train_prior`` mapped to ``true_prior`` (Saerens et al.)."""
    if abs(train_prior - true_prior) < 1e-15:
        return raw
    out = correct_priors(
        raw,
        training_priors=[1 - train_prior, train_prior],
        true_priors=[1 - true_prior, true_prior],
    )
    return np.asarray(out)


def sigmoid_map(raw: np.ndarray, y01: np.ndarray) -> tuple[float, float]:
    """Platt's map ``p = 1 / (1 + exp(-(a * logit(raw) + b)))`` fitted on out-of-fold scores."""
    z = np.log(np.clip(raw, _EPS, 1 - _EPS) / np.clip(1 - raw, _EPS, 1 - _EPS))
    fit = LogisticRegression(C=1e4).fit(z.reshape(-1, 1), y01)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def apply_sigmoid(raw: np.ndarray, a: float, b: float) -> np.ndarray:
    """The map of :func:`sigmoid_map` applied to raw probabilities."""
    z = np.log(np.clip(raw, _EPS, 1 - _EPS) / np.clip(1 - raw, _EPS, 1 - _EPS))
    return np.asarray(1.0 / (1.0 + np.exp(-(a * z + b))))
