"""Per-row weights for a continuous target: DenseWeight, LDS and inverse frequency over bins.

Each function returns one weight per row, scaled to mean 1, ready for scikit-learn's
``sample_weight`` or a weighted torch loss.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from .._typing import Target
from ..exceptions import InvalidDataError, InvalidParameterError
from ._relevance import normalised_density
from ._target import as_float_target

__all__ = [
    "bin_codes",
    "check_varies",
    "density_weights",
    "inverse_frequency_weights",
    "lds_weights",
]

Kernel = Literal["gaussian", "triangular", "laplace"]


def density_weights(
    y: Target, *, alpha: float = 1.0, eps: float = 1e-6, bandwidth: float | None = None
) -> np.ndarray:
    """DenseWeight (Steininger et al., 2021): ``max(1 - alpha * p(y), eps)``, scaled to mean 1.

    ``p`` is the kernel density of y min-max scaled to [0, 1] (Gaussian kernel, Silverman's
    bandwidth unless given). ``alpha=0`` gives equal weights; larger ``alpha`` weighs rare
    values more.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values (finite).
    alpha : float, default=1.0
        Strength of the reweighting (>= 0).
    eps : float, default=1e-6
        Smallest weight before scaling (> 0), so that no row is ignored.
    bandwidth : float or None, default=None
        Kernel bandwidth.

    Returns
    -------
    weights : ndarray of shape (n_samples,)

    References
    ----------
    .. [1] M. Steininger, K. Kobs, P. Davidson, A. Krause and A. Hotho, "Density-based
       weighting for imbalanced regression", Machine Learning 110, 2187-2211, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import density_weights
    >>> y = np.concatenate([np.zeros(90), np.linspace(5, 10, 10)])
    >>> w = density_weights(y)
    >>> round(float(w.mean()), 6), bool(w[90:].min() > 10 * w[:90].max())
    (1.0, True)
    """
    if not alpha >= 0:
        raise InvalidParameterError(f"alpha of density_weights must be >= 0; got {alpha!r}.")
    if not eps > 0:
        raise InvalidParameterError(f"eps of density_weights must be > 0; got {eps!r}.")
    w = np.maximum(1.0 - alpha * normalised_density(y, bandwidth), eps)
    return w / w.mean()


def bin_codes(
    y: Target, bins: int | npt.ArrayLike = 100, *, owner: str = "bin_codes"
) -> tuple[np.ndarray, int]:
    """Bin of each value (equal-width bins over the range of y, or the given edges) and the
    number of bins; values beyond given edges fall in the first or last bin."""
    values = as_float_target(y, owner)
    if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
        if bins < 1:
            raise InvalidParameterError(f"bins of {owner} must be >= 1; got {bins!r}.")
        check_varies(values, owner)
        edges = np.linspace(values.min(), values.max(), int(bins) + 1)
    else:
        edges = np.asarray(bins, dtype=np.float64).ravel()
        if edges.size < 2 or np.any(np.diff(edges) <= 0) or not np.isfinite(edges).all():
            raise InvalidParameterError(
                f"bins of {owner} must be an int or at least 2 increasing finite edges; "
                f"got {bins!r}."
            )
    n_bins = edges.size - 1
    codes = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, n_bins - 1)
    return codes.astype(np.intp), n_bins


def check_varies(values: np.ndarray, owner: str) -> None:
    """Refuse a constant target: its range cannot be cut into bins, nothing is rarer."""
    if values.size and values.min() == values.max():
        raise InvalidDataError(
            f"{owner} needs a target that varies; every value of y is {float(values[0])!r}, "
            "so no value is rarer than another and there are no bins to weigh. Check the "
            "target column (equal weights are sample_weight=None)."
        )


def _kernel_window(kernel: str, ks: int, sigma: float) -> np.ndarray:
    """Yang et al.'s LDS kernel window, peak 1."""
    half = (ks - 1) // 2
    x = np.arange(-half, half + 1, dtype=np.float64)
    if kernel == "gaussian":
        from scipy.ndimage import gaussian_filter1d

        base = np.zeros(x.size)
        base[half] = 1.0
        window = gaussian_filter1d(base, sigma=sigma)
    elif kernel == "triangular":
        from scipy.signal.windows import triang

        window = triang(ks)
    elif kernel == "laplace":
        window = np.exp(-np.abs(x) / sigma) / (2.0 * sigma)
    else:
        raise InvalidParameterError(
            f"kernel of lds_weights must be 'gaussian', 'triangular' or 'laplace'; got {kernel!r}."
        )
    return np.asarray(window / window.max(), dtype=np.float64)


def lds_weights(
    y: Target,
    *,
    bins: int | npt.ArrayLike = 100,
    kernel: Kernel = "gaussian",
    ks: int = 5,
    sigma: float = 2.0,
    reweight: Literal["sqrt_inv", "inverse"] = "sqrt_inv",
) -> np.ndarray:
    """Label Distribution Smoothing weights (Yang et al., 2021): inverse of the smoothed
    frequency of each row's bin, scaled to mean 1.

    The target is cut into bins; the count of each bin (its square root for
    ``reweight="sqrt_inv"``) is convolved with the kernel window (``ks`` bins wide, peak 1),
    and each row gets the inverse of its bin's smoothed value, as in the paper's code.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Target values (finite).
    bins : int or array-like of edges, default=100
        Equal-width bins over the range of y, or bin edges.
    kernel : {"gaussian", "triangular", "laplace"}, default="gaussian"
        Smoothing kernel.
    ks : int, default=5
        Kernel size in bins (odd).
    sigma : float, default=2.0
        Kernel scale in bins (gaussian and laplace).
    reweight : {"sqrt_inv", "inverse"}, default="sqrt_inv"
        Smooth the square roots of the counts, or the counts.

    Returns
    -------
    weights : ndarray of shape (n_samples,)

    References
    ----------
    .. [1] Y. Yang, K. Zha, Y.-C. Chen, H. Wang and D. Katabi, "Delving into Deep Imbalanced
       Regression", ICML 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import lds_weights
    >>> y = np.concatenate([np.zeros(90), np.full(10, 1.0)])
    >>> w = lds_weights(y, bins=10, ks=1)
    >>> round(float(w[0] / w[-1]), 3)  # sqrt(10 / 90)
    0.333
    """
    if not (isinstance(ks, int) and ks >= 1 and ks % 2 == 1):
        raise InvalidParameterError(f"ks of lds_weights must be an odd int >= 1; got {ks!r}.")
    if not sigma > 0:
        raise InvalidParameterError(f"sigma of lds_weights must be > 0; got {sigma!r}.")
    if reweight not in ("sqrt_inv", "inverse"):
        raise InvalidParameterError(
            f"reweight of lds_weights must be 'sqrt_inv' or 'inverse'; got {reweight!r}."
        )
    codes, n_bins = bin_codes(y, bins, owner="lds_weights")
    counts = np.bincount(codes, minlength=n_bins).astype(np.float64)
    if reweight == "sqrt_inv":
        counts = np.sqrt(counts)
    from scipy.ndimage import convolve1d

    smoothed = convolve1d(counts, _kernel_window(kernel, ks, sigma), mode="constant")
    w = 1.0 / smoothed[codes]
    return w / w.mean()


def inverse_frequency_weights(y: Target, *, bins: int | npt.ArrayLike = 10) -> np.ndarray:
    """Inverse of the number of rows in each row's bin, scaled to mean 1.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.regression import inverse_frequency_weights
    >>> inverse_frequency_weights([0.0, 0.1, 0.2, 9.9], bins=2).tolist()
    [0.666..., 0.666..., 0.666..., 2.0]
    """
    codes, n_bins = bin_codes(y, bins, owner="inverse_frequency_weights")
    counts = np.bincount(codes, minlength=n_bins).astype(np.float64)
    w = 1.0 / counts[codes]
    return w / w.mean()
