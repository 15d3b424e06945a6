"""What the report draws from out-of-fold predictions: calibration bins and confusion counts."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._typing import ArrayLike
from ..exceptions import InvalidDataError, InvalidParameterError

__all__ = ["calibration_bin_count", "calibration_bins", "confusion_counts"]

MIN_POSITIVES_PER_BIN = 10
MAX_BINS = 20


def calibration_bin_count(
    n_positives: int, *, min_positives: int = MIN_POSITIVES_PER_BIN, max_bins: int = MAX_BINS
) -> int:
    """Number of calibration bins for ``n_positives`` positive rows.

    As many bins as give each about ``min_positives`` positives, between 1 and ``max_bins``:
    the observed frequency of a bin rests on its positives, so a few dozen positives give a
    handful of points, and 200 or more give ``max_bins``.

    Examples
    --------
    >>> from imbalance.report._curves import calibration_bin_count
    >>> [calibration_bin_count(n) for n in (5, 25, 65, 199, 5000)]
    [1, 2, 6, 19, 20]
    """
    if min_positives < 1 or max_bins < 1:
        raise InvalidParameterError(
            f"min_positives={min_positives} and max_bins={max_bins} must both be 1 or more."
        )
    return int(min(max_bins, max(1, n_positives // min_positives)))


def calibration_bins(
    y_true: ArrayLike,
    proba: ArrayLike,
    *,
    min_positives: int = MIN_POSITIVES_PER_BIN,
    max_bins: int = MAX_BINS,
) -> dict[str, list[Any]]:
    """A calibration curve whose bins hold about the same number of positive rows.

    Rows are sorted by predicted probability and cut into
    :func:`calibration_bin_count` bins, each closing on the positive row that completes its
    share of the positives; rows with equal probabilities stay in one bin. On imbalanced data
    equal-width or equal-count bins put most points where there is no positive to measure a
    frequency with; here every point rests on about ``min_positives`` positives, and the bin
    of the many confident negatives still shows how rare the positives are there.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 (or True) for a positive row, 0 otherwise.
    proba : array-like of shape (n_samples,)
        Predicted probability of the positive class.
    min_positives : int, default=10
        Positive rows wanted per bin.
    max_bins : int, default=20
        Most bins.

    Returns
    -------
    dict
        ``prob_pred`` (mean predicted probability per bin), ``prob_true`` (fraction of
        positive rows per bin), ``n_rows`` and ``n_positives`` per bin, in increasing order
        of probability.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.report._curves import calibration_bins
    >>> rng = np.random.default_rng(0)
    >>> p = rng.random(2000) ** 4
    >>> y = rng.random(2000) < p
    >>> bins = calibration_bins(y, p)
    >>> len(bins["prob_pred"]), sum(bins["n_positives"]), int(y.sum())
    (20, 410, 410)
    >>> min(bins["n_positives"]), max(bins["n_positives"])
    (20, 21)
    """
    y = np.asarray(y_true).ravel()
    p = np.asarray(proba, dtype=np.float64).ravel()
    if y.shape != p.shape or len(y) == 0:
        raise InvalidDataError(
            f"y_true and proba must hold one value per row, and at least one row; got "
            f"{y.shape[0]} and {p.shape[0]} values."
        )
    if not np.isfinite(p).all():
        raise InvalidDataError("proba holds NaN or infinite values; pass probabilities.")
    y = y.astype(bool)
    order = np.argsort(p, kind="stable")
    p, y = p[order], y[order]
    positives = np.cumsum(y)
    n_bins = calibration_bin_count(
        int(positives[-1]), min_positives=min_positives, max_bins=max_bins
    )
    shares = positives[-1] * np.arange(1, n_bins) / n_bins
    cuts = np.searchsorted(positives, shares, side="left") + 1  # after the completing positive
    cuts = np.searchsorted(p, p[cuts - 1], side="right")  # ties stay together
    edges = np.unique(np.r_[0, cuts, len(p)])
    starts, n_rows = edges[:-1], np.diff(edges)
    n_pos = np.add.reduceat(y.astype(np.int64), starts)
    return {
        "prob_pred": (np.add.reduceat(p, starts) / n_rows).tolist(),
        "prob_true": (n_pos / n_rows).tolist(),
        "n_rows": n_rows.tolist(),
        "n_positives": n_pos.tolist(),
    }


def confusion_counts(y_true: ArrayLike, y_pred: ArrayLike, classes: ArrayLike) -> list[list[int]]:
    """Confusion matrix as nested lists: row = true class, column = predicted, in ``classes``
    order.

    Examples
    --------
    >>> from imbalance.report._curves import confusion_counts
    >>> confusion_counts([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], classes=[0, 1])
    [[1, 1], [1, 2]]
    """
    labels = np.asarray(classes)
    true, pred = _positions(np.asarray(y_true), labels), _positions(np.asarray(y_pred), labels)
    both = (true >= 0) & (pred >= 0)  # rows of other labels are not counted (as scikit-learn)
    k = len(labels)
    matrix = np.bincount(true[both] * k + pred[both], minlength=k * k).reshape(k, k)
    return [[int(v) for v in row] for row in matrix]


def _positions(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each value's position in ``labels``, -1 for a value not among them."""
    if labels.dtype.kind != "O" and values.dtype.kind != "O":
        order = np.argsort(labels, kind="stable")
        at = np.minimum(np.searchsorted(labels[order], values), len(labels) - 1)
        return np.where(labels[order][at] == values, order[at], -1)
    index = {v: i for i, v in enumerate(labels.tolist())}
    return np.array([index.get(v, -1) for v in values.tolist()], dtype=np.int64)
