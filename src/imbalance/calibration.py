"""Probabilities corrected back to the true class priors after resampling or re-weighting.

A model trained on data whose class proportions were changed (by a sampler, by class weights or
by ``sample_weight``) learns posteriors for the *training* priors ``pi_train``. If its scores are
probabilities for those priors, Bayes' rule maps them to the *true* priors ``pi``
(Saerens, Latinne and Decaestecker, 2002)::

    p(c | x) = p_train(c | x) * pi_c / pi_train_c  /  sum_k p_train(k | x) * pi_k / pi_train_k

For binary under-sampling that keeps a fraction ``beta`` of the negatives, this is the form of
Dal Pozzolo et al. (2015): ``p = beta * p_s / (beta * p_s - p_s + 1)``
(:func:`correct_undersampling`).

References
----------
.. [1] M. Saerens, P. Latinne and C. Decaestecker, "Adjusting the outputs of a classifier to new
   a priori probabilities: a simple procedure", Neural Computation 14(1), 2002.
.. [2] A. Dal Pozzolo, O. Caelen, R. A. Johnson and G. Bontempi, "Calibrating probability with
   undersampling for unbalanced classification", IEEE SSCI 2015.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ._containers import target_to_numpy
from ._numeric import check_probabilities, check_weights
from ._typing import ArrayLike, Estimator, Label, Target
from ._validation import encode_target
from .exceptions import InvalidDataError, InvalidParameterError

__all__ = [
    "PriorCorrectedClassifier",
    "correct_priors",
    "correct_undersampling",
    "priors_from_counts",
]


def _as_priors(priors: Any, classes: Any, name: str) -> np.ndarray:
    if isinstance(priors, Mapping):
        if classes is None:
            raise InvalidParameterError(f"{name} is a dict; pass classes= to order it.")
        missing = [c for c in classes if c not in priors]
        if missing:
            raise InvalidParameterError(f"{name} has no value for class(es) {missing!r}.")
        priors = [priors[c] for c in classes]
    arr = check_weights(priors, name, what_n="class", error=InvalidParameterError)
    if (arr == 0).any():
        raise InvalidParameterError(
            f"{name} must hold one positive number per class; class at position "
            f"{int(np.flatnonzero(arr == 0)[0])} has 0, and a class with prior 0 cannot be "
            "corrected to or from. Drop that class's column, or give it a small positive prior."
        )
    return arr / arr.sum()


def correct_priors(
    proba: npt.ArrayLike,
    *,
    training_priors: npt.ArrayLike | Mapping[Label, float],
    true_priors: npt.ArrayLike | Mapping[Label, float],
    classes: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Map probabilities learnt under ``training_priors`` to ``true_priors`` (Saerens et al.).

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes), or (n_samples,) for P(positive)
        Predicted probabilities of the model trained with ``training_priors``.
    training_priors, true_priors : array-like of shape (n_classes,) or dict
        Class proportions (or counts: they are normalised) seen in training and in reality, in
        the column order of ``proba``; dicts need ``classes``.
    classes : array-like of shape (n_classes,), default=None
        Column labels of ``proba``, to read dict priors.

    Returns
    -------
    proba_corrected : ndarray of the shape of ``proba``

    Raises
    ------
    InvalidDataError
        When ``proba`` holds a value outside ``[0, 1]`` or NaN, or a row of zeros (no class
        has any probability, so no correction exists).
    InvalidParameterError
        When a prior is negative, zero, NaN or infinite.

    Examples
    --------
    >>> from imbalance.calibration import correct_priors
    >>> correct_priors([[0.5, 0.5]], training_priors=[0.5, 0.5], true_priors=[0.9, 0.1]).tolist()
    [[0.9, 0.1]]
    """
    p = check_probabilities(proba, "proba")
    binary = p.ndim == 1
    if binary:
        p = np.column_stack([1.0 - p, p])
    train = _as_priors(training_priors, classes, "training_priors")
    true = _as_priors(true_priors, classes, "true_priors")
    if p.ndim != 2 or p.shape[1] != train.size or train.size != true.size:
        raise InvalidDataError(
            f"proba has {p.shape[-1]} column(s) but the priors have {train.size} and "
            f"{true.size} values; give one prior per column of proba."
        )
    weighted = p * (true / train)
    total = weighted.sum(axis=1, keepdims=True)
    if not (total > 0).all():
        row = int(np.flatnonzero(total[:, 0] <= 0)[0])
        raise InvalidDataError(
            f"proba row {row} is 0 for every class, so it has no probability to correct. "
            "Pass predict_proba's output, whose rows sum to 1."
        )
    out: np.ndarray = np.minimum(weighted / total, 1.0)
    return out[:, 1] if binary else out


def correct_undersampling(proba: npt.ArrayLike, beta: float) -> np.ndarray:
    """Dal Pozzolo et al.'s correction of P(positive), ``beta`` the fraction of negatives kept.

    Examples
    --------
    >>> from imbalance.calibration import correct_undersampling
    >>> correct_undersampling([0.5], beta=0.1).round(4).tolist()
    [0.0909]
    """
    if not 0.0 < beta <= 1.0:
        raise InvalidParameterError(
            f"beta={beta!r} must be the fraction of negatives kept, in (0, 1]."
        )
    p = check_probabilities(proba, "proba")
    return beta * p / (beta * p - p + 1.0)


def priors_from_counts(y: Target, sample_weight: ArrayLike | None = None) -> dict[Any, float]:
    """Class proportions of ``y`` (weighted by ``sample_weight`` when given).

    ``sample_weight`` must be finite, non-negative and not all zero
    (:class:`~imbalance.exceptions.InvalidDataError` otherwise). A class whose rows all weigh
    0 gets the prior 0.

    Examples
    --------
    >>> from imbalance.calibration import priors_from_counts
    >>> priors_from_counts([0, 0, 0, 1])
    {0: 0.75, 1: 0.25}
    """
    target = encode_target(target_to_numpy(y))
    if sample_weight is None:
        totals: np.ndarray = target.counts.astype(np.float64)
    else:
        w = check_weights(sample_weight, "sample_weight", n=target.codes.shape[0])
        totals = np.bincount(target.codes, weights=w, minlength=len(target.classes))
    return dict(zip(target.classes, (totals / totals.sum()).tolist(), strict=True))


class PriorCorrectedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A classifier whose probabilities are corrected back to the true class priors.

    ``fit`` fits a clone of ``estimator`` on the data as given. The *true* priors are the class
    proportions of ``y`` at fit (or ``true_priors``); the *training* priors are, in this order:
    ``training_priors`` if given; the class proportions the fitted estimator saw after
    resampling, when it exposes ``sampler_`` and ``training_class_counts_``
    (:class:`~imbalance.pipeline.ResampledClassifier`); the proportions weighted by
    ``sample_weight``; otherwise the true priors (no correction).

    Parameters
    ----------
    estimator : classifier with predict_proba
    training_priors : array-like of shape (n_classes,) or dict, default=None
    true_priors : array-like of shape (n_classes,) or dict, default=None

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.
    classes_ : ndarray of shape (n_classes,)
    training_priors_ : ndarray of shape (n_classes,)
    true_priors_ : ndarray of shape (n_classes,)
    n_features_in_ : int
        Number of features seen at fit, when the estimator records it.

    See Also
    --------
    imbalance.pipeline.ResampledClassifier : with ``prior_correction=True`` it does the same.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbalance.calibration import PriorCorrectedClassifier
    >>> model = PriorCorrectedClassifier(LogisticRegression(class_weight="balanced"),
    ...                                  training_priors=[0.5, 0.5])
    >>> model.fit([[0.0], [0.1], [0.2], [1.0]], [0, 0, 0, 1]).true_priors_.tolist()
    [0.75, 0.25]
    """

    def __init__(
        self,
        estimator: Estimator,
        *,
        training_priors: npt.ArrayLike | Mapping[Label, float] | None = None,
        true_priors: npt.ArrayLike | Mapping[Label, float] | None = None,
    ) -> None:
        self.estimator = estimator
        self.training_priors = training_priors
        self.true_priors = true_priors

    def fit(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None, **fit_params: object
    ) -> PriorCorrectedClassifier:
        """Fit the estimator and learn the two sets of priors."""
        if sample_weight is not None:
            fit_params["sample_weight"] = sample_weight
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        classes = self.estimator_.classes_
        natural = priors_from_counts(y)
        self.true_priors_ = _as_priors(
            natural if self.true_priors is None else self.true_priors, classes, "true_priors"
        )
        self.training_priors_ = _as_priors(
            self._training_priors(y, sample_weight, natural), classes, "training_priors"
        )
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def _training_priors(
        self, y: Target, sample_weight: ArrayLike, natural: dict[Any, float]
    ) -> Any:
        if self.training_priors is not None:
            return self.training_priors
        seen = getattr(self.estimator_, "training_class_counts_", None)
        if seen is not None:
            return seen
        if sample_weight is not None:
            return priors_from_counts(y, sample_weight)
        return natural

    @property
    def classes_(self) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return self.estimator_.classes_

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Probabilities under the true priors."""
        check_is_fitted(self, "estimator_")
        return correct_priors(
            self.estimator_.predict_proba(X),
            training_priors=self.training_priors_,
            true_priors=self.true_priors_,
        )

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The most probable class under the true priors."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    @available_if(lambda self: hasattr(self.estimator, "predict_log_proba"))
    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Log of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))
