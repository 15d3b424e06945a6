"""Cross-validation for imbalanced data.

Leakage-safe resampled folds for training loops outside scikit-learn (torch, fastai, Keras),
and :class:`InstanceHardnessCV`, which spreads the hard samples evenly over the folds.
Iterative stratification of multi-label targets is in :mod:`imbalance.multilabel`
(:class:`~imbalance.multilabel.MultilabelStratifiedKFold`,
:func:`~imbalance.multilabel.multilabel_train_test_split`).
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import BaseCrossValidator, check_cv, cross_val_predict
from sklearn.utils.multiclass import type_of_target

from ._containers import as_supported, n_rows, take_rows, target_to_numpy
from ._typing import CV, ArrayLike, Estimator, Label, Target
from ._validation import encode_target
from .base import is_sampler
from .exceptions import InvalidParameterError

__all__ = ["InstanceHardnessCV", "resampled_splits"]


def resampled_splits(
    cv: CV, X: ArrayLike, y: Target, sampler: Estimator, *, groups: ArrayLike | None = None
) -> Iterator[tuple[Any, Any, Any, Any]]:
    """Folds whose training part is resampled and whose validation part is left as it is.

    For each split of ``cv``, a fresh clone of ``sampler`` resamples the training rows only;
    the validation rows are taken from ``X`` and ``y`` untouched. Every part comes back in the
    caller's container (pandas keeps its index, so validation rows can be traced).

    Parameters
    ----------
    cv : int, cross-validation splitter or iterable of (train, test) index pairs
        As in scikit-learn; an int means ``StratifiedKFold(cv)`` for class labels.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sampler : sampler object
        Anything with ``fit_resample``; cloned for every fold.
    groups : array-like of shape (n_samples,), default=None
        Group labels for group-aware splitters.

    Yields
    ------
    X_train_res, y_train_res : resampled training rows of the fold
    X_val, y_val : validation rows of the fold, exactly as in X and y

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.model_selection import resampled_splits
    >>> from imbalance.samplers import RandomOverSampler
    >>> X = np.arange(40).reshape(20, 2)
    >>> y = np.array([0] * 16 + [1] * 4)
    >>> sampler = RandomOverSampler(random_state=0)
    >>> for X_tr, y_tr, X_val, y_val in resampled_splits(2, X, y, sampler):
    ...     print(np.bincount(y_tr).tolist(), np.bincount(y_val).tolist())
    [8, 8] [8, 2]
    [8, 8] [8, 2]
    """
    if not is_sampler(sampler):
        raise InvalidParameterError(
            f"sampler must have a fit_resample method; got {type(sampler).__name__}."
        )
    X, y = as_supported(X), as_supported(y, name="y")
    y_arr = target_to_numpy(y)
    encode_target(y_arr)  # the samplers' label rule, before any fold is made
    splitter = check_cv(cv, y_arr, classifier=True)
    placeholder = np.zeros((n_rows(X), 1))
    for train, val in splitter.split(placeholder, y_arr, groups):
        train, val = np.asarray(train), np.asarray(val)
        X_train_res, y_train_res = clone(sampler).fit_resample(
            take_rows(X, train), take_rows(y, train)
        )
        yield X_train_res, y_train_res, take_rows(X, val), take_rows(y, val)


class InstanceHardnessCV(BaseCrossValidator):
    """K-fold splitter that deals the hard-to-classify samples out evenly over the folds.

    Instance hardness is how unlikely a sample's class is according to ``estimator``, fitted
    in an inner stratified ``n_splits``-fold cross-validation (``cross_val_predict``). The
    samples are sorted by class, then by the predicted probability of ``pos_label``, and dealt
    to the folds in turn, so that every fold holds the same share of each class and of the
    hard samples. Scores then vary less from fold to fold than with ``StratifiedKFold``.
    Binary targets only. The split is deterministic (no ``random_state``).

    Parameters
    ----------
    estimator : classifier
        A classifier with ``predict_proba``; cloned, never fitted in place.
    n_splits : int, default=5
        Number of folds (at least 2); also the number of inner folds.
    pos_label : label, default=None
        The class whose probability orders the samples; None means the second class in sorted
        order.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from imbalance.model_selection import InstanceHardnessCV
    >>> X, y = make_classification(weights=[0.9, 0.1], flip_y=0.05, random_state=10)
    >>> cv = InstanceHardnessCV(LogisticRegression(), n_splits=3)
    >>> cross_val_score(LogisticRegression(), X, y, cv=cv).shape
    (3,)
    """

    def __init__(self, estimator: Estimator, *, n_splits: int = 5, pos_label: Label = None) -> None:
        self.estimator = estimator
        self.n_splits = n_splits
        self.pos_label = pos_label

    def split(
        self, X: ArrayLike, y: Target, groups: ArrayLike | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train, test)`` index arrays, one pair per fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Binary class labels.
        groups : ignored
            Accepted for compatibility; passing groups warns.

        Yields
        ------
        train, test : ndarray of int
        """
        if groups is not None:
            warnings.warn(
                "The groups parameter is ignored by InstanceHardnessCV; use a group-aware "
                "splitter (GroupKFold) when samples of a group must stay together.",
                UserWarning,
                stacklevel=2,
            )
        folds = self._assign_folds(X, y)
        for fold in range(self.n_splits):
            test = np.flatnonzero(folds == fold)
            if test.size:
                yield np.flatnonzero(folds != fold), test

    def get_n_splits(
        self, X: ArrayLike | None = None, y: Target | None = None, groups: ArrayLike | None = None
    ) -> int:
        """The number of folds, ``n_splits``."""
        return int(self.n_splits)

    def _assign_folds(self, X: ArrayLike, y: Target) -> np.ndarray:
        self._check_params()
        y_arr = target_to_numpy(y)
        if type_of_target(y_arr) != "binary":
            raise InvalidParameterError(
                "InstanceHardnessCV only supports binary classification. y has "
                f"{len(np.unique(y_arr))} classes; use StratifiedKFold for other targets."
            )
        classes, y_codes = np.unique(y_arr, return_inverse=True)
        column = 1 if self.pos_label is None else self._column(classes)
        proba = cross_val_predict(
            clone(self.estimator), X, y_arr, cv=self.n_splits, method="predict_proba"
        )
        order = np.lexsort((proba[:, column], y_codes))
        folds = np.empty(len(order), dtype=np.intp)
        folds[order] = np.arange(len(order)) % self.n_splits
        return folds

    def _column(self, classes: np.ndarray) -> int:
        hits = np.flatnonzero(classes == self.pos_label)
        if not hits.size:
            raise InvalidParameterError(
                f"pos_label={self.pos_label!r} of InstanceHardnessCV is not a class of y "
                f"({classes.tolist()}); pass one of them or None."
            )
        return int(hits[0])

    def _check_params(self) -> None:
        n = self.n_splits
        if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 2:
            raise InvalidParameterError(
                f"The 'n_splits' parameter of InstanceHardnessCV must be an int >= 2; got {n!r}."
            )
        if not hasattr(self.estimator, "predict_proba"):
            raise InvalidParameterError(
                "The 'estimator' of InstanceHardnessCV must have predict_proba; got "
                f"{type(self.estimator).__name__}. Use a probabilistic classifier, or "
                "SVC(probability=True)."
            )
