"""The regression samplers on the one shell: rows, provenance, containers, determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imbalance.base import BaseSampler
from imbalance.regression import (
    SMOGN,
    SMOTER,
    WERCS,
    GaussianNoise,
    RandomOverSampler,
    RandomUnderSampler,
    RelevanceWarning,
)

ALL = [RandomUnderSampler, RandomOverSampler, SMOTER, SMOGN, GaussianNoise, WERCS]
SYNTHETIC = [SMOTER, SMOGN, GaussianNoise]


def _data(n=300, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.exp(1.5 * X[:, 0]) + 0.01 * rng.normal(size=n)
    return X, y


def _frame(n=300, seed=0):
    X, y = _data(n, seed)
    rng = np.random.default_rng(seed + 1)
    frame = pd.DataFrame(
        {
            "a": X[:, 0],
            "b": rng.integers(0, 10, n).astype("int32"),
            "c": pd.Categorical(rng.choice(["x", "y", "z"], n)),
            "d": rng.random(n) > 0.5,
        },
        index=np.arange(1000, 1000 + n),
    )
    return frame, pd.Series(y, index=frame.index, name="target")


def test_no_sampler_overrides_the_shell():
    for cls in ALL:
        assert issubclass(cls, BaseSampler)
        assert all("fit_resample" not in vars(k) for k in cls.__mro__ if k is not BaseSampler)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_same_seed_same_rows_and_rows_come_from_x(cls):
    X, y = _data()
    a, b = cls(random_state=3), cls(random_state=3)
    Xa, ya = a.fit_resample(X, y)
    Xb, yb = b.fit_resample(X, y)
    np.testing.assert_array_equal(Xa, Xb)
    np.testing.assert_array_equal(ya, yb)
    n_kept = a.sample_indices_.size
    np.testing.assert_array_equal(Xa[:n_kept], X[a.sample_indices_])
    np.testing.assert_array_equal(ya[:n_kept], y[a.sample_indices_])
    assert Xa.shape[0] == ya.shape[0] == sum(a.target_counts_.values())
    Xc, _ = cls(random_state=4).fit_resample(X, y)
    assert Xc.shape != Xa.shape or not np.array_equal(Xc, Xa)


def test_random_under_sampler_balances_common_and_rare_rows():
    X, y = _data()
    rus = RandomUnderSampler(random_state=0)
    _, _y_res = rus.fit_resample(X, y)
    rare = rus.bump_rare_
    counts = np.array(list(rus.target_counts_.values()))
    assert counts[~rare].sum() == pytest.approx(counts[rare].sum(), abs=len(counts))
    assert np.array_equal(rus.sample_indices_, np.sort(rus.sample_indices_))


def test_random_over_sampler_extreme_makes_rare_the_majority():
    X, y = _data()
    ros = RandomOverSampler(sampling_strategy="extreme", random_state=0).fit(X, y)
    counts = np.array(list(ros.target_counts_.values()))
    assert counts[ros.bump_rare_].sum() > counts[~ros.bump_rare_].sum()


def test_explicit_percentages_per_bump():
    X, y = _data()
    s = SMOTER(sampling_strategy=[0.5, 3.0], random_state=0)
    s.fit(X, y)
    sizes = s.bump_counts_
    assert list(s.target_counts_.values()) == [int(0.5 * sizes[0]), 3 * sizes[1]]
    with pytest.raises(ValueError, match="one percentage per bump"):
        SMOTER(sampling_strategy=[0.5]).fit(X, y)
    with pytest.raises(ValueError, match="in \\(0, 1\\]"):
        RandomUnderSampler(sampling_strategy=[2.0]).fit(X, y)


def test_smoter_targets_follow_the_step():
    X, y = _data()
    s = SMOTER(random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    b, nb = s.synthetic_parents_.T
    t = s.synthetic_steps_
    n = s.sample_indices_.size
    np.testing.assert_allclose(X_res[n:], X[b] + t[:, None] * (X[nb] - X[b]))
    np.testing.assert_allclose(y_res[n:], y[b] + t * (y[nb] - y[b]))
    rare_rows = np.flatnonzero(s.relevance_ >= 0.5)
    assert np.isin(b, rare_rows).all() and np.isin(nb, rare_rows).all()


def test_smogn_uses_noise_only_for_unsafe_partners():
    X, y = _data(600)
    s = SMOGN(random_state=0, pert=0.02)
    X_res, _y_res = s.fit_resample(X, y)
    n = s.sample_indices_.size
    noise = s.synthetic_noise_
    assert 0 < noise.sum() < noise.size
    b, nb = s.synthetic_parents_.T
    t = s.synthetic_steps_
    safe = ~noise
    np.testing.assert_allclose(X_res[n:][safe], X[b[safe]] + t[safe, None] * (X[nb] - X[b])[safe])
    assert np.all(nb[noise] == b[noise])
    sd = X[np.flatnonzero(s.relevance_ >= 0.5)].std(axis=0)
    assert np.all(np.abs(X_res[n:][noise] - X[b[noise]]) <= 6 * 0.02 * sd + 1e-12)


def test_gaussian_noise_stays_near_its_base():
    X, y = _data()
    s = GaussianNoise(pert=0.01, random_state=0)
    X_res, y_res = s.fit_resample(X, y)
    n = s.sample_indices_.size
    b = s.synthetic_parents_[:, 0]
    assert np.abs(X_res[n:] - X[b]).max() < 0.2
    assert np.abs(y_res[n:] - y[b]).max() < 0.2 * y.std()


def test_wercs_repeats_relevant_rows_and_removes_others():
    X, y = _data(1000)
    w = WERCS(over=0.3, under=0.3, random_state=0)
    X_res, _ = w.fit_resample(X, y)
    assert X_res.shape[0] == 1000
    out_phi = w.relevance_[w.sample_indices_]
    assert out_phi.mean() > w.relevance_.mean()


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_pandas_dtypes_index_and_names_are_kept(cls):
    X, y = _frame()
    X_res, y_res = cls(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert dict(X_res.dtypes) == dict(X.dtypes) and y_res.name == "target"
    assert (X_res.index == y_res.index).all()
    s = cls(random_state=0).fit(X, y)
    assert list(s.feature_names_in_) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("cls", SYNTHETIC, ids=lambda c: c.__name__)
def test_synthetic_pandas_rows_get_fresh_labels_and_valid_values(cls):
    X, y = _frame()
    s = cls(random_state=0)
    X_res, _y_res = s.fit_resample(X, y)
    n = s.sample_indices_.size
    new = X_res.iloc[n:]
    assert len(new) > 0 and new.index.min() > X.index.max()
    assert set(new["c"]) <= set(X["c"]) and new["b"].between(X["b"].min(), X["b"].max()).all()


def test_polars_and_lists_round_trip():
    X, y = _frame()
    X_res, y_res = SMOGN(random_state=0).fit_resample(pl.from_pandas(X), pl.from_pandas(y))
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == pl.from_pandas(X).schema and y_res.name == "target"
    Xn, yn = _data(100)
    X_list, y_list = SMOTER(random_state=0).fit_resample(Xn.tolist(), yn.tolist())
    assert isinstance(X_list, list) and isinstance(y_list, list) and len(X_list) == len(y_list)


def test_integer_target_stays_integer():
    X, y = _data()
    y_int = np.rint(y * 10).astype(np.int64)
    _, y_res = SMOTER(random_state=0).fit_resample(X, y_int)
    assert y_res.dtype == np.int64


def test_no_rare_region_is_a_documented_no_op():
    X = np.arange(20.0)[:, None]
    y = np.arange(20.0)
    with pytest.warns(RelevanceWarning, match="no row has relevance"):
        _X_res, y_res = SMOGN(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(y_res, y)
    with pytest.warns(RelevanceWarning, match="every row"):
        RandomUnderSampler(threshold=0.5, control_points=[[0, 1], [19, 1]]).fit(X, y)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_infinite_target_is_refused(bad):
    X, y = _data(50)
    y[7] = bad
    with pytest.raises(ValueError, match="row 7"):
        SMOTER().fit_resample(X, y)


def test_constant_target_is_refused():
    with pytest.raises(ValueError, match="target that varies"):
        SMOGN().fit_resample(np.zeros((10, 2)), np.ones(10))


def test_class_labels_are_refused():
    with pytest.raises(TypeError, match=r"imbalance\.samplers"):
        SMOTER().fit_resample(np.zeros((4, 1)), np.array(["a", "b", "a", "b"]))


@pytest.mark.parametrize(
    ("points", "match"),
    [
        ([[0, 0], [1, 2]], "in \\[0, 1\\]"),
        ([[1, 0], [0, 1]], "strictly increase"),
        ([[0, 0]], "at least 2 rows"),
    ],
)
def test_bad_control_points_are_refused(points, match):
    X, y = _data(50)
    with pytest.raises(ValueError, match=match):
        SMOTER(control_points=points).fit(X, y)


def test_parameters_are_checked_in_the_users_terms():
    X, y = _data(50)
    with pytest.raises(ValueError, match="threshold"):
        SMOTER(threshold=1.5).fit(X, y)
    with pytest.raises(ValueError, match="sampling_strategy"):
        SMOTER(sampling_strategy="auto").fit(X, y)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(ALL), st.integers(40, 150))
def test_output_is_aligned_and_deterministic(seed, cls, n):
    X, y = _data(n, seed)
    s = cls(random_state=seed)
    try:
        X_res, y_res = s.fit_resample(X, y)
    except ValueError as exc:  # collapsed box plot: a clear refusal
        assert "collapses" in str(exc)
        return
    assert X_res.shape[0] == y_res.shape[0]
    assert np.isfinite(X_res).all() and np.isfinite(y_res).all()
    X2, y2 = cls(random_state=seed).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X2)
    np.testing.assert_array_equal(y_res, y2)
