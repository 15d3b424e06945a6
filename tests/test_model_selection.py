"""InstanceHardnessCV: the same folds as imbalanced-learn, and explained errors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, cross_validate
from sklearn.svm import SVC

from imbalance.exceptions import InvalidParameterError
from imbalance.model_selection import InstanceHardnessCV


@pytest.fixture
def data():
    return make_classification(
        weights=[0.8, 0.2], class_sep=0.5, flip_y=0.05, n_samples=90, random_state=3
    )


@pytest.mark.parametrize("pos_label", [None, 0, 1])
@pytest.mark.parametrize("n_splits", [2, 3, 5])
def test_folds_are_imbalanced_learns(data, pos_label, n_splits):
    imblearn_ms = pytest.importorskip("imblearn.model_selection")
    X, y = data
    ours = InstanceHardnessCV(LogisticRegression(), n_splits=n_splits, pos_label=pos_label)
    ref = imblearn_ms.InstanceHardnessCV(
        LogisticRegression(), n_splits=n_splits, pos_label=pos_label
    )
    pairs = list(zip(ours.split(X, y), ref.split(X, y), strict=True))
    assert len(pairs) == n_splits == ours.get_n_splits()
    for (train, test), (ref_train, ref_test) in pairs:
        np.testing.assert_array_equal(train, ref_train)
        np.testing.assert_array_equal(test, ref_test)


def test_folds_partition_the_samples_and_share_classes_and_hardness(data):
    X, y = data
    cv = InstanceHardnessCV(LogisticRegression(), n_splits=3)
    tests = [test for _, test in cv.split(X, y)]
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(len(y)))
    counts = np.array([np.bincount(y[t], minlength=2) for t in tests])
    assert (counts.max(axis=0) - counts.min(axis=0) <= 1).all()
    proba = cross_val_predict(clone(cv.estimator), X, y, cv=3, method="predict_proba")
    hardness = 1 - proba[np.arange(len(y)), y]
    hard = hardness > np.quantile(hardness, 0.8)
    per_fold = [hard[t].sum() for t in tests]
    assert max(per_fold) - min(per_fold) <= 2


def test_string_labels_and_cross_validate(data):
    X, y = data
    labels = np.array(["no", "yes"], dtype=object)[y]
    cv = InstanceHardnessCV(LogisticRegression(), n_splits=3, pos_label="yes")
    result = cross_validate(LogisticRegression(), X, labels, cv=cv)
    assert result["test_score"].shape == (3,)
    assert "InstanceHardnessCV(" in repr(cv)


def test_errors_are_explained(data):
    X, y = data
    with pytest.warns(UserWarning, match="groups parameter is ignored"):
        list(InstanceHardnessCV(LogisticRegression(), n_splits=2).split(X, y, groups=y))
    y3 = np.arange(len(y)) % 3
    with pytest.raises(ValueError, match=r"only supports binary classification\. y has 3"):
        next(InstanceHardnessCV(LogisticRegression()).split(X, y3))
    with pytest.raises(InvalidParameterError, match="pos_label=7"):
        next(InstanceHardnessCV(LogisticRegression(), pos_label=7).split(X, y))
    with pytest.raises(InvalidParameterError, match="'n_splits' parameter"):
        next(InstanceHardnessCV(LogisticRegression(), n_splits=1).split(X, y))
    with pytest.raises(InvalidParameterError, match="predict_proba"):
        next(InstanceHardnessCV(SVC()).split(X, y))
