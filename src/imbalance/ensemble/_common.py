"""What the balanced ensembles share: each member resamples its rows, then fits an estimator.

A *member* is a fitted sampler and a fitted estimator. Its rows are drawn from the training set
(a bootstrap or a subsample, or all of them), the sampler resamples them (``sample_weight``
follows the rows, see :func:`imbalance.pipeline.resample_sample_weight`), and the estimator is
fitted on the result. Members are fitted in parallel threads, each with its own seed drawn
from ``random_state``, so the same seed gives the same ensemble whatever ``n_jobs``.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import has_fit_parameter, validate_data

from .._typing import ArrayLike, Classifier, Estimator, Matrix, Sampler, Target
from .._validation import check_sample_weight
from ..exceptions import InvalidDataError, InvalidParameterError
from ..pipeline import resample_sample_weight

__all__ = [
    "Member",
    "average_decision",
    "average_proba",
    "check_fit_data",
    "draw_rows",
    "fit_members",
    "n_to_draw",
    "oob_proba",
    "seeded",
]

MAX_SEED = 2**31 - 1

ExtraWeight = Callable[
    [np.random.Generator, np.ndarray, np.ndarray | None, np.ndarray],
    tuple[np.ndarray | None, np.ndarray],
]
"""``extra_weight(rng, y_res, w_res, used) -> (weights, used rows)`` of :func:`fit_members`."""


class _Ensemble(Estimator, Protocol):
    classes_: np.ndarray
    n_classes_: int


class _Scoring(Protocol):
    classes_: np.ndarray

    def decision_function(self, X: Matrix) -> np.ndarray: ...


@dataclass
class Member:
    """One fitted member: its sampler and estimator, the positions in X of the rows drawn for
    it (before its sampler), the columns it reads, and the positions of the rows its estimator
    was fitted on (after its sampler; used for out-of-bag estimates)."""

    sampler: Any
    estimator: Any
    rows: np.ndarray
    features: np.ndarray
    trained: np.ndarray


def check_fit_data(
    est: _Ensemble,
    X: ArrayLike,
    y: Target,
    sample_weight: ArrayLike | None,
    *,
    allow_nan: bool = False,
) -> tuple[Matrix, np.ndarray, np.ndarray | None]:
    """Validated X (dense or CSR/CSC), 1-D class labels, and sample weights (or None)."""
    finite: bool | str = "allow-nan" if allow_nan else True
    X_checked, y_checked = validate_data(
        est, X, y, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=finite
    )
    check_classification_targets(y_checked)
    w = None if sample_weight is None else check_sample_weight(sample_weight, X_checked.shape[0])
    est.classes_ = np.unique(y_checked)
    est.n_classes_ = len(est.classes_)
    return X_checked, np.asarray(y_checked), w


def seeded(estimator: Estimator, seed: int) -> Any:
    """A clone of ``estimator`` whose every ``random_state`` (nested ones too) is ``seed``."""
    est = clone(estimator)
    names = [
        k for k in est.get_params(deep=True) if k == "random_state" or k.endswith("__random_state")
    ]
    if names:
        est.set_params(**dict.fromkeys(names, seed))
    return est


def n_to_draw(max_samples: float, n: int, name: str = "max_samples") -> int:
    """Rows (or columns) to draw: an int as is, a float as a share of ``n``."""
    if isinstance(max_samples, numbers.Integral):
        count = int(max_samples)
    else:
        count = round(float(max_samples) * n)
    if not 1 <= count <= n:
        raise InvalidParameterError(
            f"{name}={max_samples!r} asks for {count} of {n} available; give an int in [1, {n}] "
            "or a float in (0, 1]."
        )
    return count


def draw_rows(rng: np.random.Generator, n: int, size: int, replace: bool) -> np.ndarray:
    """Sorted positions: a bootstrap (``replace``), a subsample, or every row when ``size == n``."""
    if replace:
        return np.sort(rng.integers(0, n, size=size))
    if size == n:
        return np.arange(n)
    return np.sort(rng.choice(n, size=size, replace=False))


def _fit_one(
    sampler: Sampler,
    estimator: Estimator,
    X: Matrix,
    y: np.ndarray,
    w: np.ndarray | None,
    rows: np.ndarray,
    features: np.ndarray,
    seed: int,
    extra_weight: ExtraWeight | None,
) -> Member:
    Xm = X[rows] if features.size == X.shape[1] else X[rows][:, features]
    sampler = seeded(sampler, seed)
    X_res, y_res = sampler.fit_resample(Xm, y[rows])
    w_res = None if w is None else resample_sample_weight(sampler, w[rows], len(y_res))
    kept = getattr(sampler, "sample_indices_", None)  # a third-party sampler may not say
    used = rows if kept is None else rows[np.asarray(kept)]
    if extra_weight is not None:
        w_res, used = extra_weight(np.random.default_rng((seed, 1)), y_res, w_res, used)
    est: Any = seeded(estimator, seed)  # a clone of the user's estimator: fit is asked of it
    if w_res is None:
        est.fit(X_res, y_res)
    else:
        est.fit(X_res, y_res, sample_weight=w_res)
    return Member(sampler, est, rows, features, np.unique(used))


def fit_members(
    owner: str,
    sampler: Sampler,
    estimator: Estimator,
    X: Matrix,
    y: np.ndarray,
    w: np.ndarray | None,
    draws: list[tuple[np.ndarray, np.ndarray, int]],
    *,
    n_jobs: int | None,
    verbose: int = 0,
    extra_weight: ExtraWeight | None = None,
) -> list[Member]:
    """Fit one member per ``(rows, features, seed)`` of ``draws``, in parallel threads.

    ``extra_weight(rng, y_res, w_res, used)``, when given, turns the resampled rows' weights
    into the estimator's (a forest's bootstrap counts) and returns them with the used rows.
    """
    if w is not None and not has_fit_parameter(estimator, "sample_weight"):
        raise InvalidParameterError(
            f"{owner} was given sample_weight, but its estimator {type(estimator).__name__} "
            "does not accept sample_weight in fit. Use an estimator that does, or drop "
            "sample_weight."
        )
    jobs = Parallel(n_jobs=n_jobs, prefer="threads", verbose=verbose)
    return list(
        jobs(
            delayed(_fit_one)(sampler, estimator, X, y, w, rows, feats, seed, extra_weight)
            for rows, feats, seed in draws
        )
    )


def _columns(X: Matrix, features: np.ndarray) -> Matrix:
    return X if features.size == X.shape[1] else X[:, features]


def _member_proba(
    model: Classifier, features: np.ndarray, X: Matrix, classes: np.ndarray
) -> np.ndarray:
    """Probabilities of a member over all ``classes`` (zero for classes it never saw); members
    without ``predict_proba`` vote with ``predict``."""
    Xm = _columns(X, features)
    out = np.zeros((X.shape[0], len(classes)), dtype=np.float64)
    if hasattr(model, "predict_proba"):
        out[:, np.searchsorted(classes, model.classes_)] = model.predict_proba(Xm)
    else:
        out[np.arange(X.shape[0]), np.searchsorted(classes, model.predict(Xm))] = 1.0
    return out


def average_proba(
    models: list[tuple[Any, np.ndarray]], X: Matrix, classes: np.ndarray, n_jobs: int | None
) -> np.ndarray:
    """Mean of the members' class probabilities (or votes); ``models`` are (model, columns)."""
    parts = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_member_proba)(m, f, X, classes) for m, f in models
    )
    return np.asarray(sum(parts)) / len(models)


def _member_decision(
    owner: str, model: _Scoring, features: np.ndarray, X: Matrix, classes: np.ndarray
) -> np.ndarray:
    if not np.array_equal(model.classes_, classes):
        raise InvalidDataError(
            f"{owner}.decision_function needs every member to have seen every class; a member "
            f"saw only {model.classes_.tolist()} of {classes.tolist()} (its draw or its sampler "
            "left a class out). Use predict_proba, or draw more rows per member."
        )
    return np.asarray(model.decision_function(_columns(X, features)), dtype=np.float64)


def average_decision(
    owner: str,
    models: list[tuple[Any, np.ndarray]],
    X: Matrix,
    classes: np.ndarray,
    n_jobs: int | None,
) -> np.ndarray:
    """Mean of the members' decision scores (every member must know every class)."""
    parts = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(_member_decision)(owner, m, f, X, classes) for m, f in models
    )
    return np.asarray(sum(parts)) / len(models)


def oob_proba(
    owner: str,
    models: list[tuple[Any, np.ndarray]],
    trained: list[np.ndarray],
    X: Matrix,
    classes: np.ndarray,
) -> np.ndarray:
    """Mean probabilities of each row over the members that did not train on it (NaN, with a
    warning, for a row that every member trained on)."""
    total = np.zeros((X.shape[0], len(classes)), dtype=np.float64)
    seen = np.zeros(X.shape[0], dtype=np.int64)
    for (model, features), used in zip(models, trained, strict=True):
        out = np.ones(X.shape[0], dtype=bool)
        out[used] = False
        rows = np.flatnonzero(out)
        if rows.size:
            total[rows] += _member_proba(model, features, X[rows], classes)
            seen[rows] += 1
    if (seen == 0).any():
        warnings.warn(
            f"Some inputs do not have OOB scores: every one of the {len(models)} members of "
            f"{owner} trained on {int((seen == 0).sum())} of the {X.shape[0]} rows, so they "
            "are left out of oob_score_ (their oob_decision_function_ rows are NaN). Raise "
            "n_estimators for a reliable estimate.",
            UserWarning,
            stacklevel=4,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / seen[:, None]
