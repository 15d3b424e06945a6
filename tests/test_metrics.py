"""Metrics against imbalanced-learn where it is right, against the definitions where it is not."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.model_selection import cross_val_score

from imbalance.exceptions import InvalidParameterError
from imbalance.metrics import (
    classification_report_imbalanced,
    geometric_mean_score,
    index_balanced_accuracy,
    scorers,
    sensitivity_specificity_support,
)

imblearn_metrics = pytest.importorskip("imblearn.metrics")

labels_st = st.lists(st.integers(0, 2), min_size=6, max_size=60)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), y_true=labels_st)
def test_agree_with_imbalanced_learn_where_it_is_right(data, y_true):
    y_pred = data.draw(st.lists(st.integers(0, 2), min_size=len(y_true), max_size=len(y_true)))
    labels = [0, 1, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)  # absent classes, both sides
        for average in (None, "macro", "weighted", "micro"):
            ours = sensitivity_specificity_support(
                y_true, y_pred, labels=labels, average=average, zero_division=0.0
            )
            ref = imblearn_metrics.sensitivity_specificity_support(
                y_true, y_pred, labels=labels, average=average, warn_for=()
            )
            for a, b in zip(ours[:2], ref[:2], strict=True):
                np.testing.assert_allclose(a, b)
        ours_mc = geometric_mean_score(y_true, y_pred, labels=labels)
        ref_mc = imblearn_metrics.geometric_mean_score(y_true, y_pred, labels=labels)
    np.testing.assert_allclose(ours_mc, ref_mc, atol=1e-12)


def test_macro_g_mean_is_the_mean_of_per_class_g_means():
    y_true = [0, 0, 0, 0, 1, 1, 2, 2]
    y_pred = [0, 0, 0, 1, 1, 0, 2, 1]
    per_class = geometric_mean_score(y_true, y_pred, average=None)
    np.testing.assert_allclose(
        per_class, [np.sqrt(0.75 * 0.75), np.sqrt(0.5 * 4 / 6), np.sqrt(0.5)]
    )
    assert geometric_mean_score(y_true, y_pred, average="macro") == pytest.approx(per_class.mean())
    # imbalanced-learn 0.14 averages sensitivity and specificity first: a different number
    wrong = imblearn_metrics.geometric_mean_score(y_true, y_pred, average="macro")
    assert wrong == pytest.approx(np.sqrt(np.mean([0.75, 0.5, 0.5]) * np.mean([0.75, 4 / 6, 1.0])))
    assert abs(wrong - per_class.mean()) > 0.005


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


def test_report_holds_the_same_numbers_as_imbalanced_learn():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, 200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 3, 200))
    ours = classification_report_imbalanced(y_true, y_pred, output_dict=True)
    ref = imblearn_metrics.classification_report_imbalanced(y_true, y_pred, output_dict=True)
    for label in ("0", "1", "2"):
        for key in ("pre", "rec", "spe", "f1", "geo", "iba", "sup"):
            assert ours[label][key] == pytest.approx(ref[label][key]), (label, key)
    text = classification_report_imbalanced(y_true, y_pred, target_names=["a", "b", "c"])
    assert "macro avg" in text and "weighted avg" in text and "\n           a" in text


def test_scorers_work_in_cross_validation():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(size=200) > 1.2).astype(int)
    for name, scorer in scorers.items():
        scores = cross_val_score(LogisticRegression(), X, y, cv=3, scoring=scorer)
        assert np.isfinite(scores).all() and (scores >= 0).all(), name


def test_undefined_values_warn_unless_told_what_to_use():
    with pytest.warns(UndefinedMetricWarning, match="zero_division"):
        sensitivity_specificity_support([0, 0], [0, 1], labels=[0, 1])
    sens, _, _ = sensitivity_specificity_support([0, 0], [0, 1], labels=[0, 1], zero_division=1.0)
    assert sens.tolist() == [0.5, 1.0]


def test_bad_averages_and_labels_are_explained():
    with pytest.raises(InvalidParameterError, match="two classes"):
        geometric_mean_score([0, 1, 2], [0, 1, 2], average="binary")
    with pytest.raises(InvalidParameterError, match="pos_label='yes'"):
        geometric_mean_score(["a", "b"], ["a", "b"], average="binary", pos_label="yes")
    with pytest.raises(InvalidParameterError, match="average='mean'"):
        geometric_mean_score([0, 1], [0, 1], average="mean")
