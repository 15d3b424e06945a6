"""Distances given per column by a table, such as the value difference metric (VDM).

Rows are integer codes, one per column; ``tables[j][a, b]`` is the distance contributed by
column ``j`` between codes ``a`` and ``b``, and the distance between two rows is the sum over
columns. :func:`table_distances` computes it for :class:`~imbalance.metrics.ValueDifferenceMetric`,
:func:`table_kneighbors` finds exact neighbours in blocks, and :func:`table_voters` is the
entry for SMOTEN's neighbours parameter (a count or a user's estimator).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import clone

from ..exceptions import InvalidDataError
from ._common import blocks
from ._entry import NeighborSpec, is_estimator, n_neighbors_of


def table_distances(
    codes_X: np.ndarray, codes_Y: np.ndarray, tables: Sequence[np.ndarray]
) -> np.ndarray:
    """The distance between every row of ``codes_X`` and every row of ``codes_Y``."""
    d = np.zeros((codes_X.shape[0], codes_Y.shape[0]))
    for j, table in enumerate(tables):
        d += table[codes_X[:, j]][:, codes_Y[:, j]]
    return d


def table_kneighbors(codes: np.ndarray, tables: Sequence[np.ndarray], k: int) -> np.ndarray:
    """The ``k`` nearest other rows of each row, exact; ties go to the smaller position."""
    n = codes.shape[0]
    if n - 1 < k:
        raise InvalidDataError(f"{n} rows cannot each have {k} other rows as neighbours.")
    out = np.empty((n, k), dtype=np.intp)
    for start, stop in blocks(n, n):
        d = table_distances(codes[start:stop], codes, tables)
        d[np.arange(stop - start), np.arange(start, stop)] = np.inf
        kth = np.partition(d, k - 1, axis=1)[:, k - 1]
        for r in range(stop - start):
            cand = np.flatnonzero(d[r] <= kth[r])
            out[start + r] = cand[np.lexsort((cand, d[r, cand]))[:k]]
    return out


def table_voters(codes: np.ndarray, tables: Sequence[np.ndarray], spec: NeighborSpec) -> np.ndarray:
    """Each row and its nearest rows (imbalanced-learn's convention: the row first).

    A count ``k`` gives ``k`` neighbours from :func:`table_kneighbors`. An estimator is cloned,
    given ``metric="precomputed"`` when it has that parameter, fitted on the distances and
    queried with them: its answer is returned as it comes.
    """
    if is_estimator(spec):
        est = clone(spec)
        if "metric" in est.get_params():
            est.set_params(metric="precomputed")
        distances = table_distances(codes, codes, tables)
        return np.asarray(est.fit(distances).kneighbors(distances, return_distance=False))
    nn = table_kneighbors(codes, tables, n_neighbors_of(spec))
    return np.column_stack([np.arange(codes.shape[0]), nn])
