"""Median distance from each row to a set of reference rows (SMOGN's safe distance).

SMOGN needs, for every row of a bump, its median distance to the rows of the bump. A k-nearest
search with k equal to the number of reference rows would sort every distance and prove each
one in float64; the median needs neither. Distances here come from one matrix product per
block of queries, centred on the reference rows' mean and scaled by a power of two where the
values are very large or very small (as :func:`~imbalance.neighbors.mean_distance` does), and
the median of each row's block is taken with a partition, not a sort.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidDataError
from ._checks import as_float, safe_scale
from ._common import blocks

__all__ = ["median_distances"]


def median_distances(X: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Median Euclidean distance from each row of ``X`` to the rows of ``reference``.

    Parameters
    ----------
    X : ndarray of shape (n_queries, n_features)
        Dense rows of finite numbers.
    reference : ndarray of shape (n_reference, n_features)
        At least one row; a query that is also a reference row counts its distance 0, as UBL
        and smogn count a row among the rows of its bump.

    Returns
    -------
    medians : ndarray of shape (n_queries,)

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.neighbors import median_distances
    >>> ref = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
    >>> median_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), ref)
    array([5., 5.])
    """
    Q, top_q = as_float(X, "X")
    R, top_r = as_float(reference, "reference")
    if R.shape[0] == 0:
        raise InvalidDataError("reference holds no rows: a median distance needs at least one.")
    if Q.shape[1] != R.shape[1]:
        raise InvalidDataError(
            f"X has {Q.shape[1]} features but reference has {R.shape[1]}; they must match."
        )
    scale = safe_scale(max(top_q, top_r), R.shape[1])
    if scale != 1.0:
        return median_distances(Q / scale, R / scale) * scale
    centre = R.mean(axis=0)
    Rc, Qc = R - centre, Q - centre
    r2 = np.einsum("ij,ij->i", Rc, Rc)
    half = R.shape[0] // 2
    out = np.empty(Q.shape[0])
    for start, stop in blocks(Q.shape[0], R.shape[0]):
        q = Qc[start:stop]
        d2 = q @ Rc.T
        d2 *= -2.0
        d2 += np.einsum("ij,ij->i", q, q)[:, None]
        d2 += r2[None, :]
        # The middle one or two of each row's squared distances (the lower of two is the
        # largest left of the upper: one partition, where two kth measured three times
        # slower); the square root keeps order, so np.median of the distances is the same.
        d2.partition(half, axis=1)
        mid = np.sqrt(np.maximum(d2[:, half], 0.0))
        if R.shape[0] % 2 == 0:
            low = np.sqrt(np.maximum(d2[:, :half].max(axis=1), 0.0))
            mid = (low + mid) / 2
        out[start:stop] = mid
    return out
