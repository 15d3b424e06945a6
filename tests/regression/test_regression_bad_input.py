"""The issue's bad-input list for a continuous target, function by function: NaN targets, a
constant target, control points out of range, a relevance with no rare region. Each gets a
clear error or a documented no-op with a warning (docs/regression.md, "Bad input")."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.regression import (
    SMOGN,
    SMOTER,
    WERCS,
    GaussianNoise,
    RandomOverSampler,
    RandomUnderSampler,
    RelevanceWarning,
    control_points,
    density_relevance,
    density_weights,
    inverse_frequency_weights,
    lds_weights,
    region_errors,
    relevance,
    relevance_weighted_mae,
    sera,
    shot_regions,
)

SAMPLERS = [SMOGN, SMOTER, WERCS, GaussianNoise, RandomOverSampler, RandomUnderSampler]
TARGET_FUNCTIONS = {
    "relevance": relevance,
    "control_points": control_points,
    "density_relevance": density_relevance,
    "density_weights": density_weights,
    "lds_weights": lds_weights,
    "inverse_frequency_weights": inverse_frequency_weights,
}


def _skewed(n: int = 60) -> np.ndarray:
    return np.exp(np.random.default_rng(0).normal(size=n))


@pytest.mark.parametrize("name", sorted(TARGET_FUNCTIONS))
def test_nan_target_is_refused_naming_the_row(name):
    y = _skewed()
    y[4] = np.nan
    with pytest.raises(InvalidDataError, match=r"finite target; y holds 1 .* row 4: nan"):
        TARGET_FUNCTIONS[name](y)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: s.__name__)
def test_nan_target_is_refused_by_every_sampler(sampler):
    y = _skewed()
    y[2] = np.inf
    with pytest.raises(InvalidDataError, match=r"row 2: inf"):
        sampler().fit_resample(np.ones((60, 2)), y)


def test_nan_in_the_predictions_is_named_as_such():
    y = _skewed()
    pred = y.copy()
    pred[3] = np.nan
    with pytest.raises(InvalidDataError, match=r"y_pred holds 1 .*predictions"):
        sera(y, pred)
    with pytest.raises(InvalidDataError, match="y_true holds"):
        region_errors(pred, y, y_train=y)


@pytest.mark.parametrize("name", sorted(TARGET_FUNCTIONS))
def test_constant_target_is_refused(name):
    with pytest.raises(InvalidDataError, match=r"constant|varies") as info:
        TARGET_FUNCTIONS[name](np.full(30, 3.0))
    assert "np.float64" not in str(info.value)


def test_constant_target_is_refused_by_the_metrics_and_the_samplers():
    y = np.full(30, 3.0)
    with pytest.raises(InvalidDataError, match="shot_regions needs a target that varies"):
        shot_regions(y, y)
    with pytest.raises(InvalidDataError, match="varies"):
        region_errors(y, y + 1, y_train=y)
    with pytest.raises(InvalidDataError, match="constant"):
        sera(y, y + 1)
    for sampler in SAMPLERS:
        with pytest.raises(InvalidDataError, match=r"every value of y is 3\.0") as info:
            sampler().fit_resample(np.ones((30, 2)), y)
        assert "np.float64" not in str(info.value)


def test_control_points_out_of_range_warn_once_and_give_the_end_relevance():
    y = np.linspace(0.0, 1.0, 30)
    with pytest.warns(
        RelevanceWarning, match=r"y spans \[0\.0, 1\.0\] but no control point"
    ) as rec:
        phi = relevance(y, control_points=[[5.0, 0.0], [9.0, 1.0]])
    assert len(rec) == 1 and "np.float64" not in str(rec[0].message)
    assert np.all(phi == 0.0)
    with pytest.warns(RelevanceWarning) as rec:
        _, y_res = SMOGN(control_points=[[5.0, 0.0], [9.0, 1.0]]).fit_resample(np.ones((30, 1)), y)
    messages = [str(r.message) for r in rec]
    assert any("no control point" in m for m in messages)
    assert any("returned unchanged" in m for m in messages)
    np.testing.assert_array_equal(y_res, y)


def test_control_points_that_are_not_valid_are_refused():
    for points, match in [
        ([[1.0, 0.0], [0.0, 1.0]], "strictly increase"),
        ([[0.0, 0.0], [1.0, 1.5]], r"in \[0, 1\]"),
        ([[0.0, 0.0]], "at least 2 rows"),
        ([[0.0, np.nan], [1.0, 1.0]], "finite"),
    ]:
        with pytest.raises(InvalidParameterError, match=match):
            relevance(_skewed(), control_points=points)


def test_no_rare_region_warns_in_relevance_and_in_sera():
    y = np.linspace(0.0, 10.0, 50)  # no box-plot outlier: automatic phi is 0 everywhere
    with pytest.warns(RelevanceWarning, match=r"relevance 0: no value of y lies beyond") as rec:
        phi = relevance(y)
    assert len(rec) == 1 and not phi.any()
    with pytest.warns(RelevanceWarning, match="relevance 0 over the whole range"):
        relevance(y, control_points=[[0.0, 0.0], [10.0, 0.0]])
    with pytest.warns(RelevanceWarning, match="SERA is 0 whatever the predictions"):
        assert sera(y, y + 1, relevance=np.zeros(50)) == 0.0
    with pytest.warns(RelevanceWarning, match="relevance 0"):
        assert sera(y, y + 1) == 0.0
    with pytest.raises(InvalidDataError, match="every true value has relevance 0"):
        relevance_weighted_mae(y, y + 1, relevance=np.zeros(50))


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: s.__name__)
def test_no_rare_region_is_one_warning_and_a_no_op_for_every_sampler(sampler):
    X, y = np.arange(40.0)[:, None], np.linspace(0.0, 10.0, 40)
    with pytest.warns(RelevanceWarning, match="returned unchanged") as rec:
        X_res, y_res = sampler().fit_resample(X, y)
    assert len(rec) == 1
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)


def test_data_with_a_rare_region_warn_about_nothing():
    y = _skewed(200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert relevance(y).any()
        sera(y, y + 1)
        SMOGN(random_state=0).fit_resample(np.random.default_rng(0).normal(size=(200, 2)), y)
