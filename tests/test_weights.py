"""Class and per-row weights against scikit-learn and the published formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.weights import (
    class_weights,
    pos_weight,
    sample_weights,
    strategy_weights,
    weights_from_counts,
)

counts_st = st.lists(st.integers(1, 10_000), min_size=2, max_size=8)


@settings(max_examples=100, deadline=None)
@given(counts=counts_st)
def test_balanced_equals_scikit_learn(counts):
    y = np.repeat(np.arange(len(counts)), counts)
    expected = compute_class_weight("balanced", classes=np.arange(len(counts)), y=y)
    np.testing.assert_allclose(list(class_weights(y).values()), expected)
    np.testing.assert_allclose(sample_weights(y), compute_sample_weight("balanced", y))


@settings(max_examples=100, deadline=None)
@given(counts=counts_st, beta=st.floats(0.0, 0.99999))
def test_effective_number_formula_and_normalisation(counts, beta):
    c = np.asarray(counts, dtype=float)
    w = weights_from_counts(counts, scheme="effective_number", beta=beta)
    raw = (1 - beta) / (1 - beta**c) if beta > 0 else np.ones_like(c)
    np.testing.assert_allclose(w, raw / raw.sum() * len(c), rtol=1e-9)
    assert np.isclose(w.sum(), len(c))
    assert (np.diff(w[np.argsort(c, kind="stable")]) <= 1e-12).all(), "rarer classes weigh more"


def test_effective_number_limits():
    counts = [900, 90, 10]
    np.testing.assert_allclose(
        weights_from_counts(counts, scheme="effective_number", beta=0.0), 1.0
    )
    inv = 1 / np.asarray(counts)
    near_one = weights_from_counts(counts, scheme="effective_number", beta=1 - 1e-12)
    np.testing.assert_allclose(near_one, inv / inv.sum() * 3, rtol=1e-3)


def test_cui_et_al_worked_example():
    # beta = 0.9, n = 10: effective number (1 - 0.9**10) / (1 - 0.9) = 6.513...
    w = weights_from_counts([10, 1], scheme="effective_number", beta=0.9)
    raw = np.array([0.1 / (1 - 0.9**10), 0.1 / 0.1])
    np.testing.assert_allclose(w, raw / raw.sum() * 2)


@pytest.mark.parametrize(
    ("scheme", "expected"),
    [
        ("inverse", [1000 / 900, 1000 / 90, 1000 / 10]),
        ("sqrt_inverse", np.sqrt([1000 / 900, 1000 / 90, 1000 / 10])),
        ("median_frequency", [0.09 / 0.9, 0.09 / 0.09, 0.09 / 0.01]),
        ("balanced", [1000 / 2700, 1000 / 270, 1000 / 30]),
    ],
)
def test_simple_schemes(scheme, expected):
    np.testing.assert_allclose(weights_from_counts([900, 90, 10], scheme=scheme), expected)


def test_labels_of_any_kind_and_order_of_classes():
    y = pd.Series(pd.Categorical(["b", "a", "b", "b"]))
    assert list(class_weights(y, scheme="inverse")) == ["a", "b"]
    assert class_weights(["x", "y", "y", "y"], scheme="inverse") == {"x": 4.0, "y": 4 / 3}


def test_sample_weights_from_explicit_class_weight():
    w = sample_weights([0, 1, 1], class_weight={0: 2.0, 1: 0.5})
    assert w.tolist() == [2.0, 0.5, 0.5]
    with pytest.raises(InvalidParameterError, match="class\\(es\\) 1"):
        sample_weights([0, 1, 1], class_weight={0: 2.0})


def test_strategy_weights_give_the_resampled_class_sizes():
    y = np.array([0] * 90 + [1] * 10)
    for kind, strategy, sizes in [
        ("over", "auto", {0: 90, 1: 90}),
        ("under", "auto", {0: 10, 1: 10}),
        ("under", 1 / 3, {0: 30, 1: 10}),
    ]:
        w = strategy_weights(y, strategy, kind=kind)
        weighted = {c: w[c] * np.sum(y == c) for c in w}
        assert weighted == pytest.approx(sizes)


def test_pos_weight_is_negatives_over_positives():
    Y = np.array([[1, 0, 1], [0, 0, 1], [0, 1, 1], [0, 1, 0]])
    np.testing.assert_allclose(pos_weight(Y), [3.0, 1.0, 1 / 3])


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: weights_from_counts([10, 0]), InvalidDataError, ["positive", "position 1", "0.0"]),
        (lambda: weights_from_counts([[1, 2]]), InvalidDataError, ["1-D", "(1, 2)"]),
        (
            lambda: weights_from_counts([5, 1], scheme="focal"),
            InvalidParameterError,
            ["'focal'", "'balanced'"],
        ),
        (
            lambda: weights_from_counts([5, 1], scheme="effective_number", beta=1.0),
            InvalidParameterError,
            ["beta=1.0", "[0, 1)"],
        ),
        (lambda: pos_weight([[1, 0], [1, 0]]), InvalidDataError, ["column(s) [1]", "no positive"]),
        (lambda: pos_weight([0, 1, 1]), InvalidDataError, ["2-D", "class_weights"]),
        (lambda: pos_weight([[0, 2]]), InvalidDataError, ["other than 0 and 1"]),
        (lambda: class_weights([1.0, np.nan]), InvalidDataError, ["missing"]),
    ],
)
def test_bad_weight_inputs(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value), (word, str(info.value))
