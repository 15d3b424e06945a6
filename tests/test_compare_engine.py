"""compare_strategies' engine: shared fits, TunedThresholdClassifierCV's thresholds from one sort,
the default models' preprocessing on data encoded once, small minorities, blends, and a
recommendation that says what AutoImbalanceClassifier would deploy."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline

from imbalance.auto import default_candidates
from imbalance.calibration import correct_priors
from imbalance.datasets import load_yeast4
from imbalance.exceptions import InvalidParameterError
from imbalance.pipeline import ResampledClassifier
from imbalance.report import compare_strategies, default_strategies, make_model
from imbalance.report._encoded import EncodedPreprocessing, encode_for_folds
from imbalance.samplers import SMOTE


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


def _mixed_frame(n=300, seed=0):
    """Numbers (one with gaps), integers, text, a pandas category and booleans."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.integers(0, 5, n),
            "c": rng.choice(["x", "y", "z", "w"], n),
            "d": pd.Categorical(rng.choice(["p", "q"], n)),
            "e": rng.random(n) < 0.3,
        }
    )
    frame.loc[rng.random(n) < 0.1, "a"] = np.nan
    y = (frame["a"].fillna(0) + (frame["c"] == "x") + rng.normal(size=n) > 1.4).astype(int)
    return frame, y.to_numpy()


@pytest.mark.parametrize("kind", ["logistic", "hgb"])
def test_encoded_preprocessing_gives_the_column_transformers_numbers(kind):
    X, y = _mixed_frame()
    model = make_model(X, kind)
    fast, encoded = encode_for_folds(X, model)
    assert isinstance(fast[0], EncodedPreprocessing)
    # category 'w' of column c is absent from training: one-hot ignores it, ordinal says -1
    train = np.flatnonzero((X["c"] != "w").to_numpy())[:200]
    val = np.setdiff1d(np.arange(len(y)), train)
    slow = Pipeline(model.steps[:-1]).fit(X.iloc[train], y[train])
    ours = fast[0].fit(encoded[train], y[train])
    for rows in (train, val):
        expected = slow.transform(X.iloc[rows])
        got = ours.transform(encoded[rows])
        assert got.shape == expected.shape and np.array_equal(got, expected, equal_nan=True)


def test_comparisons_by_model_name_equal_those_of_the_model_object(yeast):
    drop = ("fit_seconds", "predict_seconds")
    X_gaps = yeast[0].copy()
    X_gaps[::7, 2] = np.nan
    for X, y in (_mixed_frame(), (X_gaps, yeast[1])):
        kwargs = {"strategies": ["none", "none+threshold", "ros", "rus+prior"], "cv": 3}
        by_name = compare_strategies(X, y, estimator="logistic", **kwargs)
        by_object = compare_strategies(X, y, estimator=make_model(X), **kwargs)
        assert [{k: v for k, v in r.items() if k not in drop} for r in by_name.folds] == [
            {k: v for k, v in r.items() if k not in drop} for r in by_object.folds
        ]
        assert by_name.recommendation == by_object.recommendation


def test_data_the_encoding_cannot_reproduce_keeps_the_column_transformer():
    X, _ = _mixed_frame()
    X.loc[3, "c"] = None  # a missing category: the imputer's choice, not reproduced here
    model = make_model(X)
    assert encode_for_folds(X, model) == (model, X)
    as_float32 = np.zeros((4, 2), dtype=np.float32)
    assert encode_for_folds(as_float32, make_model(as_float32))[1] is as_float32


def _blend_reference(X, y, folds, positive=1):
    """Per fold: the Brier score of the mean of the plain model's probabilities and SMOTE's
    mapped back to the training fold's priors, fitted here without the engine."""
    briers = []
    for train, val in folds:
        plain = LogisticRegression(max_iter=2000).fit(X[train], y[train])
        smote = ResampledClassifier(SMOTE(random_state=0), LogisticRegression(max_iter=2000))
        smote.fit(X[train], y[train])
        prior = float(np.mean(y[train] == positive))
        corrected = correct_priors(
            smote.predict_proba(X[val]), training_priors=[0.5, 0.5], true_priors=[1 - prior, prior]
        )
        p = (plain.predict_proba(X[val])[:, 1] + np.asarray(corrected)[:, 1]) / 2
        briers.append(float(np.mean((p - (y[val] == positive)) ** 2)))
    return briers


def test_a_blend_row_averages_its_members_prior_corrected_probabilities(yeast):
    X, y = yeast
    model = LogisticRegression(max_iter=2000)
    result = compare_strategies(
        X, y, strategies=["none", "none|smote"], estimator=model, cv=3, scoring="mcc"
    )
    assert result.strategies == ["none", "none|smote"]
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    briers = [r["brier"] for r in result.folds if r["strategy"] == "none|smote"]
    assert briers == pytest.approx(_blend_reference(X, y, folds), abs=1e-12)
    # a blend is one more candidate for a model whose estimator chooses
    rec = result.recommendation
    assert set(rec["scores"]) == {"none", "none|smote"} and "strategies=" in rec["estimator"]


def test_gradient_boosting_is_recommended_the_estimators_default_blend(yeast):
    X, y = yeast
    model = make_model(X, "hgb")
    assert default_strategies(X, model)[-1] == "none|smote"
    # the estimator leaves class weights out for gradient boosting (10-100x slower fits)
    assert "weights" not in default_strategies(X, model)
    assert "weights" in default_strategies(X, make_model(X))
    assert "none|smote" not in default_strategies(X, make_model(X))
    assert default_candidates(model, X) == ["none|smote"]
    result = compare_strategies(
        X, y, strategies=["none", "smote", "none|smote"], estimator="hgb", cv=3, scoring="mcc"
    )
    rec = result.recommendation
    assert rec["strategy"] == "none|smote" and rec["calibration"] == "prior"
    assert rec["estimator"] == "AutoImbalanceClassifier(model, metric='mcc')"
    assert "the estimator's default for this model" in rec["reason"]
    assert 0 < rec["threshold"] < 1


def test_bad_blends_are_explained(yeast):
    X, y = yeast
    for spec, words in (
        ("none|none+threshold", "without '+prior' or '+threshold'"),
        ("none|enn", "'enn' must be"),
        ("none|", "joins two or more different strategies"),
    ):
        with pytest.raises(InvalidParameterError, match=re.escape(words)):
            compare_strategies(X, y, strategies=["none", spec], cv=3)
