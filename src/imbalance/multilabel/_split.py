"""Multi-label stratified splits: K folds and a train/test split by iterative stratification."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar

import numpy as np

from .._containers import as_supported, n_rows, take_rows
from .._param_validation import Interval, validate_params
from .._typing import ArrayLike, RandomState, Target
from .._validation import check_generator
from ..exceptions import InvalidDataError, InvalidParameterError
from ._stratify import assign_folds, stratification_units
from ._target import LabelMatrix, check_lengths, encode_multilabel

__all__ = ["MultilabelStratifiedKFold", "multilabel_train_test_split", "stratification_quality"]


class MultilabelStratifiedKFold:
    """K folds that keep the proportion of every label, by iterative stratification.

    scikit-learn's ``StratifiedKFold`` stratifies one class per row; for multi-label data each
    label set would be a class, and rare combinations break it. Iterative stratification
    (Sechidis et al., 2011) instead places the rows of the rarest label first, each in the fold
    that needs that label most, then the next rarest, and so on, so that every label's positives
    are spread over the folds in proportion: a label with at least ``n_splits`` positive rows
    is present in every fold. ``order=2`` also balances the pairs of labels that appear
    together (Szymański and Kajdanowicz, 2017), which keeps label co-occurrences alike across
    folds at little cost to the single labels.

    Fold sizes are close to, but not exactly, ``n_samples / n_splits``: the algorithm puts label
    proportions first. Works wherever scikit-learn takes ``cv=`` (``cross_validate``,
    ``GridSearchCV``, ...), with the multi-label target as ``y``; it implements the splitter
    interface (``split``, ``get_n_splits``) without importing ``sklearn.model_selection``.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2.
    order : {1, 2}, default=1
        1 balances the labels (Sechidis et al.); 2 balances the labels and the label pairs
        (Szymański and Kajdanowicz).
    shuffle : bool, default=False
        False processes the rows in input order and breaks every tie towards the lower fold, so
        the folds depend on the data only. True processes them in a random order and breaks
        ties at random.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the shuffling, used when ``shuffle`` is True (leave it None otherwise).

    See Also
    --------
    multilabel_train_test_split : one stratified train/test split.
    stratification_quality : how evenly a split spreads each label.
    sklearn.model_selection.StratifiedKFold : the single-label counterpart.

    References
    ----------
    .. [1] K. Sechidis, G. Tsoumakas and I. Vlahavas, "On the Stratification of Multi-Label
       Data", ECML PKDD 2011, LNCS 6913, 145-158.
    .. [2] P. Szymański and T. Kajdanowicz, "A Network Perspective on Stratification of
       Multi-Label Data", Proceedings of the First International Workshop on Learning with
       Imbalanced Domains, PMLR 74, 22-35, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import MultilabelStratifiedKFold
    >>> Y = np.array([[1, 0, 0]] * 6 + [[1, 1, 0]] * 3 + [[0, 0, 1]] * 3)
    >>> X = np.zeros((12, 1))
    >>> cv = MultilabelStratifiedKFold(n_splits=3)
    >>> for train, test in cv.split(X, Y):
    ...     print(test, Y[test].sum(axis=0))
    [0 3 6 9] [3 1 1]
    [ 1  4  7 10] [3 1 1]
    [ 2  5  8 11] [3 1 1]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_splits": [Interval("int", 2, None)],
        "order": [Interval("int", 1, 2)],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_splits: int = 5,
        *,
        order: int = 1,
        shuffle: bool = False,
        random_state: RandomState = None,
    ) -> None:
        self.n_splits = n_splits
        self.order = order
        self.shuffle = shuffle
        self.random_state = random_state

    def __repr__(self) -> str:
        params = ", ".join(f"{p}={getattr(self, p)!r}" for p in sorted(self._parameter_constraints))
        return f"{type(self).__name__}({params})"

    def get_n_splits(
        self, X: ArrayLike | None = None, y: Target | None = None, groups: ArrayLike | None = None
    ) -> int:
        """Number of folds (``n_splits``); X, y and groups are ignored."""
        return int(self.n_splits)

    def split(
        self, X: ArrayLike, y: Target | None = None, groups: ArrayLike | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Positions of the training and test rows of each fold.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or None
            Only its length is used (checked against ``y``).
        y : {array-like, sparse matrix, DataFrame} or list of lists
            The multi-label target: a 0/1 indicator of shape (n_samples, n_labels) or one list
            of labels per row.
        groups : None
            Ignored; present for the scikit-learn splitter interface.

        Yields
        ------
        train : ndarray of int
            Positions of the training rows, increasing.
        test : ndarray of int
            Positions of the test rows, increasing.
        """
        name = type(self).__name__
        params = {p: getattr(self, p) for p in self._parameter_constraints}
        validate_params(name, self._parameter_constraints, params)
        rng = _shuffling(self.shuffle, self.random_state, name)
        target = _target_for_split(X, y)
        if self.n_splits > target.n_samples:
            raise InvalidParameterError(
                f"{name} cannot have n_splits={self.n_splits} greater than the number of "
                f"rows, {target.n_samples}. Lower n_splits."
            )
        fold = stratified_folds(target, np.ones(self.n_splits, dtype=np.int64), self.order, rng)
        for j in range(self.n_splits):
            yield np.flatnonzero(fold != j), np.flatnonzero(fold == j)


def _target_for_split(X: ArrayLike | None, y: Target | None) -> LabelMatrix:
    if y is None:
        raise InvalidDataError(
            "y is None; a multi-label stratified split needs the labels of every row, as a 0/1 "
            "indicator or a list of label lists."
        )
    target = encode_multilabel(y, name="y")
    if X is not None:
        check_lengths(n_rows(as_supported(X)), target)
    return target


def _shuffling(shuffle: bool, random_state: RandomState, owner: str) -> np.random.Generator | None:
    if shuffle:
        return check_generator(random_state)
    if random_state is not None:
        raise InvalidParameterError(
            f"{owner}: setting random_state={random_state!r} has no effect since shuffle is "
            "False. Leave random_state to None, or set shuffle=True."
        )
    return None


def stratified_folds(
    target: LabelMatrix, weights: np.ndarray, order: int, rng: np.random.Generator | None
) -> np.ndarray:
    """The fold of every row of ``target`` for folds of proportions ``weights / sum``."""
    units, rank = stratification_units(target.Y, order)
    return assign_folds(units, rank, weights, rng)


def multilabel_train_test_split(
    *arrays: Any,
    stratify: ArrayLike,
    test_size: float | int | None = None,
    train_size: float | int | None = None,
    random_state: RandomState = None,
    shuffle: bool = True,
    order: int = 1,
) -> list[Any]:
    """Split arrays into a training and a test part with the same label proportions.

    The multi-label counterpart of ``sklearn.model_selection.train_test_split(...,
    stratify=y)``, by iterative stratification: every label keeps (up to rounding) its share of
    positive rows in both parts, even a label with a handful of rows. The sizes are close to the
    requested ones, not always exact (label proportions come first).

    Parameters
    ----------
    *arrays : sequence of indexables with the same number of rows
        numpy arrays, scipy.sparse matrices, pandas or polars DataFrames and Series, lists.
        Each comes back as two of the same type (pandas keeps its index).
    stratify : {array-like, sparse matrix, DataFrame} or list of lists
        The multi-label target to stratify on, with one row per sample: a 0/1 indicator of
        shape (n_samples, n_labels) or one list of labels per row.
    test_size : float or int, default=None
        Fraction (in (0, 1)) or number of rows of the test part; 0.25 when both sizes are None,
        and the complement of ``train_size`` when only that is given.
    train_size : float or int, default=None
        Fraction or number of rows of the training part; the complement of ``test_size`` when
        None. Sizes that add up to less than the data leave the other rows out of both parts.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the shuffling (when ``shuffle`` is True).
    shuffle : bool, default=True
        Process rows in a random order with random ties; False gives a split that depends on
        the data only (``random_state`` must then be None).
    order : {1, 2}, default=1
        1 balances the labels; 2 also the pairs of labels (see
        :class:`MultilabelStratifiedKFold`).

    Returns
    -------
    splitting : list of length 2 * len(arrays)
        ``train, test`` for each array in turn; rows keep their input order within each part.

    See Also
    --------
    MultilabelStratifiedKFold : K stratified folds.
    stratification_quality : measure how evenly the labels were spread.

    References
    ----------
    .. [1] K. Sechidis, G. Tsoumakas and I. Vlahavas, "On the Stratification of Multi-Label
       Data", ECML PKDD 2011, LNCS 6913, 145-158.
    .. [2] P. Szymański and T. Kajdanowicz, "A Network Perspective on Stratification of
       Multi-Label Data", PMLR 74, 22-35, 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from imbalance.multilabel import multilabel_train_test_split
    >>> X = np.arange(16).reshape(8, 2)
    >>> Y = [["a"], ["a"], ["a", "b"], ["a"], ["b"], ["a", "b"], ["a"], ["c"]]
    >>> X_train, X_test, Y_train, Y_test = multilabel_train_test_split(
    ...     X, Y, stratify=Y, test_size=0.25, random_state=0)
    >>> len(Y_train), len(Y_test)
    (6, 2)
    >>> sorted(label for labels in Y_test for label in labels)
    ['a', 'a', 'b']
    """
    owner = "multilabel_train_test_split"
    if not arrays:
        raise InvalidParameterError(f"{owner} needs at least one array to split.")
    validate_params(
        owner,
        {
            "order": [Interval("int", 1, 2)],
            "shuffle": ["boolean"],
            "random_state": ["random_state"],
        },
        {"order": order, "shuffle": shuffle, "random_state": random_state},
    )
    rng = _shuffling(shuffle, random_state, owner)
    target = encode_multilabel(stratify, name="stratify")
    arrays = tuple(as_supported(a) for a in arrays)
    for a in arrays:
        check_lengths(n_rows(a), target, x_name=f"an array ({type(a).__name__})")
    n_train, n_test = _sizes(target.n_samples, test_size, train_size)
    rest = target.n_samples - n_train - n_test
    weights = np.array([n_train, n_test] + ([rest] if rest else []), dtype=np.int64)
    fold = stratified_folds(target, weights, order, rng)
    train, test = np.flatnonzero(fold == 0), np.flatnonzero(fold == 1)
    return [part for a in arrays for part in (take_rows(a, train), take_rows(a, test))]


def _sizes(
    n: int, test_size: float | int | None, train_size: float | int | None
) -> tuple[int, int]:
    if test_size is None and train_size is None:
        test_size = 0.25
    n_test = None if test_size is None else _size(test_size, n, "test_size", math.ceil)
    n_train = None if train_size is None else _size(train_size, n, "train_size", math.floor)
    if n_test is None:
        n_test = n - int(n_train or 0)
    if n_train is None:
        n_train = n - n_test
    if n_train + n_test > n or n_train < 1 or n_test < 1:
        raise InvalidParameterError(
            f"train_size={train_size!r} and test_size={test_size!r} give {n_train} training and "
            f"{n_test} test rows out of {n}; each part needs at least one row and together at "
            "most all of them. Adjust the sizes."
        )
    return n_train, n_test


def _size(value: object, n: int, name: str, rounding: Callable[[float], float]) -> int:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if 0 < int(value) < n:
            return int(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        fraction = float(value)
        if 0.0 < fraction < 1.0:
            return int(rounding(fraction * n))
    raise InvalidParameterError(
        f"{name} must be a float in (0, 1) or an int in [1, {n - 1}] (the data has {n} rows). "
        f"Got {value!r} instead."
    )


def stratification_quality(
    y: Target, parts: Sequence[Any], *, order: int = 1, proportions: Sequence[float] | None = None
) -> dict[str, float]:
    """How evenly a split spreads every label (or label pair) over its parts.

    Parameters
    ----------
    y : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_labels), or list of lists
        The multi-label target that was split.
    parts : sequence of array-like of int
        Positions of the rows of each part: the test folds of a K-fold split
        (``[test for _, test in cv.split(X, y)]``), or ``[train, test]``.
    order : {1, 2}, default=1
        1 measures the labels; 2 the labels and the label pairs present in ``y``.
    proportions : sequence of float, default=None
        Wanted share of the rows of each part, for ``examples_distribution``; equal shares when
        None.

    Returns
    -------
    quality : dict of {str: float}
        Lower is better for all of them.

        - ``label_distribution``: Sechidis et al.'s LD, the mean over units of the mean over
          parts of ``|d_part - d|``, with ``d`` the ratio of positive to negative rows;
        - ``examples_distribution``: ED, the mean over parts of ``|size - wanted size|``;
        - ``mean_abs_deviation`` and ``max_abs_deviation``: of the positive proportion of each
          unit in each part from its proportion in ``y``;
        - ``mean_relative_deviation``: the same deviation divided by the unit's proportion in
          ``y``, averaged (rare labels weigh as much as frequent ones);
        - ``zero_positive_parts``: pairs (unit, part) where the part has no positive row
          although the unit has at least as many positive rows as there are parts.

    See Also
    --------
    MultilabelStratifiedKFold, multilabel_train_test_split : the splits it measures.

    References
    ----------
    .. [1] K. Sechidis, G. Tsoumakas and I. Vlahavas, "On the Stratification of Multi-Label
       Data", ECML PKDD 2011, LNCS 6913, 145-158.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import KFold
    >>> from imbalance.multilabel import MultilabelStratifiedKFold, stratification_quality
    >>> rng = np.random.default_rng(0)
    >>> Y = (rng.random((300, 6)) < [0.5, 0.3, 0.1, 0.05, 0.03, 0.02]).astype(int)
    >>> X = np.zeros((300, 1))
    >>> ours = [t for _, t in MultilabelStratifiedKFold(5).split(X, Y)]
    >>> plain = [t for _, t in KFold(5).split(X)]
    >>> q_ours, q_plain = stratification_quality(Y, ours), stratification_quality(Y, plain)
    >>> q_ours["max_abs_deviation"] < q_plain["max_abs_deviation"]
    True
    >>> q_ours["zero_positive_parts"]
    0.0
    """
    target = encode_multilabel(y, name="y")
    units, _ = stratification_units(target.Y, order)
    units = units.tocsr()
    n = target.n_samples
    index = [np.asarray(p, dtype=np.int64).reshape(-1) for p in parts]
    sizes = np.array([p.size for p in index], dtype=np.float64)
    if not index or (sizes == 0).any():
        raise InvalidDataError("parts must be a non-empty sequence of non-empty index arrays.")
    total = np.asarray(units.sum(axis=0)).ravel().astype(np.float64)
    per_part = np.stack([np.asarray(units[p].sum(axis=0)).ravel() for p in index], axis=1)
    share = total / n
    deviation = np.abs(per_part / sizes - share[:, None])
    present = total > 0
    wanted = _wanted_sizes(proportions, len(index), n)
    return {
        "label_distribution": float(np.mean(_ld(per_part, sizes, total, n)[present])),
        "examples_distribution": float(np.mean(np.abs(sizes - wanted))),
        "mean_abs_deviation": float(deviation[present].mean()),
        "max_abs_deviation": float(deviation[present].max()),
        "mean_relative_deviation": float((deviation[present] / share[present, None]).mean()),
        "zero_positive_parts": float(((per_part == 0) & (total >= len(index))[:, None]).sum()),
    }


def _ld(per_part: np.ndarray, sizes: np.ndarray, total: np.ndarray, n: int) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        d_all = total / (n - total)
        d_part = per_part / (sizes - per_part)
        return np.abs(d_part - d_all[:, None]).mean(axis=1)


def _wanted_sizes(proportions: Sequence[float] | None, k: int, n: int) -> np.ndarray:
    if proportions is None:
        return np.full(k, n / k)
    p = np.asarray(proportions, dtype=np.float64)
    if p.shape != (k,) or (p < 0).any() or not np.isclose(p.sum(), 1.0):
        raise InvalidParameterError(
            f"proportions must give one non-negative share per part ({k}) summing to 1; got "
            f"{list(proportions)!r}."
        )
    return p * n
