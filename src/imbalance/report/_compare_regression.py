"""compare_regression_strategies: ways of handling a skewed continuous target, cross-validated.

Folds are stratified on the binned target (:class:`imbalance.regression.BinnedStratifiedKFold`).
On each fold the model's preprocessing (imputation, scaling, encoding) is fitted on the
training rows once; then each strategy fits the regressor on those rows only: as they are
(``none``), with per-row weights from the training target (``density``, ``lds``), or resampled
by a sampler inside :class:`imbalance.regression.ResampledRegressor`. The relevance phi (for
SERA and for the samplers) comes from the training target's control points, so validation rows
never shape what a strategy learns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from .. import _containers
from .._typing import ArrayLike, Estimator, FloatArray, Sampler, Target
from ..exceptions import DataTypeError, InvalidDataError, InvalidParameterError
from ..regression import (
    SMOGN,
    SMOTER,
    WERCS,
    BinnedStratifiedKFold,
    GaussianNoise,
    RandomOverSampler,
    RandomUnderSampler,
)
from ._compare import _check_X, _describe_model
from ._models import categorical_columns
from ._regression_folds import FoldOut, RegStrategy, fold_points, run_folds
from ._regression_models import make_regression_model
from ._regression_plots import plot_data
from ._regression_result import RegressionComparisonResult, recommend_regression

__all__ = [
    "DEFAULT_REGRESSION_STRATEGIES",
    "REGRESSION_STRATEGIES",
    "compare_regression_strategies",
]

REGRESSION_STRATEGIES = {
    "none": "the regressor on the training rows as they are",
    "density": "DenseWeight sample weights (alpha=1) of the training target",
    "lds": "LDS sample weights (50 bins, Gaussian kernel) of the training target",
    "ros": "random over-sampling of the rare bumps",
    "rus": "random under-sampling of the common bumps",
    "smoter": "SMOTER (interpolated rare rows, common bumps under-sampled)",
    "smogn": "SMOGN (SMOTER or Gaussian noise, whichever is safe)",
    "noise": "Gaussian noise around rare rows",
    "wercs": "WERCS (rows drawn by relevance)",
}
DEFAULT_REGRESSION_STRATEGIES = ("none", "density", "lds", "ros", "rus", "smoter", "smogn")
_SAMPLERS = {
    "ros": RandomOverSampler,
    "rus": RandomUnderSampler,
    "smoter": SMOTER,
    "smogn": SMOGN,
    "noise": GaussianNoise,
    "wercs": WERCS,
}
_INTERPOLATING = ("smoter", "smogn", "noise")


def compare_regression_strategies(
    X: ArrayLike,
    y: Target,
    *,
    model: Estimator | None = None,
    strategies: Sequence[str | Sampler] | Mapping[str, str | Sampler] | None = None,
    cv: int = 5,
    random_state: int | None = 0,
    control_points: npt.ArrayLike | None = None,
    n_jobs: int | None = None,
    dataset_name: str = "data",
    progress: Callable[[int, int, str], None] | None = None,
) -> RegressionComparisonResult:
    """Cross-validate ways of handling a skewed continuous target and say which to use.

    Folds are stratified on the binned target
    (:class:`~imbalance.regression.BinnedStratifiedKFold`, shuffled with ``random_state``).
    In each fold the strategies see
    the training rows only: weights come from the training target, samplers resample the
    training rows (after the model's preprocessing, inside a
    :class:`~imbalance.regression.ResampledRegressor`), and the relevance phi comes from the
    training target. Reported per fold: SERA (with that phi) of the validation rows, MAE in
    the few-, medium- and many-shot regions (10 equal-width bins of the training target:
    few-shot bins hold under 2 % of the training rows, many-shot over 10 %), overall MAE and
    RMSE, and fit time. Strategies are ranked by SERA, near-ties (within one standard error)
    by few-shot MAE; the recommendation says whether any strategy beats ``"none"`` by more
    than the spread over folds of its per-fold gain.

    Parameters
    ----------
    X : {array-like, DataFrame} of shape (n_samples, n_features)
        Mixed types and missing values are fine with the default model.
    y : array-like of shape (n_samples,)
        Numeric target, finite and not constant.
    model : regressor, default=None
        A scikit-learn Pipeline's preprocessing runs before the strategy (fitted once per
        fold). Default: :func:`~imbalance.report.make_regression_model` (``"hgb"``).
    strategies : list or dict, default=None
        Names of ``REGRESSION_STRATEGIES`` (``none``, ``density``, ``lds``, ``ros``, ``rus``,
        ``smoter``, ``smogn``, ``noise``, ``wercs``), sampler objects, or a dict {name:
        either}. Default: ``DEFAULT_REGRESSION_STRATEGIES``, without SMOTER and SMOGN when X
        has non-numeric columns (they interpolate). Named samplers get ``random_state`` and
        the fold's control points; sampler objects are used as given.
    cv : int, default=5
        Number of folds.
    random_state : int or None, default=0
        Seeds the folds and the named samplers.
    control_points : array-like of shape (n_points, 2 or 3), default=None
        Relevance control points for every fold (see :func:`imbalance.regression.relevance`).
        Default: each training fold's own automatic points (box-plot whiskers); where the
        training target has no outlier, 0 at its median and 1 at its 90th percentile.
    n_jobs : int, default=None
        Folds fitted in parallel with joblib (each on one thread).
    dataset_name : str, default="data"
        Shown in reports.
    progress : callable, default=None
        Called as ``progress(done, total, label)`` after each fold.

    Returns
    -------
    RegressionComparisonResult

    Examples
    --------
    >>> from imbalance.regression import load_regression_dataset
    >>> from imbalance.report import compare_regression_strategies
    >>> X, y = load_regression_dataset("engel", return_X_y=True)
    >>> result = compare_regression_strategies(X, y, strategies=["none", "ros"], cv=3)
    >>> result.strategies
    ['none', 'ros']
    >>> sorted(result.summary()["ros"])
    ['few_mae', 'fit_seconds', 'mae', 'many_mae', 'medium_mae', 'predict_seconds', 'rmse', 'sera']
    >>> result.recommendation["strategy"] in ("none", "ros")
    True
    """
    if not (isinstance(cv, int | np.integer) and not isinstance(cv, bool) and cv >= 2):
        raise InvalidParameterError(f"cv must be an int >= 2 (number of folds); got {cv!r}.")
    X, n_samples, n_features = _check_X(X)
    y_arr = _check_target(y, n_samples, cv)
    if model is not None and not (hasattr(model, "fit") and hasattr(model, "predict")):
        raise InvalidParameterError(
            f"model must be a regressor with fit and predict; got {type(model).__name__}."
        )
    notes: list[str] = []
    parsed = _parse(strategies, X, random_state, notes)
    if model is None:
        model = make_regression_model(X, random_state=random_state)
    points = None if control_points is None else np.asarray(control_points, dtype=np.float64)
    plots = plot_data(y_arr, points if points is not None else fold_points(y_arr))
    folds = list(BinnedStratifiedKFold(cv, shuffle=True, random_state=random_state).split(X, y_arr))
    outs = run_folds(parsed, model, X, y_arr, folds, points, n_jobs, progress)
    parsed = _drop_failed(parsed, outs, notes)
    notes += list(dict.fromkeys(w for out in outs for w in out.warnings))
    records, oof = _assemble(parsed, outs, folds, n_samples)
    plots["predictions"] = _prediction_sample(y_arr, oof, plots.pop("rare_mask"))
    result = RegressionComparisonResult(
        dataset=_describe(dataset_name, y_arr, n_features, plots["target"]["n_rare"]),
        metric="sera",
        strategies=[s.name for s in parsed],
        folds=records,
        plots=plots,
        settings=_settings(model, cv, random_state, points),
        notes=notes,
    )
    result.recommendation = recommend_regression(result)
    return result


def _check_target(y: Target, n_samples: int, cv: int) -> FloatArray:
    arr = _containers.target_to_numpy(_containers.as_supported(y, name="y"))
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or len(arr) != n_samples:
        raise InvalidDataError(
            f"y must hold one value per row of X ({n_samples}); got shape {arr.shape}."
        )
    try:
        values = np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if values is None or arr.dtype.kind == "b":
        raise DataTypeError(
            f"compare_regression_strategies needs a numeric target; y has dtype {arr.dtype}. "
            "For class labels use compare_strategies (or `imbalance compare --task "
            "classification`)."
        )
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InvalidDataError(
            f"y holds {int(bad.sum())} missing or infinite value(s) (first at row {first}); "
            "drop those rows or fill them before comparing."
        )
    if values.min() == values.max():
        raise InvalidDataError(
            f"y is constant (every value is {float(values[0])!r}): no value is rarer than "
            "another, so there is nothing to compare. Check the target column."
        )
    if n_samples < 2 * cv:
        raise InvalidDataError(
            f"y has {n_samples} rows, too few for cv={cv} (at least {2 * cv}: two per fold). "
            "Lower cv or gather more data."
        )
    return values


def _parse(
    strategies: Sequence[str | Sampler] | Mapping[str, str | Sampler] | None,
    X: ArrayLike,
    random_state: int | None,
    notes: list[str],
) -> list[RegStrategy]:
    if strategies is None:
        items: list[tuple[str, str | Sampler]] = [(s, s) for s in DEFAULT_REGRESSION_STRATEGIES]
        cats = categorical_columns(X)
        if cats:
            items = [(n, s) for n, s in items if n not in _INTERPOLATING]
            notes.append(
                "smoter and smogn are not in the default set: they interpolate features and X "
                f"has {len(cats)} non-numeric column(s); ask for them by name to include them."
            )
    elif isinstance(strategies, Mapping):
        items = list(strategies.items())
    elif isinstance(strategies, str):
        items = [(s.strip(), s.strip()) for s in strategies.split(",") if s.strip()]
    else:
        items = [(s if isinstance(s, str) else type(s).__name__, s) for s in strategies]
    if not items:
        raise InvalidParameterError("strategies is empty; name at least one strategy.")
    parsed = [_one(str(name), spec, random_state) for name, spec in items]
    names = [s.name for s in parsed]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidParameterError(
            f"strategies names {twice} more than once; pass a dict to give each its own name."
        )
    return parsed


def _one(name: str, spec: str | Sampler, random_state: int | None) -> RegStrategy:
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key not in REGRESSION_STRATEGIES:
            raise InvalidParameterError(
                f"strategy {spec!r} is not known for a continuous target; use one of "
                f"{', '.join(REGRESSION_STRATEGIES)}, or a regression sampler object."
            )
        if key == "none":
            return RegStrategy(name, "none")
        if key in ("density", "lds"):
            return RegStrategy(name, "weights", weights=key)
        return RegStrategy(
            name, "sampler", sampler=_SAMPLERS[key](random_state=random_state), named=True
        )
    if not hasattr(spec, "fit_resample"):
        raise InvalidParameterError(
            f"strategy {name!r} must be a name or a sampler with fit_resample; got "
            f"{type(spec).__name__}."
        )
    return RegStrategy(name, "sampler", sampler=spec)


def _drop_failed(
    parsed: list[RegStrategy], outs: list[FoldOut], notes: list[str]
) -> list[RegStrategy]:
    kept = []
    for s in parsed:
        errors = [(k, out.errors[s.name]) for k, out in enumerate(outs) if s.name in out.errors]
        if errors:
            k, message = errors[0]
            notes.append(
                f"{s.name} left out: it could not be fitted on training fold {k + 1}: {message}"
            )
        else:
            kept.append(s)
    if not kept:
        raise InvalidDataError("no strategy could be fitted: " + " ".join(notes))
    return kept


def _assemble(
    parsed: list[RegStrategy],
    outs: list[FoldOut],
    folds: list[tuple[np.ndarray, np.ndarray]],
    n: int,
) -> tuple[list[dict[str, float | int | str]], dict[str, FloatArray]]:
    records: list[dict[str, float | int | str]] = []
    oof = {s.name: np.full(n, np.nan) for s in parsed}
    for s in parsed:
        for k, (out, (_, val)) in enumerate(zip(outs, folds, strict=True)):
            records.append({"strategy": s.name, "fold": k, **out.records[s.name]})
            oof[s.name][val] = out.predictions[s.name]
    return records, oof


def _prediction_sample(
    y: FloatArray, oof: dict[str, FloatArray], rare: np.ndarray
) -> dict[str, object]:
    """At most ~1,000 rows for the predicted-against-true plot: rare rows first (up to 500,
    evenly spaced), the others evenly spaced over the sorted target."""
    order = np.argsort(y, kind="stable")
    rare_rows, common_rows = order[rare[order]], order[~rare[order]]

    def spaced(rows: np.ndarray, most: int) -> np.ndarray:
        if len(rows) <= most:
            return rows
        return rows[np.unique(np.linspace(0, len(rows) - 1, most).round().astype(int))]

    keep = np.sort(
        np.r_[spaced(rare_rows, 500), spaced(common_rows, 1000 - min(500, len(rare_rows)))]
    )
    return {
        "y_true": y[keep].tolist(),
        "rare": rare[keep].tolist(),
        "pred": {name: values[keep].tolist() for name, values in oof.items()},
    }


def _describe(name: str, y: FloatArray, n_features: int, n_rare: int) -> dict[str, object]:
    return {
        "name": name,
        "n_samples": int(y.size),
        "n_features": n_features,
        "target": {
            "min": float(y.min()),
            "median": float(np.median(y)),
            "max": float(y.max()),
            "n_distinct": int(np.unique(y).size),
            "n_rare": n_rare,
        },
    }


def _settings(
    model: Estimator, cv: int, random_state: int | None, points: FloatArray | None
) -> dict[str, object]:
    return {
        "model": _describe_model(model),
        "cv": cv,
        "random_state": random_state,
        "relevance": "given control points"
        if points is not None
        else "each training fold's control points (box-plot whiskers; without outliers 0 at "
        "the median, 1 at the 90th percentile)",
        "regions": "10 equal-width bins of the training fold's target: few-shot < 2 % of its "
        "rows, many-shot > 10 %",
    }
