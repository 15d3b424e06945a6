"""One-sided selection: one condensing pass, then the removal of Tomek links."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..._param_validation import NEIGHBORS_CONSTRAINTS, Interval
from ..._typing import ArrayLike, Backend, Matrix, NeighborSpec, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import Resampled, SamplerTags
from ...neighbors import neighbor_index, search
from .._features import numeric_features
from ._cleaning import CLEANING_STRATEGY, CleaningSampler, check_neighbourhood, minority_code
from ._cnn import draw_seeds, predicts_class, rule_classifier, rule_size
from ._tomek import tomek_links

__all__ = ["OneSidedSelection"]


class OneSidedSelection(CleaningSampler):
    """Under-sample with one-sided selection (OSS).

    For each class named by ``sampling_strategy`` (other than the minority), ``n_seeds_S``
    random rows of the class and every minority row form a reference set; the class keeps its
    seeds and the rows that the ``n_neighbors`` nearest reference rows misclassify (one pass,
    unlike :class:`CondensedNearestNeighbour`). Then the rows left that belong to a named class
    and form a Tomek link (see :class:`TomekLinks`) are removed too. The minority class is the
    reference and is not condensed. The kept rows come out in input order, with their pandas
    index labels.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes to reduce: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draw of the seed rows.
    n_neighbors : int, estimator or None, default=None
        Neighbours of the k-NN rule; ``None`` means 1. An estimator (imbalanced-learn style,
        such as ``KNeighborsClassifier(n_neighbors=3)``) gives its ``n_neighbors``; the search
        itself runs on :mod:`imbalance.neighbors`, and ``estimators_`` holds clones of it.
    n_seeds_S : int, default=1
        Random rows of the class in the reference set (distinct rows).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the nearest-neighbour search (see :mod:`imbalance.neighbors`).
    n_jobs : int or None, default=None
        Threads of the neighbour search; the output does not depend on it.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after selection.
    sampling_strategy_ : dict of {class_label: int}
        The classes the strategy cleans, each mapped to the size of the smallest class
        (imbalanced-learn's value).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before selection.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of the kept rows, in input order.
    seeds_ : dict of {class_label: ndarray}
        Positions in X of the seed rows drawn for each reduced class.
    estimators_ : list of estimator
        imbalanced-learn's attribute: for each reduced class, a k-NN classifier (a clone of
        the ``n_neighbors`` estimator, or ``KNeighborsClassifier``) fitted on the rows that
        decided it: the minority rows and the class's reference rows.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    CondensedNearestNeighbour : Hart's rule, repeated as the reference set grows.
    TomekLinks : the second step on its own.

    References
    ----------
    .. [1] M. Kubat and S. Matwin, "Addressing the curse of imbalanced training sets:
       one-sided selection", Proceedings of the 14th International Conference on Machine
       Learning, 179-186, 1997.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import OneSidedSelection
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (200, 2)), rng.normal(2, 1, (20, 2))])
    >>> y = np.array([0] * 200 + [1] * 20)
    >>> oss = OneSidedSelection(random_state=0)
    >>> X_res, y_res = oss.fit_resample(X, y)
    >>> oss.target_counts_[1], oss.target_counts_[0] < 200
    (20, True)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": CLEANING_STRATEGY,
        "random_state": ["random_state"],
        "n_neighbors": [None, Interval("int", 1, None), "estimator"],
        "n_seeds_S": [Interval("int", 1, None)],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        n_neighbors: NeighborSpec | None = None,
        n_seeds_S: int = 1,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: ArrayLike, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        F = numeric_features(X, "OneSidedSelection")
        keep = self._select(F, target, cleaned, rng)
        kept = np.flatnonzero(keep)
        index = neighbor_index(
            F[kept],
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            n_queries=kept.size,
            random_state=int(rng.integers(2**31)),
        )
        links = kept[tomek_links(index, target.codes[kept]).ravel()]
        keep[links[np.isin(target.codes[links], cleaned)]] = False
        return Resampled(indices=np.flatnonzero(keep))

    def _select(
        self, F: Matrix, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Step 1: each reduced class keeps its seeds and the rows the seeds misclassify."""
        k = rule_size("OneSidedSelection", self.n_neighbors)
        minority = minority_code(target)
        reference = target.members(minority)
        keep = np.ones(len(target.codes), dtype=bool)
        self.seeds_ = {}
        self.estimators_: list[Any] = []
        labels = np.asarray(target.classes)[target.codes]
        for c in cleaned[cleaned != minority]:
            members = target.members(int(c))
            seeds = draw_seeds(rng, members, self.n_seeds_S)
            self.seeds_[target.classes[c]] = seeds
            check_neighbourhood(
                "OneSidedSelection",
                "n_neighbors",
                k,
                reference.size + seeds.size,
                f"the minority rows and the seeds of class {target.classes[c]!r}",
            )
            rest = np.setdiff1d(members, seeds, assume_unique=True)
            ref = np.concatenate([reference, seeds])
            self.estimators_.append(rule_classifier(self.n_neighbors, k, F, ref, labels))
            if rest.size == 0:
                continue
            nn = search(
                F[ref],
                None,
                k,
                queries=F[rest],
                backend=self.neighbors,
                n_jobs=self.n_jobs,
                random_state=int(rng.integers(2**31)),
            )[0]
            in_class = np.concatenate([np.zeros(reference.size, bool), np.ones(seeds.size, bool)])
            keep[rest[predicts_class(in_class[nn], bool(c < minority))]] = False
        return keep
