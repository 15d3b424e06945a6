"""Default models for a comparison: preprocessing chosen from the column types."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from .. import _containers
from .._typing import ArrayLike
from ..exceptions import InvalidParameterError

__all__ = ["MODELS", "categorical_columns", "make_model"]

MODELS = ("logistic", "hgb", "rf")
_ALIASES = {"forest": "rf"}


def categorical_columns(X: ArrayLike) -> list[int]:
    """Positions of the columns that are not numbers (text, categories, booleans)."""
    if _containers.is_frame(X):
        numeric = set(_containers.numeric_column_positions(X))
        return [j for j in range(_containers.shape_2d(X)[1]) if j not in numeric]
    arr = np.asarray(X)
    if arr.dtype.kind != "O":
        return []
    return [j for j in range(arr.shape[1]) if not _is_numeric_column(arr[:, j])]


def _is_numeric_column(col: np.ndarray) -> bool:
    try:
        col.astype(np.float64)
    except (TypeError, ValueError):
        return False
    return True


def make_model(X: ArrayLike, kind: str = "logistic", *, random_state: int | None = 0) -> Any:
    """A classifier that accepts X as it is: missing values imputed, categories encoded.

    ``"logistic"``: median/most-frequent imputation, scaling and one-hot encoding, then
    logistic regression. ``"hgb"``: ordinal-encoded categories handled natively by
    HistGradientBoostingClassifier. ``"rf"`` (or ``"forest"``): a random forest of 200 trees on
    imputed, ordinal-encoded columns. Numeric columns are standardised for every model: trees
    do not care, and a sampler that interpolates between neighbours (SMOTE) needs comparable
    scales. Sized for small data: below 1,000 rows gradient boosting's leaves may hold as few
    as 5 rows (``min_samples_leaf = max(5, n_rows // 50)``, 20 from 1,000 rows on; scikit-learn
    advises lowering it for small data sets), so that a minority of a few dozen rows can be
    split off at all. The result is a scikit-learn pipeline whose last step is the classifier.

    Examples
    --------
    >>> from imbalance.datasets import load_yeast4
    >>> from imbalance.report import make_model
    >>> X, _ = load_yeast4(return_X_y=True)
    >>> make_model(X[:300], "hgb")[-1].min_samples_leaf
    6
    """
    kind = _ALIASES.get(kind, kind)
    if kind not in MODELS:
        raise InvalidParameterError(f"model={kind!r} is not known; use one of {', '.join(MODELS)}.")
    n_samples, n_features = _containers.shape_2d(X)
    cats = categorical_columns(X)
    nums = [j for j in range(n_features) if j not in cats]
    if kind == "logistic":
        prep = _prep(nums, cats, scale=True, one_hot=True)
        return make_pipeline(prep, LogisticRegression(max_iter=2000))
    prep = _prep(nums, cats, scale=True, one_hot=False)
    mask = [False] * len(nums) + [True] * len(cats)
    if kind == "hgb":
        clf = HistGradientBoostingClassifier(
            categorical_features=mask if cats else None,
            min_samples_leaf=20 if n_samples >= 1000 else max(5, n_samples // 50),
            random_state=random_state,
        )
        return make_pipeline(prep, clf)
    forest = RandomForestClassifier(n_estimators=200, n_jobs=1, random_state=random_state)
    return make_pipeline(prep, forest)


def _prep(nums: list[int], cats: list[int], *, scale: bool, one_hot: bool) -> ColumnTransformer:
    num_steps: list[Any] = [SimpleImputer(strategy="median")]
    if scale:
        num_steps.append(StandardScaler())
    encoder = (
        OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        if one_hot
        else OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    )
    cat_steps = [SimpleImputer(strategy="most_frequent"), encoder]
    parts = []
    if nums:
        parts.append(("num", make_pipeline(*num_steps), nums))
    if cats:
        parts.append(("cat", make_pipeline(*cat_steps), cats))
    return ColumnTransformer(parts, sparse_threshold=0.0)
