"""Leakage-safe folds for training loops outside scikit-learn (torch, fastai, Keras)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import check_cv

from ._containers import n_rows, take_rows, target_to_numpy
from .base import is_sampler
from .exceptions import InvalidParameterError
from .multilabel import MultilabelStratifiedKFold, multilabel_train_test_split

__all__ = ["MultilabelStratifiedKFold", "multilabel_train_test_split", "resampled_splits"]


def resampled_splits(
    cv: Any, X: Any, y: Any, sampler: Any, *, groups: Any = None
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
    y_arr = target_to_numpy(y)
    splitter = check_cv(cv, y_arr, classifier=True)
    placeholder = np.zeros((n_rows(X), 1))
    for train, val in splitter.split(placeholder, y_arr, groups):
        train, val = np.asarray(train), np.asarray(val)
        X_train_res, y_train_res = clone(sampler).fit_resample(
            take_rows(X, train), take_rows(y, train)
        )
        yield X_train_res, y_train_res, take_rows(X, val), take_rows(y, val)
