"""Repeated edited nearest neighbours: the ENN rule again and again until nothing changes."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..._param_validation import Interval
from ..._typing import ArrayLike, Backend, NeighborSpec, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import Resampled, SamplerTags
from ...neighbors import alive_neighbours
from ._cleaning import CleaningSampler
from ._enn_rule import ENN_CONSTRAINTS, enn_setup, repeat_rule

__all__ = ["RepeatedEditedNearestNeighbours"]


class RepeatedEditedNearestNeighbours(CleaningSampler):
    """Under-sample by applying EditedNearestNeighbours again and again.

    Each round removes, from the rows left by the previous round, those that their
    ``n_neighbors`` nearest remaining rows disagree with (see
    :class:`EditedNearestNeighbours`; ``"auto"`` and the other names are resolved again on the
    rows left). It stops after ``max_iter`` rounds, or after a round that removed nothing,
    emptied a class, or left a class other than the minority with fewer rows than the minority
    had at the start. The kept rows come out in input order, with their pandas index labels.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes whose rows may be removed: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood, or an object with ``kneighbors`` whose ``n_neighbors``
        counts the row itself (imbalanced-learn style; refitted on the rows left each round).
    max_iter : int, default=100
        Largest number of rounds.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"`` removes a row when any neighbour has another class; ``"mode"`` when its class
        is not the most frequent among the neighbours.
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
    n_iter_ : int
        Number of rounds run.
    neighbors_backend_ : str
        The neighbour backend that answered.
    nn_ : estimator
        imbalanced-learn's name: the neighbours estimator ``n_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=n_neighbors + 1)``), not fitted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    EditedNearestNeighbours : one round.
    AllKNN : rounds with a growing neighbourhood.

    References
    ----------
    .. [1] I. Tomek, "An Experiment with the Edited Nearest-Neighbor Rule", IEEE Transactions
       on Systems, Man, and Cybernetics, 6(6), 448-452, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import RepeatedEditedNearestNeighbours
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (80, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> renn = RepeatedEditedNearestNeighbours()
    >>> X_res, y_res = renn.fit_resample(X, y)
    >>> renn.target_counts_[1], renn.target_counts_[0] < 80, renn.n_iter_ >= 1
    (20, True, True)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **ENN_CONSTRAINTS,
        "max_iter": [Interval("int", 1, None)],
    }
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        n_neighbors: NeighborSpec = 3,
        max_iter: int = 100,
        kind_sel: str = "all",
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: ArrayLike, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        owner = type(self).__name__
        F, k, self.nn_ = enn_setup(owner, self.n_neighbors, self.n_jobs, X)
        lists = alive_neighbours(
            F, self.n_neighbors, k, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
        )
        self.neighbors_backend_ = lists.backend_
        self.n_iter_ = repeat_rule(
            owner,
            self.sampling_strategy,
            target,
            lists,
            [k] * self.max_iter,
            self.kind_sel,
            stop_if_unchanged=True,
            stop_if_overtaken=True,
        )
        return Resampled(indices=np.flatnonzero(lists.alive))
