"""AutoImbalanceClassifier: choices made on the training rows alone, honest probabilities,
decisions for the named metric, small minorities, bad input."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from imbalance.auto import AutoImbalanceClassifier, default_candidates
from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.thresholds import cost_threshold


def _data(n=600, weight=0.08, seed=0):
    return make_classification(
        n_samples=n, n_features=6, n_informative=4, weights=[1 - weight], flip_y=0.02,
        class_sep=0.8, random_state=seed,
    )  # fmt: skip


def _logistic_world(n=3000, seed=0):
    """Rows whose true P(1 | x) is known: a logistic model with a rare positive class."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    p = 1 / (1 + np.exp(-(X @ np.array([1.5, -1.0, 0.5]) - 3.0)))
    return X, (rng.random(n) < p).astype(int), p


@pytest.fixture(scope="module")
def fitted():
    X, y = _data()
    return X, y, AutoImbalanceClassifier(random_state=0).fit(X, y)


def test_decisions_are_the_probabilities_at_the_threshold(fitted):
    X, y, model = fitted
    proba = model.predict_proba(X)
    assert proba.shape == (len(y), 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(model.predict(X) == 1, proba[:, 1] >= model.threshold_)
    assert model.pos_label_ == 1 and list(model.classes_) == [0, 1]
    assert 0.0 < model.threshold_ < 1.0


def test_it_says_what_it_chose_and_why(fitted):
    _, _, model = fitted
    assert set(model.cv_results_) == {"none", "weights", "ros", "smote"}
    chosen = model.cv_results_[model.strategy_]
    assert chosen["dropped"] is False and chosen["threshold"] == model.threshold_
    assert f"{chosen['value']:.3f}" in model.reason_ and "Brier" in model.reason_
    # successive halving: after one of four folds, only the two best go on
    dropped = [r for r in model.cv_results_.values() if r["dropped"]]
    assert dropped and all(r["n_scored"] < chosen["n_scored"] for r in dropped)
    kept = [r for r in model.cv_results_.values() if not r["dropped"]]
    assert len(kept) == 2 and all(r["n_scored"] == 600 for r in kept)


class RowSpy(ClassifierMixin, BaseEstimator):
    """Remembers the ids (column 0) of every row it is trained on."""

    seen: ClassVar[set[int]] = set()

    def fit(self, X, y):
        RowSpy.seen |= set(np.asarray(X)[:, 0].astype(int).tolist())
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        p = (np.asarray(X)[:, 1] > 0).astype(float) * 0.6 + 0.2
        return np.column_stack([1 - p, p])


def test_only_the_training_rows_are_used_so_it_nests_in_cross_validation():
    X, y = _data(n=300)
    X = np.column_stack([np.arange(300), X])
    train, test = next(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    RowSpy.seen = set()
    AutoImbalanceClassifier(RowSpy(), strategies=["none", "rus", "ros"], random_state=0).fit(
        X[train], y[train]
    )
    assert RowSpy.seen <= set(train.tolist()) and not RowSpy.seen & set(test.tolist())
    scores = cross_val_score(AutoImbalanceClassifier(random_state=0), *_data(300), cv=3)
    assert len(scores) == 3


def test_probabilities_stay_calibrated_after_resampling():
    X, y, p_true = _logistic_world()
    model = AutoImbalanceClassifier(strategies=["rus"], random_state=0).fit(X, y)
    p = model.predict_proba(X)[:, 1]
    plain = LogisticRegression().fit(X, y).predict_proba(X)[:, 1]
    assert model.calibration_ == "prior"
    assert abs(p.mean() - y.mean()) < 0.01  # under-sampling alone would give about 0.5
    assert np.mean((p - p_true) ** 2) < 2 * np.mean((plain - p_true) ** 2) + 1e-3


@pytest.mark.parametrize("deploy", ["refit", "both"])
def test_other_deployments_decide_at_the_threshold_too(deploy):
    X, y = _data(n=300)
    model = AutoImbalanceClassifier(strategies=["none", "ros"], deploy=deploy, random_state=0)
    model.fit(X, y)
    assert len(model.estimators_) == (1 if deploy == "refit" else 5)
    proba = model.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(model.predict(X) == 1, proba[:, 1] >= model.threshold_)


def test_a_cleaning_sampler_is_calibrated_with_a_sigmoid():
    X, y = _data(n=400)
    model = AutoImbalanceClassifier(strategies=["smoteenn"], random_state=0).fit(X, y)
    assert model.calibration_ == "sigmoid"
    assert abs(model.predict_proba(X)[:, 1].mean() - y.mean()) < 0.03


def test_a_cost_matrix_sets_the_threshold_near_the_cost_optimum():
    X, y, _ = _logistic_world(n=4000)
    costs = [[0, 1], [10, 0]]
    model = AutoImbalanceClassifier(
        strategies=["none"], metric="cost", cost_matrix=costs, random_state=0
    ).fit(X, y)
    assert model.threshold_ == pytest.approx(cost_threshold(costs), abs=0.04)
    f2 = AutoImbalanceClassifier(strategies=["none"], metric="fbeta", beta=2, random_state=0)
    f05 = clone(f2).set_params(beta=0.5)
    assert f2.fit(X, y).threshold_ < f05.fit(X, y).threshold_  # recall weighs more with beta=2


def test_a_tiny_minority_adapts_instead_of_failing():
    X, y = _data(n=200, weight=0.04)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:3]]
    model = AutoImbalanceClassifier(random_state=0).fit(X[keep], y[keep])
    notes = " ".join(model.notes_)
    assert "cv lowered from 4 to 3" in notes
    assert "k_neighbors lowered from 5 to 1" in notes  # 2 minority rows per training fold
    assert model.strategy_ in model.cv_results_


def test_a_candidate_that_cannot_be_fitted_is_left_out():
    X, y = make_classification(n_samples=300, weights=[0.97], flip_y=0, random_state=1)
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:6]]
    model = AutoImbalanceClassifier(strategies=["none", "svmsmote"], random_state=0)
    model.fit(X[keep], y[keep])
    assert model.strategy_ == "none"
    assert str(model.cv_results_["svmsmote"]["dropped"]).startswith("failed")
    assert "svmsmote left out" in " ".join(model.notes_)


def test_string_labels_and_pos_label():
    X, y = _data(n=300)
    labels = np.where(y == 1, "fraud", "ok")
    model = AutoImbalanceClassifier(strategies=["none", "ros"], random_state=0).fit(X, labels)
    assert model.pos_label_ == "fraud" and set(model.predict(X)) <= {"fraud", "ok"}
    col = list(model.classes_).index("fraud")
    assert np.array_equal(
        model.predict(X) == "fraud", model.predict_proba(X)[:, col] >= model.threshold_
    )
    other = AutoImbalanceClassifier(strategies=["none"], pos_label="ok", random_state=0)
    assert other.fit(X, labels).pos_label_ == "ok"


def test_default_candidates_follow_the_model():
    X, _ = _data(n=50)
    assert default_candidates(LogisticRegression(), X) == ["none", "weights", "ros", "smote"]
    assert "weights" in default_candidates(make_pipeline(StandardScaler(), LogisticRegression()), X)
    # gradient boosting: the blend of the plain model and SMOTE (docs/recommendation.md)
    assert default_candidates(HistGradientBoostingClassifier(), X) == ["none|smote"]
    # no SMOTE on non-numeric columns; weighted binning makes HistGradientBoosting 10-100x
    # slower, so over-sampling stands in for class weights
    words = np.array([["a", "b"]] * 4, dtype=object)
    assert default_candidates(HistGradientBoostingClassifier(), words) == ["none", "ros"]


def test_gradient_boosting_deploys_the_blend_of_plain_and_smote_by_default():
    X, y = _data(n=300)
    model = AutoImbalanceClassifier(HistGradientBoostingClassifier(max_iter=20), random_state=0)
    model.fit(X, y)
    assert model.strategy_ == "none|smote" and list(model.cv_results_) == ["none|smote"]
    assert model.calibration_ == "prior" and model.cv_results_["none|smote"]["n_scored"] == 300
    # each member: 4 fold models and the refit
    kinds = sorted(type(e).__name__ for e in model.estimators_)
    assert kinds == ["HistGradientBoostingClassifier"] * 5 + ["ResampledClassifier"] * 5
    assert np.array_equal(model.predict(X) == 1, model.predict_proba(X)[:, 1] >= model.threshold_)


def test_a_blend_is_the_mean_of_its_members_probabilities():
    X, y = _data(n=400)

    def refit(strategies):
        model = AutoImbalanceClassifier(strategies=strategies, deploy="refit", random_state=0)
        return model.fit(X, y)

    blend, none, ros = refit(["none|ros"]), refit(["none"]), refit(["ros"])
    assert blend.strategy_ == "none|ros" and len(blend.estimators_) == 2
    expected = (none.predict_proba(X) + ros.predict_proba(X)) / 2
    np.testing.assert_allclose(blend.predict_proba(X), expected, rtol=0, atol=1e-12)
    named = AutoImbalanceClassifier(strategies={"mix": "none|ros"}, random_state=0).fit(X, y)
    assert named.strategy_ == "mix" and len(named.estimators_) == 10


class FitCounter(ClassifierMixin, BaseEstimator):
    """Counts its fits; P(1) from the sign of the first column."""

    fits: ClassVar[int] = 0

    def fit(self, X, y):
        FitCounter.fits += 1
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        p = (np.asarray(X)[:, 0] > 0).astype(float) * 0.6 + 0.2
        return np.column_stack([1 - p, p])


def test_a_member_shared_with_a_candidate_is_fitted_once_per_fold():
    X, y = _data(n=300)
    FitCounter.fits = 0
    model = AutoImbalanceClassifier(FitCounter(), strategies=["none", "none|ros"], random_state=0)
    model.fit(X, y)
    # none and ros on 4 folds, then the refit of the chosen candidate (1 or 2 members)
    refits = 2 if model.strategy_ == "none|ros" else 1
    assert FitCounter.fits == 8 + refits
    assert set(model.cv_results_) == {"none", "none|ros"}


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"metric": "auc"}, "metric='auc' is not known"),
        ({"metric": "cost"}, "cost_matrix"),
        ({"cost_matrix": [[0, 1], [5, 0]]}, "only used with metric='cost'"),
        ({"threshold": 1.5}, "threshold=1.5"),
        ({"deploy": "all"}, "deploy='all'"),
        ({"cv": 1}, "cv=1"),
        ({"pos_label": 7}, "pos_label=7"),
        ({"estimator": SVC()}, "no predict_proba"),
        ({"strategies": ["magic"]}, "'magic' is not known"),
        ({"strategies": ["none|magic"]}, "'magic' is not known"),
        ({"strategies": ["ros", "ros"]}, "unique and non-empty"),
        ({"strategies": []}, "unique and non-empty"),
    ],
)
def test_bad_parameters_are_explained(params, words):
    X, y = _data(n=100)
    with pytest.raises(InvalidParameterError, match=words):
        AutoImbalanceClassifier(**params).fit(X, y)


def test_bad_data_is_explained():
    X, y = _data(n=90)
    with pytest.raises(InvalidDataError, match="needs two classes; y has 3"):
        AutoImbalanceClassifier().fit(X, np.arange(90) % 3)
    with pytest.raises(InvalidDataError, match="rarest class has 1 row"):
        AutoImbalanceClassifier().fit(X, np.r_[np.zeros(89, int), 1])
    with pytest.raises(InvalidDataError, match="one label per row"):
        AutoImbalanceClassifier().fit(X, y[:10])
