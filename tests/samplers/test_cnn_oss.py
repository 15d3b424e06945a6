"""CondensedNearestNeighbour and OneSidedSelection: Hart's rule scanned one row at a time,
the one-sided selection rebuilt from scikit-learn and imbalanced-learn pieces, and their
distributions against imbalanced-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from imblearn import under_sampling as imb
from sklearn.datasets import make_classification
from sklearn.neighbors import KNeighborsClassifier

from imbalance.exceptions import InvalidDataError
from imbalance.neighbors import kneighbors
from imbalance.samplers import CondensedNearestNeighbour, OneSidedSelection
from imbalance.samplers.under._cnn import condense, predicts_class


def _data(n=600, weights=(0.85, 0.15), seed=0, sep=0.8):
    return make_classification(
        n_samples=n,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=len(weights),
        weights=list(weights),
        class_sep=sep,
        random_state=seed,
    )


def _scan_one_by_one(F, reference, in_class, candidates, k, class_wins_ties):
    ref, flags = list(reference), list(in_class)
    added = []
    for c in candidates:
        nn = kneighbors(F[np.asarray(ref)], k, queries=F[[c]], backend="exact", n_jobs=1)
        if not predicts_class(np.asarray(flags)[nn], class_wins_ties)[0]:
            ref.append(c)
            flags.append(True)
            added.append(c)
    return np.asarray(added, dtype=np.intp)


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(
    n_ref=st.integers(1, 15),
    n_cand=st.integers(0, 300),
    k=st.integers(1, 3),
    wins=st.booleans(),
    seed=st.integers(0, 2**31 - 1),
)
def test_blocked_condensing_equals_the_one_by_one_scan(n_ref, n_cand, k, wins, seed):
    rng = np.random.default_rng(seed)
    F = rng.normal(size=(n_ref + 1 + n_cand, 2)).round(1)  # with ties
    reference = np.arange(n_ref + 1)
    in_class = np.zeros(n_ref + 1, dtype=bool)
    in_class[-1] = True  # the seed
    k = min(k, n_ref + 1)
    candidates = np.arange(n_ref + 1, len(F))
    fast = condense(F, reference, in_class, candidates, k, wins, backend="exact", n_jobs=1, seed=0)
    np.testing.assert_array_equal(
        fast, _scan_one_by_one(F, reference, in_class, candidates, k, wins)
    )


def test_every_removed_row_is_classified_right_by_the_rows_kept():
    X, y = _data(seed=1)
    cnn = CondensedNearestNeighbour(random_state=0)
    _, y_res = cnn.fit_resample(X, y)
    kept, removed = cnn.sample_indices_, np.setdiff1d(np.arange(len(y)), cnn.sample_indices_)
    assert removed.size > 0 and (y[removed] == 0).all()
    nearest = kept[kneighbors(X[kept], 1, queries=X[removed], n_jobs=1)[:, 0]]
    assert (y[nearest] == 0).all()
    assert np.isin(cnn.seeds_[0], kept).all() and (y_res == 1).sum() == (y == 1).sum()


def test_one_sided_selection_equals_its_two_steps_rebuilt_from_references():
    X, y = _data(n=900, weights=(0.7, 0.2, 0.1), seed=2)
    oss = OneSidedSelection(random_state=3)
    oss.fit_resample(X, y)
    minority = np.flatnonzero(y == 2)
    keep = np.ones(len(y), dtype=bool)
    for cls, seeds in oss.seeds_.items():
        members = np.setdiff1d(np.flatnonzero(y == cls), seeds)
        reference = np.concatenate([minority, seeds])
        knn = KNeighborsClassifier(n_neighbors=1).fit(X[reference], y[reference])
        keep[members[knn.predict(X[members]) == cls]] = False
    stage1 = np.flatnonzero(keep)
    tomek = imb.TomekLinks(sampling_strategy=[0, 1])
    tomek.fit_resample(X[stage1], y[stage1])
    np.testing.assert_array_equal(oss.sample_indices_, np.sort(stage1[tomek.sample_indices_]))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (CondensedNearestNeighbour, imb.CondensedNearestNeighbour),
        (OneSidedSelection, imb.OneSidedSelection),
    ],
)
def test_kept_counts_match_imbalanced_learn_in_distribution(ours, theirs):
    X, y = _data(n=300, seed=4)
    mine = [ours(random_state=s).fit_resample(X, y)[1].size for s in range(8)]
    ref = [theirs(random_state=s).fit_resample(X, y)[1].size for s in range(8)]
    assert abs(np.mean(mine) - np.mean(ref)) / np.mean(ref) < 0.1


def test_condensing_a_class_needs_enough_reference_rows():
    X, y = _data(n=200, seed=5, weights=(0.97, 0.03))
    n_min = int((y == 1).sum())
    for cls in (CondensedNearestNeighbour, OneSidedSelection):
        with pytest.raises(InvalidDataError, match=f"n_neighbors=50 .* only {n_min + 1} row"):
            cls(n_neighbors=50).fit_resample(X, y)


def test_several_seeds_and_neighbours():
    X, y = _data(seed=6)
    cnn = CondensedNearestNeighbour(n_seeds_S=5, n_neighbors=3, random_state=0)
    cnn.fit_resample(X, y)
    assert len(set(cnn.seeds_[0].tolist())) == 5
    again = CondensedNearestNeighbour(n_seeds_S=5, n_neighbors=3, random_state=0)
    again.fit_resample(X, y)
    np.testing.assert_array_equal(cnn.sample_indices_, again.sample_indices_)
