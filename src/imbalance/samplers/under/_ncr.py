"""Neighbourhood cleaning rule: edited rows, plus the neighbours of misclassified minority rows."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone

from ..._param_validation import NEIGHBORS_CONSTRAINTS, Interval
from ..._typing import ArrayLike, Backend, Matrix, NeighborSpec, Sampler, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import Resampled, SamplerTags
from ...neighbors import n_neighbors_of, neighbor_index
from .._features import numeric_features
from ._cleaning import (
    CLEANING_STRATEGY,
    CleaningSampler,
    check_estimator_spec,
    check_neighbourhood,
    minority_code,
    vote,
)
from ._enn import EditedNearestNeighbours

__all__ = ["NeighbourhoodCleaningRule"]


class NeighbourhoodCleaningRule(CleaningSampler):
    """Under-sample with the neighbourhood cleaning rule (NCR).

    Two sets of rows are removed:

    1. the rows an :class:`EditedNearestNeighbours` removes (by default with ``kind_sel="mode"``,
       the same ``sampling_strategy`` and ``n_neighbors``);
    2. the ``n_neighbors`` nearest rows of each minority row that its neighbourhood
       misclassifies, when they belong to a class named by ``sampling_strategy`` that has more
       than ``threshold_cleaning`` times as many rows as the minority (``classes_to_clean_``).
       A minority row is misclassified when the most frequent class among itself and its
       ``n_neighbors - 1`` nearest rows is not its own (ties to the smallest label), as in
       imbalanced-learn.

    The kept rows come out in input order, and pandas rows keep their index labels.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes whose rows may be removed: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels.
    edited_nearest_neighbours : sampler or None, default=None
        The sampler of step 1 (any sampler exposing ``sample_indices_``); ``None`` is
        ``EditedNearestNeighbours(kind_sel="mode")`` with this sampler's other parameters.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood. For an object with ``kneighbors`` (imbalanced-learn style),
        its ``n_neighbors`` counts the row itself and it is handed to the default step 1.
    threshold_cleaning : float, default=0.5
        A class is cleaned in step 2 only if it has more than ``threshold_cleaning`` times as
        many rows as the minority class.
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
    classes_to_clean_ : list
        Classes whose rows step 2 may remove.
    edited_nearest_neighbours_ : sampler
        The fitted sampler of step 1.
    neighbors_backend_ : str
        The neighbour backend of step 2.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : step 1 on its own.
    OneSidedSelection : condensing followed by Tomek links.

    References
    ----------
    .. [1] J. Laurikkala, "Improving identification of difficult small classes by balancing
       class distribution", Conference on Artificial Intelligence in Medicine in Europe,
       63-66, 2001.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import NeighbourhoodCleaningRule
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (80, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> ncr = NeighbourhoodCleaningRule()
    >>> X_res, y_res = ncr.fit_resample(X, y)
    >>> ncr.classes_to_clean_
    [0]
    >>> ncr.target_counts_[1], ncr.target_counts_[0] < 80
    (20, True)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": CLEANING_STRATEGY,
        "edited_nearest_neighbours": [None, "sampler"],
        "n_neighbors": [Interval("int", 1, None), "estimator"],
        "threshold_cleaning": [Interval("real", 0, None)],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        edited_nearest_neighbours: Sampler | None = None,
        n_neighbors: NeighborSpec = 3,
        threshold_cleaning: float = 0.5,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: ArrayLike, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        owner = type(self).__name__
        check_estimator_spec(owner, "n_neighbors", self.n_neighbors)
        F = numeric_features(X, owner)
        k = n_neighbors_of(self.n_neighbors)
        check_neighbourhood(owner, "n_neighbors", k, F.shape[0] - 1, f"X has {F.shape[0]} rows")
        removed = np.ones(len(target.codes), dtype=bool)
        removed[self._edit(X, target)] = False
        minority = minority_code(target)
        n_min = int(target.counts[minority])
        to_clean = [c for c in cleaned if target.counts[c] > n_min * self.threshold_cleaning]
        self.classes_to_clean_ = [target.classes[c] for c in to_clean]
        removed[self._around_misclassified(F, target, minority, k, to_clean, rng)] = True
        return Resampled(indices=np.flatnonzero(~removed))

    def _edit(self, X: ArrayLike, target: EncodedTarget) -> np.ndarray:
        """Step 1: the rows the editing sampler keeps."""
        if self.edited_nearest_neighbours is None:
            enn: Any = EditedNearestNeighbours(
                sampling_strategy=self.sampling_strategy,
                n_neighbors=self.n_neighbors,
                kind_sel="mode",
                neighbors=self.neighbors,
                n_jobs=self.n_jobs,
            )
        else:
            enn = clone(self.edited_nearest_neighbours)
        enn.fit_resample(X, target.labels)
        self.edited_nearest_neighbours_ = enn
        return np.asarray(enn.sample_indices_)

    def _around_misclassified(
        self,
        F: Matrix,
        target: EncodedTarget,
        minority: int,
        k: int,
        to_clean: list[int],
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Step 2: neighbours, of a class to clean, of the misclassified minority rows."""
        codes = target.codes
        rows = target.members(minority)
        index = neighbor_index(
            F,
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            n_queries=rows.size,
            random_state=int(rng.integers(2**31)),
        )
        self.neighbors_backend_ = index.backend_
        nn = index.kneighbors(None, k, rows=rows)
        ballot = np.column_stack([codes[rows], codes[nn[:, : k - 1]]])
        wrong = vote(ballot, len(target.classes)) != minority
        around = np.unique(nn[wrong].ravel())
        return around[np.isin(codes[around], to_clean)]
