"""TomekLinks: the links of the definition, imbalanced-learn's kept rows, the fast search, and
what every cleaning sampler shares (the classes to clean, errors about sampling_strategy)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.under_sampling import TomekLinks as ImbTomekLinks
from sklearn.datasets import make_classification

from imbalance.exceptions import InvalidParameterError, SamplingStrategyError
from imbalance.neighbors import NeighborIndex, kneighbors
from imbalance.samplers import (
    AllKNN,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)
from imbalance.samplers.under._tomek import tomek_links

CLEANERS = [
    TomekLinks,
    EditedNearestNeighbours,
    RepeatedEditedNearestNeighbours,
    AllKNN,
    CondensedNearestNeighbour,
    OneSidedSelection,
    NeighbourhoodCleaningRule,
]


def _data(n=1200, weights=(0.7, 0.2, 0.1), seed=0, n_features=6):
    return make_classification(
        n_samples=n,
        n_features=n_features,
        n_informative=4,
        n_classes=len(weights),
        weights=list(weights),
        class_sep=0.8,
        random_state=seed,
    )


def _links_by_definition(X, y):
    """Every pair of rows of different classes that are each other's nearest neighbour."""
    nn = kneighbors(X, 1, backend="exact", n_jobs=1)[:, 0]
    i = np.flatnonzero((nn[nn] == np.arange(len(y))) & (y[nn] != y))
    return np.unique(np.sort(np.column_stack([i, nn[i]]), axis=1), axis=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("strategy", ["auto", "all", "majority", "not majority"])
def test_kept_rows_equal_imbalanced_learn(seed, strategy):
    X, y = _data(seed=seed)
    ours = TomekLinks(sampling_strategy=strategy, neighbors="exact")
    ours.fit_resample(X, y)
    ref = ImbTomekLinks(sampling_strategy=strategy)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(ref.sample_indices_))


def test_list_of_classes_equals_imbalanced_learn():
    X, y = _data(seed=3)
    ours = TomekLinks(sampling_strategy=[1, 2], neighbors="exact")
    _, y_res = ours.fit_resample(X, y)
    ref = ImbTomekLinks(sampling_strategy=[1, 2])
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(ref.sample_indices_))
    assert (y_res == 0).sum() == (y == 0).sum(), "class 0 was not named, so it keeps every row"
    assert (y_res != y[ours.sample_indices_]).sum() == 0


@settings(max_examples=30, deadline=None)
@given(
    counts=st.lists(st.integers(2, 40), min_size=2, max_size=4),
    seed=st.integers(0, 2**31 - 1),
    n_features=st.integers(1, 4),
)
def test_fast_search_finds_exactly_the_links_of_the_definition(counts, seed, n_features):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    X = rng.normal(size=(len(y), n_features)).round(1)  # ties happen: the tie rule must agree
    index = NeighborIndex(backend="exact", n_jobs=1).fit(X)
    np.testing.assert_array_equal(tomek_links(index, y), _links_by_definition(X, y))


def test_only_the_named_side_of_each_link_goes():
    X, y = _data(seed=4, weights=(0.8, 0.2))
    tl = TomekLinks(neighbors="exact")
    tl.fit_resample(X, y)
    assert len(tl.links_) > 0
    removed = np.setdiff1d(np.arange(len(y)), tl.sample_indices_)
    np.testing.assert_array_equal(
        np.sort(removed), np.sort(tl.links_.ravel()[y[tl.links_.ravel()] == 0])
    )
    assert tl.target_counts_ == {0: int((y == 0).sum()) - len(tl.links_), 1: int((y == 1).sum())}


def test_approximate_backend_removes_almost_the_same_rows():
    X, y = _data(n=6000, weights=(0.9, 0.1), seed=5, n_features=12)
    exact = TomekLinks(neighbors="exact")
    exact.fit_resample(X, y)
    approx = TomekLinks(neighbors="approximate", n_jobs=1)
    approx.fit_resample(X, y)
    removed_exact = set(np.setdiff1d(np.arange(len(y)), exact.sample_indices_).tolist())
    removed_approx = set(np.setdiff1d(np.arange(len(y)), approx.sample_indices_).tolist())
    assert len(removed_exact & removed_approx) >= 0.95 * len(removed_exact)
    assert len(removed_approx - removed_exact) <= 0.05 * len(removed_exact)
    assert approx.neighbors_backend_ == "approximate"


def test_pandas_rows_keep_their_labels_and_dtypes():
    X, y = _data(seed=6, weights=(0.8, 0.2))
    index = pd.Index([f"r{i}" for i in range(len(y))])
    df = pd.DataFrame(X, index=index, columns=[f"f{i}" for i in range(X.shape[1])])
    df["f0"] = df["f0"].astype(np.float32)
    X_res, y_res = TomekLinks().fit_resample(df, pd.Series(y, index=index))
    kept = TomekLinks().fit_resample(X, y)[0]
    assert X_res.index.equals(y_res.index)
    assert (X_res.dtypes == df.dtypes).all()
    np.testing.assert_allclose(X_res.to_numpy(), kept, rtol=1e-6)
    assert X_res.index.isin(index).all()


@pytest.mark.parametrize("cls", CLEANERS)
@pytest.mark.parametrize(
    ("strategy", "form"),
    [({0: 100}, "a dict of counts"), (0.5, "a float ratio"), (lambda y: {0: 1}, "a callable")],
)
def test_cleaning_samplers_refuse_counts_and_say_why(cls, strategy, form):
    X, y = _data(n=200)
    with pytest.raises(SamplingStrategyError) as info:
        cls(sampling_strategy=strategy).fit_resample(X, y)
    message = str(info.value)
    assert cls.__name__ in message and form in message
    assert "does not reach counts" in message and "list" in message


@pytest.mark.parametrize("cls", CLEANERS)
def test_cleaning_samplers_name_unknown_strategies_and_classes(cls):
    X, y = _data(n=200)
    with pytest.raises(InvalidParameterError, match=r"'sampling_strategy' parameter of"):
        cls(sampling_strategy="minority").fit_resample(X, y)
    with pytest.raises(SamplingStrategyError, match=r"class\(es\) 7"):
        cls(sampling_strategy=[0, 7]).fit_resample(X, y)


@pytest.mark.parametrize("cls", CLEANERS)
def test_cleaning_samplers_leave_unnamed_classes_whole(cls):
    X, y = _data(n=400, seed=7)
    sampler = cls(sampling_strategy=[0])
    if "random_state" in sampler.get_params():
        sampler.set_params(random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert (y_res == 1).sum() == (y == 1).sum() and (y_res == 2).sum() == (y == 2).sum()
    assert sampler.target_counts_ == {c: int((y_res == c).sum()) for c in (0, 1, 2)}


def test_non_numeric_frame_is_refused_with_the_way_out():
    df = pd.DataFrame({"colour": list("abcdef") * 5})
    y = np.array([0, 1] * 15)
    with pytest.raises(ValueError, match=r"TomekLinks .* numeric columns.*OneHotEncoder"):
        TomekLinks().fit_resample(df, y)


def test_missing_values_are_refused_with_their_column():
    X, y = _data(n=100)
    X[5, 2] = np.nan
    with pytest.raises(ValueError, match=r"column 2 .* Impute"):
        TomekLinks().fit_resample(X, y)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_inverted_lists_remove_almost_the_same_rows(monkeypatch, n_jobs):
    """The approximate index itself (not the brute force it falls back to at this size)."""
    import imbalance.neighbors._ivf as engine

    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 0)
    monkeypatch.setattr(engine, "_IVF_SCAN_COST", 0)
    X, y = _data(n=8000, weights=(0.9, 0.1), seed=7, n_features=10)
    exact = TomekLinks(neighbors="exact")
    exact.fit_resample(X, y)
    approx = TomekLinks(neighbors="approximate", n_jobs=n_jobs)
    approx.fit_resample(X, y)
    removed_exact = np.setdiff1d(np.arange(len(y)), exact.sample_indices_)
    removed_approx = np.setdiff1d(np.arange(len(y)), approx.sample_indices_)
    assert np.isin(removed_exact, removed_approx).mean() >= 0.95
    assert np.setdiff1d(removed_approx, removed_exact).size <= 0.05 * removed_exact.size
    again = TomekLinks(neighbors="approximate", n_jobs=n_jobs)
    again.fit_resample(X, y)
    np.testing.assert_array_equal(again.sample_indices_, approx.sample_indices_)
