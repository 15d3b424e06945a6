"""Condensed nearest neighbour: keep only the rows a growing reference set misclassifies."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier

from ..._param_validation import NEIGHBORS_CONSTRAINTS, Interval
from ..._typing import ArrayLike, Backend, Matrix, NeighborSpec, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import Resampled, SamplerTags
from ...exceptions import InvalidParameterError
from ...neighbors import search
from .._features import numeric_features
from ._cleaning import CLEANING_STRATEGY, CleaningSampler, check_neighbourhood, minority_code

__all__ = [
    "CondensedNearestNeighbour",
    "condense",
    "draw_seeds",
    "predicts_class",
    "rule_classifier",
    "rule_size",
]


def rule_size(owner: str, spec: NeighborSpec | None) -> int:
    """Neighbours of the k-NN rule from ``n_neighbors``: None, an int or an estimator."""
    if spec is None:
        return 1
    if hasattr(spec, "get_params") and not isinstance(spec, int | np.integer):
        n = spec.get_params().get("n_neighbors")
        if not isinstance(n, int | np.integer) or n < 1:
            raise InvalidParameterError(
                f"n_neighbors of {owner}, an estimator, must have an int n_neighbors >= 1; "
                f"got n_neighbors={n!r}."
            )
        return int(n)
    return int(spec)


def rule_classifier(
    spec: NeighborSpec | None, k: int, F: Matrix, rows: np.ndarray, labels: np.ndarray
) -> Any:
    """The k-NN rule as a classifier fitted on ``rows`` (imbalanced-learn's ``estimators_``)."""
    est = clone(spec) if hasattr(spec, "get_params") else KNeighborsClassifier(n_neighbors=k)
    # scikit-learn's finiteness check sums X first: values near 1e308 overflow that sum (a
    # warning only; it then checks each value). The selection itself never uses this estimator.
    with np.errstate(over="ignore", invalid="ignore"):
        return est.fit(F[rows], labels[rows])


# Candidates whose neighbours are searched at once; a kept candidate updates the rest of its block.
_BLOCK = 256


def draw_seeds(rng: np.random.Generator, members: np.ndarray, n_seeds: int) -> np.ndarray:
    """``n_seeds`` distinct rows of ``members`` (all of them if fewer), sorted."""
    take = min(n_seeds, members.size)
    return np.sort(members[rng.choice(members.size, size=take, replace=False)])


def predicts_class(in_class: np.ndarray, class_wins_ties: bool) -> np.ndarray:
    """Whether a k-NN vote over two classes picks "the class", from ``in_class`` (n, k) flags."""
    votes = in_class.sum(axis=1)
    against = in_class.shape[1] - votes
    return (votes > against) | ((votes == against) & class_wins_ties)


def condense(
    F: Matrix,
    reference: np.ndarray,
    in_class: np.ndarray,
    candidates: np.ndarray,
    k: int,
    class_wins_ties: bool,
    *,
    backend: Backend,
    n_jobs: int | None,
    seed: int,
) -> np.ndarray:
    """Hart's rule: scan ``candidates`` (rows of "the class") in order, adding to the reference
    set each one that the ``k`` nearest reference rows misclassify. Returns the added rows.

    Candidates are searched by blocks; when one is added, the rest of its block only needs its
    distance to the new reference row. Adding rows of the class can only strengthen the vote
    for the class, so candidates classified correctly earlier stay correct: the result equals
    the one-by-one scan.
    """
    ref, ref_in = list(reference), list(in_class)
    added: list[int] = []
    for start in range(0, candidates.size, _BLOCK):
        block = candidates[start : start + _BLOCK]
        dist, nn = search(
            F[np.asarray(ref)],
            None,
            k,
            queries=F[block],
            backend=backend,
            n_jobs=n_jobs,
            return_distance=True,
            random_state=seed,
        )[0]
        flags = np.asarray(ref_in)[nn]
        first = 0
        while first < block.size:
            wrong = np.flatnonzero(~predicts_class(flags[first:], class_wins_ties))
            if wrong.size == 0:
                break
            m = first + int(wrong[0])
            ref.append(int(block[m]))
            ref_in.append(True)
            added.append(int(block[m]))
            first = m + 1
            if first < block.size:
                rest = block[first:]
                dist[first:], flags[first:], unsure = _insert(
                    F, block[m], rest, dist[first:], flags[first:], n_jobs
                )
                if unsure.size:  # a distance tie after the square root: search those again
                    again = search(
                        F[np.asarray(ref)],
                        None,
                        k,
                        queries=F[rest[unsure]],
                        backend=backend,
                        n_jobs=n_jobs,
                        return_distance=True,
                        random_state=seed,
                    )[0]
                    dist[first + unsure], flags[first + unsure] = (
                        again[0],
                        np.asarray(ref_in)[again[1]],
                    )
    return np.asarray(added, dtype=np.intp)


def _insert(
    F: Matrix, new: int, rows: np.ndarray, dist: np.ndarray, flags: np.ndarray, n_jobs: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Put the new reference row (of the class, last in position) in the sorted neighbour
    lists. Also returns the rows whose new distance equals one of theirs: the square root may
    have merged two different squared distances, so their order is not known here."""
    d_new = search(
        F[[new]],
        None,
        1,
        queries=F[rows],
        backend="exact",
        n_jobs=n_jobs,
        return_distance=True,
    )[0][0][:, 0]
    all_d = np.column_stack([dist, d_new])
    all_f = np.column_stack([flags, np.ones(len(rows), dtype=bool)])
    order = np.argsort(all_d, axis=1, kind="stable")[:, : dist.shape[1]]
    unsure = np.flatnonzero((dist == d_new[:, None]).any(axis=1))
    return (
        np.take_along_axis(all_d, order, axis=1),
        np.take_along_axis(all_f, order, axis=1),
        unsure,
    )


class CondensedNearestNeighbour(CleaningSampler):
    """Under-sample with Hart's condensed nearest neighbour rule (CNN).

    For each class named by ``sampling_strategy`` (other than the minority), a reference set
    starts with every minority row and ``n_seeds_S`` random rows of the class; the class's other
    rows are then scanned in input order, and each one that the ``n_neighbors`` nearest
    reference rows misclassify (majority vote, ties to the smallest label) joins the reference
    set. The class keeps its seeds and the rows that joined. Rows near the border are kept and
    redundant rows inside the class are removed. The minority class is the reference and is
    kept whole. The kept rows come out in input order, with their pandas index labels.

    Parameters
    ----------
    sampling_strategy : str or list, default="auto"
        Classes to condense: ``"auto"`` (= ``"not minority"``), ``"majority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``, or a list of class labels.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the draw of the seed rows.
    n_neighbors : int, estimator or None, default=None
        Neighbours of the k-NN rule; ``None`` means 1. An estimator (imbalanced-learn style,
        such as ``KNeighborsClassifier(n_neighbors=3)``) gives its ``n_neighbors``; the search
        itself runs on :mod:`imbalance.neighbors`, and ``estimators_`` holds clones of it.
    n_seeds_S : int, default=1
        Random rows of the class that start the reference set (distinct rows).
    neighbors : {"auto", "exact", "approximate", "torch"}, default="auto"
        Backend of the nearest-neighbour search (see :mod:`imbalance.neighbors`).
    n_jobs : int or None, default=None
        Threads of the neighbour search; the output does not depend on it.

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class after condensing.
    sampling_strategy_ : dict of {class_label: int}
        The classes the strategy cleans, each mapped to the size of the smallest class
        (imbalanced-learn's value).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before condensing.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of the kept rows, in input order.
    seeds_ : dict of {class_label: ndarray}
        Positions in X of the seed rows drawn for each condensed class.
    estimators_ : list of estimator
        imbalanced-learn's attribute: for each reduced class, a k-NN classifier (a clone of
        the ``n_neighbors`` estimator, or ``KNeighborsClassifier``) fitted on the rows that
        decided it: the minority rows and the class's reference rows.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    OneSidedSelection : one condensing pass followed by Tomek links.
    EditedNearestNeighbours : remove the rows that neighbours disagree with (the opposite aim).

    References
    ----------
    .. [1] P. Hart, "The condensed nearest neighbor rule", IEEE Transactions on Information
       Theory, 14(3), 515-516, 1968.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.samplers import CondensedNearestNeighbour
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (200, 2)), rng.normal(2, 1, (20, 2))])
    >>> y = np.array([0] * 200 + [1] * 20)
    >>> cnn = CondensedNearestNeighbour(random_state=0)
    >>> X_res, y_res = cnn.fit_resample(X, y)
    >>> cnn.target_counts_[1], cnn.target_counts_[0] < 100
    (20, True)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": CLEANING_STRATEGY,
        "random_state": ["random_state"],
        "n_neighbors": [None, Interval("int", 1, None), "estimator"],
        "n_seeds_S": [Interval("int", 1, None)],
        **NEIGHBORS_CONSTRAINTS,
    }
    _sampler_tags = SamplerTags(kind="clean", reads_features=True, exact_counts=False)
    _sampling_kind = "clean"

    def __init__(
        self,
        *,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        n_neighbors: NeighborSpec | None = None,
        n_seeds_S: int = 1,
        neighbors: Backend = "auto",
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.neighbors = neighbors
        self.n_jobs = n_jobs

    def _clean(
        self, X: ArrayLike, target: EncodedTarget, cleaned: np.ndarray, rng: np.random.Generator
    ) -> Resampled:
        F = numeric_features(X, "CondensedNearestNeighbour")
        k = rule_size("CondensedNearestNeighbour", self.n_neighbors)
        minority = minority_code(target)
        reference = target.members(minority)
        keep = np.ones(len(target.codes), dtype=bool)
        self.seeds_ = {}
        self.estimators_: list[Any] = []
        labels = np.asarray(target.classes)[target.codes]
        for c in cleaned[cleaned != minority]:
            members = target.members(int(c))
            seeds = draw_seeds(rng, members, self.n_seeds_S)
            self.seeds_[target.classes[c]] = seeds
            check_neighbourhood(
                "CondensedNearestNeighbour",
                "n_neighbors",
                k,
                reference.size + seeds.size,
                f"the minority rows and the seeds of class {target.classes[c]!r}",
            )
            rest = np.setdiff1d(members, seeds, assume_unique=True)
            ref = np.concatenate([reference, seeds])
            in_class = np.concatenate([np.zeros(reference.size, bool), np.ones(seeds.size, bool)])
            added = condense(
                F,
                ref,
                in_class,
                rest,
                k,
                bool(c < minority),
                backend=self.neighbors,
                n_jobs=self.n_jobs,
                seed=int(rng.integers(2**31)),
            )
            keep[np.setdiff1d(rest, added, assume_unique=True)] = False
            decided = np.concatenate([reference, seeds, added])
            self.estimators_.append(rule_classifier(self.n_neighbors, k, F, decided, labels))
        return Resampled(indices=np.flatnonzero(keep))
