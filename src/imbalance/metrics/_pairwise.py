"""The value difference metric (VDM) between rows of categorical codes."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from .._typing import ArrayLike, Target
from ..exceptions import InvalidDataError, InvalidParameterError
from ..neighbors import table_distances

__all__ = ["ValueDifferenceMetric"]


class ValueDifferenceMetric(BaseEstimator):
    r"""Distance between rows of categorical codes, from how their values predict the class.

    Two values of a feature are close when they go with the same class distribution. For
    feature :math:`f` and rows :math:`x, y`, with :math:`p(c \mid v)` the share of class
    :math:`c` among the training rows whose feature takes value :math:`v`:

    .. math::
       \delta_f(x, y) = \Big(\sum_{c=1}^{C} |p(c \mid x_f) - p(c \mid y_f)|^{k}\Big)^{1/k},
       \qquad \Delta(x, y) = \sum_{f=1}^{F} \delta_f(x, y)^{r}.

    (Stanfill and Waltz, 1986; :math:`\delta_f` is the Minkowski distance of order ``k``
    between the two class distributions, as in imbalanced-learn.)

    Parameters
    ----------
    n_categories : "auto" or array-like of shape (n_features,), default="auto"
        Number of categories of each feature (codes run from 0 to ``n - 1``). ``"auto"`` takes
        the largest code seen in ``fit`` plus one; pass the counts (for instance
        ``[len(c) for c in OrdinalEncoder().fit(X).categories_]``) when a code may be absent.
    k : int, default=1
        Order of the distance between two class distributions.
    r : int, default=2
        Exponent of each feature's distance in the sum over features.

    Attributes
    ----------
    n_categories_ : ndarray of shape (n_features,)
        Number of categories of each feature.
    proba_per_class_ : list of ndarray of shape (n_categories, n_classes)
        Per feature, the class distribution of each value (zeros for a value never seen).
    classes_ : ndarray of shape (n_classes,)
        Classes seen in ``fit``, the column order of ``proba_per_class_``.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Defined only when ``X`` has string column names.

    References
    ----------
    .. [1] C. Stanfill and D. Waltz, "Toward memory-based reasoning", Communications of the
       ACM 29(12), 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import OrdinalEncoder
    >>> from imbalance.metrics import ValueDifferenceMetric
    >>> X = np.array(["green"] * 10 + ["red"] * 10 + ["blue"] * 10).reshape(-1, 1)
    >>> y = [1] * 8 + [0] * 5 + [1] * 7 + [0] * 9 + [1]
    >>> encoder = OrdinalEncoder(dtype=np.int32).fit(X)
    >>> vdm = ValueDifferenceMetric().fit(encoder.transform(X), y)
    >>> X_test = encoder.transform(np.array([["green"], ["red"], ["blue"]]))
    >>> vdm.pairwise(X_test).round(2).tolist()
    [[0.0, 0.04, 1.96], [0.04, 0.0, 1.44], [1.96, 1.44, 0.0]]
    """

    def __init__(self, *, n_categories: Any = "auto", k: int = 1, r: int = 2) -> None:
        self.n_categories = n_categories
        self.k = k
        self.r = r

    def fit(self, X: ArrayLike, y: Target) -> ValueDifferenceMetric:
        """Learn the class distribution of every value of every feature.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Non-negative integer codes, as from ``OrdinalEncoder`` (floats holding whole
            numbers are accepted).
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : ValueDifferenceMetric
        """
        self._check_params()
        X, y = validate_data(self, X, y, dtype=None, reset=True)
        codes = _as_codes(X, "X")
        self.n_categories_ = self._categories(codes)
        self.classes_ = unique_labels(y)
        class_index = np.searchsorted(self.classes_, y)
        self.proba_per_class_ = []
        for j, n_cat in enumerate(self.n_categories_):
            counts = np.zeros((int(n_cat), len(self.classes_)))
            np.add.at(counts, (codes[:, j], class_index), 1.0)
            totals = counts.sum(axis=1, keepdims=True)
            self.proba_per_class_.append(
                np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
            )
        return self

    def pairwise(self, X: ArrayLike, Y: ArrayLike = None) -> np.ndarray:
        """Distance between every row of ``X`` and every row of ``Y`` (of ``X`` when None).

        Parameters
        ----------
        X : array-like of shape (n_samples_X, n_features)
            Codes, encoded as in ``fit``.
        Y : array-like of shape (n_samples_Y, n_features), default=None

        Returns
        -------
        distances : ndarray of shape (n_samples_X, n_samples_Y)
        """
        check_is_fitted(self, "proba_per_class_")
        codes_X = self._check_codes(X, "X")
        codes_Y = codes_X if Y is None else self._check_codes(Y, "Y")
        tables = []
        for proba in self.proba_per_class_:
            gaps = np.abs(proba[:, None, :] - proba[None, :, :]) ** self.k
            tables.append(gaps.sum(axis=2) ** (self.r / self.k))  # (value, value) -> delta ** r
        return table_distances(codes_X, codes_Y, tables)  # the engine sums the tables

    def _check_params(self) -> None:
        for name in ("k", "r"):
            value = getattr(self, name)
            if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
                raise InvalidParameterError(
                    f"The {name!r} parameter of ValueDifferenceMetric must be an int >= 1; "
                    f"got {value!r}. Use 1 or 2."
                )
        if not (isinstance(self.n_categories, str) and self.n_categories == "auto") and (
            isinstance(self.n_categories, str) or np.ndim(self.n_categories) != 1
        ):
            raise InvalidParameterError(
                "The 'n_categories' parameter of ValueDifferenceMetric must be 'auto' or one "
                f"count per feature; got {self.n_categories!r}."
            )

    def _categories(self, codes: np.ndarray) -> np.ndarray:
        seen = codes.max(axis=0) + 1 if codes.size else np.zeros(codes.shape[1], dtype=np.intp)
        if isinstance(self.n_categories, str):
            return np.asarray(seen, dtype=np.intp)
        given = np.asarray(self.n_categories)
        if len(given) != codes.shape[1]:
            raise InvalidParameterError(
                f"The length of n_categories is not consistent with the number of features in "
                f"X: n_categories has {len(given)} counts, X has {codes.shape[1]} columns. "
                "Pass one count per column, or n_categories='auto'."
            )
        too_large = np.flatnonzero(seen > given)
        if too_large.size:
            j = int(too_large[0])
            raise InvalidDataError(
                f"Column {j} of X holds code {int(seen[j]) - 1}, but n_categories[{j}]="
                f"{int(given[j])}; codes must be below the number of categories. Raise the "
                "count or use n_categories='auto'."
            )
        return given.astype(np.intp)

    def _check_codes(self, X: ArrayLike, name: str) -> np.ndarray:
        X = validate_data(self, X, dtype=None, reset=False)
        codes = _as_codes(X, name)
        beyond = codes >= self.n_categories_
        if beyond.any():
            j = int(np.flatnonzero(beyond.any(axis=0))[0])
            raise InvalidDataError(
                f"Column {j} of {name} holds code {int(codes[:, j].max())}, which was not a "
                f"category in fit ({int(self.n_categories_[j])} categories). Encode {name} with "
                "the encoder used for fit, or pass n_categories to fit."
            )
        return codes

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags


def _as_codes(X: ArrayLike, name: str) -> np.ndarray:
    """Non-negative whole numbers as an integer array, or a message saying what is wrong."""
    X = check_array(X, dtype=None)
    if not (np.issubdtype(X.dtype, np.integer) or np.issubdtype(X.dtype, np.floating)):
        raise InvalidDataError(
            f"ValueDifferenceMetric needs integer codes in {name}; got dtype {X.dtype}. "
            "Encode the categories first, for instance with sklearn's OrdinalEncoder."
        )
    if (X < 0).any() or (np.issubdtype(X.dtype, np.floating) and (X % 1 != 0).any()):
        raise InvalidDataError(
            f"ValueDifferenceMetric needs non-negative whole-number codes in {name}; found "
            "negative or fractional values. Encode the categories with OrdinalEncoder."
        )
    return X.astype(np.intp)
