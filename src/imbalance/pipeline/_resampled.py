"""A classifier trained on resampled rows that predicts on the rows as given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from .._containers import as_supported, n_rows
from .._typing import ArrayLike, Estimator, Target
from .._validation import check_sample_weight
from ..base import is_sampler
from ..calibration import correct_priors
from ..exceptions import InvalidParameterError
from ._weights import check_per_row_params, class_totals, resample_sample_weight

__all__ = ["ResampledClassifier"]


def _estimator_has(name: str) -> Callable[[ResampledClassifier], bool]:
    def check(self: ResampledClassifier) -> bool:
        fitted = getattr(self, "estimator_", None)
        return hasattr(fitted if fitted is not None else self.estimator, name)

    return check


def _uncorrected_estimator_has(name: str) -> Callable[[ResampledClassifier], bool]:
    def check(self: ResampledClassifier) -> bool:
        return not self.prior_correction and bool(_estimator_has(name)(self))

    return check


class ResampledClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A classifier trained on resampled data; predictions use the rows as given.

    ``fit`` clones ``sampler`` and ``estimator``, resamples ``(X, y)`` (and ``sample_weight``)
    with the sampler, and fits the estimator on the result. ``predict``, ``predict_proba``,
    ``predict_log_proba``, ``decision_function`` and ``score`` go straight to the fitted
    estimator: rows being predicted or scored are never resampled, so cross-validation with
    this object cannot leak.

    Parameters
    ----------
    sampler : sampler object
        Anything with ``fit_resample`` (ours or imbalanced-learn's).
    estimator : classifier object
        The model trained on the resampled rows.
    prior_correction : bool, default=False
        Map ``predict_proba`` back to the class proportions of the data given to ``fit``
        (Saerens et al., 2002), from the proportions the estimator was trained on
        (``training_class_counts_``); ``predict`` then picks the most probable class under the
        true priors, and ``decision_function`` is not offered. Resampling shifts probabilities
        towards the rare class; this undoes the shift while keeping what resampling gave the
        model.

    Attributes
    ----------
    sampler_ : sampler object
        The fitted clone of ``sampler`` (``sampler_.target_counts_`` gives the training counts).
    estimator_ : classifier object
        The fitted clone of ``estimator``.
    class_counts_ : dict of {class_label: int}
        Number of rows of each class in the data given to ``fit``.
    training_class_counts_ : dict of {class_label: float}
        Number of rows of each class the estimator was trained on (weighted by
        ``sample_weight`` when given): equal to ``sampler_.target_counts_`` for samplers that
        reach their counts exactly.
    classes_ : ndarray of shape (n_classes,)
        Class labels, from the fitted estimator.
    n_features_in_ : int
        Number of features seen at fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of the features seen at fit, when X had string column names.

    See Also
    --------
    Pipeline : a pipeline whose steps may be samplers.
    imbalance.model_selection.resampled_splits : the same rule for hand-written training loops.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from imbalance.datasets import make_imbalance
    >>> from imbalance.pipeline import ResampledClassifier
    >>> from imbalance.samplers import RandomUnderSampler
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(n_samples=600, random_state=0)
    >>> X, y = make_imbalance(X, y, sampling_strategy={1: 60}, random_state=0)
    >>> model = ResampledClassifier(RandomUnderSampler(random_state=0), LogisticRegression())
    >>> scores = cross_val_score(model, X, y, cv=3, scoring="balanced_accuracy")
    >>> len(scores)
    3
    """

    def __init__(
        self, sampler: Estimator, estimator: Estimator, *, prior_correction: bool = False
    ) -> None:
        self.sampler = sampler
        self.estimator = estimator
        self.prior_correction = prior_correction

    def fit(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None, **fit_params: object
    ) -> ResampledClassifier:
        """Resample ``(X, y)`` and fit the estimator on the result.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Resampled with the rows, then passed to the estimator's ``fit``.
        **fit_params : dict
            Passed to the estimator's ``fit`` as they are (not per-row values).

        Returns
        -------
        self : ResampledClassifier
        """
        if not is_sampler(self.sampler):
            raise InvalidParameterError(
                f"sampler must have a fit_resample method; got {type(self.sampler).__name__}."
            )
        if not hasattr(self.estimator, "fit"):
            raise InvalidParameterError(
                f"estimator must have a fit method; got {type(self.estimator).__name__}."
            )
        if self.prior_correction and not hasattr(self.estimator, "predict_proba"):
            raise InvalidParameterError(
                f"prior_correction=True corrects predicted probabilities, but the estimator "
                f"{type(self.estimator).__name__} has no predict_proba. Use an estimator that "
                "has one (or wrap it: CalibratedClassifierCV(estimator, ensemble=False)), "
                "or set prior_correction=False."
            )
        X, y = as_supported(X), as_supported(y, name="y")
        n_samples = n_rows(X)
        check_per_row_params(fit_params, n_samples, f"the sampler {type(self.sampler).__name__}")
        w = None if sample_weight is None else check_sample_weight(sample_weight, n_samples)
        self.sampler_ = clone(self.sampler)
        X_res, y_res = self.sampler_.fit_resample(X, y)
        w_res = None if w is None else resample_sample_weight(self.sampler_, w, n_rows(y_res))
        if w_res is not None:
            fit_params["sample_weight"] = w_res
        self.estimator_ = clone(self.estimator).fit(X_res, y_res, **fit_params)
        self.class_counts_ = class_totals(y)
        self.training_class_counts_ = class_totals(y_res, w_res)
        for attr in ("n_features_in_", "feature_names_in_"):
            source = self.sampler_ if hasattr(self.sampler_, attr) else self.estimator_
            if hasattr(source, attr):
                setattr(self, attr, getattr(source, attr))
            elif attr in vars(self):  # from an earlier fit on other data
                delattr(self, attr)
        return self

    @property
    def classes_(self) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return self.estimator_.classes_

    @available_if(_estimator_has("predict"))
    def predict(self, X: ArrayLike) -> Any:
        """Predicted class of each row of X (rows are not resampled)."""
        check_is_fitted(self, "estimator_")
        if self.prior_correction:
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X: ArrayLike) -> Any:
        """Class probabilities of each row of X (under the true priors with prior_correction)."""
        check_is_fitted(self, "estimator_")
        proba = self.estimator_.predict_proba(X)
        if not self.prior_correction:
            return proba
        classes = self.estimator_.classes_.tolist()
        return correct_priors(
            proba,
            training_priors=self.training_class_counts_,
            true_priors=self.class_counts_,
            classes=classes,
        )

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X: ArrayLike) -> Any:
        """Log class probabilities of each row of X."""
        check_is_fitted(self, "estimator_")
        if not self.prior_correction:
            return self.estimator_.predict_log_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_uncorrected_estimator_has("decision_function"))
    def decision_function(self, X: ArrayLike) -> Any:
        """Decision scores of each row of X."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.decision_function(X)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.string = inner.input_tags.string
        return tags
