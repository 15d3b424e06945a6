"""Iterative stratification (Sechidis et al., 2011) and its second-order variant (Szymański and
Kajdanowicz, 2017), in exact integer arithmetic and O(nnz) work per pass.

The algorithm distributes the rows among folds of desired proportions ``r_j``. Each *unit* (a
label, or for the second order also a pair of labels appearing together) wants
``|D^u| r_j`` of its rows in fold ``j``, and each fold wants ``|D| r_j`` rows. Repeatedly,
the unit with the fewest rows still unassigned is taken (ties: pairs before single labels, then
at random) and every unassigned row holding it goes, in turn, to the fold that wants that unit
most, ties going to the fold that wants rows most, then to a random one; each assignment lowers
the wants of the fold for every unit of the row and for rows. Rows without a label go last, to
the folds that want rows most.

Two facts make this fast without changing the result:

- Proportions ``w_j / W`` with integer ``w_j`` make every want an integer once multiplied by
  ``W``: a unit's want starts at ``|D^u| w_j`` and drops by ``W`` per row, so comparisons and
  ties are exact.
- While the rows of one unit are placed, fold ``j``'s ``t``-th pick happens at the key
  ``(a_j - t W, b_j - t W)`` (unit want, row want), and the greedy choice always takes the
  largest key. The picks of a pass are therefore the ``m`` largest keys of all folds, in
  descending order (ties in random order), which one sort finds; the ``i``-th row of the pass
  gets the ``i``-th pick, exactly as the row-by-row loop would.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["assign_folds", "label_pairs", "stratification_units"]


def label_pairs(Y: sp.csr_matrix) -> sp.csr_matrix:
    """Rows × the pairs of labels that appear together in at least one row (0/1, CSR)."""
    n, n_labels = Y.shape
    k = np.diff(Y.indptr)
    all_rows, all_ids = [], []
    for c in np.unique(k[k >= 2]).tolist():
        rows = np.flatnonzero(k == c)
        labels = Y.indices[Y.indptr[rows][:, None] + np.arange(c)].astype(np.int64)
        first, second = np.triu_indices(c, 1)
        all_ids.append((labels[:, first] * n_labels + labels[:, second]).ravel())
        all_rows.append(np.repeat(rows, first.size))
    if not all_ids:
        return sp.csr_matrix((n, 0), dtype=np.int32)
    ids = np.concatenate(all_ids)
    distinct, column = np.unique(ids, return_inverse=True)
    rows = np.concatenate(all_rows)
    return sp.csr_matrix(
        (np.ones(ids.size, dtype=np.int32), (rows, column.reshape(-1))),
        shape=(n, distinct.size),
    )


def stratification_units(Y: sp.csr_matrix, order: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """The units to stratify and their tie-break rank (0 is taken first on equal counts).

    ``order=1``: the labels. ``order=2``: the labels and the pairs of labels present in the
    data, pairs first on ties (the more specific combination, as in Szymański and
    Kajdanowicz's description).
    """
    if order == 1:
        return Y, np.zeros(Y.shape[1], dtype=np.int64)
    pairs = label_pairs(Y)
    units = sp.hstack([pairs, Y], format="csr", dtype=np.int32)
    rank = np.concatenate([np.zeros(pairs.shape[1]), np.ones(Y.shape[1])]).astype(np.int64)
    return units, rank


def assign_folds(
    units: sp.csr_matrix,
    unit_rank: np.ndarray,
    weights: np.ndarray,
    rng: np.random.Generator | None,
) -> np.ndarray:
    """The fold (0 .. k-1) of every row, for folds of proportions ``weights / weights.sum()``.

    ``rng=None`` processes rows in input order and breaks every tie towards the lower index;
    a generator processes rows in a random order and breaks ties at random.
    """
    n = units.shape[0]
    w = np.asarray(weights, dtype=np.int64)
    step = int(w.sum())
    by_unit = units.tocsc()
    by_unit.sort_indices()
    total = np.diff(by_unit.indptr).astype(np.int64)
    unit_want = total[:, None] * w[None, :]
    row_want = n * w
    remaining = total.copy()
    fold = np.full(n, -1, dtype=np.int64)
    order = np.arange(n) if rng is None else rng.permutation(n)
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    while True:
        u = _next_unit(remaining, unit_rank, rng)
        if u < 0:
            break
        rows = by_unit.indices[by_unit.indptr[u] : by_unit.indptr[u + 1]]
        rows = rows[fold[rows] < 0]
        rows = rows[np.argsort(position[rows], kind="stable")]
        picks = greedy_picks(unit_want[u], row_want, rows.size, step, rng)
        fold[rows] = picks
        _update(units, rows, picks, unit_want, remaining, step)
        row_want -= step * np.bincount(picks, minlength=w.size)
    free = np.flatnonzero(fold < 0)
    if free.size:
        free = free[np.argsort(position[free], kind="stable")]
        fold[free] = greedy_picks(row_want, row_want, free.size, step, rng)
    return fold


def _next_unit(remaining: np.ndarray, rank: np.ndarray, rng: np.random.Generator | None) -> int:
    live = np.flatnonzero(remaining > 0)
    if live.size == 0:
        return -1
    fewest = live[remaining[live] == remaining[live].min()]
    fewest = fewest[rank[fewest] == rank[fewest].min()]
    if rng is None or fewest.size == 1:
        return int(fewest[0])
    return int(fewest[rng.integers(fewest.size)])


def greedy_picks(
    unit_want: np.ndarray,
    row_want: np.ndarray,
    count: int,
    step: int,
    rng: np.random.Generator | None,
) -> np.ndarray:
    """The folds of ``count`` successive greedy picks (largest unit want, then row want)."""
    k = unit_want.size
    if count == 0:
        return np.empty(0, dtype=np.int64)
    depth = np.arange(count, dtype=np.int64) * step
    a = (unit_want[:, None] - depth[None, :]).ravel()
    b = (row_want[:, None] - depth[None, :]).ravel()
    tie = np.repeat(np.arange(k), count) if rng is None else rng.random(k * count)
    best = np.lexsort((tie, -b, -a))[:count]
    return best // count


def _update(
    units: sp.csr_matrix,
    rows: np.ndarray,
    picks: np.ndarray,
    unit_want: np.ndarray,
    remaining: np.ndarray,
    step: int,
) -> None:
    """Lower the wants of each fold for the units of the rows it received."""
    starts, stops = units.indptr[rows], units.indptr[rows + 1]
    lengths = stops - starts
    if lengths.sum() == 0:
        return
    entries = np.repeat(stops - lengths.cumsum(), lengths) + np.arange(lengths.sum())
    cols = units.indices[entries].astype(np.int64)
    k = unit_want.shape[1]
    cells, hits = np.unique(cols * k + np.repeat(picks, lengths), return_counts=True)
    unit_want.reshape(-1)[cells] -= step * hits
    touched, per_unit = np.unique(cols, return_counts=True)
    remaining[touched] -= per_unit
