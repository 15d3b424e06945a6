"""phi against the smogn package's values, and its properties."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance.regression import (
    RelevanceWarning,
    box_plot_stats,
    control_points,
    density_relevance,
    relevance,
)

REFERENCE = json.loads((Path(__file__).parent / "smogn_phi_reference.json").read_text())


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda c: c["name"])
def test_phi_equals_smogn(case):
    y = np.asarray(case["y"])
    if case["method"] == "manual":
        ours = relevance(y, control_points=case["control_points_given"])
    else:
        points = control_points(y, extreme=case["extreme"], coef=case["coef"], quartiles="midpoint")
        np.testing.assert_allclose(points, case["control_points"], rtol=0, atol=1e-12)
        ours = relevance(y, control_points=points)
    np.testing.assert_allclose(ours, case["phi"], rtol=0, atol=1e-9)


def test_reference_records_its_source():
    assert REFERENCE["meta"]["versions"]["smogn"] == "0.1.2"
    assert Path(__file__).parents[2].joinpath("tools", "smogn_reference.py").exists()


def test_fivenum_hinges_are_rs():
    # R: fivenum(1:10) = 1, 3, 5.5, 8, 10; fivenum(c(1:9, 100)) hinges 3 and 8
    stats, out = box_plot_stats(np.arange(1.0, 11.0))
    assert stats.tolist() == [1.0, 3.0, 5.5, 8.0, 10.0] and out.size == 0
    stats, out = box_plot_stats(np.r_[np.arange(1.0, 10.0), 100.0])
    assert stats.tolist() == [1.0, 3.0, 5.5, 8.0, 9.0] and out.tolist() == [100.0]


def test_automatic_points_mark_only_tails_with_outliers():
    y = np.r_[np.arange(1.0, 10.0), 100.0]
    assert control_points(y).tolist() == [[1.0, 0.0, 0.0], [5.5, 0.0, 0.0], [9.0, 1.0, 0.0]]
    assert control_points(y, extreme="low").tolist() == [
        [1.0, 0.0, 0.0],
        [5.5, 0.0, 0.0],
        [100.0, 0.0, 0.0],
    ]
    phi = relevance(y)
    assert phi[-1] == 1.0 and phi[0] == 0.0 and phi[4] == 0.0


def test_two_column_points_get_ubls_slopes():
    phi = relevance([0.0, 1.0, 2.0], control_points=[[0, 0], [1, 0.5], [2, 1]])
    np.testing.assert_allclose(phi, [0.0, 0.5, 1.0])


def test_points_outside_the_data_warn():
    with pytest.warns(RelevanceWarning, match="no control point"):
        phi = relevance([1.0, 2.0, 3.0], control_points=[[10, 0], [20, 1]])
    assert phi.tolist() == [0.0, 0.0, 0.0]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=5, max_size=60),
    st.sampled_from(["both", "high", "low"]),
    st.floats(0.1, 4.0),
)
def test_phi_lies_in_unit_interval(values, extreme, coef):
    y = np.asarray(values)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            phi = relevance(y, extreme=extreme, coef=coef)
    except ValueError as exc:  # a collapsed box plot is refused with a message
        assert "collapses" in str(exc) or "constant" in str(exc)
        return
    assert phi.shape == y.shape and np.all((phi >= 0) & (phi <= 1))
    # a RelevanceWarning exactly when no value is relevant (no outlier in the chosen tails)
    assert [w.category for w in caught] == ([] if phi.any() else [RelevanceWarning])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=6), st.integers(0, 2**31))
def test_phi_interpolates_control_points(rels, seed):
    x = np.cumsum(np.random.default_rng(seed).uniform(0.1, 2.0, len(rels)))
    points = np.column_stack([x, rels, np.zeros(len(rels))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RelevanceWarning)  # all-zero relevances warn
        np.testing.assert_allclose(relevance(x, control_points=points), rels, atol=1e-12)


def test_density_relevance_is_high_where_values_are_rare():
    y = np.r_[np.random.default_rng(0).normal(size=500), 8.0]
    r = density_relevance(y)
    assert r[-1] > 0.99 and r[np.argmin(np.abs(y))] < 0.05
    assert np.all(density_relevance(y, alpha=0.0) == 1.0)
