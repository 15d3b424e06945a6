"""Edited nearest neighbours: remove the rows that their nearest neighbours disagree with.

Three samplers share one rule, applied once (:class:`EditedNearestNeighbours`), until nothing
changes (:class:`RepeatedEditedNearestNeighbours`), or with a growing neighbourhood
(:class:`AllKNN`). The repeated ones search each row once and then skip the rows already
removed (:class:`~._cleaning.NeighbourLists`), which gives the same neighbours as searching the
remaining rows again.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, ClassVar

import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.exceptions import ConvergenceWarning

from ..._param_validation import Interval, Options
from ..._validation import EncodedTarget
from ...base import Resampled, SamplerTags
from ...neighbors import NeighborIndex, kneighbors
from ..over._smote_common import NEIGHBORS_CONSTRAINTS, n_neighbors_of, neighbours_estimator
from ._cleaning import (
    CLEANING_STRATEGY,
    CleaningSampler,
    EstimatorLists,
    NeighbourLists,
    check_estimator_spec,
    check_neighbourhood,
    cleaned_classes,
    minority_code,
    numeric_features,
    search_jobs,
    vote,
)

__all__ = [
    "AllKNN",
    "EditedNearestNeighbours",
    "RepeatedEditedNearestNeighbours",
    "edited_out",
    "edited_out_certified",
    "neighbour_lists",
]

_ENN_CONSTRAINTS: dict[str, list[Any]] = {
    "sampling_strategy": CLEANING_STRATEGY,
    "n_neighbors": [Interval("int", 1, None), "estimator"],
    "kind_sel": [Options({"all", "mode"})],
    **NEIGHBORS_CONSTRAINTS,
}


def neighbour_lists(
    F: Any, spec: Any, k: int, *, backend: str, n_jobs: int | None, rng: np.random.Generator
) -> NeighbourLists | EstimatorLists:
    """Neighbour lists over the rows of ``F``: this package's engine, or the user's estimator."""
    if hasattr(spec, "kneighbors"):
        return EstimatorLists(F, spec)
    seed = int(rng.integers(2**31))
    return NeighbourLists(F, width=2 * k + 2, backend=backend, n_jobs=n_jobs, seed=seed)


def edited_out(
    lists: NeighbourLists | EstimatorLists,
    codes: np.ndarray,
    rows: np.ndarray,
    k: int,
    kind_sel: str,
    n_classes: int,
) -> np.ndarray:
    """The ``rows`` that their ``k`` nearest alive neighbours reject.

    With ``kind_sel="all"`` a row stays only if all its neighbours share its class; with
    ``"mode"`` if its class is the most frequent among them (ties to the smallest label).
    """
    labels = codes[lists.neighbours(rows, k)]
    own = codes[rows]
    if kind_sel == "all":
        stays = (labels == own[:, None]).all(axis=1)
    else:
        stays = vote(labels, n_classes) == own
    return rows[~stays]


# Rows per block of the cheap upper bound of the fast rule (see ``edited_out_certified``).
_BLOCK_ROWS = 2_000


def edited_out_certified(
    F: Any,
    codes: np.ndarray,
    cleaned: np.ndarray,
    k: int,
    *,
    backend: str,
    n_jobs: int | None,
    rng: np.random.Generator,
) -> tuple[np.ndarray, str]:
    """The ENN rule with ``kind_sel="all"``, without searching every row over all rows.

    A row of class ``c`` stays when its ``k`` nearest rows all have class ``c``; that is sure
    when ``k`` rows of ``c`` are strictly nearer than the nearest row of another class. So:
    (1) the distance ``d_o`` of each row to the nearest row of another class (a search over the
    other classes only); (2) an upper bound ``u`` of the distance to its ``k``-th nearest row of
    ``c``, from an exact search inside a block of nearby rows of ``c`` (k-means blocks of about
    2,000 rows); (3) the full search only for the rows with ``u >= d_o``. Every decision equals
    the plain rule's, ties included, because the bound is only trusted when it is strict.

    With ``backend="approximate"``, steps (1) and (3) use approximate indexes (brute force,
    exact, where that is cheaper); the index of (1) calibrates its recall on the other rows
    nearer than ``u``, the only ones that matter. A neighbour missed in (1) can only keep a
    row that should go, one missed in (3) can change a decision either way. Returns the rows
    removed and the backend that answered.
    """
    out = []
    index: NeighborIndex | None = None
    used = "exact"
    for c in cleaned.tolist():
        rows = np.flatnonzero(codes == c)
        others = np.flatnonzero(codes != c)
        if rows.size == 0 or others.size == 0:
            continue
        to_others = NeighborIndex(
            backend=backend,  # type: ignore[arg-type]
            n_jobs=search_jobs(n_jobs, rows.size, others.size),
            random_state=int(rng.integers(2**31)),
        ).fit(F[others])
        used = str(to_others.backend_)
        bound = _block_bound(F, rows, k, "exact", n_jobs, int(rng.integers(2**31)))
        # Only another row nearer than the bound can unsettle a row: the approximate index
        # calibrates its recall on those.
        d_other, _ = to_others.kneighbors(F[rows], 1, return_distance=True, within=bound)
        unsure = rows[bound >= d_other[:, 0]]
        if unsure.size:
            if index is None:
                index = NeighborIndex(
                    backend=backend,  # type: ignore[arg-type]
                    n_jobs=search_jobs(n_jobs, unsure.size, F.shape[0]),
                    random_state=int(rng.integers(2**31)),
                ).fit(F)
            labels = codes[index.kneighbors(None, k, rows=unsure)]
            out.append(unsure[~(labels == c).all(axis=1)])
    removed = np.sort(np.concatenate(out)) if out else np.empty(0, dtype=np.intp)
    return removed, used


def _block_bound(
    F: Any, rows: np.ndarray, k: int, backend: str, n_jobs: int | None, seed: int
) -> np.ndarray:
    """For each row, the distance to its ``k``-th nearest row of its block (``inf`` in a block
    too small): at least its distance to its ``k``-th nearest row of the whole class."""
    n_blocks = rows.size // _BLOCK_ROWS
    if n_blocks >= 2:
        with warnings.catch_warnings():  # blocks only bound distances: duplicates do no harm
            warnings.simplefilter("ignore", ConvergenceWarning)
            blocks = MiniBatchKMeans(
                n_clusters=n_blocks, n_init=1, batch_size=4096, max_iter=1, random_state=seed
            ).fit_predict(F[rows])
    else:
        blocks = np.zeros(rows.size, dtype=np.intp)
    bound = np.full(rows.size, np.inf)
    order = np.argsort(blocks, kind="stable")
    for part in np.split(order, np.cumsum(np.bincount(blocks))[:-1]):
        if part.size > k:
            dist, _ = kneighbors(
                F[rows[part]],
                k,
                backend=backend,  # type: ignore[arg-type]
                n_jobs=search_jobs(n_jobs, part.size, part.size),
                return_distance=True,
            )
            bound[part] = dist[:, -1]
    return bound


def _cleaned_codes(
    owner: str, strategy: Any, target: EncodedTarget, counts: np.ndarray
) -> np.ndarray:
    present = {c: int(n) for c, n in zip(target.classes, counts, strict=True) if n}
    chosen = set(cleaned_classes(owner, strategy, present))
    return np.array([k for k, c in enumerate(target.classes) if c in chosen], dtype=np.intp)


def _alive_rows_of(lists: NeighbourLists | EstimatorLists, codes: np.ndarray, cleaned: Any) -> Any:
    return np.flatnonzero(lists.alive & np.isin(codes, cleaned))


class EditedNearestNeighbours(CleaningSampler):
    """Under-sample by removing the rows that their nearest neighbours disagree with.

    Each row of a class named by ``sampling_strategy`` is compared with its ``n_neighbors``
    nearest rows (Euclidean distance on the numeric columns, the row itself excluded). With
    ``kind_sel="all"`` it is removed unless every neighbour has its class; with ``"mode"``
    unless its class is the most frequent among them. The kept rows come out in input order,
    and pandas rows keep their index labels.

    With ``kind_sel="all"``, most rows are settled without a search over every row: a row is
    surely kept when ``n_neighbors`` rows of its class, found in a block of nearby rows, are
    strictly nearer than the nearest row of another class; only the other rows are searched
    over all rows, and the rows kept are the same. With ``neighbors="approximate"`` the nearest
    row of another class comes from an approximate index, so a few rows may stay that the
    exact rule removes.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes whose rows may be removed: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels. A float,
        a dict or a callable is refused: a cleaning sampler reaches no counts.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood. An object with ``kneighbors`` (such as scikit-learn's
        ``NearestNeighbors(n_neighbors=4)``) is used instead of the engine, imbalanced-learn
        style: its ``n_neighbors`` counts the row itself.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"`` removes a row when any neighbour has another class; ``"mode"`` when its class
        is not the most frequent among the neighbours (ties go to the smallest label).
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
    neighbors_backend_ : str
        The neighbour backend that answered (``"estimator"`` for an object ``n_neighbors``).
    nn_ : estimator
        imbalanced-learn's name: the neighbours estimator ``n_neighbors`` stands for (a clone
        of it, or ``NearestNeighbors(n_neighbors=n_neighbors + 1)``), not fitted.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    RepeatedEditedNearestNeighbours : the same rule until nothing changes.
    AllKNN : the same rule with 1, 2, ... n_neighbors neighbours.
    NeighbourhoodCleaningRule : this rule plus the neighbours of misclassified minority rows.

    References
    ----------
    .. [1] D. L. Wilson, "Asymptotic Properties of Nearest Neighbor Rules Using Edited Data",
       IEEE Transactions on Systems, Man, and Cybernetics, 2(3), 408-421, 1972.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import EditedNearestNeighbours
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [10.0], [11.0], [12.0], [2.5]])
    >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> enn = EditedNearestNeighbours(n_neighbors=2, sampling_strategy="all")
    >>> X_res, y_res = enn.fit_resample(X, y)
    >>> enn.sample_indices_
    array([0, 1, 4, 5, 6])
    >>> enn.target_counts_
    {0: 2, 1: 3}
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = dict(_ENN_CONSTRAINTS)
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_neighbors: Any = 3,
        kind_sel: str = "all",
        neighbors: str = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: Any, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        owner = type(self).__name__
        check_estimator_spec(owner, "n_neighbors", self.n_neighbors)
        self.nn_ = neighbours_estimator(self.n_neighbors, self.n_jobs)
        F = numeric_features(X, owner)
        k = n_neighbors_of(self.n_neighbors)
        check_neighbourhood(owner, "n_neighbors", k, F.shape[0] - 1, f"X has {F.shape[0]} rows")
        if self.kind_sel == "all" and isinstance(self.n_neighbors, numbers.Integral):
            out, self.neighbors_backend_ = edited_out_certified(
                F, target.codes, cleaned, k, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
            )
            keep = np.ones(F.shape[0], dtype=bool)
            keep[out] = False
            return Resampled(indices=np.flatnonzero(keep))
        lists = neighbour_lists(
            F, self.n_neighbors, k, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
        )
        self.neighbors_backend_ = lists.backend_
        rows = _alive_rows_of(lists, target.codes, cleaned)
        lists.remove(edited_out(lists, target.codes, rows, k, self.kind_sel, len(target.classes)))
        return Resampled(indices=np.flatnonzero(lists.alive))


def _repeat(
    owner: str,
    strategy: Any,
    target: EncodedTarget,
    lists: NeighbourLists | EstimatorLists,
    rounds: list[int],
    kind_sel: str,
    *,
    stop_if_unchanged: bool,
    stop_if_overtaken: bool,
) -> int:
    """Apply the ENN rule once per entry of ``rounds`` (its neighbourhood size) on the rows
    left by the previous round, and stop after a round that emptied a class, removed nothing
    (``stop_if_unchanged``) or left a class other than the minority smaller than the minority
    was at the start (``stop_if_overtaken``). Returns the number of rounds run."""
    codes, n_classes = target.codes, len(target.classes)
    minority = minority_code(target)
    start_minority = int(target.counts[minority])
    done = 0
    for k in rounds:
        done += 1
        counts = np.bincount(codes[lists.alive], minlength=n_classes)
        check_neighbourhood(
            owner, "n_neighbors", k, int(counts.sum()) - 1, f"{int(counts.sum())} rows are left"
        )
        cleaned = _cleaned_codes(owner, strategy, target, counts)
        removed = edited_out(
            lists, codes, _alive_rows_of(lists, codes, cleaned), k, kind_sel, n_classes
        )
        lists.remove(removed)
        after = np.bincount(codes[lists.alive], minlength=n_classes)
        others = np.delete(after, minority)
        overtaken = bool((others[others > 0] < start_minority).any())
        if (
            (after == 0).any()
            or (stop_if_unchanged and removed.size == 0)
            or (stop_if_overtaken and overtaken)
        ):
            break
    return done


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
        **_ENN_CONSTRAINTS,
        "max_iter": [Interval("int", 1, None)],
    }
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_neighbors: Any = 3,
        max_iter: int = 100,
        kind_sel: str = "all",
        neighbors: str = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: Any, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        owner = type(self).__name__
        check_estimator_spec(owner, "n_neighbors", self.n_neighbors)
        self.nn_ = neighbours_estimator(self.n_neighbors, self.n_jobs)
        F = numeric_features(X, owner)
        k = n_neighbors_of(self.n_neighbors)
        check_neighbourhood(owner, "n_neighbors", k, F.shape[0] - 1, f"X has {F.shape[0]} rows")
        lists = neighbour_lists(
            F, self.n_neighbors, k, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng
        )
        self.neighbors_backend_ = lists.backend_
        self.n_iter_ = _repeat(
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


class AllKNN(CleaningSampler):
    """Under-sample by applying EditedNearestNeighbours with 1, 2, ... n_neighbors neighbours.

    Round ``k`` removes, from the rows left by the previous rounds, those that their ``k``
    nearest remaining rows disagree with (see :class:`EditedNearestNeighbours`). It stops after
    the round with ``n_neighbors`` neighbours, or after a round that emptied a class or (unless
    ``allow_minority``) left a class other than the minority with fewer rows than the minority
    had at the start. The kept rows come out in input order, with their pandas index labels.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes whose rows may be removed: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels.
    n_neighbors : int or estimator, default=3
        Largest neighbourhood. For an object with ``kneighbors`` only its ``n_neighbors``
        (which counts the row itself, imbalanced-learn style) is used, as in imbalanced-learn.
    kind_sel : {"all", "mode"}, default="all"
        ``"all"`` removes a row when any neighbour has another class; ``"mode"`` when its class
        is not the most frequent among the neighbours.
    allow_minority : bool, default=False
        Keep going when a class becomes smaller than the minority was.
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
    RepeatedEditedNearestNeighbours : rounds of the same size until nothing changes.

    References
    ----------
    .. [1] I. Tomek, "An Experiment with the Edited Nearest-Neighbor Rule", IEEE Transactions
       on Systems, Man, and Cybernetics, 6(6), 448-452, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import AllKNN
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (80, 2)), rng.normal(1.5, 1, (20, 2))])
    >>> y = np.array([0] * 80 + [1] * 20)
    >>> allknn = AllKNN()
    >>> X_res, y_res = allknn.fit_resample(X, y)
    >>> allknn.target_counts_[1], allknn.n_iter_
    (20, 3)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **_ENN_CONSTRAINTS,
        "allow_minority": ["boolean"],
    }
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        n_neighbors: Any = 3,
        kind_sel: str = "all",
        allow_minority: bool = False,
        neighbors: str = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: Any, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        owner = type(self).__name__
        check_estimator_spec(owner, "n_neighbors", self.n_neighbors)
        self.nn_ = neighbours_estimator(self.n_neighbors, self.n_jobs)
        F = numeric_features(X, owner)
        k = n_neighbors_of(self.n_neighbors)
        check_neighbourhood(owner, "n_neighbors", k, F.shape[0] - 1, f"X has {F.shape[0]} rows")
        lists = neighbour_lists(F, k, k, backend=self.neighbors, n_jobs=self.n_jobs, rng=rng)
        self.neighbors_backend_ = lists.backend_
        self.n_iter_ = _repeat(
            owner,
            self.sampling_strategy,
            target,
            lists,
            list(range(1, k + 1)),
            self.kind_sel,
            stop_if_unchanged=False,
            stop_if_overtaken=not self.allow_minority,
        )
        return Resampled(indices=np.flatnonzero(lists.alive))
