"""EasyEnsemble: AdaBoost members, each fitted on its own balanced random subset."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.ensemble import AdaBoostClassifier

from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval, validate_params
from .._typing import ArrayLike, Estimator, RandomState, SamplingStrategy, Target
from ..pipeline import Pipeline
from ..samplers import RandomUnderSampler
from ._bagging import _N_JOBS
from ._base import MemberEnsembleMixin
from ._common import check_fit_data

__all__ = ["EasyEnsembleClassifier"]


class EasyEnsembleClassifier(
    MemberEnsembleMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """An ensemble of AdaBoost classifiers, each trained on a balanced random subset.

    Each of the ``n_estimators`` members under-samples the whole training set with its own
    :class:`~imbalance.samplers.RandomUnderSampler` and fits a clone of ``estimator`` (by
    default :class:`~sklearn.ensemble.AdaBoostClassifier`) on the result; every row of the
    minority takes part in every member. ``sample_weight`` follows the rows into the members.
    Predictions average the members' probabilities (``decision_function`` their scores, when
    the estimator has one). Every member gets its own seed from
    ``random_state``, so results do not depend on ``n_jobs``.

    Parameters
    ----------
    n_estimators : int, default=10
        Number of members.
    estimator : classifier or None, default=None
        The members' model; ``None`` is ``AdaBoostClassifier()``.
    warm_start : bool, default=False
        Keep the fitted members and add new ones up to ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Counts asked of each member's under-sampler (imbalanced-learn's meanings, see
        :class:`~imbalance.samplers.RandomUnderSampler`).
    replacement : bool, default=False
        Whether the under-samplers draw with replacement.
    n_jobs : int or None, default=None
        Threads fitting members (and predicting with them).
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the samplers and of the members' models.
    verbose : int, default=0
        Verbosity of the parallel fitting.

    Attributes
    ----------
    estimator_ : Pipeline
        The (unfitted) member the members are cloned from: a
        :class:`~imbalance.pipeline.Pipeline` of steps ``"sampler"`` and ``"classifier"``.
    sampler_ : RandomUnderSampler
        The (unfitted) under-sampler the members' samplers are cloned from.
    estimators_ : list of Pipeline
        The fitted members, each a pipeline of its fitted under-sampler (step ``"sampler"``)
        and model (step ``"classifier"``); the ensemble also iterates over them and ``len``
        counts them.
    samplers_ : list of samplers
        The fitted members' under-samplers (the pipelines' first steps).
    estimators_samples_ : list of ndarray
        Positions in X of the rows each member's under-sampler was given (all of them).
    estimators_features_ : list of ndarray
        Columns each member reads (all of them).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    n_features_in_ : int
        Number of columns seen at fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen at fit, when X had string column names.

    See Also
    --------
    BalancedBaggingClassifier : bagging with any sampler and any model.
    RUSBoostClassifier : one boosting run that under-samples at every step.

    References
    ----------
    .. [1] X. Y. Liu, J. Wu and Z. H. Zhou, "Exploratory undersampling for class-imbalance
       learning", IEEE Transactions on Systems, Man, and Cybernetics, Part B, 39(2), 539-550,
       2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.ensemble import EasyEnsembleClassifier
    >>> X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    >>> clf = EasyEnsembleClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.samplers_[0].target_counts_
    {0: 41, 1: 41}
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_estimators": [Interval("int", 1, None)],
        "estimator": [None, "estimator"],
        "warm_start": ["boolean"],
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
        "n_jobs": _N_JOBS,
        "random_state": ["random_state"],
        "verbose": [Interval("int", 0, None), "boolean"],
    }

    def __init__(
        self,
        n_estimators: int = 10,
        estimator: Estimator | None = None,
        *,
        warm_start: bool = False,
        sampling_strategy: SamplingStrategy = "auto",
        replacement: bool = False,
        n_jobs: int | None = None,
        random_state: RandomState = None,
        verbose: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.estimator = estimator
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def fit(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None
    ) -> EasyEnsembleClassifier:
        """Fit the members.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows; they follow the rows through each member's under-sampler and
            reach its model's ``fit``.

        Returns
        -------
        self : EasyEnsembleClassifier
        """
        validate_params(type(self).__name__, self._parameter_constraints, self.get_params(False))
        X, y, w = check_fit_data(self, X, y, sample_weight)
        estimator = self._default_estimator() if self.estimator is None else self.estimator
        self.sampler_ = RandomUnderSampler(
            sampling_strategy=self.sampling_strategy, replacement=self.replacement
        )
        self.estimator_ = Pipeline([("sampler", self.sampler_), ("classifier", estimator)])
        n, d = X.shape

        def draw(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
            return np.arange(n), np.arange(d)

        self._grow(X, y, w, self.sampler_, estimator, draw)
        return self

    @staticmethod
    def _default_estimator() -> Any:
        return AdaBoostClassifier()

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
