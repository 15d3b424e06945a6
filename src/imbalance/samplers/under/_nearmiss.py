"""NearMiss: keep the rows of each class that are closest to (or farthest from) the minority."""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np

from ..._param_validation import NEIGHBORS_CONSTRAINTS, SAMPLING_STRATEGY_CONSTRAINT, Interval
from ..._typing import (
    ArrayLike,
    Backend,
    Label,
    Matrix,
    NeighborSpec,
    RandomState,
    SamplingStrategy,
)
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...exceptions import InvalidDataError, InvalidParameterError
from ...neighbors import BLOCK_CELLS, Neighbours, is_estimator, neighbor_index
from .._features import neighbours_estimator, numeric_features
from ._cleaning import minority_code

__all__ = ["NearMiss"]


class NearMiss(BaseSampler):
    """Under-sample with NearMiss: keep the rows of each class nearest to the minority class.

    For each class that shrinks, every row gets a score from Euclidean distances to the
    minority class (numeric columns), and the class keeps its target count of rows:

    - ``version=1``: the rows with the smallest sum of distances to their ``n_neighbors``
      nearest minority rows;
    - ``version=2``: the rows with the smallest sum of distances to their ``n_neighbors``
      *farthest* minority rows;
    - ``version=3``: first, the ``n_neighbors_ver3`` nearest rows of the class around each
      minority row are short-listed; then the short-listed rows with the *largest* sum of
      distances to their ``n_neighbors`` nearest minority rows. The short list can be smaller
      than the target count: then all of it is kept, fewer rows than asked (with a warning).

    Equal scores go to the row that comes first in X. The kept rows come out in input order,
    with their pandas index labels.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"majority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not minority"``) name the classes shrunk to the minority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    version : {1, 2, 3}, default=1
        Which NearMiss.
    n_neighbors : int or estimator, default=3
        Minority rows each score averages over. An object with ``kneighbors`` (such as
        scikit-learn's ``NearestNeighbors(n_neighbors=3)``) is fitted on the minority rows
        instead, and its ``n_neighbors`` is used as is.
    n_neighbors_ver3 : int or estimator, default=3
        Rows of the class short-listed around each minority row (version 3 only).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the nearest-neighbour search (see :mod:`imbalance.neighbors`).
    n_jobs : int or None, default=None
        Threads of the neighbour search; the output does not depend on it.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the approximate backend's index; NearMiss itself draws nothing at random.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class asked for (version 3 may keep fewer; see above).
    sampling_strategy_ : dict of {class_label: int}
        Rows kept of each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of the kept rows, in input order.
    nn_ : estimator
        imbalanced-learn's name: the neighbours estimator ``n_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=n_neighbors)``), not fitted.
    nn_ver3_ : estimator
        The same for ``n_neighbors_ver3`` (version 3 only).
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    RandomUnderSampler : keep random rows instead.
    ClusterCentroids : keep the centroids (or the rows nearest them) of k-means clusters.

    References
    ----------
    .. [1] I. Mani and I. Zhang, "kNN approach to unbalanced data distributions: a case study
       involving information extraction", Proceedings of the ICML 2003 Workshop on Learning
       from Imbalanced Datasets, 2003.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import NearMiss
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [10.0], [11.0]])
    >>> y = np.array([0, 0, 0, 0, 0, 1, 1])
    >>> nm = NearMiss(n_neighbors=1)
    >>> X_res, y_res = nm.fit_resample(X, y)
    >>> nm.sample_indices_
    array([3, 4, 5, 6])
    >>> X_res.ravel().tolist()
    [3.0, 4.0, 10.0, 11.0]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "version": [Interval("int", 1, 3)],
        "n_neighbors": [Interval("int", 1, None), "estimator"],
        "n_neighbors_ver3": [Interval("int", 1, None), "estimator"],
        **NEIGHBORS_CONSTRAINTS,
        "random_state": ["random_state"],
    }
    _sampler_tags = SamplerTags(kind="under", reads_features=True)
    _sampling_kind = "under"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        version: int = 1,
        n_neighbors: NeighborSpec = 3,
        n_neighbors_ver3: NeighborSpec = 3,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
        random_state: RandomState = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.version = version
        self.n_neighbors = n_neighbors
        self.n_neighbors_ver3 = n_neighbors_ver3
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _get_sampler_tags(self) -> SamplerTags:
        tags = super()._get_sampler_tags()
        tags.exact_counts = int(self.version) != 3
        return tags

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        version = int(self.version)
        self.nn_ = _as_estimator(self.n_neighbors)
        if version == 3:
            self.nn_ver3_ = _as_estimator(self.n_neighbors_ver3)
        F = numeric_features(X, "NearMiss")
        minority = minority_code(target)
        min_rows = target.members(minority)
        k = _count("n_neighbors", self.n_neighbors)
        _check_size("n_neighbors", k, target.classes[minority], min_rows.size, "minority")
        to_min = _Distances(F[min_rows], self.n_neighbors, self, rng, F.shape[0])
        parts = []
        for c, (cls, have) in enumerate(zip(target.classes, target.counts.tolist(), strict=True)):
            rows = target.members(c)
            want = self.target_counts_[cls]
            if want >= have:
                parts.append(rows)
            elif version == 3:
                parts.append(self._version3(F, rows, min_rows, to_min, k, want, cls, rng))
            else:
                score = _score(to_min, F[rows], k, min_rows.size if version == 2 else k)
                parts.append(rows[np.argsort(score, kind="stable")[:want]])
        return Resampled(indices=np.sort(np.concatenate(parts)))

    def _version3(
        self,
        F: Matrix,
        rows: np.ndarray,
        min_rows: np.ndarray,
        to_min: _Distances,
        k: int,
        want: int,
        cls: Label,
        rng: np.random.Generator,
    ) -> np.ndarray:
        k3 = _count("n_neighbors_ver3", self.n_neighbors_ver3)
        _check_size("n_neighbors_ver3", k3, cls, rows.size, "shrunk")
        around = _Distances(F[rows], self.n_neighbors_ver3, self, rng, min_rows.size)
        short = np.unique(around.query(F[min_rows], k3)[1].ravel())
        if short.size < want:
            warnings.warn(
                f"NearMiss(version=3) short-listed {short.size} rows of class {cls!r} around "
                f"the minority rows, fewer than the {want} asked, and keeps them all. Raise "
                "n_neighbors_ver3 to short-list more rows, or use version=1.",
                UserWarning,
                stacklevel=4,
            )
        score = _score(to_min, F[rows[short]], k, k)
        return rows[short[np.argsort(-score, kind="stable")[:want]]]


class _Distances:
    """Distances from query rows to their nearest rows of a fixed set (engine or estimator)."""

    def __init__(
        self,
        F_set: Matrix,
        spec: NeighborSpec,
        owner: NearMiss,
        rng: np.random.Generator,
        n_queries: int,
    ) -> None:
        self.index: Neighbours = neighbor_index(
            F_set,
            spec,
            backend=owner.neighbors,
            n_jobs=owner.n_jobs,
            n_queries=n_queries,
            random_state=rng,
        )

    def query(self, Q: Matrix, n: int) -> tuple[np.ndarray, np.ndarray]:
        dist, idx = self.index.kneighbors(Q, n, return_distance=True)
        return np.asarray(dist), np.asarray(idx)


def _score(to_min: _Distances, Q: Matrix, k: int, depth: int) -> np.ndarray:
    """Sum of the distances to the ``k`` farthest of each query's ``depth`` nearest rows."""
    step = max(1, BLOCK_CELLS // max(depth, 1))
    out = np.empty(Q.shape[0], dtype=np.float64)
    for start in range(0, Q.shape[0], step):
        dist, _ = to_min.query(Q[start : start + step], depth)
        out[start : start + step] = dist[:, depth - k :].sum(axis=1)
    return out


def _count(param: str, spec: NeighborSpec) -> int:
    if is_estimator(spec):
        n = spec.get_params().get("n_neighbors") if hasattr(spec, "get_params") else None
        if not isinstance(n, int | np.integer) or n < 1:
            raise InvalidParameterError(
                f"{param} of NearMiss, an estimator, must have an int n_neighbors >= 1; "
                f"got {type(spec).__name__} with n_neighbors={n!r}."
            )
        return int(n)
    return int(spec)


def _check_size(param: str, k: int, cls: Label, size: int, role: str) -> None:
    if size < k:
        raise InvalidDataError(
            f"NearMiss looks at the {param}={k} nearest rows of the {role} class {cls!r}, which "
            f"has {size} row(s). Lower {param} to at most {size}, or use RandomUnderSampler."
        )


def _as_estimator(spec: NeighborSpec) -> Any:
    """imbalanced-learn's ``nn_``: NearMiss counts no row itself, so ``k`` means ``k``."""
    return neighbours_estimator(spec if is_estimator(spec) else int(spec) - 1)
