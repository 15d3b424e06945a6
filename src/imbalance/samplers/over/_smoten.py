"""SMOTE-N: synthetic rows for categorical-only data, by votes among VDM neighbours."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ... import _containers
from ..._param_validation import Interval
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ._categorical import column_codes, vdm_kneighbors, vdm_tables, vote
from ._random import SAMPLING_STRATEGY_CONSTRAINT
from ._smote_common import check_class_size, grown_classes

__all__ = ["SMOTEN"]


class SMOTEN(BaseSampler):
    """Over-sample categorical data with SMOTE-N: each new row is its neighbourhood's vote.

    Every column is treated as categorical (whatever its dtype). Rows are compared with the
    value difference metric (VDM): for each column, two categories differ by the L1 distance
    between their class distributions over X, and a row's distance to another is the sum of
    the squares of those differences. For each synthetic row, a base row of the class is drawn
    uniformly; each column then takes the most common category among the base row and its
    ``k_neighbors`` nearest same-class rows (ties broken at random; imbalanced-learn takes the
    smallest category), copied with its dtype, so nothing is ever averaged.

    The VDM is not Euclidean, so the search is an exact blocked one of its own rather than a
    :mod:`imbalance.neighbors` backend; ties between rows go to the smaller position.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not majority"``) name the classes grown to the majority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws and of the tie-breaks: one generator serves every class of a call.
    k_neighbors : int, default=5
        Same-class neighbours that vote with the base row.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after resampling.
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples,)
        Positions in X of the non-synthetic output rows: every row, in input order.
    synthetic_parents_ : ndarray of shape (n_synthetic, k_neighbors + 1)
        For each synthetic row, the positions in X of its base row and of its neighbours, the
        rows that voted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTENC : numeric and categorical columns together.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer, "SMOTE: Synthetic
       Minority Over-sampling Technique", Journal of Artificial Intelligence Research, 16,
       321-357, 2002 (section 6.2).
    .. [2] C. Stanfill and D. Waltz, "Toward memory-based reasoning", Communications of the
       ACM, 29(12), 1213-1228, 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import SMOTEN
    >>> rng = np.random.default_rng(0)
    >>> X = rng.choice(np.array(["a", "b", "c"], dtype=object), size=(60, 2))
    >>> y = np.array([0] * 50 + [1] * 10)
    >>> sampler = SMOTEN(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.synthetic_parents_.shape
    (40, 6)
    >>> voters = X[sampler.synthetic_parents_]
    >>> bool((voters == X_res[60:, None, :]).any(axis=1).all())
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None)],
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True)
    _sampling_kind = "over"

    def __init__(
        self, *, sampling_strategy: Any = "auto", random_state: Any = None, k_neighbors: int = 5
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _fit_resample(self, X: Any, target: EncodedTarget, rng: np.random.Generator) -> Resampled:
        n_features = _containers.shape_2d(X)[1]
        codes = column_codes(X, list(range(n_features)))
        tables = vdm_tables(codes, target.codes, len(target.classes))
        parents: list[np.ndarray] = []
        for _, cls, members, n_new in grown_classes(target, self.target_counts_):
            k = check_class_size("SMOTEN", "k_neighbors", self.k_neighbors, cls, members.size)
            nn = vdm_kneighbors(codes[members], tables, k)
            base = rng.integers(0, members.size, size=n_new)
            parents.append(members[np.column_stack([base, nn[base]])])
        voters = (
            np.concatenate(parents)
            if parents
            else np.empty((0, int(self.k_neighbors) + 1), dtype=np.intp)
        )
        sources = {}
        for j in range(n_features):
            pick = vote(codes[:, j], voters, rng)
            sources[j] = voters[np.arange(len(voters)), pick]
        return Resampled(
            indices=np.arange(len(target.codes)),
            parents=voters,
            values=np.empty((len(voters), 0)),
            columns=[],
            sources=sources if len(voters) else {},
        )
