"""Relevance of target values: the phi function of Ribeiro (2011), and a density-based one.

phi maps each target value to [0, 1] (1: rare and relevant, 0: common). It is a piecewise cubic
Hermite interpolation of *control points* ``(value, relevance, slope)``, with the slopes made
monotone by Fritsch & Carlson (1980), exactly as in the R package UBL and its Python port
``smogn``. Automatic control points come from the box plot of y: relevance 1 at the whisker of
each tail that has outliers (``extreme`` says which tails count), 0 at the median and at the
end of a tail without outliers.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import numpy.typing as npt

from .._typing import Target
from ..exceptions import InvalidDataError, InvalidParameterError

__all__ = [
    "RelevanceWarning",
    "box_plot_stats",
    "control_points",
    "density_relevance",
    "kde_density",
    "relevance",
    "relevance_values",
]

Extreme = Literal["both", "high", "low"]
Quartiles = Literal["fivenum", "midpoint"]


class RelevanceWarning(UserWarning):
    """The relevance function is unusual for the data (no rare region, points out of range)."""


def box_plot_stats(
    y: np.ndarray, coef: float = 1.5, quartiles: Quartiles = "fivenum"
) -> tuple[np.ndarray, np.ndarray]:
    """The five box-plot statistics of ``y`` and the values beyond the whiskers.

    ``quartiles="fivenum"`` takes Tukey's hinges (R's ``fivenum``, so R's ``boxplot.stats``
    and UBL); ``"midpoint"`` takes numpy's midpoint quantiles (the ``smogn`` package).
    """
    x = np.sort(np.asarray(y, dtype=np.float64))
    n = x.size
    if quartiles == "fivenum":
        n4 = np.floor((n + 3) / 2) / 2
        d = np.array([1, n4, (n + 1) / 2, n + 1 - n4, n]) - 1
        five = 0.5 * (x[np.floor(d).astype(np.intp)] + x[np.ceil(d).astype(np.intp)])
        q1, med, q3 = five[1], five[2], five[3]
    else:
        q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75], method="midpoint")
    iqr = q3 - q1
    inside = x[(x >= q1 - coef * iqr) & (x <= q3 + coef * iqr)]
    low, high = inside[0], inside[-1]
    stats = np.array([low, q1, med, q3, high], dtype=np.float64)
    return stats, x[(x < low) | (x > high)]


def control_points(
    y: Target,
    *,
    extreme: Extreme = "both",
    coef: float = 1.5,
    quartiles: Quartiles = "fivenum",
) -> np.ndarray:
    """Automatic control points of phi from the box plot of ``y`` (UBL's ``phi.extremes``).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values (finite).
    extreme : {"both", "high", "low"}, default="both"
        Which tails hold the relevant values.
    coef : float, default=1.5
        Whisker length in interquartile ranges (R's ``boxplot.stats(coef=)``).
    quartiles : {"fivenum", "midpoint"}, default="fivenum"
        Tukey's hinges as in R and UBL, or numpy's midpoint quantiles as in ``smogn``.

    Returns
    -------
    points : ndarray of shape (n_points, 3)
        Rows ``(value, relevance, slope)``, values increasing.

    Examples
    --------
    >>> from imbalance.regression import control_points
    >>> control_points([1.0, 2, 2, 3, 3, 3, 4, 4, 30]).tolist()
    [[1.0, 0.0, 0.0], [3.0, 0.0, 0.0], [4.0, 1.0, 0.0]]
    """
    return _auto_points(_finite_target(y, "control_points"), extreme, coef, quartiles)


def _auto_points(values: np.ndarray, extreme: str, coef: float, quartiles: Quartiles) -> np.ndarray:
    if not coef > 0:
        raise InvalidParameterError(f"coef of the relevance must be > 0; got {coef!r}.")
    if extreme not in ("both", "high", "low"):
        raise InvalidParameterError(f"extreme must be 'both', 'high' or 'low'; got {extreme!r}.")
    if quartiles not in ("fivenum", "midpoint"):
        raise InvalidParameterError(
            f"quartiles must be 'fivenum' or 'midpoint'; got {quartiles!r}."
        )
    stats, out = box_plot_stats(values, coef, quartiles)
    low, med, high = stats[0], stats[2], stats[4]
    lo_y, hi_y = float(values.min()), float(values.max())
    pts: list[list[float]] = []
    if extreme in ("both", "low") and np.any(out < low):
        pts.append([low, 1.0, 0.0])
    else:
        pts.append([lo_y, 0.0, 0.0])
    if med != lo_y:
        pts.append([med, 0.0, 0.0])
    if extreme in ("both", "high") and np.any(out > high):
        pts.append([high, 1.0, 0.0])
    elif med != hi_y:
        pts.append([hi_y, 0.0, 0.0])
    points = np.asarray(pts, dtype=np.float64)
    if lo_y == hi_y:
        raise InvalidDataError(
            f"y is constant ({lo_y!r}), so no value is rarer than another; relevance needs "
            "at least two different target values."
        )
    if np.any(np.diff(points[:, 0]) <= 0):
        raise InvalidDataError(
            f"The box plot of y collapses (median {float(med)!r} equals a whisker), so "
            "automatic control points cannot tell rare values from common ones. Pass "
            "control_points yourself, e.g. [[value, relevance], ...] with increasing values."
        )
    return points


def relevance(
    y: Target,
    *,
    control_points: npt.ArrayLike | None = None,
    extreme: Extreme = "both",
    coef: float = 1.5,
    quartiles: Quartiles = "fivenum",
) -> np.ndarray:
    """Relevance phi(y) in [0, 1] of each target value (Ribeiro, 2011; UBL's ``phi``).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values (finite).
    control_points : array-like of shape (n_points, 2) or (n_points, 3), default=None
        Rows ``(value, relevance)`` or ``(value, relevance, slope)`` with increasing values and
        relevances in [0, 1]. Without slopes, each inner slope is the mean of the secants on
        either side and the end slopes are 0 (UBL's rule). ``None``: automatic points from the
        box plot (see :func:`control_points`). Values of y below the first point take its
        relevance; above the last point, its relevance plus its slope times the distance,
        clipped to [0, 1]. A :class:`RelevanceWarning` says when no point lies within the
        range of y (the relevance is then constant on the data), and when every value gets
        relevance 0 (no rare region: with automatic points, y has no box-plot outlier).
    extreme, coef, quartiles
        Automatic control points only: see :func:`control_points`.

    Returns
    -------
    phi : ndarray of shape (n_samples,)

    References
    ----------
    .. [1] R. P. Ribeiro, "Utility-based Regression", PhD thesis, University of Porto, 2011.
    .. [2] P. Branco, R. P. Ribeiro and L. Torgo, "UBL: an R package for Utility-based
       Learning", arXiv:1604.08079, 2016.
    .. [3] F. N. Fritsch and R. E. Carlson, "Monotone Piecewise Cubic Interpolation", SIAM J.
       Numer. Anal. 17(2), 238-246, 1980.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import relevance
    >>> y = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 30])
    >>> relevance(y).round(3).tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
    >>> relevance([0.0, 5, 10], control_points=[[0, 0], [10, 1]]).round(6).tolist()
    [0.0, 0.5, 1.0]
    """
    values = _finite_target(y, "relevance")
    phi, warning = relevance_values(values, control_points, extreme, coef, quartiles)
    if warning:
        warnings.warn(warning, RelevanceWarning, stacklevel=2)
    return phi


def relevance_values(
    values: np.ndarray,
    control_points: npt.ArrayLike | None,
    extreme: Extreme = "both",
    coef: float = 1.5,
    quartiles: Quartiles = "fivenum",
    *,
    warn_no_rare: bool = True,
) -> tuple[np.ndarray, str]:
    """phi of finite ``values`` and what to warn about ("" when nothing): control points
    outside the range of y, or (``warn_no_rare``) no value with relevance above 0."""
    if control_points is None:
        points = _auto_points(values, extreme, coef, quartiles)
    else:
        points = check_control_points(control_points)
    phi = pchip(values, points)
    if values.size == 0:
        return phi, ""
    lo, hi = float(values.min()), float(values.max())
    inside = (points[:, 0] >= lo) & (points[:, 0] <= hi)
    if control_points is not None and not inside.any():
        return phi, (
            f"y spans [{lo!r}, {hi!r}] but no control point lies in that range (they cover "
            f"[{float(points[0, 0])!r}, {float(points[-1, 0])!r}]): every value takes the "
            "relevance of the nearest end point. Give control points within the range of y."
        )
    if warn_no_rare and not phi.any():
        why = (
            f"no value of y lies beyond the box-plot whiskers (coef={coef!r}, extreme={extreme!r})"
            if control_points is None
            else "the control points give relevance 0 over the whole range of y"
        )
        return phi, (
            f"Every value of y has relevance 0: {why}, so there is no rare region (SERA is 0 "
            "and the samplers leave the data unchanged). Pass control_points that mark the "
            "values that matter (e.g. [[median, 0], [high quantile, 1]]), or a smaller coef."
        )
    return phi, ""


def check_control_points(points: npt.ArrayLike) -> np.ndarray:
    """User control points as ``(value, relevance, slope)`` rows, checked in the user's terms."""
    try:
        arr = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"control_points must be numbers, rows (value, relevance[, slope]); got {points!r}."
        ) from None
    if arr.ndim != 2 or arr.shape[1] not in (2, 3) or arr.shape[0] < 2:
        raise InvalidParameterError(
            "control_points must have at least 2 rows of (value, relevance) or (value, "
            f"relevance, slope); got shape {arr.shape}."
        )
    if not np.isfinite(arr).all():
        raise InvalidParameterError("control_points must be finite; got NaN or infinity.")
    if np.any(np.diff(arr[:, 0]) <= 0):
        raise InvalidParameterError(
            f"control_points values must strictly increase; got {arr[:, 0].tolist()}."
        )
    if np.any((arr[:, 1] < 0) | (arr[:, 1] > 1)):
        raise InvalidParameterError(
            "control_points relevances must lie in [0, 1] (phi maps to [0, 1]); got "
            f"{arr[:, 1].tolist()}."
        )
    if arr.shape[1] == 2:
        secant = np.diff(arr[:, 1]) / np.diff(arr[:, 0])
        slopes = np.concatenate([[0.0], (secant[1:] + secant[:-1]) / 2, [0.0]])
        arr = np.column_stack([arr, slopes])
    return arr


def pchip(y: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Monotone piecewise cubic Hermite interpolation of ``points`` at ``y`` (UBL's C code)."""
    x, a = points[:, 0], points[:, 1]
    h = np.diff(x)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        # control points a few ulps apart give infinite secants: the slopes there only shape
        # an interval no value falls strictly inside, and are dropped below
        delta = np.diff(a) / h
        m = _monotone_slopes(points[:, 2].copy(), delta)
    i = np.searchsorted(x, y, side="right") - 1
    last = x.size - 1
    inner = np.clip(i, 0, last - 1)
    # the Hermite basis in t = (y - x_k) / h_k: the same cubic as UBL's power form, without
    # dividing by h^2 (control points 1e-134 apart would overflow it)
    width = h[inner]
    with np.errstate(over="ignore", invalid="ignore"):
        t = np.nan_to_num(np.clip((y - x[inner]) / width, 0.0, 1.0))
    t2 = t * t
    t3 = t2 * t
    with np.errstate(over="ignore", invalid="ignore"):
        wm0, wm1 = width * m[inner], width * m[inner + 1]
    wm0 = np.where(np.isfinite(wm0), wm0, 0.0)
    wm1 = np.where(np.isfinite(wm1), wm1, 0.0)
    phi = (
        (2 * t3 - 3 * t2 + 1) * a[inner]
        + (t3 - 2 * t2 + t) * wm0
        + (3 * t2 - 2 * t3) * a[inner + 1]
        + (t3 - t2) * wm1
    )
    phi = np.where(i >= last, a[last] + m[last] * (y - x[last]), phi)
    phi = np.where(i < 0, a[0], phi)
    return np.clip(phi, 0.0, 1.0)


def _monotone_slopes(m: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """Fritsch-Carlson adjustment of the slopes, interval by interval (as UBL does)."""
    for k, sk in enumerate(delta.tolist()):
        if sk == 0:
            m[k] = m[k + 1] = 0.0
            continue
        if m[k] != 0 and m[k] / sk < 0:
            m[k] = -m[k]
        if m[k + 1] != 0 and m[k + 1] / sk < 0:
            m[k + 1] = -m[k + 1]
        alpha, beta = m[k] / sk, m[k + 1] / sk
        a2b3, ab23 = 2 * alpha + beta - 3, alpha + 2 * beta - 3
        if a2b3 > 0 and ab23 > 0 and alpha * (a2b3 + ab23) < a2b3 * a2b3:
            tau = 3 * sk / np.sqrt(alpha * alpha + beta * beta)
            m[k], m[k + 1] = tau * alpha, tau * beta
    return m


def kde_density(y: Target, *, bandwidth: float | None = None, grid: int = 4096) -> np.ndarray:
    """Gaussian kernel density of ``y`` at each of its values, from a binned estimate.

    The values are linearly binned on ``grid`` points spanning y padded by three bandwidths,
    convolved with the Gaussian kernel, and read back by linear interpolation: O(n + grid
    log grid), so 1M values take milliseconds. ``bandwidth=None`` uses Silverman's rule
    ``0.9 * min(std, IQR / 1.349) * n ** -0.2``.
    """
    values = _finite_target(y, "kde_density")
    bw = _silverman(values) if bandwidth is None else float(bandwidth)
    if not bw > 0:
        raise InvalidParameterError(f"bandwidth must be > 0; got {bandwidth!r}.")
    lo, hi = values.min() - 3 * bw, values.max() + 3 * bw
    edges = np.linspace(lo, hi, grid)
    step = edges[1] - edges[0]
    pos = (values - lo) / step
    left = np.clip(np.floor(pos).astype(np.intp), 0, grid - 2)
    frac = pos - left
    counts = np.bincount(left, 1 - frac, minlength=grid) + np.bincount(
        left + 1, frac, minlength=grid
    )
    half = min(grid - 1, int(np.ceil(4 * bw / step)))
    offsets = np.arange(-half, half + 1) * step
    kernel = np.exp(-0.5 * (offsets / bw) ** 2) / (bw * np.sqrt(2 * np.pi))
    from scipy.signal import fftconvolve

    density = fftconvolve(counts, kernel, mode="same") / values.size
    return np.maximum(np.interp(values, edges, density), 0.0)


def density_relevance(
    y: Target, *, alpha: float = 1.0, bandwidth: float | None = None
) -> np.ndarray:
    """Relevance from the rarity of each value: ``clip(1 - alpha * p(y), 0, 1)``.

    ``p`` is the kernel density of y scaled to [0, 1] (DenseWeight's normalised density,
    Steininger et al., 2021): the most common value gets ``1 - alpha`` and the rarest values
    up to 1. ``alpha=0`` makes every value equally relevant.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import density_relevance
    >>> y = np.concatenate([np.zeros(90), np.linspace(5, 10, 10)])
    >>> r = density_relevance(y)
    >>> bool(r[:90].max() < 0.01 and r[90:].min() > 0.9)
    True
    """
    if alpha < 0:
        raise InvalidParameterError(f"alpha must be >= 0; got {alpha!r}.")
    return np.clip(1.0 - alpha * normalised_density(y, bandwidth), 0.0, 1.0)


def normalised_density(y: Target, bandwidth: float | None = None) -> np.ndarray:
    """Kernel density of y at its values, min-max scaled to [0, 1]."""
    dens = kde_density(y, bandwidth=bandwidth)
    span = dens.max() - dens.min()
    return np.zeros_like(dens) if span == 0 else (dens - dens.min()) / span


def _silverman(values: np.ndarray) -> float:
    q75, q25 = np.percentile(values, [75, 25])
    spread = min(float(values.std(ddof=1)) if values.size > 1 else 0.0, (q75 - q25) / 1.349)
    if spread <= 0:
        spread = float(values.std(ddof=1)) if values.size > 1 else 0.0
    if spread <= 0:
        raise InvalidDataError(
            "y is constant, so its density has no shape; relevance and density weights need "
            "at least two different target values."
        )
    return 0.9 * spread * values.size ** (-0.2)


def _finite_target(y: Target, owner: str) -> np.ndarray:
    """y as a 1-D float64 array, finite, with a message in the user's terms otherwise."""
    from ._target import as_float_target

    return as_float_target(y, owner)
