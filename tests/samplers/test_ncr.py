"""NeighbourhoodCleaningRule: imbalanced-learn's kept rows and the two steps of the rule."""

from __future__ import annotations

import numpy as np
import pytest
from imblearn.under_sampling import NeighbourhoodCleaningRule as ImbNCR
from sklearn.datasets import make_classification

from imbalance.neighbors import kneighbors
from imbalance.samplers import EditedNearestNeighbours, NeighbourhoodCleaningRule, TomekLinks


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


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"n_neighbors": 5, "threshold_cleaning": 0.1},
        {"sampling_strategy": "all"},
        {"sampling_strategy": "majority", "n_neighbors": 4},
    ],
    ids=str,
)
def test_kept_rows_equal_imbalanced_learn(params, seed):
    X, y = _data(seed=seed)
    ours = NeighbourhoodCleaningRule(neighbors="exact", **params)
    ours.fit_resample(X, y)
    ref = ImbNCR(**params)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(ref.sample_indices_))
    assert sorted(ours.classes_to_clean_) == sorted(int(c) for c in ref.classes_to_clean_)


def test_the_rule_is_edited_rows_plus_neighbours_of_misclassified_minority_rows():
    X, y = _data(seed=3, weights=(0.85, 0.15))
    ncr = NeighbourhoodCleaningRule(n_neighbors=3)
    ncr.fit_resample(X, y)
    assert isinstance(ncr.edited_nearest_neighbours_, EditedNearestNeighbours)
    assert ncr.edited_nearest_neighbours_.kind_sel == "mode"
    edited = np.setdiff1d(np.arange(len(y)), ncr.edited_nearest_neighbours_.sample_indices_)
    minority = np.flatnonzero(y == 1)
    nn = kneighbors(X, 3, rows=minority, n_jobs=1)
    ballot = np.column_stack([y[minority], y[nn[:, :2]]])
    wrong = (ballot == 0).sum(axis=1) > (ballot == 1).sum(axis=1)
    around = np.unique(nn[wrong].ravel())
    around = around[y[around] == 0]
    removed = np.union1d(edited, around)
    np.testing.assert_array_equal(ncr.sample_indices_, np.setdiff1d(np.arange(len(y)), removed))
    assert around.size > 0 and np.setdiff1d(around, edited).size > 0


def test_threshold_can_exclude_a_class_from_the_second_step():
    X, y = _data(seed=2)
    n_min = (y == 2).sum()
    high = (y == 1).sum() / n_min + 0.01
    ncr = NeighbourhoodCleaningRule(threshold_cleaning=high)
    ncr.fit_resample(X, y)
    assert ncr.classes_to_clean_ == [0]


def test_any_cleaner_can_be_the_first_step():
    X, y = _data(seed=4)
    ncr = NeighbourhoodCleaningRule(edited_nearest_neighbours=TomekLinks())
    ncr.fit_resample(X, y)
    tomek = TomekLinks()
    tomek.fit_resample(X, y)
    assert isinstance(ncr.edited_nearest_neighbours_, TomekLinks)
    np.testing.assert_array_equal(
        ncr.edited_nearest_neighbours_.sample_indices_, tomek.sample_indices_
    )
    assert np.isin(ncr.sample_indices_, tomek.sample_indices_).all()
