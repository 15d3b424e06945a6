"""SMOTE-NC: SMOTE for numeric and categorical columns together."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.preprocessing import OneHotEncoder

from ... import _containers
from ..._param_validation import NEIGHBORS_CONSTRAINTS, SAMPLING_STRATEGY_CONSTRAINT, Interval
from ..._typing import (
    ArrayLike,
    Backend,
    Matrix,
    NeighborSpec,
    RandomState,
    SamplingStrategy,
    Transformer,
)
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...exceptions import InvalidDataError, InvalidParameterError
from .._features import Features, check_neighbors_spec, neighbours_estimator
from ._categorical import column_codes, object_columns, resolve_categorical, vote
from ._smote_common import (
    Synthesis,
    check_class_size,
    draw_pairs,
    grown_classes,
    search,
)

__all__ = ["SMOTENC"]


class SMOTENC(BaseSampler):
    """Over-sample with SMOTE-NC: SMOTE on numeric columns, neighbours' vote on categories.

    Distances use the continuous columns plus, for each categorical column, a one-hot code
    scaled so that two different categories add the median (over continuous columns) of the
    class's standard deviations, squared, to the squared distance. A synthetic row interpolates
    the continuous columns between its base row and a partner drawn among the base row's
    ``k_neighbors`` nearest same-class rows, as SMOTE does, and takes each categorical column
    from the most common category among those neighbours (ties broken at random), copied with
    its dtype.

    Categorical columns are detected (``"auto"``) from category, enum, string, boolean and
    object dtypes (and, in a numpy object array, from non-numeric values), or named. Datetime
    and timedelta columns are interpolated as times and do not enter distances. With no
    categorical column, SMOTENC is SMOTE (imbalanced-learn raises an error instead).

    Parameters
    ----------
    categorical_features : "auto" or array-like, default="auto"
        Categorical columns: ``"auto"``, positions, a boolean mask, or column names. The only
        parameter that may be given positionally (as in imbalanced-learn): ``SMOTENC([0, 3])``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts. A float (two classes only) is the wanted ratio of minority to
        majority rows; ``"minority"``, ``"not minority"``, ``"not majority"``, ``"all"`` or
        ``"auto"`` (= ``"not majority"``) name the classes grown to the majority's size; a dict
        gives the final count of each class it names; a callable receives ``y`` and returns such
        a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws and of the tie-breaks: one generator serves every class of a call.
    k_neighbors : int or estimator, default=5
        Same-class neighbours among which partners are drawn and categories are voted. An
        object with ``kneighbors`` is fitted instead, imbalanced-learn style.
    categorical_encoder : estimator or None, default=None
        One-hot encoder of the categorical columns for distances (its non-zero outputs are
        scaled as above), fitted on all rows; ``None`` is
        ``OneHotEncoder(handle_unknown="ignore")``, which falls back to coding categories by
        first appearance when they cannot be sorted (mixed types, missing values). An encoder
        that drops columns is refused. Votes always use the original categories.
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour search (see :mod:`imbalance.neighbors`).
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
        For each synthetic row, the positions in X of its base row and of its partner.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the step from the base row towards the partner.
    categorical_features_ : ndarray of shape (n_categorical,)
        Positions of the categorical columns.
    continuous_features_ : ndarray of shape (n_continuous,)
        Positions of the numeric columns that are interpolated and enter distances.
    categorical_encoder_ : estimator
        The fitted encoder of the categorical columns.
    nn_k_ : estimator
        imbalanced-learn's name: the neighbours estimator ``k_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=k_neighbors + 1)``), not fitted.
    median_std_ : dict of {class_label: float}
        For each class that grew, the median standard deviation of its continuous columns.
    neighbors_backend_ : str
        The neighbour backend that answered (``"exact"``, ``"approximate"``, ``"torch"`` or
        ``"estimator"``); ``"none"`` if no class grew.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    SMOTE : numeric columns only.
    SMOTEN : categorical columns only.

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer, "SMOTE: Synthetic
       Minority Over-sampling Technique", Journal of Artificial Intelligence Research, 16,
       321-357, 2002 (section 6.1).

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import SMOTENC
    >>> rng = np.random.default_rng(0)
    >>> colour = rng.choice(np.array(["red", "blue"], dtype=object), size=60)
    >>> X = np.column_stack([rng.normal(size=60), colour]).astype(object)
    >>> y = np.array([0] * 50 + [1] * 10)
    >>> sampler = SMOTENC(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sampler.categorical_features_
    array([1])
    >>> set(X_res[60:, 1]) <= set(X[y == 1, 1])
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "k_neighbors": [Interval("int", 1, None), "estimator"],
        "categorical_encoder": ["estimator", None],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="over", synthetic=True, reads_features=True)
    _sampling_kind = "over"

    # imbalanced-learn takes it positionally
    _positional_params: ClassVar[tuple[str, ...]] = ("categorical_features",)

    def __init__(
        self,
        categorical_features: ArrayLike | str = "auto",
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        k_neighbors: NeighborSpec = 5,
        categorical_encoder: Transformer | None = None,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.categorical_features = categorical_features
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.categorical_encoder = categorical_encoder
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        check_neighbors_spec("SMOTENC", "k_neighbors", self.k_neighbors)
        self.nn_k_ = neighbours_estimator(self.k_neighbors, self.n_jobs)
        categorical = resolve_categorical(X, self.categorical_features, "SMOTENC")
        features = self._features(X, categorical)
        codes = column_codes(X, categorical)
        onehot = self._fit_encoder(X, categorical, codes)
        synthesis = Synthesis(features)
        votes: list[np.ndarray] = []
        self.median_std_: dict[Any, float] = {}
        self.neighbors_backend_ = "none"
        for _, cls, members, n_new in grown_classes(target, self.target_counts_):
            check_class_size("SMOTENC", "k_neighbors", self.k_neighbors, cls, members.size)
            F = features.rows(members)
            self.median_std_[cls] = _median_std(F)
            E = _embed(F, onehot, members, self.median_std_[cls])
            nn, self.neighbors_backend_ = search(
                E, self.k_neighbors, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
            )
            rows, nbs = draw_pairs(nn, n_new, rng)
            steps = rng.random(n_new)
            synthesis.add(members[rows], members[nbs], steps, F, rows, nbs)
            votes.append(_votes(codes, members, nn[rows], rng))
        out, self.synthetic_steps_ = synthesis.result(len(target.codes))
        return _with_votes(out, categorical, votes)

    def _features(self, X: Any, categorical: list[int]) -> Features:
        self.categorical_features_ = np.asarray(categorical, dtype=np.intp)
        times = set(_containers.time_column_positions(X))
        n_features = _containers.shape_2d(X)[1]
        continuous = [i for i in range(n_features) if i not in set(categorical) | times]
        numeric = (
            set(_containers.number_like_column_positions(X)) if _containers.is_frame(X) else None
        )
        bad = [i for i in continuous if numeric is not None and i not in numeric]
        if bad:
            names = [list(X.columns)[i] for i in bad]
            raise InvalidDataError(
                f"SMOTENC: column(s) {names!r} are neither numeric nor listed in "
                "categorical_features; list them there, or leave categorical_features='auto'."
            )
        if categorical and not continuous:
            raise InvalidDataError(
                "SMOTENC needs at least one numeric column besides the categorical ones; every "
                "column of X is categorical here. Use SMOTEN for categorical-only data."
            )
        self.continuous_features_ = np.asarray(continuous, dtype=np.intp)
        return Features(X, "SMOTENC", continuous)

    def _fit_encoder(self, X: ArrayLike, categorical: list[int], codes: np.ndarray) -> Any:
        """Fit ``categorical_encoder_`` on the categorical columns; their one-hot rows."""
        encoder = (
            OneHotEncoder(handle_unknown="ignore")
            if self.categorical_encoder is None
            else clone(self.categorical_encoder)
        )
        self.categorical_encoder_ = encoder
        if not categorical:
            return None
        try:
            onehot = encoder.fit_transform(object_columns(X, categorical))
        except (TypeError, ValueError):
            if self.categorical_encoder is not None:
                raise
            # Mixed types or missing values: code the categories by first appearance.
            onehot = encoder.fit_transform(codes)
        onehot = sp.csr_matrix(onehot, dtype=np.float64)
        n_categories = sum(len(c) for c in getattr(encoder, "categories_", []))
        if onehot.shape[1] != n_categories:
            raise InvalidParameterError(
                "categorical_encoder of SMOTENC must give one column per category (a one-hot "
                f"code); {type(encoder).__name__} gave {onehot.shape[1]} columns for "
                f"{n_categories} categories, as happens with drop=... or infrequent categories. "
                "Pass an encoder that keeps every category, such as "
                "OneHotEncoder(handle_unknown='ignore')."
            )
        return onehot


def _embed(F: Matrix, onehot: Matrix, members: np.ndarray, median_std: float) -> Any:
    """Continuous columns and scaled one-hot categories of the rows ``members``."""
    if onehot is None:
        return F
    part = onehot[members]
    part.data[:] = median_std / np.sqrt(2.0)
    if sp.issparse(F) or part.shape[1] > 64:
        return sp.hstack([sp.csr_matrix(F), part], format="csr")
    return np.hstack([F, part.toarray()])


def _median_std(F: Matrix) -> float:
    if F.shape[1] == 0:
        return 1.0
    if not isinstance(F, np.ndarray):  # sparse
        mean = np.asarray(F.mean(axis=0)).ravel()
        var = np.asarray(F.multiply(F).mean(axis=0)).ravel() - mean**2
        return float(np.median(np.sqrt(np.maximum(var, 0.0))))
    return float(np.median(F.std(axis=0)))


def _votes(
    codes: np.ndarray, members: np.ndarray, voters_local: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For each synthetic row and categorical column, the row of X its category comes from."""
    voters = members[voters_local]
    out = np.empty((len(voters), codes.shape[1]), dtype=np.intp)
    for j in range(codes.shape[1]):
        pick = vote(codes[:, j], voters, rng)
        out[:, j] = voters[np.arange(len(voters)), pick]
    return out


def _with_votes(out: Resampled, categorical: list[int], votes: list[np.ndarray]) -> Resampled:
    if not categorical or not votes:
        return out
    chosen = np.concatenate(votes)
    sources = dict(out.sources)
    for j, pos in enumerate(categorical):
        sources[pos] = chosen[:, j]
    return Resampled(out.indices, out.parents, out.values, out.columns, sources)
