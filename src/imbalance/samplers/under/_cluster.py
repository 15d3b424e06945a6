"""Cluster centroids: replace a class by the centroids of as many k-means clusters as it keeps."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import KMeans, MiniBatchKMeans

from ... import _containers
from ..._param_validation import NEIGHBORS_CONSTRAINTS, SAMPLING_STRATEGY_CONSTRAINT, Options
from ..._typing import ArrayLike, Backend, Estimator, Matrix, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...exceptions import InvalidParameterError, ResamplingError
from ...neighbors import search
from .._features import numeric_features

__all__ = ["ClusterCentroids", "default_clusterer"]

# Above this many (rows x clusters), one class is clustered by mini-batch k-means.
_FULL_KMEANS_CELLS = 20_000_000
_BATCH_SIZE = 4096


def default_clusterer(n_rows: int, n_clusters: int, seed: int) -> Any:
    """k-means for a class of ``n_rows`` rows: Lloyd's algorithm while it is cheap, beyond it
    mini-batch k-means with random initial centres, batches of 4096 rows and two passes over
    the class (measured at 90,000 rows into 10,000 clusters: about 3 s, with a mean squared
    distance to the centroids 5 % above that of running it to convergence, which takes 70 s)."""
    if n_rows * n_clusters <= _FULL_KMEANS_CELLS:
        return KMeans(n_clusters=n_clusters, random_state=seed)
    return MiniBatchKMeans(
        n_clusters=n_clusters,
        init="random",
        n_init=1,
        batch_size=_BATCH_SIZE,
        max_iter=2,
        compute_labels=False,
        random_state=seed,
    )


class ClusterCentroids(BaseSampler):
    """Under-sample by replacing a class with the centroids of k-means clusters.

    Each class that shrinks is clustered (numeric columns) into as many clusters as rows it
    keeps. With ``voting="soft"`` the class is replaced by the cluster centroids: new rows,
    listed after the kept rows of the other classes, whose non-numeric columns (in a DataFrame)
    and integer rounding come from the real row nearest each centroid (``synthetic_parents_``).
    With ``voting="hard"`` the class keeps, for each centroid, its nearest real row (a row
    nearest two centroids is kept twice), in input order with its pandas index label.

    By default a class is clustered by :class:`~sklearn.cluster.KMeans` while
    ``rows x clusters`` stays below 20 million, and by
    :class:`~sklearn.cluster.MiniBatchKMeans` (two passes) beyond, so that large classes take
    seconds.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"majority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not minority"``) name the classes shrunk to the minority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the clustering.
    estimator : clustering estimator or None, default=None
        An estimator with an ``n_clusters`` parameter and a fitted ``cluster_centers_``, cloned
        for each class (and seeded from ``random_state`` if its own ``random_state`` is None);
        ``None`` chooses k-means as described above.
    voting : {"auto", "soft", "hard"}, default="auto"
        ``"soft"`` outputs the centroids, ``"hard"`` the real rows nearest them. ``"auto"`` is
        ``"soft"`` (imbalanced-learn picks ``"hard"`` for sparse X; here sparse X gets sparse
        centroid rows, so that every container gives the same values).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the search for the row nearest each centroid.
    n_jobs : int or None, default=None
        Threads of that search.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    sampling_strategy_ : dict of {class_label: int}
        Rows kept of each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    voting_ : str
        The voting used, ``"soft"`` or ``"hard"``.
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of the real output rows, in output order.
    synthetic_parents_ : ndarray of shape (n_centroids, 1)
        With soft voting only: the position in X of the real row nearest each centroid.
    estimators_ : dict of {class_label: estimator}
        The fitted clustering of each class that shrank.
    estimator_ : estimator or None
        imbalanced-learn's attribute: the clustering fitted last (that of the last class that
        shrank, in label order); None when no class shrank.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    NearMiss : keep the rows nearest the minority class.
    RandomUnderSampler : keep random rows.

    References
    ----------
    .. [1] S.-J. Yen and Y.-S. Lee, "Cluster-based under-sampling approaches for imbalanced data
       distributions", Expert Systems with Applications, 36(3), 5718-5727, 2009.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import ClusterCentroids
    >>> X = np.array([[0.0], [0.2], [0.3], [5.0], [5.1], [5.3], [9.0], [9.4]])
    >>> y = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    >>> cc = ClusterCentroids(random_state=0)
    >>> X_res, y_res = cc.fit_resample(X, y)
    >>> X_res[:2].ravel().tolist(), sorted(X_res[2:].ravel().round(2).tolist())
    ([9.0, 9.4], [0.17, 5.13])
    >>> cc.synthetic_parents_.ravel().tolist() in ([1, 4], [4, 1])
    True
    >>> hard = ClusterCentroids(voting="hard", random_state=0)
    >>> X_res, y_res = hard.fit_resample(X, y)
    >>> hard.sample_indices_
    array([1, 4, 6, 7])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "estimator": [None, "estimator"],
        "voting": [Options({"auto", "soft", "hard"})],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="under", synthetic=True, reads_features=True)
    _sampling_kind = "under"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        estimator: Estimator | None = None,
        voting: str = "auto",
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _get_sampler_tags(self) -> SamplerTags:
        tags = super()._get_sampler_tags()
        tags.synthetic = self.voting != "hard"
        return tags

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        self.voting_ = "hard" if self.voting == "hard" else "soft"
        F = numeric_features(X, "ClusterCentroids")
        kept: list[np.ndarray] = []
        nearest: list[np.ndarray] = []
        centres: list[np.ndarray] = []
        self.estimators_ = {}
        self.estimator_: Any = None
        for c, (cls, have) in enumerate(zip(target.classes, target.counts.tolist(), strict=True)):
            rows = target.members(c)
            want = self.target_counts_[cls]
            if want >= have:
                kept.append(rows)
                continue
            if want == 0:
                continue
            model = self._cluster(F[rows], want, int(rng.integers(2**31)))
            self.estimators_[cls] = model
            self.estimator_ = model
            centre = np.asarray(model.cluster_centers_, dtype=np.float64)
            near = search(
                F[rows],
                None,
                1,
                queries=sp.csr_matrix(centre) if sp.issparse(F) else centre,
                backend=self.neighbors,
                n_jobs=self.n_jobs,
                random_state=int(rng.integers(2**31)),
            )[0][:, 0]
            (kept if self.voting_ == "hard" else nearest).append(rows[near])
            centres.append(centre)
        indices = np.sort(np.concatenate(kept)) if kept else np.empty(0, dtype=np.intp)
        if self.voting_ == "hard" or not nearest:
            return Resampled(indices=indices)
        values = np.concatenate(centres)
        return Resampled(
            indices=indices,
            parents=np.concatenate(nearest)[:, None],
            values=sp.csr_matrix(values) if sp.issparse(F) else values,
            columns=_containers.numeric_column_positions(X),
        )

    def _cluster(self, F_class: Matrix, n_clusters: int, seed: int) -> Any:
        if self.estimator is None:
            model = default_clusterer(F_class.shape[0], n_clusters, seed)
        else:
            model = clone(self.estimator)
            params = model.get_params()
            if "n_clusters" not in params:
                raise InvalidParameterError(
                    "estimator of ClusterCentroids must be a clustering estimator with an "
                    f"n_clusters parameter (such as KMeans); got {type(model).__name__}."
                )
            model.set_params(n_clusters=n_clusters)
            if "random_state" in params and params["random_state"] is None:
                model.set_params(random_state=seed)
        model.fit(F_class)
        if not hasattr(model, "cluster_centers_"):
            raise ResamplingError(
                f"estimator of ClusterCentroids ({type(model).__name__}) has no "
                "cluster_centers_ after fitting; use KMeans, MiniBatchKMeans or a clustering "
                "estimator that exposes cluster centres."
            )
        return model
