"""SMOTE followed by edited nearest neighbours, as a composition of two samplers."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone

from ..._param_validation import NEIGHBORS_CONSTRAINTS, SAMPLING_STRATEGY_CONSTRAINT
from ..._typing import ArrayLike, Backend, RandomState, Sampler, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ..under._enn import EditedNearestNeighbours
from ._compose import compose, over_sampler_of

__all__ = ["SMOTEENN"]


class SMOTEENN(BaseSampler):
    """Over-sample with SMOTE, then clean with edited nearest neighbours.

    ``fit_resample`` runs ``smote`` (any sampler that adds rows) and then ``enn`` (any sampler
    that removes rows) on its output: a composition of the two samplers, which stay available
    as ``smote_`` and ``enn_``. The output holds the rows of X that survived, in input order
    with their pandas index labels, then the synthetic rows that survived; ``sample_indices_``
    and ``synthetic_parents_`` trace every row back to X, so ``sample_weight`` follows the rows
    through both steps.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts of the default ``smote`` (ignored when ``smote`` is given). A float
        (two classes only) is the wanted ratio of minority to majority rows; ``"minority"``,
        ``"not minority"``, ``"not majority"``, ``"all"`` or ``"auto"`` (= ``"not majority"``)
        name the classes grown to the majority's size; a dict gives the final count of each
        class it names; a callable receives ``y`` and returns such a dict.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the default ``smote`` (a given ``smote`` keeps its own ``random_state``).
    smote : sampler or None, default=None
        The first step; ``None`` is ``SMOTE`` with this object's ``sampling_strategy``,
        ``neighbors`` and ``n_jobs``.
    enn : sampler or None, default=None
        The second step; ``None`` is ``EditedNearestNeighbours(sampling_strategy="all")`` with
        this object's ``neighbors`` and ``n_jobs``.
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Neighbour backend of the default steps (see :mod:`imbalance.neighbors`).
    n_jobs : int or None, default=None
        Threads of the default steps' neighbour searches.

    Attributes
    ----------
    smote_ : sampler
        The fitted first step.
    enn_ : sampler
        The fitted second step.
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after both steps.
    sampling_strategy_ : dict of {class_label: int}
        Rows the over-sampling step adds to each class the strategy targets (imbalanced-learn's
        meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_kept,)
        Positions in X of the original rows in the output, in output order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 2)
        For each synthetic row of the output, the positions in X of its parents.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTETomek : SMOTE followed by Tomek links.
    imbalance.pipeline.Pipeline : any chain of samplers and a model.

    References
    ----------
    .. [1] G. E. A. P. A. Batista, R. C. Prati and M. C. Monard, "A study of the behavior of
       several methods for balancing machine learning training data", ACM SIGKDD
       Explorations Newsletter, 6(1), 20-29, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import SMOTEENN
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (90, 2)), rng.normal(1.5, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> se = SMOTEENN(random_state=0)
    >>> X_res, y_res = se.fit_resample(X, y)
    >>> se.smote_.target_counts_
    {0: 90, 1: 90}
    >>> n_kept = se.sample_indices_.size
    >>> bool((X_res[:n_kept] == X[se.sample_indices_]).all())
    True
    >>> se.synthetic_parents_.shape[0] == len(y_res) - n_kept
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "smote": [None, "sampler"],
        "enn": [None, "sampler"],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(
        kind="combine", synthetic=True, reads_features=True, exact_counts=False
    )

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        smote: Sampler | None = None,
        enn: Sampler | None = None,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        """Over-sample with ``smote``, then clean the result with ``enn``."""
        self.smote_ = over_sampler_of(self, rng)
        self.enn_ = (
            EditedNearestNeighbours(
                sampling_strategy="all", neighbors=self.neighbors, n_jobs=self.n_jobs
            )
            if self.enn is None
            else clone(self.enn)
        )
        return compose(type(self).__name__, self.smote_, self.enn_, X, target.labels)
