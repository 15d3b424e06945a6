"""Metrics against imbalanced-learn (values equal) and against their definitions."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError, UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    jaccard_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import OrdinalEncoder

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.metrics import (
    ValueDifferenceMetric,
    classification_report_imbalanced,
    geometric_mean_score,
    index_balanced_accuracy,
    macro_averaged_mean_absolute_error,
    make_index_balanced_accuracy,
    scorers,
    sensitivity_score,
    sensitivity_specificity_support,
    specificity_score,
)

imblearn_metrics = pytest.importorskip("imblearn.metrics")
imblearn_pairwise = pytest.importorskip("imblearn.metrics.pairwise")

labels_st = st.lists(st.integers(0, 2), min_size=6, max_size=60)


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), y_true=labels_st)
def test_agree_with_imbalanced_learn(data, y_true):
    y_pred = data.draw(st.lists(st.integers(0, 2), min_size=len(y_true), max_size=len(y_true)))
    labels = [0, 1, 2]
    for average in (None, "macro", "weighted", "micro"):
        ours = _quiet(
            sensitivity_specificity_support, y_true, y_pred, labels=labels, average=average
        )
        ref = _quiet(
            imblearn_metrics.sensitivity_specificity_support,
            y_true,
            y_pred,
            labels=labels,
            average=average,
        )
        for a, b in zip(ours[:2], ref[:2], strict=True):
            np.testing.assert_allclose(a, b)
        np.testing.assert_allclose(
            _quiet(geometric_mean_score, y_true, y_pred, labels=labels, average=average),
            _quiet(
                imblearn_metrics.geometric_mean_score,
                y_true,
                y_pred,
                average=average,
                labels=labels,
            ),
        )
    for correction in (0.0, 0.01):
        np.testing.assert_allclose(
            geometric_mean_score(y_true, y_pred, labels=labels, correction=correction),
            _quiet(
                imblearn_metrics.geometric_mean_score,
                y_true,
                y_pred,
                labels=labels,
                correction=correction,
            ),
            atol=1e-12,
        )


def test_macro_g_mean_is_the_g_mean_of_the_averaged_rates():
    y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 0, 2, 1]
    per_class = geometric_mean_score(y_true, y_pred, average=None)
    np.testing.assert_allclose(
        per_class, [np.sqrt(0.75 * 0.75), np.sqrt(0.5 * 4 / 6), np.sqrt(0.5)]
    )
    expected = np.sqrt(np.mean([0.75, 0.5, 0.5]) * np.mean([0.75, 4 / 6, 1.0]))
    assert geometric_mean_score(y_true, y_pred, average="macro") == pytest.approx(expected)
    weights = [4, 2, 2]
    expected_w = np.sqrt(
        np.average([0.75, 0.5, 0.5], weights=weights)
        * np.average([0.75, 4 / 6, 1.0], weights=weights)
    )
    assert geometric_mean_score(y_true, y_pred, average="weighted") == pytest.approx(expected_w)


def test_binary_g_mean_is_sqrt_of_tpr_times_tnr():
    y_true = [0] * 90 + [1] * 10
    y_pred = [0] * 80 + [1] * 10 + [1] * 7 + [0] * 3
    tpr = recall_score(y_true, y_pred)
    tnr = recall_score(y_true, y_pred, pos_label=0)
    assert geometric_mean_score(y_true, y_pred, average="binary") == pytest.approx(
        np.sqrt(tpr * tnr)
    )
    assert geometric_mean_score(y_true, y_pred) == pytest.approx(np.sqrt(tpr * tnr))


def test_multiclass_correction_keeps_one_missed_class_from_zeroing_the_score():
    y_true, y_pred = [0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 0, 0]
    assert geometric_mean_score(y_true, y_pred) == 0.0
    assert geometric_mean_score(y_true, y_pred, correction=0.001) == pytest.approx(0.001 ** (1 / 3))
    with pytest.raises(InvalidParameterError, match="correction=-1"):
        geometric_mean_score(y_true, y_pred, correction=-1)


def test_sample_weight_weighs_true_negatives_too():
    # imbalanced-learn counts true negatives without the weights; a weight of 2 must be the
    # same as the row repeated.
    y_true, y_pred, w = [0, 1, 2, 0, 1, 2], [0, 1, 1, 0, 0, 1], [1, 2, 1, 1, 2, 1]
    repeated_true = np.repeat(y_true, w)
    repeated_pred = np.repeat(y_pred, w)
    for average in (None, "macro", "weighted", "micro"):
        weighted = sensitivity_specificity_support(
            y_true, y_pred, labels=[0, 1], average=average, sample_weight=w
        )
        repeated = sensitivity_specificity_support(
            repeated_true, repeated_pred, labels=[0, 1], average=average
        )
        for a, b in zip(weighted[:2], repeated[:2], strict=True):
            np.testing.assert_allclose(a, b)


@pytest.mark.parametrize(
    "y_true, y_pred, expected",
    [([1, 1], [1, 1], (1.0, 0.0)), ([-1, -1], [-1, -1], (0.0, 0.0))],
)
def test_single_class_scores_as_imbalanced_learn(y_true, y_pred, expected):
    with pytest.warns(UndefinedMetricWarning):
        ours = (sensitivity_score(y_true, y_pred), specificity_score(y_true, y_pred))
    ref = _quiet(imblearn_metrics.sensitivity_specificity_support, y_true, y_pred, average="binary")
    assert ours == expected == ref[:2]
    assert sensitivity_score(y_true, y_pred, zero_division=0.0) == expected[0]


def test_unused_pos_label_warns_and_is_ignored():
    with pytest.warns(UserWarning, match=r"labels=\[pos_label\]"):
        sens, _, _ = sensitivity_specificity_support(
            [1, 2, 1], [1, 2, 2], pos_label=2, average="macro"
        )
    assert sens == pytest.approx(0.75)


def test_bad_targets_averages_and_labels_are_explained():
    with pytest.raises(InvalidParameterError, match="two classes"):
        geometric_mean_score([0, 1, 2], [0, 1, 2], average="binary")
    with pytest.raises(InvalidParameterError, match="pos_label='yes'"):
        geometric_mean_score(["a", "b"], ["a", "b"], average="binary", pos_label="yes")
    with pytest.raises(InvalidParameterError, match="average='mean'"):
        geometric_mean_score([0, 1], [0, 1], average="mean")
    with pytest.raises(InvalidParameterError, match="multilabel"):
        sensitivity_score([0, 1], [0, 1], average="samples")
    indicator = np.array([[1, 0], [0, 1], [1, 1]])
    with pytest.raises(InvalidDataError, match="multilabel"):
        sensitivity_score(indicator, indicator)


def test_undefined_values_warn_unless_told_what_to_use():
    with pytest.warns(UndefinedMetricWarning, match="zero_division"):
        sensitivity_specificity_support([0, 0], [0, 1], labels=[0, 1])
    sens, _, _ = sensitivity_specificity_support([0, 0], [0, 1], labels=[0, 1], zero_division=1.0)
    assert sens.tolist() == [0.5, 1.0]


@pytest.fixture
def binary_predictions():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 300)
    y_pred = np.where(rng.random(300) < 0.7, y_true, 1 - y_true)
    return y_true, y_pred


@pytest.mark.parametrize(
    "metric, kwargs",
    [
        (geometric_mean_score, {}),
        (geometric_mean_score, {"average": None}),
        (geometric_mean_score, {"average": "weighted"}),
        (accuracy_score, {}),
        (jaccard_score, {}),
        (precision_score, {}),
        (recall_score, {"average": "macro"}),
    ],
)
@pytest.mark.parametrize("alpha, squared", [(0.1, True), (0.5, False)])
def test_make_index_balanced_accuracy_matches_imbalanced_learn(
    binary_predictions, metric, kwargs, alpha, squared
):
    y_true, y_pred = binary_predictions
    ours = make_index_balanced_accuracy(alpha=alpha, squared=squared)(metric)
    ref_metric = getattr(imblearn_metrics, metric.__name__, metric)
    ref = imblearn_metrics.make_index_balanced_accuracy(alpha=alpha, squared=squared)(ref_metric)
    np.testing.assert_allclose(ours(y_true, y_pred, **kwargs), ref(y_true, y_pred, **kwargs))
    assert ours.__name__ == metric.__name__


def test_make_index_balanced_accuracy_refuses_scores(binary_predictions):
    iba_auc = make_index_balanced_accuracy()(roc_auc_score)
    with pytest.raises(TypeError, match="predicted labels"):
        iba_auc(*binary_predictions)


def test_index_balanced_accuracy_matches_the_published_formula():
    y_true = [0, 0, 0, 1, 1]
    y_pred = [0, 0, 1, 1, 0]
    sens, spec = 0.5, 2 / 3
    assert index_balanced_accuracy(y_true, y_pred) == pytest.approx(
        (1 + 0.1 * (sens - spec)) * sens * spec
    )
    ref = imblearn_metrics.make_index_balanced_accuracy(alpha=0.1, squared=True)(
        imblearn_metrics.geometric_mean_score
    )
    assert index_balanced_accuracy(y_true, y_pred) == pytest.approx(
        ref(y_true, y_pred, average="binary")
    )


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        ([1, 1, 1, 2, 2, 2], [1, 2, 1, 2, 1, 2]),
        ([1, 1, 1, 2, 2, 2, 3, 3, 3], [1, 3, 1, 2, 1, 1, 2, 3, 3]),
        ([1, 1, 1, 1, 1, 1, 2, 3, 3], [1, 3, 1, 2, 1, 1, 2, 3, 3]),
    ],
)
def test_macro_averaged_mae_matches_imbalanced_learn(y_true, y_pred):
    weights = np.arange(1, len(y_true) + 1)
    for w in (None, weights):
        assert macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=w) == pytest.approx(
            imblearn_metrics.macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=w)
        )


def test_macro_averaged_mae_averages_over_true_classes():
    # class 3 is only predicted: it has no error of its own (imbalanced-learn raises here)
    assert macro_averaged_mean_absolute_error([1, 1, 2], [1, 3, 2]) == pytest.approx(0.5)
    with pytest.raises(InvalidDataError, match="numeric"):
        macro_averaged_mean_absolute_error(["a", "b"], ["a", "a"])


def _normalised(text):
    return " ".join(text.split())


@pytest.mark.parametrize("digits", [2, 5])
def test_report_is_imbalanced_learns(digits):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, 200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 3, 200))
    ours = classification_report_imbalanced(y_true, y_pred, output_dict=True)
    ref = imblearn_metrics.classification_report_imbalanced(y_true, y_pred, output_dict=True)
    assert set(ours) == set(ref)
    for key, value in ref.items():
        assert ours[key] == pytest.approx(value), key
    names = ["a", "bb", "c"]
    text = classification_report_imbalanced(y_true, y_pred, target_names=names, digits=digits)
    ref_text = imblearn_metrics.classification_report_imbalanced(
        y_true, y_pred, target_names=names, digits=digits
    )
    assert _normalised(text) == _normalised(ref_text)


def test_report_zero_division_and_bad_names():
    y_true, y_pred = [0, 0, 1, 1], [0, 0, 0, 0]  # class 1 never predicted
    with pytest.warns(UndefinedMetricWarning):
        classification_report_imbalanced(y_true, y_pred)
    report = classification_report_imbalanced(y_true, y_pred, zero_division=1.0, output_dict=True)
    assert report["1"]["pre"] == 1.0 and report["total_support"] == 4
    with pytest.raises(InvalidParameterError, match="target_names has 1 names for 2 labels"):
        classification_report_imbalanced(y_true, y_pred, target_names=["x"], zero_division=0.0)


def test_scorers_work_in_cross_validation():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(size=200) > 1.2).astype(int)
    for name, scorer in scorers.items():
        scores = cross_val_score(LogisticRegression(), X, y, cv=3, scoring=scorer)
        assert np.isfinite(scores).all(), name


@pytest.fixture
def categorical():
    rng = np.random.default_rng(0)
    X = np.column_stack(
        [rng.choice(list("ABC"), 80), rng.choice(list("AB"), 80), rng.choice(list("ABCD"), 80)]
    )
    y = rng.choice(np.array(["apple", "pear", "plum"], dtype=object), 80)
    return OrdinalEncoder(dtype=np.int32).fit_transform(X), y


@pytest.mark.parametrize("k, r", [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)])
def test_value_difference_metric_matches_imbalanced_learn(categorical, k, r):
    X, y = categorical
    ours = ValueDifferenceMetric(k=k, r=r).fit(X.astype(np.float64), y)
    ref = imblearn_pairwise.ValueDifferenceMetric(k=k, r=r).fit(X, y)
    np.testing.assert_allclose(ours.pairwise(X), ref.pairwise(X), atol=1e-12)
    np.testing.assert_allclose(ours.pairwise(X[:5], X[5:9]), ref.pairwise(X[:5], X[5:9]))
    for a, b in zip(ours.proba_per_class_, ref.proba_per_class_, strict=True):
        np.testing.assert_allclose(a, b)
    np.testing.assert_array_equal(ours.n_categories_, [3, 2, 4])


def test_value_difference_metric_orders_values_by_class_distribution():
    X = np.repeat([0, 1, 2], 10).reshape(-1, 1)  # green, red, blue
    y = np.array([1] * 8 + [0] * 5 + [1] * 7 + [0] * 9 + [1])
    vdm = ValueDifferenceMetric(k=1, r=1).fit(X, y)
    d = vdm.pairwise([[0], [1], [2]])
    np.testing.assert_allclose(d, [[0, 0.2, 1.4], [0.2, 0, 1.2], [1.4, 1.2, 0]])


def test_value_difference_metric_errors(categorical):
    X, y = categorical
    with pytest.raises(NotFittedError):
        ValueDifferenceMetric().pairwise(X)
    with pytest.raises(InvalidParameterError, match="length of n_categories is not consistent"):
        ValueDifferenceMetric(n_categories=[3, 2]).fit(X, y)
    with pytest.raises(InvalidDataError, match="n_categories\\[2\\]=3"):
        ValueDifferenceMetric(n_categories=[3, 2, 3]).fit(X, y)
    with pytest.raises(InvalidDataError, match="non-negative whole-number"):
        ValueDifferenceMetric().fit(X - 1, y)
    with pytest.raises(InvalidDataError, match="non-negative whole-number"):
        ValueDifferenceMetric().fit(X + 0.5, y)
    with pytest.raises(InvalidParameterError, match="'k' parameter"):
        ValueDifferenceMetric(k=0).fit(X, y)
    vdm = ValueDifferenceMetric().fit(X, y)
    with pytest.raises(InvalidDataError, match="not a category in fit"):
        vdm.pairwise(X + 5)
    missing = ValueDifferenceMetric(n_categories=[5, 2, 4]).fit(X, y)
    assert missing.proba_per_class_[0].shape == (5, 3)
    assert missing.proba_per_class_[0][3:].sum() == 0
