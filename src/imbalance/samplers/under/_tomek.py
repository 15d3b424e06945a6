"""Tomek links: pairs of rows of different classes that are each other's nearest neighbour."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..._param_validation import NEIGHBORS_CONSTRAINTS
from ..._typing import ArrayLike, Backend, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import Resampled, SamplerTags
from ...neighbors import Neighbours, neighbor_index
from .._features import numeric_features
from ._cleaning import CLEANING_STRATEGY, CleaningSampler

__all__ = ["TomekLinks", "tomek_links"]


class TomekLinks(CleaningSampler):
    """Under-sample by removing the rows of Tomek links.

    Two rows of different classes form a Tomek link when each is the other's nearest neighbour
    (Euclidean distance on the numeric columns, ties to the smaller position). The rows of a
    link that belong to a class named by ``sampling_strategy`` are removed; by default only
    the majority side of each link goes. The kept rows come out in input order, and pandas
    rows keep their index labels.

    The search is the fast one: every link has an end outside the largest class, so only the
    nearest neighbours of those rows are searched, then those of the rows they point to in
    another class. On imbalanced data that is about twice the minority's size in queries
    instead of every row, and the exact backend still gives exactly the links of the full
    search.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes whose rows may be removed: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels. A cleaning
        sampler reaches no counts, so a float, a dict or a callable is refused.
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the nearest-neighbour search (see :mod:`imbalance.neighbors`); ``"exact"``,
        ``"torch"`` and ``"auto"`` give the same rows, ``"approximate"`` (inverted lists) is much
        faster on large data and may miss a few links.
    n_jobs : int or None, default=None
        Threads of the neighbour search; the output does not depend on it.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after cleaning.
    sampling_strategy_ : dict of {class_label: int}
        The classes the strategy cleans, each mapped to the size of the smallest class
        (imbalanced-learn's value).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before cleaning.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of the kept rows, in input order.
    links_ : ndarray of shape (n_links, 2)
        Positions in X of the two rows of every Tomek link (removed or not), sorted.
    neighbors_backend_ : str
        The neighbour backend that answered.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : remove rows that their neighbours outvote.
    OneSidedSelection : condensing followed by Tomek links.
    SMOTETomek : SMOTE followed by Tomek links.

    References
    ----------
    .. [1] I. Tomek, "Two modifications of CNN", IEEE Transactions on Systems, Man, and
       Cybernetics, 6(11), 769-772, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import TomekLinks
    >>> X = np.array([[0.0], [1.0], [1.1], [3.0], [5.0], [5.5]])
    >>> y = np.array([0, 0, 1, 0, 0, 0])
    >>> tl = TomekLinks()
    >>> X_res, y_res = tl.fit_resample(X, y)
    >>> tl.links_
    array([[1, 2]])
    >>> tl.sample_indices_
    array([0, 2, 3, 4, 5])
    >>> tl.target_counts_
    {0: 4, 1: 1}
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": CLEANING_STRATEGY,
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: ArrayLike, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        F = numeric_features(X, "TomekLinks")
        index = neighbor_index(
            F,
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            n_queries=F.shape[0],
            random_state=int(rng.integers(2**31)),
        )
        self.links_ = tomek_links(index, target.codes)
        self.neighbors_backend_ = index.backend_
        removed = self.links_.ravel()
        removed = removed[np.isin(target.codes[removed], cleaned)]
        keep = np.ones(len(target.codes), dtype=bool)
        keep[removed] = False
        return Resampled(indices=np.flatnonzero(keep))


def tomek_links(index: Neighbours, codes: np.ndarray) -> np.ndarray:
    """Every Tomek link among the rows indexed by ``index`` (class codes ``codes``).

    Returns an array of shape ``(n_links, 2)`` of row positions, each pair sorted and the pairs
    in increasing order. Only the rows outside the largest class, and then the rows of another
    class they point to, are searched.
    """
    n = len(codes)
    if n < 2:
        return np.empty((0, 2), dtype=np.intp)
    largest = int(np.argmax(np.bincount(codes)))
    nearest = np.full(n, -1, dtype=np.intp)
    starts = np.flatnonzero(codes != largest)
    if starts.size:
        nearest[starts] = index.kneighbors(None, 1, rows=starts)[:, 0]
    across = starts[codes[nearest[starts]] != codes[starts]]
    targets = np.unique(nearest[across])
    unknown = targets[nearest[targets] < 0]
    if unknown.size:
        nearest[unknown] = index.kneighbors(None, 1, rows=unknown)[:, 0]
    mutual = across[nearest[nearest[across]] == across]
    pairs = np.sort(np.column_stack([mutual, nearest[mutual]]), axis=1)
    return np.unique(pairs, axis=0).reshape(-1, 2)
