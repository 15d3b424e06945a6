"""The ENN rule with ``kind_sel="all"``, certified without searching every row over all rows."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.exceptions import ConvergenceWarning

from ..._typing import Backend, Matrix
from ...neighbors import Neighbours, neighbor_index, search

__all__ = ["edited_out_certified"]

# Rows per block of the cheap upper bound of the fast rule (see ``edited_out_certified``).
_BLOCK_ROWS = 2_000


def edited_out_certified(
    F: Matrix,
    codes: np.ndarray,
    cleaned: np.ndarray,
    k: int,
    *,
    backend: Backend,
    n_jobs: int | None,
    rng: np.random.Generator,
) -> tuple[np.ndarray, str]:
    """The ENN rule with ``kind_sel="all"``, without searching every row over all rows.

    A row of class ``c`` stays when its ``k`` nearest rows all have class ``c``; that is sure
    when ``k`` rows of ``c`` are strictly nearer than the nearest row of another class. So:
    (1) the distance ``d_o`` of each row to the nearest row of another class (a search over the
    other classes only); (2) an upper bound ``u`` of the distance to its ``k``-th nearest row of
    ``c``, from an exact search inside a block of nearby rows of ``c`` (k-means blocks of about
    2,000 rows); (3) the full search only for the rows with ``u >= d_o``. Every decision equals
    the plain rule's, ties included, because the bound is only trusted when it is strict.

    With ``backend="approximate"``, steps (1) and (3) use approximate indexes (brute force,
    exact, where that is cheaper); the index of (1) calibrates its recall on the other rows
    nearer than ``u``, the only ones that matter. A neighbour missed in (1) can only keep a
    row that should go, one missed in (3) can change a decision either way. Returns the rows
    removed and the backend that answered.
    """
    out = []
    index: Neighbours | None = None
    used = "exact"
    for c in cleaned.tolist():
        rows = np.flatnonzero(codes == c)
        others = np.flatnonzero(codes != c)
        if rows.size == 0 or others.size == 0:
            continue
        to_others = neighbor_index(
            F[others], backend=backend, n_jobs=n_jobs, n_queries=rows.size, random_state=rng
        )
        used = str(to_others.backend_)
        bound = _block_bound(F, rows, k, "exact", n_jobs, int(rng.integers(2**31)))
        # Only another row nearer than the bound can unsettle a row: the approximate index
        # calibrates its recall on those.
        d_other, _ = to_others.kneighbors(F[rows], 1, return_distance=True, within=bound)
        unsure = rows[bound >= d_other[:, 0]]
        if unsure.size:
            if index is None:
                index = neighbor_index(
                    F, backend=backend, n_jobs=n_jobs, n_queries=unsure.size, random_state=rng
                )
            labels = codes[index.kneighbors(None, k, rows=unsure)]
            out.append(unsure[~(labels == c).all(axis=1)])
    removed = np.sort(np.concatenate(out)) if out else np.empty(0, dtype=np.intp)
    return removed, used


def _block_bound(
    F: Matrix, rows: np.ndarray, k: int, backend: Backend, n_jobs: int | None, seed: int
) -> np.ndarray:
    """For each row, the distance to its ``k``-th nearest row of its block (``inf`` in a block
    too small): at least its distance to its ``k``-th nearest row of the whole class."""
    n_blocks = rows.size // _BLOCK_ROWS
    if n_blocks >= 2:
        with warnings.catch_warnings():  # blocks only bound distances: duplicates do no harm
            warnings.simplefilter("ignore", ConvergenceWarning)
            blocks = MiniBatchKMeans(
                n_clusters=n_blocks, n_init=1, batch_size=4096, max_iter=1, random_state=seed
            ).fit_predict(F[rows])
    else:
        blocks = np.zeros(rows.size, dtype=np.intp)
    bound = np.full(rows.size, np.inf)
    order = np.argsort(blocks, kind="stable")
    for part in np.split(order, np.cumsum(np.bincount(blocks))[:-1]):
        if part.size > k:
            (dist, _), _ = search(
                F[rows[part]], None, k, backend=backend, n_jobs=n_jobs, return_distance=True
            )
            bound[part] = dist[:, -1]
    return bound
