"""No silent wrong numbers: metrics, weights and prior correction on bad and generated input.

From finite, valid input no public function returns NaN, inf, a negative count or a negative
weight; bad weights and probabilities are refused with the documented exceptions.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import UndefinedMetricWarning

from imbalance.calibration import correct_priors, correct_undersampling, priors_from_counts
from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.metrics import (
    classification_report_imbalanced,
    geometric_mean_score,
    macro_averaged_mean_absolute_error,
    sensitivity_specificity_support,
    specificity_score,
)
from imbalance.multilabel import label_pos_weight, label_weights, multilabel_sample_weights
from imbalance.weights import SCHEMES, class_weights, sample_weights, weights_from_counts

SETTINGS = settings(max_examples=60, deadline=None)

labels = st.lists(st.integers(0, 3), min_size=2, max_size=30)
positive_weights = st.floats(1e-6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def scored(draw):
    y_true = draw(labels)
    n = len(y_true)
    y_pred = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.0, 1e6), min_size=n, max_size=n).filter(lambda v: any(v)))
    return np.array(y_true), np.array(y_pred), np.array(w)


# --- metrics --------------------------------------------------------------------------------------


def test_specificity_is_exactly_zero_not_negative_with_float_weights():
    # The case of the issue: tn = total - tp - fp - fn left -2.7e-16 for class 2.
    y_true = np.array([2, 2, 2, 0, 2, 2, 0])
    y_pred = np.array([0, 0, 2, 2, 1, 1, 2])
    w = np.array([9.104e-04, 9.848e-04, 2.863e-04, 8.137e-04, 8.241e-05, 4.383e-04, 8.177e-04])
    spec = specificity_score(y_true, y_pred, average=None, sample_weight=w, zero_division=0.0)
    assert spec[2] == 0.0
    assert (spec >= 0).all()


def test_geometric_mean_macro_with_float_weights_is_a_number():
    y_true = np.array([0, 0, 1, 1, 2])
    y_pred = np.array([1, 1, 0, 0, 2])
    w = np.array([0.1, 0.7, 0.2, 0.3, 0.9])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        score = geometric_mean_score(y_true, y_pred, average="macro", sample_weight=w)
        unweighted = geometric_mean_score(y_true, y_pred, average="macro")
    assert np.isfinite(score) and 0 <= score <= 1
    assert np.isfinite(unweighted)


def test_a_class_with_no_true_negative_is_undefined_not_one():
    # Every row is class 0 in truth: class 0 has no negative, and its specificity is the
    # zero_division value (0.6 - 0.4 - 0.2 left 5.6e-17 / 5.6e-17 = 1.0 before).
    y_true = np.array([0, 0, 0])
    y_pred = np.array([0, 1, 0])
    w = np.array([0.1, 0.2, 0.3])
    spec = specificity_score(y_true, y_pred, average=None, sample_weight=w, zero_division=0.5)
    assert spec.tolist() == [0.5, pytest.approx(2 / 3)]


@SETTINGS
@given(data=scored())
def test_metrics_are_finite_and_in_range(data):
    y_true, y_pred, w = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        sens, spec, support = sensitivity_specificity_support(
            y_true, y_pred, sample_weight=w, zero_division=0.0
        )
        for arr in (sens, spec):
            assert np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all()
        assert (support >= 0).all()
        for average in ("macro", "weighted", "micro", None, "multiclass"):
            score = geometric_mean_score(y_true, y_pred, average=average, sample_weight=w)
            assert np.isfinite(score).all() and (np.asarray(score) >= 0).all(), average
        mae = macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=w)
        assert np.isfinite(mae) and mae >= 0
        report = classification_report_imbalanced(
            y_true, y_pred, sample_weight=w, output_dict=True, zero_division=0.0
        )
        assert all(np.isfinite(v) for v in _numbers(report))


def _numbers(report):
    for value in report.values():
        if isinstance(value, dict):
            yield from value.values()
        else:
            yield value


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([1.0, -1.0, 1.0, 1.0], r"finite and >= 0.*-1\.0 at position 1"),
        ([1.0, np.nan, 1.0, 1.0], r"finite and >= 0.*nan"),
        ([1.0, np.inf, 1.0, 1.0], r"finite and >= 0.*inf"),
        ([0.0, 0.0, 0.0, 0.0], r"zero for every row.*sample_weight=None"),
        ([1.0, 1.0], r"one weight per row, shape \(4,\)"),
    ],
)
def test_metric_sample_weight_is_checked(weights, match):
    for metric in (specificity_score, geometric_mean_score, macro_averaged_mean_absolute_error):
        with pytest.raises(InvalidDataError, match=match):
            metric([0, 1, 0, 1], [0, 1, 1, 1], sample_weight=weights)


# --- weights --------------------------------------------------------------------------------------


@SETTINGS
@given(counts=st.lists(st.integers(1, 10**9), min_size=1, max_size=8))
def test_weights_from_counts_are_finite_and_positive(counts):
    for scheme in SCHEMES:
        for beta in (0.0, 0.9, 0.999999):
            w = weights_from_counts(counts, scheme=scheme, beta=beta)
            assert np.isfinite(w).all() and (w > 0).all(), (scheme, beta, w)


@SETTINGS
@given(y=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=40))
def test_class_and_sample_weights_are_finite_and_positive(y):
    for scheme in SCHEMES:
        assert all(np.isfinite(v) and v > 0 for v in class_weights(y, scheme=scheme).values())
        w = sample_weights(y, scheme=scheme)
        assert np.isfinite(w).all() and (w > 0).all()


@SETTINGS
@given(Y=st.lists(st.lists(st.integers(0, 1), min_size=3, max_size=3), min_size=1, max_size=20))
def test_multilabel_weights_are_finite_and_non_negative(Y):
    Y = np.array(Y)
    Y[0] = 1  # every label has a positive row
    for scheme in SCHEMES:
        assert np.isfinite(label_weights(Y, scheme=scheme)).all()
        w = multilabel_sample_weights(Y, scheme=scheme)
        assert np.isfinite(w).all() and (w > 0).all()
    for beta in (None, 0.0, 0.99):
        pw = label_pos_weight(Y, beta=beta)
        assert np.isfinite(pw).all() and (pw >= 0).all()


@pytest.mark.parametrize(
    ("class_weight", "match"),
    [
        ({"a": 1.0, "b": -2.0}, r"class_weight must be finite and >= 0.*-2\.0.*'a', 'b'"),
        ({"a": 1.0, "b": float("nan")}, r"class_weight.*nan"),
        ({"a": 0.0, "b": 0.0}, r"zero for every class"),
        ({"a": "heavy", "b": 1.0}, r"class_weight must hold one number per class"),
    ],
)
def test_explicit_class_weights_are_checked(class_weight, match):
    with pytest.raises(InvalidParameterError, match=match):
        sample_weights(["a", "b", "a"], class_weight=class_weight)


def test_class_weight_zero_for_every_class_of_y_is_refused():
    with pytest.raises(InvalidParameterError, match="every class of y"):
        sample_weights(["a", "a"], class_weight={"a": 0.0, "b": 1.0})


# --- calibration ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "proba",
    [[[0.5, 1.5]], [[np.nan, 0.5]], [[-0.1, 1.1]], [1.2], [[np.inf, 0.0]]],
)
def test_correct_priors_refuses_values_that_are_not_probabilities(proba):
    with pytest.raises(InvalidDataError, match=r"probabilities in \[0, 1\].*softmax"):
        correct_priors(proba, training_priors=[0.5, 0.5], true_priors=[0.9, 0.1])


def test_correct_priors_refuses_a_row_of_zeros():
    with pytest.raises(InvalidDataError, match="row 1 is 0 for every class"):
        correct_priors([[0.5, 0.5], [0.0, 0.0]], training_priors=[0.5, 0.5], true_priors=[0.9, 0.1])


def test_correct_undersampling_refuses_values_that_are_not_probabilities():
    with pytest.raises(InvalidDataError, match=r"\[0, 1\]"):
        correct_undersampling([0.5, 2.0], beta=0.5)


@pytest.mark.parametrize(
    ("priors", "match"),
    [([0.5, -0.5], "finite and >= 0"), ([0.5, np.nan], "finite and >= 0"), ([1.0, 0.0], "0")],
)
def test_correct_priors_refuses_bad_priors(priors, match):
    with pytest.raises(InvalidParameterError, match=match):
        correct_priors([[0.5, 0.5]], training_priors=priors, true_priors=[0.5, 0.5])


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([1.0, -1.0, 1.0], r"sample_weight must be finite and >= 0.*-1\.0"),
        ([0.0, 0.0, 0.0], r"zero for every row"),
        ([1.0, np.nan, 1.0], r"nan"),
        ([1.0, 1.0], r"shape \(3,\)"),
    ],
)
def test_priors_from_counts_refuses_bad_weights(weights, match):
    with pytest.raises(InvalidDataError, match=match):
        priors_from_counts([0, 1, 1], sample_weight=weights)


def test_priors_from_counts_weighted():
    assert priors_from_counts([0, 1, 1], sample_weight=[2.0, 1.0, 1.0]) == {0: 0.5, 1: 0.5}
    assert priors_from_counts([0, 1, 1], sample_weight=[0.0, 1.0, 1.0]) == {0: 0.0, 1: 1.0}


@SETTINGS
@given(
    proba=st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3).filter(lambda p: sum(p) > 0),
    train=st.lists(positive_weights, min_size=3, max_size=3),
    true=st.lists(positive_weights, min_size=3, max_size=3),
)
def test_correct_priors_gives_probabilities(proba, train, true):
    out = correct_priors([proba], training_priors=train, true_priors=true)
    assert np.isfinite(out).all() and (out >= 0).all() and (out <= 1).all()
    assert out.sum() == pytest.approx(1.0)


@SETTINGS
@given(
    y=st.lists(st.integers(0, 2), min_size=1, max_size=20),
    data=st.data(),
)
def test_priors_from_counts_are_proportions(y, data):
    w = data.draw(
        st.lists(st.floats(0.0, 1e9), min_size=len(y), max_size=len(y)).filter(lambda v: any(v))
    )
    priors = priors_from_counts(y, sample_weight=w)
    values = np.array(list(priors.values()))
    assert np.isfinite(values).all() and (values >= 0).all()
    assert values.sum() == pytest.approx(1.0)


# --- the command line -----------------------------------------------------------------------------


def test_inspect_one_class_warns_and_strict_fails(tmp_path, capsys):
    pytest.importorskip("rich")
    from imbalance.cli._main import main

    path = tmp_path / "one.csv"
    pd.DataFrame({"a": range(20), "label": ["stay"] * 20}).to_csv(path, index=False)
    assert main(["inspect", str(path), "--target", "label", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)  # strict JSON: no Infinity
    assert report["imbalance_ratio"] is None
    assert any("one class ('stay')" in w for w in report["warnings"])
    assert main(["inspect", str(path), "--target", "label", "--json", "--strict"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["imbalance_ratio"] is None
    assert "1 warning(s) with --strict" in captured.err
    assert main(["inspect", str(path), "--target", "label"]) == 0
    out = capsys.readouterr().out
    assert "undefined" in out and "one class" in out and "no warnings" not in out


def test_comparison_json_is_strict():
    from imbalance.report import dumps_json

    text = dumps_json({"a": float("inf"), "b": [float("nan"), 1.0], "c": (2.0,)})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(c)) == {
        "a": None,
        "b": [None, 1.0],
        "c": [2.0],
    }
