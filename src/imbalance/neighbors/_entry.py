"""The engine's entry for the package's samplers: the user's neighbours parameter in, an index
with one interface out.

A sampler's neighbours parameter (``k_neighbors``, ``n_neighbors``...) is a count, searched by
this engine with the sampler's ``neighbors`` backend, or an object with ``kneighbors`` that
imbalanced-learn users bring (``NearestNeighbors(n_neighbors=6)``: its ``n_neighbors`` counts
the row itself). :func:`neighbor_index` makes that choice, and the thread rule
(:func:`search_jobs`), so that no sampler does; both answers have the same ``kneighbors`` and
``backend_``.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import numpy.typing as npt
from sklearn.base import clone

from .._typing import Backend, KNeighborsEstimator, Matrix, NeighborSpec, Seed

if TYPE_CHECKING:
    from typing_extensions import TypeIs
from ._index import NeighborIndex

# Searches with fewer (queries x rows) than this run on one thread.
_SMALL_SEARCH = 1 << 22


def is_estimator(spec: object) -> TypeIs[KNeighborsEstimator]:
    """Whether a neighbours parameter is a user's estimator (it has ``kneighbors``) rather than
    a count: the one place that choice is made."""
    return hasattr(spec, "kneighbors")


def n_neighbors_of(spec: NeighborSpec) -> int:
    """Neighbours asked by a count, or by an estimator's ``n_neighbors`` (which counts self)."""
    if is_estimator(spec):
        return int(spec.get_params()["n_neighbors"]) - 1
    return int(spec)


def search_jobs(n_jobs: int | None, n_queries: int, n_rows: int) -> int | None:
    """Threads for a search: one for small ones (thread start-up costs more than the search,
    badly so on a busy machine), else what the user asked. Results do not depend on it."""
    if n_jobs is None and n_queries * n_rows < _SMALL_SEARCH:
        return 1
    return n_jobs


class EstimatorIndex:
    """A user's neighbours estimator behind :class:`NeighborIndex`'s ``kneighbors``.

    imbalanced-learn's convention: the estimator is fitted on the indexed rows; an indexed row
    queried is its own first neighbour and is dropped; outside queries keep every neighbour.
    Where fewer neighbours are asked than the estimator's ``n_neighbors`` gives, its answer is
    cut, so that the estimator is always called as imbalanced-learn calls it.
    """

    backend_ = "estimator"

    def __init__(self, estimator: KNeighborsEstimator) -> None:
        self.estimator = estimator

    def fit(self, X: Matrix) -> EstimatorIndex:
        self._X = X
        self.estimator_ = clone(self.estimator).fit(X)
        params = self.estimator_.get_params() if hasattr(self.estimator_, "get_params") else {}
        own_n = params.get("n_neighbors")
        self._own_n = int(own_n) if isinstance(own_n, numbers.Integral) else None
        return self

    def kneighbors(
        self,
        X: Matrix | None = None,
        n_neighbors: int = 5,
        *,
        rows: np.ndarray | None = None,
        return_distance: bool = False,
        within: npt.ArrayLike | None = None,
    ) -> Any:
        """The same answer as :meth:`NeighborIndex.kneighbors` (``within`` is ignored)."""
        own = X is None
        if own:
            X = self._X if rows is None else self._X[np.asarray(rows, dtype=np.intp)]
        wanted = n_neighbors + own
        if self._own_n is not None and wanted <= self._own_n:
            found = self.estimator_.kneighbors(X, return_distance=return_distance)
        else:
            found = self.estimator_.kneighbors(
                X, n_neighbors=wanted, return_distance=return_distance
            )
        parts = found if return_distance else (found,)
        cut = tuple(np.asarray(p)[:, int(own) : wanted] for p in parts)
        return cut if return_distance else cut[0]


Neighbours: TypeAlias = "NeighborIndex | EstimatorIndex"


def neighbor_index(
    X: Matrix,
    spec: NeighborSpec | None = None,
    *,
    backend: Backend = "auto",
    n_jobs: int | None = None,
    n_queries: int | None = None,
    random_state: Seed = None,
) -> Neighbours:
    """An index over the rows of ``X``, for the neighbours parameter ``spec``.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        The rows searched.
    spec : int, estimator or None
        A count (or None): this engine answers, with ``backend``. An object with
        ``kneighbors``: it is cloned and fitted on ``X`` and answers instead.
    backend : {"auto", "exact", "approximate", "torch"}
        The engine's backend.
    n_jobs : int or None
        The user's thread count; :func:`search_jobs` keeps small searches on one thread.
    n_queries : int, default=None
        Queries expected (the rows of ``X`` when None), for the thread rule.
    random_state : int, Generator or None
        Seed of the approximate backend. A Generator is drawn from once, and only when the
        engine answers (a user's estimator takes no seed).
    """
    if is_estimator(spec):
        return EstimatorIndex(spec).fit(X)
    if isinstance(random_state, np.random.Generator):
        random_state = int(random_state.integers(2**31))
    n_rows = X.shape[0]
    jobs = search_jobs(n_jobs, n_rows if n_queries is None else n_queries, n_rows)
    return NeighborIndex(backend=backend, n_jobs=jobs, random_state=random_state).fit(X)


def search(
    X: Matrix,
    spec: NeighborSpec | None,
    n_neighbors: int | None = None,
    *,
    backend: Backend = "auto",
    n_jobs: int | None = None,
    random_state: Seed = None,
    rows: np.ndarray | None = None,
    queries: Matrix | None = None,
    return_distance: bool = False,
) -> tuple[Any, str]:
    """One search: the neighbours within ``X`` of its ``rows`` (each excluded from its own)
    or of outside ``queries``, and the backend that answered.

    ``n_neighbors`` defaults to what ``spec`` asks (:func:`n_neighbors_of`).
    """
    if n_neighbors is None:
        if spec is None:
            raise TypeError("search needs n_neighbors when spec is None.")
        n_neighbors = n_neighbors_of(spec)
    if queries is not None:
        n_queries = queries.shape[0]
    else:
        n_queries = X.shape[0] if rows is None else len(rows)
    index = neighbor_index(
        X, spec, backend=backend, n_jobs=n_jobs, n_queries=n_queries, random_state=random_state
    )
    found = index.kneighbors(queries, n_neighbors, rows=rows, return_distance=return_distance)
    return found, str(index.backend_)
