"""The weighting schemes: class counts to class weights (a leaf both weighting modules import).

:mod:`imbalance.weights` (one class per row) and :mod:`imbalance.multilabel` (positive counts
of each label) apply the same schemes; they live here so that neither package imports the
other. The public name is :func:`imbalance.weights.weights_from_counts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, TypeAlias

import numpy as np

from ._typing import ArrayLike
from .exceptions import InvalidDataError, InvalidParameterError

__all__ = ["SCHEMES", "Scheme", "weights_from_counts"]

Scheme: TypeAlias = Literal[
    "balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"
]
SCHEMES: tuple[str, ...] = (
    "balanced",
    "inverse",
    "sqrt_inverse",
    "effective_number",
    "median_frequency",
)


def weights_from_counts(
    class_counts: Sequence[float] | np.ndarray, *, scheme: Scheme = "balanced", beta: float = 0.999
) -> np.ndarray:
    """Weight of each class from its count, in the order given.

    Parameters
    ----------
    class_counts : sequence of int of shape (n_classes,)
        Number of rows of each class; every count must be positive.
    scheme : {"balanced", "inverse", "sqrt_inverse", "effective_number", "median_frequency"}
        How counts become weights (see :mod:`imbalance.weights`).
    beta : float in [0, 1), default=0.999
        Used by ``"effective_number"`` only.

    Returns
    -------
    weights : ndarray of shape (n_classes,), float64

    Examples
    --------
    >>> from imbalance.weights import weights_from_counts
    >>> weights_from_counts([900, 100]).round(3).tolist()
    [0.556, 5.0]
    >>> weights_from_counts([900, 100], scheme="inverse").round(3).tolist()
    [1.111, 10.0]
    """
    counts = _check_counts(class_counts)
    if scheme not in SCHEMES:
        raise InvalidParameterError(
            f"scheme={scheme!r} is not a weighting scheme; "
            f"use one of {', '.join(map(repr, SCHEMES))}."
        )
    n, n_classes = counts.sum(), counts.size
    if scheme == "balanced":
        return n / (n_classes * counts)
    if scheme == "inverse":
        return n / counts
    if scheme == "sqrt_inverse":
        return np.sqrt(n / counts)
    if scheme == "median_frequency":
        freq = counts / n
        return np.median(freq) / freq
    return _effective_number(counts, beta)


def _effective_number(counts: np.ndarray, beta: float) -> np.ndarray:
    if not (isinstance(beta, int | float) and 0.0 <= beta < 1.0):
        raise InvalidParameterError(
            f"beta={beta!r} must be a float in [0, 1) for scheme='effective_number'; "
            "values such as 0.99, 0.999 or 0.9999 are usual."
        )
    # 1 - beta**n computed as -expm1(n log beta) keeps precision for beta close to 1.
    effective = -np.expm1(counts * np.log(beta)) if beta > 0 else np.ones_like(counts)
    raw = (1.0 - beta) / effective
    return raw * (counts.size / raw.sum())


def _check_counts(class_counts: ArrayLike) -> np.ndarray:
    counts = np.asarray(class_counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size == 0:
        raise InvalidDataError(
            "class_counts must be a 1-D sequence with one count per class; "
            f"got shape {counts.shape}."
        )
    bad = np.flatnonzero(~np.isfinite(counts) | (counts <= 0))
    if bad.size:
        raise InvalidDataError(
            f"class_counts must be positive; class at position {int(bad[0])} has count "
            f"{counts[bad[0]]!r}. Drop empty classes or merge them before weighting."
        )
    return counts
