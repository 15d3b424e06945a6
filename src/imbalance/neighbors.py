"""k nearest neighbours: one engine, one signature, several backends.

Every neighbour-based method of the package asks this module, and no other place computes
distances. Distances are Euclidean; neighbours come sorted by distance, ties broken by the
smaller row position, and a query that is itself an indexed row never counts itself (another
row equal to it does, at distance 0).

Backends
--------
``"exact"``
    The true k nearest neighbours. Candidates come from scikit-learn's public
    :class:`~sklearn.neighbors.NearestNeighbors` for few dense features (a k-d tree) and for
    sparse data (its float64 brute force). Dense data with more features is searched by brute
    force in float32: with faiss's flat index when the optional ``faiss`` package is installed
    (``pip install "imbalance[approximate]"``), otherwise with numpy matrix products in tiles
    (rows grouped into cells, so that each query's first tile gives it a tight threshold and
    later tiles are rarely inspected; a search of all rows among themselves computes each
    pair of tiles once for both sides). Both measured 1.3-2x faster than scikit-learn's
    float64 brute force on 20 features (``bench/RESULTS-smote.md``). Every candidate distance
    is then recomputed in float64 from the row differences, and each query whose candidate
    list cannot be proven complete under a rigorous rounding-error bound is searched again in
    float64 over all rows. The result is therefore the same whatever the internals,
    ``n_jobs`` or the block sizes: it equals sorting all rows by float64 distance.
``"approximate"``
    Inverted lists (IVF) from the optional ``faiss`` package (``pip install
    "imbalance[approximate]"``): the rows are split into about ``4 * sqrt(n)`` k-means cells and
    each query scans the rows of its nearest cells only. The number of cells scanned is
    calibrated for each number of neighbours asked: the fewest with which a sample of up to
    512 of the queries finds at least 99.5 % of its true neighbours (found by brute force), and
    ``NeighborIndex.recall_`` reports the recall so calibrated. Reproducible for a given
    ``random_state`` and ``n_jobs``. Where scanning cells would cost about as much as brute
    force (few rows, few queries, or data so spread that such a recall needs most cells: 20
    dimensions of noise), faiss's flat float32 brute force answers instead, checked in float64
    as for ``"exact"``: the exact result (recall 1). Values beyond float32's range are always
    searched exactly in float64.
``"torch"``
    Chunked squared distances and ``topk`` in PyTorch, on CUDA when available and on the CPU
    otherwise, followed by the same float64 check as ``"exact"``: the results equal
    ``"exact"``. PyTorch is imported on first use only.
``"auto"``
    ``"torch"`` when PyTorch is already imported, CUDA is available and the index holds at
    least 20,000 rows; ``"exact"`` otherwise. It never picks ``"approximate"``, which changes
    results and must be asked for. The choice is recorded in ``NeighborIndex.backend_``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, TypeAlias

import numpy as np
import scipy.sparse as sp
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from .exceptions import (
    InvalidDataError,
    InvalidParameterError,
    MissingDependencyError,
    NotFittedError,
)

__all__ = ["BACKENDS", "Backend", "NeighborIndex", "kneighbors", "mean_distance"]

Backend: TypeAlias = Literal["auto", "exact", "approximate", "torch"]
BACKENDS: tuple[str, ...] = ("auto", "exact", "approximate", "torch")

# Extra candidates fetched beyond k, so that the float64 re-ranking can prove completeness.
_EXTRA = 3
# Dense data with at most this many features is searched with a k-d tree.
_TREE_MAX_FEATURES = 8
_TREE_MIN_ROWS = 2_000
# "auto" moves to the GPU from this many indexed rows.
_GPU_MIN_ROWS = 20_000
# Rows of distances computed at once by the float64 fallback and the torch backend.
_BLOCK_CELLS = 1 << 22
# Blocked float32 search: queries and rows per tile, rows per cell, columns of the first tile.
_TILE_QUERIES = 512
_TILE_ROWS = 512
_CELL_ROWS = 1024
_FIRST_TILE = 2048
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
_U32 = 2.0**-24
_U64 = 2.0**-53
# Squared distances stay far from float64's overflow and underflow while the largest absolute
# value times sqrt(n_features) lies in this range; outside it, rows and queries are divided by
# a power of two (exact, so the neighbour ranking is that of the unscaled data).
_SAFE_TOP = 2.0**250
_SAFE_BOTTOM = 2.0**-250


class NeighborIndex:
    """An index over the rows of X that answers k-nearest-neighbour queries.

    Parameters
    ----------
    backend : {"auto", "exact", "approximate", "torch"}, default="auto"
        How neighbours are found (see the module documentation): ``"exact"`` and ``"torch"``
        give the true neighbours, ``"approximate"`` trades recall for speed.
    n_jobs : int or None, default=None
        Threads used by the search. ``None`` leaves the libraries' defaults; ``-1`` uses every
        core. Exact results do not depend on it.
    random_state : int or None, default=None
        ``"approximate"`` only: seeds the sample that trains the cells and the sample of
        queries that calibrates them (``None`` means 0). Other backends ignore it: their
        results are exact.

    Attributes
    ----------
    backend_ : str
        The backend used: ``"exact"``, ``"approximate"`` or ``"torch"``.
    algorithm_ : str
        How candidates are produced: ``"kd_tree"``, ``"brute-float64"``,
        ``"faiss-flat-float32"``, ``"blocked-float32"``, ``"ivf"``, ``"torch-cuda"`` or
        ``"torch-cpu"``. The approximate backend starts as ``"ivf"`` and each search sets it
        to what answered (``"faiss-flat-float32"`` where brute force is cheaper).
    recall_ : float
        Share of the true neighbours found by the last search, as calibrated on a sample of
        its queries: below 1 only after an ``"ivf"`` search (which aims at 0.995 or more).
    n_samples_fit_ : int
        Number of indexed rows.
    n_features_in_ : int
        Number of columns of the indexed rows.

    See Also
    --------
    kneighbors : the same search as one function call.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.neighbors import NeighborIndex
    >>> X = np.array([[0.0], [1.0], [3.0], [7.0]])
    >>> index = NeighborIndex(backend="exact").fit(X)
    >>> index.kneighbors(n_neighbors=2)
    array([[1, 2],
           [0, 2],
           [1, 0],
           [2, 1]])
    >>> index.kneighbors(np.array([[2.9]]), n_neighbors=1)
    array([[2]])
    """

    def __init__(
        self,
        *,
        backend: Backend = "auto",
        n_jobs: int | None = None,
        random_state: int | None = None,
    ) -> None:
        self.backend = backend
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X: Any) -> NeighborIndex:
        """Index the rows of ``X`` (a 2-D float array or a sparse matrix).

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Finite numbers.

        Returns
        -------
        self : NeighborIndex
        """
        _check_backend(self.backend, self.n_jobs)
        X, top = _as_float(X, "X")
        self.n_samples_fit_, self.n_features_in_ = X.shape
        self.backend_ = _resolve_backend(self.backend, self.n_samples_fit_, X)
        self._scale = _safe_scale(top, X.shape[1])
        self._build(X if self._scale == 1.0 else X / self._scale)
        return self

    def _build(self, X: Any) -> None:
        """Index rows already divided by ``self._scale``."""
        self._X = X
        self._center = None if sp.issparse(X) else X.mean(axis=0)
        Xc = X if self._center is None else X - self._center
        self._norms = _row_norms(Xc)
        self._radius = float(self._norms.max(initial=0.0))
        self._searcher = _make_searcher(self.backend_, Xc, self.n_jobs, self.random_state)
        self.algorithm_ = self._searcher.name
        self.recall_ = 1.0

    def kneighbors(
        self,
        X: Any = None,
        n_neighbors: int = 5,
        *,
        rows: Any = None,
        return_distance: bool = False,
        within: Any = None,
    ) -> Any:
        """Positions of the ``n_neighbors`` nearest indexed rows of each query.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_queries, n_features), default=None
            Points that are not indexed rows. ``None`` queries indexed rows themselves (all of
            them, or those in ``rows``), each excluded from its own neighbours.
        n_neighbors : int, default=5
            Neighbours per query.
        rows : array-like of int, default=None
            Positions of the indexed rows to query when ``X`` is None.
        return_distance : bool, default=False
            Also return the Euclidean distances.
        within : float or array-like of shape (n_queries,), default=None
            The distance below which a query's neighbours matter to the caller (one for all
            queries, or one each), for a caller that only compares neighbour distances with a
            threshold. Only the ``"approximate"`` backend uses it: its calibration then counts
            only the true neighbours nearer than that, which usually needs fewer cells, and
            ``recall_`` is the recall of those. The answer is still the nearest rows found.

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors)
            Only when ``return_distance`` is True; float64, increasing along each row.
        indices : ndarray of shape (n_queries, n_neighbors)
            Positions of the neighbours in the indexed X, nearest first.
        """
        if not hasattr(self, "_searcher"):
            raise NotFittedError("This NeighborIndex is not fitted yet; call fit(X) first.")
        queries, own = self._queries(X, rows)
        k = _check_n_neighbors(n_neighbors, self.n_samples_fit_ - (own is not None))
        Qc = queries if self._center is None else queries - self._center
        radius = _check_within(within, Qc.shape[0])
        if radius is not None and self._scale != 1.0:
            radius = radius / self._scale
        if isinstance(self._searcher, _ApproximateSearcher):
            cand, bound_d2 = self._searcher.search(Qc, k, own, within=radius)
        else:
            cand, bound_d2 = self._searcher.search(Qc, k, own)
        if self.backend_ == "approximate":
            approximate = self._searcher.approximate_answered
            self.algorithm_ = "ivf" if approximate else "faiss-flat-float32"
            self.recall_ = self._searcher.recall if approximate else 1.0
        if self._searcher.approximate_answered:
            d2 = _pair_d2(self._X, queries, cand)
            idx, d2 = _sort_pairs(cand, d2, k)
        else:
            idx, d2 = self._refine(queries, Qc, cand, bound_d2, k, own)
        if return_distance:
            if self._scale == 1.0:
                return np.sqrt(d2), idx
            with np.errstate(over="ignore"):  # a distance beyond float64's range is inf
                return np.sqrt(d2) * self._scale, idx
        return idx

    def _queries(self, X: Any, rows: Any) -> tuple[Any, np.ndarray | None]:
        if X is not None:
            if rows is not None:
                raise InvalidParameterError(
                    "NeighborIndex.kneighbors takes query points X or indexed rows, not both; "
                    "pass rows=None with X, or X=None with rows."
                )
            Q, top = _as_float(X, "X")
            if Q.shape[1] != self.n_features_in_:
                raise InvalidDataError(
                    f"the queries have {Q.shape[1]} features, the index {self.n_features_in_}; "
                    "query with points of the same width as the indexed rows."
                )
            scale = _safe_scale(top, Q.shape[1])
            if scale > self._scale:  # queries far larger than the rows: index again, coarser
                self._build(self._X * (self._scale / scale))
                self._scale = scale
            return (Q if self._scale == 1.0 else Q / self._scale), None
        own = np.arange(self.n_samples_fit_) if rows is None else np.asarray(rows, dtype=np.intp)
        return self._X[own], own

    def _refine(
        self,
        queries: Any,
        Qc: Any,
        cand: np.ndarray,
        bound_d2: np.ndarray,
        k: int,
        own: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Re-rank candidates in float64 and redo every query whose list is not provably right."""
        d2 = _pair_d2(self._X, queries, cand)
        idx, d2_sorted = _sort_pairs(cand, d2, k)
        slack = self._searcher.error_scale * (_row_norms(Qc) + self._radius) ** 2
        unsure = np.flatnonzero(d2_sorted[:, -1] >= bound_d2 - slack)
        if unsure.size:
            own_unsure = None if own is None else own[unsure]
            idx[unsure], d2_sorted[unsure] = _exact_rows(
                self._X, queries[unsure], own_unsure, k, self._radius, self._center
            )
        return idx, d2_sorted


def kneighbors(
    X: Any,
    n_neighbors: int = 5,
    *,
    queries: Any = None,
    rows: Any = None,
    backend: Backend = "auto",
    n_jobs: int | None = None,
    return_distance: bool = False,
    random_state: int | None = None,
) -> Any:
    """The ``n_neighbors`` nearest rows of ``X`` for each query, in one call.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Rows searched (finite numbers).
    n_neighbors : int, default=5
        Neighbours per query.
    queries : {ndarray, sparse matrix} of shape (n_queries, n_features), default=None
        Points to query that are not rows of X. ``None`` queries the rows of X themselves
        (those in ``rows``, or all), each excluded from its own neighbours.
    rows : array-like of int, default=None
        Positions of the rows of X to query when ``queries`` is None.
    backend : {"auto", "exact", "approximate", "torch"}, default="auto"
        See :class:`NeighborIndex`.
    n_jobs : int or None, default=None
        Threads used by the search; exact results do not depend on it.
    return_distance : bool, default=False
        Also return the Euclidean distances.
    random_state : int or None, default=None
        Seed of the approximate backend's insertion order (see :class:`NeighborIndex`).

    Returns
    -------
    distances : ndarray of shape (n_queries, n_neighbors)
        Only when ``return_distance`` is True.
    indices : ndarray of shape (n_queries, n_neighbors)
        Positions in X, nearest first; ties go to the smaller position.

    See Also
    --------
    NeighborIndex : keep the index to query it several times.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.neighbors import kneighbors
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [0.0, 0.5]])
    >>> kneighbors(X, n_neighbors=1)
    array([[3],
           [3],
           [1],
           [0]])
    """
    index = NeighborIndex(backend=backend, n_jobs=n_jobs, random_state=random_state).fit(X)
    return index.kneighbors(queries, n_neighbors, rows=rows, return_distance=return_distance)


def mean_distance(X: Any) -> float:
    """Mean Euclidean distance between two different rows of ``X`` (0 for a single row).

    Computed in blocks, so memory stays small whatever the number of rows.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Finite numbers.

    Returns
    -------
    distance : float

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.neighbors import mean_distance
    >>> mean_distance(np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]]))
    3.333...
    """
    X, top = _as_float(X, "X")
    n = X.shape[0]
    if n < 2:
        return 0.0
    scale = _safe_scale(top, X.shape[1])
    if scale != 1.0:
        return mean_distance(X / scale) * scale
    Xc = X if sp.issparse(X) else X - X.mean(axis=0)
    x2 = _row_norms(Xc) ** 2
    total = 0.0
    for start, stop in _blocks(n, n):
        prod = Xc[start:stop] @ Xc.T
        prod = prod.toarray() if sp.issparse(prod) else np.asarray(prod)
        d2 = x2[start:stop, None] - 2.0 * prod + x2[None, :]
        d2[np.arange(stop - start), np.arange(start, stop)] = 0.0
        total += float(np.sqrt(np.maximum(d2, 0.0)).sum())
    return total / (n * (n - 1))


# --------------------------------------------------------------------------------------------
# Checks


def _check_backend(backend: Any, n_jobs: Any) -> None:
    if backend not in BACKENDS:
        raise InvalidParameterError(
            f"neighbors={backend!r} is not a known backend; use one of "
            f"{', '.join(map(repr, BACKENDS))}."
        )
    if n_jobs is not None and (
        isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0
    ):
        raise InvalidParameterError(f"n_jobs must be None, -1 or a positive int; got {n_jobs!r}.")


def _as_float(X: Any, name: str) -> tuple[Any, float]:
    """X as float64 (CSR when sparse), and its largest absolute value; refuses NaN and inf."""
    if sp.issparse(X):
        X = sp.csr_matrix(X, dtype=np.float64)
        data = X.data
    else:
        X = np.ascontiguousarray(X, dtype=np.float64)
        data = X
    if X.ndim != 2:
        raise InvalidDataError(f"{name} must be 2-D for a neighbour search; got shape {X.shape}.")
    # two passes and no temporary array; NaN or inf anywhere makes one of them non-finite
    high, low = float(data.max(initial=0.0)), float(data.min(initial=0.0))
    if not (np.isfinite(high) and np.isfinite(low)):
        raise InvalidDataError(
            f"{name} holds NaN or infinite values; distances need finite numbers. "
            "Impute or drop them first."
        )
    return X, max(high, -low)


def _safe_scale(top: float, n_features: int) -> float:
    """1.0, or the power of two to divide by so that squared distances neither overflow nor
    underflow float64 (values near 1e308, or near 1e-300). Dividing by a power of two is exact
    (short of the subnormal range), so neighbours are those of the unscaled rows."""
    root = float(np.sqrt(max(n_features, 1)))
    if top == 0.0 or _SAFE_BOTTOM / root <= top <= _SAFE_TOP / root:
        return 1.0
    return float(np.ldexp(1.0, int(np.frexp(top)[1]) - 1))  # the rows then lie within [-2, 2]


def _check_n_neighbors(n_neighbors: Any, available: int) -> int:
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, int | np.integer):
        raise InvalidParameterError(f"n_neighbors must be a positive int; got {n_neighbors!r}.")
    if not 1 <= n_neighbors <= available:
        raise InvalidParameterError(
            f"n_neighbors={n_neighbors} but only {available} rows can be neighbours of each "
            f"query; ask for between 1 and {available}."
        )
    return int(n_neighbors)


def _resolve_backend(backend: str, n_rows: int, X: Any) -> str:
    if backend != "auto":
        return backend
    torch = sys.modules.get("torch")
    if torch is None or n_rows < _GPU_MIN_ROWS or sp.issparse(X):
        return "exact"
    return "torch" if torch.cuda.is_available() else "exact"


# --------------------------------------------------------------------------------------------
# Candidate searchers: each returns (candidates, bound) where every row outside a query's
# candidates has a computed squared distance >= bound (np.inf when all rows are candidates).


class _Searcher:
    name = ""
    error_scale = 0.0
    approximate_answered = False
    recall = 1.0

    def search(self, Qc: Any, k: int, own: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


def _make_searcher(backend: str, Xc: Any, n_jobs: int | None, seed: int | None = None) -> _Searcher:
    if backend == "approximate":
        return _ApproximateSearcher(Xc, n_jobs, seed)
    if backend == "torch":
        return _TorchSearcher(Xc)
    n, d = Xc.shape
    tree = not sp.issparse(Xc) and d <= _TREE_MAX_FEATURES and n >= _TREE_MIN_ROWS
    dense32 = not sp.issparse(Xc) and _fits_float32(Xc)
    if tree or not dense32:
        return _SklearnSearcher(Xc, n_jobs, tree)
    if importlib.util.find_spec("faiss") is not None:
        return _FaissSearcher(Xc, n_jobs)
    return _BlockSearcher(Xc, n_jobs)


class _SklearnSearcher(_Searcher):
    """scikit-learn's k-d tree, or its blocked float64 brute force (dense or sparse)."""

    def __init__(self, Xc: Any, n_jobs: int | None, tree: bool) -> None:
        self.name = "kd_tree" if tree else "brute-float64"
        # Rigorous bound on |computed - exact| squared distance, per (|q| + max|x|)^2.
        self.error_scale = 4.0 * (Xc.shape[1] + 6) * _U64
        self.n_jobs = n_jobs
        self.n = Xc.shape[0]
        algorithm = "kd_tree" if tree else "brute"
        self.nn = NearestNeighbors(algorithm=algorithm, n_jobs=n_jobs).fit(Xc)

    def search(self, Qc: Any, k: int, own: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        n_ask = min(k + _EXTRA + (own is not None), self.n)
        with _threads(self.n_jobs):
            dist, cand = self.nn.kneighbors(Qc, n_neighbors=n_ask)
        bound = _bound_from(dist.astype(np.float64) ** 2, n_ask, self.n)
        return _drop_own(cand, own), bound


class _FaissSearcher(_Searcher):
    """faiss's exact float32 brute force (the optional 'approximate' extra installed).

    scikit-learn's brute force computes in float64 even for float32 input; faiss's flat index
    works in float32 and measured 1.6-2x faster on 20 features, and the float64 proof of
    :meth:`NeighborIndex._refine` makes its candidates exact.
    """

    name = "faiss-flat-float32"

    def __init__(self, Xc: Any, n_jobs: int | None) -> None:
        faiss = _import_optional("faiss", "approximate", "the 'approximate' neighbors backend")
        n, d = Xc.shape
        self.n, self.n_jobs = n, n_jobs
        self.error_scale = 4.0 * (d + 6) * _U32
        self.index = faiss.IndexFlatL2(d)
        with _threads(n_jobs):
            self.index.add(np.ascontiguousarray(Xc, dtype=np.float32))

    def search(self, Qc: Any, k: int, own: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        n_ask = min(k + _EXTRA + (own is not None), self.n)
        with _threads(self.n_jobs):
            d2, cand = self.index.search(np.ascontiguousarray(Qc, dtype=np.float32), n_ask)
        bound = _bound_from(d2.astype(np.float64), n_ask, self.n)
        return _drop_own(cand.astype(np.intp), own), bound


class _BlockSearcher(_Searcher):
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
        self.error_scale = 4.0 * (d + 7) * _U32
        X32 = np.empty((n, d + 1), dtype=np.float32)
        X32[:, :d] = Xc
        X32[:, d] = np.einsum("ij,ij->i", Xc, Xc)
        self.centres = _cell_centres(X32[:, :d], max(1, n // _CELL_ROWS))
        cell = _nearest_centre(X32[:, :d], self.centres)
        self.order = np.argsort(cell, kind="stable")
        self.X32 = X32[self.order]
        self.cell_start = np.searchsorted(cell[self.order], np.arange(len(self.centres) + 1))

    def search(self, Qc: Any, k: int, own: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        n_ask = min(k + _EXTRA + (own is not None), self.n)
        m = min(n_ask + 1, self.n)
        Q = np.asarray(Qc, dtype=np.float32)
        if not len(Q):
            return np.empty((0, n_ask - (own is not None)), dtype=np.intp), np.empty(0)
        step = max(_TILE_ROWS, m + 1)
        whole = own is not None and len(own) == self.n and bool((own == np.arange(self.n)).all())
        if whole and self.n >= 2 * step and _n_workers(self.n_jobs) == 1:
            with _threads(self.n_jobs):
                return self._search_all(n_ask - 1, step)
        cell = _nearest_centre(Q, self.centres)
        q_order = np.argsort(cell, kind="stable")
        Q32 = np.empty((len(Q), Q.shape[1] + 1), dtype=np.float32)
        Q32[:, :-1] = -2.0 * Q[q_order]
        Q32[:, -1] = 1.0
        starts = range(0, len(Q), _TILE_QUERIES)
        work = [(Q32[s : s + _TILE_QUERIES], cell[q_order[s]]) for s in starts]
        workers = _n_workers(self.n_jobs)
        if workers == 1:
            with _threads(self.n_jobs):
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
        return _drop_own(cand[:, :n_ask], own), bound

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
        cell = _nearest_centre(sample, centres)
        counts = np.bincount(cell, minlength=n_cells)
        sums = np.zeros_like(centres)
        np.add.at(sums, cell, sample)
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None]
    return centres


def _nearest_centre(X: np.ndarray, centres: np.ndarray) -> np.ndarray:
    c2 = np.einsum("ij,ij->i", centres, centres)
    out = np.empty(len(X), dtype=np.intp)
    step = max(1, _BLOCK_CELLS // len(centres))
    for start in range(0, len(X), step):
        out[start : start + step] = (c2 - 2.0 * X[start : start + step] @ centres.T).argmin(axis=1)
    return out


def _n_workers(n_jobs: int | None) -> int:
    if n_jobs is None:
        return 1
    return (os.cpu_count() or 1) if n_jobs < 0 else int(n_jobs)


class _ApproximateSearcher(_Searcher):
    """Inverted lists where they pay; otherwise faiss's float32 brute force, made exact.

    ``q`` queries over ``n`` rows cost ``q * n`` distances by brute force. Inverted lists cost
    a build and, per query, a scan of the cell centres and of the rows of the cells it probes
    (:func:`_scan_pays`). They are built when even the cheapest scan would pay, and used when
    the calibrated scan does (lists already filed cost no build); otherwise brute force
    answers: faiss's float32 one, or scikit-learn's float64 one for values float32 cannot
    hold. Each part is built on first use.
    """

    name = "ivf"

    def __init__(self, Xc: Any, n_jobs: int | None, seed: int | None) -> None:
        _import_optional("faiss", "approximate", "the 'approximate' neighbors backend")
        if sp.issparse(Xc):
            raise InvalidDataError(
                "the 'approximate' neighbors backend needs dense X; got a sparse matrix. "
                "Use neighbors='exact' for sparse data."
            )
        self.Xc, self.n_jobs, self.seed = Xc, n_jobs, seed
        self.fits = _fits_float32(Xc)  # else float32 lists would lose the distances
        self.lists: _InvertedLists | None = None
        self.brute: _Searcher | None = None
        self.approximate_answered = True

    def search(
        self, Qc: Any, k: int, own: np.ndarray | None, within: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        q, n = Qc.shape[0], self.Xc.shape[0]
        built = self.lists is not None and self.lists.filed
        use_lists = self.fits and q > 0 and _scan_pays(q, n, _scanned(n, 1), build=not built)
        if use_lists:
            if self.lists is None:
                self.lists = _InvertedLists(self.Xc, self.n_jobs, self.seed)
            nprobe = self.lists.calibrate(Qc, k, own, within)
            use_lists = _scan_pays(q, n, _scanned(n, nprobe), build=False)
        self.approximate_answered = use_lists
        if use_lists:
            assert self.lists is not None
            cand, bound = self.lists.search(Qc, k, own, nprobe)
            self.recall = self.lists.recall
            return cand, bound
        if self.brute is None:
            if self.fits:
                self.brute = _FaissSearcher(self.Xc, self.n_jobs)
            else:
                self.brute = _SklearnSearcher(self.Xc, self.n_jobs, tree=False)
        self.error_scale = self.brute.error_scale
        self.recall = 1.0
        return self.brute.search(Qc, k, own)


def _check_within(within: Any, n_queries: int) -> np.ndarray | None:
    if within is None:
        return None
    try:
        radius = np.broadcast_to(np.asarray(within, dtype=np.float64), (n_queries,))
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"within must be one distance or one per query ({n_queries}); got "
            f"{np.shape(within) or within!r}. Pass a float or an array of shape ({n_queries},)."
        ) from None
    if np.isnan(radius).any() or (radius < 0).any():
        raise InvalidParameterError(
            "within must hold distances (>= 0, not NaN); pass np.inf for a query whose "
            "neighbours all matter."
        )
    return radius


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


class _InvertedLists:
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

    def __init__(self, Xc: Any, n_jobs: int | None, seed: int | None) -> None:
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
        with _threads(n_jobs):
            self.index.train(sample)
        self.filed = False
        self.calibrated: dict[int, tuple[int, float]] = {}  # n_ask -> (nprobe, recall)
        self.recall = 1.0

    def calibrate(self, Qc: Any, k: int, own: np.ndarray | None, within: np.ndarray | None) -> int:
        """The cells to probe for ``k`` neighbours (cached per ``k`` when ``within`` is None:
        the calibration counts only the true neighbours nearer than ``within`` otherwise)."""
        n_ask = min(k + (own is not None), self.n)
        if within is None and n_ask in self.calibrated:
            nprobe, self.recall = self.calibrated[n_ask]
            return nprobe
        with _threads(self.n_jobs):
            Q = np.ascontiguousarray(Qc, dtype=np.float32)
            nprobe = self._calibrate(Q, n_ask, own, within)
        if within is None:
            self.calibrated[n_ask] = (nprobe, self.recall)
        return nprobe

    def search(
        self, Qc: Any, k: int, own: np.ndarray | None, nprobe: int
    ) -> tuple[np.ndarray, np.ndarray]:
        n_ask = min(k + (own is not None), self.n)
        Q = np.ascontiguousarray(Qc, dtype=np.float32)
        with _threads(self.n_jobs):
            self.index.nprobe = nprobe
            if not self.filed:
                self.index.add(self.rows)
                self.filed = True
            _, cand = self.index.search(Q, n_ask)
            short = np.flatnonzero((cand < 0).any(axis=1))
            if short.size:
                _, cand[short] = self.faiss.knn(Q[short], self.rows, n_ask)
        cand = _drop_own(cand.astype(np.intp), own)
        return cand, np.full(len(cand), np.inf)

    def _calibrate(
        self, Q: np.ndarray, n_ask: int, own: np.ndarray | None, within: np.ndarray | None
    ) -> int:
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
        nprobe, self.recall = 1, 1.0
        if all_ranks.size:
            need = max(1, int(np.ceil(_TARGET_RECALL * all_ranks.size)))
            nprobe = int(all_ranks[need - 1]) + 1
            self.recall = float(np.mean(all_ranks < nprobe))
        return nprobe

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


class _TorchSearcher(_Searcher):
    def __init__(self, Xc: Any) -> None:
        torch = _import_optional("torch", "torch", "the 'torch' neighbors backend")
        if sp.issparse(Xc):
            Xc = Xc.toarray()
        self.torch = torch
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.name = f"torch-{self.device.type}"
        self.X = torch.from_numpy(Xc.astype(np.float32)).to(self.device)
        self.x2 = (self.X * self.X).sum(dim=1)
        lowered = torch.get_float32_matmul_precision() != "highest"
        unit = 2.0**-10 if lowered and self.device.type == "cuda" else _U32
        self.error_scale = 4.0 * (Xc.shape[1] + 6) * unit
        self.n = Xc.shape[0]

    def search(self, Qc: Any, k: int, own: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        torch = self.torch
        Qd = Qc.toarray() if sp.issparse(Qc) else Qc
        n_ask = min(k + _EXTRA, self.n - (own is not None))
        block = max(1, _BLOCK_CELLS // max(self.n, 1))
        cand, bound = [], []
        for start in range(0, len(Qd), block):
            q = torch.from_numpy(Qd[start : start + block].astype(np.float32)).to(self.device)
            d2 = (q * q).sum(dim=1, keepdim=True) - 2.0 * q @ self.X.T + self.x2
            if own is not None:
                rows = torch.arange(len(q), device=self.device)
                cols = torch.from_numpy(own[start : start + block]).to(self.device)
                d2[rows, cols] = float("inf")
            vals, ind = torch.topk(d2, n_ask, dim=1, largest=False, sorted=True)
            cand.append(ind.cpu().numpy())
            bound.append(vals[:, -1].double().cpu().numpy())
        all_cand = np.concatenate(cand).astype(np.intp)
        limit = self.n - (own is not None)
        bounds = np.concatenate(bound) if n_ask < limit else np.full(len(Qd), np.inf)
        return all_cand, bounds


def _threads(n_jobs: int | None) -> Any:
    if n_jobs is None:
        return threadpool_limits(limits=None)
    return threadpool_limits(limits=None if n_jobs < 0 else int(n_jobs))


def _import_optional(module: str, extra: str, what: str) -> Any:
    if importlib.util.find_spec(module) is None:
        raise MissingDependencyError(
            f"{what} requires the {module!r} package; install it with "
            f'pip install "imbalance[{extra}]", or use neighbors="exact".'
        )
    return importlib.import_module(module)


def _fits_float32(Xc: np.ndarray) -> bool:
    """float32 squared distances stay finite, and rounding below the normal range negligible."""
    top = float(np.abs(Xc).max(initial=0.0))
    return top < 1e17 and (top == 0.0 or top > 1e-12)


def _bound_from(d2: np.ndarray, n_asked: int, n_total: int) -> np.ndarray:
    if n_asked >= n_total:
        return np.full(d2.shape[0], np.inf)
    return d2[:, -1]


def _drop_own(cand: np.ndarray, own: np.ndarray | None) -> np.ndarray:
    """Remove each query's own position from its candidates (or the farthest if absent)."""
    if own is None:
        return cand
    is_own = cand == own[:, None]
    missing = ~is_own.any(axis=1)
    is_own[missing, -1] = True
    return cand[~is_own].reshape(len(cand), cand.shape[1] - 1)


# --------------------------------------------------------------------------------------------
# float64 re-ranking and the exact fallback


def _row_norms(X: Any) -> np.ndarray:
    if sp.issparse(X):
        return np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    return np.sqrt(np.einsum("ij,ij->i", X, X))


def _pair_d2(X: Any, Q: Any, cand: np.ndarray) -> np.ndarray:
    """Squared distance from each query to each of its candidates, from the differences."""
    n_q, width = cand.shape
    if sp.issparse(X) != sp.issparse(Q):  # sparse minus dense would give an np.matrix
        Q = sp.csr_matrix(Q) if sp.issparse(X) else Q.toarray()
    out = np.empty((n_q, width), dtype=np.float64)
    rows_per_block = max(1, _BLOCK_CELLS // max(width * X.shape[1], 1))
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


def _sort_pairs(cand: np.ndarray, d2: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort each row's candidates by (distance, position) and keep the first k."""
    order = np.lexsort((cand, d2), axis=-1)[:, :k]
    return np.take_along_axis(cand, order, axis=1), np.take_along_axis(d2, order, axis=1)


def _exact_rows(
    X: Any,
    Q: Any,
    own: np.ndarray | None,
    k: int,
    radius: float,
    center: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact neighbours of a few queries: float64 distances to every row, then a proof band."""
    idx = np.empty((Q.shape[0], k), dtype=np.intp)
    d2_out = np.empty((Q.shape[0], k), dtype=np.float64)
    Xc = X if center is None else X - center
    x2 = _row_norms(Xc) ** 2
    scale = 4.0 * (X.shape[1] + 6) * _U64
    for start, stop in _blocks(Q.shape[0], X.shape[0]):
        q = Q[start:stop] if center is None else Q[start:stop] - center
        q2 = _row_norms(q) ** 2
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
            exact = _pair_d2(X, Q[start + r : start + r + 1], cand[None, :])
            i, d = _sort_pairs(cand[None, :], exact, k)
            idx[start + r], d2_out[start + r] = i[0], d[0]
    return idx, d2_out


def _blocks(n_queries: int, n_rows: int) -> Iterator[tuple[int, int]]:
    step = max(1, _BLOCK_CELLS // max(n_rows, 1))
    for start in range(0, n_queries, step):
        yield start, min(start + step, n_queries)
