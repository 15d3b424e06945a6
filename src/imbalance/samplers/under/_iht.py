"""Instance hardness threshold: keep the rows a classifier finds easiest in cross-validation."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from ..._param_validation import SAMPLING_STRATEGY_CONSTRAINT, Interval
from ..._typing import CV, ArrayLike, Estimator, RandomState, SamplingStrategy
from ..._validation import EncodedTarget
from ...base import BaseSampler, Resampled, SamplerTags
from ...exceptions import InvalidDataError, InvalidParameterError
from ._cleaning import Satisfies

__all__ = ["InstanceHardnessThreshold"]

_SPLITTER = Satisfies(
    lambda v: hasattr(v, "split") or (hasattr(v, "__iter__") and not isinstance(v, str)),
    "a cross-validation splitter or an iterable of (train, test) splits",
)


class InstanceHardnessThreshold(BaseSampler):
    """Under-sample by removing the rows a classifier finds hardest to classify.

    A classifier estimates, by cross-validation, the probability of each row's own class
    (``1 -`` its *instance hardness*). For each class that shrinks, the rows whose probability
    is at least the ``1 - target / count`` quantile of the class's probabilities are kept
    (NumPy's linear percentile, as in imbalanced-learn): about the target count, more when
    probabilities tie. The kept rows come out in input order, with their pandas index labels.

    Parameters
    ----------
    estimator : classifier or None, default=None
        A classifier with ``predict_proba``, cloned and given a seed from ``random_state`` when
        it takes one; ``None`` is ``RandomForestClassifier(n_estimators=100)``.
    sampling_strategy : float, str, dict or callable, default="auto"
        Final class counts (approximate, see above). A float (two classes only) is the wanted
        ratio of minority to majority rows; ``"majority"``, ``"not minority"``,
        ``"not majority"``, ``"all"`` or ``"auto"`` (= ``"not minority"``) name the classes
        shrunk to the minority's size; a dict gives the final count of each class it names; a
        callable receives ``y`` and returns such a dict. Same meanings as imbalanced-learn.
    random_state : int, RandomState instance, Generator or None, default=None
        Seed of the folds and of the estimator.
    cv : int, cross-validation generator or iterable, default=5
        An int is the number of stratified, shuffled folds; anything else is passed to
        scikit-learn's ``cross_val_predict``.
    n_jobs : int or None, default=None
        Jobs of the cross-validation (and of the default forest).

    Attributes
    ----------
    target_counts_ : dict of {class_label: int}
        Number of rows of each class asked for (ties in probability may keep a few more).
    sampling_strategy_ : dict of {class_label: int}
        Rows kept of each class the strategy targets (imbalanced-learn's meaning).
    class_counts_ : dict of {class_label: int}
        Number of rows of each class before resampling.
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Positions in X of the kept rows, in input order.
    estimator_ : classifier
        The (unfitted) clone of the estimator that the cross-validation fitted.
    probabilities_ : ndarray of shape (n_samples,)
        Cross-validated probability of each row's own class.
    n_features_in_ : int
        Number of columns of X.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names of X, when X is a DataFrame with string column names.

    See Also
    --------
    NearMiss : keep the rows nearest the minority class.
    EditedNearestNeighbours : remove the rows that neighbours disagree with.

    References
    ----------
    .. [1] M. R. Smith, T. Martinez and C. Giraud-Carrier, "An instance level analysis of data
       complexity", Machine Learning, 95(2), 225-256, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imbalance.samplers import InstanceHardnessThreshold
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, (90, 2)), rng.normal(2, 1, (30, 2))])
    >>> y = np.array([0] * 90 + [1] * 30)
    >>> iht = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    >>> X_res, y_res = iht.fit_resample(X, y)
    >>> iht.target_counts_
    {0: 30, 1: 30}
    >>> int((y_res == 0).sum())
    30
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "estimator": [None, "estimator"],
        "sampling_strategy": SAMPLING_STRATEGY_CONSTRAINT,
        "random_state": ["random_state"],
        "cv": [Interval("int", 2, None), _SPLITTER],
        "n_jobs": [None, Interval("int", -1, -1), Interval("int", 1, None)],
    }
    _sampler_tags = SamplerTags(kind="under", reads_features=True, exact_counts=False)
    _sampling_kind = "under"

    def __init__(
        self,
        *,
        estimator: Estimator | None = None,
        sampling_strategy: SamplingStrategy = "auto",
        random_state: RandomState = None,
        cv: CV = 5,
        n_jobs: int | None = None,
    ) -> None:
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _fit_resample(
        self, X: ArrayLike, target: EncodedTarget, rng: np.random.Generator
    ) -> Resampled:
        seed = int(rng.integers(2**31))
        self.estimator_ = self._make_estimator(seed)
        folds = self._folds(target, int(rng.integers(2**31)))
        proba = cross_val_predict(
            self.estimator_,
            np.asarray(X) if isinstance(X, list) else X,
            target.codes,
            cv=folds,
            n_jobs=self.n_jobs,
            method="predict_proba",
        )
        self.probabilities_ = proba[np.arange(len(target.codes)), target.codes]
        keep = np.ones(len(target.codes), dtype=bool)
        for c, (cls, have) in enumerate(zip(target.classes, target.counts.tolist(), strict=True)):
            want = self.target_counts_[cls]
            if want >= have:
                continue
            rows = target.members(c)
            p = self.probabilities_[rows]
            keep[rows[p < np.percentile(p, (1.0 - want / have) * 100.0)]] = False
        return Resampled(indices=np.flatnonzero(keep))

    def _make_estimator(self, seed: int) -> Any:
        if self.estimator is None:
            return RandomForestClassifier(n_estimators=100, random_state=seed, n_jobs=self.n_jobs)
        if not (is_classifier(self.estimator) and hasattr(self.estimator, "predict_proba")):
            raise InvalidParameterError(
                "estimator of InstanceHardnessThreshold must be a classifier with "
                f"predict_proba; got {type(self.estimator).__name__}. Use e.g. "
                "RandomForestClassifier() or LogisticRegression(), or leave it None."
            )
        estimator = clone(self.estimator)
        if "random_state" in estimator.get_params():
            estimator.set_params(random_state=seed)
        return estimator

    def _folds(self, target: EncodedTarget, seed: int) -> Any:
        if not isinstance(self.cv, numbers.Integral):
            return self.cv
        small = int(np.argmin(target.counts))
        if target.counts[small] < self.cv:
            raise InvalidDataError(
                f"InstanceHardnessThreshold estimates hardness with cv={self.cv} stratified "
                f"folds, but class {target.classes[small]!r} has {int(target.counts[small])} "
                f"row(s). Lower cv to at most {max(int(target.counts[small]), 2)}, or give more "
                "rows of that class."
            )
        return StratifiedKFold(n_splits=int(self.cv), shuffle=True, random_state=seed)
