"""compare_strategies' engine: shared fits, TunedThresholdClassifierCV's thresholds from one sort,
small minorities, and a recommendation that says what AutoImbalanceClassifier would deploy."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

from imbalance.datasets import load_yeast4
from imbalance.report import compare_strategies, make_model


@pytest.fixture(scope="module")
def yeast():
    X, y = load_yeast4(return_X_y=True)
    return X[:700], y[:700]


@pytest.mark.parametrize("metric", ["balanced_accuracy", "mcc"])
def test_tuned_thresholds_are_scikit_learns(yeast, metric):
    X, y = yeast
    model = LogisticRegression(max_iter=1000)
    result = compare_strategies(
        X, y, strategies=["none+threshold"], estimator=model, cv=2, scoring=metric
    )
    scorer = get_scorer("matthews_corrcoef" if metric == "mcc" else metric)
    folds = StratifiedKFold(2, shuffle=True, random_state=0).split(X, y)
    for record, (train, _) in zip(result.folds, folds, strict=True):
        tuned = TunedThresholdClassifierCV(
            clone(model),
            scoring=scorer,
            cv=StratifiedKFold(3, shuffle=True, random_state=0),
            random_state=0,
        ).fit(X[train], y[train])
        assert record["threshold"] == pytest.approx(tuned.best_threshold_, abs=1e-12)


class CountingLogistic(LogisticRegression):
    """Counts the fits of every instance (clones included)."""

    fits = 0

    def fit(self, X, y, sample_weight=None):
        CountingLogistic.fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


def test_each_strategy_is_fitted_once_per_fold(yeast):
    X, y = yeast
    CountingLogistic.fits = 0
    result = compare_strategies(
        X,
        y,
        strategies=["none", "none+threshold", "rus", "rus+prior", "weights", "weights+prior"],
        estimator=CountingLogistic(),
        cv=3,
    )
    # none, rus and weights once per fold, plus the three inner folds of each tuning: 3 * 3 + 9
    assert CountingLogistic.fits == 18
    by = {(r["strategy"], r["fold"]): r for r in result.folds}
    for k in range(3):  # the shared model: same ranking, prior correction moves probabilities
        assert by[("rus", k)]["roc_auc"] == by[("rus+prior", k)]["roc_auc"]
        assert by[("rus+prior", k)]["brier"] < by[("rus", k)]["brier"]


def test_a_tiny_minority_lowers_smotes_k_and_says_so():
    X, y = make_classification(n_samples=300, weights=[0.97], flip_y=0, random_state=1)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:7]]
    result = compare_strategies(
        X[keep], y[keep], strategies=["none", "smote", "smote+threshold"], cv=3
    )
    notes = " ".join(result.notes)
    assert "smote: SMOTE: k_neighbors lowered from 5 to 3" in notes  # 4 rows per training fold
    assert "smote+threshold: SMOTE: k_neighbors lowered from 5 to 1" in notes  # 2 per inner
    assert len(result.folds) == 9


def test_a_sampler_that_cannot_resample_a_fold_is_left_out_with_a_note():
    X, y = make_classification(n_samples=300, weights=[0.97], flip_y=0, random_state=1)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:6]]
    result = compare_strategies(X[keep], y[keep], strategies=["none", "svmsmote"], cv=3)
    assert result.strategies == ["none"]
    assert "svmsmote left out" in " ".join(result.notes)
    assert "support vectors" in " ".join(result.notes)  # the sampler's own reason


def test_the_recommendation_is_the_estimators_and_names_calibrated_probabilities(yeast):
    X, y = yeast
    result = compare_strategies(X, y, strategies=["none", "rus"], cv=3, scoring="mcc")
    rec = result.recommendation
    assert rec["strategy"] in result.strategies and 0 < rec["threshold"] < 1
    assert rec["calibration"] == "prior" and "AutoImbalanceClassifier(" in rec["estimator"]
    assert set(rec["scores"]) == {"none", "rus"}
    only_rus = compare_strategies(X, y, strategies=["rus"], cv=3, scoring="mcc")
    reason = only_rus.recommendation["reason"]
    assert "uncorrected probabilities" in reason and "rus+prior" in reason


def test_several_classes_and_ranking_metrics_keep_the_plain_recommendation():
    X, y = make_classification(
        n_samples=300, n_classes=3, n_informative=4, weights=[0.7, 0.2, 0.1], random_state=0
    )
    result = compare_strategies(X, y, strategies=["none", "rus", "rus+prior"], cv=3)
    assert result.recommendation["strategy"] in result.strategies
    assert "threshold" not in result.recommendation


class Slow(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-np.asarray(X)[:, 0]))
        return np.column_stack([1 - p, p])

    def predict(self, X):
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]


def test_progress_counts_every_fold_job(yeast):
    X, y = yeast
    seen = []
    compare_strategies(
        X,
        y,
        strategies=["none", "none+threshold"],
        estimator=Slow(),
        cv=3,
        progress=lambda done, total, label: seen.append((done, total)),
    )
    assert seen == [(i, 12) for i in range(1, 13)]  # 3 folds + 3 x 3 tuning folds


@pytest.mark.slow
def test_parallel_fits_give_the_same_result(yeast):
    X, y = yeast
    kwargs = {"strategies": ["none", "none+threshold", "smote"], "cv": 3}
    model = make_model(X, "hgb")
    one = compare_strategies(X, y, estimator=model, **kwargs)
    two = compare_strategies(X, y, estimator=model, n_jobs=2, **kwargs)
    drop = ("fit_seconds", "predict_seconds")
    assert [{k: v for k, v in r.items() if k not in drop} for r in one.folds] == [
        {k: v for k, v in r.items() if k not in drop} for r in two.folds
    ]
