"""The neighbour engine: exact against scikit-learn, ties, backends, recall, errors, laziness."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import pdist
from sklearn.neighbors import NearestNeighbors

from imbalance.exceptions import (
    InvalidDataError,
    InvalidParameterError,
    MissingDependencyError,
    NotFittedError,
)
from imbalance.neighbors import NeighborIndex, kneighbors, mean_distance

HAS_FAISS = importlib.util.find_spec("faiss") is not None
HAS_TORCH = importlib.util.find_spec("torch") is not None


def brute_reference(X, k, queries=None, rows=None):
    """Sort every row by (float64 distance from differences, position): the definition."""
    X = np.asarray(X, dtype=np.float64)
    own = None
    if queries is None:
        own = np.arange(len(X)) if rows is None else np.asarray(rows)
        queries = X[own]
    d2 = ((queries[:, None, :] - X[None, :, :]) ** 2).sum(axis=2)
    if own is not None:
        d2[np.arange(len(own)), own] = np.inf
    positions = np.broadcast_to(np.arange(len(X)), d2.shape)
    return np.lexsort((positions, d2), axis=-1)[:, :k]


BRUTE = "faiss-flat-float32" if HAS_FAISS else "brute-float64"


@pytest.mark.parametrize("without_faiss", [False, True])
@pytest.mark.parametrize(
    ("n", "d", "algorithm"),
    [(400, 3, BRUTE), (3000, 4, "kd_tree"), (2500, 20, BRUTE)],
)
def test_exact_equals_scikit_learn(n, d, algorithm, without_faiss, monkeypatch):
    if without_faiss:
        hide_faiss(monkeypatch)
        algorithm = algorithm.replace("faiss-flat-float32", "blocked-float32")
    rng = np.random.default_rng(n + d)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 20, size=d) + 100.0
    index = NeighborIndex(backend="exact").fit(X)
    assert index.algorithm_ == algorithm
    dist, ind = index.kneighbors(n_neighbors=6, return_distance=True)
    ref_dist, ref_ind = NearestNeighbors(n_neighbors=6).fit(X).kneighbors()
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-10)
    Q = rng.normal(size=(50, d)) * 5 + 100.0
    np.testing.assert_array_equal(
        index.kneighbors(Q, 4), NearestNeighbors(n_neighbors=4).fit(X).kneighbors(Q)[1]
    )


def hide_faiss(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "faiss" else real_find_spec(name, *a),
    )


def hide_faiss_and_shrink_tiles(monkeypatch):
    """Small tiles and cells, so that a few thousand rows cross many tiles and cells."""
    import imbalance.neighbors._blocked as engine

    hide_faiss(monkeypatch)
    for name, value in (
        ("_TILE_QUERIES", 64),
        ("_TILE_ROWS", 96),
        ("_CELL_ROWS", 128),
        ("_FIRST_TILE", 160),
    ):
        monkeypatch.setattr(engine, name, value)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_blocked_float32_equals_scikit_learn_on_ties_and_duplicates(n_jobs, monkeypatch):
    hide_faiss_and_shrink_tiles(monkeypatch)
    rng = np.random.default_rng(11)
    grid = rng.integers(-2, 3, size=(700, 10)).astype(np.float64)  # ties and duplicates
    X = np.vstack([grid, grid[:300], rng.normal(size=(800, 10))])
    index = NeighborIndex(backend="exact", n_jobs=n_jobs).fit(X)
    assert index.algorithm_ == "blocked-float32"
    np.testing.assert_array_equal(index.kneighbors(n_neighbors=7), brute_reference(X, 7))
    rows = rng.choice(len(X), 250, replace=False)
    np.testing.assert_array_equal(
        index.kneighbors(n_neighbors=3, rows=rows), brute_reference(X, 3, rows=rows)
    )
    Q = np.vstack([grid[:40], rng.normal(size=(60, 10)) * 3])
    np.testing.assert_array_equal(index.kneighbors(Q, 5), brute_reference(X, 5, queries=Q))
    assert index.kneighbors(n_neighbors=2, rows=np.array([], dtype=int)).shape == (0, 2)


def test_blocked_float32_takes_float32_input_and_all_rows(monkeypatch):
    hide_faiss_and_shrink_tiles(monkeypatch)
    rng = np.random.default_rng(12)
    X = (rng.normal(size=(900, 12)) * 50 + 7).astype(np.float32)
    ref_dist, ref_ind = NearestNeighbors(n_neighbors=9).fit(X).kneighbors()
    dist, ind = (
        NeighborIndex(backend="exact").fit(X).kneighbors(n_neighbors=9, return_distance=True)
    )
    np.testing.assert_array_equal(ind, ref_ind)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-5)
    small = X[:12]  # every other row is a neighbour: no bound, all rows are candidates
    np.testing.assert_array_equal(kneighbors(small, 11), brute_reference(small, 11))
    # more neighbours than a tile holds: tiles grow to fit them
    np.testing.assert_array_equal(kneighbors(X, 150), brute_reference(X, 150))


def test_merge_keeps_the_smallest_entries_of_each_row():
    """The blocked searcher's merge against sorting: entries in any order, several per row in
    a batch (more than are kept), negative values (float32 rounding of duplicates)."""
    from imbalance.neighbors._blocked import _merge

    rng = np.random.default_rng(31)
    n, m = 40, 4
    best = np.full((n, m), np.inf, dtype=np.float32)
    pos = np.zeros((n, m), dtype=np.intp)
    threshold = np.full(n, np.inf, dtype=np.float32)
    given = []
    for size in (0, 30, 300, 5, 200):
        row = rng.integers(0, n, size)
        col = rng.integers(0, 1_000_000, size)
        value = rng.normal(size=size).astype(np.float32)
        _merge(best, pos, threshold, row, col, value)
        given.extend(zip(row.tolist(), value.tolist(), col.tolist(), strict=True))
    for r in range(n):
        expected = sorted((v, c) for row, v, c in given if row == r)[:m]
        order = np.argsort(best[r])
        got = [(float(v), int(c)) for v, c in zip(best[r, order], pos[r, order], strict=True)]
        assert got[: len(expected)] == expected
        assert threshold[r] == (expected[-1][0] if len(expected) == m else np.inf)


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
def test_every_row_against_the_others_goes_to_symmetric_tiles(monkeypatch):
    """With faiss installed, a search of every row on one thread is the blocked searcher's
    (exact, and no row redone in float64: first thresholds leave none short); outside
    queries are faiss's."""
    import imbalance.neighbors._refine as refine

    redone = []
    real_exact_rows = refine.exact_rows
    monkeypatch.setattr(
        refine, "exact_rows", lambda X, Q, *a: redone.append(len(Q)) or real_exact_rows(X, Q, *a)
    )
    rng = np.random.default_rng(32)
    X = rng.normal(size=(2500, 20))
    index = NeighborIndex(backend="exact", n_jobs=1).fit(X)
    reference = NearestNeighbors(n_neighbors=5).fit(X)
    np.testing.assert_array_equal(index.kneighbors(n_neighbors=5), reference.kneighbors()[1])
    assert index.algorithm_ == "blocked-float32" and redone == []
    Q = rng.normal(size=(30, 20))
    np.testing.assert_array_equal(index.kneighbors(Q, 5), reference.kneighbors(Q)[1])
    assert index.algorithm_ == "faiss-flat-float32"


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
@pytest.mark.parametrize(
    ("cores", "algorithm"), [(2, "blocked-float32"), (8, "faiss-flat-float32")]
)
def test_n_jobs_none_keeps_faiss_on_more_than_two_cores(monkeypatch, cores, algorithm):
    """One thread on symmetric tiles beats faiss on two cores, not on eight: n_jobs=None
    searches every row with the tiles only where at most two cores are usable."""
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    X = np.random.default_rng(33).normal(size=(2100, 12))
    index = NeighborIndex(backend="exact").fit(X)
    found = index.kneighbors(n_neighbors=3)
    assert index.algorithm_ == algorithm
    np.testing.assert_array_equal(found, NearestNeighbors(n_neighbors=3).fit(X).kneighbors()[1])


def test_tiny_values_are_not_searched_in_float32(monkeypatch):
    """float32 cannot hold squares of 1e-25 (they underflow): the float64 path answers."""
    hide_faiss(monkeypatch)
    rng = np.random.default_rng(14)
    X = rng.normal(size=(300, 10)) * 1e-25
    index = NeighborIndex(backend="exact").fit(X)
    assert index.algorithm_ == "brute-float64"
    np.testing.assert_array_equal(index.kneighbors(n_neighbors=4), brute_reference(X, 4))


def test_sparse_equals_dense():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 12)) * (rng.random((300, 12)) < 0.3)
    index = NeighborIndex(backend="exact").fit(sp.csr_matrix(X))
    assert index.algorithm_ == "brute-float64"
    np.testing.assert_array_equal(index.kneighbors(n_neighbors=5), kneighbors(X, 5))


@settings(max_examples=30, deadline=None)
@given(
    arrays(
        np.float64, st.tuples(st.integers(8, 40), st.integers(1, 4)), elements=st.integers(-3, 3)
    ),
    st.integers(1, 6),
)
def test_ties_go_to_the_smaller_position(X, k):
    """Integer grids are full of exact ties and duplicates: the order is still the definition."""
    k = min(k, len(X) - 1)
    np.testing.assert_array_equal(kneighbors(X, k, backend="exact"), brute_reference(X, k))


def test_a_row_never_counts_itself_but_its_duplicates_do():
    X = np.array([[0.0], [0.0], [5.0], [0.0], [9.0]])
    got = kneighbors(X, 2)
    np.testing.assert_array_equal(got[0], [1, 3])
    np.testing.assert_array_equal(got[3], [0, 1])
    assert not (got == np.arange(len(X))[:, None]).any()


def test_rows_subset_matches_full_query():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 5))
    rows = np.array([150, 3, 77, 3])
    np.testing.assert_array_equal(kneighbors(X, 4, rows=rows), kneighbors(X, 4)[rows])


@pytest.mark.parametrize("without_faiss", [False, True])
def test_float32_unsafe_rows_are_redone_in_float64(without_faiss, monkeypatch):
    """Huge offsets make float32 distances useless; the proof step must still be exact."""
    if without_faiss:
        hide_faiss(monkeypatch)
    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 20)) * 1e-3 + 1e6
    X[:, 0] += rng.normal(size=500) * 1e4
    np.testing.assert_array_equal(kneighbors(X, 5), brute_reference(X, 5))


def test_lists_not_proven_are_searched_again_with_more_candidates(monkeypatch):
    """Rows crowded near a plane, and a few far ones that widen the rounding bound: the k-th
    distance of many lists is too near their bound, a bound four times farther out proves
    them all, and none is searched in float64 over all rows."""
    import imbalance.neighbors._refine as refine

    unproven, redone = [], []
    real_unproven, real_exact_rows = refine._unproven, refine.exact_rows

    def count_unproven(*args):
        rows = real_unproven(*args)
        unproven.append(rows.size)
        return rows

    monkeypatch.setattr(refine, "_unproven", count_unproven)
    monkeypatch.setattr(
        refine, "exact_rows", lambda X, Q, *a: redone.append(len(Q)) or real_exact_rows(X, Q, *a)
    )
    rng = np.random.default_rng(5)
    X = rng.normal(size=(3000, 3)) @ rng.normal(size=(3, 20)) + 0.01 * rng.normal(size=(3000, 20))
    X[:5] *= 21
    expected = NearestNeighbors(n_neighbors=5).fit(X).kneighbors()[1]
    np.testing.assert_array_equal(kneighbors(X, 5), expected)
    assert unproven[0] > 100 and unproven[1:] == [0] and redone == []


def test_results_do_not_depend_on_n_jobs():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(1500, 20))
    np.testing.assert_array_equal(kneighbors(X, 5, n_jobs=1), kneighbors(X, 5, n_jobs=2))


@pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
def test_torch_backend_equals_exact():
    rng = np.random.default_rng(5)
    X = np.repeat(rng.normal(size=(400, 8)), 2, axis=0)  # duplicates: ties everywhere
    index = NeighborIndex(backend="torch").fit(X)
    assert index.backend_ == "torch" and index.algorithm_.startswith("torch-")
    np.testing.assert_array_equal(
        index.kneighbors(n_neighbors=5), kneighbors(X, 5, backend="exact")
    )
    Q = rng.normal(size=(30, 8))
    np.testing.assert_array_equal(index.kneighbors(Q, 3), kneighbors(X, 3, queries=Q))


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
def test_approximate_recall_on_a_fixed_data_set(monkeypatch):
    import imbalance.neighbors._ivf as engine

    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 0)  # inverted lists, at this size
    monkeypatch.setattr(engine, "_IVF_SCAN_COST", 0)
    rng = np.random.default_rng(6)
    X = rng.normal(size=(5000, 20))
    exact = kneighbors(X, 5, backend="exact")
    index = NeighborIndex(backend="approximate", n_jobs=1, random_state=0).fit(X)
    approx = index.kneighbors(n_neighbors=5)
    recall = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(exact, approx, strict=True)])
    assert recall >= 0.98, recall
    assert index.algorithm_ == "ivf" and index.recall_ >= 0.99
    assert abs(index.recall_ - recall) < 0.02  # the calibration sample measures the recall
    assert not (approx == np.arange(len(X))[:, None]).any()
    again = kneighbors(X, 5, backend="approximate", n_jobs=1, random_state=0)
    np.testing.assert_array_equal(approx, again)
    other = kneighbors(X, 5, backend="approximate", n_jobs=1, random_state=1)
    assert not np.array_equal(approx, other)
    assert np.mean([len(set(a) & set(b)) / 5 for a, b in zip(exact, other, strict=True)]) >= 0.98


def _low_dimensional(rng, n):
    """Rows on a 3-dimensional subspace of 20 features: where inverted lists pay."""
    return rng.normal(size=(n, 3)) @ rng.normal(size=(3, 20))


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
def test_approximate_answers_few_queries_exactly_without_lists(monkeypatch):
    """A whole-data search for a few rows is brute force: exact, and no lists are built."""
    import imbalance.neighbors._ivf as engine

    # scaled to 4,000 rows: lists cost little to build and each scanned row as one distance
    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 150)
    monkeypatch.setattr(engine, "_IVF_SCAN_COST", 1)
    rng = np.random.default_rng(13)
    X = _low_dimensional(rng, 4000)
    rows = rng.choice(len(X), 200, replace=False)
    index = NeighborIndex(backend="approximate", n_jobs=1, random_state=0).fit(X)
    np.testing.assert_array_equal(
        index.kneighbors(n_neighbors=6, rows=rows), kneighbors(X, 6, rows=rows, backend="exact")
    )
    Q = rng.normal(size=(100, 3)) @ rng.normal(size=(3, 20))
    np.testing.assert_array_equal(index.kneighbors(Q, 4), kneighbors(X, 4, queries=Q))
    assert index._searcher.lists is None and index.algorithm_ == "faiss-flat-float32"
    assert index.recall_ == 1.0
    everything = index.kneighbors(n_neighbors=5)
    assert index._searcher.lists is not None and index.algorithm_ == "ivf"
    exact = kneighbors(X, 5, backend="exact")
    recall = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(exact, everything, strict=True)])
    assert recall >= 0.98 and index.recall_ >= 0.99, (recall, index.recall_)


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
def test_approximate_falls_back_to_brute_force_when_scans_would_not_pay(monkeypatch):
    """On noise in 20 dimensions a recall of 0.99 needs most cells: brute force answers."""
    import imbalance.neighbors._ivf as engine

    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 0)  # build the lists whatever they cost
    rng = np.random.default_rng(14)
    X = rng.normal(size=(4000, 20))
    index = NeighborIndex(backend="approximate", n_jobs=1, random_state=0).fit(X)
    found = index.kneighbors(n_neighbors=5)
    assert index._searcher.lists is not None  # built and calibrated, then not used
    assert index.algorithm_ == "faiss-flat-float32" and index.recall_ == 1.0
    np.testing.assert_array_equal(found, kneighbors(X, 5, backend="exact"))


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
@pytest.mark.parametrize("n", [2, 5, 40])
def test_inverted_lists_on_tiny_data_find_every_neighbour(monkeypatch, capfd, n):
    """Cells too small for the neighbours asked fall back to brute force; faiss stays quiet."""
    import imbalance.neighbors._ivf as engine

    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 0)
    monkeypatch.setattr(engine, "_IVF_SCAN_COST", 0)
    X = np.random.default_rng(n).normal(size=(n, 3))
    index = NeighborIndex(backend="approximate", random_state=0).fit(X)
    np.testing.assert_array_equal(index.kneighbors(n_neighbors=n - 1), kneighbors(X, n - 1))
    assert index.algorithm_ == "ivf"
    assert index.kneighbors(np.empty((0, 3)), 1).shape == (0, 1)
    assert "WARNING" not in capfd.readouterr().err


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
def test_within_calibrates_on_the_neighbours_that_matter(monkeypatch):
    """Neighbours nearer than a query's threshold are found at the target recall, from no
    more cells than a calibration over all neighbours needs."""
    import imbalance.neighbors._ivf as engine

    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 0)
    monkeypatch.setattr(engine, "_IVF_SCAN_COST", 0)
    rng = np.random.default_rng(21)
    X = rng.normal(size=(6000, 8))
    dist, exact = kneighbors(X, 1, return_distance=True)
    radius = np.quantile(dist[:, 0], 0.3)  # 30 % of the rows have their neighbour inside
    full = NeighborIndex(backend="approximate", random_state=0).fit(X)
    full.kneighbors(n_neighbors=1)
    near = NeighborIndex(backend="approximate", random_state=0).fit(X)
    found = near.kneighbors(n_neighbors=1, within=radius)
    assert near.algorithm_ == "ivf" and near.recall_ >= 0.99
    lists = near._searcher.lists
    assert lists.index.nprobe < full._searcher.lists.calibrated[2][0]  # fewer cells
    inside = dist[:, 0] < radius
    assert np.mean(found[inside, 0] == exact[inside, 0]) >= 0.98
    with pytest.raises(InvalidParameterError, match="within must be one distance or one per"):
        near.kneighbors(n_neighbors=1, within=[1.0, 2.0])
    with pytest.raises(InvalidParameterError, match="within must hold distances"):
        near.kneighbors(n_neighbors=1, within=-1.0)
    with pytest.raises(InvalidParameterError, match="within must hold distances"):
        NeighborIndex(backend="exact").fit(X).kneighbors(n_neighbors=1, within=np.nan)
    exact_index = NeighborIndex(backend="exact").fit(X)
    np.testing.assert_array_equal(exact_index.kneighbors(n_neighbors=1, within=radius), exact)


@pytest.mark.skipif(not HAS_FAISS, reason="faiss (the 'approximate' extra) is not installed")
@pytest.mark.parametrize("scale", [1e-20, 1e20])
def test_approximate_searches_values_beyond_float32_exactly(monkeypatch, scale):
    import imbalance.neighbors._ivf as engine

    monkeypatch.setattr(engine, "_IVF_BUILD_PER_ROW", 0)
    monkeypatch.setattr(engine, "_IVF_SCAN_COST", 0)
    X = np.random.default_rng(22).normal(size=(300, 4)) * scale
    index = NeighborIndex(backend="approximate", random_state=0).fit(X)
    np.testing.assert_array_equal(index.kneighbors(n_neighbors=3), kneighbors(X, 3))
    assert index.algorithm_ != "ivf" and index.recall_ == 1.0


def test_auto_says_what_it_picked():
    index = NeighborIndex().fit(np.eye(5))
    assert index.backend_ == "exact"


def test_missing_extra_is_named(monkeypatch):
    hide_faiss(monkeypatch)
    with pytest.raises(MissingDependencyError, match=r"imbalance\[approximate\]"):
        NeighborIndex(backend="approximate").fit(np.eye(4))


def test_errors_in_the_users_terms():
    X = np.eye(4)
    with pytest.raises(InvalidParameterError, match="only 3 rows can be neighbours"):
        kneighbors(X, 4)
    with pytest.raises(InvalidParameterError, match="'gpu' is not a known backend"):
        kneighbors(X, 1, backend="gpu")
    with pytest.raises(InvalidDataError, match="NaN or infinite"):
        kneighbors(np.array([[0.0], [np.nan]]), 1)
    with pytest.raises(InvalidDataError, match="3 features, the index 4"):
        NeighborIndex().fit(X).kneighbors(np.ones((1, 3)), 1)
    with pytest.raises(NotFittedError):
        NeighborIndex().kneighbors(n_neighbors=1)


def test_mean_distance_equals_pdist():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(120, 6)) + 50.0
    assert mean_distance(X) == pytest.approx(pdist(X).mean(), rel=1e-9)
    assert mean_distance(sp.csr_matrix(X)) == pytest.approx(pdist(X).mean(), rel=1e-9)
    assert mean_distance(X[:1]) == 0.0


def test_importing_the_engine_imports_no_optional_library():
    code = (
        "import sys, imbalance.neighbors, imbalance.samplers; "
        "print('torch' in sys.modules, 'faiss' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("scale", [1.0, 1e-200, 1e200])
@pytest.mark.parametrize("n_reference", [1, 4, 7])
def test_median_distances_equal_the_median_of_all_distances(scale, n_reference):
    from scipy.spatial.distance import cdist

    from imbalance.neighbors import median_distances

    rng = np.random.default_rng(n_reference)
    reference = rng.normal(size=(n_reference, 3)) * scale
    X = np.vstack([reference[:1], rng.normal(size=(9, 3)) * scale])  # a query that is a row
    expected = np.median(cdist(X / scale, reference / scale), axis=1) * scale
    np.testing.assert_allclose(median_distances(X, reference), expected, rtol=1e-12)


def test_median_distances_refuse_empty_or_mismatched_reference():
    from imbalance.neighbors import median_distances

    with pytest.raises(InvalidDataError, match="reference holds no rows"):
        median_distances(np.zeros((2, 3)), np.zeros((0, 3)))
    with pytest.raises(InvalidDataError, match="X has 3 features but reference has 2"):
        median_distances(np.zeros((2, 3)), np.zeros((4, 2)))
