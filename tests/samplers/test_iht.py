"""InstanceHardnessThreshold: imbalanced-learn's kept rows on the same folds, the threshold."""

from __future__ import annotations

import numpy as np
import pytest
from imblearn.under_sampling import InstanceHardnessThreshold as ImbIHT
from sklearn.datasets import make_classification
from sklearn.model_selection import StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import LinearSVC

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.samplers import InstanceHardnessThreshold


def _data(n=600, weights=(0.7, 0.2, 0.1), seed=0):
    return make_classification(
        n_samples=n,
        n_features=5,
        n_informative=3,
        n_classes=len(weights),
        weights=list(weights),
        class_sep=0.8,
        random_state=seed,
    )


@pytest.mark.parametrize("strategy", ["auto", {0: 200, 1: 80}, "majority"], ids=str)
def test_kept_rows_equal_imbalanced_learn_on_the_same_folds(strategy):
    X, y = _data(seed=1)
    # imbalanced-learn shuffles StratifiedKFold with RandomState(random_state); GaussianNB has no
    # seed to draw, so handing the same folds to ours gives the same probabilities.
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=np.random.RandomState(0))
    ours = InstanceHardnessThreshold(estimator=GaussianNB(), sampling_strategy=strategy, cv=folds)
    ours.fit_resample(X, y)
    ref = ImbIHT(estimator=GaussianNB(), sampling_strategy=strategy, random_state=0)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(ref.sample_indices_))


@pytest.mark.parametrize("estimator", [None, GaussianNB()])
def test_kept_rows_are_the_easiest_of_their_class(estimator):
    X, y = _data(seed=2)
    iht = InstanceHardnessThreshold(estimator=estimator, random_state=0)
    _, y_res = iht.fit_resample(X, y)
    p = iht.probabilities_
    for cls in (0, 1):
        members = np.flatnonzero(y == cls)
        kept = np.isin(members, iht.sample_indices_)
        assert p[members[kept]].min() >= p[members[~kept]].max()
        assert kept.sum() >= iht.target_counts_[cls]
        if estimator is not None:  # no ties in continuous probabilities: the count is met
            assert kept.sum() - iht.target_counts_[cls] <= 1
    assert (y_res == 2).sum() == (y == 2).sum()


def test_small_classes_and_bad_estimators_are_refused():
    X, y = _data(n=200, weights=(0.97, 0.03))
    n_min = int((y == 1).sum())
    with pytest.raises(InvalidDataError, match=f"cv=10 .* class 1 has {n_min} row"):
        InstanceHardnessThreshold(cv=10).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match=r"classifier with predict_proba.*LinearSVC"):
        InstanceHardnessThreshold(estimator=LinearSVC()).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match=r"'cv' parameter of InstanceHardnessThreshold"):
        InstanceHardnessThreshold(cv=1).fit_resample(X, y)
