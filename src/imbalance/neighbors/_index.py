"""The index every search goes through: checks, scaling, centring, a searcher, the float64
proof; and the one-call forms :func:`kneighbors` and :func:`mean_distance`."""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .._typing import ArrayLike, Matrix
from ..exceptions import InvalidDataError, InvalidParameterError, NotFittedError
from ._blocked import BlockSearcher
from ._checks import (
    as_float,
    check_backend,
    check_n_neighbors,
    check_within,
    resolve_backend,
    safe_scale,
)
from ._common import Backend, Candidates, Searcher, blocks, fits_float32, row_norms
from ._exact import FaissSearcher, SklearnSearcher
from ._ivf import ApproximateSearcher
from ._refine import finish
from ._torch import TorchSearcher

# Dense data with at most this many features is searched with a k-d tree.
_TREE_MAX_FEATURES = 8
_TREE_MIN_ROWS = 2_000


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

    def fit(self, X: ArrayLike) -> NeighborIndex:
        """Index the rows of ``X`` (a 2-D float array or a sparse matrix).

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            Finite numbers.

        Returns
        -------
        self : NeighborIndex
        """
        check_backend(self.backend, self.n_jobs)
        X, top = as_float(X, "X")
        self.n_samples_fit_, self.n_features_in_ = X.shape
        self.backend_ = resolve_backend(self.backend, self.n_samples_fit_, X)
        self._scale = safe_scale(top, X.shape[1])
        self._build(X if self._scale == 1.0 else X / self._scale)
        return self

    def _build(self, X: Matrix) -> None:
        """Index rows already divided by ``self._scale``."""
        self._X = X
        self._center = None if sp.issparse(X) else X.mean(axis=0)
        Xc = X if self._center is None else X - self._center
        self._norms = row_norms(Xc)
        self._radius = float(self._norms.max(initial=0.0))
        self._searcher = make_searcher(self.backend_, Xc, self.n_jobs, self.random_state)
        self.algorithm_ = self._searcher.name
        self.recall_ = 1.0

    def kneighbors(
        self,
        X: ArrayLike | None = None,
        n_neighbors: int = 5,
        *,
        rows: np.ndarray | None = None,
        return_distance: bool = False,
        within: npt.ArrayLike | None = None,
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
        k = check_n_neighbors(n_neighbors, self.n_samples_fit_ - (own is not None))
        Qc = queries if self._center is None else queries - self._center
        radius = check_within(within, Qc.shape[0])
        if radius is not None and self._scale != 1.0:
            radius = radius / self._scale
        found = self._searcher.search(Qc, k, own, radius)
        self.algorithm_, self.recall_ = found.algorithm, found.recall

        def retry(rows: np.ndarray, n: int) -> Candidates:
            return self._searcher.search(Qc[rows], n, None if own is None else own[rows], None)

        idx, d2 = finish(
            self._X, queries, Qc, found, k, own, self._radius, self._center, retry=retry
        )
        if return_distance:
            if self._scale == 1.0:
                return np.sqrt(d2), idx
            with np.errstate(over="ignore"):  # a distance beyond float64's range is inf
                return np.sqrt(d2) * self._scale, idx
        return idx

    def _queries(
        self, X: Matrix | None, rows: npt.ArrayLike | None
    ) -> tuple[Any, np.ndarray | None]:
        if X is not None:
            if rows is not None:
                raise InvalidParameterError(
                    "NeighborIndex.kneighbors takes query points X or indexed rows, not both; "
                    "pass rows=None with X, or X=None with rows."
                )
            Q, top = as_float(X, "X")
            if Q.shape[1] != self.n_features_in_:
                raise InvalidDataError(
                    f"the queries have {Q.shape[1]} features, the index {self.n_features_in_}; "
                    "query with points of the same width as the indexed rows."
                )
            scale = safe_scale(top, Q.shape[1])
            if scale > self._scale:  # queries far larger than the rows: index again, coarser
                self._build(self._X * (self._scale / scale))
                self._scale = scale
            return (Q if self._scale == 1.0 else Q / self._scale), None
        own = np.arange(self.n_samples_fit_) if rows is None else np.asarray(rows, dtype=np.intp)
        return self._X[own], own


def kneighbors(
    X: ArrayLike,
    n_neighbors: int = 5,
    *,
    queries: Matrix | None = None,
    rows: np.ndarray | None = None,
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


def mean_distance(X: ArrayLike) -> float:
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
    X, top = as_float(X, "X")
    n = X.shape[0]
    if n < 2:
        return 0.0
    scale = safe_scale(top, X.shape[1])
    if scale != 1.0:
        return mean_distance(X / scale) * scale
    Xc = X if sp.issparse(X) else X - X.mean(axis=0)
    x2 = row_norms(Xc) ** 2
    total = 0.0
    for start, stop in blocks(n, n):
        prod = Xc[start:stop] @ Xc.T
        prod = prod.toarray() if sp.issparse(prod) else np.asarray(prod)
        d2 = x2[start:stop, None] - 2.0 * prod + x2[None, :]
        d2[np.arange(stop - start), np.arange(start, stop)] = 0.0
        total += float(np.sqrt(np.maximum(d2, 0.0)).sum())
    return total / (n * (n - 1))


def make_searcher(
    backend: Backend, Xc: Matrix, n_jobs: int | None, seed: int | None = None
) -> Searcher:
    """The candidate searcher of a resolved backend, for the centred rows ``Xc``."""
    if backend == "approximate":
        return ApproximateSearcher(Xc, n_jobs, seed)
    if backend == "torch":
        return TorchSearcher(Xc)
    n, d = Xc.shape
    tree = not sp.issparse(Xc) and d <= _TREE_MAX_FEATURES and n >= _TREE_MIN_ROWS
    dense32 = not sp.issparse(Xc) and fits_float32(Xc)
    if tree or not dense32:
        return SklearnSearcher(Xc, n_jobs, tree)
    if importlib.util.find_spec("faiss") is not None:
        return FaissSearcher(Xc, n_jobs, all_pairs=True)
    return BlockSearcher(Xc, n_jobs)
