"""Weights, metrics, the resampled regressor, binned folds and the data sets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import cross_val_score

from imbalance.regression import (
    SMOGN,
    BinnedStratifiedKFold,
    ResampledRegressor,
    density_weights,
    inverse_frequency_weights,
    lds_weights,
    list_regression_datasets,
    load_regression_dataset,
    region_errors,
    relevance,
    relevance_weighted_mae,
    sera,
    shot_regions,
)


def _skewed(n=500, seed=0):
    return np.random.default_rng(seed).lognormal(size=n)


@pytest.mark.parametrize(
    "weights",
    [
        density_weights,
        lambda y: lds_weights(y, bins=50),
        lambda y: lds_weights(y, bins=50, kernel="triangular", reweight="inverse"),
        lambda y: lds_weights(y, bins=50, kernel="laplace", ks=7, sigma=1.0),
        lambda y: inverse_frequency_weights(y, bins=20),
    ],
)
def test_weights_have_mean_one_and_favour_rare_values(weights):
    y = _skewed()
    w = weights(y)
    assert w.shape == y.shape and np.all(w > 0)
    assert w.mean() == pytest.approx(1.0)
    assert w[np.argmax(y)] > w[np.argmin(np.abs(y - np.median(y)))]


def test_lds_gaussian_matches_yang_et_al():
    # the paper's code: sqrt of bin counts, convolved with a gaussian window of peak 1
    from scipy.ndimage import convolve1d, gaussian_filter1d

    y = np.repeat(np.arange(10.0), [50, 40, 30, 20, 10, 5, 3, 2, 1, 1])
    base = np.zeros(5)
    base[2] = 1
    window = gaussian_filter1d(base, 2.0)
    window /= window.max()
    counts = np.sqrt(np.bincount(y.astype(int), minlength=10))
    expected = 1 / convolve1d(counts, window, mode="constant")[y.astype(int)]
    expected /= expected.mean()
    np.testing.assert_allclose(lds_weights(y, bins=np.arange(11.0) - 0.5), expected)


def test_sera_is_the_integral_of_ser():
    rng = np.random.default_rng(0)
    y = _skewed(200)
    p = y + rng.normal(size=200)
    phi = relevance(y)
    t = np.linspace(0, 1, 20001)
    ser = [np.sum(((p - y) ** 2)[phi >= s]) for s in t]
    assert sera(y, p) == pytest.approx(np.trapezoid(ser, t), rel=1e-3)
    assert sera(y, y) == 0.0


def test_relevance_weighted_errors_ignore_irrelevant_rows():
    y = np.array([0.0, 1.0, 2.0])
    p = np.array([100.0, 1.0, 3.0])
    assert relevance_weighted_mae(y, p, relevance=[0, 0.5, 0.5]) == 0.5
    with pytest.raises(ValueError, match="relevance 0"):
        relevance_weighted_mae(y, p, relevance=[0, 0, 0])


def test_regions_follow_training_counts():
    y_train = np.r_[np.zeros(200), np.ones(50), np.full(3, 2.0)]
    regions = shot_regions(y_train, [0.0, 1.0, 2.0, 5.0], bins=[-0.5, 0.5, 1.5, 2.5])
    assert regions.tolist() == ["many", "medium", "few", "few"]
    out = region_errors([0.0, 2.0], [1.0, 4.0], y_train=y_train, bins=[-0.5, 0.5, 1.5, 2.5])
    assert out["many"]["mae"] == 1.0 and out["few"]["mse"] == 4.0 and out["medium"]["n"] == 0


def test_resampled_regressor_never_resamples_validation_rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = np.exp(X[:, 0])
    model = ResampledRegressor(SMOGN(random_state=0), LinearRegression())
    model.fit(X, y, sample_weight=np.ones(300))
    assert model.predict(X).shape == (300,)
    assert model.sampler_.synthetic_parents_.shape[0] > 0
    cv = BinnedStratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    scores = cross_val_score(model, X, y, cv=cv)
    assert scores.shape == (3,)
    tests = np.concatenate([test for _, test in cv.split(X, y)])
    assert np.array_equal(np.sort(tests), np.arange(300))


def test_binned_folds_spread_the_tail():
    y = _skewed(1000)
    top = y >= np.quantile(y, 0.95)
    cv = BinnedStratifiedKFold(n_splits=5, n_bins=20)
    assert [int(top[test].sum()) for _, test in cv.split(None, y)] == [10] * 5


@pytest.mark.parametrize("info", list_regression_datasets(), ids=lambda d: d.name)
def test_datasets_load_offline_with_skewed_targets(info):
    X, y = load_regression_dataset(info.name, return_X_y=True)
    assert X.shape == (info.n_samples, info.n_features) and y.dtype == np.float64
    assert np.mean(y) > np.median(y)  # right-skewed
    frame = load_regression_dataset(info.name, as_frame=True)
    assert isinstance(frame.data, pd.DataFrame) and frame.target.name == info.target
    assert info.source and info.licence
