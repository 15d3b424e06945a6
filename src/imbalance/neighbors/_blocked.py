"""Exact float32 candidates from numpy matrix products, in tiles of rows grouped into cells.

The searcher the 'exact' backend uses for dense data with more than a few features when faiss
is not installed; :func:`nearest_centre` also files rows into cells for others.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from .._typing import Matrix
from ._common import BLOCK_CELLS, EXTRA, U32, Candidates, Searcher, drop_own, n_workers, threads

# Blocked float32 search: queries and rows per tile, rows per cell, columns of the first tile.
_TILE_QUERIES = 512
_TILE_ROWS = 512
_CELL_ROWS = 1024
_FIRST_TILE = 2048


class BlockSearcher(Searcher):
    """Exact float32 candidates from numpy matrix products, one tile of rows at a time.

    Each tile holds ``x2 - 2 q.x`` (the squared distance less ``|q|^2``) from one product of
    ``[-2q, 1]`` with ``[x, |x|^2]``; a query only inspects a tile whose minimum beats its
    current m-th best. Rows are grouped into cells (two Lloyd steps from seeded centres) and
    each block of queries, sorted by cell, starts with the rows of its own cells: its first
    threshold is then nearly final and later tiles are rarely inspected, so the cost is that of
    the products. On 20 features this matched faiss's flat index and halved scikit-learn's
    float64 brute force (``bench/RESULTS-smote.md``).
    """

    name = "blocked-float32"

    def __init__(self, Xc: np.ndarray, n_jobs: int | None) -> None:
        n, d = Xc.shape
        self.n, self.n_jobs = n, n_jobs
        # The extra column (|x|^2, rounded once) adds one term to each dot product.
        self.error_scale = 4.0 * (d + 7) * U32
        X32 = np.empty((n, d + 1), dtype=np.float32)
        X32[:, :d] = Xc
        X32[:, d] = np.einsum("ij,ij->i", Xc, Xc)
        self.centres = _cell_centres(X32[:, :d], max(1, n // _CELL_ROWS))
        cell = nearest_centre(X32[:, :d], self.centres)
        self.order = np.argsort(cell, kind="stable")
        self.X32 = X32[self.order]
        self.cell_start = np.searchsorted(cell[self.order], np.arange(len(self.centres) + 1))

    def search(
        self, Qc: Matrix, k: int, own: np.ndarray | None, within: np.ndarray | None = None
    ) -> Candidates:
        n_ask = min(k + EXTRA + (own is not None), self.n)
        m = min(n_ask + 1, self.n)
        Q = np.asarray(Qc, dtype=np.float32)
        if not len(Q):
            empty = np.empty((0, n_ask - (own is not None)), dtype=np.intp)
            return Candidates(empty, np.empty(0), self.error_scale, self.name)
        step = max(_TILE_ROWS, m + 1)
        whole = own is not None and len(own) == self.n and bool((own == np.arange(self.n)).all())
        if whole and self.n >= 2 * step and n_workers(self.n_jobs) == 1:
            with threads(self.n_jobs):
                cand, bound = self._search_all(n_ask - 1, step)
            return Candidates(cand, bound, self.error_scale, self.name)
        cell = nearest_centre(Q, self.centres)
        q_order = np.argsort(cell, kind="stable")
        Q32 = np.empty((len(Q), Q.shape[1] + 1), dtype=np.float32)
        Q32[:, :-1] = -2.0 * Q[q_order]
        Q32[:, -1] = 1.0
        starts = range(0, len(Q), _TILE_QUERIES)
        work = [(Q32[s : s + _TILE_QUERIES], cell[q_order[s]]) for s in starts]
        workers = n_workers(self.n_jobs)
        if workers == 1:
            with threads(self.n_jobs):
                parts = [self._search_block(q, c, m) for q, c in work]
        else:
            with threadpool_limits(limits=1), ThreadPoolExecutor(workers) as pool:
                parts = list(pool.map(lambda job: self._search_block(job[0], job[1], m), work))
        g = np.empty((len(Q), m), dtype=np.float32)
        pos = np.empty((len(Q), m), dtype=np.intp)
        g[q_order] = np.concatenate([p[0] for p in parts])
        pos[q_order] = np.concatenate([p[1] for p in parts])
        rank = np.argsort(g, axis=1, kind="stable")
        g, cand = np.take_along_axis(g, rank, axis=1), self.order[np.take_along_axis(pos, rank, 1)]
        q2 = np.einsum("ij,ij->i", np.asarray(Qc, dtype=np.float64), Qc)
        bound = q2 + g[:, -1] if m > n_ask else np.full(len(Q), np.inf)
        return Candidates(drop_own(cand[:, :n_ask], own), bound, self.error_scale, self.name)

    def _search_all(self, n_ask: int, step: int) -> tuple[np.ndarray, np.ndarray]:
        """Every row against every other, each pair of tiles computed once for both sides.

        The product of ``[x, |x|^2, 1]`` and ``[-2y, 1, |y|^2]`` is the squared distance
        itself, symmetric, so one tile serves its rows (row minima) and its columns (column
        minima): half the products of :meth:`_search_block`. Each row starts with the
        threshold of :meth:`_first_thresholds`; its own position is never a candidate.
        """
        n, d = self.n, self.X32.shape[1] - 1
        m = n_ask + 1
        left = np.empty((n, d + 2), dtype=np.float32)
        right = np.empty((n, d + 2), dtype=np.float32)
        left[:, : d + 1], left[:, d + 1] = self.X32, 1.0
        right[:, :d], right[:, d], right[:, d + 1] = -2.0 * self.X32[:, :d], 1.0, self.X32[:, d]
        spans = _spans(0, n, step)
        if spans[-1][1] - spans[-1][0] < step:  # fold a short last tile into the one before
            spans[-2:] = [(spans[-2][0], n)]
        best = np.full((n, m), np.inf, dtype=np.float32)
        pos = np.zeros((n, m), dtype=np.intp)
        threshold = self._first_thresholds(left, right, spans, m)
        tile = np.empty((step * 2, step * 2), dtype=np.float32)
        for i, (start, stop) in enumerate(spans):
            rows = slice(start, stop)
            for start2, stop2 in spans[i:]:
                cols = slice(start2, stop2)
                part = tile[: stop - start, : stop2 - start2]
                np.matmul(left[rows], right[cols].T, out=part)
                if start2 == start:
                    np.fill_diagonal(part, np.inf)
                hit = np.flatnonzero(part.min(axis=1) < threshold[rows])
                if hit.size:
                    _merge(best[rows], pos[rows], threshold[rows], hit, part[hit], start2)
                if start2 == start:
                    continue
                hit = np.flatnonzero(part.min(axis=0) < threshold[cols])
                if hit.size:
                    _merge(best[cols], pos[cols], threshold[cols], hit, part[:, hit].T, start)
        # A row whose list is short (ties at its first threshold) is left to the exact redo.
        short = ~np.isfinite(best).all(axis=1)
        threshold[short] = -np.inf
        pos[short] = np.where(np.arange(n)[short, None] == 0, 1, 0)
        rank = np.argsort(best, axis=1, kind="stable")
        best = np.take_along_axis(best, rank, axis=1)
        pos = np.take_along_axis(pos, rank, axis=1)
        cand = np.empty((n, n_ask), dtype=np.intp)
        bound = np.empty(n)
        cand[self.order] = self.order[pos[:, :n_ask]]
        bound[self.order] = threshold
        return cand, bound

    def _first_thresholds(
        self, left: np.ndarray, right: np.ndarray, spans: list[tuple[int, int]], m: int
    ) -> np.ndarray:
        """An upper bound on each row's m-th smallest value: the m-th over its neighbouring rows.

        Rows are sorted by cell, so the rows around a tile are mostly of the same cells; none
        is inserted here (the pairs loop sees every row once), only the threshold is kept.
        """
        n = self.n
        width = max(_FIRST_TILE, m + 1)
        threshold = np.empty(n, dtype=np.float32)
        for start, stop in spans:
            lo = int(np.clip(start - (width - (stop - start)) // 2, 0, max(n - width, 0)))
            hi = min(n, lo + width)
            near = left[start:stop] @ right[lo:hi].T
            own_cols = np.arange(start, stop) - lo
            inside = (own_cols >= 0) & (own_cols < hi - lo)
            near[np.flatnonzero(inside), own_cols[inside]] = np.inf
            threshold[start:stop] = np.partition(near, m - 1, axis=1)[:, m - 1]
        return threshold

    def _search_block(self, q: np.ndarray, cell: int, m: int) -> tuple[np.ndarray, np.ndarray]:
        """The m smallest ``x2 - 2 q.x`` of each query of one block, and their positions."""
        width = max(_FIRST_TILE, m)
        lo = int(np.clip(self.cell_start[cell] - width // 4, 0, max(self.n - width, 0)))
        hi = min(self.n, lo + width)
        first = q @ self.X32[lo:hi].T
        pos = np.argpartition(first, m - 1, axis=1)[:, :m]
        best = np.take_along_axis(first, pos, axis=1)
        pos += lo
        threshold = best.max(axis=1)
        tile = np.empty((len(q), _TILE_ROWS), dtype=np.float32)
        spans = [*_spans(0, lo, _TILE_ROWS), *_spans(hi, self.n, _TILE_ROWS)]
        for start, stop in spans:
            part = tile[:, : stop - start]
            np.matmul(q, self.X32[start:stop].T, out=part)
            hit = np.flatnonzero(part.min(axis=1) < threshold)
            if hit.size:
                _merge(best, pos, threshold, hit, part[hit], start)
        return best, pos


def _merge(
    best: np.ndarray,
    pos: np.ndarray,
    threshold: np.ndarray,
    hit: np.ndarray,
    values: np.ndarray,
    offset: int,
) -> None:
    """Fold the entries of ``values`` below each query's threshold into its m best, in place."""
    m = best.shape[1]
    q_i, col = np.nonzero(values < threshold[hit, None])
    counts = np.bincount(q_i, minlength=hit.size)
    slot = m + np.arange(q_i.size) - (np.cumsum(counts) - counts)[q_i]
    pool_v = np.empty((hit.size, m + int(counts.max())), dtype=np.float32)
    pool_p = np.zeros(pool_v.shape, dtype=np.intp)
    pool_v[:, m:] = np.inf
    pool_v[:, :m], pool_p[:, :m] = best[hit], pos[hit]
    pool_v[q_i, slot], pool_p[q_i, slot] = values[q_i, col], col + offset
    keep = np.argpartition(pool_v, m - 1, axis=1)[:, :m]
    row = np.arange(hit.size)[:, None]
    kept = pool_v[row, keep]
    best[hit], pos[hit] = kept, pool_p[row, keep]
    threshold[hit] = np.minimum(threshold[hit], kept.max(axis=1))


def _spans(start: int, stop: int, step: int) -> list[tuple[int, int]]:
    return [(s, min(s + step, stop)) for s in range(start, stop, step)]


def _cell_centres(X: np.ndarray, n_cells: int) -> np.ndarray:
    """Centres of ``n_cells`` cells: seeded rows moved by two Lloyd steps on a sample."""
    rng = np.random.default_rng(0)
    centres = X[rng.choice(len(X), n_cells, replace=False)].astype(np.float32)
    sample = X[rng.choice(len(X), min(len(X), 20 * n_cells), replace=False)]
    for _ in range(2):
        cell = nearest_centre(sample, centres)
        counts = np.bincount(cell, minlength=n_cells)
        sums = np.zeros_like(centres)
        np.add.at(sums, cell, sample)
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None]
    return centres


def nearest_centre(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Position of each row's nearest centre (squared Euclidean; ties to the first centre),
    in blocks of ``BLOCK_CELLS`` distances. Files rows into cells here and k-means blocks in
    Dask SMOTE: the engine's one nearest-centre search."""
    c2 = np.einsum("ij,ij->i", centres, centres)
    out = np.empty(len(X), dtype=np.intp)
    step = max(1, BLOCK_CELLS // len(centres))
    for start in range(0, len(X), step):
        out[start : start + step] = (c2 - 2.0 * X[start : start + step] @ centres.T).argmin(axis=1)
    return out
