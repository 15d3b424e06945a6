"""SVM-SMOTE: synthetic rows around the support vectors of an SVM."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.svm import SVC

from ..._param_validation import NEIGHBORS_CONSTRAINTS, SAMPLING_STRATEGY_CONSTRAINT, Interval
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
from .._features import Features, check_neighbors_spec, neighbours_estimator
from ._borderline import in_danger
from ._smote_common import (
    Synthesis,
    check_class_size,
    draw_pairs,
    grown_classes,
    other_class_counts,
    search,
)

__all__ = ["SVMSMOTE"]


class SVMSMOTE(BaseSampler):
    """Over-sample with SVM-SMOTE: synthetic rows grown from an SVM's support vectors.

    An SVM (``svm_estimator``) is fitted on X once per call. For each class that grows, its
    support vectors are split by their ``m_neighbors`` nearest rows in X: those surrounded by
    other classes only are noise and are dropped; those with at least half of their neighbours
    in other classes are *in danger*; the others are *safe*. A share ``f ~ Beta(10, 10)`` of the
    new rows interpolates from support vectors in danger towards one of their ``k_neighbors``
    nearest same-class rows (step uniform in [0, 1)); the rest extrapolates from safe support
    vectors away from such a neighbour (step uniform in (-out_step, 0]), widening the class
    region. When one of the two groups is empty, the other makes every row, so the counts are
    always those asked (imbalanced-learn then makes fewer).

    Output order, DataFrame handling and provenance are SMOTE's; integer columns stay within
    their observed range even when extrapolated.

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
        Same-class neighbours among which partners are drawn (an object with ``kneighbors`` is
        fitted instead, imbalanced-learn style).
    m_neighbors : int or estimator, default=10
        Neighbours, in all of X, that classify support vectors as noise, in danger or safe.
    svm_estimator : estimator or None, default=None
        A classifier with ``support_`` after fitting; ``None`` means
        ``sklearn.svm.SVC(gamma="scale")``. It is cloned, never modified.
    out_step : float, default=0.5
        Largest step of an extrapolation away from a neighbour.
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
        For each synthetic row, the positions in X of its support vector and of its neighbour.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the step towards the neighbour (negative: away from it).
    svm_estimator_ : estimator
        The fitted SVM.
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
    BorderlineSMOTE : rows in danger found by neighbours alone.
    SMOTE : from every row of the class.

    References
    ----------
    .. [1] H. M. Nguyen, E. W. Cooper and K. Kamei, "Borderline over-sampling for imbalanced
       data classification", International Journal of Knowledge Engineering and Soft Data
       Paradigms, 3(1), 4-21, 2011.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import SVMSMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (180, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 180 + [1] * 20)
    >>> sampler = SVMSMOTE(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.target_counts_
    {0: 180, 1: 180}
    >>> support = sampler.svm_estimator_.support_
    >>> bool(np.isin(sampler.synthetic_parents_[:, 0], support).all())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
        "m_neighbors": [Interval("int", 1, None), "estimator"],
        "svm_estimator": ["estimator", None],
        "out_step": [Interval("real", 0, None)],
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
        svm_estimator: Estimator | None = None,
        out_step: float = 0.5,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        check_neighbors_spec("SVMSMOTE", "k_neighbors", self.k_neighbors)
        check_neighbors_spec("SVMSMOTE", "m_neighbors", self.m_neighbors)
        self.nn_k_ = neighbours_estimator(self.k_neighbors, self.n_jobs)
        self.nn_m_ = neighbours_estimator(self.m_neighbors, self.n_jobs)
        features = Features.of(X, "SVMSMOTE")
        F = features.rows()
        synthesis = Synthesis(features)
        self.neighbors_backend_ = "none"
        svm = SVC(gamma="scale") if self.svm_estimator is None else clone(self.svm_estimator)
        self.svm_estimator_ = svm.fit(F, target.codes)
        if not hasattr(self.svm_estimator_, "support_"):
            raise ResamplingError(
                f"svm_estimator of SVMSMOTE must expose the fitted attribute support_ (the "
                f"positions of its support vectors), as sklearn.svm.SVC does; "
                f"{type(svm).__name__} has none. Pass an SVC or another support vector machine."
            )
        support = np.asarray(self.svm_estimator_.support_, dtype=np.intp)
        for code, cls, members, n_new in grown_classes(target, self.target_counts_):
            check_class_size("SVMSMOTE", "k_neighbors", self.k_neighbors, cls, members.size)
            vectors = support[target.codes[support] == code]
            danger, safe = self._split(F, target.codes, code, cls, vectors, rng)
            self._grow(F, members, danger, safe, n_new, rng, synthesis)
        out, self.synthetic_steps_ = synthesis.result(len(target.codes))
        return out

    def _split(
        self,
        F: Matrix,
        codes: np.ndarray,
        code: int,
        cls: Label,
        vectors: np.ndarray,
        rng: np.random.Generator,
    ) -> tuple[np.ndarray, np.ndarray]:
        if vectors.size == 0:
            raise InvalidDataError(
                f"SVMSMOTE: the SVM has no support vector in class {cls!r}, so there is nothing "
                "to grow from. Use another svm_estimator (e.g. SVC(C=10)) or SMOTE."
            )
        n_other, m, self.neighbors_backend_ = other_class_counts(
            F,
            codes,
            code,
            vectors,
            self.m_neighbors,
            owner="SVMSMOTE",
            param="m_neighbors",
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            rng=rng,
        )
        kept = n_other < m
        if not kept.any():
            raise InvalidDataError(
                f"SVMSMOTE: all {vectors.size} support vectors of class {cls!r} are noise (their "
                f"m_neighbors={m} nearest rows are all of other classes). Use SMOTE, or raise "
                "m_neighbors."
            )
        danger = in_danger(n_other, m)
        return vectors[danger], vectors[kept & ~danger]

    def _grow(
        self,
        F: Matrix,
        members: np.ndarray,
        danger: np.ndarray,
        safe: np.ndarray,
        n_new: int,
        rng: np.random.Generator,
        synthesis: Synthesis,
    ) -> None:
        n_danger = min(int(rng.beta(10, 10) * (n_new + 1)), n_new)
        if danger.size == 0:
            n_danger = 0
        elif safe.size == 0:
            n_danger = n_new
        local = np.searchsorted(members, np.concatenate([danger, safe]))
        nn, _ = search(
            F[members],
            self.k_neighbors,
            backend=self.neighbors,
            n_jobs=self.n_jobs,
            rng=rng,
            rows=local,
        )
        groups = (
            (slice(0, danger.size), n_danger, 1.0),
            (slice(danger.size, None), n_new - n_danger, -self.out_step),
        )
        for group, n, scale in groups:
            if n == 0:
                continue
            rows, nbs = draw_pairs(nn[group], n, rng)
            base, nb = local[group][rows], nbs
            steps = scale * rng.random(n)
            synthesis.add(members[base], members[nb], steps, F)
