"""Balanced bagging: each member resamples its bootstrap sample before fitting."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.tree import DecisionTreeClassifier

from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval, validate_params
from .._typing import ArrayLike, Estimator, RandomState, Sampler, SamplingStrategy, Target
from ..exceptions import InvalidParameterError
from ..pipeline import Pipeline
from ..samplers import RandomUnderSampler
from ._base import MemberEnsembleMixin
from ._common import check_fit_data, draw_rows, n_to_draw

__all__ = ["BalancedBaggingClassifier"]

_N_JOBS = [None, Interval("int", -1, -1), Interval("int", 1, None)]


class BalancedBaggingClassifier(
    MemberEnsembleMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """A bagging classifier whose members each balance their sample with a sampler.

    Each of the ``n_estimators`` members draws rows (a bootstrap when ``bootstrap``, else a
    subsample; ``max_samples`` of them) and columns (``max_features``), resamples the rows with
    a clone of ``sampler`` (by default a :class:`~imbalance.samplers.RandomUnderSampler`), and
    fits a clone of ``estimator`` on the result. ``sample_weight`` follows the rows through the
    sampler. Predictions average the members' probabilities (or count their votes when the
    estimator has no ``predict_proba``). Every member gets its own seed from ``random_state``,
    so results do not depend on ``n_jobs``. ``decision_function`` averages the members' scores
    when the estimator has one.

    Parameters
    ----------
    estimator : classifier or None, default=None
        The members' model; ``None`` is a :class:`~sklearn.tree.DecisionTreeClassifier`.
    n_estimators : int, default=10
        Number of members.
    max_samples : int or float, default=1.0
        Rows drawn per member: an int, or a share of the rows.
    max_features : int or float, default=1.0
        Columns drawn per member: an int, or a share of the columns.
    bootstrap : bool, default=True
        Draw rows with replacement.
    bootstrap_features : bool, default=False
        Draw columns with replacement.
    oob_score : bool, default=False
        Estimate the accuracy on the rows each member did not train on (needs ``bootstrap``).
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators`` (not with
        ``oob_score``).
    sampling_strategy : float, str, dict or callable, default="auto"
        Counts asked of the default sampler (imbalanced-learn's meanings, see
        :class:`~imbalance.samplers.RandomUnderSampler`); ignored when ``sampler`` is given.
    replacement : bool, default=False
        Whether the default sampler draws with replacement; ignored when ``sampler`` is given.
    n_jobs : int or None, default=None
        Threads fitting members (and predicting with them).
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of every draw: rows, columns, the samplers' and the estimators' seeds.
    verbose : int, default=0
        Verbosity of the parallel fitting.
    sampler : sampler or None, default=None
        Any sampler (ours, or with ``fit_resample``); cloned and seeded for each member.

    Attributes
    ----------
    estimator_ : Pipeline
        The (unfitted) member the members are cloned from: a
        :class:`~imbalance.pipeline.Pipeline` of steps ``"sampler"`` and ``"classifier"``.
    sampler_ : sampler
        The (unfitted) sampler the members' samplers are cloned from.
    estimators_ : list of Pipeline
        The fitted members, each a pipeline of its fitted sampler (step ``"sampler"``) and
        model (step ``"classifier"``); the ensemble also iterates over them and ``len`` counts
        them.
    samplers_ : list of samplers
        The fitted members' samplers (the pipelines' first steps).
    estimators_samples_ : list of ndarray
        Positions in X of the rows drawn for each member, before its sampler: refitting
        ``estimators_[i]`` on ``X[estimators_samples_[i]][:, estimators_features_[i]]``
        reproduces it.
    estimators_features_ : list of ndarray
        Columns each member reads.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    oob_score_ : float
        Out-of-bag accuracy (only with ``oob_score=True``). A row is out of bag for a member
        whose model did not train on it: left out by the bootstrap or removed by the sampler.
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag probabilities, NaN for rows every member trained on (only with
        ``oob_score=True``).
    n_features_in_ : int
        Number of columns seen at fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen at fit, when X had string column names.

    See Also
    --------
    EasyEnsembleClassifier : AdaBoost members on balanced samples.
    BalancedRandomForestClassifier : a random forest of balanced trees.
    imbalance.pipeline.ResampledClassifier : one sampler and one model.

    References
    ----------
    .. [1] R. Maclin and D. Opitz, "An empirical evaluation of bagging and boosting", AAAI/IAAI,
       546-551, 1997.
    .. [2] R. Barandela, R. M. Valdovinos and J. S. Sánchez, "New applications of ensembles of
       classifiers", Pattern Analysis & Applications, 6(3), 245-256, 2003.
    .. [3] S. Wang and X. Yao, "Diversity analysis on imbalanced data sets by using ensemble
       models", IEEE Symposium on Computational Intelligence and Data Mining, 324-331, 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.ensemble import BalancedBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = BalancedBaggingClassifier(random_state=0).fit(X, y)
    >>> clf.samplers_[0].target_counts_
    {0: 54, 1: 54}
    >>> [name for name, _ in clf.estimators_[0].steps]
    ['sampler', 'classifier']
    >>> len(clf), clf.predict(X[:3]).shape
    (10, (3,))
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "estimator": [None, "estimator"],
        "n_estimators": [Interval("int", 1, None)],
        "max_samples": [Interval("int", 1, None), Interval("real", 0, 1, closed="right")],
        "max_features": [Interval("int", 1, None), Interval("real", 0, 1, closed="right")],
        "bootstrap": ["boolean"],
        "bootstrap_features": ["boolean"],
        "oob_score": ["boolean"],
        "warm_start": ["boolean"],
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
        "n_jobs": _N_JOBS,
        "random_state": ["random_state"],
        "verbose": [Interval("int", 0, None), "boolean"],
        "sampler": [None, "sampler"],
    }

    def __init__(
        self,
        estimator: Estimator | None = None,
        n_estimators: int = 10,
        *,
        max_samples: float = 1.0,
        max_features: float = 1.0,
        bootstrap: bool = True,
        bootstrap_features: bool = False,
        oob_score: bool = False,
        warm_start: bool = False,
        sampling_strategy: SamplingStrategy = "auto",
        replacement: bool = False,
        n_jobs: int | None = None,
        random_state: RandomState = None,
        verbose: int = 0,
        sampler: Sampler | None = None,
    ) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.sampler = sampler

    def fit(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None
    ) -> BalancedBaggingClassifier:
        """Fit the members.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows; they follow the rows through each member's sampler and reach
            its estimator's ``fit`` (which must accept ``sample_weight``).

        Returns
        -------
        self : BalancedBaggingClassifier
        """
        validate_params(type(self).__name__, self._parameter_constraints, self.get_params(False))
        if self.oob_score and not self.bootstrap:
            raise InvalidParameterError(
                "oob_score=True needs bootstrap=True: without a bootstrap no row is left out "
                "by the draw. Set bootstrap=True or oob_score=False."
            )
        if self.oob_score and self.warm_start:
            raise InvalidParameterError(
                "oob_score=True cannot be combined with warm_start=True: the out-of-bag "
                "estimate needs every member fitted in the same call. Set warm_start=False or "
                "oob_score=False."
            )
        X, y, w = check_fit_data(self, X, y, sample_weight)
        estimator = self._default_estimator() if self.estimator is None else self.estimator
        self.sampler_ = (
            RandomUnderSampler(
                sampling_strategy=self.sampling_strategy, replacement=self.replacement
            )
            if self.sampler is None
            else self.sampler
        )
        self.estimator_ = Pipeline([("sampler", self.sampler_), ("classifier", estimator)])
        n, d = X.shape
        n_rows = n_to_draw(self.max_samples, n)
        n_cols = n_to_draw(self.max_features, d, "max_features")

        def draw(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
            rows = draw_rows(rng, n, n_rows, self.bootstrap)
            return rows, draw_rows(rng, d, n_cols, self.bootstrap_features)

        members = self._grow(X, y, w, self.sampler_, estimator, draw)
        self._set_oob(X, y, [m.trained for m in members] if self.oob_score else None)
        return self

    @staticmethod
    def _default_estimator() -> Any:
        return DecisionTreeClassifier()

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
