"""SMOTE: synthetic rows on the segments between a row and its nearest same-class neighbours."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..._param_validation import NEIGHBORS_CONSTRAINTS, SAMPLING_STRATEGY_CONSTRAINT, Interval
from ..._typing import ArrayLike, Backend, NeighborSpec, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from .._features import Features, check_neighbors_spec, neighbours_estimator
from ._smote_common import (
    Synthesis,
    check_class_size,
    draw_pairs,
    grown_classes,
    search,
)

__all__ = ["SMOTE"]


class SMOTE(BaseSampler):
    """Over-sample with SMOTE: new rows between a row and one of its k nearest neighbours.

    For each class that grows, every synthetic row is made from a (row, neighbour) pair drawn
    uniformly among the class's rows and their ``k_neighbors`` nearest same-class neighbours:
    ``base + step * (neighbour - base)`` with ``step`` uniform in [0, 1). Neighbours come from
    :mod:`imbalance.neighbors` on the numeric columns.

    The original rows come first, in input order, then the synthetic rows class by class.
    In a DataFrame, integer columns are rounded (and stay within the column's range), datetime
    and timedelta columns are interpolated as times, and every other column (booleans,
    categories, strings) takes the nearer parent's value. pandas synthetic rows get index labels
    that cannot collide with X's (``max + 1`` onwards for an integer index).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not majority"``) name the classes grown to the majority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws: one generator serves every class of a call.
    k_neighbors : int or estimator, default=5
        Nearest same-class neighbours of each row among which partners are drawn. An object with
        ``kneighbors`` (such as scikit-learn's ``NearestNeighbors(n_neighbors=6)``) is fitted
        on each class instead, imbalanced-learn style: its ``n_neighbors`` counts the row itself.
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour search (see :mod:`imbalance.neighbors`); ``"exact"``,
        ``"torch"`` and ``"auto"`` give the same rows.
    n_jobs : int or None, default=None
        Threads of the neighbour search; the output does not depend on it.

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
        For each synthetic row, the positions in X of its base row and of its neighbour.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the step from the base row towards the neighbour.
    neighbors_backend_ : str
        The neighbour backend that answered (``"exact"``, ``"approximate"``, ``"torch"``, or
        ``"estimator"`` when ``k_neighbors`` is an object); ``"none"`` if no class grew.
    nn_k_ : estimator
        imbalanced-learn's name: the neighbours estimator ``k_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=k_neighbors + 1)``), not fitted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTENC : SMOTE for numeric and categorical columns together.
    BorderlineSMOTE : SMOTE from the rows near the class border only.
    ADASYN : more synthetic rows near the rows that other classes surround.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer, "SMOTE: Synthetic
       Minority Over-sampling Technique", Journal of Artificial Intelligence Research, 16,
       321-357, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import SMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> smote = SMOTE(random_state=0)
    >>> X_res, y_res = smote.fit_resample(X, y)
    >>> smote.target_counts_
    {0: 90, 1: 90}
    >>> smote.synthetic_parents_.shape
    (80, 2)
    >>> base, nb = X[smote.synthetic_parents_.T]
    >>> bool(np.allclose(X_res[100:], base + smote.synthetic_steps_[:, None] * (nb - base)))
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True)
    _sampling_kind = "over"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        k_neighbors: NeighborSpec = 5,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        check_neighbors_spec("SMOTE", "k_neighbors", self.k_neighbors)
        self.nn_k_ = neighbours_estimator(self.k_neighbors, self.n_jobs)
        features = Features.of(X, "SMOTE")
        synthesis = Synthesis(features)
        self.neighbors_backend_ = "none"
        for _, cls, members, n_new in grown_classes(target, self.target_counts_):
            check_class_size("SMOTE", "k_neighbors", self.k_neighbors, cls, members.size)
            F = features.rows(members)
            nn, self.neighbors_backend_ = search(
                F, self.k_neighbors, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
            )
            rows, nbs = draw_pairs(nn, n_new, rng)
            steps = rng.random(n_new)
            synthesis.add(members[rows], members[nbs], steps, F, rows, nbs)
        out, self.synthetic_steps_ = synthesis.result(len(target.codes))
        return out
