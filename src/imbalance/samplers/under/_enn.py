"""Edited nearest neighbours: remove the rows that their nearest neighbours disagree with.

The rule is :func:`~._enn_rule.edited_out`; with ``kind_sel="all"`` and a count of neighbours
it is certified without searching every row (:mod:`._enn_certified`). Its repeated forms are
:class:`~._renn.RepeatedEditedNearestNeighbours` and :class:`~._allknn.AllKNN`.
"""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np

from ..._typing import ArrayLike, Backend, NeighborSpec, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import Resampled, SamplerTags
from ...neighbors import alive_neighbours
from ._cleaning import CleaningSampler
from ._enn_certified import edited_out_certified
from ._enn_rule import ENN_CONSTRAINTS, alive_rows_of, edited_out, enn_setup

__all__ = ["EditedNearestNeighbours"]


class EditedNearestNeighbours(CleaningSampler):
    """Under-sample by removing the rows that their nearest neighbours disagree with.

    Each row of a class named by ``sampling_strategy`` is compared with its ``n_neighbors``
    nearest rows (Euclidean distance on the numeric columns, the row itself excluded). With
    ``kind_sel="all"`` it is removed unless every neighbour has its class; with ``"mode"``
    unless its class is the most frequent among them. The kept rows come out in input order,
    and pandas rows keep their index labels.

    With ``kind_sel="all"``, most rows are settled without a search over every row: a row is
    surely kept when ``n_neighbors`` rows of its class, found in a block of nearby rows, are
    strictly nearer than the nearest row of another class; only the other rows are searched
    over all rows, and the rows kept are the same. With ``neighbors="approximate"`` the nearest
    row of another class comes from an approximate index, so a few rows may stay that the
    exact rule removes.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes whose rows may be removed: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels. A float,
        a dict or a callable is refused: a cleaning sampler reaches no counts.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood. An object with ``kneighbors`` (such as scikit-learn's
        ``NearestNeighbors(n_neighbors=4)``) is used instead of the engine, imbalanced-learn
        style: its ``n_neighbors`` counts the row itself.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"`` removes a row when any neighbour has another class; ``"mode"`` when its class
        is not the most frequent among the neighbours (ties go to the smallest label).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the nearest-neighbour search (see :mod:`imbalance.neighbors`).
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
    neighbors_backend_ : str
        The neighbour backend that answered (``"estimator"`` for an object ``n_neighbors``).
    nn_ : estimator
        imbalanced-learn's name: the neighbours estimator ``n_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=n_neighbors + 1)``), not fitted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    RepeatedEditedNearestNeighbours : the same rule until nothing changes.
    AllKNN : the same rule with 1, 2, ... n_neighbors neighbours.
    NeighbourhoodCleaningRule : this rule plus the neighbours of misclassified minority rows.

    References
    ----------
    .. [1] D. L. Wilson, "Asymptotic Properties of Nearest Neighbor Rules Using Edited Data",
       IEEE Transactions on Systems, Man, and Cybernetics, 2(3), 408-421, 1972.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import EditedNearestNeighbours
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [10.0], [11.0], [12.0], [2.5]])
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> enn = EditedNearestNeighbours(n_neighbors=2, sampling_strategy="all")
    >>> X_res, y_res = enn.fit_resample(X, y)
    >>> enn.sample_indices_
    array([0, 1, 4, 5, 6])
    >>> enn.target_counts_
    {0: 2, 1: 3}
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = dict(ENN_CONSTRAINTS)
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        n_neighbors: NeighborSpec = 3,
        kind_sel: str = "all",
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: ArrayLike, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        owner = type(self).__name__
        F, k, self.nn_ = enn_setup(owner, self.n_neighbors, self.n_jobs, X)
        if self.kind_sel == "all" and isinstance(self.n_neighbors, numbers.Integral):
            out, self.neighbors_backend_ = edited_out_certified(
                F, target.codes, cleaned, k, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
            )
            keep = np.ones(F.shape[0], dtype=bool)
            keep[out] = False
            return Resampled(indices=np.flatnonzero(keep))
        lists = alive_neighbours(
            F, self.n_neighbors, k, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
        )
        self.neighbors_backend_ = lists.backend_
        rows = alive_rows_of(lists, target.codes, cleaned)
        lists.remove(edited_out(lists, target.codes, rows, k, self.kind_sel, len(target.classes)))
        return Resampled(indices=np.flatnonzero(lists.alive))
