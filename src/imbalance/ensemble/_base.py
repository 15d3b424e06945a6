"""Fitting, warm starts and predictions shared by the bagging-style balanced ensembles."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from .._typing import ArrayLike, Estimator, Matrix, RandomState, Sampler
from .._validation import check_generator
from ..exceptions import InvalidParameterError
from ..pipeline import Pipeline
from ._common import (
    MAX_SEED,
    ExtraWeight,
    Member,
    average_decision,
    average_proba,
    fit_members,
    oob_proba,
)

__all__ = ["MemberEnsembleMixin"]

Draw = Callable[[np.random.Generator], tuple[np.ndarray, np.ndarray]]


def _final_has(name: str) -> Callable[[MemberEnsembleMixin], bool]:
    """Whether the members' model (the last step of the members' pipeline) has ``name``."""

    def check(self: MemberEnsembleMixin) -> bool:
        est = getattr(self, "estimator_", None)
        if est is None:
            est = getattr(self, "estimator", None)
            est = self._default_estimator() if est is None else est
        elif isinstance(est, Pipeline):
            est = est[-1]
        return hasattr(est, name)

    return check


class MemberEnsembleMixin:
    """Members fitted on resampled rows, averaged at prediction time.

    By default each member is stored as a :class:`~imbalance.pipeline.Pipeline` of its fitted
    sampler (step ``"sampler"``) and model (step ``"classifier"``) in ``estimators_``, with
    ``samplers_``, ``estimators_samples_`` (rows drawn before the sampler) and
    ``estimators_features_``; with ``oob_score``, ``oob_score_`` and
    ``oob_decision_function_`` are set. The ensemble is a sequence of its members (``len``,
    iteration, indexing), as in scikit-learn.
    """

    _allow_nan: ClassVar[bool] = False
    n_estimators: int
    n_jobs: int | None
    random_state: RandomState
    verbose: int
    warm_start: bool
    oob_score: bool
    classes_: np.ndarray
    estimators_: list[Any]
    samplers_: list[Any]
    estimators_samples_: list[np.ndarray]
    estimators_features_: list[np.ndarray]

    @staticmethod
    def _default_estimator() -> Any:
        raise NotImplementedError

    def _reset(self) -> None:
        self.estimators_, self.samplers_ = [], []
        self.estimators_samples_, self.estimators_features_ = [], []

    def _store(self, member: Member) -> None:
        pipe = Pipeline([("sampler", member.sampler), ("classifier", member.estimator)])
        self.estimators_.append(pipe)
        self.samplers_.append(member.sampler)
        self.estimators_samples_.append(member.rows)
        self.estimators_features_.append(member.features)

    def _models(self) -> list[tuple[Any, np.ndarray]]:
        """Each member's fitted model and the columns it reads."""
        pairs = zip(self.estimators_, self.estimators_features_, strict=True)
        return [(pipe[-1], cols) for pipe, cols in pairs]

    def _members_to_add(self) -> int:
        """How many members this fit adds: all of them, or the missing ones when warm-starting
        (zero, with a warning, when there are already ``n_estimators``)."""
        have = len(getattr(self, "estimators_", [])) if self.warm_start else 0
        owner = type(self).__name__
        if have > self.n_estimators:
            raise InvalidParameterError(
                f"{owner}: n_estimators={self.n_estimators} must be larger or equal to the "
                f"{have} members already fitted when warm_start=True; raise n_estimators or "
                "set warm_start=False."
            )
        if have and have == self.n_estimators:
            warnings.warn(
                f"Warm-start fitting without increasing n_estimators does not fit new members: "
                f"{owner} already has {have}. Raise n_estimators to add members.",
                UserWarning,
                stacklevel=3,
            )
        if have == 0:
            self._reset()
        return self.n_estimators - have

    def _grow(
        self,
        X: Matrix,
        y: np.ndarray,
        w: np.ndarray | None,
        sampler: Sampler,
        estimator: Estimator,
        draw: Draw,
        extra_weight: ExtraWeight | None = None,
    ) -> list[Member]:
        """Fit the members still missing (all of them, unless warm-starting)."""
        missing = self._members_to_add()
        seeds = check_generator(self.random_state).integers(MAX_SEED, size=self.n_estimators)
        draws = []
        for seed in seeds[self.n_estimators - missing :].tolist():
            rows, features = draw(np.random.default_rng((seed, 0)))
            draws.append((rows, features, seed))
        members = fit_members(
            type(self).__name__,
            sampler,
            estimator,
            X,
            y,
            w,
            draws,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
            extra_weight=extra_weight,
        )
        for m in members:
            self._store(m)
        return members

    def _set_oob(self, X: ArrayLike, y: np.ndarray, trained: list[np.ndarray] | None) -> None:
        """Out-of-bag probabilities and accuracy from the rows each member's model did not
        train on (rows every member trained on get NaN and are left out of the score); with
        ``trained=None`` (``oob_score=False``), forget any earlier estimate."""
        if trained is None:
            for name in ("oob_score_", "oob_decision_function_"):
                if hasattr(self, name):
                    delattr(self, name)
            return
        proba = oob_proba(type(self).__name__, self._models(), trained, X, self.classes_)
        self.oob_decision_function_ = proba
        scored = ~np.isnan(proba).any(axis=1)
        predicted = self.classes_[np.argmax(proba[scored], axis=1)]
        self.oob_score_ = float(accuracy_score(y[scored], predicted)) if scored.any() else np.nan

    def _check_X(self, X: ArrayLike) -> Any:
        check_is_fitted(self, "estimators_")
        finite: bool | str = "allow-nan" if self._allow_nan else True
        return validate_data(
            self,
            X,
            accept_sparse=["csr", "csc"],
            dtype=None,
            reset=False,
            ensure_all_finite=finite,
        )

    def __len__(self) -> int:
        return len(self.estimators_)

    def __getitem__(self, index: int) -> Any:
        return self.estimators_[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.estimators_)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities of each row: the mean over the members (the members' votes for
        estimators without ``predict_proba``).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        X = self._check_X(X)
        return average_proba(self._models(), X, self.classes_, self.n_jobs)

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_final_has("decision_function"))
    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Mean of the members' decision scores (when the members' model has
        ``decision_function``; every member must have seen every class).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
            For two classes, the score of the second class (positive favours it).
        """
        X = self._check_X(X)
        owner = type(self).__name__
        return average_decision(owner, self._models(), X, self.classes_, self.n_jobs)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Most probable class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "estimators_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
