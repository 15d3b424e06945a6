"""Fitting, warm starts and predictions shared by the bagging-style balanced ensembles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.utils.validation import check_is_fitted, validate_data

from .._validation import check_generator
from ..exceptions import InvalidParameterError
from ._common import MAX_SEED, Member, average_proba, fit_members, oob_proba

__all__ = ["MemberEnsembleMixin"]

Draw = Callable[[np.random.Generator], tuple[np.ndarray, np.ndarray]]


class MemberEnsembleMixin:
    """Members fitted on resampled rows, averaged at prediction time.

    The class sets ``estimators_``, ``samplers_``, ``estimators_samples_`` and
    ``estimators_features_`` (one entry per member) and, with ``oob_score``, ``oob_score_`` and
    ``oob_decision_function_``.
    """

    n_estimators: int
    n_jobs: int | None
    random_state: Any
    verbose: int
    warm_start: bool
    classes_: np.ndarray

    def _grow(
        self,
        X: Any,
        y: np.ndarray,
        w: np.ndarray | None,
        sampler: Any,
        estimator: Any,
        draw: Draw,
        extra_weight: Any = None,
    ) -> None:
        """Fit the members still missing (all of them, unless warm-starting)."""
        have = len(getattr(self, "estimators_", [])) if self.warm_start else 0
        if have > self.n_estimators:
            raise InvalidParameterError(
                f"n_estimators={self.n_estimators} must be at least the {have} members already "
                f"fitted when warm_start=True; raise n_estimators or set warm_start=False."
            )
        if have == 0:
            self.estimators_, self.samplers_ = [], []
            self.estimators_samples_, self.estimators_features_ = [], []
        seeds = check_generator(self.random_state).integers(MAX_SEED, size=self.n_estimators)
        draws = []
        for seed in seeds[have:].tolist():
            rows, features = draw(np.random.default_rng((seed, 0)))
            draws.append((rows, features, seed))
        owner = type(self).__name__
        members = fit_members(
            owner,
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
            self.estimators_.append(m.estimator)
            self.samplers_.append(m.sampler)
            self.estimators_samples_.append(m.used)
            self.estimators_features_.append(m.features)

    def _members(self) -> list[Member]:
        return [
            Member(s, e, f, u)
            for s, e, f, u in zip(
                self.samplers_,
                self.estimators_,
                self.estimators_features_,
                self.estimators_samples_,
                strict=True,
            )
        ]

    def _set_oob(self, X: Any, y: np.ndarray) -> None:
        """Out-of-bag probabilities and accuracy (rows every member trained on get NaN and are
        left out of the score)."""
        proba = oob_proba(self._members(), X, self.classes_)
        self.oob_decision_function_ = proba
        scored = ~np.isnan(proba).any(axis=1)
        predicted = self.classes_[np.argmax(proba[scored], axis=1)]
        self.oob_score_ = float(accuracy_score(y[scored], predicted)) if scored.any() else np.nan

    def predict_proba(self, X: Any) -> np.ndarray:
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
        check_is_fitted(self, "estimators_")
        X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=None, reset=False)
        return average_proba(self._members(), X, self.classes_, self.n_jobs)

    def predict_log_proba(self, X: Any) -> np.ndarray:
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

    def predict(self, X: Any) -> np.ndarray:
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
