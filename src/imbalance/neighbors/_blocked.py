"""Exact float32 candidates from numpy matrix products, in tiles of rows grouped into cells.

The searcher the 'exact' backend uses for dense data with more than a few features when faiss
is not installed, and for a search of every row among the others either way (its symmetric
tiles); :func:`nearest_centre` also files rows into cells for others.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from .._typing import Matrix
from ._common import BLOCK_CELLS, EXTRA, U32, Candidates, Searcher, drop_own, n_workers, threads

# Blocked float32 search: queries and rows per tile, rows per cell, columns of the first tile.
_TILE_QUERIES = 512
_TILE_ROWS = 1024
_CELL_ROWS = 1024
_FIRST_TILE = 2048


def one_thread(n_jobs: int | None) -> bool:
    """Whether a search of every row is run on one thread: ``n_jobs=1``, or ``None`` where at
    most two cores are usable (there, one thread on the symmetric tiles measured faster than
    two, and than faiss on two: ``bench/RESULTS-regression.md``; with more cores the
    libraries keep their defaults)."""
    if n_jobs is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        return (cores or os.cpu_count() or 1) <= 2
    return n_jobs == 1


def all_pairs_step(n: int, k: int, own: np.ndarray | None, n_jobs: int | None) -> int:
    """Tile of :meth:`BlockSearcher._search_all`, or 0 where it does not answer: it answers
    a search of every row (in order, each excluding its own) on one worker, over two tiles
    or more."""
    if own is None or len(own) != n or n_workers(n_jobs) != 1:
        return 0
    step = max(_TILE_ROWS, min(k + EXTRA + 2, n) + 1)
    return step if n >= 2 * step and bool((own == np.arange(n)).all()) else 0


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
        step = all_pairs_step(self.n, k, own, self.n_jobs)
        if step:
            with threads(1 if one_thread(self.n_jobs) else self.n_jobs):
                cand, bound = self._search_all(n_ask - 1, step)
            return Candidates(cand, bound, self.error_scale, self.name)
        Q = np.asarray(Qc, dtype=np.float32)
        if not len(Q):
            empty = np.empty((0, n_ask - (own is not None)), dtype=np.intp)
            return Candidates(empty, np.empty(0), self.error_scale, self.name)
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
        threshold of :meth:`_first_thresholds`; its own position is never a candidate. The
        entries below a row's threshold are collected for a whole row of tiles and merged
        once (a row of tiles holds one tile of each later row, and a merge per tile measured
        slower than the few more entries a stale threshold lets through).
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
        # One flat buffer: each tile is a contiguous view of it (a product into a strided
        # view of a larger tile measured twice as slow).
        tile = np.empty(4 * step * step, dtype=np.float32)
        for i, (start, stop) in enumerate(spans):
            rows = slice(start, stop)
            later: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
            for start2, stop2 in spans[i:]:
                part = tile[: (stop - start) * (stop2 - start2)].reshape(stop - start, -1)
                np.matmul(left[rows], right[start2:stop2].T, out=part)
                if start2 == start:
                    np.fill_diagonal(part, np.inf)
                limit = threshold[rows]
                hit = np.flatnonzero(part.min(axis=1) < limit)
                if hit.size:
                    q, col, value = _below(part[hit], limit[hit, None])
                    later.append((start + hit[q], start2 + col, value))
                if start2 == start:
                    continue
                limit = threshold[start2:stop2]
                hit = np.flatnonzero(part.min(axis=0) < limit)
                if hit.size:
                    # np.take gathers columns several times faster than part[:, hit].
                    row, q, value = _below(part.take(hit, 1), limit[hit])
                    later.append((start2 + hit[q], start + row, value))
            if later:
                row, col, value = (np.concatenate(parts) for parts in zip(*later, strict=True))
                _merge(best, pos, threshold, row, col, value)
        # A row whose list is short (none should be: see _first_thresholds) is redone exactly.
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
        is inserted here (the pairs loop sees every row once), only the threshold is kept,
        raised by twice the rounding bound: the pairs loop's products round differently, and
        the m rows that gave it must stay below it there (else the row's list ends short and
        it is searched again in float64).
        """
        n, d = self.n, self.X32.shape[1] - 1
        norms = np.sqrt(self.X32[:, d], dtype=np.float64)
        raise_by = 2.0 * self.error_scale * (norms + norms.max(initial=0.0)) ** 2
        width = max(_FIRST_TILE, m + 1)
        threshold = np.empty(n, dtype=np.float32)
        for start, stop in spans:
            lo = int(np.clip(start - (width - (stop - start)) // 2, 0, max(n - width, 0)))
            hi = min(n, lo + width)
            near = left[start:stop] @ right[lo:hi].T
            own_cols = np.arange(start, stop) - lo
            inside = (own_cols >= 0) & (own_cols < hi - lo)
            near[np.flatnonzero(inside), own_cols[inside]] = np.inf
            near.partition(m - 1, axis=1)
            threshold[start:stop] = near[:, m - 1] + raise_by[start:stop]
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
                row, col, value = _below(part[hit], threshold[hit, None])
                _merge(best, pos, threshold, hit[row], start + col, value)
        return best, pos


def _below(values: np.ndarray, limit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and value of the entries of ``values`` below ``limit`` (broadcast), in
    row-major order (flatnonzero and divmod: np.nonzero on a 2-D mask measured 17x slower)."""
    flat = np.flatnonzero(values < limit)
    row, col = np.divmod(flat, values.shape[1])
    return row, col, values.ravel()[flat]


def _merge(
    best: np.ndarray,
    pos: np.ndarray,
    threshold: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    value: np.ndarray,
) -> None:
    """Fold entries ``(row, col, value)``, in any order, into each row's m best, in place.

    One sort by (row, value) keeps each row's m smallest new entries; its pool is then its
    m best and those: at most 2m wide, whatever the number of entries.
    """
    if not row.size:
        return
    m = best.shape[1]
    order = np.argsort(_row_value_key(row, value))
    row, col, value = row[order], col[order], value[order]
    first = np.flatnonzero(np.diff(row, prepend=-1))
    counts = np.diff(first, append=row.size)
    rows = row[first]
    rank = np.arange(row.size) - np.repeat(first, counts)
    if counts.max() > m:  # only the m smallest of a row's new entries can be kept
        kept = rank < m
        col, value, rank = col[kept], value[kept], rank[kept]
        counts = np.minimum(counts, m)
    group = np.repeat(np.arange(rows.size), counts)
    pool_v = np.full((rows.size, m + int(counts.max())), np.inf, dtype=np.float32)
    pool_p = np.zeros(pool_v.shape, dtype=np.intp)
    pool_v[:, :m], pool_p[:, :m] = best[rows], pos[rows]
    pool_v[group, m + rank], pool_p[group, m + rank] = value, col
    keep = np.argpartition(pool_v, m - 1, axis=1)[:, :m]
    kept_v = np.take_along_axis(pool_v, keep, axis=1)
    best[rows], pos[rows] = kept_v, np.take_along_axis(pool_p, keep, axis=1)
    threshold[rows] = np.minimum(threshold[rows], kept_v.max(axis=1))


def _row_value_key(row: np.ndarray, value: np.ndarray) -> np.ndarray:
    """uint64 keys in the order of (row, value): the row above, the float's bits made
    monotonic below (negative values, from rounding, have their bits flipped)."""
    bits = np.asarray(value, dtype=np.float32).view(np.uint32).astype(np.uint64)
    flip = np.where(bits >> np.uint64(31), np.uint64(0xFFFFFFFF), np.uint64(0x80000000))
    return (row.astype(np.uint64) << np.uint64(32)) | (bits ^ flip)


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
