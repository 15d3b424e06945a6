"""The 'approximate' backend: faiss inverted lists (IVF) where they pay, brute force otherwise."""

from __future__ import annotations

import importlib

import numpy as np
import scipy.sparse as sp

from .._typing import Matrix
from ..exceptions import InvalidDataError
from ._common import Candidates, Searcher, drop_own, fits_float32, import_optional, threads
from ._exact import FaissSearcher, SklearnSearcher

# The approximate backend's inverted lists, in brute-force distances (about 1 ns each on one
# core), measured on 20 features with faiss-cpu 1.15 and one thread: building costs about
# 4,500 per row (training, assignment, calibration), and each row or cell centre a query scans
# about 9 (no matrix product, a heap per query). They answer only when they cost less than
# _IVF_GAIN of brute force: judged before building (with the fewest cells a query can scan)
# and again once the calibration has fixed how many cells each query scans.
_IVF_BUILD_PER_ROW = 4_500
_IVF_SCAN_COST = 9
_IVF_GAIN = 0.7
_TARGET_RECALL = 0.995
_CALIBRATION_QUERIES = 512
# With ``within``, the calibration wants this many true neighbours inside the threshold, from
# up to this many batches of queries; fewer, and it calibrates on all neighbours instead.
_CALIBRATION_PAIRS = 200
_CALIBRATION_BATCHES = 4


class ApproximateSearcher(Searcher):
    """Inverted lists where they pay; otherwise faiss's float32 brute force, made exact.

    ``q`` queries over ``n`` rows cost ``q * n`` distances by brute force. Inverted lists cost
    a build and, per query, a scan of the cell centres and of the rows of the cells it probes
    (:func:`_scan_pays`). They are built when even the cheapest scan would pay, and used when
    the calibrated scan does (lists already filed cost no build); otherwise brute force
    answers: faiss's float32 one, or scikit-learn's float64 one for values float32 cannot
    hold. Each part is built on first use.
    """

    name = "ivf"

    def __init__(self, Xc: Matrix, n_jobs: int | None, seed: int | None) -> None:
        import_optional("faiss", "approximate", "the 'approximate' neighbors backend")
        if sp.issparse(Xc):
            raise InvalidDataError(
                "the 'approximate' neighbors backend needs dense X; got a sparse matrix. "
                "Use neighbors='exact' for sparse data."
            )
        self.Xc, self.n_jobs, self.seed = Xc, n_jobs, seed
        self.fits = fits_float32(Xc)  # else float32 lists would lose the distances
        self.lists: InvertedLists | None = None
        self.brute: Searcher | None = None

    def search(
        self, Qc: Matrix, k: int, own: np.ndarray | None, within: np.ndarray | None = None
    ) -> Candidates:
        q, n = Qc.shape[0], self.Xc.shape[0]
        built = self.lists is not None and self.lists.filed
        use_lists = self.fits and q > 0 and _scan_pays(q, n, _scanned(n, 1), build=not built)
        if use_lists:
            if self.lists is None:
                self.lists = InvertedLists(self.Xc, self.n_jobs, self.seed)
            nprobe, recall = self.lists.calibrate(Qc, k, own, within)
            if _scan_pays(q, n, _scanned(n, nprobe), build=False):
                cand = self.lists.search(Qc, k, own, nprobe)
                return Candidates(cand, np.full(len(cand), np.inf), 0.0, "ivf", False, recall)
        if self.brute is None:
            if self.fits:
                self.brute = FaissSearcher(self.Xc, self.n_jobs)
            else:
                self.brute = SklearnSearcher(self.Xc, self.n_jobs, tree=False)
        return self.brute.search(Qc, k, own, None)


def _n_cells(n_rows: int) -> int:
    """Cells of the inverted lists: about 4 sqrt(n), at least 32 rows each."""
    return int(np.clip(round(4 * np.sqrt(n_rows)), 1, max(1, n_rows // 32)))


def _scanned(n_rows: int, nprobe: int) -> float:
    """Rows and cell centres a query of the inverted lists scans when it probes ``nprobe``."""
    n_cells = _n_cells(n_rows)
    return n_cells + nprobe * n_rows / n_cells


def _scan_pays(n_queries: int, n_rows: int, scanned: float, *, build: bool) -> bool:
    """Whether inverted lists whose queries scan ``scanned`` rows and centres each beat brute
    force for ``n_queries`` over ``n_rows`` rows (``build``: counting their construction)."""
    cost = _IVF_SCAN_COST * scanned * n_queries + (_IVF_BUILD_PER_ROW * n_rows if build else 0)
    return bool(cost < _IVF_GAIN * float(n_queries) * n_rows)


class InvertedLists:
    """faiss IVF-Flat: k-means cells over the rows, and each query scans its nearest cells.

    The number of cells scanned (``nprobe``) is calibrated per number of neighbours asked, on
    a seeded sample of the queries: their true neighbours come from brute force over all rows,
    and a search that probes ``p`` cells finds exactly the true neighbours whose cell ranks
    below ``p`` among the query's cells (by distance to the cell centres). ``nprobe`` is the
    smallest ``p`` that finds ``_TARGET_RECALL`` of them, and ``recall`` the share it finds.
    The rows are only filed into their cells when a search uses the lists, so a calibration
    that shows brute force to be cheaper costs the k-means and the sample's brute force only.
    A query whose scanned cells hold fewer rows than it needs gets them by brute force.
    """

    def __init__(self, Xc: Matrix, n_jobs: int | None, seed: int | None) -> None:
        faiss = importlib.import_module("faiss")
        self.faiss, self.n_jobs = faiss, n_jobs
        self.rng = np.random.default_rng(0 if seed is None else seed)
        self.rows = np.ascontiguousarray(Xc, dtype=np.float32)
        n, d = self.rows.shape
        self.n = n
        self.n_cells = _n_cells(n)
        self.quantizer = faiss.IndexFlatL2(d)
        self.index = faiss.IndexIVFFlat(self.quantizer, d, self.n_cells)
        # A short k-means on 32 rows per cell: on 1M x 20, 16 rows and 6 iterations made cells
        # that needed twice the probes for the same recall.
        self.index.cp.niter = 8
        self.index.cp.seed = int(self.rng.integers(2**31))
        train = min(n, 32 * self.n_cells)
        self.index.cp.max_points_per_centroid = 32
        self.index.cp.min_points_per_centroid = max(1, min(16, train // self.n_cells))
        self.index.cp.verbose = False
        sample = self.rows[np.sort(self.rng.choice(n, train, replace=False))]
        with threads(n_jobs):
            self.index.train(sample)
        self.filed = False
        self.calibrated: dict[int, tuple[int, float]] = {}  # n_ask -> (nprobe, recall)

    def calibrate(
        self, Qc: Matrix, k: int, own: np.ndarray | None, within: np.ndarray | None
    ) -> tuple[int, float]:
        """The cells to probe for ``k`` neighbours and the recall they give (cached per ``k``
        when ``within`` is None: the calibration counts only the true neighbours nearer than
        ``within`` otherwise)."""
        n_ask = min(k + (own is not None), self.n)
        if within is None and n_ask in self.calibrated:
            return self.calibrated[n_ask]
        with threads(self.n_jobs):
            Q = np.ascontiguousarray(Qc, dtype=np.float32)
            found = self._calibrate(Q, n_ask, own, within)
        if within is None:
            self.calibrated[n_ask] = found
        return found

    def search(self, Qc: Matrix, k: int, own: np.ndarray | None, nprobe: int) -> np.ndarray:
        n_ask = min(k + (own is not None), self.n)
        Q = np.ascontiguousarray(Qc, dtype=np.float32)
        with threads(self.n_jobs):
            self.index.nprobe = nprobe
            if not self.filed:
                self.index.add(self.rows)
                self.filed = True
            _, cand = self.index.search(Q, n_ask)
            short = np.flatnonzero((cand < 0).any(axis=1))
            if short.size:
                _, cand[short] = self.faiss.knn(Q[short], self.rows, n_ask)
        return drop_own(cand.astype(np.intp), own)

    def _calibrate(
        self, Q: np.ndarray, n_ask: int, own: np.ndarray | None, within: np.ndarray | None
    ) -> tuple[int, float]:
        """The fewest cells that find ``_TARGET_RECALL`` of the sample's true neighbours (of
        those nearer than ``within``, when that leaves at least ``_CALIBRATION_PAIRS`` of them
        in up to ``_CALIBRATION_BATCHES`` batches of queries; of all of them otherwise)."""
        order = self.rng.permutation(len(Q))
        ranks, near, n_near = [], [], 0
        for batch in range(_CALIBRATION_BATCHES if within is not None else 1):
            pick = np.sort(order[batch * _CALIBRATION_QUERIES : (batch + 1) * _CALIBRATION_QUERIES])
            if not pick.size:
                break
            rank, d2 = self._true_ranks(Q, pick, n_ask, own)
            ranks.append(rank.ravel())
            if within is not None:
                near.append((d2 < (within[pick] ** 2)[:, None]).ravel())
                n_near += int(near[-1].sum())
                if n_near >= _CALIBRATION_PAIRS:
                    break
        all_ranks = np.concatenate(ranks) if ranks else np.empty(0, dtype=np.intp)
        if n_near >= _CALIBRATION_PAIRS:
            all_ranks = all_ranks[np.concatenate(near)]
        all_ranks = np.sort(all_ranks)
        if not all_ranks.size:
            return 1, 1.0
        need = max(1, int(np.ceil(_TARGET_RECALL * all_ranks.size)))
        nprobe = int(all_ranks[need - 1]) + 1
        return nprobe, float(np.mean(all_ranks < nprobe))

    def _true_ranks(
        self, Q: np.ndarray, pick: np.ndarray, n_ask: int, own: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each picked query, the rank of each true neighbour's cell among the query's
        cells (by centre distance), and the squared distances of those neighbours."""
        d2, truth = self.faiss.knn(Q[pick], self.rows, n_ask)
        if own is not None:  # drop each query's own row (or its farthest, if a tie hid it)
            is_own = truth == own[pick][:, None]
            is_own[~is_own.any(axis=1), -1] = True
            shape = (len(pick), n_ask - 1)
            truth, d2 = truth[~is_own].reshape(shape), d2[~is_own].reshape(shape)
        _, cell = self.quantizer.search(self.rows[truth.ravel()], 1)
        _, order = self.quantizer.search(Q[pick], self.n_cells)
        rank_of = np.empty_like(order)
        rank_of[np.arange(len(pick))[:, None], order] = np.arange(self.n_cells)
        rows = np.repeat(np.arange(len(pick)), truth.shape[1])
        return rank_of[rows, cell.ravel()].reshape(truth.shape), d2
