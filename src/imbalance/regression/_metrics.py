"""Errors that weigh the rare target values: SERA, relevance-weighted errors, errors by region."""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt

from .._typing import Target
from ..exceptions import InvalidDataError, InvalidParameterError
from ._relevance import RelevanceWarning
from ._relevance import relevance as relevance_of
from ._target import as_float_target
from ._weights import bin_codes, check_varies

__all__ = [
    "REGIONS",
    "region_errors",
    "relevance_weighted_mae",
    "relevance_weighted_mse",
    "sera",
    "shot_regions",
]

REGIONS = ("many", "medium", "few")


def _pair(y_true: Target, y_pred: Target, owner: str) -> tuple[np.ndarray, np.ndarray]:
    t = as_float_target(y_true, owner, name="y_true")
    p = as_float_target(y_pred, owner, name="y_pred")
    if t.shape != p.shape:
        raise InvalidDataError(
            f"{owner}: y_true has {t.size} values and y_pred {p.size}; pass one prediction "
            "per true value."
        )
    return t, p


def _phi(
    t: np.ndarray, relevance: npt.ArrayLike | None, control_points: npt.ArrayLike | None, owner: str
) -> np.ndarray:
    if relevance is None:
        return relevance_of(t, control_points=control_points)
    phi = np.asarray(relevance, dtype=np.float64).ravel()
    if phi.shape != t.shape or not np.all((phi >= 0) & (phi <= 1)):
        raise InvalidParameterError(
            f"relevance of {owner} must hold one value in [0, 1] per row ({t.size}); got "
            f"shape {phi.shape}."
        )
    return phi


def sera(
    y_true: Target,
    y_pred: Target,
    *,
    relevance: npt.ArrayLike | None = None,
    control_points: npt.ArrayLike | None = None,
) -> float:
    """Squared error-relevance area (Ribeiro & Moniz, 2020).

    ``SERA = integral over t in [0, 1] of SER_t``, where ``SER_t`` sums the squared errors of
    the rows whose relevance is at least ``t``. A row of relevance ``phi`` counts for every
    ``t <= phi``, so the integral is exactly ``sum(phi * (y_pred - y_true) ** 2)``; the paper
    approximates it with the trapezoid rule on a grid of ``t`` (step 0.001), which differs by
    less than that step times the sum of squared errors. Lower is better.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    relevance : array-like of shape (n_samples,), default=None
        Relevance of each true value; ``None`` computes phi from ``y_true`` (automatic
        control points, or ``control_points``).
    control_points : array-like, default=None
        See :func:`imbalance.regression.relevance`.

    Returns
    -------
    sera : float

    References
    ----------
    .. [1] R. P. Ribeiro and N. Moniz, "Imbalanced regression and extreme value prediction",
       Machine Learning 109, 1803-1835, 2020.

    Examples
    --------
    >>> from imbalance.regression import sera
    >>> sera([0.0, 1.0, 2.0], [0.0, 2.0, 4.0], relevance=[0.0, 0.5, 1.0])
    4.5
    """
    t, p = _pair(y_true, y_pred, "sera")
    phi = _phi(t, relevance, control_points, "sera")
    if relevance is not None and t.size and not phi.any():
        warnings.warn(
            "sera: every true value has relevance 0, so SERA is 0 whatever the predictions. "
            "Give a relevance that marks the values that matter.",
            RelevanceWarning,
            stacklevel=2,
        )
    return float(np.sum(phi * (p - t) ** 2))


def relevance_weighted_mse(
    y_true: Target,
    y_pred: Target,
    *,
    relevance: npt.ArrayLike | None = None,
    control_points: npt.ArrayLike | None = None,
) -> float:
    """Mean squared error weighted by the relevance of the true values.

    Examples
    --------
    >>> from imbalance.regression import relevance_weighted_mse
    >>> relevance_weighted_mse([0.0, 1.0], [1.0, 3.0], relevance=[0.0, 1.0])
    4.0
    """
    t, p = _pair(y_true, y_pred, "relevance_weighted_mse")
    phi = _phi(t, relevance, control_points, "relevance_weighted_mse")
    return _weighted_mean((p - t) ** 2, phi, "relevance_weighted_mse")


def relevance_weighted_mae(
    y_true: Target,
    y_pred: Target,
    *,
    relevance: npt.ArrayLike | None = None,
    control_points: npt.ArrayLike | None = None,
) -> float:
    """Mean absolute error weighted by the relevance of the true values.

    Examples
    --------
    >>> from imbalance.regression import relevance_weighted_mae
    >>> relevance_weighted_mae([0.0, 1.0], [1.0, 3.0], relevance=[0.5, 0.5])
    1.5
    """
    t, p = _pair(y_true, y_pred, "relevance_weighted_mae")
    phi = _phi(t, relevance, control_points, "relevance_weighted_mae")
    return _weighted_mean(np.abs(p - t), phi, "relevance_weighted_mae")


def _weighted_mean(errors: np.ndarray, phi: np.ndarray, owner: str) -> float:
    total = phi.sum()
    if total == 0:
        raise InvalidDataError(
            f"{owner}: every true value has relevance 0, so the weighted mean is undefined. "
            "Give control_points that mark the values that matter."
        )
    return float(np.sum(phi * errors) / total)


def shot_regions(
    y_train: Target, y: Target, *, bins: int | npt.ArrayLike = 100, many: int = 100, few: int = 20
) -> np.ndarray:
    """Region of each value of ``y``: ``"many"``, ``"medium"`` or ``"few"``-shot (Yang et al.).

    The target range of ``y_train`` is cut into ``bins`` (equal width, or edges); a bin with
    more than ``many`` training rows is many-shot, fewer than ``few`` few-shot, the rest
    medium-shot. Values of ``y`` outside the training range fall in the end bins.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import shot_regions
    >>> y_train = np.concatenate([np.zeros(150), np.ones(50), np.full(5, 2.0)])
    >>> shot_regions(y_train, [0.0, 1.0, 2.0], bins=[0, 0.5, 1.5, 2.5]).tolist()
    ['many', 'medium', 'few']
    """
    if not (0 <= few <= many):
        raise InvalidParameterError(f"shot_regions needs 0 <= few <= many; got {few=}, {many=}.")
    train = as_float_target(y_train, "shot_regions")
    if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
        check_varies(train, "shot_regions")
        edges = np.linspace(train.min(), train.max(), int(bins) + 1)
    else:
        edges = np.asarray(bins, dtype=np.float64)
    codes_train, n_bins = bin_codes(train, edges, owner="shot_regions")
    counts = np.bincount(codes_train, minlength=n_bins)
    codes, _ = bin_codes(y, edges, owner="shot_regions")
    region = np.where(counts > many, "many", np.where(counts < few, "few", "medium"))
    return np.asarray(region[codes], dtype=object)


def region_errors(
    y_true: Target,
    y_pred: Target,
    *,
    y_train: Target,
    bins: int | npt.ArrayLike = 100,
    many: int = 100,
    few: int = 20,
) -> dict[str, dict[str, float]]:
    """MAE, MSE and row count overall and in each shot region of :func:`shot_regions`.

    Returns ``{"all": {...}, "many": {...}, "medium": {...}, "few": {...}}``, each
    ``{"n": rows, "mae": ..., "mse": ...}`` (NaN errors for a region without rows).

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import region_errors
    >>> y_train = np.concatenate([np.zeros(150), np.full(5, 2.0)])
    >>> out = region_errors([0.0, 2.0], [0.5, 1.0], y_train=y_train, bins=2)
    >>> out["few"], out["many"]["mae"]
    ({'n': 1.0, 'mae': 1.0, 'mse': 1.0}, 0.5)
    """
    t, p = _pair(y_true, y_pred, "region_errors")
    regions = shot_regions(y_train, t, bins=bins, many=many, few=few)
    out = {"all": _errors(t, p)}
    for name in REGIONS:
        mask = regions == name
        out[name] = _errors(t[mask], p[mask])
    return out


def _errors(t: np.ndarray, p: np.ndarray) -> dict[str, float]:
    if t.size == 0:
        return {"n": 0.0, "mae": float("nan"), "mse": float("nan")}
    e = p - t
    return {"n": float(t.size), "mae": float(np.abs(e).mean()), "mse": float((e * e).mean())}
