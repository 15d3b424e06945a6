"""Exact candidate searchers from libraries: scikit-learn's k-d tree or float64 brute force,
and faiss's flat float32 brute force."""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from .._typing import Matrix
from ._blocked import BlockSearcher, all_pairs_step, one_thread
from ._common import (
    EXTRA,
    U32,
    U64,
    Candidates,
    Searcher,
    bound_from,
    drop_own,
    import_optional,
    threads,
)


class SklearnSearcher(Searcher):
    """scikit-learn's k-d tree, or its blocked float64 brute force (dense or sparse)."""

    def __init__(self, Xc: Matrix, n_jobs: int | None, tree: bool) -> None:
        self.name = "kd_tree" if tree else "brute-float64"
        # Rigorous bound on |computed - exact| squared distance, per (|q| + max|x|)^2.
        self.error_scale = 4.0 * (Xc.shape[1] + 6) * U64
        self.n_jobs = n_jobs
        self.n = Xc.shape[0]
        algorithm = "kd_tree" if tree else "brute"
        self.nn = NearestNeighbors(algorithm=algorithm, n_jobs=n_jobs).fit(Xc)

    def search(
        self, Qc: Matrix, k: int, own: np.ndarray | None, within: np.ndarray | None = None
    ) -> Candidates:
        n_ask = min(k + EXTRA + (own is not None), self.n)
        with threads(self.n_jobs):
            dist, cand = self.nn.kneighbors(Qc, n_neighbors=n_ask)
        bound = bound_from(dist.astype(np.float64) ** 2, n_ask, self.n)
        return Candidates(drop_own(cand, own), bound, self.error_scale, self.name)


class FaissSearcher(Searcher):
    """faiss's exact float32 brute force (the optional 'approximate' extra installed).

    scikit-learn's brute force computes in float64 even for float32 input; faiss's flat index
    works in float32 and measured 1.6-2x faster on 20 features, and the float64 proof of
    :func:`~._refine.finish` makes its candidates exact. With ``all_pairs``, a search of every
    row against the others on one thread (:func:`~._blocked.one_thread`) goes to
    :class:`~._blocked.BlockSearcher` instead: its symmetric tiles compute each pair once,
    and measured 1.5x (faiss on one thread) to 3x (on two) faster on 20 features
    (``bench/RESULTS-regression.md``).
    """

    name = "faiss-flat-float32"

    def __init__(self, Xc: Matrix, n_jobs: int | None, *, all_pairs: bool = False) -> None:
        faiss = import_optional("faiss", "approximate", "the 'approximate' neighbors backend")
        n, d = Xc.shape
        self.n, self.n_jobs = n, n_jobs
        self.Xc, self.all_pairs = Xc, all_pairs
        self.pairs: BlockSearcher | None = None
        self.error_scale = 4.0 * (d + 6) * U32
        self.index = faiss.IndexFlatL2(d)
        with threads(n_jobs):
            self.index.add(np.ascontiguousarray(Xc, dtype=np.float32))

    def search(
        self, Qc: Matrix, k: int, own: np.ndarray | None, within: np.ndarray | None = None
    ) -> Candidates:
        if (
            self.all_pairs
            and one_thread(self.n_jobs)
            and all_pairs_step(self.n, k, own, self.n_jobs)
        ):
            if self.pairs is None:
                self.pairs = BlockSearcher(self.Xc, self.n_jobs)
            return self.pairs.search(Qc, k, own)
        n_ask = min(k + EXTRA + (own is not None), self.n)
        with threads(self.n_jobs):
            d2, cand = self.index.search(np.ascontiguousarray(Qc, dtype=np.float32), n_ask)
        bound = bound_from(d2.astype(np.float64), n_ask, self.n)
        return Candidates(drop_own(cand.astype(np.intp), own), bound, self.error_scale, self.name)
