"""K-Means SMOTE: SMOTE inside the clusters where a class is frequent, more where it is sparse."""

from __future__ import annotations

import math
import numbers
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.cluster import MiniBatchKMeans

from ..._param_validation import (
    NEIGHBORS_CONSTRAINTS,
    SAMPLING_STRATEGY_CONSTRAINT,
    Interval,
    Options,
)
from ..._typing import (
    ArrayLike,
    Backend,
    Estimator,
    Label,
    Matrix,
    NeighborSpec,
    RandomState,
    SamplingStrategy,
)
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...exceptions import InvalidDataError, ResamplingError
from ...neighbors import mean_distance, n_neighbors_of
from .._features import Features, check_neighbors_spec, neighbours_estimator
from ._smote_common import (
    Synthesis,
    apportion,
    check_class_size,
    draw_pairs,
    grown_classes,
    search,
)

__all__ = ["KMeansSMOTE"]


class KMeansSMOTE(BaseSampler):
    """Over-sample with K-Means SMOTE: cluster X, then run SMOTE in the right clusters.

    X is clustered once per call. For each class that grows, a cluster *qualifies* when the
    class's share of the cluster is at least ``cluster_balance_threshold`` and the cluster holds
    more than ``k_neighbors`` rows of the class. The rows to add are split among qualifying
    clusters in proportion to their sparsity, ``mean_distance ** density_exponent / count``
    (mean Euclidean distance between the class's rows in the cluster, and their number), with
    largest remainders so the total is exactly the count asked; inside each cluster, SMOTE
    makes them from the class's rows there.

    With the default ``cluster_balance_threshold="auto"`` the threshold of a class is its share
    of X, so some cluster always qualifies on the share test (by averaging); if no cluster also
    has enough rows of the class, an error says which class and how to fix it.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not majority"``) name the classes grown to the majority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws and of the default clustering.
    k_neighbors : int or estimator, default=2
        Same-class neighbours, within a cluster, among which partners are drawn.
    kmeans_estimator : int, estimator or None, default=None
        The clustering: ``None`` is ``MiniBatchKMeans(n_clusters=8)``, an int that many
        clusters, or an estimator with ``fit_predict`` (cloned; ``n_clusters`` is read when it
        has one).
    cluster_balance_threshold : float or "auto", default="auto"
        Least share of a class in a cluster for the cluster to qualify; ``"auto"`` is the
        class's share of X. With a single cluster, it always qualifies.
    density_exponent : float or "auto", default="auto"
        Exponent of the mean distance in the sparsity; ``"auto"`` is
        ``0.16 * log(n_features, 1.6) ** 1.8``, from the number of numeric features as the
        paper describes (imbalanced-learn 0.14 uses the number of rows in the cluster instead).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour searches (see :mod:`imbalance.neighbors`).
    n_jobs : int or None, default=None
        Threads of the neighbour searches; the output does not depend on it.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    sampling_strategy_ : dict of {class_label: int}
        Rows added to each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples,)
        Positions in X of the non-synthetic output rows: every row, in input order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 2)
        For each synthetic row, the positions in X of its base row and of its neighbour (both
        in the same cluster).
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the step from the base row towards the neighbour.
    kmeans_estimator_ : estimator
        The fitted clustering.
    labels_ : ndarray of shape (n_samples,)
        Cluster of each row of X.
    cluster_balance_threshold_ : dict of {class_label: float}
        Threshold used for each class that grew.
    cluster_weights_ : dict of {class_label: dict of {int: float}}
        For each class that grew, the share of its new rows given to each qualifying cluster.
    neighbors_backend_ : str
        The neighbour backend that answered (``"exact"``, ``"approximate"``, ``"torch"`` or
        ``"estimator"``); ``"none"`` if no class grew.
    nn_k_ : estimator
        imbalanced-learn's name: the neighbours estimator ``k_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=k_neighbors + 1)``), not fitted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTE : without clustering.

    References
    ----------
    .. [1] G. Douzas, F. Bacao and F. Last, "Improving imbalanced learning through a heuristic
       oversampling method based on k-means and SMOTE", Information Sciences, 465, 1-20, 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import KMeansSMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (180, 2)), rng.normal(3, 1, (20, 2))])
    >>> y = np.array([0] * 180 + [1] * 20)
    >>> sampler = KMeansSMOTE(kmeans_estimator=4, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.target_counts_
    {0: 180, 1: 180}
    >>> base, nb = sampler.synthetic_parents_.T
    >>> bool((sampler.labels_[base] == sampler.labels_[nb]).all())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
        "kmeans_estimator": [None, Interval("int", 1, None), "estimator"],
        "cluster_balance_threshold": [Interval("real", None, None), Options({"auto"})],
        "density_exponent": [Interval("real", None, None), Options({"auto"})],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True)
    _sampling_kind = "over"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        k_neighbors: NeighborSpec = 2,
        kmeans_estimator: int | Estimator | None = None,
        cluster_balance_threshold: float | str = "auto",
        density_exponent: float | str = "auto",
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.kmeans_estimator = kmeans_estimator
        self.cluster_balance_threshold = cluster_balance_threshold
        self.density_exponent = density_exponent
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        check_neighbors_spec("KMeansSMOTE", "k_neighbors", self.k_neighbors)
        self.nn_k_ = neighbours_estimator(self.k_neighbors, self.n_jobs)
        features = Features.of(X, "KMeansSMOTE")
        F = features.rows()
        self.labels_ = self._cluster(F, rng)
        synthesis = Synthesis(features)
        self.cluster_balance_threshold_: dict[Any, float] = {}
        self.cluster_weights_: dict[Any, dict[int, float]] = {}
        self.neighbors_backend_ = "none"
        for _, cls, members, n_new in grown_classes(target, self.target_counts_):
            check_class_size("KMeansSMOTE", "k_neighbors", self.k_neighbors, cls, members.size)
            clusters, weights = self._qualifying(F, cls, members, len(target.codes))
            self.cluster_weights_[cls] = dict(zip(clusters, weights.tolist(), strict=True))
            for cluster, n in zip(clusters, apportion(n_new, weights).tolist(), strict=True):
                if n:
                    self._smote_in(F, members[self.labels_[members] == cluster], n, rng, synthesis)
        out, self.synthetic_steps_ = synthesis.result(len(target.codes))
        return out

    def _cluster(self, F: Matrix, rng: np.random.Generator) -> np.ndarray:
        spec = self.kmeans_estimator
        if spec is None or isinstance(spec, numbers.Integral):
            n_clusters = 8 if spec is None else int(spec)
            estimator: Any = MiniBatchKMeans(
                n_clusters=n_clusters, random_state=int(rng.integers(2**31)), n_init=3
            )
        else:
            estimator = clone(spec)
        asked = getattr(estimator, "n_clusters", None)
        if isinstance(asked, numbers.Integral) and asked > F.shape[0]:
            raise InvalidDataError(
                f"KMeansSMOTE: kmeans_estimator asks for {asked} clusters but X has "
                f"{F.shape[0]} rows. Pass kmeans_estimator=<int> of at most {F.shape[0]}."
            )
        self.kmeans_estimator_ = estimator
        return np.asarray(estimator.fit_predict(F))

    def _qualifying(
        self, F: Matrix, cls: Label, members: np.ndarray, n_samples: int
    ) -> tuple[list[int], np.ndarray]:
        k = n_neighbors_of(self.k_neighbors)
        labels = self.labels_
        clusters, sizes = np.unique(labels, return_counts=True)
        in_class = np.array([(labels[members] == c).sum() for c in clusters])
        threshold = self._threshold(members.size / n_samples, clusters.size)
        self.cluster_balance_threshold_[cls] = threshold
        ok = (in_class / sizes >= threshold) & (in_class > k)
        if not ok.any():
            raise ResamplingError(
                f"KMeansSMOTE found no cluster for class {cls!r}: no cluster has both a share "
                f"of the class >= {threshold:.3g} and more than k_neighbors={k} of its rows "
                f"(largest count in a cluster: {int(in_class.max())}). Use fewer clusters "
                "(kmeans_estimator=<int>), lower cluster_balance_threshold or k_neighbors, or "
                "use SMOTE."
            )
        chosen = clusters[ok].tolist()
        sparsity = np.array([self._sparsity(F[members[labels[members] == c]]) for c in chosen])
        if not np.isfinite(sparsity).all() or sparsity.sum() <= 0:
            sparsity = np.ones(len(chosen))
        return chosen, sparsity / sparsity.sum()

    def _threshold(self, share: float, n_clusters: int) -> float:
        if n_clusters == 1:
            return -math.inf
        if self.cluster_balance_threshold == "auto":
            return share
        return float(self.cluster_balance_threshold)

    def _sparsity(self, rows: np.ndarray) -> float:
        exponent = self.density_exponent
        if exponent == "auto":
            n_features = rows.shape[1]
            exponent = math.log(n_features, 1.6) ** 1.8 * 0.16 if n_features > 1 else 0.0
        return float(mean_distance(rows) ** float(exponent) / rows.shape[0])

    def _smote_in(
        self,
        F: Matrix,
        rows: np.ndarray,
        n: int,
        rng: np.random.Generator,
        synthesis: Synthesis,
    ) -> None:
        nn, self.neighbors_backend_ = search(
            F[rows], self.k_neighbors, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
        )
        base, nb = draw_pairs(nn, n, rng)
        steps = rng.random(n)
        synthesis.add(rows[base], rows[nb], steps, F)
