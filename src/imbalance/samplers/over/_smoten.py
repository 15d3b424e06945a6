"""SMOTE-N: synthetic rows for categorical-only data, by votes among VDM neighbours."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.preprocessing import OrdinalEncoder

from ... import _containers
from ..._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval
from ..._typing import ArrayLike, NeighborSpec, RandomState, SamplingStrategy, Transformer
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...exceptions import InvalidParameterError
from ...neighbors import table_voters
from .._features import check_neighbors_spec, neighbours_estimator
from ._categorical import (
    column_codes,
    object_columns,
    vdm_tables,
    vote,
)
from ._smote_common import (
    check_class_size,
    grown_classes,
)

__all__ = ["SMOTEN"]


class SMOTEN(BaseSampler):
    """Over-sample categorical data with SMOTE-N: each new row is its neighbourhood's vote.

    Every column is treated as categorical (whatever its dtype). Rows are compared with the
    value difference metric (VDM): for each column, two categories differ by the L1 distance
    between their class distributions over X, and a row's distance to another is the sum of
    the squares of those differences. For each synthetic row, a base row of the class is drawn
    uniformly; each column then takes the most common category among the base row and its
    ``k_neighbors`` nearest same-class rows, copied with its dtype, so nothing is ever averaged.
    Ties go to the smallest code of ``categorical_encoder_`` (the first category in sorted
    order with the default encoder), as in imbalanced-learn, so a vote is deterministic.

    The VDM is not Euclidean, so the search is an exact blocked one of its own rather than a
    :mod:`imbalance.neighbors` backend; ties between rows go to the smaller position.

    Parameters
    ----------
    categorical_encoder : estimator or None, default=None
        Encoder giving each value of X an integer code from 0 (positional, as in
        imbalanced-learn); ``None`` is ``OrdinalEncoder(dtype=np.int32)``, which falls back to
        coding values by first appearance when they cannot be sorted (mixed types, missing
        values). The synthetic rows copy the original values, never decoded ones.
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not majority"``) name the classes grown to the majority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws of base rows: one generator serves every class of a call.
    k_neighbors : int or estimator, default=5
        Same-class neighbours that vote with the base row. An object with ``kneighbors`` is
        fitted instead, imbalanced-learn style: with ``metric="precomputed"`` (when it has a
        ``metric`` parameter) on the VDM distances within the class; its ``n_neighbors`` rows,
        the row itself included, vote.

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
    synthetic_parents_ : ndarray of shape (n_synthetic, k_neighbors + 1)
        For each synthetic row, the positions in X of its base row and of its neighbours, the
        rows that voted (with an estimator: its ``n_neighbors`` rows, as it returned them).
    categorical_encoder_ : estimator
        The fitted encoder that coded X.
    nn_k_ : estimator
        imbalanced-learn's name: the neighbours estimator ``k_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=k_neighbors + 1)``), not fitted.
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
        "categorical_encoder": ["estimator", None],
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True)
    _sampling_kind = "over"

    # imbalanced-learn takes it positionally
    _positional_params: ClassVar[tuple[str, ...]] = ("categorical_encoder",)

    def __init__(
        self,
        categorical_encoder: Transformer | None = None,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        k_neighbors: NeighborSpec = 5,
    ) -> None:
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        check_neighbors_spec("SMOTEN", "k_neighbors", self.k_neighbors)
        self.nn_k_ = neighbours_estimator(self.k_neighbors)
        codes = self._encode(X)
        tables = vdm_tables(codes, target.codes, len(target.classes))
        parents: list[np.ndarray] = []
        for _, cls, members, n_new in grown_classes(target, self.target_counts_):
            check_class_size("SMOTEN", "k_neighbors", self.k_neighbors, cls, members.size)
            voters = self._voters(codes[members], tables)
            base = rng.integers(0, members.size, size=n_new)
            parents.append(members[voters[base]])
        voters = np.concatenate(parents) if parents else np.empty((0, 1), dtype=np.intp)
        sources = {}
        for j in range(codes.shape[1]):
            pick = vote(codes[:, j], voters)
            sources[j] = voters[np.arange(len(voters)), pick]
        return Resampled(
            indices=np.arange(len(target.codes)),
            parents=voters,
            values=np.empty((len(voters), 0)),
            columns=[],
            sources=sources if len(voters) else {},
        )

    def _encode(self, X: ArrayLike) -> np.ndarray:
        """Integer codes of every column, from ``categorical_encoder`` (fitted as ``_``)."""
        raw = object_columns(X, list(range(_containers.shape_2d(X)[1])))
        if self.categorical_encoder is not None:
            self.categorical_encoder_ = clone(self.categorical_encoder)
            encoded = np.asarray(self.categorical_encoder_.fit_transform(raw), dtype=np.float64)
            if not (np.isfinite(encoded).all() and (encoded >= 0).all()):
                raise InvalidParameterError(
                    "categorical_encoder of SMOTEN must code every value of X as an integer "
                    "from 0 (as OrdinalEncoder does); "
                    f"{type(self.categorical_encoder).__name__} gave missing or negative codes."
                )
            return _dense_codes(encoded.astype(np.intp))
        self.categorical_encoder_ = OrdinalEncoder(dtype=np.int32)
        try:
            encoded = self.categorical_encoder_.fit_transform(raw)
        except (TypeError, ValueError):
            # Mixed types or missing values: code by first appearance instead.
            encoded = self.categorical_encoder_.fit_transform(
                column_codes(X, list(range(raw.shape[1])))
            )
        return np.asarray(encoded, dtype=np.intp)

    def _voters(self, codes: np.ndarray, tables: list[np.ndarray]) -> np.ndarray:
        """For each row of a class (local positions), the rows that vote: itself and neighbours."""
        return table_voters(codes, tables, self.k_neighbors)


def _dense_codes(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0..n-1 per column, keeping their order."""
    out = np.empty_like(codes)
    for j in range(codes.shape[1]):
        out[:, j] = np.unique(codes[:, j], return_inverse=True)[1].ravel()
    return out
