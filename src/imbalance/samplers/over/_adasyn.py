"""ADASYN: more synthetic rows where other classes crowd a row's neighbourhood."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..._param_validation import NEIGHBORS_CONSTRAINTS, SAMPLING_STRATEGY_CONSTRAINT, Interval
from ..._typing import ArrayLike, Backend, Matrix, NeighborSpec, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...neighbors import n_neighbors_of
from .._features import Features, check_neighbors_spec, neighbours_estimator
from ._smote_common import (
    Synthesis,
    apportion,
    check_class_size,
    grown_classes,
    other_class_counts,
    search,
)

__all__ = ["ADASYN"]


class ADASYN(BaseSampler):
    """Over-sample with ADASYN: each row gets synthetic rows in proportion to its difficulty.

    For each class that grows, the difficulty of a row is the share of its ``n_neighbors``
    nearest rows in X that belong to other classes. The rows to add are split among the class's
    rows in proportion to difficulty (largest remainders, so the total is exactly the count
    asked; imbalanced-learn rounds each share and may miss it by a few), and each synthetic row
    lies between its row and one of that row's ``n_neighbors`` nearest same-class rows, drawn
    uniformly, with a step uniform in [0, 1).

    If no row of a class has a neighbour of another class (the classes are separable there and
    every row is equally easy), the rows to add are split evenly, as SMOTE would;
    ``difficulty_`` shows it (imbalanced-learn raises an error).

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
    n_neighbors : int or estimator, default=5
        Neighbours that measure difficulty (in X) and supply partners (in the class). An object
        with ``kneighbors`` is fitted instead, imbalanced-learn style.
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
        For each synthetic row, the positions in X of its base row and of its neighbour.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the step from the base row towards the neighbour.
    difficulty_ : dict of {class_label: ndarray}
        For each class that grew, the share of other-class rows among each member's
        neighbours, in the order of the class's rows in X.
    neighbors_backend_ : str
        The neighbour backend that answered (``"exact"``, ``"approximate"``, ``"torch"`` or
        ``"estimator"``); ``"none"`` if no class grew.
    nn_ : estimator
        imbalanced-learn's name: the neighbours estimator ``n_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=n_neighbors + 1)``), not fitted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTE : every row equally.
    BorderlineSMOTE : only rows in danger.

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia and S. Li, "ADASYN: Adaptive synthetic sampling approach
       for imbalanced learning", IEEE International Joint Conference on Neural Networks,
       1322-1328, 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import ADASYN
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (180, 2)), rng.normal(1, 1, (20, 2))])
    >>> y = np.array([0] * 180 + [1] * 20)
    >>> sampler = ADASYN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.target_counts_
    {0: 180, 1: 180}
    >>> n_made = np.bincount(sampler.synthetic_parents_[:, 0], minlength=200)[180:]
    >>> bool(n_made[sampler.difficulty_[1] == 0].sum() == 0)
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "n_neighbors": [Interval("int", 1, None), "estimator"],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True)
    _sampling_kind = "over"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        n_neighbors: NeighborSpec = 5,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        check_neighbors_spec("ADASYN", "n_neighbors", self.n_neighbors)
        self.nn_ = neighbours_estimator(self.n_neighbors, self.n_jobs)
        features = Features.of(X, "ADASYN")
        F = features.rows()
        synthesis = Synthesis(features)
        self.difficulty_: dict[Any, np.ndarray] = {}
        self.neighbors_backend_ = "none"
        for code, cls, members, n_new in grown_classes(target, self.target_counts_):
            check_class_size("ADASYN", "n_neighbors", self.n_neighbors, cls, members.size)
            n_other, m, self.neighbors_backend_ = other_class_counts(
                F,
                target.codes,
                code,
                members,
                self.n_neighbors,
                owner="ADASYN",
                param="n_neighbors",
                backend=self.neighbors,
                n_jobs=self.n_jobs,
                rng=rng,
            )
            self.difficulty_[cls] = n_other / m
            weights = n_other if n_other.any() else np.ones_like(n_other)
            per_row = apportion(n_new, weights.astype(np.float64))
            self._grow(F, members, per_row, rng, synthesis)
        out, self.synthetic_steps_ = synthesis.result(len(target.codes))
        return out

    def _grow(
        self,
        F: Matrix,
        members: np.ndarray,
        per_row: np.ndarray,
        rng: np.random.Generator,
        synthesis: Synthesis,
    ) -> None:
        used = np.flatnonzero(per_row)
        nn, _ = search(
            F[members],
            self.n_neighbors,
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            rng=rng,
            rows=used,
        )
        rows = np.repeat(np.arange(used.size), per_row[used])
        cols = rng.integers(0, n_neighbors_of(self.n_neighbors), size=rows.size)
        base, nb = members[used[rows]], members[nn[rows, cols]]
        steps = rng.random(rows.size)
        synthesis.add(base, nb, steps, F)
