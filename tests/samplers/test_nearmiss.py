"""NearMiss 1, 2 and 3: imbalanced-learn's kept rows, the scores, and the errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from imblearn.under_sampling import NearMiss as ImbNearMiss
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from imbalance.exceptions import InvalidDataError
from imbalance.neighbors import kneighbors
from imbalance.samplers import NearMiss


def _data(n=1200, weights=(0.7, 0.2, 0.1), seed=0):
    return make_classification(
        n_samples=n,
        n_features=6,
        n_informative=4,
        n_classes=len(weights),
        weights=list(weights),
        class_sep=0.8,
        random_state=seed,
    )


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("version", [1, 2, 3])
@pytest.mark.parametrize(
    "params",
    [{}, {"n_neighbors": 5, "sampling_strategy": {0: 300, 1: 150}}, {"n_neighbors_ver3": 6}],
    ids=str,
)
def test_kept_rows_equal_imbalanced_learn(version, params, seed):
    X, y = _data(seed=seed)
    ours = NearMiss(version=version, neighbors="exact", **params)
    ref = ImbNearMiss(version=version, **params)
    with warnings.catch_warnings():  # version 3 warns about a short list, both libraries alike
        warnings.simplefilter("ignore", UserWarning)
        ours.fit_resample(X, y)
        ref.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(ref.sample_indices_))


def test_version_1_keeps_the_rows_with_the_smallest_mean_distance():
    X, y = _data(seed=2, weights=(0.8, 0.2))
    nm = NearMiss(version=1, n_neighbors=3)
    _, y_res = nm.fit_resample(X, y)
    majority = np.flatnonzero(y == 0)
    dist, _ = kneighbors(X[y == 1], 3, queries=X[majority], return_distance=True)
    score = dist.sum(axis=1)
    kept = np.isin(majority, nm.sample_indices_)
    assert kept.sum() == (y == 1).sum() == (y_res == 0).sum()
    assert score[kept].max() <= score[~kept].min()


def test_estimator_neighbours_are_used_as_given():
    X, y = _data(seed=3)
    nn = NearestNeighbors(n_neighbors=2)
    ours = NearMiss(n_neighbors=nn)
    ours.fit_resample(X, y)
    ref = ImbNearMiss(n_neighbors=nn)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(ref.sample_indices_))


def test_version_3_may_keep_fewer_rows_and_says_so():
    X, y = _data(seed=0, weights=(0.9, 0.1))
    nm = NearMiss(version=3, n_neighbors_ver3=1)
    with pytest.warns(
        UserWarning, match=r"short-listed .* fewer than the .* Raise n_neighbors_ver3"
    ):
        _, y_res = nm.fit_resample(X, y)
    assert (y_res == 0).sum() < nm.target_counts_[0]
    assert not nm.__sklearn_tags__().sampler_tags.exact_counts
    assert NearMiss().__sklearn_tags__().sampler_tags.exact_counts


def test_a_minority_smaller_than_the_neighbourhood_is_refused():
    X = np.arange(20, dtype=float).reshape(10, 2)
    y = np.array([0] * 8 + [1] * 2)
    with pytest.raises(InvalidDataError, match=r"n_neighbors=3 .* minority class 1, which has 2"):
        NearMiss().fit_resample(X, y)
    out = NearMiss(n_neighbors=2).fit_resample(X, y)
    assert len(out[1]) == 4
