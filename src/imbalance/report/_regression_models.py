"""Which task a target is (labels or a continuous value), and default regression models."""

from __future__ import annotations

from typing import Literal

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline

from .. import _containers
from .._typing import ArrayLike, Target
from ..exceptions import InvalidParameterError
from ._models import _prep, categorical_columns

__all__ = ["REGRESSION_MODELS", "detect_task", "make_regression_model"]

REGRESSION_MODELS = ("hgb", "ridge", "rf")
_DISTINCT_FOR_REGRESSION = 20


def detect_task(y: Target) -> Literal["classification", "regression"]:
    """``"regression"`` for a continuous target, ``"classification"`` for class labels.

    A target is continuous when it is numeric (not boolean) and either holds a value that is
    not a whole number (3.5) or more than 20 distinct values (counts, prices in cents).
    Anything else (text, booleans, categories, integers with up to 20 values) is labels.

    Examples
    --------
    >>> from imbalance.report import detect_task
    >>> detect_task([0, 1, 2, 1, 0]), detect_task([0.5, 1.0, 2.0]), detect_task(list(range(50)))
    ('classification', 'regression', 'regression')
    """
    arr = _containers.target_to_numpy(_containers.as_supported(y))
    if arr.ndim != 1 or arr.dtype.kind not in "iuf":
        return "classification"
    values = arr[np.isfinite(arr)] if arr.dtype.kind == "f" else arr
    if arr.dtype.kind == "f" and np.any(values != np.round(values)):
        return "regression"
    return "regression" if np.unique(values).size > _DISTINCT_FOR_REGRESSION else "classification"


def make_regression_model(
    X: ArrayLike, kind: str = "hgb", *, random_state: int | None = 0
) -> Pipeline:
    """A regressor that accepts X as it is: missing values imputed, categories encoded.

    Numeric columns are imputed (median) and standardised for every model (samplers that
    interpolate between neighbours need comparable scales). ``"hgb"`` (default):
    HistGradientBoostingRegressor on ordinal-encoded categories (handled natively), leaves of
    at least ``max(5, n_rows // 50)`` rows below 1,000 rows (20 from there), so that a rare
    tail of a few rows can be split off. ``"ridge"``: one-hot encoded categories, then
    ``Ridge()``. ``"rf"``: a random forest of 100 trees. The result is a scikit-learn pipeline
    whose last step is the regressor.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.report import make_regression_model
    >>> make_regression_model(np.zeros((300, 2)), "hgb")[-1].min_samples_leaf
    6
    """
    if kind not in REGRESSION_MODELS:
        hint = " (a classifier)" if kind in ("logistic", "forest") else ""
        raise InvalidParameterError(
            f"model={kind!r}{hint} is not a regression model; for a continuous target use one "
            f"of {', '.join(REGRESSION_MODELS)}."
        )
    n_samples, n_features = _containers.shape_2d(X)
    cats = categorical_columns(X)
    nums = [j for j in range(n_features) if j not in cats]
    prep = _prep(nums, cats, scale=True, one_hot=kind == "ridge")
    if kind == "ridge":
        return make_pipeline(prep, Ridge())
    if kind == "hgb":
        mask = [False] * len(nums) + [True] * len(cats)
        return make_pipeline(
            prep,
            HistGradientBoostingRegressor(
                categorical_features=mask if cats else None,
                min_samples_leaf=20 if n_samples >= 1000 else max(5, n_samples // 50),
                random_state=random_state,
            ),
        )
    forest = RandomForestRegressor(n_estimators=100, n_jobs=1, random_state=random_state)
    return make_pipeline(prep, forest)
