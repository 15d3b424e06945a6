"""Balanced random forest: every tree grows on its own balanced random under-sample."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags
from sklearn.utils.class_weight import compute_sample_weight

from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval, Options, validate_params
from .._typing import ArrayLike, Label, RandomState, SamplingStrategy, Target
from ..exceptions import InvalidParameterError
from ..pipeline import make_pipeline
from ..samplers import RandomUnderSampler
from ._bagging import _N_JOBS
from ._base import MemberEnsembleMixin
from ._common import Member, check_fit_data, n_to_draw

__all__ = ["BalancedRandomForestClassifier"]

_TREE_PARAMS = (
    "criterion",
    "max_depth",
    "min_samples_split",
    "min_samples_leaf",
    "min_weight_fraction_leaf",
    "max_features",
    "max_leaf_nodes",
    "min_impurity_decrease",
    "ccp_alpha",
    "monotonic_cst",
)


class BalancedRandomForestClassifier(MemberEnsembleMixin, ClassifierMixin, BaseEstimator):
    """A random forest in which each tree grows on a balanced random under-sample.

    For each of the ``n_estimators`` trees, a :class:`~imbalance.samplers.RandomUnderSampler`
    (``sampling_strategy``, ``replacement``) draws a balanced sample of the training set; with
    ``bootstrap`` the tree then takes a bootstrap of that sample (``max_samples`` rows, at most
    its size); the tree is a :class:`~sklearn.tree.DecisionTreeClassifier` choosing among
    ``max_features`` columns at each split. ``sample_weight`` (times ``class_weight``) follows
    the rows into the trees. Predictions average the trees' probabilities. Every tree gets its
    own seed from ``random_state``, so results do not depend on ``n_jobs``. Missing values
    (NaN) are handled by the trees, as in scikit-learn's forests.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees.
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
        Split quality, as in scikit-learn's trees.
    max_depth : int or None, default=None
        Largest depth of a tree.
    min_samples_split : int or float, default=2
        Fewest rows a node needs to be split.
    min_samples_leaf : int or float, default=1
        Fewest rows in a leaf.
    min_weight_fraction_leaf : float, default=0.0
        Smallest share of the total weight in a leaf.
    max_features : {"sqrt", "log2"}, int, float or None, default="sqrt"
        Columns considered at each split.
    max_leaf_nodes : int or None, default=None
        Largest number of leaves.
    min_impurity_decrease : float, default=0.0
        Smallest impurity decrease of a split.
    bootstrap : bool, default=False
        Grow each tree on a bootstrap of its under-sample.
    oob_score : bool, default=False
        Estimate the accuracy on the rows each tree did not train on (needs ``bootstrap``).
    sampling_strategy : float, str, dict or callable, default="all"
        Counts asked of each tree's under-sampler (imbalanced-learn's meanings; ``"all"``
        shrinks every class to the minority's size).
    replacement : bool, default=True
        Whether the under-samplers draw with replacement.
    n_jobs : int or None, default=None
        Threads growing trees (and predicting with them).
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the samplers, the bootstraps and the trees.
    verbose : int, default=0
        Verbosity of the parallel fitting.
    warm_start : bool, default=False
        Keep the grown trees and add new ones up to ``n_estimators``.
    class_weight : dict, list of dict, "balanced", "balanced_subsample" or None, default=None
        Weights of the classes, multiplied into ``sample_weight``; ``"balanced_subsample"``
        computes them on each tree's sample.
    ccp_alpha : float, default=0.0
        Cost-complexity pruning of the trees.
    max_samples : int, float or None, default=None
        With ``bootstrap``, rows drawn per tree (an int or a share of the training set);
        ``None`` draws as many as the under-sample holds.
    monotonic_cst : array-like of int or None, default=None
        Monotonicity constraints of the trees.

    Attributes
    ----------
    estimator_ : DecisionTreeClassifier
        The (unfitted) tree the trees are cloned from.
    base_sampler_ : RandomUnderSampler
        The (unfitted) under-sampler the trees' samplers are cloned from.
    estimators_ : list of DecisionTreeClassifier
        The fitted trees; the forest also iterates over them and ``len`` counts them.
    samplers_ : list of RandomUnderSampler
        The fitted under-samplers, one per tree.
    pipelines_ : list of Pipeline
        Each tree's under-sampler and tree as a :class:`~imbalance.pipeline.Pipeline` (steps
        ``"randomundersampler"`` and ``"decisiontreeclassifier"``; the same objects as in
        ``samplers_`` and ``estimators_``).
    estimators_samples_ : list of ndarray
        Positions in X of the rows each tree was grown on.
    estimators_features_ : list of ndarray
        Columns each tree reads (all of them).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    feature_importances_ : ndarray of shape (n_features_in_,)
        Mean impurity-based importance of each column over the trees, normalised to sum to 1.
    oob_score_ : float
        Out-of-bag accuracy (only with ``oob_score=True``): each row is scored by the trees
        that did not grow on it (removed by the under-sampler or left out by the bootstrap).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag probabilities, NaN for rows every tree grew on (only with
        ``oob_score=True``).
    n_features_in_ : int
        Number of columns seen at fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen at fit, when X had string column names.

    See Also
    --------
    BalancedBaggingClassifier : bagging with any sampler and any model.
    EasyEnsembleClassifier : AdaBoost members on balanced samples.

    References
    ----------
    .. [1] C. Chen, A. Liaw and L. Breiman, "Using random forest to learn imbalanced data",
       University of California, Berkeley, Technical Report 666, 2004.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    >>> clf = BalancedRandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> clf.samplers_[0].target_counts_
    {0: 41, 1: 41}
    >>> round(float(clf.feature_importances_.sum()), 6)
    1.0
    """

    _allow_nan = True
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_estimators": [Interval("int", 1, None)],
        "bootstrap": ["boolean"],
        "oob_score": ["boolean"],
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
        "n_jobs": _N_JOBS,
        "random_state": ["random_state"],
        "verbose": [Interval("int", 0, None), "boolean"],
        "warm_start": ["boolean"],
        "class_weight": [None, "dict", Options({"balanced", "balanced_subsample"})],
        "max_samples": [None, Interval("int", 1, None), Interval("real", 0, 1, closed="right")],
    }

    def __init__(
        self,
        n_estimators: int = 100,
        *,
        criterion: str = "gini",
        max_depth: int | None = None,
        min_samples_split: float = 2,
        min_samples_leaf: float = 1,
        min_weight_fraction_leaf: float = 0.0,
        max_features: int | float | str | None = "sqrt",
        max_leaf_nodes: int | None = None,
        min_impurity_decrease: float = 0.0,
        bootstrap: bool = False,
        oob_score: bool = False,
        sampling_strategy: SamplingStrategy = "all",
        replacement: bool = True,
        n_jobs: int | None = None,
        random_state: RandomState = None,
        verbose: int = 0,
        warm_start: bool = False,
        class_weight: str | Mapping[Label, float] | list[Mapping[Label, float]] | None = None,
        ccp_alpha: float = 0.0,
        max_samples: int | float | None = None,
        monotonic_cst: npt.ArrayLike | None = None,
    ) -> None:
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples
        self.monotonic_cst = monotonic_cst

    def fit(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None
    ) -> BalancedRandomForestClassifier:
        """Grow the trees.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows (times ``class_weight``); they follow the rows through each
            tree's under-sampler and bootstrap.

        Returns
        -------
        self : BalancedRandomForestClassifier
        """
        validate_params(type(self).__name__, self._parameter_constraints, self.get_params(False))
        if self.oob_score and not self.bootstrap:
            raise InvalidParameterError(
                "oob_score=True needs bootstrap=True (the out-of-bag rows are the rows left out "
                "by each tree's bootstrap). Set bootstrap=True or oob_score=False."
            )
        X, y, w = check_fit_data(self, X, y, sample_weight, allow_nan=True)
        if self.class_weight not in (None, "balanced_subsample"):
            w = compute_sample_weight(self.class_weight, y) * (1.0 if w is None else w)
        self.estimator_ = DecisionTreeClassifier(
            **{name: getattr(self, name) for name in _TREE_PARAMS}
        )
        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=self.sampling_strategy, replacement=self.replacement
        )
        n, d = X.shape
        cap = None if self.max_samples is None else n_to_draw(self.max_samples, n)
        subsample = self.class_weight == "balanced_subsample"
        if subsample and w is None:
            w = np.ones(n)

        def draw(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
            return np.arange(n), np.arange(d)

        def tree_weights(
            rng: np.random.Generator, y_res: np.ndarray, w_res: np.ndarray | None, used: np.ndarray
        ) -> tuple[Any, np.ndarray]:
            draws = None
            if self.bootstrap:
                size = len(y_res) if cap is None else min(cap, len(y_res))
                draws = rng.integers(0, len(y_res), size=size)
                counts = np.bincount(draws, minlength=len(y_res))
                w_res = counts.astype(np.float64) if w_res is None else w_res * counts
                used = used[counts > 0]
            if subsample:
                w_res = w_res * compute_sample_weight("balanced", y_res, indices=draws)
            return w_res, used

        self._grow(X, y, w, self.base_sampler_, self.estimator_, draw, tree_weights)
        self._set_oob(X, y, self.estimators_samples_ if self.oob_score else None)
        return self

    def _reset(self) -> None:
        super()._reset()
        self.pipelines_: list[Any] = []

    def _store(self, member: Member) -> None:
        self.estimators_.append(member.estimator)
        self.samplers_.append(member.sampler)
        self.pipelines_.append(make_pipeline(member.sampler, member.estimator))
        self.estimators_samples_.append(member.trained)
        self.estimators_features_.append(member.features)

    def _models(self) -> list[tuple[Any, np.ndarray]]:
        return list(zip(self.estimators_, self.estimators_features_, strict=True))

    def apply(self, X: ArrayLike) -> np.ndarray:
        """The leaf each row reaches in each tree.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        leaves : ndarray of shape (n_samples, n_estimators)
            Column ``i`` holds the index of the leaf of ``estimators_[i]`` that each row ends in.
        """
        X = self._check_X(X)
        return np.column_stack([tree.apply(X) for tree in self.estimators_])

    def decision_path(self, X: ArrayLike) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The nodes each row passes through, in every tree.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        indicator : sparse matrix of shape (n_samples, n_nodes)
            Entry ``(r, j)`` is 1 when row ``r`` passes through node ``j``; the nodes of all the
            trees are stacked side by side.
        n_nodes_ptr : ndarray of shape (n_estimators + 1,)
            The columns ``n_nodes_ptr[i]:n_nodes_ptr[i + 1]`` of ``indicator`` are the nodes of
            ``estimators_[i]``.
        """
        X = self._check_X(X)
        paths = [tree.decision_path(X) for tree in self.estimators_]
        ptr = np.concatenate([[0], np.cumsum([p.shape[1] for p in paths])])
        return sparse.hstack(paths, format="csr"), ptr

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean impurity-based importance of each column over the trees (sums to 1)."""
        grown = [t.feature_importances_ for t in self.estimators_ if t.tree_.node_count > 1]
        if not grown:
            return np.zeros(self.n_features_in_, dtype=np.float64)
        mean = np.mean(grown, axis=0)
        return np.asarray(mean / mean.sum())

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tree = DecisionTreeClassifier(**{name: getattr(self, name) for name in _TREE_PARAMS})
        tags.input_tags.allow_nan = get_tags(tree).input_tags.allow_nan
        return tags
