"""Issue 17, the data side: each bad or unusual input gets the expected answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from imbalance.exceptions import DataTypeError, InvalidDataError, InvalidParameterError
from imbalance.model_selection import resampled_splits
from imbalance.neighbors import kneighbors, mean_distance
from imbalance.pipeline import ResampledClassifier
from imbalance.samplers import (
    ADASYN,
    SMOTE,
    AllKNN,
    BorderlineSMOTE,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RandomOverSampler,
    RandomUnderSampler,
    RepeatedEditedNearestNeighbours,
    SMOTETomek,
    TomekLinks,
)
from imbalance.weights import class_weights

RNG = np.random.default_rng(0)
X = RNG.normal(size=(40, 3))
y = np.array([0] * 28 + [1] * 12)


# -- 1. column labels -----------------------------------------------------------------------

LABELS = [0, ("t", 1), None]


@pytest.mark.parametrize(
    "sampler",
    [
        SMOTE(random_state=0),
        RandomOverSampler(shrinkage=1.0, random_state=0),
        RandomOverSampler(random_state=0),
        ADASYN(random_state=0),
        RandomUnderSampler(random_state=0),
        TomekLinks(),
    ],
    ids=lambda s: type(s).__name__,
)
def test_any_hashable_column_label_round_trips(sampler):
    frame = pd.DataFrame(X, columns=LABELS)
    X_res, _ = sampler.fit_resample(frame, y)
    assert list(X_res.columns) == LABELS
    assert X_res.shape[1] == 3
    kept = sampler.sample_indices_
    np.testing.assert_array_equal(X_res.to_numpy()[: len(kept)], X[kept])


@pytest.mark.parametrize(
    "sampler",
    [RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0), SMOTE()],
    ids=lambda s: type(s).__name__,
)
def test_duplicate_column_names_refused_with_the_names(sampler):
    frame = pd.DataFrame(np.hstack([X, X]), columns=["a", "a", "b", "b", "c", None])
    with pytest.raises(InvalidDataError, match=r"duplicate column names \['a', 'b'\].*Rename"):
        sampler.fit_resample(frame, y)


def test_duplicate_columns_same_answer_in_every_entry_point():
    frame = pd.DataFrame(X, columns=["a", "a", "b"])
    calls = [
        lambda: ResampledClassifier(RandomOverSampler(), LogisticRegression()).fit(frame, y),
        lambda: list(resampled_splits(2, frame, y, RandomOverSampler())),
        lambda: RandomUnderSampler().fit_resample(frame, y),
    ]
    for call in calls:
        with pytest.raises(InvalidDataError, match=r"duplicate column names \['a'\]"):
            call()


# -- 2. one label-type rule -----------------------------------------------------------------

MIXED = [1] * 28 + ["a"] * 12


@pytest.mark.parametrize(
    "labels",
    [MIXED, tuple(MIXED), np.array(MIXED, dtype=object), pd.Series(MIXED, dtype=object)],
    ids=["list", "tuple", "object array", "Series"],
)
def test_mixed_label_types_refused_whatever_the_container(labels):
    with pytest.raises(InvalidDataError, match=r"mixes label types .*\(int, str\)"):
        RandomOverSampler().fit_resample(X, labels)
    with pytest.raises(InvalidDataError, match="mixes label types"):
        class_weights(labels)
    with pytest.raises(InvalidDataError, match="mixes label types"):
        list(resampled_splits(2, X, labels, RandomOverSampler()))


def test_string_labels_in_a_list_keep_their_values():
    labels = ["b"] * 28 + ["a"] * 12
    sampler = RandomOverSampler(random_state=0)
    _, y_res = sampler.fit_resample(X, labels)
    assert y_res.count("a") == y_res.count("b") == 28
    assert sampler.target_counts_ == {"a": 28, "b": 28}


# -- 3. distances that would overflow or underflow ------------------------------------------

CLEANING = [
    TomekLinks(),
    EditedNearestNeighbours(),
    RepeatedEditedNearestNeighbours(),
    AllKNN(),
    NeighbourhoodCleaningRule(),
    OneSidedSelection(random_state=0),
    CondensedNearestNeighbour(random_state=0),
]


@pytest.mark.parametrize("factor", [1e160, 1e300, 1e-160, 1e-300])
@pytest.mark.parametrize("sampler", CLEANING, ids=lambda s: type(s).__name__)
def test_cleaning_keeps_the_same_rows_whatever_the_scale(sampler, factor):
    plain = type(sampler)(**sampler.get_params()).fit_resample(X, y)[1]
    expected = type(sampler)(**sampler.get_params())
    expected.fit_resample(X, y)
    sampler.fit_resample(X * factor, y)  # pytest turns any RuntimeWarning into an error
    np.testing.assert_array_equal(sampler.sample_indices_, expected.sample_indices_)
    assert len(plain) == len(sampler.sample_indices_)


@pytest.mark.parametrize("factor", [1e300, 4e307])
@pytest.mark.parametrize(
    "sampler",
    [SMOTE(random_state=0), BorderlineSMOTE(random_state=0), ADASYN(random_state=0), SMOTETomek()],
    ids=lambda s: type(s).__name__,
)
def test_smote_family_near_float_max_gives_finite_rows(sampler, factor):
    X_res, y_res = sampler.fit_resample(np.abs(X) * factor, y)
    assert np.isfinite(X_res).all()
    assert len(X_res) == len(y_res)


def test_smote_near_float_max_with_opposite_signs_stays_finite():
    big = np.vstack([X, [[8e307, 0, 0], [-8e307, 0, 0]]])
    labels = np.r_[y, 1, 1]
    X_res, _ = SMOTE(random_state=0).fit_resample(big, labels)
    assert np.isfinite(X_res).all()


def test_smote_on_scaled_data_equals_scaled_smote():
    plain = SMOTE(random_state=0).fit_resample(X, y)[0]
    scaled = SMOTE(random_state=0).fit_resample(X * 2.0**1000, y)[0]
    np.testing.assert_array_equal(scaled / 2.0**1000, plain)


def test_neighbour_engine_scales_queries_and_distances():
    d_plain, i_plain = kneighbors(X, 3, return_distance=True)
    d_big, i_big = kneighbors(X * 2.0**900, 3, return_distance=True)
    np.testing.assert_array_equal(i_big, i_plain)
    np.testing.assert_allclose(d_big / 2.0**900, d_plain, rtol=1e-12)
    # queries far larger than the indexed rows: the index is rebuilt at a coarser scale
    np.testing.assert_array_equal(
        kneighbors(X, 2, queries=X[:5] * 2.0**300 + X[5:10]),
        kneighbors(X * 2.0**-300, 2, queries=X[:5] + X[5:10] * 2.0**-300),
    )
    assert mean_distance(X * 2.0**900) == pytest.approx(mean_distance(X) * 2.0**900)


# -- 4. row labels of synthetic rows ----------------------------------------------------------


@pytest.mark.parametrize(
    "sampler",
    [SMOTE(random_state=0), RandomOverSampler(shrinkage=1.0, random_state=0)],
    ids=lambda s: type(s).__name__,
)
def test_multiindex_rows_get_synthetic_tuples(sampler):
    index = pd.MultiIndex.from_tuples([(i, "x") for i in range(40)])
    X_res, y_res = sampler.fit_resample(pd.DataFrame(X, index=index), pd.Series(y, index=index))
    n_new = len(X_res) - 40
    assert n_new == 16
    assert list(X_res.index[:40]) == list(index)
    assert list(X_res.index[40:]) == [(f"synthetic_{i}",) * 2 for i in range(n_new)]
    assert X_res.index.equals(y_res.index)


def test_int64_index_at_its_maximum_gets_string_labels():
    top = np.iinfo(np.int64).max
    index = pd.Index(np.arange(40, dtype=np.int64) + (top - 39))
    X_res, _ = SMOTE(random_state=0).fit_resample(pd.DataFrame(X, index=index), y)
    assert list(X_res.index[:40]) == list(index)
    assert list(X_res.index[40:]) == [f"synthetic_{i}" for i in range(16)]


def test_integer_index_below_the_maximum_counts_up_in_its_dtype():
    index = pd.Index(np.arange(40, dtype=np.uint64))
    X_res, _ = SMOTE(random_state=0).fit_resample(pd.DataFrame(X, index=index), y)
    assert X_res.index.dtype == np.uint64
    assert list(X_res.index[40:]) == list(range(40, 56))


# -- 5. containers that are not tables --------------------------------------------------------


@pytest.mark.parametrize(
    ("X_in", "words"),
    [
        (pl.DataFrame(X).lazy(), r"lazy frame.*\.collect\(\)"),
        ((row for row in X), r"generator.*list or an array"),
        ({"a": X[:, 0]}, r"dict.*pandas\.DataFrame\(X\)"),
        ({1, 2}, "set.*list or an array"),
        (5.0, "got a single value"),
    ],
    ids=["LazyFrame", "generator", "dict", "set", "scalar"],
)
def test_non_table_X_refused_with_what_to_do(X_in, words):
    with pytest.raises(InvalidDataError, match=words):
        RandomOverSampler().fit_resample(X_in, y)


def test_non_table_y_named_y():
    with pytest.raises(DataTypeError, match=r"y is a lazy frame.*y\.collect\(\)"):
        RandomOverSampler().fit_resample(X, pl.DataFrame({"y": y}).lazy())
    with pytest.raises(DataTypeError, match="y is a generator"):
        class_weights(v for v in y)


# -- 6. prior correction needs predict_proba ---------------------------------------------------


def test_prior_correction_without_predict_proba_refused_at_fit():
    model = ResampledClassifier(RandomOverSampler(), SVC(), prior_correction=True)
    with pytest.raises(InvalidParameterError, match=r"SVC has no predict_proba.*ensemble=False"):
        model.fit(X, y)
    assert not hasattr(model, "estimator_")


def test_refit_on_array_drops_feature_names():
    model = ResampledClassifier(RandomOverSampler(), LogisticRegression())
    model.fit(pd.DataFrame(X, columns=["a", "b", "c"]), y)
    assert list(model.feature_names_in_) == ["a", "b", "c"]
    model.fit(X, y)
    assert not hasattr(model, "feature_names_in_")
