"""Nearest neighbours among the rows still *alive*, for samplers that remove rows in rounds.

:func:`alive_neighbours` is the entry: this engine's lists (:class:`NeighbourLists`, one index
over all rows, removed rows skipped) for a count, or a user's estimator refitted on the alive
rows at each call (:class:`EstimatorLists`). Both have ``alive``, ``remove``, ``neighbours``
and ``backend_``.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

from .._typing import Matrix
from ._common import Backend
from ._entry import EstimatorIndex, KNeighborsEstimator, NeighborSpec, is_estimator, search_jobs
from ._index import NeighborIndex


class NeighbourLists:
    """Nearest neighbours of rows among the rows still alive, from one index over all rows.

    Rows are only ever removed, so the neighbours of a row among the alive rows are its
    neighbours among all rows with the removed ones skipped: each row is searched once (with a
    margin of ``width`` neighbours) and searched again, deeper, only when removals have left it
    fewer than it needs. Results equal a fresh search over the alive rows, ties included
    (removing rows keeps the order of positions).
    """

    def __init__(
        self, F: Matrix, *, width: int, backend: Backend, n_jobs: int | None, seed: int | None
    ) -> None:
        self.n = F.shape[0]
        self.width = max(1, min(width, self.n - 1))
        jobs = search_jobs(n_jobs, self.n, self.n)
        self.index = NeighborIndex(backend=backend, n_jobs=jobs, random_state=seed).fit(F)
        self.lists = np.full((self.n, self.width), -1, dtype=np.intp)
        self.known = np.zeros(self.n, dtype=bool)
        self.alive = np.ones(self.n, dtype=bool)

    @property
    def backend_(self) -> str:
        return str(self.index.backend_)

    def remove(self, rows: np.ndarray) -> None:
        self.alive[rows] = False

    def neighbours(self, rows: np.ndarray, k: int) -> np.ndarray:
        """The ``k`` nearest alive rows of each of ``rows`` (alive themselves), nearest first."""
        rows = np.asarray(rows, dtype=np.intp)
        if rows.size == 0:
            return np.empty((0, k), dtype=np.intp)
        self._search(rows[~self.known[rows]], self.width)
        found, count = self._alive_prefix(rows)
        depth = self.width
        short = count < k
        while short.any() and depth < self.n - 1:
            depth = min(2 * depth, self.n - 1)
            self._search(rows[short], depth)
            found[short], count[short] = self._alive_prefix(rows[short])
            short = count < k
        return found[:, :k]

    def _search(self, rows: np.ndarray, depth: int) -> None:
        """Search ``rows`` over all rows and keep the first ``width`` alive neighbours."""
        if rows.size == 0:
            return
        lists = self.index.kneighbors(None, depth, rows=rows)
        alive = self.alive[lists]
        order = np.argsort(~alive, axis=1, kind="stable")[:, : self.width]
        kept = np.take_along_axis(lists, order, axis=1)
        kept[~np.take_along_axis(alive, order, axis=1)] = -1
        if kept.shape[1] < self.width:
            pad = np.full((len(rows), self.width - kept.shape[1]), -1, dtype=np.intp)
            kept = np.hstack([kept, pad])
        self.lists[rows] = kept
        self.known[rows] = True

    def _alive_prefix(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lists = self.lists[rows]
        ok = (lists >= 0) & self.alive[np.maximum(lists, 0)]
        order = np.argsort(~ok, axis=1, kind="stable")
        compact = np.take_along_axis(lists, order, axis=1)
        count = ok.sum(axis=1)
        compact[np.arange(self.width)[None, :] >= count[:, None]] = -1
        self.lists[rows] = compact
        return compact, count


class EstimatorLists:
    """The same interface over a user's neighbours estimator (imbalanced-learn's convention).

    The estimator is fitted on the alive rows at each call, and its ``n_neighbors`` counts the
    row itself, which is dropped from the answer.
    """

    backend_ = "estimator"

    def __init__(self, F: Matrix, estimator: KNeighborsEstimator) -> None:
        self.F = F
        self.estimator = estimator
        self.alive = np.ones(F.shape[0], dtype=bool)

    def remove(self, rows: np.ndarray) -> None:
        self.alive[rows] = False

    def neighbours(self, rows: np.ndarray, k: int) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.intp)
        if rows.size == 0:
            return np.empty((0, k), dtype=np.intp)
        alive = np.flatnonzero(self.alive)
        index = EstimatorIndex(self.estimator).fit(self.F[alive])
        return alive[index.kneighbors(None, k, rows=np.searchsorted(alive, rows))]


AliveNeighbours: TypeAlias = "NeighbourLists | EstimatorLists"


def alive_neighbours(
    F: Matrix,
    spec: NeighborSpec,
    k: int,
    *,
    backend: Backend,
    n_jobs: int | None,
    rng: np.random.Generator,
) -> AliveNeighbours:
    """Neighbour lists over the rows of ``F`` for a sampler that asks ``k`` neighbours: this
    engine's (a seed drawn from ``rng``), or the user's estimator ``spec``."""
    if is_estimator(spec):
        return EstimatorLists(F, spec)
    seed = int(rng.integers(2**31))
    return NeighbourLists(F, width=2 * k + 2, backend=backend, n_jobs=n_jobs, seed=seed)
