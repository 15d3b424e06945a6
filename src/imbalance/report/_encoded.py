"""The default models' preprocessing on data encoded once: the same numbers, less work per fold.

:func:`~imbalance.report.make_model` preprocesses with a ColumnTransformer (imputation,
scaling, one-hot or ordinal encoding) that a comparison fits 20 times or more, on a DataFrame
each time: most of that time is converting the DataFrame and checking text categories, not
arithmetic. :func:`encode_for_folds` converts X once (numeric columns to float64, each category
to its rank among the column's sorted values) and :class:`EncodedPreprocessing` does on that
what the ColumnTransformer does on X: a category's rank keeps the sorted order scikit-learn's
encoders use, so one-hot and ordinal columns come out the same, and an imputer that has no
missing value to fill is left out. Data this cannot reproduce exactly (missing categories,
float32 columns, object arrays, other containers) keeps the ColumnTransformer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from .. import _containers
from .._typing import ArrayLike, Estimator
from ._models import categorical_columns

__all__ = ["EncodedPreprocessing", "encode_for_folds"]


class EncodedPreprocessing(TransformerMixin, BaseEstimator):
    """make_model's ColumnTransformer on X from :func:`encode_for_folds`.

    The first ``n_numeric`` columns are numbers: median-imputed when ``impute``, then
    standardised, in column-major order (the layout the ColumnTransformer hands its scaler,
    from a DataFrame or an array alike, so that its sums run in the same order). The other
    columns are category ranks: one column per category seen in training (``one_hot``), or
    the category's position among those seen, -1 for one not seen.

    Parameters
    ----------
    n_numeric : int, default=0
    impute : bool, default=False
    one_hot : bool, default=True

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.report._encoded import EncodedPreprocessing
    >>> X = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 0.0]])
    >>> EncodedPreprocessing(n_numeric=1).fit_transform(X).tolist()
    [[-1.224744871391589, 1.0, 0.0], [0.0, 0.0, 1.0], [1.224744871391589, 1.0, 0.0]]
    """

    def __init__(self, n_numeric: int = 0, impute: bool = False, one_hot: bool = True) -> None:
        self.n_numeric = n_numeric
        self.impute = impute
        self.one_hot = one_hot

    def fit(self, X: ArrayLike, y: Any = None) -> EncodedPreprocessing:
        """Learn the medians, means and scales of the numbers and the categories seen."""
        X = np.asarray(X, dtype=np.float64)
        n = self.n_numeric
        self.numeric_: Pipeline | None = None
        if n:
            steps: list[Any] = [SimpleImputer(strategy="median")] if self.impute else []
            self.numeric_ = make_pipeline(*steps, StandardScaler())
            self.numeric_.fit(np.asarray(X[:, :n], order="F"))
        self.categories_ = [np.unique(X[:, j]) for j in range(n, X.shape[1])]
        return self

    def transform(self, X: ArrayLike) -> np.ndarray:
        """The preprocessed rows: numbers first, then the encoded categories."""
        X = np.asarray(X, dtype=np.float64)
        n = self.n_numeric
        parts = []
        if self.numeric_ is not None:
            parts.append(self.numeric_.transform(np.asarray(X[:, :n], order="F")))
        for j, seen in enumerate(self.categories_):
            col = X[:, n + j]
            if self.one_hot:
                parts.append((col[:, None] == seen[None, :]).astype(np.float64))
            else:
                pos = np.minimum(np.searchsorted(seen, col), len(seen) - 1)
                parts.append(np.where(seen[pos] == col, pos, -1).astype(np.float64)[:, None])
        return np.hstack(parts)


def encode_for_folds(X: ArrayLike, model: Estimator) -> tuple[Estimator, ArrayLike]:
    """``(model, X)`` for fitting ``model`` (from :func:`make_model` on this X) fold after fold:
    its preprocessing replaced by :class:`EncodedPreprocessing` and X encoded for it when that
    gives the same numbers, otherwise both as given."""
    encoded = _encode(X)
    if encoded is None:
        return model, X
    values, n_numeric, impute = encoded
    last = model.steps[-1] if isinstance(model, Pipeline) else None
    if last is None:
        return model, X
    one_hot = isinstance(last[1], LogisticRegression)  # make_model one-hot encodes for it
    prep = EncodedPreprocessing(n_numeric=n_numeric, impute=impute, one_hot=one_hot)
    return Pipeline([("preprocessing", prep), last]), values


def _encode(X: ArrayLike) -> tuple[np.ndarray, int, bool] | None:
    """(encoded X, number of numeric columns, whether a number is missing) or None."""
    if isinstance(X, np.ndarray):
        if X.ndim != 2 or X.dtype.kind not in "iuf" or X.dtype == np.float32:
            return None
        values = np.asarray(X, dtype=np.float64)
        return values, X.shape[1], bool(np.isnan(values).any())
    if not _containers.is_frame(X) or type(X).__module__.split(".")[0] != "pandas":
        return None
    return _encode_frame(X)


def _encode_frame(X: Any) -> tuple[np.ndarray, int, bool] | None:
    """:func:`_encode` for a pandas DataFrame."""
    cats = categorical_columns(X)
    nums = [j for j in range(X.shape[1]) if j not in cats]
    columns = []
    for j in nums:
        dtype = X.dtypes.iloc[j]
        if not isinstance(dtype, np.dtype) or dtype.kind not in "iuf" or dtype == np.float32:
            return None  # nullable and float32 columns convert otherwise
        columns.append(X.iloc[:, j].to_numpy(dtype=np.float64))
    for j in cats:
        ranks = _ranks(X.iloc[:, j])
        if ranks is None:
            return None
        columns.append(ranks)
    values = np.column_stack(columns) if columns else np.empty((len(X), 0))
    impute = bool(np.isnan(values[:, : len(nums)]).any())
    return values, len(nums), impute


def _ranks(column: Any) -> np.ndarray | None:
    """Each value's rank among the column's sorted distinct values (scikit-learn's encoders
    sort them so), or None when a value is missing or the values are not all text or all
    booleans."""
    if bool(column.isna().any()):
        return None
    values = column.to_numpy(dtype=object)
    kinds = {type(v) for v in values.tolist()}
    if not (kinds <= {str} or kinds <= {bool, np.bool_}):
        return None
    distinct = sorted(set(values.tolist()))
    index = {v: i for i, v in enumerate(distinct)}
    return np.array([index[v] for v in values.tolist()], dtype=np.float64)
