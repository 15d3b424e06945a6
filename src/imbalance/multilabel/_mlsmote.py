"""MLSMOTE: synthetic rows for the minority labels, with label sets from the neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, get_args

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from .. import _containers
from .._param_validation import Interval, Options
from .._typing import ArrayLike, Backend, Matrix, RandomState
from ..base import Resampled, SamplerTags
from ..exceptions import DataTypeError, InvalidDataError
from ._base import BaseMultilabelSampler, MultilabelResampled
from ._measures import irlbl_of
from ._target import LabelMatrix

__all__ = ["LABEL_GENERATION", "MLSMOTE", "neighbourhood_labels"]

LABEL_GENERATION: tuple[str, ...] = ("ranking", "union", "intersection")
# imbalance.neighbors.BACKENDS, read from the one Backend alias so that importing this module
# does not import the neighbour engine (and scikit-learn's neighbors) before MLSMOTE runs.
NEIGHBOR_BACKENDS: tuple[Backend, ...] = get_args(Backend)


class MLSMOTE(BaseMultilabelSampler):
    """Multi-label SMOTE: new rows between a minority-label row and a neighbour sharing the label.

    For each label in turn (column order) whose imbalance ratio, counted on the data grown so
    far, exceeds the input's ``MeanIR``, every row holding the label (a *seed*) gets one
    synthetic row: a neighbour is drawn among the seed's ``k_neighbors`` nearest rows that also
    hold the label, and the numeric features are ``seed + step * (neighbour - seed)`` with
    ``step`` uniform in [0, 1). The synthetic row's labels come from the seed and its
    ``k_neighbors`` neighbours: with ``"ranking"`` the labels held by at least half of them,
    ``"union"`` those held by any, ``"intersection"`` those held by all (the label being
    over-sampled is always among them).

    Seeds and neighbours are input rows only (never earlier synthetic rows), so every synthetic
    row's provenance is a pair of rows of X. A label held by fewer than ``k_neighbors + 1`` rows
    uses all its other rows as neighbours. Neighbours come from :mod:`imbalance.neighbors` on the
    numeric columns. In a DataFrame, integer columns are rounded, datetime and timedelta columns
    are interpolated as times, and every other column (booleans, categories, strings) takes the
    most frequent value among the seed and its neighbours (the seed's on ties). All input rows
    come first, in input order, then the synthetic rows label by label; pandas synthetic rows
    get index labels that cannot collide with X's.

    Parameters
    ----------
    k_neighbors : int, default=5
        Nearest rows sharing the label among which the partner is drawn, and whose labels vote.
    label_generation : {"ranking", "union", "intersection"}, default="ranking"
        How the synthetic row's label set is formed from the seed and its neighbours.
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the neighbour search (see :mod:`imbalance.neighbors`); ``"exact"``,
        ``"torch"`` and ``"auto"`` give the same rows.
    n_jobs : int or None, default=None
        Threads of the neighbour search; the output does not depend on it.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draws (partners and steps).

    Attributes
    ----------
    labels_ : ndarray of shape (n_labels,)
        Label names: column names of a DataFrame, column positions, or the sorted labels of
        label lists.
    label_counts_ : dict of {label: int}
        Positive rows of each label before resampling.
    target_counts_ : dict of {label: int}
        Positive rows of each label after resampling.
    mean_ir_ : float
        MeanIR of the input: labels above it (as counted while the data grows) are
        over-sampled.
    minority_labels_ : ndarray
        The labels that were over-sampled, in the order they were.
    sample_indices_ : ndarray of shape (n_samples,)
        Positions in X of the non-synthetic output rows: every row, in input order.
    synthetic_parents_ : ndarray of shape (n_synthetic, 2)
        For each synthetic row, the positions in X of its seed and of the neighbour it was
        interpolated towards.
    synthetic_steps_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the step from the seed towards the neighbour.
    synthetic_minority_label_ : ndarray of shape (n_synthetic,)
        For each synthetic row, the label it was made for (held by both parents).
    neighbors_backend_ : str
        The neighbour backend that answered; ``"none"`` if no label was over-sampled.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    MLROS : repeats rows instead of interpolating.
    REMEDIAL : decouple rare labels from frequent ones first when SCUMBLE is high.
    imbalance.samplers.SMOTE : one class per row.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera, "MLSMOTE: Approaching
       imbalanced multilabel learning through synthetic instance generation",
       Knowledge-Based Systems, 89, 385-397, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import MLSMOTE
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(30, 3))
    >>> Y = np.zeros((30, 3), dtype=int)
    >>> Y[:, 0] = 1
    >>> Y[:6, 1] = 1
    >>> Y[25:, 2] = 1
    >>> smote = MLSMOTE(k_neighbors=3, random_state=0)
    >>> X_res, Y_res = smote.fit_resample(X, Y)
    >>> smote.label_counts_, smote.target_counts_
    ({0: 30, 1: 6, 2: 5}, {0: 41, 1: 12, 2: 10})
    >>> seed, partner = smote.synthetic_parents_[0]
    >>> step = smote.synthetic_steps_[0]
    >>> np.allclose(X_res[30], X[seed] + step * (X[partner] - X[seed]))
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "k_neighbors": [Interval("int", 1, None)],
        "label_generation": [Options(LABEL_GENERATION)],
        "neighbors": [Options(NEIGHBOR_BACKENDS)],
        "n_jobs": [None, Interval("int", -1, -1), Interval("int", 1, None)],
        "random_state": ["random_state"],
    }
    _sampler_tags = SamplerTags(
        kind="over", synthetic=True, reads_features=True, exact_counts=False
    )

    def __init__(
        self,
        *,
        k_neighbors: int = 5,
        label_generation: str = "ranking",
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
        random_state: RandomState = None,
    ) -> None:
        self.k_neighbors = k_neighbors
        self.label_generation = label_generation
        self.neighbors = neighbors
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit_resample(
        self, X: ArrayLike, target: LabelMatrix, rng: np.random.Generator
    ) -> MultilabelResampled:
        ir = irlbl_of(target, what="its imbalance ratio (MLSMOTE needs it)")
        self.mean_ir_ = float(ir.mean())
        features = _features(X)
        seed = int(rng.integers(2**31 - 1))  # drawn whatever the backend: same rows from all
        draws = self._draw(features, target, rng, seed)
        self.minority_labels_ = self.labels_[np.asarray(draws.labels_done, dtype=np.intp)]
        self.synthetic_steps_ = draws.steps
        self.synthetic_minority_label_ = self.labels_[draws.for_label]
        parents = np.column_stack([draws.seeds, draws.partners]).astype(np.intp)
        rows = Resampled(
            indices=np.arange(target.n_samples),
            parents=parents,
            values=_interpolate(X, features, draws),
            columns=features.columns + features.time_columns,
            sources=_voted_sources(X, features, draws.groups),
        )
        return MultilabelResampled(rows, synthetic_labels=draws.label_sets)

    def _draw(
        self, features: _Features, target: LabelMatrix, rng: np.random.Generator, seed: int
    ) -> _Draws:
        from ..neighbors import neighbor_index  # the engine, loaded when first needed

        Y = target.dense()
        counts = target.counts.astype(np.float64)
        parts = []
        self.neighbors_backend_ = "none"
        for j in range(target.n_labels):
            if counts.max() / counts[j] <= self.mean_ir_:
                continue
            bag = np.flatnonzero(Y[:, j])
            _check_bag(bag, target, j)
            k = min(self.k_neighbors, bag.size - 1)
            index = neighbor_index(
                features.rows(bag), backend=self.neighbors, n_jobs=self.n_jobs, random_state=seed
            )
            self.neighbors_backend_ = index.backend_
            near = bag[index.kneighbors(n_neighbors=k)]
            partner = near[np.arange(bag.size), rng.integers(0, k, size=bag.size)]
            groups = np.column_stack([bag, near])
            labels = neighbourhood_labels(Y, groups, self.label_generation)
            counts += labels.sum(axis=0)
            parts.append((j, bag, partner, rng.random(bag.size), groups, labels))
        return _collect(parts, target.n_labels)


def neighbourhood_labels(Y: np.ndarray, groups: np.ndarray, rule: str) -> np.ndarray:
    """Label sets voted by each group of rows (a seed and its neighbours), as booleans.

    ``"ranking"``: labels held by at least half of the group; ``"union"``: by any;
    ``"intersection"``: by all.
    """
    votes = np.zeros((groups.shape[0], Y.shape[1]), dtype=np.int64)
    for c in range(groups.shape[1]):
        votes += Y[groups[:, c]]
    size = groups.shape[1]
    if rule == "union":
        return votes > 0
    if rule == "intersection":
        return votes == size
    return 2 * votes >= size


def _check_bag(bag: np.ndarray, target: LabelMatrix, j: int) -> None:
    if bag.size < 2:
        raise InvalidDataError(
            f"MLSMOTE over-samples label {target.name(j)}, which has {bag.size} positive row; "
            "interpolation needs at least 2 rows holding it. Drop the label, merge it with a "
            "related one, or use MLROS (which repeats rows)."
        )


@dataclass(frozen=True)
class _Draws:
    """What MLSMOTE drew: one entry per synthetic row, ``groups`` as one block per label."""

    labels_done: list[int]
    for_label: np.ndarray
    seeds: np.ndarray
    partners: np.ndarray
    steps: np.ndarray
    label_sets: np.ndarray
    groups: list[np.ndarray]


def _collect(
    parts: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]],
    n_labels: int,
) -> _Draws:
    """One ``_Draws`` from the per-label tuples (label, seeds, partners, steps, groups, sets)."""
    if not parts:
        nothing = np.empty(0, dtype=np.intp)
        return _Draws(
            [], nothing, nothing, nothing, np.empty(0), np.zeros((0, n_labels), dtype=bool), []
        )
    labels = [p[0] for p in parts]
    return _Draws(
        labels_done=labels,
        for_label=np.concatenate([np.full(p[1].size, p[0]) for p in parts]),
        seeds=np.concatenate([p[1] for p in parts]),
        partners=np.concatenate([p[2] for p in parts]),
        steps=np.concatenate([p[3] for p in parts]),
        label_sets=np.concatenate([p[5] for p in parts]),
        groups=[p[4] for p in parts],
    )


@dataclass
class _Features:
    """Numeric columns (distances and interpolation) and time columns (interpolation only)."""

    values: Any
    columns: list[int]
    time_columns: list[int]
    times: np.ndarray | None

    def rows(self, positions: np.ndarray) -> Any:
        return self.values[positions]


def _features(X: ArrayLike) -> _Features:
    try:
        columns = _containers.numeric_column_positions(X)
    except DataTypeError as exc:
        raise DataTypeError(f"{exc} MLSMOTE interpolates numeric features.") from None
    if not columns:
        raise InvalidDataError(
            "MLSMOTE interpolates numeric columns, but X has none. Encode the features as "
            "numbers, or use MLROS, which never reads X."
        )
    values = _containers.numeric_values(X, columns)
    _check_finite(X, values, columns)
    time_columns = _containers.time_column_positions(X)
    times = _containers.time_values(X, time_columns) if time_columns else None
    return _Features(values, columns, time_columns, times)


def _check_finite(X: Any, values: Matrix, columns: list[int]) -> None:
    data = values if isinstance(values, np.ndarray) else values.data
    if np.isfinite(data).all():
        return
    dense = values if isinstance(values, np.ndarray) else values.toarray()
    row, j = (int(v) for v in np.argwhere(~np.isfinite(dense))[0])
    name = repr(list(X.columns)[columns[j]]) if _containers.is_frame(X) else str(columns[j])
    raise InvalidDataError(
        f"MLSMOTE computes distances on the numeric columns, and column {name} holds missing "
        f"or infinite values (first at row {row}). Impute them (e.g. "
        "sklearn.impute.SimpleImputer) or drop those rows before resampling."
    )


def _interpolate(X: ArrayLike, features: _Features, draws: _Draws) -> Any:
    seeds, partners, steps = draws.seeds, draws.partners, draws.steps
    values = features.values
    if sp.issparse(values):
        start = values[seeds]
        numeric: Any = start + sp.diags(steps) @ (values[partners] - start)
    else:
        start = values[seeds]
        numeric = start + steps[:, None] * (values[partners] - start)
    if features.times is None:
        return numeric
    t0 = features.times[seeds]
    times = t0 + steps[:, None] * (features.times[partners] - t0)
    return np.concatenate([np.asarray(numeric), times], axis=1)


def _voted_sources(X: Any, features: _Features, groups: list[np.ndarray]) -> dict[int, np.ndarray]:
    """For each non-numeric DataFrame column, the group row holding the most frequent value."""
    if not _containers.is_frame(X) or not groups:
        return {}
    frame = nw.from_native(X, eager_only=True)
    done = set(features.columns) | set(features.time_columns)
    sources = {}
    for pos, name in enumerate(frame.columns):
        if pos not in done:
            codes = _codes(frame.get_column(name).to_list())
            sources[pos] = np.concatenate([_vote(codes, block) for block in groups])
    return sources


def _vote(codes: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The row of each group whose value is the most frequent in it (the first such on ties)."""
    values = codes[groups]
    agree = (values[:, :, None] == values[:, None, :]).sum(axis=2)
    return groups[np.arange(groups.shape[0]), np.argmax(agree, axis=1)]


def _codes(values: list[Any]) -> np.ndarray:
    """Equal values get equal integer codes (missing values all share one)."""
    seen: dict[Any, int] = {}
    missing = len(values)
    out = np.empty(len(values), dtype=np.int64)
    for i, v in enumerate(values):
        out[i] = missing if v is None or v != v else seen.setdefault(v, len(seen))
    return out
