"""A regressor trained on resampled rows, and folds stratified on the binned target."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from .._containers import as_supported, n_rows
from .._typing import ArrayLike, Estimator, RandomState, Sampler, Target
from .._validation import check_sample_weight
from ..base import is_sampler
from ..exceptions import InvalidDataError, InvalidParameterError
from ..pipeline import resample_sample_weight
from ._target import as_float_target

__all__ = ["BinnedStratifiedKFold", "ResampledRegressor"]


class ResampledRegressor(MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """A regressor trained on resampled rows; predictions use the rows as given.

    ``fit`` clones ``sampler`` and ``estimator``, resamples ``(X, y)`` (and ``sample_weight``:
    kept rows keep theirs, new rows take their base row's) and fits the estimator on the result.
    ``predict`` and ``score`` go straight to the fitted estimator, so cross-validation with this
    object never resamples validation rows.

    Parameters
    ----------
    sampler : sampler object
        Anything with ``fit_resample`` (for example :class:`imbalance.regression.SMOGN`).
    estimator : regressor object
        The model trained on the resampled rows.

    Attributes
    ----------
    sampler_ : sampler object
        The fitted clone of ``sampler``.
    estimator_ : regressor object
        The fitted clone of ``estimator``.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    imbalance.pipeline.ResampledClassifier : the same for classifiers.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import cross_val_score
    >>> from imbalance.regression import SMOGN, BinnedStratifiedKFold, ResampledRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = np.exp(X[:, 0]) + 0.1 * rng.normal(size=200)
    >>> model = ResampledRegressor(SMOGN(random_state=0), Ridge())
    >>> cv = BinnedStratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    >>> scores = cross_val_score(model, X, y, cv=cv, scoring="neg_mean_absolute_error")
    >>> scores.shape
    (3,)
    """

    def __init__(self, sampler: Sampler, estimator: Estimator) -> None:
        self.sampler = sampler
        self.estimator = estimator

    def fit(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None, **fit_params: object
    ) -> Any:
        """Resample ``(X, y)`` and fit the estimator on the result.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Resampled with the rows, then passed to the estimator's ``fit``.
        **fit_params : dict
            Passed to the estimator's ``fit`` as they are.

        Returns
        -------
        self : ResampledRegressor
        """
        if not is_sampler(self.sampler):
            raise InvalidParameterError(
                f"sampler must have a fit_resample method; got {type(self.sampler).__name__}."
            )
        if not hasattr(self.estimator, "fit"):
            raise InvalidParameterError(
                f"estimator must have a fit method; got {type(self.estimator).__name__}."
            )
        X, y = as_supported(X), as_supported(y, name="y")
        w = None if sample_weight is None else check_sample_weight(sample_weight, n_rows(X))
        self.sampler_ = clone(self.sampler)
        X_res, y_res = self.sampler_.fit_resample(X, y)
        if w is not None:
            fit_params["sample_weight"] = resample_sample_weight(self.sampler_, w, n_rows(y_res))
        self.estimator_ = clone(self.estimator).fit(X_res, y_res, **fit_params)
        for attr in ("n_features_in_", "feature_names_in_"):
            source = self.sampler_ if hasattr(self.sampler_, attr) else self.estimator_
            if hasattr(source, attr):
                setattr(self, attr, getattr(source, attr))
            elif attr in vars(self):
                delattr(self, attr)
        return self

    def predict(self, X: ArrayLike) -> Any:
        """Predicted target of each row of X (rows are not resampled)."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)


class BinnedStratifiedKFold:
    """K folds stratified on the target cut into quantile bins, for a continuous target.

    The target is cut at its ``n_bins`` quantiles; bins with fewer than ``n_splits`` rows are
    merged into their neighbour, so that each fold gets its share of every part of the
    target's range (the rare tails included). Splits like scikit-learn's ``StratifiedKFold``
    on those bins; usable as ``cv=`` anywhere scikit-learn takes a splitter.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds (>= 2).
    n_bins : int, default=10
        Number of quantile bins of the target before merging.
    shuffle : bool, default=False
        Shuffle each bin before splitting.
    random_state : int, RandomState instance or None, default=None
        Seed of the shuffle.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import BinnedStratifiedKFold
    >>> y = np.exp(np.linspace(0, 5, 100))
    >>> cv = BinnedStratifiedKFold(n_splits=5)
    >>> top = y >= np.quantile(y, 0.9)  # the rare tail: 10 rows
    >>> [int(top[test].sum()) for _, test in cv.split(np.zeros((100, 1)), y)]
    [2, 2, 2, 2, 2]
    """

    def __init__(
        self,
        n_splits: int = 5,
        *,
        n_bins: int = 10,
        shuffle: bool = False,
        random_state: RandomState = None,
    ) -> None:
        self.n_splits = n_splits
        self.n_bins = n_bins
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(
        self, X: ArrayLike | None = None, y: Target | None = None, groups: ArrayLike | None = None
    ) -> int:
        """Number of folds."""
        return int(self.n_splits)

    def split(
        self, X: ArrayLike, y: Target, groups: ArrayLike | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Train and test positions of each fold."""
        if not (isinstance(self.n_bins, int) and self.n_bins >= 1):
            raise InvalidParameterError(
                f"n_bins of BinnedStratifiedKFold must be an int >= 1; got {self.n_bins!r}."
            )
        values = as_float_target(y, "BinnedStratifiedKFold")
        if values.size < self.n_splits:
            raise InvalidDataError(
                f"BinnedStratifiedKFold has n_splits={self.n_splits} but y has only "
                f"{values.size} values."
            )
        codes = stratification_bins(values, self.n_bins, self.n_splits)
        folds = StratifiedKFold(self.n_splits, shuffle=self.shuffle, random_state=self.random_state)
        yield from folds.split(np.zeros((values.size, 1)), codes)


def stratification_bins(y: np.ndarray, n_bins: int, min_count: int) -> np.ndarray:
    """Quantile bin of each value; neighbouring bins are joined until each holds at least
    ``min_count`` rows (a short last group joins the one before)."""
    edges = np.unique(np.quantile(y, np.linspace(0, 1, n_bins + 1)[1:-1]))
    codes = np.searchsorted(edges, y, side="right")
    counts = np.bincount(codes, minlength=edges.size + 1)
    groups = np.empty(counts.size, dtype=np.intp)
    group, filled = 0, 0
    for b, c in enumerate(counts.tolist()):
        groups[b] = group
        filled += c
        if filled >= min_count:
            group, filled = group + 1, 0
    if filled > 0 and group > 0:
        groups[groups == group] = group - 1
    return groups[codes]
