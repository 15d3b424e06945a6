"""Metrics at every threshold at once equal scikit-learn's metric called at each threshold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    fbeta_score,
    matthews_corrcoef,
)

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.metrics import (
    confusion_at_thresholds,
    geometric_mean_score,
    metric_at_thresholds,
    metric_from_counts,
)

COSTS = np.array([[0.0, 1.0], [7.0, -0.5]])


def _reference(metric, y, pred, w):
    if metric == "mcc":
        return matthews_corrcoef(y, pred, sample_weight=w)
    if metric == "f1":
        return f1_score(y, pred, sample_weight=w, zero_division=0.0)
    if metric == "fbeta":
        return fbeta_score(y, pred, beta=2.5, sample_weight=w, zero_division=0.0)
    if metric == "balanced_accuracy":
        return balanced_accuracy_score(y, pred, sample_weight=w)
    if metric == "g_mean":
        return geometric_mean_score(y, pred, sample_weight=w, labels=[0, 1])
    cm = confusion_matrix(y, pred, labels=[0, 1], sample_weight=w)
    return float((cm * COSTS).sum() / cm.sum())


cases = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda y: 0 < sum(y) < n),
        # few distinct values: many ties
        st.lists(st.integers(0, 6), min_size=n, max_size=n),
        st.one_of(st.none(), st.lists(st.integers(1, 5), min_size=n, max_size=n)),
    )
)


@settings(max_examples=60, deadline=None)
@given(case=cases, metric=st.sampled_from(["mcc", "f1", "fbeta", "balanced_accuracy", "g_mean"]))
def test_every_threshold_equals_scikit_learn(case, metric):
    y, codes, weights = (np.asarray(v) if v is not None else None for v in case)
    scores = codes / 6.0
    t, values = metric_at_thresholds(y, scores, metric=metric, beta=2.5, sample_weight=weights)
    assert t[0] == np.inf and np.all(np.diff(t) < 0)
    assert set(t[1:].tolist()) == set(scores.tolist())  # every distinct score, once
    for threshold, value in zip(t, values, strict=True):
        expected = _reference(metric, y, (scores >= threshold).astype(int), weights)
        assert value == pytest.approx(expected, abs=1e-12), threshold


@settings(max_examples=40, deadline=None)
@given(case=cases, grid=st.lists(st.floats(-0.5, 1.5), min_size=1, max_size=8))
def test_given_thresholds_and_costs(case, grid):
    y, codes, _ = (np.asarray(v) if v is not None else None for v in case)
    scores = codes / 6.0
    t, cost = metric_at_thresholds(y, scores, metric="cost", cost_matrix=COSTS, thresholds=grid)
    assert t.tolist() == [float(g) for g in grid]
    for threshold, value in zip(t, cost, strict=True):
        expected = _reference("cost", y, (scores >= threshold).astype(int), None)
        assert value == pytest.approx(expected, abs=1e-12)


def test_counts_with_labels_and_weights():
    y = np.array(["a", "b", "b", "a", "b"])
    t, tn, fp, fn, tp = confusion_at_thresholds(
        y, [0.9, 0.9, 0.2, 0.1, 0.5], pos_label="b", sample_weight=[1, 2, 3, 4, 5]
    )
    assert t.tolist() == [np.inf, 0.9, 0.5, 0.2, 0.1]
    assert tp.tolist() == [0, 2, 7, 10, 10] and fp.tolist() == [0, 1, 1, 1, 5]
    assert (tn + fp).tolist() == [5] * 5 and (tp + fn).tolist() == [10] * 5


def test_metric_from_counts_matches_and_is_vectorised():
    counts = np.array([[50, 3, 4, 6], [10, 0, 0, 0]])  # the second has no positive at all
    mcc = metric_from_counts("mcc", *counts.T)
    assert mcc[0] == pytest.approx(
        matthews_corrcoef([0] * 53 + [1] * 10, [0] * 50 + [1] * 3 + [0] * 4 + [1] * 6)
    )
    assert mcc[1] == 0.0  # undefined -> 0, as scikit-learn
    assert metric_from_counts("balanced_accuracy", *counts.T)[1] == 1.0  # mean over classes present


def test_bad_input_is_explained():
    with pytest.raises(InvalidParameterError, match="pos_label="):
        metric_at_thresholds(["x", "y"], [0.1, 0.2])
    with pytest.raises(InvalidDataError, match="one score per row"):
        metric_at_thresholds([0, 1], [[0.1, 0.9], [0.2, 0.8]])
    with pytest.raises(InvalidDataError, match="finite"):
        metric_at_thresholds([0, 1], [0.1, np.nan])
    with pytest.raises(InvalidDataError, match="3 classes"):
        metric_at_thresholds([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(InvalidParameterError, match="cost_matrix"):
        metric_at_thresholds([0, 1], [0.1, 0.2], metric="cost")
    with pytest.raises(InvalidParameterError, match="'auc' is not known"):
        metric_at_thresholds([0, 1], [0.1, 0.2], metric="auc")
    with pytest.raises(InvalidParameterError, match="beta"):
        metric_at_thresholds([0, 1], [0.1, 0.2], metric="fbeta", beta=0)
