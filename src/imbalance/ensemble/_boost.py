"""RUSBoost: AdaBoost (SAMME) whose every step learns from a random balanced under-sample."""

from __future__ import annotations

import warnings
from collections import deque
from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.metrics import accuracy_score
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted, validate_data

from .._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval, Options, validate_params
from .._typing import ArrayLike, Classifier, Estimator, RandomState, SamplingStrategy, Target
from .._validation import check_generator
from ..exceptions import InvalidDataError
from ..pipeline import make_pipeline, resample_sample_weight
from ..samplers import RandomUnderSampler
from ._bagging import _N_JOBS
from ._common import MAX_SEED, check_fit_data, seeded

__all__ = ["RUSBoostClassifier"]


class RUSBoostClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """AdaBoost in which every boosting step trains on a random balanced under-sample.

    The boosting is SAMME (multi-class AdaBoost) over a class-balanced starting distribution:
    the boosting weights ``w`` start uniform within each class (or at ``sample_weight``) with
    every class holding the same total. At step ``m`` a
    :class:`~imbalance.samplers.RandomUnderSampler` draws a balanced sample, and a clone of
    ``estimator`` is fitted on it with the boosting weights of its rows, rescaled within each
    class so that every class carries in the sample the total weight it carries in ``w``. The
    step's weighted error ``err`` is measured on the *whole* training set, its weight is
    ``learning_rate * (log((1 - err) / err) + log(K - 1))`` for ``K`` classes, and the weights
    of the rows it misclassifies are multiplied by ``exp`` of that weight. Boosting stops early
    on a perfect step, and a step no better than chance is dropped (the first one raises).
    Without removal (a ``sampling_strategy`` keeping every row) this is scikit-learn's
    ``AdaBoostClassifier`` fitted with class-balanced sample weights.

    The rescaling and the balanced start are what make the default stumps boost on
    multi-class data: with the raw weights of the drawn rows (imbalanced-learn's RUSBoost), the
    few majority rows drawn carry almost no weight after the first step, the next model gives
    up the majority class, is worse than chance on the whole set, and boosting stops after one
    or two of its ``n_estimators`` steps.

    Parameters
    ----------
    estimator : classifier or None, default=None
        The boosted model (it must accept ``sample_weight``); ``None`` is
        ``DecisionTreeClassifier(max_depth=1)``.
    n_estimators : int, default=50
        Largest number of boosting steps.
    learning_rate : float, default=1.0
        Shrinks the weight of every step.
    algorithm : {"SAMME", "SAMME.R"}, default="deprecated"
        Accepted for imbalanced-learn compatibility and ignored, with a ``FutureWarning``:
        boosting is always SAMME.
    sampling_strategy : float, str, dict or callable, default="auto"
        Counts asked of each step's under-sampler (imbalanced-learn's meanings, see
        :class:`~imbalance.samplers.RandomUnderSampler`).
    replacement : bool, default=False
        Whether the under-samplers draw with replacement.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the under-samplers and of the boosted models.
    n_jobs : int or None, default=None
        Threads computing the steps' predictions when predicting (boosting itself is
        sequential).

    Attributes
    ----------
    estimator_ : classifier
        The (unfitted) model the steps are cloned from.
    base_sampler_ : RandomUnderSampler
        The (unfitted) under-sampler the steps' samplers are cloned from.
    estimators_ : list of classifiers
        The fitted model of each kept step; the ensemble also iterates over them and ``len``
        counts them.
    samplers_ : list of RandomUnderSampler
        The fitted under-sampler of each kept step.
    pipelines_ : list of Pipeline
        Each kept step's under-sampler and model as a :class:`~imbalance.pipeline.Pipeline`
        (the same objects as in ``samplers_`` and ``estimators_``).
    estimator_weights_ : ndarray of shape (n_estimators,)
        Weight of each step (0 for steps not run).
    estimator_errors_ : ndarray of shape (n_estimators,)
        Weighted training error of each step (1 for steps not run).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_classes_ : int
        Number of classes.
    feature_importances_ : ndarray of shape (n_features_in_,)
        Importance of each column: the steps' importances averaged with the step weights.
    n_features_in_ : int
        Number of columns seen at fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names seen at fit, when X had string column names.

    See Also
    --------
    EasyEnsembleClassifier : independent AdaBoost members on balanced samples.
    BalancedBaggingClassifier : bagging with any sampler and any model.

    References
    ----------
    .. [1] C. Seiffert, T. M. Khoshgoftaar, J. Van Hulse and A. Napolitano, "RUSBoost: A hybrid
       approach to alleviating class imbalance", IEEE Transactions on Systems, Man, and
       Cybernetics, Part A, 40(1), 185-197, 2010.
    .. [2] J. Zhu, H. Zou, S. Rosset and T. Hastie, "Multi-class AdaBoost", Statistics and Its
       Interface, 2(3), 349-360, 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from imbalance.ensemble import RUSBoostClassifier
    >>> X, y = make_classification(n_samples=400, weights=[0.9], random_state=0)
    >>> clf = RUSBoostClassifier(n_estimators=10, random_state=0).fit(X, y)
    >>> clf.samplers_[0].target_counts_
    {0: 41, 1: 41}
    >>> len(clf) == len(clf.samplers_) <= 10
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "estimator": [None, "estimator"],
        "n_estimators": [Interval("int", 1, None)],
        "learning_rate": [Interval("real", 0, None, closed="neither")],
        "algorithm": [Options({"SAMME", "SAMME.R", "deprecated"})],
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "replacement": ["boolean"],
        "random_state": ["random_state"],
        "n_jobs": _N_JOBS,
    }

    def __init__(
        self,
        estimator: Estimator | None = None,
        *,
        n_estimators: int = 50,
        learning_rate: float = 1.0,
        algorithm: str = "deprecated",
        sampling_strategy: SamplingStrategy = "auto",
        replacement: bool = False,
        random_state: RandomState = None,
        n_jobs: int | None = None,
    ) -> None:
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.algorithm = algorithm
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None
    ) -> RUSBoostClassifier:
        """Boost.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Starting boosting weights within each class (uniform when None); every class
            starts with the same total.

        Returns
        -------
        self : RUSBoostClassifier
        """
        validate_params(type(self).__name__, self._parameter_constraints, self.get_params(False))
        if self.algorithm != "deprecated":
            warnings.warn(
                f"RUSBoostClassifier(algorithm={self.algorithm!r}): the `algorithm` parameter "
                "is ignored (boosting is always SAMME) and kept only for imbalanced-learn "
                "compatibility; it will be removed. Drop it.",
                FutureWarning,
                stacklevel=2,
            )
        X, y, w = check_fit_data(self, X, y, sample_weight)
        w = _balanced_start(y, self.classes_, w)
        self.estimator_ = (
            DecisionTreeClassifier(max_depth=1) if self.estimator is None else self.estimator
        )
        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=self.sampling_strategy, replacement=self.replacement
        )
        self.estimators_: list[Any] = []
        self.samplers_: list[Any] = []
        self.pipelines_: list[Any] = []
        self.estimator_weights_ = np.zeros(self.n_estimators, dtype=np.float64)
        self.estimator_errors_ = np.ones(self.n_estimators, dtype=np.float64)
        seeds = check_generator(self.random_state).integers(MAX_SEED, size=self.n_estimators)
        for m, seed in enumerate(seeds.tolist()):
            w, stop = self._step(m, X, y, w, seed)
            if stop:
                break
        return self

    def _step(
        self, m: int, X: ArrayLike, y: np.ndarray, w: np.ndarray, seed: int
    ) -> tuple[np.ndarray, bool]:
        """One boosting step; returns the new weights and whether boosting stops."""
        sampler = seeded(self.base_sampler_, seed)
        X_res, y_res = sampler.fit_resample(X, y)
        w_res = _rescale_per_class(
            resample_sample_weight(sampler, w, len(y_res)), y_res, y, w, self.classes_
        )
        est = seeded(self.estimator_, seed)
        est.fit(X_res, y_res, sample_weight=w_res)
        wrong = est.predict(X) != y
        error = float(np.average(wrong, weights=w))
        k = self.n_classes_
        if error >= 1.0 - 1.0 / k:
            if m == 0:
                raise InvalidDataError(
                    f"RUSBoostClassifier: the first boosting step has weighted error {error:.3g}, "
                    f"no better than chance for {k} classes, so there is nothing to boost. Use a "
                    "stronger estimator (e.g. a deeper tree)."
                )
            return w, True
        self.estimators_.append(est)
        self.samplers_.append(sampler)
        self.pipelines_.append(make_pipeline(sampler, est))
        self.estimator_errors_[m] = error
        if error <= 0.0:
            self.estimator_weights_[m] = 1.0
            return w, True
        alpha = self.learning_rate * (np.log((1.0 - error) / error) + np.log(k - 1.0))
        self.estimator_weights_[m] = alpha
        w = w * np.exp(alpha * wrong * (w > 0))
        total = w.sum()
        if not np.isfinite(total) or total <= 0:
            return w, True
        return w / total, False

    def __len__(self) -> int:
        return len(self.estimators_)

    def __getitem__(self, index: int) -> Any:
        return self.estimators_[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.estimators_)

    def _staged_scores(self, X: ArrayLike) -> Iterator[np.ndarray]:
        """SAMME scores after each kept step (see :meth:`decision_function`)."""
        check_is_fitted(self, "estimators_")
        X = validate_data(self, X, accept_sparse=["csr", "csc"], dtype=None, reset=False)
        k = self.n_classes_
        weights = self.estimator_weights_[: len(self.estimators_)]
        votes = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_step_votes)(est, X, self.classes_) for est in self.estimators_
        )
        total = np.zeros((X.shape[0], k), dtype=np.float64)
        for v, a, seen in zip(votes, weights, np.cumsum(weights), strict=True):
            total += np.where(v, a, -a / (k - 1))
            score = total / seen
            yield np.asarray(score[:, 1] - score[:, 0]) if k == 2 else score

    def _proba(self, score: np.ndarray) -> np.ndarray:
        if self.n_classes_ == 2:
            score = np.column_stack([-score, score]) / 2.0
        else:
            score = score / (self.n_classes_ - 1)
        score = score - score.max(axis=1, keepdims=True)
        e = np.exp(score)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def _label(self, score: np.ndarray) -> np.ndarray:
        if self.n_classes_ == 2:
            return np.asarray(self.classes_[(score > 0).astype(np.intp)])
        return np.asarray(self.classes_[np.argmax(score, axis=1)])

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """SAMME scores: the step-weighted votes, ``1`` for the predicted class and
        ``-1 / (K - 1)`` for the others, divided by the total step weight.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
            For two classes, the score of the second class (positive favours it).
        """
        return deque(self._staged_scores(X), maxlen=1).pop()

    def staged_decision_function(self, X: ArrayLike) -> Iterator[np.ndarray]:
        """:meth:`decision_function` of the ensemble after each kept step.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Yields
        ------
        score : ndarray of shape (n_samples,) for two classes, else (n_samples, n_classes)
        """
        yield from self._staged_scores(X)

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities: a softmax of the SAMME scores divided by ``K - 1``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._proba(self.decision_function(X))

    def staged_predict_proba(self, X: ArrayLike) -> Iterator[np.ndarray]:
        """:meth:`predict_proba` of the ensemble after each kept step.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Yields
        ------
        proba : ndarray of shape (n_samples, n_classes)
        """
        for score in self._staged_scores(X):
            yield self._proba(score)

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Class with the highest SAMME score.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        return self._label(self.decision_function(X))

    def staged_predict(self, X: ArrayLike) -> Iterator[np.ndarray]:
        """:meth:`predict` of the ensemble after each kept step.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Yields
        ------
        y : ndarray of shape (n_samples,)
        """
        for score in self._staged_scores(X):
            yield self._label(score)

    def staged_score(
        self, X: ArrayLike, y: Target, sample_weight: ArrayLike | None = None
    ) -> Iterator[float]:
        """Accuracy of the ensemble after each kept step.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Yields
        ------
        score : float
        """
        for predicted in self.staged_predict(X):
            yield float(accuracy_score(y, predicted, sample_weight=sample_weight))

    @property
    def feature_importances_(self) -> np.ndarray:
        """The steps' impurity importances averaged with the step weights."""
        check_is_fitted(self, "estimators_")
        weights = self.estimator_weights_[: len(self.estimators_)]
        total = sum(
            a * e.feature_importances_ for a, e in zip(weights, self.estimators_, strict=True)
        )
        return np.asarray(total / weights.sum())

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _step_votes(est: Classifier, X: ArrayLike, classes: np.ndarray) -> np.ndarray:
    return np.asarray(est.predict(X)[:, None] == classes[None, :])


def _balanced_start(y: np.ndarray, classes: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    """Starting boosting weights: ``w`` (uniform when None) scaled so every class sums to
    ``1 / K``."""
    w = np.ones(len(y), dtype=np.float64) if w is None else w.astype(np.float64)
    for c in classes:
        rows = y == c
        total = float(w[rows].sum())
        if total <= 0:
            raise InvalidDataError(
                f"RUSBoostClassifier needs every class to have some positive sample_weight; "
                f"class {c!r} has all zeros. Give its rows a positive weight or drop them."
            )
        w[rows] /= total * len(classes)
    return w


def _rescale_per_class(
    w_res: np.ndarray, y_res: np.ndarray, y: np.ndarray, w: np.ndarray, classes: np.ndarray
) -> np.ndarray:
    """The sample's weights, scaled within each class to the total the class has in ``w``."""
    out = np.asarray(w_res, dtype=np.float64).copy()
    for c in classes:
        rows = y_res == c
        drawn = float(out[rows].sum())
        if drawn > 0:
            out[rows] *= float(w[y == c].sum()) / drawn
    return out
