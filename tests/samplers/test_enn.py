"""EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN: imbalanced-learn's kept
rows, the rule itself, and the neighbour lists that skip removed rows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from imblearn import under_sampling as imb
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from imbalance.exceptions import InvalidDataError, InvalidParameterError
from imbalance.neighbors import NeighbourLists, kneighbors
from imbalance.samplers import AllKNN, EditedNearestNeighbours, RepeatedEditedNearestNeighbours
from imbalance.samplers.under import _enn_certified
from imbalance.samplers.under._enn_certified import edited_out_certified
from imbalance.samplers.under._enn_rule import edited_out


def _data(n=1200, weights=(0.7, 0.2, 0.1), seed=0, sep=0.8):
    return make_classification(
        n_samples=n,
        n_features=6,
        n_informative=4,
        n_classes=len(weights),
        weights=list(weights),
        class_sep=sep,
        random_state=seed,
    )


CASES = [
    (EditedNearestNeighbours, imb.EditedNearestNeighbours, {}),
    (EditedNearestNeighbours, imb.EditedNearestNeighbours, {"kind_sel": "mode", "n_neighbors": 5}),
    (EditedNearestNeighbours, imb.EditedNearestNeighbours, {"sampling_strategy": "all"}),
    (RepeatedEditedNearestNeighbours, imb.RepeatedEditedNearestNeighbours, {}),
    (RepeatedEditedNearestNeighbours, imb.RepeatedEditedNearestNeighbours, {"max_iter": 2}),
    (
        RepeatedEditedNearestNeighbours,
        imb.RepeatedEditedNearestNeighbours,
        {"kind_sel": "mode", "sampling_strategy": "not majority"},
    ),
    (AllKNN, imb.AllKNN, {}),
    (AllKNN, imb.AllKNN, {"n_neighbors": 5, "allow_minority": True}),
    (AllKNN, imb.AllKNN, {"kind_sel": "mode", "sampling_strategy": "majority"}),
]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    ("ours", "theirs", "params"), CASES, ids=lambda p: str(p) if isinstance(p, dict) else ""
)
def test_kept_rows_equal_imbalanced_learn(ours, theirs, params, seed):
    X, y = _data(seed=seed)
    mine = ours(neighbors="exact", **params)
    mine.fit_resample(X, y)
    ref = theirs(**params)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(mine.sample_indices_, np.sort(ref.sample_indices_))
    if hasattr(ref, "n_iter_"):
        assert mine.n_iter_ == ref.n_iter_


def test_renn_runs_several_rounds_on_overlapping_classes():
    X, y = _data(seed=1, sep=0.5, weights=(0.8, 0.2))
    renn = RepeatedEditedNearestNeighbours(neighbors="exact")
    renn.fit_resample(X, y)
    assert renn.n_iter_ > 2
    enn_once = EditedNearestNeighbours(neighbors="exact")
    enn_once.fit_resample(X, y)
    assert renn.target_counts_[0] < enn_once.target_counts_[0]


def test_estimator_neighbours_follow_imbalanced_learn_convention():
    X, y = _data(seed=4)
    nn = NearestNeighbors(n_neighbors=4)
    for ours, theirs in [
        (EditedNearestNeighbours, imb.EditedNearestNeighbours),
        (RepeatedEditedNearestNeighbours, imb.RepeatedEditedNearestNeighbours),
        (AllKNN, imb.AllKNN),
    ]:
        mine = ours(n_neighbors=nn)
        mine.fit_resample(X, y)
        ref = theirs(n_neighbors=nn)
        ref.fit_resample(X, y)
        np.testing.assert_array_equal(mine.sample_indices_, np.sort(ref.sample_indices_))
        assert mine.neighbors_backend_ == ("exact" if ours is AllKNN else "estimator")


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(2, 30), min_size=2, max_size=3),
    k=st.integers(1, 4),
    kind_sel=st.sampled_from(["all", "mode"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_enn_removes_exactly_the_rows_its_neighbours_reject(counts, k, kind_sel, seed):
    assume(sum(counts) > k)  # fewer rows than neighbours is refused (tested elsewhere)
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    X = rng.normal(size=(len(y), 2))
    enn = EditedNearestNeighbours(n_neighbors=k, kind_sel=kind_sel, sampling_strategy="all")
    enn.fit_resample(X, y)
    labels = y[kneighbors(X, k, backend="exact", n_jobs=1)]
    if kind_sel == "all":
        stays = (labels == y[:, None]).all(axis=1)
    else:
        votes = np.stack([(labels == c).sum(axis=1) for c in range(len(counts))], axis=1)
        stays = np.argmax(votes, axis=1) == y
    np.testing.assert_array_equal(enn.sample_indices_, np.flatnonzero(stays))


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(5, 60),
    k=st.integers(1, 4),
    rounds=st.lists(st.floats(0.0, 0.5), min_size=1, max_size=4),
    seed=st.integers(0, 2**31 - 1),
)
def test_neighbour_lists_after_removals_equal_a_fresh_search(n, k, rounds, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)).round(1)  # with ties
    lists = NeighbourLists(X, width=k + 1, backend="exact", n_jobs=1, seed=0)
    for share in rounds:
        alive = np.flatnonzero(lists.alive)
        if alive.size - 1 < k:
            break
        found = lists.neighbours(alive, k)
        fresh = alive[kneighbors(X[alive], k, backend="exact", n_jobs=1)]
        np.testing.assert_array_equal(found, fresh)
        lists.remove(alive[rng.random(alive.size) < share])


def test_a_neighbourhood_larger_than_the_data_is_refused():
    X, y = _data(n=40)
    with pytest.raises(InvalidDataError, match=r"n_neighbors=50 .* only 39 row"):
        EditedNearestNeighbours(n_neighbors=50).fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match=r"'kind_sel' parameter"):
        EditedNearestNeighbours(kind_sel="most").fit_resample(X, y)
    with pytest.raises(InvalidParameterError, match=r"n_neighbors >= 2"):
        AllKNN(n_neighbors=NearestNeighbors(n_neighbors=1)).fit_resample(X, y)


def test_backends_and_threads_give_the_same_rows():
    X, y = _data(n=3000, seed=5)
    ref = EditedNearestNeighbours(neighbors="exact", n_jobs=1).fit_resample(X, y)[1]
    for backend, jobs in [("exact", 2), ("auto", -1)]:
        out = EditedNearestNeighbours(neighbors=backend, n_jobs=jobs).fit_resample(X, y)[1]
        np.testing.assert_array_equal(out, ref)


@settings(max_examples=20, deadline=None)
@given(
    counts=st.lists(st.integers(3, 60), min_size=2, max_size=3),
    k=st.integers(1, 3),
    seed=st.integers(0, 2**31 - 1),
)
def test_certified_rule_equals_the_plain_rule_with_blocks(counts, k, seed):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    X = rng.normal(size=(len(y), 2)).round(1)  # with ties
    lists = NeighbourLists(X, width=k, backend="exact", n_jobs=1, seed=0)
    plain = edited_out(lists, y, np.arange(len(y)), k, "all", len(counts))
    old = _enn_certified._BLOCK_ROWS
    try:
        _enn_certified._BLOCK_ROWS = 8  # blocks of ~8 rows: most bounds come from k-means blocks
        fast, _ = edited_out_certified(
            X, y, np.arange(len(counts)), k, backend="exact", n_jobs=1, rng=rng
        )
    finally:
        _enn_certified._BLOCK_ROWS = old
    np.testing.assert_array_equal(fast, np.sort(plain))


def test_inverted_lists_remove_almost_the_same_rows(monkeypatch):
    """ENN's certified rule over the approximate index itself (forced at this size), with the
    search of the other classes calibrated on the rows nearer than each row's bound."""
    import imbalance.neighbors._ivf as engine

    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 0)
    monkeypatch.setattr(engine, "_IVF_SCAN_COST", 0)
    X, y = _data(n=8000, weights=(0.9, 0.1), seed=8)
    exact = EditedNearestNeighbours(neighbors="exact")
    exact.fit_resample(X, y)
    approx = EditedNearestNeighbours(neighbors="approximate", n_jobs=1)
    approx.fit_resample(X, y)
    removed_exact = np.setdiff1d(np.arange(len(y)), exact.sample_indices_)
    removed_approx = np.setdiff1d(np.arange(len(y)), approx.sample_indices_)
    assert removed_exact.size > 100
    assert np.isin(removed_exact, removed_approx).mean() >= 0.95
    assert np.setdiff1d(removed_approx, removed_exact).size <= 0.05 * removed_exact.size
