"""imbalanced-learn's parameters and fitted attribute names on the individual samplers."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from imbalance.exceptions import InvalidParameterError, ResamplingError
from imbalance.samplers import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    AllKNN,
    BorderlineSMOTE,
    ClusterCentroids,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    KMeansSMOTE,
    NearMiss,
    OneSidedSelection,
)


@pytest.fixture
def numeric():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 2))
    y = np.array([0] * 80 + [1] * 40)
    X[y == 1] += 1.0
    return X, y


@pytest.mark.parametrize(
    ("sampler", "attrs"),
    [
        (SMOTE(random_state=0), {"nn_k_": 6}),
        (BorderlineSMOTE(random_state=0), {"nn_k_": 6, "nn_m_": 11}),
        (SVMSMOTE(random_state=0), {"nn_k_": 6, "nn_m_": 11}),
        (KMeansSMOTE(random_state=0, kmeans_estimator=1), {"nn_k_": 3}),
        (ADASYN(random_state=0), {"nn_": 6}),
        (EditedNearestNeighbours(), {"nn_": 4}),
        (AllKNN(), {"nn_": 4}),
        (NearMiss(), {"nn_": 3}),
    ],
)
def test_neighbour_estimators_have_imblearn_names(numeric, sampler, attrs):
    sampler.fit_resample(*numeric)
    for name, n in attrs.items():
        est = getattr(sampler, name)
        assert hasattr(est, "kneighbors")
        assert est.n_neighbors == n


def test_estimator_given_is_cloned_into_nn_k_(numeric):
    nn = NearestNeighbors(n_neighbors=4)
    sampler = SMOTE(k_neighbors=nn, random_state=0)
    sampler.fit_resample(*numeric)
    assert sampler.nn_k_ is not nn and sampler.nn_k_.n_neighbors == 4


def test_borderline_in_danger_indices_alias(numeric):
    sampler = BorderlineSMOTE(random_state=0)
    sampler.fit_resample(*numeric)
    assert sampler.in_danger_indices is sampler.danger_indices_


def test_svmsmote_refuses_estimator_without_support(numeric):
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(ResamplingError, match="support_"):
        SVMSMOTE(svm_estimator=LogisticRegression()).fit_resample(*numeric)


def test_smotenc_positional_categorical_features_and_encoder():
    rng = np.random.default_rng(0)
    X = np.empty((60, 3), dtype=object)
    X[:, :2] = rng.normal(size=(60, 2))
    X[:, 2] = rng.choice(["a", "b", "c"], size=60)
    y = np.array([0] * 45 + [1] * 15)
    sampler = SMOTENC([2], random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res) == {0: 45, 1: 45}
    assert isinstance(sampler.categorical_encoder_, OneHotEncoder)
    assert list(sampler.categorical_encoder_.categories_[0]) == ["a", "b", "c"]
    with pytest.raises(InvalidParameterError, match="one column per category"):
        SMOTENC([2], categorical_encoder=OneHotEncoder(drop="first")).fit_resample(X, y)


def test_smotenc_reads_bool_and_numeric_object_columns_as_numbers():
    X = pd.DataFrame(
        {
            "c": pd.Categorical(list("abbacaba" * 3)),
            "f": [0.3, 0.5, 0.1, 0.2] * 6,
            "b": [False, False, True] * 8,
            "o": pd.Series([1.0, 2.5, 3.0, 4.0] * 6, dtype=object),
        }
    )
    y = np.array([1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0] * 2)
    X_res, y_res = SMOTENC(categorical_features=[0], random_state=0).fit_resample(X, y)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    assert set(X_res["b"]) <= {True, False}
    assert len(X_res) == len(y_res) == 32


def test_pandas_sparse_columns_are_numbers():
    rng = np.random.default_rng(0)
    dense = np.where(rng.random(60) < 0.5, 0.0, rng.normal(size=60))
    X = pd.DataFrame({"a": pd.arrays.SparseArray(dense, fill_value=0.0), "b": rng.normal(size=60)})
    y = np.array([0] * 45 + [1] * 15)
    sampler = SMOTE(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.dtypes.tolist() == X.dtypes.tolist()
    base, nb = sampler.synthetic_parents_.T
    steps = sampler.synthetic_steps_
    expected = dense[base] + steps * (dense[nb] - dense[base])
    np.testing.assert_allclose(X_res["a"].to_numpy()[60:], expected)


def _smoten_data():
    X = np.array(["green"] * 5 + ["red"] * 10 + ["blue"] * 7, dtype=object).reshape(-1, 1)
    y = np.array(
        ["apple"] * 5 + ["not apple"] * 3 + ["apple"] * 7 + ["not apple"] * 5 + ["apple"] * 2,
        dtype=object,
    )
    return X, y


def test_smoten_ties_go_to_smallest_category_like_imblearn():
    X, y = _smoten_data()
    for seed in range(5):
        X_res, _ = SMOTEN(random_state=seed).fit_resample(X, y)
        assert set(X_res[len(X) :, 0]) == {"blue"}


def test_smoten_encoder_and_estimator():
    X, y = _smoten_data()
    sampler = SMOTEN(OrdinalEncoder(dtype=np.int64), k_neighbors=NearestNeighbors(n_neighbors=6))
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.categorical_encoder_.dtype == np.int64
    assert sampler.nn_k_.n_neighbors == 6
    assert Counter(y_res) == {"apple": 14, "not apple": 14}
    assert set(X_res[len(X) :, 0]) == {"blue"}


def _categorical(seed):
    rng = np.random.default_rng(seed)
    X = rng.choice(np.array(list("abcd"), dtype=object), size=(80, 3))
    y = np.where(rng.random(80) < 0.3, "m", "M").astype(object)
    return X, y


@pytest.mark.parametrize("seed", [1, 2])
def test_smoten_category_distribution_matches_imblearn(seed):
    """Reference: the votes are deterministic given the base row, so the shares of generated
    categories over many rows agree with imbalanced-learn's to sampling error."""
    ref = pytest.importorskip("imblearn.over_sampling")
    X, y = _categorical(seed)
    n_min = int((y == "m").sum())
    strategy = {"m": n_min + 4000}
    ours, _ = SMOTEN(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    theirs, _ = ref.SMOTEN(sampling_strategy=strategy, random_state=0).fit_resample(X, y)
    for j in range(X.shape[1]):
        a, b = Counter(ours[len(X) :, j]), Counter(theirs[len(X) :, j])
        for cat in set(a) | set(b):
            assert abs(a[cat] - b[cat]) / 4000 < 0.04, (j, cat, a, b)


@pytest.mark.parametrize("cls", [CondensedNearestNeighbour, OneSidedSelection])
def test_cnn_oss_accept_estimator_and_expose_estimators_(cls):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = np.repeat([0, 1, 2], [30, 70, 100])
    X[y == 1] += 1.5
    sampler = cls(n_neighbors=KNeighborsClassifier(n_neighbors=3), random_state=0)
    sampler.fit_resample(X, y)
    as_int = cls(n_neighbors=3, random_state=0)
    as_int.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.sample_indices_, as_int.sample_indices_)
    assert len(sampler.estimators_) == 2
    assert [list(e.classes_) for e in sampler.estimators_] == [[0, 1], [0, 2]]
    assert all(e.n_neighbors == 3 for e in sampler.estimators_)


def test_cluster_centroids_estimator_(numeric):
    sampler = ClusterCentroids(random_state=0)
    sampler.fit_resample(*numeric)
    assert sampler.estimator_ is sampler.estimators_[0]
    assert sampler.estimator_.cluster_centers_.shape == (40, 2)
