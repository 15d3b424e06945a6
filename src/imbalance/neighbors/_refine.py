"""float64 re-ranking of candidates, the proof that a list is complete, and the exact redo.

Every backend's candidates end here: their distances are recomputed in float64 from the row
differences and sorted by (distance, position); a proven list whose last distance is not
clearly below the searcher's bound is searched again with more candidates, then, if still
not proven, in float64 over all rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
import scipy.sparse as sp

from .._typing import ArrayLike, Matrix
from ._common import BLOCK_CELLS, EXTRA, U64, Candidates, blocks, row_norms

# A searcher asked again: the queries at these positions, this many candidates each.
Retry: TypeAlias = Callable[[np.ndarray, int], Candidates]


def finish(
    X: ArrayLike,
    queries: Matrix,
    Qc: Matrix,
    found: Candidates,
    k: int,
    own: np.ndarray | None,
    radius: float,
    center: np.ndarray | None,
    retry: Retry | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest rows and squared distances of each query, from a searcher's answer.

    ``retry(rows, n)`` asks the searcher again for the queries at ``rows`` with ``n``
    candidates: a list that is not proven is first searched with four times as many (where
    neighbours crowd together, the k-th and the bound differ by less than the rounding bound;
    a bound farther out proves them), and only what that leaves is redone in float64.
    """
    d2 = pair_d2(X, queries, found.indices)
    idx, d2_sorted = sort_pairs(found.indices, d2, k)
    if not found.proven:
        return idx, d2_sorted
    norms = row_norms(Qc)
    unsure = _unproven(d2_sorted, found, norms, radius)
    wide = min(4 * (k + EXTRA), np.shape(X)[0] - (own is not None))
    if unsure.size and retry is not None and wide > found.indices.shape[1]:
        more = retry(unsure, wide)
        again = sort_pairs(more.indices, pair_d2(X, queries[unsure], more.indices), k)
        still = _unproven(again[1], more, norms[unsure], radius)
        done = np.setdiff1d(np.arange(unsure.size), still)
        idx[unsure[done]], d2_sorted[unsure[done]] = again[0][done], again[1][done]
        unsure = unsure[still]
    if unsure.size:
        own_unsure = None if own is None else own[unsure]
        idx[unsure], d2_sorted[unsure] = exact_rows(
            X, queries[unsure], own_unsure, k, radius, center
        )
    return idx, d2_sorted


def _unproven(
    d2_sorted: np.ndarray, found: Candidates, norms: np.ndarray, radius: float
) -> np.ndarray:
    """Positions of the lists whose k-th distance is not clearly below the searcher's bound."""
    slack = found.error_scale * (norms + radius) ** 2
    return np.flatnonzero(d2_sorted[:, -1] >= found.bound - slack)


def pair_d2(X: Matrix, Q: Matrix, cand: np.ndarray) -> np.ndarray:
    """Squared distance from each query to each of its candidates, from the differences."""
    n_q, width = cand.shape
    if sp.issparse(X) != sp.issparse(Q):  # sparse minus dense would give an np.matrix
        Q = (
            Q.toarray()
            if isinstance(X, np.ndarray) and not isinstance(Q, np.ndarray)
            else sp.csr_matrix(Q)
        )
    out = np.empty((n_q, width), dtype=np.float64)
    rows_per_block = max(1, BLOCK_CELLS // max(width * X.shape[1], 1))
    for start in range(0, n_q, rows_per_block):
        stop = min(start + rows_per_block, n_q)
        flat = cand[start:stop].ravel()
        q_rows = np.repeat(np.arange(start, stop), width)
        diff = X[flat] - Q[q_rows]
        if sp.issparse(diff):
            sq = np.asarray(diff.multiply(diff).sum(axis=1)).ravel()
        else:
            sq = np.add.reduce(diff * diff, axis=1)
        out[start:stop] = sq.reshape(stop - start, width)
    return out


def sort_pairs(cand: np.ndarray, d2: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort each row's candidates by (distance, position) and keep the first k."""
    order = np.lexsort((cand, d2), axis=-1)[:, :k]
    return np.take_along_axis(cand, order, axis=1), np.take_along_axis(d2, order, axis=1)


def exact_rows(
    X: Matrix,
    Q: Matrix,
    own: np.ndarray | None,
    k: int,
    radius: float,
    center: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact neighbours of a few queries: float64 distances to every row, then a proof band."""
    idx = np.empty((Q.shape[0], k), dtype=np.intp)
    d2_out = np.empty((Q.shape[0], k), dtype=np.float64)
    Xc = X if center is None else X - center
    x2 = row_norms(Xc) ** 2
    scale = 4.0 * (X.shape[1] + 6) * U64
    for start, stop in blocks(Q.shape[0], X.shape[0]):
        q = Q[start:stop] if center is None else Q[start:stop] - center
        q2 = row_norms(q) ** 2
        prod = q @ Xc.T
        prod = prod.toarray() if sp.issparse(prod) else np.asarray(prod)
        d2 = q2[:, None] - 2.0 * prod + x2[None, :]
        if own is not None:
            d2[np.arange(stop - start), own[start:stop]] = np.inf
        kth = np.partition(d2, k - 1, axis=1)[:, k - 1]
        slack = scale * (np.sqrt(q2) + radius) ** 2
        for r in range(stop - start):
            cand = np.flatnonzero(d2[r] <= kth[r] + 2.0 * slack[r])
            if own is not None:
                cand = cand[cand != own[start + r]]
            exact = pair_d2(X, Q[start + r : start + r + 1], cand[None, :])
            i, d = sort_pairs(cand[None, :], exact, k)
            idx[start + r], d2_out[start + r] = i[0], d[0]
    return idx, d2_out
