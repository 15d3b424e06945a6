"""Borderline-SMOTE: synthetic rows only from the rows that other classes crowd (in danger)."""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np

from ..._param_validation import (
    NEIGHBORS_CONSTRAINTS,
    SAMPLING_STRATEGY_CONSTRAINT,
    Interval,
    Options,
)
from ..._typing import ArrayLike, Backend, Matrix, NeighborSpec, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from .._features import Features, check_neighbors_spec, neighbours_estimator
from ._smote_common import (
    Synthesis,
    check_class_size,
    draw_pairs,
    grown_classes,
    other_class_counts,
    search,
)

__all__ = ["BorderlineSMOTE", "in_danger"]


def in_danger(n_other: np.ndarray, m: int) -> np.ndarray:
    """Rows with at least half, but not all, of their ``m`` neighbours from other classes."""
    return (n_other >= m / 2) & (n_other < m)


class BorderlineSMOTE(BaseSampler):
    """Over-sample with Borderline-SMOTE: SMOTE started only from rows in danger.

    A row of a class that grows is *in danger* when at least half, but not all, of its
    ``m_neighbors`` nearest rows in X belong to other classes (all of them: it is noise and
    is skipped). Synthetic rows are drawn from the rows in danger only:

    - ``kind="borderline-1"``: towards one of their ``k_neighbors`` nearest same-class rows,
      with a step uniform in [0, 1);
    - ``kind="borderline-2"``: a share ``f ~ Beta(10, 10)`` of them as in borderline-1, the rest
      towards one of their ``k_neighbors`` nearest rows of the *other* classes, with a step
      uniform in [0, 0.5), so they stay on their own side.

    If a class has no row in danger (its border is empty: the classes are separable there),
    a ``UserWarning`` says so, its new rows are made from all its rows as SMOTE does, and
    ``danger_indices_`` reports an empty array for it (imbalanced-learn silently returns the
    data unchanged, missing the counts asked).
    Output order, DataFrame handling and provenance are SMOTE's.

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
        Neighbours among which partners are drawn. An object with ``kneighbors`` is fitted
        instead, imbalanced-learn style (its ``n_neighbors`` counts the row itself).
    m_neighbors : int or estimator, default=10
        Neighbours, in all of X, that decide whether a row is in danger.
    kind : {"borderline-1", "borderline-2"}, default="borderline-1"
        Whether partners come from the row's class only, or also from the other classes.
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
        For each synthetic row, the positions in X of its base row (in danger) and of its
        partner (of another class for the second batch of borderline-2).
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the step from the base row towards the partner.
    danger_indices_ : dict of {class_label: ndarray}
        Positions in X of the rows in danger of each class that grew (empty when there was
        none and SMOTE from every row of the class stood in). ``in_danger_indices`` is the
        same dict under imbalanced-learn's name.
    neighbors_backend_ : str
        The neighbour backend that answered (``"exact"``, ``"approximate"``, ``"torch"`` or
        ``"estimator"``); ``"none"`` if no class grew.
    nn_k_ : estimator
        imbalanced-learn's name: the neighbours estimator ``k_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=k_neighbors + 1)``), not fitted.
    nn_m_ : estimator
        The same for ``m_neighbors``.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTE : from every row of the class.
    SVMSMOTE : from the support vectors of an SVM instead.

    References
    ----------
    .. [1] H. Han, W.-Y. Wang and B.-H. Mao, "Borderline-SMOTE: A New Over-Sampling Method in
       Imbalanced Data Sets Learning", Advances in Intelligent Computing (ICIC), LNCS 3644,
       878-887, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import BorderlineSMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (180, 2)), rng.normal(1, 1, (20, 2))])
    >>> y = np.array([0] * 180 + [1] * 20)
    >>> sampler = BorderlineSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.target_counts_
    {0: 180, 1: 180}
    >>> bool(np.isin(sampler.synthetic_parents_[:, 0], sampler.danger_indices_[1]).all())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
        "m_neighbors": [Interval("int", 1, None), "estimator"],
        "kind": [Options({"borderline-1", "borderline-2"})],
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
        m_neighbors: NeighborSpec = 10,
        kind: str = "borderline-1",
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        check_neighbors_spec("BorderlineSMOTE", "k_neighbors", self.k_neighbors)
        check_neighbors_spec("BorderlineSMOTE", "m_neighbors", self.m_neighbors)
        self.nn_k_ = neighbours_estimator(self.k_neighbors, self.n_jobs)
        self.nn_m_ = neighbours_estimator(self.m_neighbors, self.n_jobs)
        features = Features.of(X, "BorderlineSMOTE")
        F = features.rows()
        synthesis = Synthesis(features)
        self.danger_indices_: dict[Any, np.ndarray] = {}
        self.neighbors_backend_ = "none"
        for code, cls, members, n_new in grown_classes(target, self.target_counts_):
            check_class_size("BorderlineSMOTE", "k_neighbors", self.k_neighbors, cls, members.size)
            danger = self._danger(F, target.codes, code, members, rng)
            self.danger_indices_[cls] = members[danger]
            if not danger.size:
                warnings.warn(
                    f"BorderlineSMOTE found no row of class {cls!r} in danger (none of its "
                    f"{members.size} rows has between half and all of its m_neighbors="
                    f"{self.m_neighbors} nearest rows in other classes), so its {n_new} new rows "
                    "are made from all its rows as SMOTE does. The classes look separable "
                    "there: use SMOTE directly to say so, or raise m_neighbors to look further.",
                    UserWarning,
                    stacklevel=3,
                )
            bases = danger if danger.size else np.arange(members.size)
            self._from_danger(F, target.codes != code, members, bases, n_new, rng, synthesis)
        out, self.synthetic_steps_ = synthesis.result(len(target.codes))
        return out

    @property
    def in_danger_indices(self) -> dict[Any, np.ndarray]:
        """imbalanced-learn's name of :attr:`danger_indices_`."""
        return self.danger_indices_

    def _danger(
        self,
        F: Matrix,
        codes: np.ndarray,
        code: int,
        members: np.ndarray,
        rng: np.random.Generator,
    ) -> np.ndarray:
        n_other, m, self.neighbors_backend_ = other_class_counts(
            F,
            codes,
            code,
            members,
            self.m_neighbors,
            owner="BorderlineSMOTE",
            param="m_neighbors",
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            rng=rng,
        )
        return np.flatnonzero(in_danger(n_other, m))

    def _from_danger(
        self,
        F: Matrix,
        is_other: np.ndarray,
        members: np.ndarray,
        danger: np.ndarray,
        n_new: int,
        rng: np.random.Generator,
        synthesis: Synthesis,
    ) -> None:
        nn, _ = search(
            F[members],
            self.k_neighbors,
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            rng=rng,
            rows=danger,
        )
        n_own = n_new
        if self.kind == "borderline-2":
            n_own = min(int(rng.beta(10, 10) * (n_new + 1)), n_new)
        rows, nbs = draw_pairs(nn, n_own, rng)
        base, nb = members[danger[rows]], members[nbs]
        steps = rng.random(n_own)
        synthesis.add(base, nb, steps, F)
        if n_own == n_new:
            return
        others = np.flatnonzero(is_other)
        nn_other, _ = search(
            F[others],
            self.k_neighbors,
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            rng=rng,
            queries=F[members[danger]],
        )
        rows, nbs = draw_pairs(nn_other, n_new - n_own, rng)
        base, nb = members[danger[rows]], others[nbs]
        steps = 0.5 * rng.random(n_new - n_own)
        synthesis.add(base, nb, steps, F)
