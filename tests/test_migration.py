"""Each deliberate difference from imbalanced-learn that docs/migrating-from-imbalanced-learn.md
lists for the samplers, pinned against imbalanced-learn itself where it shows."""

from __future__ import annotations

import imblearn.over_sampling as ib_over
import imblearn.under_sampling as ib_under
import numpy as np
import pytest
from sklearn.datasets import make_classification

import imbalance.samplers as ours
from imbalance.exceptions import (
    ImbalanceError,
    InvalidDataError,
    ResamplingError,
    SamplingStrategyError,
)


def _data(weights=(0.7, 0.2, 0.1), seed=0, n=300):
    return make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        weights=list(weights),
        random_state=seed,
    )


def test_draws_come_from_a_numpy_generator_not_imblearns_random_state():
    X, y = _data()
    mine = ours.RandomUnderSampler(random_state=0).fit(X, y).sample_indices_
    ib_rus = ib_under.RandomUnderSampler(random_state=0)
    ib_rus.fit_resample(X, y)
    theirs = ib_rus.sample_indices_
    assert set(mine) != set(theirs)  # the same seed draws other rows than imbalanced-learn
    again = ours.RandomUnderSampler(random_state=0).fit(X, y).sample_indices_
    np.testing.assert_array_equal(mine, again)  # and the same rows, run after run


def test_kept_rows_come_in_input_order_where_imblearn_groups_them_by_class():
    X, y = _data()
    enn = ours.EditedNearestNeighbours().fit(X, y)
    theirs = ib_under.EditedNearestNeighbours()
    theirs.fit_resample(X, y)
    assert np.all(np.diff(enn.sample_indices_) > 0)  # input order
    assert set(enn.sample_indices_) == set(theirs.sample_indices_)  # the same rows
    assert not np.all(np.diff(theirs.sample_indices_) > 0)


def test_synthetic_rows_come_after_every_kept_row():
    X, y = _data()
    sm = ours.SMOTE(random_state=0)
    X_res, _ = sm.fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(y)], X)  # the original rows first, as given


def test_ties_between_class_sizes_go_to_the_smallest_label():
    X = np.arange(40.0).reshape(20, 2)
    y = np.array([0] * 10 + [2] * 5 + [1] * 5)  # classes 1 and 2 tie as the minority
    rus = ours.RandomUnderSampler(sampling_strategy="not minority").fit(X, y)
    assert rus.sampling_strategy_ == {0: 5, 2: 5}  # 1 is "the minority": the smaller label


def test_a_float_ratio_already_met_changes_nothing():
    X, y = _data(weights=(0.5, 0.5))
    counts = np.bincount(y)
    ratio = counts.min() / counts.max()
    _, y_res = ours.RandomOverSampler(sampling_strategy=ratio).fit_resample(X, y)
    assert len(y_res) == len(y)
    with pytest.raises(ValueError):
        ib_over.RandomOverSampler(sampling_strategy=ratio).fit_resample(X, y)


def test_fit_learns_what_fit_resample_learns():
    X, y = _data()
    sm = ours.SMOTE(random_state=0).fit(X, y)
    assert sm.synthetic_parents_.shape[0] == sum(sm.sampling_strategy_.values())
    assert not hasattr(ib_over.SMOTE(random_state=0).fit(X, y), "sample_indices_")


def test_nan_in_rows_a_sampler_never_reads_passes_through():
    X, y = _data(weights=(0.8, 0.2))
    X = X.copy()
    majority = int(np.flatnonzero(y == 0)[0])
    X[majority, 0] = np.nan
    X_res, _ = ours.SMOTE(random_state=0).fit_resample(X, y)
    assert np.isnan(X_res[majority, 0]) and np.isfinite(X_res[len(y) :]).all()
    with pytest.raises(ValueError):
        ib_over.SMOTE(random_state=0).fit_resample(X, y)
    X[int(np.flatnonzero(y == 1)[0]), 0] = np.nan  # a row SMOTE reads
    with pytest.raises(InvalidDataError, match="Impute"):
        ours.SMOTE(random_state=0).fit_resample(X, y)


def test_borderline_smote_without_rows_in_danger_warns_and_keeps_the_counts():
    X = np.vstack([np.zeros((40, 2)), np.full((10, 2), 100.0)]) + np.random.default_rng(0).normal(
        0, 0.1, (50, 2)
    )
    y = np.array([0] * 40 + [1] * 10)
    with pytest.warns(UserWarning, match="no row of class 1 in danger"):
        _, y_res = ours.BorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [40, 40]
    _, y_theirs = ib_over.BorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert np.bincount(y_theirs).tolist() == [40, 10]


def test_smotenc_auto_without_categorical_columns_acts_as_smote():
    X, y = _data(weights=(0.8, 0.2))
    X_nc, _ = ours.SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, y)
    X_sm, _ = ours.SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(X_nc, X_sm)


def test_neighbour_estimator_attributes_are_configured_not_fitted():
    X, y = _data()
    sm = ours.SMOTE(random_state=0).fit(X, y)
    assert sm.nn_k_.get_params()["n_neighbors"] == 6  # k_neighbors + the row itself
    assert not hasattr(sm.nn_k_, "n_samples_fit_")


def test_errors_are_documented_types_that_existing_except_clauses_catch():
    X, y = _data()
    with pytest.raises(SamplingStrategyError) as info:
        ours.RandomOverSampler(sampling_strategy={0: 1}).fit_resample(X, y)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ImbalanceError)
    assert issubclass(ResamplingError, RuntimeError) and issubclass(ResamplingError, ValueError)
