"""Properties every public sampler keeps on any data, checked with hypothesis.

For each sampler of :func:`imbalance.utils.all_samplers` (FunctionSampler aside: it runs the
user's function), on drawn data (shape, class sizes, label type, scale, ties, missing values):

- the output is aligned: X and y of the same length, and ``sample_indices_`` names input rows
  that come first in the output, unchanged;
- the caller's X and y are never changed;
- the same seed gives the same rows whether X and y come as numpy, pandas, polars or lists;
- finite input gives finite output;
- any refusal is a documented exception (:mod:`imbalance.exceptions`).

The number of examples is bounded so that the file runs in well under a minute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from imbalance.exceptions import ImbalanceError
from imbalance.utils import all_samplers

# Constructor arguments that keep each example fast or make the sampler applicable.
_OVERRIDES = {
    "InstanceHardnessThreshold": {"estimator": LogisticRegression(), "cv": 3},
    "SMOTENC": {"categorical_features": [0]},
}
_SAMPLERS = sorted(name for name, _ in all_samplers() if name != "FunctionSampler")
# These fit scikit-learn estimators (k-means, SVC) or take variances on the raw values, where
# squares of values beyond about 1e154 overflow: they are drawn at moderate scales only
# (docs/bad-input.md, "huge values"). The neighbour engine itself is tested at every scale.
_MODERATE_ONLY = {"ClusterCentroids", "KMeansSMOTE", "SMOTENC", "SVMSMOTE"}
# The user's estimator (IHT) or the category encoder (SMOTENC) decides about NaN itself.
_NAN_OWNED_ELSEWHERE = {"InstanceHardnessThreshold", "SMOTENC"}
_CLASSES = dict(all_samplers())
# k-means (ClusterCentroids, KMeansSMOTE) warns when the drawn rows hold fewer distinct
# points than clusters: a warning about the data, not a failure of the sampler.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
_SETTINGS = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _make(name: str):
    cls = _CLASSES[name]
    params = dict(_OVERRIDES.get(name, {}))
    if "random_state" in cls().get_params():
        params["random_state"] = 0
    return cls(**params)


@st.composite
def datasets(draw, *, finite: bool = True, moderate: bool = False):
    """X (float64) and y (ints or strings) with two or three imbalanced classes."""
    n_features = draw(st.integers(1, 4))
    sizes = [draw(st.integers(25, 45)), draw(st.integers(8, 20))]
    if draw(st.booleans()):
        sizes.append(draw(st.integers(8, 15)))
    n = sum(sizes)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scales = [0] if moderate else [0, 0, -150, 150, 300]
    X = rng.normal(size=(n, n_features)) * 10.0 ** draw(st.sampled_from(scales))
    X[:, 0] = np.round(X[:, 0] / np.abs(X[:, 0]).max() * 3)  # a column with many ties
    if draw(st.booleans()):  # duplicated rows
        X[1::7] = X[0]
    if not finite:
        X[draw(st.integers(0, n - 1)), draw(st.integers(0, n_features - 1))] = draw(
            st.sampled_from([np.nan, np.inf, -np.inf])
        )
    codes = rng.permutation(np.repeat(np.arange(len(sizes)), sizes))
    if draw(st.booleans()):
        y = np.array(["no", "yes", "maybe"], dtype=object)[codes]
    else:
        y = codes.astype(np.int64) * 3 - 1
    return X, y


def _run(sampler, X, y):
    """fit_resample, with any refusal checked to be documented; None when refused."""
    try:
        return sampler.fit_resample(X, y)
    except ImbalanceError:
        return None


def _as_numpy(X_res, y_res):
    if isinstance(X_res, pd.DataFrame | pl.DataFrame):
        X_res = X_res.to_numpy()
    if isinstance(y_res, pd.Series | pl.Series):
        y_res = y_res.to_numpy()
    return np.asarray(X_res, dtype=np.float64), np.asarray(y_res, dtype=object)


@pytest.mark.parametrize("name", _SAMPLERS)
@_SETTINGS
@given(data=st.data())
def test_aligned_unchanged_finite(name, data):
    X, y = data.draw(datasets(moderate=name in _MODERATE_ONLY))
    X_before, y_before = X.copy(), y.copy()
    sampler = _make(name)
    out = _run(sampler, X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    if out is None:
        return
    X_res, y_res = out
    assert X_res.shape[0] == y_res.shape[0]
    assert X_res.shape[1] == X.shape[1]
    assert np.isfinite(X_res).all(), "finite input gave NaN or inf"
    assert set(y_res.tolist()) <= set(y.tolist())
    kept = getattr(sampler, "sample_indices_", None)
    if kept is not None:
        assert len(kept) <= len(X_res)
        assert ((kept >= 0) & (kept < len(X))).all()
        np.testing.assert_array_equal(y_res[: len(kept)], y[kept])
        np.testing.assert_array_equal(X_res[: len(kept)], X[kept])
    counts = dict(zip(*np.unique(y_res, return_counts=True), strict=True))
    assert sum(counts.values()) == len(y_res)


@pytest.mark.parametrize("name", _SAMPLERS)
@_SETTINGS
@given(data=st.data())
def test_same_seed_same_rows_in_every_container(name, data):
    X, y = data.draw(datasets(moderate=name in _MODERATE_ONLY))
    expected = _run(_make(name), X, y)
    columns = [f"f{j}" for j in range(X.shape[1])]
    inputs = [
        (X, y),
        (pd.DataFrame(X, columns=columns), pd.Series(y, name="y")),
        (pl.DataFrame(X, schema=columns), pl.Series("y", y.tolist())),
        (X.tolist(), y.tolist()),
    ]
    for X_in, y_in in inputs:
        out = _run(_make(name), X_in, y_in)
        if expected is None:
            assert out is None
            continue
        assert out is not None
        X_res, y_res = _as_numpy(*out)
        np.testing.assert_array_equal(X_res, np.asarray(expected[0], dtype=np.float64))
        np.testing.assert_array_equal(y_res, np.asarray(expected[1], dtype=object))


@pytest.mark.parametrize("name", sorted(set(_SAMPLERS) - _NAN_OWNED_ELSEWHERE))
@settings(max_examples=2, deadline=None, derandomize=True)
@given(data=datasets(finite=False))
def test_missing_or_infinite_values_refused_or_passed_through(name, data):
    """A NaN or inf in X: refused with a documented exception, or (for samplers that only
    pick rows) passed through in the rows kept, never spread to new ones."""
    X, y = data
    sampler = _make(name)
    out = _run(sampler, X, y)
    if out is None:
        return
    X_res, _ = out
    bad_in = (~np.isfinite(X)).any(axis=1).sum()
    assert (~np.isfinite(X_res)).any(axis=1).sum() <= max(bad_in, 0) * len(X_res)
