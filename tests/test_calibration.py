"""Prior correction recovers true posteriors; thresholds follow the cost matrix."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import TunedThresholdClassifierCV

from imbalance.calibration import (
    PriorCorrectedClassifier,
    correct_priors,
    correct_undersampling,
    priors_from_counts,
)
from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.pipeline import ResampledClassifier
from imbalance.samplers import RandomOverSampler, RandomUnderSampler
from imbalance.thresholds import (
    cost_threshold,
    make_cost_scorer,
    make_precision_at_recall_scorer,
    make_recall_at_precision_scorer,
)

PRIOR = 0.05  # P(y = 1)


def _gaussians(n, seed):
    """Two unit-variance Gaussians at 0 and 2: the true posterior is logistic in x."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < PRIOR).astype(int)
    X = rng.normal(size=(n, 1)) + 2.0 * y[:, None]
    return X, y


def _true_posterior(X):
    x = X[:, 0]
    log_odds = np.log(PRIOR / (1 - PRIOR)) + (2.0 * x - 2.0)  # log N(x;2,1) - log N(x;0,1)
    return 1.0 / (1.0 + np.exp(-log_odds))


@pytest.mark.parametrize(
    "sampler", [RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0)]
)
def test_prior_correction_recovers_the_true_posterior(sampler):
    X, y = _gaussians(40_000, 0)
    X_test, y_test = _gaussians(20_000, 1)
    truth = _true_posterior(X_test)
    plain = LogisticRegression().fit(X, y).predict_proba(X_test)[:, 1]
    raw = ResampledClassifier(sampler, LogisticRegression()).fit(X, y).predict_proba(X_test)[:, 1]
    fixed = ResampledClassifier(sampler, LogisticRegression(), prior_correction=True).fit(X, y)
    corrected = fixed.predict_proba(X_test)[:, 1]
    assert np.abs(raw - truth).mean() > 0.05, "resampling moved the probabilities"
    assert np.abs(corrected - truth).mean() < 0.01
    assert brier_score_loss(y_test, corrected) == pytest.approx(
        brier_score_loss(y_test, plain), abs=0.002
    )
    assert brier_score_loss(y_test, raw) > brier_score_loss(y_test, corrected) + 0.02
    np.testing.assert_array_equal(fixed.predict(X_test), (corrected >= 0.5).astype(int))
    assert not hasattr(fixed, "decision_function")


def test_meta_estimator_reads_the_training_priors_of_a_resampled_classifier():
    X, y = _gaussians(20_000, 2)
    inner = ResampledClassifier(RandomUnderSampler(random_state=0), LogisticRegression())
    model = PriorCorrectedClassifier(inner).fit(X, y)
    np.testing.assert_allclose(model.training_priors_, [0.5, 0.5])
    np.testing.assert_allclose(model.true_priors_, [1 - y.mean(), y.mean()])
    same = ResampledClassifier(
        RandomUnderSampler(random_state=0), LogisticRegression(), prior_correction=True
    ).fit(X, y)
    np.testing.assert_allclose(model.predict_proba(X[:100]), same.predict_proba(X[:100]))


def test_meta_estimator_with_class_weights_and_explicit_priors():
    X, y = _gaussians(20_000, 3)
    X_test, _ = _gaussians(5_000, 4)
    model = PriorCorrectedClassifier(
        LogisticRegression(class_weight="balanced"), training_priors=[0.5, 0.5]
    ).fit(X, y)
    assert np.abs(model.predict_proba(X_test)[:, 1] - _true_posterior(X_test)).mean() < 0.01


def test_dal_pozzolo_form_equals_the_general_correction():
    rng = np.random.default_rng(0)
    p = rng.random(50)
    beta = 0.2  # 20 % of the negatives kept: training priors ∝ (0.2 * n_neg, n_pos)
    n_neg, n_pos = 900, 100
    general = correct_priors(p, training_priors=[beta * n_neg, n_pos], true_priors=[n_neg, n_pos])
    np.testing.assert_allclose(correct_undersampling(p, beta), general)


@settings(max_examples=50, deadline=None)
@given(
    proba=st.lists(st.floats(0.01, 0.99), min_size=3, max_size=3),
    train=st.lists(st.floats(0.05, 1.0), min_size=3, max_size=3),
    true=st.lists(st.floats(0.05, 1.0), min_size=3, max_size=3),
)
def test_correction_is_a_distribution_and_inverts(proba, train, true):
    p = np.asarray(proba) / np.sum(proba)
    there = correct_priors(p[None, :], training_priors=train, true_priors=true)
    assert there.sum() == pytest.approx(1.0) and (there >= 0).all()
    back = correct_priors(there, training_priors=true, true_priors=train)
    np.testing.assert_allclose(back[0], p, rtol=1e-9)


def test_priors_from_counts_and_dict_priors():
    assert priors_from_counts(["a", "b", "b", "b"], sample_weight=[3, 1, 1, 1]) == {
        "a": 0.5,
        "b": 0.5,
    }
    out = correct_priors(
        [[0.5, 0.5]],
        training_priors={"x": 1, "y": 1},
        true_priors={"x": 3, "y": 1},
        classes=["x", "y"],
    )
    np.testing.assert_allclose(out, [[0.75, 0.25]])


def test_bad_priors_are_explained():
    with pytest.raises(InvalidParameterError, match="one positive number per class"):
        correct_priors([[0.5, 0.5]], training_priors=[1, 0], true_priors=[1, 1])
    with pytest.raises(InvalidDataError, match="one prior per column"):
        correct_priors([[0.2, 0.3, 0.5]], training_priors=[1, 1], true_priors=[1, 1])
    with pytest.raises(InvalidParameterError, match="classes="):
        correct_priors([[0.5, 0.5]], training_priors={0: 1, 1: 1}, true_priors=[1, 1])
    with pytest.raises(InvalidParameterError, match="beta=0"):
        correct_undersampling([0.5], beta=0)


def test_cost_threshold_minimises_expected_cost():
    costs = [[0.0, 1.0], [10.0, 0.0]]
    t = cost_threshold(costs)
    assert t == pytest.approx(1 / 11)
    # at P(positive) = t both decisions cost the same
    assert t * 0.0 + (1 - t) * 1.0 == pytest.approx(t * 10.0 + (1 - t) * 0.0)
    with pytest.raises(InvalidParameterError, match="cost more than the right decision"):
        cost_threshold([[1, 0], [10, 0]])
    with pytest.raises(InvalidParameterError, match="C_tn, C_fp"):
        cost_threshold([1, 2, 3])


def test_cost_scorer_tunes_the_threshold_towards_the_cost_optimum():
    X, y = _gaussians(20_000, 5)
    tuned = TunedThresholdClassifierCV(
        LogisticRegression(),
        scoring=make_cost_scorer([[0, 1], [10, 0]]),
        cv=3,
        thresholds=60,
        random_state=0,
    ).fit(X, y)
    assert tuned.best_threshold_ == pytest.approx(1 / 11, abs=0.05)


def test_recall_and_precision_constraints():
    X, y = _gaussians(8_000, 6)
    X_test, y_test = _gaussians(20_000, 7)
    from sklearn.metrics import precision_score, recall_score

    tuned = TunedThresholdClassifierCV(
        LogisticRegression(),
        scoring=make_recall_at_precision_scorer(0.5),
        cv=3,
        thresholds=40,
        random_state=0,
    ).fit(X, y)
    assert precision_score(y_test, tuned.predict(X_test)) >= 0.45
    tuned = TunedThresholdClassifierCV(
        LogisticRegression(),
        scoring=make_precision_at_recall_scorer(0.9),
        cv=3,
        thresholds=40,
        random_state=0,
    ).fit(X, y)
    assert recall_score(y_test, tuned.predict(X_test)) >= 0.85
    with pytest.raises(InvalidParameterError, match=r"min_recall=1\.5"):
        make_precision_at_recall_scorer(1.5)
